"""Stage 5: the outline → records in the project's own shape (the loader's
field names), with ids, lead phrases, 责任单位 and targets.

Ids follow docs/data-format.md: a section's path of numbers
(``第五章第一节`` → ``5.1``; ``二、(一)`` → ``2.1``), a numbered measure its own
number under its section (``(十)`` under ``三、`` → ``3.10``), lead-phrase
paragraphs their place among their section's lead-phrase paragraphs, other
paragraphs ``p1``, ``p2``…, boxes ``box<N>`` (unnumbered ones ``<section>.box``,
``box2``… in order), the text before the first
heading ``0.p1``…, the issuing notice ``0.notice``, an annex ``annex``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chengzhen.ingest import depts as D
from chengzhen.ingest.outline import DASH, Outline, Section, Unit, lead_phrase
from chengzhen.text.normalize import squash
from chengzhen.text.outline import BOX, match_heading, number_value

# a section that reviews the past or the situation: its figures are not targets
RETROSPECTIVE = re.compile(r"(?:基础|成就|成效|回顾|现状|形势|背景|进展|挑战|环境|趋势|机遇)$")
TASK_VERB = re.compile(r"^(?:夯实|加强|强化|优化|推进|打造|建设|提升|完善|改善|巩固|筑牢|打牢|营造|创造|保护|健全|构建|实施|促进)")


@dataclass
class Body:
    plan: str
    top: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    annexes: list[dict] = field(default_factory=list)
    all_tasks: dict | None = None
    review: list[tuple[int, str, str]] = field(default_factory=list)  # (line, item id, reason)
    known: frozenset = frozenset()

    def measures(self):
        yield from self.top
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield from s.get("measures", [])
            stack.extend(reversed(s.get("sections", [])))

    def all_sections(self):
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.get("sections", [])))


def _measure_from_line(u: Unit, text: str, number: str | None, kind: str, known) -> dict:
    rec: dict = {"id": "", "kind": kind, "number": number, "title": None, "text": text, "line": u.line}
    clause = D.find_clause(text, known)
    if clause and clause.problem:
        # not a list validation would accept: the clause stays in the text, for a curator
        rec["review"] = (f"责任单位 clause {clause.quote} left in the text, not drafted as departments: "
                         f"{clause.problem}")
    elif clause:
        rec["text"] = text[: clause.start].rstrip()
        rec["departments"] = clause.entries
        if clause.lead:
            rec["lead"] = clause.lead
        rec["departments_quote"] = clause.quote
        rec["_clause"] = clause
        if clause.review:
            rec["review"] = clause.review
    return rec


def _set_lead(rec: dict, force: bool) -> None:
    body = DASH.sub("", rec["text"])
    phrase = lead_phrase(body, numbered=force)
    if phrase is not None and (force or rec.get("_lead_ok")):
        rec["title"] = phrase.strip()


def build(plan_id: str, outline: Outline, lines: list[str], notice_line: int | None,
          known_departments=frozenset()) -> Body:
    """The records of ``outline``; ``known_departments`` (names and aliases)
    tell a 责任单位 list's names apart."""
    body = Body(plan_id)
    body.known = known_departments
    if notice_line:
        body.top.append({"id": f"{plan_id}/0.notice", "kind": "paragraph", "title": None,
                         "text": lines[notice_line - 1].strip(), "line": notice_line})
    top = _records(outline.top, plan_id, f"{plan_id}/0", body)
    body.top.extend(top)
    used: set[str] = {r["id"] for r in body.top}
    for sec in outline.sections:
        body.sections.append(_section(sec, f"{plan_id}/", plan_id, body, used))
    if outline.annex:
        body.annexes.append(_annex(outline.annex, plan_id, body))
    return body


