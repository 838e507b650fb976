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
``CODES``; what each code means is kb/messages.py's registry), run in
registration order — the rules that claim source text first, the coverage
rules last.  Each problem's message is a template with its values
(kb/messages.py: the CLI says it in the reader's language).  Nothing here
prints: :func:`audit_plan` returns plain data; the CLI renders it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from chengzhen.kb import model as m
from chengzhen.kb.messages import N_, Flag, Msg as M, did_you_mean_hint, joined
from chengzhen.kb.messages import kind as KIND
from chengzhen.kb.messages import meaning
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
CODES: dict[str, str] = {}  # the codes the rules report, with their meanings (kb/messages.py's registry)


def rule(*codes: str):
    """Register a rule with the codes it reports (each in kb/messages.py's registry)."""
    def deco(fn: Rule) -> Rule:
        for code in codes:
            CODES[code] = meaning(code)
        RULES.append((codes, fn))
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


@rule("E210")
def _title_lines(a: Audit) -> None:
    lines, plan = a.lines, a.plan
    name = squash(plan.name)
    for n in plan.title_lines:
        line = squash(lines[n - 1]) if 1 <= n <= len(lines) else ""
        # a title line is the name (or part of a name broken over lines), or a
        # web page's "名称: <name>" label around it
        ok = bool(line) and (line in name or name in line)
        if a.check(ok, "E210", plan.id, n, M(N_("title line {line} is not part of the plan name"), line=n), at=plan,
                   fld="title_lines", detail=(lambda: where_differs(plan.name, [(n, lines[n - 1])])) if 1 <= n <= len(lines) else None):
            a.cov.mark_line(n)
    if plan.supplied_reason("name") is None:
        a.check(bool(plan.title_lines) and name in _title_text(a), "E210", plan.id, None,
                M(N_("the name is not written on the title lines")), at=plan, fld="name",
                hint=M(N_("give the title_lines that hold it, or mark the name as supplied: {{name: <reason>}}")),
                detail=lambda: where_differs(plan.name, [(n, lines[n - 1]) for n in plan.title_lines
                                                        if 1 <= n <= len(lines)]))


@rule("E211", "E212", "E213")
def _catalogue(a: Audit) -> None:
    plan = a.plan
    zone = _catalogue_zone(a)
    zone_text = "\n".join(squash(t) for _, t in zone)
    everything = "\n".join(squash(t) for t in a.lines)
    supplied = dict(plan.supplied)

    def how(key: str) -> M:
        return M(N_("write it as the source does; where the source gives none, the editors' value needs supplied: "
                    "{{{key}: <reason>}}"), key=key)

    if plan.issuer and "issuer" not in supplied:
        a.check(squash(plan.issuer) in zone_text, "E211", plan.id, None,
                M(N_("issuer {issuer!r} is not written in the title lines, 版头 or 落款"), issuer=plan.issuer),
                at=plan, fld="issuer", hint=how("issuer"))
    numbers = sorted({x for _, t in zone for x in DOC_NUMBER.findall(squash(t))})
    if "doc_number" not in supplied:
        if plan.doc_number:
            a.check(squash(plan.doc_number) in zone_text, "E211", plan.id, None,
                    M(N_("文号 {number!r} is not written in the 版头 (it writes {numbers})"), number=plan.doc_number,
                      numbers=", ".join(numbers)) if numbers else
                    M(N_("文号 {number!r} is not written in the 版头"), number=plan.doc_number), at=plan,
                    fld="doc_number",
                    hint=M(N_("doc_number: {value}"), value=numbers[0]) if len(numbers) == 1 else how("doc_number"))
        else:
            a.check(not numbers, "E211", plan.id, None,
                    M(N_("the 版头 writes 文号 {numbers}, doc_number is null"), numbers=", ".join(numbers)),
                    at=plan, fld="doc_number", hint=M(N_("doc_number: {value}"), value=numbers[0] if numbers else ""))
    signed = [date for n, t in zone for date in G.dates(squash(t))
              if any(s.first <= n <= s.last and s.kind in ("signature", "header") for s in plan.skip)]
    if "issue_date" not in supplied:
        if plan.issue_date:
            y, mo, d = (int(x) for x in plan.issue_date.split("-"))
            a.check((y, mo, d) in signed, "E211", plan.id, None,
                    M(N_("issue date {date} is not the date of the 落款 ({dates})"), date=plan.issue_date,
                      dates="/".join(f"{x[0]}年{x[1]}月{x[2]}日" for x in signed)) if signed else
                    M(N_("issue date {date} is not the date of the 落款 (none is written)"), date=plan.issue_date),
                    at=plan, fld="issue_date",
                    hint=M(N_("issue_date: {value}"), value=f"{signed[0][0]:04d}-{signed[0][1]:02d}-{signed[0][2]:02d}")
                    if len(signed) == 1 else how("issue_date"))
        else:
            a.check(not signed, "E211", plan.id, None,
                    M(N_("the 落款 is dated {date}, issue_date is null"),
                      date=f"{signed[0][0]}年{signed[0][1]}月{signed[0][2]}日") if signed else M(""),
                    at=plan, fld="issue_date",
                    hint=M(N_("issue_date: {value}"), value=f"{signed[0][0]:04d}-{signed[0][1]:02d}-{signed[0][2]:02d}")
                    if signed else None)
    if plan.parent and "parent" not in supplied:
        a.check(squash(plan.parent) in everything, "E211", plan.id, None,
                M(N_("parent {parent!r} is not written in the source"), parent=plan.parent), at=plan, fld="parent",
                hint=how("parent"))
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
                M(N_("period {start}–{end} contradicts the title ({title_start}–{title_end})"), start=have[0],
                  end=have[1], title_start=stated[0], title_end=stated[1]), at=plan,
                fld="period", hint=M(N_("period: {{start: {start}, end: {end}}}"), start=stated[0], end=stated[1]))
    else:
        a.check("period" in supplied, "E212", plan.id, None,
                M(N_("the title states no period, and period {start}–{end} is not marked as supplied"), start=have[0],
                  end=have[1]), at=plan,
                fld="period", hint=M(N_("supplied: {{period: <where the period comes from>}}")))
    says = bool(ABRIDGED.search(everything))
    a.check(plan.abridged == says, "E213", plan.id, None,
            M(N_("the source says 本文有删减 (abridged), abridged is not true")) if says
            else M(N_("abridged is true, but the source does not say 本文有删减")), at=plan, fld="abridged",
            hint=M(N_("abridged: true")) if says else M(N_("remove abridged")))


