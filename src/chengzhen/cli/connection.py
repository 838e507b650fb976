"""The database connection a command works on: up to date (built or
updated first when the data changed), read-only, one consistent state for
the whole command, closed when the command ends.

At thousands of plans, checking that the database is up to date (one
``stat`` per input file) costs as much as a search.  So :func:`prefetch`
(called by ``cli/main.py`` before the command is even parsed) starts that
sweep in a forked child, and a search opens the database *unconfirmed*
(``connect(optimistic=True)``): it computes its answer while the sweep runs,
then calls :func:`confirm` before it writes anything — if the data changed,
:class:`Stale` is raised, nothing has been written, and the search answers
again from an updated database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the annotations only: a help, which opens no database, does not import sqlite3)
    import sqlite3

# connections commands opened: closed when the command ends (cli/main.py),
# which also ends their read transactions
OPEN: list[sqlite3.Connection] = []

# commands that never open the search database (no sweep is started for them)
NO_DATABASE = frozenset({"build", "validate", "ingest", "serve"})

_prefetch = None  # store.freshness.Prefetch, started by prefetch()
_unconfirmed: Callable[[], bool] | None = None  # is the database opened unconfirmed that of the data?


class Stale(Exception):
    """The database a command answered from unconfirmed is not that of the
    data: nothing was written, and the command runs again."""


def prefetch(args: list[str], *, fork: bool = True) -> None:
    """Start the up-to-date check of the data for a command that will query
    (in a forked child only with ``fork``: the ``cz`` process itself).  A
    single search checks the inputs its answer is made of (all but the
    statistics files: store/freshness.py), any other command every input."""
    global _prefetch
    if not args or args[0].startswith("-") or args[0] in NO_DATABASE or "--help" in args or "-h" in args:
        return
    from chengzhen.paths import data_dir, db_path
    from chengzhen.store.freshness import ALL, TEXT, Prefetch

    key = TEXT if args[0] == "search" and "--stdin" not in args else ALL
    root = data_dir()
    _prefetch = Prefetch.start(root, fork=fork, key=key, db=db_path(root))


def _signature(root, key: str):
    """The prefetched signature ``key`` names, if that is the one started."""
    if _prefetch is not None and _prefetch.root == root and _prefetch.key == key:
        return _prefetch.value
    return None


def connect(*, optimistic: bool = False) -> sqlite3.Connection:
    """An up-to-date connection; with ``optimistic``, possibly one whose
    freshness :func:`confirm` settles later."""
    global _unconfirmed
    from chengzhen.paths import data_dir, db_path
    from chengzhen.store.connect import connect as store_connect, open_unconfirmed
    from chengzhen.store.freshness import ALL

    root = data_dir()
    if optimistic and _prefetch is not None and _unconfirmed is None:
        key = _prefetch.key
        signature = _signature(root, key)
        if signature is not None:
            got = open_unconfirmed(root, db_path(root), signature, key)
            if got is not None:
                conn, _unconfirmed = got
                return _opened(conn)
    signature = _signature(root, ALL)  # a search's narrower one is not the whole data's: computed in line

    def on_build(reason: str) -> None:
        if sys.stderr.isatty():
            from chengzhen.i18n import _, translate

            sys.stderr.write(_("cz: updating the database ({reason}) …").format(reason=translate(reason)) + "\n")

    def on_problem(problem: str) -> None:
        # problem: "the data has N problems (first: file:line: CODE …)" (a kb message: said in the reader's language)
        from chengzhen.i18n import _, say

        line = " ".join(say(problem).splitlines())
        sys.stderr.write(_("cz: warning: {problem}; answering from the last good database (`cz validate` lists "
                           "them)").format(problem=line) + "\n")

    return _opened(store_connect(on_build=on_build, on_problem=on_problem, signature=signature))


def _opened(conn: sqlite3.Connection) -> sqlite3.Connection:
    # one consistent state for the whole command, even while a build commits
    conn.execute("BEGIN")
    OPEN.append(conn)
    return conn


def confirm() -> None:
    """Before a command that connected optimistically writes its answer:
    raise :class:`Stale` when its database is not that of the data."""
    global _unconfirmed
    check, _unconfirmed = _unconfirmed, None
    if check is not None and not check():
        raise Stale()


def close_all() -> None:
    global _prefetch, _unconfirmed
    _unconfirmed = None
    while OPEN:
        conn = OPEN.pop()
        try:
            conn.close()
        except Exception:  # closing must never turn success into failure
            pass
    if _prefetch is not None:
        _prefetch.close()
        _prefetch = None
