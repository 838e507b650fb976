"""Check the YAML against its sources, by code.

* **Verified**: every measure number / title / text, 责任单位 clause and target
  quote occurs verbatim in the normalized source on the lines it claims;
  every structured field is derived from, or checked against, its source:
  the catalogue (文号, issuer, date, name, period, abridged) against the title
  lines, 版头 and 落款; each target's value, unit, qualifier → comparator,
  year / year_implied, cumulative, basis, baseline and aspiration against its
  sentence; departments against the names of their 责任单位 clause, in
  order; ids against the numbering as written and the outline; skipped
  lines against their kind; numbering without gaps.
* **Covered**: every character of every non-blank, non-skipped source line
  belongs to some record, every heading the outline reader finds is
  accounted for, and every measure of a section that carries national tasks
  names its task(s) or says why it carries none.

The checks are a registry: each rule is a function of one plan's
:class:`Audit` context, registered with the codes it reports (``RULES``,
``CODES``), run in registration order — the rules that claim source text
first, the coverage rules last.  Nothing here prints: :func:`audit_plan`
returns plain data; the CLI renders it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from chengzhen.kb import model as m
from chengzhen.kb.problems import Problem, did_you_mean, where_differs
from chengzhen.text import clauses as C
from chengzhen.text import gongwen as G
from chengzhen.text import targets as S
from chengzhen.text.normalize import squash
from chengzhen.text.numerals import cn_to_int, value_in
from chengzhen.text.outline import CONTENTS_PATTERNS, HEADING_PATTERNS

IGNORABLE = set(" \t\u3000|\r")

__all__ = ["Problem", "PlanAudit", "Audit", "RULES", "CODES", "audit_plan", "clause_names", "outline_value"]


@dataclass
class PlanAudit:
    plan: str
    measures: int = 0
    sections: int = 0
    targets: int = 0
    departments: int = 0
    checked: int = 0
    verified: int = 0
    chars: int = 0
    covered_chars: int = 0
    headings: int = 0
    headings_found: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def not_found(self) -> int:
        return self.checked - self.verified

    @property
    def verified_pct(self) -> float:
        return 100.0 * self.verified / self.checked if self.checked else 100.0

    @property
    def coverage_pct(self) -> float:
        return 100.0 * self.covered_chars / self.chars if self.chars else 100.0

    @property
    def headings_pct(self) -> float:
        return 100.0 * self.headings_found / self.headings if self.headings else 100.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class _Coverage:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.marks = [bytearray(len(s)) for s in lines]

    def claim(self, text: str, first: int, last: int, *, mark: bool = True) -> int | None:
        """Find ``text`` on lines first..last (1-based); mark it; return the line."""
        if not text:
            return None
        pieces = text.split("\n")
        if len(pieces) > 1:
            # a multi-line unit: consecutive lines, each piece in its own line
            for start in range(first, last + 1):
                ok = True
                for k, piece in enumerate(pieces):
                    n = start + k
                    if n > last or n > len(self.lines) or piece.strip() and piece not in self.lines[n - 1]:
                        ok = False
                        break
                if ok:
                    if mark:
                        for k, piece in enumerate(pieces):
                            self._mark(start + k, piece)
                    return start
            return None
        for n in range(max(first, 1), min(last, len(self.lines)) + 1):
            if text in self.lines[n - 1]:
                if mark:
                    self._mark(n, text)
                return n
        return None

    def _mark(self, n: int, text: str) -> None:
        line, marks = self.lines[n - 1], self.marks[n - 1]
        if not text.strip():
            return
        start = line.find(text)
        # prefer an occurrence that is not yet claimed
        probe = start
        while probe != -1:
            if not any(marks[probe:probe + len(text)]):
                start = probe
                break
            probe = line.find(text, probe + 1)
        for i in range(start, start + len(text)):
            marks[i] = 1

    def mark_line(self, n: int) -> None:
        if 1 <= n <= len(self.lines):
            self.marks[n - 1] = bytearray(b"\x01" * len(self.lines[n - 1]))

    def uncovered(self, n: int) -> str:
        line, marks = self.lines[n - 1], self.marks[n - 1]
        return "".join(ch if not marks[i] and ch not in IGNORABLE else "\0" for i, ch in enumerate(line))


class Audit:
    """One plan's audit in progress: the bundle, the coverage marks, the result."""

    def __init__(self, bundle: m.PlanBundle):
        self.bundle = bundle
        self.plan = bundle.plan
        self.body = bundle.body
        self.lines = bundle.lines
        self.res = PlanAudit(bundle.plan.id)
        self.cov = _Coverage(bundle.lines)
        self.skipped: set[int] = set()
        for s in bundle.plan.skip:
            self.skipped.update(range(s.first, s.last + 1))
        self.records = {x.id: x for x in [*self.body.sections, *self.body.measures, *self.body.annexes]}
        # from the vocabularies, when given (audit_plan(vocab=…)): indicator
        # units, department names, the national plan
        self.units: dict | None = None
        self.depts: dict | None = None
        self.national: m.National | None = None
        self.section_heads: dict = {}
        self.table_totals: set = set()

    # ------------------------------------------------------------------ reporting

    def where(self, at, fld: str | None) -> tuple[str, int | None]:
        """The file and line of field ``fld`` of record ``at`` (a plan, a
        section, measure, target or annex, or an id)."""
        if isinstance(at, str):
            at = self.records.get(at, self.plan if at == self.plan.id else None)
        if at is None:
            return self.plan.file, self.plan.file_line
        if isinstance(at, m.Plan):
            return at.file, (at.field_lines.get(fld) if fld else None) or at.file_line
        lines = getattr(at, "field_lines", {}) or {}
        return self.body.file, (lines.get(fld) if fld else None) or getattr(at, "file_line", None)

    def check(self, ok: bool, code: str, item: str, line: int | None, message: str, *, at=None,
              fld: str | None = None, hint: str | None = None,
              detail: list[str] | Callable[[], list[str] | None] | None = None) -> bool:
        """Count a check; record a problem when it fails.  ``detail`` (where a
        text differs from its source) may be a function: it is only called
        for a check that fails."""
        self.res.checked += 1
        if ok:
            self.res.verified += 1
        else:
            file, file_line = self.where(at if at is not None else item, fld)
            if callable(detail):
                detail = detail()
            self.res.problems.append(Problem(self.plan.id, code, item, line, message, "error", file, file_line,
                                             hint, detail or []))
        return ok

    def coverage_problem(self, code: str, line: int, message: str, *, item: str | None = None, at=None,
                         fld: str | None = None, hint: str | None = None) -> None:
        if at is not None:
            file, file_line = self.where(at, fld)
        else:
            file, file_line = self.bundle.source_label, line
        self.res.problems.append(Problem(self.plan.id, code, item or self.plan.id, line, message, "coverage",
                                         file, file_line, hint))

    def diff(self, text: str, first: int, last: int) -> list[str]:
        """Where ``text`` departs from the closest of source lines first..last."""
        lo, hi = max(1, first), min(len(self.lines), last)
        piece = text.split("\n")[0]
        return where_differs(piece, [(n, self.lines[n - 1]) for n in range(lo, hi + 1)])

    # ------------------------------------------------------------------ the source around a quote

    def locate(self, text: str, first: int, last: int) -> tuple[int, int] | None:
        """(line, column) of the first occurrence of ``text`` on lines first..last."""
        first_piece = text.split("\n")[0]
        for n in range(max(first, 1), min(last, len(self.lines)) + 1):
            col = self.lines[n - 1].find(first_piece)
            if col >= 0:
                return n, col
        return None


