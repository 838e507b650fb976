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
# marks) immediately after a CJK character, e.g. 鎮(zhèn), 區(qū) — repeated by some
# pages (常住(zhu)(zhu)(zhu)地), a space inside (會(huì )) or after it (關(guan) 於) included.
TONED = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# compiled when first used (module ``__getattr__``): a character class spanning the CJK block costs re's
# compiler ~10 ms (it maps 65 536 code points), which every start of cz paid — a help, a search of ASCII
_PATTERNS = {
    "PINYIN_GLOSS": r"(?<=[\u3400-\u9fff])(?:\([" + TONED + r"]{1,8} ?\)(?: (?=[^\x00-\x7f]))?)+",
    # characters that never take a space next to them in Chinese running text: ideographs, CJK and
    # full-width punctuation, and the marks that sit on numbers (copied-text damage: ingest)
    "_TIGHT": r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’…—·%‰℃]",
    "_GAP": r"[ \t\u00a0]+",
}


def __getattr__(name: str):
    if name in _PATTERNS:
        compiled = re.compile(_PATTERNS[name])
        globals()[name] = compiled  # (once: a module global from now on)
        return compiled
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _pattern(name: str) -> re.Pattern:
    return globals().get(name) or __getattr__(name)


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
    return _pattern("PINYIN_GLOSS").sub("", text)


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
# Roman numerals written as one code point (Ⅰ U+2160 … ⅿ U+217F, ↀ …): their
# letters (Ⅰ -> I, Ⅻ -> XII), as NFKC has them
_FOLD = dict(_FULLWIDTH)
_FOLD.update({cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2160, 0x2189)
              if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)})


def fold(text: str, *, simplify: bool = True) -> str:
    """The form that search compares: NFC, half-width ASCII, Roman numerals
    as letters, lower case, simplified characters."""
    text = unicodedata.normalize("NFC", text).translate(_FOLD).lower()
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


# --------------------------------------------------------------------------- copied-text damage (ingest)

# (_TIGHT, _GAP: _PATTERNS above)


def _tight(ch: str) -> bool:
    return bool(_pattern("_TIGHT").match(ch))


def spurious_gaps(line: str, *, numbers: bool = False) -> list[tuple[int, int]]:
    """The runs of spaces inside ``line`` that Chinese text does not have:
    between two characters at least one of which is an ideograph or a CJK
    punctuation mark, or just inside a bracket (``( 一)``, ``65% 、较 2024 年``).
    A space between two ASCII letters or digits (``660 MW``) is kept, except
    next to a digit (``20 24``, ``5 .69``, ``5 G``) when ``numbers`` is set (a
    spaced copy splits numbers too).  Leading and trailing spaces are not counted."""
    out = []
    for m in _pattern("_GAP").finditer(line):
        a, b = m.start(), m.end()
        if a == 0 or b == len(line):
            continue
        left, right = line[a - 1], line[b]
        if numbers and (left.isdigit() or right.isdigit() or left == "." or right == ".") \
                and left.isascii() and right.isascii():
            out.append((a, b))  # 20 24, 5 .69, 5 G
            continue
        if numbers and left.isascii() and right.isascii() and not left.isalnum() and not right.isalnum():
            out.append((a, b))  # ? !
            continue
        if left.isascii() and right.isascii() and (left.isalnum() or left in ".,;:") and right.isalnum():
            continue  # latin text: "5 MW", "Gbps 2"
        if _tight(left) or _tight(right) or left in "([（【《〈“" or right in ")]）】》〉”,.;:":
            out.append((a, b))
    return out


def despace(line: str, *, numbers: bool = False) -> str:
    """``line`` without :func:`spurious_gaps`."""
    gaps = spurious_gaps(line, numbers=numbers)
    if not gaps:
        return line
    parts, at = [], 0
    for a, b in gaps:
        parts.append(line[at:a])
        at = b
    parts.append(line[at:])
    return "".join(parts)


def cjk_gap_rate(lines: Iterable[str]) -> float:
    """Spaces between two ideographs per ideograph: about 0 in typed Chinese,
    0.05 and more in text copied out of a PDF or an OCR result."""
    gaps = cjk = 0
    pat = re.compile(r"(?<=[\u3400-\u9fff])[ \u00a0]+(?=[\u3400-\u9fff（(，。、；：])")
    for line in lines:
        cjk += sum(1 for ch in line if "\u3400" <= ch <= "\u9fff")
        gaps += len(pat.findall(line))
    return gaps / cjk if cjk else 0.0


def traditional_rate(text: str) -> float:
    """The share of ideographs that OpenCC ``t2s`` changes: about 0 for
    simplified text, 0.1–0.3 for traditional."""
    sample = "".join(ch for ch in text if "\u3400" <= ch <= "\u9fff")[:20000]
    if not sample:
        return 0.0
    simple = to_simplified(sample)
    return sum(1 for a, b in zip(sample, simple) if a != b) / len(sample)
