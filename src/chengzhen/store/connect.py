"""An up-to-date, read-only connection: what every query command opens.

:func:`connect` checks the database against the data and the code
(``store/freshness.py``) and brings it up to date first when needed
(``store/build.py``: an incremental update, or a full build).  When the data
has an error, the previous database — the last good one — keeps answering:
the caller is told through ``on_problem`` (the CLI prints one line), and the
failed attempt is remembered beside the database so that later commands do
not retry it until the data changes again.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from collections.abc import Callable

from chengzhen.errors import CzError, DataError
from chengzhen.kb.files import is_data_dir
from chengzhen.kb.messages import N_, Msg, from_json
from chengzhen.kb.problems import DataProblems, error_msg
from chengzhen.paths import data_dir, db_path
from chengzhen.store.db import open_readonly
from chengzhen.store.freshness import ALL, check, check_static, current_signature

Report = Callable[[str], None]
Signature = Callable[[], str]  # the data's stat signature now (store/freshness.py)


def _failed_marker(path: Path) -> Path:
    return path.with_name(path.name + ".failed")


def _remembered_failure(path: Path, root: Path, signature: Signature) -> str | None:
    marker = _failed_marker(path)
    try:
        got = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if got.get("stat_signature") == signature():
        said = from_json(got.get("message"))  # the message with its template: said in the reader's language
        return said if isinstance(said, Msg) and said == got.get("error") else got.get("error")
    return None


def _remember_failure(path: Path, root: Path, error: str) -> None:
    with contextlib.suppress(OSError):
        _failed_marker(path).write_text(json.dumps({
            "stat_signature": current_signature(root), "error": error,
            **({"message": error.as_json()} if isinstance(error, Msg) else {}),
        }, ensure_ascii=False), encoding="utf-8")


def problem_summary(exc: DataError) -> Msg:
    """One line: how many problems the data has, and the first of them."""
    count = getattr(exc, "count", 1)
    first = exc.ordered()[0].line_msg() if isinstance(exc, DataProblems) else error_msg(exc)
    return Msg(N_("the data has {count} problem (first: {first})") if count == 1 else
               N_("the data has {count} problems (first: {first})"), count=count, first=first)


def _forget_failure(path: Path) -> None:
    with contextlib.suppress(OSError):
        _failed_marker(path).unlink()


def open_unconfirmed(root: Path, path: Path, signature: Signature,
                     key: str = ALL) -> tuple[sqlite3.Connection, Callable[[], bool]] | None:
    """For a command that can hold its answer until it knows: the database,
    when every check but the data's stat signature passes now, with a
    function telling — later, once the signature is in — whether the
    database is that of the data; None when a check fails (use
    :func:`connect`).  ``key`` names the signature ``signature`` gives
    (store/freshness.py: every input, or a search's)."""
    if not path.is_file() or not is_data_dir(root):
        return None
    try:
        conn = open_readonly(path)
        why, built_from = check_static(conn, root, key)
    except sqlite3.DatabaseError:
        return None
    if why != "fresh" or built_from is None:
        conn.close()
        return None
    return conn, lambda: signature() == built_from


def connect(*, on_build: Report | None = None, on_problem: Report | None = None,
            root: Path | None = None, path: Path | None = None,
            signature: Signature | None = None) -> sqlite3.Connection:
    """A read-only connection to an up-to-date database (or to the last good
    one, when the data cannot be built; ``on_problem`` says why).
    ``signature`` gives the data's stat signature (a prefetched one)."""
    root = root or data_dir()
    path = path or db_path(root)
    if signature is None:
        signature = lambda: current_signature(root)  # noqa: E731
    if path.is_dir():
        raise CzError(f"database path {path} is a directory; set CZ_DB to a file")
    if not is_data_dir(root):
        if path.exists():
            with contextlib.suppress(sqlite3.DatabaseError):
                return open_readonly(path)
        raise CzError(
            f"no data found at {root} (it has no plans/ folder); set CZ_DATA to a chengzhen data "
            "directory, or reinstall cz"
        )
    why = "missing"
    conn = None
    if path.exists():
        try:
            conn = open_readonly(path)
            why = check(conn, root, signature)
        except sqlite3.DatabaseError:
            why = "damaged"
        if why == "fresh":
            return conn
        if conn is not None:
            conn.close()
    usable = why == "stale"  # the old file still answers correctly for the plans it holds
    failure = _remembered_failure(path, root, signature) if usable else None
    if failure is None:
        from chengzhen.store.build import build

        if on_build:
            on_build(why)
        try:
            build(root, path, only_if_stale=True)
            _forget_failure(path)
        except DataError as exc:
            if not usable:
                raise
            failure = problem_summary(exc)
            _remember_failure(path, root, failure)
    if failure is not None and on_problem:
        on_problem(failure)
    try:
        conn = open_readonly(path)
        conn.execute("SELECT 1 FROM meta LIMIT 1")
        return conn
    except sqlite3.DatabaseError as exc:
        raise CzError(f"cannot open database {path}: {exc}") from None