Rule = Callable[[Audit], None]
RULES: list[tuple[tuple[str, ...], Rule]] = []
CODES: dict[str, str] = {}


def rule(*codes: tuple[str, str]):
    """Register a rule with the codes (and their meanings) it reports."""
    def deco(fn: Rule) -> Rule:
        for code, meaning in codes:
            CODES[code] = meaning
        RULES.append((tuple(c for c, _ in codes), fn))
        return fn
    return deco


# --------------------------------------------------------------------------- helpers

# how a sentence states a target (years, qualifiers, aspiration, totals, basis,
# units) is read in text/targets.py, with the very rules ingest drafts by
PERIOD_IN_TITLE = G.PERIOD_IN_TITLE
FIVE_YEAR_PLANS = G.FIVE_YEAR_PLANS
# the 公文's 版头 and 落款 forms (文号, dates, 本文有删减) are shared with ingest: text/gongwen.py
DOC_NUMBER = G.DOC_NUMBER
ABRIDGED = G.ABRIDGED


def outline_value(number: str | None) -> int | None:
    """The value of an outline number as written: 三、 (十二) 4. 第五章 专栏6 -> 3, 12, 4, 5, 6."""
    if not number:
        return None
    core = re.sub(r"^第|[篇章节、.．﹒()（）\s]|^专栏", "", number)
    return cn_to_int(core)


def outline_style(number: str | None) -> int | None:
    """Which rung of the outline ladder a number is on (text/outline.py)."""
    if not number:
        return None
    for i, pat in enumerate(HEADING_PATTERNS):
        if pat.match(number):
            return i
    return None


# --------------------------------------------------------------------------- catalogue

def _catalogue_zone(a: Audit) -> list[tuple[int, str]]:
    """Where a catalogue fact may be written: the title lines, the lines
    skipped as 版头 / 落款 / web page / summary, and the lines before the
    first record of the body."""
    body = a.body
    starts = [s.line for s in body.sections if not s.restored] + [x.line for x in body.measures]
    first = min(starts, default=len(a.lines) + 1)
    zone = set(a.plan.title_lines) | set(range(1, first))
    for s in a.plan.skip:
        if s.kind != "contents":
            zone.update(range(s.first, s.last + 1))
    return [(n, a.lines[n - 1]) for n in sorted(zone) if 1 <= n <= len(a.lines)]


def _title_text(a: Audit) -> str:
    return "".join(squash(a.lines[n - 1]) for n in a.plan.title_lines if 1 <= n <= len(a.lines))


@rule(("E210", "a title line is not part of the plan name, or the name is not written on the title lines"))
def _title_lines(a: Audit) -> None:
    lines, plan = a.lines, a.plan
    name = squash(plan.name)
    for n in plan.title_lines:
        line = squash(lines[n - 1]) if 1 <= n <= len(lines) else ""
        # a title line is the name (or part of a name broken over lines), or a
        # web page's "名称: <name>" label around it
        ok = bool(line) and (line in name or name in line)
        if a.check(ok, "E210", plan.id, n, f"title line {n} is not part of the plan name", at=plan,
                   fld="title_lines", detail=(lambda: where_differs(plan.name, [(n, lines[n - 1])])) if 1 <= n <= len(lines) else None):
            a.cov.mark_line(n)
    if plan.supplied_reason("name") is None:
        a.check(bool(plan.title_lines) and name in _title_text(a), "E210", plan.id, None,
                "the name is not written on the title lines", at=plan, fld="name",
                hint="give the title_lines that hold it, or mark the name as supplied: {name: <reason>}",
                detail=lambda: where_differs(plan.name, [(n, lines[n - 1]) for n in plan.title_lines
                                                        if 1 <= n <= len(lines)]))


@rule(("E211", "a catalogue field (文号, issuer, issue date, parent) is not written in the source's title lines, 版头 or 落款"),
      ("E212", "the plan period contradicts the title, or is not stated and not marked as supplied"),
      ("E213", "abridged does not match the source (本文有删减)"))
def _catalogue(a: Audit) -> None:
    plan = a.plan
    zone = _catalogue_zone(a)
    zone_text = "\n".join(squash(t) for _, t in zone)
    everything = "\n".join(squash(t) for t in a.lines)
    supplied = dict(plan.supplied)
    how = "write it as the source does; where the source gives none, the editors' value needs supplied: {%s: <reason>}"
    if plan.issuer and "issuer" not in supplied:
        a.check(squash(plan.issuer) in zone_text, "E211", plan.id, None,
                f"issuer {plan.issuer!r} is not written in the title lines, 版头 or 落款", at=plan, fld="issuer",
                hint=how % "issuer")
    numbers = sorted({x for _, t in zone for x in DOC_NUMBER.findall(squash(t))})
    if "doc_number" not in supplied:
        if plan.doc_number:
            a.check(squash(plan.doc_number) in zone_text, "E211", plan.id, None,
                    f"文号 {plan.doc_number!r} is not written in the 版头"
                    + (f" (it writes {', '.join(numbers)})" if numbers else ""), at=plan, fld="doc_number",
                    hint=f"doc_number: {numbers[0]}" if len(numbers) == 1 else how % "doc_number")
        else:
            a.check(not numbers, "E211", plan.id, None, f"the 版头 writes 文号 {', '.join(numbers)}, doc_number is null",
                    at=plan, fld="doc_number", hint=f"doc_number: {numbers[0] if numbers else ''}")
    signed = [date for n, t in zone for date in G.dates(squash(t))
              if any(s.first <= n <= s.last and s.kind in ("signature", "header") for s in plan.skip)]
    if "issue_date" not in supplied:
        if plan.issue_date:
            y, mo, d = (int(x) for x in plan.issue_date.split("-"))
            a.check((y, mo, d) in signed, "E211", plan.id, None,
                    f"issue date {plan.issue_date} is not the date of the 落款"
                    + (f" ({'/'.join(f'{x[0]}年{x[1]}月{x[2]}日' for x in signed)})" if signed else " (none is written)"),
                    at=plan, fld="issue_date",
                    hint=f"issue_date: {signed[0][0]:04d}-{signed[0][1]:02d}-{signed[0][2]:02d}" if len(signed) == 1
                    else how % "issue_date")
        else:
            a.check(not signed, "E211", plan.id, None,
                    f"the 落款 is dated {signed[0][0]}年{signed[0][1]}月{signed[0][2]}日, issue_date is null" if signed else "",
                    at=plan, fld="issue_date",
                    hint=f"issue_date: {signed[0][0]:04d}-{signed[0][1]:02d}-{signed[0][2]:02d}" if signed else None)
    if plan.parent and "parent" not in supplied:
        a.check(squash(plan.parent) in everything, "E211", plan.id, None,
                f"parent {plan.parent!r} is not written in the source", at=plan, fld="parent", hint=how % "parent")
    # the period: from the title, else supplied with a reason
    title = _title_text(a) or (squash(plan.name) if "name" not in supplied else "")
    stated = None
    got = PERIOD_IN_TITLE.search(title)
    if got:
        stated = (int(got.group(1)), int(got.group(2)))
    else:
        for words, span in FIVE_YEAR_PLANS.items():
            if words in title:
                stated = span
    have = (plan.period_start, plan.period_end)
    if stated:
        a.check(have == stated, "E212", plan.id, None,
                f"period {have[0]}–{have[1]} contradicts the title ({stated[0]}–{stated[1]})", at=plan,
                fld="period", hint=f"period: {{start: {stated[0]}, end: {stated[1]}}}")
    else:
        a.check("period" in supplied, "E212", plan.id, None,
                f"the title states no period, and period {have[0]}–{have[1]} is not marked as supplied", at=plan,
                fld="period", hint="supplied: {period: <where the period comes from>}")
    says = bool(ABRIDGED.search(everything))
    a.check(plan.abridged == says, "E213", plan.id, None,
            "the source says 本文有删减 (abridged), abridged is not true" if says
            else "abridged is true, but the source does not say 本文有删减", at=plan, fld="abridged",
            hint="abridged: true" if says else "remove abridged")


