"""Is the database up to date with the data and with the code?  Cheap enough
to ask on every query.

A build records in the database: every input file's size, modification time
and SHA-256 (table ``inputs``), a signature of all their names, sizes and
times (``meta.stat_signature``) and one of the inputs a search's answer is
made of — every input but the statistics files (``meta.text_signature``),
the hash of the declared schema and of the code that writes the rows
(``meta.schema_hash``, ``meta.code_hash``), and the data directory.  A query
compares a stat signature (one ``stat`` per file) and the two hashes; only a
build reads file contents, and then only of the files whose size or time
changed.  The sweep can run in a forked child while the command starts and
queries (:class:`Prefetch`).

Which signature a command compares: the one of the inputs its answer is made
of.  ``cz search`` reads no row built from a statistics file (the
``statistics`` and ``statistic_sources`` tables, nothing else:
tests/test_prefetch.py checks it), so it compares ``text_signature`` and
does not stat the statistics files (a third of the files at ×1000); a
changed statistics file is seen by the next command that reads them
(``cz progress``, ``cz targets`` …), which compares ``stat_signature``.

A folder's names need not be listed again when the folder is the one the
last build listed and no entry was added, removed or renamed since: the
build records each input folder's device, inode and status-change time
(taken before it lists it) with the names it listed (``meta.input_folder:
<folder>``), and a sweep that finds the folder's stamp unchanged takes those
names — every file is still stat'ed, so an edit in place is seen as before.
An entry made in the same clock tick as the recorded time would leave the
time as it was, so a stamp is recorded only when the folder's time was
:data:`RACY_NS` older than the build's look at it (as git does with its
index); otherwise the sweep lists the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sqlite3
import sys
import time
from array import array
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from chengzhen.errors import CzError
from chengzhen.kb.files import (ORDER_FILE, PLACE_FILES, PLANS_DIR, SOURCES_DIR, STATISTICS_DIR, VOCABULARY_DIR,
                                VOCABULARY_FILES)
from chengzhen.store import schema
from chengzhen.store.db import open_readonly, read_meta
from chengzhen.text.segment import backend as segment_backend

GLOBAL_FILES = (ORDER_FILE, *VOCABULARY_FILES, *PLACE_FILES)
# the folders of input files (and the ending of the names taken), in signature order
INPUT_DIRS = ((VOCABULARY_DIR, ".yaml"), (PLANS_DIR, ".yaml"), (SOURCES_DIR, ""), (STATISTICS_DIR, ".yaml"))
# meta keys of the two stat signatures: every input, and every input but the statistics files
ALL, TEXT = "stat_signature", "text_signature"
_TEXT_DIRS = tuple(d for d in INPUT_DIRS if d[0] != STATISTICS_DIR)
# a folder's names recorded by a build (meta key + folder), and how much older than the build's look at it
# the folder's time must be for its stamp to be trusted (two changes in one clock tick keep one time)
FOLDER_KEY = "input_folder:"
RACY_NS = 2_000_000_000

# the code whose output is in the database: a change to any of it rebuilds
_CODE_DIRS = ("text", "kb", "store")


def input_names(root: Path) -> list[str]:
    """Every input file, relative to ``root``: the order file, the
    vocabularies and places (and the plans' vocabulary files), each plan's
    file, every source file and every statistics file."""
    base = str(root)
    names = list(GLOBAL_FILES)
    for sub, suffix in INPUT_DIRS:
        names.extend(f"{sub}/{n}" for n in _listed(base + "/" + sub, suffix))
    return names


def _listed(folder: str | int, suffix: str) -> list[str]:
    """The input files' names in a folder (a path or a descriptor), sorted."""
    try:
        return sorted(n for n in os.listdir(folder) if n.endswith(suffix) and n[0] != ".")
    except (FileNotFoundError, NotADirectoryError):
        return []


def folder_records(root: Path) -> dict[str, str]:
    """For a build's meta: each input folder's stamp (device, inode,
    status-change time, taken before listing it) and its input files' names,
    one a line — or '' when the folder changed less than :data:`RACY_NS`
    before this look (its stamp may not tell a later change), is absent, or
    holds a name with a line break (the record could not give it back)."""
    base = str(root) + "/"
    out = {}
    for sub, suffix in INPUT_DIRS:
        now = time.time_ns()
        try:
            st = os.stat(base + sub)
        except OSError:
            out[FOLDER_KEY + sub] = ""
            continue
        names = _listed(base + sub, suffix)
        trusted = max(st.st_ctime_ns, st.st_mtime_ns) < now - RACY_NS and not any("\n" in n for n in names)
        out[FOLDER_KEY + sub] = "\n".join([_stamp(st), *names]) if trusted else ""
    return out


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_dev} {st.st_ino} {st.st_ctime_ns}"


