"""Mojibake: GBK bytes read one byte out of step, repaired by re-pairing them.

A page that was GBK, cut or decoded starting one byte late, reads every
two-byte character as the second byte of one plus the first byte of the
next: common characters become rare ones in senseless order
(``耙坏匾徊摺蓖晟迫``), a byte that pairs with nothing shows as ``?`` and
private-use characters appear.  Encoding such a span back to GB18030 and
decoding it one byte earlier restores it; the byte that was lost is
guessed among all lead bytes by how common the restored characters are.

A span is repaired only when it holds a private-use character or a ``?``
between ideographs, re-decodes strictly, and its restored characters are
far more common than the damaged ones (jieba's dictionary gives the
frequencies).  Nothing else is touched.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SUSPECT = re.compile(r"[\ue000-\uf8ff\ufffd]|(?<=[\u3400-\u9fff])\?|\?(?=[!\u3400-\u9fff])")
_HALF_TO_FULL = {"!": "！", ",": "，", ":": "：", ";": "；", "?": "？", "(": "（", ")": "）"}


@lru_cache(maxsize=1)
def _char_freq() -> dict[str, float]:
    import math
    import os

    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    counts: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ")
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            for ch in word:
                counts[ch] = counts.get(ch, 0) + freq
    total = sum(counts.values())
    return {ch: math.log(c / total) for ch, c in counts.items()}


def _score(text: str) -> float:
    freq = _char_freq()
    cjk = [ch for ch in text if "\u3400" <= ch <= "\u9fff"]
    if not cjk:
        return -30.0
    punct = sum(1 for ch in text if ch in "。，、；：“”！？《》（）")
    return (sum(freq.get(ch, -25.0) for ch in cjk) + punct * -4.0) / (len(cjk) + punct)


def _spans(line: str):
    """Candidate damaged spans around each suspect mark: maximal runs of
    non-ASCII characters and the ASCII marks inside them."""
    for m in _SUSPECT.finditer(line):
        a = m.start()
        while a > 0 and (not line[a - 1].isascii() or line[a - 1] in "?!") and line[a - 1] not in "，。、；：":
            a -= 1
        b = m.end()
        while b < len(line) and (not line[b].isascii() or line[b] in "?!" or line[b].isalpha()) \
                and line[b] not in "，。、；：":
            b += 1
        yield a, b


def _redecode(span: str) -> str | None:
    """The span's bytes decoded one byte earlier (its first byte lost), or None."""
    body = span[1:] if span.startswith("?") else span
    for variant in (body, "".join(_HALF_TO_FULL.get(ch, ch) for ch in body)):
        try:
            data = variant.encode("gb18030")
        except UnicodeEncodeError:
            continue
        best = None
        for lead in range(0xA1, 0xFF):
            try:
                text = (bytes([lead]) + data).decode("gbk")
            except UnicodeDecodeError:
                continue
            score = _score(text)
            if best is None or score > best[0]:
                best = (score, text)
        if best:
            return best[1]
    return None


def repair_mojibake(line: str) -> tuple[str, bool]:
    """(the line with its mojibake span re-paired, whether anything changed)."""
    marks = [m.start() for m in _SUSPECT.finditer(line)]
    if not marks:
        return line, False
    best = None
    for a, b in set(_spans(line)):
        inside = [p for p in marks if a <= p < b]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        starts = [first] if line[first] == "?" else range(max(a, first - 20), first + 1)
        for start in starts:
            for end in range(last + 1, min(b, last + 12) + 1):
                span = line[start:end]
                if len(span) < 4:
                    continue
                fixed = _redecode(span)
                if not fixed:
                    continue
                gain = _score(fixed) - _score(span)
                if gain > 3.0 and (best is None or gain > best[0]):
                    best = (gain, start, end, fixed)
    if best is None:
        return line, False
    _, start, end, fixed = best
    return line[:start] + fixed + line[end:], True
