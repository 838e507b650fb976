"""Hardening: what a sceptical user does to `cz` and its database.

* the atomic build under SIGKILL and SIGINT, and queries racing rebuilds;
* a database that is missing, truncated, garbage, empty, of an older schema;
* read-only queries (bytes and mtime of the database never change) and the
  `cz sql` sandbox;
* signals and closed pipes.

Subprocess tests run the installed ``cz`` (next to ``sys.executable``) with
``CZ_DATA``/``CZ_DB`` pointing into temporary directories, never at
``data/build``.  Every subprocess has a timeout.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import DATA, make_tiny, run_cz

TIMEOUT = 90  # seconds, for any one subprocess


def _cz_exe() -> str:
    exe = Path(sys.executable).with_name("cz")
    return str(exe) if exe.exists() else "cz"


CZ = _cz_exe()


def _env(data: Path, db: Path, **extra) -> dict:
    env = dict(os.environ, CZ_DATA=str(data), CZ_DB=str(db))
    for k in ("CZ_DEBUG", "NO_COLOR"):
        env.pop(k, None)
    env.update(extra)
    return env


def _run(args, env, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([CZ, *args], capture_output=True, text=True, timeout=TIMEOUT, env=env, **kw)


def _seed_db(real_db: Path, root: Path, db: Path) -> Path:
    """A fresh database for the data at ``root`` without a three-second build:
    the session's database, copied, with its meta pointing at ``root``."""
    from chengzhen.store.freshness import TEXT, input_names, stat_signature, stats_of

    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(real_db, db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'data_dir'", (str(root.resolve()),))
        stats = stats_of(root, input_names(root))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'stat_signature'", (stat_signature(stats),))
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (stat_signature(stats, TEXT), TEXT))
        conn.executemany("UPDATE inputs SET mtime_ns = ? WHERE path = ?",
                         [(st[1], rel) for rel, st in stats.items() if st])
    conn.close()
    return db


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _meta(db: Path) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT key, value FROM meta"))
    finally:
        conn.close()


def _litter(db: Path) -> list[str]:
    return sorted(Path(p).name for p in glob.glob(str(db) + ".tmp-*"))


def _writing(db: Path, proc) -> bool:
    """Has the build running as ``proc`` started writing its temporary database?"""
    return db.with_name(f"{db.name}.tmp-{proc.pid}").exists()


