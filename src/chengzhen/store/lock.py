"""The build lock: one writer at a time per database file, on every platform.

``filelock`` locks with fcntl on POSIX and msvcrt on Windows.  Where neither
exists it falls back to a *soft* lock (the lock file's existence) and warns
about it on import; the warning is ours to handle, not the user's, so it is
silenced here.  A soft lock left behind by a killed process would be waited
for forever, so every wait is bounded: after :data:`LOCK_TIMEOUT` seconds the
command stops with one line naming the lock file.
"""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path

from chengzhen.errors import CzError

# long enough for another process's full build of a large knowledge base
LOCK_TIMEOUT = 900.0


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


@contextlib.contextmanager
def build_lock(db: Path, timeout: float | None = None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "only soft file lock is available"
        from filelock import FileLock, Timeout

    db.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(db)
    wait = LOCK_TIMEOUT if timeout is None else timeout
    lock = FileLock(str(path), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise CzError(f"the database {db} has been locked by another cz build for {wait:.0f} s; "
                      f"if no cz is running, delete {path}") from None
    try:
        yield
    finally:
        lock.release()
