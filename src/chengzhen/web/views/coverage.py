"""Coverage: who covers what, and who is silent — plans × topics, plans ×
national tasks, or plans × terms the reader types.  Every zero is shown."""

from __future__ import annotations

from chengzhen.errors import BadValue
from chengzhen.query import browse
from chengzhen.query.compare import matrix
from chengzhen.query.resolve import resolve_plans
from chengzhen.web.page import Page, multi, one, page_view, run

ROUTE = r"^/coverage(\.(?P<format>json|csv))?$"

BY = ("topic", "task", "term")
MAX_TERMS = 30


def coverage_page(conn, args: dict) -> Page:
    by = args["by"] or "topic"
    if by not in BY:
        raise BadValue("by", by, "choose topic, task or term")
    level = args["level"] or "all"
    if level not in ("all", "top", "sub"):
        raise BadValue("level", level, "choose all, top or sub")
    plans = resolve_plans(conn, args["plan"])
    terms = args["term"][:MAX_TERMS]
    if by == "topic":
        m = matrix(conn, plans, level)
        ids = [p["id"] for p in m["plans"]]
        rows = [{"key": c["topic"], "label": c["topic"], "sub": c["parent"] is not None,
                 "counts": {p: c[p] for p in ids}} for c in m["counts"]]
        head = m["plans"]
    elif by == "task":
        t = browse.task_coverage(conn, plans)
        rows = [{"key": r["id"], "label": f"{r['number'] or ''}{r['title']}", "sub": r["level"] == "task",
                 "counts": r["counts"]} for r in t["rows"]]
        head = t["plans"]
    else:
        t = browse.term_coverage(conn, terms, plans) if terms else {"plans": _plans(conn, plans), "rows": []}
        rows = [{"key": r["term"], "label": r["term"], "sub": False, "counts": r["counts"], "terms": r["terms"]}
                for r in t["rows"]]
        head = t["plans"]
    ids = [p["id"] for p in head]
    for r in rows:
        r[by] = r["key"]
        r["total"] = sum(r["counts"].values())
        r["silent"] = [p for p in ids if not r["counts"].get(p)]
    flat = [{"row": r["key"], **{p: r["counts"].get(p, 0) for p in ids}, "total": r["total"]} for r in rows]
    data = {"by": by, "plans": head, "rows": rows}
    query = {"by": by, "plans": plans, "level": level if by == "topic" else None, "terms": terms if by == "term" else None}
    title = {"topic": "覆盖：方案 × 主题", "task": "覆盖：方案 × 国家任务", "term": "覆盖：方案 × 检索词"}[by]
    return Page("coverage", "cz_coverage.html", title, data, query=query, csv=(["row", *ids, "total"], flat),
                context={"args": args, "by": by, "level": level, "terms_text": "\n".join(terms),
                         "plans_all": _plans(conn, None)})


def _plans(conn, ids):
    from chengzhen.query.catalog import list_plans

    rows = list_plans(conn)
    return [{"id": p["id"], "name": p["short_name"]} for p in rows if not ids or p["id"] in ids]


def _args(request) -> dict:
    return {"by": one(request, "by"), "level": one(request, "level"), "plan": multi(request, "plan"),
            "term": multi(request, "term")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: coverage_page(conn, args))


view = page_view(build)
