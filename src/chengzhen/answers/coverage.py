"""`cz coverage` and the coverage page: plans × terms (how many units of
each plan mention each term, zeros shown), plans × topics (`cz matrix`) or
× national tasks (`cz matrix --by task`)."""

from __future__ import annotations

from chengzhen.answers.answer import Answer

MAX_TERMS = 30  # the page's limit on terms


def coverage(conn, terms: list[str], plan_words: list[str] | None = None) -> Answer:
    """Plans × terms.  JSON records keep the counts under ``counts`` (a term
    may be any text); the line formats have one column per term."""
    from chengzhen.query.coverage import coverage as do_coverage
    from chengzhen.query.resolve import resolve_plans

    plans = resolve_plans(conn, plan_words)
    data = do_coverage(conn, terms, plans)
    words = data["terms"]
    fixed = ["plan", "plan_name", "missing"]
    keys = {t: (t if t not in fixed else f"{t} (term)") for t in words}
    columns = ["plan", "plan_name", *keys.values(), "missing"]
    rows = [{"plan": r["plan"], "plan_name": r["plan_name"], **{keys[t]: r["counts"][t] for t in words},
             "missing": len(r["missing"])} for r in data["records"]]
    notes = [f"no plan mentions {t!r}; did you mean {' / '.join(data['how'][t]['did_you_mean'])}?"
             for t in words if data["how"][t]["did_you_mean"]]
    return Answer("coverage", data["records"], columns, query={"terms": list(terms), "plans": plans},
                  total=len(data["records"]), notes=notes,
                  blocks={"terms": words, "complete": data["complete"], "how": data["how"]},
                  labels={k: t for t, k in keys.items()}, rows=rows, id_key="plan", data=data,
                  found=data["complete"])


def grid(conn, by: str | None, level: str | None, plan_words: list[str] | None, terms: list[str]) -> Answer:
    """The coverage page's question: plans × topics (`cz matrix`), × national
    tasks (`cz matrix --by task`) or × terms (`cz coverage`) — the very
    answer of that command; ``by=term`` without terms: an empty answer (a
    form).  :func:`grid_rows` turns it into the page's grid."""
    from chengzhen.answers import args
    from chengzhen.answers.compare import matrix
    from chengzhen.query.resolve import resolve_plans

    by = args.choice("by", by, args.COVERAGE_BY, "topic")
    if by in ("topic", "task"):
        ans = matrix(conn, plan_words, level, by)
    elif terms:
        args.choice("level", level, args.LEVELS, "all")
        ans = coverage(conn, terms[:MAX_TERMS], plan_words)
    else:
        args.choice("level", level, args.LEVELS, "all")
        plans = resolve_plans(conn, plan_words)
        ans = Answer("coverage", [], ["plan", "plan_name", "missing"], query={"terms": [], "plans": plans},
                     blocks={"terms": [], "complete": True, "how": {}}, id_key="plan", found=False)
    return ans


def grid_rows(conn, ans: Answer) -> tuple[list[dict], list[dict]]:
    """(plans, rows) of the grid a coverage answer draws: one row per topic,
    national group or task, or term — its ``counts`` per plan, ``total``,
    the plans ``silent`` on it — every zero shown."""
    from chengzhen.query.browse import plan_ids
    from chengzhen.query.items import plan_info

    if ans.name == "matrix":
        head = ans.blocks["plans"]
        ids = [p["id"] for p in head]
        if ans.query["by"] == "topic":
            rows = [{"key": c["topic"], "label": c["topic"], "sub": c["parent"] is not None,
                     "counts": {p: c[p] for p in ids}} for c in ans.records]
        else:
            rows = [{"key": c["task"], "label": f"{c['number'] or ''}{c['title']}", "sub": c["type"] == "task",
                     "counts": {p: c[p] for p in ids}} for c in ans.records]
    else:
        ids = ans.query["plans"] or plan_ids(conn)
        head = plan_info(conn, ids)
        by_plan = {r["plan"]: r["counts"] for r in ans.records}
        rows = [{"key": t, "label": t, "sub": False, "counts": {p: by_plan[p][t] for p in ids},
                 "how": ans.blocks["how"][t]} for t in ans.blocks["terms"]]
    for r in rows:
        r["total"] = sum(r["counts"].values())
        r["silent"] = [p for p in ids if not r["counts"].get(p)]
    return head, rows
