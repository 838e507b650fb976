"""Review flags by kind of misreading (issue 24, the fourth round).

:mod:`chengzhen.ingest.flags` checks each field against evidence written for
that field.  Every blind set so far was missed by errors of a few *kinds*
that no field's own check looked for (docs/ingest.md, "fourth round"):

=====================================  ==============================================================
kind of misreading                     the check here
=====================================  ==============================================================
a value that follows from another      :func:`inherited` — the level follows the region, a target's
field in doubt                         implied year the period's end: in doubt when that field is
a value read from another document     :func:`check_cited_values` — the period's years, the date of
(a cited plan's years, date or 文号)    issue or the 文号 written in the source only inside the title
                                       of a document the text cites (《…》 that is not the plan's
                                       name) or in the brackets after it
a number in an unusual form, read      :func:`check_figure_spans` — a target's figure as drafted is
in part, from another line, or not     written on its line; it is no piece of a longer number
at all                                 (1，700 read as 700; 65．5 as 5; 12万5千 as 12万); its value is
                                       the number it writes. :func:`check_spelled_figures` — a goal
                                       spelled in Chinese numerals (百分之六十五, 三十五万人) with no
                                       target drafted from it
a place read too wide, or another      :func:`check_number_place` — the plan's own 文号 says whose
place                                  government issued it: a province's abbreviation (晋政发, 川府发)
                                       names the province the region lies in; a city's or county's
                                       (泸市府发, 榕政规, 临政办发) says the region is no province
a figure that is no quantity           :func:`check_not_quantities` — a drafted target whose figure
                                       is a name in quotation marks, a year, a span of years or an
                                       anniversary, or a bare number run into words (a page number)
the page around the plan read as the   (fifth round, frozen7's kinds) :func:`check_headline_targets` —
plan: a headline repeated, a           a target on a line repeating the page's headline (原标题:);
notice's items, a preamble skipped,    :func:`check_restarted_numbering` — headings whose numbering
a cited notice's issuer                restarts after a 落款 date or the plan's title (a notice's own
                                       items); :func:`check_skipped_goals` — a goal with a figure in
                                       a skipped line that opens as a preamble (为贯彻落实…);
                                       :func:`check_cited_notice_issuer` — no issuer, while a line
                                       before the body cites 《X关于印发…的通知》
a year's plan read as several years    :func:`check_one_year_period` — a period of several years
                                       while the title or name states one year's 工作重点/工作计划;
                                       the targets' implied years at its end with it
=====================================  ==============================================================

Each check only asks (a ``review:`` note) and says why, in words a curator
reads in ``cz review`` (English templates marked for the catalogue, said in
the reader's language).  The checks take the evidence object of
:mod:`chengzhen.ingest.flags` (the draft, its cleaned source lines, squashed).
"""

from __future__ import annotations

import re

from chengzhen.kb.messages import N_
from chengzhen.ingest import targets as T
from chengzhen.text import gongwen as G
from chengzhen.text.normalize import squash
from chengzhen.text.numerals import value_in

NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
CN_NUMERAL = "零〇一二两三四五六七八九十百千"
# a clause that sets a goal (also what flags.py counts as one)
GOAL = re.compile(r"(?:到|至)\s*(?:19|20)\d{2}\s*年|力争|确保|达到|提高到|提高至|提升到|提升至|增加到|增长到|新增|超过|不低于|不少于|"
                  r"控制在|保持在|缩小到|缩小至|降低到|降至|突破|建成|完成|实现|累计|年均|每年|目标")
CITATION = re.compile(r"《([^《》]{2,120})》(\s*[(（][^()（）]{1,40}[)）])?")


# --------------------------------------------------------------------------- shared with flags.py

# a line alone that is a date written as digits run together (2021416): a copy that lost its 年月日
COMPACT_DATE = re.compile(r"^((?:19|20)\d{2})(\d{3,4})$")


def issuer_parts(issuer: str) -> list[str]:
    """The bodies of a (joint) issuer, as written: 甲、乙 → [甲, 乙]."""
    return [p for p in re.split(r"[、,，;；\s]+", issuer or "") if p]


