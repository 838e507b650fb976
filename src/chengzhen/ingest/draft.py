"""Stage 6: the draft — assembled, emitted in the project's own YAML, loaded
and audited in a temporary data directory, and written atomically.

:func:`make_draft` runs every stage on one file; :func:`verify` loads the
draft with ``kb.loader`` and checks it with ``kb.audit`` exactly as
``cz validate`` will, in a copy of the data directory; :func:`write` puts
the plan's own files into the data directory together — its source
(``sources/<id>.txt``), its plan file (``plans/<id>.yaml``: the catalogue
entry, then the body) and the vocabulary it proposes
(``vocabulary/<id>.yaml``) — and no file another plan shares, so two
curators who ingest two plans never conflict.  Each file is written beside
its target and renamed over it, and if any step fails the files already
replaced are put back, so a failure leaves the data as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from chengzhen.ingest import clean as C
from chengzhen.ingest import decode as DEC
from chengzhen.ingest import depts as D
from chengzhen.ingest import extract as X
from chengzhen.ingest import flags as FL
from chengzhen.ingest import front as F
from chengzhen.ingest import ids as ID
from chengzhen.ingest import known as KN
from chengzhen.ingest import outline as O
from chengzhen.ingest import places as P
from chengzhen.ingest import targets as T
from chengzhen.ingest import tasks as K
from chengzhen.ingest.errors import IngestError
from chengzhen.kb import fields as FD
from chengzhen.kb import loader as L
from chengzhen.kb.files import (PLACE_FILES, PLANS_DIR, SOURCES_DIR, VOCABULARY_DIR, VOCABULARY_FILES, pending_files,
                                plan_file_ids)
from chengzhen.kb.messages import N_, Msg, joined
from chengzhen.text.normalize import squash
from chengzhen.text.targets import written_years

MIN_STRUCTURE = 2  # headings or numbered measures a plan has at least
# why a period the text does not state is there: the curator gave it (cz ingest --period, cz ingest --finish --period)
SUPPLIED_PERIOD = "标题未写实施期限; {start}—{end} 年由编者给出 (cz ingest --period)"


@dataclass
class Draft:
    plan_id: str
    entry: dict
    body: dict
    source_text: str
    new_departments: list[dict] = field(default_factory=list)
    new_indicators: list[dict] = field(default_factory=list)
    review: list[tuple[int, str, str]] = field(default_factory=list)  # (source line, item, reason)
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    audit: object | None = None
    lines: list[str] = field(default_factory=list)
    flags: list = field(default_factory=list)  # the review flags validation lists (E304)
    # what keeps the draft from being written (validation's refusals ingest cannot mend): (line, item, reason)
    blocking: list[tuple[int, str, str]] = field(default_factory=list)
    places: P.PlacesDraft | None = None  # the region's place, the scopes' readings, places proposed (ingest/places.py)
    id_note: str | None = None  # why the id is not the region's: that one is taken (ingest/ids.py)


def slug(text: str) -> str:
    """A plan id from a place name: 六盘水 → liupanshui."""
    from pypinyin import lazy_pinyin

    s = "".join(lazy_pinyin(text, errors="ignore")).lower()
    s = re.sub(r"[^a-z0-9_]", "", s)
    return s if s and s[0].isalpha() else ("plan" + s if s else "")


def _clean_record(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if not k.startswith("_")}


def make_draft(path: Path, data: Path, plan_id: str | None = None, label: str | None = None,
               period: tuple[int, int] | None = None, taken: dict[str, str] | None = None) -> Draft:
    """Every stage on one input file → a :class:`Draft` (not yet verified).
    ``period``: the curator's, for a text that states none; ``taken``: ids
    earlier files of a batch drafted (id → file name: ingest/ids.py)."""
    label = label or str(path)
    decoded = DEC.decode(DEC.read_bytes(path, label), label)
    return draft_from_text(decoded, data, plan_id, label, source_name=path.name, period=period, taken=taken)


def draft_from_text(decoded: DEC.Decoded, data: Path, plan_id: str | None, label: str,
                    source_name: str | None = None, period: tuple[int, int] | None = None,
                    taken: dict[str, str] | None = None) -> Draft:
    raw = decoded.lines
    if not any(ln.strip() for ln in raw):
        raise IngestError(f"{label}: file is empty")
    kb = KN.load_kb(data)  # read once per process while its files are unchanged (ingest/known.py)
    vocab = kb.vocab
    cleaned = C.clean(raw)
    lines = cleaned.lines
    known = {squash(p.name): p.doc_number for p in kb.plans if p.doc_number}
    national_name = None
    if vocab.national:
        national_name = vocab.national.name
        if vocab.national.doc_number:
            known[squash(national_name)] = vocab.national.doc_number
    fr = F.analyse(lines, national_name, known)
    flags: list[tuple[int, str, str]] = []  # the draft's own flags (line, item, reason)
    if period is not None:
        if fr.period and "period" not in fr.supplied and fr.period != tuple(period):
            raise IngestError(f"{label}: the title states the period {fr.period[0]}—{fr.period[1]}; "
                              f"--period {period[0]}-{period[1]} contradicts it")
        if fr.period != tuple(period) or "period" in fr.supplied:
            fr.period = tuple(period)
            fr.supplied["period"] = SUPPLIED_PERIOD.format(start=period[0], end=period[1])
            fr.review.pop("period", None)
    book = P.load_book(data)
    # the id: the pinyin of the place the region is read as; without a region, the issuer's or the title's place,
    # else "plan"
    id_note = None
    if plan_id is None:
        plan_id, how = _plan_id(fr, P.region_place({"region": fr.region, "name": fr.name, "issuer": fr.issuer,
                                                    "supplied": dict(fr.supplied), "level": fr.level}, lines, book))
        # taken by another plan, source or pending draft (or an earlier file of the batch): an id of its own
        plan_id, id_note = ID.free_id(plan_id, data, decoded.text, period=fr.period, doc_number=fr.doc_number,
                                      issue_date=fr.issue_date, taken=taken)
        if how:
            flags.append((0, plan_id, f"id: {how}; give another with --id"))
    if not L.PLAN_ID.match(plan_id):
        raise IngestError(f"bad plan id {plan_id!r}: use lower-case letters, digits and _ (e.g. guangxi)")
    exclude: set[int] = set()
    for a, b, _ in fr.skip:
        exclude.update(range(a, b + 1))
    exclude.update(fr.title_lines)
    if fr.notice_line:
        exclude.add(fr.notice_line)
    # a copy without body text (it ends in its contents) restores no headings from them
    has_body = any(k not in exclude and lines[k - 1].strip() for k in range(fr.body_start, min(fr.body_end, len(lines)) + 1))
    out = O.analyse(lines, fr.body_start, fr.body_end, exclude, fr.toc if has_body else [])
    fr.cut_off = F.cut_off(lines, fr, exclude)
    if fr.cut_off:
        tail = lines[fr.cut_off - 1].strip()
        flags.append((fr.cut_off, plan_id, f"completeness: the copy breaks off on line {fr.cut_off} (…{tail[-16:]}): "
                      "the text after it is missing — an excerpt (completeness: 节选); what that line starts "
                      "(a target, a 责任单位 list) may be incomplete" if has_body else
                      f"completeness: the copy has no body text — it ends on line {fr.cut_off} (…{tail[-16:]}), "
                      "before the plan's text begins"))
    n_struct = sum(1 for _ in _walk_sections(out.sections)) + sum(
        1 for u in _all_units(out) if u.kind == "heading")
    # short lines alone between paragraphs, without a number: headings whose numbers a copy lost (总体要求)
    bare = [k for k in range(fr.body_start, min(fr.body_end, len(lines)) + 1)
            if k not in exclude and 2 <= len(squash(lines[k - 1])) <= 12 and not re.search(r"[。,，;；:：!?！？、]", lines[k - 1])
            and not O.match_heading(lines[k - 1].strip()) and k < fr.body_end]
    if n_struct < MIN_STRUCTURE and has_body and (not fr.cut_off or (not n_struct and bare)):
        # drafted all the same — as headings and paragraphs — and said (an excerpt is flagged as one already,
        # unless it has headings without numbers)
        # (each part a message of its own, said in the reader's language: cli/views/review.py)
        flags.append((fr.body_start, plan_id, f"structure: numbered headings or measures (一、 (一) 1. 第一章) found: "
                      f"{n_struct}: is this a plan, or only its opening? The text is drafted as it stands"
                      + (f"; lines that look like headings without their numbers: {', '.join(map(str, bare[:5]))}"
                         if bare else "")))
    body = X.build(plan_id, out, lines, fr.notice_line, frozenset(vocab.dept_by_name))
    draft = Draft(plan_id, {}, {}, decoded.text, lines=lines, id_note=id_note)
    draft.notes = list(decoded.notes) + ([id_note] if id_note else [])
    if fr.based_on:
        draft.notes.append("based on: " + "".join(f"《{t}》" for t in fr.based_on))
    # without a period (the source states none), the figures are read against the years
    # the text writes and left without an implied year (flagged)
    period = fr.period or (_working_start(fr, lines), 0)
    # ---- records: departments, topics, tasks, targets
    names = dict(vocab.indicator_by_name)
    for i in vocab.indicators:  # 城市商圈数量 is written 10个城市商圈
        stem = re.sub(r"(?:数量|个数)$", "", i.name)
        if stem != i.name and len(stem) >= 3:
            names.setdefault(stem, i.name)
    ind_pairs = sorted(((a, c) for a, c in names.items() if len(a) >= 2), key=lambda p: (-len(p[0]), p[0]))
    ctx = T.Ctx(period, ind_pairs, {i.name: i.unit for i in vocab.indicators})
    known_depts = vocab.dept_by_name
    org_groups = {g.id for g in vocab.national.groups if g.kind == "organisation"} if vocab.national else set()
    new_depts: dict[str, dict] = {}
    new_inds: dict[str, dict] = {}

    def visit(recs: list[dict], path_titles: list[str], sec_head: str, retro: bool):
        for rec in recs:
            for name in (n for e in rec.get("departments", []) for n in D.entry_names(e)):
                if name not in known_depts and name not in new_depts:
                    new_depts[name] = {"name": name, "aliases": [], "level": _dept_level(name),
                                       "review": f"proposed by cz ingest for {plan_id} (line {rec['line']})"}
            clause = rec.get("_clause")
            if clause is not None and clause.all_tasks and body.all_tasks is None:
                body.all_tasks = {"departments": clause.all_tasks, "quote": clause.all_tasks_quote,
                                  "line": rec["line"],
                                  "scope": "the numbered tasks of the section holding this note"}
                for name in (n for e in clause.all_tasks for n in D.entry_names(e)):
                    if name not in known_depts and name not in new_depts:
                        new_depts[name] = {"name": name, "aliases": [], "level": _dept_level(name),
                                           "review": f"proposed by cz ingest for {plan_id} (line {rec['line']})"}
            rec["topics"] = K.topics_for(rec.get("title"), rec["text"], vocab)
            if rec["kind"] in ("measure", "paragraph", "box"):
                tasks = K.propose_tasks(rec.get("title"), rec["text"], path_titles, vocab.national)
                # a plain paragraph carries a task only when it is about organising the plan's implementation
                if tasks and not retro and (rec["kind"] != "paragraph" or tasks[0] in org_groups):
                    rec["tasks"] = tasks
            targets: list[dict] = []
            head = ""
            if not retro:
                if rec["kind"] == "table":
                    targets = T.table_targets(rec.get("_parts", []), rec["line"] + (0 if not rec.get("number") else 1),
                                              ctx)
                    if rec.get("number") and rec["_parts"] and rec["_unit"].line == rec["line"]:
                        pass
                else:
                    # the year clause that governs the record: its own head, or (a numbered or
                    # lead-phrase measure) its section's goal paragraph's
                    head = T.paragraph_head(rec) or (sec_head if rec["kind"] == "measure" else "")
                    years = [y for y in written_years(head) if y >= period[0]]
                    ctx.year = years[-1] if years else None
                    targets = T.extract(rec["text"], ctx, rec["line"])
                    taken = [(rec["text"].find(t["quote"]), rec["text"].find(t["quote"]) + len(t["quote"]))
                             for t in targets if "quote" in t and t["quote"] in rec["text"]]
                    targets += T.commitments(rec["text"], ctx, rec["line"], taken)
                    if rec["kind"] == "box" and rec.get("line_end", rec["line"]) > rec["line"]:
                        _place_box_targets(targets, rec, lines)
            head = "" if rec["kind"] == "table" else head
            for t in targets:
                if "_unnamed" in t:
                    continue
                T.settle(t, rec, lines, head, period, ctx.units)
                if not T.unit_fits(t, ctx.units) and not T.refit(t, rec["text"], ctx) \
                        and not T.count_indicator(t, ctx):
                    # no quantity the vocabulary knows is measured in this unit: flagged, not drafted
                    t["_unnamed"] = t["as_written"]
                    t["_unnamed_why"] = (f"{t['as_written']} is not in the unit family of {t['indicator']} "
                                         f"({ctx.units.get(t['indicator'])})")
                else:
                    T.per_year(t, ctx)
            unnamed = [t for t in targets if "_unnamed" in t]
            targets = [t for t in targets if "_unnamed" not in t]
            for u in unnamed:
                msg = (f"a figure ({u['_unnamed']}) whose quantity the text does not name clearly"
                       + (f" ({u['_unnamed_why']})" if u.get("_unnamed_why") else "")
                       + f": not drafted as a target; add it by hand if it is one: …{u['quote']}")
                rec["review"] = (rec["review"] + "; " if rec.get("review") else "") + msg
                body.review.append((u["line"], rec["id"], msg))
            for t in targets:
                new = t.pop("_new_indicator", None)
                if new:
                    if new not in new_inds and new not in vocab.indicator_by_name:
                        new_inds[new] = {"name": new, "unit": t.get("unit"), "aliases": [],
                                         "review": f"proposed by cz ingest for {plan_id} (line {t['line']})"}
                if t.get("note") is None:
                    t.pop("note", None)
                if t.get("review"):
                    body.review.append((t["line"], rec["id"], t["review"]))
            rec["targets"] = targets

    def walk(sec: dict, titles: list[str], retro: bool):
        titles = titles + [sec["title"]]
        retro = retro or bool(sec.get("retrospective"))
        ms = sec.get("measures", [])
        # a section whose first unit is a paragraph opening with a year (到2025年, …)
        # lists goals for that year: the year governs its measures
        sec_head = T.paragraph_head(ms[0]) if ms and ms[0]["kind"] == "paragraph" else ""
        visit(ms, titles, sec_head, retro)
        for s in sec.get("sections", []):
            walk(s, titles, retro)

    top_head = T.paragraph_head(body.top[0]) if body.top and body.top[0]["kind"] == "paragraph" else ""
    visit(body.top, [], top_head, False)
    for s in body.sections:
        walk(s, [], False)
    _no_task(body)
    _table_totals(body)
    for s in body.all_sections():
        s["topics"] = K.topics_for(s["title"], s["title"], vocab, limit=2)
    # ---- assemble
    entry = _entry(plan_id, fr, cleaned, decoded, source_name)
    draft.entry = entry
    draft.body = _body_dict(body)
    # where the plan and its targets are: the region as one place, each scope read; what the vocabulary lacks proposed
    draft.places = P.draft_places(plan_id, entry, draft.body, lines, book)
    if entry.get("level") is None and draft.places.region is not None:  # the level of the place the region names
        entry["level"] = draft.places.book.places[draft.places.region].level
    draft.new_departments = list(new_depts.values())
    draft.new_indicators = list(new_inds.values())
    draft.review = sorted(body.review + flags + [(0, plan_id, f"{k}: {v}") for k, v in fr.review.items()],
                          key=lambda r: (r[0], r[1]))
    # the plan-wide flags are the catalogue entry's review, as the field-by-field ones are
    if flags:
        entry["review"] = "; ".join(x for x in (entry.get("review"), *(r for _, _, r in flags)) if x)
    draft.review += [(0, plan_id, note) for note in draft.places.review_notes]
    for section, entries in draft.places.proposed.items():
        for e in entries:
            where = f"{VOCABULARY_DIR}/{plan_id}.yaml (places: {section})"
            # one whole sentence per kind of entry, so each is said in the reader's language (tools/i18n.py)
            draft.review.append((0, str(e.get("name") or e.get("id") or "、".join(e.get("names") or [])), {
                "supplied": f"a place no vocabulary knows: proposed in {where}",
                "aliases": f"a place name no vocabulary knows: proposed in {where}",
                "zones": f"a zone no vocabulary knows: proposed in {where}",
                "groups": f"a named group no vocabulary knows: proposed in {where}",
                "parts": f"a part of places no vocabulary knows: proposed in {where}",
                "classes": f"a scope no vocabulary knows: proposed in {where}",
            }[section] + "; accept it there, or correct it"))
    for d in draft.new_departments:
        draft.review.append((0, d["name"], f"department no vocabulary knows: proposed in "
                                           f"{VOCABULARY_DIR}/{plan_id}.yaml (accept it there, or make it an alias)"))
    for i in draft.new_indicators:
        draft.review.append((0, i["name"], f"indicator no vocabulary knows: proposed in "
                                           f"{VOCABULARY_DIR}/{plan_id}.yaml (accept it there, or make it an alias)"))
    for p in kb.plans:
        if p.id != plan_id and (p.short_name == entry["short_name"] or squash(p.name) == squash(entry["name"] or "")):
            draft.review.append((0, plan_id, f"plan {p.id!r} has the same name: is this a copy of it? else make the "
                                 "short name tell them apart" if squash(p.name) == squash(entry["name"] or "") else
                                 f"plan {p.id!r} has the same short name: is this a copy of it? else make the short "
                                 "name tell them apart"))
    FL.raise_flags(draft, data)  # independent evidence against each field (ingest/flags.py)
    draft.counts = _counts(draft, cleaned)
    return draft


NO_TASK = "cz ingest: no national task of data/national.yaml fits its words"
NO_TASK_REVIEW = "no national task proposed in a section whose other measures carry one: name it (tasks), or say why none (no_task)"


def _no_task(body: X.Body) -> None:
    """In a section where some measure carries a national task, every
    numbered or lead-phrase measure names its task or says why it carries
    none (no_task).  Ingest cannot know why: it says what it found, and
    flags the measure for a curator."""
    groups: list[list[dict]] = [body.top] + [s.get("measures", []) for s in body.all_sections()]
    for recs in groups:
        if not any(r.get("tasks") for r in recs):
            continue
        for r in recs:
            if r["kind"] == "measure" and not r.get("tasks"):
                r["no_task"] = NO_TASK
                r["review"] = (r["review"] + "; " if r.get("review") else "") + NO_TASK_REVIEW
                body.review.append((r["line"], r["id"], NO_TASK_REVIEW))


def _table_totals(body: X.Body) -> None:
    """A figure the plan's own table marks as a total ([], 注:[]内为累计数) is a
    total where the text gives it too."""
    totals = {(t["indicator"], float(t["value"])) for r in body.measures() if r["kind"] == "table"
              for t in r.get("targets", []) if t.get("cumulative") and t.get("value") is not None}
    for r in body.measures():
        if r["kind"] == "table":
            continue
        for t in r.get("targets", []):
            if t.get("value") is not None and (t["indicator"], float(t["value"])) in totals and not t["cumulative"]:
                t["cumulative"] = True
                t["note"] = "; ".join(x for x in (t.get("note"), "本规划的指标表标为累计数([])") if x)


def _place_box_targets(targets: list[dict], rec: dict, lines: list[str]) -> None:
    """A box's targets sit on the line of the box that writes their quote."""
    for t in targets:
        for n in range(rec["line"], rec.get("line_end", rec["line"]) + 1):
            if t["quote"] in lines[n - 1]:
                t["line"] = n
                break


