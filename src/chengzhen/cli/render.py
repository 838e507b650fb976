"""Drawing for people: rich tables, highlighted snippets, Markdown.

The table is drawn with rich on a terminal; when stdout is not a terminal,
or ``NO_COLOR`` is set, it has no colour codes, and off a terminal no box
drawing either.  rich is imported only when something is drawn.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence

from chengzhen.cli.output import cell


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def use_color() -> bool:
    return stdout_is_tty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


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


def table(columns: Sequence[tuple[str, dict]], rows: Iterable[Sequence[object]], *, title: str | None = None,
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
        if not tty:  # piped: one record per line, never wrapped to a width
            opts = {k: v for k, v in opts.items() if k not in ("max_width", "ratio")}
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


def md_escape(text: object) -> str:
    return cell(text).replace("|", "\\|").replace("\n", "<br>")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        out.append("| " + " | ".join(md_escape(c) for c in r) + " |")
    return "\n".join(out) + "\n"
