"""`cz sql` in the terminal: the rows as they come."""

from __future__ import annotations

from chengzhen.answers.present import cell
from chengzhen.cli import render as R


def table(ans, env) -> None:
    cols, rows = ans.data
    R.console(env).print(R.table(env, [(c, {}) for c in cols], ([cell(v) for v in r] for r in rows)))