def _walk_sections(secs):
    for s in secs:
        yield s
        yield from _walk_sections([c for c in s.children if isinstance(c, O.Section)])


def _all_units(out: O.Outline):
    yield from out.top
    for s in _walk_sections(out.sections):
        yield from (c for c in s.children if isinstance(c, O.Unit))


def _plan_id(fr: F.Front, place=None) -> tuple[str, str | None]:
    """A plan's id: the pinyin of its region — of the short name of the place
    it is read as (``place``: 西双版纳州 → 西双版纳傣族自治州 → xishuangbanna),
    else as written (贵州 → guizhou); without one, of the place its issuer or
    title starts with; else ``plan``.  The second value says how it was made
    when not from the region (flagged)."""
    if place is not None and slug(place.short or place.name):
        return slug(place.short or place.name), None
    if fr.short_name:
        got = slug(fr.short_name)
        if got:
            return got, None
    for what, text in (("the issuer", fr.issuer), ("the title", fr.name)):
        place = F.place_of(text or "")
        name = place[1] or place[0]
        if name and slug(F._short(name)):
            return slug(F._short(name)), f"no region found: named after {what}'s place {name}"
    if fr.name and slug(fr.name[:4]):
        return slug(fr.name[:4])[:24], "no region found: named after the title's first words"
    return "plan", "no region or title found to name the plan by"


