"""cz on Windows and macOS as well as Linux, tested from here.

* Every user path runs with the POSIX-only modules made unavailable (as on
  Windows): ``fcntl`` first of all (the build lock), and ``termios``, ``tty``,
  ``pty``, ``pwd``, ``grp``, ``resource``.  A ``sitecustomize`` module on
  ``PYTHONPATH`` blocks them in the ``cz`` process and in every process it
  starts (the build's workers).
* Output on a legacy GBK console (``PYTHONIOENCODING=gbk``) never crashes and
  is valid GBK.
* The build lock without fcntl is filelock's soft lock: no warning reaches
  the user, and a lock left behind stops a build with one line, not forever.
* The two segmenter implementations (rjieba, and jieba where no rjieba wheel
  exists) cut alike, and a database cut by one is rebuilt by the other.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, make_tiny

pytestmark = pytest.mark.slow  # CI runs it (pytest -m slow)

CZ = str(Path(sys.executable).with_name("cz"))
POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "pwd", "grp", "resource")

SITE_BLOCK = """\
import sys
for name in {blocked!r}:
    sys.modules[name] = None
"""

# the same, and every full build in worker processes (however few plans)
SITE_WORKERS = SITE_BLOCK + """\
import chengzhen.store.build
chengzhen.store.build.PARALLEL_MIN_PLANS = 1
"""


def _site(tmp: Path, code: str, blocked=POSIX_ONLY) -> dict:
    d = tmp / "site"
    d.mkdir(exist_ok=True)
    (d / "sitecustomize.py").write_text(code.format(blocked=tuple(blocked)), encoding="utf-8")
    return {"PYTHONPATH": str(d)}


def _run(args, env: dict, *, cmd=None, timeout=600) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CZ_DEBUG", "PYTHONIOENCODING")}
    full.update(env)
    return subprocess.run(cmd or [CZ, *args], env=full, capture_output=True, timeout=timeout)


def _copy_data(dst: Path) -> Path:
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("build"))
    return dst


@pytest.mark.parametrize("site", [SITE_BLOCK, SITE_WORKERS], ids=["serial", "workers"])
def test_cz_runs_without_posix_only_modules(tmp_path, site):
    root = _copy_data(tmp_path / "data")
    env = {"CZ_DATA": str(root), "CZ_DB": str(tmp_path / "db" / "chengzhen.db"), **_site(tmp_path, site)}
    # the modules really are unavailable in processes started this way
    probe = _run([], env, cmd=[sys.executable, "-c", "import fcntl"])
    assert probe.returncode != 0 and b"fcntl" in probe.stderr

    steps = [
        ["build", "-q"],
        ["search", "老旧小区", "-f", "json"],
        ["show", "qinghai"],
        ["compare", "guizhou", "qinghai", "-f", "json"],
        ["targets", "--year", "2028"],
        ["validate"],
    ]
    for args in steps:
        res = _run(args, env)
        assert res.returncode == 0, (args, res.stderr.decode("utf-8", "replace"))
        assert res.stderr == b"", (args, res.stderr.decode("utf-8", "replace"))
    assert json.loads(_run(["search", "老旧小区", "-f", "json"], env).stdout)["total"] > 0

    # an edit: the next query updates the database in place, under the soft lock
    p = root / "plans" / "hebei.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    res = _run(["search", "老旧小区", "-f", "json"], env)
    assert res.returncode == 0 and res.stderr == b"", res.stderr.decode("utf-8", "replace")
    conn = sqlite3.connect(tmp_path / "db" / "chengzhen.db")
    assert dict(conn.execute("SELECT key, value FROM meta"))["build_mode"] == "incremental"
    conn.close()
    # and a forced full build
    res = _run(["build", "--full", "-q"], env)
    assert res.returncode == 0 and res.stderr == b"", res.stderr.decode("utf-8", "replace")


GBK_CASES = [
    ["search", "老旧小区"],
    ["search", "老旧小区", "-f", "json"],
    ["search", "老旧小区", "-f", "csv"],
    ["show", "qinghai/6.28"],
    ["show", "hunan"],
    ["plans"],
    ["targets", "--indicator", "城镇化率"],
    ["compare", "guizhou", "qinghai"],
    ["search", "𠮷野家"],            # a query GBK cannot show: no hit, no crash
    ["search", "城中材"],             # a suggestion
    ["show", "nosuchplan/1"],         # an error line
    ["--help"],
]


@pytest.mark.parametrize("args", GBK_CASES, ids=[" ".join(a) for a in GBK_CASES])
def test_legacy_gbk_console(args, real_db):
    env = {"CZ_DATA": str(DATA), "CZ_DB": str(real_db), "PYTHONIOENCODING": "gbk"}
    res = _run(args, env)
    assert res.returncode in (0, 1, 2), res.stderr.decode("gbk", "replace")
    out = res.stdout.decode("gbk")  # strict: every byte is GBK
    err = res.stderr.decode("gbk")
    assert "Traceback" not in err and "internal error" not in err, err
    if res.returncode == 2:
        assert err.startswith("cz: error: ") and err.count("\n") == 1, err
    else:
        assert out.strip() or err.strip()


def test_soft_lock_warns_no_one_and_does_not_wait_forever(tmp_path):
    """Without fcntl, filelock locks by the lock file's existence; one left
    by a killed process stops the build with one line after the timeout."""
    db = tmp_path / "x.db"
    (tmp_path / "x.db.lock").write_text("", encoding="utf-8")  # left behind
    code = (
        "import sys, time\n"
        "sys.modules['fcntl'] = None\n"
        "from pathlib import Path\n"
        "from chengzhen.errors import CzError\n"
        "from chengzhen.store.lock import build_lock\n"
        "with build_lock(Path(sys.argv[1]).with_name('free.db'), timeout=5):\n"
        "    print('free lock taken')\n"
        "t = time.monotonic()\n"
        "try:\n"
        "    with build_lock(Path(sys.argv[1]), timeout=1):\n"
        "        print('taken')\n"
        "except CzError as exc:\n"
        "    print(exc, round(time.monotonic() - t))\n"
    )
    t = time.monotonic()
    res = _run([], {}, cmd=[sys.executable, "-W", "default", "-c", code, str(db)], timeout=60)
    assert time.monotonic() - t < 60
    assert res.returncode == 0, res.stderr.decode()
    assert res.stderr == b"", res.stderr.decode()  # no "only soft file lock is available"
    lines = res.stdout.decode().splitlines()
    assert lines[0] == "free lock taken"
    assert lines[1].startswith(f"the database {db} has been locked by another cz build for 1 s; "
                               f"if no cz is running, delete {db}.lock"), lines


def test_cli_build_says_one_line_when_the_lock_is_held(tmp_path, monkeypatch):
    """The same message through the CLI, the lock held by another process."""
    from chengzhen.store import lock

    root = make_tiny(tmp_path / "data")
    db = tmp_path / "db" / "chengzhen.db"
    db.parent.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from chengzhen.store.lock import build_lock\n"
        "with build_lock(Path(sys.argv[1])):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(60)\n"), str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        monkeypatch.setattr(lock, "LOCK_TIMEOUT", 0.5)
        from conftest import run_cz

        res = run_cz(["build", "-q"], env={"CZ_DATA": str(root), "CZ_DB": str(db)})
        assert res.code == 2
        assert res.err == (f"cz: error: the database {db} has been locked by another cz build for 0 s; "
                           f"if no cz is running, delete {db}.lock\n")
    finally:
        holder.kill()
        holder.wait()


# --------------------------------------------------------------------------- the segmenter, either way

needs_rjieba = pytest.mark.skipif(importlib.util.find_spec("rjieba") is None,
                                  reason="rjieba not installed (no wheel here): jieba is all there is")


@needs_rjieba
def test_both_segmenters_cut_the_corpus_alike():
    """Every measure of the knowledge base and every sentence of its sources,
    with the knowledge base's terms: the same words, the same cuts."""
    from chengzhen.kb.loader import iter_bundles, load_kb
    from chengzhen.text.segment import SENTENCE, Segmenter, measure_text, words_at

    kb = load_kb(DATA)
    terms = kb.vocab.terms()
    fast, ref = Segmenter(terms, "rjieba"), Segmenter(terms, "jieba")
    assert fast.backend.startswith("rjieba ") and ref.backend.startswith("jieba ")
    n = 0
    for bundle in iter_bundles(kb):
        for meas in bundle.body.measures:
            text = measure_text(meas.title, meas.text)
            assert fast.cuts(text) == ref.cuts(text), meas.id
            assert fast.words(text) == ref.words(text) == words_at(text, ref.cuts(text)), meas.id
            n += 1
        for line in bundle.lines:
            for s in SENTENCE.findall(line):
                assert fast.cut(s) == ref.cut(s), s
    assert n > 200
    # the terms stay whole either way
    for seg in (fast, ref):
        assert "省住房城乡建设厅" in seg.words("由省住房城乡建设厅牵头")


