"""`cz tasks`: the national plan's groups and tasks with each plan's
measures carrying each; with tasks named, each task with every plan's
measures side by side (`cz tasks ID`, `cz show national/1.4`)."""

from __future__ import annotations

from chengzhen.answers.answer import Answer
from chengzhen.answers.present import target_phrase

TASK_COLUMNS_HEAD = ["id", "type", "group", "number", "title"]
DETAIL_COLUMNS = ["task", "task_title", "plan", "plan_name", "id", "number", "title", "departments",
                  "plan_wide_departments", "targets", "tasks", "empty", "source_abridged", "text"]


def tasks(conn, words: list[str] | None = None, plan_words: list[str] | None = None) -> Answer:
    from chengzhen.query import tasks as T
    from chengzhen.query.resolve import resolve_plans

    plans = resolve_plans(conn, plan_words)
    ids = T.resolve_tasks(conn, words) if words else []
    asked = {"tasks": ids, "plans": plans}
    leaves = {n["id"] for n in T.nodes(conn) if n["leaf"]}
    if ids and all(i in leaves for i in ids):
        return detail(T.detail(conn, ids, plans), asked)
    return listing(T.coverage(conn, plans, only=T.expand(conn, ids) if ids else None), asked)


def listing(data: dict, query: dict) -> Answer:
    """The groups and tasks, per plan the ids of the measures carrying each."""
    plans = [p["id"] for p in data["plans"]]
    recs = []
    measures: dict[str, dict] = {}
    for r in data["rows"]:
        rec = {k: r[k] for k in ("id", "type", "group", "kind", "number", "title", "evidence", "note")}
        for p in plans:
            rec[p] = [m["id"] for m in r["measures"][p]]
            for m in r["measures"][p]:
                measures[m["id"]] = {"plan": p, "number": m["number"], "title": m["title"]}
        rec["carried_by"] = r["carried_by"]
        rec["silent"] = r["silent"]
        recs.append(rec)
    cols = [*TASK_COLUMNS_HEAD, *plans, "carried_by", "silent"]
    labels = {p["id"]: p["name"] for p in data["plans"]}
    return Answer("tasks", recs, cols, query=query, blocks={"plans": data["plans"], "measures": measures},
                  labels=labels, id_key="id", data=("listing", data),
                  found=any(r["carried_by"] for r in data["rows"]))


def detail(data: dict, query: dict, name: str = "tasks") -> Answer:
    """Each task with every plan's measures side by side: one record per
    task, plan and measure (a plan carrying none: one empty record)."""
    plans = data["plans"]
    recs = []
    for t in data["tasks"]:
        for p in plans:
            cells = t["cells"][p["id"]]
            for c in cells or [None]:
                recs.append({
                    "task": t["id"], "task_title": t["title"], "plan": p["id"], "plan_name": p["name"],
                    "id": c["id"] if c else None, "number": c["number"] if c else None,
                    "title": c["title"] if c else None, "departments": c["departments"] if c else [],
                    "plan_wide_departments": c["plan_wide_departments"] if c else [],
                    "targets": [target_phrase(x) for x in c["targets"]] if c else [],
                    "tasks": c["tasks"] if c else [], "empty": c is None, "source_abridged": p["abridged"],
                    "text": c["text"] if c else None,
                })
    info = [{k: t[k] for k in ("id", "type", "group", "kind", "number", "title", "evidence", "note", "carried_by",
                               "silent")} for t in data["tasks"]]
    return Answer(name, recs, DETAIL_COLUMNS, query=query, blocks={"plans": plans, "tasks": info}, id_key="id",
                  data=("detail", data), found=any(t["carried_by"] for t in data["tasks"]))