def _working_start(fr: F.Front, lines: list[str]) -> int:
    """The first year to read targets from when the period is not known: the
    year of issue, else the latest year a page's dates write before the text
    (发布时间 2010年11月02日), else the first year the text writes, else 1949."""
    if fr.issue_date:
        return int(fr.issue_date[:4])
    wrapper = [int(m.group(1)) for line in lines[:max(0, fr.body_start - 1)]
               for m in re.finditer(r"((?:19|20)\d{2})\s*(?:年\s*\d{1,2}\s*月|[-/.]\d{1,2}[-/.]\d{1,2})", line)]
    if wrapper:
        return max(wrapper)
    for line in lines[fr.body_start - 1:]:
        m = re.search(r"((?:19|20)\d{2})\s*年", line)
        if m:
            return int(m.group(1))
    return 1949


def _dept_level(name: str) -> str:
    if name.startswith("省"):
        return "province"
    if name.startswith("市"):
        return "city"
    if name.startswith(("县", "区")):
        return "county"
    return "other"


def _entry(plan_id: str, fr: F.Front, cleaned: C.Cleaned, decoded: DEC.Decoded, source_name: str | None) -> dict:
    # a field that cannot be read is left empty (and flagged): the plan id is no region, and no region says no level
    e: dict = {"id": plan_id, "name": fr.name, "short_name": fr.short_name or fr.region or None,
               "region": fr.region or None, "level": fr.level or None, "issuer": fr.issuer,
               "doc_number": fr.doc_number, "issue_date": fr.issue_date,
               "period": {"start": fr.period[0], "end": fr.period[1]} if fr.period else None, "parent": fr.parent}
    if fr.supplied:  # what the source does not state, with where ingest took it from
        e["supplied"] = dict(fr.supplied)
    if fr.abridged:
        e["abridged"] = True
    e.update({"source": f"sources/{plan_id}.txt", "script": cleaned.script,
              "completeness": "; ".join(x for x in ("本文有删减" if fr.abridged else "",
                                                     f"节选(所供文本在第{fr.cut_off}行中断)" if fr.cut_off else "")
                                        if x) or "全文"})
    e["title_lines"] = fr.title_lines
    e["skip"] = [{"lines": a if a == b else f"{a}-{b}", "kind": F.SKIP_KIND[r], "reason": r} for a, b, r in fr.skip]
    if cleaned.repairs:
        e["repairs"] = [{"line": r.line, "source": r.source, "repaired": r.repaired, "reason": r.reason}
                        for r in cleaned.repairs]
    review = [f"{k}: {v}" for k, v in fr.review.items()]
    if not fr.region:
        review.append("region: no place found in the title or the text: set region, short_name and level")
    if review:
        e["review"] = "; ".join(review)
    return FD.ordered("plan", e)