def recorded_folders(db: Path | None) -> dict[str, str]:
    """The folders' records (:func:`folder_records`) the database at ``db``
    holds ({} when it cannot be read)."""
    if db is None:
        return {}
    try:
        conn = open_readonly(db, recover=False)
    except (sqlite3.Error, OSError):
        return {}
    try:
        return dict(conn.execute("SELECT key, value FROM meta WHERE key >= ? AND key < ?",
                                 (FOLDER_KEY, FOLDER_KEY[:-1] + chr(ord(FOLDER_KEY[-1]) + 1))))
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def vocabulary_names(names: list[str]) -> list[str]:
    """The inputs every plan's rows depend on: the vocabularies, the
    national plan and the plans' vocabulary files."""
    return [*VOCABULARY_FILES, *PLACE_FILES, *(n for n in names if n.startswith(VOCABULARY_DIR + "/"))]


def stats_of(root: Path, names: list[str]) -> dict[str, tuple[int, int] | None]:
    """(size, mtime_ns) of each file, None for a missing one.  Plain strings
    and os.stat, each file looked up from its directory's descriptor where
    the platform allows (no walk of the whole path per file): this runs for
    every query, for thousands of files."""
    base = str(root) + "/"
    out: dict[str, tuple[int, int] | None] = {}
    stat = os.stat
    by_fd = stat in os.supports_dir_fd
    folder, fd = None, -1
    try:
        for rel in names:
            where, _, name = rel.rpartition("/")
            if by_fd and where != folder:
                if fd >= 0:
                    os.close(fd)
                folder, fd = where, -1
                if where:
                    with contextlib.suppress(OSError):
                        fd = os.open(base + where, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                st = stat(name, dir_fd=fd) if fd >= 0 else stat(base + rel)
                out[rel] = (st.st_size, st.st_mtime_ns)
            except (FileNotFoundError, NotADirectoryError):
                out[rel] = None
    finally:
        if fd >= 0:
            os.close(fd)
    return out


def stat_signature(stats: dict[str, tuple[int, int] | None], key: str = ALL) -> str:
    """The signature ``key`` names (:data:`ALL`, :data:`TEXT`) of the stats
    of :func:`stats_of` over :func:`input_names`: a hash of the files' names
    and of their sizes and times (:func:`current_signature` computes the same
    from the files themselves)."""
    skip = STATISTICS_DIR + "/" if key == TEXT else None
    names = [rel for rel in stats if not (skip and rel.startswith(skip))]
    values = array("q")
    for rel in names:
        st = stats[rel]
        values.extend(st if st else _MISSING)
    return _digest("\n".join(names), values)


_MISSING = (-1, -1)


def _digest(names: str, values: array) -> str:
    h = hashlib.sha256(names.encode())
    h.update(b"\0")
    h.update(values.tobytes())
    return h.hexdigest()


def file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of the schema, of every module that turns data into rows
    (text, kb, store) and of the segmenter implementation, so a database
    written by other code is rebuilt."""
    pkg = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(schema.declared_hash().encode())
    h.update(segment_backend().encode())  # rjieba or jieba, and its version
    for sub in _CODE_DIRS:
        for path in sorted((pkg / sub).iterdir()):
            if path.suffix in (".py", ".sql"):
                h.update(f"{sub}/{path.name}\n".encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def current_signature(root: Path, key: str = ALL, folders: dict[str, str] | None = None) -> str:
    """The stat signature ``key`` names of the data directory now: what
    :func:`stat_signature` gives for :func:`stats_of` :func:`input_names`,
    computed folder by folder — each file stat'ed from its folder's
    descriptor, its size and time packed, no string made per file but its
    name; a folder whose stamp is that of its record in ``folders``
    (:func:`recorded_folders`) is not listed again.  This runs for every
    query, for thousands of files."""
    folders = folders or {}
    base = str(root) + "/"
    stat = os.stat
    by_fd = stat in os.supports_dir_fd and os.listdir in os.supports_fd
    names = list(GLOBAL_FILES)
    values = array("q")
    for rel in GLOBAL_FILES:
        try:
            st = stat(base + rel)
            values.append(st.st_size)
            values.append(st.st_mtime_ns)
        except (FileNotFoundError, NotADirectoryError):
            values.extend(_MISSING)
    for sub, suffix in (_TEXT_DIRS if key == TEXT else INPUT_DIRS):
        fd = -1
        if by_fd:
            with contextlib.suppress(OSError):
                fd = os.open(base + sub, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            listed = None
            record = folders.get(FOLDER_KEY + sub)
            if record and fd >= 0:
                stamp, _, recorded = record.partition("\n")
                if stamp == _stamp(os.fstat(fd)):
                    listed = recorded.split("\n") if recorded else []
            if listed is None:
                listed = _listed(fd if fd >= 0 else base + sub, suffix)
            if listed:
                names.append(sub + "/" + ("\n" + sub + "/").join(listed))
            for name in listed:
                try:
                    st = stat(name, dir_fd=fd) if fd >= 0 else stat(base + sub + "/" + name)
                    values.append(st.st_size)
                    values.append(st.st_mtime_ns)
                except (FileNotFoundError, NotADirectoryError):
                    values.extend(_MISSING)
        finally:
            if fd >= 0:
                os.close(fd)
    return _digest("\n".join(names), values)


def check_static(conn: sqlite3.Connection, root: Path, key: str = ALL) -> tuple[str, str | None]:
    """Every check but the data's stat signature: ('fresh', the signature
    ``key`` names that the database was built from), or (why it must be rebuilt: 'damaged', 'other
    schema', 'other code', 'built from other data', None)."""
    try:
        meta = read_meta(conn)
        actual = schema.db_hash(conn)
    except sqlite3.DatabaseError:
        return "damaged", None
    if actual != schema.declared_hash() or meta.get("schema_hash") != schema.declared_hash():
        return "other schema", None
    if meta.get("code_hash") != code_hash():
        return "other code", None
    if meta.get("data_dir") != str(root.resolve()):
        return "built from other data", None
    return "fresh", meta.get(key)


def check(conn: sqlite3.Connection, root: Path, signature: Callable[[], str] | None = None) -> str:
    """'fresh', or why a database that opened must be rebuilt or updated:
    'damaged', 'other schema', 'other code', 'built from other data',
    'stale'.  ``signature`` gives the data's stat signature (a
    :class:`Prefetch`'s) instead of computing it here."""
    why, built_from = check_static(conn, root)
    if why != "fresh":
        return why
    if built_from != (signature() if signature else current_signature(root)):
        return "stale"
    return "fresh"


class Prefetch:
    """The stat signature of a data directory, computed by a forked child
    process while this one goes on with its start-up and its query: at
    thousands of plans the sweep (one ``stat`` per input file) costs as much
    as the query, and the machine has another core.  :meth:`value` waits for
    the child's answer; without ``fork`` (Windows), with other threads
    running, when asked not to fork (a host process that runs cz in
    process: copying it costs more than the sweep), or if the child fails,
    the sweep runs here instead — the answer is the same either way, only
    its timing differs.  ``key`` names the signature (:data:`ALL`, or
    :data:`TEXT` for a search)."""

    def __init__(self, root: Path, key: str = ALL, db: Path | None = None):
        self.root = root
        self.key = key
        self.db = db
        self._value: str | None = None
        self._pid = 0
        self._fd = -1

    @classmethod
    def start(cls, root: Path, *, fork: bool = True, key: str = ALL, db: Path | None = None) -> "Prefetch":
        """Start the sweep (``fork=False``: leave it to :meth:`value`);
        ``db``: the database whose folder records it may use."""
        self = cls(root, key, db)
        threads = sys.modules.get("threading")
        if not fork or not hasattr(os, "fork") or (threads is not None and threads.active_count() > 1):
            return self
        try:
            r, w = os.pipe()
            pid = os.fork()
        except OSError:
            return self
        if pid == 0:  # the child: one answer down the pipe, then out without any clean-up of the parent's
            try:
                os.close(r)
                os.write(w, self.compute().encode("ascii"))
            finally:
                os._exit(0)
        os.close(w)
        self._pid, self._fd = pid, r
        return self

    def value(self) -> str:
        if self._value is None:
            got = b""
            if self._fd >= 0:
                try:
                    with os.fdopen(self._fd, "rb") as f:
                        got = f.read()
                except OSError:
                    got = b""
                self._fd = -1
                self._reap()
            self._value = got.decode("ascii") if len(got) == 64 else self.compute()
        return self._value

    def compute(self) -> str:
        """The signature, computed here."""
        return current_signature(self.root, self.key, recorded_folders(self.db))

    def close(self) -> None:
        """Stop a child whose answer was not needed."""
        if self._pid > 0:  # (a pid of 0 would be this whole process group)
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = -1
        self._reap()

    def _reap(self) -> None:
        if self._pid:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(self._pid, 0)
            self._pid = 0


def state(path: Path, root: Path) -> str:
    """'fresh', or why the database at ``path`` must be (re)built: 'missing',
    'damaged', 'other schema', 'other code', 'built from other data', 'stale'."""
    if path.is_dir():
        raise CzError(f"database path {path} is a directory; set CZ_DB to a file")
    if not path.exists():
        return "missing"
    try:
        conn = open_readonly(path)
    except sqlite3.DatabaseError:
        return "damaged"
    try:
        return check(conn, root)
    finally:
        conn.close()
