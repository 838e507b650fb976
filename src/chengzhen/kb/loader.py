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
from chengzhen.kb.yamlio import Node, load_yaml, read_text
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


class _Ctx:
    """Where we are, for error messages."""

    def __init__(self, label: str):
        self.label = label

    def fail(self, node, key, code, message, item=None):
        line = None
        if isinstance(node, Node):
            line = node.line_of(key) if key else node.line
        raise DataError(self.label, line, code, message, item)


def _get(ctx: _Ctx, node: Node, key: str, types, *, required=True, item=None, default=None):
    if not isinstance(node, Node):
        ctx.fail(None, None, "E111", f"expected a mapping, got {type(node).__name__}", item)
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
        want = "/".join(t.__name__ for t in _astuple(types) if t is not type(None))
        ctx.fail(node, key, "E111", f"field {key!r} must be {want}, got {type(value).__name__}", item)
    return value


def _astuple(types):
    return types if isinstance(types, tuple) else (types,)


def _known_keys(ctx: _Ctx, node: Node, allowed: set[str], item=None):
    for key in node:
        if key not in allowed:
            ctx.fail(node, key, "E112", f"unknown field {key!r}", item)


def _str_list(ctx, node, key, item=None) -> tuple[str, ...]:
    value = _get(ctx, node, key, (list, type(None)), required=False, item=item) or []
    out = []
    for v in value:
        if not isinstance(v, str) or not v.strip():
            ctx.fail(node, key, "E111", f"{key!r} must be a list of non-empty strings", item)
        out.append(v)
    return tuple(out)


def _year(ctx, node, key, item=None, required=False):
    year = _get(ctx, node, key, (int, type(None)), required=required, item=item)
    if year is not None and not (YEAR_MIN <= year <= YEAR_MAX):
        ctx.fail(node, key, "E140", f"impossible year {year} (expected {YEAR_MIN}–{YEAR_MAX})", item)
    return year


def _number(ctx, node, key, item=None):
    value = _get(ctx, node, key, (int, float, type(None)), required=False, item=item)
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


# --------------------------------------------------------------------------- plans.yaml

PLAN_KEYS = {
    "id", "name", "short_name", "region", "level", "issuer", "doc_number", "issue_date",
    "period", "parent", "source", "seed", "script", "completeness", "name_as_written", "abridged",
    "title_lines", "skip", "repairs",
}


def load_catalogue(root: Path) -> list[m.Plan]:
    label = label_for(root, "plans.yaml")
    ctx = _Ctx(label)
    doc = load_yaml(root / "plans.yaml", label)
    if not isinstance(doc, Node):
        raise DataError(label, 1, "E111", "expected a mapping with a 'plans' list")
    entries = _get(ctx, doc, "plans", list)
    plans: list[m.Plan] = []
    seen: dict[str, int] = {}
    for entry in entries:
        if not isinstance(entry, Node):
            ctx.fail(doc, "plans", "E111", "each plan must be a mapping")
        pid = _get(ctx, entry, "id", str)
        if not PLAN_ID.match(pid):
            ctx.fail(entry, "id", "E113", f"plan id {pid!r} must match [a-z][a-z0-9_]*", pid)
        if pid in seen:
            ctx.fail(entry, "id", "E120", f"duplicate plan id (first on line {seen[pid]})", pid)
        seen[pid] = entry.line_of("id")
        _known_keys(ctx, entry, PLAN_KEYS, pid)
        level = _get(ctx, entry, "level", str, item=pid)
        if level not in m.LEVELS:
            ctx.fail(entry, "level", "E113", f"level must be one of {', '.join(m.LEVELS)}", pid)
        script = _get(ctx, entry, "script", str, item=pid)
        if script not in m.SCRIPTS:
            ctx.fail(entry, "script", "E113", f"script must be one of {', '.join(m.SCRIPTS)}", pid)
        period = _get(ctx, entry, "period", Node, item=pid)
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
        skips = []
        for s in _get(ctx, entry, "skip", (list, type(None)), required=False, item=pid) or []:
            first, last = _lines(ctx, s, "lines", pid)
            skips.append(m.Skip(first, last, _get(ctx, s, "reason", str, item=pid)))
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
        plans.append(m.Plan(
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
            name_as_written=_get(ctx, entry, "name_as_written", bool, required=False, item=pid, default=True),
            abridged=_get(ctx, entry, "abridged", bool, required=False, item=pid, default=False),
            title_lines=tuple(title_lines),
            skip=tuple(skips),
            repairs=tuple(repairs),
            file=label,
            file_line=entry.line,
        ))
    if not plans:
        ctx.fail(doc, "plans", "E110", "the catalogue lists no plans")
    return plans


