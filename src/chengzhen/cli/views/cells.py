"""One plan's measures in a cell of a side-by-side view (compare, tasks):
heading, text with the terms highlighted, departments and targets."""

from __future__ import annotations

from collections.abc import Sequence

from chengzhen.answers.compare import cell_parts, empty_text, hidden_text
from chengzhen.answers.present import find_spans
from chengzhen.cli import render as R


def cell_text(env, c: dict | None, terms: Sequence[str], *, width: int = 120, abridged: bool = False):
    from rich.text import Text

    if c is None:
        return R.highlighted(env, empty_text(abridged), [])
    head, body, extra = cell_parts(c, width)
    t = Text()
    t.append(head + "\n", style="bold" if env.colour else "")
    t.append_text(R.highlighted(env, body, find_spans(body, [x for x in terms if x])))
    for e in extra:
        t.append("\n" + e, style="dim" if env.colour else "")
    return t


def cells_text(env, cells: list[dict], terms: Sequence[str], *, width: int = 120, abridged: bool = False,
               hidden: list[dict] | None = None):
    """All of one plan's measures in a row (a task a plan splits over two
    measures has both); none: the measures carrying the task that the filter
    left out, else an empty cell, flagged when the source is abridged."""
    from rich.text import Text

    if not cells and hidden:
        return R.highlighted(env, hidden_text(hidden), [])
    if not cells:
        return cell_text(env, None, terms, abridged=abridged)
    out = Text()
    for n, c in enumerate(cells):
        if n:
            out.append("\n\n")
        out.append_text(cell_text(env, c, terms, width=width))
    return out


def side_by_side(env, con, n_plans: int) -> bool:
    """Columns side by side only on a terminal wide enough for them."""
    return env.is_tty and n_plans <= 4 and con.width >= 45 * n_plans
