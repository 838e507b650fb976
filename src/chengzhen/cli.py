"""`cz`: the command line.  Thin Typer commands: parse options, call the query
layer, hand its plain data to the renderer.  No SQL, no YAML here.

Exit codes: 0 found / done, 1 nothing matched (or validation found gaps),
2 error, 130 interrupted.  See docs/cli.md.
"""

from __future__ import annotations

import os
import sys
from typing import List, Optional


def _import_typer():
    """Import Typer without letting it import rich.

    Typer imports rich (and markdown-it with it, ~0.1 s) at start-up when rich
    is installed, for help and error formatting we do not use: cz prints its
    own one-line errors and plain help.  Hiding rich while Typer loads keeps
    that cost off every command; cz imports rich itself when it draws a table.
    """
    if "typer" in sys.modules:
        return sys.modules["typer"]
    hidden = "rich" not in sys.modules
    if hidden:
        sys.modules["rich"] = None  # type: ignore[assignment]  # makes `import rich` fail inside typer
    try:
        import typer
    finally:
        if hidden:
            del sys.modules["rich"]
    return typer


typer = _import_typer()

from chengzhen import __version__
from chengzhen.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_NOTHING, EXIT_OK, CzError, UsageError

app = typer.Typer(
    name="cz",
    help="cz — 新型城镇化规划知识库 / a knowledge base of China's new-type urbanization plans.",
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMAT_HELP = "Output: table (default on a terminal), json, jsonl, csv, tsv."


# --------------------------------------------------------------------------- shared helpers

def _complete(kind: str):
    def complete(incomplete: str):
        try:
            from chengzhen.completion import candidates

            return [c for c in candidates(kind) if c.startswith(incomplete)]
        except Exception:  # completion must never fail loudly
            return []
    return complete


def _connect():
    from chengzhen.db import connect

    return connect(rebuild=_rebuild)


def _rebuild(root, path, reason: str) -> None:
    from chengzhen.build import build

    if sys.stderr.isatty():
        sys.stderr.write(f"cz: building the database ({reason}) …\n")
    build(root, path, only_if_stale=True)


def _format(fmt: Optional[str], allowed: tuple[str, ...]) -> str:
    """The output format; the table is the default (drawn plain off a terminal)."""
    if fmt is None:
        return "table"
    fmt = fmt.lower()
    if fmt not in allowed:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(allowed)}")
    return fmt


def _print(renderable) -> None:
    from chengzhen.render import console

    console().print(renderable)


def _code(found: bool) -> int:
    return EXIT_OK if found else EXIT_NOTHING


def _version(value: bool):
    if value:
        sys.stdout.write(f"cz {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", help="Show the version and exit.",
                                 callback=_version, is_eager=True),
):
    """cz — 新型城镇化规划知识库: search, compare and list the targets of China's
    new-type urbanization plans."""


# --------------------------------------------------------------------------- search

@app.command()
def search(
    query: Optional[List[str]] = typer.Argument(None, help="Words to find; several words must all occur."),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans (id, 青海, 青海省); repeatable.",
                                             autocompletion=_complete("plans")),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only measures on this topic (or a synonym).",
                                              autocompletion=_complete("topics")),
    dept: Optional[List[str]] = typer.Option(None, "--dept", "-d", help="Only measures of this department.",
                                             autocompletion=_complete("departments")),
    kind: Optional[List[str]] = typer.Option(None, "--kind", help="Only these kinds: measure, section, target, annex."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="At most N hits (default: 20 in a table, all otherwise; 0 = all)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP + " ids: one id per line."),
    full: bool = typer.Option(False, "--full", help="Whole texts instead of snippets."),
    raw: bool = typer.Option(False, "--raw", help="Pass the query to SQLite FTS5 unchanged (experts; trigram index)."),
    stdin: bool = typer.Option(False, "--stdin", help="Read one query per line from stdin; write JSON Lines."),
    exact: bool = typer.Option(False, "--exact", help="No segmentation, pinyin or fuzzy fallback."),
    show_sql: bool = typer.Option(False, "--sql", help="Print the SQL that runs, then the results."),
):
    """Find measures, sections, targets and annex entries containing all the words.

    Exact substring search over normalized text (traditional or simplified,
    any length); with no exact hit, an unspaced phrase is segmented (jieba),
    latin letters are read as pinyin, and near misses are corrected (fuzzy).
    Exit 0 with hits, 1 with none, 2 on error.
    """
    from chengzhen import search as S
    from chengzhen.names import resolve_departments, resolve_plans, resolve_topics

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv", "ids"))
    conn = _connect()
    filters = S.Filters(
        plans=resolve_plans(conn, plan), topics=resolve_topics(conn, topic),
        departments=resolve_departments(conn, dept),
    )
    if kind:
        bad = [k for k in kind if k not in S.KIND_LABELS]
        if bad:
            raise UsageError(f"unknown kind {bad[0]!r}; choose from {', '.join(S.KIND_LABELS)}")
        filters.kinds = list(kind)
    if limit is not None and limit < 0:
        raise UsageError("--limit must be 0 (all) or more")
    if stdin:
        if query:
            raise UsageError("give queries either as arguments or with --stdin, not both")
        return _search_stdin(conn, filters, limit, exact, raw)
    text = " ".join(query or [])
    if not text.strip():
        raise UsageError("empty query: give one or more words to search for")
    lim = (20 if fmt == "table" else None) if limit is None else (limit or None)
    if raw:
        result = S.raw_search(conn, text, filters, limit=lim)
    else:
        result = S.search(conn, text, filters, limit=lim, segment=not exact, fuzzy=not exact)
    if show_sql:
        sys.stderr.write(result.sql + "\n")
    from chengzhen import views

    views.search_result(result, fmt, full=full)
    return _code(bool(result.hits))


