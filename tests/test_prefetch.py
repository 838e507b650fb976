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


def test_the_forked_sweep_gives_the_signature_computed_here(tiny):
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


def test_an_unneeded_sweep_is_stopped_and_reaped(tiny):
    from chengzhen.store.freshness import Prefetch

    pre = Prefetch.start(tiny)
    pid = pre._pid
    pre.close()
    assert pid and _reaped(pid)


def test_a_failed_child_falls_back_to_the_sweep_here(tiny, monkeypatch):
    from chengzhen.store import freshness

    pre = freshness.Prefetch.start(tiny)
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
