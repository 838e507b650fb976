"""`cz depts`: the departments (责任单位) with their measures per plan — how
often each is listed first (the source's order) and, only where the source
writes 牵头, leads; with a name, that department's measures across plans."""

from __future__ import annotations

from chengzhen.answers.answer import Answer

MEASURE_COLUMNS = ["department", "plan", "plan_name", "measure_id", "number", "title", "as_written",
                   "position", "listed_first", "lead", "all_tasks", "line"]


def depts(conn, name: str | None = None, plan_words: list[str] | None = None) -> Answer:
    from chengzhen.query import catalog as Q
    from chengzhen.query.resolve import resolve_departments, resolve_plans

    plans = resolve_plans(conn, plan_words)
    if name:
        deps = resolve_departments(conn, [name])
        rows = Q.department_measures(conn, deps, plans)
        return Answer("depts", rows, MEASURE_COLUMNS, query={"name": name, "plans": plans},
                      blocks={"departments": deps}, id_key="measure_id", data=("measures", deps))
    rows = Q.department_counts(conn, plans)
    every = [p for p in Q.list_plans(conn) if not plans or p["id"] in plans]
    flat = []
    for d in rows:
        rec = {"department": d["department"], "measures": d["measures"], "listed_first": d["listed_first"],
               "lead": d["lead"]}
        for p in every:
            c = d["plans"].get(p["id"], {"measures": 0, "listed_first": 0, "lead": 0})
            rec[f"{p['id']}_measures"] = c["measures"]
            rec[f"{p['id']}_listed_first"] = c["listed_first"]
            rec[f"{p['id']}_lead"] = c["lead"]
        flat.append(rec)
    cols = ["department", "measures", "listed_first", "lead"] + [
        f"{p['id']}_{k}" for p in every for k in ("measures", "listed_first", "lead")]
    labels = {f"{p['id']}_{k}": f"{p['short_name']}{lab}" for p in every
              for k, lab in (("measures", "条目"), ("listed_first", "首列"), ("lead", "牵头"))}
    return Answer("depts", flat, cols, query={"plans": plans}, labels=labels, id_key="department",
                  data=("counts", rows, every))
