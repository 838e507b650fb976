"""Load ``data/`` into the typed model and check it.

Structural problems (syntax, types, missing fields, duplicate ids, unknown
topic / department / indicator / plan, impossible years, a quote that is not
in its source) raise :class:`DataError` naming ``file:line``, a code and the
offending id.  Codes are listed in docs/cli.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from chengzhen.errors import DataError
from chengzhen.kb import model as m
from chengzhen.kb.problems import DataProblems, Problem, Sink, did_you_mean
from chengzhen.kb.yamlio import Node, Seq, load_yaml, parse_yaml, read_text
from chengzhen.text.normalize import source_lines

PLAN_ID = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*/[0-9a-z][0-9a-z._]*$")
YEAR_MIN, YEAR_MAX = 1949, 2100

_MISSING = object()


def label_for(root: Path, rel: str) -> str:
    """How a data file is named in messages: relative to the working directory
    when it lies below it (data/plans/qinghai.yaml), else absolute."""
    path = (root / rel).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Abort(Exception):
    """The record being read is unusable; its problem is in the sink."""


class _Ctx:
    """Where we are, for error messages; problems go to ``sink``."""

    def __init__(self, label: str, sink: Sink, plan: str = ""):
        self.label = label
        self.sink = sink
        self.plan = plan

    def report(self, node, key, code, message, item=None, hint=None, line=None):
        if line is None:
            if isinstance(node, Node):
                line = node.line_of(key) if key else node.line
            elif isinstance(node, Seq):
                line = node.line
        self.sink.add(Problem(self.plan, code, item or "", None, message, "error", self.label, line, hint))

    def fail(self, node, key, code, message, item=None, hint=None, line=None):
        self.report(node, key, code, message, item, hint, line)
        raise _Abort()


def _allowed(values) -> str:
    return "allowed: " + ", ".join(str(v) for v in values)


def _choice(ctx: _Ctx, node: Node, key: str, value, allowed, item=None, what=None):
    if value not in allowed:
        near = did_you_mean(str(value), [str(a) for a in allowed], 1)
        hint = (f"did you mean {near[0]!r}? " if near else "") + _allowed(allowed)
        ctx.fail(node, key, "E113", f"{what or key} {value!r} is not allowed", item, hint)
    return value


def _get(ctx: _Ctx, node: Node, key: str, types, *, required=True, item=None, default=None):
    if not isinstance(node, Node):
        ctx.fail(node, None, "E111", f"expected a mapping, got {type(node).__name__}", item)
    value = node.get(key, _MISSING)
    if value is _MISSING:
        if required:
            ctx.fail(node, None, "E110", f"missing required field {key!r}", item)
        return default
    if value is None:
        if required and type(None) not in _astuple(types):
            ctx.fail(node, key, "E111", f"field {key!r} must not be empty", item)
        return default if default is not None and type(None) not in _astuple(types) else None
    if bool in _astuple(types) and not isinstance(value, bool):
        ctx.fail(node, key, "E111", f"field {key!r} must be true or false, got {value!r}", item)
    if isinstance(value, bool) and bool not in _astuple(types):
        ctx.fail(node, key, "E111", f"field {key!r} has the wrong type (bool)", item)
    if not isinstance(value, _astuple(types)):
        want = "/".join(_TYPE_NAMES.get(t, t.__name__) for t in _astuple(types) if t is not type(None))
        ctx.fail(node, key, "E111", f"field {key!r} must be {want}, got {_TYPE_NAMES.get(type(value), type(value).__name__)}", item)
    return value


_TYPE_NAMES = {Node: "a mapping", Seq: "a list", list: "a list", dict: "a mapping", str: "text", int: "a whole number",
               float: "a number", bool: "true/false"}


def _astuple(types):
    return types if isinstance(types, tuple) else (types,)


def _known_keys(ctx: _Ctx, node: Node, allowed: set[str], item=None):
    """An unknown field (a typo such as titel) is reported and ignored: the
    rest of the record is still read and checked."""
    if not isinstance(node, Node):
        ctx.fail(node, None, "E111", f"expected a mapping, got {type(node).__name__}", item)
    for key in [k for k in node if k not in allowed]:
        near = did_you_mean(key, sorted(allowed), 1)
        hint = (f"did you mean {near[0]!r}? " if near else "") + _allowed(sorted(allowed))
        ctx.report(node, key, "E112", f"unknown field {key!r}", item, hint)


def _str_list(ctx, node, key, item=None) -> tuple[str, ...]:
    value = _get(ctx, node, key, (list, type(None)), required=False, item=item) or []
    out = []
    for i, v in enumerate(value):
        if not isinstance(v, str) or not v.strip():
            ctx.fail(node, key, "E111", f"{key!r} must be a list of non-empty strings", item,
                     line=_item_line(node, key, i))
        out.append(v)
    return tuple(out)


def _item_line(node: Node, key: str, i: int) -> int:
    """The line of the i-th item of list ``key`` (the key's line for a flow list)."""
    value = node.get(key) if isinstance(node, Node) else None
    if isinstance(value, Seq):
        return value.line_at(i)
    return node.line_of(key) if isinstance(node, Node) else 0


def _field_lines(node: Node, *list_keys: str) -> dict:
    """key -> line, and ``key[i]`` -> line of a list's i-th item."""
    out = dict(node.key_lines) if isinstance(node, Node) else {}
    for k in list_keys:
        v = node.get(k) if isinstance(node, Node) else None
        if isinstance(v, Seq):
            for i, ln in enumerate(v.lines):
                out[f"{k}[{i}]"] = ln
    return out


def _year(ctx, node, key, item=None, required=False):
    year = _get(ctx, node, key, (int, type(None)), required=required, item=item)
    if year is not None and not (YEAR_MIN <= year <= YEAR_MAX):
        ctx.fail(node, key, "E140", f"impossible year {year}", item, f"allowed: {YEAR_MIN}–{YEAR_MAX}")
    return year


def _number(ctx, node, key, item=None):
    value = _get(ctx, node, key, (int, float, type(None)), required=False, item=item)
    if value is not None and (value != value or value in (float("inf"), float("-inf"))):
        ctx.fail(node, key, "E111", f"field {key!r} must be a finite number", item)
    return float(value) if value is not None else None


def _lines(ctx, node, key, item=None) -> tuple[int, int]:
    spec = _get(ctx, node, key, (int, str), item=item)
    if isinstance(spec, int):
        return spec, spec
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", spec)
    if not match:
        ctx.fail(node, key, "E113", f"line range must be N or N-M, got {spec!r}", item)
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        ctx.fail(node, key, "E113", f"line range {spec!r} ends before it starts", item)
    return first, last


def _load(path: Path, label: str, sink: Sink, plan: str = ""):
    """A YAML file, or None when it cannot be read (the problem is in the sink)."""
    try:
        return load_yaml(path, label)
    except DataError as exc:
        sink.from_error(exc, plan)
        return None


# --------------------------------------------------------------------------- plans.yaml

PLAN_KEYS = {
    "id", "name", "short_name", "region", "level", "issuer", "doc_number", "issue_date",
    "period", "parent", "source", "seed", "script", "completeness", "name_as_written", "abridged",
    "title_lines", "skip", "repairs", "supplied", "review",
}


# entries parsed at a time: a catalogue of thousands of plans is read in
# batches, so the parser's node tree of the whole file (about 50 times the
# text) is never in memory at once
CATALOGUE_BATCH = 200
_ENTRY_LINE = re.compile(r"( *)- ")


def catalogue_chunks(text: str) -> tuple[list[str], int, list[tuple[int, int]]] | None:
    """plans.yaml split into its entries: (lines, index of the ``plans:``
    line, [(first, end) line indexes of each entry]); None when the file is
    not laid out as a plain ``plans:`` block list (then it is parsed whole)."""
    lines = text.split("\n")
    head = 0
    while head < len(lines) and (not lines[head].strip() or lines[head].lstrip().startswith("#")):
        head += 1
    if head == len(lines) or lines[head].rstrip() != "plans:":
        return None
    starts: list[int] = []
    indent = -1
    for j in range(head + 1, len(lines)):
        ln = lines[j]
        stripped = ln.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        got = _ENTRY_LINE.match(ln)
        if got and (indent < 0 or len(got.group(1)) == indent):
            indent = len(got.group(1))
            starts.append(j)
        elif indent < 0 or len(ln) - len(stripped) <= indent:
            return None  # something that is not inside an entry
    if not starts:
        return None
    return lines, head, list(zip(starts, starts[1:] + [len(lines)]))


def _catalogue_docs(path: Path, label: str, sink: Sink):
    """plans.yaml as one parsed document, or — when it holds more than
    CATALOGUE_BATCH entries laid out as a plain block list — as a series of
    documents of CATALOGUE_BATCH entries each, every entry on its own line
    numbers (the other lines blank).  Yields ("batch", doc) and, when a batch
    does not parse on its own (an alias to another batch's anchor …),
    ("whole", doc) for the whole file: its first error is the one reported."""
    try:
        text = read_text(path, label)
    except DataError as exc:
        sink.from_error(exc)
        return
    split = catalogue_chunks(text)
    if split is None or len(split[2]) <= CATALOGUE_BATCH:
        try:
            yield "whole", parse_yaml(text, label)
        except DataError as exc:
            sink.from_error(exc)
        return
    lines, head, spans = split
    for i in range(0, len(spans), CATALOGUE_BATCH):
        a, end = spans[i][0], spans[min(i + CATALOGUE_BATCH, len(spans)) - 1][1]
        part = "\n" * head + "plans:" + "\n" * (a - head) + "\n".join(lines[a:end])
        try:
            doc = parse_yaml(part, label)
        except DataError:
            try:
                yield "whole", parse_yaml(text, label)
            except DataError as exc:
                sink.from_error(exc)
            return
        yield "batch", doc


def load_catalogue(root: Path, sink: Sink | None = None) -> list[m.Plan]:
    """The catalogue.  Without a sink, any problem raises :class:`DataProblems`
    (all of them); with one, problems are collected and the plans that could
    be read are returned."""
    own = sink is None
    sink = sink if sink is not None else Sink()
    label = label_for(root, "plans.yaml")
    ctx = _Ctx(label, sink)
    plans: list[m.Plan] = []
    seen: dict[str, int] = {}
    before = len(sink.problems)
    try:
        n_entries = 0
        doc = None
        for how, doc in _catalogue_docs(root / "plans.yaml", label, sink):
            if how == "whole" and n_entries:
                # a batch did not parse alone: start again from the whole file
                plans.clear()
                seen.clear()
                n_entries = 0
                del sink.problems[before:]
            if not isinstance(doc, Node):
                ctx.fail(None, None, "E111", "expected a mapping with a 'plans' list", line=1)
            entries = _get(ctx, doc, "plans", list)
            n_entries += len(entries)
            for entry in entries:
                try:
                    plans.append(_catalogue_entry(ctx, doc, entry, seen))
                except _Abort:
                    continue
        if doc is not None and not n_entries:
            ctx.fail(doc, "plans", "E110", "the catalogue lists no plans")
    except _Abort:
        pass
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return plans


def _catalogue_entry(ctx: _Ctx, doc: Node, entry, seen: dict[str, int]) -> m.Plan:
    if not isinstance(entry, Node):
        ctx.fail(doc, "plans", "E111", "each plan must be a mapping")
    pid = _get(ctx, entry, "id", str)
    if not PLAN_ID.match(pid):
        ctx.fail(entry, "id", "E113", f"plan id {pid!r} must match [a-z][a-z0-9_]*", pid)
    if pid in seen:
        ctx.fail(entry, "id", "E120", f"duplicate plan id (first on line {seen[pid]})", pid)
    seen[pid] = entry.line_of("id")
    _known_keys(ctx, entry, PLAN_KEYS, pid)
    level = _choice(ctx, entry, "level", _get(ctx, entry, "level", str, item=pid), m.LEVELS, pid)
    script = _choice(ctx, entry, "script", _get(ctx, entry, "script", str, item=pid), m.SCRIPTS, pid)
    period = _get(ctx, entry, "period", Node, item=pid)
    _known_keys(ctx, period, {"start", "end"}, pid)
    start = _year(ctx, period, "start", pid, required=True)
    end = _year(ctx, period, "end", pid, required=True)
    if end < start:
        ctx.fail(period, "end", "E140", f"plan period ends ({end}) before it starts ({start})", pid)
    issue_date = entry.get("issue_date")
    if issue_date is not None:
        issue_date = str(issue_date)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", issue_date):
            ctx.fail(entry, "issue_date", "E113", "issue_date must be YYYY-MM-DD", pid)
        if not YEAR_MIN <= int(issue_date[:4]) <= YEAR_MAX:
            ctx.fail(entry, "issue_date", "E140", f"impossible issue date {issue_date}", pid)
        import datetime

        try:
            datetime.date.fromisoformat(issue_date)
        except ValueError:
            ctx.fail(entry, "issue_date", "E113", f"no such date {issue_date}", pid)
    skips = []
    for s in _get(ctx, entry, "skip", (list, type(None)), required=False, item=pid) or []:
        if not isinstance(s, Node):
            ctx.fail(entry, "skip", "E111", "each skip must be a mapping {lines, kind, reason}", pid)
        _known_keys(ctx, s, {"lines", "kind", "reason"}, pid)
        first, last = _lines(ctx, s, "lines", pid)
        kind = _choice(ctx, s, "kind", _get(ctx, s, "kind", str, item=pid), m.SKIP_KINDS, pid, "skip kind")
        skips.append(m.Skip(first, last, _get(ctx, s, "reason", str, item=pid), kind))
    repairs = []
    for r in _get(ctx, entry, "repairs", (list, type(None)), required=False, item=pid) or []:
        _known_keys(ctx, r, {"line", "source", "repaired", "reason"}, pid)
        repairs.append(m.Repair(
            _get(ctx, r, "line", int, item=pid), _get(ctx, r, "source", str, item=pid),
            _get(ctx, r, "repaired", str, item=pid), _get(ctx, r, "reason", str, item=pid),
        ))
    title_lines = _get(ctx, entry, "title_lines", (list, type(None)), required=False, item=pid) or []
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in title_lines):
        ctx.fail(entry, "title_lines", "E111", "title_lines must be a list of line numbers", pid)
    supplied_node = _get(ctx, entry, "supplied", (Node, type(None)), required=False, item=pid)
    if supplied_node is None:
        supplied_node = Node()
        supplied_node.key_lines = {}
    supplied = []
    for key, reason in supplied_node.items():
        if key not in m.SUPPLIABLE:
            near = did_you_mean(key, m.SUPPLIABLE, 1)
            ctx.fail(supplied_node, key, "E112", f"{key!r} is not a field the editors can supply", pid,
                     (f"did you mean {near[0]!r}? " if near else "") + _allowed(m.SUPPLIABLE))
        if not isinstance(reason, str) or not reason.strip():
            ctx.fail(supplied_node, key, "E111", f"supplied {key!r} needs the reason, as text", pid)
        supplied.append((key, reason))
    name_as_written = _get(ctx, entry, "name_as_written", bool, required=False, item=pid,
                           default=None)
    if name_as_written is None:
        name_as_written = "name" not in dict(supplied)
    elif name_as_written == ("name" in dict(supplied)):
        ctx.fail(entry, "name_as_written", "E113",
                 "name_as_written must be false exactly when the name is supplied by the editors", pid,
                 "give the reason as supplied: {name: …}, or remove name_as_written")
    return m.Plan(
        id=pid,
        name=_get(ctx, entry, "name", str, item=pid),
        short_name=_get(ctx, entry, "short_name", str, item=pid),
        region=_get(ctx, entry, "region", str, item=pid),
        level=level,
        issuer=_get(ctx, entry, "issuer", (str, type(None)), item=pid),
        doc_number=_get(ctx, entry, "doc_number", (str, type(None)), item=pid),
        issue_date=issue_date,
        period_start=start,
        period_end=end,
        parent=_get(ctx, entry, "parent", (str, type(None)), item=pid),
        source=_get(ctx, entry, "source", str, item=pid),
        seed=_get(ctx, entry, "seed", (str, type(None)), required=False, item=pid),
        script=script,
        completeness=_get(ctx, entry, "completeness", (str, type(None)), required=False, item=pid),
        name_as_written=name_as_written,
        abridged=_get(ctx, entry, "abridged", bool, required=False, item=pid, default=False),
        title_lines=tuple(title_lines),
        skip=tuple(skips),
        repairs=tuple(repairs),
        supplied=tuple(supplied),
        file=ctx.label,
        file_line=entry.line,
        field_lines={**_field_lines(entry, "title_lines", "skip"),
                     **{f"period.{k}": v for k, v in period.key_lines.items()},
                     **{f"supplied.{k}": v for k, v in supplied_node.key_lines.items()}},
    )