def _body_dict(body: X.Body) -> dict:
    def sec(s: dict) -> dict:
        out = FD.ordered("section", {k: v for k, v in s.items() if k not in ("measures", "sections")})
        out["measures"] = [_measure(r) for r in s.get("measures", [])]
        out["sections"] = [sec(c) for c in s.get("sections", [])]
        return out

    d: dict = {"plan": body.plan}
    if body.all_tasks:
        d["applies_to_all_tasks"] = body.all_tasks
    d["measures"] = [_measure(r) for r in body.top]
    d["sections"] = [sec(s) for s in body.sections]
    if body.annexes:
        d["annexes"] = body.annexes
    return d


def _measure(rec: dict) -> dict:
    """A measure's record in its declared key order (kb/fields.py); a key
    it does not declare is kept, after them, for validation to refuse."""
    out = FD.ordered("measure", _clean_record(rec))
    if "line_end" in out and out["line_end"] == out["line"]:
        del out["line_end"]
    if out.get("targets"):
        out["targets"] = [FD.ordered("target", t) for t in out["targets"]]
    return out


def _counts(d: Draft, cleaned: C.Cleaned) -> Counter:
    c: Counter = Counter()

    def secs(ss):
        for s in ss:
            c["sections"] += 1
            c["restored"] += bool(s.get("restored"))
            for r in s["measures"]:
                rec(r)
            secs(s["sections"])

    def rec(r):
        c[r["kind"]] += 1
        c["targets"] += len(r.get("targets", []))
        c["departments"] += len(r.get("departments", []))

    for r in d.body["measures"]:
        rec(r)
    secs(d.body["sections"])
    c["annexes"] = len(d.body.get("annexes", []))
    c["skips"] = len(d.entry.get("skip", []))
    for k, v in cleaned.counts.items():
        c[f"repairs_{k}"] = v
    c["new_departments"] = len(d.new_departments)
    c["new_indicators"] = len(d.new_indicators)
    c["review"] = len(d.review)
    return c


