"""Stage 4: the body's outline — sections, and the units inside them.

The ladder of numbers (``text.outline.LADDER``: 第X章 › 第X节 › 一、 › (一) ›
1. › (1) › ①) is read from the document itself:

* a kind of number is a **section** level when its lines are mostly headings
  alone (a short title, no sentence after it: ``(一)实施新一轮…行动``), and a
  **measure** level when its lines mostly start a paragraph
  (``(一)健全…机制。坚持…``);
* section levels nest in the conventional order, counting only the levels the
  document uses: a 实施方案 starts at 一、, a 规划 at 第一章;
* 专栏 boxes (a header, then item lines or table cells) and tables
  (``cell | cell`` lines) are units of their own; a 附件 list of names is an
  annex;
* a table of contents lists the chapter and section headings; one that the
  body lacks is restored (``restored: true``, its line is the contents
  entry) and placed before the body paragraph its title resembles most,
  keeping the contents' order.  Placements are flagged for review.

Unnumbered paragraphs whose first sentence is a short phrase with no comma
(``城镇综合承载能力大幅提升。2020年…``) are lead-phrase measures when they
come in runs, as 公文 write them; otherwise plain paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chengzhen.text.normalize import squash
from chengzhen.text.outline import ANNEX, BOX, LADDER_ORDER, Heading, match_heading

SENTENCE_END = re.compile(r"[。；;!！?？]")
CELLS = re.compile(r"\|\s*$|\s\|\s")
LEAD_MAX = 40
DASH = re.compile(r"^\s*(?:——|--|—|●|■|◆|▲|★|·)\s*")


@dataclass
class Unit:
    line: int
    text: str  # the normalized line, stripped
    kind: str  # heading | para | box | table | annex
    head: Heading | None = None
    line_end: int = 0
    parts: list[str] = field(default_factory=list)  # box/table: the lines after the header
    restored: bool = False
    review: str | None = None


@dataclass
class Section:
    kind: str
    number: str | None
    value: int
    title: str
    line: int
    depth: int
    restored: bool = False
    children: list = field(default_factory=list)  # Section | Unit
    id: str = ""
    review: str | None = None


@dataclass
class Outline:
    top: list  # units before the first heading
    sections: list[Section]
    section_kinds: list[str]
    measure_kinds: list[str]
    annex: Unit | None = None
    review: list[tuple[int, str]] = field(default_factory=list)


def is_cells(line: str) -> bool:
    return bool(CELLS.search(" " + line + " ")) and line.count("|") >= 1 and not SENTENCE_END.search(line[:-2] or "x") \
        or line.strip() in ("|", "| |")


def heading_only(h: Heading) -> bool:
    rest = h.rest.strip()
    core = rest[:-1] if rest.endswith(("。", ".")) else rest
    return 0 < len(squash(core)) <= LEAD_MAX and not SENTENCE_END.search(core) and "责任单位" not in rest


def units_of(lines: list[str], first: int, last: int, exclude: set[int]) -> list[Unit]:
    """The body's lines as units; boxes and tables gather their lines."""
    out: list[Unit] = []
    k = first
    while k <= last:
        if k in exclude:
            k += 1
            continue
        s = lines[k - 1].strip()
        if not s.strip(" |\u3000"):
            k += 1
            continue
        box = BOX.match(s)
        if box:
            u = Unit(k, s, "box", line_end=k)
            j = k + 1
            table = False
            expect = 1
            while j <= last and j not in exclude:
                t = lines[j - 1].strip()
                if not t.strip(" |\u3000"):
                    j += 1
                    continue
                if is_cells(t) or (table and re.match(r"^\s*注\s*[:：]", t)):
                    table = table or is_cells(t) and t.strip() not in ("|", "| |")
                    u.parts.append(t)
                    u.line_end = j
                    j += 1
                    if table and re.match(r"^\s*注\s*[:：]", t):
                        break
                    continue
                if table:
                    break
                first_item = not u.parts
                h = match_heading(t)
                seq = h and h.kind in ("arabic", "paren_arabic", "circled") and h.value == expect
                if first_item or seq or re.match(r"^\s*[一二三四五六七八九十]+是", t):
                    u.parts.append(t)
                    u.line_end = j
                    if h and (first_item or seq):
                        expect = h.value + 1
                    j += 1
                    continue
                break
            if table:
                u.kind = "table"
            out.append(u)
            k = u.line_end + 1
            continue
        if is_cells(s):
            u = Unit(k, s, "table", line_end=k, parts=[s])
            j = k + 1
            while j <= last and j not in exclude and (is_cells(lines[j - 1].strip()) or not lines[j - 1].strip()):
                if lines[j - 1].strip():
                    u.parts.append(lines[j - 1].strip())
                    u.line_end = j
                j += 1
            if len(u.parts) >= 2 or s.count("|") >= 2:
                out.append(u)
                k = u.line_end + 1
                continue
        h = match_heading(s)
        if h:
            out.append(Unit(k, s, "heading", h, k))
        elif ANNEX.match(s) and len(s) <= 60:
            out.append(Unit(k, s, "annex", line_end=k))
        else:
            out.append(Unit(k, s, "para", line_end=k))
        k += 1
    return out