# --------------------------------------------------------------------------- vocabularies

def load_topics(root: Path) -> list[m.Topic]:
    label = label_for(root, "topics.yaml")
    ctx = _Ctx(label)
    doc = load_yaml(root / "topics.yaml", label)
    if not isinstance(doc, Node):
        raise DataError(label, 1, "E111", "expected a mapping with a 'topics' list")
    topics: list[m.Topic] = []
    names: dict[str, int] = {}

    def add(node, parent):
        if not isinstance(node, Node):
            ctx.fail(doc, "topics", "E111", "each topic must be a mapping")
        name = _get(ctx, node, "name", str)
        _known_keys(ctx, node, {"name", "synonyms", "children"}, name)
        if name in names:
            ctx.fail(node, "name", "E120", f"duplicate topic (first on line {names[name]})", name)
        names[name] = node.line_of("name")
        topics.append(m.Topic(name, parent, _str_list(ctx, node, "synonyms", name), len(topics)))
        children = _get(ctx, node, "children", (list, type(None)), required=False, item=name) or []
        if children and parent is not None:
            ctx.fail(node, "children", "E113", "topics have two levels only", name)
        for child in children:
            add(child, name)

    for node in _get(ctx, doc, "topics", list):
        add(node, None)
    return topics


def _load_names(root: Path, filename: str, key: str, what: str, extra: tuple[str, ...], make) -> list:
    """A vocabulary of canonical names with aliases (departments, indicators):
    no duplicate, and no alias that belongs to two names."""
    label = label_for(root, filename)
    ctx = _Ctx(label)
    doc = load_yaml(root / filename, label)
    if not isinstance(doc, Node):
        raise DataError(label, 1, "E111", f"expected a mapping with a {key!r} list")
    out = []
    names: set[str] = set()
    seen: dict[str, str] = {}
    for node in _get(ctx, doc, key, (list, type(None))) or []:
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
    return out


def load_departments(root: Path) -> list[m.Department]:
    return _load_names(root, "departments.yaml", "departments", "department", ("level",),
                       lambda name, aliases, level: m.Department(name, aliases, level))


def load_indicators(root: Path) -> list[m.Indicator]:
    return _load_names(root, "indicators.yaml", "indicators", "indicator", ("unit",),
                       lambda name, aliases, unit: m.Indicator(name, unit, aliases))


# --------------------------------------------------------------------------- plan bodies

SECTION_KEYS = {"id", "number", "title", "line", "restored", "retrospective", "topics", "measures", "sections", "note"}
MEASURE_KEYS = {
    "id", "kind", "number", "title", "text", "line", "line_end", "departments",
    "departments_quote", "topics", "tasks", "targets", "note",
}
TARGET_KEYS = {
    "indicator", "value", "value_max", "unit", "as_written", "qualifier", "comparator", "basis",
    "year", "year_implied", "baseline", "baseline_as_written", "baseline_year", "cumulative",
    "quote", "line", "note", "scope", "aspiration",
}