# --------------------------------------------------------------------------- YAML

class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml when PyYAML has it: the same YAML, faster
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10 ** 6,
                     default_flow_style=False)


def plan_yaml(d: Draft, source_label: str) -> str:
    """The plan file: the catalogue entry (``plan:``), then the body."""
    head = (f"# {d.entry['name']}\n"
            f"# Drafted by `cz ingest` from {source_label}. Every `review:` field is a question for a\n"
            f"# curator: `cz review {d.plan_id}` lists them with their source lines; fix what is wrong, then\n"
            f"# accept each (`cz review {d.plan_id} --accept N`); until then `cz validate` lists it (E304).\n")
    for note in d.notes:
        head += f"# {note}\n"
    doc = {"plan": FD.ordered("plan", {k: v for k, v in d.entry.items() if not k.startswith("_")}),
           **{k: v for k, v in d.body.items() if k != "plan"}}
    return head + dump(doc)


body_yaml = plan_yaml  # the plan file (its catalogue entry included)

VOCABULARY_HEAD = """\
# Vocabulary proposed by `cz ingest` with plan {plan}: names no vocabulary knew.
# An entry marked `review:` is a proposal, and `cz validate` lists it (E304)
# until a curator accepts it: check the name (a variant of a known one? then
# make it an alias there and delete the entry here), then accept it
# (`cz review {plan} --accept vocabulary` deletes its review field).
# Accepted entries stay in this file; loading merges every file.
"""


