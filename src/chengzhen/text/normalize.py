"""Text normalization shared by validation, the build, ingest and queries.

Pure functions of their input:

* :func:`source_lines` turns a raw source document into the *normalized*
  lines the YAML quotes are checked against: recorded repairs (mojibake) are
  applied, and for a traditional-script source the pinyin glosses a web site
  injected after some characters are removed and the characters converted to
  simplified (OpenCC ``t2s``).  Line numbers are preserved: normalized line
  *n* comes from raw line *n*.
* :func:`fold` maps any user or database text onto the form search compares:
  traditional -> simplified, full-width ASCII -> half-width, lower case.

OpenCC is imported lazily: a query in plain simplified Chinese never pays for it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from collections.abc import Iterable

# A pinyin gloss: a parenthesised run of lower-case latin letters (with tone
# marks) immediately after a CJK character, e.g. 鎮(zhèn), 區(qū).
TONED = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\([" + TONED + r"]{1,8}\)")


class RepairLike:
    """What a recorded repair offers (kb.model.Repair has it): the line, the
    damaged text on it, and the text that replaces it.  Documentation only —
    any object with these attributes will do (no typing import at start-up)."""

    line: int
    source: str
    repaired: str


def is_cjk(ch: str) -> bool:
    """A CJK ideograph (the URO and extension A)."""
    return "\u3400" <= ch <= "\u9fff"


def has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def strip_pinyin(text: str) -> str:
    return PINYIN_GLOSS.sub("", text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # heavy: only on the paths that need it

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    if not text or text.isascii():
        return text
    return _t2s().convert(text)


def source_lines(raw: str, script: str = "simplified", repairs: Iterable[RepairLike] = ()) -> list[str]:
    """Normalize a raw source document, line by line (index 0 = line 1)."""
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    by_line: dict[int, list[RepairLike]] = {}
    for rep in repairs:
        by_line.setdefault(rep.line, []).append(rep)
    out = []
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        for rep in by_line.get(number, ()):
            line = line.replace(rep.source, rep.repaired, 1)
        if script == "traditional":
            line = to_simplified(strip_pinyin(line))
        out.append(line)
    return out


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def fold(text: str, *, simplify: bool = True) -> str:
    """The form that search compares: NFC, half-width ASCII, lower case,
    simplified characters."""
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH).lower()
    if simplify and has_cjk(text):
        text = to_simplified(text)
    return text


def squash(text: str) -> str:
    """``text`` without any whitespace."""
    return re.sub(r"\s+", "", text)


def clean_input(text: str) -> str:
    """Undecodable input (lone surrogates from argv or stdin) becomes U+FFFD
    and NUL is dropped, so nothing downstream chokes on it."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text.replace("\x00", "")