# --------------------------------------------------------------------------- verbatim

@rule("E201")
def _units(a: Audit) -> None:
    lines, cov = a.lines, a.cov
    for s in a.body.sections:
        a.res.sections += 1
        for fld, part in (("number", s.number), ("title", s.title)):
            if part:
                a.check(cov.claim(part, s.line, s.line) is not None, "E201", s.id, s.line,
                        M(N_("heading {field} {part!r} not found on source line {line}"), field=fld, part=part,
                          line=s.line), at=s, fld=fld,
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
                        M(N_("{field} {part!r} not found on source line(s) {first}–{last}"), field=field_name,
                          part=part, first=meas.line, last=meas.line_end),
                        at=meas, fld=field_name, detail=lambda: a.diff(part, *rng))
        a.check(cov.claim(meas.text, *rng) is not None, "E201", meas.id, meas.line,
                M(N_("text not found verbatim on source line(s) {first}–{last}"), first=meas.line,
                  last=meas.line_end), at=meas, fld="text",
                detail=lambda: a.diff(meas.text, *rng))
    for annex in a.body.annexes:
        a.check(cov.claim(annex.title, annex.line, annex.line_end) is not None, "E201", annex.id, annex.line,
                M(N_("annex title {title!r} not found"), title=annex.title), at=annex, fld="title")
        for n in annex.lines:
            if 1 <= n <= len(lines):
                cov.mark_line(n)
        for g in annex.groups:
            if g.name:
                a.check(cov.claim(g.name, g.line, g.line) is not None, "E201", annex.id, g.line,
                        M(N_("annex group {name!r} not found on line {line}"), name=g.name, line=g.line), at=annex)
            if g.count_as_written:
                a.check(cov.claim(g.count_as_written, g.line, g.line) is not None, "E201", annex.id, g.line,
                        M(N_("annex count {count!r} not found on line {line}"), count=g.count_as_written, line=g.line),
                        at=annex)
            for it in g.items:
                for part in (it.number, it.name):
                    if part:
                        a.check(cov.claim(part, it.line, it.line) is not None, "E201", annex.id, it.line,
                                M(N_("annex entry {part!r} not found on line {line}"), part=part, line=it.line),
                                at=annex)


# --------------------------------------------------------------------------- departments

# The clause reading (role labels, 牵头, joint entries, brackets inside names)
# is shared with ingest: chengzhen.text.clauses.
clause_names = C.clause_names
joint_runs = C.joint_runs
joint_names = C.joint_names


@rule("E209", "E208", "E230", "E231", "E232")
def _departments(a: Audit) -> None:
    for meas in a.body.measures:
        q = meas.departments_quote
        if q:
            a.check(a.cov.claim(q, meas.line, meas.line_end) is not None, "E209", meas.id, meas.line,
                    M(N_("责任单位 clause not found on source line(s) {first}–{last}"), first=meas.line,
                      last=meas.line_end), at=meas,
                    fld="departments_quote", detail=lambda: a.diff(q, meas.line, meas.line_end))
        _dept_list(a, meas, meas.dept_entries, q, meas.lead, "departments")
    at = a.body.all_tasks
    if at:
        for e in at.dept_entries:
            a.res.departments += len(e.names)
            a.check(e.as_written in at.quote, "E208", a.plan.id, at.line,
                    M(N_("department {name!r} is not in the applies_to_all_tasks quote"), name=e.as_written),
                    at=a.plan)
            if e.joint:
                a.check(list(e.names) in joint_names(e.as_written), "E231", a.plan.id, at.line,
                        M(N_("joint entry {joint!r} does not name {names}"), joint=e.as_written, names=list(e.names)),
                        at=a.plan,
                        hint=_joint_hint(e.as_written))


