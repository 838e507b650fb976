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

FORMAT_HELP = "Output: table (default on a terminal; TSV when piped), json, jsonl, csv, tsv, xlsx, md."
LIST_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "xlsx", "md")

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
    from chengzhen.cli.output import choose_format

    return choose_format(fmt, allowed)

def _emit(answer, fmt: str, view=None, *, excel: bool = False, formats=None) -> int:
    """Write the answer; its exit code: 0 found, 1 nothing."""
    from chengzhen.cli.output import emit

    emit(answer, fmt, view, excel=excel, formats=formats)
    return _code(answer.is_found())

def _code(found: bool) -> int:
    return EXIT_OK if found else EXIT_NOTHING

def _need(value, metavar: str, command: str):
    """A required argument click let through as missing (click 8.2+ with
    Typer 0.16 passes None instead of refusing): the same usage error."""
    if value is None:
        raise UsageError(f"missing argument {metavar} (see `cz {command} --help`)")
    return value

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
    task: Optional[List[str]] = typer.Option(None, "--task", "-k", help="Only units carrying these national tasks "
                                             "(national/1.4, (四), 随迁子女; a group: all its tasks).",
                                             autocompletion=_complete("tasks")),
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

    return run(query=query, plan=plan, topic=topic, dept=dept, task=task, kind=kind, limit=limit, fmt=fmt, full=full,
               raw=raw, stdin=stdin, exact=exact, fuzzy=fuzzy, show_sql=show_sql, group_by=group_by, excel=excel)


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
    from chengzhen.answers.coverage import coverage as answer
    from chengzhen.cli.output import excel_format
    from chengzhen.cli.views.coverage import table

    fmt = excel_format(_format(fmt, LIST_FORMATS), excel)
    return _emit(answer(_connect(), terms, plan), fmt, table, excel=excel)

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
    from chengzhen.answers import show as A
    from chengzhen.cli.views import show as V

    _need(ident, "ID", "show")
    fmt = _format(fmt, ("table", "json"))
    conn = _connect()
    if cite:
        from chengzhen.paths import data_dir

        _emit(A.citation(conn, ident, data_dir()), fmt, V.citation)
        return EXIT_OK
    _emit(A.show(conn, ident), fmt, V.table)
    return EXIT_OK


@app.command()
def plans(
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The catalogue: every plan with its issuer, 文号, date and period."""
    from chengzhen.answers import catalog as A
    from chengzhen.cli.views import catalog as V

    fmt = _format(fmt, LIST_FORMATS)
    return _emit(A.plans(_connect()), fmt, V.plans)

@app.command()
def stats(
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help="Only these plans.", autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """Per plan: sections, measures, targets, departments and topics covered."""
    from chengzhen.answers import catalog as A
    from chengzhen.cli.views import catalog as V

    fmt = _format(fmt, LIST_FORMATS)
    return _emit(A.stats(_connect(), plan), fmt, V.stats)

@app.command()
def topics(
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The topic taxonomy with synonyms and measure counts."""
    from chengzhen.answers import catalog as A
    from chengzhen.cli.views import catalog as V

    fmt = _format(fmt, LIST_FORMATS)
    return _emit(A.topics(_connect()), fmt, V.topics)

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
                                        "黔中城市群) or a plan's own region for targets without one (贵州: "
                                        "Guizhou-wide, not 六盘水's; 全省: every province-wide target)."),
    within: bool = typer.Option(False, "--within", "--include-cities",
                                help="With --scope: also the targets set for places inside it (a city plan's "
                                     "rows for its province, a plan's scoped rows)."),
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
    from chengzhen.answers.targets import TargetsAsk, answer
    from chengzhen.cli.views.targets import table

    fmt = _format(fmt, LIST_FORMATS)
    ask = TargetsAsk(year=year, plans=plan, indicator=indicator, topics=topic, scope=scope, within=within,
                     commitments=commitments)
    drawn = bool(indicator) if chart is None else chart
    return _emit(answer(_connect(), ask), fmt, lambda a, env: table(a, env, chart=drawn))

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
    from chengzhen.answers.depts import depts as answer
    from chengzhen.cli.views.depts import table

    fmt = _format(fmt, LIST_FORMATS)
    return _emit(answer(_connect(), " ".join(name) if name else None, plan), fmt, table)

# --------------------------------------------------------------------------- compare / similar / matrix

