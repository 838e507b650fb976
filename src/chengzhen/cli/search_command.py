"""`cz search`: the command's body, without Typer.

``cli/app.py`` declares the command (options, help) and calls :func:`run`;
``cli/fast.py`` calls it straight from argv for the common invocations, so a
search does not pay for importing Typer and click (docs/performance.md).
Both give :func:`run` the same arguments.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from chengzhen.errors import EXIT_NOTHING, EXIT_OK, CzError, UsageError

SEARCH_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "ids", "xlsx")
GROUP_BY = ("plan",)
DISPLAY_LIMIT = 20  # hits a table shows unless --limit says otherwise


def choose_format(fmt: str | None, allowed: Sequence[str]) -> str:
    """The format asked for; ``auto`` when none was (output.resolve_format)."""
    if fmt is None:
        return "auto"
    fmt = fmt.lower()
    if fmt not in allowed:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(allowed)}")
    return fmt


def _concrete(fmt: str) -> str:
    from chengzhen.cli.output import stdout_is_tty

    if fmt == "auto":
        return "table" if stdout_is_tty() else "tsv"
    return fmt


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
    expand: bool = False,
    optimistic: bool = False,
) -> int:
    from chengzhen.cli import views
    from chengzhen.cli.connection import confirm, connect
    from chengzhen.cli.output import emit
    from chengzhen.query import search as S
    from chengzhen.query.resolve import resolve_departments, resolve_plans, resolve_topics, split_names
    from chengzhen.store.kinds import KINDS

    asked_fmt = choose_format(fmt, SEARCH_FORMATS)
    if excel:
        if asked_fmt not in ("auto", "csv"):
            raise UsageError(f"--excel writes CSV for Excel and WPS; it cannot be combined with --format {asked_fmt}")
        asked_fmt = "csv"
    # --stdin answers one JSON envelope per line unless a format is asked for
    fmt = ("json" if asked_fmt == "auto" else asked_fmt) if stdin else _concrete(asked_fmt)
    if group_by is not None and group_by not in GROUP_BY:
        raise UsageError(f"unknown --group-by {group_by!r}; choose {', '.join(GROUP_BY)}")
    if limit is not None and limit < 0:
        raise UsageError("--limit must be 0 (all) or more")
    kinds = split_names("kind", kind, lambda w: w in KINDS) if kind else []
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise UsageError(f"unknown kind {bad[0]!r}; choose from {', '.join(KINDS)}")
    conn = connect(optimistic=optimistic)
    try:
        filters = S.Filters(plans=resolve_plans(conn, plan), topics=resolve_topics(conn, topic),
                            departments=resolve_departments(conn, dept), kinds=kinds)
    except CzError:
        confirm()  # an unknown name in a database about to be updated is not the answer
        raise
    if stdin:
        if query:
            raise UsageError("give queries either as arguments or with --stdin, not both")
        return _stdin(conn, filters, limit, fmt, exact, fuzzy, raw, full, group_by, excel, expand)
    text = " ".join(query or [])
    lim = (DISPLAY_LIMIT if fmt == "table" else None) if limit is None else (limit or None)
    asked = {"q": text, "plans": filters.plans, "topics": filters.topics, "departments": filters.departments,
             "kinds": filters.kinds, "limit": lim, "exact": exact, "fuzzy": fuzzy, "raw": raw,
             "group_by": group_by, "expand": expand}
    if not text.strip():
        if not S.filters_active(filters) or raw:
            raise UsageError("empty query: give one or more words to search for, or a filter to list "
                             "(--plan, --topic, --dept, --kind)")
    try:
        if not text.strip():
            result = S.list_units(conn, filters, limit=lim, group_by=group_by)
        elif raw:
            result = S.raw_search(conn, text, filters, limit=lim)
        else:
            result = _search(conn, text, filters, lim, exact, fuzzy, group_by, expand)
    except CzError:
        confirm()
        raise
    confirm()
    if show_sql:
        sys.stderr.write(result.sql + "\n")
    emit(views.search(result, full=full, query=asked, fuzzy=fuzzy), fmt, excel=excel)
    return EXIT_OK if result.hits or result.total else EXIT_NOTHING


def _search(conn, text, filters, limit, exact, fuzzy, group_by, expand=False):
    from chengzhen.query import search as S

    if exact:
        return S.search(conn, text, filters, limit=limit, segment=False, entities=False, suggest=False,
                        related=False, group_by=group_by)
    return S.search(conn, text, filters, limit=limit, fuzzy=fuzzy, group_by=group_by, expand=expand)


def _stdin(conn, filters, limit, fmt, exact, fuzzy, raw, full, group_by, excel, expand=False) -> int:
    """One query per stdin line.  json (the default): one envelope per query,
    each on one line; jsonl/csv/tsv/xlsx: the rows of every query, each with
    the query it answers (``q``) first; ids: the hits' ids; table: one table
    per query."""
    from chengzhen.cli import views
    from chengzhen.cli.output import delimited, dumps, envelope, write, xlsx
    from chengzhen.query import search as S
    from chengzhen.text.normalize import clean_input

    columns = ["q", *views.SEARCH_COLUMNS]
    any_hit = False
    header = True
    collected: list[dict] = []
    for line in sys.stdin:
        q = clean_input(line).strip()
        if not q:
            continue
        asked = {"q": q, "plans": filters.plans, "topics": filters.topics, "departments": filters.departments,
                 "kinds": filters.kinds, "limit": limit or None, "exact": exact, "fuzzy": fuzzy, "raw": raw,
                 "group_by": group_by}
        try:
            if raw:
                res = S.raw_search(conn, q, filters, limit=limit or None)
            else:
                res = _search(conn, q, filters, limit or None, exact, fuzzy, group_by, expand)
        except CzError as exc:
            if fmt == "json":
                write(dumps({"command": "search", "query": asked, "records": [], "count": 0, "total": 0,
                             "error": exc.message, "notes": [exc.message]}) + "\n")
            else:
                sys.stderr.write(f"cz: error: {q!r}: {exc.message}\n")
            continue
        any_hit = any_hit or res.total > 0
        out = views.search(res, full=full, query=asked, fuzzy=fuzzy)
        if fmt == "json":
            write(dumps(envelope(out)) + "\n")
        elif fmt == "ids":
            for i in dict.fromkeys(out.ids or []):
                write(f"{i}\n")
        elif fmt == "table":
            views.search_table(res, full, fuzzy=fuzzy, heading=f"── {q}")
        else:
            rows = [{"q": q, **r} for r in (out.rows or [])]
            if fmt == "jsonl":
                for r in rows:
                    write(dumps(r) + "\n")
            elif fmt == "xlsx":
                collected += rows
            else:
                delimited(rows, columns, fmt, excel=excel, header=header)
                header = False
    if fmt in ("csv", "tsv") and header:
        delimited([], columns, fmt, excel=excel)
    if fmt == "xlsx":
        xlsx(collected, columns, sheet="search")
    return EXIT_OK if any_hit else EXIT_NOTHING