# --------------------------------------------------------------------------- verbatim

@rule(("E201", "a heading, number, title or text is not found verbatim on its source lines"))
def _units(a: Audit) -> None:
    lines, cov = a.lines, a.cov
    for s in a.body.sections:
        a.res.sections += 1
        for fld, part in (("number", s.number), ("title", s.title)):
            if part:
                a.check(cov.claim(part, s.line, s.line) is not None, "E201", s.id, s.line,
                        f"heading {fld} {part!r} not found on source line {s.line}", at=s, fld=fld,
                        detail=lambda: a.diff(part, s.line, s.line))
        # a heading's closing 。 (hebei) belongs to it
        if s.line <= len(lines) and lines[s.line - 1].rstrip().endswith("。") and not s.title.endswith("。"):
            cov.claim("。", s.line, s.line)
    for meas in a.body.measures:
        a.res.measures += 1
        rng = (meas.line, meas.line_end)
        for field_name in ("number", "title"):
            part = getattr(meas, field_name)
            if part:
                a.check(cov.claim(part, *rng) is not None, "E201", meas.id, meas.line,
                        f"{field_name} {part!r} not found on source line(s) {meas.line}–{meas.line_end}",
                        at=meas, fld=field_name, detail=lambda: a.diff(part, *rng))
        a.check(cov.claim(meas.text, *rng) is not None, "E201", meas.id, meas.line,
                f"text not found verbatim on source line(s) {meas.line}–{meas.line_end}", at=meas, fld="text",
                detail=lambda: a.diff(meas.text, *rng))
    for annex in a.body.annexes:
        a.check(cov.claim(annex.title, annex.line, annex.line_end) is not None, "E201", annex.id, annex.line,
                f"annex title {annex.title!r} not found", at=annex, fld="title")
        for n in annex.lines:
            if 1 <= n <= len(lines):
                cov.mark_line(n)
        for g in annex.groups:
            if g.name:
                a.check(cov.claim(g.name, g.line, g.line) is not None, "E201", annex.id, g.line,
                        f"annex group {g.name!r} not found on line {g.line}", at=annex)
            if g.count_as_written:
                a.check(cov.claim(g.count_as_written, g.line, g.line) is not None, "E201", annex.id, g.line,
                        f"annex count {g.count_as_written!r} not found on line {g.line}", at=annex)
            for it in g.items:
                for part in (it.number, it.name):
                    if part:
                        a.check(cov.claim(part, it.line, it.line) is not None, "E201", annex.id, it.line,
                                f"annex entry {part!r} not found on line {it.line}", at=annex)


# --------------------------------------------------------------------------- departments

# The clause reading (role labels, 牵头, joint entries, brackets inside names)
# is shared with ingest: chengzhen.text.clauses.
clause_names = C.clause_names
joint_runs = C.joint_runs
joint_names = C.joint_names


@rule(("E209", "a 责任单位 clause is not found on its measure's lines"),
      ("E208", "a department is not named in its 责任单位 clause"),
      ("E230", "the departments list is not the clause's names in the clause's order (a name dropped, added or moved)"),
      ("E231", "a joint entry (西宁市、海东市政府) does not name the departments it distributes to"),
      ("E232", "lead (牵头) given where the clause does not write 牵头, or 牵头 written and lead missing"))
def _departments(a: Audit) -> None:
    for meas in a.body.measures:
        q = meas.departments_quote
        if q:
            a.check(a.cov.claim(q, meas.line, meas.line_end) is not None, "E209", meas.id, meas.line,
                    f"责任单位 clause not found on source line(s) {meas.line}–{meas.line_end}", at=meas,
                    fld="departments_quote", detail=lambda: a.diff(q, meas.line, meas.line_end))
        _dept_list(a, meas, meas.dept_entries, q, meas.lead, "departments")
    at = a.body.all_tasks
    if at:
        for e in at.dept_entries:
            a.res.departments += len(e.names)
            a.check(e.as_written in at.quote, "E208", a.plan.id, at.line,
                    f"department {e.as_written!r} is not in the applies_to_all_tasks quote", at=a.plan)
            if e.joint:
                a.check(list(e.names) in joint_names(e.as_written), "E231", a.plan.id, at.line,
                        f"joint entry {e.as_written!r} does not name {list(e.names)}", at=a.plan,
                        hint=_joint_hint(e.as_written))


def _joint_hint(joint: str) -> str:
    options = joint_names(joint)
    return f"for example names: [{', '.join(options[0])}]" if options else "a joint entry lists names joined by 、"


