"""Output formats as a registry: each format is a function that yields the
pieces (str, or bytes for xlsx) of one answer, written as they come.  The
CLI (``cli/output.py:emit``, ``cz search --stdin``) and the web (a page's
``.json`` and ``.csv``) write every answer through these, so a format is
written one way only.

``json``
    The envelope (:meth:`Answer.envelope`; docs/envelope.schema.json),
    records written one by one.
``jsonl``
    One JSON object per line: the answer's rows.
``csv`` / ``tsv``
    A header of the rows' stable English keys, then one line per row (lists
    joined with ``;``).  CSV is RFC 4180 (``excel``: a byte-order mark
    first, for Excel and WPS); in TSV a tab or line break inside a value
    becomes a space, so a row is always one line.  A cell a spreadsheet
    would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR; not a
    number such as ``-5%``) gets a leading apostrophe
    (``answers/present.py:neutralise``; ``restore`` reads it back).
``xlsx``
    The rows as one worksheet (XlsxWriter), every value as what it is (text
    never as a formula: a formula-like text is a string cell with Excel's
    quote prefix).  Binary.
``ids``
    One id per line, each once.
``md``
    The rows as a Markdown table (an answer may carry its own Markdown
    document instead: compare's side-by-side report).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence

from chengzhen.answers.present import cell, formula_leading, neutralise

WRITERS: dict[str, Callable[..., Iterator]] = {}
BINARY = {"xlsx"}


def writer(name: str):
    def register(fn):
        WRITERS[name] = fn
        return fn
    return register


def write(fmt: str, answer, **options) -> Iterator:
    """The pieces of ``answer`` in format ``fmt``."""
    return WRITERS[fmt](answer, **options)


def dumps(data: object) -> str:
    """``json.dumps(data, ensure_ascii=False, default=…)``, by one encoder
    made once (a `cz search --stdin` run writes thousands of envelopes)."""
    return _ENCODER.encode(data)


def _default(o):
    if hasattr(o, "as_dict"):
        return o.as_dict()
    if isinstance(o, (set, tuple)):
        return list(o)
    return str(o)


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_default)


# --------------------------------------------------------------------------- json

@writer("json")
def json_pieces(answer, *, indent: bool = True) -> Iterator[str]:
    """The envelope, records written one by one; compact on one line
    without ``indent`` (a line of ``cz search --stdin``)."""
    if not indent:  # one line: one dumps of the whole, the columns' JSON made once per set
        doc = answer.envelope()
        doc.pop("columns")
        head = {k: doc.pop(k) for k in ("command", "query", "records", "count", "total")}
        yield dumps(head)[:-1] + ', "columns": ' + _columns_json(answer) + ", " + dumps(doc)[1:] + "\n"
        return
    yield from _envelope_pieces(answer, indent, "")
    yield "\n"


_COLUMNS_JSON: dict[int, tuple[list, str]] = {}


def _columns_json(answer) -> str:
    """The envelope's columns as JSON, written once per set of columns."""
    specs = answer.column_specs()
    got = _COLUMNS_JSON.get(id(specs))
    if got is None or got[0] is not specs:
        got = _COLUMNS_JSON[id(specs)] = (specs, dumps(specs))
    return got[1]


def page_json(answer, outer: dict) -> str:
    """A web page's JSON: the page's own keys (``outer``: page, database,
    view) with the answer's envelope under ``answer``, so the two never share
    a namespace."""
    doc = {k: v for k, v in outer.items()}
    if answer is not None:
        doc["answer"] = answer.envelope()
    return json.dumps(doc, ensure_ascii=False, default=_default, indent=2)


def _envelope_pieces(answer, indent: bool, pad0: str) -> Iterator[str]:
    nl = "\n" if indent else ""
    pad = pad0 + ("  " if indent else "")
    pad2 = pad + ("  " if indent else "")
    sep = ": " if indent else ":"
    yield "{" + nl
    yield f'{pad}"command"{sep}{dumps(answer.name)},{nl}'
    yield f'{pad}"query"{sep}{dumps(answer.query)},{nl}'
    yield f'{pad}"records"{sep}['
    n = 0
    for r in answer.records:
        yield (nl + pad2 if n == 0 else "," + nl + pad2) + dumps(r)
        n += 1
    yield ((nl + pad + "],") if n else "],") + nl
    yield f'{pad}"count"{sep}{n},{nl}'
    yield f'{pad}"total"{sep}{dumps(answer.total if answer.total is not None else n)},{nl}'
    yield f'{pad}"columns"{sep}{_columns_json(answer)},{nl}'
    for k, v in answer.blocks.items():
        yield f"{pad}{dumps(k)}{sep}{dumps(v)},{nl}"
    yield f'{pad}"notes"{sep}{dumps(list(answer.notes))}{nl}'
    yield pad0 + "}"