def date_alone(s: str) -> tuple[int, int, int] | None:
    s = s.replace("○", "〇").replace("O", "〇")
    m = G.DATE.fullmatch(s)
    if m:
        return G.date_parts(m)
    m = COMPACT_DATE.match(s)
    if m:
        y, rest = int(m.group(1)), m.group(2)
        got = {(y, int(rest[:i]), int(rest[i:])) for i in (1, 2) if 0 < i < len(rest)}
        got = {g for g in got if 1 <= g[1] <= 12 and 1 <= g[2] <= 31 and len(str(g[2])) == len(rest) - len(str(g[1]))}
        if len(got) == 1:
            return got.pop()
    return None


def same_title(name: str, title: str) -> bool:
    """Are ``name`` and ``title`` one document's title (a place before it, or brackets, aside)?"""
    def norm(x: str) -> str:
        return squash(x).translate(str.maketrans({"-": "—", "–": "—", "―": "—", "~": "—", "～": "—", "（": "(", "）": ")"}))
    a, b = norm(name), norm(title)
    return a == b or a.endswith(b) or b.endswith(a) or strip_place(a) == strip_place(b)


def strip_place(s: str) -> str:
    return re.sub(r"^[\u4e00-\u9fff]{2,10}?(?:省|自治区|市|州|县|区)", "", s)


def _plan(ev, key: str, message: str) -> tuple[int, str, str]:
    return (0, ev.plan_id, f"{key}: {message}")


# --------------------------------------------------------------------------- a value that follows from another


def inherited(ev, flagged: set[str]) -> list[tuple[int, str, str]]:
    """The fields ingest derives from a field in ``flagged`` (catalogue keys already in doubt), each flagged
    with the field it follows from — unless it is in doubt already: the level always follows the region, a
    target's implied year is the period's end.  (Tried and dropped: the region and the period a name in doubt
    writes — the place and years of a name are right when its other words are not: on the unseen sets, 10
    false alarms and no real problem.)"""
    e = ev.entry
    supplied = e.get("supplied") or {}
    per = e.get("period") or {}
    end = per.get("end") if isinstance(per, dict) else None
    out: list[tuple[int, str, str]] = []
    said = set(flagged)
    if "region" in said and "level" not in said and e.get("level") and e.get("region") != "全国" and "level" not in supplied:
        out.append(_plan(ev, "level", N_("{0} follows from the region “{1}”, which is in doubt").format(
            e.get("level"), e.get("region") or "")))
    if "period" in said and end and "period" not in supplied:
        for r in ev.records:
            for t in r.get("targets") or []:
                if t.get("year_implied") and t.get("year") == end:
                    out.append((t.get("line") or r.get("line") or 0, r.get("id"), N_(
                        "target {0}: its year {1} is the end of the period, which is in doubt").format(
                        t.get("as_written") or t.get("indicator"), end)))
    return out


# --------------------------------------------------------------------------- a value read from another document


def _citations(s: str, name: str) -> list[tuple[int, int]]:
    """The spans of ``s`` that cite another document: 《title》 and the brackets right after it, when the
    title is not the plan's own name."""
    return [(m.start(), m.end()) for m in CITATION.finditer(s) if not (name and same_title(name, m.group(1)))]


def _only_cited(ev, pattern: re.Pattern) -> int | None:
    """The first line where ``pattern`` is written inside a citation, when it is written nowhere else in
    the source (the title's lines included); None otherwise."""
    name = ev.entry.get("name") or ""
    first = None
    for n, s in enumerate(ev.sq, start=1):
        spans = _citations(s, name)
        for m in pattern.finditer(s):
            if any(a <= m.start() and m.end() <= b for a, b in spans):
                first = first or n
            else:
                return None
    return first


