"""The typed model of the knowledge base: what the YAML means.

Plain frozen dataclasses; the loader (``loader.py``) builds them from YAML and
checks them, the build (``build.py``) writes them to SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("province", "city", "county")
SCRIPTS = ("simplified", "traditional")
MEASURE_KINDS = ("measure", "paragraph", "box", "table")
COMPARATORS = ("eq", "approx", "ge", "gt", "le", "lt", "approach", "range", "complete")
BASES = ("level", "annual_growth", "increase", "decrease")

# What each comparator means, in words a Chinese reader understands.
COMPARATOR_LABELS = {
    "eq": "达到",
    "approx": "左右",
    "ge": "不低于",
    "gt": "超过",
    "le": "不超过",
    "lt": "低于",
    "approach": "接近",
    "range": "区间",
    "complete": "完成",
}


@dataclass(frozen=True)
class Skip:
    first: int
    last: int
    reason: str


@dataclass(frozen=True)
class RepairRecord:
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
    title_lines: tuple[int, ...] = ()
    skip: tuple[Skip, ...] = ()
    repairs: tuple[RepairRecord, ...] = ()
    file: str = ""
    file_line: int = 0


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
    file_line: int = 0


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
    file_line: int = 0


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
    file_line: int = 0


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


@dataclass(frozen=True)
class AllTasksDepartments:
    """Departments a plan assigns to every task at once (hunan)."""

    departments: tuple[str, ...]
    quote: str
    line: int
    scope: str | None


@dataclass
class PlanBody:
    plan: str
    file: str
    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    all_tasks: AllTasksDepartments | None = None


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


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str | None
    aliases: tuple[str, ...]


@dataclass
class KnowledgeBase:
    """Everything loaded from ``data/``, cross-checked."""

    root: str
    plans: list[Plan]
    bodies: dict[str, PlanBody]
    topics: list[Topic]
    departments: list[Department]
    indicators: list[Indicator]
    dept_by_name: dict[str, str] = field(default_factory=dict)  # any name/alias -> canonical
    sources: dict[str, list[str]] = field(default_factory=dict)  # plan id -> normalized lines

    @property
    def topic_names(self) -> set[str]:
        if not hasattr(self, "_topic_names"):
            self._topic_names = {t.name for t in self.topics}
        return self._topic_names

    @property
    def indicator_names(self) -> set[str]:
        if not hasattr(self, "_indicator_names"):
            self._indicator_names = {i.name for i in self.indicators}
        return self._indicator_names