def _joint_hint(joint: str) -> M:
    options = joint_names(joint)
    return M(N_("for example names: [{names}]"), names=", ".join(options[0])) if options else \
        M(N_("a joint entry lists names joined by 、"))


def _dept_list(a: Audit, meas: m.Measure, entries, quote: str | None, lead, fld: str) -> None:
    for e in entries:
        a.res.departments += len(e.names)
    if not entries and not quote:
        return
    if entries and not quote:
        a.check(False, "E208", meas.id, meas.line, M(N_("departments given without the 责任单位 clause they come from")),
                at=meas, fld=fld, hint=M(N_("add departments_quote: the clause as written, e.g. (责任单位:省教育厅)")))
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
            a.check(False, "E208", meas.id, meas.line,
                    M(N_("department {name!r} is not in its 责任单位 clause"), name=e.as_written),
                    at=meas, fld=f"{fld}[{k}]" if f"{fld}[{k}]" in meas.field_lines else fld,
                    hint=(M(N_("the clause writes it {name!r} (the same department): list it as written"),
                            name=same[0]) if same else
                          did_you_mean_hint(near[:1]) if near else
                          M(N_("the clause names: {names}"), names="、".join(names))))
        elif e.joint:
            a.check(e.as_written in quote, "E208", meas.id, meas.line,
                    M(N_("joint entry {joint!r} is not in its 责任单位 clause"), joint=e.as_written), at=meas, fld=fld)
            a.check(list(e.names) in joint_names(e.as_written), "E231", meas.id, meas.line,
                    M(N_("joint entry {joint!r} does not name {names}"), joint=e.as_written, names=list(e.names)),
                    at=meas, fld=fld,
                    hint=_joint_hint(e.as_written))
    joints = {e.as_written for e in entries if e.joint}
    for run in joint_runs(quote):
        if run not in joints:
            a.check(False, "E231", meas.id, meas.line,
                    M(N_("the clause writes the joint entry {joint!r} (one government named for each place), "
                         "the list splits it"), joint=run), at=meas, fld=fld,
                    hint=M(N_("{{joint: {joint}, names: [{names}]}}"), joint=run,
                           names=", ".join(joint_names(run)[0])) if joint_names(run) else None)
    right = wanted == names
    if not right:
        dropped = [n for n in names if n not in wanted]
        added = [n for n in wanted if n not in names]
        if dropped:
            what = M(N_("the clause names {names}, which the list drops"), names="、".join(dropped))
        elif added:
            what = M(N_("the list adds {names}, which the clause does not name"), names="、".join(added))
        else:
            what = M(N_("the list is not in the clause's order"))
        a.check(False, "E230", meas.id, meas.line, M(N_("departments differ from the 责任单位 clause: {what}"), what=what),
                at=meas, fld=fld, hint=M(N_("the clause lists: {names}"), names="、".join(names)))
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
    hint = M(N_("lead: [{names}]"), names=", ".join(expected)) if expected else M(N_("remove lead"))
    extra = [d for d in lead if d not in expected]
    missing = [d for d in expected if d not in lead] if (right or not lead) else []
    if lead or expected:
        # one report for the field, naming both what it adds and what it lacks
        adds = lacks = None
        if extra:
            adds = M(N_("lead {names}: the clause does not write 牵头 for it") if len(extra) == 1 else
                     N_("lead {names}: the clause does not write 牵头 for them"), names="、".join(extra))
        if missing:
            lacks = M(N_("the clause writes 牵头 for {names}, lead lacks it") if lead else
                      N_("the clause writes 牵头 for {names}, lead is not given"), names="、".join(missing))
        a.check(not (adds or lacks), "E232", meas.id, meas.line, joined(adds, lacks) or M(""),
                at=meas, fld="lead" if lead else fld,
                hint=M(N_("{hint} (lead is only for what the source marks 牵头; the order of the list is kept as "
                          "written)"), hint=hint) if extra else hint)


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