def check_cited_values(ev) -> list[tuple[int, str, str]]:
    e = ev.entry
    out = []
    per = e.get("period") or {}
    start, end = (per.get("start"), per.get("end")) if isinstance(per, dict) else (None, None)
    if start and end and start != end:  # worked out (supplied) from a line, too
        n = _only_cited(ev, re.compile(rf"{start}\s*年?\s*[—–―\-~～至到]+\s*{end}"))
        if n:
            out.append(_plan(ev, "period", N_("{0}—{1} is written only in the title of a document the text cites "
                                              "(line {2}): that document's years, not the plan's?").format(start, end, n)))
    date = str(e.get("issue_date") or "")
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        n = _only_cited(ev, re.compile(rf"{y}\s*[年\-./]\s*0?{mo}\s*[月\-./]\s*0?{d}(?!\d)"))
        if n:
            out.append(_plan(ev, "issue_date", N_("{0} is written only beside a document the text cites (line {1}): "
                                                  "that document's date, not the plan's?").format(date, n)))
    number = squash(e.get("doc_number") or "")
    if number:
        n = _only_cited(ev, re.compile(re.escape(number)))
        if n:
            out.append(_plan(ev, "doc_number", N_("{0} is written only beside a document the text cites (line {1}): "
                                                  "that document's 文号, not the plan's?").format(number, n)))
    return out


# --------------------------------------------------------------------------- a number read in part or elsewhere


def _cut(before: str, after: str, figure: str) -> bool:
    """Is ``figure`` (as written, from its number on) a piece of a longer number, given what stands before its
    number and after the figure?"""
    if not figure:
        return False
    if re.match(r"[1-9]\d*(?:\.\d+)?[千百]|[一二两三四五六七八九][千百]", after):
        return True  # 12万5千人 read as 12万
    if figure[0].isdigit():
        if before[-1:].isdigit() or before[-1:] in (".", "．"):
            return True
        if before[-1:] in (",", "，") and before[-2:-1].isdigit() and re.match(r"\d{3}(?!\d)", figure):
            return True  # 1,700万 read as 700万
        if before[-1:] and before[-1] in CN_NUMERAL and before[-1] not in "十百千":
            return False
    elif figure[0] in CN_NUMERAL and before[-1:] and before[-1] in CN_NUMERAL:
        return True  # 三十 read as 十
    return False


# full-width digits and marks (６５％, １２０．５) as their ASCII forms: a value is compared with what it writes
HALFWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"．": ".", "％": "%", "，": ","})


def _halfwidth(s: str) -> str:
    return s.translate(HALFWIDTH)


def check_figure_spans(ev) -> list[tuple[int, str, str]]:
    """Each drafted target's figure tied to its span: written on its line (or the lines its record spans),
    not cut from a longer number, and its value the number it writes."""
    out = []
    for r in ev.records:
        first = r.get("line") if isinstance(r.get("line"), int) else None
        last = r.get("line_end") if isinstance(r.get("line_end"), int) else first
        for t in r.get("targets") or []:
            aw = squash(t.get("as_written") or "")
            line = t.get("line") or first or 0
            if not aw or t.get("value") is None or r.get("kind") in ("table", "box"):
                continue
            text = ev.sq[line - 1] if 1 <= line <= len(ev.sq) else ""
            label = t.get("as_written")
            if aw not in text:
                # written on another line of its record, or near it: read from there, and drafted on the wrong line?
                span = range(max(1, min(line, first or line) - 2), min(len(ev.sq), max(line, last or line) + 2) + 1)
                there = next((n for n in span if aw in ev.sq[n - 1]), None)
                if there:
                    out.append((there, r.get("id"), N_("target {0}: drafted on line {1}, but its figure is written on "
                                                       "line {2}").format(label, line, there)))
                else:
                    out.append((line, r.get("id"), N_("target {0}: its figure is not written on line {1}: read from "
                                                      "another line?").format(label, line)))
                continue
            m = re.search(NUM, aw)
            lead, size = (m.start(), m.end() - m.start()) if m else (0, 0)
            # every place its figure is written on those lines, a piece of a longer number (5万人 is in 25万人次 too)
            at = [k.start() for k in re.finditer(re.escape(aw), text)]
            cut = [k for k in at if _cut(text[:k + lead], text[k + len(aw):], aw[lead:])]
            k = at[0]
            if len(cut) == len(at):
                k = cut[0]
                out.append((line, r.get("id"), N_("target {0}: its figure is part of a longer number (“{1}”): read in "
                                                  "part?").format(label, text[max(0, k - 4):k + len(aw)])))
            elif m and not value_in(t["value"], _halfwidth(aw)) and not value_in(t["value"], _halfwidth(text[k:k + len(aw) + 12])):
                out.append((line, r.get("id"), N_("target {0}: value {1} is not the number its figure writes").format(
                    label, t["value"])))
    return out


