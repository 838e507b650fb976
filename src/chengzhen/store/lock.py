"""The build lock: one writer at a time per database file, on every platform
(``filelock`` uses fcntl on POSIX and msvcrt on Windows)."""

from __future__ import annotations

import contextlib
from pathlib import Path


@contextlib.contextmanager
def build_lock(db: Path):
    from filelock import FileLock

    db.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(db.with_name(db.name + ".lock"))):
        yield
