"""Review flags by rule path: each drafted target field named by the rule that read it (issue 24, the sixth round).

Every blind set so far brought forms no check was written against, and each
round of checks fixed the forms it had seen (docs/ingest.md).  A check per form
cannot foresee the next one; the *rule* that read a field can be judged
instead.  Each field of a drafted target is read by one of a few rule paths —
its year written in its clause, in its sentence, taken from the head of its
paragraph or section, worked out from N年内, implied by the plan's period, or
none; its basis from a verb written before the figure or the default level;
its indicator written in its clause, borrowed from the sentence, or proposed
from the clause's words; its unit as written, normalized, completed from the
indicator's declared unit, or a bare magnitude; its scope from the clause or
from the sentence.  :func:`paths` names the path of each field; whether a text
is a document with headings or a text without any (a news item, a brief, a
repost of a few paragraphs) is part of the year's and the basis's path — a news
item's plan years and bases are the weakest readings there are.

How often each path reads its field right was tabulated over every gold set of
``bench/unseen_gold`` (``bench/target_paths.py``: the eval's own matching of
drafted targets to gold numbers).  :data:`WEAK` holds the paths found wrong at
least :data:`RATE` of the time over at least :data:`LEAST` targets;
:func:`check_target_paths` asks about each drafted target read by one of them,
naming the field, the path and its record.  The table is data of the
evaluation, not of any plan: ``bench/target_paths.py --loso`` recomputes it
without each set in turn and scores the held-out set with it (the estimate of
how the flags do on a set never tuned on).
"""

from __future__ import annotations

import re

from chengzhen.kb.messages import N_
from chengzhen.text.normalize import squash

# the path names, as a curator reads them (the message says them in the reader's language)
PATHS = {
    "year:clause": N_("its year written in its own clause"),
    "year:sentence": N_("its year written in its sentence"),
    "year:head": N_("its year taken from the head of its paragraph or section"),
    "year:within": N_("its year worked out from N年内"),
    "year:period_end": N_("its year implied by the plan's period"),
    "year:none": N_("no year (the plan's period not known)"),
    "year:unwritten": N_("a year written nowhere near it"),
    "basis:written": N_("its basis from a word written before the figure"),
    "basis:level": N_("the default basis level, no word of change before the figure"),
    "basis:level_verb": N_("the default basis level, though a word of change (新增, 增长, 拓展 …) stands before the figure"),
    "basis:level_named": N_("the default basis level, the proposed indicator's name saying a change (新增 …)"),
    "indicator:clause": N_("its indicator named in its own clause"),
    "indicator:sentence": N_("its indicator borrowed from its sentence's subject"),
    "indicator:unwritten": N_("its indicator named nowhere in its sentence"),
    "indicator:proposed": N_("its indicator proposed from the clause's words"),
    "indicator:proposed_edge": N_("its indicator proposed from the clause's words, a verb, a time or a stray word at its edge"),
    "indicator:commitment": N_("its indicator, a commitment without a figure"),
    "unit:written": N_("its unit as written"),
    "unit:normalized": N_("its unit normalized from what is written"),
    "unit:declared": N_("its unit completed from the indicator's declared unit"),
    "unit:magnitude": N_("a magnitude (万, 亿) as its unit"),
    "unit:none": N_("no unit"),
    "scope:none": N_("no scope"),
    "scope:clause": N_("its scope written in its clause"),
    "scope:sentence": N_("its scope taken from its sentence or its indicator's alias"),
    "scope:table": N_("its scope written in its table row or box"),
    "target:document": N_("a figure of a document with headings"),
    "target:plain": N_("a figure of a text without headings (a news item, a brief)"),
}
# the fields whose path depends on the kind of text too: a news item's years are weak (its bases were
# not, on the gold sets: the word before the figure decides those)
BY_KIND = ("year", "year_implied")

