"""Topics and national tasks: proposals for a curator, from the vocabularies.

* **topics** (``data/topics.yaml``): a topic whose name or synonym the
  measure's title writes, or its text writes at least twice; at most four,
  the strongest first.
* **national tasks** (``data/national.yaml``): each task's ``keywords``
  found in the measure (a keyword in the title counts double) plus the
  likeness of the measure's title to the task's title (shared characters
  pairs); the best task when it clears a threshold, and a second when it is
  nearly as good.  Measures under an organisation heading (组织实施, 保障措施…)
  without a better match carry the organisation group.  Proposals are
  flagged: the mapping is a reading, not a quotation.
"""

from __future__ import annotations

import re

from chengzhen.kb import model as m
from chengzhen.text.normalize import squash

TASK_MIN = 2.5
SECOND_RATIO = 0.8
ORGANISATION = re.compile(r"组织实施|保障措施|组织保障|实施保障|规划实施")


def topics_for(title: str | None, text: str, vocab: m.Vocabularies, limit: int = 4) -> list[str]:
    scores: dict[str, float] = {}
    for word, canon in vocab.topic_by_name.items():
        if len(word) < 2:
            continue
        in_title = bool(title) and word in title
        n = text.count(word)
        s = (3 if in_title else 0) + n
        if in_title or n >= 2:
            scores[canon] = max(scores.get(canon, 0), s)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [k for k, _ in ranked[:limit]]


def _bigrams(s: str) -> set[str]:
    s = squash(s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def propose_tasks(title: str | None, text: str, section_titles: list[str], national: m.National | None) -> list[str]:
    if national is None:
        return []
    tb = _bigrams(title or "")
    scored = []
    for t in national.tasks:
        s = 0.0
        for kw in t.keywords:
            if title and kw in title:
                s += 2
            elif kw in text:
                s += 1
        nb = _bigrams(t.title)
        if tb and nb:
            s += 6 * len(tb & nb) / len(nb)
        scored.append((s, t.order, t.id))
    scored.sort(key=lambda x: (-x[0], x[1]))
    out: list[str] = []
    if scored and scored[0][0] >= TASK_MIN:
        out.append(scored[0][2])
        if len(scored) > 1 and scored[1][0] >= max(TASK_MIN, SECOND_RATIO * scored[0][0]):
            out.append(scored[1][2])
    if not out and any(ORGANISATION.search(s) for s in section_titles):
        org = next((g for g in national.groups if g.kind == "organisation"), None)
        if org:
            out.append(org.id)
    return out