@writer("jsonl")
def jsonl(answer) -> Iterator[str]:
    for r in answer.line_rows():
        yield dumps(r) + "\n"


# --------------------------------------------------------------------------- csv / tsv

def csv_rows(rows: Iterable[dict], columns: Sequence[str], *, excel: bool = False,
             header: bool = True) -> Iterator[str]:
    import csv  # only here: csv is not on the common path

    if excel and header:
        yield "\ufeff"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; a CR inside a value is then quoted
    if header:
        w.writerow([neutralise(cell(c)) for c in columns])
        yield buf.getvalue()
    for r in rows:
        buf.seek(0)
        buf.truncate()
        w.writerow([neutralise(cell(r.get(c))) for c in columns])  # never a formula a spreadsheet runs
        yield buf.getvalue()


def tsv_cell(value: object) -> str:
    """A TSV cell: never a tab or a line break inside (any Unicode line
    separator included), so one row is one line; never a formula a
    spreadsheet runs (:func:`neutralise`)."""
    text = cell(value)
    if not text.isprintable():
        text = "".join(" " if ch in "\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029" else ch for ch in text)
    return neutralise(text)


def tsv_rows(rows: Iterable[dict], columns: Sequence[str], *, header: bool = True) -> Iterator[str]:
    if header:
        yield "\t".join(tsv_cell(c) for c in columns) + "\n"
    for r in rows:
        yield "\t".join(tsv_cell(r.get(c)) for c in columns) + "\n"


@writer("csv")
def csv_pieces(answer, *, excel: bool = False, header: bool = True, headers: str = "en") -> Iterator[str]:
    columns, rows = table_of(answer, headers)
    return csv_rows(rows, columns, excel=excel, header=header)


@writer("tsv")
def tsv_pieces(answer, *, header: bool = True, headers: str = "en") -> Iterator[str]:
    columns, rows = table_of(answer, headers)
    return tsv_rows(rows, columns, header=header)


# --------------------------------------------------------------------------- headers

HEADERS = ("en", "zh")


def table_of(answer, headers: str = "en") -> tuple[list[str], Iterable[dict]]:
    """The columns and rows a table format writes: the stable English keys
    and the values as they are (``en``, the default, for scripts), or
    (``zh``, for people) the Chinese labels of answers/present.py as headers
    and the codes' Chinese words as values (ge → 不低于, true → 是)."""
    if headers != "zh":
        return answer.columns, answer.line_rows()
    from chengzhen.answers.present import value_label, zh_columns

    keys = list(answer.columns)
    labels = zh_columns(answer.column_specs())
    pairs = list(zip(keys, labels))
    rows = ({label: value_label(key, r.get(key)) for key, label in pairs} for r in answer.line_rows())
    return labels, rows


# --------------------------------------------------------------------------- ids / md

@writer("ids")
def ids(answer) -> Iterator[str]:
    for key in answer.id_list():
        yield f"{key}\n"