def _unique(sid: str, used: set[str]) -> str:
    if sid not in used:
        used.add(sid)
        return sid
    for suffix in "bcdefghijklmnopqrstuvwxyz":
        if sid + suffix not in used:
            used.add(sid + suffix)
            return sid + suffix
    k = 27  # a text that repeats itself: z is not the end of the ids
    while f"{sid}_{k}" in used:
        k += 1
    used.add(f"{sid}_{k}")
    return f"{sid}_{k}"


def _section(sec: Section, prefix: str, plan_id: str, body: Body, used: set[str], sid: str | None = None) -> dict:
    sid = sid or _unique(f"{prefix}{sec.value}", used)
    rec: dict = {"id": sid, "number": sec.number, "title": sec.title, "line": sec.line}
    if sec.restored:
        rec["restored"] = True
    if RETROSPECTIVE.search(sec.title) and len(squash(sec.title)) <= 8 and not TASK_VERB.match(sec.title):
        rec["retrospective"] = True
    if sec.review:
        rec["review"] = sec.review
        body.review.append((sec.line, sid, sec.review))
    units = [c for c in sec.children if isinstance(c, Unit)]
    subs = [c for c in sec.children if isinstance(c, Section)]
    # sub-sections keep their numbers; the records take what is left
    sub_ids = [_unique(f"{sid}.{s.value}", used) for s in subs]
    # numbered sub-sections take the numbers: unnumbered measures are then p1, p2… (data-format.md, Ids)
    rec["measures"] = _records(units, plan_id, sid, body, used, collide=any(s.number for s in subs))
    rec["sections"] = [_section(s, sid + ".", plan_id, body, used, sub_id) for s, sub_id in zip(subs, sub_ids)]
    # records and sub-sections interleave in the source; the YAML keeps each list in order
    return rec


def _records(units: list[Unit], plan_id: str, sid: str, body: Body, used: set[str] | None = None,
             collide: bool = False) -> list[dict]:
    used = used if used is not None else set()
    out: list[dict] = []
    paras = [u for u in units if u.kind == "para"]
    lead = {u.line: lead_phrase(DASH.sub("", u.text)) is not None for u in paras}
    # a lead-phrase paragraph counts as a measure when it is one of a run
    ok: dict[int, bool] = {}
    for i, u in enumerate(paras):
        if not lead[u.line]:
            ok[u.line] = False
            continue
        prev_lead = i > 0 and lead[paras[i - 1].line]
        next_lead = i + 1 < len(paras) and lead[paras[i + 1].line]
        ok[u.line] = prev_lead or next_lead
    n_lead = n_para = n_box = 0
    for u in units:
        if u.kind == "heading":  # a numbered measure
            h = u.head
            rec = _measure_from_line(u, u.text[h.end:].strip(), h.number, "measure", body.known)
            _set_lead(rec, force=True)
            rec["id"] = _unique(f"{sid}.{h.value}", used)
        elif u.kind == "para":
            rec = _measure_from_line(u, u.text, None, "paragraph", body.known)
            rec["_lead_ok"] = ok.get(u.line)
            _set_lead(rec, force=False)
            if rec["title"]:
                rec["kind"] = "measure"
                if collide:
                    n_para += 1
                    rec["id"] = _unique(f"{sid}.p{n_para}", used)
                else:
                    n_lead += 1
                    rec["id"] = _unique(f"{sid}.{n_lead}", used)
            else:
                n_para += 1
                rec["id"] = _unique(f"{sid}.p{n_para}", used)
        elif u.kind in ("box", "table"):
            m = BOX.match(u.text)
            rec = {"id": "", "kind": u.kind, "number": None, "title": None, "line": u.line}
            if m:
                rec["number"] = squash(m.group("num"))
                title = u.text[m.end():].strip(" |\u3000")
                rec["title"] = title or None
                value = number_value(m.group("n"))
                if value is not None:
                    rec["id"] = _unique(f"{plan_id}/box{value}", used)
                else:
                    n_box += 1
                    rec["id"] = _unique(f"{sid}.box" if n_box == 1 else f"{sid}.box{n_box}", used)
                parts = u.parts
            else:
                # unnumbered boxes and tables of a section, in order: box, box2 … (data-format.md, Ids)
                n_box += 1
                rec["id"] = _unique(f"{sid}.box" if n_box == 1 else f"{sid}.box{n_box}", used)
                parts = u.parts
            if not parts:
                # a box header with nothing after it: the header alone
                rec["text"] = rec["title"] or u.text
                rec["title"] = None if rec["text"] == rec["title"] else rec["title"]
            else:
                # a box's items keep their words; a table keeps its cell marks
                rec["text"] = "\n".join(parts) if u.kind == "table" else \
                    "\n".join(re.sub(r"\s*\|\s*$", "", p) for p in parts)
                rec["line"] = u.line
                rec["line_end"] = u.line_end
                if not m:
                    rec["line"] = u.line if u.parts and u.parts[0] == u.text else u.line
            rec["_parts"] = parts
            rec["_unit"] = u
            if u.review:
                rec["review"] = u.review
        elif u.kind == "annex":
            rec = {"id": _unique(f"{sid}.p{n_para + 1}", used), "kind": "paragraph", "title": None,
                   "text": u.text, "line": u.line}
            n_para += 1
        else:
            continue
        if u.review and "review" not in rec:
            rec["review"] = u.review
        rec.pop("_lead_ok", None)
        if rec.get("review"):
            body.review.append((rec["line"], rec["id"], rec["review"]))
        out.append(rec)
    return out


