"""What only a web page needs beside the answers every command gives:
the facets of a search result (how its hits divide by plan, kind, topic and
department) and the choices a form offers (the indicators and the places
targets are set for).  The answers themselves come from the modules the
commands use — ``search`` (hits, and lists without a query), ``tasks``,
``compare``, ``coverage``, ``cite``, ``catalog``.  Plain data in and out;
never prints.
"""

from __future__ import annotations

import sqlite3
from collections import Counter


def _marks(items) -> str:
    return ",".join("?" * len(items))


def facets(conn: sqlite3.Connection, hits: list[dict]) -> dict[str, list[dict]]:
    """Counts of ``hits`` (search hits as dicts) by plan, kind, topic and
    department (the last two through the measure a hit belongs to), largest
    first; plans in catalogue order among equals."""
    plan_names: dict[str, str] = {}
    by_plan: Counter = Counter()
    by_kind: Counter = Counter()
    measure_hits: Counter = Counter()
    for h in hits:
        by_plan[h["plan"]] += 1
        plan_names[h["plan"]] = h.get("plan_name") or h["plan"]
        by_kind[h["kind"]] += 1
        if h["kind"] in ("measure", "target"):
            measure_hits[h["id"]] += 1
    by_topic: Counter = Counter()
    by_dept: Counter = Counter()
    ids = list(measure_hits)
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        for mid, topic in conn.execute(
                f"SELECT measure_id, topic FROM measure_topics WHERE measure_id IN ({_marks(chunk)})", chunk):
            by_topic[topic] += measure_hits[mid]
        for mid, dept in conn.execute(
                f"SELECT DISTINCT measure_id, department FROM measure_departments WHERE measure_id IN ({_marks(chunk)})",
                chunk):
            by_dept[dept] += measure_hits[mid]
    order = {pid: n for n, (pid,) in enumerate(conn.execute("SELECT id FROM plans ORDER BY ord"))}

    def listed(counter: Counter, names: dict | None = None, key=None) -> list[dict]:
        items = sorted(counter.items(), key=key or (lambda kv: (-kv[1], kv[0])))
        return [{"value": v, "label": (names or {}).get(v, v), "count": n} for v, n in items]

    return {
        "plan": listed(by_plan, plan_names, key=lambda kv: (-kv[1], order.get(kv[0], 0))),
        "kind": listed(by_kind),
        "topic": listed(by_topic),
        "department": listed(by_dept),
    }


def indicators_in_use(conn: sqlite3.Connection) -> list[dict]:
    """The indicators some target uses, with their unit and how many targets
    and plans set them, most widely set first (a form's choices)."""
    return [{"name": n, "unit": u, "targets": t, "plans": p} for n, u, t, p in conn.execute(
        "SELECT t.indicator, i.unit, count(*), count(DISTINCT t.plan_id) FROM targets t "
        "LEFT JOIN indicators i ON i.name = t.indicator GROUP BY t.indicator "
        "ORDER BY count(DISTINCT t.plan_id) DESC, count(*) DESC, t.indicator")]


def target_places(conn: sqlite3.Connection) -> list[str]:
    """The places targets are set for — a target's scope, or its plan's
    region where it has none (what ``catalog.list_targets(scope=…)``
    matches) — most targets first (a form's choices)."""
    return [r[0] for r in conn.execute(
        "SELECT coalesce(t.scope, p.region) AS place FROM targets t JOIN plans p ON p.id = t.plan_id "
        "GROUP BY place ORDER BY count(*) DESC, place")]
