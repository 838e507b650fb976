"""The catalogue an update reads from the database (store/build.py) is the
catalogue plans.yaml holds: after any edit of plans.yaml — an entry added,
removed, moved or changed, comments — reusing the unchanged entries and
parsing the others gives what parsing the whole file gives."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pytest

from chengzhen.errors import DataError
from chengzhen.kb.loader import catalogue_chunks as _chunks
from chengzhen.kb.loader import label_for, load_catalogue
from chengzhen.store.build import _entry_json, _reparse_catalogue, build
from conftest import DATA


def _entries(root):
    return [_entry_json(p) for p in load_catalogue(root)]


def _entry_text(cat: str, pid: str) -> str:
    return re.search(rf"\n  - id: {pid}\n.*?(?=\n  - id: |\Z)", cat, re.S).group(0)


EDITS = {
    "unchanged": lambda cat: cat,
    "entry removed": lambda cat: cat.replace(_entry_text(cat, "hunan"), ""),
    "entry added": lambda cat: cat.rstrip("\n") + _entry_text(cat, "hebei").replace("id: hebei", "id: hebeicopy")
    .replace("short_name: 河北", "short_name: 河北副本") + "\n",
    "entry moved": lambda cat: cat.replace(_entry_text(cat, "guizhou"), "").rstrip("\n")
    + _entry_text(cat, "guizhou") + "\n",
    "field changed": lambda cat: cat.replace("short_name: 河北", "short_name: 冀"),
    "comment added": lambda cat: cat.replace("\n  - id: qinghai\n", "\n  # 青海\n  - id: qinghai\n"),
    "lines inserted above": lambda cat: cat.replace("plans:\n", "plans:\n\n\n", 1),
}


REPARSED = {"unchanged": {0}, "entry removed": {0}, "entry added": {1, 2}, "entry moved": {0, 1, 2},
            "field changed": {1}, "comment added": {1}, "lines inserted above": {0}}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_reusing_unchanged_entries_gives_the_whole_parse(tmp_path, edit):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    db = tmp_path / "db"
    build(root, db)
    conn = sqlite3.connect(db)
    cached = json.loads(conn.execute("SELECT entries FROM catalogue").fetchone()[0])
    conn.close()
    assert all(chunk for _e, chunk, _s in cached), "the real catalogue splits into entries"
    cat = (root / "plans.yaml").read_text(encoding="utf-8")
    (root / "plans.yaml").write_text(EDITS[edit](cat), encoding="utf-8")
    entries, reusable, record = _reparse_catalogue(root, label_for(root, "plans.yaml"), cached)
    assert entries == _entries(root)
    assert reusable.count(False) in REPARSED[edit]
    assert [e for e, _c, _s in json.loads(record)] == entries


def test_an_entry_that_does_not_parse_is_reported_from_the_whole_file(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    db = tmp_path / "db"
    build(root, db)
    cat = (root / "plans.yaml").read_text(encoding="utf-8")
    (root / "plans.yaml").write_text(cat.replace("    level: province\n", "    level: planet\n", 1), encoding="utf-8")
    with pytest.raises(DataError) as got:
        build(root, db)
    with pytest.raises(DataError) as whole:
        load_catalogue(root)
    assert str(got.value) == str(whole.value)
    # a duplicate id: the error of the whole file too
    (root / "plans.yaml").write_text(cat.rstrip("\n") + _entry_text(cat, "hebei") + "\n", encoding="utf-8")
    with pytest.raises(DataError) as got:
        build(root, db)
    assert got.value.code == "E120"


@pytest.mark.parametrize("text", [
    "plans: []\n",
    "plans:\n- id: a\n  name: x\nother: 1\n",
    "# c\nplans:\n  - id: a\n x: 1\n",
    "---\nplans:\n  - id: a\n",
])
def test_layouts_it_does_not_split_are_parsed_whole(text):
    assert _chunks(text) is None


def test_the_split_follows_entries():
    text = "# head\nplans:\n  # first\n  - id: a\n    skip:\n    - {lines: 1}\n\n  - id: b\n    name: y\n"
    lines, head, spans = _chunks(text)
    assert head == 1 and spans == [(3, 7), (7, 10)]
