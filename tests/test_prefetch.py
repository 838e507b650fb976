"""The up-to-date check run beside a search (store/freshness.py Prefetch,
cli/connection.py): the same answer as the check run in line, no child
left behind, and a search on data changed since the last build answers
from the updated database — never from the old one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import run_cz


@pytest.fixture
def one_thread(monkeypatch):
    """As in a `cz` process: no other thread runs (Prefetch forks only then).
    A test run before this one in the same worker may have left a thread
    (a web server's): without this the sweep is not forked, its pid is 0 —
    and ``os.kill(0, …)`` would signal pytest's whole process group."""
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 1)


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture
def started(monkeypatch) -> list:
    """The pids of the sweeps commands start."""
    from chengzhen.store.freshness import Prefetch

    pids: list[int] = []
    real = Prefetch.start.__func__

    def spy(cls, root, **kw):
        pre = real(cls, root, **kw)
        pids.append(pre._pid)
        return pre

    monkeypatch.setattr(Prefetch, "start", classmethod(spy))
    return pids


def test_the_forked_sweep_gives_the_signature_computed_here(tiny, one_thread):
    from chengzhen.store.freshness import Prefetch, current_signature

    pre = Prefetch.start(tiny)
    pid = pre._pid
    assert pid, "a child was forked"
    assert pre.value() == current_signature(tiny)
    assert _reaped(pid)


def test_without_fork_the_sweep_runs_here(tiny, monkeypatch):
    from chengzhen.store import freshness

    monkeypatch.delattr(freshness.os, "fork")
    pre = freshness.Prefetch.start(tiny)
    assert not pre._pid
    assert pre.value() == freshness.current_signature(tiny)


def test_an_unneeded_sweep_is_stopped_and_reaped(tiny, one_thread):
    from chengzhen.store.freshness import Prefetch

    pre = Prefetch.start(tiny)
    pid = pre._pid
    pre.close()
    assert pid and _reaped(pid)


def test_a_failed_child_falls_back_to_the_sweep_here(tiny, one_thread):
    from chengzhen.store import freshness

    pre = freshness.Prefetch.start(tiny)
    assert pre._pid > 0, "a child was forked"  # (never os.kill(0, …): that is the whole process group)
    os.kill(pre._pid, 9)  # no answer comes down the pipe
    assert pre.value() == freshness.current_signature(tiny)


def _add_word(root, word: str) -> None:
    """A valid edit: the word joins a measure's text and its source line."""
    for rel in ("sources/tiny.txt", "plans/tiny.yaml"):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace("加装电梯100部。", f"加装电梯100部,建设{word}。"),
                        encoding="utf-8")


def test_a_search_after_an_edit_answers_from_the_updated_database(tiny, started):
    """In process (cz's main called with argv): the same answer, no fork."""
    assert run_cz(["search", "海绵城市", "-f", "ids"]).code == 1  # builds; the word is nowhere
    _add_word(tiny, "海绵城市")
    res = run_cz(["search", "海绵城市", "-f", "ids"])
    assert (res.code, res.out) == (0, "tiny/2.1\n"), res.err
    assert started == [0, 0]


def test_a_search_after_an_edit_in_a_fresh_process(tiny):
    """The same in a process of its own, as a user runs it (the sweep forked)."""
    env = dict(os.environ)
    run = lambda *a: subprocess.run([sys.executable, "-m", "chengzhen", *a], env=env, capture_output=True,  # noqa: E731
                                    text=True, timeout=120)
    assert run("search", "海绵城市", "-f", "ids").returncode == 1
    _add_word(tiny, "海绵城市")
    res = run("search", "海绵城市", "-f", "json")
    assert res.returncode == 0, res.stderr
    assert res.stdout.count('"command": "search"') == 1  # one answer, not the stale one and then another
    assert '"tiny/2.1"' in res.stdout


