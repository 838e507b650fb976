"""Compare, as `cz compare` does (``query.compare.compare``): choose plans
and a topic (or any word) or national task(s), and see the measures side by
side — first one row per national task the measures carry, in the national
order, each plan's measures in its cell and an empty cell where a plan
carries none (flagged when its source is abridged: silence may be a cut);
then the measures no task covers, aligned by wording (``by=text``: wording
only).  Then what is unique to each plan, the measures of review sections
(never aligned), the words that set each plan apart, and the targets each
sets (a restated target once).

``/compare?plan=guizhou&plan=qinghai&topic=住房保障`` or ``…&task=national/1.4``
is a stable URL.  A task with no plans compares every plan (at most
:data:`MAX_AUTO_PLANS`), so who carries none shows.
"""

from __future__ import annotations

from chengzhen.errors import BadValue
from chengzhen.query import catalog
from chengzhen.query import tasks as T
from chengzhen.query.compare import RECORD_COLUMNS, compare, records
from chengzhen.query.items import lead_phrase, target_phrase
from chengzhen.query.resolve import resolve_plans
from chengzhen.web.page import Page, highlight, multi, one, page_view, run, spans_of

ROUTE = r"^/compare(\.(?P<format>json|csv))?$"

MAX_AUTO_PLANS = 8
BY = ("task", "text")


def compare_page(conn, args: dict) -> Page:
    plans_all = catalog.list_plans(conn)
    nodes = T.nodes(conn)
    form = {"plans_all": plans_all, "topics": catalog.list_topics(conn), "nodes": nodes}
    by = args["by"] or "task"
    if by not in BY:
        raise BadValue("alignment", by, "choose task or text")
    ids = resolve_plans(conn, args["plan"])
    chosen = T.resolve_tasks(conn, args["task"]) if args["task"] else []
    auto = None
    if chosen and not ids:
        ids = [p["id"] for p in plans_all][:MAX_AUTO_PLANS]
        auto = {"shown": len(ids), "of": len(plans_all)}
    labels = {n["id"]: n for n in nodes}
    chosen_nodes = [labels[i] for i in chosen]
    query = {"plans": ids, "topic": args["topic"], "tasks": chosen, "by": by}
    if len(ids) < 2:
        data = {"plans": [{"id": p} for p in ids], "rows": [], "unique": {}, "needs": "two plans"}
        return Page("compare", "cz_compare.html", "对比", data, query=query, csv=(RECORD_COLUMNS, []),
                    context={"form": form, "ready": False, "chosen": chosen_nodes, "by": by})
    data = compare(conn, ids, args["topic"], tasks=args["task"] or None, by=by)
    terms = data.get("terms") or []
    plans = data["plans"]
    rows = []
    for n, r in enumerate(data["rows"], 1):
        rows.append({"n": n, "basis": r["basis"], "task": r["task"], "score": r["score"],
                     "shared_words": r.get("shared_words", []), "filtered_out": r.get("filtered_out", {}),
                     "cells": {p["id"]: [_cell(c, terms) for c in r["cells"].get(p["id"], [])] for p in plans}})
    unique = {p["id"]: [_cell(c, terms) for c in data["unique"][p["id"]]] for p in plans}
    review = {p["id"]: [_cell(c, terms) for c in data["review"][p["id"]]] for p in plans}
    names = {p["id"]: p["name"] for p in plans}
    what = [f"国家任务 {'、'.join(T.label(x) for x in chosen_nodes)}"] if chosen_nodes else []
    if args["topic"]:
        what.append(f"主题 {args['topic']}")
    title = "对比：" + " · ".join(names[p["id"]] for p in plans) + (f" — {'；'.join(what)}" if what else "")
    return Page("compare", "cz_compare.html", title, data, query=query, csv=(RECORD_COLUMNS, records(data)),
                context={"form": form, "ready": True, "rows": rows, "unique": unique, "review": review,
                         "chosen": chosen_nodes, "by": by, "auto": auto,
                         "n_task_rows": sum(1 for r in data["rows"] if r["basis"] == "task")})


def _cell(c: dict, terms: list[str]) -> dict:
    text = c.get("text") or ""
    return {"item": c, "text_html": highlight(text, spans_of(text, terms)),
            "label": f"{c.get('number') or ''}{c.get('title') or lead_phrase(text)}",
            "title_as_written": bool(c.get("title")),
            "targets": [target_phrase(t) for t in c.get("targets") or []]}


def _args(request) -> dict:
    return {"plan": multi(request, "plan"), "topic": one(request, "topic"), "task": multi(request, "task"),
            "by": one(request, "by")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: compare_page(conn, args))


view = page_view(build)
