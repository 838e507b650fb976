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
from chengzhen.query.document import neighbours
from chengzhen.web.page import Page, page_view, run, state
from chengzhen.web.views.entity import label as unit_name
from chengzhen.web.views.entity import snippet

ROUTE = r"^/m/(?P<id>[^?#]+?)(\.(?P<format>json))?$"


def measure_page(conn, mid: str, data_root=None) -> Page:
    ans = answer(conn, mid, data_root)
    m = ans.records[0]
    plan = ans.blocks["plan"]
    data = {"measure": m, **ans.blocks}
    label = unit_label(m)
    near = neighbours(conn, m["id"])
    view = {"previous": near["previous"]["id"] if near["previous"] else None,
            "next": near["next"]["id"] if near["next"] else None}
    desc = f"《{m['plan_full_name']}》{label}：{snippet(m['text'], 110)}"
    return Page("measure", "cz_measure.html", f"{plan['short_name']} · {label}", data, answer=ans, view=view,
                context={"label": label, "description": desc,
                         "previous": near["previous"] and {**near["previous"], "label": unit_name(near["previous"])},
                         "next": near["next"] and {**near["next"], "label": unit_name(near["next"])}})


async def build(request, datasette, fmt):
    mid = unquote(request.url_vars["id"]).strip()
    root = state(datasette).data
    return await run(datasette, lambda conn: measure_page(conn, mid, root))


view = page_view(build)


def examples(conn) -> list[str]:
    """A measure with 责任单位, a target and a national task, where there is one; a 专栏 table."""
    from chengzhen.query.browse import first_unit_of_kind, fullest_measure

    table = first_unit_of_kind(conn, "table")
    return [f"/m/{mid}" for mid in (fullest_measure(conn), table and table[1]) if mid]