def _dept_list(a: Audit, meas: m.Measure, entries, quote: str | None, lead, fld: str) -> None:
    for e in entries:
        a.res.departments += len(e.names)
    if not entries and not quote:
        return
    if entries and not quote:
        a.check(False, "E208", meas.id, meas.line, "departments given without the 责任单位 clause they come from",
                at=meas, fld=fld, hint="add departments_quote: the clause as written, e.g. (责任单位:省教育厅)")
        return
    listed = C.parse(quote)
    names = [n.text for n in listed]
    # the YAML entries, each as the clause items it stands for
    wanted: list[str] = []
    spans: list[tuple[int, int]] = []  # the clause items each entry stands for (when the list is right)
    for k, e in enumerate(entries):
        items = C.joint_parts(e.as_written) if e.joint else [e.as_written]
        spans.append((len(wanted), len(wanted) + len(items)))
        wanted.extend(items)
        if not e.joint and e.as_written not in names:
            canon = a.depts or {}
            same = [n for n in names if canon.get(n) and canon.get(n) == canon.get(e.as_written)]
            near = same or did_you_mean(e.as_written, names, 1)
            a.check(False, "E208", meas.id, meas.line, f"department {e.as_written!r} is not in its 责任单位 clause",
                    at=meas, fld=f"{fld}[{k}]" if f"{fld}[{k}]" in meas.field_lines else fld,
                    hint=(f"the clause writes it {same[0]!r} (the same department): list it as written" if same else
                          f"did you mean {near[0]!r}?" if near else f"the clause names: {'、'.join(names)}"))
        elif e.joint:
            a.check(e.as_written in quote, "E208", meas.id, meas.line,
                    f"joint entry {e.as_written!r} is not in its 责任单位 clause", at=meas, fld=fld)
            a.check(list(e.names) in joint_names(e.as_written), "E231", meas.id, meas.line,
                    f"joint entry {e.as_written!r} does not name {list(e.names)}", at=meas, fld=fld,
                    hint=_joint_hint(e.as_written))
    joints = {e.as_written for e in entries if e.joint}
    for run in joint_runs(quote):
        if run not in joints:
            a.check(False, "E231", meas.id, meas.line,
                    f"the clause writes the joint entry {run!r} (one government named for each place), "
                    "the list splits it", at=meas, fld=fld,
                    hint=f"{{joint: {run}, names: [{', '.join(joint_names(run)[0])}]}}" if joint_names(run) else None)
    right = wanted == names
    if not right:
        dropped = [n for n in names if n not in wanted]
        added = [n for n in wanted if n not in names]
        if dropped:
            what = f"the clause names {'、'.join(dropped)}, which the list drops"
        elif added:
            what = f"the list adds {'、'.join(added)}, which the clause does not name"
        else:
            what = "the list is not in the clause's order"
        a.check(False, "E230", meas.id, meas.line, f"departments differ from the 责任单位 clause: {what}",
                at=meas, fld=fld, hint=f"the clause lists: {'、'.join(names)}")
    else:
        a.res.checked += 1
        a.res.verified += 1
    # lead: exactly the departments the clause writes 牵头 for (a joint entry's
    # names when its items are), never a position in the list
    if right:
        expected = [d for e, (i, j) in zip(entries, spans) if any(n.lead for n in listed[i:j]) for d in e.names]
    else:  # the list is wrong already (E230): judge lead by the names as written
        written = {n.text for n in listed if n.lead}
        expected = [d for e in entries for d in e.names
                    if e.as_written in written or d in written
                    or (e.joint and any(p in written for p in C.joint_parts(e.as_written)))]
    hint = f"lead: [{', '.join(expected)}]" if expected else "remove lead"
    extra = [d for d in lead if d not in expected]
    missing = [d for d in expected if d not in lead] if (right or not lead) else []
    if lead or expected:
        # one report for the field, naming both what it adds and what it lacks
        parts = []
        if extra:
            parts.append(f"lead {'、'.join(extra)}: the clause does not write 牵头 for "
                         + ("it" if len(extra) == 1 else "them"))
        if missing:
            parts.append(f"the clause writes 牵头 for {'、'.join(missing)}, "
                         + ("lead lacks it" if lead else "lead is not given"))
        a.check(not parts, "E232", meas.id, meas.line, "; ".join(parts),
                at=meas, fld="lead" if lead else fld,
                hint=hint + (" (lead is only for what the source marks 牵头; the order of the list is kept as written)"
                             if extra else ""))


# --------------------------------------------------------------------------- targets

@dataclass
class _Sentence:
    line: int | None  # where the quote starts
    prefix: str  # the sentence up to the quote
    context: str  # prefix + quote (a table row: the row)
    years_from: str  # the text whose years govern the target
    head: str = ""  # the paragraph's head (its year governs the paragraph), or the section lead's


def _paragraph_head(meas: m.Measure) -> str:
    """The year clause a paragraph opens with (展望到2035年, …), which governs
    the whole paragraph.  After a lead phrase (推进城镇老旧小区改造。到2027年…)
    the year opens one sentence only."""
    if meas.title:
        return ""
    return S.head_year(meas.text.lstrip("—–- "))


def _sentence(a: Audit, meas: m.Measure, t: m.Target) -> _Sentence:
    last = max(t.line, meas.line_end)
    got = a.locate(t.quote, t.line, last)
    if meas.kind == "table":
        # a table row: the year and baseline come from the column headers
        return _Sentence(got[0] if got else None, "", t.quote, meas.text + "\n" + t.quote)
    if got is None:
        return _Sentence(None, "", t.quote, t.quote)
    n, col = got
    line = a.lines[n - 1]
    cut = max(line.rfind(ch, 0, col) for ch in S.SENTENCE_END)
    prefix = line[cut + 1:col]
    head = _paragraph_head(meas) or a.section_heads.get(meas.section, "") if meas.kind == "measure" else _paragraph_head(meas)
    return _Sentence(n, prefix, prefix + t.quote, prefix + t.quote, head)


@rule(("E202", "a target quote is not found on its lines"),
      ("E203", "a target's as_written is not in its quote"),
      ("E204", "a target's value is not in its as_written or quote"),
      ("E205", "a target's baseline is not in the source"),
      ("E206", "a target's scope is not written on its measure's lines"),
      ("E220", "a target year that its sentence does not write (or year_implied true while a year governs the sentence)"),
      ("E221", "an implied year that is not the plan period's end (or N年内's), or a figure without a year"),
      ("E222", "an open-ended commitment (no figure, no year written) that carries a year"),
      ("E223", "a qualifier not in the qualifier table, or a comparator that does not fit the qualifier"),
      ("E224", "a qualifier that is not written in the sentence, or one written in as_written but not given"),
      ("E225", "cumulative does not match 累计 / [] / N年内 in the sentence"),
      ("E226", "a unit not written with the figure, or not of the indicator's unit family"),
      ("E227", "aspiration does not match 力争 / 争取 / 努力 in the sentence"),
      ("E228", "a baseline value or year not written with the target"),
      ("E229", "a basis that the sentence does not write (年均, 新增, 减少…)"))
def _targets(a: Audit) -> None:
    cov = a.cov
    # a section whose first unit is a paragraph opening with a year (到2025年,
    # …) lists goals for that year: the year governs its measures
    # the totals a table of the plan marks [] (注:[]内为累计数): the same figure
    # in the text is a total too, as the plan says
    a.table_totals = {(t.indicator, t.value) for x in a.body.measures if x.kind == "table" for t in x.targets
                      if "[" in t.as_written or "［" in t.as_written}
    a.section_heads = {}
    for meas in a.body.measures:
        if meas.section not in a.section_heads:
            a.section_heads[meas.section] = _paragraph_head(meas) if meas.kind == "paragraph" else ""
    units = a.units
    for meas in a.body.measures:
        for t in meas.targets:
            a.res.targets += 1
            last = max(t.line, meas.line_end)
            found = cov.claim(t.quote, t.line, last, mark=False) is not None
            a.check(found, "E202", meas.id, t.line, f"target quote not found on source line(s) {t.line}–{last}",
                    at=t, fld="quote", detail=lambda: a.diff(t.quote, t.line, last))
            a.check(squash(t.as_written) in squash(t.quote), "E203", meas.id, t.line,
                    f"target as_written {t.as_written!r} is not in its quote", at=t, fld="as_written",
                    detail=lambda: where_differs(t.as_written, [(t.line, t.quote)]))
            ok = value_in(t.value, t.as_written, t.quote) and value_in(t.value_max, t.as_written, t.quote)
            a.check(ok, "E204", meas.id, t.line,
                    f"target value {t.value:g}{'' if t.value_max is None else f'–{t.value_max:g}'} "
                    f"does not occur in {t.as_written!r}" if t.value is not None else "target value missing from its quote",
                    at=t, fld="value_max" if t.value_max is not None and value_in(t.value, t.as_written, t.quote) else "value")
            if t.scope:
                a.check(cov.claim(t.scope, meas.line, max(last, meas.line_end), mark=False) is not None,
                        "E206", meas.id, t.line, f"target scope {t.scope!r} is not written on the measure's lines",
                        at=t, fld="scope")
            if t.baseline_as_written is not None:
                a.check(cov.claim(str(t.baseline_as_written), t.line, last, mark=False) is not None,
                        "E205", meas.id, t.line, f"baseline {t.baseline_as_written!r} not found in the source",
                        at=t, fld="baseline_as_written")
            if not found:
                continue  # the sentence checks need the quote in place
            _target_sentence(a, meas, t, _sentence(a, meas, t), units)
    at = a.body.all_tasks
    if at:
        a.check(cov.claim(at.quote, at.line, at.line, mark=False) is not None, "E202", a.plan.id, at.line,
                "applies_to_all_tasks quote not found on its line", at=a.plan)


