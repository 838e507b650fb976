"""责任单位 clauses: found at a measure's end, split into the entries as
written, in order, matched to the department vocabulary.

The clause is read by :mod:`chengzhen.text.clauses` — the very reading
validation (``kb.audit``) applies — so what is drafted here is what
validation reads: role labels (责任单位, 责任部门, 责任主体, 牵头单位/牵头部门 …
配合单位/配合部门, 参与单位 …), 牵头 written after names, a name with a
bracketed 、 inside (各县(市、区)人民政府), a closing ``)。``.  This module
adds what needs the vocabulary:

* a **joint entry** (places joined by 、 sharing the government written after
  the last, ``西宁市、海东市政府``) names the departments of the reading the
  vocabulary knows every name of, else the preferred reading
  (``text.clauses.joint_names``); a place listed alone stands for its
  government (``西宁市``);
* **lead** lists the departments the clause writes 牵头 for (a joint entry's
  names when it does so for the entry) — never the first name by position;
* a name that does not look like a body's flags the clause for review;
* a note that gives departments to every task at once (以下各项任务均需…落实,
  以下任务除已明确市州政府的,均需…落实)
  is returned separately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chengzhen.text import clauses as C

ORG = re.compile(r"(?:人民政府|政府|委员会|厅|局|委|办|部|院|会|中心|公司|集团|银行|分行|联|处|室|所|站|队|团|署|社|馆|台|"
                 r"司|组|协|校|区管委会|管委会|园区|新区|高新区|开发区|单位|部门|机构|机关)$")
# a note that gives departments to every task after it: 以下各项任务均需X落实; 以下任务除已明确市州
# 政府的,均需X落实,不再一一列出; 以下各项任务均由X负责落实
ALL_TASKS = re.compile(r"以下(?:各项|所有)?(?:任务|工作|措施|事项)?(?:[^,，。;；]{0,20}?的\s*[,，])?\s*"
                       r"(?:均需|均由|均要|均须|都需|需|由)(?P<who>[^。;；]+?)(?:负责|共同)?(?:落实|组织实施|实施)")
PLACE = re.compile(r"(?:省|市|州|县|区|盟|旗)$")
DISTRIBUTIVE = C.DISTRIBUTIVE


@dataclass
class Clause:
    quote: str  # verbatim, with its brackets
    start: int  # where it starts in the text
    entries: list  # a name as written, or {"joint": as written, "names": [...]}
    lead: list[str] = field(default_factory=list)  # the departments the clause writes 牵头 for
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


def _standalone(piece: str, known) -> bool:
    """A piece that names a body by itself: a known name, an office, or a
    place (a place stands for its government) — but not 各…, which takes the
    head of what follows (各市州、县市区人民政府)."""
    if piece in known or ORG.search(piece):
        return True
    bare = C.GLOSS_TAIL.sub("", piece)
    return bool(PLACE.search(bare)) and not piece.startswith(DISTRIBUTIVE)


def distribute(parts: list[str], known=frozenset()) -> list[str]:
    """The departments a joint entry names: the reading
    (``text.clauses.joint_names``) whose every name the vocabulary knows,
    else the preferred one."""
    readings = C.joint_names("、".join(parts))
    if not readings:
        return []
    for names in readings:
        if all(n in known for n in names):
            return names
    return readings[0]


def split_entries(body: str, known=frozenset()) -> tuple[list, list[str], str | None]:
    """The entries a clause (or its names) lists, as written, in order; the
    departments it writes 牵头 for; and a reason to review when a name does
    not look like a body's."""
    names = C.parse(body)
    spans = {a: b for a, b in C.joint_spans(names)}
    entries: list = []
    lead: list[str] = []
    review = None
    i = 0
    while i < len(names):
        if i in spans:
            parts = [n.text for n in names[i:spans[i] + 1]]
            dist = distribute(parts, known)
            entries.append({"joint": "、".join(parts), "names": dist})
            if any(n.lead for n in names[i:spans[i] + 1]):
                lead.extend(dist)
            i = spans[i] + 1
            continue
        n = names[i]
        if not _standalone(n.text, known) and not review:
            review = f"{n.text!r} does not look like the name of a body"
        entries.append(n.text)
        if n.lead:
            lead.append(n.text)
        i += 1
    return entries, lead, review


def split_names(body: str, known=frozenset()) -> tuple[list[str], str | None]:
    """The entries of a clause body as written (a joint entry as its text)."""
    entries, _lead, review = split_entries(body, known)
    return [e["joint"] if isinstance(e, dict) else e for e in entries], review


def find_clause(text: str, known=frozenset()) -> Clause | None:
    """The 责任单位 clause ``text`` ends with (``text.clauses.find_clause``:
    labelled, or unlabelled with its roles written after names that each
    look like a body's), split into entries."""
    found = C.find_clause(text, lambda s: _standalone(s, known) or C.is_place(s))
    if not found:
        return None
    entries, lead, review = split_entries(found.quote, known)
    c = Clause(found.quote, found.start, entries, lead, review=review)
    body = C.inside(found.quote)
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
    return c
