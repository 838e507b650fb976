"""Every field of every YAML record, declared once.

One declaration per field: its name, its type, whether it must be given,
its default, and one line each for the docs (what is allowed, how it is
checked).  Everything else derives from it:

* the loader (``kb/loader.py``) reads each record by these declarations —
  the accepted keys (anything else is E112), the required ones (E110), the
  types (E111), the allowed values (E113), years (E140), the defaults — and
  builds the model's dataclass from what it read (``attr``);
* `cz ingest` writes a record's keys in the order declared here;
* the field tables of docs/data-format.md are these declarations rendered
  (:func:`markdown_table`; tests/test_data_format.py keeps them equal, and
  ``python -m chengzhen.kb.fields docs/data-format.md`` rewrites them).

Import-cheap: plain tuples, no YAML, no validation library.
"""

from __future__ import annotations

from dataclasses import dataclass

from chengzhen.kb import model as m

# how a field is given
REQUIRED = "required"
NULLABLE = "required (may be null)"  # the key must be written; null is a value
OPTIONAL = "optional"
DERIVED = "derived"  # computed by the loader or the build; never written (not an accepted key)

# type -> what the docs call it
TYPES = {
    "text": "text",
    "choice": "text",  # one of ``choices`` (E113)
    "whole": "whole number",
    "number": "number",
    "year": "year",
    "line": "line number",
    "flag": "true/false",
    "date": "`YYYY-MM-DD`",
    "line range": "`N` or `N-M`",
    "text or number": "text or number",
    "names": "list of text",
    "line list": "list of line numbers",
    "records": "list",  # a list of records of kind ``of``
    "record": "mapping",  # one record of kind ``of``
    "reasons": "mapping field → reason",
    "departments": "list: names as written, or joint entries",
}


@dataclass(frozen=True)
class F:
    name: str
    type: str
    presence: str
    default: object = None
    allowed: str = ""
    checked: str = ""
    choices: tuple = ()
    of: str | None = None  # the record kind of a "records"/"record" field
    attr: str | None = "="  # the model attribute it fills ("=": its own name; None: read by the record's reader)
    type_doc: str | None = None  # the docs' type column, when not the type's name
    presence_doc: str | None = None  # the docs' presence column, when not derived from presence and default

    @property
    def attribute(self) -> str | None:
        return self.name if self.attr == "=" else self.attr

    def doc_presence(self) -> str:
        if self.presence_doc is not None:
            return self.presence_doc
        if self.presence != OPTIONAL or self.default is None:
            return self.presence
        shown = {False: "false", (): "[]"}.get(self.default, f"`{self.default}`")
        return f"optional ({shown})"

    def doc_type(self) -> str:
        return self.type_doc if self.type_doc is not None else TYPES[self.type]


REVIEW = ("a flag `cz ingest` leaves for the curator (see [Review flags](#review-flags)); the build ignores it",
          "reported by `cz validate` (E304, coverage) until deleted")


def _review() -> F:
    return F("review", "text", OPTIONAL, None, *REVIEW)


# --------------------------------------------------------------------------- the catalogue entry