# --------------------------------------------------------------------------- annexes

GROUP = re.compile(r"^(?P<name>[^()（）\d]{2,20}?)\s*(?P<count>[(（]\s*(?:共)?\s*\d+\s*个\s*[)）])\s*$")
ITEM = re.compile(r"^\s*(?P<num>\d{1,3}\s*[.．、])\s*(?P<name>\S.*?)\s*$")


def _annex(u: Unit, plan_id: str, body: Body) -> dict:
    """A 附件 list: title, groups (a name and its count), numbered entries."""
    rows: list[tuple[int, str]] = list(u.parts)  # (line, text)
    heading_lines: list[int] = []
    title = None
    title_line = u.line
    i = 0
    while i < len(rows):
        line, text = rows[i]
        m = re.match(r"^\s*附\s*件\s*\d*\s*[:：]?\s*(?P<t>.*)$", text)
        if m:
            heading_lines.append(line)
            if m.group("t") and not title:
                title, title_line = m.group("t").strip(), line
            i += 1
            continue
        if not match_heading(text) and not GROUP.match(text) and title is None or (
                title is not None and not match_heading(text) and not GROUP.match(text)
                and i < 4 and re.fullmatch(r"[(（][^()（）]*[)）]", text.strip())):
            heading_lines.append(line)
            if title is None:
                title, title_line = text.strip(), line
            i += 1
            continue
        if title is not None and squash(text) == squash(title):
            heading_lines.append(line)
            i += 1
            continue
        break
    groups: list[dict] = []
    for line, text in rows[i:]:
        g = GROUP.match(text.strip())
        if g:
            groups.append({"name": g.group("name").strip(), "count_as_written": squash(g.group("count")),
                           "line": line, "items": []})
            continue
        it = ITEM.match(text)
        if not groups:
            groups.append({"name": None, "line": line, "items": []})
        if it:
            groups[-1]["items"].append({"number": squash(it.group("num")), "name": it.group("name"), "line": line})
        else:
            groups[-1]["items"].append({"number": None, "name": text.strip(), "line": line})
    rec = {"id": f"{plan_id}/annex", "title": title or u.text, "line": title_line, "line_end": u.line_end,
           "lines": heading_lines, "groups": groups}
    body.review.append((u.line, rec["id"], "annex read as a list of names: check its groups and entries"))
    return rec
