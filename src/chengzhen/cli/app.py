"""`cz`: the commands.  Thin Typer functions: parse options, call the query
layer, hand its plain data to a view and the view to the one output path
(``cli/output.py``).  No SQL, no YAML here.
"""

from __future__ import annotations

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

from chengzhen import __version__  # noqa: E402
from chengzhen.errors import EXIT_NOTHING, EXIT_OK, CzError, UsageError  # noqa: E402

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
LIST_FORMATS = ("table", "json", "jsonl", "csv", "tsv")


# --------------------------------------------------------------------------- shared helpers

def _complete(kind: str):
    def complete(incomplete: str):
        try:
            from chengzhen.cli.completion import candidates

            return [c for c in candidates(kind) if c.startswith(incomplete)]
        except Exception:  # completion must never fail loudly
            return []
    return complete


def _connect():
    from chengzhen.cli.connection import connect

    return connect()


def _format(fmt: Optional[str], allowed: tuple[str, ...]) -> str:
    """The output format; the table is the default (drawn plain off a terminal)."""
    if fmt is None:
        return "table"
    fmt = fmt.lower()
    if fmt not in allowed:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(allowed)}")
    return fmt


def _emit(out, fmt: str, *, excel: bool = False) -> None:
    from chengzhen.cli.output import emit

    emit(out, fmt, excel=excel)


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
    raw: bool = typer.Option(False, "--raw", help="An FTS5 query for experts: AND/OR/NOT, NEAR, title: (see docs/cli.md)."),
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
    from chengzhen.cli import views
    from chengzhen.query import search as S
    from chengzhen.query.resolve import resolve_departments, resolve_plans, resolve_topics
    from chengzhen.store.rows import KINDS

    fmt = _format(fmt, (*LIST_FORMATS, "ids"))
    conn = _connect()
    filters = S.Filters(
        plans=resolve_plans(conn, plan), topics=resolve_topics(conn, topic),
        departments=resolve_departments(conn, dept),
    )
    if kind:
        bad = [k for k in kind if k not in KINDS]
        if bad:
            raise UsageError(f"unknown kind {bad[0]!r}; choose from {', '.join(KINDS)}")
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
    asked = {"q": text, "plans": filters.plans, "topics": filters.topics, "departments": filters.departments,
             "kinds": filters.kinds, "limit": lim, "exact": exact, "raw": raw}
    _emit(views.search(result, full=full, query=asked), fmt)
    return _code(bool(result.hits))


def _search_stdin(conn, filters, limit, exact, raw) -> int:
    import json

    from chengzhen.query import search as S
    from chengzhen.text.normalize import clean_input

    any_hit = False
    out = sys.stdout
    for line in sys.stdin:
        q = clean_input(line).strip()
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
    from chengzhen.cli import views
    from chengzhen.query import catalog as Q

    fmt = _format(fmt, ("table", "json"))
    conn = _connect()
    kind, data = Q.resolve_show(conn, ident)
    _emit(views.show(kind, data), fmt)
    return EXIT_OK


