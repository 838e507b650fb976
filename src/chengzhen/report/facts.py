"""What a report says about the database it was written from: the
generation (every build and update counts one up) and when it was built."""

from __future__ import annotations


def database_facts(conn) -> dict:
    from chengzhen.store.db import read_meta

    meta = read_meta(conn)
    return {"generation": int(meta.get("generation") or 0), "built_at": meta.get("built_at")}
