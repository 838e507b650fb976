"""Headings numbered by a kind the outline does not read (issue 24, part 4; the eighth round).

The outline numbers headings by 第X篇/章/节, 一、, (一), 1. …; a plan written as articles — a 规划 set out like a
regulation, ``第7条 指导思想`` alone on its line with its text below — has headings of a kind it does not read.
Each is drafted as a line of text, and the numbered items under it (``1. 规划引领原则``) are drafted one level
too high: as headings beside the chapter's own, where they are the article's measures.  No check of the
drafted outline sees a heading that was never drafted, so :func:`check_unread` asks, by definition:

- about each line alone on its line that opens with an article's number (第X条, 第X项) and goes on with a
  heading's title (a few words, no sentence), drafted as text: a heading lost;
- about each drafted heading of a lower kind (1., (一) …) that follows such a line with no heading of a
  chapter's rank between them: it stands under that lost heading, a measure rather than a heading.

Nothing here changes the draft; messages are English templates marked for the catalogue (``N_``)."""

from __future__ import annotations

import re

from chengzhen.text.outline import match_heading

CN = "一二三四五六七八九十百零〇"
# an article's number alone with a heading's title: 第7条 指导思想, 第十二条 发展目标 (squashed)
ARTICLE = re.compile(rf"^第[{CN}\d]{{1,4}}[条项](?P<title>[\u4e00-\u9fff、“”]{{2,14}})$")
# the kinds of heading that rank above an article (a 篇, a 章, a 节): one between them ends the article's reach
RANK_ABOVE = ("part", "chapter", "section")


def N_(message: str) -> str:
    """Marks a message template for the catalogue (tools/i18n.py)."""
    return message


def unread_lines(ev) -> list[int]:
    """The lines that read as an article's heading (第7条 指导思想) and were drafted as text."""
    claimed = {s.get("line") for s in ev.sections} | {r.get("line") for r in ev.records if r.get("number")}
    return [n for n in range(max(ev.body_start, 1), len(ev.sq) + 1)
            if n not in claimed and n not in ev.skipped and n not in ev.title_lines and ARTICLE.match(ev.sq[n - 1])]


def check_unread(ev) -> list:
    lost = unread_lines(ev)
    if not lost:
        return []
    out = [(n, ev.plan_id, "structure: " + N_("line {0} (“{1}”) reads as a heading numbered by article (第X条), a kind "
                                              "the outline does not read: it was drafted as text — a heading lost?")
            .format(n, ev.sq[n - 1])) for n in lost]
    above = sorted((s.get("line") or 0) for s in ev.sections
                   if (h := match_heading(str(s.get("number") or "") + "x")) is not None and h.kind in RANK_ABOVE)
    for s in ev.sections:
        h = match_heading(str(s.get("number") or "") + "x")
        line = s.get("line") or 0
        if h is None or h.kind in RANK_ABOVE:
            continue
        under = max((n for n in lost if n < line), default=None)
        if under is None or any(under < k < line for k in above):
            continue
        out.append((line, s.get("id"), N_("heading “{0}” follows line {1} (“{2}”), a heading the outline did not read: "
                                          "it stands under that heading — a measure, not a heading beside it?")
                    .format((str(s.get("number") or "") + (s.get("title") or ""))[:28], under, ev.sq[under - 1])))
    return out