# (field, path) -> (wrong, targets, texts with a wrong one) on the gold sets: bench/target_paths.py --table writes it
WEAK: dict[tuple[str, str], tuple[int, int, int]] = {
    ('basis', 'basis:level'): (0, 61, 0),
    ('basis', 'basis:level_named'): (4, 4, 4),
    ('basis', 'basis:written'): (1, 11, 1),
    ('indicator', 'indicator:clause'): (5, 44, 5),
    ('indicator', 'indicator:proposed'): (3, 28, 3),
    ('indicator', 'indicator:proposed_edge'): (3, 4, 3),
    ('indicator', 'indicator:sentence'): (0, 2, 0),
    ('scope', 'scope:clause'): (4, 5, 4),
    ('scope', 'scope:none'): (1, 68, 1),
    ('scope', 'scope:sentence'): (0, 3, 0),
    ('target', 'target:document'): (9, 47, 8),
    ('target', 'target:plain'): (31, 71, 11),
    ('unit', 'unit:declared'): (0, 5, 0),
    ('unit', 'unit:magnitude'): (4, 4, 3),
    ('unit', 'unit:none'): (0, 3, 0),
    ('unit', 'unit:written'): (4, 66, 3),
    ('year', 'year:clause/document'): (0, 12, 0),
    ('year', 'year:clause/plain'): (0, 9, 0),
    ('year', 'year:head/document'): (0, 2, 0),
    ('year', 'year:head/plain'): (0, 1, 0),
    ('year', 'year:none/document'): (1, 1, 1),
    ('year', 'year:none/plain'): (16, 16, 6),
    ('year', 'year:period_end/document'): (2, 6, 1),
    ('year', 'year:sentence/document'): (0, 13, 0),
    ('year', 'year:sentence/plain'): (0, 8, 0),
    ('year_implied', 'year:clause/document'): (0, 12, 0),
    ('year_implied', 'year:clause/plain'): (0, 9, 0),
    ('year_implied', 'year:head/document'): (0, 2, 0),
    ('year_implied', 'year:head/plain'): (0, 1, 0),
    ('year_implied', 'year:none/document'): (1, 1, 1),
    ('year_implied', 'year:none/plain'): (14, 17, 6),
    ('year_implied', 'year:period_end/document'): (0, 7, 0),
    ('year_implied', 'year:sentence/document'): (0, 13, 0),
    ('year_implied', 'year:sentence/plain'): (0, 8, 0),
}
RATE = 0.30  # a path wrong this often is asked about (0.25 let "every target of a document", 4 of 16 without the tuning set, through)
LEAST = 3  # … over at least this many targets
TEXTS = 2  # … in at least this many texts (a path wrong in one text alone is that text's quirk, not the rule's)

CHANGE = re.compile(r"(?:新增|增加|增长|新建|提高|提升|扩大|拓展|减少|下降|降低|压减|缩小)")
CHANGE_NAMED = re.compile(r"新增|增加|增量|新建|新培育|减少")
# a proposed name that opens with a verb, a time or a stray word, or ends with a verb of change, took words of
# the clause that are no part of the quantity (拓展县城城区面积, 人均绿地面积增长, 完成农村劳动力培训, 全年新增…, 好500万…)
EDGE = re.compile(r"^(?:完成|拓展|实现|推进|推动|促进|建设|加快|提高|提升|扩大|改造|打造|培育|力争|确保|全年|当年|今年|"
                  r"[好的级及个和与并或且将把被之得\d])|(?:增长|提高|提升|增加|下降|减少|降低|扩大|达到|达|为|实现)$")
MAGNITUDE = {"万", "亿", "千", "百", "十万", "百万", "千万"}


def outline_kind(ev) -> str:
    """``document`` when ingest drafted headings for the text, else ``plain`` (a news item, a brief, a
    repost of a few paragraphs: no outline of its own)."""
    return "document" if ev.sections else "plain"


def _sentence(ev, line: int, aw: str) -> str:
    s = ev.sq[line - 1] if 1 <= line <= len(ev.sq) else ""
    return next((x for x in re.split(r"[。;；!！?？]", s) if aw and aw in x), s)


def _clause(text: str, aw: str) -> str:
    i = text.find(aw) if aw else -1
    if i < 0:
        return text
    return text[max(text.rfind(c, 0, i) for c in ",，;；、:：") + 1:i]


