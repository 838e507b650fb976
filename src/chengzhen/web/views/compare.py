"""Compare, as `cz compare` does (``answers/compare.py``): choose plans
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
``answers.compare.MAX_AUTO_PLANS``), so who carries none shows, as
`cz compare --task …` without plans does.
"""

from __future__ import annotations

from chengzhen.answers.compare import compare
from chengzhen.answers.present import target_phrase, unit_label
from chengzhen.query import catalog
from chengzhen.query import tasks as T
from chengzhen.web.page import Page, highlight, multi, one, page_view, run, spans_of

ROUTE = r"^/compare(\.(?P<format>json|csv))?$"


def compare_page(conn, args: dict) -> Page:
    plans_all = catalog.list_plans(conn)
    nodes = T.nodes(conn)
    form = {"plans_all": plans_all, "topics": catalog.list_topics(conn), "nodes": nodes}
    ans = compare(conn, args["plan"], args["topic"], args["task"] or None, args["by"], allow_fewer=True)
    by = ans.query["by"]
    labels = {n["id"]: n for n in nodes}
    chosen_nodes = [labels[i] for i in ans.query["tasks"] if i in labels]
    auto = ans.blocks.get("auto")
    if ans.data is None:
        return Page("compare", "cz_compare.html", "对比", dict(ans.blocks), answer=ans, csv=True,
                    context={"form": form, "ready": False, "chosen": chosen_nodes, "by": by})
    data = ans.data
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
    return Page("compare", "cz_compare.html", title, data, answer=ans, csv=True,
                context={"form": form, "ready": True, "rows": rows, "unique": unique, "review": review,
                         "chosen": chosen_nodes, "by": by, "auto": auto,
                         "n_task_rows": sum(1 for r in data["rows"] if r["basis"] == "task")})


def _cell(c: dict, terms: list[str]) -> dict:
    text = c.get("text") or ""
    return {"item": c, "text_html": highlight(text, spans_of(text, terms)), "label": unit_label(c),
            "title_as_written": bool(c.get("title")),
            "targets": [target_phrase(t) for t in c.get("targets") or []]}


def _args(request) -> dict:
    return {"plan": multi(request, "plan"), "topic": one(request, "topic"), "task": multi(request, "task"),
            "by": one(request, "by")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: compare_page(conn, args))


view = page_view(build)


def examples(conn) -> list[str]:
    """The form; the first two plans; a national task across every plan."""
    from chengzhen.query.browse import most_used, plan_ids

    plans = plan_ids(conn)[:2]
    task = most_used(conn, "task", by="plans only")
    out = [f"/compare?plan={plans[0]}&plan={plans[1]}"] if len(plans) == 2 else []
    out.append("/compare")
    if task:
        out.append(f"/compare?task={task}")
    return out