def vocabulary_yaml(d: Draft, existing: str | None = None) -> str | None:
    """``vocabulary/<id>.yaml`` with the draft's proposals added (None: none):
    departments, indicators, and places (``places:``, the sections of
    data/places.yaml: ingest/places.py)."""
    proposed_places = d.places.proposed if d.places is not None else {}
    if not d.new_departments and not d.new_indicators and not proposed_places:
        return existing
    known = _vocabulary_doc(existing)
    doc = {}
    for key, new in (("departments", d.new_departments), ("indicators", d.new_indicators)):
        have = list(known.get(key) or [])
        names = {e.get("name") for e in have if isinstance(e, dict)}
        entries = have + [FD.ordered(key[:-1] if key == "departments" else "indicator", e)
                          for e in new if e["name"] not in names]
        if entries:
            doc[key] = entries
    out = [VOCABULARY_HEAD.format(plan=d.plan_id)]
    for key, entries in doc.items():
        out.append(f"{key}:\n")
        for e in entries:
            out.append("  - " + _flow(e) + "\n")
    places = known.get("places") if isinstance(known.get("places"), dict) else {}
    merged: dict[str, list] = {}
    for section in P.SECTION_WORDS:
        have = [e for e in places.get(section) or [] if isinstance(e, dict)]
        keys = {str(e.get("code") or e.get("id") or e.get("name") or e.get("place")) for e in have}
        new = [e for e in proposed_places.get(section, [])
               if str(e.get("code") or e.get("id") or e.get("name") or e.get("place")) not in keys]
        if have or new:
            merged[section] = have + new
    if merged:
        out.append("places:\n")
        for section, entries in merged.items():
            out.append(f"  {section}:\n")
            for e in entries:
                out.append("    - " + _flow(e) + "\n")
    return "".join(out)


def _flow(e: dict) -> str:
    """One vocabulary entry on one line, codes quoted (a code is six digits as text: '520200')."""
    return yaml.dump(e, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10 ** 6,
                     default_flow_style=True).strip()


def _vocabulary_doc(text: str | None) -> dict:
    if not text:
        return {}
    try:
        got = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return got if isinstance(got, dict) else {}


# --------------------------------------------------------------------------- verify and write

def _stage(d: Draft, data: Path) -> dict[str, str]:
    """The new contents of every file the draft writes (relative path →
    text): the plan's own files only."""
    files: dict[str, str] = {}
    files[f"{SOURCES_DIR}/{d.plan_id}.txt"] = d.source_text
    vocab_rel = f"{VOCABULARY_DIR}/{d.plan_id}.yaml"
    old = (data / vocab_rel).read_text(encoding="utf-8") if (data / vocab_rel).is_file() else None
    vocab = vocabulary_yaml(d, old)
    if vocab is not None and vocab != old:
        files[vocab_rel] = vocab
    # the plan file last: until it is there, the other files are inert
    files[f"{PLANS_DIR}/{d.plan_id}.yaml"] = plan_yaml(d, d.entry.get("_label", d.plan_id))
    return files


@contextmanager
def scratch(data: Path, files: dict[str, str]):
    """A temporary data directory holding ``data``'s vocabularies and places
    and ``files`` (relative path → text): one plan, checked as `cz validate`
    checks it without the others (they are not ours to check)."""
    with tempfile.TemporaryDirectory(prefix="cz-ingest-") as tmp:
        root = Path(tmp)
        (root / PLANS_DIR).mkdir()
        (root / SOURCES_DIR).mkdir()
        for name in VOCABULARY_FILES + PLACE_FILES:
            if (data / name).is_file():
                shutil.copyfile(data / name, root / name)
        if (data / VOCABULARY_DIR).is_dir():
            shutil.copytree(data / VOCABULARY_DIR, root / VOCABULARY_DIR)
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        yield root


