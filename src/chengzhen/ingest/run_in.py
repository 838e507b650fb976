"""Headings run into a line of text (issue 24, part 4; the seventh round).

A copy made from a .docx or PDF preview, or a page that lost its line breaks, writes a chapter's or a
section's heading inside the line of the text before or after it (``…基础性规划第一章发展基础(略)第二章总体要求
一、指导思想深入贯彻…``): the outline, which reads a heading only where a line opens, drafts none of them, and
no check on the drafted outline sees what it never drafted.  :func:`run_in` finds, by definition, a number of a
kind the outline knows (第X篇/章/节, 一、, (一)) written *inside* a line where a heading's number stands:

- right after a sentence's end or a closing bracket (``…(略)第二章``, ``…。一、``);
- right after another such heading and its title (``第二章总体要求一、指导思想``), or after the heading the
  line opens with and a title of a heading's length (``二、基本原则(一)以人为本``);
- a chapter's number (第X章) anywhere, unless the words around it refer to it (本规划第三章, 第三章所列);
- and followed by a title: a conventional one (指导思想, 基本原则 …) or a few words up to a comma or a
  bracket — not a numeral (一、二、三产业) nor a sentence.

:func:`check_run_in` asks about each such line once (``structure: …``), naming the headings it may hold.
Nothing here changes the draft; messages are English templates marked for the catalogue (``N_``)."""

from __future__ import annotations

import re

from chengzhen.text.outline import match_heading

CN = "一二三四五六七八九十"
# a number of a kind the outline knows, written inside a line
MARK = re.compile(rf"第[{CN}]{{1,3}}[篇章节]|(?<![第{CN}、\d])[{CN}]{{1,3}}、(?![{CN}\d])|[(（][{CN}]{{1,3}}[)）]")
# where a heading may begin inside a line: after a sentence's end or a closing bracket
AFTER_END = "。；;！!？?)）」』”"
# a chapter's number that the words around it refer to rather than open (本规划第三章, 见第二章, 第三章所列)
REFERS_BEFORE = re.compile(r"(?:本规划|本方案|本纲要|本章|见|详见|按|按照|依据|根据|参照|参见|和|及|与|、|至|到|在|即)$")
REFERS_AFTER = re.compile(r"^(?:、|和|及|与|至|到|所|中|的|提出|规定|明确|有关|相关|第)")
# the titles a plan's 总体要求 conventionally holds
CONVENTIONAL = re.compile(r"(?:指导思想|基本原则|工作原则|主要目标|发展目标|工作目标|总体目标|总体要求|重点任务|主要任务|"
                          r"保障措施|组织实施|发展基础|发展现状|发展环境|面临形势|规划背景|实施保障)")
TITLE = re.compile(rf"[\u4e00-\u9fff“”\"、]{{2,15}}?(?=[,，:：(（。；;]|{MARK.pattern}|$)")


def N_(message: str) -> str:
    """Marks a message template for the catalogue (tools/i18n.py)."""
    return message


def _title(s: str, at: int) -> str | None:
    """The title a heading's number at ``at`` is followed by, or None when what follows is no title."""
    rest = s[at:]
    if not rest or rest[0] in CN or rest[0].isdigit():
        return None
    c = CONVENTIONAL.match(rest)
    if c:
        return c.group(0)
    m = TITLE.match(rest)
    return m.group(0) if m else None


def run_in(s: str) -> list[str]:
    """The headings (number and title) that squashed line ``s`` may hold inside it, in order."""
    own = match_heading(s)
    own_end = None
    if own is not None:
        t = _title(s, own.end)
        own_end = own.end + len(t) if t and len(t) <= 12 else None
    found: list[str] = []
    last_end = None  # where the title of the last heading found ends
    for m in MARK.finditer(s):
        p = m.start()
        if p == 0 or (own is not None and p < own.end):
            continue
        title = _title(s, m.end())
        if title is None and s[p - 1] in AFTER_END:
            # after a sentence's end, a title that runs straight into its text: its first words stand for it
            lead = re.match(rf"(?![{CN}])[\u4e00-\u9fff]{{2,12}}", s[m.end():])
            title = lead.group(0) + "…" if lead else None
        if title is None:
            continue
        chapter = m.group(0).startswith("第") and m.group(0).endswith("章")
        ok = s[p - 1] in AFTER_END or p == last_end or p == own_end
        if not ok and chapter:
            ok = not REFERS_BEFORE.search(s[max(0, p - 3):p]) and not REFERS_AFTER.match(s[m.end():])
        if not ok:
            continue
        found.append(m.group(0) + title)
        last_end = m.end() + len(title.rstrip("…"))
        if s[last_end:last_end + 3] in ("(略)", "（略）"):
            last_end += 3
    return found


def check_run_in(ev) -> list:
    """One ``structure:`` flag on each line of the body that may hold headings run into its text."""
    from chengzhen.text.normalize import squash

    out = []
    for n, s in enumerate(ev.sq, start=1):
        if not s or n in getattr(ev, "annex_lines", ()):  # a skipped line too: headings there are lost with it
            continue
        found = run_in(s)
        if found and not re.search(r"目录|目次", s[:s.find(found[0][:2])]):  # a table of contents run together
            out.append((n, ev.plan_id, "structure: " + N_("line {0} may hold headings run into its text ({1}): the outline "
                                                          "reads a heading only where a line opens").format(
                n, "、".join(squash(f) for f in found[:4]))))
    return out
