"""The database connection a command works on: up to date (built or
updated first when the data changed), read-only, one consistent state for
the whole command, closed when the command ends."""

from __future__ import annotations

import sqlite3
import sys

# connections commands opened: closed when the command ends (cli/main.py),
# which also ends their read transactions
OPEN: list[sqlite3.Connection] = []


def connect() -> sqlite3.Connection:
    from chengzhen.store.connect import connect as store_connect

    def on_build(reason: str) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"cz: updating the database ({reason}) …\n")

    def on_problem(problem: str) -> None:
        # problem: "the data has N problems (first: file:line: CODE …)"
        line = " ".join(problem.splitlines())
        sys.stderr.write(f"cz: warning: {line}; answering from the last good database "
                         f"(`cz validate` lists them)\n")

    conn = store_connect(on_build=on_build, on_problem=on_problem)
    # one consistent state for the whole command, even while a build commits
    conn.execute("BEGIN")
    OPEN.append(conn)
    return conn


def close_all() -> None:
    while OPEN:
        conn = OPEN.pop()
        try:
            conn.close()
        except Exception:  # closing must never turn success into failure
            pass
