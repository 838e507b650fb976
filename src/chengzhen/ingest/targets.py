"""Targets: the figures a plan commits to, field by field, as written.

A target is a number with a unit (or a qualifier) in a clause that sets a
goal — a goal verb before it (达到, 提高到, 控制在, 新增, 建成…) or a year
that governs it (到2028年…) — outside the sections that review the past.
For each one:

* ``value``/``value_max`` and ``unit`` as written (``1—2个百分点`` is a range;
  ``100万`` takes the indicator's unit ``万人`` when that is what ``万`` abbreviates);
* ``qualifier`` as written and its ``comparator`` (one table, ``QUALIFIERS``:
  左右 → approx, 以上/不低于 → ge, 以内/控制在…以内 → le, 接近 → approach, …;
  完成 before the figure → complete);
* ``year``: a year phrase in the same sentence (到2028年, 2023年底前, 三年内),
  else one that opens the paragraph or the section's goal paragraph, else
  the plan period's end, marked ``year_implied``;
* ``basis`` (每年/年均 增长 → annual_growth, 新增/提高X个百分点 → increase,
  减少 → decrease), ``cumulative`` (累计, ``[ ]``), ``baseline`` (由X提高到Y,
  较2024年…), ``scope`` (a place named before the indicator: 市中心城区),
  ``aspiration`` (力争, 争取, 努力);
* ``indicator``: the vocabulary name (or alias) written nearest before the
  figure — or after it for a count (建成10个城市商圈) — mapped to its
  canonical name; an unknown one is proposed as a new indicator for review.

Tables of indicators (指标 | 2020年 | 2025年) give a target per row, the
earlier year's column as its baseline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chengzhen.text import targets as S
from chengzhen.text.normalize import squash
from chengzhen.text.numerals import cn_to_int

UNIT = (r"(?:个百分点|百分点|%|％|‰|万亿元|亿元|万元/亩|万元|元|万平方米|平方米|平方公里|公顷|万亩|亩|万公里|公里/平方公里|公里|"
        r"千米|米|万人次|人次|万人|人|万户|户|万套|套|万个|个|家|所|条|辆(?:\(标台\)|（标台）)?|座|处|张|床|项|批|部|台|"
        r"岁|年一遇|年|分钟|小时|天|吨/日|万吨标准煤|吨标准煤|万吨|吨|亿立方米|万立方米|立方米|Gbps|Mbps|兆瓦|万千瓦|千瓦|倍|亿级|万)")
NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
VALUE = re.compile(
    r"(?P<open>[\[［【])?(?P<v>" + NUM + r")(?P<close>[\]］】])?"
    r"(?:\s*[—–\-~～至到]\s*(?P<v2>" + NUM + r"))?"
    r"(?P<unit>\s*" + UNIT + r")?(?P<q>\s*(?:左右|以上|以内|以下|多))?")
CN_COUNT = re.compile(r"(?P<v>[一两二三四五六七八九十]{1,3})(?P<unit>所|个|家|条|座|处|项)")

COMPLETE = re.compile(r"(?:全面完成|全部完成|累计完成|基本完成|完成)$")
GOAL_VERB = re.compile(
    r"达到|达|提高到|提高至|提升至|提升到|增加到|增至|增长到|下降到|下降至|降至|降低到|降低至|控制在|保持在|稳定在|维持在|超过|"
    r"不低于|不少于|大于|高于|低于|突破|新增|新建|建成|建设|打造|培育|引进|完成|开通|实现|累计|增长|提高|提升|减少|"
    r"力争|确保|形成|发放|吸引|转移|搬迁|改造|设置|配备|拥有|增加|创建|扩大|达标|覆盖|建立|认定|培训|引导")
YEAR_PHRASE = re.compile(
    r"(?:到|至|截至|力争到|力争在|在)?\s*(?P<y>(?:19|20)\d{2})\s*年(?:\s*[—–\-至到]\s*(?P<y2>(?:19|20)\d{2})\s*年)?"
    r"(?P<end>底前|底|末|前|以前)?")
RELATIVE = re.compile(r"(?P<n>[一二三四五六七八九十两]|\d)\s*年(?:内|时间)")
PLACE_END = re.compile(r"(?:城区|区|县|市|州|镇|乡|村|都市圈|城市群|地区|园区|县城|新区|城市|\)|）)$")
WHOLE = re.compile(r"^(?:全省|全市|全区|全州|全县|我省|我市|全国|全域|各地)")
PAST = re.compile(r"比|较|由|从")
GENERIC_PLACES = {"城镇", "城市", "农村", "乡村", "城乡", "全市", "全省", "城区", "县城", "园区", "地区", "市", "县", "区"}


@dataclass
class Ctx:
    period: tuple[int, int]
    indicators: list[tuple[str, str]]  # (name or alias, canonical), longest first
    units: dict[str, str | None]  # canonical -> declared unit
    year: int | None = None  # a year that governs the record (its section's goal paragraph)
    # the figures read and not drafted, with why: (line, figure as written, why, doubtful);
    # a doubtful one (a quantity no goal word governs) is flagged for review
    skipped: list | None = None


def sentences(text: str):
    """(start, end) of each sentence, the closing mark included."""
    for m in re.finditer(r"[^。；;！？!?\n]+[。；;！？!?]?", text):
        yield m.start(), m.end()


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _is_year(text: str, m: re.Match) -> bool:
    v = m.group("v")
    after = text[m.end("v"):m.end("v") + 2]
    if re.fullmatch(r"(?:19|20)\d{2}", v) and (after.startswith("年") or (m.group("unit") or "").strip() == "年"):
        return True
    return False


def _qualifier(text: str, m: re.Match, clause_start: int) -> tuple[str | None, str, int, int]:
    """(qualifier as written, comparator, start and end of as_written)."""
    before = text[clause_start:m.start()]
    q_after = (m.group("q") or "").strip()
    start, end = m.start(), m.end()
    for frame in S.FRAMES:
        i = before.rfind(frame)
        if i >= 0 and not re.search(r"[,，、]", before[i:]) and len(before) - i <= len(frame) + 2:
            if q_after:
                return f"{frame}…{q_after}", S.QUALIFIERS.get(q_after, "eq"), clause_start + i, end
    for pq in S.PREFIX_QUALIFIERS:
        if before.endswith(pq) or before.rstrip().endswith(pq):
            return pq, S.QUALIFIERS[pq], m.start() - len(pq), end
    if m.group("v2"):
        return (q_after or None), "range", start, end
    if q_after:
        return q_after, S.QUALIFIERS.get(q_after, "eq"), start, end
    c = COMPLETE.search(before[-6:].rstrip())
    if c:
        return c.group(0), "complete", start, end
    # 完成棚户区改造0.485万户 (the verb governs the object and its figure), 3.93万户全部完成
    c = re.search(r"(?:全面完成|全部完成|累计完成|基本完成|完成)(?=[^,，;；、]{1,30}$)", before)
    if c and not re.search(r"达到|达|提高|提升|增加|下降|控制在|保持在", before[c.end():]):
        return c.group(0), "complete", start, end
    after = re.match(r"\s*(全面完成|全部完成|完成)", text[m.end():m.end() + 6])
    if after:  # the qualifier after the figure belongs to what is written
        return after.group(1), "complete", start, m.end() + after.end()
    return None, "eq", start, end


def _governing_year(text: str, sent_start: int, at: int, para_year: int | None, period: tuple[int, int]):
    """(year, implied, the year phrase's start in the sentence or None)."""
    sentence = text[sent_start:at]
    best = None
    for m in YEAR_PHRASE.finditer(sentence):
        if re.match(r"\s*(?:已|的|列入|建成的|开工)", sentence[m.end():m.end() + 3]) or \
                re.match(r"以来", sentence[m.end():m.end() + 2]):
            continue  # 2020年以前已经列入计划的…: a description, not when
        y = int(m.group("y2") or m.group("y"))
        best = (y, m)
    if best:
        y, m = best
        prefix = sentence[max(0, m.start() - 3): m.start()]
        if (m.group(0).startswith(("到", "至", "力争到", "截至")) or m.group("end") or m.group("y2")
                or y >= period[0]) and not PAST.search(prefix):
            return y, False, sent_start + m.start()
    rel = None
    for m in RELATIVE.finditer(sentence):
        rel = m
    if rel:
        n = cn_to_int(rel.group("n")) if not rel.group("n").isdigit() else int(rel.group("n"))
        if n:
            return period[0] + n - 1, True, None
    if para_year:
        return para_year, False, None
    return (period[1], True, None) if period[1] else (None, False, None)


def _indicator(text: str, clause_start: int, m: re.Match, ctx: Ctx, unit: str | None):
    """(canonical, matched span start, matched span end, the name as found) or None."""
    window = text[clause_start:m.start()]
    best = None
    for alias, canon in ctx.indicators:
        i = window.rfind(alias)
        if i >= 0:
            end = i + len(alias)
            key = (end, len(alias))
            if best is None or key > best[0]:
                best = (key, canon, clause_start + i, clause_start + end, alias)
    # a count written first: 建成10个城市商圈 / 1个500亿级、…开发区(园区)
    after = text[m.end():m.end() + 80]
    after_clause = re.match(r"[^,，。；;]*", after).group(0)
    phrase = re.match(r"[^,，。；;、和及与]*", after).group(0)
    if unit == "亿级":
        phrase = "亿级" + phrase
    count_first = None
    for alias, canon in ctx.indicators:
        i = phrase.find(alias)
        if i >= 0 and (i <= 3 or (m.group("unit") or "").strip() in ("个", "家", "所", "条", "座", "处", "项")):
            if count_first is None or len(alias) > len(count_first[4]):
                count_first = (None, canon, m.end() + i, m.end() + i + len(alias), alias)
    if count_first is None and after[len(phrase):len(phrase) + 1] == "、":
        # 1个500亿级、1个300亿级、3个100亿级开发区(园区): the last item carries the head
        items = re.split(r"、", after_clause)
        last = re.sub(r"^[\d.]+\s*" + UNIT, "", items[-1]) if len(items) > 1 else ""
        for k in range(len(last)):
            canon = _vocab_exact(phrase + last[k:], ctx)
            if canon:
                count_first = (None, canon, m.end(), m.end() + len(phrase), phrase + last[k:])
                break
    if count_first and (best is None or best[3] < m.start() - 12 or (m.group("unit") or "").strip() in
                        ("个", "家", "所", "条", "座", "处", "项", "户", "万户", "辆")):
        return count_first[1:]
    if best:
        return best[1:]
    return None


# the opening of a plan's headline goal: 经过5年的努力, / 通过三年努力, — it governs the sentence's
# figures (常住人口城镇化率接近70%), whose year is the plan period's end
HEAD_SPAN = re.compile(r"^[\s—–\-]*(?:经过|通过|用)\s*[一二三四五六七八九十两\d]+\s*年(?:左右)?(?:的)?(?:时间|不懈)?(?:的)?努力")
# words for a population's kind that make another quantity of it (城镇常住人口 is not 常住人口)
KIND_OF_PEOPLE = ("城镇", "农村", "乡村", "城区", "户籍", "城市")
# 占全省城镇常住人口的45%左右: a share of the quantity written after 占
SHARE = re.compile(r"占(?!比)\s*(?P<x>[^,，;；。、的]{2,20}?)\s*(?:的)?\s*(?:比重|比例)?\s*(?:为|达到|达|提高到|提升至)?\s*$")


# a clause that opens with a verb of action is a task, not a list of places
VERB_LED = re.compile(r"^(?:加强|推进|推动|深入|实施|建立|完善|新建|改建|改造|提升|培育|开展|加快|支持|鼓励|引导|促进|强化|健全|"
                      r"构建|打造|发展|落实|坚持|优化|统筹|做好|全面|积极|着力|深化|创新|保障|保护|治理|整治|规范|扩大)")


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence (up to 。 ! ?, as validation reads it) holding ``at`` begins."""
    return max(text.rfind(ch, 0, at) for ch in S.SENTENCE_END + "\n") + 1


def _note_skip(ctx: Ctx, line: int, text: str, m: re.Match, why: str, doubtful: bool = False) -> None:
    if ctx.skipped is not None:
        ctx.skipped.append((line, text[m.start():m.end()].strip(), why, doubtful,
                            text[max(0, m.start() - 20):m.end() + 4].strip()))


EACH = re.compile(r"(?:均|分别)\s*(?:达到|达|为|提高到|提升至|提升到|保持在|稳定在|控制在|不低于|超过|增长|下降到|降至)?")


def _items(subject: str) -> list[tuple[int, str]]:
    """(offset, item) of a 、-list outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(subject):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif ch == "、" and depth == 0:
            out.append((start, subject[start:i]))
            start = i + 1
    out.append((start, subject[start:]))
    return [(o, it) for o, it in out if it.strip()]


def _vocab_exact(name: str, ctx: Ctx) -> str | None:
    for alias, canon in ctx.indicators:
        if alias == name:
            return canon
    return None


def _listed(text: str, cs: int, m: re.Match, ctx: Ctx):
    """Indicators of a list that shares a figure (A、B、C覆盖率均达100%) or
    takes one each (A、B分别达97%以上、95%以上): [(canonical, start, end, name)], or None."""
    before = text[cs:m.start()]
    hits = list(re.finditer(r"分别|(?<!年)(?<!平)均(?=达|为|保持|稳定|不低于|超过|提高|控制)", before))
    if not hits:
        return None
    pos = hits[-1].start()
    word = hits[-1].group(0)
    em = EACH.match(before, pos)
    if not em:
        return None
    if word == "均" and before[em.end():].strip():
        return None
    index = 0
    if word == "分别":
        rest = before[em.end():]
        if re.search(r"[,，;；。]", rest):
            return None
        index = rest.count("、")
    subject = YEAR_PHRASE.sub(lambda y: " " * len(y.group(0)), before[:pos])
    items = _items(subject)
    if len(items) < 2:
        return None
    head = items[-1][1].strip()
    found = []
    for off, item in items:
        item_s = item.strip()
        lead = len(item) - len(item.lstrip())
        canon = _vocab_exact(item_s, ctx)
        name = item_s
        if canon is None and item is not items[-1][1]:
            for k in range(1, len(head)):
                cand = item_s + head[-k:]
                canon = _vocab_exact(cand, ctx)
                if canon:
                    name = cand
                    break
        if canon is None:
            for alias, c in ctx.indicators:
                if alias in item_s:
                    canon, name = c, alias
                    break
        a = cs + off + lead
        found.append((canon, cs + items[0][0], a + len(item_s), name) if canon else None)
    if word == "分别":
        if index >= len(found):
            return None
        one = found[index]
        return [one] if one else None
    return found if all(found) else None


_VERBS = (r"(?:力争|确保|争取|努力|累计|全面|全部|基本|完成|实施|建设|改造|新建|建成|实现|打造|新增|增加|提高|提升|"
          r"达到|达|为|其中|合计|共计|共|到|至|较|比|年|超过|不低于|不少于|保持在|稳定在|控制在)")


def _elliptic(clause: str) -> bool:
    """A clause that names no quantity of its own: a place and verbs
    (其中:六枝特区完成建设改造65公里), or verbs only (较2024年提高5个百分点):
    it measures what its sentence names."""
    c = YEAR_PHRASE.sub("", clause)
    c = re.sub(r"[,，、:：;；\s]", "", c)
    c = re.sub(r"^[\u4e00-\u9fff()（）]{1,12}?(?:特区|新区|高新区|城区|区|县|市|州|镇|乡)(?=" + _VERBS + r"|$)", "", c)
    return not re.sub(_VERBS, "", c)


COUNT_UNITS = ("个", "家", "所", "条", "座", "处", "项", "部", "辆", "套")


def _nameable(name: str) -> bool:
    """A proposed indicator name that names something: two ideographs or
    more, balanced brackets and quotes, not a bare verb or place."""
    if len(re.findall(r"[\u4e00-\u9fff]", name)) < 2:
        return False
    for a, b in ("()", "（）", "“”", "《》"):
        if name.count(a) != name.count(b):
            return False
    if re.search(r"(?:建成|具备|实现|达到|建设|完成|形成|设置|打造|培育)$", name):
        return False
    # a place's name (盘州市, 钟山区) — not 老旧小区, a thing whose word ends so
    return not re.fullmatch(r"[\u4e00-\u9fff]{1,10}(?:市|(?<!小)区|县|镇|特区)", name)


def _subject(text: str, clause_start: int, at: int, end: int | None = None, unit: str | None = None) -> str:
    """The words before the figure that name what it measures (for a proposal);
    when there are none, those after it (70%以上乡镇卫生院达到基本标准), and
    for a count the thing counted (建成1个以上托育机构)."""
    s = text[clause_start:at]
    if end is not None and unit in COUNT_UNITS and re.search(
            r"(?:建成|建设|打造|培育|新建|具备|设置|引进|开通|形成|创建)\s*(?:至少|不少于)?$", s):
        after = re.match(r"[^,，。；;]*", re.sub(r"^\s*(?:以上|左右|多)", "", text[end:])).group(0)
        after = after.rsplit("的", 1)[-1]
        if after:
            return after.strip()[:16]
    if end is not None and not re.sub(r"(?:到|至)?\s*(?:19|20)\d{2}\s*年|[,，、\s]|全省|全市|力争|确保", "", s):
        after = re.match(r"[^,，。；;]*", text[end:]).group(0)
        after = re.split(r"达到|达|实现|建成|完成|覆盖|需", after)[0]
        return after.strip(" 的")[:16]
    s = YEAR_PHRASE.sub("", s)
    s = re.sub(r"^[,，、\s]*(?:全省|全市|全区|全县|我省|我市)?", "", s)
    s = re.sub(r"(?:力争|确保|争取|努力)?(?:达到|达|提高到|提高至|提升至|提升到|增加到|增至|下降到|降至|降低到|降低至|"
               r"缩小到|缩小至|缩减到|减少到|减少至|压减到|控制在|保持在|稳定在|超过|不低于|不少于|大于|高于|低于|突破|"
               r"完成|累计)+$", "", s)
    s = re.sub(r"^(?:力争|确保|争取|努力|推动|实现|使|将)", "", s)
    # a verb of change or of doing and a time that open or close the words are no part of the quantity's
    # name (拓展县城城区面积1.5平方公里, 人均绿地面积增长1.5平方米, 全年新增保障性住房, 完成农村劳动力培训)
    s = re.sub(r"^(?:全年|当年|今年)", "", s)
    s = re.sub(r"^(?:拓展|扩大|完成|推进|加快)(?=[\u4e00-\u9fff]{2})", "", s)
    s = re.sub(r"(?<=[\u4e00-\u9fff]{2})(?:增长|增加|提高|提升|扩大|减少|下降|降低)$", "", s)
    return s.strip(" ,，、")[-16:]


# a count or length of a thing with what is done to it before it (改造城镇老旧小区30个, 整治背街小巷20条): named
# as the vocabulary names such quantities, the thing first (背街小巷改造, 老旧小区改造)
VERB_OBJECT = re.compile(r"^(?P<verb>改造|整治|修缮|更新改造|建设改造|建设)(?P<obj>[\u4e00-\u9fff()（）、]{2,14})$")
# a verb of increase right before a figure in a unit of its own (增长1.5平方米; 增长10% and 提高到 are no
# amount added), or opening the clause before the quantity's name (拓展县城城区面积1.5平方公里)
CHANGE_BEFORE = re.compile(r"(?:增长|增加|提高|提升|扩大|拓展)\s*$")
CHANGE_LEAD = re.compile(r"(?:拓展|扩大)")
# words that open a clause before what it is about: 其中:, 力争, 推动…
CLAUSE_LEAD = re.compile(r"^(?:其中|另外|同时|此外)?[:：,，\s]*(?:力争|确保|争取|努力|推动|实现|支持|推进|引导|使|将|要)*")
# the places, zones and groups a scope may name as a whole, and a part or class of the region
# (县城, 城区, 乡村: the documented non-place scopes of data/places.yaml), never a word of an indicator
SCOPE_GENERIC = GENERIC_PLACES - {"县城", "城区", "乡村"}
# things a figure counts whose names end as a place's does (老旧小区, 棚户区, 城中村): never a scope
NOT_A_SCOPE = re.compile(r"(?:小区|社区|街区|景区|校区|厂区|矿区|库区|辖区|棚户区|城中村|村庄|行政村|自然村|乡镇|建制镇|"
                         r"镇村|小城镇|特色小镇|城镇|城市|地区)$")


def _bare(words: str) -> str:
    """A clause's words without its year phrase and the words that lead it (其中:, 力争…)."""
    words = YEAR_PHRASE.sub("", words).strip(" ,，、:：;；")
    return CLAUSE_LEAD.sub("", words).strip(" ,，、:：")


def clause_scope(words: str) -> str | None:
    """The place, zone, group, part or class a clause's words before its
    indicator (or its figure) name as what the figure is of: the longest
    opening of them that ends as a place's name does (…区, …县, …城区,
    …都市圈, …(市、区)) and is followed by nothing, a verb or 的
    (六枝特区完成…, 市中心城区|常住人口, 成都都市圈|城镇常住人口); after 全市/全省
    what follows is the scope (全市县城… → 县城), and 全市 alone is the region's
    (no scope).  None when the words name none."""
    w = _bare(words)
    whole = WHOLE.match(w)
    if whole:
        w = w[whole.end():].lstrip("的")
    best = None
    for k in range(2, min(len(w), 24) + 1):
        head, rest = w[:k], w[k:]
        if not PLACE_END.search(head) or head in SCOPE_GENERIC or NOT_A_SCOPE.search(head) or GOAL_VERB.search(head) \
                or VERB_LED.match(head) \
                or re.search(r"[,，;；:：\d]", head) or head.count("(") + head.count("（") != \
                head.count(")") + head.count("）"):
            continue
        if rest and not (re.match(r"的|要|" + _VERBS, rest) or GOAL_VERB.match(rest) or rest in KIND_OF_PEOPLE):
            continue
        best = head
    return best


def alias_place(alias: str, canon: str) -> str | None:
    """The place an indicator's name as written opens with, when the rest
    is the canonical name or its end (市中心城区人口 of 常住人口: 市中心城区)."""
    for k in range(len(alias) - 2, 1, -1):
        head, rest = alias[:k], alias[k:]
        if canon.endswith(rest) and clause_scope(head) == head and not WHOLE.match(head):
            return head
    return None


def sentence_subject(text: str, s0: int, cs: int, ctx: Ctx) -> str | None:
    """The place the sentence is about, written before the first indicator
    of its first clause that is more than a year phrase (到2028年底,成都都市圈
    城镇常住人口接近2400万,占…: 成都都市圈) — for a later clause of the
    sentence that names no place and no indicator's place of its own; a list
    of places (绵阳、宜宾—泸州…乐山常住人口城镇化率…) as written."""
    at = s0
    pieces = list(re.finditer(r"[^,，;；:：]+", text[s0:cs]))
    if pieces and s0 + pieces[-1].end() == cs and _bare(pieces[-1].group(0)):
        at = s0 + pieces[-1].start()  # the figure is an item after 、 of a clause (钟山区…90%左右、城镇人口…): that clause's
    else:
        for piece in pieces:
            if _bare(piece.group(0)):
                at = s0 + piece.start()
                break
        else:
            return None
    if at >= cs:
        return None  # the target's own clause is the sentence's first: its own words said it
    # the first clause, to its comma — or to the target's own clause when that is an item after it (…左右、城镇化率达69%)
    clause = text[at:min([i for i in (text.find(c, at, cs) for c in ",，;；:：") if i >= 0] or [cs])]
    starts = sorted({i for i in (clause.find(a) for a, _ in ctx.indicators) if i > 0})
    if not starts:
        return None
    # the words before an indicator's name that read as a place (黔中|城市群… is not: 黔中城市群|常住人口 is)
    words = next((clause[:i] for i in reversed(starts) if clause_scope(clause[:i])), clause[: starts[0]])
    got = clause_scope(words)
    if got in GENERIC_PLACES:
        return None  # 城区绿化覆盖率…, 县城…: a part or class the first figure's name may hold, not the sentence's place
    if got is None:
        items = [x for x in re.split(r"[、和及与]", _bare(words)) if x]
        if len(items) >= 2 and (len(items[0]) <= 4 or PLACE_END.search(items[0])) \
                and re.search(r"市|州|县|区|城市|都市圈|城市群|中心", items[-1]) and not re.search(r"\d", words) \
                and not VERB_LED.match(_bare(words)) and not WHOLE.match(_bare(words)) and len(_bare(words)) <= 40:
            got = _bare(words)
    return got


def extract(text: str, ctx: Ctx, line: int) -> list[dict]:
    """The targets a record's text sets."""
    out: list[dict] = []
    # the year that governs the record as a whole (a year opening the paragraph, or
    # its section's goal paragraph): the caller's reading, as data-format.md defines it
    para_year = ctx.year
    sentence_at: dict[int, int] = {}  # id(target) -> where its sentence (to the 。) starts
    for s0, s1 in sentences(text):
        for m in VALUE.finditer(text, s0, s1):
            if _is_year(text, m):
                continue
            unit = (m.group("unit") or "").strip() or None
            v = m.group("v")
            before1 = text[m.start() - 1] if m.start() > 0 else ""
            after1 = text[m.end()] if m.end() < len(text) else ""
            if before1 in "第" or before1.isascii() and before1.isalnum() or after1.isascii() and after1.isalpha():
                _note_skip(ctx, line, text, m, "an ordinal or part of a code (第N, N号, PM2.5)")
                continue
            if re.match(r"\s*(?:号|届|次|期|轮|批次|号线|线|级|类|大|项目|周年|型)", text[m.end():m.end() + 3]) and unit is None:
                _note_skip(ctx, line, text, m, "a name or an ordinal (N号, N届, N期, N级…)")
                continue
            if unit == "年" and not re.search(r"年限|寿命|期限", text[max(s0, m.start() - 12):m.start()]):
                _note_skip(ctx, line, text, m, "a span of years (经过5年, 三年内), not a quantity")
                continue
            if unit == "岁" and not re.search(r"寿命", text[max(s0, m.start() - 12):m.start()]):
                _note_skip(ctx, line, text, m, "an age that says who (3岁以下婴幼儿), not how much")
                continue  # 3岁以下婴幼儿, 65岁及以上老年人: who, not how much
            if unit in ("分钟", "小时", "天") and (re.match(r"[\u4e00-\u9fff]", text[m.end():m.end() + 1])
                                                or text[max(0, m.start() - 1):m.start()] in "“\""):
                _note_skip(ctx, line, text, m, "part of a name (15分钟生活圈)")
                continue  # 15分钟生活圈: a name
            if unit is None and not m.group("q") and not m.group("v2"):
                _note_skip(ctx, line, text, m, "a bare number: no unit, qualifier or range")
                continue
            if unit == "万" and not m.group("q") and not re.search(r"人口|人", text[max(s0, m.start() - 10):m.start()]):
                _note_skip(ctx, line, text, m, "N万 of nothing the text names (no 人口 before it)", doubtful=True)
                continue
            if unit == "亿级" and text[max(0, m.start() - 1):m.start()] == "个":
                _note_skip(ctx, line, text, m, "a class (1个500亿级园区), counted by the number before it")
                continue  # 1个500亿级(园区): a class, counted by the 1
            if unit == "亿级" and not re.match(r"\s*(?:园区|开发区|产业|集群|企业)", text[m.end():m.end() + 4]):
                _note_skip(ctx, line, text, m, "a class (N亿级) of no park or industry")
                continue
            if re.search(r"(?:年产|日处理|年处理|日产|装机|容量|规模为|总投资)\s*$", text[max(s0, m.start() - 4):m.start()]):
                _note_skip(ctx, line, text, m, "a project's specification (年产, 装机, 总投资…)")
                continue  # a project's specification
            # the clause: back to the previous comma/semicolon, but keep a subject the
            # clause leaves out (…常住人口达到100万左右,建成区面积达95平方公里)
            cs = max(text.rfind(c, s0, m.start()) for c in ",，;；:：") + 1
            cs = max(cs, s0)
            clause = text[cs:m.start()]
            # what makes it a goal: a goal verb in its clause, a year clause in its sentence (to the
            # 。: 到2028年底,A…;B… governs B too), a comparator word right before it (接近70%), or a
            # headline's span (经过5年的努力,…常住人口城镇化率接近70%)
            full = _sentence_start(text, m.start())
            goal = GOAL_VERB.search(clause) or re.search(r"(?:到|至)\s*(?:19|20)\d{2}\s*年", text[full:m.start()]) \
                or any(clause.rstrip().endswith(q) for q in S.PREFIX_QUALIFIERS) or HEAD_SPAN.match(text[full:])
            if not goal:
                _note_skip(ctx, line, text, m, "no goal verb (达到, 提高到, 新增…), year (到2028年) or comparator "
                           "(超过, 接近…) governs it", doubtful=True)
                continue
            earlier = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", S.TITLE_SPAN.sub("", text[full:m.start()]))]
            if earlier and max(earlier) < ctx.period[0] and not GOAL_YEAR.search(text[full:m.start()]):
                _note_skip(ctx, line, text, m, f"in a sentence about {max(earlier)}年, before the plan's period: the past")
                continue  # 2013年我省城镇化率为48.87%,低于53.73%的全国城镇化率
            if re.search(r"以来", text[full:m.start()]) and not re.search(r"(?:到|至)\s*(?:19|20)\d{2}\s*年",
                                                                      text[full:m.start()]):
                _note_skip(ctx, line, text, m, "what has been done since (…以来): a figure of the past")
                continue
            if re.search(r"(?:由|从)\s*(?:(?:19|20)\d{2}\s*年(?:底|末)?\s*的?)?\s*$", clause):
                _note_skip(ctx, line, text, m, "the baseline of 由X提高到Y")
                continue  # 由X提高到Y: X is the baseline
            qualifier, comparator, aw_start, aw_end = _qualifier(text, m, cs)
            year, implied, ystart = _governing_year(text, s0, m.start(), para_year, ctx.period)
            if year is not None and year < ctx.period[0]:
                _note_skip(ctx, line, text, m, f"a figure of the past ({year}年, before the plan's period)")
                continue  # a figure of the past (2020年全市…达48.87%)
            listed = _listed(text, cs, m, ctx)
            cs0 = cs  # the clause before a list of figures: its verb governs every figure
            # a list of figures (…65公里、盘州市完成建设改造20公里): each item is a clause
            prev = None
            for pm in VALUE.finditer(text, cs, m.start()):
                prev = pm
            if prev is not None and text[prev.end():prev.end() + 1] == "、":
                cs = prev.end() + 1
            # the clause names what the figure measures; only a clause that names
            # nothing (…达到65%、较2024年提高5个百分点) borrows the sentence's subject
            own = _indicator(text, cs if cs > s0 else s0, m, ctx, unit)
            if own is None and _elliptic(text[cs:m.start()]):
                own = _indicator(text, s0, m, ctx, unit)
            # 占全省城镇常住人口的45%左右: the share of what the sentence's figure before it measures
            share = SHARE.search(text[cs:m.start()]) if unit in ("%", "％") and not listed and (
                own is None or not S.units_agree("%", ctx.units.get(own[0]), "level")) else None
            share_of = None
            if share:
                subject = next((t for t in reversed(out) if sentence_at.get(id(t)) == full and t.get("value") is not None
                                and "占" not in t.get("indicator", "")), None)
                x = share.group("x").strip()
                name = f"{subject['indicator']}占{x}比重" if subject else f"占{x}比重"
                own = (_vocab_exact(name, ctx) or name, None, None, name)
                share_of = (subject, name)
            inds = listed or [own]
            for ind in inds:
                value = _num(v)
                value_max = _num(m.group("v2")) if m.group("v2") else None
                if value_max is not None and value_max < value:
                    continue
                as_written = text[aw_start:aw_end].strip()
                t: dict = {}
                review = []
                counted_as = kind = None
                if ind:
                    canon, i0, i1, alias = ind
                    t["indicator"] = canon
                    # 城镇常住人口 is another quantity than 常住人口: the kind written before a count of people
                    kind = next((k for k in KIND_OF_PEOPLE if i0 is not None and i0 - len(k) >= cs
                                 and text[i0 - len(k):i0] == k), None) if ctx.units.get(canon) in ("万人", "人") else None
                    if kind and not alias.startswith(kind):
                        name = kind + canon
                        known = _vocab_exact(name, ctx) or _vocab_exact(kind + alias, ctx)
                        t["indicator"] = known or name
                        if not known:
                            t["_new_indicator"] = name
                            review.append(f"indicator {name!r} ({kind} + {canon}, a quantity of its own) is not in the "
                                          "vocabulary: proposed as a new one")
                        counted_as = canon  # its unit is the count's (万人)
                        canon, alias, i0 = t["indicator"], kind + alias, i0 - len(kind)
                else:
                    canon = _subject(text, cs, m.start(), m.end(), unit)
                    if not _nameable(canon):
                        # a figure whose quantity the text does not name in words we can take:
                        # not a target we can state; the record is flagged with it
                        out.append({"_unnamed": text[aw_start:m.end()].strip(), "line": line,
                                    "quote": text[max(s0, m.start() - 30):m.end()].strip()})
                        continue
                    vo = VERB_OBJECT.match(canon) if unit not in ("%", "％") else None
                    if vo:  # 改造城镇老旧小区30个: the thing and what is done to it, as the vocabulary names it
                        canon = vo.group("obj") + vo.group("verb")
                    known = _vocab_exact(canon, ctx)
                    if known:
                        ind, i0, i1 = (known, None, None, canon), None, None
                        t["indicator"] = known
                        alias = canon
                        canon = known
                    else:
                        t["indicator"] = canon
                        t["_new_indicator"] = canon
                        review.append(f"indicator {canon!r} is not in the vocabulary: proposed as a new one")
                        i0 = i1 = None
                declared = ctx.units.get(t["indicator"]) or (ctx.units.get(counted_as) if counted_as else None)
                if unit == "万" and declared and declared.startswith("万"):
                    unit = declared
                elif unit in ("%", "％"):
                    unit = "%"
                if unit == "个百分点" or unit == "百分点":
                    unit = "个百分点"
                if unit == "亿级":  # 500亿级园区: a scale of 500亿元 (no qualifier is written)
                    unit = "亿元"
                t["value"] = int(value) if value.is_integer() else value
                t["value_max"] = (int(value_max) if value_max is not None and value_max.is_integer() else value_max)
                t["unit"] = unit
                t["as_written"] = as_written
                t["qualifier"] = qualifier
                t["comparator"] = comparator
                near = text[max(cs0, m.start() - 12):m.start()]
                canon_name = t["indicator"]
                if re.search(r"年均|每年平均|年平均", near):
                    t["basis"] = "annual_growth"
                elif re.search(r"(?:新增|增加|新建)[^,，。]{0,10}$", near) and not re.search(r"新增|新建|增加", canon_name):
                    t["basis"] = "increase"
                elif re.search(r"提高|提升|增长", near) and unit == "个百分点":
                    t["basis"] = "increase"
                elif unit not in (None, "%", "％") and (CHANGE_BEFORE.search(near) or CHANGE_LEAD.match(
                        CLAUSE_LEAD.sub("", YEAR_PHRASE.sub("", text[cs:m.start()]).strip(" ,，")))):
                    t["basis"] = "increase"  # 增长1.5平方米, 拓展县城城区面积1.5平方公里: an amount added
                elif re.search(r"减少|下降|降低", near) and unit == "个百分点":
                    t["basis"] = "decrease"
                else:
                    t["basis"] = "level"
                t["year"] = year
                t["year_implied"] = implied
                base = re.search(r"由\s*(?:(?P<by>(?:19|20)\d{2})\s*年(?:底)?的?)?\s*(?P<b>" + NUM + r")", text[cs:m.start()])
                comp = re.search(r"(?:较|比)\s*(?P<by>(?:19|20)\d{2})\s*年", text[cs:m.start()])  # its own clause only
                t["baseline"] = None
                t["baseline_as_written"] = None
                t["baseline_year"] = None
                if base:
                    bv = _num(base.group("b"))
                    t["baseline"] = int(bv) if bv.is_integer() else bv
                    t["baseline_as_written"] = base.group("b")
                    t["baseline_year"] = int(base.group("by")) if base.group("by") else None
                elif comp:
                    t["baseline_year"] = int(comp.group("by"))
                if t["baseline_year"] and year and t["baseline_year"] > year:
                    t["baseline_year"] = None
                t["cumulative"] = bool(m.group("open") and m.group("close"))  # settled by settle()
                # the quote: the clause, from the year phrase that leads it when no other
                # figure comes between (到2025年,全市常住人口城镇化率…)
                qs = cs
                if ystart is not None and s0 <= ystart < cs and not any(
                        not _is_year(text, pm) for pm in VALUE.finditer(text, ystart, cs)) and cs - ystart <= 40:
                    qs = ystart
                quote = text[qs:aw_end].strip(" ,，")
                t["quote"] = quote
                t["line"] = line
                before_name = ind and i0 is not None and cs <= i0 <= m.start()  # (a count's name follows its figure)
                own_words = text[cs:i0] if before_name else text[cs:m.start()]
                scope = clause_scope(own_words)
                if scope is None and before_name and kind:
                    # 盘州城区|人口 read as 盘州|城区常住人口: the kind ends the place's name
                    scope = clause_scope(text[cs:i0 + len(kind)])
                if scope is None and ind and alias != canon:
                    scope = alias_place(alias, canon)
                named = _bare(own_words)
                if scope is None and named and not _elliptic(named):
                    t["_scope_words"] = named  # words of its own before the indicator: read with the vocabulary
                elif scope is None and not WHOLE.match(_bare(text[cs:m.start()])) \
                        and not re.match(r"城市|县城|城区|乡村|农村", _bare(text[cs:m.start()])):
                    # (a subject no vocabulary reads is proposed and flagged by ingest/places.py)
                    scope = sentence_subject(text, s0, cs, ctx)
                t["scope"] = scope
                t["aspiration"] = None  # settled by settle()
                if share_of:
                    subject, name = share_of
                    if t["indicator"] == name and name not in ctx.units:
                        t["_new_indicator"] = name
                        review.append(f"indicator {name!r} (a share: 占…的N%) is not in the vocabulary: proposed as a new one")
                    if scope is None and subject is not None and subject.get("scope"):
                        scope = subject["scope"]  # 成都都市圈城镇常住人口接近2400万,占全省城镇常住人口的45%左右
                        t["scope"] = scope
                if scope is None:
                    # 绵阳、宜宾—泸州…乐山常住人口城镇化率…,城镇常住人口1700万左右: the places that open the
                    # sentence may be whose figure it is
                    opening = re.match(r"[^,，:：]*", text[s0:]).group(0)
                    first = opening.split("、")[0].strip()
                    if cs > s0 + len(opening) and "、" in opening and not re.search(r"\d", opening) \
                            and (len(first) <= 4 or PLACE_END.search(first)) and not VERB_LED.match(first) \
                            and re.search(r"市|州|县|区|城市|都市圈|城市群|中心", opening) and not WHOLE.match(opening):
                        review.append(f"scope: the sentence opens with “{opening[:24]}”: are its figures theirs? "
                                      "(set scope if so)")
                t["aspiration"] = None  # settled by settle()
                if review:
                    t["review"] = "; ".join(review)
                sentence_at[id(t)] = full
                out.append(t)
    return out


# --------------------------------------------------------------------------- indicator tables

YEAR_COL = re.compile(r"^((?:19|20)\d{2})\s*年?(?:底|末)?$")
UNIT_IN_NAME = re.compile(r"[(（]([^()（）]{1,12})[)）]\s*$")


def cells_of(parts: list[str]) -> list[tuple[str, int]]:
    """The cells of a table's lines, in order, with their line offset."""
    out = []
    for k, line in enumerate(parts):
        for cell in line.split("|"):
            c = cell.strip(" \u3000")
            if c:
                out.append((c, k))
    return out


def table_targets(parts: list[str], first_line: int, ctx: Ctx) -> list[dict]:
    """Targets of an indicator table (序号 | 指标 | base year | target year)."""
    cells = cells_of(parts)
    # the header: cells up to the first row number "1"
    header = []
    i = 0
    while i < len(cells) and cells[i][0] not in ("1", "1."):
        header.append(cells[i][0])
        i += 1
    if not header or i >= len(cells):
        return []
    years = [(k, int(YEAR_COL.match(h).group(1))) for k, h in enumerate(header) if YEAR_COL.match(h)]
    if not years:
        return []
    ncols = len(header)
    seq_col = next((k for k, h in enumerate(header) if "序号" in h), None)
    name_col = next((k for k, h in enumerate(header) if "指标" in h or "名称" in h), None)
    unit_col = next((k for k, h in enumerate(header) if h in ("单位", "计量单位")), None)
    if seq_col is None or name_col is None:
        return []
    target_col, target_year = years[-1]
    base = years[0] if len(years) > 1 else None
    out = []
    rows: list[list[tuple[str, int]]] = []
    cur: list[tuple[str, int]] = []
    expect = 1
    while i < len(cells):
        c, k = cells[i]
        if c == str(expect) or c == f"{expect}.":
            if cur:
                rows.append(cur)
            cur = [(c, k)]
            expect += 1
        elif cur:
            cur.append((c, k))
        i += 1
    if cur:
        rows.append(cur)
    for row in rows:
        # columns after the row number; a category column before it is not repeated
        vals = row[1:]
        offset = seq_col + 1
        get = {}
        for j, (c, k) in enumerate(vals):
            col = offset + j
            if col < ncols:
                get[col] = (c, k)
        if name_col not in get or target_col not in get:
            continue
        name, nk = get[name_col]
        tv, tk = get[target_col]
        if re.search(r"注\s*[:：]", tv):
            continue
        um = UNIT_IN_NAME.search(name)
        unit = um.group(1) if um else (get[unit_col][0] if unit_col is not None and unit_col in get else None)
        ind_name = UNIT_IN_NAME.sub("", name).strip()
        m = VALUE.search(squash(tv))
        if not m:
            continue
        tvs = squash(tv)
        canon = None
        for alias, cn in ctx.indicators:
            if alias == ind_name:
                canon = cn
                break
        if canon is None:
            for alias, cn in ctx.indicators:
                if ind_name.endswith(alias) or alias in ind_name:
                    canon = cn
                    break
        t: dict = {"indicator": canon or ind_name}
        review = None
        if canon is None:
            t["_new_indicator"] = ind_name
            review = f"indicator {ind_name!r} is not in the vocabulary: proposed as a new one"
        value = _num(m.group("v"))
        v2 = _num(m.group("v2")) if m.group("v2") else None
        q = (m.group("q") or "").strip() or None
        t["value"] = int(value) if value.is_integer() else value
        t["value_max"] = (int(v2) if v2 is not None and v2.is_integer() else v2)
        t["unit"] = unit if unit != "％" else "%"
        t["as_written"] = tv.strip()
        t["qualifier"] = q if not v2 else None
        t["comparator"] = "range" if v2 is not None else S.QUALIFIERS.get(q or "", "eq")
        # a yearly growth: 年均 in the row (its indicator 城镇…收入年均增长率(%), or its cell 年均增长…)
        t["basis"] = "annual_growth" if S.GROWTH.search(name + tv) or re.search(r"每年", tv) else "level"
        if t["basis"] == "annual_growth" and "百分点" in tvs:
            t["unit"] = "个百分点"
        t["year"] = target_year
        t["year_implied"] = False
        t["baseline"] = None
        t["baseline_as_written"] = None
        t["baseline_year"] = None
        if base and base[0] in get:
            bc = get[base[0]][0]
            bm = VALUE.search(squash(bc))
            if bm:
                bv = _num(bm.group("v"))
                t["baseline"] = int(bv) if bv.is_integer() else bv
                t["baseline_as_written"] = bc.strip()
                t["baseline_year"] = base[1]
        t["cumulative"] = bool(m.group("open") and m.group("close"))
        t["quote"] = "\n".join(parts[nk: tk + 1])
        t["line"] = first_line + nk
        # the indicator's place: 市中心城区常住人口 → 市中心城区
        t["scope"] = None
        for alias, cn in ctx.indicators:
            if cn == t["indicator"] and ind_name.endswith(cn) and ind_name != cn:
                lead = ind_name[: -len(cn)]
                if PLACE_END.search(lead) and not WHOLE.match(lead):
                    t["scope"] = lead
                break
        if review:
            t["review"] = review
        out.append(t)
    return out


# --------------------------------------------------------------------------- settling the fields

def paragraph_head(rec: dict) -> str:
    """The year clause a paragraph opens with (到2025年, / 展望到2035年,), which
    governs the whole paragraph — not after a lead phrase, where it opens one
    sentence only (data-format.md, Years)."""
    if rec.get("title"):
        return ""
    return S.head_year(rec["text"])


GOAL_YEAR = re.compile(r"(?:到|至|截至|截止到?)\s*((?:19|20)\d{2})\s*年")


def sentence_of(t: dict, rec: dict, lines: list[str]) -> tuple[str, str, str]:
    """(prefix, context, years_from) of a target as validation reads it: the
    sentence up to the first place its quote is written on its lines, and the
    quote; a table row is read with its table (the column heads' years)."""
    quote = t["quote"]
    if rec["kind"] == "table":
        return "", quote, rec["text"] + "\n" + quote
    piece = quote.split("\n")[0]
    last = max(t["line"], rec.get("line_end", rec["line"]))
    for n in range(max(t["line"], 1), min(last, len(lines)) + 1):
        col = lines[n - 1].find(piece)
        if col >= 0:
            line = lines[n - 1]
            cut = max(line.rfind(ch, 0, col) for ch in S.SENTENCE_END)
            prefix = line[cut + 1:col]
            return prefix, prefix + quote, prefix + quote
    return "", quote, quote


def settle(t: dict, rec: dict, lines: list[str], head: str, period: tuple[int, int],
           units: dict[str, str | None]) -> None:
    """The fields the conventions of data-format.md fix, from the sentence as
    written, by the rules validation checks them with (``text.targets``): the
    year (written, or N年内, or the head of the paragraph or of its
    section's goal paragraph, else the period's end — implied — or none for an
    open-ended commitment), the qualifier (a word of the one qualifier table,
    written there) and its comparator, the basis, whether it is a total, the
    aim word (力争…), the unit against the indicator's unit family, and the
    baseline year.  What extraction read is kept where the sentence allows it."""
    prefix, ctx, years_from = sentence_of(t, rec, lines)
    value, value_max = t.get("value"), t.get("value_max")
    # ---- the year
    ys = S.stated_years(years_from, ctx, head, period[0], t.get("baseline_year"))
    notes = [n for n in (t.get("note") or "").split("; ") if n and not n.startswith("年份")]
    if ys.written:
        if t.get("year") not in ys.written or t.get("year_implied"):
            # the year of a goal (到2028年底) before one that is another clause's base (较2024年)
            goals = [y for y in (int(g) for g in GOAL_YEAR.findall(S.TITLE_SPAN.sub("", years_from))) if y in ys.written]
            t["year"] = (goals or ys.written)[-1]
        t["year_implied"] = False
    elif ys.relative:
        t["year"], t["year_implied"] = ys.relative, True
        notes.append(f"年份据原文“{ys.within.group(0)}”推定 ({period[0]}年起)")
    elif ys.headed:
        t["year"], t["year_implied"] = ys.headed[-1], False
        notes.append(f"年份: 段首或本节目标段“{head.strip(' ,，')}”统领")
    elif value is not None and period[1]:
        t["year"], t["year_implied"] = period[1], True
        notes.append(f"年份据规划期末({period[1]}年)推定")
    elif value is not None:
        t["year"], t["year_implied"] = None, False
        t["review"] = "; ".join(x for x in (t.get("review"), "no year is written and the plan's period is not known: "
                                            "set the year (or the period)") if x)
    else:
        t["year"], t["year_implied"] = None, False
    # ---- qualifier and comparator: one table (text.targets.QUALIFIERS)
    q = t.get("qualifier")
    if q not in S.QUALIFIERS or not S.in_order(q.split("…"), ctx):
        # 维持在…以上: the table's word inside it; 100多: not in the table
        q = next((w for w in (q.split("…") if q else []) if w in S.QUALIFIERS and w in ctx), None)
    in_written = S.qualifier_written(t["as_written"], value)
    if in_written and (q is None or (in_written not in q and q not in in_written)):
        q = in_written
    if value_max is not None:
        q = None if q is None or S.QUALIFIERS.get(q) != "range" else q
    t["qualifier"] = q
    t["comparator"] = S.QUALIFIERS[q] if q else S.comparator_without_qualifier(value, value_max)
    # ---- basis
    basis = t.get("basis") or "level"
    if S.GROWTH.search(t["as_written"]):
        basis = "annual_growth"
    elif not S.basis_written(basis, ctx):
        basis = "level"
    t["basis"] = basis
    if S.PER_YEAR.search(t["quote"]) and basis != "annual_growth":
        notes.append("每年 (a figure per year)")
    # ---- a total: 累计 in the quote, a span in the sentence (N年内, 2022—2025年), [] in a table
    if rec["kind"] == "table":
        t["cumulative"] = S.table_total(t["as_written"])
    else:
        t["cumulative"] = S.total_written(t["quote"], ctx)
    # ---- the aim word that governs it
    t["aspiration"] = S.aspiration_for(prefix, t["quote"])
    if t["aspiration"] is None and re.search(r"[;；]", prefix):
        # a semicolon ends a sentence of its own: 2015年…达到40%;力争经过10年左右的努力,…,到2020年…达到50%
        t["aspiration"] = S.aspiration_for(re.split(r"[;；]", prefix)[-1], t["quote"])
    # ---- the unit: written with the figure, of the indicator's family
    declared = units.get(t["indicator"])
    unit = t.get("unit")
    if value is None:
        unit = None
    elif unit and declared and "/" in declared and unit != declared and \
            S.unit_written(declared, value, t["as_written"], ctx) and \
            S.unit_base(unit) in {S.unit_base(p) for p in declared.split("/")}:
        unit = declared  # 0.04人 of a death rate per 亿元: 人/亿元, as the sentence writes
    elif unit is None and declared and S.unit_written(declared, value, t["as_written"], t["as_written"]):
        unit = declared
    t["unit"] = unit
    # ---- the baseline year: written with the target
    if t.get("baseline_year") is not None and t["baseline_year"] not in S.written_years(years_from):
        t["baseline_year"] = None
    t["note"] = "; ".join(dict.fromkeys(notes)) or None


def unit_fits(t: dict, units: dict[str, str | None]) -> bool:
    """Is the target's unit of its indicator's unit family (when the vocabulary declares one)?"""
    if t.get("unit") is None or t["indicator"] not in units:
        return True
    return S.units_agree(t["unit"], units[t["indicator"]], t.get("basis") or "level")


def refit(t: dict, text: str, ctx: Ctx) -> bool:
    """A figure whose unit is not of its indicator's family (万户 of a count of
    项目): the quantity named nearest before it in the record whose family
    fits the unit written with it.  False when there is none."""
    end = text.find(t["quote"])
    end = len(text) if end < 0 else end + len(t["quote"])
    best = None
    for alias, canon in ctx.indicators:
        declared = ctx.units.get(canon)
        if canon == t["indicator"] or declared is None or not S.units_agree(t["unit"], declared, t.get("basis") or "level"):
            continue
        i = text.rfind(alias, 0, end)
        if i >= 0:
            key = (i + len(alias), len(alias))
            if best is None or key > best[0]:
                best = (key, canon, alias)
    if best is None:
        return False
    t["note"] = "; ".join(x for x in (t.get("note"), f"指标据前文“{best[2]}”(单位与所写单位相符)") if x)
    t["indicator"] = best[1]
    return True


def count_indicator(t: dict, ctx: Ctx) -> bool:
    """A count (1500个) of what the vocabulary measures otherwise (老旧小区改造
    in 万户): the count of it, proposed as a new indicator (…数量)."""
    if t.get("unit") not in S.MEASURE_WORDS:
        return False
    name = re.sub(r"(?:数量|个数)$", "", t["indicator"]) + "数量"
    known = _vocab_exact(name, ctx)
    if known and not S.units_agree(t["unit"], ctx.units.get(known), t.get("basis") or "level"):
        return False
    t["indicator"] = known or name
    if not known:
        t["_new_indicator"] = name
        t["review"] = "; ".join(x for x in (t.get("review"), f"indicator {name!r} (a count in {t['unit']}) is not "
                                            "in the vocabulary: proposed as a new one") if x)
    return True


def per_year(t: dict, ctx: Ctx) -> None:
    """A figure per year (每年新增100万人): its indicator names the year, as
    data-format.md asks (年新培育高新技术企业数量) — the vocabulary's, or a
    proposed one."""
    if not S.PER_YEAR.search(t["quote"]) or t.get("basis") == "annual_growth" or S.names_year(t["indicator"]):
        return
    name = t["indicator"]
    stem = re.sub(r"(?:数量|个数)$", "", name)
    for alias, canon in ctx.indicators:
        if canon.startswith(("年", "每年")) and (stem in alias or stem in canon):
            t["indicator"] = canon
            return
    new = "年" + name
    t["indicator"] = new
    t["_new_indicator"] = new
    t["review"] = "; ".join(x for x in (t.get("review"), f"a figure per year (每年): indicator {new!r} "
                                        "proposed as a new one") if x)


# --------------------------------------------------------------------------- commitments without a figure

# the words of the qualifier table that state, without a figure, that something is done for all:
# full coverage, abolition, elimination
COVERAGE = re.compile(r"基本实现(?P<scope>[^,，;；。]{0,12}?)全覆盖|(?<![健安完齐周保])全覆盖|覆盖全部|连续覆盖|深度覆盖|"
                      r"全面取消|全面消除")
COMPLETE_WORDS = sorted((w for w, c in S.QUALIFIERS.items() if c == "complete" and "…" not in w), key=len, reverse=True)
LEAD_VERBS = re.compile(r"^(?:(?:到|至)\s*(?:19|20)\d{2}\s*年(?:底|末)?(?:前)?\s*)?(?:(?:力争|确保|争取|努力|逐步|加快|有序|稳步|"
                        r"全面|基本|大力|持续|积极|进一步|推动|推进|实现|着力|加强|统筹|深入|完善|健全|构建|建立|建设|"
                        r"拓展|扩大|强化|提升|支持)\s*)*")
JOINED = re.compile(r"^(?:和|及|与|以及|、)")
CLAUSE_SPLIT = re.compile(r"[^,，;；。!！?？]+")


def commitments(text: str, ctx: Ctx, line: int, taken: list[tuple[int, int]]) -> list[dict]:
    """Targets without a figure: a clause that commits to covering everyone,
    abolishing or eliminating something (全覆盖, 覆盖全部, 全面取消, 全面消除…),
    or that names an indicator the vocabulary measures without a unit with
    a word of completion (建成I型小城市).  ``taken``: the spans of the
    record's figures already drafted (their clauses are not read again)."""
    out: list[dict] = []
    blank = {c for c, u in ctx.units.items() if u is None}
    for cm in CLAUSE_SPLIT.finditer(text):
        cs, ce = cm.start(), cm.end()
        clause = text[cs:ce]
        if any(a < ce and b > cs for a, b in taken) or len(squash(clause)) < 4:
            continue
        if any(not _is_year(text, v) and (v.group("unit") or v.group("q"))
               and not re.match(r"[\u4e00-\u9fff]", text[v.end():v.end() + 1]) for v in VALUE.finditer(text, cs, ce)):
            continue  # a clause with a figure is a numeric target's, or none (15分钟生活圈 is a name)
        # a clause may hold two (5G网络城区连续覆盖和重点场所深度覆盖): each from the end of the one before
        covs = list(COVERAGE.finditer(text, cs, ce))
        if covs:
            starts = [cs] + [c.end() for c in covs[:-1]]
            spans = [(a, c) for a, c in zip(starts, covs)]
        else:
            spans = [(cs, None)]
        for part_start, cov in spans:
            part_start += len(JOINED.match(text[part_start:]).group(0)) if JOINED.match(text[part_start:]) else 0
            part_end = cov.end() if cov else ce
            if cov and cov is covs[-1]:
                part_end = ce
            t = _commitment(text, ctx, line, part_start, part_end, cov, blank)
            if t:
                out.append(t)
    return out


def _commitment(text: str, ctx: Ctx, line: int, cs: int, ce: int, cov, blank: set) -> dict | None:
    clause = text[cs:ce]
    known = None
    for alias, canon in ctx.indicators:
        # with a coverage word, a quantity the clause names as what covers (before the word) or
        # what is abolished (written with the word); else one the vocabulary measures without a unit
        at = clause.find(alias)
        if at < 0 or not (cov is not None or canon in blank):
            continue
        if cov is not None:
            a0, a1 = cs + at, cs + at + len(alias)
            abolish = cov.group(0) in ("全面取消", "全面消除")
            if abolish and not (a0 <= cov.start() < a1 or a0 >= cov.end() and a1 >= ce):
                continue  # the head noun of what is abolished (written last) names it; a word inside, a part
            if not abolish and a1 > cov.end():
                continue  # 覆盖全部常住人口: who is covered, not what covers
        known = (alias, canon, cs + at)
        break
    if cov:
        word = "基本实现…全覆盖" if cov.group(0).startswith("基本实现") else cov.group(0)
        w0, w1 = cov.start(), cov.end()
    elif known:
        got = next(((w, clause.find(w)) for w in COMPLETE_WORDS if w in clause), None)
        if got is None:
            return None
        word, at = got
        w0, w1 = cs + at, cs + at + len(word)
    else:
        return None
    t: dict = {}
    if known:
        t["indicator"] = known[1]
        a0, a1 = (w0, w1) if cov and word not in ("全面取消", "全面消除") else \
            (min(w0, known[2]), max(w1, known[2] + len(known[0])))
        if word in ("全面取消", "全面消除"):
            a1 = max(a1, ce)
    else:
        subject = LEAD_VERBS.sub("", text[cs:w0]).strip(" 、")
        after = text[w1:ce].strip(" 、")
        if word == "全面取消":
            name = "取消" + after
        elif word == "全面消除":
            name = after + "消除"
        elif word == "覆盖全部" or not subject:
            return None  # 覆盖全部常住人口: what covers whom needs the vocabulary
        else:
            name = subject + ("覆盖" if word in ("全覆盖", "基本实现…全覆盖") else word)
        if not _nameable(name) or len(name) > 30:
            return None
        t["indicator"] = _vocab_exact(name, ctx) or name
        if t["indicator"] == name and name not in ctx.units:
            t["_new_indicator"] = name
            t["review"] = f"indicator {name!r} (a commitment without a figure) is not in the vocabulary: proposed as a new one"
        a0, a1 = (w0, ce) if word in ("全面取消", "全面消除") else (w0, w1)
    t.update({"value": None, "value_max": None, "unit": None, "as_written": text[a0:a1].strip(),
              "qualifier": word, "comparator": "complete", "basis": "level", "year": None, "year_implied": False,
              "baseline": None, "baseline_as_written": None, "baseline_year": None, "cumulative": False,
              "quote": text[cs:max(a1, w1)].strip(" ,，"), "line": line, "scope": None, "aspiration": None,
              "note": None})
    return t