@rule("E202", "E203", "E204", "E205", "E206", "E220", "E221", "E222", "E223", "E224", "E225", "E226", "E227", "E228",
      "E229")
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
            a.check(found, "E202", meas.id, t.line,
                    M(N_("target quote not found on source line(s) {first}–{last}"), first=t.line, last=last),
                    at=t, fld="quote", detail=lambda: a.diff(t.quote, t.line, last))
            a.check(squash(t.as_written) in squash(t.quote), "E203", meas.id, t.line,
                    M(N_("target as_written {as_written!r} is not in its quote"), as_written=t.as_written), at=t,
                    fld="as_written",
                    detail=lambda: where_differs(t.as_written, [(t.line, t.quote)]))
            ok = value_in(t.value, t.as_written, t.quote) and value_in(t.value_max, t.as_written, t.quote)
            a.check(ok, "E204", meas.id, t.line,
                    M(N_("target value {value} does not occur in {as_written!r}"),
                      value=f"{t.value:g}{'' if t.value_max is None else f'–{t.value_max:g}'}", as_written=t.as_written)
                    if t.value is not None else M(N_("target value missing from its quote")),
                    at=t, fld="value_max" if t.value_max is not None and value_in(t.value, t.as_written, t.quote) else "value")
            if t.scope:
                a.check(cov.claim(t.scope, meas.line, max(last, meas.line_end), mark=False) is not None,
                        "E206", meas.id, t.line,
                        M(N_("target scope {scope!r} is not written on the measure's lines"), scope=t.scope),
                        at=t, fld="scope")
            if t.baseline_as_written is not None:
                a.check(cov.claim(str(t.baseline_as_written), t.line, last, mark=False) is not None,
                        "E205", meas.id, t.line,
                        M(N_("baseline {baseline!r} not found in the source"), baseline=t.baseline_as_written),
                        at=t, fld="baseline_as_written")
            if not found:
                continue  # the sentence checks need the quote in place
            _target_sentence(a, meas, t, _sentence(a, meas, t), units)
    at = a.body.all_tasks
    if at:
        a.check(cov.claim(at.quote, at.line, at.line, mark=False) is not None, "E202", a.plan.id, at.line,
                M(N_("applies_to_all_tasks quote not found on its line")), at=a.plan)


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
            a.check(False, "E221", item, t.line, M(N_("a target with a figure or a span needs a year")), at=t,
                    fld="year",
                    hint=M(N_("year: {year}, year_implied: true ({span})"), year=relative, span=within.group(0))
                    if relative else
                    (M(N_("year: {year}"), year=min(years)) if years else
                     M(N_("year: {year}, year_implied: true"), year=plan.period_end)))
        else:
            a.check(not years, "E222", item, t.line,
                    M(N_("the sentence writes {years}: year: {year}"), years=written, year=min(years) if years else ""),
                    at=t, fld="year")
    elif not t.year_implied:
        a.check(t.year in years, "E220", item, t.line,
                M(N_("year {year} is not written in the sentence (it writes {written})"), year=t.year,
                  written=written if years else within.group(0)) if years or relative else
                M(N_("year {year} is not written in the sentence (it writes no year)"), year=t.year), at=t, fld="year",
                hint=M(N_("year: {year}"), year=min(years)) if len(years) == 1 else
                (M(N_("year: {year}, year_implied: true"), year=relative) if relative else
                 M(N_("year_implied: true (the plan period ends {end})"), end=plan.period_end) if not years else None))
    elif years:
        a.check(False, "E220", item, t.line, M(N_("year_implied is true, but the sentence writes {years}"),
                                               years=written), at=t,
                fld="year_implied",
                hint=M(N_("year: {year}, year_implied: false"), year=min(years)) if len(years) == 1 else
                M(N_("year_implied: false")))
    elif relative:
        a.check(t.year == relative, "E221", item, t.line,
                M(N_("implied year {year} does not fit {span} (from {start}): {relative}"), year=t.year,
                  span=within.group(0), start=plan.period_start, relative=relative),
                at=t, fld="year", hint=M(N_("year: {year}"), year=relative))
    elif t.value is None:
        a.check(False, "E222", item, t.line,
                M(N_("an open-ended commitment (no figure, no year written or governed) carries an implied year")),
                at=t, fld="year", hint=M(N_("year: null, year_implied: false (it is then listed as a commitment)")))
    else:
        a.check(t.year == plan.period_end, "E221", item, t.line,
                M(N_("implied year {year} is not the plan period's end ({end})"), year=t.year, end=plan.period_end),
                at=t, fld="year", hint=M(N_("year: {year}"), year=plan.period_end))
    # ---- qualifier and comparator
    q = t.qualifier
    if q is not None and q not in S.QUALIFIERS:
        if q in S.ASPIRATIONS:
            hint = M(N_("{word} is an aspiration: aspiration: {word}, and qualifier: the comparator word, if any"),
                     word=q)
        else:
            near = did_you_mean(q, list(S.QUALIFIERS), 2)
            hint = joined(did_you_mean_hint(near), M(N_("the qualifier table is in docs/data-format.md")), sep=" ")
        a.check(False, "E223", item, t.line, M(N_("qualifier {qualifier!r} is not in the qualifier table"), qualifier=q),
                at=t, fld="qualifier", hint=hint)
    else:
        want = S.QUALIFIERS[q] if q else S.comparator_without_qualifier(t.value, t.value_max)
        if t.value_max is not None and q is None:
            want = "range"
        a.check(t.comparator == want, "E223", item, t.line,
                M(N_("comparator {comparator!r} does not fit qualifier {qualifier!r} ({word} → {want})"),
                  comparator=t.comparator, qualifier=q, word=q, want=want) if q else
                M(N_("comparator {comparator!r} does not fit a target without a qualifier ({what} → {want})"),
                  comparator=t.comparator, want=want,
                  what=M(N_("a range")) if t.value_max is not None else M(N_("no figure")) if t.value is None
                  else M(N_("a figure"))),
                at=t, fld="comparator", hint=M(N_("comparator: {value}"), value=want))
        if q:
            a.check(S.in_order(q.split("…"), ctx), "E224", item, t.line,
                    M(N_("qualifier {qualifier!r} is not written in the sentence"), qualifier=q), at=t, fld="qualifier")
    in_written = S.qualifier_written(t.as_written, t.value)  # not 县城及以上城市 (a goal without a figure)
    if in_written and (q is None or (in_written not in q and q not in in_written)):
        a.check(False, "E224", item, t.line,
                M(N_("as_written {as_written!r} says {word}, qualifier is {qualifier!r}"), as_written=t.as_written,
                  word=in_written, qualifier=q), at=t, fld="qualifier",
                hint=M(N_("qualifier: {word} (comparator: {comparator})"), word=in_written,
                       comparator=S.QUALIFIERS[in_written]))
    if (t.value_max is not None) != (t.comparator == "range"):
        a.check(False, "E223", item, t.line,
                M(N_("comparator range goes with value_max (value–value_max), and only with it")),
                at=t, fld="comparator")
    # ---- cumulative
    if meas.kind == "table":
        marked = S.table_total(t.as_written)
    else:
        marked = S.total_written(t.quote, ctx) or (t.indicator, t.value) in a.table_totals
    a.check(t.cumulative == marked, "E225", item, t.line,
            M(N_("cumulative is true, but the quote marks no total (累计, N年内, 2022—2025年; [] in the plan's table)"))
            if t.cumulative else
            M(N_("the source marks a total (累计, N年内, 2022—2025年; [] in the plan's table), cumulative is false")),
            at=t, fld="cumulative", hint=M(N_("cumulative: {value}"), value="true" if marked else "false"))
    # ---- basis
    words = {"annual_growth": "年均 / 每年平均", "increase": "新增 / 增加 / 新建 / 提高…", "decrease": "减少 / 下降 / 降低…"}
    if t.basis in words:
        a.check(S.basis_written(t.basis, ctx), "E229", item, t.line,
                M(N_("basis {basis}, but the sentence writes no {words}"), basis=t.basis, words=words[t.basis]),
                at=t, fld="basis")
    if S.PER_YEAR.search(t.quote) and t.basis != "annual_growth":
        a.check(S.names_year(t.indicator), "E229", item, t.line,
                M(N_("a figure per year (每年…), but indicator {indicator!r} does not say so"), indicator=t.indicator),
                at=t, fld="indicator",
                hint=M(N_("an annual figure's indicator names the year (年新培育高新技术企业数量), or basis: "
                          "annual_growth")))
    if t.basis != "annual_growth" and S.GROWTH.search(t.as_written):
        a.check(False, "E229", item, t.line,
                M(N_("as_written {as_written!r} is a yearly growth: basis: annual_growth"), as_written=t.as_written),
                at=t, fld="basis")
    # ---- unit: written with the figure, and of the indicator's family
    declared = a.units.get(t.indicator, "?") if a.units is not None else "?"
    if t.unit is not None:
        if t.value is None:
            a.check(False, "E226", item, t.line, M(N_("unit {unit!r} without a figure"), unit=t.unit), at=t, fld="unit",
                    hint=M(N_("unit: null")))
        else:
            a.check(S.unit_written(t.unit, t.value, t.as_written, ctx if meas.kind != "table" else t.quote), "E226",
                    item, t.line, M(N_("unit {unit!r} is not written with the figure"), unit=t.unit), at=t, fld="unit")
            if declared != "?":
                a.check(S.units_agree(t.unit, declared, t.basis), "E226", item, t.line,
                        M(N_("unit {unit!r} is not of {indicator}'s unit family ({declared!r})"), unit=t.unit,
                          indicator=t.indicator, declared=declared), at=t, fld="unit",
                        hint=M(N_("unit: {unit}, or a magnitude of it (万{unit}); a new unit goes in indicators.yaml"),
                               unit=declared) if declared else
                        M(N_("the indicator declares no unit (a ratio or an index): unit: null")))
    elif t.value is not None and declared not in ("?", None):
        a.check(not S.unit_written(declared, t.value, t.as_written, t.as_written), "E226", item, t.line,
                M(N_("as_written {as_written!r} writes the unit {unit!r}, unit is null"), as_written=t.as_written,
                  unit=declared), at=t, fld="unit",
                hint=M(N_("unit: {unit}"), unit=declared))
    # ---- aspiration
    asp = S.aspiration_for(s.prefix, t.quote)
    if t.aspiration != asp:
        a.check(False, "E227", item, t.line,
                M(N_("the sentence writes {word}, aspiration is {aspiration!r}"), word=asp, aspiration=t.aspiration)
                if asp else
                M(N_("aspiration {aspiration!r}, but the sentence writes no 力争 / 争取 / 努力"), aspiration=t.aspiration),
                at=t, fld="aspiration",
                hint=M(N_("aspiration: {word}"), word=asp) if asp else M(N_("aspiration: null")))
    else:
        a.res.checked += 1
        a.res.verified += 1
    # ---- baseline
    if t.baseline is not None:
        a.check(t.baseline_as_written is not None and value_in(t.baseline, str(t.baseline_as_written)), "E228",
                item, t.line, M(N_("baseline {baseline} is not in baseline_as_written {as_written!r}"),
                                baseline=f"{t.baseline:g}", as_written=t.baseline_as_written),
                at=t, fld="baseline")
    if t.baseline_year is not None:
        a.check(t.baseline_year in S.written_years(s.years_from), "E228", item, t.line,
                M(N_("baseline year {year} is not written with the target"), year=t.baseline_year), at=t,
                fld="baseline_year")


