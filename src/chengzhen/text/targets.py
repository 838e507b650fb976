"""How a 公文 sentence states a target — one reading for validation and ingest.

Validation (``kb.audit``) checks each target's fields against its sentence
with these rules, and ingest (``ingest.targets``) settles the fields of a
draft with the very same rules, so a drafted target is one validation
accepts.  data-format.md (*Targets*) is the prose of these rules.

* **years**: a year the sentence writes (``YEAR``; not a title's
  ``《…》(2021—2035年)``: ``TITLE_SPAN``), else ``N年内`` counted from the
  plan period's start (``WITHIN_YEARS``, implied), else a year clause at the
  head of the paragraph or of its section's goal paragraph (``HEAD_YEAR``):
  :func:`stated_years`;
* **the qualifier**: ONE table (``QUALIFIERS``) from the word as written to
  its comparator, with the forms written before the figure
  (``PREFIX_QUALIFIERS``: 不低于80%), after it (``SUFFIX_QUALIFIERS``: 80%以上)
  and around it (``FRAMES``: 保持在…以上); a comparator word written in a
  target's as_written is its qualifier (:func:`qualifier_written`);
* **aspiration**: 力争 / 争取 / 努力 (``ASPIRATIONS``) as a verb of aim
  (:func:`aspiration_for`);
* **cumulative**: 累计, or a span in the sentence (``SPAN``: N年内, 2022—2025年,
  “十四五”期间), or ``[ ]`` in a table (:func:`total_written`);
* **basis**: ``GROWTH`` (年均), ``INCREASE`` (新增, 提高…), ``DECREASE``
  (减少, 下降…) written in the sentence (:func:`basis_written`); a figure
  per year (``PER_YEAR``: 每年…);
* **units**: a unit's family (:func:`unit_base`, ``COUNTERS``,
  :func:`units_agree`) and whether it is written with the figure
  (:func:`unit_written`).

Pure text: nothing here knows a plan, a file or the vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chengzhen.text.normalize import squash
from chengzhen.text.numerals import cn_to_int, value_forms

# --------------------------------------------------------------------------- years

SENTENCE_END = "。!?！？"
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# years that name a document, not a deadline: 《…》 and a title's (2021—2035年)
TITLE_SPAN = re.compile(r"《[^》]*》(?:\s*[(（][^)）]*[)）])?")
# a year at the head of a paragraph governs the paragraph: 到2025年, / 展望到2035年, / 2022—2025年,
HEAD_YEAR = re.compile(r"^(?:展望)?(?:到|至)?\s*(?:(?:19|20)\d{2}\s*[—–\-]\s*)?((?:19|20)\d{2})\s*年")
WITHIN_YEARS = re.compile(r"([一二三四五六七八九十两\d]+)年内")
# a span of years a goal sentence sets instead of a year: 经过5年努力, 用三年时间, 今后五年
YEARS_OF_EFFORT = re.compile(r"(?:经过|用|通过|再用|花|今后|未来)\s*([一二三四五六七八九十两\d]{1,2})\s*年(?:左右)?的?(?:努力|时间|奋斗)?")


def written_years(text: str) -> list[int]:
    """The years a text writes, in order; not those naming a document (《…》(2021—2035年))."""
    return [int(y) for y in YEAR.findall(TITLE_SPAN.sub("", text))]


def head_year(text: str) -> str:
    """``text``'s head clause when it opens with a year (到2025年, …), else ''."""
    got = HEAD_YEAR.match(re.sub(r"^[\s—–\-]*", "", text))
    return got.group(0) if got else ""


@dataclass
class Years:
    """The years a target's sentence states, as data-format.md (*Years*) reads them."""
    written: list[int]  # written in the sentence (from the period's start on, not the baseline year)
    within: re.Match | None  # N年内, when the sentence writes no year
    relative: int | None  # the year N年内 gives: the period's start + N − 1 (implied)
    headed: list[int]  # the head's years, when the sentence writes none (nor N年内)