class _BodyReader:
    def __init__(self, plan: m.Plan, label: str, n_lines: int):
        self.plan = plan
        self.ctx = _Ctx(label)
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
            self.ctx.fail(node, key, "E151", f"line {line} is outside the source (1–{self.n_lines})", item)

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
        ))
        for child in _get(ctx, node, "measures", (list, type(None)), required=False, item=sid) or []:
            self.measure(child, sid)
        for child in _get(ctx, node, "sections", (list, type(None)), required=False, item=sid) or []:
            self.section(child, sid, depth + 1)

    def measure(self, node, section: str | None):
        ctx = self.ctx
        if not isinstance(node, Node):
            ctx.fail(None, None, "E111", "each measure must be a mapping")
        mid = _get(ctx, node, "id", str)
        _known_keys(ctx, node, MEASURE_KEYS, mid)
        self.check_id(node, mid)
        kind = _get(ctx, node, "kind", str, item=mid)
        if kind not in m.MEASURE_KINDS:
            ctx.fail(node, "kind", "E113", f"kind must be one of {', '.join(m.MEASURE_KINDS)}", mid)
        line = _get(ctx, node, "line", int, item=mid)
        self.check_line(node, "line", line, mid)
        line_end = _get(ctx, node, "line_end", (int, type(None)), required=False, item=mid) or line
        self.check_line(node, "line_end", line_end, mid)
        if line_end < line:
            ctx.fail(node, "line_end", "E113", "line_end is before line", mid)
        text = _get(ctx, node, "text", str, item=mid)
        if not text.strip():
            ctx.fail(node, "text", "E111", "text must not be empty", mid)
        targets = tuple(
            self.target(t, mid, line)
            for t in _get(ctx, node, "targets", (list, type(None)), required=False, item=mid) or []
        )
        if "topics" not in node:
            ctx.fail(node, None, "E110", "missing required field 'topics' (use [] for none)", mid)
        self.body.measures.append(m.Measure(
            id=mid, plan=self.plan.id, section=section, kind=kind,
            number=_get(ctx, node, "number", (str, type(None)), required=False, item=mid),
            title=_get(ctx, node, "title", (str, type(None)), required=False, item=mid),
            text=text, line=line, line_end=line_end,
            departments=_str_list(ctx, node, "departments", mid),
            departments_quote=_get(ctx, node, "departments_quote", (str, type(None)), required=False, item=mid),
            topics=_str_list(ctx, node, "topics", mid),
            targets=targets,
            note=_get(ctx, node, "note", (str, type(None)), required=False, item=mid),
            order=len(self.body.measures),
            tasks=_str_list(ctx, node, "tasks", mid),
            file_line=node.line,
        ))

    def target(self, node, mid: str, default_line: int) -> m.Target:
        ctx = self.ctx
        if not isinstance(node, Node):
            ctx.fail(None, None, "E111", "each target must be a mapping", mid)
        _known_keys(ctx, node, TARGET_KEYS, mid)
        comparator = _get(ctx, node, "comparator", str, item=mid)
        if comparator not in m.COMPARATORS:
            ctx.fail(node, "comparator", "E113", f"comparator must be one of {', '.join(m.COMPARATORS)}", mid)
        basis = _get(ctx, node, "basis", (str, type(None)), required=False, item=mid) or "level"
        if basis not in m.BASES:
            ctx.fail(node, "basis", "E113", f"basis must be one of {', '.join(m.BASES)}", mid)
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
        )

    def annex(self, node):
        ctx = self.ctx
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
        ))


