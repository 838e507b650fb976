"""datasette's view of the knowledge base: one database, ``chengzhen``,
always the current snapshot (``web/snapshot.py``).

datasette keeps one connection per database per worker thread.  Here each
thread keeps one connection per *snapshot*: a request runs against the
snapshot that was current when it started, and a thread that meets a newer
snapshot closes its connection to the old one.  Our pages read the copy
with ``immutable=1`` and ``query_only``: nothing can write.  (datasette's
own pages, which would read it the same way, are not served:
``web/middleware.py``.)
"""

from __future__ import annotations

import asyncio
import threading

from datasette.database import Database

from chengzhen.web.snapshot import Snapshots

NAME = "chengzhen"


class SnapshotDatabase(Database):
    def __init__(self, ds, snapshots: Snapshots):
        self.snapshots = snapshots
        self._local = threading.local()
        self._counts: dict[str, dict] = {}
        super().__init__(ds, path=str(snapshots.current.path), is_mutable=False)

    # the file served is whichever copy is current
    @property
    def path(self):  # type: ignore[override]
        return str(self.snapshots.current.path)

    @path.setter
    def path(self, value):
        pass

    @property
    def hash(self):  # type: ignore[override]
        """Names the generation served (datasette uses it as the ETag of a download)."""
        return self.snapshots.current.key

    @property
    def size(self):  # type: ignore[override]
        try:
            return self.snapshots.current.path.stat().st_size
        except OSError:
            return 0

    @property
    def cached_table_counts(self):  # type: ignore[override]
        return self._counts.get(self.snapshots.current.key)

    async def table_counts(self, limit=10):
        key = self.snapshots.current.key
        if key in self._counts:
            return self._counts[key]
        counts = await super().table_counts(limit)
        if all(v is not None for v in counts.values()):
            self._counts = {key: counts}
        return counts

    def connect(self, write=False):
        if write:
            raise PermissionError("the chengzhen database is served read-only")
        return self.snapshots.current.connect()

    def _connection(self, snap):
        conns = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        conn = conns.get(snap.key)
        if conn is None:
            conn = snap.connect()
            self.ds._prepare_connection(conn, self.name)
            conns[snap.key] = conn
            current = self.snapshots.current.key
            for key in [k for k in conns if k not in (snap.key, current)]:
                conns.pop(key).close()
        return conn

    async def execute_fn(self, fn):
        snap = self.snapshots.current

        def in_thread():
            return fn(self._connection(snap))

        if self.ds.executor is None:
            return in_thread()
        return await asyncio.get_event_loop().run_in_executor(self.ds.executor, in_thread)
