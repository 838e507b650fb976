"""`cz`: the commands.  Thin Typer functions: parse options, call the query
layer, hand its plain data to a view and the view to the one output path
(``cli/output.py``).  No SQL, no YAML here.

Every help text is English marked ``N_()`` for the catalogue; cli/help.py
translates the command tree when it runs (Chinese or English, as
chengzhen/i18n.py decides) and adds each command's examples.
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
from chengzhen.i18n import N_, _  # noqa: E402

app = typer.Typer(
    name="cz",
    help=N_("cz — a knowledge base of China's new-type urbanization (新型城镇化) plans: search them, "
            "compare them task by task, list their targets, cite them, and write briefings."),
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMAT_HELP = N_("Output: table (default on a terminal; TSV when piped), json, jsonl, csv, tsv, xlsx, md.")
LIST_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "xlsx", "md")
SEARCH_FORMAT_HELP = N_("Output: table (default on a terminal; TSV when piped), json, jsonl, csv, tsv, xlsx, md; "
                        "ids: one hit id per line.")
HEADERS_HELP = N_("Headers of csv, tsv and xlsx: en (the stable English keys, the default) or zh (Chinese headers "
                  "and Chinese words for codes: ge → 不低于). Default: $CZ_HEADERS.")
SHEETS_HELP = N_("xlsx: plan, one worksheet per plan.")
WEB_URL_HELP = N_("xlsx: where cz serve runs (http://127.0.0.1:8001): each row links to its page. Default: $CZ_WEB_URL.")
PLAN_HELP = N_("Only these plans.")
SCOPE_HELP = N_("Only targets set for this place (贵州: the province's own, not 六盘水's; 520281; 盘州城区), zone, "
                "group (黔中城市群), part or class (县城, 乡村), or level (全省: every province-wide target).")
WITHIN_HELP = N_("With --scope or a place as --plan: also what lies inside it: set for places inside it (a city "
                 "plan's rows for its province, a county's, a zone's); for a group whose members a source lists "
                 "(贵阳贵安), what lies in its members. A group no source lists, a zone and a place with a part "
                 "(盘州城区) are the same with it.")


def _headers_opt():
    return typer.Option(None, "--headers", help=HEADERS_HELP)


def _sheets_opt():
    return typer.Option(None, "--sheets", help=SHEETS_HELP)


def _web_url_opt():
    return typer.Option(None, "--web-url", help=WEB_URL_HELP)


def _table(headers, sheets=None, web_url=None) -> dict:
    """The table formats' options (cli/output.py:table_options)."""
    from chengzhen.cli.output import table_options

    return table_options(headers, sheets, web_url)

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

def _emit(answer, fmt: str, view=None, *, excel: bool = False, formats=None, table: dict | None = None) -> int:
    """Write the answer; its exit code: 0 found, 1 nothing."""
    from chengzhen.cli.output import emit

    emit(answer, fmt, view, excel=excel, formats=formats, table=table)
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
    version: bool = typer.Option(False, "--version", "-V", help=N_("Show the version and exit."),
                                 callback=_version, is_eager=True),
):
    pass

# --------------------------------------------------------------------------- search

@app.command(
    short_help=N_("Find what the plans say: measures, headings, targets and annex rows holding all "
                  "the words."),
    help=N_("Find measures, section headings, 责任单位 clauses, annex headings and rows, plan titles and "
            "targets that hold every word typed (traditional or simplified, any length; a number only "
            "as a whole: 28万户 never finds 2.8万户; pasted outline numbers, pinyin glosses and stray "
            "spaces ignored). A query that names a department, plan, topic, indicator or national "
            "task also offers its other measures as related units, marked and never counted "
            "(--expand counts them). Few exact hits: an unspaced phrase is cut into words and the "
            "units holding every word follow, marked. No hit: suggestions (did you mean) and, for a "
            "long query, related units — never counted as hits. With a filter and no words: list "
            "what the filter selects. Exit 0 with hits, 1 with none, 2 on error."),
)
def search(
    query: Optional[List[str]] = typer.Argument(None, help=N_("Words to find; several words must all occur. "
                                                "None with a filter: list what the filter selects.")),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help=N_("Only these plans (id, 青海, 青海省, 青); "
                                             "repeatable or separated by , 、 ，."), autocompletion=_complete("plans")),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help=N_("Only measures on this topic (or a synonym)."),
                                              autocompletion=_complete("topics")),
    dept: Optional[List[str]] = typer.Option(None, "--dept", "-d", help=N_("Only measures of this department."),
                                             autocompletion=_complete("departments")),
    task: Optional[List[str]] = typer.Option(None, "--task", "-k", help=N_("Only units carrying these national tasks "
                                             "(national/1.4, (四), 随迁子女; a group: all its tasks)."),
                                             autocompletion=_complete("tasks")),
    kind: Optional[List[str]] = typer.Option(None, "--kind", help=N_("Only these kinds: measure, section, annex, title, target.")),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help=N_("At most N hits (default: 20 in a table, all otherwise; 0 = all).")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=SEARCH_FORMAT_HELP),
    full: bool = typer.Option(False, "--full", help=N_("Whole texts instead of snippets.")),
    raw: bool = typer.Option(False, "--raw", help=N_("An FTS5 query for experts: AND/OR/NOT, NEAR, title: (see docs/cli.md).")),
    stdin: bool = typer.Option(False, "--stdin", help=N_("Read one query per line from stdin; one JSON envelope per line "
                               "(or the --format asked for).")),
    exact: bool = typer.Option(False, "--exact", help=N_("Exact text hits only: no entities, segmentation, suggestions "
                               "or related units.")),
    fuzzy: bool = typer.Option(False, "--fuzzy", help=N_("When nothing matches, search the first suggestion (its units are "
                               "shown, marked; the exit code stays 1).")),
    expand: bool = typer.Option(False, "--expand", help=N_("When the query names a department, plan, topic, indicator "
                                "or national task, count all its units as hits (else those not holding the words "
                                "are related, not counted).")),
    group_by: Optional[str] = typer.Option(None, "--group-by", help=N_("plan: the hits grouped by plan (--limit per plan).")),
    excel: bool = typer.Option(False, "--excel", help=N_("CSV with a byte-order mark, for Excel and WPS.")),
    show_sql: bool = typer.Option(False, "--sql", help=N_("Print the SQL that runs, then the results.")),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.cli.search_command import run

    return run(query=query, plan=plan, topic=topic, dept=dept, task=task, kind=kind, limit=limit, fmt=fmt, full=full,
               raw=raw, stdin=stdin, exact=exact, fuzzy=fuzzy, show_sql=show_sql, group_by=group_by, excel=excel,
               headers=headers, sheets=sheets, web_url=web_url, expand=expand)