@app.command()
def compare(
    plans_: Optional[List[str]] = typer.Argument(None, metavar="[PLAN]...", help="Two or more plans (id, 贵州, 贵州省); "
                                                 "none with --task: the first eight plans.",
                                                 autocompletion=_complete("plans")),
    topic: Optional[str] = typer.Option(None, "--topic", "-t", help="A topic or synonym; any other word falls back to search.",
                                        autocompletion=_complete("topics")),
    task: Optional[List[str]] = typer.Option(None, "--task", "-k", help="Only these national tasks (national/1.4, (四), "
                                             "随迁子女); repeatable.", autocompletion=_complete("tasks")),
    by: str = typer.Option("task", "--by", help="task: national task first, then text similarity (default); "
                                               "text: text similarity only."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="table (default), json, md (a side-by-side report), "
                                                                    "csv, tsv, jsonl, xlsx."),
):
    """Plans side by side: one row per national task with each plan's
    measures carrying it (empty cells: who skipped it), then the measures no
    task covers aligned by wording; what is unique to each, the words that
    set each apart, and the targets each sets (with their scope)."""
    from chengzhen.answers.compare import compare as answer
    from chengzhen.cli.views.compare import table

    fmt = _format(fmt, LIST_FORMATS)
    if not plans_ and not task:
        raise UsageError("compare needs at least two plans, e.g. `cz compare guizhou qinghai` "
                         "(or national tasks: `cz compare --task 4.1`)")
    return _emit(answer(_connect(), plans_, topic, task, by), fmt, table)

