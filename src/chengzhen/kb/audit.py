"""Check the YAML against its sources, by code.

* **Verified**: every measure number / title / text, 责任单位 clause and target
  quote occurs verbatim in the normalized source on the lines it claims;
  every department is inside its clause; every target's ``as_written`` is in
  its quote and its value in its ``as_written`` (or quote).
* **Covered**: every character of every non-blank, non-skipped source line
  belongs to some record, and every heading the outline reader finds
  (一、 / (一) / 1. / 第X章 / 第X节 / 专栏N, and the table of contents) is
  accounted for by a section, measure or annex entry.

The checks are a registry: each rule is a function of one plan's
:class:`Audit` context, registered with the codes it reports (``RULES``,
``CODES``), run in registration order — the rules that claim source text
first, the coverage rules last.  Nothing here prints: :func:`audit_plan`
returns plain data; the CLI renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from chengzhen.kb import model as m
from chengzhen.text.normalize import squash
from chengzhen.text.numerals import value_in
from chengzhen.text.outline import HEADING_PATTERNS

IGNORABLE = set(" \t\u3000|\r")


@dataclass
class Problem:
    plan: str
    code: str
    item: str
    line: int  # source line
    message: str
    severity: str = "error"  # error | coverage
    file: str = ""  # the file at fault (YAML for content errors, the source for coverage)
    file_line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.file_line}" if self.file_line else self.file
        return f"{where}: {self.code} [{self.item}] {self.message}"


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
        for n in range(first, min(last, len(self.lines)) + 1):
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
        self.yaml_line = {x.id: x.file_line for x in [*self.body.sections, *self.body.measures, *self.body.annexes]}

    def check(self, ok: bool, code: str, item: str, line: int, message: str) -> bool:
        self.res.checked += 1
        if ok:
            self.res.verified += 1
        else:
            where = ((self.body.file, self.yaml_line.get(item)) if item in self.yaml_line
                     else (self.plan.file, self.plan.file_line))
            self.res.problems.append(Problem(self.plan.id, code, item, line, message, "error", *where))
        return ok

    def coverage_problem(self, code: str, line: int, message: str) -> None:
        self.res.problems.append(Problem(self.plan.id, code, self.plan.id, line, message, "coverage",
                                         self.bundle.source_label, line))


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


@rule(("E210", "a title line is not part of the plan name"))
def _title_lines(a: Audit) -> None:
    lines, plan = a.lines, a.plan
    for n in plan.title_lines:
        line = squash(lines[n - 1]) if 1 <= n <= len(lines) else ""
        name = squash(plan.name)
        # a title line is the name (or part of a name broken over lines), or a
        # web page's "名称: <name>" label around it
        ok = bool(line) and (line in name or name in line)
        if a.check(ok, "E210", plan.id, n, f"title line {n} is not part of the plan name"):
            a.cov.mark_line(n)


@rule(("E201", "a heading, number, title or text is not found verbatim on its source lines"))
def _units(a: Audit) -> None:
    lines, cov = a.lines, a.cov
    for s in a.body.sections:
        a.res.sections += 1
        for part in (s.number, s.title):
            if part:
                a.check(cov.claim(part, s.line, s.line) is not None, "E201", s.id, s.line,
                        f"heading {part!r} not found on source line {s.line}")
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
                        f"{field_name} {part!r} not found on source line(s) {meas.line}–{meas.line_end}")
        a.check(cov.claim(meas.text, *rng) is not None, "E201", meas.id, meas.line,
                f"text not found verbatim on source line(s) {meas.line}–{meas.line_end}: {meas.text[:30]!r}…")
    for annex in a.body.annexes:
        a.check(cov.claim(annex.title, annex.line, annex.line_end) is not None, "E201", annex.id, annex.line,
                f"annex title {annex.title!r} not found")
        for n in annex.lines:
            if 1 <= n <= len(lines):
                cov.mark_line(n)
        for g in annex.groups:
            if g.name:
                a.check(cov.claim(g.name, g.line, g.line) is not None, "E201", annex.id, g.line,
                        f"annex group {g.name!r} not found on line {g.line}")
            if g.count_as_written:
                a.check(cov.claim(g.count_as_written, g.line, g.line) is not None, "E201", annex.id, g.line,
                        f"annex count {g.count_as_written!r} not found on line {g.line}")
            for it in g.items:
                for part in (it.number, it.name):
                    if part:
                        a.check(cov.claim(part, it.line, it.line) is not None, "E201", annex.id, it.line,
                                f"annex entry {part!r} not found on line {it.line}")


@rule(("E209", "a 责任单位 clause is not found on its measure's lines"),
      ("E208", "a department is not named in its 责任单位 clause"))
def _departments(a: Audit) -> None:
    for meas in a.body.measures:
        if meas.departments_quote:
            a.check(a.cov.claim(meas.departments_quote, meas.line, meas.line_end) is not None, "E209", meas.id,
                    meas.line, f"责任单位 clause not found on source line(s) {meas.line}–{meas.line_end}")
        for d in meas.departments:
            a.res.departments += 1
            ok = bool(meas.departments_quote) and d in meas.departments_quote
            a.check(ok, "E208", meas.id, meas.line, f"department {d!r} is not in its 责任单位 clause")


@rule(("E202", "a target quote is not found on its lines"),
      ("E203", "a target's as_written is not in its quote"),
      ("E204", "a target's value is not in its as_written or quote"),
      ("E205", "a target's baseline is not in the source"),
      ("E206", "a target's scope is not written on its measure's lines"))
def _targets(a: Audit) -> None:
    cov = a.cov
    for meas in a.body.measures:
        for t in meas.targets:
            a.res.targets += 1
            last = max(t.line, meas.line_end)
            a.check(cov.claim(t.quote, t.line, last, mark=False) is not None, "E202", meas.id, t.line,
                    f"target quote not found on source line(s) {t.line}–{last}: {t.quote[:30]!r}")
            a.check(squash(t.as_written) in squash(t.quote), "E203", meas.id, t.line,
                    f"target {t.as_written!r} is not in its quote")
            ok = value_in(t.value, t.as_written, t.quote) and value_in(t.value_max, t.as_written, t.quote)
            a.check(ok, "E204", meas.id, t.line,
                    f"target value {t.value:g}{'' if t.value_max is None else f'–{t.value_max:g}'} "
                    f"does not occur in {t.as_written!r}" if t.value is not None else "target value missing from its quote")
            if t.scope:
                a.check(cov.claim(t.scope, meas.line, max(last, meas.line_end), mark=False) is not None,
                        "E206", meas.id, t.line, f"target scope {t.scope!r} is not written on the measure's lines")
            if t.baseline_as_written is not None:
                a.check(cov.claim(str(t.baseline_as_written), t.line, last, mark=False) is not None,
                        "E205", meas.id, t.line, f"baseline {t.baseline_as_written!r} not found in the source")
    at = a.body.all_tasks
    if at:
        a.check(cov.claim(at.quote, at.line, at.line, mark=False) is not None, "E202", a.plan.id, at.line,
                "applies_to_all_tasks quote not found on its line")


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


def audit_plan(bundle: m.PlanBundle, select: set[str] | None = None) -> PlanAudit:
    """Run every rule (or those reporting a code in ``select``) over one plan."""
    a = Audit(bundle)
    for codes, fn in RULES:
        if select is None or set(codes) & select:
            fn(a)
    return a.res
