"""Incremental builds: the same database as a full build, only faster, with
the same guarantees (a kill leaves the previous state; readers always get a
complete answer)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chengzhen.store.build import build
from conftest import DATA, run_cz, table_rows

# meta keys that say when and how a file was built, not what it holds


def _copy_data(dst: Path) -> Path:
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("build"))
    return dst


def _edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace ``old`` (every occurrence, or the first ``count``)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _index(db: Path) -> dict[str, list[int]]:
    """For every character in the corpus, the index rows holding it."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    chars = set()
    for (text,) in conn.execute("SELECT title || text FROM measures UNION ALL SELECT title FROM docs"):
        chars.update(ch for ch in (text or "") if ch.isalnum())
    out = {}
    for ch in sorted(chars):
        out[ch] = [r[0] for r in conn.execute(
            "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rowid", (f'"{ch.lower()}"',))]
    conn.close()
    return out


def _answers(db: Path, data: Path) -> dict[str, str]:
    env = {"CZ_DATA": str(data), "CZ_DB": str(db)}
    asks = {
        "search": ["search", "老旧小区", "-f", "json"],
        "search one char": ["search", "房", "-f", "tsv", "-n", "0"],
        "segmented": ["search", "随迁子女公办学校", "-f", "json"],
        "fuzzy": ["search", "城中材", "-f", "json"],
        "pinyin": ["search", "laojiuxiaoqu", "-f", "json"],
        "targets": ["targets", "--year", "2020..2030", "-f", "json"],
        "rate": ["targets", "--indicator", "城镇化率", "-f", "json"],
        "compare": ["compare", "guizhou", "qinghai", "hebei", "-f", "json"],
        "compare topic": ["compare", "--topic", "住房保障", "guizhou", "qinghai", "-f", "json"],
        "similar": ["similar", "qinghai/3.9", "-f", "json"],
        "depts": ["depts", "-f", "json"],
        "plans": ["plans", "-f", "json"],
        "stats": ["stats", "-f", "json"],
        "matrix": ["matrix", "-f", "json"],
    }
    out = {}
    for name, args in asks.items():
        res = run_cz(args, env=env)
        assert "warning" not in res.err, res.err
        out[name] = f"{res.code}\n{res.out}"
    return out


def _new_plan_from(root: Path, src: str, new: str) -> None:
    """A sixth plan: an existing plan's files under a new id (its own files only)."""
    body = (root / "plans" / f"{src}.yaml").read_text(encoding="utf-8")
    body = re.sub(rf"\b{src}/", f"{new}/", body).replace(f"\n  id: {src}\n", f"\n  id: {new}\n")
    body = body.replace(f"sources/{src}.txt", f"sources/{new}.txt").replace("short_name: 河北", "short_name: 河北副本")
    (root / "plans" / f"{new}.yaml").write_text(body, encoding="utf-8")
    shutil.copyfile(root / "sources" / f"{src}.txt", root / "sources" / f"{new}.txt")


def _drop_plan(root: Path, pid: str) -> None:
    (root / "plans" / f"{pid}.yaml").unlink()
    (root / "sources" / f"{pid}.txt").unlink()


def _move_first_plan_last(root: Path) -> None:
    from chengzhen.kb.loader import order_of

    order = order_of(root)
    (root / "plans.yaml").write_text("order: [" + ", ".join(order[1:] + order[:1]) + "]\n", encoding="utf-8")


EDITS = [
    # (name, edit, plans expected to change)
    ("measure text and its source line",
     lambda r: (_edit(r / "sources" / "qinghai.txt", "加快补齐城镇老旧小区供排水", "加快补齐城镇老旧小区供水排水"),
                _edit(r / "plans" / "qinghai.yaml", "加快补齐城镇老旧小区供排水", "加快补齐城镇老旧小区供水排水")),
     {"changed": ["qinghai"]}),
    ("a target value",
     lambda r: (_edit(r / "sources" / "guizhou.txt", "城镇化率达61%左右", "城镇化率达62%左右"),
                _edit(r / "plans" / "guizhou.yaml", "城镇化率达61%左右", "城镇化率达62%左右"),
                _edit(r / "plans" / "guizhou.yaml", "as_written: 61%左右", "as_written: 62%左右"),
                _edit(r / "plans" / "guizhou.yaml", "value: 61\n", "value: 62\n")),
     {"changed": ["guizhou"]}),
    ("a 责任单位 list",
     lambda r: (_edit(r / "sources" / "qinghai.txt", "(责任单位:省发展改革委、省住房城乡建设厅、省工业和信息化厅、省农业农村厅)",
                      "(责任单位:省发展改革委、省住房城乡建设厅、省农业农村厅)"),
                _edit(r / "plans" / "qinghai.yaml", "(责任单位:省发展改革委、省住房城乡建设厅、省工业和信息化厅、省农业农村厅)",
                      "(责任单位:省发展改革委、省住房城乡建设厅、省农业农村厅)"),
                _edit(r / "plans" / "qinghai.yaml", "    - 省住房城乡建设厅\n    - 省工业和信息化厅\n    - 省农业农村厅\n",
                      "    - 省住房城乡建设厅\n    - 省农业农村厅\n")),
     {"changed": ["qinghai"]}),
    ("a catalogue field (in the plan's file)",
     lambda r: _edit(r / "plans" / "hunan.yaml", "completeness: 全文(此件主动公开", "completeness: 全文 (此件主动公开"),
     {"changed": ["hunan"]}),
    ("a new plan", lambda r: _new_plan_from(r, "hebei", "hebeicopy"), {"added": ["hebeicopy"]}),
    # (a plan that no national title cites as its evidence: see national.yaml)
    ("a deleted plan", lambda r: _drop_plan(r, "liupanshui"), {"deleted": ["liupanshui"]}),
    ("catalogue order", _move_first_plan_last, {}),
    ("a file touched, not changed", lambda r: os.utime(r / "plans" / "hebei.yaml"), {}),
]