def _target_sentence(a: Audit, meas: m.Measure, t: m.Target, s: _Sentence, units) -> None:
    plan = a.plan
    item = meas.id
    ctx = s.context
    # ---- year: written in the sentence; else N年内 (from the period's start,
    # implied); else written at the head of the paragraph, or at the head of
    # the section's lead paragraph (a list of goals for that year)
    ys = S.stated_years(s.years_from, ctx, s.head, plan.period_start, t.baseline_year)
    years = set(ys.written) or set(ys.headed)
    within, relative = ys.within, ys.relative
    written = ", ".join(str(y) for y in sorted(years))
    if t.year is None:
        if t.value is not None or relative:
            a.check(False, "E221", item, t.line, "a target with a figure or a span needs a year", at=t, fld="year",
                    hint=f"year: {relative}, year_implied: true ({within.group(0)})" if relative else
                    (f"year: {min(years)}" if years else f"year: {plan.period_end}, year_implied: true"))
        else:
            a.check(not years, "E222", item, t.line, f"the sentence writes {written}: year: {min(years) if years else ''}",
                    at=t, fld="year")
    elif not t.year_implied:
        a.check(t.year in years, "E220", item, t.line,
                f"year {t.year} is not written in the sentence"
                + (f" (it writes {written})" if years else f" (it writes {within.group(0)})" if relative
                   else " (it writes no year)"), at=t, fld="year",
                hint=f"year: {min(years)}" if len(years) == 1 else
                (f"year: {relative}, year_implied: true" if relative else
                 f"year_implied: true (the plan period ends {plan.period_end})" if not years else None))
    elif years:
        a.check(False, "E220", item, t.line, f"year_implied is true, but the sentence writes {written}", at=t,
                fld="year_implied",
                hint=f"year: {min(years)}, year_implied: false" if len(years) == 1 else "year_implied: false")
    elif relative:
        a.check(t.year == relative, "E221", item, t.line,
                f"implied year {t.year} does not fit {within.group(0)} (from {plan.period_start}): {relative}",
                at=t, fld="year", hint=f"year: {relative}")
    elif t.value is None:
        a.check(False, "E222", item, t.line,
                "an open-ended commitment (no figure, no year written or governed) carries an implied year",
                at=t, fld="year", hint="year: null, year_implied: false (it is then listed as a commitment)")
    else:
        a.check(t.year == plan.period_end, "E221", item, t.line,
                f"implied year {t.year} is not the plan period's end ({plan.period_end})", at=t, fld="year",
                hint=f"year: {plan.period_end}")
    # ---- qualifier and comparator
    q = t.qualifier
    if q is not None and q not in S.QUALIFIERS:
        if q in S.ASPIRATIONS:
            hint = f"{q} is an aspiration: aspiration: {q}, and qualifier: the comparator word, if any"
        else:
            near = did_you_mean(q, list(S.QUALIFIERS), 2)
            hint = (f"did you mean {' or '.join(repr(x) for x in near)}? " if near else "") + \
                "the qualifier table is in docs/data-format.md"
        a.check(False, "E223", item, t.line, f"qualifier {q!r} is not in the qualifier table", at=t, fld="qualifier",
                hint=hint)
    else:
        want = S.QUALIFIERS[q] if q else S.comparator_without_qualifier(t.value, t.value_max)
        if t.value_max is not None and q is None:
            want = "range"
        a.check(t.comparator == want, "E223", item, t.line,
                f"comparator {t.comparator!r} does not fit "
                + (f"qualifier {q!r} ({q} → {want})" if q else
                   f"a target without a qualifier ({'a range' if t.value_max is not None else 'no figure' if t.value is None else 'a figure'} → {want})"),
                at=t, fld="comparator", hint=f"comparator: {want}")
        if q:
            a.check(S.in_order(q.split("…"), ctx), "E224", item, t.line,
                    f"qualifier {q!r} is not written in the sentence", at=t, fld="qualifier")
    in_written = S.qualifier_written(t.as_written, t.value)  # not 县城及以上城市 (a goal without a figure)
    if in_written and (q is None or (in_written not in q and q not in in_written)):
        a.check(False, "E224", item, t.line,
                f"as_written {t.as_written!r} says {in_written}, qualifier is {q!r}", at=t, fld="qualifier",
                hint=f"qualifier: {in_written} (comparator: {S.QUALIFIERS[in_written]})")
    if (t.value_max is not None) != (t.comparator == "range"):
        a.check(False, "E223", item, t.line, "comparator range goes with value_max (value–value_max), and only with it",
                at=t, fld="comparator")
    # ---- cumulative
    if meas.kind == "table":
        marked = S.table_total(t.as_written)
    else:
        marked = S.total_written(t.quote, ctx) or (t.indicator, t.value) in a.table_totals
    a.check(t.cumulative == marked, "E225", item, t.line,
            "cumulative is true, but the quote marks no total (累计, N年内, 2022—2025年; [] in the plan's table)"
            if t.cumulative else "the source marks a total (累计, N年内, 2022—2025年; [] in the plan's table), cumulative is false", at=t, fld="cumulative",
            hint=f"cumulative: {'true' if marked else 'false'}")
    # ---- basis
    words = {"annual_growth": "年均 / 每年平均", "increase": "新增 / 增加 / 新建 / 提高…", "decrease": "减少 / 下降 / 降低…"}
    if t.basis in words:
        a.check(S.basis_written(t.basis, ctx), "E229", item, t.line,
                f"basis {t.basis}, but the sentence writes no {words[t.basis]}", at=t, fld="basis")
    if S.PER_YEAR.search(t.quote) and t.basis != "annual_growth":
        a.check(S.names_year(t.indicator), "E229", item, t.line,
                f"a figure per year (每年…), but indicator {t.indicator!r} does not say so", at=t, fld="indicator",
                hint="an annual figure's indicator names the year (年新培育高新技术企业数量), or basis: annual_growth")
    if t.basis != "annual_growth" and S.GROWTH.search(t.as_written):
        a.check(False, "E229", item, t.line, f"as_written {t.as_written!r} is a yearly growth: basis: annual_growth",
                at=t, fld="basis")
    # ---- unit: written with the figure, and of the indicator's family
    declared = a.units.get(t.indicator, "?") if a.units is not None else "?"
    if t.unit is not None:
        if t.value is None:
            a.check(False, "E226", item, t.line, f"unit {t.unit!r} without a figure", at=t, fld="unit",
                    hint="unit: null")
        else:
            a.check(S.unit_written(t.unit, t.value, t.as_written, ctx if meas.kind != "table" else t.quote), "E226",
                    item, t.line, f"unit {t.unit!r} is not written with the figure", at=t, fld="unit")
            if declared != "?":
                a.check(S.units_agree(t.unit, declared, t.basis), "E226", item, t.line,
                        f"unit {t.unit!r} is not of {t.indicator}'s unit family ({declared!r})", at=t, fld="unit",
                        hint=f"unit: {declared}, or a magnitude of it (万{declared}); a new unit goes in "
                             "indicators.yaml" if declared else
                        "the indicator declares no unit (a ratio or an index): unit: null")
    elif t.value is not None and declared not in ("?", None):
        a.check(not S.unit_written(declared, t.value, t.as_written, t.as_written), "E226", item, t.line,
                f"as_written {t.as_written!r} writes the unit {declared!r}, unit is null", at=t, fld="unit",
                hint=f"unit: {declared}")
    # ---- aspiration
    asp = S.aspiration_for(s.prefix, t.quote)
    if t.aspiration != asp:
        a.check(False, "E227", item, t.line,
                f"the sentence writes {asp}, aspiration is {t.aspiration!r}" if asp else
                f"aspiration {t.aspiration!r}, but the sentence writes no 力争 / 争取 / 努力",
                at=t, fld="aspiration", hint=f"aspiration: {asp}" if asp else "aspiration: null")
    else:
        a.res.checked += 1
        a.res.verified += 1
    # ---- baseline
    if t.baseline is not None:
        a.check(t.baseline_as_written is not None and value_in(t.baseline, str(t.baseline_as_written)), "E228",
                item, t.line, f"baseline {t.baseline:g} is not in baseline_as_written {t.baseline_as_written!r}",
                at=t, fld="baseline")
    if t.baseline_year is not None:
        a.check(t.baseline_year in S.written_years(s.years_from), "E228", item, t.line,
                f"baseline year {t.baseline_year} is not written with the target", at=t, fld="baseline_year")