def stated_years(years_from: str, context: str, head: str, period_start: int,
                 baseline_year: int | None = None) -> Years:
    """The years that govern a target: those its sentence writes (``years_from``);
    else ``N年内`` in ``context``; else those of the paragraph's or section's
    ``head`` (到2025年,…)."""
    written = [y for y in written_years(years_from) if y >= period_start and y != baseline_year]
    within = None
    relative = None
    if not written:
        found = list(WITHIN_YEARS.finditer(context))
        if found:
            within = found[-1]
            n = cn_to_int(within.group(1))
            if n:
                relative = period_start + n - 1
    headed = [] if written or relative else \
        [y for y in written_years(head) if y >= period_start and y != baseline_year]
    return Years(written, within, relative, headed)


# --------------------------------------------------------------------------- qualifiers

# THE qualifier table: the word as written (… = the figure) → comparator
QUALIFIERS: dict[str, str] = {
    "以上": "ge", "不低于": "ge", "不少于": "ge", "至少": "ge", "保持在…以上": "ge", "稳定在…以上": "ge",
    "超过": "gt", "大于": "gt", "高于": "gt",
    "以内": "le", "以下": "le", "不超过": "le", "不高于": "le", "控制在…以内": "le", "控制在…以下": "le",
    "低于": "lt", "少于": "lt", "小于": "lt",
    "左右": "approx", "约": "approx", "稳定在…左右": "approx", "保持在…左右": "approx",
    "接近": "approach",
    "达": "eq", "达到": "eq", "保持": "eq", "持续保持": "eq",
    "完成": "complete", "全部完成": "complete", "全面完成": "complete", "累计完成": "complete", "建成": "complete",
    "全覆盖": "complete", "覆盖全部": "complete", "全部": "complete", "全面取消": "complete",
    "全面消除": "complete", "基本": "complete", "基本实现…全覆盖": "complete", "连续覆盖": "complete",
    "深度覆盖": "complete", "县县通": "complete",
}
# the comparator words written right after the figure (80%以上); 多 (100多) is read with them
# but is no qualifier of the table
SUFFIX_QUALIFIERS = ("左右", "以上", "以内", "以下")
# … and right before it (不低于80%), longest first
PREFIX_QUALIFIERS = sorted((q for q, c in QUALIFIERS.items()
                            if "…" not in q and q not in SUFFIX_QUALIFIERS and c in ("ge", "gt", "le", "lt", "approx",
                                                                                    "approach")),
                           key=len, reverse=True)
# … and around it: 保持在80%以上
FRAMES = tuple(dict.fromkeys(q.split("…")[0] for q in QUALIFIERS if "…" in q and q.split("…")[1] in SUFFIX_QUALIFIERS))
# comparator words that, written in a target's as_written, must be its qualifier
COMPARATOR_WORDS = sorted((q for q, c in QUALIFIERS.items() if "…" not in q and c not in ("eq",)),
                          key=len, reverse=True)


def comparator_without_qualifier(value, value_max) -> str:
    return "range" if value_max is not None else ("complete" if value is None else "eq")


def in_order(parts: list[str], text: str) -> bool:
    """Are ``parts`` written in ``text`` in this order (保持在…以上)?"""
    pos = 0
    for p in parts:
        if not p:
            continue
        k = text.find(p, pos)
        if k < 0:
            return False
        pos = k + len(p)
    return True


def qualifier_written(as_written: str, value) -> str | None:
    """The comparator word ``as_written`` writes, which must be the target's
    qualifier — not a word of a goal without a figure (县城及以上城市)."""
    word = next((w for w in COMPARATOR_WORDS if w in as_written), None)
    if word and QUALIFIERS[word] != "complete" and value is None:
        return None
    return word


# --------------------------------------------------------------------------- aspiration

ASPIRATIONS = ("力争", "争取", "努力")
ASPIRATION = re.compile("|".join(ASPIRATIONS))


def aspiration_in(text: str) -> str | None:
    """力争 / 争取 / 努力 as a verb of aim in ``text`` (not 通过努力, 经过…的努力)."""
    text = re.sub(r"(?:通过|经过)努力|的努力|努力下", "", text)
    found = ASPIRATION.search(text)
    return found.group(0) if found else None


