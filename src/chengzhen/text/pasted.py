"""What users paste into a query, made comparable to the index.

Text copied from a plan, a web page or an OCR'd scan carries things the
index does not hold (the index keeps only the letters, digits and CJK
characters of the normalized text, ``text/tokens.py``):

* a leading outline number: ``一、`` ``(二十八)`` ``（1）`` ``4.`` ``第三章`` —
  the index stores a unit's number apart from its text;
* inline pinyin glosses ``鎮(zhèn)``, as the web copy of a traditional-script
  plan has them (the same pattern :func:`normalize.strip_pinyin` removes from
  such sources);
* full-width letters, digits and spaces (folded by :func:`normalize.fold`);
* stray spaces inside a word: ``城 镇 化`` — a single Chinese character
  standing between spaces is joined to its neighbours;
* a 责任单位 clause copied whole: ``（責任單位：省教育廳、省财政厅）`` — its
  brackets and role labels (责任单位, 牵头单位, 配合单位 …, either script)
  are dropped and its names become the terms (``省教育廳 省财政厅``: the
  units naming all of them).

:func:`query_text` removes them; everything else a query holds (words,
spaces between words, punctuation) is left for the search to handle.  Pure
and cheap: no database, no OpenCC.
"""

from __future__ import annotations

import re
import unicodedata

from chengzhen.text.normalize import PINYIN_GLOSS, TONED

_CN_NUM = "一二三四五六七八九十百零两〇"

# one leading outline number of the ladders official documents use
OUTLINE_NUMBER = re.compile(
    r"^\s*(?:"
    rf"第[{_CN_NUM}\d]+[章节条篇]"              # 第三章 第二节 第五条
    rf"|第[{_CN_NUM}\d]+部分"                   # 第一部分
    rf"|[{_CN_NUM}]+[、.．]"                     # 一、 二.
    rf"|[(（][{_CN_NUM}\d]{{1,4}}[)）][、.．]?"  # (二十八) （1）
    r"|\d{1,3}(?:[.．](?!\d)|、)"               # 4. 12、 (not 4.5)
    r"|[\u2460-\u2473\u2776-\u277f]"            # ① … ⑳, ❶ … ❿
    r")\s*"
)

# a pinyin gloss after a CJK character, also with a space or full-width
# parentheses (folded to ASCII before this runs)
_GLOSS_LOOSE = re.compile(r"(?<=[\u3400-\u9fff])\s?\([" + TONED + r"]{1,8}\)")

# the role labels of a 责任单位 clause, simplified or traditional
_ROLE = r"(?:责任|責任|牵头|牽頭|配合|参与|參與|协办|協辦|主办|主辦|负责|負責|主责|主責)(?:单位|單位|部门|部門)"
CLAUSE = re.compile(rf"^\s*\(?\s*{_ROLE}\s*:(.*?)\)?\s*$")
_LABEL = re.compile(rf"{_ROLE}\s*:")
_NAME_SEPARATORS = re.compile(r"[、,;]")

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def strip_outline_number(text: str) -> str:
    """``text`` without the outline numbers it starts with (``(二十八)扎实推进…``
    -> ``扎实推进…``); unchanged when nothing but the number is there."""
    out = text
    for _ in range(3):  # 一、(二)1. at most a few deep
        m = OUTLINE_NUMBER.match(out)
        if not m or m.end() == 0:
            break
        rest = out[m.end():]
        if not any(ch.isalnum() for ch in rest):
            break
        out = rest
    return out


def strip_glosses(text: str) -> str:
    """Inline pinyin glosses removed: ``城鎮(zhèn)化`` -> ``城鎮化``."""
    if "(" not in text:
        return text
    return _GLOSS_LOOSE.sub("", PINYIN_GLOSS.sub("", text))


def join_stray_spaces(text: str) -> str:
    """A single CJK character standing alone between spaces is joined to
    the CJK text beside it (``城 镇 化`` -> ``城镇化``, ``住 房保障`` ->
    ``住房保障``); spaces between longer words stay (they separate terms)."""
    parts = text.split()
    if len(parts) < 2:
        return text.strip()
    out: list[str] = [parts[0]]
    for p in parts[1:]:
        prev = out[-1]
        single = (len(p) == 1 and _is_cjk(p)) or (len(prev) == 1 and _is_cjk(prev))
        if single and _is_cjk(prev[-1]) and _is_cjk(p[0]):
            out[-1] = prev + p
        else:
            out.append(p)
    return " ".join(out)


def clause_names(text: str) -> str:
    """A pasted 责任单位 clause as its names, space-separated (``(责任单位:
    省教育厅、省财政厅)`` -> ``省教育厅 省财政厅``); any other text unchanged.
    Expects half-width punctuation (:func:`query_text` folds it first)."""
    m = CLAUSE.match(text)
    if not m:
        return text
    names = _NAME_SEPARATORS.sub(" ", _LABEL.sub(" ", m.group(1)))
    return " ".join(names.split()) or text


def query_text(text: str) -> str:
    """A pasted query as the search compares it: NFC, half-width, no pinyin
    glosses, no leading outline number, a 责任单位 clause as its names, stray
    spaces joined.  Case and script are folded later, with the rest of the
    query."""
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH)
    text = strip_glosses(text)
    text = strip_outline_number(text)
    text = clause_names(text)
    return join_stray_spaces(text)
