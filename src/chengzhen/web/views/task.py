"""A national task (``/task/national/1.4``): each plan's measures carrying
it side by side, an empty cell where a plan carries none (flagged when its
source is abridged) — `cz tasks national/1.4` (``answers/tasks.py``).  A
group (``/task/national/1``) lists its tasks with the plans carrying each,
as `cz tasks national/1` does."""

from __future__ import annotations

from chengzhen.answers.tasks import tasks
from chengzhen.errors import UnknownName
from chengzhen.query import tasks as T
from chengzhen.web.page import Page, page_view, run
from chengzhen.web.views.entity import missing_in_path, path_word

ROUTE = r"^/task/(?P<id>[^?#]+?)(\.(?P<format>json|csv))?$"


def task_page(conn, word: str) -> Page:
    try:
        ans = tasks(conn, [word])
    except UnknownName as exc:
        raise missing_in_path(exc) from None
    nodes = {n["id"]: n for n in T.nodes(conn)}
    kind = ans.data[0]
    asked = [nodes[i] for i in ans.query["tasks"] if i in nodes]
    groups = {n["group"] for n in asked if n.get("group")}
    trail = [nodes[g] for g in groups if g in nodes]
    if kind == "detail":
        data = ans.data[1]
        cards = []
        for t in data["tasks"]:
            cards.append({"task": t, "node": nodes.get(t["id"]),
                          "plans": [{"plan": p, "cells": t["cells"][p["id"]]} for p in data["plans"]]})
        title = "国家任务：" + "、".join(T.label(n) for n in asked)
        carried = sum(t["carried_by"] for t in data["tasks"])
        desc = (f"《深入实施以人为本的新型城镇化战略五年行动计划》{'、'.join(T.label(n) for n in asked)}："
                f"{len(data['plans'])} 部规划中 {carried} 部有条目落实，各方案条目并排。")
        return Page("task", "cz_task.html", title, {"tasks": ans.blocks["tasks"]}, answer=ans, csv=True,
                    context={"mode": "detail", "cards": cards, "plans": data["plans"], "trail": trail,
                             "asked": asked, "description": desc})
    data = ans.data[1]
    rows = []
    for r in data["rows"]:
        rows.append({"row": r, "node": nodes.get(r["id"]),
                     "plans": [{"plan": p, "measures": r["measures"][p["id"]]} for p in data["plans"]]})
    title = "国家任务：" + "、".join(T.label(n) for n in asked)
    desc = f"《深入实施以人为本的新型城镇化战略五年行动计划》{'、'.join(T.label(n) for n in asked)}的各项任务，及落实每项任务的规划。"
    return Page("task", "cz_task.html", title, {"rows": ans.records}, answer=ans, csv=True,
                context={"mode": "listing", "rows": rows, "plans": data["plans"], "trail": trail, "asked": asked,
                         "description": desc})


async def build(request, datasette, fmt):
    word = path_word(request, "id")
    return await run(datasette, lambda conn: task_page(conn, word))


view = page_view(build)


def examples(conn) -> list[str]:
    """A task some plans carry and some do not (else the first), and the first group."""
    from chengzhen.query.tasks import coverage

    rows = coverage(conn)["rows"]
    n = len(coverage(conn)["plans"])
    leaves = [r for r in rows if r["type"] == "task"]
    partial = [r for r in leaves if 0 < r["carried_by"] < n] or leaves
    groups = [r for r in rows if r["type"] == "group"]
    return [f"/task/{r['id']}" for r in partial[:1] + groups[:1]]
