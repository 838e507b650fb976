"""责任单位 clauses, read by the conventions of Chinese official documents.

A 实施方案 ends a task with the bodies responsible for it, in brackets:

* ``(责任单位:省发展改革委、省财政厅)`` — a role label (责任单位, 责任部门,
  责任主体, 牵头单位/牵头部门, 配合单位/配合部门, 参与单位, 协办单位, 实施主体,
  牵头责任单位, 主要责任单位 …) and the names it lists;
* ``(牵头单位:省发展改革委;配合单位:省财政厅、省自然资源厅)`` — a 牵头 part and
  a 配合 part, each with its label (separated by ; , 。 or nothing);
* ``(省发展改革委牵头,省直有关部门按职责分工负责)`` — roles written after
  the names (X牵头, X配合, X按职责分工负责);
* names joined by 、 and groups by , ; — a name may hold a bracketed gloss
  with its own 、 (``各县(市、区)人民政府``, ``市(州)``): the brackets are
  one name;
* a closing ``。`` after the bracket (``…)。``), and a note after the names
  (``…负责,下同。以下各项任务均需…落实``): the names end at the first 。.

:func:`parse` gives the names as written, in the clause's order, each with
whether the clause writes 牵头 for it: it is listed under a 牵头 label
(牵头单位: / 牵头部门: / 牵头责任单位:), or its group (the names joined by 、
up to the next , ; or label) ends in 牵头 (``A、B牵头`` — both).  Nothing
else makes a name lead: the first name is listed first, never lead.

A **joint entry** is a run of places joined by 、 that share the government
written after the last one: ``西宁市、海东市政府`` is the 政府 of 西宁市 and of
海东市; ``各市(州)、县(市、区)人民政府`` the 人民政府 of 各市(州) and of
各县(市、区) (a leading 各 / 有关 / 相关 goes to every place too).
:func:`joint_spans` finds them, :func:`joint_names` gives the ways one
distributes (the preferred reading first).

Validation (``kb.audit``) and ingest (``ingest.depts``) both read clauses
here, so a clause ingest drafts is read the same way when it is validated.
Pure functions: no I/O, no vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN, CLOSE = "(（", ")）"

# A role label: what the names after it are (the colon is required).
ROLE = (r"(?:[省市州县区]级|主要|具体)?"
        r"(?:牵头|责任|配合|参与|协办|主办|协同|协助|实施|落实|支持)(?:责任)?"
        r"(?:单位|部门|主体|处室|机构|机关)"
        r"(?:及(?:其他|相关|有关)?(?:牵头|责任|配合|参与|协办)?(?:单位|部门))?")
LABEL = re.compile(rf"(?P<role>{ROLE})\s*[:：]\s*")
# a label that makes its names lead: 牵头单位, 牵头部门, 牵头责任单位, 省级牵头单位
# (not 牵头单位及责任单位, which names both at once)
LEAD_ROLE = re.compile(r"^(?:[省市州县区]级|主要|具体)?牵头(?!.*及)")

# what a name's piece may end with besides the name
DUTY_TAIL = re.compile(r"(?:(?:按照?|依|根据)?(?:各自)?职(?:责|能)(?:分工)?|分别|分工|共同|具体|负责)?(?:负责|落实)$")
LEAD_TAIL = re.compile(r"(?:负责)?牵头(?:负责|落实|抓总)?$")
HELP_TAIL = re.compile(r"(?:负责)?(?:配合|参与|协助|协同|支持)(?:配合)?$")
ETC = re.compile(r"等(?:有关|相关|其他)?(?:部门|单位)?$")
# pieces that are notes, not names
NOTE = re.compile(r"^(?:以?下同|同上|不再(?:单独)?列出|以下不再(?:单独)?列出)$")

PLACE_END = re.compile(r"(?:省|市|州|县|区|旗|盟|乡|镇)$")
GOVERNMENT_END = re.compile(r"(?:人民)?政府$")
GOVERNMENTS = ("人民政府", "政府")  # the longer first: 县市区人民政府 shares 人民政府
DISTRIBUTIVE = ("各", "有关", "相关")
GLOSS_TAIL = re.compile(r"(?:[(（][^()（）]*[)）])+$")

__all__ = ["Name", "Found", "parse", "clause_names", "joint_spans", "joint_runs", "joint_names", "split_top",
           "find_clause", "is_place", "inside", "body_of", "joint_parts", "LABEL", "LEAD_ROLE"]


@dataclass(frozen=True)
class Name:
    text: str  # as written, without a role written after it (牵头, 按职责分工负责, 等)
    lead: bool  # the clause writes 牵头 for it
    role: str | None  # the label it is listed under, as written (牵头单位, 配合部门 …), if any
    group: int  # names joined by 、 share a group; , ; and labels start a new one


@dataclass(frozen=True)
class Found:
    """A clause at the end of a measure's text."""

    start: int  # where the clause starts in the text
    quote: str  # verbatim: the brackets, and a 。 ; after them
    label: str | None  # its first role label, if it opens with one


