"""Per-connection caches for the query layer (the index vocabulary, the
segmenter's terms…).  They live on the connection object they were read
from (``store.db.Connection``), so they die with it and a long-lived server
that reopens a rebuilt database never sees a stale cache.  A plain
``sqlite3.Connection`` (one a host application opened) gets no caching."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def cached(conn: sqlite3.Connection, key: str, make: Callable[[], object]) -> object:
    store = getattr(conn, "cz_cache", None)
    if store is None:
        return make()
    if key not in store:
        store[key] = make()
    return store[key]