CN = "零〇一二两三四五六七八九"
SPELLED = re.compile(
    rf"百分之[{CN}十百]+(?:点[{CN}]+)?"
    rf"|[{CN}十]+个百分点"
    rf"|(?:[{CN}]+[十百千]|十)[{CN}十百千]*(?:万|亿)?(?:人|户|套|所|座|家|公里|亩|平方米|平方公里|元|个)"
    rf"|[{CN}]+(?:万|亿)(?:人|户|套|所|座|家|公里|亩|平方米|平方公里|元)")
CLAUSE = re.compile(r"[^,，;；。!！?？]+")


def check_spelled_figures(ev) -> list[tuple[int, str, str]]:
    """A quantity spelled in Chinese numerals (百分之六十五, 三十五万人, 两个百分点) in a clause that sets a goal,
    where no drafted target writes it: ingest reads digits, so a goal spelled out is missed without a word."""
    out = []
    drafted: dict[int, list[str]] = {}
    owner: dict[int, str] = {}
    for r in ev.records:
        first = r.get("line") if isinstance(r.get("line"), int) else None
        for n in range(first or 0, (r.get("line_end") or first or 0) + 1):
            owner.setdefault(n, r.get("id"))
        for t in r.get("targets") or []:
            drafted.setdefault(t.get("line") or first or 0, []).append(squash(t.get("as_written") or ""))
    for n, s in enumerate(ev.sq, start=1):
        if n < ev.body_start or n in ev.skipped or n in ev.title_lines or n in ev.annex_lines or n not in owner:
            continue
        prev = ""
        for c in CLAUSE.finditer(s):
            goal = GOAL.search(c.group(0)) or re.match(r"^(?:到|至)\s*(?:19|20)\d{2}\s*年", prev)
            prev = c.group(0) if s[c.end():c.end() + 1] in (",", "，") else ""
            if not goal:
                continue
            cited = _citations(c.group(0), "")
            for m in SPELLED.finditer(c.group(0)):
                fig = m.group(0)
                if c.group(0)[m.start() - 1:m.start()] == "第" or any(a <= m.start() < b for a, b in cited) \
                        or re.fullmatch(r"[一两二三四五六七八九十]个", fig) or any(fig in x or x in fig for x in drafted.get(n, []) if x):
                    continue
                out.append((n, owner[n], N_("target: {0} is spelled in Chinese numerals in a clause that sets a goal, "
                                            "but no target was drafted from it: is it one?").format(fig)))
    return out


# --------------------------------------------------------------------------- the place the 文号 names

# the one-character names of the provinces a government's 文号 opens with (晋政发, 川府发, 渝府发); left out where a
# city's government writes the same character (青政发 is 青岛's as well as 青海's, 宁政发 南京's and 宁夏's, 辽府发
# 辽源's, 新政 新乡's)
PROVINCE_ABBR = {"京": "北京市", "津": "天津市", "冀": "河北省", "晋": "山西省", "蒙": "内蒙古自治区", "吉": "吉林省",
                 "黑": "黑龙江省", "沪": "上海市", "苏": "江苏省", "浙": "浙江省", "皖": "安徽省", "闽": "福建省",
                 "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省", "湘": "湖南省", "粤": "广东省",
                 "桂": "广西壮族自治区", "琼": "海南省", "渝": "重庆市", "川": "四川省", "黔": "贵州省", "滇": "云南省",
                 "藏": "西藏自治区", "陕": "陕西省", "甘": "甘肃省"}
