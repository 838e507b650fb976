"""Every figure of the source accounted for, each explanation a rule path (issue 24, the seventh round).

:func:`chengzhen.ingest.flags.account` accounts for the quantities of the plan's *body*: each is a
drafted target, a figure given a reason, or flagged.  A figure on a line the body does not hold — a
line ingest skipped (a site's summary of the plan, a header, chrome, a 落款), a title line, a line
before the body, an annex — was accounted for by nothing, and a target there was missed without a
word (贵州's 小城镇 意见: four goals on the lead line, skipped as a site's news summary).

Here, by definition, **every** figure of the source (a number with a unit, a % or a qualifier — not
a year) is a drafted target on its line, or is explained by a *path*: the reason ``account`` gives
(a figure of the past, no goal word in its clause, a span …), the kind of skip that holds its line,
or the part of the copy it stands in (a title, the lines before the body, an annex).  A path is a
rule like any other: how often a figure so explained is in fact a target of the gold was counted
over every gold set (``bench/target_paths.py --figures``, :data:`TABLE`), and each figure explained
by a path that hid a target at least :data:`RATE` of the time (over :data:`LEAST` figures in
:data:`TEXTS` texts; on its kind of text when seen enough there, else over all: :func:`judged`) is
asked about **on its own line**, naming the path and its record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chengzhen.ingest import target_paths as TP
from chengzhen.kb.messages import N_
from chengzhen.text.normalize import squash

# each explanation a figure can have, as a curator reads it
PATHS = {
    "reason:heading": N_("it stands in no record (a heading)"),
    "reason:retro": N_("it stands in a section that reviews the past"),
    "reason:docnum": N_("it is part of a 文号"),
    "reason:class": N_("it is a class (N亿级)"),
    "reason:span": N_("it reads as a span, an age, an ordinal or part of a name"),
    "reason:past_year": N_("its sentence speaks of a year before the plan's period"),
    "reason:past_year_guessed": N_("its sentence speaks of a year before the plan's first year, guessed from a date of the page"),
    "reason:since": N_("its sentence speaks of what has been done (以来)"),
    "reason:past": N_("its sentence reads as the past (已, 年末 …)"),
    "reason:present": N_("its sentence states the present (目前…已)"),
    "reason:baseline": N_("it reads as the baseline of 由X提高到Y"),
    "reason:no_goal": N_("no goal word stands in its clause"),
    "outside:title": N_("it stands on a title line"),
    "outside:front": N_("it stands before the plan's text"),
    "outside:annex": N_("it stands in an annex"),
    "skip:summary": N_("its line was skipped as a site's summary of the plan"),
    "skip:lead": N_("its line was skipped as a site's summary, and no title of the plan follows (the news item itself)"),
    "skip:web": N_("its line was skipped as a web page's words"),
    "skip:header": N_("its line was skipped as a document's header"),
    "skip:signature": N_("its line was skipped as a 落款"),
    "skip:contents": N_("its line was skipped as a table of contents"),
    "skip:other": N_("its line was skipped"),
}
REASONS = [("in no record", "reason:heading"), ("in a section that reviews", "reason:retro"),
           ("part of a 文号", "reason:docnum"), ("a class", "reason:class"), ("a span", "reason:span"),
           ("in a sentence about", "reason:past_year"), ("what has been done", "reason:since"),
           ("a figure of the past", "reason:past"), ("a figure of the present", "reason:present"), ("the baseline of", "reason:baseline"),
           ("no goal word", "reason:no_goal")]

# path/kind of text -> (figures that were targets of the gold, figures so explained, texts with such a target):
# bench/target_paths.py --figures --table writes it
TABLE: dict[str, tuple[int, int, int]] = {
    'reason:no_goal': (2, 20, 1),
    'reason:no_goal/document': (0, 2, 0),
    'reason:no_goal/plain': (2, 18, 1),
    'reason:past': (0, 3, 0),
    'reason:past/plain': (0, 3, 0),
    'reason:past_year': (0, 18, 0),
    'reason:past_year/document': (0, 7, 0),
    'reason:past_year/plain': (0, 11, 0),
    'reason:past_year_guessed': (0, 8, 0),
    'reason:past_year_guessed/document': (0, 8, 0),
    'reason:present': (0, 1, 0),
    'reason:present/plain': (0, 1, 0),
    'reason:retro': (0, 50, 0),
    'reason:retro/document': (0, 50, 0),
    'reason:since': (0, 5, 0),
    'reason:since/document': (0, 3, 0),
    'reason:since/plain': (0, 2, 0),
    'reason:span': (1, 20, 1),
    'reason:span/document': (0, 9, 0),
    'reason:span/plain': (1, 11, 1),
    'skip:lead': (9, 14, 3),
    'skip:lead/document': (1, 5, 1),
    'skip:lead/plain': (8, 9, 2),
    'skip:summary': (0, 16, 0),
    'skip:summary/document': (0, 5, 0),
    'skip:summary/plain': (0, 11, 0),
    'skip:web': (0, 9, 0),
    'skip:web/document': (0, 1, 0),
    'skip:web/plain': (0, 8, 0),
}
# one rule for every calibrated path: target_paths' rate, least count and least number of texts
RATE, LEAST, TEXTS = TP.RATE, TP.LEAST, TP.TEXTS


@dataclass
class Explained:
    line: int
    figure: str
    value: float | None
    path: str  # "target" (drafted), "goal" (flagged by account), or a key of PATHS
    item: str


def kind_of_text(ev) -> str:
    """``document`` when ingest drafted headings, else ``plain`` (as ingest/target_paths.py says it)."""
    return "document" if ev.sections else "plain"


def _value(fig: str) -> float | None:
    m = re.match(r"[\d,]+(?:\.\d+)?", fig)
    try:
        return float(m.group(0).replace(",", "")) if m else None
    except ValueError:
        return None


def explain(ev, F) -> list[Explained]:
    """Every figure of every line of the source, with what explains it (a drafted target, or a path).
    ``F``: :mod:`chengzhen.ingest.flags`, whose primitives (``account``, ``FIGURE``, ``_reason``) read the
    body's figures (passed in: flags runs this module's check, so it cannot be imported from here)."""

    kinds: dict[int, str] = {}
    for s in ev.entry.get("skip") or []:
        a, _, b = str(s.get("lines", "")).partition("-")
        try:
            for n in range(int(a), int(b or a) + 1):
                kinds[n] = "skip:" + (s.get("kind") if ("skip:" + str(s.get("kind"))) in PATHS else "other")
        except ValueError:
            continue
    inside = {(f.line, f.figure): f for f in F.account(ev)}
    start = F._period_start(ev)
    p = ev.entry.get("period") or {}
    guessed = not (isinstance(p, dict) and p.get("start")) and not ev.entry.get("issue_date")
    drafted: dict[int, list[str]] = {}
    for r in ev.records:
        for t in r.get("targets") or []:
            for w in (t.get("as_written"), t.get("baseline_as_written")):
                if w:
                    drafted.setdefault(t.get("line") or r.get("line") or 0, []).append(squash(str(w)))
    title = set(ev.title_lines)
    out = []
    for n, s in enumerate(ev.sq, start=1):
        for m in F.FIGURE.finditer(s):
            fig = m.group(0)
            if m.group(2) == "年" and re.match(r"(?:19|20)\d{2}$", m.group(1)):
                continue  # a year
            got = inside.get((n, fig))
            item = got.item if got else ev.plan_id
            if got and got.status == "target" or any(fig in w for w in drafted.get(n, [])):
                path = "target"
            elif got and got.status == "flagged":
                path = "goal"
            elif got:
                path = _path_of(got.why, guessed)
            elif (why := F._reason(ev, s, m, {"id": "", "line": n}, set(), start)) and not why.startswith("no goal"):
                path = _path_of(why, guessed)  # a reason that holds for any figure, wherever it stands
            elif n in ev.skipped:
                path = kinds.get(n, "skip:other")
                if path == "skip:summary" and not ev.title_lines:
                    path = "skip:lead"
            elif n in title:
                path = "outside:title"
            elif n in ev.annex_lines:
                path = "outside:annex"
            else:
                path = "outside:front"
            out.append(Explained(n, fig, _value(fig), path, item))
    return out


def _path_of(why: str, guessed: bool) -> str:
    path = next((k for said, k in REASONS if why.startswith(said)), "reason:no_goal")
    return path + "_guessed" if path == "reason:past_year" and guessed else path


def weak(table: dict[str, tuple[int, int, int]] | None = None) -> set[str]:
    """The paths of ``table`` (:data:`TABLE`) that hid a target often enough to be asked about, by the rule
    :func:`chengzhen.ingest.target_paths.weak` applies to target paths."""
    return TP.weak(TABLE if table is None else table)


def judged(path: str, kind: str, table: dict[str, tuple[int, int, int]] | None = None) -> str | None:
    """The key of ``table`` a figure explained by ``path`` in a text of ``kind`` is judged by, when that key is
    weak, else None: the path on its kind of text when that was seen enough to judge (≥ LEAST figures, and
    either ≥ TEXTS texts with a hidden target or a rate under RATE), else the path over every kind of text."""
    table = TABLE if table is None else table
    fine = f"{path}/{kind}"
    bad = weak(table)
    if fine in table:
        hid, seen, where = table[fine]
        if seen >= LEAST and (where >= TEXTS or hid / seen < RATE):
            return fine if fine in bad else None
    return path if path in bad else None


def describe(path: str) -> str:
    base, _, kind = path.partition("/")
    said = PATHS.get(base, base)
    return {"plain": N_("{0}, in a text without headings (a news item, a brief)"),
            "document": N_("{0}, in a document with headings")}[kind].format(said) if kind else said


def check_every_figure(ev, F) -> list[tuple[int, str, str]]:
    """Each figure explained by a weak path, not asked about on its line already: one flag on its line."""
    if not weak():
        return []
    kind = kind_of_text(ev)
    asked: dict[int, str] = {}
    for line, _item, reason in ev.existing + ev.flags:
        asked[line] = asked.get(line, "") + squash(reason)
    out = []
    for f in explain(ev, F):
        key = judged(f.path, kind) if f.path not in ("target", "goal") else None
        if key is None or squash(f.figure) in asked.get(f.line, ""):
            continue
        hid, seen, _ = TABLE[key]
        out.append((f.line, f.item, N_("target: {0} on line {1} was not drafted as a target: {2} — an explanation "
                                       "that hid a target in {3} of {4} figures of the evaluation's plans: is it one?")
                    .format(f.figure, f.line, describe(key), hid, seen)))
        asked[f.line] = asked.get(f.line, "") + squash(f.figure)
    return out
