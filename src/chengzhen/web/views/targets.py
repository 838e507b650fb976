"""Targets, as `cz targets` lists them (``query.catalog.list_targets``): by
year or range, indicator, plan, topic and scope; each as committed — the
value as written, its qualifier (左右/以上…) and aspiration (力争) in columns
of their own, the year (* implied), a target its plan restates listed once
("另见 N 处"); commitments (no number, no year) apart, and out of a year
filter unless asked.  For an indicator: the plans that set none (``silent``;
an abridged source says so) and those that set one the filters left out
(``elsewhere``: another year, scope, topic, or a commitment) —
``catalog.silence``.  Bar charts of the dated targets are SVG drawn on
the server."""

from __future__ import annotations

from chengzhen.errors import BadValue
from chengzhen.query import browse, catalog
from chengzhen.query.catalog import TARGET_COLUMNS
from chengzhen.query.resolve import resolve_indicators, resolve_plans, resolve_topics
from chengzhen.web.chart import charts
from chengzhen.web.page import Page, multi, one, page_view, run

ROUTE = r"^/targets(\.(?P<format>json|csv))?$"

MAX_CHARTS = 8  # without an indicator chosen: the most widely set indicators
COMMITMENTS = {None: None, "": None, "1": True, "yes": True, "0": False, "no": False}


def targets_page(conn, args: dict) -> Page:
    plans = resolve_plans(conn, args["plan"])
    years = catalog.parse_years(args["year"])
    inds = resolve_indicators(conn, args["indicator"]) if args["indicator"] is not None else None
    topics = resolve_topics(conn, args["topic"])
    if args["commitments"] not in COMMITMENTS:
        raise BadValue("commitments", args["commitments"], "choose 1 (include them) or 0 (leave them out)")
    commitments = COMMITMENTS[args["commitments"]]
    within = args.get("within") in ("1", "yes", "on")
    rows = catalog.list_targets(conn, plans=plans, years=years, indicators=inds, topics=topics, scope=args["scope"],
                                within=within, commitments=commitments)
    dated = [t for t in rows if t["kind"] != "commitment"]
    promised = [t for t in rows if t["kind"] == "commitment"]
    silence = catalog.silence(conn, rows, plans, inds) if inds is not None else None
    drawn = charts(dated, by_indicator=inds is None, limit=None if inds is not None else MAX_CHARTS)
    query = {"year": list(years) if years else None, "plans": plans, "indicators": inds, "topics": topics,
             "scope": args["scope"], "within": within, "commitments": (years is None) if commitments is None else commitments}
    data = {"targets": rows, "count": len(rows)}
    if silence is not None:
        data.update({"indicators": inds, "silent": silence["silent"], "elsewhere": silence["elsewhere"]})
    form = {"plans_all": catalog.list_plans(conn), "indicators": browse.indicators_in_use(conn),
            "topics": catalog.list_topics(conn), "places": browse.target_places(conn)}
    what = "、".join(inds) if inds else "全部指标"
    return Page("targets", "cz_targets.html", f"量化目标：{what}", data, query=query, csv=(TARGET_COLUMNS, rows),
                context={"charts": drawn, "form": form, "args": args, "dated": dated, "promised": promised})


def _args(request) -> dict:
    return {"year": one(request, "year"), "indicator": one(request, "indicator"),
            "plan": multi(request, "plan"), "topic": multi(request, "topic"), "scope": one(request, "scope"),
            "within": one(request, "within"), "commitments": one(request, "commitments")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: targets_page(conn, args))


view = page_view(build)