def flattened_list(text: str) -> bool:
    """``1. … 2. … 3. …`` in one line: a box's items copied without their box."""
    return bool(re.match(r"^\s*1\s*[.．、]", text)) and bool(re.search(r"[。;；]\s*2\s*[.．、]\s*\S", text))


def analyse(lines: list[str], first: int, last: int, exclude: set[int], toc: list) -> Outline:
    units = units_of(lines, first, last, exclude)
    # ---- the annex: from the first 附件 line (a reference 附件:X or the heading) to the end
    annex = None
    headings = 0
    for i, u in enumerate(units):
        headings += u.kind == "heading"
        if u.kind == "annex" and headings >= 3:
            rest = units[i:]
            annex = Unit(u.line, u.text, "annex", line_end=rest[-1].line_end,
                         parts=[x.text for x in rest])
            annex.head = None
            annex_lines = [x.line for x in rest]
            annex.parts = list(zip(annex_lines, [x.text for x in rest]))  # type: ignore[assignment]
            units = units[:i]
            break
    # ---- which kinds of number are sections, which are measures
    stats: dict[str, list[int]] = {}
    for u in units:
        if u.kind == "heading":
            if flattened_list(u.text):
                u.kind = "box"
                u.parts = [u.text]
                # a box's border left as a line of its own ("|") starts it
                if u.line >= 2 and lines[u.line - 2].strip() in ("|", "| |"):
                    u.line -= 1
                u.review = "numbered items outside any box: read as a box without its header"
                continue
            ho = heading_only(u.head)
            stats.setdefault(u.head.kind, [0, 0])[0 if ho else 1] += 1
    toc_kinds = {h.kind for _, h, _ in toc}
    # a kind whose heading-only line leads a numbered run of a deeper kind is a section level
    # too, though its other lines start paragraphs ((一)城市集聚能力提升行动。/ 1.… beside
    # (一)指导思想。以…): those are then measures under it (read below, and flagged)
    leads = set()
    for i, u in enumerate(units[:-1]):
        nxt = units[i + 1]
        if u.kind == "heading" and nxt.kind == "heading" and heading_only(u.head) and nxt.head.value == 1 \
                and LADDER_ORDER.index(nxt.head.kind) > LADDER_ORDER.index(u.head.kind):
            leads.add(u.head.kind)
    section_kinds = [k for k in LADDER_ORDER if k in toc_kinds or (k in stats and stats[k][0] >= stats[k][1])
                     or (k in leads and k in stats)]
    measure_kinds = [k for k in LADDER_ORDER if k in stats and k not in section_kinds]
    # a measure level above a section level is not a ladder: the lower one is measures too
    if measure_kinds:
        top_measure = LADDER_ORDER.index(measure_kinds[0])
        section_kinds = [k for k in section_kinds if LADDER_ORDER.index(k) < top_measure or k in toc_kinds]
        measure_kinds = [k for k in LADDER_ORDER if k in stats and k not in section_kinds]
    depth = {k: i for i, k in enumerate(section_kinds)}
    review: list[tuple[int, str]] = []
    # ---- restore contents entries the body lacks
    if toc:
        units = _restore(units, toc, depth, review)
    # ---- the tree
    top: list = []
    roots: list[Section] = []
    stack: list[Section] = []
    for u in units:
        if u.kind == "heading" and u.head.kind in depth:
            h = u.head
            if not heading_only(h) and not u.restored:
                if h.kind not in leads or stats[h.kind][0] >= stats[h.kind][1]:
                    u.review = "a heading number with a paragraph after it: read as a measure"
                (stack[-1].children if stack else top).append(u)
                continue
            d = depth[h.kind]
            while stack and stack[-1].depth >= d:
                stack.pop()
            title = h.rest.strip()
            sec = Section(h.kind, h.number, h.value, title, u.line, d, u.restored, review=u.review)
            (stack[-1].children if stack else roots).append(sec)
            stack.append(sec)
            continue
        (stack[-1].children if stack else top).append(u)
    return Outline(top, roots, section_kinds, measure_kinds, annex, review)