def _search_stdin(conn, filters, limit, exact, raw) -> int:
    import json

    from chengzhen import search as S

    any_hit = False
    out = sys.stdout
    for line in sys.stdin:
        q = clean_text(line).strip()
        if not q:
            continue
        try:
            if raw:
                res = S.raw_search(conn, q, filters, limit=limit or None)
            else:
                res = S.search(conn, q, filters, limit=limit or None, segment=not exact, fuzzy=not exact)
            rec = res.as_dict()
        except CzError as exc:
            rec = {"query": q, "error": exc.message, "hits": [], "total": 0}
        any_hit = any_hit or bool(rec["hits"])
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return _code(any_hit)


# --------------------------------------------------------------------------- show / plans / stats / topics

@app.command()
def show(
    ident: str = typer.Argument(..., metavar="ID", help="A measure id (qinghai/3.10), section id, annex id, or a plan (id or 青海).",
                                autocompletion=_complete("ids")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="table (default) or json."),
):
    """Show one measure in full (text, departments, topics, targets, source line),
    or a plan's outline as a tree."""
    from chengzhen import queries as Q
    from chengzhen import views

    fmt = _format(fmt, ("table", "json"))
    conn = _connect()
    kind, data = Q.resolve_show(conn, ident)
    views.show(kind, data, fmt)
    return EXIT_OK


