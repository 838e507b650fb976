"""`cz search`: the command's body, without Typer.

``cli/app.py`` declares the command (options, help) and calls :func:`run`;
``cli/fast.py`` calls it straight from argv for the common invocations, so a
search does not pay for importing Typer and click (docs/performance.md).
Both give :func:`run` the same arguments.  The answer itself is
``answers/search.py``'s, the same as the search page's.
"""

from __future__ import annotations

from chengzhen.errors import EXIT_NOTHING, EXIT_OK, CzError, UsageError

SEARCH_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "ids", "xlsx", "md")
DISPLAY_LIMIT = 20  # hits a table shows unless --limit says otherwise


def run(**kw) -> int:
    """``cz search``: see :func:`_answer`.  A single query is answered from
    the database as it is, while the up-to-date check runs beside it
    (cli/connection.py); if the data changed, nothing has been written and
    the query is answered again, after the update."""
    from chengzhen.cli.connection import Stale, close_all

    try:
        return _answer(**kw, optimistic=not kw.get("stdin"))
    except Stale:
        close_all()
        return _answer(**kw, optimistic=False)


def _answer(
    query: list[str] | None = None,
    plan: list[str] | None = None,
    topic: list[str] | None = None,
    dept: list[str] | None = None,
    task: list[str] | None = None,
    kind: list[str] | None = None,
    limit: int | None = None,
    fmt: str | None = None,
    full: bool = False,
    raw: bool = False,
    stdin: bool = False,
    exact: bool = False,
    fuzzy: bool = False,
    show_sql: bool = False,
    group_by: str | None = None,
    excel: bool = False,
    headers: str | None = None,
    sheets: str | None = None,
    web_url: str | None = None,
    expand: bool = False,
    optimistic: bool = False,
) -> int:
    from chengzhen.answers import search as A
    from chengzhen.cli.connection import confirm, connect
    from chengzhen.cli.env import current
    from chengzhen.cli.output import choose_format, emit, excel_format, resolve_format, table_options
    from chengzhen.cli.views.search import table

    env = current()
    asked_fmt = excel_format(choose_format(fmt, SEARCH_FORMATS), excel)
    tables = table_options(headers, sheets, web_url)
    # --stdin answers one JSON envelope per line unless a format is asked for
    fmt = ("json" if asked_fmt == "auto" else asked_fmt) if stdin else resolve_format("search", asked_fmt, env)
    ask = A.SearchAsk(" ".join(query or []), plans=plan, topics=topic, depts=dept, kinds=kind, tasks=task,
                      limit=limit, exact=exact, fuzzy=fuzzy, raw=raw, group_by=group_by, expand=expand)
    A.check(ask)
    if stdin and query:
        raise UsageError("give queries either as arguments or with --stdin, not both")
    conn = connect(optimistic=optimistic)
    try:
        filters, tasks = A.resolve(conn, ask)
    except CzError:
        confirm()  # an unknown name in a database about to be updated is not the answer
        raise
    if stdin:
        return _stdin(conn, env, ask, filters, tasks, fmt, full, excel, tables)
    if limit is None:
        ask.limit = DISPLAY_LIMIT if fmt == "table" else None
    try:
        result = A.run(conn, ask.q, filters, ask)
    except CzError:
        confirm()
        raise
    confirm()
    if show_sql:
        env.stderr.write(result.sql + "\n")
    ans = A.from_result(result, A.echo(ask, filters, tasks), fuzzy=fuzzy)
    emit(ans, fmt, lambda a, e: table(a, e, full=full, fuzzy=fuzzy), excel=excel, env=env, table=tables)
    return EXIT_OK if ans.is_found() else EXIT_NOTHING


def _stdin(conn, env, ask, filters, tasks, fmt, full, excel, tables=None) -> int:
    """One query per stdin line.  json (the default): one envelope per query,
    each on one line; jsonl/csv/tsv/xlsx: the rows of every query, each with
    the query it answers (``q``) first; ids: the hits' ids; md: one table;
    table: one view per query.  Every format is the writers' (answers/writers.py)."""
    from chengzhen.answers import search as A
    from chengzhen.answers.answer import Answer, error_envelope
    from chengzhen.answers.writers import WRITERS, dumps, json_pieces
    from chengzhen.cli.output import emit, writer_options
    from chengzhen.cli.views.search import table
    from chengzhen.text.normalize import clean_input

    columns = ["q", *A.COLUMNS]
    any_hit = False
    header = True
    collected: list[dict] = []
    w = env.stdout.write
    for line in env.stdin:
        q = clean_input(line).strip()
        if not q:
            continue
        asked = A.echo(ask, filters, tasks, q=q)
        try:
            res = A.run(conn, q, filters, ask)
        except CzError as exc:
            if fmt == "json":
                w(dumps(error_envelope("search", asked, A.COLUMNS, exc.message)) + "\n")
            else:
                from chengzhen.i18n import _, translate

                env.stderr.write(_("cz: error: {message}").format(message=f"{q!r}: {translate(exc.message)}") + "\n")
            continue
        ans = A.from_result(res, asked, fuzzy=ask.fuzzy)
        any_hit = any_hit or ans.count_total() > 0
        if fmt == "json":
            for piece in json_pieces(ans, indent=False):
                w(piece)
        elif fmt == "ids":
            for piece in WRITERS["ids"](ans):
                w(piece)
        elif fmt == "table":
            table(ans, env, full=full, fuzzy=ask.fuzzy, heading=f"── {q}")
        else:
            rows = [{"q": q, **r} for r in ans.line_rows()]
            if fmt in ("xlsx", "md"):
                collected += rows
            else:
                one = Answer("search", rows, columns)
                options = writer_options(fmt, excel=excel, table=tables)
                for piece in WRITERS[fmt](one, header=header, **options) if fmt in ("csv", "tsv") else \
                        WRITERS[fmt](one):
                    w(piece)
                header = False
    if fmt in ("csv", "tsv") and header:
        for piece in WRITERS[fmt](Answer("search", [], columns), **writer_options(fmt, excel=excel, table=tables)):
            w(piece)
    if fmt in ("xlsx", "md"):
        emit(Answer("search", collected, columns), fmt, env=env, table=tables)
    return EXIT_OK if any_hit else EXIT_NOTHING