# --------------------------------------------------------------------------- ids and numbering

def _expected_ids(body: m.PlanBody, plan_id: str) -> dict[str, tuple[str, str]]:
    """Each record's expected id (or id prefix) from the numbering as
    written and the outline: id -> (expected, how)."""
    out: dict[str, tuple[str, str]] = {}
    numbered_children: dict[str | None, set[str]] = {}
    for s in body.sections:
        if s.number:
            numbered_children.setdefault(s.parent, set()).add(s.id)
    for s in body.sections:
        base = f"{s.parent}." if s.parent else f"{plan_id}/"
        n = outline_value(s.number)
        if n is not None:
            out[s.id] = (f"{base}{n}", f"its number {s.number} under {s.parent or 'the plan'}")
        else:
            out[s.id] = (base + "*", f"a section under {s.parent or 'the plan'}")
    counters: dict[str | None, dict[str, int]] = {}
    for meas in body.measures:
        owner = meas.section
        base = f"{owner}." if owner else f"{plan_id}/0."
        c = counters.setdefault(owner, {"k": 0, "p": 0, "b": 0})
        n = outline_value(meas.number)
        if meas.kind in ("box", "table"):
            if n is not None and meas.number and meas.number.startswith("专栏"):
                out[meas.id] = (f"{plan_id}/box{n}", f"its number {meas.number}")
            else:
                # unnumbered boxes and tables of a section, in order: box, box2, box3 …
                c["b"] += 1
                tail = "box" if c["b"] == 1 else f"box{c['b']}"
                out[meas.id] = (f"{base}{tail}", f"unnumbered box or table no. {c['b']} of "
                                                 f"{owner or 'the preamble'}")
        elif n is not None:
            out[meas.id] = (f"{base}{n}", f"its number {meas.number} under {owner or 'the plan'}")
        elif owner is None and meas.id == f"{plan_id}/0.notice":
            out[meas.id] = (meas.id, "the covering notice (印发通知)")
        else:
            collide = bool(numbered_children.get(owner))
            if meas.kind == "measure" and not collide:
                c["k"] += 1
                out[meas.id] = (f"{base}{c['k']}", f"unnumbered lead-phrase measure no. {c['k']} of {owner}")
            else:
                c["p"] += 1
                out[meas.id] = (f"{base}p{c['p']}", f"unnumbered paragraph no. {c['p']} of {owner or 'the preamble'}")
    return out


@rule(("E240", "an id that contradicts the number as written or the outline path"),
      ("E241", "a gap or repeat in a numbering sequence ((一)(二)(四))"),
      ("E242", "records out of source order"))
def _ids(a: Audit) -> None:
    body, pid = a.body, a.plan.id
    for rid, (want, how) in _expected_ids(body, pid).items():
        if want.endswith("*"):
            ok = rid.startswith(want[:-1]) and "." not in rid[len(want) - 1:]
        else:
            ok = rid == want
        a.check(ok, "E240", rid, None, f"id {rid} does not fit {how}: expected {want.rstrip('*')}{'<n>' if want.endswith('*') else ''}",
                at=rid, fld="id", hint=None if want.endswith("*") else f"id: {want}")
    # numbering: siblings of one style are consecutive; a sequence may go on
    # from the previous parent's (qinghai numbers its measures straight through)
    kids: dict[str | None, list] = {}
    for s in body.sections:
        kids.setdefault(s.parent, []).append((s.line if not s.restored else None, s.order, "s", s))
    for meas in body.measures:
        kids.setdefault(meas.section, []).append((meas.line, meas.order, "m", meas))
    depth = {s.id: s.depth for s in body.sections}
    last_of: dict[tuple, int] = {}
    parents = [None] + [s.id for s in body.sections]
    for parent in parents:
        for kind in ("s", "m"):
            seq = [r for _l, _o, k, r in kids.get(parent, []) if k == kind and r.number
                   and (kind == "s" or r.kind not in ("box", "table"))]
            by_style: dict[int, list] = {}
            for r in seq:
                st = outline_style(r.number)
                if st is not None:
                    by_style.setdefault(st, []).append(r)
            for st, rs in by_style.items():
                key = (kind, st, depth.get(parent, -1))
                prev = None
                for r in rs:
                    n = outline_value(r.number)
                    if n is None:
                        continue
                    if prev is None:
                        ok = n == 1 or n == last_of.get(key, 0) + 1
                        why = f"{r.number} starts a sequence: expected 1" + (
                            f" or {last_of[key] + 1} (going on from the previous sequence)" if key in last_of else "")
                    else:
                        ok = n == prev + 1
                        why = f"{r.number} follows {prev}: expected {prev + 1}"
                    a.check(ok, "E241", r.id, r.line, f"numbering gap: {why}", at=r, fld="number")
                    prev = n
                if prev is not None:
                    last_of[key] = prev
    boxes = [x for x in body.measures if x.kind in ("box", "table") and x.number and x.number.startswith("专栏")]
    for k, b in enumerate(boxes, start=1):
        a.check(outline_value(b.number) == k, "E241", b.id, b.line,
                f"numbering gap: {b.number} is box no. {k} of the plan", at=b, fld="number")
    for annex in body.annexes:
        items = [it for g in annex.groups for it in g.items if it.number]
        for k, it in enumerate(items, start=1):
            a.check(outline_value(it.number) == k, "E241", annex.id, it.line,
                    f"numbering gap: annex entry {it.number}{it.name} is entry no. {k}", at=annex)
    # source order among siblings (a restored heading's line is in the contents)
    for _parent, rs in kids.items():
        for k in ("s", "m"):
            seq = [(ln, r) for ln, _o, kk, r in rs if kk == k and ln is not None]
            for (l1, r1), (l2, r2) in zip(seq, seq[1:]):
                a.check(l2 >= l1, "E242", r2.id, l2, f"{r2.id} (line {l2}) is listed after {r1.id} (line {l1})",
                        at=r2, fld="line")