# --------------------------------------------------------------------------- vocabularies

def load_topics(root: Path, sink: Sink | None = None) -> list[m.Topic]:
    own = sink is None
    sink = sink if sink is not None else Sink()
    label = label_for(root, "topics.yaml")
    ctx = _Ctx(label, sink)
    topics: list[m.Topic] = []
    names: dict[str, int] = {}
    seen_syn: dict[str, str] = {}
    doc = _load(root / "topics.yaml", label, sink)

    def add(node, parent):
        if not isinstance(node, Node):
            ctx.fail(doc, "topics", "E111", "each topic must be a mapping")
        name = _get(ctx, node, "name", str)
        _known_keys(ctx, node, {"name", "synonyms", "children"}, name)
        if name in names:
            ctx.fail(node, "name", "E120", f"duplicate topic (first on line {names[name]})", name)
        names[name] = node.line_of("name")
        synonyms = _str_list(ctx, node, "synonyms", name)
        for syn in synonyms:
            if seen_syn.get(syn, name) != name:
                ctx.report(node, "synonyms", "E160", f"synonym {syn!r} already belongs to {seen_syn[syn]!r}", name)
            seen_syn.setdefault(syn, name)
        topics.append(m.Topic(name, parent, synonyms, len(topics)))
        children = _get(ctx, node, "children", (list, type(None)), required=False, item=name) or []
        if children and parent is not None:
            ctx.fail(node, "children", "E113", "topics have two levels only", name)
        for child in children:
            try:
                add(child, name)
            except _Abort:
                continue

    try:
        if doc is not None:
            if not isinstance(doc, Node):
                ctx.fail(None, None, "E111", "expected a mapping with a 'topics' list", line=1)
            for node in _get(ctx, doc, "topics", list):
                try:
                    add(node, None)
                except _Abort:
                    continue
    except _Abort:
        pass
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return topics