@app.command(
    short_help=N_("Plans × terms: which plans mention each term, zeros shown."),
    help=N_("Plans × terms: how many units of each plan mention each term, zeros shown — which "
            "plans leave a subject out. Exit 0 only when every plan mentions every term, 1 "
            "otherwise."),
)
def coverage(
    terms: List[str] = typer.Argument(..., metavar="TERM...", help=N_("Words to look for; each argument is one term "
                                      "(quote several words to AND them).")),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help=N_("Only these plans."), autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    excel: bool = typer.Option(False, "--excel", help=N_("CSV with a byte-order mark, for Excel and WPS.")),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers.coverage import coverage as answer
    from chengzhen.cli.output import excel_format
    from chengzhen.cli.views.coverage import table

    fmt = excel_format(_format(fmt, LIST_FORMATS), excel)
    tables = _table(headers, sheets, web_url)
    return _emit(answer(_connect(), terms, plan), fmt, table, excel=excel, table=tables)

# --------------------------------------------------------------------------- show / plans / stats / topics

@app.command(
    short_help=N_("One measure, section, annex, national task or plan in full; --cite for its "
                  "citation."),
    help=N_("Show one measure in full (text, departments in the source's order, national tasks, "
            "topics, targets, source line), a national task with each plan's measures side by "
            "side, or a plan's outline as a tree. --cite: the unit's citation in GB/T 7714 style, "
            "ready to paste into a report."),
)
def show(
    ident: str = typer.Argument(..., metavar="ID", help=N_("A measure id (qinghai/3.10), section id, annex id, a national "
                                "task or group (national/1.4, national/1), or a plan (id or 青海)."),
                                autocompletion=_complete("ids")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=N_("table (default) or json.")),
    cite: bool = typer.Option(False, "--cite", help=N_("A copy-ready citation: plan title, 文号, issuer, date, number, "
                              "source line, quote (and the original text of a traditional-script source).")),
):
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


@app.command(
    short_help=N_("The catalogue: every plan with its issuer, 文号, date and period."),
    help=N_("The catalogue: every plan with its issuer, 文号, date and period."),
)
def plans(
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers import catalog as A
    from chengzhen.cli.views import catalog as V

    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    return _emit(A.plans(_connect()), fmt, V.plans, table=tables)

@app.command(
    short_help=N_("Per plan: sections, measures, targets, departments, topics."),
    help=N_("Per plan: sections, measures, targets, departments and topics covered."),
)
def stats(
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help=N_("Only these plans."), autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers import catalog as A
    from chengzhen.cli.views import catalog as V

    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    return _emit(A.stats(_connect(), plan), fmt, V.stats, table=tables)

@app.command(
    short_help=N_("The topics, with their synonyms and measure counts."),
    help=N_("The topic taxonomy with synonyms and measure counts."),
)
def topics(
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers import catalog as A
    from chengzhen.cli.views import catalog as V

    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    return _emit(A.topics(_connect()), fmt, V.topics, table=tables)

# --------------------------------------------------------------------------- targets / depts

@app.command(
    short_help=N_("Every quantitative target as committed, by year, plan, indicator, topic or "
                  "place."),
    help=N_("Every quantitative target as committed: plan, indicator, scope, the target as written "
            "with its qualifier (左右/以上) and aspiration (力争), year (implied years marked *), "
            "baseline. A target a plan restates is listed once. Sorted by year, then plan; "
            "commitments without a number or year after them. With --indicator: a bar chart, the "
            "plans that set no such target, and those that set one the filters left out. Exit 1 "
            "when nothing matches."),
)
def targets(
    year: Optional[str] = typer.Option(None, "--year", "-y", help=N_("A year (2028) or a range (2025..2030).")),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help=N_("Only these plans."), autocompletion=_complete("plans")),
    indicator: Optional[str] = typer.Option(None, "--indicator", "-i", help=N_("An indicator, alias or part of one (城镇化率)."),
                                            autocompletion=_complete("indicators")),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help=N_("Only targets of measures on this topic."),
                                              autocompletion=_complete("topics")),
    scope: Optional[str] = typer.Option(None, "--scope", "-s", help=SCOPE_HELP),
    within: bool = typer.Option(False, "--within", "--include-cities",
                                help=WITHIN_HELP),
    commitments: Optional[bool] = typer.Option(None, "--commitments/--no-commitments",
                                               help=N_("Include commitments (no number, no year): by default listed "
                                                    "without --year, left out with it.")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    chart: Optional[bool] = typer.Option(None, "--chart/--no-chart", help=N_("Bar chart (default with --indicator on a terminal).")),
    progress: bool = typer.Option(False, "--progress", help=N_("Each target against the published statistics, as "
                                                               "cz progress: verdict, latest value, paces.")),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=N_("With --progress: as it would have been answered in "
                                                                "this year (only statistics published by then).")),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers.targets import TargetsAsk, answer
    from chengzhen.cli.views.targets import table

    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    if as_of is not None and not progress:
        raise UsageError("--as-of goes with --progress")
    ask = TargetsAsk(year=year, plans=plan, indicator=indicator, topics=topic, scope=scope, within=within,
                     commitments=commitments, progress=progress, as_of=as_of)
    drawn = bool(indicator) if chart is None else chart
    return _emit(answer(_connect(), ask), fmt, lambda a, env: table(a, env, chart=drawn), table=tables)

# cz progress's filters, shared by `cz progress` and `cz report progress`

def _progress_plan_opt():
    return typer.Option(None, "--plan", "-p", help=N_("Only these plans (id, 贵州, 青海省); or a place (520000, "
                                                     "贵州省六盘水市): the plans set for it (--within: and for places "
                                                     "inside it)."),
                        autocompletion=_complete("plans"))


def _progress_indicator_opt():
    return typer.Option(None, "--indicator", "-i", help=N_("An indicator, alias or part of one (城镇化率)."),
                        autocompletion=_complete("indicators"))


def _progress_year_opt():
    return typer.Option(None, "--year", "-y", help=N_("Target year: a year (2028) or a range (2025..2030)."))


def _progress_scope_opt():
    return typer.Option(None, "--scope", "-s", help=SCOPE_HELP)


def _within_opt():
    return typer.Option(False, "--within", "--include-cities",
                        help=WITHIN_HELP)


def _progress_verdict_opt():
    return typer.Option(None, "--verdict", "-v", help=N_("Only these verdicts: 已达成 按进度 落后 无数据 无可比数据 (or "
                                                        "met, on_track, behind, no_data, not_comparable)."))


def _progress_as_of_opt():
    return typer.Option(None, "--as-of", help=N_("As it would have been answered in this year: only statistics "
                                                "published by then, for years up to it."))


@app.command(
    short_help=N_("Is each target being kept? Every target against the published statistics."),
    help=N_("Every target against the published statistics of its place (data/statistics/): the base (the plan's "
            "baseline, else the first statistic), the latest value, the target, the years left, the pace needed "
            "and the pace achieved per year, the year the achieved pace would reach it, and a verdict. Each "
            "number says where it is from: a plan's with its measure id, a statistic's with its publication. "
            "The rule: a target is compared only with a statistic of the same place, indicator and basis, "
            "otherwise 无可比数据 (a city's 城区, a group of places, a total over the period, a yearly pace "
            "against another unit); 无数据 when there is no statistic, or only one and the plan gives no "
            "baseline; 已达成 when the latest value meets the target (左右/约/接近 within 2 % of it); 落后 when "
            "the target year has come unmet, or the latest value lies below the straight path from the base to "
            "the target; 按进度 on it or above. 力争/争取 and implied years are noted, never change the verdict "
            "(docs/progress.md). Without --indicator: the indicators some statistic measures. With a terminal: "
            "a chart per plan. Exit 1 when nothing matches."),
)
def progress(
    plan: Optional[List[str]] = _progress_plan_opt(),
    indicator: Optional[str] = _progress_indicator_opt(),
    year: Optional[str] = _progress_year_opt(),
    scope: Optional[str] = _progress_scope_opt(),
    within: bool = _within_opt(),
    verdict: Optional[List[str]] = _progress_verdict_opt(),
    as_of: Optional[str] = _progress_as_of_opt(),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    chart: bool = typer.Option(True, "--chart/--no-chart", help=N_("The chart per plan (on a terminal).")),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.cli.progress_command import run

    return run(plan=plan, indicator=indicator, year=year, scope=scope, within=within, verdict=verdict, as_of=as_of,
               fmt=fmt,
               chart=chart, headers=headers, sheets=sheets, web_url=web_url)

@app.command(
    short_help=N_("Departments (责任单位) and their measures; with a NAME, one department across "
                  "plans."),
    help=N_("Departments (责任单位) with their measures per plan: how often each is listed first (首列, "
            "the source's order) and, only where the source writes 牵头, leads; with a NAME, that "
            "department's measures across plans."),
)
def depts(
    name: Optional[List[str]] = typer.Argument(None, help=N_("A department (fuzzy, alias-aware): list its measures."),
                                               autocompletion=_complete("departments")),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help=N_("Only these plans."), autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers.depts import depts as answer
    from chengzhen.cli.views.depts import table

    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    return _emit(answer(_connect(), " ".join(name) if name else None, plan), fmt, table, table=tables)

# --------------------------------------------------------------------------- compare / similar / matrix

@app.command(
    short_help=N_("Plans side by side, national task by national task, then by wording."),
    help=N_("Plans side by side: one row per national task with each plan's measures carrying it "
            "(an empty cell: the plan carries none), then the measures no task covers, aligned by "
            "wording; what is unique to each plan, the words that set each apart, and the targets "
            "each sets."),
)
def compare(
    plans_: Optional[List[str]] = typer.Argument(None, metavar="[PLAN]...", help=N_("Two or more plans (id, 贵州, 贵州省); "
                                                 "none with --task: the first eight plans."),
                                                 autocompletion=_complete("plans")),
    topic: Optional[str] = typer.Option(None, "--topic", "-t", help=N_("A topic or synonym; any other word falls back to search."),
                                        autocompletion=_complete("topics")),
    task: Optional[List[str]] = typer.Option(None, "--task", "-k", help=N_("Only these national tasks (national/1.4, (四), "
                                             "随迁子女); repeatable."), autocompletion=_complete("tasks")),
    by: str = typer.Option("task", "--by", help=N_("task: national task first, then text similarity (default); "
                                               "text: text similarity only.")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=N_("table (default), json, md (a side-by-side report), "
                                                                    "csv, tsv, jsonl, xlsx.")),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers.compare import compare as answer
    from chengzhen.cli.views.compare import table

    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    if not plans_ and not task:
        raise UsageError("compare needs at least two plans, e.g. `cz compare guizhou qinghai` "
                         "(or national tasks: `cz compare --task 4.1`)")
    return _emit(answer(_connect(), plans_, topic, task, by), fmt, table, table=tables)

@app.command(
    short_help=N_("The measures of the other plans most like one measure."),
    help=N_("The measures of the other plans most like this one, with scores: where a province "
            "restated the national wording, and where it wrote its own."),
)
def similar(
    ident: str = typer.Argument(..., metavar="ID", help=N_("A measure id, e.g. qinghai/3.9."), autocompletion=_complete("ids")),
    n: int = typer.Option(5, "--number", "-n", help=N_("Best N per other plan.")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers.compare import similar as answer
    from chengzhen.cli.views.compare import similar as view

    _need(ident, "ID", "similar")
    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    return _emit(answer(_connect(), ident, n), fmt, view, table=tables)

@app.command(
    short_help=N_("Plans × topics (or × national tasks): how many measures each plan has on each."),
    help=N_("Plans × topics (or × national tasks): how many measures each plan has on each, "
            "heat-coloured on a terminal — who covers what, and who is silent."),
)
def matrix(
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help=N_("Only these plans."), autocompletion=_complete("plans")),
    level: str = typer.Option("all", "--level", help=N_("all, top (topics: the eight main ones; tasks: the national "
                                                     "groups) or sub.")),
    by: str = typer.Option("topic", "--by", help=N_("topic (default) or task: rows are the national tasks.")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers.compare import matrix as answer
    from chengzhen.cli.views.compare import matrix as view

    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    return _emit(answer(_connect(), plan, level, by), fmt, view, table=tables)

# --------------------------------------------------------------------------- national tasks

@app.command(
    short_help=N_("The national plan's tasks (国发〔2024〕17号) and each plan's measures carrying them."),
    help=N_("The national plan's key tasks (国发〔2024〕17号), grouped by action in the national order, "
            "with each plan's measures carrying each — and who carries none. With TASK: that task, "
            "each plan's measures side by side."),
)
def tasks(
    name: Optional[List[str]] = typer.Argument(None, metavar="[TASK]...", help=N_("National tasks: an id (national/1.4, "
                                               "1.4, national/1), a number ((四), 二、) or title words (随迁子女)."),
                                               autocompletion=_complete("tasks")),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help=N_("Only these plans."), autocompletion=_complete("plans")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers.tasks import tasks as answer
    from chengzhen.cli.views.tasks import table

    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    return _emit(answer(_connect(), name, plan), fmt, table, table=tables)

# --------------------------------------------------------------------------- sql

@app.command(
    short_help=N_("Run one read-only SQL query against the database."),
    help=N_("Run read-only SQL against the database (its tables: docs/schema.md). Writes, ATTACH "
            "and extension loading are refused."),
)
def sql(
    statement: str = typer.Argument(..., metavar="SQL", help=N_("One read-only SELECT statement.")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help=N_("At most N rows.")),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers.sql import sql as answer
    from chengzhen.cli.views.sql import table

    _need(statement, "SQL", "sql")
    fmt = _format(fmt, LIST_FORMATS)
    tables = _table(headers, sheets, web_url)
    return _emit(answer(_connect(), statement, limit), fmt, table, table=tables)


# --------------------------------------------------------------------------- serve

@app.command(
    short_help=N_("Serve the knowledge base as web pages (needs the web extra)."),
    help=N_("Serve the knowledge base as web pages (datasette, read-only): search, measures, "
            "plans, compare, targets, coverage; each page also as JSON. Needs the optional web "
            "extra: pip install 'chengzhen[web]'."),
)
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help=N_("Address to listen on (default: this machine only).")),
    port: int = typer.Option(8001, "--port", help=N_("Port to listen on.")),
):
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535, not {port}")
    from chengzhen.cli.connection import close_all, connect
    from chengzhen.paths import data_dir, db_path

    from chengzhen.web.server import require_datasette, serve as run_server  # imports no datasette

    require_datasette()  # without the web extra: one line saying how to install it, exit 2
    connect()  # built or updated first, as for every command
    close_all()

    def announce(url: str, snap) -> None:
        sys.stderr.write(_("cz: serving {url} (database generation {generation}; Ctrl-C stops)").format(
            url=url, generation=snap.generation) + "\n")
        sys.stderr.flush()

    run_server(db_path(data_dir()), host, port, announce=announce)
    sys.stderr.write(_("cz: stopped") + "\n")
    return EXIT_OK


# --------------------------------------------------------------------------- build / validate

@app.command(
    short_help=N_("Bring the database up to date with data/ (commands do this by themselves)."),
    help=N_("Bring the SQLite database up to date with data/: only the plans that changed, or "
            "everything when the schema, the code or a vocabulary changed (or with --full). Query "
            "commands do this by themselves whenever the data has changed."),
)
def build(
    quiet: bool = typer.Option(False, "--quiet", "-q", help=N_("No progress or summary.")),
    full: bool = typer.Option(False, "--full", help=N_("Rebuild every plan, not only those that changed.")),
):
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

@app.command(
    short_help=N_("Check the data against the sources: every field, every line."),
    help=N_("Check every structured field against its source and every source line against the "
            "YAML. Reports every problem of every file at once, grouped by file, each at the line "
            "of the offending field; exit 0 only when there is none, 1 otherwise."),
)
def validate(
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help=N_("Only these plan ids.")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=N_("table (default) or json.")),
    headers: Optional[str] = _headers_opt(),
    sheets: Optional[str] = _sheets_opt(),
    web_url: Optional[str] = _web_url_opt(),
):
    from chengzhen.answers.validate import audit
    from chengzhen.cli.views.validate import table
    from chengzhen.ingest import pending as PD
    from chengzhen.kb.audit import PlanAudit, audit_plan, catalogue_problems
    from chengzhen.kb.geo import load_geo, plan_problems, scope_problems
    from chengzhen.kb.loader import load_kb, load_plan
    from chengzhen.kb.problems import Sink, by_file
    from chengzhen.paths import data_dir

    fmt = _format(fmt, ("table", "json", "jsonl", "csv", "tsv", "xlsx", "md"))
    tables = _table(headers, sheets, web_url)
    only = set(plan) if plan else None
    root = data_dir()
    sink = Sink()
    kb = load_kb(root, sink)
    if only:
        # a plan whose own file does not load (a YAML syntax error) is not unknown: its problems are the answer
        from pathlib import Path

        broken = {Path(p.file).stem for p in sink.problems if p.severity == "error" and p.file
                  and Path(p.file).parent.name == "plans"}
        missing = only - {p.id for p in kb.plans} - broken - set(PD.pending_ids(root))
        if missing:
            raise UsageError(f"unknown plan {sorted(missing)[0]!r} for validate")
    # the places and the statistics (docs/places.md, docs/progress.md): every plan's region and target scope
    geo = load_geo(root, kb.vocab, sink)
    problems = sink.problems + catalogue_problems(kb) + plan_problems(
        [p for p in kb.plans if not only or p.id in only], geo)
    results = []
    for p in kb.plans:
        if only and p.id not in only:
            continue
        plan_sink = Sink()
        bundle = load_plan(root, p, kb.vocab, plan_sink)
        result = audit_plan(bundle, vocab=kb.vocab) if bundle is not None else PlanAudit(p.id)
        result.problems[:0] = plan_sink.problems
        if bundle is not None:
            result.problems.extend(scope_problems(bundle, geo))
        problems += result.problems
        results.append(result)
    problems += PD.problems(root, only)  # the pending drafts (drafts/ID.yaml) and what keeps each there
    return _emit(audit(results, by_file(problems), sorted(only) if only else None), fmt, table, table=tables)

# --------------------------------------------------------------------------- ingest

@app.command(
    short_help=N_("Draft a new plan from its text (text, HTML, .docx, PDF) into the data directory."),
    help=N_("Draft a new plan from its text: catalogue entry, outline, measures, 责任单位, targets, national tasks, "
            "every repair — checked like cz validate — and write the plan's own files into the data directory "
            "(its source, its plan file with the catalogue entry, the vocabulary it proposes) in one step, "
            "printing their absolute paths; never into the installed package (a plain install writes into the "
            "per-user data directory). Ends with what to review (cz review ID). Any text is drafted; a draft that "
            "validation would refuse as it stands (a period the text does not state, a region not found, …) is "
            "kept pending in drafts/ID.yaml with what blocks it (exit 1): fix it there, then cz ingest --finish ID "
            "(--period START-END gives the period) moves it into plans/. A file that is not text (binary, empty, "
            "damaged) is exit 2."),
)
def ingest(
    file: Optional[str] = typer.Argument(None, metavar="FILE",
                                         help=N_("A plan as you got it: text (UTF-8, GB18030, UTF-16), a saved HTML "
                                                 "page, .docx or PDF; or a directory: each file in it, with one "
                                                 "summary table.")),
    plan_id: Optional[str] = typer.Option(None, "--id", help=N_("The plan's id (default: the pinyin of its region, e.g. "
                                                                "guizhou).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=N_("Draft and check it, print the whole draft, write nothing.")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=N_("yaml (default) or json.")),
    force: bool = typer.Option(False, "--force", help=N_("Replace the plan (or the pending draft) that has this id.")),
    period: Optional[str] = typer.Option(None, "--period", metavar="START-END",
                                         help=N_("The plan's period when its text states none (2023-2027): written "
                                                 "as supplied by the curator.")),
    finish: Optional[str] = typer.Option(None, "--finish", metavar="ID",
                                         help=N_("Finish a pending draft (drafts/ID.yaml) once fixed: check it again "
                                                 "and move it into plans/ when nothing blocks it.")),
):
    from pathlib import Path

    from chengzhen.cli.views import ingest as V
    from chengzhen.ingest import draft as D
    from chengzhen.ingest import pending as PD
    from chengzhen.kb.messages import Msg
    from chengzhen.paths import data_dir, db_path, writable_data_dir

    fmt = "yaml" if fmt is None else _format(fmt, ("yaml", "json"))
    span = _period(period)
    # never into an installed package: a plain install's first ingest creates the per-user data directory
    root = data_dir() if dry_run else writable_data_dir()
    if finish is not None:
        if file is not None or plan_id:
            raise UsageError("--finish ID names a pending draft: give no FILE and no --id with it")
        done = PD.finish(root, finish, period=span, force=force, dry_run=dry_run)
        note = None
        if done.written:
            note = _build_quietly(root, db_path(root))
        _emit(V.finished(done, dry_run=dry_run, note=note, data=root), fmt, formats={"yaml": V.finished_view})
        return EXIT_OK if not done.checked.blocking else EXIT_NOTHING
    _need(file, "FILE", "ingest")
    if Path(file).is_dir():
        from chengzhen.cli.views import review as RV
        from chengzhen.ingest import batch as B

        if plan_id:
            raise CzError("--id names one plan: give it with a file, not a directory")
        rows = B.ingest_dir(Path(file), root, dry_run=dry_run, force=force)
        if rows and any(r["written"] for r in rows):
            _build_quietly(root, db_path(root))
        _emit(RV.batch(rows, directory=file, dry_run=dry_run), "json" if fmt == "json" else "auto", RV.batch_view)
        return EXIT_OK if rows and all(r["status"] == ("drafted" if dry_run else "written") for r in rows) \
            else EXIT_NOTHING
    d = D.make_draft(Path(file), root, plan_id, label=file, period=span)
    exists = D.check_clash(d, root, force)
    PD.verify(d, root, replace=exists)
    written: list[str] = []
    build_note = None
    if dry_run:
        if d.blocking:
            build_note = Msg(N_("as it stands this draft would be kept pending in drafts/, not written into plans/ "
                                "(the blocking items below)"))
    elif d.blocking:
        written = PD.keep(d, root)
        build_note = Msg(N_("kept pending in {file}, not in plans/: fix what blocks it (below) there, then "
                            "`cz ingest --finish {plan}` (a period the text does not state: "
                            "`cz ingest --finish {plan} --period START-END`)"), file=str(PD.path(root, d.plan_id)),
                         plan=d.plan_id)
    else:
        written = D.write(d, root, replace=exists)
        build_note = _build_quietly(root, db_path(root))
    ans = V.answer(d, file=file, written=written, dry_run=dry_run, replaced=exists and not d.blocking,
                   note=build_note, blocked=bool(d.blocking), pending=bool(d.blocking) and not dry_run)
    _emit(ans, fmt, formats={"yaml": V.as_yaml})
    return EXIT_OK if not d.blocking else EXIT_NOTHING


def _build_quietly(root, db) -> str | None:
    """Bring the database up to date after data was written; a failure is a
    note (the data is written; the database catches up on the next query)."""
    from chengzhen.store.build import build as do_build

    try:
        do_build(root, db)
    except CzError as exc:
        return f"database not updated yet: {exc.message}"
    return None


@app.command(
    short_help=N_("A drafted plan's checklist for the curator; --accept takes checked flags out."),
    help=N_("The curator's checklist of a drafted plan: each review flag with its source line, every number of the "
            "source that is not a target (and why), every skip with its text, each catalogue field with the line it "
            "came from, did-you-mean for each proposed indicator or department; for a pending draft "
            "(drafts/ID.yaml), what keeps it there first. --accept takes checked flags out of the files (no "
            "hand-editing). Exit 0 when nothing is left to check, 1 when flags remain or the draft is pending."),
)
def review(
    plan_id: str = typer.Argument(..., metavar="ID", help=N_("A drafted plan's id (e.g. guangxi).")),
    accept: Optional[str] = typer.Option(None, "--accept", metavar="N|all|vocabulary",
                                         help=N_("Accept flags after checking them: their numbers (1,3), all, or "
                                                 "vocabulary (the plan's proposed indicators and departments).")),
    all_numbers: bool = typer.Option(False, "--all-numbers", help=N_("List every number, not only quantities.")),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=N_("json, jsonl, csv, tsv, table.")),
):
    from chengzhen.cli.views import review as V
    from chengzhen.ingest import review as RV
    from chengzhen.paths import data_dir, writable_data_dir

    from chengzhen.ingest import pending as PD

    fmt = "auto" if fmt is None else _format(fmt, ("json", "jsonl", "csv", "tsv", "table"))
    # accepting writes: never into an installed package (the per-user data directory instead)
    root = writable_data_dir() if accept else data_dir()
    pending = None
    if PD.exists(root, plan_id):  # a pending draft (drafts/ID.yaml): what keeps it there first
        pending = str(PD.path(root, plan_id))
        accepted, entries = PD.checklist(root, plan_id, accept=accept, all_numbers=all_numbers)
    else:
        accepted = RV.accept(root, plan_id, accept) if accept else None
        entries = RV.checklist(root, plan_id, all_numbers=all_numbers)
    _emit(V.checklist(entries, plan_id, accepted, pending=pending), fmt, V.checklist_view)
    return EXIT_OK if not pending and not any(e.kind in ("flag", "vocabulary") for e in entries) else EXIT_NOTHING


def _period(spec: Optional[str]):
    if spec is None:
        return None
    import re as _re

    got = _re.fullmatch(r"\s*((?:19|20)\d{2})\s*[-—–~至]\s*((?:19|20)\d{2})\s*", spec)
    if not got or int(got.group(2)) < int(got.group(1)):
        raise UsageError(f"--period {spec!r}: give START-END years, e.g. 2023-2027")
    return int(got.group(1)), int(got.group(2))


# --------------------------------------------------------------------------- report

report_app = typer.Typer(
    name="report",
    help=N_("Write a briefing (.docx or Markdown) from an answer: a comparison, targets, a plan. The text is the "
            "sources' text and cz's labels, each unit cited (GB/T 7714). .docx needs the report extra: "
            "pip install 'chengzhen[report]'."),
    short_help=N_("Write a briefing in Word (.docx) or Markdown from a comparison, targets or a plan."),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(report_app)

OUTPUT_HELP = N_("The file to write (.docx or .md). Without it: Markdown on stdout, .docx only into a pipe.")
REPORT_FORMAT_HELP = N_("docx or md (default: from the file name; docx).")
FORCE_HELP = N_("Replace the file if it exists (never without it).")


def _output_opt():
    return typer.Option(None, "--output", "-o", help=OUTPUT_HELP)


def _report_format_opt():
    return typer.Option(None, "--format", "-f", help=REPORT_FORMAT_HELP)


def _force_opt():
    return typer.Option(False, "--force", help=FORCE_HELP)


def _asked() -> str:
    """The command as typed, for the report to state."""
    from chengzhen.cli.env import ARGS

    special = set(" \t\n'\"\\$`!*?[](){}<>|&;#~")
    return "cz " + " ".join(a if a and not (set(a) & special) else "'" + a.replace("'", "'\\''") + "'" for a in ARGS)


def _today() -> str:
    """Today (ISO), or the day SOURCE_DATE_EPOCH names (reproducible reports)."""
    import datetime
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()


def _report(kind: str, make_answer, output: Optional[str], fmt: Optional[str], force: bool) -> int:
    """Check where the report goes before asking (a missing extra, a file
    that exists), then ask, make the report and write it."""
    from chengzhen.cli.env import current
    from chengzhen.cli.output import write_binary
    from chengzhen.report.files import format_of, write_new

    fmt = format_of(output, fmt)
    env = current()
    if fmt == "docx":
        from chengzhen.report.docx import require

        require()
        if output is None and env.is_tty:
            raise UsageError("a .docx report is a binary file: give -o FILE.docx (or -f md)")
    if output is not None and not force:
        from pathlib import Path

        if Path(output).exists():
            raise CzError(f"{output} already exists; give --force to replace it")
    from chengzhen.report.make import make, render

    conn = _connect()
    ans = make_answer(conn)
    data = render(make(conn, kind, ans, _asked(), _today()), fmt)
    if output is None:
        if fmt == "md":
            env.write(data.decode("utf-8"))
        else:
            write_binary(data, env)
    else:
        path = write_new(output, data, force=force)
        env.note(_("wrote {path}").format(path=path))
    return _code(ans.is_found())


@report_app.command(
    "compare",
    short_help=N_("Plans side by side on national tasks or a topic (as cz compare)."),
    help=N_("A briefing comparing plans (as cz compare): one row per national task with each plan's measures — "
            "their text, departments and targets, each cited —, then what is unique to each plan, the words that "
            "set each apart, and the references."),
)
def report_compare(
    plans_: Optional[List[str]] = typer.Argument(None, metavar="[PLAN]...", help=N_("Two or more plans (id, 贵州, "
                                                 "贵州省); none with --task: the first eight plans."),
                                                 autocompletion=_complete("plans")),
    topic: Optional[str] = typer.Option(None, "--topic", "-t", help=N_("A topic or synonym; any other word falls "
                                        "back to search."), autocompletion=_complete("topics")),
    task: Optional[List[str]] = typer.Option(None, "--task", "-k", help=N_("Only these national tasks (national/1.4, "
                                             "(四), 随迁子女); repeatable."), autocompletion=_complete("tasks")),
    by: str = typer.Option("task", "--by", help=N_("task: national task first, then text similarity (default); "
                                                   "text: text similarity only.")),
    output: Optional[str] = _output_opt(),
    fmt: Optional[str] = _report_format_opt(),
    force: bool = _force_opt(),
):
    from chengzhen.answers.compare import compare as answer

    if not plans_ and not task:
        raise UsageError("compare needs at least two plans, e.g. `cz compare guizhou qinghai` "
                         "(or national tasks: `cz compare --task 4.1`)")
    return _report("compare", lambda conn: answer(conn, plans_, topic, task, by), output, fmt, force)


@report_app.command(
    "targets",
    short_help=N_("Targets as committed, with a bar chart per indicator (as cz targets)."),
    help=N_("A briefing of targets (as cz targets): every target as written with its qualifier, aspiration, year "
            "and baseline, each cited; a bar chart per indicator and unit; commitments apart; and, for an "
            "indicator, the plans that set none. Exit 1 when no target matches (the report says so)."),
)
def report_targets(
    year: Optional[str] = typer.Option(None, "--year", "-y", help=N_("A year (2028) or a range (2025..2030).")),
    plan: Optional[List[str]] = typer.Option(None, "--plan", "-p", help=PLAN_HELP, autocompletion=_complete("plans")),
    indicator: Optional[str] = typer.Option(None, "--indicator", "-i", help=N_("An indicator, alias or part of one "
                                            "(城镇化率)."), autocompletion=_complete("indicators")),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help=N_("Only targets of measures on this "
                                              "topic."), autocompletion=_complete("topics")),
    scope: Optional[str] = typer.Option(None, "--scope", "-s", help=SCOPE_HELP),
    within: bool = typer.Option(False, "--within", "--include-cities",
                                help=WITHIN_HELP),
    commitments: Optional[bool] = typer.Option(None, "--commitments/--no-commitments", help=N_(
        "Include commitments (no number, no year): by default listed without --year, left out with it.")),
    output: Optional[str] = _output_opt(),
    fmt: Optional[str] = _report_format_opt(),
    force: bool = _force_opt(),
):
    from chengzhen.answers.targets import TargetsAsk, answer

    ask = TargetsAsk(year=year, plans=plan, indicator=indicator, topics=topic, scope=scope, within=within,
                     commitments=commitments)
    return _report("targets", lambda conn: answer(conn, ask), output, fmt, force)


@report_app.command(
    "progress",
    short_help=N_("Targets against the published statistics, with the verdicts (as cz progress)."),
    help=N_("A briefing of progress (as cz progress): each target with its starting value, latest statistic, the "
            "pace needed and achieved, the projected year and the verdict by the stated rule; each target's "
            "measure cited and each statistic's publication listed among the references. Exit 1 when no target "
            "matches (the report says so)."),
)
def report_progress(
    plan: Optional[List[str]] = _progress_plan_opt(),
    indicator: Optional[str] = _progress_indicator_opt(),
    year: Optional[str] = _progress_year_opt(),
    scope: Optional[str] = _progress_scope_opt(),
    within: bool = _within_opt(),
    verdict: Optional[List[str]] = _progress_verdict_opt(),
    as_of: Optional[str] = _progress_as_of_opt(),
    output: Optional[str] = _output_opt(),
    fmt: Optional[str] = _report_format_opt(),
    force: bool = _force_opt(),
):
    from chengzhen.answers.progress import ProgressAsk, answer

    ask = ProgressAsk(plans=plan, indicator=indicator, year=year, scope=scope, within=within, verdicts=verdict,
                      as_of=as_of)
    return _report("progress", lambda conn: answer(conn, ask), output, fmt, force)


@report_app.command(
    "plan",
    short_help=N_("One plan: its catalogue data, outline and targets (as cz show PLAN)."),
    help=N_("A briefing of one plan: issuer, 文号, date, period, its outline (every heading and measure, each "
            "cited) and its targets."),
)
def report_plan(
    plan: str = typer.Argument(..., metavar="PLAN", help=N_("A plan (id, 湖南, 湖南省, 湘)."),
                               autocompletion=_complete("plans")),
    output: Optional[str] = _output_opt(),
    fmt: Optional[str] = _report_format_opt(),
    force: bool = _force_opt(),
):
    from chengzhen.answers.show import plan_page
    from chengzhen.query.resolve import resolve_plans

    _need(plan, "PLAN", "report plan")

    def answer(conn):
        ids = resolve_plans(conn, [plan])
        if len(ids) != 1:
            raise UsageError(f"give one plan, not {len(ids)}")
        return plan_page(conn, ids[0])

    return _report("plan", answer, output, fmt, force)
