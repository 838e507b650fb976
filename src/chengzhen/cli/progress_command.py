"""`cz progress`: the command's body, without Typer.

``cli/app.py`` declares the command (options, help) and calls :func:`run`;
``cli/fast.py`` calls it straight from argv for an ordinary invocation, so
the answer does not pay for importing Typer and click (docs/performance.md).
The answer is ``answers/progress.py``'s, the same as the /progress page's.
"""

from __future__ import annotations

from chengzhen.errors import EXIT_NOTHING, EXIT_OK

PROGRESS_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "xlsx", "md")


def run(plan: list[str] | None = None, indicator: str | None = None, year: str | None = None,
        scope: str | None = None, verdict: list[str] | None = None, as_of: str | None = None,
        fmt: str | None = None, chart: bool = True, headers: str | None = None, sheets: str | None = None,
        web_url: str | None = None) -> int:
    from chengzhen.answers.progress import ProgressAsk, answer
    from chengzhen.cli.connection import connect
    from chengzhen.cli.output import choose_format, emit, table_options

    fmt = choose_format(fmt, PROGRESS_FORMATS)
    tables = table_options(headers, sheets, web_url)
    ask = ProgressAsk(plans=plan, indicator=indicator, year=year, scope=scope, verdicts=verdict, as_of=as_of)
    ans = answer(connect(), ask)

    def view(a, env) -> None:
        from chengzhen.cli.views.progress import table

        table(a, env, chart=chart)

    emit(ans, fmt, view, table=tables)
    return EXIT_OK if ans.is_found() else EXIT_NOTHING