def _load_names(root: Path, filename: str, key: str, what: str, extra: tuple[str, ...], make,
                sink: Sink | None = None) -> list:
    """A vocabulary of canonical names with aliases (departments, indicators):
    no duplicate, and no alias that belongs to two names."""
    own = sink is None
    sink = sink if sink is not None else Sink()
    label = label_for(root, filename)
    ctx = _Ctx(label, sink)
    out = []
    names: set[str] = set()
    seen: dict[str, str] = {}
    doc = _load(root / filename, label, sink)
    try:
        if doc is not None:
            if not isinstance(doc, Node):
                ctx.fail(None, None, "E111", f"expected a mapping with a {key!r} list", line=1)
            for node in _get(ctx, doc, key, (list, type(None))) or []:
                try:
                    name = _get(ctx, node, "name", str)
                    _known_keys(ctx, node, {"name", "aliases", "note", *extra}, name)
                    if name in names:
                        ctx.fail(node, "name", "E120", f"duplicate {what}", name)
                    names.add(name)
                    aliases = _str_list(ctx, node, "aliases", name)
                    for n in (name, *aliases):
                        if n in seen and seen[n] != name:
                            ctx.fail(node, "name", "E160", f"name {n!r} already belongs to {seen[n]!r}", name)
                        seen[n] = name
                    fields = {k: _get(ctx, node, k, (str, type(None)), required=False, item=name) for k in extra}
                    out.append(make(name, aliases, **fields))
                except _Abort:
                    continue
    except _Abort:
        pass
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return out


