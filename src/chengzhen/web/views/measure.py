"""One measure, as `cz show ID` gives it (``answers/show.py:measure_page``):
its text, 责任单位 in the source's order (牵头 only where the source writes
it; 首列 = listed first, nothing more), topics, targets (restatements once),
the national task(s) it carries; the copy-ready citation of `cz show ID
--cite`; where it is in the source; and the measures of other plans most
like it (as `cz similar`)."""

from __future__ import annotations

from urllib.parse import unquote

from chengzhen.answers.present import unit_label
from chengzhen.answers.show import measure_page as answer
from chengzhen.web.page import Page, page_view, run, state

ROUTE = r"^/m/(?P<id>[^?#]+?)(\.(?P<format>json))?$"


def measure_page(conn, mid: str, data_root=None) -> Page:
    ans = answer(conn, mid, data_root)
    m = ans.records[0]
    plan = ans.blocks["plan"]
    data = {"measure": m, **ans.blocks}
    label = unit_label(m)
    return Page("measure", "cz_measure.html", f"{plan['short_name']} · {label}", data, answer=ans,
                context={"label": label})


async def build(request, datasette, fmt):
    mid = unquote(request.url_vars["id"]).strip()
    root = state(datasette).data
    return await run(datasette, lambda conn: measure_page(conn, mid, root))


view = page_view(build)
