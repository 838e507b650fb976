"""Turn query results (plain data) into output: table / json / jsonl / csv /
tsv / ids / md.

Machine formats use stable English keys and never carry colour.  The table
is drawn with rich on a terminal; when stdout is not a terminal, or
``NO_COLOR`` is set, it has no colour codes, and off a terminal no box
drawing either.  rich is imported only when a table is drawn.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from typing import Any, Iterable, Sequence

FORMATS = ("table", "json", "jsonl", "csv", "tsv")


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def use_color() -> bool:
    return stdout_is_tty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def write(text: str) -> None:
    sys.stdout.write(text)


def dumps_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def emit_json(data: Any) -> None:
    write(dumps_json(data))


def emit_json_list(records: Iterable[dict], *, key: str | None = None, extra: dict | None = None) -> None:
    """A JSON list (or an object holding one under ``key``), written record
    by record: large results never sit in memory as one string."""
    out = sys.stdout
    if key is not None:
        out.write("{\n")
        for k, v in (extra or {}).items():
            out.write(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n")
        out.write(f"  {json.dumps(key)}: [")
    else:
        out.write("[")
    first = True
    for r in records:
        out.write("\n    " if first else ",\n    ")
        out.write(json.dumps(r, ensure_ascii=False))
        first = False
    out.write("\n  ]\n}\n" if key is not None else "\n]\n")


def emit_jsonl(records: Iterable[dict]) -> None:
    out = sys.stdout
    for r in records:
        out.write(json.dumps(r, ensure_ascii=False))
        out.write("\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ";".join(_cell(v) for v in value)
    return str(value)


def emit_delimited(records: Sequence[dict], columns: Sequence[str], fmt: str) -> None:
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; a CR inside a value is then quoted
        w.writerow(columns)
        for r in records:
            w.writerow([_cell(r.get(c)) for c in columns])
        write(buf.getvalue())
        return
    lines = ["\t".join(columns)]
    for r in records:
        lines.append("\t".join(_cell(r.get(c)).replace("\t", " ").replace("\r", " ").replace("\n", " ") for c in columns))
    write("\n".join(lines) + "\n")


def emit_records(records: Sequence[dict], columns: Sequence[str], fmt: str, *, envelope: Any = None) -> None:
    """json / jsonl / csv / tsv for a list of flat records."""
    if fmt == "json":
        emit_json(envelope if envelope is not None else list(records))
    elif fmt == "jsonl":
        emit_jsonl(records)
    elif fmt in ("csv", "tsv"):
        emit_delimited(records, columns, fmt)
    else:  # pragma: no cover - callers handle table/md/ids
        raise ValueError(fmt)


# --------------------------------------------------------------------------- rich

def console(stderr: bool = False):
    from rich.console import Console

    tty = (sys.stderr.isatty() if stderr else stdout_is_tty())
    return Console(
        file=sys.stderr if stderr else sys.stdout,
        force_terminal=tty,
        no_color=not tty or bool(os.environ.get("NO_COLOR")),
        color_system="auto" if tty and not os.environ.get("NO_COLOR") else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=not tty,
        width=None if tty else 10_000,
    )


def table(columns: Sequence[tuple[str, dict]], rows: Iterable[Sequence[Any]], *, title: str | None = None,
          caption: str | None = None):
    """A rich Table: boxed on a terminal, plain columns off it."""
    from rich import box
    from rich.table import Table

    tty = stdout_is_tty()
    t = Table(
        title=title, caption=caption, box=box.SIMPLE_HEAD if tty else None,
        show_edge=False, pad_edge=False, header_style="bold" if use_color() else "",
        title_justify="left", caption_justify="left", expand=False,
    )
    for label, opts in columns:
        # Chinese runs have no spaces to wrap at: fold them instead of cutting
        t.add_column(label, **{"overflow": "fold", **opts})
    for row in rows:
        t.add_row(*row)
    return t


def highlighted(text: str, spans: Sequence[tuple[int, int]], style: str = "bold red"):
    from rich.text import Text

    t = Text(text)
    if use_color():
        for s, e in spans:
            t.stylize(style, s, e)
    elif spans:
        # no colour: mark matches with 【】 so they still stand out
        out, last = [], 0
        for s, e in spans:
            out.append(text[last:s])
            out.append("【" + text[s:e] + "】")
            last = e
        out.append(text[last:])
        t = Text("".join(out))
    return t


def snippet(text: str, spans: Sequence[tuple[int, int]], width: int = 60) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` around the first match, with spans shifted into it."""
    if not text:
        return "", []
    text = text.replace("\n", " ")
    if not spans:
        cut = text[:width]
        return cut + ("…" if len(text) > width else ""), []
    s0 = spans[0][0]
    start = max(0, s0 - width // 3)
    end = min(len(text), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    inside = [(max(s, start) - start + len(prefix), min(e, end) - start + len(prefix))
              for s, e in spans if e > start and s < end]
    return prefix + text[start:end] + suffix, inside


def md_escape(text: Any) -> str:
    return _cell(text).replace("|", "\\|").replace("\n", "<br>")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        out.append("| " + " | ".join(md_escape(c) for c in r) + " |")
    return "\n".join(out) + "\n"