# --------------------------------------------------------------------------- skips

CONTENTS_HEAD = re.compile(r"^目\s*录$")
NEWS_LEAD = re.compile(r"^(?:.{0,12}?(?:提出|指出|要求|明确|强调)[,，:：])")
HEADER_FORMS = "发文机关, 文号, 通知标题 (one line or broken over lines) or 主送机关"
SIGNATURE_FORMS = "署名, 日期, (此件公开发布)/(本文有删减), 抄送 or 印发 line"


def _skip_line_ok(a: Audit, skip: m.Skip, n: int, body_text: str, form_ok: dict[int, bool]) -> str | None:
    """None when line ``n`` is what its skip's kind says; else why not.
    ``form_ok``: for a 版头 / 落款 skip, which of its lines are such lines
    (text/gongwen.py: alone, or as a title or 主送机关 broken over lines)."""
    raw = a.lines[n - 1]
    line = squash(raw)
    if not line:
        return None
    kind = skip.kind
    if kind == "header":
        return None if form_ok.get(n) else f"it is not a 版头 line ({HEADER_FORMS})"
    if kind == "signature":
        return None if form_ok.get(n) else f"it is not a 落款 line ({SIGNATURE_FORMS})"
    if kind == "contents":
        if CONTENTS_HEAD.match(line) or any(p.match(raw) for p in CONTENTS_PATTERNS):
            return None
        return "it is not a table-of-contents line (目录, 第X篇 …, 第X章 …, 第X节 …)"
    if kind == "web":
        if "。" in raw or len(line) > 80 or any(p.match(raw) for p in HEADING_PATTERNS):
            return "it looks like body text, not web-page chrome (a sentence or a heading)"
        return None
    if kind == "summary":
        if G.EXCERPT.search(a.plan.completeness or ""):
            return None  # the copy breaks off: its summary may well tell of the part that is missing
        for sentence in re.split(r"[。!?！？]", raw):
            s = squash(NEWS_LEAD.sub("", sentence.strip()))
            if not s or s in body_text or squash(a.plan.name) in s or f"《{squash(a.plan.name)}》" in s:
                continue
            return f"its text {sentence.strip()[:30]!r} is not repeated in the body"
        return None
    return f"unknown skip kind {kind!r}"


def _skipped_forms(a: Audit) -> dict[str, dict[int, bool]]:
    """For the 版头 and 落款 kinds: which skipped lines are such lines.  A
    line is judged with the lines skipped with the same kind next to it
    (blank lines between aside), whichever skip entries hold them: one range
    1-3 and the ranges 1-2 and 3 are judged alike."""
    out: dict[str, dict[int, bool]] = {}
    for kind, judge in (("header", G.header_ok), ("signature", G.signature_ok)):
        lines = sorted({n for s in a.plan.skip if s.kind == kind for n in range(s.first, min(s.last, len(a.lines)) + 1)})
        runs: list[list[int]] = []
        for n in lines:
            if runs and all(not a.lines[k - 1].strip() for k in range(runs[-1][-1] + 1, n)):
                runs[-1].append(n)
            else:
                runs.append([n])
        got: dict[int, bool] = {}
        for run in runs:
            got.update(zip(run, judge([a.lines[n - 1] for n in run])))
        out[kind] = got
    return out


@rule(("E250", "a skipped line that is not what its skip kind says (版头, 落款, 目录, web page, summary)"),
      ("E251", "a skip that hides body text: a record claims a skipped line"))
def _skips(a: Audit) -> None:
    plan = a.plan
    claimed: dict[int, str] = {}
    for s in a.body.sections:
        if not s.restored:
            claimed.setdefault(s.line, s.id)
    for meas in a.body.measures:
        for n in range(meas.line, meas.line_end + 1):
            claimed.setdefault(n, meas.id)
    for annex in a.body.annexes:
        for n in range(annex.line, annex.line_end + 1):
            claimed.setdefault(n, annex.id)
    for n in plan.title_lines:
        claimed.setdefault(n, "title_lines")
    body_text = "".join(squash(t) for n, t in enumerate(a.lines, start=1) if n not in a.skipped)
    forms = _skipped_forms(a)
    for k, skip in enumerate(plan.skip):
        fld = f"skip[{k}]"
        form_ok = forms.get(skip.kind, {})
        for n in range(skip.first, skip.last + 1):
            if n > len(a.lines):
                a.check(False, "E250", plan.id, n, f"skipped line {n} is outside the source (1–{len(a.lines)})",
                        at=plan, fld=fld)
                break
            who = claimed.get(n)
            if who:
                a.check(False, "E251", plan.id, n, f"skipped line {n} is body text that {who} claims", at=plan, fld=fld,
                        hint=f"lines: {skip.first}-{n - 1}" if n > skip.first else None)
                continue
            why = _skip_line_ok(a, skip, n, body_text, form_ok)
            a.check(why is None, "E250", plan.id, n, f"skipped line {n} ({skip.kind}): {why}: {a.lines[n - 1][:30]!r}",
                    at=plan, fld=fld)


# --------------------------------------------------------------------------- national tasks

@rule(("E260", "a national group or task whose title is not written verbatim in its evidence unit"),
      ("E261", "a national evidence id that names no unit of its plan"),
      ("E262", "a measure that reviews the past (retrospective section) but carries a national task"))
def _national(a: Audit) -> None:
    body = a.body
    national = a.national
    if national is not None:
        units = {s.id: squash((s.number or "") + s.title) for s in body.sections}
        units.update({x.id: squash((x.number or "") + (x.title or "") + x.text) for x in body.measures})
        for rec in (*national.groups, *national.tasks):
            ev = rec.evidence
            if not ev or ev.split("/", 1)[0] != a.plan.id:
                continue
            if ev not in units:
                near = did_you_mean(ev, list(units), 1)
                _national_problem(a, "E261", rec, f"evidence {ev!r} names no unit of {a.plan.id}",
                                  f"did you mean {near[0]!r}?" if near else None)
                continue
            if squash(rec.title) not in units[ev]:
                _national_problem(a, "E260", rec, f"title {rec.title!r} is not written in {ev}", None,
                                  where_differs(rec.title, [(0, units[ev])]))
            else:
                a.res.checked += 1
                a.res.verified += 1
    retro = {s.id for s in body.sections if any(x.retrospective for x in body.section_path(s.id))}
    for meas in body.measures:
        if meas.section in retro:
            a.check(not meas.tasks, "E262", meas.id, meas.line,
                    f"{meas.id} is in a section that reviews the past, and carries {', '.join(meas.tasks)}",
                    at=meas, fld="tasks", hint="a retrospective measure carries no national task: remove tasks")


