"""Figures in a form ingest does not read, asked about by the evidence of their sentence (issue 24, the eighth round).

Ingest reads a figure as digits with a unit or a qualifier (``flags.FIGURE``; spelled numerals are asked by
:func:`chengzhen.ingest.flag_kinds.check_spelled_figures`).  A quantity written in another form is no
figure of that net: it is neither drafted nor explained, and a goal so written was lost without a word
(贵州 十二五: ``力争…城镇人口3/4在大中城市、1/4在小城市和建制镇``).  The forms:

* a fraction — ``3/4`` (not a date, 2021/3/4; not a page's 1/12), ``四分之三`` (``百分之``/``千分之`` are
  spelled percentages, asked elsewhere);
* a ratio — ``2.3:1``, ``1.96∶1`` (not a time of day, 17:26);
* tenths — ``七成以上``;
* a count in a measure word the unit list lacks (``5000名``), a number in 亿 with no unit read after it
  (``2.5亿平方米``), a number with 余 before its unit (``5000余人``), a number in a unit of measure the list lacks
  (``50km``, ``15m²``, ``10平方千米``), a multiple without a figure (``翻一番``).

Each such quantity in a sentence that sets a goal (a goal word in its clause or in its sentence before it,
or a goal year an earlier sentence of its line sets), for which no drafted target writes it and no
reason that holds for any figure (the past, a span, a 文号 …, ``flags._reason``) explains it, is asked
about on its own line, with its value (3/4 = 0.75) — the form is judged by what it is, not by a list of
the examples seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chengzhen.kb.messages import N_
from chengzhen.text.normalize import squash
from chengzhen.text.numerals import cn_to_int

CN = "一二两三四五六七八九十"
FORMS: list[tuple[str, re.Pattern]] = [
    ("fraction", re.compile(r"(?<![\d./:：∶\-])(\d{1,3})\s*/\s*(\d{1,3})(?![\d./\-])")),
    ("fraction", re.compile(rf"(?<![百千])([{CN}]{{1,3}})分之([{CN}]{{1,3}})")),
    ("ratio", re.compile(r"(?<![\d.:：∶\-/])(\d+(?:\.\d+)?)\s*[:：∶]\s*(\d+(?:\.\d+)?)(?![\d.:：∶])")),
    ("tenths", re.compile(rf"(?<![{CN}])([一二三四五六七八九])成(?=以上|左右|以下|多|的|[\u4e00-\u9fff]{{0,2}}(?:在|集中|居住|生活))")),
    # a count in a measure word the unit list does not hold (5000名, 300栋), or a number in 亿 with no unit the list
    # holds after it (1亿左右, 2.5亿平方米, 1亿农业转移人口): the figure net reads neither
    ("count", re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:万|千)?(?:名|位|栋|幢|间|棵|株|盏|支|艘|架|份|种|只|头|册)")),
    ("magnitude", re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*亿(?!元|立方米|级)")),
    # a number in a unit of measure the unit list lacks: its symbols (50km, 15m², 20MW) or 平方千米 (not 5G, a name)
    ("unit", re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:万|亿)?(?:平方千米|立方千米|km²|km2|km|m²|m³|m2|m3|kWh|kW|MW|GW|ha|hm²)"
                        r"(?![A-Za-z])")),
    # a number with 余 (more than) before its unit (5000余人, 30余个): the figure net takes no word between them
    ("more", re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*余(?=[\u4e00-\u9fff])")),
    # a multiple with no figure (翻一番: twice, 翻两番: four times)
    ("multiple", re.compile(r"翻(一|两|二)?番")),
]
# one whole template per form (a template is said in the reader's language as a whole)
ASKED = {"fraction": N_("target: {0}{1} is a fraction, a form ingest does not read as a figure, in a sentence that sets "
                        "a goal; no target was drafted from it: is it one?"),
         "ratio": N_("target: {0}{1} is a ratio, a form ingest does not read as a figure, in a sentence that sets a "
                     "goal; no target was drafted from it: is it one?"),
         "count": N_("target: {0}{1} is a count in a measure word ingest does not read as a unit, in a sentence that "
                     "sets a goal; no target was drafted from it: is it one?"),
         "magnitude": N_("target: {0}{1} is a number in 亿 with no unit ingest reads after it, in a sentence that sets "
                         "a goal; no target was drafted from it: is it one?"),
         "unit": N_("target: {0}{1} is a number in a unit of measure ingest does not read (km, m², 平方千米 …), in a "
                    "sentence that sets a goal; no target was drafted from it: is it one?"),
         "more": N_("target: {0}{1} is a number with 余 before its unit, a form ingest does not read as a figure, in a "
                    "sentence that sets a goal; no target was drafted from it: is it one?"),
         "multiple": N_("target: {0}{1} is a multiple written without a figure, in a sentence that sets a goal; no "
                        "target was drafted from it: is it one?"),
         "tenths": N_("target: {0}{1} is a share in tenths (成), a form ingest does not read as a figure, in a sentence "
                      "that sets a goal; no target was drafted from it: is it one?")}
CLAUSE_STOP = ",，;；。:：!！?？"


@dataclass
class Form:
    line: int
    written: str
    kind: str
    value: float | None
    item: str


class _Span:
    """A found form as ``flags._reason`` reads a figure's match (its span; no unit of the figure net)."""

    def __init__(self, start: int, end: int, text: str):
        self._s, self._e, self._t = start, end, text

    def start(self) -> int:
        return self._s

    def end(self) -> int:
        return self._e

    def group(self, i: int = 0) -> str:
        return self._t if i in (0, 1) else ""


