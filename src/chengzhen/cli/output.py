"""The one output path: every command hands an :class:`Output` to :func:`emit`.

Formats (``--format``), the same for every command (docs/cli.md, "Output"):

``json``
    One envelope for every command::

        {"command": "search", "query": {...what was asked...},
         "records": [...], "count": N, "total": M, ...blocks..., "notes": [...]}

    ``count`` is the number of records in the document, ``total`` the number
    that matched (larger when a limit cut the list); command-specific blocks
    (``did_you_mean``, ``related``, ``silent``…) sit between ``total`` and
    ``notes``.  Records are written one by one, so a long list never sits in
    memory as one string.
``jsonl``
    One JSON object per line: the command's rows (for most commands the
    records; search adds the units it offers instead of hits, labelled).
``csv`` / ``tsv``
    A header row of the rows' stable English keys, then one line per row
    (lists joined with ``;``; in TSV, tabs and line breaks inside a value
    become spaces, so a row is always one line).  CSV is RFC 4180;
    ``excel=True`` starts it with a byte-order mark so Excel and WPS read it
    as UTF-8.
``xlsx``
    The same rows as an Excel workbook (XlsxWriter), every value written as
    what it is (text as text, never as a formula); binary, so only to a file
    or a pipe.
``ids``
    One id per line (commands that list ids; search: only its hits).
``table``
    The command's own view: a rich table on a terminal.
``auto`` (no ``--format`` given)
    ``table`` on a terminal; off a terminal the rows as TSV — one record per
    line, never wrapped, like ``gh`` — except for the commands whose view is a
    document rather than a list (:data:`DOCUMENTS`), which keep their view.

Machine formats never carry colour.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence

from chengzhen.query.cells import cell, formula_leading, neutralise  # one cell format for cli and web

MACHINE_FORMATS = ("json", "jsonl", "csv", "tsv", "xlsx")

# commands whose terminal view is a document (a measure, an outline, a
# side-by-side report, an audit), kept off a terminal too when no format is asked
DOCUMENTS = ("show", "compare", "validate")


class Output:
    """What a command shows (a plain class: no dataclasses import at start-up).

    ``records`` (JSON's records, the view's rows) with their ``columns``;
    ``query`` (what was asked), ``total`` (matched, when a limit cut the
    records), ``notes``, ``extra`` (the command's own JSON blocks); ``table``
    the terminal view (gets the records as a list); ``formats`` further
    formats of this command only (compare's md); ``id_key`` the key
    ``--format ids`` prints; ``rows`` what the line formats (jsonl, csv, tsv,
    xlsx) write, when not the records; ``ids`` what ``--format ids`` prints,
    when not every record's ``id_key``."""

    def __init__(self, command: str, records: Iterable[dict], columns: Sequence[str], *, query: dict | None = None,
                 total: int | None = None, notes: list[str] | None = None, extra: dict | None = None,
                 table: Callable[[list[dict]], None] | None = None,
                 formats: dict[str, Callable[[list[dict]], None]] | None = None, id_key: str | None = None,
                 rows: Iterable[dict] | None = None, ids: Iterable[str] | None = None):
        self.command = command
        self.records = records
        self.columns = columns
        self.query = query if query is not None else {}
        self.total = total
        self.notes = notes if notes is not None else []
        self.extra = extra if extra is not None else {}
        self.table = table
        self.formats = formats if formats is not None else {}
        self.id_key = id_key
        self.rows = rows
        self.ids = ids


def write(text: str) -> None:
    sys.stdout.write(text)


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def resolve_format(out: Output, fmt: str) -> str:
    """``auto`` made concrete: the view on a terminal, TSV off it."""
    if fmt != "auto":
        return fmt
    if stdout_is_tty() or out.command in DOCUMENTS:
        return "table"
    return "tsv"


def emit(out: Output, fmt: str, *, excel: bool = False) -> None:
    fmt = resolve_format(out, fmt)
    if fmt == "json":
        write_json(out)
    elif fmt == "jsonl":
        for r in _rows(out):
            write(dumps(r) + "\n")
    elif fmt in ("csv", "tsv"):
        delimited(_rows(out), out.columns, fmt, excel=excel)
    elif fmt == "xlsx":
        xlsx(_rows(out), out.columns, sheet=out.command)
    elif fmt == "ids":
        seen: set = set()
        keys = out.ids if out.ids is not None else (r.get(out.id_key or "id") for r in out.records)
        for key in keys:
            if key is not None and key not in seen:
                seen.add(key)
                write(f"{key}\n")
    elif fmt in out.formats:
        out.formats[fmt](list(out.records))
    elif out.table is not None:
        out.table(list(out.records))
    else:
        delimited(_rows(out), out.columns, "tsv")


def _rows(out: Output) -> Iterable[dict]:
    return out.rows if out.rows is not None else out.records


def envelope_lines(out: Output, *, indent: bool = True) -> Iterable[str]:
    """The JSON envelope in pieces (written as they come)."""
    nl, pad, pad2 = ("\n", "  ", "    ") if indent else ("", "", "")
    sep = ": " if indent else ":"
    yield "{" + nl
    yield f'{pad}"command"{sep}{dumps(out.command)},{nl}'
    yield f'{pad}"query"{sep}{dumps(out.query)},{nl}'
    yield f'{pad}"records"{sep}['
    n = 0
    for r in out.records:
        yield (nl + pad2 if n == 0 else "," + nl + pad2) + dumps(r)
        n += 1
    yield ((nl + pad + "],") if n else "],") + nl
    yield f'{pad}"count"{sep}{n},{nl}'
    yield f'{pad}"total"{sep}{dumps(out.total if out.total is not None else n)},{nl}'
    for k, v in out.extra.items():
        yield f"{pad}{dumps(k)}{sep}{dumps(v)},{nl}"
    yield f'{pad}"notes"{sep}{dumps(list(out.notes))}{nl}'
    yield "}\n"


def envelope(out: Output) -> dict:
    """The JSON envelope as one dict (for a compact line: `search --stdin`)."""
    records = list(out.records)
    doc = {"command": out.command, "query": out.query, "records": records, "count": len(records),
           "total": out.total if out.total is not None else len(records)}
    doc.update(out.extra)
    doc["notes"] = list(out.notes)
    return doc


def write_json(out: Output, *, indent: bool = True) -> None:
    w = sys.stdout.write
    for piece in envelope_lines(out, indent=indent):
        w(piece)


def delimited(records: Iterable[dict], columns: Sequence[str], fmt: str, *, excel: bool = False,
              header: bool = True) -> None:
    if fmt == "csv":
        import csv  # only here: csv is not on the common path

        if excel and header:
            write("\ufeff")
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; a CR inside a value is then quoted
        if header:
            w.writerow(columns)
            write(buf.getvalue())
        for r in records:
            buf.seek(0)
            buf.truncate()
            w.writerow([neutralise(cell(r.get(c))) for c in columns])  # never a formula a spreadsheet runs
            write(buf.getvalue())
        return
    if header:
        write("\t".join(tsv_cell(c) for c in columns) + "\n")
    for r in records:
        write("\t".join(tsv_cell(r.get(c)) for c in columns) + "\n")


def tsv_cell(value: object) -> str:
    """A TSV cell: never a tab or a line break inside (any Unicode line
    separator included), so one row is one line; never a formula a
    spreadsheet runs (``query.cells.neutralise``)."""
    text = cell(value)
    if not text.isprintable():
        text = "".join(" " if ch in "\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029" else ch for ch in text)
    return neutralise(text)


# --------------------------------------------------------------------------- xlsx

# characters XML 1.0 cannot hold; a workbook with them does not open
_XML_BAD = dict.fromkeys([c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [0xFFFE, 0xFFFF], "\ufffd")
XLSX_MAX_CELL = 32767  # Excel's limit on the characters of one cell


def _xlsx_value(value: object) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return str(value)
        if isinstance(value, int) and abs(value) >= 2**53:
            return str(value)  # Excel holds doubles: keep every digit as text
        return value
    text = cell(value)
    text = text.translate(_XML_BAD)
    text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    if len(text) > XLSX_MAX_CELL:
        text = text[:XLSX_MAX_CELL - 1] + "…"
    return text


def xlsx(records: Iterable[dict], columns: Sequence[str], *, sheet: str = "cz") -> None:
    """The rows as one worksheet of an .xlsx workbook, on stdout (binary)."""
    from chengzhen.errors import CzError

    if stdout_is_tty():
        raise CzError("xlsx is a binary file: redirect it to a file, e.g. `… --format xlsx > out.xlsx`")
    try:
        import xlsxwriter
    except ImportError:  # pragma: no cover - a dependency
        raise CzError("--format xlsx needs the XlsxWriter package: pip install xlsxwriter") from None
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False, "nan_inf_to_errors": False})
    ws = book.add_worksheet(sheet[:31] or "cz")
    bold = book.add_format({"bold": True})
    # a text a spreadsheet would take for a formula: stored as text (a string
    # cell) with Excel's quote prefix, so it stays text even when edited, and
    # shows exactly as written (the prefix is not part of the value)
    as_text = book.add_format({"quote_prefix": True})
    for c, name in enumerate(columns):
        ws.write_string(0, c, _xlsx_value(name), bold)
    ws.freeze_panes(1, 0)
    n = 0
    for n, r in enumerate(records, start=1):
        if n >= 1_048_576:  # Excel's last row
            break
        for c, name in enumerate(columns):
            v = _xlsx_value(r.get(name))
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_boolean(n, c, v)
            elif isinstance(v, (int, float)):
                ws.write_number(n, c, v)
            else:
                ws.write_string(n, c, v, as_text if formula_leading(v) else None)
    if columns:
        ws.autofilter(0, 0, max(n, 1), len(columns) - 1)
    book.close()
    data = buf.getvalue()
    target = getattr(sys.stdout, "buffer", None)
    sys.stdout.flush()
    if target is not None:
        target.write(data)
        target.flush()
    else:  # a text-only stream (an embedding host): bytes as latin-1 code points
        sys.stdout.write(data.decode("latin-1"))
