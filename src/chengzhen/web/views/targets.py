"""Targets, as `cz targets` lists them (``answers/targets.py``): by year or
range, indicator, plan, topic and scope; each as committed — the value as
written, its qualifier (左右/以上…) and aspiration (力争) in columns of their
own, the year (* implied), a target its plan restates listed once ("另见 N
处"); commitments (no number, no year) apart, and out of a year filter
unless asked.  With ``progress=1`` (`cz targets --progress`): each dated
target against the statistics, as ``/progress`` shows it.  For an indicator: the plans that set none (``silent``; an
abridged source says so) and those that set one the filters left out
(``elsewhere``).  Bar charts of the dated targets are SVG drawn on the
server."""

from __future__ import annotations

from chengzhen.answers.targets import TargetsAsk, answer, dated, promised
from chengzhen.query import browse, catalog
from chengzhen.web.chart import charts
from chengzhen.answers.progress import RULE
from chengzhen.web.page import Page, multi, one, page_view, run
from chengzhen.web.views.progress import section

ROUTE = r"^/targets(\.(?P<format>json|csv))?$"

MAX_CHARTS = 8  # without an indicator chosen: the most widely set indicators


def targets_page(conn, args: dict) -> Page:
    progress = args.get("progress") in ("1", "yes", "on")
    ans = answer(conn, TargetsAsk(year=args["year"], plans=args["plan"], indicator=args["indicator"],
                                  topics=args["topic"], scope=args["scope"],
                                  within=args.get("within") in ("1", "yes", "on"), commitments=args["commitments"],
                                  progress=progress, as_of=args.get("as_of") if progress else None))
    inds = ans.query["indicators"]
    when = dated(ans)
    drawn = charts(when, by_indicator=inds is None, limit=None if inds is not None else MAX_CHARTS)
    form = {"plans_all": catalog.list_plans(conn), "indicators": browse.indicators_in_use(conn),
            "topics": catalog.list_topics(conn), "places": browse.target_places(conn)}
    data = {"targets": ans.records, "count": len(ans.records), **ans.blocks}
    what = "、".join(inds) if inds else "全部指标"
    return Page("targets", "cz_targets.html", f"量化目标：{what}", data, answer=ans, csv=True,
                view={"form": {"indicators": form["indicators"], "places": form["places"]}},
                context={"charts": drawn, "form": form, "args": args, "dated": when, "promised": promised(ans),
                         "notes": [n for n in ans.notes if n != RULE],
                         "p": section(when, ans.blocks.get("sources") or {}) if progress else None})


def _args(request) -> dict:
    return {"year": one(request, "year"), "indicator": one(request, "indicator"),
            "plan": multi(request, "plan"), "topic": multi(request, "topic"), "scope": one(request, "scope"),
            "within": one(request, "within"), "commitments": one(request, "commitments"),
            "progress": one(request, "progress"), "as_of": one(request, "as_of")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: targets_page(conn, args))


view = page_view(build)


def examples(conn) -> list[str]:
    return ["/targets", "/targets?year=2025", "/targets?progress=1"]