def split_top(text: str, seps: str = "、,，;；") -> list[tuple[str, str]]:
    """(piece, separator before it) at ``seps`` outside brackets."""
    out: list[tuple[str, str]] = []
    depth, cur, sep = 0, [], ""
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in seps:
            out.append(("".join(cur), sep))
            cur, sep = [], ch
            continue
        cur.append(ch)
    out.append(("".join(cur), sep))
    return out


def _closing(text: str, at: int) -> int:
    """The index of the bracket closing the one at ``at``, or -1."""
    depth = 0
    for i in range(at, len(text)):
        if text[i] in OPEN:
            depth += 1
        elif text[i] in CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return -1


def inside(quote: str) -> str:
    """A clause without its brackets (and a 。 ; after them): the names and
    any note after them."""
    s = quote.strip(" \u3000")
    if s and s[0] in OPEN:
        end = _closing(s, 0)
        return s[1:end] if end > 0 else s[1:]
    return re.sub(r"[。;；,，\s]+$", "", s)


def body_of(quote: str) -> str:
    """The names part of a clause: inside its brackets (a 。 or ; after
    them dropped), up to the first 。 outside nested brackets."""
    s = inside(quote)
    # the names end at the first 。 (what follows is a note: 以下各项任务均需…)
    depth = 0
    for i, ch in enumerate(s):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif ch == "。" and depth == 0:
            return s[:i]
    return s


def _segments(body: str) -> list[tuple[str | None, str]]:
    """(role label or None, text) for each labelled part of ``body``, in order."""
    # labels outside nested brackets only
    depth_at = []
    depth = 0
    for ch in body:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        depth_at.append(depth)
    marks = [m for m in LABEL.finditer(body) if depth_at[m.start()] == 0]
    if not marks:
        return [(None, body)]
    out: list[tuple[str | None, str]] = []
    if body[:marks[0].start()].strip(" \u3000、,，;；"):
        out.append((None, body[:marks[0].start()]))
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(body)
        out.append((m.group("role"), body[m.end():end]))
    return out


def _bare(piece: str) -> tuple[str, bool]:
    """A piece without the role words written after its name; whether one
    of them is 牵头."""
    s = piece.strip(" \u3000")
    lead = False
    for _ in range(3):
        before = s
        s = DUTY_TAIL.sub("", s).strip(" \u3000") or s
        if LEAD_TAIL.search(s) and LEAD_TAIL.sub("", s).strip():
            s, lead = LEAD_TAIL.sub("", s).strip(" \u3000"), True
        if HELP_TAIL.search(s) and HELP_TAIL.sub("", s).strip():
            s = HELP_TAIL.sub("", s).strip(" \u3000")
        if ETC.search(s) and ETC.sub("", s).strip():
            s = ETC.sub("", s).strip(" \u3000")
        if s == before:
            break
    return s, lead


def parse(quote: str) -> list[Name]:
    """The names a 责任单位 clause lists (a whole quote with its brackets, or
    just its names), as written and in order, each with whether the clause
    writes 牵头 for it and the label it is listed under."""
    out: list[Name] = []
    group = -1
    for role, text in _segments(body_of(quote)):
        in_lead = bool(role and LEAD_ROLE.match(role))
        pending: list[tuple[str, bool]] = []

        def close():
            # 牵头 written after the last name of a group is the whole group's (A、B牵头)
            if not pending:
                return
            group_lead = pending[-1][1]
            for name, lead in pending:
                out.append(Name(name, in_lead or lead or group_lead, role, group))
            pending.clear()

        for piece, sep in split_top(text):
            if sep != "、":
                close()
                group += 1
            name, lead = _bare(piece)
            if not name or NOTE.match(name):
                continue
            pending.append((name, lead))
        close()
    return out