AMBIGUOUS = {"青", "宁", "辽", "新", "国", "中"}
GOV_NUMBER = re.compile(r"^([\u4e00-\u9fff]{1,3}?)(市|县|区|州)?(?:人民)?(?:政|府)(?:办)?(?:发|规|函|字|秘|〔|\[)")


def _place(ev, name: str):
    try:
        codes = ev.places.resolve(name)
    except Exception:  # noqa: BLE001 - a name the gazetteer cannot read names no place
        return None
    return ev.places.places.get(codes[0]) if codes else None


def check_number_place(ev) -> list[tuple[int, str, str]]:
    e = ev.entry
    number, region = squash(e.get("doc_number") or ""), e.get("region") or ""
    m = GOV_NUMBER.match(number)
    if not m or ev.places is None or not region or region == "全国":
        return []
    got = _place(ev, region)
    if got is None:
        return []  # check_region asks about a region that is no place
    prefix, lower = m.group(1), m.group(2)
    if prefix in PROVINCE_ABBR and not lower:
        prov = _place(ev, PROVINCE_ABBR[prefix])
        if prov is not None and got.code != prov.code and prov.code not in ev.places.ancestors(got.code):
            return [_plan(ev, "region", N_("{0}, but the 文号 {1} is a {2} government's").format(region, number, prov.name))]
    elif got.level == "province" and (lower or (prefix not in PROVINCE_ABBR and prefix not in AMBIGUOUS)):
        return [_plan(ev, "region", N_("{0} is a province, but the 文号 {1} is a city's or county's government's: "
                                       "a place too wide?").format(region, number))]
    return []


# --------------------------------------------------------------------------- a figure that is no quantity

# what may follow a number as its unit, magnitude or count word (ingest/targets.py's units and a few more)
UNIT_START = re.compile(T.UNIT + r"|左右|以上|以内|以下|以|多|余|[万亿千百十个所家座条项处部辆套名人户次倍成岁年]")
QUOTES = ("“”", '""', "「」", "『』", "‘’")


def check_not_quantities(ev) -> list[tuple[int, str, str]]:
    """A drafted target whose figure, where it is written, is no quantity: a number in quotation marks (the
    name of a programme or system: “3010”工程, “1277”城镇体系); a year (2000年底前建成的); a span of years or an
    anniversary (20多年, 70周年, 10年来); a bare number run into words, with no unit (a page number left in a
    copy: 14供水)."""
    out = []
    for r in ev.records:
        if r.get("kind") in ("table", "box"):
            continue
        for t in r.get("targets") or []:
            aw = squash(t.get("as_written") or "")
            line = t.get("line") or r.get("line") or 0
            s = ev.sq[line - 1] if 1 <= line <= len(ev.sq) else ""
            m = re.search(NUM, aw)
            if t.get("value") is None or not m or aw not in s:
                continue
            p = s.find(aw) + m.start()
            q = p + len(m.group(0))
            before, after = s[p - 1:p], s[q:q + 3]
            why = None
            if any(before == a and after[:1] == b for a, b in QUOTES):
                why = N_("target {0}: its figure stands in quotation marks: the name of a programme or system, not a quantity?")
            elif re.fullmatch(r"(?:19|20)\d{2}", m.group(0)) and after.startswith("年"):
                why = N_("target {0}: its figure is a year, not a quantity?")
            elif re.match(r"(?:多|余)?(?:周年|年来|年间|多年|余年)|(?:多|余)年", after):
                why = N_("target {0}: its figure is a span of years or an anniversary, not a target?")
            elif not t.get("unit") and re.match(r"[\u4e00-\u9fff]", after) and not re.match(UNIT_START, after):
                why = N_("target {0}: a bare number run into the words after it, with no unit: a page or item number "
                         "left in the copy?")
            if why:
                out.append((line, r.get("id"), why.format(t.get("as_written"))))
    return out


