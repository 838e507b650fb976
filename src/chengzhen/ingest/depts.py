"""责任单位 clauses: found at a measure's end, split into the entries as
written, in order, matched to the department vocabulary.

``(责任单位:省发展改革委、省住房城乡建设厅)`` — also 牵头单位, 责任部门,
full-width brackets and colons, role labels inside (牵头单位:…;配合单位:…),
nested brackets in a name (各县(市、区)人民政府).  Names are split at 、 , ;
and role labels, and kept as written, in the clause's order.

* A **joint entry** is a run of places joined by 、 that share the
  government written after the last one — ``西宁市、海东市政府`` is the 政府 of
  西宁市 and of 海东市, ``各市州、县市区人民政府`` the 人民政府 of 各市州 and of
  各县市区 (a leading 各 goes to every place too).  It is kept as written,
  with the departments it names.  A place listed alone stands for its
  government (``西宁市``).
* **lead** is only what the clause writes 牵头 for: ``X牵头``, or the names
  after ``牵头单位:`` — never the first name by position.
* A note that gives departments to every task at once (以下各项任务均需…落实)
  is returned separately.

Each reading is compared with the way validation reads the clause
(``kb.audit.clause_names``, ``joint_runs``); where they differ — a name with
a 、 inside brackets, a role label validation does not know — the clause is
returned with ``problem`` set, and the caller keeps it in the measure's text
and flags it for review, rather than write a list validation would refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chengzhen.kb.audit import clause_names, joint_names, joint_runs

CLAUSE = re.compile(
    r"[(（]\s*(?P<label>(?:主要)?责任单位|牵头单位|责任部门|牵头部门|责任主体|实施主体|牵头单位及责任单位)\s*[:：]"
    r"(?P<body>(?:[^()（）]|[(（][^()（）]*[)）])*)[)）]\s*[。.;；]?\s*$")
ORG = re.compile(r"(?:人民政府|政府|委员会|厅|局|委|办|部|院|会|中心|公司|集团|银行|分行|联|处|室|所|站|队|团|署|社|馆|台|"
                 r"司|组|协|校|区管委会|管委会|园区|新区|高新区|开发区|单位|部门)$")
ROLE = re.compile(r"(?P<role>牵头单位|牵头部门|配合单位|配合部门|参与单位|参与部门|协办单位|责任单位|责任部门|主办单位)\s*[:：]")
TAIL = re.compile(r"(?:按职责分工负责|按职责负责|按职能分工负责|分别负责|分工负责|牵头负责|牵头|配合|参与|负责)$")
ALL_TASKS = re.compile(r"以下各项任务均需(?P<who>.+?)(?:负责)?落实")
GOVERNMENT = re.compile(r"(?:人民政府|政府)$")
PLACE = re.compile(r"(?:省|市|州|县|区|盟|旗)$")
DISTRIBUTIVE = ("各", "有关", "相关")


@dataclass
class Clause:
    quote: str  # verbatim, with its brackets
    start: int  # where it starts in the text
    entries: list  # a name as written, or {"joint": as written, "names": [...]}
    lead: list[str] = field(default_factory=list)  # the names the clause writes 牵头 for
    all_tasks: list = field(default_factory=list)  # entries, like ``entries``
    all_tasks_quote: str | None = None
    review: str | None = None
    problem: str | None = None  # the clause cannot be written as a list validation accepts

    @property
    def names(self) -> list[str]:
        """Every department the clause names (joint entries distributed)."""
        return [n for e in self.entries for n in entry_names(e)]


def entry_names(e) -> list[str]:
    return list(e["names"]) if isinstance(e, dict) else [e]


def _split_top(body: str) -> list[tuple[str, str]]:
    """(piece, separator before it) at 、,，;； outside brackets."""
    out: list[tuple[str, str]] = []
    depth, cur, sep = 0, [], ""
    for ch in body:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、,，;；":
            out.append(("".join(cur), sep))
            cur, sep = [], ch
            continue
        cur.append(ch)
    out.append(("".join(cur), sep))
    return out


def _standalone(piece: str, known) -> bool:
    """A piece that names a body by itself: a known name, an office, or a
    place (a place stands for its government) — but not 各…, which takes the
    head of what follows (各市州、县市区人民政府)."""
    if piece in known or ORG.search(piece):
        return True
    return bool(PLACE.search(piece)) and not piece.startswith(DISTRIBUTIVE)


def _place(piece: str) -> bool:
    """A place name (西宁市, 各市州, 各市(州) — a bracketed gloss after it allowed)."""
    bare = re.sub(r"(?:[(（][^()（）]*[)）])+$", "", piece)
    return bool(PLACE.search(bare)) and not GOVERNMENT.search(piece)


def distribute(parts: list[str], known=frozenset()) -> list[str]:
    """The departments a joint entry names: the government written after the
    last place goes to every place (人民政府 rather than 政府 when both fit),
    and a leading 各 / 有关 / 相关 to every place too; when the vocabulary
    knows every name of one reading, that reading."""
    last = parts[-1]
    readings = []
    for suffix in ("人民政府", "政府"):
        if not last.endswith(suffix) or len(last) == len(suffix):
            continue
        prefix = next((d for d in DISTRIBUTIVE if parts[0].startswith(d)), "")
        for pre in ([prefix, ""] if prefix else [""]):
            names = [p + suffix for p in parts[:-1]] + [last]
            names = [names[0]] + [x if x.startswith(pre) else pre + x for x in names[1:]]
            readings.append(names)
    if not readings:
        return []
    for names in readings:
        if all(n in known for n in names):
            return names
    return readings[0]


def split_entries(body: str, known=frozenset()) -> tuple[list, list[str], str | None]:
    """The entries a clause body lists, as written, in order; the names it
    writes 牵头 for; and a reason to review when a piece does not look like
    a body's name."""
    pieces: list[tuple[str, str, bool]] = []  # (piece, separator before it, in a 牵头 block)
    lead_block = False
    for segment_no, segment in enumerate(re.split(r"[;；]", body)):
        role = ROLE.search(segment)
        if role:
            lead_block = role.group("role").startswith("牵头")
            segment = segment[:role.start()] + segment[role.end():]
        elif segment_no:
            lead_block = False
        for k, (piece, sep) in enumerate(_split_top(segment)):
            pieces.append((piece.strip(" \u3000"), sep if k else "；", lead_block))
    entries: list = []
    lead: list[str] = []
    review = None
    run: list[str] = []  # places waiting for the government they share
    run_lead = False

    def flush_run():
        nonlocal review
        for p in run:
            if not _standalone(p, known) and not review:
                review = f"{p!r} does not look like the name of a body"
            entries.append(p)
        run.clear()

    for i, (piece, _sep, in_lead) in enumerate(pieces):
        if not piece or piece in ("下同", "等", "各有关单位按职责分工负责"):
            continue
        is_lead = in_lead or piece.endswith("牵头")
        piece = TAIL.sub("", piece).strip()
        if piece.endswith("等") and len(piece) > 3:
            piece = piece[:-1]
        if not piece:
            continue
        after = pieces[i + 1][1] if i + 1 < len(pieces) else ""
        if _place(piece) and after == "、":
            run.append(piece)
            run_lead = run_lead or is_lead
            continue
        if run and GOVERNMENT.search(piece):
            parts = run + [piece]
            names = distribute(parts, known)
            entries.append({"joint": "、".join(parts), "names": names})
            if run_lead or is_lead:  # 牵头 is written for the items as the clause lists them
                lead.extend(parts)
            run.clear()
            run_lead = False
            continue
        flush_run()
        if not _standalone(piece, known) and not review:
            review = f"{piece!r} does not look like the name of a body"
        entries.append(piece)
        if is_lead:
            lead.append(piece)
    flush_run()
    return entries, lead, review


