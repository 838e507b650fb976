"""Places and statistics wired in (issue 23): `cz validate` checks every
plan's region and every target's scope against the place vocabulary and
every statistics file; `cz build` stores them — the stored readings are what
kb/places.py reads, each statistic is its file's figure, and a changed
statistics file moves only its own rows (incremental)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from chengzhen.store.build import build
from conftest import DATA, run_cz, table_rows


def _copy(dst: Path) -> Path:
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("build"))
    return dst


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _validate(root: Path, db: Path) -> tuple[int, dict]:
    got = run_cz(["validate", "-f", "json"], env={"CZ_DATA": str(root), "CZ_DB": str(db)})
    assert got.code in (0, 1), got.err
    return got.code, json.loads(got.out)


def _problems(doc: dict) -> list[dict]:
    return doc["problems"]  # every problem of every file (a plan's also in its record)


@pytest.fixture(scope="module")
def book():
    from chengzhen.kb.places import load_places

    return load_places(DATA)


# --------------------------------------------------------------------------- validate

def test_every_plan_has_a_region_place_and_every_scope_is_read(real_db, conn, book):
    """By definition over the data: the region of every plan names exactly
    one place; every target's scope names nothing unknown.  `cz validate`
    (exit 0 on the real data) checks the same."""
    for pid, region in conn.execute("SELECT id, region FROM plans"):
        assert len(book.resolve(region)) == 1, (pid, region)
        place = book.resolve_one(region)
        for tid, scope in conn.execute("SELECT id, scope FROM targets WHERE plan_id = ? AND scope IS NOT NULL", (pid,)):
            assert not book.read_scope(scope, place).unresolved, (tid, scope)


def test_a_region_naming_no_place_is_E176_at_its_line(tmp_path):
    root = _copy(tmp_path / "data")
    # the first plan file whose catalogue entry (its `plan:` mapping) writes a region
    path, m = next((p, m) for p in sorted((root / "plans").glob("*.yaml"))
                   for m in [re.search(r"^  region: (\S+)$", p.read_text(encoding="utf-8"), re.M)] if m)
    text = path.read_text(encoding="utf-8")
    _edit(path, m.group(0), "  region: 火星省")
    line = text[:m.start()].count("\n") + 1
    code, doc = _validate(root, tmp_path / "db")
    assert code == 1
    hits = [p for p in _problems(doc) if p["code"] == "E176"]
    assert len(hits) == 1 and hits[0]["file"].endswith(path.name) and hits[0]["file_line"] == line
    assert "火星省" in hits[0]["message"]


def test_a_scope_naming_nothing_known_is_E177(tmp_path):
    root = _copy(tmp_path / "data")
    plan = next(p for p in sorted((root / "plans").glob("*.yaml")) if "\n" in p.read_text(encoding="utf-8")
                and re.search(r"^\s+scope: \S+$", p.read_text(encoding="utf-8"), re.M))
    text = plan.read_text(encoding="utf-8")
    m = re.search(r"^(\s+)scope: (\S+)$", text, re.M)
    _edit(plan, m.group(0), f"{m.group(1)}scope: 火星城")
    code, doc = _validate(root, tmp_path / "db")
    assert code == 1
    hits = [p for p in _problems(doc) if p["code"] == "E177"]
    assert len(hits) == 1 and "火星城" in hits[0]["message"]
    assert hits[0]["file"].endswith(plan.name) and hits[0]["file_line"] == text[:m.start()].count("\n") + 1


# each fault and each way of building in the quick suite (the serial build's region, the workers' scope); all four
# pairs in the slow pass
@pytest.mark.parametrize("jobs,fault", [(1, "region"), (2, "scope"),
                                        pytest.param(2, "region", marks=pytest.mark.slow),
                                        pytest.param(1, "scope", marks=pytest.mark.slow)])
def test_a_plan_whose_places_do_not_read_is_not_built(tmp_path, built_copy, fault, jobs):
    """`cz validate` is the contract: a region naming no place (E176) or a
    scope naming nothing (E177) stops `cz build` — full (serial and with
    workers) and incremental — with the problem validate reports (same code,
    file and line), and the last good database stays as it was."""
    from chengzhen.kb.problems import DataProblems

    root, db = built_copy
    before = table_rows(db)
    if fault == "region":
        path, m = next((p, m) for p in sorted((root / "plans").glob("*.yaml"))
                       for m in [re.search(r"^  region: (\S+)$", p.read_text(encoding="utf-8"), re.M)] if m)
        new, code = "  region: 火星省", "E176"
    else:
        path, m = next((p, m) for p in sorted((root / "plans").glob("*.yaml"))
                       for m in [re.search(r"^(\s+)scope: (\S+)$", p.read_text(encoding="utf-8"), re.M)] if m)
        new, code = f"{m.group(1)}scope: 火星城", "E177"
    line = path.read_text(encoding="utf-8")[:m.start()].count("\n") + 1
    _edit(path, m.group(0), new)
    _vcode, doc = _validate(root, tmp_path / "db-validate")
    want = [(p["code"], Path(p["file"]).name, p["file_line"]) for p in _problems(doc) if p["code"] == code]
    assert want == [(code, path.name, line)]
    for how in ("incremental", "full"):
        with pytest.raises(DataProblems) as err:
            build(root, db, full=how == "full", jobs=jobs)
        got = [(p.code, Path(p.file).name, p.file_line) for p in err.value.problems if p.code == code]
        assert got == want, how
        assert table_rows(db) == before, how
    # the same from the command line: exit 2, the code and file:line said
    r = run_cz(["build"], env={"CZ_DATA": str(root), "CZ_DB": str(db)})
    assert r.code == 2 and code in r.err and f"{path.name}:{line}" in r.err, r.err


def test_a_statistics_fault_is_reported_by_validate_and_stops_the_build(tmp_path, built_copy):
    root, db = built_copy
    before = table_rows(db)
    path = sorted((root / "statistics").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    m = re.search(r"indicator: (\S+?),", text)
    _edit(path, m.group(0), "indicator: 城镇化速度,")
    code, doc = _validate(root, tmp_path / "db2")
    assert code == 1 and any(p["code"] == "E181" for p in _problems(doc))
    got = run_cz(["plans", "-f", "json"], env={"CZ_DATA": str(root), "CZ_DB": str(db)})
    assert "E181" in got.err  # said once, answered from the last good database
    from chengzhen.kb.problems import DataProblems

    with pytest.raises(DataProblems):
        build(root, db)
    assert table_rows(db) == before


def test_without_place_files_nothing_is_checked_or_stored(tmp_path):
    root = _copy(tmp_path / "data")
    for name in ("places.tsv", "places.yaml", "places-scopes.yaml"):
        (root / name).unlink()
    shutil.rmtree(root / "statistics")
    code, doc = _validate(root, tmp_path / "db")
    assert code == 0, _problems(doc)
    db = tmp_path / "db2"
    build(root, db)
    rows = table_rows(db)
    assert not rows["places"] and not rows["target_places"] and not rows["statistics"]
    assert all(place is None for _pid, place in rows["plan_places"])


# --------------------------------------------------------------------------- what the build stores

def test_stored_places_are_what_the_place_book_reads(conn, book):
    from chengzhen.kb.places import ScopeReading

    assert conn.execute("SELECT count(*) FROM places").fetchone()[0] == len(book.places)
    for pid, region, place in conn.execute("SELECT p.id, p.region, pp.place FROM plans p JOIN plan_places pp "
                                           "ON pp.plan_id = p.id"):
        assert place == book.resolve_one(region), pid
    n = 0
    for tid, scope, region, places, zones, groups, part, klass, unresolved, whole, anchors in conn.execute(
            "SELECT t.id, t.scope, pp.place, tp.places, tp.zones, tp.groups, tp.part, tp.place_class, tp.unresolved, "
            "tp.whole, tp.anchors FROM targets t JOIN target_places tp ON tp.target_id = t.id "
            "JOIN plan_places pp ON pp.plan_id = t.plan_id"):
        r = book.read_scope(scope, region) if scope else ScopeReading("", places=(region,))
        assert places.split() == list(r.places), tid
        assert (zones or None, groups or None, part, klass, unresolved) == (
            "、".join(r.zones) or None, "、".join(r.groups) or None, r.part, r.klass, "、".join(r.unresolved) or None)
        assert bool(whole) == r.whole_places, tid
        assert set(r.places) <= set(anchors.split())
        for code in anchors.split():
            assert code in book.places
        n += 1
    assert n == conn.execute("SELECT count(*) FROM targets").fetchone()[0]


def test_stored_statistics_are_the_files_figures(conn):
    from chengzhen.kb.geo import load_geo
    from chengzhen.kb.loader import load_vocabularies
    from chengzhen.kb.problems import Sink
    from chengzhen.kb.statistics import series

    geo = load_geo(DATA, load_vocabularies(DATA), Sink())
    stored = {r[0]: r[1:] for r in conn.execute(
        "SELECT s.place || '|' || s.source_id || '|' || s.indicator || '|' || s.year || '|' || ifnull(s.as_of, ''), "
        "s.value, s.unit, s.indicator_value, s.as_written, s.locator, src.title, src.url, src.publisher "
        "FROM statistics s JOIN statistic_sources src ON src.file = s.file AND src.id = s.source_id")}
    assert len(stored) == len(geo.figures)
    for f in geo.figures:
        key = f"{f.place}|{f.source.id}|{f.indicator}|{f.year}|{f.as_of or ''}"
        assert stored[key] == (f.value, f.unit, f.indicator_value, f.as_written, f.locator, f.source.title,
                               f.source.url, f.source.publisher), key
    # the figure a series takes each year is kb.statistics.series's
    pairs = {(f.place, f.indicator) for f in geo.figures}
    for place, ind in pairs:
        want = [(f.year, f.source.id) for f in series(geo.figures, place, ind)]
        got = conn.execute("SELECT year, source_id FROM statistics WHERE place = ? AND indicator = ? AND used = 1 "
                           "ORDER BY year", (place, ind)).fetchall()
        assert got == want, (place, ind)


# --------------------------------------------------------------------------- incremental

def _differing(a: dict, b: dict) -> dict[str, tuple[set, set]]:
    out = {}
    for table in a:
        if a[table] != b[table]:
            out[table] = (set(a[table]) - set(b[table]), set(b[table]) - set(a[table]))
    return out


def test_a_changed_statistic_moves_only_its_own_rows(tmp_path, built_copy):
    root, db = built_copy
    before = table_rows(db)
    path = sorted((root / "statistics").glob("*.yaml"))[-1]
    text = path.read_text(encoding="utf-8")
    m = re.search(r"value: ([0-9.]+), (unit: [^,]+, )?as_written: '?([^,']*?)\1", text)
    assert m, path
    new_value = f"{float(m.group(1)) + 0.01:g}"
    _edit(path, m.group(0), m.group(0).replace(m.group(1), new_value))
    stats = build(root, db)
    assert stats["mode"] == "incremental" and stats["changed"] == stats["added"] == stats["deleted"] == []
    rel = f"statistics/{path.name}"
    assert stats["statistics"] == [rel]
    diff = _differing(before, table_rows(db))
    assert set(diff) == {"statistics", "inputs", "meta"}, set(diff)
    old, new = diff["statistics"]
    assert len(old) == len(new) == 1 and all(r[1] == rel for r in old | new), (old, new)
    assert [r[0] for r in old] == [r[0] for r in new]  # the same figure, its value changed
    assert {r[0] for r in diff["inputs"][0]} == {rel} == {r[0] for r in diff["inputs"][1]}
    # and the same database as a full build
    full = tmp_path / "full"
    build(root, full, full=True)
    assert table_rows(db) == table_rows(full)


def test_statistics_files_added_and_deleted_and_places_changed(tmp_path, built_copy):
    root, db = built_copy
    files = sorted((root / "statistics").glob("*.yaml"))
    gone = files[0]
    saved = gone.read_text(encoding="utf-8")
    gone.unlink()
    stats = build(root, db)
    assert stats["mode"] == "incremental" and stats["statistics"] == [f"statistics/{gone.name}"]
    conn_rows = table_rows(db)
    assert not [r for r in conn_rows["statistics"] if r[1] == f"statistics/{gone.name}"]
    gone.write_text(saved, encoding="utf-8")
    stats = build(root, db)
    assert stats["mode"] == "incremental" and stats["statistics"] == [f"statistics/{gone.name}"]
    full = tmp_path / "full"
    build(root, full, full=True)
    assert table_rows(db) == table_rows(full)
    # a place vocabulary change reads every scope again: a full build
    _edit(root / "places.yaml", "aliases:", "aliases:\n  - {place: '520201', names: [钟山老城], reason: 测试}")
    assert build(root, db)["mode"] == "full"