def load_departments(root: Path, sink: Sink | None = None) -> list[m.Department]:
    return _load_names(root, "departments.yaml", "departments", "department", ("level",),
                       lambda name, aliases, level: m.Department(name, aliases, level), sink)


def load_indicators(root: Path, sink: Sink | None = None) -> list[m.Indicator]:
    return _load_names(root, "indicators.yaml", "indicators", "indicator", ("unit",),
                       lambda name, aliases, unit: m.Indicator(name, unit, aliases), sink)


# --------------------------------------------------------------------------- plan bodies

# ``review``: what `cz ingest` asks a curator to check (a draft's flags); not data
SECTION_KEYS = {"id", "number", "title", "line", "restored", "retrospective", "topics", "measures", "sections", "note",
                "review"}
MEASURE_KEYS = {
    "id", "kind", "number", "title", "text", "line", "line_end", "departments", "lead",
    "departments_quote", "topics", "tasks", "no_task", "targets", "note", "review",
}
TARGET_KEYS = {
    "indicator", "value", "value_max", "unit", "as_written", "qualifier", "comparator", "basis",
    "year", "year_implied", "baseline", "baseline_as_written", "baseline_year", "cumulative",
    "quote", "line", "note", "scope", "aspiration", "review",
}


def dept_entries(ctx: _Ctx, node: Node, key: str, item: str) -> tuple[m.DeptEntry, ...]:
    """A 责任单位 list: names as written, or joint entries
    ``{joint: 西宁市、海东市政府, names: [西宁市政府, 海东市政府]}``."""
    value = _get(ctx, node, key, (list, type(None)), required=False, item=item) or []
    out = []
    for i, v in enumerate(value):
        line = _item_line(node, key, i)
        if isinstance(v, str) and v.strip():
            out.append(m.DeptEntry(v, (v,)))
        elif isinstance(v, Node):
            _known_keys(ctx, v, {"joint", "names"}, item)
            joint = _get(ctx, v, "joint", str, item=item)
            names = _str_list(ctx, v, "names", item)
            if len(names) < 2:
                ctx.fail(v, "names", "E111", "a joint entry names two or more departments", item)
            out.append(m.DeptEntry(joint, names, True))
        else:
            ctx.fail(node, key, "E111", f"{key!r} must list names, or joint entries {{joint: …, names: […]}}",
                     item, line=line)
    return tuple(out)


