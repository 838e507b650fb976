"""Review flags on the figures of a sentence that sets goals (issue 24, the eighth round: what frozen13
showed, written for a *kind* of evidence).

:func:`chengzhen.ingest.flags.account` explains a figure whose own clause holds no goal word (到2025年,
达到, 力争 …) as no target.  But a plan's goal sentence lists its quantities clause after clause, and the
goal word often stands once, in one of them: 今年将持续提升城镇化水平和质量,再吸纳40万左右的农村人口向城镇
转移,城镇化率达到55%; 常住人口城镇化率目标为54.06%,…,户籍人口城镇化率要求为34.01%; 省内农村人口就近转移
480万左右,外省农民工回流120万左右,…,年新增就业岗位达到80万个.  So a figure so explained is asked
about when its *sentence* holds a drafted target or a figure with a goal word: it is one of the sentence's
list of goals, or the sentence's one figure that is not (a curator tells them apart at a glance).

One more reading of a goal sentence is asked about: a target with no year whose sentence sets a span of
years instead (经过5年努力: its year is implied by the period, the span's last).

(Tried and dropped: asking about every target drafted without a figure (全覆盖, 覆盖全部): no gold set of the
evaluation counts one — 14 of 14 drafted were wrong by the gold — but the curated plans in data/plans/ do,
as commitments; the two definitions disagree, and the flag would ask about every curated commitment.)

``F`` is :mod:`chengzhen.ingest.flags`, passed in by its caller.
"""

from __future__ import annotations

import re

from chengzhen.kb.messages import N_
from chengzhen.text import targets as S

SENTENCE = re.compile(r"[^。；;!！?？]+[。；;!！?？]?")


def check(ev, F) -> list[tuple[int, str, str]]:
    return _quiet_figures(ev, F) + _spans(ev)


def _spans(ev) -> list[tuple[int, str, str]]:
    """A target with no year whose sentence sets a span of years (经过5年努力): its year is the span's last,
    counted from the plan's first year — implied, not written."""
    out = []
    for r in ev.records:
        for t in r.get("targets") or []:
            if t.get("year") or t.get("year_implied") or t.get("value") is None:
                continue
            n = t.get("line") or r.get("line") or 0
            s = ev.sq[n - 1] if 1 <= n <= len(ev.sq) else ""
            quote = re.sub(r"\s", "", str(t.get("quote") or t.get("as_written") or ""))
            at = s.find(quote[:12]) if quote else -1
            if at < 0:
                continue
            a = max(s.rfind(x, 0, at) for x in "。；;!！?？") + 1
            m = S.YEARS_OF_EFFORT.search(s[a:at + len(quote)]) or S.WITHIN_YEARS.search(s[a:at + len(quote)])
            if m:
                out.append((n, r.get("id"), N_("target {0}: year_implied: its sentence sets a span of years ({1}), not a "
                                               "year: its year is the span's last, implied (year_implied: true) — "
                                               "set it with the period").format(t.get("as_written") or "", m.group(0))))
    return out


def _quiet_figures(ev, F) -> list[tuple[int, str, str]]:
    try:
        figures = F.account(ev)
    except Exception:  # noqa: BLE001 - a draft the accounting cannot read asks nothing here
        return []
    by_line: dict[int, list] = {}
    for f in figures:
        by_line.setdefault(f.line, []).append(f)
    out = []
    for n, figs in by_line.items():
        quiet = [f for f in figs if f.status == "reason" and str(f.why).startswith("no goal word")]
        if not quiet:
            continue
        s = ev.sq[n - 1]
        spans = [(m.start(), m.end()) for m in SENTENCE.finditer(s)]
        for f in quiet:
            at = _find(s, f.figure, figs)
            if at is None:
                continue
            a, b = next(((x, y) for x, y in spans if x <= at < y), (0, len(s)))
            sentence = s[a:b]
            clause = _clause(s, at)
            # the sentence's goals: a drafted or asked-about figure, not a class (500亿级); none in this clause (a
            # figure in a goal's own clause is part of its wording: 公交站点500米覆盖率达到100%, 2万人以上城市社区
            # 建成不少于90个托位)
            goals = [g for g in figs if g is not f and g.status in ("target", "flagged") and g.figure in sentence
                     and not g.figure.endswith("级")]
            if any(g.figure in clause for g in goals):
                continue
            # a list's item named by its size (10万吨高纯硫酸锰, 年产5万吨氧化锌): a thing, not a quantity to reach
            cut = max(s.rfind(x, 0, at) for x in ",，;；。、")
            listed = (cut >= 0 and s[cut] == "、") or "、" in clause
            sized = listed and re.fullmatch(r"(?:重点实施|实施|推进|建设)?(?:年产|日产|年处理|日处理|产能)?", s[cut + 1:at])
            if goals and not sized:
                out.append((n, f.item, N_("a figure ({0}) whose clause has no goal word, in a sentence that sets goals "
                                          "({1}): one of them? “…{2}…”").format(
                    f.figure, "、".join(g.figure for g in goals)[:30], clause)))
    return out


def _find(s: str, figure: str, figs: list) -> int | None:
    """Where ``figure`` stands on the line (its first place not taken by an earlier figure of the same text)."""
    k = -1
    for g in figs:
        k = s.find(g.figure, k + 1)
        if k < 0:
            return None
        if g.figure == figure:
            return k
    return None


def _clause(s: str, at: int) -> str:
    a = max(s.rfind(x, 0, at) for x in ",，;；。、") + 1
    ends = [k for k in (s.find(x, at) for x in ",，;；。") if k >= 0]
    return s[a:min(ends) if ends else len(s)][:40]