def audit_in(root: Path, plan_id: str, book=None):
    """Plan ``plan_id`` of data directory ``root`` loaded and audited as
    `cz validate` does (loading problems first; the region and every scope
    read against the places: E176, E177).  ``book``: the place book to read
    them with (a draft's own, with its proposals), else ``root``'s."""
    from chengzhen.kb.audit import PlanAudit, audit_plan
    from chengzhen.kb.geo import Geo, checking_geo, place_problems
    from chengzhen.kb.problems import Sink

    sink = Sink()
    kb = L.load_kb(root, sink)
    plan = next((p for p in kb.plans if p.id == plan_id), None)
    bundle = L.load_plan(root, plan, kb.vocab, sink) if plan is not None else None
    res = audit_plan(bundle, vocab=kb.vocab) if bundle is not None else PlanAudit(plan_id)
    res.problems[:0] = sink.problems
    if bundle is not None:
        geo = Geo(book, []) if book is not None else checking_geo(None, root)
        if geo is not None:
            res.problems.extend(place_problems(bundle, geo))
    return res


def blocking_items(res, plan_id: str) -> list[tuple[int, str, object]]:
    """What keeps a plan out of plans/ — validation's refusals (errors)
    first, then its coverage problems other than review flags — as
    (source line, item, message) (kb messages: the CLI says them in the
    reader's language; never a temporary copy's file name)."""
    return [(p.line or 0, p.item or plan_id,
             Msg(N_("blocking ({code}): {message}"), code=p.code, message=joined(p.message, p.hint))
             if p.severity == "error" else
             Msg(N_("coverage ({code}): {message}"), code=p.code, message=p.message)) for p in blocking_problems(res)]


def blocking_problems(res) -> list:
    """The problems :func:`blocking_items` says, in its order."""
    return [p for p in res.problems if p.severity == "error"] + \
        [p for p in res.problems if p.severity != "error" and p.code != REVIEW_FLAG]


def verify(d: Draft, data: Path, *, replace: bool = False):
    """Load and audit the draft in a temporary copy of the data directory,
    exactly as ``cz validate`` will; fix what the audit refuses by flagging
    it (never dropping it silently).  Returns the plan's audit, without the
    review flags the draft carries by design (E304: ``d.flags`` holds them;
    ``cz validate`` lists them until a curator deletes them)."""
    for _attempt in range(3):
        # the region names one place, every scope reads (E176, E177): as cz validate and cz build check
        # (the draft's own place book holds what the copy's files do: the data's vocabulary and the draft's
        # proposals, as tests/test_ingest_places.py checks by validating; it saves a second load)
        with scratch(data, _stage(d, data)) as root:
            res = audit_in(root, d.plan_id, d.places.book if d.places is not None else None)
            where = _target_lines(root / "plans" / f"{d.plan_id}.yaml")
        d.flags = [p for p in res.problems if p.code == REVIEW_FLAG]
        res.problems = [p for p in res.problems if p.code != REVIEW_FLAG]
        if res.ok:
            break
        if not _mend(d, res, where):
            break
    d.audit = res
    # what is left is printed with the draft (a draft is never aborted) and keeps it out of plans/: it is kept
    # pending in drafts/ (ingest/pending.py)
    # (ingest/pending.py's verify says everything that blocks it at once: an empty catalogue field hides the rest)
    d.blocking = blocking_items(res, d.plan_id)
    return res


REVIEW_FLAG = "E304"
TARGET_CODES = {"E202", "E203", "E204", "E205", "E206", *(f"E22{k}" for k in range(10))}
CLAUSE_CODES = {"E208", "E209", "E230", "E231", "E232"}


def _target_lines(path: Path) -> dict[str, list[int]]:
    """Each measure's targets' first lines in the plan file as written (measure id -> lines)."""
    from chengzhen.kb.yamlio import load_yaml

    out: dict[str, list[int]] = {}
    try:
        doc = load_yaml(path, str(path))
    except Exception:  # noqa: BLE001 - a file we just wrote; without it nothing is mended
        return out
    stack = [doc]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        for rec in node.get("measures") or []:
            if isinstance(rec, dict) and isinstance(rec.get("targets"), list):
                out[rec.get("id")] = [t.line for t in rec["targets"] if hasattr(t, "line")]
        stack.extend(x for x in node.get("sections") or [] if isinstance(x, dict))
    return out