# the checks by kind, in the order flags.py runs them (after its own per-field checks)
CHECKS = [check_cited_values, check_figure_spans, check_spelled_figures, check_number_place, check_not_quantities]


# --------------------------------------------------------------------------- the fifth round (frozen7's kinds)

# a line that repeats the page's headline: a news page's 原标题:/标题:/来源: line
HEADLINE_LABEL = re.compile(r"^(?:原标题|原题|标题|题目)\s*[:：]")


def check_headline_targets(ev) -> list[tuple[int, str, str]]:
    """A drafted target on a line that repeats the page's headline (原标题: …, or the very words of a line
    before the body): a news page says its figure twice, and the headline is no figure of its own."""
    out = []
    front = {s for n, s in enumerate(ev.sq, start=1) if s and (n < ev.body_start or n in ev.skipped)}
    # the page's headline: a line before the body, or its first line
    heads = {s for n, s in enumerate(ev.sq, start=1) if s and n < ev.body_start} | set(next(([s] for s in ev.sq if s), []))
    for r in ev.records:
        for t in r.get("targets") or []:
            line = t.get("line") or r.get("line") or 0
            s = ev.sq[line - 1] if 1 <= line <= len(ev.sq) else ""
            bare = HEADLINE_LABEL.sub("", s)
            aw = squash(t.get("as_written") or "")
            # … or a longer line that quotes a headline holding the figure (a site's 关于X内容, X的热门信息)
            quoted = next((f for f in heads if len(f) >= 12 and aw and aw in f and f in s and 0 < len(s) - len(f) <= 12),
                          None) \
                if line >= ev.body_start and line not in ev.skipped else None
            if quoted:
                bare = quoted
            if HEADLINE_LABEL.match(s) or quoted or (line >= ev.body_start and line not in ev.skipped and len(s) >= 8
                                                     and s in front):
                out.append((line, r.get("id"), N_("target {0}: line {1} repeats the page's headline (“{2}”): the "
                                                  "headline says a figure of the text again, not a target of its own?").format(
                    t.get("as_written"), line, bare[:40])))
    return out


# a plan for one year: its title names one year and a year's plan (2015年工作重点, 2019年工作计划, 年度工作计划)
ONE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[^，,。；;：:]{0,30}?(?:工作重点|工作要点|工作计划|重点任务|重点工作|年度计划|实施计划)")