def split_names(body: str, known=frozenset()) -> tuple[list[str], str | None]:
    """The entries of a clause body as written (a joint entry as its text)."""
    entries, _lead, review = split_entries(body, known)
    return [e["joint"] if isinstance(e, dict) else e for e in entries], review


def _agrees(quote: str, entries: list, lead: list[str]) -> str | None:
    """Why validation would read ``quote`` otherwise than ``entries``, or None."""
    written = [p.strip() for e in entries for p in (e["joint"].split("、") if isinstance(e, dict) else [e])]
    listed = clause_names(quote)
    if written != [n for n, _ in listed]:
        return ("validation reads the clause's names as " + "、".join(n for n, _ in listed)
                + ", ingest as " + "、".join(written))
    joints = {e["joint"] for e in entries if isinstance(e, dict)}
    for e in entries:
        if isinstance(e, dict) and e["names"] not in joint_names(e["joint"]):
            return f"the joint entry {e['joint']!r} cannot name {e['names']}"
    for run in joint_runs(quote):
        if run not in joints:
            return f"validation reads {run!r} as a joint entry"
    if {n for n, is_lead in listed if is_lead} != set(lead):
        return "validation reads 牵头 otherwise"
    return None


def find_clause(text: str, known=frozenset()) -> Clause | None:
    m = CLAUSE.search(text)
    if not m:
        return None
    body = m.group("body")
    sentences = body.split("。")
    if m.group("label").startswith("牵头"):
        sentences[0] = "牵头单位:" + sentences[0]
    entries, lead, review = split_entries(sentences[0], known)
    c = Clause(m.group(0).strip(), m.start(), entries, lead, review=review)
    note = ALL_TASKS.search(body)
    if note:
        c.all_tasks, _lead, _ = split_entries(note.group("who"), known)
        # the note as written: from the piece that says 按职责分工负责/下同 to its end
        at = body.find("下同")
        at = body.rfind("负责", 0, at) if at > 0 and body.rfind("负责", 0, at) >= 0 else at
        seg_start = max(body.rfind(",", 0, at), body.rfind("，", 0, at), body.rfind(":", 0, at),
                        body.rfind("：", 0, at)) if at >= 0 else -1
        tail = body[note.end():]
        end_m = re.match(r"[^。]*", tail)
        quote = body[seg_start + 1 if seg_start >= 0 else note.start(): note.end() + (end_m.end() if end_m else 0)]
        c.all_tasks_quote = quote.strip(" 。")
    if not entries:
        c.review = "a 责任单位 clause naming no body"
        c.problem = "it names no body"
    else:
        c.problem = _agrees(c.quote, entries, lead)
    return c