def _mend(d: Draft, res, where: dict[str, list[int]] | None = None) -> bool:
    """Turn what the audit refuses into flagged, visible data, where that can
    be done honestly: a target whose claim the audit rejects is taken out and
    its measure flagged with it; a 责任单位 clause whose list it rejects goes
    back into the measure's text, flagged.  Anything else (an id, a skip,
    text no record holds) is not mended: the draft is refused."""
    errors = [p for p in res.problems if p.severity == "error"]
    if any(p.code not in TARGET_CODES | CLAUSE_CODES for p in res.problems):
        return False
    by_item: dict[str, list] = {}
    for p in errors:
        by_item.setdefault(p.item, []).append(p)
    changed = False
    for rec in _all_measures(d.body):
        probs = by_item.get(rec["id"])
        if not probs:
            continue
        if any(p.code in CLAUSE_CODES for p in probs) and rec.get("departments_quote"):
            line = d.lines[rec["line"] - 1]
            i = line.find(rec["text"])
            j = line.find(rec["departments_quote"], max(i, 0))
            if i < 0 or j < 0:
                return False
            first = next(p for p in probs if p.code in CLAUSE_CODES)
            msg = (f"责任单位 clause left in the text, not drafted as departments: validation refuses the list "
                   f"({first.code}: {first.message})")
            rec["text"] = line[i:j + len(rec["departments_quote"])].strip()
            for k in ("departments", "lead", "departments_quote"):
                rec.pop(k, None)
            rec["review"] = (rec["review"] + "; " if rec.get("review") else "") + msg
            d.review.append((rec["line"], rec["id"], msg))
            changed = True
        bad = [p for p in probs if p.code in TARGET_CODES]
        if bad:
            targets = rec.get("targets", [])
            starts = (where or {}).get(rec["id"], [])
            out = set()
            for p in bad:
                # the target whose YAML holds the offending field
                at = [k for k, first in enumerate(starts) if p.file_line and first <= p.file_line]
                if at and len(starts) == len(targets):
                    out.add(at[-1])
                else:
                    out.update(k for k, t in enumerate(targets) if t["line"] == p.line)
            if not out:
                return False
            for k in sorted(out):
                t = targets[k]
                why = next((p for p in bad if p.line == t["line"]), bad[0])
                msg = (f"a target could not be verified ({why.code}: {why.message}); "
                       f"it was left out: {t['as_written']} …{t['quote']}")
                rec["review"] = (rec["review"] + "; " if rec.get("review") else "") + msg
                d.review.append((t["line"], rec["id"], msg))
            rec["targets"] = [t for k, t in enumerate(targets) if k not in out]
            changed = True
    return changed


def _all_measures(body: dict):
    yield from body.get("measures", [])
    stack = list(body.get("sections", []))
    while stack:
        s = stack.pop()
        yield from s.get("measures", [])
        stack.extend(s.get("sections", []))


def check_clash(d: Draft, data: Path, force: bool) -> bool:
    """True when the id exists (and ``force`` allows replacing it): a plan
    of the data, or a pending draft (ingest/pending.py) — refused without
    ``force``, which replaces the pending draft, or (once the new draft is in
    plans/) the plan."""
    exists = d.plan_id in plan_file_ids(data) or (data / PLANS_DIR / f"{d.plan_id}.yaml").exists() \
        or (data / SOURCES_DIR / f"{d.plan_id}.txt").exists()
    if exists and not force:
        raise IngestError(f"plan id {d.plan_id!r} already exists in {data}; give another with --id, "
                          "or replace it with --force")
    pending = data / pending_files(d.plan_id)[f"{PLANS_DIR}/{d.plan_id}.yaml"]
    if pending.is_file() and not force:
        raise IngestError(f"a pending draft {d.plan_id!r} exists ({pending.resolve()}): finish it with "
                          f"`cz ingest --finish {d.plan_id}`, give this one another id with --id, or replace it "
                          "with --force")
    return exists


def write(d: Draft, data: Path, *, replace: bool) -> list[str]:
    """Write the draft's files into ``data`` together (and remove a pending
    draft of this id: this one replaces it); on any failure restore what was
    replaced and remove what was added.  Returns the paths written,
    absolute.  ``replace``: the plan exists (its files are replaced)."""
    changes: dict[str, str | None] = dict(_stage(d, data))
    changes.update({rel: None for rel in pending_files(d.plan_id).values() if (data / rel).is_file()})
    return commit(data, changes)


def commit(data: Path, changes: dict[str, str | None]) -> list[str]:
    """Change files of ``data`` together (relative path → new text, or None:
    remove it), in the order given; all or nothing: each new text is written
    beside its file first, then renamed over it, then the removals are made;
    if any step fails, every file replaced or removed is put back and every
    file added is removed, and the error says nothing was written.  Returns
    the paths written, absolute."""
    from chengzhen.paths import is_installed_data

    if is_installed_data(data):
        raise IngestError(f"{data} is the data installed with cz, which cz never writes; set CZ_DATA to your "
                          "data directory; nothing was written")
    staged: list[tuple[Path, Path]] = []
    try:
        for rel, text in changes.items():
            if text is None:
                continue
            target = data / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.ingest-{os.getpid()}")
            with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            staged.append((tmp, target))
    except OSError as exc:
        for tmp, _ in staged:
            _unlink(tmp)
        raise IngestError(f"cannot write into {data}: {exc.strerror or exc}; nothing was written") from None
    # the plan file last among the new files (_stage's order): until it is there, the new files are inert
    backups: list[tuple[Path, bytes | None]] = []
    try:
        for tmp, target in staged:
            backups.append((target, target.read_bytes() if target.exists() else None))
            _replace(tmp, target)
        for rel, text in changes.items():
            if text is None and (data / rel).exists():
                backups.append((data / rel, (data / rel).read_bytes()))
                _remove(data / rel)
    except OSError as exc:
        for target, old in reversed(backups):
            try:
                if old is None:
                    _unlink(target)
                else:
                    target.write_bytes(old)
            except OSError:
                pass
        for tmp, _ in staged:
            _unlink(tmp)
        raise IngestError(f"cannot write into {data}: {exc.strerror or exc}; nothing was written") from None
    return [str((data / rel).resolve()) for rel, text in changes.items() if text is not None]


def _replace(tmp: Path, target: Path) -> None:
    os.replace(tmp, target)


def _remove(path: Path) -> None:
    os.unlink(path)


def _unlink(p: Path) -> None:
    try:
        p.unlink()
    except OSError:
        pass


def source_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