# --------------------------------------------------------------------------- ids and numbering

def _expected_ids(body: m.PlanBody, plan_id: str) -> dict[str, tuple[str, str]]:
    """Each record's expected id (or id prefix) from the numbering as
    written and the outline: id -> (expected, how)."""
    out: dict[str, tuple[str, M]] = {}
    numbered_children: dict[str | None, set[str]] = {}
    the_plan, the_preamble = M(N_("the plan")), M(N_("the preamble"))
    for s in body.sections:
        if s.number:
            numbered_children.setdefault(s.parent, set()).add(s.id)
    for s in body.sections:
        base = f"{s.parent}." if s.parent else f"{plan_id}/"
        n = outline_value(s.number)
        if n is not None:
            out[s.id] = (f"{base}{n}", M(N_("its number {number} under {parent}"), number=s.number,
                                         parent=s.parent or the_plan))
        else:
            out[s.id] = (base + "*", M(N_("a section under {parent}"), parent=s.parent or the_plan))
    counters: dict[str | None, dict[str, int]] = {}
    for meas in body.measures:
        owner = meas.section
        base = f"{owner}." if owner else f"{plan_id}/0."
        c = counters.setdefault(owner, {"k": 0, "p": 0, "b": 0})
        n = outline_value(meas.number)
        if meas.kind in ("box", "table"):
            if n is not None and meas.number and meas.number.startswith("专栏"):
                out[meas.id] = (f"{plan_id}/box{n}", M(N_("its number {number}"), number=meas.number))
            else:
                # unnumbered boxes and tables of a section, in order: box, box2, box3 …
                c["b"] += 1
                tail = "box" if c["b"] == 1 else f"box{c['b']}"
                out[meas.id] = (f"{base}{tail}", M(N_("unnumbered box or table no. {n} of {parent}"), n=c["b"],
                                                   parent=owner or the_preamble))
        elif n is not None:
            out[meas.id] = (f"{base}{n}", M(N_("its number {number} under {parent}"), number=meas.number,
                                            parent=owner or the_plan))
        elif owner is None and meas.id == f"{plan_id}/0.notice":
            out[meas.id] = (meas.id, M(N_("the covering notice (印发通知)")))
        else:
            collide = bool(numbered_children.get(owner))
            if meas.kind == "measure" and not collide:
                c["k"] += 1
                out[meas.id] = (f"{base}{c['k']}", M(N_("unnumbered lead-phrase measure no. {n} of {parent}"),
                                                     n=c["k"], parent=owner))
            else:
                c["p"] += 1
                out[meas.id] = (f"{base}p{c['p']}", M(N_("unnumbered paragraph no. {n} of {parent}"), n=c["p"],
                                                      parent=owner or the_preamble))
    return out


