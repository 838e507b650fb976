"""The declared schema (store/schema.sql) against the code that relies on it."""

from __future__ import annotations

import sqlite3

from chengzhen.store import build, schema
from chengzhen.store.kinds import KINDS, KIND_SHIFT


def _declared() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    schema.create(conn)
    return conn


def test_docs_kind_is_read_from_the_rowid_as_store_kinds_numbers_it():
    """``docs.kind`` is generated from the rowid's kind bits: for every kind,
    a row numbered in that kind's block reads back as that kind."""
    conn = _declared()
    for i, kind in enumerate(KINDS):
        for seq in (1, (1 << KIND_SHIFT) - 1):  # the first and the last rowid of the block
            rowid = (i << KIND_SHIFT) | seq
            conn.execute("INSERT INTO docs (rowid, ref, plan_id, title) VALUES (?, 'r', 'p', 't')", (rowid,))
            assert conn.execute("SELECT kind FROM docs WHERE rowid = ?", (rowid,)).fetchone()[0] == kind


def test_every_built_docs_row_has_the_kind_of_its_rowid(real_db):
    conn = sqlite3.connect(f"file:{real_db}?mode=ro", uri=True)
    wrong = conn.execute("SELECT count(*) FROM docs").fetchone()[0] - sum(
        conn.execute("SELECT count(*) FROM docs WHERE rowid >> ? = ? AND kind = ?", (KIND_SHIFT, i, k)).fetchone()[0]
        for i, k in enumerate(KINDS))
    conn.close()
    assert wrong == 0


def test_a_plans_rows_are_reached_by_an_index_in_every_per_plan_table():
    """Deleting one plan's rows (an incremental build) reads an index in every
    per-plan table: an index or key led by plan_id, or the table's key is a
    measure or target id reached through the plan's measures or targets."""
    conn = _declared()
    for table in schema.per_plan_tables():
        if table == "docs":  # reached by the plan's rowid ranges
            continue
        if table in build._REACHED_THROUGH:
            key, parent = build._REACHED_THROUGH[table]
            sql = f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM {parent} WHERE plan_id = ?)"
        else:
            sql = f"DELETE FROM {table} WHERE plan_id = ?"
        plan = " ".join(r[-1] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", ("p",)))
        assert "SCAN" not in plan, f"{table}: {sql} scans ({plan})"
