"""The one output path: every command hands an :class:`Output` to :func:`emit`.

Formats (``--format``):

``json``
    One envelope for every command::

        {"command": "search", "query": {...what was asked...},
         "count": N, "total": M, "records": [...], "notes": [...], ...}

    ``count`` is the number of records in the document, ``total`` the number
    that matched (larger when a limit cut the list); command-specific blocks
    (``did_you_mean``, ``silent``…) sit beside ``records``.  Records are
    written one by one, so a long list never sits in memory as one string.
``jsonl``
    The records, one JSON object per line.
``csv`` / ``tsv``
    A header row of the record's stable English keys, then one line per
    record (lists joined with ``;``).  CSV is RFC 4180; ``excel`` adds a
    byte-order mark so Excel and WPS read it as UTF-8.
``ids``
    One id per line (commands that list ids).
``table``
    The command's own view: a rich table on a terminal.

Machine formats never carry colour.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

MACHINE_FORMATS = ("json", "jsonl", "csv", "tsv")


@dataclass
class Output:
    command: str
    records: Iterable[dict]
    columns: Sequence[str]
    query: dict = field(default_factory=dict)
    total: int | None = None
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    # the terminal view (gets the records as a list)
    table: Callable[[list[dict]], None] | None = None
    # further formats of this command only (compare's md)
    formats: dict[str, Callable[[list[dict]], None]] = field(default_factory=dict)
    # the key `--format ids` prints
    id_key: str | None = None


def write(text: str) -> None:
    sys.stdout.write(text)


def cell(value: Any) -> str:
    """A value as one CSV/TSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ";".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def emit(out: Output, fmt: str, *, excel: bool = False) -> None:
    if fmt == "json":
        _json(out)
    elif fmt == "jsonl":
        for r in out.records:
            write(dumps(r) + "\n")
    elif fmt in ("csv", "tsv"):
        _delimited(out.records, out.columns, fmt, excel=excel)
    elif fmt == "ids":
        seen: set = set()
        for r in out.records:
            key = r.get(out.id_key or "id")
            if key is not None and key not in seen:
                seen.add(key)
                write(f"{key}\n")
    elif fmt in out.formats:
        out.formats[fmt](list(out.records))
    elif out.table is not None:
        out.table(list(out.records))
    else:
        _delimited(out.records, out.columns, "tsv")


def _json(out: Output) -> None:
    w = sys.stdout.write
    w("{\n")
    w(f'  "command": {dumps(out.command)},\n')
    w(f'  "query": {dumps(out.query)},\n')
    w('  "records": [')
    n = 0
    for r in out.records:
        w("\n    " if n == 0 else ",\n    ")
        w(dumps(r))
        n += 1
    w("\n  ],\n" if n else "],\n")
    w(f'  "count": {n},\n')
    w(f'  "total": {dumps(out.total if out.total is not None else n)},\n')
    for k, v in out.extra.items():
        w(f"  {dumps(k)}: {dumps(v)},\n")
    w(f'  "notes": {dumps(list(out.notes))}\n')
    w("}\n")


def _delimited(records: Iterable[dict], columns: Sequence[str], fmt: str, *, excel: bool = False) -> None:
    if fmt == "csv":
        if excel:
            write("\ufeff")
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; a CR inside a value is then quoted
        w.writerow(columns)
        write(buf.getvalue())
        for r in records:
            buf.seek(0)
            buf.truncate()
            w.writerow([cell(r.get(c)) for c in columns])
            write(buf.getvalue())
        return
    write("\t".join(columns) + "\n")
    for r in records:
        write("\t".join(cell(r.get(c)).replace("\t", " ").replace("\r", " ").replace("\n", " ")
                        for c in columns) + "\n")
