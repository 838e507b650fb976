"""A full build with its plans' rows made by worker processes is the same
database as one made in a single process: the same rows, the same index, the
same first error when a plan is broken, and nothing left behind."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from chengzhen.errors import DataError
from chengzhen.store.build import build
from conftest import DATA, make_tiny, table_rows


def _content(db: Path) -> dict:
    out = table_rows(db)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    # the index: for each character, the rows holding it, in rank order
    chars = sorted({ch for (t,) in conn.execute("SELECT coalesce(title, '') || text FROM measures") for ch in t if ch.isalnum()})
    out["docs_fts"] = {ch: conn.execute("SELECT rowid, round(bm25(docs_fts), 6) FROM docs_fts WHERE docs_fts "
                                        "MATCH ? ORDER BY rank, rowid", (f'"{ch.lower()}"',)).fetchall()
                       for ch in chars}
    conn.close()
    return out


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workers")
    one, two = tmp / "one.db", tmp / "two.db"
    assert build(DATA, one, full=True, jobs=1)["mode"] == "full"
    assert build(DATA, two, full=True, jobs=2)["mode"] == "full"
    return one, two


def test_workers_build_the_same_database(two_builds):
    one, two = two_builds
    a, b = _content(one), _content(two)
    assert a.keys() == b.keys()
    for table in a:
        assert a[table] == b[table], table
    assert len(a["docs_fts"]) > 1000


def test_nothing_left_beside_the_database(two_builds):
    for db in two_builds:
        assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name)) == \
            [db.name, db.name + ".lock"]


def test_a_broken_plan_stops_a_worker_build_with_its_error(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    make_tiny(tmp_path / "tiny")
    # a quote that is not in its source, in the second plan of the catalogue
    second = root / "plans" / "qinghai.yaml"
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace("quote: ", "quote: 并非原文", 1), encoding="utf-8")
    errors = []
    for jobs in (1, 2):
        db = tmp_path / f"db{jobs}" / "chengzhen.db"
        with pytest.raises(DataError) as exc:
            build(root, db, full=True, jobs=jobs)
        errors.append((str(exc.value), exc.value.path, exc.value.line, exc.value.code, exc.value.item))
        assert not db.exists()
        assert [p.name for p in db.parent.iterdir()] == [db.name + ".lock"]
    assert errors[0] == errors[1]
    assert errors[0][1].endswith("qinghai.yaml") and errors[0][2]