def clause_names(quote: str) -> list[tuple[str, bool]]:
    """(name as written, lead) for each name of the clause, in order."""
    return [(n.text, n.lead) for n in parse(quote)]


def is_place(item: str) -> bool:
    """A place (西宁市, 各市州, 县(市、区), 自治州) — not its government."""
    bare = GLOSS_TAIL.sub("", item)
    return bool(PLACE_END.search(bare)) and not GOVERNMENT_END.search(bare)


def _is_government(item: str) -> bool:
    return any(item.endswith(g) and len(item) > len(g) for g in GOVERNMENTS)


def joint_spans(names: list[Name]) -> list[tuple[int, int]]:
    """(first, last) indices of each joint entry among ``names``: places
    joined by 、 (one group) followed by a government they share."""
    spans = []
    run: list[int] = []
    for i, n in enumerate(names):
        if run and names[run[-1]].group != n.group:
            run = []
        if is_place(n.text):
            run.append(i)
            continue
        if run and _is_government(n.text):
            spans.append((run[0], i))
        run = []
    return spans


def joint_runs(quote: str) -> list[str]:
    """The joint entries a clause writes, as written (西宁市、海东市政府)."""
    names = parse(quote)
    return ["、".join(n.text for n in names[a:b + 1]) for a, b in joint_spans(names)]


def joint_parts(joint: str) -> list[str]:
    """A joint entry's pieces as written (brackets kept whole)."""
    return [p.strip(" \u3000") for p, _ in split_top(joint, "、")]


def joint_names(joint: str) -> list[list[str]]:
    """The ways a joint entry distributes its shared parts, the preferred
    first: the whole government written after the last place goes to every
    place (人民政府 rather than 政府), and a leading 各 / 有关 / 相关 too:
    西宁市、海东市政府 -> [西宁市政府, 海东市政府]; 各市州、县市区人民政府 ->
    [各市州人民政府, 各县市区人民政府], then [各市州人民政府, 县市区人民政府] …"""
    parts = joint_parts(joint)
    if len(parts) < 2 or not all(parts):
        return []
    last = parts[-1]
    out: list[list[str]] = []
    for suffix in GOVERNMENTS:
        if not last.endswith(suffix) or len(last) == len(suffix):
            continue
        prefix = next((d for d in DISTRIBUTIVE if parts[0].startswith(d)), "")
        for pre in ([prefix, ""] if prefix else [""]):
            names = [p + suffix for p in parts[:-1]] + [last]
            names = [names[0]] + [x if x.startswith(pre) else pre + x for x in names[1:]]
            if names not in out:
                out.append(names)
    return out


# --------------------------------------------------------------------------- finding a clause

# a bracket at the end of a text, nested brackets allowed inside, a 。 ; after it
_TAIL_BRACKET = re.compile(r"[(（](?P<body>(?:[^()（）]|[(（][^()（）]*[)）])*)[)）]\s*[。.;；]?\s*$")
# an unlabelled clause names its roles after the names
_ROLE_WORDS = re.compile(r"牵头|按(?:照)?职(?:责|能)(?:分工)?负责|分工负责|分别负责|负责落实|配合")


def find_clause(text: str, looks_like_body=None) -> Found | None:
    """The 责任单位 clause ``text`` ends with, if any: a bracket that opens
    with a role label (责任单位:, 牵头单位: …), or — without a label — whose
    names carry their roles (X牵头, Y按职责分工负责) and each look like a
    body's name to ``looks_like_body`` (a predicate; without one, only
    labelled clauses are found)."""
    m = _TAIL_BRACKET.search(text)
    if not m:
        return None
    body = m.group("body")
    label = LABEL.match(body.lstrip(" \u3000"))
    if label:
        return Found(m.start(), m.group(0).strip(), label.group("role"))
    if looks_like_body is None or not _ROLE_WORDS.search(body_of(m.group(0))):
        return None
    names = parse(m.group(0))
    if names and all(looks_like_body(n.text) for n in names):
        return Found(m.start(), m.group(0).strip(), None)
    return None
