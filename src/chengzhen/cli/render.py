"""Drawing for people: rich tables and highlighted text, for the
environment handed in (``cli/env.py``).

The table is drawn with rich on a terminal; when stdout is not a terminal,
or ``NO_COLOR`` is set, it has no colour codes, and off a terminal no box
drawing either.  rich is imported only when something is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from chengzhen.cli.env import Env


def console(env: Env, stderr: bool = False):
    from rich.console import Console

    tty = env.stderr_is_tty if stderr else env.is_tty
    return Console(
        file=env.stderr if stderr else env.stdout,
        force_terminal=tty,
        no_color=not tty or bool(os.environ.get("NO_COLOR")),
        color_system="auto" if tty and not os.environ.get("NO_COLOR") else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=not tty,
        width=None if tty else 10_000,
    )


def say(con, text: str) -> None:
    """A line of prose (a heading, a footer, a hint): wrapped at the
    terminal's width, never cut."""
    con.print(text, overflow="fold", crop=False)


def table(env: Env, columns: Sequence[tuple[str, dict]], rows: Iterable[Sequence[object]], *,
          title: str | None = None, caption: str | None = None):
    """A rich Table: boxed on a terminal, plain columns off it."""
    from rich import box
    from rich.table import Table

    tty = env.is_tty
    t = Table(
        title=title, caption=caption, box=box.SIMPLE_HEAD if tty else None,
        show_edge=False, pad_edge=False, header_style="bold" if env.colour else "",
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


def highlighted(env: Env, text: str, spans: Sequence[tuple[int, int]], style: str = "bold red"):
    from rich.text import Text

    t = Text(text)
    if env.colour:
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


def plain(env: Env, text: str, style: str):
    """Text in ``style`` when colour is on, plain otherwise."""
    from rich.text import Text

    return Text(text, style=style if env.colour else "")