# --------------------------------------------------------------------------- contents → restored headings

_STOP = set("的和与及等在对于进一步加快推进全面深入实施持续大力积极着力强化提升建设发展")


def _sim(title: str, text: str) -> float:
    t = squash(title)
    body = squash(text)[:120]
    if not t:
        return 0.0
    bigrams = {t[i:i + 2] for i in range(len(t) - 1)}
    hit2 = sum(1 for b in bigrams if b in body)
    chars = {c for c in t if c not in _STOP}
    hit1 = sum(1 for c in chars if c in body)
    return (2 * hit2 + hit1) / (2 * len(bigrams) + len(chars) or 1)


def _restore(units: list[Unit], toc: list, depth: dict[str, int], review: list) -> list[Unit]:
    """Insert the contents entries the body lacks as restored heading units."""
    entries = [(line, h, title) for line, h, title in toc if h.kind in depth]
    present = {}
    for i, u in enumerate(units):
        if u.kind == "heading" and u.head.kind in depth:
            present.setdefault((u.head.kind, u.head.value, squash(u.head.rest)[:6]), i)
    # match each entry to a body heading (same kind, value and title start), in order
    matched: list[int | None] = []
    last = -1
    chapter = None
    for line, h, title in entries:
        idx = None
        for i in range(last + 1, len(units)):
            u = units[i]
            if u.kind == "heading" and u.head.kind == h.kind and u.head.value == h.value \
                    and _sim(title, u.head.rest) >= 0.5:
                idx = i
                break
        matched.append(idx)
        if idx is not None:
            last = idx
    # place the missing ones between their matched neighbours
    inserts: list[tuple[int, Unit]] = []  # (before unit index, unit)
    k = 0
    while k < len(entries):
        if matched[k] is not None:
            k += 1
            continue
        j = k
        while j < len(entries) and matched[j] is None:
            j += 1
        lo = next((matched[p] for p in range(k - 1, -1, -1) if matched[p] is not None), -1) + 1
        hi = matched[j] if j < len(entries) else len(units)
        group = entries[k:j]
        positions = _place(group, units, lo, hi)
        for (line, h, title), pos in zip(group, positions):
            u = Unit(line, f"{h.number}{title}", "heading",
                     Heading(h.kind, h.number, h.value, title, 0, len(h.number)), line, restored=True,
                     review="heading missing in the body, restored from the table of contents; "
                            "check where its text begins")
            inserts.append((pos, u))
        k = j
    if not inserts:
        return units
    out: list[Unit] = []
    by_pos: dict[int, list[Unit]] = {}
    for pos, u in inserts:
        by_pos.setdefault(pos, []).append(u)
    for i, u in enumerate(units):
        out.extend(by_pos.get(i, []))
        out.append(u)
    out.extend(by_pos.get(len(units), []))
    return out


# what the text under a conventional heading opens with (a 规划's 总体要求: 指导思想,
# 基本原则, 发展目标): the guiding thought is "…为指导", principles a list "——坚持…",
# goals open with their year (到2025年,…)
OPENINGS = [
    (re.compile(r"指导思想$"), re.compile(r"^.{0,40}?为指导")),
    (re.compile(r"原则$"), re.compile(r"^(?:——|—)\s*坚持")),
    (re.compile(r"目标$"), re.compile(r"^(?:到|至)\s*(?:19|20)\d{2}\s*年")),  # not 展望到2035年: a vision
]


def _opens(title: str, units: list[Unit], pos: int) -> bool:
    """Does the run of text under a heading titled ``title`` start at ``pos``,
    by what such a heading's text conventionally opens with?"""
    t = squash(title)
    for heading, opening in OPENINGS:
        if heading.search(t) and pos < len(units) and units[pos].kind == "para":
            here = opening.match(units[pos].text)
            before = pos > 0 and units[pos - 1].kind == "para" and opening.match(units[pos - 1].text)
            return bool(here) and not before
    return False