@rule("E240", "E241", "E242")
def _ids(a: Audit) -> None:
    body, pid = a.body, a.plan.id
    for rid, (want, how) in _expected_ids(body, pid).items():
        if want.endswith("*"):
            ok = rid.startswith(want[:-1]) and "." not in rid[len(want) - 1:]
        else:
            ok = rid == want
        a.check(ok, "E240", rid, None, M(N_("id {id} does not fit {how}: expected {want}"), id=rid, how=how,
                                         want=f"{want.rstrip('*')}{'<n>' if want.endswith('*') else ''}"),
                at=rid, fld="id", hint=None if want.endswith("*") else M(N_("id: {id}"), id=want))
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
                        why = M(N_("{number} starts a sequence: expected 1 or {next} (going on from the previous "
                                   "sequence)"), number=r.number, next=last_of[key] + 1) if key in last_of else \
                            M(N_("{number} starts a sequence: expected 1"), number=r.number)
                    else:
                        ok = n == prev + 1
                        why = M(N_("{number} follows {prev}: expected {next}"), number=r.number, prev=prev, next=prev + 1)
                    a.check(ok, "E241", r.id, r.line, M(N_("numbering gap: {why}"), why=why), at=r, fld="number")
                    prev = n
                if prev is not None:
                    last_of[key] = prev
    boxes = [x for x in body.measures if x.kind in ("box", "table") and x.number and x.number.startswith("专栏")]
    for k, b in enumerate(boxes, start=1):
        a.check(outline_value(b.number) == k, "E241", b.id, b.line,
                M(N_("numbering gap: {number} is box no. {n} of the plan"), number=b.number, n=k), at=b, fld="number")
    for annex in body.annexes:
        items = [it for g in annex.groups for it in g.items if it.number]
        for k, it in enumerate(items, start=1):
            a.check(outline_value(it.number) == k, "E241", annex.id, it.line,
                    M(N_("numbering gap: annex entry {entry} is entry no. {n}"), entry=f"{it.number}{it.name}", n=k),
                    at=annex)
    # source order among siblings (a restored heading's line is in the contents)
    for _parent, rs in kids.items():
        for k in ("s", "m"):
            seq = [(ln, r) for ln, _o, kk, r in rs if kk == k and ln is not None]
            for (l1, r1), (l2, r2) in zip(seq, seq[1:]):
                a.check(l2 >= l1, "E242", r2.id, l2, M(N_("{id} (line {line}) is listed after {before} (line "
                                                          "{before_line})"), id=r2.id, line=l2, before=r1.id,
                                                       before_line=l1),
                        at=r2, fld="line")