class _BodyReader:
    def __init__(self, plan: m.Plan, label: str, n_lines: int, sink: Sink):
        self.plan = plan
        self.ctx = _Ctx(label, sink, plan.id)
        self.body = m.PlanBody(plan.id, label)
        self.n_lines = n_lines
        self.ids: dict[str, int] = {}

    def check_id(self, node: Node, item: str):
        if not ITEM_ID.match(item):
            self.ctx.fail(node, "id", "E113", "id must look like <plan>/<path> (lower case, digits, dots)", item)
        if item.split("/", 1)[0] != self.plan.id:
            self.ctx.fail(node, "id", "E121", f"id does not start with the plan id {self.plan.id!r}/", item)
        if item in self.ids:
            self.ctx.fail(node, "id", "E120", f"duplicate id (first on line {self.ids[item]})", item)
        self.ids[item] = node.line_of("id")

    def check_line(self, node: Node, key: str, line: int, item: str):
        if not 1 <= line <= self.n_lines:
            self.ctx.fail(node, key, "E151", f"line {line} is outside the source", item, f"allowed: 1–{self.n_lines}")

    def section(self, node, parent: str | None, depth: int):
        ctx = self.ctx
        if not isinstance(node, Node):
            ctx.fail(None, None, "E111", "each section must be a mapping")
        sid = _get(ctx, node, "id", str)
        _known_keys(ctx, node, SECTION_KEYS, sid)
        self.check_id(node, sid)
        line = _get(ctx, node, "line", int, item=sid)
        self.check_line(node, "line", line, sid)
        self.body.sections.append(m.Section(
            id=sid, plan=self.plan.id, parent=parent,
            number=_get(ctx, node, "number", (str, type(None)), item=sid),
            title=_get(ctx, node, "title", str, item=sid),
            line=line,
            restored=_get(ctx, node, "restored", bool, required=False, item=sid, default=False),
            topics=_str_list(ctx, node, "topics", sid),
            depth=depth, order=len(self.body.sections),
            retrospective=_get(ctx, node, "retrospective", bool, required=False, item=sid, default=False),
            file_line=node.line,
            field_lines=_field_lines(node, "topics"),
        ))
        for child in _get(ctx, node, "measures", (list, type(None)), required=False, item=sid) or []:
            try:
                self.measure(child, sid)
            except _Abort:
                continue
        for child in _get(ctx, node, "sections", (list, type(None)), required=False, item=sid) or []:
            try:
                self.section(child, sid, depth + 1)
            except _Abort:
                continue

    def measure(self, node, section: str | None):
        ctx = self.ctx
        if not isinstance(node, Node):
            ctx.fail(None, None, "E111", "each measure must be a mapping")
        mid = _get(ctx, node, "id", str)
        _known_keys(ctx, node, MEASURE_KEYS, mid)
        self.check_id(node, mid)
        kind = _choice(ctx, node, "kind", _get(ctx, node, "kind", str, item=mid), m.MEASURE_KINDS, mid)
        line = _get(ctx, node, "line", int, item=mid)
        self.check_line(node, "line", line, mid)
        line_end = _get(ctx, node, "line_end", (int, type(None)), required=False, item=mid) or line
        self.check_line(node, "line_end", line_end, mid)
        if line_end < line:
            ctx.fail(node, "line_end", "E113", "line_end is before line", mid)
        text = _get(ctx, node, "text", str, item=mid)
        if not text.strip():
            ctx.fail(node, "text", "E111", "text must not be empty", mid)
        targets = []
        for t in _get(ctx, node, "targets", (list, type(None)), required=False, item=mid) or []:
            try:
                targets.append(self.target(t, mid, line))
            except _Abort:
                continue
        if "topics" not in node:
            ctx.fail(node, None, "E110", "missing required field 'topics' (use [] for none)", mid)
        entries = dept_entries(ctx, node, "departments", mid)
        self.body.measures.append(m.Measure(
            id=mid, plan=self.plan.id, section=section, kind=kind,
            number=_get(ctx, node, "number", (str, type(None)), required=False, item=mid),
            title=_get(ctx, node, "title", (str, type(None)), required=False, item=mid),
            text=text, line=line, line_end=line_end,
            departments=tuple(n for e in entries for n in e.names),
            departments_quote=_get(ctx, node, "departments_quote", (str, type(None)), required=False, item=mid),
            topics=_str_list(ctx, node, "topics", mid),
            targets=tuple(targets),
            note=_get(ctx, node, "note", (str, type(None)), required=False, item=mid),
            order=len(self.body.measures),
            tasks=_str_list(ctx, node, "tasks", mid),
            file_line=node.line,
            dept_entries=entries,
            lead=_str_list(ctx, node, "lead", mid),
            no_task=_get(ctx, node, "no_task", (str, type(None)), required=False, item=mid),
            field_lines=_field_lines(node, "topics", "tasks", "departments", "lead"),
        ))

    def target(self, node, mid: str, default_line: int) -> m.Target:
        ctx = self.ctx
        if not isinstance(node, Node):
            ctx.fail(None, None, "E111", "each target must be a mapping", mid)
        _known_keys(ctx, node, TARGET_KEYS, mid)
        comparator = _choice(ctx, node, "comparator", _get(ctx, node, "comparator", str, item=mid), m.COMPARATORS, mid)
        basis = _get(ctx, node, "basis", (str, type(None)), required=False, item=mid) or "level"
        _choice(ctx, node, "basis", basis, m.BASES, mid)
        year = _year(ctx, node, "year", mid)
        baseline_year = _year(ctx, node, "baseline_year", mid)
        if year is not None and baseline_year is not None and baseline_year > year:
            ctx.fail(node, "baseline_year", "E141", f"baseline year {baseline_year} is after the target year {year}", mid)
        value = _number(ctx, node, "value", mid)
        value_max = _number(ctx, node, "value_max", mid)
        if value is not None and value_max is not None and value_max < value:
            ctx.fail(node, "value_max", "E113", "value_max is smaller than value", mid)
        line = _get(ctx, node, "line", (int, type(None)), required=False, item=mid) or default_line
        self.check_line(node, "line", line, mid)
        return m.Target(
            indicator=_get(ctx, node, "indicator", str, item=mid),
            value=value, value_max=value_max,
            unit=_get(ctx, node, "unit", (str, type(None)), required=False, item=mid),
            as_written=_get(ctx, node, "as_written", str, item=mid),
            qualifier=_get(ctx, node, "qualifier", (str, type(None)), required=False, item=mid),
            comparator=comparator, basis=basis, year=year,
            year_implied=_get(ctx, node, "year_implied", bool, required=False, item=mid, default=False),
            baseline=_number(ctx, node, "baseline", mid),
            baseline_as_written=_get(ctx, node, "baseline_as_written", (str, int, float, type(None)), required=False, item=mid),
            baseline_year=baseline_year,
            cumulative=_get(ctx, node, "cumulative", bool, required=False, item=mid, default=False),
            quote=_get(ctx, node, "quote", str, item=mid),
            line=line,
            note=_get(ctx, node, "note", (str, type(None)), required=False, item=mid),
            scope=_get(ctx, node, "scope", (str, type(None)), required=False, item=mid),
            aspiration=_get(ctx, node, "aspiration", (str, type(None)), required=False, item=mid),
            file_line=node.line,
            field_lines=_field_lines(node),
        )

    def annex(self, node):
        ctx = self.ctx
        if not isinstance(node, Node):
            ctx.fail(None, None, "E111", "each annex must be a mapping")
        aid = _get(ctx, node, "id", str)
        _known_keys(ctx, node, {"id", "title", "line", "line_end", "lines", "groups", "note"}, aid)
        self.check_id(node, aid)
        groups = []
        for g in _get(ctx, node, "groups", list, item=aid):
            _known_keys(ctx, g, {"name", "count_as_written", "line", "items", "note"}, aid)
            items = []
            for it in _get(ctx, g, "items", list, item=aid):
                _known_keys(ctx, it, {"number", "name", "line"}, aid)
                line = _get(ctx, it, "line", int, item=aid)
                self.check_line(it, "line", line, aid)
                items.append(m.AnnexItem(
                    _get(ctx, it, "number", (str, type(None)), required=False, item=aid),
                    _get(ctx, it, "name", str, item=aid), line,
                ))
            line = _get(ctx, g, "line", int, item=aid)
            self.check_line(g, "line", line, aid)
            groups.append(m.AnnexGroup(
                _get(ctx, g, "name", (str, type(None)), item=aid),
                _get(ctx, g, "count_as_written", (str, type(None)), required=False, item=aid),
                line, tuple(items),
            ))
        line = _get(ctx, node, "line", int, item=aid)
        line_end = _get(ctx, node, "line_end", (int, type(None)), required=False, item=aid) or line
        self.check_line(node, "line", line, aid)
        self.check_line(node, "line_end", line_end, aid)
        heading_lines = _get(ctx, node, "lines", (list, type(None)), required=False, item=aid) or []
        self.body.annexes.append(m.Annex(
            id=aid, plan=self.plan.id, title=_get(ctx, node, "title", str, item=aid),
            line=line, line_end=line_end, lines=tuple(heading_lines), groups=tuple(groups),
            note=_get(ctx, node, "note", (str, type(None)), required=False, item=aid),
            file_line=node.line,
            field_lines=_field_lines(node),
        ))