@app.command()
def plans(
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The catalogue: every plan with its issuer, 文号, date and period."""
    from chengzhen.cli import views
    from chengzhen.query import catalog as Q

    fmt = _format(fmt, LIST_FORMATS)
    rows = Q.list_plans(_connect())
    _emit(views.plans(rows), fmt)
    return _code(bool(rows))


@app.command()
def stats(
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """Per plan: sections, measures, targets, departments and topics covered."""
    from chengzhen.cli import views
    from chengzhen.query import catalog as Q
    from chengzhen.query.resolve import resolve_plans

    fmt = _format(fmt, LIST_FORMATS)
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    rows = Q.plan_stats(conn, plans_)
    _emit(views.stats(rows, {"plans": plans_}), fmt)
    return _code(bool(rows))


@app.command()
def topics(
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The topic taxonomy with synonyms and measure counts."""
    from chengzhen.cli import views
    from chengzhen.query import catalog as Q

    fmt = _format(fmt, LIST_FORMATS)
    rows = Q.list_topics(_connect())
    _emit(views.topics(rows), fmt)
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
    from chengzhen.cli import views
    from chengzhen.query import catalog as Q
    from chengzhen.query.resolve import resolve_indicators, resolve_plans, resolve_topics

    fmt = _format(fmt, LIST_FORMATS)
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    years = Q.parse_years(year)
    inds = resolve_indicators(conn, indicator) if indicator is not None else None
    topics_ = resolve_topics(conn, topic)
    rows = Q.list_targets(conn, plans=plans_, years=years, indicators=inds, topics=topics_)
    silent = Q.silent_plans(conn, rows, plans_) if indicator is not None else []
    asked = {"year": list(years) if years else None, "plans": plans_, "indicators": inds, "topics": topics_}
    _emit(views.targets(rows, query=asked, indicators=inds, silent=silent,
                        chart=bool(indicator) if chart is None else chart), fmt)
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
    from chengzhen.cli import views
    from chengzhen.query import catalog as Q
    from chengzhen.query.resolve import resolve_departments, resolve_plans

    fmt = _format(fmt, LIST_FORMATS)
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    if name:
        deps = resolve_departments(conn, [" ".join(name)])
        rows = Q.department_measures(conn, deps, plans_)
        _emit(views.department_measures(rows, deps, {"name": " ".join(name), "plans": plans_}), fmt)
    else:
        rows = Q.department_counts(conn, plans_)
        all_plans = [p for p in Q.list_plans(conn) if not plans_ or p["id"] in plans_]
        _emit(views.department_counts(rows, all_plans, {"plans": plans_}), fmt)
    return _code(bool(rows))


# --------------------------------------------------------------------------- compare / similar / matrix

@app.command()
def compare(
    plans_: List[str] = typer.Argument(..., metavar="PLAN...", help="Two or more plans (id, 贵州, 贵州省).",
                                       autocompletion=_complete("plans")),
    topic: Optional[str] = typer.Option(None, "--topic", "-t", help="A topic or synonym; any other word falls back to search.",
                                        autocompletion=_complete("topics")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="table (default), json, md (a side-by-side report), csv, tsv."),
):
    """Plans side by side, measure by measure, aligned by the task they carry
    out; then what is unique to each, the words that set each apart, and
    the targets each sets."""
    from chengzhen.cli import views
    from chengzhen.query.compare import compare as do_compare
    from chengzhen.query.resolve import resolve_plans

    fmt = _format(fmt, ("table", "json", "md", "csv", "tsv", "jsonl"))
    conn = _connect()
    ids = resolve_plans(conn, plans_)
    if len(ids) < 2:
        raise UsageError("compare needs at least two plans, e.g. `cz compare guizhou qinghai`")
    data = do_compare(conn, ids, topic)
    _emit(views.compare(data), fmt)
    return _code(bool(data["rows"]) or any(data["unique"].values()))


@app.command()
def similar(
    ident: str = typer.Argument(..., metavar="ID", help="A measure id, e.g. qinghai/3.9.", autocompletion=_complete("ids")),
    n: int = typer.Option(5, "--number", "-n", help="Best N per other plan."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The measures of the other plans most like this one, with scores: where a
    province restated the national wording, and where it wrote its own."""
    from chengzhen.cli import views
    from chengzhen.query.compare import similar as do_similar

    fmt = _format(fmt, LIST_FORMATS)
    if n < 1:
        raise UsageError("--number must be at least 1")
    data = do_similar(_connect(), ident.strip(), n)
    _emit(views.similar(data, n), fmt)
    return _code(bool(data["similar"]))


@app.command()
def matrix(
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    level: str = typer.Option("all", "--level", help="all, top (the eight main topics) or sub."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """Plans × topics: how many measures each plan has on each topic,
    heat-coloured on a terminal — who covers what, and who is silent."""
    from chengzhen.cli import views
    from chengzhen.query.compare import matrix as do_matrix
    from chengzhen.query.resolve import resolve_plans

    fmt = _format(fmt, LIST_FORMATS)
    if level not in ("all", "top", "sub"):
        raise UsageError(f"unknown --level {level!r}; choose all, top or sub")
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    data = do_matrix(conn, plans_, level)
    _emit(views.matrix(data, {"plans": plans_, "level": level}), fmt)
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
    from chengzhen.cli import views
    from chengzhen.query.sql import run_sql

    fmt = _format(fmt, LIST_FORMATS)
    cols, rows = run_sql(_connect(), statement, limit=limit)
    _emit(views.sql_rows(cols, rows, statement), fmt)
    return _code(bool(rows))


# --------------------------------------------------------------------------- serve

@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(8001, "--port", help="Port to listen on."),
):
    """Serve the knowledge base as web pages (datasette, read-only): search,
    measures, plans, compare, targets, coverage; each page also as JSON.
    Needs the optional web extra: pip install 'chengzhen[web]'."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535, not {port}")
    from chengzhen.cli.connection import close_all, connect
    from chengzhen.paths import data_dir, db_path

    from chengzhen.web.server import require_datasette, serve as run_server  # imports no datasette

    require_datasette()  # without the web extra: one line saying how to install it, exit 2
    connect()  # built or updated first, as for every command
    close_all()

    def announce(url: str, snap) -> None:
        sys.stderr.write(f"cz: serving {url} (database generation {snap.generation}; Ctrl-C stops)\n")
        sys.stderr.flush()

    run_server(db_path(data_dir()), host, port, announce=announce)
    sys.stderr.write("cz: stopped\n")
    return EXIT_OK


# --------------------------------------------------------------------------- build / validate

@app.command()
def build(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary."),
    full: bool = typer.Option(False, "--full", help="Rebuild every plan, not only those that changed."),
):
    """Bring the SQLite database up to date with data/: only the plans that
    changed, or everything when the schema, the code or a vocabulary changed
    (or with --full).  Query commands do this by themselves whenever the data
    has changed."""
    from chengzhen.cli import views
    from chengzhen.paths import data_dir, db_path
    from chengzhen.store.build import build as do_build

    root = data_dir()
    path = db_path(root)
    with views.build_progress(quiet) as progress:
        stats_ = do_build(root, path, full=full, progress=progress)
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
    from chengzhen.cli import views
    from chengzhen.kb.audit import audit_plan
    from chengzhen.kb.loader import iter_bundles, load_kb
    from chengzhen.paths import data_dir

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    only = set(plan) if plan else None
    kb = load_kb(data_dir())
    if only:
        missing = only - {p.id for p in kb.plans}
        if missing:
            raise UsageError(f"unknown plan {sorted(missing)[0]!r} for validate")
    results = [audit_plan(b) for b in iter_bundles(kb, only)]
    _emit(views.audit(results), fmt)
    return EXIT_OK if all(r.ok for r in results) else EXIT_NOTHING