def _snapshot(db: Path) -> tuple:
    st = db.stat()
    return hashlib.sha256(db.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_ino, st.st_size


def _rows(db: Path) -> dict:
    """Every table's rows but meta's (when and how it was built)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'meta' "
                                            "AND name NOT LIKE 'docs_fts%' AND name NOT LIKE 'sqlite_%'")]
        return {n: sorted(conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def _rows_of(content: bytes) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "copy.db"
        p.write_bytes(content)
        return _rows(p)


def _one_line_error(err: str) -> bool:
    return err.startswith("cz: error: ") and len(err.rstrip("\n").split("\n")) == 1 and "Traceback" not in err


def _quiet_or_one_line(err: str) -> bool:
    """An interrupted run: nothing on stderr, or one `cz: error:` line."""
    return err == "" or _one_line_error(err)


def _wait_for(cond, timeout=30.0, step=0.003) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return False


def _from_real(tmp_path: Path, real_db: Path) -> tuple[Path, Path, dict]:
    """A private copy of the real data with a fresh database: (root, db, env)."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    db = _seed_db(real_db, root, tmp_path / "db" / "chengzhen.db")
    return root, db, _env(root, db)


# =========================================================================== atomic build

# (when, seconds): "start" = after starting `cz build`; "tmp" = after its
# temporary database file appeared (the build is writing it)
KILL_POINTS = [("start", 0.05), ("start", 0.2), ("tmp", 0.0), ("tmp", 0.5), ("tmp", 1.2)]


@pytest.mark.slow
def test_sigkill_during_build_leaves_previous_database(tmp_path, real_db):
    root, db, env = _from_real(tmp_path, real_db)
    before = db.read_bytes()
    killed_while_writing = 0
    for when, delay in KILL_POINTS:
        proc = subprocess.Popen([CZ, "build", "--full", "-q"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        try:
            if when == "tmp":
                assert _wait_for(lambda: _writing(db, proc) or proc.poll() is not None), "no temp file seen"
            time.sleep(delay)
            finished = proc.poll() is not None
            writing = _writing(db, proc)
            proc.kill()
        finally:
            proc.wait(timeout=TIMEOUT)
            proc.stderr.close()
        if finished:  # the build won the race: it is the new previous database
            assert proc.returncode == 0
            before = db.read_bytes()
            continue
        assert proc.returncode == -signal.SIGKILL
        killed_while_writing += writing
        if db.read_bytes() != before:
            # killed after its rename, while exiting: then the file is the new
            # build, complete — the same rows as the previous one
            assert _rows(db) == _rows_of(before), f"SIGKILL at {when}+{delay}s left a changed database"
            before = db.read_bytes()
        assert _integrity(db) == "ok"
    assert killed_while_writing >= 2, "the kills never hit the write phase; the test proves nothing"

    # the previous database still answers, without a rebuild (it is fresh)
    snap = _snapshot(db)
    res = _run(["search", "住房", "--format", "json"], env)
    assert res.returncode == 0 and json.loads(res.stdout)["count"] > 0
    assert _snapshot(db) == snap

    # the next build succeeds and sweeps the killed builds' temp files away
    # (one is left here if the last build finished before its kill: builds
    # are fast enough to win that race)
    if not _litter(db):
        db.with_name(db.name + ".tmp-999999999").write_bytes(b"left by a killed build")
    assert _litter(db), "expected killed builds to leave temp files behind"
    res = _run(["build", "--full", "-q"], env)
    assert res.returncode == 0, res.stderr
    assert _litter(db) == []
    assert set(os.listdir(db.parent)) <= {db.name, db.name + ".lock"}
    assert _integrity(db) == "ok"


def test_sigint_during_build_exits_130_and_cleans_up(tmp_path, real_db):
    root, db, env = _from_real(tmp_path, real_db)
    before = db.read_bytes()
    for delay in (0.0, 0.2):  # (the real data builds in about a second: 0.2 s in, it is still writing)
        proc = subprocess.Popen([CZ, "build", "--full"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        assert _wait_for(lambda: _writing(db, proc) or proc.poll() is not None)
        time.sleep(delay)
        assert proc.poll() is None, "the build ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 130, (proc.returncode, err)
        assert _quiet_or_one_line(err), err
        assert db.read_bytes() == before
        assert _litter(db) == [], "an interrupted build left its temp file"
        assert _integrity(db) == "ok"


# ----------------------------------------------------- several queries find the data changed

@pytest.fixture(scope="module")
def stale_race(tmp_path_factory, real_db):
    """Two queries start together on data edited since the last build; both
    must rebuild-or-wait and answer.  Returns what happened."""
    tmp = tmp_path_factory.mktemp("stale")
    root, db, env = _from_real(tmp, real_db)
    plan = root / "plans" / "qinghai.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    before = int(_meta(db)["generation"])
    procs = [subprocess.Popen([CZ, "search", "住房", "--format", "json"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=TIMEOUT) for p in procs]
    results = [(p.returncode, out, err) for p, (out, err) in zip(procs, outs)]
    return {"results": results, "rebuilds": int(_meta(db)["generation"]) - before, "db": db, "root": root}


@pytest.mark.slow
def test_concurrent_queries_on_changed_data_all_answer(stale_race):
    for code, out, err in stale_race["results"]:
        assert code == 0, err
        assert "Traceback" not in err
        assert json.loads(out)["count"] > 0
    db = stale_race["db"]
    assert _integrity(db) == "ok" and _litter(db) == []
    assert stale_race["rebuilds"] >= 1
    from chengzhen.store.freshness import input_names, stat_signature, stats_of

    root = stale_race["root"]
    assert _meta(db)["stat_signature"] == stat_signature(stats_of(root, input_names(root)))
    assert json.loads(_meta(db)["stats"])["changed"] == ["qinghai"]


@pytest.mark.slow
def test_concurrent_queries_on_changed_data_rebuild_once(stale_race):
    assert stale_race["rebuilds"] == 1


# =========================================================================== readers during rebuilds

# Rebuilds the database again and again (one process: jieba loads once, so a
# build of the small data set takes ~40 ms) until the stop file appears.
_WRITER = r"""
import os, sys, time
from pathlib import Path
from chengzhen.store.build import build
root, db, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
plan = root / "plans" / "tiny.yaml"
n = 0
while not stop.exists() and n < 5000:
    t = time.time() + n
    os.utime(plan, (t, t))  # touched: a new stat signature, the same content
    build(root, db)
    n += 1
    if n == 1:
        print("ready", flush=True)  # imports and jieba loaded: from now on a build is quick
print(n)
"""


@pytest.mark.slow
def test_readers_during_rebuilds_always_answer(tmp_path):
    """While another process rebuilds the database over and over, every query
    answers from the old or the new file: exit 0 and valid JSON, never an error."""
    root = make_tiny(tmp_path / "data")
    db = tmp_path / "db" / "chengzhen.db"
    env = _env(root, db)
    assert _run(["build", "-q"], env).returncode == 0
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(root), str(db), str(stop)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stdout.readline() == "ready\n", writer.stderr.read() if writer.poll() is not None else ""
    problems: list[str] = []
    searches: list[int] = []
    seen: set[str] = set()

    def reader():
        for _ in range(5):
            res = _run(["search", "老旧小区", "--format", "json"], env)
            try:
                assert res.returncode == 0, res.returncode
                assert json.loads(res.stdout)["count"] > 0
                assert res.stderr == ""
                searches.append(1)
            except Exception as exc:  # collected, asserted below
                problems.append(f"search: {exc!r} {res.stderr!r}")
            # which database answered (each build has its own stat signature)
            res = _run(["sql", "SELECT value FROM meta WHERE key = 'stat_signature'", "--format", "json"], env)
            try:
                assert res.returncode == 0, res.returncode
                seen.add(json.loads(res.stdout)["records"][0]["value"])
            except Exception as exc:
                problems.append(f"sql: {exc!r} {res.stderr!r}")

    try:
        threads = [threading.Thread(target=reader) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=4 * TIMEOUT)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == 0, err
    assert problems == []
    assert len(searches) == 10
    assert int(out) >= 20, f"only {out.strip()} rebuilds happened during the reads"
    assert len(seen) >= 3, "the readers never saw a rebuilt database"
    assert _integrity(db) == "ok" and _litter(db) == []


# =========================================================================== missing or damaged database

def _noise(n: int) -> bytes:
    return random.Random(n).randbytes(n)  # deterministic garbage


def _garbage(db):
    db.write_bytes(_noise(db.stat().st_size))


def _sql_edit(statement):
    def apply(db):
        conn = sqlite3.connect(db)
        with conn:
            conn.execute(statement)
        conn.close()
    return apply


def _other_sqlite(db):
    db.unlink()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("CREATE TABLE notes (a)")
    conn.close()


def _bad_page_size(db):
    b = bytearray(db.read_bytes())
    b[16:18] = b"\x00\x03"  # page size 3: impossible
    db.write_bytes(bytes(b))


DAMAGE = {
    "deleted": lambda db: db.unlink(),
    "truncated to half": lambda db: db.write_bytes(db.read_bytes()[: db.stat().st_size // 2]),
    "garbage": _garbage,
    "empty file": lambda db: db.write_bytes(b""),
    "header then garbage": lambda db: db.write_bytes(db.read_bytes()[:100] + _noise(db.stat().st_size - 100)),
    "bad page size": _bad_page_size,
    "another schema hash": _sql_edit("UPDATE meta SET value = 'f00d' WHERE key = 'schema_hash'"),
    "no schema hash": _sql_edit("DELETE FROM meta WHERE key = 'schema_hash'"),
    "built by other code": _sql_edit("UPDATE meta SET value = 'f00d' WHERE key = 'code_hash'"),
    "a column added": _sql_edit("ALTER TABLE measures ADD COLUMN extra TEXT"),
    "an index dropped": _sql_edit("DROP INDEX idx_targets_year"),
    "a table added": _sql_edit("CREATE TABLE extra (a)"),
    "no meta table": _sql_edit("DROP TABLE meta"),
    "built from other data": _sql_edit("UPDATE meta SET value = '/elsewhere' WHERE key = 'data_dir'"),
    "another sqlite database": _other_sqlite,
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_damaged_database_is_rebuilt_by_a_query(tiny, damage):
    from chengzhen.store import schema
    from chengzhen.store.freshness import code_hash

    db = Path(os.environ["CZ_DB"])
    assert run_cz(["build", "-q"]).code == 0
    DAMAGE[damage](db)
    res = run_cz(["search", "老旧小区", "--format", "json"])
    assert res.code == 0, res.err
    assert json.loads(res.out)["count"] > 0
    assert _integrity(db) == "ok"
    assert _meta(db)["schema_hash"] == schema.declared_hash() and _meta(db)["code_hash"] == code_hash()
    conn = sqlite3.connect(db)
    assert schema.db_hash(conn) == schema.declared_hash()
    conn.close()
    assert _litter(db) == []
    snap = _snapshot(db)
    assert run_cz(["plans", "--format", "json"]).code == 0
    assert _snapshot(db) == snap, "the rebuilt database was rebuilt again"


@pytest.mark.parametrize("command", [["plans"], ["show", "tiny/2.1"]], ids=lambda c: c[0])
def test_database_missing_a_table_is_rebuilt(tiny, command):
    db = Path(os.environ["CZ_DB"])
    assert run_cz(["build", "-q"]).code == 0
    _sql_edit("DROP TABLE measures")(db)
    res = run_cz(command)
    assert "internal error" not in res.err, res.err
    assert res.code == 0, res.err


def test_database_path_is_a_directory(tiny):
    db = Path(os.environ["CZ_DB"])
    db.mkdir(parents=True)
    res = run_cz(["search", "老旧小区"])
    assert res.code == 2 and _one_line_error(res.err), res.err
    assert _litter(db) == []


def test_database_directory_is_a_file(tiny, tmp_path):
    (tmp_path / "afile").write_text("x")
    res = run_cz(["search", "老旧小区"], env={"CZ_DB": str(tmp_path / "afile" / "chengzhen.db")})
    assert res.code == 2 and _one_line_error(res.err), res.err


def test_no_data_and_no_database(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    res = _run(["search", "住房"], _env(empty, tmp_path / "db" / "chengzhen.db"))
    assert res.returncode == 2
    assert _one_line_error(res.stderr), res.stderr
    assert "CZ_DATA" in res.stderr and "plans/" in res.stderr
    assert not (tmp_path / "db" / "chengzhen.db").exists()


def test_no_data_and_a_damaged_database(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "db" / "chengzhen.db"
    db.parent.mkdir()
    db.write_bytes(b"garbage" * 100)
    res = run_cz(["search", "住房"], env={"CZ_DATA": str(empty), "CZ_DB": str(db)})
    assert res.code == 2 and _one_line_error(res.err) and "CZ_DATA" in res.err, res.err
    assert db.read_bytes() == b"garbage" * 100


def test_no_data_but_a_database_still_answers(tmp_path, real_db):
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "db" / "chengzhen.db"
    db.parent.mkdir()
    shutil.copyfile(real_db, db)
    res = run_cz(["search", "住房", "--format", "json"], env={"CZ_DATA": str(empty), "CZ_DB": str(db)})
    assert res.code == 0, res.err
    assert json.loads(res.out)["count"] > 0


# =========================================================================== read-only queries

@pytest.fixture
def ro_db(tmp_path, real_db):
    """A private, fresh copy of the real database (the real data is unchanged)."""
    db = tmp_path / "ro" / "chengzhen.db"
    db.parent.mkdir()
    shutil.copyfile(real_db, db)
    return db


QUERIES = [
    ["search", "住房"], ["search", "住房", "--format", "json"], ["search", "老舊小區", "--format", "csv"],
    ["search", "老旧小区加装电梯"], ["search", "laojiuxiaoqu"], ["search", "城中材"], ["search", "--raw", "加装电梯"],
    ["search", "住房", "--plan", "青海", "--topic", "住房", "--format", "tsv"], ["search", "改造", "--format", "ids"],
    ["show", "qinghai/6.28"], ["show", "qinghai/6.28", "--format", "json"], ["show", "hunan"], ["show", "hebei/annex"],
    ["plans"], ["plans", "--format", "json"], ["stats"], ["stats", "--format", "csv"], ["topics"],
    ["topics", "--format", "jsonl"], ["targets"], ["targets", "--year", "2025..2030", "--format", "json"],
    ["targets", "--indicator", "城镇化率"], ["depts"], ["depts", "住房城乡建设厅"], ["depts", "--format", "json"],
    ["compare", "guizhou", "qinghai"], ["compare", "--topic", "老旧小区", "guizhou", "qinghai", "hunan", "--format", "md"],
    ["similar", "qinghai/6.28"], ["similar", "qinghai/6.28", "--format", "json"], ["matrix"],
    ["matrix", "--level", "top", "--format", "csv"], ["sql", "SELECT count(*) FROM measures"],
    ["sql", "SELECT * FROM meta", "--format", "json"],
]


def test_queries_never_write(ro_db):
    env = {"CZ_DB": str(ro_db)}
    before = _snapshot(ro_db)
    listing = sorted(os.listdir(ro_db.parent))
    for args in QUERIES:
        res = run_cz(args, env=env)
        # a pinyin or fuzzy query answers with suggestions and exit code 1 (docs/cli.md)
        assert res.code in (0, 1) and not res.err, (args, res.code, res.err)
    res = run_cz(["search", "--stdin"], stdin="住房\n电梯\nnothing-here\n", env=env)
    assert res.code == 0
    assert _snapshot(ro_db) == before, "a query changed the database file"
    assert sorted(os.listdir(ro_db.parent)) == listing, "a query left a file beside the database"


def test_installed_queries_never_write(ro_db):
    env = _env(DATA, ro_db)
    before = _snapshot(ro_db)
    for args in (["search", "住房"], ["sql", "SELECT count(*) FROM plans"], ["matrix"]):
        assert _run(args, env).returncode == 0
    assert _snapshot(ro_db) == before


def _refused(tmp: Path) -> list[str]:
    out = tmp / "written"
    return [
        "WITH x AS (SELECT 1) DELETE FROM plans",
        "WITH x AS (SELECT 'k', 'v') INSERT INTO meta SELECT * FROM x",
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c LIMIT 3) UPDATE plans SET name = 'x'",
        f"SELECT writefile('{out}', 'x')",
        "SELECT readfile('/etc/passwd')",
        "SELECT * FROM plans WHERE load_extension('/nonexistent/ext') IS NULL",
        "SELECT 1; DELETE FROM plans",
        "SELECT 1; PRAGMA query_only = 0",
        "SELECT 1;\nATTACH DATABASE ':memory:' AS x",
        "/* hidden */ PRAGMA writable_schema = 1",
        "  pragma query_only = 0",
        "\nATTACH DATABASE ':memory:' AS x",
        f"/**/ ATTACH '{out}' AS x",
        "/**/ DETACH main",
        f"/**/ VACUUM INTO '{out}'",
        "/**/ VACUUM",
        "/**/ REINDEX",
        "/**/ ANALYZE",
        "REPLACE INTO meta VALUES ('a', 'b')",
        "INSERT OR IGNORE INTO meta VALUES ('a', 'b')",
        "CREATE TEMP TABLE t AS SELECT 1",
        "CREATE TEMP VIEW v AS SELECT 1",
        "BEGIN IMMEDIATE",
        "SAVEPOINT s",
        "INSERT INTO measures_fts(measures_fts) VALUES ('rebuild')",
        "DELETE FROM measures_fts",
    ]


def test_sql_refuses_every_write(ro_db, tmp_path):
    env = {"CZ_DB": str(ro_db)}
    before = _snapshot(ro_db)
    for stmt in _refused(tmp_path):
        res = run_cz(["sql", "--", stmt], env=env)
        assert res.code == 2, (stmt, res.code, res.out)
        assert _one_line_error(res.err), (stmt, res.err)
        assert res.out == ""
    assert not (tmp_path / "written").exists(), "a refused statement wrote a file"
    assert _snapshot(ro_db) == before
    assert sorted(os.listdir(ro_db.parent)) == [ro_db.name]


@pytest.mark.parametrize("stmt", [
    "WITH x AS (SELECT 1) DELETE FROM plans",
    "/* hidden */ PRAGMA writable_schema = 1",
    "\nATTACH DATABASE ':memory:' AS x",
    "REPLACE INTO meta VALUES ('a', 'b')",
])
def test_sql_says_it_is_read_only(ro_db, stmt):
    res = run_cz(["sql", "--", stmt], env={"CZ_DB": str(ro_db)})
    assert res.code == 2 and "read-only" in res.err, res.err


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_sql_blob_in_json(ro_db, fmt):
    res = run_cz(["sql", "SELECT x'00ff' AS b, randomblob(4) AS r", "--format", fmt], env={"CZ_DB": str(ro_db)})
    assert res.code == 0, res.err


def _strict(text):
    def bad(name):
        raise ValueError(f"non-standard JSON constant {name}")
    return json.loads(text, parse_constant=bad)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_sql_infinity_in_json(ro_db, fmt):
    res = run_cz(["sql", "SELECT 1e999 AS inf, -1e999 AS ninf", "--format", fmt], env={"CZ_DB": str(ro_db)})
    assert res.code == 0, res.err
    for line in res.out.split("\n") if fmt == "jsonl" else [res.out]:
        if line.strip():
            _strict(line)


# =========================================================================== signals

def test_sigint_in_search_stdin_after_answers(real_db):
    env = _env(DATA, real_db)
    proc = subprocess.Popen([CZ, "search", "--stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    try:
        proc.stdin.write("住房\n")
        proc.stdin.flush()
        first = proc.stdout.readline()  # it answered, and now waits for the next line
        assert json.loads(first)["query"]["q"] == "住房"
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, (proc.returncode, err)
    assert _quiet_or_one_line(err), err
    assert out == ""


def test_ctrl_c_inside_an_import_that_a_library_turns_into_importerror_exits_130(capsys):
    """opencc tries three ways to load its extension, each in ``except
    ImportError``: a Ctrl-C during that import comes out as ImportError (its
    context the KeyboardInterrupt) — still "interrupted", 130, not an internal
    error (seen once in test_sigint_during_automatic_rebuild)."""
    from chengzhen.cli.main import _code_for

    try:
        try:
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt:
                raise ImportError("initialization failed")
        except ImportError:
            raise ImportError("opencc_clib not found in Bazel runfiles")
    except ImportError as exc:
        code = _code_for(exc, sys.stdout)
    assert code == 130
    err = capsys.readouterr().err
    assert "internal error" not in err and err.count("\n") == 1
    try:
        raise ImportError("no module")  # an ImportError of its own is still a bug's one line
    except ImportError as exc:
        assert _code_for(exc, sys.stdout) == 2


def test_sigint_during_automatic_rebuild(tmp_path, real_db):
    root, db, env = _from_real(tmp_path, real_db)
    # a vocabulary edit: every plan is rebuilt (a full build, long enough to interrupt)
    vocab = root / "departments.yaml"
    vocab.write_text(vocab.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    before = db.read_bytes()
    proc = subprocess.Popen([CZ, "search", "住房"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait_for(lambda: _writing(db, proc) or proc.poll() is not None)
    time.sleep(0.3)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 130, (proc.returncode, err)
    assert _quiet_or_one_line(err), err
    assert db.read_bytes() == before and _litter(db) == []


def _maps(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
def test_sigint_while_starting_up(real_db):
    """SIGINT once `cz` is importing typer (the `_typing` extension module is
    loaded, well after the interpreter and the chengzhen package started)."""
    env = _env(DATA, real_db)
    proc = subprocess.Popen([CZ, "search", "--stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    try:
        if not _wait_for(lambda: "_typing" in _maps(proc.pid) or proc.poll() is not None, timeout=20, step=0.0005):
            pytest.skip("could not observe the import phase")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in err, err
    assert proc.returncode == 130, (proc.returncode, err)


# =========================================================================== closed pipes

PIPED = [
    ["search", "改造", "--limit", "0", "--format", "tsv"],
    ["search", "改造", "--limit", "0", "--full"],
    ["targets"],
    ["targets", "--format", "json"],
    ["plans"],
    ["plans", "--format", "csv"],
    ["compare", "guizhou", "qinghai", "hunan"],
    ["compare", "guizhou", "qinghai", "--format", "json"],
    ["sql", "SELECT * FROM measures", "--format", "csv"],
    ["sql", "SELECT id, text FROM measures"],
]


def _read_then_close(args, env, first=lambda f: f.readline(), stdin: bytes | None = None):
    """Start `cz`, read a little of its output, close the pipe; return
    (what was read, stderr, exit code)."""
    proc = subprocess.Popen([CZ, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
    try:
        if stdin is not None:
            proc.stdin.write(stdin)  # small enough to fit in the pipe: cannot block
            proc.stdin.close()
        got = first(proc.stdout)
        proc.stdout.close()
        err = proc.stderr.read()
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return got, err, proc.returncode


@pytest.mark.parametrize("args", PIPED, ids=[" ".join(a) for a in PIPED])
def test_closed_pipe_after_first_line_is_quiet(real_db, args):
    """`cz … | head -1`: the reader goes away after one line; cz stops quietly."""
    got, err, code = _read_then_close(args, _env(DATA, real_db))
    assert got
    assert err == b"", err.decode("utf-8", "replace")
    assert code == 0, code



PIPE_CODES = [
    pytest.param(["search", "改造", "--limit", "0", "--format", "tsv"], id="search tsv"),
    pytest.param(["search", "改造", "--format", "json"], id="search json"),
    pytest.param(["targets", "--format", "json"], id="targets json"),
    pytest.param(["sql", "SELECT id, text FROM measures"], id="sql table"),
    pytest.param(["targets", "--format", "jsonl"], id="targets jsonl"),
    pytest.param(["search", "改造", "--limit", "0", "--format", "jsonl"], id="search jsonl"),
    pytest.param(["sql", "SELECT id, text FROM measures", "--format", "jsonl"], id="sql jsonl"),
    pytest.param(["compare", "guizhou", "qinghai", "hunan"], id="compare table"),
]


@pytest.mark.parametrize("args", PIPE_CODES)
def test_closed_pipe_exit_code(real_db, args):
    """docs/cli.md: a closed pipe ends cz quietly with exit code 0."""
    got, err, code = _read_then_close(args, _env(DATA, real_db), first=lambda f: f.read(1))
    assert got and err == b""
    assert code == 0


@pytest.mark.parametrize("pipeline", [
    "{cz} search 改造 --limit 0 | head -1",
    "{cz} search 改造 --format json | head -c 10",
    "{cz} sql 'SELECT * FROM measures' --format json | head -1",
    pytest.param("{cz} targets --format jsonl | head -c 1"),
])
def test_closed_pipe_in_a_shell_pipeline(real_db, pipeline):
    """The same through a real shell, with the exit status of `cz` itself (pipefail)."""
    cmd = "set -o pipefail; " + pipeline.format(cz=f"'{CZ}'")
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=TIMEOUT, env=_env(DATA, real_db))
    assert proc.stdout
    assert proc.stderr == b"", proc.stderr
    assert proc.returncode == 0, proc.returncode


def test_closed_pipe_in_search_stdin_is_quiet(real_db):
    got, err, code = _read_then_close(["search", "--stdin"], _env(DATA, real_db), stdin="住房\n".encode() * 2000)
    assert json.loads(got)["query"]["q"] == "住房"
    assert err == b"", err
    assert code in (0, 1), code


def test_closed_pipe_in_search_stdin_exit_code(real_db):
    got, err, code = _read_then_close(["search", "--stdin"], _env(DATA, real_db), stdin="住房\n".encode() * 2000)
    assert code == 0


def test_stdout_closed_from_the_start(real_db):
    proc = subprocess.run(["bash", "-c", f"exec '{CZ}' search 住房 >&-"], capture_output=True, text=True,
                          timeout=TIMEOUT, env=_env(DATA, real_db))
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert len(proc.stderr.splitlines()) <= 1
    assert proc.returncode in (0, 2)


_UNRAISABLE_INTERRUPT = """
import sys, weakref
from chengzhen import _entry
if sys.argv[1:] == ["guarded"]:
    _entry.guard_interrupts()
class Held: pass
held = Held()
def callback(ref): raise KeyboardInterrupt  # as Ctrl-C does when it lands inside importlib's module-lock callback
ref = weakref.ref(held, callback)
del held
print("ran on")
"""


@pytest.mark.parametrize("guarded", [True, False])
def test_a_ctrl_c_python_cannot_raise_still_ends_cz_with_130(guarded):
    """A KeyboardInterrupt where Python can only print it as "Exception
    ignored" (a weakref callback, a __del__ — test_sigint_while_starting_up
    met one inside importlib) ends `cz` with 130 and one line, no traceback;
    unguarded, Python prints a traceback and runs on (the control case)."""
    proc = subprocess.run([sys.executable, "-c", _UNRAISABLE_INTERRUPT] + (["guarded"] if guarded else []),
                          capture_output=True, text=True, timeout=TIMEOUT)
    if guarded:
        assert (proc.returncode, proc.stdout, proc.stderr) == (130, "", "cz: error: interrupted\n")
    else:
        assert proc.returncode == 0 and "ran on" in proc.stdout and "Traceback" in proc.stderr
