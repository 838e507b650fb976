"""The typed model of the knowledge base: what the YAML means.

Plain dataclasses; the loader (``kb/loader.py``) builds them from YAML and
checks them, the store (``store/rows.py``) turns them into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from chengzhen.text.targets import ASPIRATIONS, QUALIFIERS, comparator_without_qualifier  # noqa: F401 (m.QUALIFIERS …)

LEVELS = ("province", "city", "county")
SCRIPTS = ("simplified", "traditional")
MEASURE_KINDS = ("measure", "paragraph", "box", "table")
COMPARATORS = ("eq", "approx", "ge", "gt", "le", "lt", "approach", "range", "complete")
BASES = ("level", "annual_growth", "increase", "decrease")

# THE qualifier table (a target's qualifier as written -> the comparator it
# means; "…" stands for the figure), the aim words (``aspiration``, never a
# qualifier) and the comparator of a target without a qualifier live with the
# rest of the reading of a target sentence, in text/targets.py; kb/audit.py
# checks every target against them and docs/data-format.md prints the table.

# what a skipped source line is (a plan's ``skip: kind``); kb/audit.py checks each line against its kind
SKIP_KINDS = ("header", "signature", "contents", "web", "summary")
# catalogue fields the editors may supply when the source does not state them (a plan's ``supplied``)
SUPPLIABLE = ("name", "issuer", "doc_number", "issue_date", "period", "parent")


def _lines() -> dict:
    """Where each field of a record is written in its YAML file (key -> line;
    ``key[i]`` -> the line of a list's i-th item).  Not part of equality."""
    return field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Skip:
    first: int
    last: int
    reason: str
    kind: str | None = None


@dataclass(frozen=True)
class Repair:
    """A recorded correction of damaged source text (see docs/data-format.md)."""

    line: int
    source: str
    repaired: str
    reason: str


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    short_name: str
    region: str
    level: str
    issuer: str | None
    doc_number: str | None
    issue_date: str | None
    period_start: int
    period_end: int
    parent: str | None
    source: str
    seed: str | None
    script: str
    completeness: str | None
    name_as_written: bool = True
    abridged: bool = False  # the source says it is abridged (本文有删减)
    url: str | None = None  # the official text's address
    accessed: str | None = None  # the day someone read the page at url
    review: str | None = None  # a flag `cz ingest` left for a curator
    title_lines: tuple[int, ...] = ()
    skip: tuple[Skip, ...] = ()
    repairs: tuple[Repair, ...] = ()
    # catalogue fields the source does not state, each with the editors' reason
    supplied: tuple[tuple[str, str], ...] = ()
    file: str = ""
    file_line: int = 0
    field_lines: dict = _lines()

    def supplied_reason(self, name: str) -> str | None:
        return dict(self.supplied).get(name)


@dataclass(frozen=True)
class Target:
    indicator: str
    value: float | None
    value_max: float | None
    unit: str | None
    as_written: str
    qualifier: str | None
    comparator: str
    basis: str
    year: int | None
    year_implied: bool
    baseline: float | None
    baseline_as_written: str | None
    baseline_year: int | None
    cumulative: bool
    quote: str
    line: int
    note: str | None = None
    scope: str | None = None
    # 力争 / 争取 / 努力 … as written: the plan aims at the value rather than commits to it
    aspiration: str | None = None
    review: str | None = None
    file_line: int = 0
    field_lines: dict = _lines()

    @property
    def is_commitment(self) -> bool:
        """No number and no year the source states or a 到20XX年 clause governs:
        an open-ended commitment, not a dated target."""
        return self.value is None and (self.year is None or self.year_implied)


@dataclass(frozen=True)
class Measure:
    id: str
    plan: str
    section: str | None
    kind: str
    number: str | None
    title: str | None
    text: str
    line: int
    line_end: int
    departments: tuple[str, ...]
    departments_quote: str | None
    topics: tuple[str, ...]
    targets: tuple[Target, ...]
    note: str | None
    order: int
    tasks: tuple[str, ...] = ()  # the national tasks it carries (data/national.yaml ids)
    file_line: int = 0
    # the 责任单位 clause's entries as written: a name, or a joint entry naming several
    dept_entries: tuple["DeptEntry", ...] = ()
    lead: tuple[str, ...] = ()  # names the clause writes 牵头 for (never inferred from order)
    no_task: str | None = None  # why a measure of an action section carries no national task
    review: str | None = None
    field_lines: dict = _lines()

    def as_written(self) -> dict[str, str]:
        """Each department name -> the clause text it comes from."""
        return {n: e.as_written for e in self.dept_entries for n in e.names}


@dataclass(frozen=True)
class Section:
    id: str
    plan: str
    parent: str | None
    number: str | None
    title: str
    line: int
    restored: bool
    topics: tuple[str, ...]
    depth: int
    order: int
    retrospective: bool = False  # reviews past achievements / the situation: never aligned with measures
    note: str | None = None
    review: str | None = None
    file_line: int = 0
    field_lines: dict = _lines()


@dataclass(frozen=True)
class AnnexItem:
    number: str | None
    name: str
    line: int


@dataclass(frozen=True)
class AnnexGroup:
    name: str | None  # None: the source lists entries without a group heading
    count_as_written: str | None
    line: int
    items: tuple[AnnexItem, ...]
    note: str | None = None


@dataclass(frozen=True)
class Annex:
    id: str
    plan: str
    title: str
    line: int
    line_end: int
    lines: tuple[int, ...]
    groups: tuple[AnnexGroup, ...]
    note: str | None = None
    file_line: int = 0
    field_lines: dict = _lines()


@dataclass(frozen=True)
class DeptEntry:
    """One entry of a 责任单位 clause: a department as written, or a joint
    entry (西宁市、海东市政府) with the departments it names."""

    as_written: str
    names: tuple[str, ...]
    joint: bool = False


@dataclass(frozen=True)
class AllTasksDepartments:
    """Departments a plan assigns to every task at once (hunan)."""

    departments: tuple[str, ...]
    quote: str
    line: int
    scope: str | None
    dept_entries: tuple[DeptEntry, ...] = ()
    file_line: int = 0

    def as_written(self) -> dict[str, str]:
        return {n: e.as_written for e in self.dept_entries for n in e.names}


@dataclass
class PlanBody:
    plan: str
    file: str
    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    all_tasks: AllTasksDepartments | None = None

    def section_path(self, section_id: str | None) -> list[Section]:
        """The sections from the top of the outline down to ``section_id``."""
        by = {s.id: s for s in self.sections}
        out: list[Section] = []
        while section_id:
            s = by[section_id]
            out.append(s)
            section_id = s.parent
        return out[::-1]

    def all_tasks_measures(self) -> set[str]:
        """The measures a plan-wide 责任单位 note covers (hunan: 各项任务均需各市州、
        县市区人民政府落实): the numbered measures under the top-level section
        that holds the note's line."""
        at = self.all_tasks
        if not at:
            return set()
        owner = max((s for s in self.sections if s.line <= at.line and s.depth == 0),
                    key=lambda s: s.line, default=None)
        if owner is None:
            return set()
        return {m.id for m in self.measures
                if m.kind == "measure" and m.section and owner in self.section_path(m.section)}


@dataclass(frozen=True)
class Topic:
    name: str
    parent: str | None
    synonyms: tuple[str, ...]
    order: int


@dataclass(frozen=True)
class Department:
    name: str
    aliases: tuple[str, ...]
    level: str | None
    note: str | None = None
    review: str | None = None


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str | None
    aliases: tuple[str, ...]
    note: str | None = None
    review: str | None = None


@dataclass(frozen=True)
class Proposal:
    """A vocabulary entry `cz ingest` proposed and no curator has accepted
    yet (its ``review:`` is still there)."""

    kind: str  # department | indicator | place, place alias, zone, place group, place part, place class
    name: str
    review: str
    file: str
    file_line: int


@dataclass(frozen=True)
class NationalTask:
    id: str  # national/1.4
    group: str  # national/1
    number: str | None
    title: str  # a provincial restatement, verbatim in ``evidence``
    evidence: str | None  # the provincial unit that writes ``title``
    keywords: tuple[str, ...]
    note: str | None
    order: int
    file_line: int = 0
    field_lines: dict = _lines()


@dataclass(frozen=True)
class NationalGroup:
    id: str  # national/1
    kind: str  # action | policy | organisation
    number: str | None
    title: str
    evidence: str | None
    note: str | None
    order: int
    file_line: int = 0
    field_lines: dict = _lines()


@dataclass(frozen=True)
class National:
    """The national plan the provincial plans implement (data/national.yaml):
    its groups and tasks, as structure only (its text is not a source)."""

    id: str
    name: str
    doc_number: str | None
    issuer: str | None
    groups: tuple[NationalGroup, ...] = ()
    tasks: tuple[NationalTask, ...] = ()
    file: str = ""

    @cached_property
    def task_ids(self) -> set[str]:
        return {t.id for t in self.tasks} | {g.id for g in self.groups}


NATIONAL_GROUP_KINDS = ("action", "policy", "organisation")


@dataclass(frozen=True)
class Vocabularies:
    """The topic, department and indicator vocabularies, with every name and
    synonym/alias mapped to its canonical name."""

    topics: tuple[Topic, ...]
    departments: tuple[Department, ...]
    indicators: tuple[Indicator, ...]
    national: National | None = None
    proposals: tuple[Proposal, ...] = ()  # entries still marked review:

    @cached_property
    def topic_by_name(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for t in self.topics:
            out.setdefault(t.name, t.name)
        for t in self.topics:
            for s in t.synonyms:
                out.setdefault(s, t.name)
        return out

    @cached_property
    def dept_by_name(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for d in self.departments:
            out[d.name] = d.name
            for a in d.aliases:
                out[a] = d.name
        return out

    @cached_property
    def indicator_by_name(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in self.indicators:
            out[i.name] = i.name
        for i in self.indicators:
            for a in i.aliases:
                out.setdefault(a, i.name)
        return out

    def terms(self) -> set[str]:
        """Every name the vocabularies know: the segmenter keeps them whole."""
        return set(self.topic_by_name) | set(self.dept_by_name) | set(self.indicator_by_name)


@dataclass(frozen=True)
class PlanBundle:
    """One plan, loaded and cross-checked: its catalogue entry, its body and
    its normalized source lines.  Everything the audit and the store need."""

    plan: Plan
    body: PlanBody
    lines: list[str]
    source_label: str


@dataclass(frozen=True)
class KnowledgeBase:
    """The catalogue and the vocabularies of a data directory.  Plan bodies
    are loaded one at a time (``kb.loader.load_plan``) as bundles."""

    root: str
    plans: tuple[Plan, ...]
    vocab: Vocabularies
