"""责任单位 clauses: found at a measure's end, split into names as written,
matched to the department vocabulary.

``(责任单位:省发展改革委、省住房城乡建设厅)`` — also 牵头单位, 责任部门,
full-width brackets and colons, role labels inside (牵头单位:…;配合单位:…),
nested brackets in a name (各县(市、区)人民政府).  Names are split at 、 , ;
and role labels; a piece that names no body by itself shares the head of
the next one (``各市州、县市区人民政府`` is one body: the city and the county
governments), as Chinese lists write it.  A note that gives departments to
every task at once (以下各项任务均需…落实) is returned separately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CLAUSE = re.compile(
    r"[(（]\s*(?P<label>(?:主要)?责任单位|牵头单位|责任部门|牵头部门|责任主体|实施主体|牵头单位及责任单位)\s*[:：]"
    r"(?P<body>(?:[^()（）]|[(（][^()（）]*[)）])*)[)）]\s*[。.;；]?\s*$")
ORG = re.compile(r"(?:人民政府|政府|委员会|厅|局|委|办|部|院|会|中心|公司|集团|银行|分行|联|处|室|所|站|队|团|署|社|馆|台|"
                 r"司|组|协|校|区管委会|管委会|园区|新区|高新区|开发区|单位|部门)$")
ROLE = re.compile(r"(?:牵头单位|配合单位|参与单位|协办单位|责任单位|主办单位)\s*[:：]")
TAIL = re.compile(r"(?:按职责分工负责|按职责负责|按职能分工负责|分别负责|分工负责|牵头负责|牵头|配合|参与|负责)$")
ALL_TASKS = re.compile(r"以下各项任务均需(?P<who>.+?)(?:负责)?落实")


@dataclass
class Clause:
    quote: str  # verbatim, with its brackets
    start: int  # where it starts in the text
    names: list[str]
    all_tasks: list[str] = field(default_factory=list)
    all_tasks_quote: str | None = None
    review: str | None = None


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


PLACE = re.compile(r"(?:省|市|州|县|区|盟|旗)$")


def _standalone(piece: str, known) -> bool:
    """A piece that names a body by itself: a known name, an office, or a
    place (a place stands for its government) — but not 各…, which takes the
    head of what follows (各市州、县市区人民政府)."""
    if piece in known or ORG.search(piece):
        return True
    return bool(PLACE.search(piece)) and not piece.startswith("各")


def split_names(body: str, known=frozenset()) -> tuple[list[str], str | None]:
    """The names a clause body lists, as written, in order; and a reason to
    review when a piece does not look like a body's name."""
    body = ROLE.sub("、", body)
    pieces = [(p.strip(" \u3000"), sep) for p, sep in _split_top(body)]
    names: list[str] = []
    review = None
    pending = ""
    for i, (piece, _sep) in enumerate(pieces):
        if not piece or piece in ("下同", "等", "各有关单位按职责分工负责"):
            continue
        piece = TAIL.sub("", piece).strip()
        if piece.endswith("等") and len(piece) > 3:
            piece = piece[:-1]
        if not piece:
            continue
        if pending:
            piece = pending + piece
            pending = ""
        after = pieces[i + 1][1] if i + 1 < len(pieces) else ""
        if not _standalone(piece, known) and after == "、":
            # 各市州、县市区人民政府: the first piece shares the head of the next
            pending = piece + "、"
            continue
        if not _standalone(piece, known) and not review:
            review = f"{piece!r} does not look like the name of a body"
        names.append(piece)
    if pending:
        names.append(pending.rstrip("、"))
        review = review or f"{pending.rstrip('、')!r} does not look like the name of a body"
    return names, review


def find_clause(text: str, known=frozenset()) -> Clause | None:
    m = CLAUSE.search(text)
    if not m:
        return None
    body = m.group("body")
    sentences = body.split("。")
    names, review = split_names(sentences[0], known)
    c = Clause(m.group(0).strip(), m.start(), names, review=review)
    note = ALL_TASKS.search(body)
    if note:
        c.all_tasks, _ = split_names(note.group("who"), known)
        # the note as written: from the piece that says 按职责分工负责/下同 to its end
        at = body.find("下同")
        at = body.rfind("负责", 0, at) if at > 0 and body.rfind("负责", 0, at) >= 0 else at
        seg_start = max(body.rfind(",", 0, at), body.rfind("，", 0, at), body.rfind(":", 0, at),
                        body.rfind("：", 0, at)) if at >= 0 else -1
        tail = body[note.end():]
        end_m = re.match(r"[^。]*", tail)
        quote = body[seg_start + 1 if seg_start >= 0 else note.start(): note.end() + (end_m.end() if end_m else 0)]
        c.all_tasks_quote = quote.strip(" 。")
    if not names:
        c.review = "a 责任单位 clause naming no body"
    return c
