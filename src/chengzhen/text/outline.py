"""The outline ladder of Chinese official documents (GB/T 9704 公文 and 规划).

A heading is recognised by its number as written, in ladder order:
第X章 › 第X节 › 一、 › (一) › 1. › 专栏N.  The depth of a heading comes from the
document itself (the order in which the kinds first appear), not from this
list: a 实施方案 starts at 一、, a 规划 at 第一章.
"""

from __future__ import annotations

import re

HEADING_PATTERNS = [
    re.compile(r"^\s*(第[一二三四五六七八九十]+章)"),
    re.compile(r"^\s*(第[一二三四五六七八九十]+节)"),
    re.compile(r"^\s*([一二三四五六七八九十]+、)"),
    re.compile(r"^\s*([(（][一二三四五六七八九十]+[)）])"),
    re.compile(r"^\s*(\d{1,2}[.．])(?!\d)"),
    re.compile(r"^\s*(专栏\d+)"),
]


def heading_number(line: str) -> str | None:
    """The outline number a line starts with (一、, (三), 第二章 …), if any."""
    for pat in HEADING_PATTERNS:
        m = pat.match(line)
        if m:
            return m.group(1)
    return None
