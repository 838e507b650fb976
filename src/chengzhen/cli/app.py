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

FORMAT_HELP = "Output: table (default on a terminal; TSV when piped), json, jsonl, csv, tsv, xlsx."
LIST_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "xlsx")

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
    """The output format; ``auto`` when none is given: the table on a
    terminal, one record per line (TSV) off it (cli/output.py)."""
    from chengzhen.cli.search_command import choose_format

    return choose_format(fmt, allowed)

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
    query: Optional[List[str]] = typer.Argument(None, help="Words to find; several words must all occur. "
                                                "None with a filter: list what the filter selects."),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans (id, 青海, 青海省, 青); "
                                             "repeatable or separated by , 、 ，.", autocompletion=_complete("plans")),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only measures on this topic (or a synonym).",
                                              autocompletion=_complete("topics")),
    dept: Optional[List[str]] = typer.Option(None, "--dept", "-d", help="Only measures of this department.",
                                             autocompletion=_complete("departments")),
    kind: Optional[List[str]] = typer.Option(None, "--kind", help="Only these kinds: measure, section, target, annex."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="At most N hits (default: 20 in a table, all otherwise; 0 = all)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP + " ids: one hit id per line."),
    full: bool = typer.Option(False, "--full", help="Whole texts instead of snippets."),
    raw: bool = typer.Option(False, "--raw", help="An FTS5 query for experts: AND/OR/NOT, NEAR, title: (see docs/cli.md)."),
    stdin: bool = typer.Option(False, "--stdin", help="Read one query per line from stdin; one JSON envelope per line "
                               "(or the --format asked for)."),
    exact: bool = typer.Option(False, "--exact", help="Exact text hits only: no entities, segmentation, suggestions "
                               "or related units."),
    fuzzy: bool = typer.Option(False, "--fuzzy", help="When nothing matches, search the first suggestion (its units are "
                               "shown, marked; the exit code stays 1)."),
    group_by: Optional[str] = typer.Option(None, "--group-by", help="plan: the hits grouped by plan (--limit per plan)."),
    excel: bool = typer.Option(False, "--excel", help="CSV with a byte-order mark, for Excel and WPS."),
    show_sql: bool = typer.Option(False, "--sql", help="Print the SQL that runs, then the results."),
):
    """Find measures, sections, targets and annex entries containing all the words.

    A hit holds every word typed (traditional or simplified, any length;
    pasted numbers, pinyin glosses and stray spaces ignored).  A query that
    names a department, plan, topic, indicator or national task also lists
    its measures, marked.  Few exact hits: an unspaced phrase is segmented
    and the units holding every segment follow, marked.  No hit: suggestions
    (did you mean) and, for a long query, related units, never counted.
    Exit 0 with hits, 1 with none, 2 on error.
    """
    from chengzhen.cli.search_command import run

    return run(query=query, plan=plan, topic=topic, dept=dept, kind=kind, limit=limit, fmt=fmt, full=full, raw=raw,
               stdin=stdin, exact=exact, fuzzy=fuzzy, show_sql=show_sql, group_by=group_by, excel=excel)


@app.command()
def coverage(
    terms: List[str] = typer.Argument(..., metavar="TERM...", help="Words to look for; each argument is one term "
                                      "(quote several words to AND them)."),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    excel: bool = typer.Option(False, "--excel", help="CSV with a byte-order mark, for Excel and WPS."),
):
    """Plans × terms: how many units of each plan mention each term, zeros
    shown — which plans leave a subject out.  Exit 0 only when every plan
    mentions every term, 1 otherwise."""
    from chengzhen.cli import views
    from chengzhen.query.coverage import coverage as do_coverage
    from chengzhen.query.resolve import resolve_plans

    fmt = _format(fmt, LIST_FORMATS)
    if excel:
        if fmt not in ("auto", "csv"):
            raise UsageError(f"--excel writes CSV for Excel and WPS; it cannot be combined with --format {fmt}")
        fmt = "csv"
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    data = do_coverage(conn, terms, plans_)
    _emit(views.coverage(data, {"terms": terms, "plans": plans_}), fmt, excel=excel)
    return _code(data["complete"])

# --------------------------------------------------------------------------- show / plans / stats / topics

@app.command()
def show(
    ident: str = typer.Argument(..., metavar="ID", help="A measure id (qinghai/3.10), section id, annex id, a national "
                                "task or group (national/1.4, national/1), or a plan (id or 青海).",
                                autocompletion=_complete("ids")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="table (default) or json."),
    cite: bool = typer.Option(False, "--cite", help="A copy-ready citation: plan title, 文号, issuer, date, number, "
                              "source line, quote (and the original text of a traditional-script source)."),
):
    """Show one measure in full (text, departments in the source's order,
    national tasks, topics, targets, source line), a national task with each
    plan's measures side by side, or a plan's outline as a tree."""
    from chengzhen.cli import views
    from chengzhen.query import catalog as Q

    fmt = _format(fmt, ("table", "json"))
    conn = _connect()
    if cite:
        from chengzhen.query.cite import cite_target, citation

        target = cite_target(conn, ident)
        raw_lines, repairs = _source_of(target["plan"]["id"])
        _emit(views.citation(citation(target, raw_lines, repairs)), fmt)
        return EXIT_OK
    kind, data = Q.resolve_show(conn, ident)
    _emit(views.show(kind, data, ident.strip()), fmt)
    return EXIT_OK