@app.command()
def similar(
    ident: str = typer.Argument(..., metavar="ID", help="A measure id, e.g. qinghai/3.9.", autocompletion=_complete("ids")),
    n: int = typer.Option(5, "--number", "-n", help="Best N per other plan."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
):
    """The measures of the other plans most like this one, with scores: where a
    province restated the national wording, and where it wrote its own."""
    from chengzhen.answers.compare import similar as answer
    from chengzhen.cli.views.compare import similar as view

    _need(ident, "ID", "similar")
    fmt = _format(fmt, LIST_FORMATS)
    return _emit(answer(_connect(), ident, n), fmt, view)

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
    from chengzhen.answers.compare import matrix as answer
    from chengzhen.cli.views.compare import matrix as view

    fmt = _format(fmt, LIST_FORMATS)
    return _emit(answer(_connect(), plan, level, by), fmt, view)

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
    from chengzhen.answers.tasks import tasks as answer
    from chengzhen.cli.views.tasks import table

    fmt = _format(fmt, LIST_FORMATS)
    return _emit(answer(_connect(), name, plan), fmt, table)

# --------------------------------------------------------------------------- sql

@app.command()
def sql(
    statement: str = typer.Argument(..., metavar="SQL", help="One read-only SELECT statement."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="At most N rows."),
):
    """Run read-only SQL against the database (see docs/schema.md).  Writes,
    ATTACH and extension loading are refused."""
    from chengzhen.answers.sql import sql as answer
    from chengzhen.cli.views.sql import table

    _need(statement, "SQL", "sql")
    fmt = _format(fmt, LIST_FORMATS)
    return _emit(answer(_connect(), statement, limit), fmt, table)


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
    from chengzhen.cli.env import current
    from chengzhen.cli.views import build as V
    from chengzhen.paths import data_dir, db_path
    from chengzhen.store.build import build as do_build

    env = current()
    root = data_dir()
    path = db_path(root)
    with V.progress(env, quiet) as progress:
        stats_ = do_build(root, path, full=full, progress=progress)
    if not quiet and env.stderr_is_tty:
        V.summary(env, stats_, path)
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
    from chengzhen.answers.validate import audit
    from chengzhen.cli.views.validate import table
    from chengzhen.kb.audit import PlanAudit, audit_plan, catalogue_problems
    from chengzhen.kb.loader import load_kb, load_plan
    from chengzhen.kb.problems import Sink, by_file
    from chengzhen.paths import data_dir

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv", "xlsx", "md"))
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
    return _emit(audit(results, by_file(problems), sorted(only) if only else None), fmt, table)

# --------------------------------------------------------------------------- ingest

@app.command()
def ingest(
    file: str = typer.Argument(..., metavar="FILE",
                               help="A plan as you got it: text (UTF-8, GB18030, UTF-16), a saved HTML page, .docx or PDF; "
                                    "or a directory: each file in it, with one summary table."),
    plan_id: Optional[str] = typer.Option(None, "--id", help="The plan's id (default: the pinyin of its region, e.g. guizhou)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Draft and check it, print the whole draft, write nothing."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="yaml (default) or json."),
    force: bool = typer.Option(False, "--force", help="Replace the plan that has this id."),
    period: Optional[str] = typer.Option(None, "--period", metavar="START-END",
                                         help="The plan's period when its text states none (2023-2027): "
                                              "written as supplied by the curator."),
):
    """Draft a new plan from its text: catalogue entry, outline, measures,
    责任单位, targets, national tasks, every repair — checked like `cz validate`
    — and write it into data/ (source, plan file, catalogue entry, proposed
    vocabulary) in one step.  Ends with what to review (`cz review ID`).
    Any text is drafted; a draft that validation would refuse (a period the
    text does not state, …) is printed with what blocks it, and not written:
    exit 1.  A file that is not text (binary, empty, damaged) is exit 2."""
    from pathlib import Path

    from chengzhen.cli.views import ingest as V
    from chengzhen.ingest import draft as D
    from chengzhen.paths import data_dir, db_path

    _need(file, "FILE", "ingest")
    fmt = "yaml" if fmt is None else _format(fmt, ("yaml", "json"))
    span = _period(period)
    root = data_dir()
    if Path(file).is_dir():
        from chengzhen.cli.views import review as RV
        from chengzhen.ingest import batch as B

        if plan_id:
            raise CzError("--id names one plan: give it with a file, not a directory")
        rows = B.ingest_dir(Path(file), root, dry_run=dry_run, force=force)
        if rows and any(r["written"] for r in rows):
            from chengzhen.store.build import build as do_build

            try:
                do_build(root, db_path(root))
            except CzError:
                pass  # the data is written; the database catches up on the next query
        _emit(RV.batch(rows, directory=file, dry_run=dry_run), "json" if fmt == "json" else "auto", RV.batch_view)
        return EXIT_OK if rows and all(r["status"] != "error" and not r["blocking"] for r in rows) else EXIT_NOTHING
    d = D.make_draft(Path(file), root, plan_id, label=file, period=span)
    exists = D.check_clash(d, root, force)
    D.verify(d, root, replace=exists)
    written: list[str] = []
    build_note = None
    if d.blocking:
        build_note = ("nothing was written: the draft does not pass validation (the blocking items below); "
                      "fix what they name — a period the text does not state: --period START-END — and ingest again"
                      if not dry_run else "as it stands this draft would not be written (the blocking items below)")
    elif not dry_run:
        written = D.write(d, root, replace=exists)
        from chengzhen.store.build import build as do_build

        try:
            do_build(root, db_path(root))
        except CzError as exc:  # the data is written; the database catches up on the next query
            build_note = f"database not updated yet: {exc.message}"
    ans = V.answer(d, file=file, written=written, dry_run=dry_run or bool(d.blocking), replaced=exists,
                   note=build_note, blocked=bool(d.blocking) and not dry_run)
    _emit(ans, fmt, formats={"yaml": V.as_yaml})
    return EXIT_OK if not d.blocking else EXIT_NOTHING


@app.command()
def review(
    plan_id: str = typer.Argument(..., metavar="ID", help="A drafted plan's id (e.g. guangxi)."),
    accept: Optional[str] = typer.Option(None, "--accept", metavar="N|all|vocabulary",
                                         help="Accept flags after checking them: their numbers (1,3), all, or "
                                              "vocabulary (the plan's proposed indicators and departments)."),
    all_numbers: bool = typer.Option(False, "--all-numbers", help="List every number, not only quantities."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="json, jsonl, csv, tsv, table."),
):
    """The curator's checklist of a drafted plan: each review flag with its
    source line, every number of the source that is not a target (and why),
    every skip with its text, each catalogue field with the line it came
    from, did-you-mean for each proposed indicator or department.  `--accept`
    takes checked flags out of the files (no hand-editing).  Exit 0 when
    nothing is left to check, 1 when flags remain."""
    from chengzhen.cli.views import review as V
    from chengzhen.ingest import review as RV
    from chengzhen.paths import data_dir

    fmt = "auto" if fmt is None else _format(fmt, ("json", "jsonl", "csv", "tsv", "table"))
    root = data_dir()
    accepted = RV.accept(root, plan_id, accept) if accept else None
    entries = RV.checklist(root, plan_id, all_numbers=all_numbers)
    _emit(V.checklist(entries, plan_id, accepted), fmt, V.checklist_view)
    return EXIT_OK if not any(e.kind in ("flag", "vocabulary") for e in entries) else EXIT_NOTHING


def _period(spec: Optional[str]):
    if spec is None:
        return None
    import re as _re

    got = _re.fullmatch(r"\s*((?:19|20)\d{2})\s*[-—–~至]\s*((?:19|20)\d{2})\s*", spec)
    if not got or int(got.group(2)) < int(got.group(1)):
        raise UsageError(f"--period {spec!r}: give START-END years, e.g. 2023-2027")
    return int(got.group(1)), int(got.group(2))