def _place(group: list, units: list[Unit], lo: int, hi: int) -> list[int]:
    """Positions (unit indices in [lo, hi]) for the missing headings of
    ``group``, in order: each before the unit whose text its title resembles
    most, a chapter and its first section together when nothing comes between."""
    n = len(group)
    cands = list(range(lo, hi + 1))
    if not cands:
        return [lo] * n
    from chengzhen.ingest.front import PREAMBLE

    first_body = lo
    while first_body < hi and units[first_body].kind == "para" and PREAMBLE.match(units[first_body].text):
        first_body += 1

    def window(pos: int) -> str:
        parts = []
        for u in units[pos: pos + 3]:
            if u.kind == "heading" and u.head.kind in kinds_here:
                break
            parts.append(squash(u.text)[:60])
        return " ".join(parts)

    kinds_here = {g[1].kind for g in group}

    def score(g: int, pos: int) -> float:
        if pos >= len(units) or pos >= hi:
            return -0.5
        u = units[pos]
        s = _sim(group[g][2], window(pos))
        if _opens(group[g][2], units, pos):
            s += 1.0
        if u.kind == "para" and PREAMBLE.match(u.text):
            s -= 1.0
        if g == 0 and lo == 0 and pos == first_body:
            s += 0.5  # the first chapter follows the preamble
        prev = units[pos - 1] if pos > 0 else None
        if prev is not None:
            if prev.kind == "para" and u.kind == "para" and _leadish(prev.text) and _leadish(u.text):
                s -= 0.6  # inside a run of lead-phrase paragraphs
            if prev.kind == "heading":
                s -= 2.0  # between a heading and its text
            if prev.kind == "para" and prev.text.rstrip().endswith((":", "：")):
                s -= 1.0  # after a paragraph that announces a list
        # a deeper numbered sequence must not be cut: the next deeper heading starts at one
        for nxt in units[pos:hi]:
            if nxt.kind == "heading" and nxt.head.kind not in kinds_here:
                if nxt.head.value > 1 and any(p.kind == "heading" and p.head.kind == nxt.head.kind
                                              for p in units[lo:pos]):
                    s -= 2.0
                break
            if nxt.kind == "heading":
                break
        if u.kind == "heading":
            s -= 0.3
        return s

    # dynamic programming over positions, non-decreasing; equal only chapter→section
    NEG = float("-inf")
    best = [[NEG] * len(cands) for _ in range(n)]
    back = [[-1] * len(cands) for _ in range(n)]
    for ci, pos in enumerate(cands):
        best[0][ci] = score(0, pos)
    for g in range(1, n):
        same_ok = group[g - 1][1].kind != group[g][1].kind
        run_max, run_arg = NEG, -1
        for ci, pos in enumerate(cands):
            # predecessor positions strictly before (or equal when allowed)
            if ci > 0 and best[g - 1][ci - 1] > run_max:
                run_max, run_arg = best[g - 1][ci - 1], ci - 1
            cand_val, cand_arg = run_max, run_arg
            if same_ok and best[g - 1][ci] > cand_val:
                cand_val, cand_arg = best[g - 1][ci], ci
            if cand_arg >= 0:
                best[g][ci] = cand_val + score(g, pos)
                back[g][ci] = cand_arg
    ci = max(range(len(cands)), key=lambda c: best[n - 1][c])
    out = [0] * n
    for g in range(n - 1, -1, -1):
        out[g] = cands[ci]
        ci = back[g][ci]
    return out


def _leadish(text: str) -> bool:
    return lead_phrase(DASH.sub("", text)) is not None


def lead_phrase(text: str, numbered: bool = False) -> str | None:
    """The lead phrase a paragraph opens with (without its 。), or None: a
    first sentence of at most 40 characters with no comma, colon or
    semicolon, followed by more text.  A numbered measure's may open with
    按照/为/根据 ((二)按照“圈群市县”四个层次科学规划人口布局。); an unnumbered
    paragraph that does is a preamble."""
    m = re.match(r"([^。；;，,：:!！?？]{2,60}?)。", text)
    if not m:
        return None
    phrase = m.group(1)
    if len(squash(phrase)) > LEAD_MAX or not text[m.end():].strip():
        return None
    if re.match(r"^\s*(?:到|至|截至|力争到)?\s*(?:19|20)\d{2}\s*年", phrase) or \
            (not numbered and re.match(r"^\s*(?:为|根据|按照)", phrase)):
        return None
    if re.match(r"^\s*[“\"][^”\"]{1,12}[”\"]\s*(?:指|是)", phrase):
        return None  # “一带”指北盘江生态保护带: a definition, not a heading
    return phrase