# --------------------------------------------------------------------------- skips

CONTENTS_HEAD = re.compile(r"^目\s*录$")
NEWS_LEAD = re.compile(r"^(?:.{0,12}?(?:提出|指出|要求|明确|强调)[,，:：])")
HEADER_FORMS = N_("发文机关, 文号, 通知标题 (one line or broken over lines) or 主送机关")
SIGNATURE_FORMS = N_("署名, 日期, (此件公开发布)/(本文有删减), 抄送 or 印发 line")


def _skip_line_ok(a: Audit, skip: m.Skip, n: int, body_text: str, form_ok: dict[int, bool]) -> M | None:
    """None when line ``n`` is what its skip's kind says; else why not.
    ``form_ok``: for a 版头 / 落款 skip, which of its lines are such lines
    (text/gongwen.py: alone, or as a title or 主送机关 broken over lines)."""
    raw = a.lines[n - 1]
    line = squash(raw)
    if not line:
        return None
    kind = skip.kind
    if kind == "header":
        return None if form_ok.get(n) else M(N_("it is not a 版头 line ({forms})"), forms=M(HEADER_FORMS))
    if kind == "signature":
        return None if form_ok.get(n) else M(N_("it is not a 落款 line ({forms})"), forms=M(SIGNATURE_FORMS))
    if kind == "contents":
        if CONTENTS_HEAD.match(line) or any(p.match(raw) for p in CONTENTS_PATTERNS):
            return None
        if ("。" not in raw and any(p.match(raw) for p in HEADING_PATTERNS)
                and any(CONTENTS_HEAD.match(squash(a.lines[j - 1])) for j in range(skip.first, n))):
            return None  # a table of contents under its 目录 that numbers its headings 一、 (一) 1.
        return M(N_("it is not a table-of-contents line (目录, 第X篇 …, 第X章 …, 第X节 …)"))
    if kind == "web":
        if G.is_page_label_row(raw):
            return None
        if "。" in raw or len(line) > 80 or any(p.match(raw) for p in HEADING_PATTERNS):
            return M(N_("it looks like body text, not web-page chrome (a sentence or a heading)"))
        return None
    if kind == "summary":
        if G.EXCERPT.search(a.plan.completeness or ""):
            return None  # the copy breaks off: its summary may well tell of the part that is missing
        for sentence in re.split(r"[。!?！？]", raw):
            s = squash(NEWS_LEAD.sub("", sentence.strip()))
            if not s or s in body_text or squash(a.plan.name) in s or f"《{squash(a.plan.name)}》" in s:
                continue
            return M(N_("its text {text!r} is not repeated in the body"), text=sentence.strip()[:30])
        return None
    return M(N_("unknown skip kind {kind!r}"), kind=kind)


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


