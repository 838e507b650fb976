"""`cz progress`: the command's body, without Typer.

``cli/app.py`` declares the command (options, help) and calls :func:`run`;
``cli/fast.py`` calls it straight from argv for an ordinary invocation, so
the answer does not pay for importing Typer and click (docs/performance.md).
The answer is ``answers/progress.py``'s, the same as the /progress page's.
"""

from __future__ import annotations

from chengzhen.errors import EXIT_NOTHING, EXIT_OK

PROGRESS_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "xlsx", "md")


def run(**kw) -> int:
    """``cz progress``: like a search (cli/search_command.py), the answer is
    computed from the database as it is while the up-to-date check runs
    beside it (cli/connection.py); if the data changed, nothing has been
    written and the answer is computed again, after the update."""
    from chengzhen.cli.connection import Stale, close_all

    try:
        return _answer(**kw, optimistic=True)
    except Stale:
        close_all()
        return _answer(**kw, optimistic=False)


def _answer(plan: list[str] | None = None, indicator: str | None = None, year: str | None = None,
            scope: str | None = None, within: bool = False, verdict: list[str] | None = None, as_of: str | None = None,
            fmt: str | None = None, chart: bool = True, headers: str | None = None, sheets: str | None = None,
            web_url: str | None = None, optimistic: bool = False) -> int:
    from chengzhen.answers.progress import ProgressAsk, answer
    from chengzhen.cli.connection import confirm, connect
    from chengzhen.cli.output import choose_format, emit, table_options
    from chengzhen.errors import CzError

    fmt = choose_format(fmt, PROGRESS_FORMATS)
    tables = table_options(headers, sheets, web_url)
    ask = ProgressAsk(plans=plan, indicator=indicator, year=year, scope=scope, within=within, verdicts=verdict,
                      as_of=as_of)
    conn = connect(optimistic=optimistic)
    try:
        ans = answer(conn, ask)
    except CzError:
        confirm()  # an unknown name in a database about to be updated is not the answer
        raise
    confirm()

    def view(a, env) -> None:
        from chengzhen.cli.views.progress import table

        table(a, env, chart=chart)

    emit(ans, fmt, view, table=tables)
    return EXIT_OK if ans.is_found() else EXIT_NOTHING