PLAN = (
    F("id", "text", REQUIRED, None, "`[a-z][a-z0-9_]*`: the file's name", "used in every id of the plan; the file "
      "`plans/<id>.yaml` holds it (E113, E133)"),
    F("name", "text", REQUIRED, None, "", "written on the `title_lines` (E210), unless `supplied: {name: …}`"),
    F("short_name", "text", REQUIRED, None, "", "what a Chinese reader calls the plan; accepted on the command line"),
    F("region", "text", REQUIRED),
    F("level", "choice", REQUIRED, None, "`province`, `city`, `county`", "E113", choices=m.LEVELS),
    F("issuer", "text", NULLABLE, None, "", "written in the title lines, 版头 or 落款 (E211), or supplied"),
    F("doc_number", "text", NULLABLE, None, "文号 as written", "written in the 版头 (E211); null only when the source "
      "gives none (a 文号 in the 版头 and a null field is E211)"),
    F("issue_date", "date", NULLABLE, None, "a real date", "the date of the 落款 (E211); null only when the source "
      "dates none"),
    F("period", "record", REQUIRED, None, "1949–2100, end ≥ start", "the title's (2024—2028年) or 十四五 "
      "(→ 2021–2025) (E212); a title without a period needs `supplied: {period: …}`", of="period", attr=None,
      type_doc="`{start, end}` years"),
    F("parent", "text", NULLABLE, None, "the 文号 the plan implements", "written in the source (E211), or supplied"),
    F("url", "text", OPTIONAL, None, "the official text's address: `http://…` or `https://…`",
      "a web address (E113); what citations and links point at"),
    F("accessed", "date", OPTIONAL, None, "the day someone read the page at `url` (GB/T 7714's 引用日期)",
      "a real date (E113), only with `url` (E113); never today's date made up by the program"),
    F("supplied", "reasons", OPTIONAL, None, "`name`, `issuer`, `doc_number`, `issue_date`, `period`, `parent`",
      "a field the source does not state, with where the editors took it from; a reason must be given "
      "(E111, E112)", choices=m.SUPPLIABLE, attr=None),
    _review(),
    F("abridged", "flag", OPTIONAL, False, "", "true exactly when the source says 本文有删减 (E213)"),
    F("source", "text", REQUIRED, None, "`sources/<id>.txt`", "must exist (E150)"),
    F("seed", "text", OPTIONAL, None, "", "the file of `shared/seeds` it was copied from (tests compare them byte "
      "for byte)"),
    F("script", "choice", REQUIRED, None, "`simplified`, `traditional`", "traditional sources are converted "
      "(above)", choices=m.SCRIPTS),
    F("completeness", "text", OPTIONAL, None, "", "a note for readers: 全文, 本文有删减, …"),
    F("name_as_written", "flag", OPTIONAL, None, "", "false exactly when the name is supplied; if written it must "
      "agree (E113)", attr=None, presence_doc="derived (optional)"),
    F("title_lines", "line list", OPTIONAL, (), "", "each line is part of the name, and the name is written on "
      "them (E210)"),
    F("skip", "records", OPTIONAL, (), "`lines`: `N` or `N-M`; `kind`: see below", "each skipped line is what its "
      "kind says (E250) and no record claims it (E251)", of="skip", attr=None,
      type_doc="list of `{lines, kind, reason}`"),
    F("repairs", "records", OPTIONAL, (), "", "the damaged text is on its line (E207); no other difference from "
      "the source is accepted", of="repair", attr=None, type_doc="list of `{line, source, repaired, reason}`"),
)

PERIOD = (
    F("start", "year", REQUIRED, attr=None),
    F("end", "year", REQUIRED, attr=None),
)

SKIP = (
    F("lines", "line range", REQUIRED, attr=None),
    F("kind", "choice", REQUIRED, choices=m.SKIP_KINDS),
    F("reason", "text", REQUIRED),
)

REPAIR = (
    F("line", "line", REQUIRED),
    F("source", "text", REQUIRED),
    F("repaired", "text", REQUIRED),
    F("reason", "text", REQUIRED),
)

# --------------------------------------------------------------------------- a plan file

PLAN_FILE = (
    F("plan", "record", REQUIRED, None, "", "the catalogue entry (above)", of="plan", attr=None),
    F("applies_to_all_tasks", "record", OPTIONAL, None, "", "", of="all tasks", attr=None),
    F("measures", "records", OPTIONAL, (), "", "text before the first heading", of="measure", attr=None),
    F("sections", "records", OPTIONAL, (), "", "", of="section", attr=None),
    F("annexes", "records", OPTIONAL, (), "", "", of="annex", attr=None),
)

SECTION = (
    F("id", "text", REQUIRED, None, "`<plan>/<path>` (see *Ids*)", "the number as written and the parent's id "
      "(E240), unique (E120)"),
    F("number", "text", NULLABLE, None, "as written: `二、`, `(一)`, `第三章`, `第二节`", "verbatim on `line` (E201); "
      "no gap in its sequence (E241)"),
    F("title", "text", REQUIRED, None, "as written, without the number", "verbatim on `line` (E201)"),
    F("line", "line", REQUIRED, None, "in the source", "E151; siblings in source order (E242)"),
    F("restored", "flag", OPTIONAL, False, "", "the heading is missing in the body and restored from the table of "
      "contents; `line` then points at the contents entry"),
    F("retrospective", "flag", OPTIONAL, False, "", "the section reviews past achievements or the situation "
      "(liupanshui 第一章): its measures (and its subsections') carry no national task (E262) and are never "
      "aligned with forward-looking measures"),
    F("topics", "names", OPTIONAL, (), "topics.yaml names or synonyms (stored canonical)", "E130",
      type_doc="list of topic names"),
    F("note", "text", OPTIONAL, None, "", "an editor's note"),
    _review(),
    F("measures", "records", OPTIONAL, (), "", "children, in source order", of="measure", attr=None),
    F("sections", "records", OPTIONAL, (), "", "nested sections, same shape, in source order", of="section",
      attr=None),
    F("depth", "whole", DERIVED, None, "", "from the nesting"),
    F("order", "whole", DERIVED, None, "", "the place among the plan's sections"),
)

MEASURE = (
    F("id", "text", REQUIRED, None, "see *Ids*", "from the number as written, the outline and the order (E240), "
      "unique (E120)"),
    F("kind", "choice", REQUIRED, None, "`measure` (numbered task or lead-phrase paragraph) · `paragraph` "
      "(unnumbered text without a lead phrase) · `box` (专栏) · `table`", "E113", choices=m.MEASURE_KINDS),
    F("tasks", "names", OPTIONAL, (), "`national/<g>.<t>` of national.yaml", "E134; none under a retrospective "
      "section (E262)", type_doc="list of ids"),
    F("no_task", "text", OPTIONAL, None, "why a measure of a section that carries national tasks carries none",
      "a `kind: measure` unit of such a section needs `tasks` or `no_task` (E303)"),
    F("number", "text", OPTIONAL, None, "as written: `(十)`, `4.`, `专栏2`", "verbatim (E201); no gap (E241)"),
    F("title", "text", OPTIONAL, None, "the lead phrase as written, without its closing `。` (null when the "
      "paragraph has none)", "verbatim (E201)"),
    F("text", "text", REQUIRED, None, "the paragraph, verbatim, **without** `number` and **without** the 责任单位 "
      "clause; a multi-line unit (table, box) joins its lines with `\\n`", "verbatim on `line`..`line_end` (E201, "
      "with where it differs)"),
    F("line", "line", REQUIRED, None, "first source line", "E151; siblings in source order (E242)"),
    F("line_end", "line", OPTIONAL, None, "last source line of a multi-line unit", "E151",
      presence_doc="optional (= `line`)"),
    F("departments", "departments", OPTIONAL, (), "see *Departments*", "the clause's names in order (E208, E230, "
      "E231), each in departments.yaml (E131)", attr=None),
    F("lead", "names", OPTIONAL, (), "exactly the departments the clause writes 牵头 for (a joint entry's names "
      "when it writes 牵头 for the entry)", "E232", type_doc="list of names"),
    F("departments_quote", "text", OPTIONAL, None, "the clause verbatim, e.g. `(责任单位:省住房城乡建设厅、省发展改革委)`",
      "verbatim (E209)", presence_doc="with `departments`"),
    F("topics", "names", REQUIRED, (), "names or synonyms of topics.yaml (stored canonical)", "E130",
      type_doc="list of topic names", presence_doc="required (may be [])"),
    F("targets", "records", OPTIONAL, (), "see *Targets*", "", of="target", attr=None),
    F("note", "text", OPTIONAL, None, "an editor's note (e.g. why a box has no header)", ""),
    _review(),
)

TARGET = (
    F("indicator", "text", REQUIRED, None, "a name or alias of indicators.yaml (stored canonical)", "E132"),
    F("value", "number", OPTIONAL, None, "null for a goal without a figure", "occurs in `as_written` or the quote, "
      "as a whole number (E204)", presence_doc="optional (null)"),
    F("value_max", "number", OPTIONAL, None, "the upper end of a range, ≥ value", "occurs like `value` (E204); goes "
      "with `comparator: range` and only with it (E223)", presence_doc="optional (null)"),
    F("unit", "text", OPTIONAL, None, "the unit written with the figure", "written with the figure — every part of "
      "a compound unit (人/亿元), or the magnitude after the figure (1930万 of 常住人口) (E226); of the indicator's "
      "unit family: the declared unit or a magnitude of it (人, 万人), % ↔ 个百分点, a growth rate in %, 个/家/所/座/处/项 "
      "alike (E226); null without a figure; a unit `as_written` writes cannot be left null",
      presence_doc="optional (null)"),
    F("as_written", "text", REQUIRED, None, "the target as the plan writes it", "in the quote (E203)"),
    F("qualifier", "text", OPTIONAL, None, "a key of the qualifier table below, as written (`…` stands for the "
      "figure)", "in the table (E223), written in the sentence (E224); a comparator word `as_written` writes "
      "(左右, 以上, 全覆盖 …) must be the qualifier (E224)", presence_doc="optional (null)"),
    F("comparator", "choice", REQUIRED, None, "`eq`, `approx`, `ge`, `gt`, `le`, `lt`, `approach`, `range`, "
      "`complete`", "what the qualifier table gives (E223)", choices=m.COMPARATORS),
    F("basis", "choice", OPTIONAL, "level", "`level`, `annual_growth`, `increase`, `decrease`", "`annual_growth` "
      "needs 年均/每年平均, `increase` 新增/增加/新建/提高…, `decrease` 减少/下降/降低… in the sentence; a figure per year "
      "(每年…) names the year in its indicator (E229)", choices=m.BASES),
    F("year", "year", OPTIONAL, None, "1949–2100", "see *Years* (E220, E221, E222)", presence_doc="optional (null)"),
    F("year_implied", "flag", OPTIONAL, False, "", "true exactly when no year is written for the target (E220)"),
    F("baseline", "number", OPTIONAL, None, "the figure of the base year", "in `baseline_as_written` (E228)",
      presence_doc="optional (null)"),
    F("baseline_as_written", "text or number", OPTIONAL, None, "as written", "in the source (E205)",
      type_doc="text", presence_doc="optional (null)"),
    F("baseline_year", "year", OPTIONAL, None, "not after `year` (E141)", "written with the target (a table's "
      "column head) (E228)", presence_doc="optional (null)"),
    F("cumulative", "flag", OPTIONAL, False, "", "true exactly when the source marks a total: 累计 in the quote, "
      "N年内 / 2022—2025年 / “十四五”期间 in the sentence, `[]` in a table — or the plan's table lists the same figure "
      "with `[]` (E225)"),
    F("aspiration", "text", OPTIONAL, None, "力争, 争取 or 努力, as written", "the aim word that governs the target "
      "(E227): in the quote or in the clause the quote starts in, or opening the sentence (after a year: "
      "到2025年,力争…)", presence_doc="optional (null)"),
    F("quote", "text", REQUIRED, None, "the sentence part that states the target, verbatim", "on `line`..the "
      "measure's last line (E202)"),
    F("line", "line", OPTIONAL, None, "where the quote is", "E151, E202", presence_doc="optional (the measure's)"),
    F("scope", "text", OPTIONAL, None, "where it applies, as written, when narrower than the plan's region "
      "(钟山区, 市中心城区, 黔中城市群)", "written on the measure's lines (E206)", presence_doc="optional (null)"),
    F("note", "text", OPTIONAL, None, "an editor's note", ""),
    _review(),
    F("kind", "text", DERIVED, None, "`target`, or `commitment`: no figure and no year", "`targets.kind`"),
    F("group_id", "text", DERIVED, None, "restatements of one target in a plan share a group: indicator, value (and "
      "`value_max`), unit, basis and scope agree (a commitment without a value: `as_written` too), whatever the year "
      "or table (`store/rows.py:restatement_key`)", "`targets.group_id`"),
)

JOINT = (
    F("joint", "text", REQUIRED, None, "the entry as the clause writes it: `西宁市、海东市政府`", "", attr=None),
    F("names", "names", REQUIRED, (), "the departments it names (two or more)", "derived from the text (E231)",
      attr=None),
)

ALL_TASKS = (
    F("departments", "departments", REQUIRED, (), "as the note writes them", "E131", attr=None),
    F("quote", "text", REQUIRED, None, "the note, verbatim", ""),
    F("line", "line", REQUIRED, None, "where the note is", ""),
    F("scope", "text", OPTIONAL, None, "what it covers, in words", ""),
)

ANNEX = (
    F("id", "text", REQUIRED, None, "`<plan>/annex`, `<plan>/annex2` …", "unique (E120)"),
    F("title", "text", REQUIRED, None, "as written", ""),
    F("line", "line", REQUIRED, None, "the annex's first line", "E151"),
    F("line_end", "line", OPTIONAL, None, "its last line", "E151", presence_doc="optional (= `line`)"),
    F("lines", "line list", OPTIONAL, (), "the annex's heading lines", ""),
    F("groups", "records", REQUIRED, (), "", "", of="annex group", attr=None),
    F("note", "text", OPTIONAL, None, "an editor's note", ""),
)

ANNEX_GROUP = (
    F("name", "text", NULLABLE, None, "the group's heading as written; null when the source lists entries without "
      "one", ""),
    F("count_as_written", "text", OPTIONAL, None, "the count the heading writes: `(5个)`", ""),
    F("line", "line", REQUIRED, None, "the heading's line", "E151"),
    F("items", "records", REQUIRED, (), "", "entry numbers run 1., 2., … through the annex (E241)",
      of="annex item", attr=None),
    F("note", "text", OPTIONAL, None, "an editor's note", ""),
)

ANNEX_ITEM = (
    F("number", "text", OPTIONAL, None, "as written: `1.`", ""),
    F("name", "text", REQUIRED, None, "as written", ""),
    F("line", "line", REQUIRED, None, "", "E151"),
)

# --------------------------------------------------------------------------- vocabularies

TOPIC = (
    F("name", "text", REQUIRED, None, "unique", "E120"),
    F("synonyms", "names", OPTIONAL, (), "other names; none names two topics", "E160"),
    F("children", "records", OPTIONAL, (), "second-level topics (two levels only)", "E113", of="topic", attr=None),
)

DEPARTMENT = (
    F("name", "text", REQUIRED, None, "the canonical name", "unique within a file (E120)"),
    F("aliases", "names", OPTIONAL, (), "variants as written in the plans, and common short forms", "none names "
      "two departments (E160)"),
    F("level", "text", OPTIONAL, None, "`province`, `city`, `county`, `other`", ""),
    F("note", "text", OPTIONAL, None, "an editor's note", ""),
    F("review", "text", OPTIONAL, None, "a proposal `cz ingest` made; the build takes the entry in",
      "reported by `cz validate` (E304) until deleted"),
)

INDICATOR = (
    F("name", "text", REQUIRED, None, "the canonical name targets refer to", "unique within a file (E120)"),
    F("unit", "text", OPTIONAL, None, "the unit family its targets are checked against", "E226"),
    F("aliases", "names", OPTIONAL, (), "other names for it, in any plan or in a user's mouth", "none names two "
      "indicators (E160)"),
    F("note", "text", OPTIONAL, None, "an editor's note", ""),
    F("review", "text", OPTIONAL, None, "a proposal `cz ingest` made; the build takes the entry in",
      "reported by `cz validate` (E304) until deleted"),
)

# --------------------------------------------------------------------------- the national plan

NATIONAL_HEAD = (
    F("id", "text", REQUIRED, attr=None),
    F("name", "text", REQUIRED, attr=None),
    F("doc_number", "text", OPTIONAL, attr=None),
    F("issuer", "text", OPTIONAL, attr=None),
)

NATIONAL_GROUP = (
    F("id", "text", REQUIRED, None, "`national/<g>`", "unique (E120)"),
    F("kind", "choice", REQUIRED, None, "`action`, `policy`, `organisation`", "E113", choices=m.NATIONAL_GROUP_KINDS),
    F("number", "text", OPTIONAL),
    F("title", "text", REQUIRED, None, "a provincial restatement", "verbatim in its evidence unit (E260)"),
    F("evidence", "text", OPTIONAL, None, "the provincial unit that writes `title`", "a unit of a plan of the "
      "catalogue (E261)"),
    F("note", "text", OPTIONAL),
    F("tasks", "records", OPTIONAL, (), of="national task", attr=None),
)

NATIONAL_TASK = (
    F("id", "text", REQUIRED, None, "`national/<g>.<t>`", "unique (E120)"),
    F("number", "text", OPTIONAL),
    F("title", "text", REQUIRED, None, "a provincial restatement", "verbatim in its evidence unit (E260)"),
    F("evidence", "text", OPTIONAL, None, "the provincial unit that writes `title`", "E261"),
    F("keywords", "names", OPTIONAL, ()),
    F("note", "text", OPTIONAL),
)

# record kind -> its fields, in the order `cz ingest` writes them and the docs list them
FIELDS: dict[str, tuple[F, ...]] = {
    "plan": PLAN, "period": PERIOD, "skip": SKIP, "repair": REPAIR,
    "plan file": PLAN_FILE, "section": SECTION, "measure": MEASURE, "target": TARGET, "joint": JOINT,
    "all tasks": ALL_TASKS, "annex": ANNEX, "annex group": ANNEX_GROUP, "annex item": ANNEX_ITEM,
    "topic": TOPIC, "department": DEPARTMENT, "indicator": INDICATOR,
    "national head": NATIONAL_HEAD, "national group": NATIONAL_GROUP, "national task": NATIONAL_TASK,
}


def accepted(kind: str) -> frozenset[str]:
    """The keys a record of ``kind`` may have (a derived field is not one)."""
    return frozenset(f.name for f in FIELDS[kind] if f.presence != DERIVED)


def order(kind: str) -> list[str]:
    """The keys of a record of ``kind`` in their written order."""
    return [f.name for f in FIELDS[kind] if f.presence != DERIVED]


def ordered(kind: str, record: dict) -> dict:
    """``record`` with its declared keys in the declared order (other keys after, as they came)."""
    keys = order(kind)
    return {**{k: record[k] for k in keys if k in record}, **{k: v for k, v in record.items() if k not in keys}}


# --------------------------------------------------------------------------- the docs tables

# the tables docs/data-format.md shows, each between <!-- fields: KIND --> and <!-- /fields -->
DOC_TABLES = ("plan", "section", "measure", "target", "annex", "annex group", "department", "indicator")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(kind: str) -> str:
    rows = ["| field | | type | allowed | how it is checked |", "| --- | --- | --- | --- | --- |"]
    for f in FIELDS[kind]:
        name = f"(`{f.name}`)" if f.presence == DERIVED else f"`{f.name}`"
        type_ = "" if f.presence == DERIVED else f.doc_type()
        rows.append(f"| {name} | {f.doc_presence()} | {_cell(type_)} | {_cell(f.allowed)} | {_cell(f.checked)} |")
    return "\n".join(rows) + "\n"


_MARK = "<!-- fields: {} -->\n"
_END = "<!-- /fields -->\n"


def render_docs(text: str) -> str:
    """``text`` (docs/data-format.md) with every marked field table rendered anew."""
    for kind in DOC_TABLES:
        head = _MARK.format(kind)
        start = text.find(head)
        if start < 0:
            continue
        end = text.find(_END, start)
        text = text[:start + len(head)] + markdown_table(kind) + text[end:]
    return text


if __name__ == "__main__":  # python -m chengzhen.kb.fields docs/data-format.md: rewrite its tables
    import sys
    from pathlib import Path

    for arg in sys.argv[1:]:
        p = Path(arg)
        p.write_text(render_docs(p.read_text(encoding="utf-8")), encoding="utf-8")
