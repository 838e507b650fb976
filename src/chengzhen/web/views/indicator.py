"""An indicator (``/indicator/城镇化率``): every plan's targets for it, with
the chart, and the plans that set none; each against the published
statistics (verdict columns, a trend chart per target with statistics) —
`cz targets --indicator 城镇化率 --progress` (``answers/targets.py``)."""

from __future__ import annotations

from chengzhen.answers.targets import TargetsAsk, answer, dated, promised
from chengzhen.errors import UnknownName
from chengzhen.web.chart import charts
from chengzhen.web.page import Page, page_view, run
from chengzhen.query.progress import statistic_indicators
from chengzhen.web.views.progress import section
from chengzhen.web.views.entity import missing_in_path, path_word

ROUTE = r"^/indicator/(?P<name>[^/?#]+?)(\.(?P<format>json|csv))?$"


def indicator_page(conn, name: str) -> Page:
    try:
        ans = answer(conn, TargetsAsk(indicator=name, progress=True))
    except UnknownName as exc:
        raise missing_in_path(exc) from None
    inds = ans.query["indicators"] or []
    when = dated(ans)
    shown = "、".join(inds)
    plans = sorted({t["plan"] for t in ans.records})
    desc = (f"指标“{shown}”：{len(plans)} 部规划设定的 {len(ans.records)} 项目标（数值按原文），"
            f"{len(ans.blocks.get('silent') or [])} 部未设。")
    data = {"targets": ans.records, "count": len(ans.records), **ans.blocks}
    return Page("indicator", "cz_indicator.html", f"指标：{shown}", data, answer=ans, csv=True,
                context={"charts": charts(when, by_indicator=False), "dated": when, "promised": promised(ans),
                         "description": desc, "indicators": inds,
                         # against the statistics where some statistic measures the indicator
                         "p": section(when, ans.blocks.get("sources") or {})
                         if set(inds) & set(statistic_indicators(conn)) else None})


async def build(request, datasette, fmt):
    name = path_word(request)
    return await run(datasette, lambda conn: indicator_page(conn, name))


view = page_view(build)


def examples(conn) -> list[str]:
    """The indicator the most plans set a figure for."""
    from urllib.parse import quote

    from chengzhen.query.browse import most_used

    indicator = most_used(conn, "indicator")
    return [f"/indicator/{quote(indicator, safe='')}"] if indicator else []
