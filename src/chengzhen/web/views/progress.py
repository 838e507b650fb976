"""Targets against the published statistics (``/progress``), as `cz
progress` answers (``answers/progress.py``): filters by plan (or place),
indicator, target year, scope, verdict and "as of" a year; the table whose
numbers each say where they are from (a plan's baseline links to its
measure, a statistic to its numbered publication), a trend chart per
target with statistics (the realized series and the straight path to the
target, SVG drawn on the server), the publications, and the rule.

:func:`section` is what the targets page (``?progress=1``) and an
indicator's page show of the same answer."""

from __future__ import annotations

from urllib.parse import urlsplit

from chengzhen.answers.progress import RULE, ProgressAsk, answer
from chengzhen.query import browse, catalog
from chengzhen.text.progress import VERDICTS
from chengzhen.web.page import Page, multi, one, page_view, run
from chengzhen.web.progress_chart import trend_charts

ROUTE = r"^/progress(\.(?P<format>json|csv))?$"

PAGE_LABELS = {"official": "统计部门网页", "repost": "转载全文", "secondary": "报道或转述"}


def section(records: list[dict], sources: dict) -> dict:
    """What the progress section of a page shows: the records, the
    publications numbered in the order the table first cites them, the
    charts, the count of each verdict, the rule."""
    from chengzhen.query.progress import STATUS

    numbers: dict[str, int] = {}
    for r in records:
        for key in [s["source"] for s in r.get("series") or ()] + [r.get("latest_source")]:
            if key and key in sources and key not in numbers:
                numbers[key] = len(numbers) + 1
    listed = [{**sources[k], "n": n, "page_label": PAGE_LABELS.get(sources[k].get("page"), sources[k].get("page")),
               "host": urlsplit(sources[k].get("url") or "").netloc}
              for k, n in sorted(numbers.items(), key=lambda kv: kv[1])]
    counts = [((v, STATUS[v]), sum(1 for r in records if r.get("verdict") == v)) for v in VERDICTS]
    return {"records": records, "numbers": numbers, "sources": listed, "charts": trend_charts(records, numbers),
            "counts": [c for c in counts if c[1]], "rule": RULE}


def progress_page(conn, args: dict) -> Page:
    ans = answer(conn, ProgressAsk(plans=args["plan"], indicator=args["indicator"], year=args["year"],
                                   scope=args["scope"], within=args.get("within") in ("1", "yes", "on"),
                                   verdicts=args["verdict"], as_of=args["as_of"]))
    q = ans.query
    form = {"plans_all": catalog.list_plans(conn), "indicators": browse.indicators_in_use(conn),
            "places": browse.progress_places(conn), "verdicts": list(VERDICTS)}
    what = "、".join(q["indicators"]) if q["indicator_asked"] else "有统计数据的指标"
    title = f"目标进度：{what}" + (f"（截至 {q['as_of']} 年）" if q["as_of"] else "")
    data = {"records": ans.records, "count": len(ans.records), "sources": ans.blocks["sources"]}
    return Page("progress", "cz_progress.html", title, data, answer=ans, csv=True,
                view={"form": {"indicators": form["indicators"], "places": form["places"]}},
                context={"p": section(ans.records, ans.blocks["sources"]), "form": form, "args": args,
                         "notes": [n for n in ans.notes if n != RULE]})


def _args(request) -> dict:
    return {"plan": multi(request, "plan"), "indicator": one(request, "indicator"), "year": one(request, "year"),
            "scope": one(request, "scope"),
            "within": one(request, "within"), "verdict": multi(request, "verdict"), "as_of": one(request, "as_of")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: progress_page(conn, args))


view = page_view(build)


def examples(conn) -> list[str]:
    """The page, and the indicator the most statistics measure (as of its
    second-latest publication year, where there is one)."""
    from urllib.parse import quote

    from chengzhen.query.browse import most_used, publication_years

    indicator = most_used(conn, "statistic", by="rows")
    if not indicator:
        return ["/progress"]
    years = publication_years(conn, 2)
    out = ["/progress", f"/progress?indicator={quote(indicator)}"]
    if len(years) == 2:
        out.append(f"/progress?indicator={quote(indicator)}&as_of={years[1]}")
    return out