@pytest.fixture(scope="module")
def incremental_vs_full(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incr")
    root = _copy_data(tmp / "data")
    inc = tmp / "inc.db"
    assert build(root, inc)["mode"] == "full"
    steps = []
    for name, edit, expected in EDITS:
        edit(root)
        stats = build(root, inc)
        steps.append((name, stats, expected))
    full = tmp / "full.db"
    assert build(root, full, full=True)["mode"] == "full"
    return {"root": root, "inc": inc, "full": full, "steps": steps}


def test_each_edit_updates_only_its_plans(incremental_vs_full):
    for name, stats, expected in incremental_vs_full["steps"]:
        assert stats["mode"] == "incremental", name
        for key in ("changed", "added", "deleted"):
            assert stats[key] == expected.get(key, []), (name, key, stats[key])


def test_incremental_equals_full_table_by_table(incremental_vs_full):
    a, b = table_rows(incremental_vs_full["inc"]), table_rows(incremental_vs_full["full"])
    assert set(a) == set(b)
    for table in a:
        assert a[table] == b[table], f"table {table} differs"


def test_incremental_equals_full_in_the_index(incremental_vs_full):
    a, b = _index(incremental_vs_full["inc"]), _index(incremental_vs_full["full"])
    assert a.keys() == b.keys() and len(a) > 1000
    diff = [ch for ch in a if a[ch] != b[ch]]
    assert diff == []


def test_incremental_equals_full_in_answers(incremental_vs_full):
    root = incremental_vs_full["root"]
    a = _answers(incremental_vs_full["inc"], root)
    b = _answers(incremental_vs_full["full"], root)
    for name in a:
        assert a[name] == b[name], name
    assert '"hebeicopy' in a["search"] and "liupanshui" not in a["plans"]


def test_an_update_reads_only_the_changed_plans_entries(built_copy, monkeypatch):
    """Per plan: an update reads the catalogue entry of a plan whose file or
    source changed, and of no other (their input hashes are the database's)."""
    from chengzhen.store import build as B

    root, db = built_copy
    read: list[str] = []
    real = B.load_entry
    monkeypatch.setattr(B, "load_entry", lambda r, pid, sink: read.append(pid) or real(r, pid, sink))
    assert build(root, db)["mode"] == "incremental" and read == []
    pid = sorted(p.stem for p in (root / "plans").glob("*.yaml"))[0]
    os.utime(root / "sources" / f"{pid}.txt")  # touched: read, found unchanged
    _edit(root / "plans" / f"{pid}.yaml", "\n  short_name: ", "\n  short_name: 新")
    stats = build(root, db)
    assert read == [pid] and stats["changed"] == [pid]


def test_a_plan_with_its_own_vocabulary_builds_fully(tmp_path):
    """A plan's vocabulary file is a vocabulary: every plan's rows may depend
    on it (the segmenter keeps its names whole)."""
    import sixth_plan

    root = _copy_data(tmp_path / "data")
    for rel in (f"plans/{sixth_plan.PLAN_ID}.yaml", f"sources/{sixth_plan.PLAN_ID}.txt",
                f"vocabulary/{sixth_plan.PLAN_ID}.yaml"):
        (root / rel).unlink(missing_ok=True)  # (the data may hold it already)
    db = tmp_path / "db"
    build(root, db)
    sixth_plan.add(root)
    stats = build(root, db)
    assert stats["mode"] == "full" and stats["plans"] == len(list((root / "plans").glob("*.yaml")))
    (root / "sources" / "xinan.txt").unlink()
    (root / "plans" / "xinan.yaml").unlink()  # its vocabulary file stays: accepted names outlive the plan
    stats = build(root, db)
    assert stats["mode"] == "incremental" and stats["deleted"] == ["xinan"]


def test_vocabulary_change_builds_fully(built_copy):
    root, db = built_copy
    _edit(root / "topics.yaml", "synonyms: [户籍制度,", "synonyms: [户籍管理, 户籍制度,")
    stats = build(root, db)
    assert stats["mode"] == "full"
    assert build(root, db, full=True)["mode"] == "full"


# --------------------------------------------------------------------------- kills and readers

_CZ = str(Path(sys.executable).with_name("cz"))


def _journal(db: Path) -> Path:
    return db.with_name(db.name + "-journal")


def _journal_header_zeroed(db: Path) -> bool:
    """SQLite writes a journal's magic number last: zeros mean "not hot"."""
    with open(_journal(db), "rb") as f:
        return f.read(8) == bytes(8)


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_sigkill_during_an_incremental_update_leaves_the_previous_state(tmp_path):
    root = _copy_data(tmp_path / "data")
    db = tmp_path / "db" / "chengzhen.db"
    build(root, db)
    before = table_rows(db)
    gen = json.loads(json.dumps(dict(sqlite3.connect(db).execute("SELECT key, value FROM meta"))))["generation"]
    # every plan changes: the write transaction is long enough to be hit
    for p in sorted((root / "plans").glob("*.yaml")):
        p.write_text(p.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    env = dict(os.environ, CZ_DATA=str(root), CZ_DB=str(db))
    hit = 0
    for delay in (0.0, 0.002, 0.01, 0.03, 0.06, 0.1):
        proc = subprocess.Popen([_CZ, "build", "-q"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 60
        while not _journal(db).exists() and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.0005)
        time.sleep(delay)
        writing = _journal(db).exists()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if proc.returncode == 0:
            pytest.fail("the update finished before it could be killed; the test proves nothing")
        hit += writing
        # a read-only open finds the hot journal; the next command restores the file
        res = run_cz(["sql", "SELECT value FROM meta WHERE key = 'generation'", "-f", "json"],
                     env={"CZ_DATA": str(tmp_path / "nodata"), "CZ_DB": str(db)})
        assert res.code == 0, res.err
        assert json.loads(res.out)["records"][0]["value"] == gen
        # a journal may stay only if it is not hot (nothing to roll back)
        assert not _journal(db).exists() or _journal(db).stat().st_size == 0 or _journal_header_zeroed(db)
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        assert table_rows(db) == before, f"a kill {delay}s into the write left a changed database"
    assert hit >= 3, "the kills never hit the write transaction"
    # and the update, run to the end, succeeds
    from chengzhen.kb.loader import load_catalogue

    assert build(root, db)["changed"] == [p.id for p in load_catalogue(root)]


_WRITER = r"""
import sys
from pathlib import Path
from chengzhen.store.build import build
root, db, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
src, body = root / "sources" / "tiny.txt", root / "plans" / "tiny.yaml"
n = 0
while not stop.exists() and n < 5000:
    old, new = ("加装电梯100部", "加装电梯120部") if n % 2 == 0 else ("加装电梯120部", "加装电梯100部")
    for f in (src, body):
        f.write_text(f.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    stats = build(root, db)
    # (a reader that found the data changed may have applied the update first)
    assert stats["mode"] == "incremental" and stats["changed"] in ([], ["tiny"]), stats
    n += 1
    if n == 1:
        print("ready", flush=True)
print(n)
"""


@pytest.mark.slow
def test_readers_during_incremental_updates_get_complete_answers(tiny, tmp_path):
    """While another process updates a plan in place again and again, every
    query answers from the state before or after an update, never between."""
    import threading

    db = Path(os.environ["CZ_DB"])
    assert run_cz(["build", "-q"]).code == 0
    env = dict(os.environ)
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(tiny), str(db), str(stop)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stdout.readline() == "ready\n", writer.stderr.read() if writer.poll() is not None else ""
    problems: list[str] = []
    seen: set[str] = set()

    def reader():
        for _ in range(6):
            res = subprocess.run([_CZ, "search", "加装电梯", "-f", "json"], env=env, capture_output=True, text=True,
                                 timeout=120)
            try:
                assert res.returncode == 0, res.stderr
                data = json.loads(res.stdout)
                texts = {r["text"] for r in data["records"] if r["id"] == "tiny/2.1"}
                assert len(texts) == 1, texts
                text = texts.pop()
                assert ("100部" in text) != ("120部" in text), text
                seen.add("100" if "100部" in text else "120")
            except Exception as exc:  # collected, asserted below
                problems.append(f"{exc!r} {res.stderr!r}")

    try:
        threads = [threading.Thread(target=reader) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert problems == []
    assert int(out) >= 10, f"only {out.strip()} updates happened during the reads"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
