"""The lists a reader browses by: the plans in catalogue order, the names a
form or a shell completion offers (indicators, places, topics,
departments, ids), and what the search page's facets count hits by (the
topics and departments of measures).  Plain data in and out; never prints.
"""

from __future__ import annotations

import sqlite3


def _marks(items) -> str:
    return ",".join("?" * len(items))


def plan_ids(conn: sqlite3.Connection) -> list[str]:
    """Every plan id, in catalogue order."""
    return [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]


# the names each kind of shell completion offers
NAMES = {
    "plans": "SELECT id FROM plans ORDER BY ord",
    "topics": "SELECT name FROM topic_names ORDER BY name",
    "departments": "SELECT name FROM departments ORDER BY name",
    "indicators": "SELECT DISTINCT indicator FROM targets ORDER BY indicator",
    "ids": "SELECT id FROM plans UNION ALL SELECT id FROM measures UNION ALL SELECT DISTINCT annex_id FROM annex_rows "
           "UNION ALL SELECT id FROM national_groups UNION ALL SELECT id FROM national_tasks",
    "tasks": "SELECT id FROM national_groups UNION ALL SELECT id FROM national_tasks",
}


def names(conn: sqlite3.Connection, kind: str) -> list[str]:
    """The names of one kind (:data:`NAMES`): plans, topics, departments,
    indicators, ids, tasks."""
    return [r[0] for r in conn.execute(NAMES[kind])]


def measure_ids(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM measures")]


def measure_topics_and_departments(conn: sqlite3.Connection, ids: list[str]) -> tuple[list[tuple], list[tuple]]:
    """(measure id, topic) and (measure id, department) pairs of ``ids``
    (each department once per measure)."""
    topics: list[tuple] = []
    depts: list[tuple] = []
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        topics += conn.execute(
            f"SELECT measure_id, topic FROM measure_topics WHERE measure_id IN ({_marks(chunk)})", chunk).fetchall()
        depts += conn.execute(
            f"SELECT DISTINCT measure_id, department FROM measure_departments WHERE measure_id IN ({_marks(chunk)})",
            chunk).fetchall()
    return topics, depts


def indicators_in_use(conn: sqlite3.Connection) -> list[dict]:
    """The indicators some target uses, with their unit and how many targets
    and plans set them, most widely set first (a form's choices)."""
    return [{"name": n, "unit": u, "targets": t, "plans": p} for n, u, t, p in conn.execute(
        "SELECT t.indicator, i.unit, count(*), count(DISTINCT t.plan_id) FROM targets t "
        "LEFT JOIN indicators i ON i.name = t.indicator GROUP BY t.indicator "
        "ORDER BY count(DISTINCT t.plan_id) DESC, count(*) DESC, t.indicator")]


def target_places(conn: sqlite3.Connection) -> list[str]:
    """The places targets are set for — a target's scope as written, or its
    plan's region where it has none; each names what ``--scope`` selects
    with query/places.py — most targets first (a form's choices)."""
    return [r[0] for r in conn.execute(
        "SELECT coalesce(t.scope, p.region) AS place FROM targets t JOIN plans p ON p.id = t.plan_id "
        "GROUP BY place ORDER BY count(*) DESC, place")]


def progress_places(conn: sqlite3.Connection) -> list[str]:
    """The places targets are set in, by their names (the places of the
    plans that set targets, as the place book names them, and every scope),
    for the progress form: a plan with no target offers no choice."""
    rows = conn.execute("SELECT DISTINCT p.name FROM plan_places pp JOIN places p ON p.code = pp.place "
                        "WHERE pp.plan_id IN (SELECT plan_id FROM targets) "
                        "UNION SELECT DISTINCT scope FROM targets WHERE scope IS NOT NULL").fetchall()
    return sorted({r[0] for r in rows} | set(target_places(conn)))


# --------------------------------------------------------------------------- what a page shows first (its examples)

# the names each kind is used by: (table, column, which rows)
_USES = {
    "topic": ("measure_topics", "topic", ""),
    "department": ("measure_departments", "department", ""),
    "task": ("measure_tasks", "task_id", ""),
    "indicator": ("targets", "indicator", "WHERE value IS NOT NULL"),  # a target with a figure
    "statistic": ("statistics", "indicator", ""),  # an indicator the statistics measure
}
_ORDERS = {"plans": "count(DISTINCT plan_id) DESC, count(*) DESC", "plans only": "count(DISTINCT plan_id) DESC",
           "rows": "count(*) DESC"}


def most_used(conn: sqlite3.Connection, kind: str, *, by: str = "plans") -> str | None:
    """The name of a kind (:data:`_USES`: topic, department, task,
    indicator, statistic) used the most: by the most plans, then the most
    rows (``by="plans"``); by the most plans alone, the first name among
    equals (``"plans only"``); by the most rows (``"rows"``).  None when
    none is used."""
    table, column, where = _USES[kind]
    row = conn.execute(f"SELECT {column} FROM {table} {where} GROUP BY {column} ORDER BY {_ORDERS[by]} "
                       "LIMIT 1").fetchone()
    return row[0] if row else None


def frequent_word(conn: sqlite3.Connection, min_chars: int = 2) -> str | None:
    """The indexed word of at least ``min_chars`` characters the most units hold."""
    row = conn.execute("SELECT word FROM vocab WHERE length(word) >= ? ORDER BY df DESC LIMIT 1",
                       (min_chars,)).fetchone()
    return row[0] if row else None


def plans_longest_first(conn: sqlite3.Connection) -> list[str]:
    """Every plan id, the longest source text first (then catalogue order)."""
    return [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY n_lines DESC, ord")]


def first_unit_of_kind(conn: sqlite3.Connection, kind: str) -> tuple[str, str] | None:
    """(plan id, unit id) of the first unit of a kind (``measure``,
    ``table``…), plans in id order, units in source order."""
    row = conn.execute("SELECT plan_id, id FROM measures WHERE kind = ? ORDER BY plan_id, ord LIMIT 1",
                       (kind,)).fetchone()
    return (row[0], row[1]) if row else None


def fullest_measure(conn: sqlite3.Connection) -> str | None:
    """The first unit (plans in id order) with 责任单位, a target and a
    national task; else the first unit."""
    row = conn.execute(
        "SELECT m.id FROM measures m WHERE EXISTS (SELECT 1 FROM measure_departments d WHERE d.measure_id = m.id) "
        "AND EXISTS (SELECT 1 FROM targets t WHERE t.measure_id = m.id) "
        "AND EXISTS (SELECT 1 FROM measure_tasks k WHERE k.measure_id = m.id) ORDER BY m.plan_id, m.ord LIMIT 1"
    ).fetchone() or conn.execute("SELECT id FROM measures ORDER BY plan_id, ord LIMIT 1").fetchone()
    return row[0] if row else None


def publication_years(conn: sqlite3.Connection, n: int) -> list[int]:
    """The ``n`` latest years by which the statistics' sources were
    published, latest first."""
    return [r[0] for r in conn.execute("SELECT DISTINCT known_by FROM statistic_sources WHERE known_by IS NOT NULL "
                                       "ORDER BY known_by DESC LIMIT ?", (n,))]