def load_body(root: Path, plan: m.Plan, n_lines: int, sink: Sink | None = None) -> m.PlanBody | None:
    own = sink is None
    sink = sink if sink is not None else Sink()
    label = label_for(root, f"plans/{plan.id}.yaml")
    doc = _load(root / "plans" / f"{plan.id}.yaml", label, sink, plan.id)
    reader = _BodyReader(plan, label, n_lines, sink)
    ctx = reader.ctx
    try:
        if doc is None:
            raise _Abort()
        if not isinstance(doc, Node):
            ctx.fail(None, None, "E111", "expected a mapping with 'plan' and 'sections'", line=1)
        _known_keys(ctx, doc, {"plan", "measures", "sections", "annexes", "applies_to_all_tasks"})
        pid = _get(ctx, doc, "plan", str)
        if pid != plan.id:
            ctx.fail(doc, "plan", "E133", f"file is for plan {pid!r}, expected {plan.id!r}", pid)
        for key, read in (("measures", lambda n: reader.measure(n, None)),
                          ("sections", lambda n: reader.section(n, None, 0)),
                          ("annexes", reader.annex)):
            try:
                nodes = _get(ctx, doc, key, (list, type(None)), required=False) or []
            except _Abort:
                continue
            for node in nodes:
                try:
                    read(node)
                except _Abort:
                    continue
        try:
            alltasks = _get(ctx, doc, "applies_to_all_tasks", (Node, type(None)), required=False)
            if alltasks is not None:
                _known_keys(ctx, alltasks, {"departments", "quote", "line", "scope"})
                entries = dept_entries(ctx, alltasks, "departments", plan.id)
                reader.body.all_tasks = m.AllTasksDepartments(
                    tuple(n for e in entries for n in e.names), _get(ctx, alltasks, "quote", str),
                    _get(ctx, alltasks, "line", int), _get(ctx, alltasks, "scope", (str, type(None)), required=False),
                    entries, alltasks.line,
                )
        except _Abort:
            pass
        if not reader.body.measures and not reader.body.sections and not any(
                p.file == label for p in sink.problems):
            ctx.fail(doc, None, "E110", "plan has no sections or measures", plan.id)
    except _Abort:
        if own:
            raise DataProblems(sink.problems) from None
        return None
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return reader.body


