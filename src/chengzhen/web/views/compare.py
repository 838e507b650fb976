"""Compare: choose plans and a topic or a national task, and see their
measures side by side, aligned by the task they carry out
(``query.compare.compare``); then what is unique to each plan, the words
that set each apart, and the targets each sets.

``/compare?plan=guizhou&plan=qinghai&topic=住房保障`` or ``…&task=national/1.4``
is a stable URL.  With a task and no plans, the plans that carry the task
are compared (at most :data:`DEFAULT_PLANS` of them).
"""

from __future__ import annotations

from chengzhen.query import browse, catalog
from chengzhen.query.compare import compare, load_items
from chengzhen.query.resolve import resolve_plans
from chengzhen.web.page import Page, highlight, multi, one, page_view, run, spans_of

ROUTE = r"^/compare(\.(?P<format>json|csv))?$"

DEFAULT_PLANS = 6
COLUMNS = ["row", "score", "plan", "plan_name", "measure_id", "number", "title", "departments", "text"]


def compare_page(conn, args: dict) -> Page:
    plans_all = catalog.list_plans(conn)
    topics = catalog.list_topics(conn)
    tasks = browse.national_tasks(conn)
    form = {"plans_all": plans_all, "topics": topics, "tasks": tasks}
    ids = resolve_plans(conn, args["plan"])
    task = browse.national_task(conn, args["task"]) if args["task"] else None
    if task and not ids:
        have = _plans_of(conn, browse.task_measure_ids(conn, task["id"]))
        ids = [p["id"] for p in plans_all if p["id"] in have][:DEFAULT_PLANS]
    query = {"plans": ids, "topic": args["topic"], "task": task["id"] if task else None}
    if len(ids) < 2:
        data = {"plans": [{"id": p} for p in ids], "rows": [], "unique": {}, "needs": "two plans"}
        return Page("compare", "cz_compare.html", "对比", data, query=query, csv=(COLUMNS, []),
                    context={"form": form, "ready": False, "task": task})
    data = compare(conn, ids, args["topic"], task=task["id"] if task else None)
    terms = data.get("terms") or []
    carried = None
    if task:
        # one task: every plan's measures that carry it, side by side in one row
        # (zero visible), before the pairs the text similarity finds among them
        shown = {c["id"] for r in data["rows"] for c in r["cells"].values()} | \
            {c["id"] for cells in data["unique"].values() for c in cells}
        by_plan: dict[str, list[dict]] = {p: [] for p in ids}
        for it in load_items(conn, plans=ids, ids=[i for i in browse.task_measure_ids(conn, task["id"]) if i in shown]):
            by_plan[it.plan].append(it.as_dict())
        data["task_measures"] = by_plan
        carried = {p: [_cell(c, terms) for c in cells] for p, cells in by_plan.items()}
    names = {p["id"]: p["name"] for p in data["plans"]}
    rows = []
    for n, r in enumerate(data["rows"], 1):
        rows.append({"n": n, "score": r["score"], "shared_words": r.get("shared_words", []),
                     "cells": {p: _cell(c, terms) for p, c in r["cells"].items()}})
    unique = {p: [_cell(c, terms) for c in cells] for p, cells in data["unique"].items()}
    flat = []
    for n, r in enumerate(data["rows"], 1):
        for p, c in r["cells"].items():
            flat.append(_flat(n, r["score"], p, names, c))
    for p, cells in data["unique"].items():
        for c in cells:
            flat.append(_flat(None, None, p, names, c))
    what = task["title"] if task else (args["topic"] or "全部条目")
    title = "对比：" + " · ".join(names[p] for p in ids) + f"({what})"
    return Page("compare", "cz_compare.html", title, data, query=query, csv=(COLUMNS, flat),
                context={"form": form, "ready": True, "rows": rows, "unique": unique, "task": task,
                         "carried": carried})


def _plans_of(conn, measure_ids: list[str]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(measure_ids), 900):
        chunk = measure_ids[i:i + 900]
        out |= {r[0] for r in conn.execute(
            f"SELECT DISTINCT plan_id FROM measures WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
    return out


def _cell(c: dict, terms: list[str]) -> dict:
    text = c.get("text") or ""
    return {"item": c, "text_html": highlight(text, spans_of(text, terms)),
            "sentences": c.get("sentences")}


def _flat(n, score, plan: str, names: dict, c: dict) -> dict:
    return {"row": n, "score": score, "plan": plan, "plan_name": names.get(plan, plan), "measure_id": c["id"],
            "number": c.get("number"), "title": c.get("title"), "departments": c.get("departments") or [],
            "text": c.get("text")}


def _args(request) -> dict:
    return {"plan": multi(request, "plan"), "topic": one(request, "topic"), "task": one(request, "task")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: compare_page(conn, args))


view = page_view(build)