def load_body(root: Path, plan: m.Plan, n_lines: int) -> m.PlanBody:
    label = label_for(root, f"plans/{plan.id}.yaml")
    doc = load_yaml(root / "plans" / f"{plan.id}.yaml", label)
    reader = _BodyReader(plan, label, n_lines)
    ctx = reader.ctx
    if not isinstance(doc, Node):
        raise DataError(label, 1, "E111", "expected a mapping with 'plan' and 'sections'")
    _known_keys(ctx, doc, {"plan", "measures", "sections", "annexes", "applies_to_all_tasks"})
    pid = _get(ctx, doc, "plan", str)
    if pid != plan.id:
        ctx.fail(doc, "plan", "E133", f"file is for plan {pid!r}, expected {plan.id!r}", pid)
    for node in _get(ctx, doc, "measures", (list, type(None)), required=False) or []:
        reader.measure(node, None)
    for node in _get(ctx, doc, "sections", (list, type(None)), required=False) or []:
        reader.section(node, None, 0)
    for node in _get(ctx, doc, "annexes", (list, type(None)), required=False) or []:
        reader.annex(node)
    alltasks = _get(ctx, doc, "applies_to_all_tasks", (Node, type(None)), required=False)
    if alltasks is not None:
        _known_keys(ctx, alltasks, {"departments", "quote", "line", "scope"})
        reader.body.all_tasks = m.AllTasksDepartments(
            _str_list(ctx, alltasks, "departments"), _get(ctx, alltasks, "quote", str),
            _get(ctx, alltasks, "line", int), _get(ctx, alltasks, "scope", (str, type(None)), required=False),
        )
    if not reader.body.measures and not reader.body.sections:
        ctx.fail(doc, None, "E110", "plan has no sections or measures", plan.id)
    return reader.body


def normalized_source(root: Path, plan: m.Plan) -> list[str]:
    label = label_for(root, plan.source)
    raw = read_text(root / plan.source, label)
    lines = raw.split("\n")
    for rep in plan.repairs:
        if not 1 <= rep.line <= len(lines) or rep.source not in lines[rep.line - 1]:
            raise DataError(plan.file, plan.file_line, "E207",
                            f"repair text not found on source line {rep.line}", plan.id)
    return source_lines(raw, plan.script, plan.repairs)


# --------------------------------------------------------------------------- everything

def load_national(root: Path) -> m.National | None:
    """data/national.yaml: the national plan's groups and tasks (optional)."""
    path = root / "national.yaml"
    if not path.is_file():
        return None
    label = label_for(root, "national.yaml")
    ctx = _Ctx(label)
    doc = load_yaml(path, label)
    if not isinstance(doc, Node):
        raise DataError(label, 1, "E111", "expected a mapping with 'plan' and 'actions'")
    _known_keys(ctx, doc, {"plan", "actions"})
    head = _get(ctx, doc, "plan", Node)
    _known_keys(ctx, head, {"id", "name", "doc_number", "issuer"})
    groups: list[m.NationalGroup] = []
    tasks: list[m.NationalTask] = []
    seen: dict[str, int] = {}

    def check_id(node, nid, prefix):
        if not re.fullmatch(prefix, nid):
            ctx.fail(node, "id", "E113", f"national id {nid!r} must look like {prefix}", nid)
        if nid in seen:
            ctx.fail(node, "id", "E120", f"duplicate id (first on line {seen[nid]})", nid)
        seen[nid] = node.line_of("id")

    for g in _get(ctx, doc, "actions", list):
        if not isinstance(g, Node):
            ctx.fail(doc, "actions", "E111", "each action must be a mapping")
        gid = _get(ctx, g, "id", str)
        _known_keys(ctx, g, {"id", "kind", "number", "title", "evidence", "note", "tasks"}, gid)
        check_id(g, gid, r"national/\d+")
        kind = _get(ctx, g, "kind", str, item=gid)
        if kind not in m.NATIONAL_GROUP_KINDS:
            ctx.fail(g, "kind", "E113", f"kind must be one of {', '.join(m.NATIONAL_GROUP_KINDS)}", gid)
        groups.append(m.NationalGroup(
            gid, kind, _get(ctx, g, "number", (str, type(None)), required=False, item=gid),
            _get(ctx, g, "title", str, item=gid), _get(ctx, g, "evidence", (str, type(None)), required=False, item=gid),
            _get(ctx, g, "note", (str, type(None)), required=False, item=gid), len(groups)))
        for t in _get(ctx, g, "tasks", (list, type(None)), required=False, item=gid) or []:
            if not isinstance(t, Node):
                ctx.fail(g, "tasks", "E111", "each task must be a mapping", gid)
            tid = _get(ctx, t, "id", str)
            _known_keys(ctx, t, {"id", "number", "title", "evidence", "keywords", "note"}, tid)
            check_id(t, tid, re.escape(gid) + r"\.\d+")
            tasks.append(m.NationalTask(
                tid, gid, _get(ctx, t, "number", (str, type(None)), required=False, item=tid),
                _get(ctx, t, "title", str, item=tid), _get(ctx, t, "evidence", (str, type(None)), required=False, item=tid),
                _str_list(ctx, t, "keywords", tid), _get(ctx, t, "note", (str, type(None)), required=False, item=tid),
                len(tasks)))
    return m.National(_get(ctx, head, "id", str), _get(ctx, head, "name", str),
                      _get(ctx, head, "doc_number", (str, type(None)), required=False),
                      _get(ctx, head, "issuer", (str, type(None)), required=False),
                      tuple(groups), tuple(tasks), label)