def normalized_source(root: Path, plan: m.Plan) -> list[str]:
    label = label_for(root, plan.source)
    raw = read_text(root / plan.source, label)
    lines = raw.split("\n")
    for rep in plan.repairs:
        if not 1 <= rep.line <= len(lines) or rep.source not in lines[rep.line - 1]:
            raise DataError(plan.file, plan.field_lines.get("repairs", plan.file_line), "E207",
                            f"repair text not found on source line {rep.line}", plan.id)
    return source_lines(raw, plan.script, plan.repairs)


# --------------------------------------------------------------------------- the national plan

def load_national(root: Path, sink: Sink | None = None) -> m.National | None:
    """data/national.yaml: the national plan's groups and tasks (optional)."""
    path = root / "national.yaml"
    if not path.is_file():
        return None
    own = sink is None
    sink = sink if sink is not None else Sink()
    label = label_for(root, "national.yaml")
    ctx = _Ctx(label, sink)
    doc = _load(path, label, sink)
    groups: list[m.NationalGroup] = []
    tasks: list[m.NationalTask] = []
    seen: dict[str, int] = {}
    result = None

    def check_id(node, nid, prefix):
        if not re.fullmatch(prefix, nid):
            ctx.fail(node, "id", "E113", f"national id {nid!r} must look like {prefix}", nid)
        if nid in seen:
            ctx.fail(node, "id", "E120", f"duplicate id (first on line {seen[nid]})", nid)
        seen[nid] = node.line_of("id")

    try:
        if doc is None:
            raise _Abort()
        if not isinstance(doc, Node):
            ctx.fail(None, None, "E111", "expected a mapping with 'plan' and 'actions'", line=1)
        _known_keys(ctx, doc, {"plan", "actions"})
        head = _get(ctx, doc, "plan", Node)
        _known_keys(ctx, head, {"id", "name", "doc_number", "issuer"})
        for g in _get(ctx, doc, "actions", list):
            try:
                if not isinstance(g, Node):
                    ctx.fail(doc, "actions", "E111", "each action must be a mapping")
                gid = _get(ctx, g, "id", str)
                _known_keys(ctx, g, {"id", "kind", "number", "title", "evidence", "note", "tasks"}, gid)
                check_id(g, gid, r"national/\d+")
                kind = _choice(ctx, g, "kind", _get(ctx, g, "kind", str, item=gid), m.NATIONAL_GROUP_KINDS, gid)
                groups.append(m.NationalGroup(
                    gid, kind, _get(ctx, g, "number", (str, type(None)), required=False, item=gid),
                    _get(ctx, g, "title", str, item=gid), _get(ctx, g, "evidence", (str, type(None)), required=False, item=gid),
                    _get(ctx, g, "note", (str, type(None)), required=False, item=gid), len(groups),
                    g.line, _field_lines(g)))
                for t in _get(ctx, g, "tasks", (list, type(None)), required=False, item=gid) or []:
                    try:
                        if not isinstance(t, Node):
                            ctx.fail(g, "tasks", "E111", "each task must be a mapping", gid)
                        tid = _get(ctx, t, "id", str)
                        _known_keys(ctx, t, {"id", "number", "title", "evidence", "keywords", "note"}, tid)
                        check_id(t, tid, re.escape(gid) + r"\.\d+")
                        tasks.append(m.NationalTask(
                            tid, gid, _get(ctx, t, "number", (str, type(None)), required=False, item=tid),
                            _get(ctx, t, "title", str, item=tid),
                            _get(ctx, t, "evidence", (str, type(None)), required=False, item=tid),
                            _str_list(ctx, t, "keywords", tid),
                            _get(ctx, t, "note", (str, type(None)), required=False, item=tid),
                            len(tasks), t.line, _field_lines(t)))
                    except _Abort:
                        continue
            except _Abort:
                continue
        result = m.National(_get(ctx, head, "id", str), _get(ctx, head, "name", str),
                            _get(ctx, head, "doc_number", (str, type(None)), required=False),
                            _get(ctx, head, "issuer", (str, type(None)), required=False),
                            tuple(groups), tuple(tasks), label)
    except _Abort:
        result = None
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return result


# --------------------------------------------------------------------------- everything



def load_vocabularies(root: Path, sink: Sink | None = None) -> m.Vocabularies:
    own = sink is None
    sink = sink if sink is not None else Sink()
    vocab = m.Vocabularies(tuple(load_topics(root, sink)), tuple(load_departments(root, sink)),
                           tuple(load_indicators(root, sink)), load_national(root, sink))
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return vocab