@rule("E250", "E251")
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
                a.check(False, "E250", plan.id, n, M(N_("skipped line {line} is outside the source (1–{last})"),
                                                      line=n, last=len(a.lines)),
                        at=plan, fld=fld)
                break
            who = claimed.get(n)
            if who:
                a.check(False, "E251", plan.id, n, M(N_("skipped line {line} is body text that {id} claims"), line=n,
                                                      id=who), at=plan, fld=fld,
                        hint=M(N_("lines: {first}-{last}"), first=skip.first, last=n - 1) if n > skip.first else None)
                continue
            why = _skip_line_ok(a, skip, n, body_text, form_ok)
            a.check(why is None, "E250", plan.id, n, M(N_("skipped line {line} ({kind}): {why}: {text!r}"), line=n,
                                                       kind=skip.kind, why=why or "", text=a.lines[n - 1][:30]),
                    at=plan, fld=fld)


# --------------------------------------------------------------------------- national tasks

@rule("E260", "E261", "E262")
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
                _national_problem(a, "E261", rec, M(N_("evidence {evidence!r} names no unit of {plan}"), evidence=ev,
                                                    plan=a.plan.id), did_you_mean_hint(near[:1]))
                continue
            if squash(rec.title) not in units[ev]:
                _national_problem(a, "E260", rec, M(N_("title {title!r} is not written in {evidence}"),
                                                    title=rec.title, evidence=ev), None,
                                  where_differs(rec.title, [(0, units[ev])]))
            else:
                a.res.checked += 1
                a.res.verified += 1
    retro = {s.id for s in body.sections if any(x.retrospective for x in body.section_path(s.id))}
    for meas in body.measures:
        if meas.section in retro:
            a.check(not meas.tasks, "E262", meas.id, meas.line,
                    M(N_("{id} is in a section that reviews the past, and carries {tasks}"), id=meas.id,
                      tasks=", ".join(meas.tasks)),
                    at=meas, fld="tasks", hint=M(N_("a retrospective measure carries no national task: remove tasks")))


# --------------------------------------------------------------------------- coverage

@rule("E301")
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
            a.coverage_problem("E301", n, M(N_("source text not in the YAML: {text!r}"), text=frag[:40]))


@rule("E302")
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
                        a.coverage_problem("E302", n, M(N_("contents entry {entry} has no section"),
                                                        entry=f"{number}{title}"))
                break
            res.headings += 1
            if (n, number) in numbered:
                res.headings_found += 1
            else:
                a.coverage_problem("E302", n, M(N_("heading {number!r} is not a section, measure or annex entry"),
                                                number=number))
            break


@rule("E303")
def _task_coverage(a: Audit) -> None:
    body = a.body
    retro = {s.id for s in body.sections if any(x.retrospective for x in body.section_path(s.id))}
    carrying = {x.section for x in body.measures if x.tasks}
    for meas in body.measures:
        if meas.kind != "measure" or meas.section not in carrying or meas.section in retro:
            continue
        if not meas.tasks and not meas.no_task:
            a.coverage_problem("E303", meas.line, M(N_("{id} names no national task"), id=meas.id), item=meas.id,
                               at=meas, fld="id",
                               hint=M(N_("tasks: [national/…] (data/national.yaml lists them), or no_task: <why it "
                                         "carries none>")))
        elif meas.tasks and meas.no_task:
            a.coverage_problem("E303", meas.line, M(N_("{id} names national tasks and says it carries none"),
                                                    id=meas.id),
                               item=meas.id, at=meas, fld="no_task", hint=M(N_("remove no_task, or the tasks")))


@rule("E304")
def _review_flags(a: Audit) -> None:
    """A draft's flags (docs/ingest.md): the item is not verified until a
    curator has checked it against the source and deleted its ``review:``."""
    plan, hint = a.plan, M(N_("check it against the source, fix what is wrong, then delete the review field"))
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
        what = M(N_("a skip whose reason is a review flag")) if fld.startswith("skip") else M(N_("a review flag"))
        a.coverage_problem("E304", line, M(N_("{what} is still in the data: not yet checked by a curator"), what=what),
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
    return [Problem("", "E304", p.name, None, M(N_("proposed {kind} {name!r} is not yet accepted: {review}"),
                                                kind=KIND(p.kind), name=p.name, review=Flag(p.review or "")),
                    "coverage", p.file, p.file_line,
                    M(N_("check the name (is it an alias of a known one?), then delete the review field")))
            for p in vocab.proposals]


def evidence_problems(plans: set[str], national: m.National) -> list[Problem]:
    """E261 for every national evidence id that names no plan of ``plans``."""
    out: list[Problem] = []
    for rec in (*national.groups, *national.tasks):
        ev = rec.evidence
        if ev and ev.split("/", 1)[0] not in plans:
            near = did_you_mean(ev.split("/", 1)[0], sorted(plans), 1)
            out.append(Problem("", "E261", rec.id, None,
                               M(N_("evidence {evidence!r} names no plan of the catalogue"), evidence=ev), "error",
                               national.file, rec.field_lines.get("evidence", rec.file_line),
                               did_you_mean_hint(near[:1])))
    return out