# the global inputs: a change to any of them rebuilds every plan
from chengzhen.kb.files import VOCABULARY_FILES  # noqa: E402,F401  (named here too)


def load_vocabularies(root: Path) -> m.Vocabularies:
    return m.Vocabularies(tuple(load_topics(root)), tuple(load_departments(root)), tuple(load_indicators(root)),
                          load_national(root))


def load_kb(root: Path) -> m.KnowledgeBase:
    """The catalogue and the vocabularies; plan bodies are loaded one by one
    with :func:`load_plan` (the build streams them)."""
    if not (root / "plans.yaml").is_file():
        raise DataError(label_for(root, "plans.yaml"), None, "E150",
                        "data catalogue not found; set CZ_DATA to the data directory or reinstall cz")
    plans = load_catalogue(root)
    return m.KnowledgeBase(str(root), tuple(plans), load_vocabularies(root))


def load_plan(root: Path, plan: m.Plan, vocab: m.Vocabularies) -> m.PlanBundle:
    """One plan's source and body, cross-checked against the vocabularies."""
    lines = normalized_source(root, plan)
    body = load_body(root, plan, len(lines))
    topic_names = {t.name for t in vocab.topics}  # canonical names only: rows store them
    indicator_names = {i.name for i in vocab.indicators}
    dept_names = vocab.dept_by_name
    label = body.file
    for s in body.sections:
        for t in s.topics:
            if t not in topic_names:
                raise DataError(label, s.file_line, "E130", f"unknown topic {t!r}", s.id)
    for meas in body.measures:
        for t in meas.topics:
            if t not in topic_names:
                raise DataError(label, meas.file_line, "E130", f"unknown topic {t!r}", meas.id)
        for d in meas.departments:
            if d not in dept_names:
                raise DataError(label, meas.file_line, "E131", f"unknown department {d!r}", meas.id)
        for t in meas.targets:
            if t.indicator not in indicator_names:
                raise DataError(label, t.file_line, "E132", f"unknown indicator {t.indicator!r}", meas.id)
        for task in meas.tasks:
            if vocab.national is None or task not in vocab.national.task_ids:
                raise DataError(label, meas.file_line, "E134", f"unknown national task {task!r} "
                                "(data/national.yaml lists them)", meas.id)
    if body.all_tasks:
        for d in body.all_tasks.departments:
            if d not in dept_names:
                raise DataError(label, None, "E131", f"unknown department {d!r}", plan.id)
    return m.PlanBundle(plan, body, lines, label_for(root, plan.source))


def iter_bundles(kb: m.KnowledgeBase, only: set[str] | None = None):
    """Each plan of the catalogue (or of ``only``), loaded, in catalogue order."""
    root = Path(kb.root)
    for plan in kb.plans:
        if only and plan.id not in only:
            continue
        yield load_plan(root, plan, kb.vocab)
