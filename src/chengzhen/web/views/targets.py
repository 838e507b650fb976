"""Targets: every quantitative target, filtered by year or range,
indicator, plan and topic (``query.catalog.list_targets``, as `cz targets`),
with bar charts drawn as SVG on the server, and — for an indicator — the
plans that set no such target."""

from __future__ import annotations

from chengzhen.query import browse, catalog
from chengzhen.query.catalog import TARGET_COLUMNS
from chengzhen.query.resolve import resolve_indicators, resolve_plans, resolve_topics
from chengzhen.web.chart import charts
from chengzhen.web.page import Page, multi, one, page_view, run

ROUTE = r"^/targets(\.(?P<format>json|csv))?$"

MAX_CHARTS = 8  # without an indicator chosen: the most widely set indicators


def targets_page(conn, args: dict) -> Page:
    plans = resolve_plans(conn, args["plan"])
    years = catalog.parse_years(args["year"])
    inds = resolve_indicators(conn, args["indicator"]) if args["indicator"] is not None else None
    topics = resolve_topics(conn, args["topic"])
    rows = catalog.list_targets(conn, plans=plans, years=years, indicators=inds, topics=topics)
    silent = catalog.silent_plans(conn, rows, plans) if inds is not None else []
    drawn = charts(rows, by_indicator=inds is None, limit=None if inds is not None else MAX_CHARTS)
    query = {"year": list(years) if years else None, "plans": plans, "indicators": inds, "topics": topics,
             "indicator": args["indicator"]}
    data = {"targets": rows, "count": len(rows)}
    if inds is not None:
        data.update({"indicators": inds, "silent": silent})
    form = {"plans_all": catalog.list_plans(conn), "indicators": browse.indicators_in_use(conn),
            "topics": catalog.list_topics(conn)}
    what = "、".join(inds) if inds else "全部指标"
    return Page("targets", "cz_targets.html", f"量化目标：{what}", data, query=query, csv=(TARGET_COLUMNS, rows),
                context={"charts": drawn, "form": form, "args": args,
                         "implied": any(t["year_implied"] for t in rows)})


def _args(request) -> dict:
    return {"year": one(request, "year"), "indicator": one(request, "indicator"),
            "plan": multi(request, "plan"), "topic": multi(request, "topic")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: targets_page(conn, args))


view = page_view(build)
