"""Stage 2: the stored text → the normalized lines a draft is written against,
with every correction recorded as data.

The stored source keeps its damage; what ingest corrects it records as the
catalogue's ``repairs`` (line, damaged text, corrected text, reason), which
``text.normalize.source_lines`` — the very function validation uses — applies.
So the draft is extracted from exactly the lines ``cz validate`` checks it
against.  What is corrected:

* **spaces inside words** that a PDF or OCR copy leaves (``五 年行动 计 划``,
  ``( 一)``, ``65% 、较 2024 年``): when the document as a whole is spaced
  (more than 2 % of the ideographs of its sentences are followed by a space
  before another ideograph), every spurious gap goes (``text.normalize.despace``); a single
  space in a typed title (``发展 实现``) is left alone;
* **pinyin glosses** a web site put after characters (``镇(zhèn)``): removed
  when the letters are a reading of the character before them (pypinyin);
  for a traditional-script source the catalogue's ``script: traditional``
  already makes validation strip them, so they are not recorded again;
* **mojibake**: a span of GBK bytes read one byte out of step (``mojibake.py``);
* **a 落款 date that lost its 年月日** (``2023614`` on the line under the
  issuing body): written back as ``2023年6月14日`` when the digits read as
  exactly one date (``2023111`` — 1月11日 or 11月1日 — is left as it is);
* **traditional script** is not a repair: ``script: traditional`` makes
  validation fold it with OpenCC ``t2s``.

Each repair covers one stretch of a line, with a few characters of context so
that applying the repairs in order (each replaces its first occurrence)
reproduces the corrected line exactly; this is checked.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from chengzhen.kb.model import Repair
from chengzhen.text.normalize import PINYIN_GLOSS, TONED, cjk_gap_rate, despace, source_lines, traditional_rate

SPACED_RATE = 0.02
TRADITIONAL_RATE = 0.04

REASON_SPACES = "OCR/PDF 复制带入的字间空格, 已删除"
REASON_PINYIN = "网页在汉字后加注的拼音, 已删除"
REASON_MOJIBAKE = "乱码修复: GBK 字节错位解码, 重新配对后为正常文字"
REASON_DATE = "落款日期的“年”“月”“日”在复制中丢失(数字连写), 按唯一可能的读法补回"
# a line that is a date whose 年月日 a copy lost: 2023614, 20231114
COMPACT_DATE_LINE = re.compile(r"^(\s*)((?:19|20)\d{2})(\d{2,4})(\s*)$")


@dataclass
class Cleaned:
    raw: list[str]  # the stored lines
    script: str
    repairs: list[Repair]
    lines: list[str]  # normalized: what validation checks quotes against
    counts: Counter = field(default_factory=Counter)  # repairs per kind
    spaced: bool = False


_GLOSS_ANY = re.compile(r"(?<=[\u3400-\u9fff])(?:\s*[(（]\s*[" + TONED + r"]{1,8}\s*[)）])+")
_GLOSS_ONE = re.compile(r"[(（]\s*([" + TONED + r"]{1,8})\s*[)）]")


@lru_cache(maxsize=4096)
def _readings(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    got = set()
    for style in (Style.TONE, Style.NORMAL):
        for alts in pinyin(ch, style=style, heteronym=True, errors="ignore"):
            got.update(a.lower() for a in alts)
    got |= {g.replace("ü", "v") for g in got}
    return frozenset(got)


def strip_glosses(line: str) -> str:
    """``line`` without the pinyin glosses that read the character before them."""
    def repl(m: re.Match) -> str:
        ch = line[m.start() - 1]
        readings = _readings(ch)
        # a run of glosses (常住(zhu)(zhu)地): each a reading of the character before the run
        return "" if all(g.lower() in readings for g in _GLOSS_ONE.findall(m.group(0))) else m.group(0)

    return _GLOSS_ANY.sub(repl, line)


_SPACED_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\s*([(（])\s*((?:[" + TONED + r"]\s*){1,8})([)）])")


def close_glosses(line: str) -> str:
    """A gloss a spaced copy pulled apart (``鎮 (zh èn)``) put back together,
    so that it reads as a gloss again."""
    return _SPACED_GLOSS.sub(lambda m: m.group(1) + re.sub(r"\s+", "", m.group(2)) + m.group(3), line)


def clean(raw_lines: list[str]) -> Cleaned:
    from chengzhen.ingest.mojibake import repair_mojibake

    text = "\n".join(raw_lines)
    sample = PINYIN_GLOSS.sub("", text)
    script = "traditional" if traditional_rate(sample) > TRADITIONAL_RATE else "simplified"
    # measured on sentences (lines with a 。): a typed document has no spaces there, though
    # its headings (第一章 发展基础) and a page's information bar may
    sentences = [ln for ln in raw_lines if "。" in ln]
    spaced = cjk_gap_rate(sentences if len(sentences) >= 3 else raw_lines) > SPACED_RATE
    repairs: list[Repair] = []
    counts: Counter = Counter()
    previous = ""  # the last non-blank line before this one
    for number, raw in enumerate(raw_lines, start=1):
        target = close_glosses(despace(raw, numbers=True)) if spaced else raw
        target, moji = repair_mojibake(target)
        if script == "simplified" and "(" in target or "（" in target:
            target = strip_glosses(target)
        dated = signed_date(raw, previous)
        if dated:
            target = dated
        if raw.strip():
            previous = raw
        if target == raw:
            continue
        for source, repaired in line_repairs(raw, target):
            kind = "date" if dated else _kind(source, repaired, moji)
            counts[kind] += 1
            reason = {"spaces": REASON_SPACES, "pinyin": REASON_PINYIN, "date": REASON_DATE}.get(kind, REASON_MOJIBAKE)
            if kind == "mixed":
                reason = "; ".join(r for k, r in (("spaces", REASON_SPACES), ("pinyin", REASON_PINYIN))
                                   if k in _parts(source, repaired)) or REASON_MOJIBAKE
            repairs.append(Repair(number, source, repaired, reason))
    stored = "\n".join(raw_lines) + "\n"
    lines = source_lines(stored, script, repairs)
    return Cleaned(raw_lines, script, repairs, lines, counts, spaced)


def compact_date_readings(digits: str) -> list[tuple[int, int, int]]:
    """The dates ``digits`` (a year and then month and day run together:
    2023614, 20231114, 2023111) can be read as."""
    m = re.fullmatch(r"((?:19|20)\d{2})(\d{2,4})", digits)
    if not m:
        return []
    y, rest = int(m.group(1)), m.group(2)
    out = []
    for i in (1, 2):
        mo, da = rest[:i], rest[i:]
        if not mo or not da or len(da) > 2 or mo.startswith("0") and len(mo) == 1:
            continue
        if 1 <= int(mo) <= 12 and 1 <= int(da) <= 31 and not (len(da) == 2 and da.startswith("0") and len(mo) == 1):
            out.append((y, int(mo), int(da)))
    return sorted(set(out))


def signed_date(raw: str, previous: str) -> str | None:
    """``raw`` with its date written out, when it is a 落款 date that lost its
    年月日 (the line under an issuing body's name) and reads as one date."""
    m = COMPACT_DATE_LINE.match(raw)
    if not m:
        return None
    from chengzhen.text.gongwen import is_issuer
    from chengzhen.text.normalize import to_simplified

    if not is_issuer(to_simplified(PINYIN_GLOSS.sub("", previous)).strip()):
        return None
    got = compact_date_readings(m.group(2) + m.group(3))
    if len(got) != 1:
        return None
    y, mo, da = got[0]
    return f"{m.group(1)}{y}年{mo}月{da}日{m.group(4)}"


def _parts(source: str, repaired: str) -> set[str]:
    out = set()
    if re.search(r"\s", source):
        out.add("spaces")
    if _GLOSS_ANY.search(source) or re.search(r"[(（]\s*[" + TONED + r"]+\s*[)）]", source):
        out.add("pinyin")
    return out


def _kind(source: str, repaired: str, moji: bool) -> str:
    if moji and not _is_subsequence(repaired, source):
        return "mojibake"
    parts = _parts(source, repaired)
    if parts == {"spaces"}:
        return "spaces"
    if parts == {"pinyin"}:
        return "pinyin"
    return "mixed" if parts else "mojibake"


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


# --------------------------------------------------------------------------- repairs from a diff

def _edits(raw: str, target: str) -> list[tuple[int, int, int, int]]:
    """(i1, i2, j1, j2) spans where ``raw[i1:i2]`` becomes ``target[j1:j2]``."""
    if _is_subsequence(target, raw):  # deletions only (spaces, glosses): a linear walk
        out, j = [], 0
        i = 0
        while i < len(raw):
            if j < len(target) and raw[i] == target[j]:
                i += 1
                j += 1
                continue
            start = i
            while i < len(raw) and not (j < len(target) and raw[i] == target[j]):
                i += 1
            out.append((start, i, j, j))
        return out
    sm = SequenceMatcher(None, raw, target, autojunk=False)
    return [(i1, i2, j1, j2) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]


def line_repairs(raw: str, target: str, gap: int = 6) -> list[tuple[str, str]]:
    """(source, repaired) pairs that turn ``raw`` into ``target`` when applied
    in order, each replacing its first occurrence (``source_lines``)."""
    edits = _edits(raw, target)
    if not edits:
        return []
    # clusters of edits closer than ``gap`` characters
    clusters: list[list[int]] = []
    for i1, i2, j1, j2 in edits:
        if clusters and i1 - clusters[-1][1] < gap:
            clusters[-1][1], clusters[-1][3] = i2, j2
        else:
            clusters.append([i1, i2, j1, j2])
    offset = 0  # target index minus raw index before the current position
    out: list[tuple[str, str]] = []
    done_raw = 0  # raw text before this is already handled
    cur = raw
    k = 0
    while k < len(clusters):
        i1, i2, j1, j2 = clusters[k]
        for ctx in (2, 4, 8, 16, 10_000):
            a = max(done_raw, i1 - ctx)
            b = min(len(raw), i2 + ctx)
            # the context must not reach into the next cluster
            if k + 1 < len(clusters) and b > clusters[k + 1][0]:
                b = clusters[k + 1][0]
            src = raw[a:b]
            rep = target[a + offset: j1] + target[j1:j2] + raw[i2:b]
            if not src.strip():
                continue
            trial = cur.replace(src, rep, 1)
            want = target[: j2] + raw[i2:]
            # the prefix through this cluster must now equal the target's
            if trial[: j2 + (b - i2)] == want[: j2 + (b - i2)] and trial == target[:j2] + raw[i2:]:
                out.append((src, rep))
                cur = trial
                break
        else:  # cannot be made unique: the rest of the line in one repair
            a = done_raw
            src = raw[a:]
            rep = target[a + offset:]
            out.append((src, rep))
            return out
        offset = j2 - i2
        done_raw = b
        k += 1
    return out