def aspiration_for(prefix: str, quote: str) -> str | None:
    """The aim word that governs a target: one written in its quote or in the
    clause the quote starts in; or one that opens the sentence (after a year
    clause: 到2025年,力争…), which governs the whole sentence.  毕节、六盘水
    力争建成大城市,都匀建成中等城市: 都匀's clause is firm."""
    own = aspiration_in(quote) or aspiration_in(re.split(r"[,，;；]", prefix)[-1])
    if own:
        return own
    opening = re.sub(r"^[\s—–\-]*", "", prefix)
    year = HEAD_YEAR.match(opening)
    if year:
        opening = opening[year.end():].lstrip(",，、 ")
    first = re.match(r"(?:力争|争取|努力)", opening)
    return first.group(0) if first else None


# --------------------------------------------------------------------------- totals and basis

# a figure is a total over a span when the quote says 累计 (or a table marks
# it []), or when its sentence states the span: N年内, 2022—2025年, “十四五”期间
CUMULATIVE_WORD = re.compile(r"累计")
SPAN = re.compile(r"[一二三四五六七八九十两\d]+年内|(?:19|20)\d{2}\s*[—–\-~～至]+\s*(?:19|20)\d{2}\s*年|十[三四五六]五”?期间")
GROWTH = re.compile(r"年均|每年平均|年平均")
INCREASE = re.compile(r"新增|增加|新建|提高|提升|增长|扩大|拓展|新培育|引进|吸引")
DECREASE = re.compile(r"减少|下降|降低|压减|缩小")
PER_YEAR = re.compile(r"每年(?!平均)")  # a figure per year (每年新增100万人), not a yearly growth
BASIS_WORDS = {"annual_growth": GROWTH, "increase": INCREASE, "decrease": DECREASE}


def total_written(quote: str, context: str) -> bool:
    """累计 in the quote, or a span in the sentence."""
    return bool(CUMULATIVE_WORD.search(quote) or SPAN.search(context))


def table_total(as_written: str) -> bool:
    """A table's cell marks a total with [ ]."""
    return "[" in as_written or "［" in as_written


def basis_written(basis: str, context: str) -> bool:
    """Does the sentence write the words of ``basis`` (level needs none)?"""
    words = BASIS_WORDS.get(basis)
    return words is None or bool(words.search(context))


def names_year(indicator: str) -> bool:
    """An indicator of a figure per year names the year (年新培育高新技术企业数量)."""
    return indicator.startswith(("年", "每年"))


# --------------------------------------------------------------------------- units

# measure words for counting institutions and projects: one family
COUNTERS = {"个", "家", "所", "座", "处", "项"}
# the measure words of a count of things (a count, not a quantity measured otherwise)
MEASURE_WORDS = ("个", "家", "所", "座", "处", "项", "条", "套", "部", "辆", "张")


def unit_base(unit: str | None) -> str | None:
    """A unit without its magnitude: 万人 -> 人, 亿立方米 -> 立方米, 万元 -> 元."""
    if unit is None:
        return None
    return re.sub(r"^[万亿千百十]+(?=.)", "", unit)


def units_agree(unit: str | None, declared: str | None, basis: str) -> bool:
    """Is ``unit`` in the family of the indicator's declared unit?  A share
    (%) changes by percentage points (个百分点); any indicator may grow by a
    rate (年均增长10%); magnitudes (万) do not change the family; 个 and 家
    count alike."""
    if unit == declared:
        return True
    if unit is None or declared is None:
        return False
    if {unit, declared} == {"%", "个百分点"}:
        return True
    if basis in ("annual_growth", "increase", "decrease") and unit == "%":
        return True  # a growth rate
    a, b = unit_base(unit), unit_base(declared)
    return a == b or (a in COUNTERS and b in COUNTERS)


def unit_written(unit: str, value: float | None, as_written: str, context: str) -> bool:
    """Is the unit written with the figure?  Every part of a compound unit
    (人/亿元) in the sentence, or the magnitude right after the figure when
    the indicator names what is counted (1930万 of 常住人口)."""
    flat = squash(context)
    if all(squash(p) in flat for p in unit.split("/") if p):
        return True
    magnitude = unit[: len(unit) - len(unit_base(unit) or "")]
    if magnitude and value is not None:
        return any(re.search(re.escape(f) + re.escape(magnitude), squash(as_written)) for f in value_forms(value))
    return False