def _source_of(plan_id: str):
    """A plan's raw source lines and recorded repairs, read from the data
    directory (what a citation quotes as the source writes it)."""
    from chengzhen.kb.loader import load_catalogue
    from chengzhen.paths import data_dir

    root = data_dir()
    plan = next((p for p in load_catalogue(root) if p.id == plan_id), None)
    if plan is None:
        return None, []
    try:
        raw = (root / plan.source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None, []
    lines = raw.split("\n")
    return [line.rstrip("\r") for line in lines], [(r.line, r.source, r.repaired, r.reason) for r in plan.repairs]


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
    scope: Optional[str] = typer.Option(None, "--scope", "-s", help="Only targets for this place: a scope (钟山区, "
                                        "黔中城市群) or a plan's region for targets without one."),
    commitments: Optional[bool] = typer.Option(None, "--commitments/--no-commitments",
                                               help="Include commitments (no number, no year): by default listed "
                                                    "without --year, left out with it."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    chart: Optional[bool] = typer.Option(None, "--chart/--no-chart", help="Bar chart (default with --indicator on a terminal)."),
):
    """Every quantitative target as committed: plan, indicator, scope, target
    as written with its qualifier (左右/以上) and aspiration (力争), year
    (implied years marked), baseline.  Restatements once.  Sorted by year,
    then plan; commitments without a number or year after them."""
    from chengzhen.cli import views
    from chengzhen.query import catalog as Q
    from chengzhen.query.resolve import resolve_indicators, resolve_plans, resolve_topics

    fmt = _format(fmt, LIST_FORMATS)
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    years = Q.parse_years(year)
    inds = resolve_indicators(conn, indicator) if indicator is not None else None
    topics_ = resolve_topics(conn, topic)
    rows = Q.list_targets(conn, plans=plans_, years=years, indicators=inds, topics=topics_, scope=scope,
                          commitments=commitments)
    silence = Q.silence(conn, rows, plans_, inds) if indicator is not None else None
    asked = {"year": list(years) if years else None, "plans": plans_, "indicators": inds, "topics": topics_,
             "scope": scope, "commitments": (years is None) if commitments is None else commitments}
    _emit(views.targets(rows, query=asked, indicators=inds, silence=silence,
                        chart=bool(indicator) if chart is None else chart), fmt)
    return _code(bool(rows))

@app.command()
def depts(
    name: Optional[List[str]] = typer.Argument(None, help="A department (fuzzy, alias-aware): list its measures.",
                                               autocompletion=_complete("departments")),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """Departments (责任单位) with their measures per plan: how often each is
    listed first (首列, the source's order) and, only where the source writes
    牵头, leads; with a NAME, that department's measures across plans."""
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
    task: Optional[List[str]] = typer.Option(None, "--task", "-k", help="Only these national tasks (national/1.4, (四), "
                                             "随迁子女); repeatable.", autocompletion=_complete("tasks")),
    by: str = typer.Option("task", "--by", help="task: national task first, then text similarity (default); "
                                               "text: text similarity only."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="table (default), json, md (a side-by-side report), csv, tsv."),
):
    """Plans side by side: one row per national task with each plan's
    measures carrying it (empty cells: who skipped it), then the measures no
    task covers aligned by wording; what is unique to each, the words that
    set each apart, and the targets each sets (with their scope)."""
    from chengzhen.cli import views
    from chengzhen.query.compare import compare as do_compare
    from chengzhen.query.resolve import resolve_plans

    fmt = _format(fmt, ("table", "json", "md", "csv", "tsv", "jsonl"))
    conn = _connect()
    ids = resolve_plans(conn, plans_)
    if len(ids) < 2:
        raise UsageError("compare needs at least two plans, e.g. `cz compare guizhou qinghai`")
    if by not in ("task", "text"):
        raise UsageError(f"unknown --by {by!r}; choose task or text")
    data = do_compare(conn, ids, topic, tasks=task, by=by)
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
    level: str = typer.Option("all", "--level", help="all, top (topics: the eight main ones; tasks: the national "
                                                     "groups) or sub."),
    by: str = typer.Option("topic", "--by", help="topic (default) or task: rows are the national tasks."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """Plans × topics (or × national tasks): how many measures each plan has
    on each, heat-coloured on a terminal — who covers what, and who is silent."""
    from chengzhen.cli import views
    from chengzhen.query.resolve import resolve_plans

    fmt = _format(fmt, LIST_FORMATS)
    if level not in ("all", "top", "sub"):
        raise UsageError(f"unknown --level {level!r}; choose all, top or sub")
    if by not in ("topic", "task"):
        raise UsageError(f"unknown --by {by!r}; choose topic or task")
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    if by == "task":
        from chengzhen.query.tasks import matrix as do_matrix
    else:
        from chengzhen.query.compare import matrix as do_matrix
    data = do_matrix(conn, plans_, level)
    _emit(views.matrix(data, {"plans": plans_, "level": level, "by": by}), fmt)
    return _code(bool(data["counts"]))

# --------------------------------------------------------------------------- national tasks

@app.command()
def tasks(
    name: Optional[List[str]] = typer.Argument(None, metavar="[TASK]...", help="National tasks: an id (national/1.4, "
                                               "1.4, national/1), a number ((四), 二、) or title words (随迁子女).",
                                               autocompletion=_complete("tasks")),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The national plan's key tasks (国发〔2024〕17号), grouped by action in
    the national order, with each plan's measures carrying each — and who
    carries none.  With TASK: that task, each plan's measures side by side."""
    from chengzhen.cli import views
    from chengzhen.query import tasks as T
    from chengzhen.query.resolve import resolve_plans

    fmt = _format(fmt, LIST_FORMATS)
    conn = _connect()
    plans_ = resolve_plans(conn, plan)
    ids = T.resolve_tasks(conn, name) if name else []
    asked = {"tasks": ids, "plans": plans_}
    leaves = {n["id"] for n in T.nodes(conn) if n["leaf"]}
    if ids and all(i in leaves for i in ids):
        data = T.detail(conn, ids, plans_)
        _emit(views.task_detail(data, asked), fmt)
        return _code(any(t["carried_by"] for t in data["tasks"]))
    data = T.coverage(conn, plans_, only=T.expand(conn, ids) if ids else None)
    _emit(views.tasks(data, asked), fmt)
    return _code(any(r["carried_by"] for r in data["rows"]))

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
    """Check every structured field against its source and every source line
    against the YAML.  Reports every problem of every file at once, grouped by
    file, each at the line of the offending field; exit 0 only when there is
    none, 1 otherwise."""
    from chengzhen.cli import views
    from chengzhen.kb.audit import PlanAudit, audit_plan, catalogue_problems
    from chengzhen.kb.loader import load_kb, load_plan
    from chengzhen.kb.problems import Sink
    from chengzhen.paths import data_dir

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv"))
    only = set(plan) if plan else None
    root = data_dir()
    sink = Sink()
    kb = load_kb(root, sink)
    if only:
        missing = only - {p.id for p in kb.plans}
        if missing:
            raise UsageError(f"unknown plan {sorted(missing)[0]!r} for validate")
    problems = sink.problems + catalogue_problems(kb)
    results = []
    for p in kb.plans:
        if only and p.id not in only:
            continue
        plan_sink = Sink()
        bundle = load_plan(root, p, kb.vocab, plan_sink)
        result = audit_plan(bundle, vocab=kb.vocab) if bundle is not None else PlanAudit(p.id)
        result.problems[:0] = plan_sink.problems
        problems += result.problems
        results.append(result)
    _emit(views.audit(results, problems), fmt)
    return EXIT_OK if not problems else EXIT_NOTHING

# --------------------------------------------------------------------------- ingest

@app.command()
def ingest(
    file: str = typer.Argument(..., metavar="FILE",
                               help="A plan as you got it: text (UTF-8, GB18030, UTF-16), a saved HTML page, .docx or PDF."),
    plan_id: Optional[str] = typer.Option(None, "--id", help="The plan's id (default: the pinyin of its region, e.g. guizhou)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Draft and check it, print the draft, write nothing."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="yaml (default) or json."),
    force: bool = typer.Option(False, "--force", help="Replace the plan that has this id."),
):
    """Draft a new plan from its text: catalogue entry, outline, measures,
    责任单位, targets, national tasks, every repair — checked like `cz validate`
    — and write it into data/ (source, plan file, catalogue entry, proposed
    vocabulary) in one step.  Ends with what to review."""
    from pathlib import Path

    from chengzhen.cli import views
    from chengzhen.ingest import draft as D
    from chengzhen.paths import data_dir, db_path, writable_data_dir

    fmt = "yaml" if fmt is None else _format(fmt, ("yaml", "json"))
    # never into an installed package: a plain install's first ingest creates the per-user data directory
    root = data_dir() if dry_run else writable_data_dir()
    d = D.make_draft(Path(file), root, plan_id, label=file)
    exists = D.check_clash(d, root, force)
    audit = D.verify(d, root, replace=exists)
    if not audit.ok:
        first = audit.problems[0]
        raise CzError(f"{file}: the draft does not pass validation ({first}); nothing was written")
    written: list[str] = []
    build_note = None
    if not dry_run:
        written = D.write(d, root, replace=exists)
        from chengzhen.store.build import build as do_build

        try:
            do_build(root, db_path(root))
        except CzError as exc:  # the data is written; the database catches up on the next query
            build_note = f"database not updated yet: {exc.message}"
    _emit(views.ingest(d, file=file, written=written, dry_run=dry_run, replaced=exists, note=build_note), fmt)
    return EXIT_OK