def _number(x: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", x):
        return float(x)
    v = cn_to_int(x)
    return float(v) if v is not None else None


def _value(kind: str, m: re.Match) -> float | None:
    if kind == "multiple":
        return 2.0 if m.group(1) in (None, "一") else 4.0
    if kind in ("count", "magnitude", "more", "unit"):
        return float(m.group(1))
    if kind == "tenths":
        n = _number(m.group(1))
        return n / 10 if n is not None else None
    a, b = _number(m.group(1)), _number(m.group(2))
    if a is None or b is None:
        return None
    if kind == "ratio":
        return a
    if m.group(0).find("分之") >= 0:
        a, b = b, a  # 四分之三: the denominator first
    return a / b if b else None


def _is_time(m: re.Match) -> bool:
    """17:26, 08:30 — a time of day, not a ratio: two whole numbers, the second of two digits under 60."""
    a, b = m.group(1), m.group(2)
    return a.isdigit() and b.isdigit() and len(b) == 2 and int(a) <= 24 and int(b) < 60


def forms(ev, figure: re.Pattern | None = None) -> list[Form]:
    """Every quantity of a form ingest does not read, on the lines of the plan's text (not a skipped line,
    a title, an annex or a line before the body).  ``figure``: the figure net (``flags.FIGURE``), whose figures
    a count or a magnitude found inside is no form of its own."""
    owner: dict[int, str] = {}
    for r in ev.records:
        first = r.get("line") if isinstance(r.get("line"), int) else None
        for n in range(first or 0, (r.get("line_end") or first or 0) + 1):
            owner.setdefault(n, r.get("id"))
    out = []
    for n in range(max(ev.body_start, 1), len(ev.sq) + 1):
        if n in ev.skipped or n in ev.title_lines or n in ev.annex_lines:
            continue
        s = ev.sq[n - 1]
        seen: list[tuple[int, int]] = []
        net = [(m.start(), m.end()) for m in figure.finditer(s)] if figure is not None else []
        for kind, pattern in FORMS:
            for m in pattern.finditer(s):
                if any(a < m.end() and m.start() < b for a, b in seen) or (kind == "ratio" and _is_time(m)):
                    continue
                if kind in ("count", "magnitude", "more", "unit") and any(a <= m.start() < b for a, b in net):
                    continue  # a figure of the net (5000万元 …): read there
                if kind == "fraction" and m.group(1).isdigit() and int(m.group(1)) >= int(m.group(2) or 0):
                    continue  # 12/3, 5/5: no part of a whole (a date, a page, a count)
                seen.append((m.start(), m.end()))
                out.append(Form(n, m.group(0), kind, _value(kind, m), owner.get(n) or ev.plan_id))
    return out


def _sets_a_goal(ev, F, s: str, a: int, b: int, record: dict | None, start: int | None) -> bool:
    """Whether the quantity at s[a:b] stands in a sentence that sets a goal, with no reason that holds for any
    figure (the past, a span, a 文号 …) against it."""
    retro = {x.get("id") for x in ev.sections if x.get("retrospective")}
    why = F._reason(ev, s, _Span(a, b, s[a:b]), record, retro, start, False)
    if why and not why.startswith(("no goal word", "a span", "a class")):
        return False  # (a span, an ordinal: read by the unit or the word after a figure, which a form has not)
    sentence = max(s.rfind(c, 0, a) for c in "。;；!！?？") + 1
    return bool(not why or F.GOAL.search(s[sentence:a]))


def check_unread_forms(ev, F) -> list[tuple[int, str, str]]:
    """Each quantity of a form ingest does not read (:func:`forms`) in a sentence that sets a goal, that no drafted
    target writes and no flag of its line names: one flag on its line.  ``F``: :mod:`chengzhen.ingest.flags`."""
    drafted: dict[int, list[str]] = {}
    by_id = {}
    for r in ev.records:
        by_id[r.get("id")] = r
        for t in r.get("targets") or []:
            drafted.setdefault(t.get("line") or r.get("line") or 0, []).append(squash(t.get("as_written") or ""))
    asked: dict[int, str] = {}
    for line, _item, reason in ev.existing + ev.flags:
        asked[line] = asked.get(line, "") + squash(reason)
    start = F._period_start(ev)
    out = []
    for f in forms(ev, F.FIGURE):
        s = ev.sq[f.line - 1]
        if any(f.written in w for w in drafted.get(f.line, []) if w) or f.written in asked.get(f.line, ""):
            continue
        a = s.find(f.written)
        if not _sets_a_goal(ev, F, s, a, a + len(f.written), by_id.get(f.item), start):
            continue
        value = "" if f.value is None else f" (= {f.value:g})"
        out.append((f.line, f.item, ASKED[f.kind].format(f.written, value)))
        asked[f.line] = asked.get(f.line, "") + f.written
    return out
