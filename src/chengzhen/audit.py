"""Check the YAML against its sources, by code.

* **Verified**: every measure number / title / text, 责任单位 clause and target
  quote occurs verbatim in the normalized source on the lines it claims;
  every department is inside its clause; every target's ``as_written`` is in
  its quote and its value in its ``as_written`` (or quote).
* **Covered**: every character of every non-blank, non-skipped source line
  belongs to some record, and every heading the outline reader finds
  (一、 / (一) / 1. / 第X章 / 第X节 / 专栏N, and the table of contents) is
  accounted for by a section, measure or annex entry.

Nothing here prints: :func:`audit` returns plain data; the CLI renders it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chengzhen import model as m

IGNORABLE = set(" \t\u3000|\r")

CN_DIGITS = "零一二三四五六七八九"

HEADING_PATTERNS = [
    re.compile(r"^\s*(第[一二三四五六七八九十]+章)"),
    re.compile(r"^\s*(第[一二三四五六七八九十]+节)"),
    re.compile(r"^\s*([一二三四五六七八九十]+、)"),
    re.compile(r"^\s*([(（][一二三四五六七八九十]+[)）])"),
    re.compile(r"^\s*(\d{1,2}[.．])(?!\d)"),
    re.compile(r"^\s*(专栏\d+)"),
]


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


def _int_to_cn(n: int) -> set[str]:
    """Chinese numeral spellings of a small integer (一, 十, 十二, 二十, 两, 一百…)."""
    if n < 0 or n > 9999:
        return set()
    if n < 10:
        forms = {CN_DIGITS[n]}
        if n == 2:
            forms.add("两")
        return forms
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "十" if tens == 1 else CN_DIGITS[tens] + "十"
        base = head + (CN_DIGITS[ones] if ones else "")
        return {base, "一" + base if tens == 1 else base}
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = CN_DIGITS[hundreds] + "百"
        if rest == 0:
            return {head}
        if rest < 10:
            return {head + "零" + CN_DIGITS[rest]}
        return {head + f for f in _int_to_cn(rest) if not f.startswith("十")} | {head + "一" + f for f in _int_to_cn(rest) if f.startswith("十")}
    thousands, rest = divmod(n, 1000)
    head = CN_DIGITS[thousands] + "千"
    return {head} if rest == 0 else {head + f for f in _int_to_cn(rest)} | {head + "零" + f for f in _int_to_cn(rest)}


def value_forms(v: float) -> set[str]:
    text = f"{v:.6f}".rstrip("0").rstrip(".")
    forms = {text}
    if float(v).is_integer():
        n = int(v)
        forms |= _int_to_cn(n)
        if n >= 1000:
            forms.add(f"{n:,}")
    return forms


def _value_in(v: float | None, *texts: str) -> bool:
    if v is None:
        return True
    digits_only = [re.sub(r"\s", "", t) for t in texts if t]
    for form in value_forms(v):
        for t in digits_only:
            if form.isdigit() or re.fullmatch(r"[\d.,]+", form):
                # a number must not be part of a longer number: 19 is not in 190
                if re.search(r"(?<![\d.])" + re.escape(form) + r"(?![\d])", t):
                    return True
            elif form in t:
                return True
    return False


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


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def audit_plan(kb: m.KnowledgeBase, plan: m.Plan) -> PlanAudit:
    from pathlib import Path

    from chengzhen.loader import label_for

    lines = kb.sources[plan.id]
    body = kb.bodies[plan.id]
    res = PlanAudit(plan.id)
    cov = _Coverage(lines)
    label = body.file
    source_label = label_for(Path(kb.root), plan.source)
    yaml_line = {x.id: x.file_line for x in [*body.sections, *body.measures, *body.annexes]}

    def check(ok: bool, code: str, item: str, line: int, message: str):
        res.checked += 1
        if ok:
            res.verified += 1
        else:
            where = (label, yaml_line.get(item)) if item in yaml_line else (plan.file, plan.file_line)
            res.problems.append(Problem(plan.id, code, item, line, message, "error", *where))

    skipped: set[int] = set()
    for s in plan.skip:
        skipped.update(range(s.first, s.last + 1))
    for n in plan.title_lines:
        line = _squash(lines[n - 1]) if 1 <= n <= len(lines) else ""
        name = _squash(plan.name)
        # a title line is the name (or part of a name broken over lines), or a
        # web page's "名称: <name>" label around it
        ok = bool(line) and (line in name or name in line)
        check(bool(ok), "E210", plan.id, n, f"title line {n} is not part of the plan name")
        if ok:
            cov.mark_line(n)

    for s in body.sections:
        res.sections += 1
        for part in (s.number, s.title):
            if part:
                found = cov.claim(part, s.line, s.line)
                check(found is not None, "E201", s.id, s.line,
                      f"heading {part!r} not found on source line {s.line}")
        # a heading's closing 。 (hebei) belongs to it
        if s.line <= len(lines) and lines[s.line - 1].rstrip().endswith("。") and not s.title.endswith("。"):
            cov.claim("。", s.line, s.line)

    for meas in body.measures:
        res.measures += 1
        rng = (meas.line, meas.line_end)
        for field_name in ("number", "title"):
            part = getattr(meas, field_name)
            if part:
                found = cov.claim(part, *rng)
                check(found is not None, "E201", meas.id, meas.line,
                      f"{field_name} {part!r} not found on source line(s) {meas.line}–{meas.line_end}")
        found = cov.claim(meas.text, *rng)
        check(found is not None, "E201", meas.id, meas.line,
              f"text not found verbatim on source line(s) {meas.line}–{meas.line_end}: {meas.text[:30]!r}…")
        if meas.departments_quote:
            found = cov.claim(meas.departments_quote, *rng)
            check(found is not None, "E209", meas.id, meas.line,
                  f"责任单位 clause not found on source line(s) {meas.line}–{meas.line_end}")
        for d in meas.departments:
            res.departments += 1
            ok = bool(meas.departments_quote) and d in meas.departments_quote
            check(ok, "E208", meas.id, meas.line, f"department {d!r} is not in its 责任单位 clause")
        for t in meas.targets:
            res.targets += 1
            last = max(t.line, meas.line_end)
            found = cov.claim(t.quote, t.line, last, mark=False)
            check(found is not None, "E202", meas.id, t.line,
                  f"target quote not found on source line(s) {t.line}–{last}: {t.quote[:30]!r}")
            check(_squash(t.as_written) in _squash(t.quote), "E203", meas.id, t.line,
                  f"target {t.as_written!r} is not in its quote")
            ok = _value_in(t.value, t.as_written, t.quote) and _value_in(t.value_max, t.as_written, t.quote)
            check(ok, "E204", meas.id, t.line,
                  f"target value {t.value:g}{'' if t.value_max is None else f'–{t.value_max:g}'} does not occur in {t.as_written!r}"
                  if t.value is not None else "target value missing from its quote")
            if t.scope:
                check(cov.claim(t.scope, meas.line, max(last, meas.line_end), mark=False) is not None,
                      "E206", meas.id, t.line, f"target scope {t.scope!r} is not written on the measure's lines")
            if t.baseline_as_written is not None:
                check(cov.claim(str(t.baseline_as_written), t.line, last, mark=False) is not None,
                      "E205", meas.id, t.line, f"baseline {t.baseline_as_written!r} not found in the source")

    if body.all_tasks:
        at = body.all_tasks
        check(cov.claim(at.quote, at.line, at.line, mark=False) is not None, "E202", plan.id, at.line,
              "applies_to_all_tasks quote not found on its line")

    for annex in body.annexes:
        check(cov.claim(annex.title, annex.line, annex.line_end) is not None, "E201", annex.id, annex.line,
              f"annex title {annex.title!r} not found")
        for n in annex.lines:
            if 1 <= n <= len(lines):
                cov.mark_line(n)
        total = 0
        for g in annex.groups:
            if g.name:
                check(cov.claim(g.name, g.line, g.line) is not None, "E201", annex.id, g.line,
                      f"annex group {g.name!r} not found on line {g.line}")
            if g.count_as_written:
                check(cov.claim(g.count_as_written, g.line, g.line) is not None, "E201", annex.id, g.line,
                      f"annex count {g.count_as_written!r} not found on line {g.line}")
            for it in g.items:
                total += 1
                for part in (it.number, it.name):
                    if part:
                        check(cov.claim(part, it.line, it.line) is not None, "E201", annex.id, it.line,
                              f"annex entry {part!r} not found on line {it.line}")

    # coverage: every character of every line is claimed
    for n in range(1, len(lines) + 1):
        if n in skipped:
            continue
        rest = cov.uncovered(n)
        visible = [ch for ch in lines[n - 1] if ch not in IGNORABLE]
        res.chars += len(visible)
        missing = [frag for frag in rest.split("\0") if frag.strip()]
        res.covered_chars += len(visible) - sum(len(f.replace(" ", "")) for f in missing)
        if missing:
            frag = max(missing, key=len)
            res.problems.append(Problem(plan.id, "E301", plan.id, n,
                                        f"source text not in the YAML: {frag[:40]!r}",
                                        "coverage", source_label, n))

    # outline: every heading the reader finds is accounted for
    numbered = {(r.line, r.number) for r in body.sections if r.number}
    numbered |= {(r.line, r.number) for r in body.measures if r.number}
    for annex in body.annexes:
        numbered |= {(it.line, it.number) for g in annex.groups for it in g.items if it.number}
    titles = {_squash(s.title) for s in body.sections}
    # numbered items inside a 专栏 box or a table belong to that unit
    inside_units = {n for meas in body.measures if meas.kind in ("box", "table")
                    for n in range(meas.line + 1, meas.line_end + 1)}
    for n, text in enumerate(lines, start=1):
        if n in inside_units:
            continue
        for pat in HEADING_PATTERNS:
            match = pat.match(text)
            if not match:
                continue
            number = match.group(1)
            if n in skipped:
                # a table of contents entry: its heading must exist (in the body or restored)
                if number.startswith("第"):
                    res.headings += 1
                    title = _squash(text[match.end():])
                    if title in titles:
                        res.headings_found += 1
                    else:
                        res.problems.append(Problem(plan.id, "E302", plan.id, n,
                                                    f"contents entry {number}{title} has no section",
                                                    "coverage", source_label, n))
                break
            res.headings += 1
            if (n, number) in numbered:
                res.headings_found += 1
            else:
                res.problems.append(Problem(plan.id, "E302", plan.id, n,
                                            f"heading {number!r} is not a section, measure or annex entry",
                                            "coverage", source_label, n))
            break
    return res


def audit(kb: m.KnowledgeBase, only: set[str] | None = None) -> list[PlanAudit]:
    return [audit_plan(kb, p) for p in kb.plans if p.id in kb.bodies and (not only or p.id in only)]