@needs_rjieba
def test_a_database_cut_by_one_segmenter_is_rebuilt_by_the_other(tmp_path):
    """Without rjieba (no wheel for the platform) cz falls back to jieba: the
    same rows, and the database records which one cut them, so switching
    rebuilds rather than mixes."""
    root = make_tiny(tmp_path / "data")
    db_j, db_r = tmp_path / "j.db", tmp_path / "r.db"
    no_rjieba = _site(tmp_path, SITE_BLOCK, blocked=("rjieba",))
    res = _run(["build", "-q"], {"CZ_DATA": str(root), "CZ_DB": str(db_j), **no_rjieba})
    assert res.returncode == 0 and res.stderr == b"", res.stderr.decode("utf-8", "replace")
    res = _run(["build", "-q"], {"CZ_DATA": str(root), "CZ_DB": str(db_r)})
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")

    def content(db):
        conn = sqlite3.connect(db)
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'docs_fts%' AND name NOT LIKE 'sqlite_%'")]
        got = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables if t != "meta"}
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        conn.close()
        return got, meta

    rows_j, meta_j = content(db_j)
    rows_r, meta_r = content(db_r)
    assert rows_j == rows_r
    assert meta_j["segmenter"].startswith("jieba ") and meta_r["segmenter"].startswith("rjieba ")
    assert meta_j["code_hash"] != meta_r["code_hash"]
    # the jieba-cut file, opened where rjieba is installed: rebuilt, not served
    res = _run(["build", "-q"], {"CZ_DATA": str(root), "CZ_DB": str(db_j)})
    assert res.returncode == 0
    assert content(db_j)[1]["segmenter"] == meta_r["segmenter"]
    assert content(db_j)[1]["build_mode"] == "full"
