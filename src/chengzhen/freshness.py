"""Is the database up to date with the data?  Cheap enough to ask on every query.

The build records two things in ``meta``: a SHA-256 of every input file
(``input_hash``) and a signature of their paths, sizes and modification times
(``stat_signature``).  A query first compares the stat signature (a few
``stat`` calls); only when that differs does it hash the contents, so touching
a file without changing it does not force a rebuild.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SCHEMA_VERSION = 5

_VOCABS = ("plans.yaml", "topics.yaml", "departments.yaml", "indicators.yaml")


def input_files(root: Path) -> list[Path]:
    return [root / rel for rel in _input_names(str(root))]


def stat_signature(root: Path, files: list[Path] | None = None) -> str:
    """Paths, sizes and modification times of the inputs, hashed.  Plain
    strings and os.stat: this runs on every query, for thousands of files
    in a large knowledge base."""
    base = str(root)
    names = ([str(f.relative_to(root)) for f in files] if files is not None else _input_names(base))
    parts = []
    stat = os.stat
    for rel in names:
        try:
            st = stat(base + "/" + rel)
            parts.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}")
        except FileNotFoundError:
            parts.append(f"{rel}\0missing")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _input_names(base: str) -> list[str]:
    names = list(_VOCABS)
    for sub, suffix in (("plans", ".yaml"), ("sources", ".txt")):
        try:
            listed = sorted(os.listdir(base + "/" + sub))
        except FileNotFoundError:
            continue
        names.extend(f"{sub}/{n}" for n in listed if n.endswith(suffix))
    return names


def input_hash(root: Path, files: list[Path] | None = None) -> str:
    h = hashlib.sha256()
    h.update(f"schema {SCHEMA_VERSION}\n".encode())
    for f in files if files is not None else input_files(root):
        h.update(f"{f.relative_to(root)}\n".encode())
        try:
            h.update(f.read_bytes())
        except FileNotFoundError:
            h.update(b"\0missing")
        h.update(b"\0")
    return h.hexdigest()