def md_escape(text: object) -> str:
    return cell(text).replace("|", "\\|").replace("\n", "<br>")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, escape: bool = True) -> str:
    """A Markdown table; ``escape=False``: the cells are Markdown already."""
    esc = md_escape if escape else cell
    out = ["| " + " | ".join(md_escape(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        out.append("| " + " | ".join(esc(c) for c in r) + " |")
    return "\n".join(out) + "\n"


# answers whose Markdown is a document of their own, not a table of their rows
MD_DOCUMENTS = {"compare": "chengzhen.answers.compare"}


@writer("md")
def md(answer) -> Iterator[str]:
    if answer.name in MD_DOCUMENTS and answer.data is not None:
        import importlib

        yield importlib.import_module(MD_DOCUMENTS[answer.name]).markdown(answer)
        return
    specs = answer.column_specs()
    yield md_table([s["label"] for s in specs], ([r.get(s["key"]) for s in specs] for r in answer.line_rows()))


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


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: an East-Asian wide or
    full-width character counts 2."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


XLSX_MIN_WIDTH, XLSX_MAX_WIDTH = 4, 60  # a column's width, in characters; wider text wraps
XLSX_WIDTH_ROWS = 2000  # the rows a column's width is measured over
_SHEET_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _sheet_name(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique."""
    base = (name.translate(_SHEET_BAD).strip("'") or "cz")[:31]
    out, n = base, 1
    while out.lower() in taken:
        n += 1
        out = f"{base[:31 - len(str(n)) - 1]}_{n}"
    taken.add(out.lower())
    return out


def xlsx_book(rows: Iterable[dict], columns: Sequence[str], *, sheet: str = "cz", headers: Sequence[str] | None = None,
              values=None, sheets_by: Callable[[dict], str] | None = None,
              link: Callable[[dict], str | None] | None = None, link_header: tuple[str, str] = ("link", "source")) -> bytes:
    """The rows as an .xlsx workbook: one worksheet, or one per group
    (``sheets_by``: a row's sheet name, in the order first met).  Each sheet:
    the header row (``headers``, default the keys) bold and frozen, with a
    filter; every column as wide as its text (CJK counted double) up to
    :data:`XLSX_MAX_WIDTH`, longer text wrapped; ``values(key, value)``
    turns a record's value into what is shown; ``link(row)``, a URL, adds a
    last column of hyperlinks (``link_header``: its header and the text of
    each link)."""
    from chengzhen.errors import CzError

    try:
        import xlsxwriter
    except ImportError:  # pragma: no cover - a dependency
        raise CzError("--format xlsx needs the XlsxWriter package: pip install xlsxwriter") from None
    columns = list(columns)
    heads = list(headers) if headers is not None else columns
    if link is not None:
        heads.append(link_header[0])
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(sheets_by(r) if sheets_by else sheet, []).append(r)
    if not groups:
        groups[sheet] = []
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False, "nan_inf_to_errors": False})
    bold = book.add_format({"bold": True, "valign": "top"})
    top = book.add_format({"valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    url_format = book.add_format({"font_color": "blue", "underline": 1, "valign": "top"})
    # a text a spreadsheet would take for a formula: stored as text (a string
    # cell) with Excel's quote prefix, so it stays text even when edited, and
    # shows exactly as written (the prefix is not part of the value)
    bold_text = book.add_format({"bold": True, "valign": "top", "quote_prefix": True})
    top_text = book.add_format({"valign": "top", "quote_prefix": True})
    wrap_text = book.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    taken: set[str] = set()
    for name, group in groups.items():
        ws = book.add_worksheet(_sheet_name(name, taken))
        group = group[:1_048_575]  # Excel's last row
        cells = [[_xlsx_value(values(key, r.get(key)) if values else r.get(key)) for key in columns] for r in group]
        widths = [display_width(str(h)) for h in heads]
        for row in cells[:XLSX_WIDTH_ROWS]:  # first the widths, so that a long column's cells wrap
            for c, v in enumerate(row):
                if v is not None:
                    widths[c] = max(widths[c], display_width(cell(v)))
        if link is not None:
            widths[-1] = max(widths[-1], display_width(link_header[1]))
        # each column's format: (plain text, formula-like text)
        formats = [(wrap, wrap_text) if w > XLSX_MAX_WIDTH else (top, top_text) for w in widths]
        for c, h in enumerate(heads):  # a header may be a term the reader typed (coverage)
            head = _xlsx_value(h)
            ws.write_string(0, c, head, bold_text if formula_leading(head) else bold)
            ws.set_column(c, c, min(max(widths[c], XLSX_MIN_WIDTH), XLSX_MAX_WIDTH) + 1)
        ws.freeze_panes(1, 0)
        for n, (r, row) in enumerate(zip(group, cells), start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, bool):
                    ws.write_boolean(n, c, v)
                elif isinstance(v, (int, float)):
                    ws.write_number(n, c, v)
                else:
                    ws.write_string(n, c, v, formats[c][formula_leading(v)])
            if link is not None:
                url = link(r)
                if url:
                    ws.write_url(n, len(columns), url, url_format, string=link_header[1])
        if heads:
            ws.autofilter(0, 0, max(len(group), 1), len(heads) - 1)
    book.close()
    return buf.getvalue()


@writer("xlsx")
def xlsx(answer, *, headers: str = "en", sheets: str | None = None, web_url: str | None = None) -> Iterator[bytes]:
    """The answer's rows as a workbook: ``headers`` en or zh (as CSV),
    ``sheets="plan"`` one worksheet per plan, ``web_url`` (where ``cz serve``
    runs) a column of links to each row's page."""
    from chengzhen.answers.present import page_path, value_label, zh_columns

    zh = headers == "zh"
    sheets_by = None
    if sheets == "plan":
        def sheets_by(r: dict) -> str:
            plan = r.get("plan")
            return (r.get("plan_name") or plan) if isinstance(plan, str) and plan else answer.name
    link = None
    if web_url:
        base = web_url.rstrip("/")

        def link(r: dict) -> str | None:
            path = page_path(r, answer.name)
            return base + path if path else None
    yield xlsx_book(answer.line_rows(), answer.columns, sheet=answer.name,
                    headers=zh_columns(answer.column_specs()) if zh else None,
                    values=value_label if zh else None, sheets_by=sheets_by, link=link,
                    link_header=("网页", "原文") if zh else ("link", "source"))
