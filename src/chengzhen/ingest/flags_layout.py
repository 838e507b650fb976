"""Review flags on the drafted outline the checks of :mod:`chengzhen.ingest.flags` left unasked (issue 24,
the eighth round: what frozen12 and frozen13 showed, each rule written for a *kind* of evidence).

=====================  ===========================================================================
kind of misreading     evidence
=====================  ===========================================================================
siblings split         numbers of one kind under one parent ((一), (二) …) are drafted part as
                       measures, part as headings: one kind of number numbers one kind of unit, so
                       those of the smaller part (on a tie, the headings) are asked about — a
                       measure whose text went onto the next line read as a heading, or the last
                       one of a copy cut inside its lead phrase (a heading over numbered units of
                       its own is not asked about)
contents line          a numbered measure whose line ends with dot leaders and a page number
                       (总体要求........ 4): a line of a table of contents
after the contents     a heading after the 目录 line holding records none of which has text, with no
                       text between the 目录 and it: the contents of a copy that holds no body
=====================  ===========================================================================

``F`` is :mod:`chengzhen.ingest.flags`, passed in by its caller.
"""

from __future__ import annotations

import re

from chengzhen.kb.messages import N_
from chengzhen.text.normalize import squash
from chengzhen.text.outline import match_heading

LEADERS = re.compile(r"(?:[.…·．]{3,}|[.…·．]{2,}\s+)\s*\d{1,3}\s*$")


def check(ev, F) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for one in (_split_siblings, _contents_measures, _after_contents):
        try:
            out += one(ev, F)
        except Exception:  # noqa: BLE001 - a check that cannot read a hostile draft asks nothing
            continue
    return out


def _kind(x: dict) -> str | None:
    h = match_heading(str(x.get("number") or "") + "x")
    return h.kind if h else None


def _label(x: dict) -> str:
    return squash(str(x.get("number") or "") + str(x.get("title") or ""))


def _split_siblings(ev, F) -> list:
    out = []
    parents = [ev.body] + list(ev.sections)
    for p in parents:
        heads = [s for s in p.get("sections", []) if s.get("number") and not s.get("restored")]
        items = [r for r in p.get("measures", []) if r.get("number") and r.get("kind") == "measure"]
        for kind in {_kind(x) for x in heads} & {_kind(x) for x in items} - {None}:
            # a heading over units of its own (sub-headings, numbered measures) is one whatever its siblings are
            h = [s for s in heads if _kind(s) == kind and not s.get("sections")
                 and not any(r.get("number") for r in s.get("measures", []))]
            m = [r for r in items if _kind(r) == kind]
            if not h:
                continue
            as_measures = len(m) < len([s for s in heads if _kind(s) == kind])
            odd, others = (m, heads) if as_measures else (h, items)
            said = N_("{0} is numbered as its siblings {1} are, which were drafted as headings: one kind of unit?") \
                if as_measures else N_("{0} is numbered as its siblings {1} are, which were drafted as measures: one kind "
                                       "of unit?")
            numbers = "、".join(str(y.get("number")) for y in others if _kind(y) == kind)[:40]
            for x in odd:
                out.append((x.get("line") or 0, x.get("id"), said.format(_label(x)[:30], numbers)))
    return out


def _contents_measures(ev, F) -> list:
    out = []
    for r in ev.records:
        if not r.get("number"):
            continue
        src = ev.line(r.get("line") or 0).rstrip()
        if LEADERS.search(src):
            out.append((r.get("line") or 0, r.get("id"), N_("measure “{0}” is a line of a table of contents (dot leaders "
                                                           "and a page number)").format(squash(src)[:40])))
    return out


def _after_contents(ev, F) -> list:
    toc = next((n for n, x in enumerate(ev.sq, start=1) if re.fullmatch(r"目录|目次", x)), None)
    if not toc:
        return []
    out = []
    for s in ev.sections:
        n = s.get("line") or 0
        if s.get("restored") or n <= toc or F._has_text(s) or not F._has_records(s):
            continue
        # text between: a record with more than its title (a 前言 label alone is none)
        if any(toc < (r.get("line") or 0) < n and F._with_text(r)
               and (r.get("kind") != "paragraph" or len(squash(r.get("text") or "")) > 40) for r in ev.records):
            continue
        out.append((n, s.get("id"), N_("heading “{0}” follows the contents (目录, line {1}) and nothing under it has "
                                       "text: a line of the contents?").format(_label(s)[:30], toc)))
    return out