@app.command()
def plans(
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The catalogue: every plan with its issuer, 文号, date and period."""
    from chengzhen import queries as Q
    from chengzhen import views

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    rows = Q.list_plans(_connect())
    views.plans(rows, fmt)
    return _code(bool(rows))


@app.command()
def stats(
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """Per plan: sections, measures, targets, departments and topics covered."""
    from chengzhen import queries as Q
    from chengzhen import views
    from chengzhen.names import resolve_plans

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    conn = _connect()
    rows = Q.plan_stats(conn, resolve_plans(conn, plan))
    views.stats(rows, fmt)
    return _code(bool(rows))


@app.command()
def topics(
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The topic taxonomy with synonyms and measure counts."""
    from chengzhen import queries as Q
    from chengzhen import views

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    rows = Q.list_topics(_connect())
    views.topics(rows, fmt)
    return _code(bool(rows))


# --------------------------------------------------------------------------- targets / depts

@app.command()
def targets(
    year: Optional[str] = typer.Option(None, "--year", "-y", help="A year (2028) or a range (2025..2030)."),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    indicator: Optional[str] = typer.Option(None, "--indicator", "-i", help="An indicator, alias or part of one (城镇化率).",
                                            autocompletion=_complete("indicators")),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only targets of measures on this topic.",
                                              autocompletion=_complete("topics")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    chart: Optional[bool] = typer.Option(None, "--chart/--no-chart", help="Bar chart (default with --indicator on a terminal)."),
):
    """Every quantitative target: plan, indicator, target as written, year
    (implied years marked), baseline, cumulative.  Sorted by year, then plan."""
    from chengzhen import queries as Q
    from chengzhen import views
    from chengzhen.names import resolve_indicators, resolve_plans, resolve_topics

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    years = Q.parse_years(year)
    inds = resolve_indicators(conn, indicator) if indicator is not None else None
    rows = Q.list_targets(conn, plans=plans_, years=years, indicators=inds, topics=resolve_topics(conn, topic))
    silent = Q.silent_plans(conn, rows, plans_) if indicator is not None else []
    views.targets(rows, fmt, indicators=inds, silent=silent,
                  chart=bool(indicator) if chart is None else chart)
    return _code(bool(rows))


@app.command()
def depts(
    name: Optional[List[str]] = typer.Argument(None, help="A department (fuzzy, alias-aware): list its measures.",
                                               autocompletion=_complete("departments")),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """Departments (责任单位) with the measures each leads or shares, per plan;
    with a NAME, that department's measures across plans (lead = listed first)."""
    from chengzhen import queries as Q
    from chengzhen import views
    from chengzhen.names import resolve_departments, resolve_plans

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    if name:
        deps = resolve_departments(conn, [" ".join(name)])
        rows = Q.department_measures(conn, deps, plans_)
        views.department_measures(rows, deps, fmt)
    else:
        rows = Q.department_counts(conn, plans_)
        all_plans = [p for p in Q.list_plans(conn) if not plans_ or p["id"] in plans_]
        views.department_counts(rows, all_plans, fmt)
    return _code(bool(rows))


# --------------------------------------------------------------------------- compare / similar / matrix

@app.command()
def compare(
    plans_: List[str] = typer.Argument(..., metavar="PLAN...", help="Two or more plans (id, 贵州, 贵州省).",
                                       autocompletion=_complete("plans")),
    topic: Optional[str] = typer.Option(None, "--topic", "-t", help="A topic or synonym; any other word falls back to search.",
                                        autocompletion=_complete("topics")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="table (default), json, md (a side-by-side report), csv."),
):
    """Plans side by side, measure by measure, aligned by the task they carry
    out; then what is unique to each, the words that set each apart, and
    the targets each sets."""
    from chengzhen import views
    from chengzhen.compare import compare as do_compare
    from chengzhen.names import resolve_plans

    fmt = _format(fmt, ("table", "json", "md", "csv"))
    conn = _connect()
    ids = resolve_plans(conn, plans_)
    data = do_compare(conn, ids, topic)
    views.compare(data, fmt)
    return _code(bool(data["rows"]) or any(data["unique"].values()))


@app.command()
def similar(
    ident: str = typer.Argument(..., metavar="ID", help="A measure id, e.g. qinghai/3.9.", autocompletion=_complete("ids")),
    n: int = typer.Option(5, "--number", "-n", help="Best N per other plan."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The measures of the other plans most like this one, with scores: where a
    province restated the national wording, and where it wrote its own."""
    from chengzhen import views
    from chengzhen.compare import similar as do_similar

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    if n < 1:
        raise UsageError("--number must be at least 1")
    data = do_similar(_connect(), ident.strip(), n)
    views.similar(data, fmt)
    return _code(bool(data["similar"]))


@app.command()
def matrix(
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    level: str = typer.Option("all", "--level", help="all, top (the eight main topics) or sub."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """Plans × topics: how many measures each plan has on each topic,
    heat-coloured on a terminal — who covers what, and who is silent."""
    from chengzhen import views
    from chengzhen.compare import matrix as do_matrix
    from chengzhen.names import resolve_plans

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    if level not in ("all", "top", "sub"):
        raise UsageError(f"unknown --level {level!r}; choose all, top or sub")
    conn = _connect()
    data = do_matrix(conn, resolve_plans(conn, plan), level)
    views.matrix(data, fmt)
    return _code(bool(data["counts"]))


# --------------------------------------------------------------------------- sql

@app.command()
def sql(
    statement: str = typer.Argument(..., metavar="SQL", help="One read-only SELECT statement."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="At most N rows."),
):
    """Run read-only SQL against the database (see docs/schema.md).  Writes,
    ATTACH and extension loading are refused."""
    from chengzhen import queries as Q
    from chengzhen import views

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    cols, rows = Q.run_sql(_connect(), statement, limit=limit)
    views.sql_rows(cols, rows, fmt)
    return _code(bool(rows))


# --------------------------------------------------------------------------- build / validate

@app.command()
def build(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary."),
):
    """Compile data/ into the SQLite database (atomically; the old file stays
    until the new one is complete).  Query commands do this by themselves
    whenever the data has changed."""
    from chengzhen import views
    from chengzhen.build import build as do_build
    from chengzhen.paths import data_dir, db_path

    root = data_dir()
    path = db_path(root)
    with views.build_progress(quiet) as progress:
        stats_ = do_build(root, path, progress=progress)
    if not quiet and sys.stderr.isatty():
        views.build_summary(stats_, path)
    return EXIT_OK


@app.command()
def validate(
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plan ids."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="table (default) or json."),
):
    """Check every quote against its source and every source line against the
    YAML.  Prints an audit per plan; exit 0 only at 100 % verified and covered,
    1 otherwise (with the failing ids and source lines), 2 if the data cannot load."""
    from chengzhen import views
    from chengzhen.audit import audit
    from chengzhen.loader import load
    from chengzhen.paths import data_dir

    fmt = _format(fmt, ("table", "json"))
    only = set(plan) if plan else None
    kb = load(data_dir(), only)
    if only:
        missing = only - set(kb.bodies)
        if missing:
            raise UsageError(f"unknown plan {sorted(missing)[0]!r} for validate")
    results = audit(kb, only)
    views.audit(results, fmt)
    return EXIT_OK if all(r.ok for r in results) else EXIT_NOTHING


# --------------------------------------------------------------------------- entry point

def clean_text(a: str) -> str:
    """Undecodable input (lone surrogates from argv or stdin) becomes U+FFFD
    and NUL is dropped, so nothing downstream chokes on it."""
    if any("\ud800" <= ch <= "\udfff" for ch in a):
        a = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in a)
    return a.replace("\x00", "")


def _clean_argv(argv: list[str]) -> list[str]:
    return [clean_text(a) for a in argv]


def _command_name(info) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def _app_for(args: list[str]) -> typer.Typer:
    """The app, with only the command being run when that is clear: Typer
    inspects every command's signature to build the CLI, and one is all a run
    needs.  Help, completion and anything unclear get the whole app."""
    if any(k.startswith("_CZ_COMPLETE") for k in os.environ) or not args or args[0].startswith("-"):
        return app
    wanted = [c for c in app.registered_commands if _command_name(c) == args[0]]
    if not wanted:
        return app
    one = typer.Typer(name=app.info.name, help=app.info.help, add_completion=False, no_args_is_help=True,
                      rich_markup_mode=None, pretty_exceptions_enable=False,
                      context_settings={"help_option_names": ["-h", "--help"]})
    one.registered_callback = app.registered_callback
    one.registered_commands = wanted
    return one


def _err(message: str) -> None:
    """One line on stderr, whatever the message holds."""
    line = " ".join(str(message).splitlines()) or "error"
    try:
        sys.stderr.write(f"cz: error: {line}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


class PipeClosed(Exception):
    """stdout's reader went away.  Not an OSError, so click cannot turn it
    into an exit code of its own on the way out."""


class _Guarded:
    """stdout, reporting a closed pipe as :class:`PipeClosed`."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, data):
        try:
            return self._stream.write(data)
        except BrokenPipeError:
            raise PipeClosed() from None

    def flush(self):
        try:
            return self._stream.flush()
        except BrokenPipeError:
            raise PipeClosed() from None

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> None:
    import click

    # a closed stdout or stderr (`cz … >&-`) is a sink, not a crash
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    args = _clean_argv(sys.argv[1:] if argv is None else list(argv))
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass
    try:
        sys.stdin.reconfigure(newline="\n")  # a query line ends at \n only; a stray \r is text
    except (AttributeError, ValueError, OSError):
        pass
    real_stdout = sys.stdout
    sys.stdout = _Guarded(real_stdout)
    code = EXIT_OK
    try:
        command = typer.main.get_command(_app_for(args))
        rv = command.main(args=args, prog_name="cz", standalone_mode=False)
        code = rv if isinstance(rv, int) else EXIT_OK
        sys.stdout.flush()
    except getattr(click.exceptions, "NoArgsIsHelpError", ()) as exc:  # click >= 8.2 raises it for `cz` alone
        sys.stdout.write(exc.ctx.get_help() + "\n")
        code = EXIT_OK
    except click.exceptions.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        if isinstance(exc, click.exceptions.NoSuchOption) and not exc.option_name.isascii():
            hint = f"; to search for text that starts with '-', put -- before it: cz search -- {exc.option_name}"
        _err(exc.format_message() + hint)
        code = EXIT_ERROR
    except click.exceptions.Exit as exc:
        code = exc.exit_code
        if code == EXIT_INTERRUPTED:
            _err("interrupted")
    except (click.exceptions.Abort, KeyboardInterrupt):
        _err("interrupted")
        code = EXIT_INTERRUPTED
    except (BrokenPipeError, PipeClosed):
        _quiet_pipe(real_stdout)
        code = EXIT_OK
    except CzError as exc:
        _err(exc.message)
        code = exc.exit_code
    except click.ClickException as exc:
        _err(exc.format_message())
        code = EXIT_ERROR
    except RecursionError:
        _err("input too deeply nested")
        code = EXIT_ERROR
    except MemoryError:
        _err("out of memory")
        code = EXIT_ERROR
    except OSError as exc:
        _err(f"{exc.strerror or exc}" + (f": {exc.filename}" if getattr(exc, "filename", None) else ""))
        code = EXIT_ERROR
    except Exception as exc:  # a bug: still one line, unless CZ_DEBUG asks for the traceback
        if os.environ.get("CZ_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set CZ_DEBUG=1 for a traceback)")
        code = EXIT_ERROR
    finally:
        sys.stdout = real_stdout
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_pipe(real_stdout)
    except (OSError, ValueError):
        pass
    sys.exit(code)


def _quiet_pipe(stream) -> None:
    """stdout was closed by its reader (`cz … | head -1`): stop quietly, and
    give the interpreter's last flush somewhere harmless to go."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass
