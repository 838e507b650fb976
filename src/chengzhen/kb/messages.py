"""What the data's problems say, declared once: the codes and their messages.

:data:`CODES` is the registry of problem codes (wn's validation registry
is the model): each code with what it means, in the order and groups
docs/cli.md lists them ("Data error codes"; ``python -m
chengzhen.kb.messages docs/cli.md`` writes those tables, tests/test_docs.py
checks they are current).

A problem's message, its hint and its detail lines are :class:`Msg`:
a template (an ``N_``-marked catalogue msgid with named placeholders,
written once where the problem is found) and the values that fill it.  A
Msg *is* its English text (a ``str``: what JSON, logs and the tests read,
whatever the locale), and keeps the template and the values so that the
CLI can say it in the reader's language (:func:`chengzhen.i18n.say`: the
catalogue's translation of the template, filled with the same values).
A value that is itself a Msg (a type name, a did-you-mean, a reason) is
said in turn; any other value (a year, an id, a quote from the source, a
field name) is shown as it is.

kb imports nothing of the CLI's language machinery: ``N_`` here only marks
a template for ``tools/i18n.py`` (Babel), which extracts every one into
``locale/zh/LC_MESSAGES/cz.po``.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a template for the catalogue (it is translated when it is said)."""
    return message


class Msg(str):
    """A message: its English text (the ``str`` itself), the ``template``
    it fills and the ``values`` that fill it (by name)."""

    template: str
    values: dict

    def __new__(cls, template: str, /, english: str | None = None, **values):
        # ``english``: the English as a library wrote it (PyYAML's problem, the system's strerror), kept as
        # the message's text (JSON, logs) while the template is what a reader of another language is told
        self = super().__new__(cls, template.format(**values) if english is None else english)
        self.template = template
        self.values = values
        self.english = english
        return self

    def __reduce__(self):  # a build's worker process sends problems back pickled
        return (_rebuild, (self.template, self.values, self.english))

    def as_json(self) -> dict:
        """The template and the values (a Msg value as its own ``as_json``):
        what :func:`from_json` reads back (a remembered build failure)."""
        doc = {"template": self.template,
               "values": {k: (v.as_json() if isinstance(v, Msg) else v) for k, v in self.values.items()}}
        if self.english is not None:
            doc["english"] = self.english
        return doc

    def flat_values(self) -> dict:
        """The values by name, a Msg value as its English text."""
        return {k: (str(v) if isinstance(v, str) else v) for k, v in self.values.items()}


class Flag(str):
    """A review flag's text as ingest wrote it into the YAML (English, parts
    joined with ``; ``), shown as a message's value: said in the reader's
    language part by part, by the catalogue templates its parts fill
    (:func:`chengzhen.i18n.say_flag`)."""

    said_by_parts = True


def _rebuild(template: str, values: dict, english: str | None = None) -> Msg:
    return Msg(template, english, **values)


def from_json(doc) -> Msg | str:
    """A Msg from its :meth:`Msg.as_json` (anything else as it is)."""
    if isinstance(doc, dict) and isinstance(doc.get("template"), str) and isinstance(doc.get("values"), dict):
        try:
            english = doc.get("english") if isinstance(doc.get("english"), str) else None
            return Msg(doc["template"], english, **{k: from_json(v) for k, v in doc["values"].items()})
        except (KeyError, IndexError, ValueError, TypeError):
            return str(doc.get("template"))
    return doc


def one_of(names, quote: bool = True) -> Msg | str:
    """'a', 'b' or 'c' — the alternatives of a did-you-mean, said in the
    reader's language (``或``)."""
    shown = [repr(n) if quote else str(n) for n in names]
    if not shown:
        return ""
    out: Msg | str = shown[0]
    for n in shown[1:]:
        out = Msg(N_("{either} or {other}"), either=out, other=n)
    return out


def listed(items) -> Msg | str:
    """``a, b, c`` — items that are messages themselves (``5 in src1``), said
    with the reader's list comma."""
    items = list(items)
    if not items:
        return ""
    out: Msg | str = items[0]
    for x in items[1:]:
        out = Msg(N_("{items}, {item}"), items=out, item=x)
    return out


def did_you_mean_hint(names, quote: bool = True) -> Msg | None:
    """``did you mean 'x'?`` (or None when there is nothing near)."""
    names = list(names)
    return Msg(N_("did you mean {names}?"), names=one_of(names, quote)) if names else None


def allowed(values) -> Msg:
    """``allowed: a, b, c``."""
    return Msg(N_("allowed: {values}"), values=", ".join(str(v) for v in values))


def joined(first, second, sep: str = "; ") -> Msg | str | None:
    """Two parts of a message, either of which may be missing, as one
    (``first; second`` — ``；`` in Chinese); ``sep`` is ``"; "`` or ``" "``."""
    if not first:
        return second or None
    if not second:
        return first
    template = N_("{first}; {second}") if sep == "; " else N_("{first} {second}")
    return Msg(template, first=first, second=second)


# --------------------------------------------------------------------------- what a library says

# the kinds of YAML syntax error, as PyYAML (its Python parser and libyaml's) words them: a reader of
# Chinese is told the kind in Chinese (file:line is said beside it), the English stays PyYAML's words
YAML_PROBLEMS: list[tuple[str, str]] = [
    (r"(?:could not|did not) find expected ':'", N_("a key without its ':' (or a line that continues none)")),
    (r"(?:did not find expected|expected) ',' or '\]'", N_("a list in [ ] is not closed, or lacks a ','")),
    (r"(?:did not find expected|expected) ',' or '\}'", N_("a mapping in {{ }} is not closed, or lacks a ','")),
    (r"invalid indentation or unclosed '\[' or '\{'", N_("bad indentation, or a [ or {{ not closed")),
    (r"found character .*that cannot start any token", N_("a character that cannot start a value (a tab, @ or ` "
                                                           "at its start? quote the value)")),
    (r"mapping values are not allowed", N_("a ': ' where no value can start (quote a value that holds ': ')")),
    (r"mapping keys are not allowed", N_("a key where none can start (check the indentation)")),
    (r"(?:block )?sequence entries are not allowed", N_("a '- ' item where none can start (check the indentation)")),
    (r"did not find expected key|expected <block end>|did not find expected '-' indicator",
     N_("the indentation does not line up (a key or item out of place)")),
    (r"did not find expected node content|expected the node content|expected the empty value",
     N_("a value is missing or out of place")),
    (r"found unexpected end of stream|unexpected end of", N_("the file ends inside a quoted value or a bracket")),
    (r"found unknown escape character|expected escape sequence|URI escape|escaped octet",
     N_("an unknown escape (\\) in a double-quoted value")),
    (r"tab character", N_("a tab (YAML indents with spaces)")),
    (r"undefined alias|undefined tag handle|determine a constructor|non-specific tag|tag",
     N_("an unknown tag (!) or alias (*)")),
    (r"anchor|alias", N_("an anchor (&) or alias (*)")),
    (r"document|directive|separator|%YAML|%TAG", N_("a second document (---) or a directive (%) in the file")),
    (r"control characters|special characters|UTF-8|octet|Unicode|input is too long",
     N_("a character YAML does not allow (a control character or broken UTF-8)")),
    (r"expected a (?:mapping|sequence|scalar|single mapping)|for merging|base64|recursive node",
     N_("a value of another kind (text, list or mapping) than YAML expects there")),
    (r"second occurrence", N_("an anchor (&) or alias (*)")),
    (r"duplicate key", N_("a key written twice")),
    (r"unhashable key", N_("a key that is a list or a mapping")),
    (r"expected (?:alphabetic|a digit|'!'|'>'|' '|URI|a comment|chomping|indentation indicator|non-empty name)"
     r"|whitespace or line break|comment or line break|found unexpected ':'",
     N_("a character out of place in a tag, anchor, number or block scalar")),
]


def yaml_problem(problem: str) -> Msg:
    """PyYAML's words for a syntax error: its kind, said in the reader's
    language; the English is PyYAML's own (as it was)."""
    import re

    for pattern, template in YAML_PROBLEMS:
        if re.search(pattern, problem or "", re.I):
            return Msg(template, english=problem)
    return Msg(N_("a syntax error PyYAML does not name"), english=problem)


# the system's words for a file it cannot read or write, by errno: its strerror as glibc words it (the msgid,
# which also says a strerror a raised message carries: i18n.translate)
OS_ERRORS = {
    "ENOENT": N_("No such file or directory"),
    "EACCES": N_("Permission denied"),
    "EPERM": N_("Operation not permitted"),
    "EISDIR": N_("Is a directory"),
    "ENOTDIR": N_("Not a directory"),
    "ENOSPC": N_("No space left on device"),
    "EDQUOT": N_("Disk quota exceeded"),
    "EROFS": N_("Read-only file system"),
    "ELOOP": N_("Too many levels of symbolic links"),
    "ENAMETOOLONG": N_("File name too long"),
    "EIO": N_("Input/output error"),
    "EMFILE": N_("Too many open files"),
    "ENFILE": N_("Too many open files in system"),
    "EEXIST": N_("File exists"),
    "EBUSY": N_("Device or resource busy"),
    "ENOTEMPTY": N_("Directory not empty"),
    "EXDEV": N_("Invalid cross-device link"),
    "ETXTBSY": N_("Text file busy"),
    "EINVAL": N_("Invalid argument"),
    "ENXIO": N_("No such device or address"),
    "ENODEV": N_("No such device"),
    "EAGAIN": N_("Resource temporarily unavailable"),
    "EINTR": N_("Interrupted system call"),
}


def os_error(exc: OSError) -> Msg:
    """Why the system could not read or write a file, said in the reader's
    language by its errno; the English is the system's own (strerror)."""
    import errno as E

    english = exc.strerror or str(exc)
    name = E.errorcode.get(exc.errno or -1, "")
    if name in OS_ERRORS:
        return Msg(OS_ERRORS[name], english=english)
    return Msg(N_("system error {errno}"), english=english, errno=exc.errno if exc.errno is not None else "?")


# what a record is, said in a message ("unknown topic", "duplicate department", "each section must be a mapping"):
# kb/fields.py's kinds of record
KINDS = {k: k for k in (
    N_("plan"), N_("period"), N_("skip"), N_("repair"), N_("plan file"), N_("section"), N_("measure"),
    N_("target"), N_("joint"), N_("all tasks"), N_("annex"), N_("annex group"), N_("annex item"), N_("topic"),
    N_("department"), N_("indicator"), N_("national head"), N_("national group"), N_("national task"),
    N_("place"), N_("place alias"), N_("zone"), N_("place group"), N_("place part"), N_("place class"))}


def kind(name: str) -> Msg:
    """A kind of record (``topic``) as a message of its own (主题)."""
    return Msg(KINDS[name].replace("{", "{{").replace("}", "}}"))


# --------------------------------------------------------------------------- the registry of codes

LOADING, SOURCE, COVERAGE = "loading", "source", "coverage"
GROUPS = (LOADING, SOURCE, COVERAGE)

