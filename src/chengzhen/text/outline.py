"""The outline ladder of Chinese official documents (GB/T 9704 公文 and 规划).

A heading is recognised by its number as written, in ladder order:
(第X篇 ›) 第X章 › 第X节 › 一、 › (一) › 1. › 专栏N.  The depth of a heading comes from the
document itself (the order in which the kinds first appear), not from this
list: a 实施方案 starts at 一、, a 规划 at 第一章.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING_PATTERNS = [
    re.compile(r"^\s*(第[一二三四五六七八九十]+章)"),
    re.compile(r"^\s*(第[一二三四五六七八九十]+节)"),
    re.compile(r"^\s*([一二三四五六七八九十]+、)"),
    re.compile(r"^\s*([(（][一二三四五六七八九十]+[)）])"),
    re.compile(r"^\s*(\d{1,2}[.．﹒])(?!\d)"),  # 1. 1． and 1﹒ (U+FE52, a web page's)
    re.compile(r"^\s*(专栏\d+)"),
    re.compile(r"^\s*(第[一二三四五六七八九十]+篇)"),  # a 规划's parts, above its chapters
]
# the numbers a table of contents lists: 第X篇, 第X章, 第X节
CONTENTS_PATTERNS = [HEADING_PATTERNS[6], HEADING_PATTERNS[0], HEADING_PATTERNS[1]]


def heading_number(line: str) -> str | None:
    """The outline number a line starts with (一、, (三), 第二章 …), if any."""
    for pat in HEADING_PATTERNS:
        m = pat.match(line)
        if m:
            return m.group(1)
    return None


# --------------------------------------------------------------------------- the full ladder (ingest)
#
# HEADING_PATTERNS above is what the audit counts as a heading; the ladder
# below is what a reader of an arbitrary 公文 or 规划 meets, with the value of
# each number, so a program can tell levels apart and follow their sequence.
# Spaces that a PDF or OCR copy puts inside a number (``( 一)``) are allowed.

CN_NUMERAL = "零〇一二三四五六七八九十百两"
_CN = f"[{CN_NUMERAL}]+"

# (kind, pattern); the group ``n`` holds the number's value as written
LADDER: list[tuple[str, re.Pattern]] = [
    ("part", re.compile(rf"^\s*(?P<num>第\s*(?P<n>{_CN}|\d+)\s*篇)")),
    ("chapter", re.compile(rf"^\s*(?P<num>第\s*(?P<n>{_CN}|\d+)\s*章)")),
    ("section", re.compile(rf"^\s*(?P<num>第\s*(?P<n>{_CN}|\d+)\s*节)")),
    ("cn", re.compile(rf"^\s*(?P<num>(?P<n>{_CN})\s*[、,，．.])")),
    ("paren_cn", re.compile(rf"^\s*(?P<num>[(（]\s*(?P<n>{_CN})\s*[)）])")),
    ("arabic", re.compile(r"^\s*(?P<num>(?P<n>\d{1,3})\s*(?:[.．﹒](?![\d])|、))")),
    ("paren_arabic", re.compile(r"^\s*(?P<num>[(（]\s*(?P<n>\d{1,3})\s*[)）])")),
    ("circled", re.compile(r"^\s*(?P<num>(?P<n>[①-⑳]))")),
]
# the conventional order of the levels, top first (GB/T 9704: 一、 (一) 1. (1))
LADDER_ORDER = [k for k, _ in LADDER]

BOX = re.compile(rf"^\s*(?P<num>专\s*栏\s*(?P<n>\d+|{_CN}))\s*[:：]?")
ANNEX = re.compile(r"^\s*(?P<num>附\s*件\s*(?P<n>\d*))\s*(?P<sep>[:：])?\s*")
TOC = re.compile(r"^\s*目\s*录\s*$")


@dataclass(frozen=True)
class Heading:
    kind: str  # a LADDER kind
    number: str  # as written: 一、 (三) 第二章
    value: int  # its value: 1, 3, 2
    rest: str  # the line after the number
    start: int  # where the number starts in the line
    end: int  # where the rest starts


def number_value(text: str) -> int | None:
    """The value of an outline number's digits: 三十九 → 39, 12 → 12, ③ → 3."""
    from chengzhen.text.numerals import cn_to_int

    text = text.replace(" ", "")
    if not text:
        return None
    if "①" <= text[0] <= "⑳":
        return ord(text[0]) - ord("①") + 1
    return cn_to_int(text.replace("〇", "零"))


def match_heading(line: str) -> Heading | None:
    """The outline number a line starts with, its kind and value."""
    for kind, pat in LADDER:
        m = pat.match(line)
        if m:
            value = number_value(m.group("n"))
            if value is None:
                continue
            rest_at = m.end()
            while rest_at < len(line) and line[rest_at] in " \t\u3000":
                rest_at += 1
            return Heading(kind, m.group("num"), value, line[rest_at:], m.start("num"), rest_at)
    return None
