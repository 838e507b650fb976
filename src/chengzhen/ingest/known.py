"""What a draft reads of the data directory — the catalogue and the
vocabularies (:func:`chengzhen.kb.loader.load_kb`) and the place book
(:func:`chengzhen.kb.places.load_places`) — read once per process and data
directory, and read again as soon as any file they come from changes.

A batch (`cz ingest DIR`), a long-lived process and a test suite draft many
texts against one data directory; each draft used to parse every vocabulary,
the places (3 000 rows) and every plan's catalogue entry again.  Here each
read is kept with the stamps of the files it may have read (the order file,
the shared vocabularies, the place files, every ``vocabulary/*.yaml`` and
``plans/*.yaml`` — the folders listed anew each time, so an added or removed
file is seen): size, modification and status-change times and inode.  A
file changed within :data:`RACY_NS` of the read is also kept by its content's
hash and hashed again on each use, so an edit made in the same clock tick as
the read, at the same size, is seen as well (git's "racily clean" entries).
A read that raises (broken data) is never kept.

Callers get their own copy: a fresh :class:`~chengzhen.kb.model.KnowledgeBase`
whose records' mutable parts (``field_lines``, the vocabularies' cached name
maps) are new, and a fresh :class:`~chengzhen.kb.places.PlaceBook` whose
mappings are new (its records are frozen) — a draft adds its proposals to the
book it is given, which must not reach the next draft; a reader that only
looks names up (ingest/flags.py) may take a read-only view instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections import OrderedDict
from pathlib import Path
from types import MappingProxyType

from chengzhen.kb.files import ORDER_FILE, PLACE_FILES, PLANS_DIR, VOCABULARY_DIR, VOCABULARY_FILES

RACY_NS = 2_000_000_000  # a file changed this close to the read is checked by its content too
KEEP = 4  # data directories kept (a test suite makes one per test: the oldest is dropped)


@dataclasses.dataclass
class _Kept:
    stamps: dict
    hashes: dict  # the racy files' content hashes (relative path -> sha256)
    value: object


_KEPT: OrderedDict[tuple, _Kept] = OrderedDict()
READS: dict[str, int] = {"kb": 0, "places": 0}  # how many times each was read from the files (tests, benchmarks)


def _names(data: Path) -> list[str]:
    names = [ORDER_FILE, *VOCABULARY_FILES, *PLACE_FILES]
    for sub in (VOCABULARY_DIR, PLANS_DIR):
        try:
            names += [f"{sub}/{n}" for n in sorted(os.listdir(data / sub)) if n.endswith(".yaml") and n[0] != "."]
        except (FileNotFoundError, NotADirectoryError):
            names.append(sub + "/")  # (absent: a folder made later changes the stamps)
    return names


def _stamps(data: Path) -> dict[str, tuple | None]:
    out: dict[str, tuple | None] = {}
    base = str(data) + "/"
    for rel in _names(data):
        try:
            st = os.stat(base + rel)
        except OSError:
            out[rel] = None
            continue
        out[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return out


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _cached(kind: str, data: Path, read):
    """``read()``'s value for ``data``, from the files or kept."""
    key = (kind, str(data), os.getcwd())  # (messages name files relative to the working directory)
    stamps = _stamps(data)
    kept = _KEPT.get(key)
    if kept is not None and kept.stamps == stamps and all(_sha(data / rel) == h for rel, h in kept.hashes.items()):
        _KEPT.move_to_end(key)
        return kept.value
    _KEPT.pop(key, None)
    now = time.time_ns()
    # hashed before the read: a change between the two makes the kept value look stale, never fresh
    hashes = {rel: _sha(data / rel) for rel, st in stamps.items()
              if st is not None and max(st[1], st[2]) >= now - RACY_NS}
    READS[kind] += 1
    value = read()
    if _stamps(data) == stamps:  # nothing changed while it was read
        _KEPT[key] = _Kept(stamps, hashes, value)
        while len(_KEPT) > KEEP:
            _KEPT.popitem(last=False)
    return value


def forget() -> None:
    """Drop everything kept (tests)."""
    _KEPT.clear()


# --------------------------------------------------------------------------- the catalogue and the vocabularies

def load_kb(data: Path):
    """:func:`chengzhen.kb.loader.load_kb` of ``data`` without a sink (it
    raises on any problem: nothing is kept then), as a copy of its own."""
    from chengzhen.kb import loader as L

    return _kb_copy(_cached("kb", data, lambda: L.load_kb(data)))


def _fresh(rec):
    """A frozen record with a ``field_lines`` of its own."""
    return dataclasses.replace(rec, field_lines=dict(rec.field_lines))


def _kb_copy(kb):
    from chengzhen.kb import model as m

    v = kb.vocab
    national = v.national
    if national is not None:
        national = dataclasses.replace(national, groups=tuple(_fresh(g) for g in national.groups),
                                       tasks=tuple(_fresh(t) for t in national.tasks))
    # (the records of topics, departments, indicators and proposals are frozen and hold only tuples)
    vocab = m.Vocabularies(v.topics, v.departments, v.indicators, national, v.proposals)
    return m.KnowledgeBase(kb.root, tuple(_fresh(p) for p in kb.plans), vocab)


# --------------------------------------------------------------------------- the place book

def load_places(data: Path, *, view: bool = False):
    """(:func:`chengzhen.kb.places.load_places` of ``data``, the problems
    it reported with a sink, as validation reads them): the book a copy of
    its own — or, with ``view``, a read-only view of the one kept (its
    mappings cannot be changed; the same object while the files are
    unchanged, for a reader that only looks names up)."""
    from chengzhen.kb.places import load_places as read
    from chengzhen.kb.problems import Sink

    def places():
        sink = Sink()
        book = read(data, sink)
        return book, tuple(sink.problems), _book_view(book)

    book, problems, seen = _cached("places", data, places)
    return (seen if view else book_copy(book)), problems


def book_copy(book):
    """A place book whose mappings are its own (its records are frozen)."""
    return type(book)(**{f.name: dict(getattr(book, f.name)) for f in dataclasses.fields(book) if f.init})


def _book_view(book):
    return type(book)(**{f.name: MappingProxyType(getattr(book, f.name)) for f in dataclasses.fields(book) if f.init})
