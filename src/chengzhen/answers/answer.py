"""The one answer every question gets, whichever front asks it.

An :class:`Answer` is plain data: what was asked (the resolved query,
echoed), the records with their columns (stable English keys, Chinese
labels), how many matched, the answer's own blocks (``did_you_mean``,
``related``, ``silent``…) and notes.  The CLI renders it as a terminal
view or writes it in a format (``answers/writers.py``); the web renders it
as a page or writes the same JSON and CSV.  Its JSON form,
:meth:`Answer.envelope`, is the one envelope of every command and page,
described once in docs/envelope.schema.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from chengzhen.answers.present import column_label

_SPECS: dict[tuple, list[dict]] = {}

# keys the envelope itself holds: a block may not take one
ENVELOPE_KEYS = ("command", "query", "records", "count", "total", "columns", "notes")


class Answer:
    """One question's answer (a plain class: no dataclasses import at start-up).

    ``name`` the question (search, targets…); ``query`` what was asked, as
    resolved; ``records`` the JSON records; ``columns`` the keys the line
    formats write (csv, tsv, jsonl, xlsx, md), labelled by ``labels`` (or
    the shared labels of answers/present.py); ``total`` how many matched
    (larger than the records when a limit cut them); ``blocks`` the
    answer's own JSON blocks; ``notes`` sentences for the reader; ``rows``
    what the line formats write when it is not the records (search adds the
    units it offers instead, labelled); ``ids`` what ``-f ids`` writes when
    it is not every record's ``id_key``; ``data`` the query layer's result,
    for the renderers (never in the JSON)."""

    __slots__ = ("name", "query", "records", "columns", "labels", "total", "blocks", "notes", "rows", "ids",
                 "id_key", "data", "found")

    def __init__(self, name: str, records: Sequence[dict], columns: Sequence[str], *, query: dict | None = None,
                 total: int | None = None, blocks: dict | None = None, notes: Iterable[str] | None = None,
                 labels: dict[str, str] | None = None, rows: Sequence[dict] | None = None,
                 ids: Sequence[str] | None = None, id_key: str | None = "id", data: object = None,
                 found: bool | None = None):
        self.name = name
        self.records = records
        self.columns = list(columns)
        self.labels = labels or {}
        self.query = query if query is not None else {}
        self.total = total
        self.blocks = blocks if blocks is not None else {}
        bad = [k for k in self.blocks if k in ENVELOPE_KEYS]
        if bad:
            raise ValueError(f"block {bad[0]!r} would overwrite an envelope key")
        self.notes = list(notes or [])
        self.rows = rows
        self.ids = ids
        self.id_key = id_key
        self.data = data
        self.found = found

    # ------------------------------------------------------------------ views of the answer

    def line_rows(self) -> Sequence[dict]:
        """What the line formats write: ``rows`` or the records."""
        return self.rows if self.rows is not None else self.records

    def column_specs(self) -> list[dict]:
        if not self.labels:  # the common case, made once per set of columns (a --stdin run has thousands)
            key = tuple(self.columns)
            got = _SPECS.get(key)
            if got is None:
                got = _SPECS[key] = [{"key": c, "label": column_label(c)} for c in self.columns]
            return got
        return [{"key": c, "label": self.labels.get(c) or column_label(c)} for c in self.columns]

    def id_list(self) -> list[str]:
        """What ``-f ids`` writes: each id once, in order."""
        keys = self.ids if self.ids is not None else [r.get(self.id_key or "id") for r in self.records]
        return [k for k in dict.fromkeys(keys) if k is not None]

    def count_total(self) -> int:
        return self.total if self.total is not None else len(self.records)

    def is_found(self) -> bool:
        """Whether anything was found (exit 0; 1 otherwise)."""
        return self.found if self.found is not None else bool(self.records)

    def envelope(self) -> dict:
        """The JSON envelope: ``{"command", "query", "records", "count",
        "total", "columns", …blocks…, "notes"}`` (docs/envelope.schema.json)."""
        records = self.records if isinstance(self.records, list) else list(self.records)
        doc = {"command": self.name, "query": self.query, "records": records, "count": len(records),
               "total": self.count_total(), "columns": self.column_specs()}
        doc.update(self.blocks)
        doc["notes"] = list(self.notes)
        return doc



def error_envelope(name: str, query: dict, columns: Sequence[str], message: str) -> dict:
    """The envelope of a question that could not be answered (one line of
    ``cz search --stdin``): no records, the error, the same keys."""
    return {"command": name, "query": query, "records": [], "count": 0, "total": 0,
            "columns": [{"key": c, "label": column_label(c)} for c in columns], "error": message, "notes": [message]}