def test_an_unknown_name_on_a_stale_database_is_checked_again(tiny):
    """A filter the old database does not know, but the data now has, is
    not an error."""
    assert run_cz(["search", "老旧小区", "-f", "ids"]).code == 0
    topics = tiny / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "  - name: 海绵城市\n", encoding="utf-8")
    res = run_cz(["search", "老旧小区", "--topic", "海绵城市", "-f", "ids"])
    assert res.code == 1 and "unknown" not in res.err, res.err


@pytest.mark.parametrize("args", [["build", "-q"], ["--version"], ["search", "--help"]])
def test_commands_without_a_query_start_no_sweep(tiny, args, monkeypatch):
    from chengzhen.store import freshness

    started = []
    monkeypatch.setattr(freshness.Prefetch, "start", classmethod(lambda cls, root, **kw: started.append(root)))
    run_cz(args)
    assert not started


# --------------------------------------------------------------------------- a search's inputs

STATISTICS_TABLES = {"statistics", "statistic_sources"}  # the rows built from data/statistics/ (store/geo.py)


def _queries(conn) -> list[list[str]]:
    """Every kind of query a search answers: words, a number, a topic, a
    department, an indicator, a plan, a national task, a phrase cut into
    words, a miss with suggestions, FTS syntax — each with the options that
    change what is read."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    words = ["老旧小区", "住房 保障", "2025", one("SELECT name FROM topics LIMIT 1"),
             one("SELECT department FROM measure_departments LIMIT 1"), one("SELECT indicator FROM targets LIMIT 1"),
             one("SELECT name FROM plans LIMIT 1"), one("SELECT task_id FROM measure_tasks LIMIT 1"),
             "随迁子女公办学校", "老旧小去", '"AND" NEAR(']
    out = [[w, "-f", "json"] for w in words]
    out += [[w, "-f", "json", "--limit", "3", *extra] for w in words[:4]
            for extra in (["--expand"], ["--group-by", "plan"], ["--fuzzy"], ["--kind", "target"])]
    out += [["城镇化率 OR 户籍", "--raw", "-f", "json"], ["老旧小区", "-f", "csv"], ["老旧小区"]]
    return out


def test_a_search_reads_no_row_built_from_the_statistics(monkeypatch, conn):
    """A single search compares the signature of every input but the
    statistics files (store/freshness.py TEXT): true only if nothing it
    reads is built from them.  Every table each search reads, by SQLite's
    authorizer, over every kind of query."""
    import sqlite3

    from chengzhen.store import connect as store_connect

    read: set[str] = set()

    def watch(action, arg1, arg2, db, trigger):
        if action == sqlite3.SQLITE_READ and arg1:
            read.add(arg1)
        return sqlite3.SQLITE_OK

    real = store_connect.open_readonly

    def watched(path):
        c = real(path)
        c.set_authorizer(watch)
        return c

    monkeypatch.setattr(store_connect, "open_readonly", watched)
    queries = _queries(conn)
    for args in queries:
        assert run_cz(["search", *args]).code in (0, 1), args
    assert {"docs", "measures", "plans"} <= read  # the authorizer saw the search's reads
    assert not read & STATISTICS_TABLES, sorted(read & STATISTICS_TABLES)


def test_a_changed_statistics_file_is_seen_by_the_commands_that_read_it(real_copy, monkeypatch):
    """A search after a statistics file changed answers from the database as
    it is (its answer is not made of statistics) and builds nothing; the next
    command that reads statistics compares every input, and updates first."""
    from chengzhen.paths import db_path
    from chengzhen.store.db import open_readonly, read_meta
    from chengzhen.store.freshness import ALL, TEXT, current_signature

    def meta() -> dict:
        c = open_readonly(db_path(real_copy))
        try:
            return read_meta(c)
        finally:
            c.close()

    assert run_cz(["search", "老旧小区", "-f", "ids"]).code == 0  # builds
    before = meta()
    stats = sorted((real_copy / "statistics").glob("*.yaml"))[0]
    stats.write_text(stats.read_text(encoding="utf-8") + "# checked again\n", encoding="utf-8")
    assert current_signature(real_copy, ALL) != before[ALL]
    assert current_signature(real_copy, TEXT) == before[TEXT]
    ids = run_cz(["search", "老旧小区", "-f", "ids"])
    assert ids.code == 0 and meta()["generation"] == before["generation"]  # nothing to update for a search
    run_cz(["targets", "-f", "json"])  # reads the database as a whole: every input compared
    after = meta()
    assert int(after["generation"]) > int(before["generation"])
    assert after[ALL] == current_signature(real_copy, ALL)
    assert run_cz(["search", "老旧小区", "-f", "ids"]).out == ids.out


def test_a_search_still_sees_a_source_edited_in_place_without_its_folder_changing(tiny):
    """The narrower signature still stats every plan and source file: an
    edit in place (the folder's own time kept) is seen by the next search."""
    assert run_cz(["search", "海绵城市", "-f", "ids"]).code == 1
    times = {d: os.stat(tiny / d).st_mtime_ns for d in ("plans", "sources")}
    _add_word(tiny, "海绵城市")
    for d, t in times.items():
        os.utime(tiny / d, ns=(t, t))
    res = run_cz(["search", "海绵城市", "-f", "ids"])
    assert (res.code, res.out) == (0, "tiny/2.1\n"), res.err


def test_a_folder_recorded_by_the_build_is_not_listed_again_until_it_changes(tiny, monkeypatch):
    """The names a build recorded stand for a folder's listing only while
    the folder's stamp is the one recorded: a file added since is in the
    signature, as if the folder were listed."""
    from chengzhen.paths import db_path
    from chengzhen.store import freshness as F

    monkeypatch.setattr(F, "RACY_NS", -10**12)  # every stamp trusted, however recent (the folders were made just now)
    assert run_cz(["search", "老旧小区", "-f", "ids"]).code == 0  # builds, recording the folders
    records = F.recorded_folders(db_path(tiny))
    assert records[F.FOLDER_KEY + "plans"].split("\n")[1:] == ["tiny.yaml"]
    listed = []
    real = F._listed
    monkeypatch.setattr(F, "_listed", lambda folder, suffix: listed.append(folder) or real(folder, suffix))
    for key in (F.ALL, F.TEXT):
        listed.clear()
        with_records = F.current_signature(tiny, key, records)
        assert not [f for f in listed if os.path.isdir(f)]  # every input folder recorded and unchanged: none listed
        assert with_records == F.current_signature(tiny, key) == F.stat_signature(F.stats_of(tiny, F.input_names(tiny)), key)
    built = F.current_signature(tiny, F.TEXT, records)
    (tiny / "sources" / "extra.txt").write_text("另一份文件\n", encoding="utf-8")
    listed.clear()
    now = F.current_signature(tiny, F.TEXT, records)
    assert len([f for f in listed if not isinstance(f, str)]) == 1  # the folder that changed, listed again
    assert now != built and now == F.stat_signature(F.stats_of(tiny, F.input_names(tiny)), F.TEXT)


def test_a_folder_changed_just_before_the_build_is_not_recorded(tiny):
    from chengzhen.store import freshness as F

    (tiny / "sources" / "extra.txt").write_text("另一份文件\n", encoding="utf-8")
    records = F.folder_records(tiny)
    assert records[F.FOLDER_KEY + "sources"] == ""


def test_a_folder_with_a_line_break_in_a_name_is_not_recorded(tiny, monkeypatch):
    """A record holds names one a line: a name with a line break in it could
    not be given back, so that folder is listed by every sweep."""
    from chengzhen.store import freshness as F

    monkeypatch.setattr(F, "RACY_NS", -10**12)
    assert F.folder_records(tiny)[F.FOLDER_KEY + "sources"] != ""
    (tiny / "sources" / "two\nlines.txt").write_text("x\n", encoding="utf-8")
    assert F.folder_records(tiny)[F.FOLDER_KEY + "sources"] == ""