def load_kb(root: Path, sink: Sink | None = None) -> m.KnowledgeBase:
    """The catalogue and the vocabularies; plan bodies are loaded one by one
    with :func:`load_plan` (the build streams them).  Without a sink every
    problem raises :class:`DataProblems` (all of them at once)."""
    if not (root / "plans.yaml").is_file():
        raise DataError(label_for(root, "plans.yaml"), None, "E150",
                        "data catalogue not found; set CZ_DATA to the data directory or reinstall cz")
    own = sink is None
    sink = sink if sink is not None else Sink()
    plans = load_catalogue(root, sink)
    vocab = load_vocabularies(root, sink)
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return m.KnowledgeBase(str(root), tuple(plans), vocab)


def vocabulary_label(root: Path, kind: str) -> str:
    return label_for(root, {"topic": "topics.yaml", "department": "departments.yaml",
                            "indicator": "indicators.yaml", "national task": "national.yaml"}[kind])


def _unknown(ctx: _Ctx, root: Path, kind: str, word: str, known, item: str, line: int) -> None:
    near = did_you_mean(word, known)
    hint = (f"did you mean {' or '.join(repr(x) for x in near)}? " if near else "")
    hint += f"a new {kind} goes in {vocabulary_label(root, kind)}"
    code = {"topic": "E130", "department": "E131", "indicator": "E132", "national task": "E134"}[kind]
    ctx.report(None, None, code, f"unknown {kind} {word!r}", item, hint, line=line)


def _resolve(body: m.PlanBody, vocab: m.Vocabularies, root: Path, ctx: _Ctx) -> None:
    """Check every name against the vocabularies.  Synonyms and aliases are
    accepted as what they are: the model holds the canonical name."""
    topics = vocab.topic_by_name
    indicators = vocab.indicator_by_name
    depts = vocab.dept_by_name
    tasks = vocab.national.task_ids if vocab.national else set()
    for i, s in enumerate(body.sections):
        for k, t in enumerate(s.topics):
            if t not in topics:
                _unknown(ctx, root, "topic", t, list(topics), s.id, s.field_lines.get(f"topics[{k}]", s.field_lines.get("topics", s.file_line)))
        canon = tuple(dict.fromkeys(topics.get(t, t) for t in s.topics if t in topics))
        if canon != s.topics:
            body.sections[i] = _replace(s, topics=canon)
    for i, meas in enumerate(body.measures):
        fl = meas.field_lines
        for k, t in enumerate(meas.topics):
            if t not in topics:
                _unknown(ctx, root, "topic", t, list(topics), meas.id, fl.get(f"topics[{k}]", fl.get("topics", meas.file_line)))
        for k, e in enumerate(meas.dept_entries):
            for d in e.names:
                if d not in depts:
                    _unknown(ctx, root, "department", d, list(depts), meas.id,
                             fl.get(f"departments[{k}]", fl.get("departments", meas.file_line)))
        for k, task in enumerate(meas.tasks):
            if task not in tasks:
                _unknown(ctx, root, "national task", task, sorted(tasks), meas.id,
                         fl.get(f"tasks[{k}]", fl.get("tasks", meas.file_line)))
        new_targets = []
        for t in meas.targets:
            if t.indicator not in indicators:
                _unknown(ctx, root, "indicator", t.indicator, list(indicators), meas.id,
                         t.field_lines.get("indicator", t.file_line))
                new_targets.append(t)
            else:
                canon_i = indicators[t.indicator]
                new_targets.append(t if canon_i == t.indicator else _replace(t, indicator=canon_i))
        canon = tuple(dict.fromkeys(topics[t] for t in meas.topics if t in topics))
        if canon != meas.topics or tuple(new_targets) != meas.targets:
            body.measures[i] = _replace(meas, topics=canon, targets=tuple(new_targets))
    if body.all_tasks:
        for d in body.all_tasks.departments:
            if d not in depts:
                _unknown(ctx, root, "department", d, list(depts), body.plan, body.all_tasks.file_line)


def _replace(obj, **changes):
    import dataclasses

    new = dataclasses.replace(obj, **changes)
    # field_lines are not compared, and dataclasses.replace keeps them
    return new


def load_plan(root: Path, plan: m.Plan, vocab: m.Vocabularies, sink: Sink | None = None) -> m.PlanBundle | None:
    """One plan's source and body, cross-checked against the vocabularies.
    Without a sink any problem raises :class:`DataProblems`; with one, the
    problems are collected and None is returned when the plan is unusable."""
    own = sink is None
    sink = sink if sink is not None else Sink()
    before = len(sink.problems)
    try:
        lines = normalized_source(root, plan)
    except DataError as exc:
        sink.from_error(exc, plan.id)
        if own:
            raise DataProblems(sink.problems) from None
        return None
    body = load_body(root, plan, len(lines), sink)
    if body is not None:
        _resolve(body, vocab, root, _Ctx(body.file, sink, plan.id))
    if own and len(sink.problems) > before:
        raise DataProblems(sink.problems)
    if body is None:
        return None
    return m.PlanBundle(plan, body, lines, label_for(root, plan.source))


def iter_bundles(kb: m.KnowledgeBase, only: set[str] | None = None, sink: Sink | None = None):
    """Each plan of the catalogue (or of ``only``), loaded, in catalogue order
    (with a sink: the plans that could be loaded)."""
    root = Path(kb.root)
    for plan in kb.plans:
        if only and plan.id not in only:
            continue
        bundle = load_plan(root, plan, kb.vocab, sink)
        if bundle is not None:
            yield bundle