def check_one_year_period(ev) -> list[tuple[int, str, str]]:
    """A period of several years drafted for a plan whose title (or name) states one year: a year's 工作重点 or
    工作计划 runs for that year, and the years after it are read from elsewhere (a three-year plan it cites)."""
    per = ev.entry.get("period") or {}
    start, end = (per.get("start"), per.get("end")) if isinstance(per, dict) else (None, None)
    if not start or not end or start == end:
        return []
    heads = [(0, squash(ev.entry.get("name") or ""))] + [
        (n, ev.sq[n - 1]) for n in sorted(set(ev.title_lines) | {n for n in range(1, ev.body_start) if n <= len(ev.sq)})]
    for n, s in heads:
        m = ONE_YEAR.search(s)
        years = set(re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", s))
        cited = any(a <= m.start() < b for a, b in _citations(s, "")) if m else True
        # the title itself (the line ends with it), not a page's breadcrumb or a sentence that mentions one
        whole = m and not re.search(r"[>＞»]|当前位置", s) and not s[m.end():].strip("()（）")
        if m and whole and not cited and years == {m.group(1)} and int(m.group(1)) == start:
            out = [_plan(ev, "period", N_("{0}—{1} spans several years, but line {2} names a plan of the one year {3} "
                                          "(“{4}”): a year-long plan?").format(start, end, n, m.group(1), m.group(0)))]
            # the targets' years that follow that period (worked out or not) follow its doubt
            for r in ev.records:
                for t in r.get("targets") or []:
                    if t.get("year_implied") and t.get("year") == end:
                        out.append((t.get("line") or r.get("line") or 0, r.get("id"), N_(
                            "target {0}: its year {1} is the end of a period of several years, but the plan is of the "
                            "one year {2}?").format(t.get("as_written") or t.get("indicator"), end, m.group(1))))
            return out
    return []


# a notice that prints the plan: 《X关于印发…的通知》 names X as the issuing body
CITED_NOTICE = re.compile(r"《([^《》]{2,60}?)(?:关于)?印发([^《》]{2,80})的通知》")


def check_cited_notice_issuer(ev) -> list[tuple[int, str, str]]:
    """No issuer drafted, while a line before the plan's body cites the notice that printed it
    (《X关于印发…的通知》, a news lead's words): X is the issuing body."""
    if ev.entry.get("issuer"):
        return []
    for n in range(1, min(ev.body_start, len(ev.sq)) + 1):
        s = ev.sq[n - 1]
        for m in CITED_NOTICE.finditer(s):
            who = m.group(1)
            if re.search(r"根据|按照|依据|贯彻|落实", re.split(r"[,，。;；]", s[:m.start()])[-1]):
                continue
            parts = issuer_parts(who)
            if parts and all(G.is_issuer(p) for p in parts):
                return [(n, ev.plan_id, "issuer: " + N_("none drafted, but line {0} cites the notice that printed the plan, "
                                                        "issued by {1}").format(n, who))]
    return []


# a line that reads as a plan's title: short, no sentence punctuation, ends with the kind of document
PLAN_TITLE = re.compile(r"^[^，,。；;：:]{4,60}(?:规划|方案|计划|意见|要点|纲要|重点)(?:[(（][^()（）]{1,20}[)）])?$")


def check_restarted_numbering(ev) -> list[tuple[int, str, str]]:
    """Headings numbered 一、二、… before the plan begins (a notice's own items: 征求方式, 征求时间, 联系方式):
    their numbering restarts at 一、 after a 落款 date or a line that reads as the plan's title."""
    out = []
    secs = ev.sections
    for k in range(1, len(secs)):
        a, b = secs[k - 1], secs[k]
        first = secs[0].get("number")
        if not first or b.get("number") != first:
            continue
        lo, hi = a.get("line") or 0, b.get("line") or 0
        between = [n for n in range(lo + 1, hi) if 1 <= n <= len(ev.sq)]
        mark = next((n for n in between if date_alone(ev.sq[n - 1]) or PLAN_TITLE.match(ev.sq[n - 1])), None)
        if mark is None:
            continue
        for s in secs[:k]:
            out.append((s.get("line") or 0, s.get("id"), N_("heading “{0}”: the numbering restarts at {1} on line {2}, after "
                                                           "line {3} (a 落款 date or the plan's title): an item of the page "
                                                           "or notice before the plan, not the plan's own heading?").format(
                (s.get("number") or "") + (s.get("title") or ""), b.get("number"), hi, mark)))
        break
    return out


CHECKS += [check_headline_targets, check_one_year_period, check_cited_notice_issuer, check_restarted_numbering]


# a preamble's opening words (为贯彻落实…, 根据…): the plan speaking, not a site's summary of it
PREAMBLE = re.compile(r"^(?:为|根据|按照|依据)")
FIGURE = re.compile(NUM + r"\s*(?:%|％|" + UNIT_START.pattern + ")")


def check_skipped_goals(ev) -> list[tuple[int, str, str]]:
    """A goal with a figure (力争2015年年底…达到47%) on a line skipped as words before the plan (a site's news
    summary) that opens as a plan's preamble does (为贯彻落实…, 根据…): the plan's own goal, with no target drafted."""
    out = []
    drafted = {t.get("line") or r.get("line") for r in ev.records for t in r.get("targets") or []}
    for n, s in enumerate(ev.sq, start=1):
        if not (n in ev.skipped or n < ev.body_start) or n in ev.title_lines or n in drafted or not PREAMBLE.match(s):
            continue
        for c in CLAUSE.finditer(s):
            if not GOAL.search(c.group(0)):
                continue
            cited = _citations(c.group(0), "")
            for m in FIGURE.finditer(c.group(0)):
                if any(a <= m.start() < b for a, b in cited) or re.match(r"(?:19|20)\d{2}\s*年", m.group(0)) \
                        or c.group(0)[m.start() - 1:m.start()] == "第":
                    continue
                out.append((n, ev.plan_id, N_("target: line {0} sets a goal (“{1}”), but it was skipped as words before "
                                              "the plan (a page's summary): the plan's own preamble, its goal not "
                                              "drafted?").format(n, m.group(0))))
    return out


CHECKS.append(check_skipped_goals)


LEAD_PARTNERS = re.compile(r"[(（][^()（）]*牵头[^()（）]*(?:配合|参与|协同|协助)[^()（）]*[)）]\s*$")


def check_trailing_departments(ev) -> list[tuple[int, str, str]]:
    """A 牵头/配合 list closing a paragraph that follows a numbered measure with no list of its own (the measure's
    sub-items between them, bullets or lines of its text): the list is the measure's, read onto a paragraph."""
    out = []
    last_measure = None
    for r in ev.records:
        sec = str(r.get("id") or "").rsplit(".", 1)[0]
        if r.get("kind") == "measure":
            last_measure = (sec, r) if not r.get("departments") else None
            continue
        if r.get("kind") != "paragraph" or last_measure is None or last_measure[0] != sec:
            if r.get("kind") != "paragraph" or r.get("departments"):
                last_measure = None
            continue
        a, b = r.get("line") or 0, r.get("line_end") or r.get("line") or 0
        said = next((n for n in range(a, b + 1) if 1 <= n <= len(ev.sq) and LEAD_PARTNERS.search(ev.sq[n - 1])), None)
        if r.get("departments") and said:
            m = last_measure[1]
            out.append((said, r.get("id"), N_("a 牵头/配合 list on line {0}, on a paragraph after measure {1} “{2}”, which has "
                                              "none: the measure's own list (its lead and partners), its sub-items "
                                              "between?").format(said, m.get("id"), m.get("title") or "")))
            last_measure = None
    return out


CHECKS.append(check_trailing_departments)


# --------------------------------------------------------------------------- a kind of place read as a scope

# a scope that names a kind of place, no place of its own (县城, 中心城区, 城镇 …): written into the indicator's words
# (县城建成区面积), it may be part of the indicator's name as well as narrow it
CLASS_SCOPE = re.compile(r"^(?:市|县|区|全市|全县|全省)?(?:中心城区|主城区|老城区|城区|县城|城镇|城市|建成区|镇区|农村|乡村)$")


def check_class_scope(ev) -> list[tuple[int, str, str]]:
    """A drafted scope that names a kind of place (县城, 城区, 中心城区) and is written run into the words after it
    in the target's sentence: does it narrow the indicator, or is it part of the indicator's name?"""
    grouped: dict[tuple[int, str, str, str], list[str]] = {}  # one question per line, record and words
    for r in ev.records:
        for t in r.get("targets") or []:
            scope = squash(str(t.get("scope") or ""))
            if not scope or not CLASS_SCOPE.match(scope):
                continue
            quote = squash(t.get("quote") or "")
            at = quote.find(scope)
            after = quote[at + len(scope):at + len(scope) + 8] if at >= 0 else ""
            if not re.match(r"[\u4e00-\u9fff]", after) or after[0] in "的和与及或、":
                continue
            words = scope + re.split(r"[,，;；。、\d]|达到|提高|增加|不低于|超过", after)[0]
            grouped.setdefault((t.get("line") or r.get("line") or 0, r.get("id"), scope, words), []).append(
                t.get("as_written") or "")
    return [(line, item, N_("target {0}: scope “{1}” is a kind of place, not a place, written run into “{2}”: does it "
                            "narrow the indicator, or is it part of the indicator's name (then no scope)?").format(
        "、".join(aws), scope, words)) for (line, item, scope, words), aws in grouped.items()]


CHECKS.append(check_class_scope)