def paths(ev, r: dict, t: dict, names: dict[str, set] | None = None, near=None) -> dict[str, str]:
    """The rule path that read each field of drafted target ``t`` (of record ``r``): field → path."""
    aw = squash(t.get("as_written") or "")
    line = t.get("line") or r.get("line") or 0
    quote = squash(t.get("quote") or "")
    sentence = _sentence(ev, line, aw)
    clause = _clause(quote, aw) if aw in quote else _clause(sentence, aw)
    note = t.get("note") or ""
    kind = outline_kind(ev)
    out: dict[str, str] = {"target": f"target:{kind}"}
    # ---- the year (year_implied is read by the same rule)
    year = t.get("year")
    if not year:
        y = "year:none"
    elif t.get("year_implied"):
        y = "year:within" if "年内" in note else "year:period_end"
    elif f"{year}年" in clause or str(year) in clause or f"{year}年" in quote:
        y = "year:clause"
    elif str(year) in sentence:
        y = "year:sentence"
    elif "统领" in note or (near is not None and str(year) in near(ev, r)):
        y = "year:head"
    else:
        y = "year:unwritten"
    out["year"] = out["year_implied"] = y
    # ---- the basis
    basis = t.get("basis") or "level"
    before = clause[-12:] if clause else ""
    if basis != "level":
        b = "basis:written"
    elif CHANGE_NAMED.search(t.get("indicator") or "") and names is not None \
            and squash(t.get("indicator") or "") not in names:
        b = "basis:level_named"  # (a name the vocabulary holds says what its figure is: 城镇新增就业 is a level)
    elif CHANGE.search(before) and not re.search(r"(?:到|至|为|达|在)\s*$", before):
        b = "basis:level_verb"
    else:
        b = "basis:level"
    out["basis"] = b
    # ---- the indicator
    ind = squash(t.get("indicator") or "")
    known = (names or {}).get(ind)
    if t.get("value") is None:
        i = "indicator:commitment"
    elif names is not None and known is None:
        i = "indicator:proposed_edge" if EDGE.search(ind) else "indicator:proposed"
    elif any(n and n in clause for n in (known or {ind})):
        i = "indicator:clause"
    elif any(n and n in sentence for n in (known or {ind})):
        i = "indicator:sentence"
    else:
        i = "indicator:unwritten"
    out["indicator"] = i
    # ---- the unit
    unit = t.get("unit")
    if not unit:
        u = "unit:none"
    elif unit in MAGNITUDE:
        u = "unit:magnitude"
    elif unit in aw or unit.replace("%", "％") in aw:
        u = "unit:written"
    elif unit.replace("个", "") in aw:
        u = "unit:normalized"
    else:
        u = "unit:declared"
    out["unit"] = u
    # ---- the scope
    scope = squash(str(t.get("scope") or ""))
    # (a table's or a box's scope stands in its row's label: a reading of its own, seen on no gold set yet)
    out["scope"] = "scope:none" if not scope else "scope:table" if r.get("kind") in ("table", "box") else \
        "scope:clause" if scope in clause else "scope:sentence"
    for f in BY_KIND:
        out[f] = f"{out[f]}/{kind}"
    return out


KINDS_SAID = {"plain": N_("{0}, in a text without headings (a news item, a brief)"),
              "document": N_("{0}, in a document with headings")}


def describe(path: str) -> str:
    """A path's name as the message says it: its description, with the kind of text it holds."""
    base, _, kind = path.partition("/")
    said = PATHS.get(base, base)
    return KINDS_SAID[kind].format(said) if kind in KINDS_SAID else said


def weak(table: dict[tuple[str, str], tuple[int, int, int]] | None = None, rate: float = RATE,
         least: int = LEAST, texts: int = TEXTS) -> set[tuple[str, str]]:
    """The paths of ``table`` (:data:`WEAK`) wrong at least ``rate`` of the time over at least ``least``
    targets, in at least ``texts`` texts."""
    table = WEAK if table is None else table
    return {k for k, (wrong, seen, where) in table.items() if seen >= least and wrong / seen >= rate and where >= texts}


def check_target_paths(ev, names: dict[str, set] | None = None, near=None) -> list[tuple[int, str, str]]:
    """Each drafted target one of whose fields was read by a weak path (:data:`WEAK`): one flag naming
    the fields, their paths and how often each path was wrong on the evaluation's plans.  ``names``: each
    indicator's names (the vocabulary); ``near``: the text that may give a record its year (both from
    :mod:`chengzhen.ingest.flags`, which calls this)."""
    bad = weak()
    if not bad:
        return []
    asked = {(item, squash(reason)) for _l, item, reason in ev.existing}
    proposed = {squash(item) for _l, item, _r in ev.existing}  # a scope ingest proposes as a place is asked already
    # the targets of one line and record read by the same weak paths are asked in one flag that names each
    # (a table's row of 14 distances, each with its scope: one question, not 14)
    grouped: dict[tuple[int, str, tuple], list[str]] = {}
    for r in ev.records:
        for t in r.get("targets") or []:
            aw = t.get("as_written") or ""
            p = paths(ev, r, t, names or None, near)
            hits = tuple((f, p[f]) for f in ("target", "year", "basis", "indicator", "unit", "scope") if (f, p[f]) in bad
                         and not (f == "scope" and squash(str(t.get("scope") or "")) in proposed))
            if not hits or any(item == r.get("id") and squash(aw) in said for item, said in asked):
                continue
            grouped.setdefault((t.get("line") or r.get("line") or 0, r.get("id"), hits), []).append(aw)
    out = []
    for (line, item, hits), aws in grouped.items():
        if len(aws) == 1:
            parts = [N_("target {0}: {1} was read from {2}, a reading wrong in {3} of {4} targets of the "
                        "evaluation's plans: check it").format(aws[0], f, describe(path), *WEAK[(f, path)][:2])
                     for f, path in hits]
        else:
            parts = [N_("targets {0}: {1} was read from {2}, a reading wrong in {3} of {4} targets of the "
                        "evaluation's plans: check each").format("、".join(aws), f, describe(path), *WEAK[(f, path)][:2])
                     for f, path in hits]
        out.append((line, item, "; ".join(parts)))
    return out