# code -> (group, what it means): docs/cli.md's tables, in their order
CODES: dict[str, tuple[str, str]] = {
    "E101": (LOADING, "YAML syntax error"),
    "E102": (LOADING, "duplicate key in a mapping"),
    "E103": (LOADING, "YAML anchors/aliases are not allowed (defuses alias bombs)"),
    "E104": (LOADING, "file too large (over 32 MiB)"),
    "E105": (LOADING, "binary or not UTF-8"),
    "E106": (LOADING, "empty file"),
    "E110": (LOADING, "missing required field; a data directory without a plan"),
    "E111": (LOADING, "wrong type or empty value"),
    "E112": (LOADING, "unknown field (a typo such as `titel`; did-you-mean and the allowed fields); the rest of the "
                      "record is still checked; a `plans:` catalogue in plans.yaml (the old layout: "
                      "`python -m chengzhen.kb.migrate DATA_DIR`)"),
    "E113": (LOADING, "bad value: id format (a plan file's name too), kind, level, script, comparator, basis, skip "
                      "kind, line range, url (with the allowed values)"),
    "E120": (LOADING, "duplicate id (section, measure, topic; a department or indicator twice in one file, or in two "
                      "files with another level or unit; a plan twice in plans.yaml's order)"),
    "E121": (LOADING, "an id that does not start with its plan id"),
    "E130": (LOADING, "unknown topic (did-you-mean; a new topic goes in topics.yaml)"),
    "E131": (LOADING, "unknown department (did-you-mean; departments.yaml)"),
    "E132": (LOADING, "unknown indicator (did-you-mean; indicators.yaml)"),
    "E133": (LOADING, "a plan file whose entry names another plan (`plans/<id>.yaml` holds plan `<id>`)"),
    "E134": (LOADING, "a measure names a national task that data/national.yaml does not list"),
    "E140": (LOADING, "impossible year (outside 1949–2100, or a period that ends before it starts)"),
    "E141": (LOADING, "baseline year after the target year"),
    "E150": (LOADING, "missing file (a source, a vocabulary), or no data directory"),
    "E151": (LOADING, "a line number outside the source"),
    "E160": (LOADING, "a name, alias or synonym claimed by two vocabulary entries"),
    "E170": (LOADING, "places: a bad row or entry (code not six digits, unknown level, missing name, wrong columns) "
                      "— docs/places.md"),
    "E171": (LOADING, "places: a code, zone or group listed twice"),
    "E172": (LOADING, "places: a parent that does not exist, is not a level above, or is in another province"),
    "E173": (LOADING, "places: an alias, zone or group naming a place or zone that does not exist"),
    "E174": (LOADING, "places: a name claimed by two parts/classes or two zones"),
    "E175": (LOADING, "places: an abbreviation (text/regions.py) that names no province"),
    "E176": (LOADING, "a plan's region names no place, or several (write it in full, or add an alias to data/places.yaml) — "
                      "docs/places.md"),
    "E177": (LOADING, "a target's scope names something that is no place, zone, named group, part or class of "
                      "places in data/places.yaml"),
    "E180": (LOADING, "statistics: a source without publisher, title, web address, page kind or figures — "
                      "docs/progress.md"),
    "E181": (LOADING, "statistics: unknown indicator"),
    "E182": (LOADING, "statistics: a figure's unit is neither its indicator's nor the same quantity on another scale "
                      "(万人 for 人)"),
    "E183": (LOADING, "statistics: unknown place, or a file not named by its place code"),
    "E184": (LOADING, "statistics: impossible year, implausible value, or a value that is not the number written"),
    "E185": (LOADING, "statistics (warning): a series jumps from one year to the next without a stated reason"),
    "E186": (LOADING, "statistics: a figure or source id twice, or disagreeing publications without one `use: true`"),
    "E187": (LOADING, "statistics: a malformed date, or a publication dated before its figure's year"),
    "E201": (SOURCE, "a number, title, text or heading not found verbatim on its source lines"),
    "E202": (SOURCE, "a target quote not found in the source"),
    "E203": (SOURCE, "a target's `as_written` not in its quote"),
    "E204": (SOURCE, "a target value not in its `as_written` or quote"),
    "E205": (SOURCE, "a baseline not found in the source"),
    "E206": (SOURCE, "a target scope not written on its measure's lines"),
    "E207": (SOURCE, "a recorded repair whose damaged text is not on its line"),
    "E208": (SOURCE, "a department not named in its 责任单位 clause (or departments without a clause)"),
    "E209": (SOURCE, "a 责任单位 clause not found in the source"),
    "E210": (SOURCE, "a title line that is not part of the plan's name, or a name not written on the title lines "
                     "(and not supplied)"),
    "E211": (SOURCE, "a 文号, issuer, issue date or parent not written in the source's title lines, 版头 or 落款 (and "
                     "not supplied), or one the source writes left null"),
    "E212": (SOURCE, "a plan period that contradicts the title ((2024—2028年), 十四五), or that the title does not "
                     "state and is not supplied"),
    "E213": (SOURCE, "`abridged` that does not match the source's 本文有删减"),
    "E220": (SOURCE, "a target year its sentence does not write, or `year_implied: true` while a year governs the "
                     "sentence"),
    "E221": (SOURCE, "an implied year that is not the period's end (or N年内's), or a figure without a year"),
    "E222": (SOURCE, "an open-ended commitment (no figure, no year written or governed) that carries a year"),
    "E223": (SOURCE, "a qualifier not in the qualifier table, or a comparator that does not fit its qualifier"),
    "E224": (SOURCE, "a qualifier not written in the sentence, or one `as_written` writes but the target lacks"),
    "E225": (SOURCE, "`cumulative` that does not match 累计 / `[]` / N年内 / 2022—2025年"),
    "E226": (SOURCE, "a unit not written with the figure, or not of the indicator's unit family"),
    "E227": (SOURCE, "`aspiration` that does not match 力争 / 争取 / 努力 in the sentence"),
    "E228": (SOURCE, "a baseline value or year not written with the target"),
    "E229": (SOURCE, "a `basis` the sentence does not write (年均, 新增, 减少…)"),
    "E230": (SOURCE, "a departments list that is not the clause's names in order (one dropped, added or moved)"),
    "E231": (SOURCE, "a joint entry (西宁市、海东市政府) split, or not naming the departments it distributes to"),
    "E232": (SOURCE, "`lead` where the clause does not write 牵头, or 牵头 written and `lead` missing"),
    "E240": (SOURCE, "an id that contradicts the number as written or the outline path"),
    "E241": (SOURCE, "a gap or repeat in a numbering sequence ((一)(二)(四), 专栏, annex entries)"),
    "E242": (SOURCE, "records listed out of source order"),
    "E250": (SOURCE, "a skipped line that is not what its skip `kind` says (版头, 落款, 目录, web page, summary)"),
    "E251": (SOURCE, "a skip that hides body text (a record claims the line)"),
    "E260": (SOURCE, "a national group or task title not written verbatim in its evidence unit"),
    "E261": (SOURCE, "a national evidence id that names no unit (or no plan)"),
    "E262": (SOURCE, "a national task on a measure of a section that reviews the past"),
    "E301": (COVERAGE, "source text on a line that no record claims"),
    "E302": (COVERAGE, "a heading (一、 / (一) / 1. / 第X章 / 第X节 / 专栏N, or a contents entry) with no section, "
                       "measure or annex entry"),
    "E303": (COVERAGE, "a measure of a section that carries national tasks, naming no task and giving no `no_task` "
                       "reason"),
    "E304": (COVERAGE, "a `review:` flag (on the catalogue entry, a skip's reason, a section, measure or target, or a "
                       "proposed vocabulary entry in `vocabulary/<id>.yaml`) that `cz ingest` left for a curator and "
                       "nobody has accepted (`cz review ID --accept N`, `--accept vocabulary`): the item is not "
                       "verified (the name not accepted) yet"),
    "E305": (COVERAGE, "a pending draft (`drafts/<id>.yaml`): `cz ingest` kept it out of `plans/` because validation "
                       "refuses it as it stands; what blocks it is listed (`cz review ID`); once fixed, "
                       "`cz ingest --finish ID` moves it into `plans/`"),
}


def meaning(code: str) -> str:
    return CODES[code][1]


# --------------------------------------------------------------------------- docs/cli.md's tables

_MARK = "<!-- codes: {} -->\n"
_END = "<!-- /codes -->\n"


def markdown_table(group: str) -> str:
    rows = ["| code | problem |", "| --- | --- |"]
    rows += [f"| {code} | {what.replace('|', chr(92) + '|')} |" for code, (g, what) in CODES.items() if g == group]
    return "\n".join(rows) + "\n"


def render_docs(text: str) -> str:
    """``text`` (docs/cli.md) with each marked table of codes rendered anew."""
    for group in GROUPS:
        head = _MARK.format(group)
        start = text.find(head)
        if start < 0:
            continue
        end = text.find(_END, start)
        text = text[:start + len(head)] + markdown_table(group) + text[end:]
    return text


if __name__ == "__main__":  # python -m chengzhen.kb.messages docs/cli.md: rewrite its tables of codes
    import sys
    from pathlib import Path

    for arg in sys.argv[1:]:
        p = Path(arg)
        p.write_text(render_docs(p.read_text(encoding="utf-8")), encoding="utf-8")