# --------------------------------------------------------------------------- coverage

@rule(("E301", "source text that no record holds (and no skip covers)"))
def _coverage(a: Audit) -> None:
    lines, res = a.lines, a.res
    for n in range(1, len(lines) + 1):
        if n in a.skipped:
            continue
        rest = a.cov.uncovered(n)
        visible = [ch for ch in lines[n - 1] if ch not in IGNORABLE]
        res.chars += len(visible)
        missing = [frag for frag in rest.split("\0") if frag.strip()]
        res.covered_chars += len(visible) - sum(len(f.replace(" ", "")) for f in missing)
        if missing:
            frag = max(missing, key=len)
            a.coverage_problem("E301", n, f"source text not in the YAML: {frag[:40]!r}")


@rule(("E302", "a heading of the source (or a contents entry) that no section, measure or annex entry holds"))
def _headings(a: Audit) -> None:
    body, res = a.body, a.res
    numbered = {(r.line, r.number) for r in body.sections if r.number}
    numbered |= {(r.line, r.number) for r in body.measures if r.number}
    for annex in body.annexes:
        numbered |= {(it.line, it.number) for g in annex.groups for it in g.items if it.number}
    titles = {squash(s.title) for s in body.sections}
    # numbered items inside a 专栏 box or a table belong to that unit
    inside_units = {n for meas in body.measures if meas.kind in ("box", "table")
                    for n in range(meas.line + 1, meas.line_end + 1)}
    for n, text in enumerate(a.lines, start=1):
        if n in inside_units:
            continue
        for pat in HEADING_PATTERNS:
            match = pat.match(text)
            if not match:
                continue
            number = match.group(1)
            if n in a.skipped:
                # a table of contents entry: its heading must exist (in the body or restored)
                if number.startswith("第"):
                    res.headings += 1
                    title = squash(text[match.end():])
                    if title in titles:
                        res.headings_found += 1
                    else:
                        a.coverage_problem("E302", n, f"contents entry {number}{title} has no section")
                break
            res.headings += 1
            if (n, number) in numbered:
                res.headings_found += 1
            else:
                a.coverage_problem("E302", n, f"heading {number!r} is not a section, measure or annex entry")
            break


@rule(("E303", "a measure of a section that carries national tasks names no task and gives no reason (no_task)"))
def _task_coverage(a: Audit) -> None:
    body = a.body
    retro = {s.id for s in body.sections if any(x.retrospective for x in body.section_path(s.id))}
    carrying = {x.section for x in body.measures if x.tasks}
    for meas in body.measures:
        if meas.kind != "measure" or meas.section not in carrying or meas.section in retro:
            continue
        if not meas.tasks and not meas.no_task:
            a.coverage_problem("E303", meas.line, f"{meas.id} names no national task", item=meas.id, at=meas,
                               fld="id", hint="tasks: [national/…] (data/national.yaml lists them), "
                                              "or no_task: <why it carries none>")
        elif meas.tasks and meas.no_task:
            a.coverage_problem("E303", meas.line, f"{meas.id} names national tasks and says it carries none",
                               item=meas.id, at=meas, fld="no_task", hint="remove no_task, or the tasks")


@rule(("E304", "a review flag (review:) that `cz ingest` left for a curator is still in the data"))
def _review_flags(a: Audit) -> None:
    """A draft's flags (docs/ingest.md): the item is not verified until a
    curator has checked it against the source and deleted its ``review:``."""
    plan, hint = a.plan, "check it against the source, fix what is wrong, then delete the review field"
    flagged: list[tuple[object, str, str, int]] = []  # (record, id, field, source line)
    if "review" in plan.field_lines:
        flagged.append((plan, plan.id, "review", 0))
    for k, skip in enumerate(plan.skip):
        if skip.reason.strip().lower().startswith("review"):
            flagged.append((plan, plan.id, f"skip[{k}]", skip.first))
    for s in a.body.sections:
        if "review" in s.field_lines:
            flagged.append((s, s.id, "review", s.line))
    for meas in a.body.measures:
        if "review" in meas.field_lines:
            flagged.append((meas, meas.id, "review", meas.line))
        for t in meas.targets:
            if "review" in t.field_lines:
                flagged.append((t, meas.id, "review", t.line))
    for rec, item, fld, line in flagged:
        what = "a skip whose reason is a review flag" if fld.startswith("skip") else "a review flag"
        a.coverage_problem("E304", line, f"{what} is still in the data: not yet checked by a curator",
                           item=item, at=rec, fld=fld, hint=hint)


# --------------------------------------------------------------------------- running

def audit_plan(bundle: m.PlanBundle, select: set[str] | None = None, *,
               vocab: m.Vocabularies | None = None) -> PlanAudit:
    """Run every rule (or those reporting a code in ``select``) over one plan.
    ``vocab`` adds the checks that need the vocabularies (unit families, the
    national plan's evidence)."""
    a = Audit(bundle)
    a.units = {i.name: i.unit for i in vocab.indicators} if vocab is not None else None
    a.depts = vocab.dept_by_name if vocab is not None else None
    a.national = vocab.national if vocab is not None else None
    for codes, fn in RULES:
        if select is None or set(codes) & select:
            fn(a)
    return a.res


def _national_problem(a: Audit, code, rec, message, hint=None, detail=None) -> None:
    a.res.checked += 1
    a.res.problems.append(Problem(a.plan.id, code, rec.id, None, message, "error",
                                  a.national.file, rec.field_lines.get("title", rec.file_line) if code == "E260"
                                  else rec.field_lines.get("evidence", rec.file_line), hint, detail or []))


def catalogue_problems(kb: m.KnowledgeBase) -> list[Problem]:
    """Checks across plans: a national evidence id must name a plan of the
    catalogue (its unit is checked with that plan); a vocabulary entry that
    `cz ingest` proposed is not accepted until its review flag is deleted."""
    national = kb.vocab.national
    out = evidence_problems({p.id for p in kb.plans}, national) if national is not None else []
    return out + vocabulary_flags(kb.vocab)


def vocabulary_flags(vocab: m.Vocabularies) -> list[Problem]:
    """E304 (coverage) for every vocabulary entry still marked ``review:``:
    a proposal stays one until a curator accepts it (deletes the flag)."""
    return [Problem("", "E304", p.name, None, f"proposed {p.kind} {p.name!r} is not yet accepted: {p.review}",
                    "coverage", p.file, p.file_line,
                    "check the name (is it an alias of a known one?), then delete the review field")
            for p in vocab.proposals]


def evidence_problems(plans: set[str], national: m.National) -> list[Problem]:
    """E261 for every national evidence id that names no plan of ``plans``."""
    out: list[Problem] = []
    for rec in (*national.groups, *national.tasks):
        ev = rec.evidence
        if ev and ev.split("/", 1)[0] not in plans:
            near = did_you_mean(ev.split("/", 1)[0], sorted(plans), 1)
            out.append(Problem("", "E261", rec.id, None, f"evidence {ev!r} names no plan of the catalogue", "error",
                               national.file, rec.field_lines.get("evidence", rec.file_line),
                               f"did you mean {near[0]!r}?" if near else None))
    return out
