"""Coverage: who covers what, and who is silent — plans × topics (as
`cz matrix`, ``query.compare.matrix``), plans × national tasks (as `cz
matrix --by task`, ``query.tasks.matrix``: a group counts the measures
carrying it or any of its tasks, once), or plans × terms the reader types
(as `cz coverage`, ``query.coverage.coverage``: the units whose own text
mentions the term).  Every zero is shown; a plan whose source is abridged
is flagged (a zero may be a cut)."""

from __future__ import annotations

from chengzhen.errors import BadValue
from chengzhen.query import tasks as T
from chengzhen.query.compare import matrix
from chengzhen.query.coverage import coverage
from chengzhen.query.items import plan_info
from chengzhen.query.resolve import resolve_plans
from chengzhen.web.page import Page, multi, one, page_view, run

ROUTE = r"^/coverage(\.(?P<format>json|csv))?$"

BY = ("topic", "task", "term")
LEVELS = ("all", "top", "sub")
MAX_TERMS = 30


def coverage_page(conn, args: dict) -> Page:
    by = args["by"] or "topic"
    if by not in BY:
        raise BadValue("by", by, "choose topic, task or term")
    level = args["level"] or "all"
    if level not in LEVELS:
        raise BadValue("level", level, "choose all, top or sub")
    plans = resolve_plans(conn, args["plan"])
    terms = args["term"][:MAX_TERMS]
    ids = plans or [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]
    extra: dict = {}
    if by == "topic":
        m = matrix(conn, plans, level)
        rows = [{"key": c["topic"], "label": c["topic"], "sub": c["parent"] is not None,
                 "counts": {p: c[p] for p in ids}} for c in m["counts"]]
    elif by == "task":
        m = T.matrix(conn, plans, level)
        rows = [{"key": c["task"], "label": f"{c['number'] or ''}{c['title']}", "sub": c["type"] == "task",
                 "counts": {p: c[p] for p in ids}} for c in m["counts"]]
    else:
        rows = []
        if terms:
            got = coverage(conn, terms, plans)
            by_plan = {r["plan"]: r["counts"] for r in got["records"]}
            rows = [{"key": t, "label": t, "sub": False, "counts": {p: by_plan[p][t] for p in ids},
                     "how": got["how"][t]} for t in got["terms"]]
            extra = {"complete": got["complete"]}
    for r in rows:
        r["total"] = sum(r["counts"].values())
        r["silent"] = [p for p in ids if not r["counts"].get(p)]
    head = plan_info(conn, ids)
    flat = [{"row": r["key"], **{p: r["counts"].get(p, 0) for p in ids}, "total": r["total"]} for r in rows]
    data = {"by": by, "plans": head, "rows": rows, **extra}
    query = {"by": by, "plans": plans, "level": level if by != "term" else None,
             "terms": terms if by == "term" else None}
    title = {"topic": "覆盖：方案 × 主题", "task": "覆盖：方案 × 国家任务", "term": "覆盖：方案 × 检索词"}[by]
    return Page("coverage", "cz_coverage.html", title, data, query=query, csv=(["row", *ids, "total"], flat),
                context={"args": args, "by": by, "level": level, "terms_text": "\n".join(terms),
                         "plans_all": plan_info(conn, [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")])})


def _args(request) -> dict:
    return {"by": one(request, "by"), "level": one(request, "level"), "plan": multi(request, "plan"),
            "term": multi(request, "term")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: coverage_page(conn, args))


view = page_view(build)
