"""Review flags from independent evidence: where a draft may be wrong.

Ingest reads a plan by rules; when a rule misreads a copy (a page label taken
for the issuer, a past figure for a target, a heading for a paragraph), the
same rule cannot see it.  The checks here do not read the plan again: each
takes a field the draft states (or leaves empty) and looks for cheap
evidence *in the source* that contradicts it or that the field exists.  A
field with such evidence gets a ``review:`` note — a flag the curator sees
in ``cz review ID`` — saying what the evidence is and on which line.

By definition, the kinds of error a draft field can have, and the evidence
each check looks for:

=============  ===============================================  ===============================================
field          wrong or missing when …                          evidence checked
=============  ===============================================  ===============================================
name           chrome, a label or a composed phrase is taken    it holds a page's words or label marks; it does
               for the title, or the title is missed            not end as a document's title does; the notice
                                                                issues a 《title》 that differs
issuer         a page's publisher, a label, nothing             it does not read as a body's name; a 落款 (a
                                                                body's name over a date) or a notice title
                                                                names another body, or one when there is none;
                                                                it is a body inside the plan's own region
issue_date     a page's date, or none                           the 落款's date differs or exists when the
                                                                draft has none; the date is nowhere in the text
doc_number     missed, or another document's                    a 文号 the header or an information label writes
                                                                (not one cited in 《》); its year is far from
                                                                the date of issue
period         misread or missing                               the name writes other years; the text states
                                                                its own (规划期限为…); issued after it ended
parent         a cited plan's 文号 not taken                     the preamble cites 《…》(文号) and the draft
                                                                names no parent
region, level  a phrase read as a place, a page's place, a      the region is no place of the gazetteer
               province for a national plan                     (data/places.tsv); the level is not the
                                                                region's; a central issuer with a local region
abridged       the 删减 note missed                              the text says 有删减 / 有删节
completeness   a cut-off copy read as whole                     the last line breaks off mid-sentence
heading        missed, or a line read as one                    a numbering gap (一、 then 三、); a line that
                                                                reads as a numbered heading drafted as text;
                                                                a heading without a title, or one that is a
                                                                sentence, or a contents line (… (12))
departments    a 责任单位 clause left unread                     the text writes 责任单位/牵头单位 and the record
                                                                has none
target         a past figure or a lead's read as a target; a    its sentence speaks of a year before the
               target missed                                    period (or 以来) with no goal year; it lies on
                                                                a skipped line; **every** quantity of the body
                                                                is a drafted target, a figure the draft records
                                                                a reason for, or flagged here (:func:`account`)
text           pinyin glosses left in                           a latin syllable in brackets after a character
=============  ===============================================  ===============================================

The third round adds evidence that holds for any field, not one error: each
drafted heading, numbered measure, unit, name and region is tied to its span
of the source (:func:`check_spans`, :func:`check_units`, and the "written
nowhere" checks of name and region); a date or body's name the front matter
writes alone on a line is asked for when the draft has none; a clause that sets
a deadline and commits to finishing something without a figure, and gave no
target, is asked about (:func:`check_commitments`); so is a figure several
quantities share with fewer targets drafted (:func:`check_shared_figures`); a
level that follows a region in doubt is in doubt too.

The fourth round adds checks by *kind* of misreading rather than by field
(:mod:`chengzhen.ingest.flag_kinds`, run after these: a value that follows
from a field in doubt, one read from a cited document, a number read in part
or spelled out, a place the plan's own 文号 contradicts, a figure that is no
quantity).

A field that already carries a flag of its own (ingest's rules flag what they
are unsure of) gets no second one.  Nothing here changes a value: the checks
only ask.  :func:`raise_flags` writes each flag where ``cz review`` shows it
(the catalogue entry's ``review``, or the record's) and returns them.

The messages are English templates marked for the catalogue (``N_``):
``cz review`` says them in the reader's language.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from chengzhen.ingest import flag_kinds as K
from chengzhen.ingest import flag_paths as P
from chengzhen.ingest import targets as T
from chengzhen.text import gongwen as G
from chengzhen.text.normalize import squash
from chengzhen.text.outline import match_heading


def N_(message: str) -> str:
    """Marks a message template for the catalogue (tools/i18n.py); said in the reader's language by ``cz review``."""
    return message


# a document's title ends with what kind of document it is, perhaps followed by brackets:
# (2021—2035年), (征求意见稿), (试行)
DOC_WORD = r"(?:规划|方案|计划|意见|措施|纲要|任务|要点|办法|决定|通知|行动|规定|细则|指引|指南|清单|条例|建议|纲领|战略|安排|部署)"
NAME_END = re.compile(DOC_WORD + r"(?:[(（]?[^()（）]{1,20}[)）])*$")
# what a page writes and a title never holds
PAGE_WORDS = re.compile(r"[:：|<>]|https?|www|网站|官网|首页|当前位置|分类|来源|发布|浏览|文库|索引|字体|打印|分享|点击|下载|标题|字号")
# a label's words in a field's value
LABEL_WORDS = re.compile(r"[:：|]|分类|来源|发布|机构|日期|时间|浏览|索引|主题|标题|字号|文号")
# what a body's name never opens with: a verb, a preposition, a label, the end of a 文号 (已经省人民政府, 号河南省人民政府)
NOT_A_BODY_START = re.compile(r"^(?:已经|已|经|由|按照|根据|依据|为|对|向|在|请|现将|近日|日前|今年|号|标题|来源|印发|关于|各|全省|全市|全县|我省|我市|我县|本省|本市)")
# a page's publishing date, not the document's: 发布时间 2021-09-02, 更新时间, 点击, 浏览次数
PAGE_DATE_WORDS = re.compile(r"发布|更新|时间|浏览|点击|来源|作者|编辑|访问|星期")
# a label that names the body a page took the document from, or the document's issuer
SOURCE_LABEL = re.compile(r"(?:来源|发布机构|发文机关|发文单位|发布单位|发文机构)\s*[:：]\s*")
# the bodies that issue a document, as a news lead or a page writes it: X印发(了)《…》, X关于印发
ISSUING_VERB = re.compile(r"(?:联合)?(?:印发|发布|出台|颁布)(?!的)了?\s*(?=《|关于|[^。]{0,40}(?:的通知|规划|方案|计划|意见|措施))")
# the years a plan's name says it spans: 三年行动计划, 五年行动方案
SPAN_IN_NAME = re.compile(r"([二三四五六七八九十])年(?:行动|计划|规划|方案|攻坚|实施)")
CENTRAL = re.compile(r"^(?:国务院|中共中央|中央|国家|全国|最高人民)")
CITED = re.compile(r"《[^《》]{2,120}》\s*[(（]\s*(" + G.DOC_NUMBER.pattern + r")\s*[)）]")
DATE_LABEL = re.compile(r"(?:成文日期|发文日期|印发日期)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
NUMBER_LABEL = re.compile(r"(?:发文字号|文\s*号)\s*[:：]?\s*(" + G.DOC_NUMBER.pattern + ")")
SELF_PERIOD = re.compile(r"(?:规划|实施|计划|方案)(?:期限|期)(?:为|是|[:：])?\s*((?:19|20)\d{2})\s*年?\s*[—–―\-~～至到]+\s*((?:19|20)\d{2})\s*年"
                         r"|(?:期限|期)(?:为|是)\s*((?:19|20)\d{2})\s*年?\s*[—–―\-~～至到]+\s*((?:19|20)\d{2})\s*年")
FIVE_YEAR = re.compile(r"十([一二三四五六七八九])五")
# what a place, a group of places or a part of one ends with: a scope that ends otherwise is no place
PLACE_END = re.compile(r"(?:省|自治区|市|州|盟|地区|县|区|旗|镇|乡|村|街道|都市圈|城市群|城镇群|经济圈|经济区|经济带|城市带|城镇带|"
                       r"新区|城区|片区|园区|开发区|示范区|试验区|县城|城市|中心城市|副中心|全域|沿线|流域|组团)$")
# a plan-wide assignment of every task (以下任务除已明确…的, 均需各…落实)
ALL_TASKS = re.compile(r"(?:以下|下列|上述|各项)(?:重点)?任务.{0,40}?(?:均需|均由|均要|由各)|任务分工.{0,20}(?:均|各)")
DEPT_WORDS = re.compile(r"(?:责任单位|牵头单位|配合单位|责任部门|牵头部门|负责单位)\s*[:：]")
GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7} ?\)")
# the titles a plan's 总体要求 conventionally holds, each a heading by itself
CONVENTIONAL_HEADING = re.compile(r"(?:指导思想|基本原则|工作原则|主要目标|发展目标|工作目标|行动目标|总体目标|总体要求|重点任务|主要任务|保障措施|组织实施)")
# a section that states principles: what stands there is no target
PRINCIPLES = re.compile(r"^(?:基本原则|工作原则|指导思想|原则)")
CONTENTS_LINE = re.compile(r"(?:[(（]\s*\d{1,3}\s*[)）]|[.…·．]{2,}\s*\d{1,3}|[-－—]\s*\d{1,3}\s*[-－—])\s*$")
# a quantity: a figure with a unit or a qualifier (what `cz review` lists as a number of the source)
FIGURE = re.compile(r"(?<![\d.〔\[［])(" + T.NUM + r")\s*(" + T.UNIT[3:-1] + r"|左右|以上|以内|以下|多)")
GOAL = K.GOAL
PAST = re.compile(r"以来|已经|已达|已有|末|底|期间|过去|累计完成|实现了|达到了|提高了|增加了")

# what ingest's own flags say about a catalogue field start with its name: `issuer: …`
FIELDS = ("name", "issuer", "doc_number", "issue_date", "period", "parent", "region", "level", "abridged",
          "completeness")


@dataclass
class Evidence:
    """The draft and its source, as the checks see them."""

    plan_id: str
    entry: dict
    body: dict
    lines: list[str]  # the cleaned source lines (simplified, glosses out)
    sq: list[str]  # each squashed
    skipped: set[int]
    title_lines: list[int]
    body_start: int
    records: list[dict]  # every record (measure, paragraph, box, table), in order
    sections: list[dict]
    annex_lines: set[int]
    places: object | None = None
    data: Path | None = None
    existing: list[tuple[int, str, str]] = field(default_factory=list)  # the flags ingest's rules raised
    flags: list[tuple[int, str, str]] = field(default_factory=list)

    def line(self, n: int) -> str:
        return self.lines[n - 1] if 1 <= n <= len(self.lines) else ""


def raise_flags(d, data: Path | None = None, places=None) -> list[tuple[int, str, str]]:
    """Check draft ``d`` (a :class:`chengzhen.ingest.draft.Draft`, or any
    object with ``plan_id, entry, body, lines, review``) against its source;
    add each new flag to ``d.review`` and to the ``review`` of the record or
    catalogue entry it is about; return the new flags (line, item, reason)."""
    try:
        ev = _evidence(d, data, places)
    except Exception:  # noqa: BLE001 - a draft the checks cannot read is drafted all the same, unasked
        return []
    found: list[tuple[int, str, str]] = []
    for check in CHECKS:
        try:
            found += check(ev)
        except Exception:  # noqa: BLE001 - a check that cannot read a hostile draft asks nothing
            continue
    have = _settle(d, ev, list(getattr(d, "review", []) or []), found)
    flagged_fields = {r.split(":", 1)[0] for _l, item, r in have if item == d.plan_id}
    new: list[tuple[int, str, str]] = []
    for line, item, reason in found:
        key = reason.split(":", 1)[0]
        if item == d.plan_id and key in FIELDS and key in flagged_fields:
            continue  # the field is in question already
        if any(i == item and (r == reason or (key not in FIELDS and r.startswith(reason[:40]))) for _l, i, r in have + new):
            continue
        if item == d.plan_id and key in FIELDS:
            flagged_fields.add(key)
        new.append((line, item, reason))
    # a field that follows from a field in doubt (the level from its region, the period from the name's years …)
    for line, item, reason in K.inherited(ev, flagged_fields):
        if not any(i == item and r == reason for _l, i, r in have + new):
            new.append((line, item, reason))
    # a field read by a path often wrong, a garbled line of the outline (ingest/flag_paths.py), each as any check
    for more in (lambda: P.check_paths(ev, {r.split(":", 1)[0] for _l, i, r in have + new if i == d.plan_id}),
                 lambda: P.check_garbled(ev)):
        try:
            new += [x for x in more() if not any(i == x[1] and r == x[2] for _l, i, r in have + new)]
        except Exception:  # noqa: BLE001 - a check that cannot read a hostile draft asks nothing
            continue
    _write(d, ev, new)
    d.review = sorted(have + new, key=lambda r: (r[0], r[1]))
    return new


def _settle(d, ev: Evidence, have: list[tuple[int, str, str]], found=()) -> list[tuple[int, str, str]]:
    """Ingest's own doubts that the source settles are withdrawn (each a doubt about a value the
    format defines, or one the evidence here answers):

    * a province read from the text where the title's (or the issuer's) place lies in it, or where
      every place the copy's opening names is that province (no narrower place, no other one);
    * a page label's body that is the region's own;
    * no issuer found: a null issuer is what the format allows when the source names none —
      :func:`check_issuer` asks when a line does name one;
    * a period read from the name's 十X五 (the format's own reading of it);
    * a site's summary before the text whose figures are no targets (each has a reason: the past,
      a span, no goal word in its clause), or that a news lead opens (it restates the plan), or each of
      whose lines with a figure is asked about by a flag of its own saying the line was skipped (one cause,
      one flag); a summary kept in question stands on its first line with a figure;
    * an id made without a region, when the region is flagged already (one cause, one flag);
    * "no numbered headings: is this a plan?" on a news item (ingest/flag_paths.py: it is a news item about one)."""
    region = ev.entry.get("region") or ""
    got = _resolve(ev, region) if ev.places is not None else []
    supplied = ev.entry.get("supplied") or {}
    # a name or issuer ingest composed or took from elsewhere settles nothing (it may come from the region)
    name = squash(ev.entry.get("name") or "") if "name" not in supplied else ""
    issuer = squash(ev.entry.get("issuer") or "") if "issuer" not in supplied else ""
    keep, gone = [], []
    for line, item, reason in have:
        settled = False
        plan = item == ev.plan_id
        said = re.search(r"(\S+) is the province the text names most", reason) if plan else None
        was = _resolve(ev, said.group(1)) if said and reason.startswith("region: ") and said.group(1) != region else []
        if was and got and _within(ev, got[0].code, was[0].code) and any(
                i == ev.plan_id and r.startswith("region: ") and r != reason and region in r for _l, i, r in have):
            # the note speaks of a province the draft no longer holds: ingest replaced it by a place within it, and
            # says so in a note of its own (read as 铜仁市 …, the place within 贵州省 it names most)
            settled = True
        elif plan and got and reason.startswith("region: ") and "the province the text names most" in reason:
            place = _place_of(ev, name) or (_place_of(ev, issuer) if issuer and not LABEL_WORDS.search(issuer) else None)
            settled = place is not None and (place.code == got[0].code or _within(ev, got[0].code, place.code))
            settled = settled or (place is None and not issuer and (_only_place(ev, got[0]) or _says_own(ev, got[0])) and all(
                (_place_of(ev, who) or got[0]).code == got[0].code and not CENTRAL.match(re.sub(r"^中共", "", who))
                for _n, who in _issuing_bodies(ev)))
        elif plan and got and reason.startswith("issuer: the issuer is the page's 发布机构 label") and issuer:
            place = _place_of(ev, issuer)
            settled = place is not None and place.code == got[0].code
        elif plan and reason.startswith("issuer: no notice title, 落款 or page label names the issuing body") \
                and not ev.entry.get("issuer"):
            settled = True
        elif plan and reason.startswith("period: the title's 十"):
            settled = _five_year(ev.entry.get("name") or "") == _period_of(ev) and _period_of(ev) is not None
        elif plan and reason.startswith("skip: ") and "news summary" in reason:
            m = re.match(r"skip: lines? ([\d, ]+)", reason)
            held = [int(x) for x in re.findall(r"\d+", m.group(1)) if 1 <= int(x) <= len(ev.sq)] if m else []
            if held:
                # the summary's lines: each skipped range (of a summary) that holds a line with a figure
                ranges = [_skip_range(x) for x in ev.entry.get("skip") or [] if x.get("kind") == "summary"]
                block = sorted({n for span in ranges if set(span) & set(held) for n in span if 1 <= n <= len(ev.sq)}
                               | set(held))
                rows = [ev.sq[n - 1] for n in block]
                # a news lead restates the plan's figures (the text states them): no target of its own
                settled = any(NEWS_LEAD.match(x) or re.search(r"印发(?:了)?《", x) for x in rows) or all(
                    _reason(ev, ev.sq[n - 1], f, {"id": "", "line": n}, set(), _period_start(ev))
                    for n in held for f in FIGURE.finditer(ev.sq[n - 1]))
                # … or each of its lines with a figure is asked about by a flag of its own (its goal skipped)
                settled = settled or all(any(k == n and i == item and r != reason and "skipped" in r
                                             for k, i, r in [*have, *found]) for n in held)
                line = held[0]  # the flag stands on the first line it is about, not on the catalogue's line 0
        elif plan and reason.startswith("structure: numbered headings") and "found: 0:" in reason \
                and P.text_kind(ev) == "news":
            settled = True  # no plan, but a news item about one: its catalogue is asked by path
        elif plan and reason.startswith("structure: ") and "look like headings without their numbers" in reason:
            bare = [int(x) for x in re.findall(r"\d+", reason.split("lines", 1)[-1].split("line", 1)[-1])]
            # the lines it names are a 落款 (a body's name, a date): no headings
            settled = bool(bare) and all(1 <= k <= len(ev.sq) and (G.signature_form(ev.sq[k - 1]) or K.date_alone(ev.sq[k - 1]))
                                         for k in bare)
        elif plan and reason.startswith("period: no years in the title: period taken from line"):
            m = re.search(r"line (\d+)", reason)
            p = _period_of(ev)
            k = int(m.group(1)) if m else 0
            # that line names the plan with its years: 编制X规划(2014-2020年)
            said = re.search(DOC_WORD + rf"\s*[(（]\s*{p[0]}\s*年?\s*[—–―\-~～至]+\s*{p[1]}\s*年?\s*[)）]",
                             ev.sq[k - 1]) if p and 1 <= k <= len(ev.sq) else None
            # … and names this plan, not a plan it cites (为贯彻落实《国家新型城镇化规划(2014—2020年)》)
            cited = None
            issued = False
            if said:
                head = ev.sq[k - 1][:said.start()]
                if head.count("《") > head.count("》"):
                    cited = ev.sq[k - 1][head.rfind("《") + 1:].split("》")[0]
                    # … or names it as the document issued, in the copy's opening before any heading (a
                    # notice's title, a news lead: 关于印发《X(2021-2035年)》的通知, 发布《X(…)》全文) — its own plan
                    first = min([s.get("line") or 0 for s in ev.sections] + [r.get("line") or 0 for r in ev.records
                                                                              if r.get("number")] or [len(ev.sq) + 1])
                    issued = bool(re.search(r"(?:印发|发布|公布|出台|编制|制定)了?《[^《》]*$", head)) and k < first
            settled = bool(said) and (cited is None or issued or K.same_title(ev.entry.get("name") or "", cited))
        elif plan and reason.startswith(("id: no region found", "id: no region or title found")) and (not region or not got) \
                and ev.places is not None:
            settled = True  # check_region says the region is missing or no place, and names the id
        (gone if settled else keep).append((line, item, reason))
    if gone:
        rest = d.entry.get("review") or ""
        for _line, _item, reason in gone:  # a reason may hold "; " itself (the title names no place; X is …)
            rest = rest.replace(reason, "")
        rest = "; ".join(x for x in rest.split("; ") if x.strip())
        if rest:
            d.entry["review"] = rest
        else:
            d.entry.pop("review", None)
    return keep


def _skip_range(skip: dict) -> list[int]:
    """The lines a skip entry (``lines: 3`` or ``lines: 1-4``) covers; none when it cannot be read."""
    a, _, b = str(skip.get("lines", "")).partition("-")
    try:
        return list(range(int(a), int(b or a) + 1))
    except ValueError:
        return []


def _five_year(name: str) -> tuple[int, int] | None:
    """The years of the 十X五 a name writes (十二五 → 2011—2015)."""
    f = FIVE_YEAR.search(squash(name))
    if not f:
        return None
    nth = 10 + "一二三四五六七八九".index(f.group(1)) + 1
    start = 1966 + 5 * (nth - 3)
    return start, start + 4


def _period_of(ev: Evidence) -> tuple[int, int] | None:
    p = ev.entry.get("period") or {}
    return (int(p["start"]), int(p["end"])) if isinstance(p, dict) and p.get("start") and p.get("end") else None


_NAMES: dict[str, object] = {"book": None, "names": []}


def _place_names(ev: Evidence) -> list:
    """The gazetteer's places by their full names (临县, 吉林省), the longest first; not the districts
    named by one character (城区, 矿区, 郊区), which are words too.  (Kept for the last book asked about, by
    identity: an id() can be a later book's once the first is gone.)"""
    if _NAMES["book"] is not ev.places:
        out = []
        try:
            for p in ev.places.places.values():
                if p.name and p.name != "全国" and not (len(p.name) <= 2 and p.name.endswith("区")):
                    out.append(p)
        except Exception:  # noqa: BLE001
            out = []
        _NAMES.update(book=ev.places, names=sorted(out, key=lambda p: -len(p.name)))
    return _NAMES["names"]


def _opening(ev: Evidence, lines: int = 15) -> str:
    end = min(len(ev.sq), max(ev.body_start, 1) + lines)
    return "\n".join(ev.sq[:end])


def _says_own(ev: Evidence, place) -> bool:
    """The text says the place is its own: 结合吉林省实际, 结合我省实际 (a province's)."""
    for x in ev.sq[: min(len(ev.sq), max(ev.body_start, 1) + 15)]:
        for m in re.finditer(r"结合(\S{1,10}?)(?:的)?实际", x):
            who = m.group(1)
            if who in ("我省", "本省", "全省"):
                return place.level == "province"
            if who in ("我市", "本市", "全市"):
                return place.level == "city"
            if who in ("我县", "本县", "全县"):
                return place.level == "county"
            got = _resolve(ev, who)
            if got:
                return got[0].code == place.code
    return False


def _only_place(ev: Evidence, place) -> bool:
    """Every place of the gazetteer the copy's opening names is ``place`` itself."""
    text = _opening(ev)
    for p in _place_names(ev):
        if p.name in text and p.code != place.code:
            return False
    return True


def _write(d, ev: Evidence, new: list[tuple[int, str, str]]) -> None:
    by_id = {r.get("id"): r for r in ev.records}
    by_id.update({s.get("id"): s for s in ev.sections})
    for _line, item, reason in new:
        target = d.entry if item == d.plan_id else by_id.get(item)
        if target is None:
            continue
        target["review"] = "; ".join(x for x in (target.get("review"), reason) if x)


def _evidence(d, data: Path | None, places) -> Evidence:
    lines = list(d.lines)  # cleaned: simplified, glosses out
    sq = [squash(x) for x in lines]
    entry = d.entry
    skipped: set[int] = set()
    for s in entry.get("skip") or []:
        skipped.update(_skip_range(s))
    records, sections = [], []

    def walk(secs):
        for s in secs:
            sections.append(s)
            records.extend(s.get("measures", []))
            walk(s.get("sections", []))

    records.extend(d.body.get("measures", []))
    walk(d.body.get("sections", []))
    starts = [r.get("line") for r in records if r.get("kind") != "paragraph" or not str(r.get("id", "")).endswith(".notice")]
    starts += [s.get("line") for s in sections if not s.get("restored")]
    starts = [x for x in starts if isinstance(x, int)]
    body_start = min(starts) if starts else len(lines) + 1
    if places is None and data is not None:
        places = _places(data)
    annex_lines: set[int] = set()
    for a in d.body.get("annexes") or []:
        if isinstance(a.get("line"), int):
            annex_lines.update(range(a["line"], (a.get("line_end") or len(lines)) + 1))
    return Evidence(d.plan_id, entry, d.body, lines, sq, skipped, list(entry.get("title_lines") or []), body_start,
                    records, sections, annex_lines, places, data, list(getattr(d, "review", []) or []))


def _places(data: Path):
    """The data's place book, None when it has any problem (read once per
    process while its files are unchanged: ingest/known.py)."""
    try:
        from chengzhen.ingest.known import load_places

        book, problems = load_places(data, view=True)  # (read-only: the checks only look names up)
    except Exception:  # noqa: BLE001 - without a gazetteer the place checks ask nothing
        return None
    return None if problems else book


def _resolve(ev: Evidence, name: str) -> list:
    if ev.places is None or not name:
        return []
    try:
        return [ev.places.places[c] for c in ev.places.resolve(name) if c in ev.places.places]
    except Exception:  # noqa: BLE001
        return []


# --------------------------------------------------------------------------- catalogue


def _plan(ev: Evidence, key: str, message: str) -> tuple[int, str, str]:
    return (0, ev.plan_id, f"{key}: {message}")


def check_name(ev: Evidence) -> list:
    name = squash(ev.entry.get("name") or "")
    if not name:
        return [_plan(ev, "name", N_("the draft has no name: set the plan's title"))]
    out = []
    m = PAGE_WORDS.search(name)
    tag = re.match(r"^[【\[［〔][^】\]］〕]{1,12}[】\]］〕]", name)
    if tag:
        # a page's tag before the title (【浙江】, [政策], 【字号】): no title opens with one — said first, whatever
        # page's words the tag holds
        out.append(_plan(ev, "name", N_("“{0}” opens with a page's tag ({1}), which no title holds").format(
            name, tag.group(0))))
    elif m:
        out.append(_plan(ev, "name", N_("“{0}” holds a page's words or marks ({1}), which no title holds").format(name, m.group(0))))
    elif (G.is_notice_title(name) and re.search(r"印发|转发|批转", name)) or re.search(r"关于印发|印发|转发|批转|的通知$", name):
        out.append(_plan(ev, "name", N_("“{0}” is the notice's title, not the plan's").format(name)))
    elif G.DOC_NUMBER.search(name):
        out.append(_plan(ev, "name", N_("“{0}” holds a 文号 ({1}), which no title holds").format(
            name, G.DOC_NUMBER.search(name).group(0))))
    elif not NAME_END.search(name):
        out.append(_plan(ev, "name", N_("“{0}” does not end as a document's title does (…规划, …方案, …意见)").format(name)))
    elif len(name) > 70:
        out.append(_plan(ev, "name", N_("“{0}…” is longer than a title").format(name[:30])))
    if out:
        return out
    # tied to a span of the source: a name not supplied is written there (over its title lines, joined)
    if "name" not in (ev.entry.get("supplied") or {}) and name not in "".join(ev.sq):
        return [_plan(ev, "name", N_("“{0}” is written nowhere in the source (not even over lines joined): where was it "
                                     "read?").format(name))]
    # the notice issues a title: 现将《X》印发 / 《X》已经…同意,现印发
    issued = []
    for n, s in enumerate(ev.sq, start=1):
        if n >= ev.body_start + 3 and issued:
            break
        if re.search(r"现将|印发给|印发你们|已经.{0,12}同意", s):
            issued += [(n, t) for t in re.findall(r"《([^《》]{4,120})》", s.replace("〈", "《").replace("〉", "》"))]
    if issued and not any(K.same_title(name, t) for _n, t in issued):
        n, t = issued[0]
        out.append((n, ev.plan_id, "name: " + N_("the notice on line {0} issues 《{1}》, not “{2}”").format(n, t, name)))
        return out
    own = _self_named(ev)
    if own and not any(K.same_title(name, t) for _n, t in own) and "name" not in (ev.entry.get("supplied") or {}):
        n, t = own[0]
        out.append((n, ev.plan_id, "name: " + N_("line {0} names the text itself 《{1}》, not “{2}”").format(n, t, name)))
        return out
    longer = _longer_title(ev, name) if "name" not in (ev.entry.get("supplied") or {}) else None
    if longer:
        n, t = longer
        out.append((n, ev.plan_id, "name: " + N_("line {0} writes a longer title holding it, “{1}”: a title cut short "
                                                 "(over two lines, or its 关于 or years lost)?").format(n, t)))
    return out


SELF_NAMED = re.compile(r"^《([^《》]{4,80})》(?:\s*[(（][^()（）]{1,20}[)）])?(?:是|根据|以|按照|依据|为|,|，)"
                        r"|(?:编制|制定|编写)(?:了)?《([^《》]{4,80})》|《([^《》]{4,80})》(?:\s*[(（]以下简称[^()（）]{1,10}[)）])?是(?:指导|我[省市县区]|本)")


def _self_named(ev: Evidence) -> list[tuple[int, str]]:
    """The titles the text gives itself in its first lines: 《X》是根据…编制的…, 编制《X》, 《X》是指导…"""
    front = [n for n in list(ev.title_lines) + [n for n in ev.skipped if n < ev.body_start]]
    first = min(max(front, default=0) + 1, max(ev.body_start, 1))
    out = []
    for n in range(first, min(len(ev.sq), max(ev.body_start, 1) + 3) + 1):
        if n in ev.skipped and n not in range(ev.body_start, ev.body_start + 4):
            continue
        for m in SELF_NAMED.finditer(ev.sq[n - 1]):
            t = next(g for g in m.groups() if g)
            if NAME_END.search(t) and not re.search(r"纲要|通知|意见》", t) and not re.search(r"根据|贯彻|落实|依据|按照", ev.sq[n - 1][:max(m.start(), 0)][-6:]):
                out.append((n, t))
    return out


NOT_TITLE_WORDS = re.compile(r"全文|原文|解读|图解|附件|通知|印发|转发|批转|政策|下载|如下")


def _longer_title(ev: Evidence, name: str) -> tuple[int, str] | None:
    """A line before the text (alone, joined with the next one, or a 《title》 it cites) that holds the
    name and more of a title: the rest of a title broken over lines, its (2021—2035年), its 关于.
    Not a page's words around it, a notice's title, or a place or body alone before it."""
    rows = [(n, ev.sq[n - 1]) for n in range(1, min(len(ev.sq), max(ev.body_start, 1) + 2) + 1) if ev.sq[n - 1]]
    cands = []
    def part_of_title(x: str) -> bool:  # a line that may be half a title: no date, mark, 文号, body alone, sentence
        return len(x) >= 4 and not ((G.signature_form(x) or G.header_form(x)) and not x.endswith("关于") or G.DATE.search(x)
                                    or re.search(r"[。;；!！?？:：]|(?:19|20)\d{2}[-/.]\d", x))

    for i, (n, s) in enumerate(rows):
        cands.append((n, s))
        if i + 1 < len(rows) and rows[i + 1][0] == n + 1 and part_of_title(s) and part_of_title(rows[i + 1][1]) \
                and not NAME_END.search(s):
            cands.append((n, s + rows[i + 1][1]))  # a title broken over two lines
        cands += [(n, t) for t in re.findall(r"《([^《》]{4,120})》", s.replace("〈", "《").replace("〉", "》"))]
    for n, t in cands:
        if name not in t or t == name or len(t) > 90:
            continue
        i = t.index(name)
        pre, post = t[:i], t[i + len(name):]
        if PAGE_WORDS.search(pre + post) or NOT_TITLE_WORDS.search(pre + post) or not NAME_END.search(t) \
                or G.DOC_NUMBER.search(pre + post) or G.DATE.search(pre + post) or (G.signature_form(pre) and not pre.endswith("关于")) \
                or G.signature_form(post):
            continue
        if pre and not post:
            if pre.endswith("关于") and not name.startswith("关于"):
                return n, t
            core = re.sub(r"关于$", "", pre)
            if not core or _resolve(ev, core) or _reads_as_body(core):
                continue  # a place or a body before the name: the name stands (it may be written either way)
        return n, t
    return None


def _reads_as_body(name: str) -> bool:
    """A body's name: what the 公文 rules take for one (…人民政府, …办公厅, …委), not opening with a
    verb, a label or a 文号's tail (已经省人民政府, 标题X), not a group of addressees (国务院各部委)."""
    s = squash(name)
    return G.is_issuer(s) and not NOT_A_BODY_START.match(s) and "各" not in s


def _trailing_bodies(head: str) -> str | None:
    """The bodies a clause ends with (中共中央办公厅、国务院办公厅 in 近日,中共中央办公厅、国务院办公厅):
    the longest run of body names before the end, joined by 、 or 和."""
    seg = re.sub(r"关于$", "", re.split(r"[,，。;；:：!！?？]", head)[-1])
    seg = re.sub(r"(?:近日|日前|今日|今天|近期|正式|联合|已经|共同|\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月\d{1,2}日)+$", "", seg)
    parts = [p for p in re.split(r"[、和与及]", seg) if p]
    for k in range(len(parts)):
        cand = parts[k:]
        if cand and all(_reads_as_body(p) for p in cand):
            return "、".join(cand)
    return None


def _issuing_bodies(ev: Evidence) -> list[tuple[int, str]]:
    """Every line that names the body that issued the plan, and that body: a 落款, a notice's
    title, a news lead or a page (X印发《…》), a page's 来源 / 发文机关 label naming a body."""
    out = [(n, who) for n, who, _d in _signature(ev) if who] + _notice_issuer(ev)
    upto = min(len(ev.sq), max(ev.body_start + 3, 12))
    for n, s in enumerate(ev.sq[:upto], start=1):
        for m in ISSUING_VERB.finditer(s):
            clause = re.split(r"[,，。;；]", s[:m.start()])[-1]
            if IMPLEMENTS.search(clause) or re.search(r"根据|按照|依据", s[max(0, m.start() - 30):m.start()]):
                continue  # a document the plan cites (为贯彻落实X印发的《…》), not the plan
            who = _trailing_bodies(s[:m.start()])
            if who:
                out.append((n, who))
        m = SOURCE_LABEL.search(s)
        if m:
            value = re.split(r"\s|[|｜]|(?:[\u4e00-\u9fff]{2,4}[:：])|(?:19|20)\d{2}", s[m.end():])[0]
            if value and _reads_as_body(value):
                out.append((n, value))
    return out


def _signature(ev: Evidence) -> list[tuple[int, str, tuple[int, int, int] | None]]:
    """(line, body's name, its date) of each 落款: a body's name alone on a line
    (or two, a joint issue) right over a date alone on a line."""
    out = []
    for n, s in enumerate(ev.sq, start=1):
        date = K.date_alone(s)
        if date is None:
            continue
        names, k = [], n - 1
        while k >= 1 and len(names) < 3:
            t = ev.sq[k - 1]
            if not t:
                k -= 1
                continue
            parts = K.issuer_parts(ev.line(k))
            if parts and all(G.is_issuer(p) for p in parts):
                names.insert(0, "、".join(squash(p) for p in parts))
                k -= 1
                continue
            break
        out.append((n, "、".join(names), date))
    return out


# a date a 落款 or a cover writes under the bodies' names: a year and a month (a day perhaps), in either numerals
SIGNED_DATE = re.compile(r"(?:(?:19|20)\d{2}|二[〇零O○][一二三四五六七八九〇零O○]{2})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                         r"(?:\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?")
STRAY_MARKS = re.compile(r"[@#$%^&*~_=+|]{2,}")
ORG_TAIL = re.compile(r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|厅|局)$")


def _dated_bodies(ev: Evidence) -> list[tuple[int, str, tuple[int, int, int] | None]]:
    """(line, bodies, date) where a line writes the names of bodies — each opening with a place the gazetteer
    knows — right before a date, inside a line (a 落款 or a cover run into the text: …落实。 白银市人民政府办公室
    2022年8月3日, …示意图四川省住房和城乡建设厅四川省发展和改革委员会二O一四年十二月); the date None when it
    has no day."""
    out = []
    if ev.places is None:
        return out
    for n, s in enumerate(ev.sq, start=1):
        s = STRAY_MARKS.sub("", s)  # a copy that strews marks among the words (上海@@市@@人民政府@@)
        if SIGNED_DATE.fullmatch(s):  # a date alone on its line: with the line over it, as a 落款 writes it
            prev = next((STRAY_MARKS.sub("", ev.sq[k - 1]) for k in range(n - 1, max(0, n - 3), -1) if ev.sq[k - 1]), "")
            s = prev + s
        if len(s) < 12:
            continue
        for m in SIGNED_DATE.finditer(s):
            head, names = s[:m.start()], []
            while len(names) < 3 and ORG_TAIL.search(head):
                body = next((head[k:] for k in range(max(0, len(head) - 24), len(head) - 3)
                             if _place_of(ev, head[k:]) is not None and _reads_as_body(head[k:])), None)
                if body is None:
                    break
                names.insert(0, body)
                head = head[:-len(body)]
            if names:
                day = G.dates(m.group(0).replace("○", "〇").replace("O", "〇"))
                out.append((n, "、".join(names), day[0] if day else None))
    return out


def _notice_issuer(ev: Evidence) -> list[tuple[int, str]]:
    """The body a notice's (or a 意见's) title opens with: X关于印发…, X印发…, X关于 (line end)."""
    out = []
    for n in range(1, min(len(ev.sq), max(ev.body_start - 1, 0)) + 1):
        s = ev.sq[n - 1]
        m = re.match(r"^(.{2,60}?)(?:关于|印发|转发)", s)
        if m and not re.search(r"为|贯彻|落实|根据|依据|按照|近日|日前|现将", m.group(1)) \
                and all(G.is_issuer(p) for p in K.issuer_parts(m.group(1))):
            out.append((n, m.group(1)))
    return out


def check_issuer(ev: Evidence) -> list:
    issuer = squash(ev.entry.get("issuer") or "")
    sig = [(n, who) for n, who, _d in _signature(ev) if who]
    notice = _notice_issuer(ev)
    said = sig + notice
    if not issuer:
        # null is what the format allows when the source names no issuer; a flag only when a line does
        named = _issuing_bodies(ev) or _front_bodies(ev) or [(n, who) for n, who, _d in _dated_bodies(ev)]
        if named:
            n, who = named[0]
            return [(n, ev.plan_id, "issuer: " + N_("none drafted, but line {0} names {1} as issuing it (a 落款, a notice's "
                                                    "title, a news lead or a page's label)").format(n, who))]
        return []
    parts = K.issuer_parts(ev.entry.get("issuer") or "")
    if LABEL_WORDS.search(issuer) or not parts or not all(_reads_as_body(p) for p in parts):
        return [_plan(ev, "issuer", N_("“{0}” does not read as a body's name (a label, or words after it?)").format(issuer))]
    # a place the issuer's name opens with that the gazetteer does not know: a variant character no repair
    # folded (陜西 for 陕西), or a place misread
    unknown = next((m.group(1) for p in parts for m in [ISSUER_PLACE.match(squash(p))]
                    if m and ev.places is not None and not _resolve(ev, m.group(1)) and not _opens_a_place(ev, m.group(2))),
                   None)
    if unknown:
        return [_plan(ev, "issuer", N_("{0} opens with {1}, a place the gazetteer does not know: a variant or "
                                       "misread character?").format(issuer, unknown))]
    # written only among the addressees (主送机关: 各市人民政府,国务院各部委:)
    where = [n for n, s in enumerate(ev.sq, start=1) if issuer in s]
    if where and all(G.is_addressees(ev.sq[n - 1]) for n in where):
        return [(where[0], ev.plan_id, "issuer: " + N_("{0} is written only among the addressees (主送机关) on line {1}, "
                                                       "not as the issuing body").format(issuer, where[0]))]
    # the 落款 writes the issuer's full name (a notice's title may name it short): it rules
    if (sig and not any(_same_body(issuer, who) for _n, who in sig)) or \
            (not sig and notice and not any(_same_body(issuer, who) for _n, who in notice)):
        n, who = (sig or notice)[0]
        return [(n, ev.plan_id, "issuer: " + N_("line {0} names {1} as the issuing body, not {2}").format(n, who, issuer))]
    if not said and issuer.replace("、", "") not in "".join(ev.sq).replace("、", "") \
            and "issuer" not in (ev.entry.get("supplied") or {}):
        return [_plan(ev, "issuer", N_("{0} is written nowhere in the source").format(issuer))]
    # no 落款 or notice title: a news lead that names the issuing bodies (近日,中共中央办公厅、国务院办公厅印发了…)
    if not said:
        leads = [(n, who) for n, who in _issuing_bodies(ev) if not SOURCE_LABEL.search(ev.sq[n - 1])] or _front_bodies(ev)
        if leads and not any(_same_body(issuer, who) for _n, who in leads):
            n, who = leads[0]
            return [(n, ev.plan_id, "issuer: " + N_("line {0} names {1} as the issuing body, not {2}").format(n, who, issuer))]
    # a body inside the plan's own region: a county's office reposting a province's plan
    region = ev.entry.get("region") or ""
    inner = _place_of(ev, issuer)
    outer = _resolve(ev, region)
    if inner and outer and inner.code != outer[0].code and _within(ev, inner.code, outer[0].code) and not said:
        return [_plan(ev, "issuer", N_("{0} is a body of {1}, inside the plan's region {2}: the page's publisher rather "
                                       "than the plan's issuer?").format(issuer, inner.name, region))]
    return []


# the place a body's name opens with: 陕西省, 白银市, 内蒙古自治区 (not a level word alone: 自治区人民政府, 市政府)
ISSUER_PLACE = re.compile(r"^(?:中共)?(?!自治|省|市|县|区|州)(([\u4e00-\u9fff]{2,7}?)(?:省|自治区|市|自治州|州|盟|县|旗))"
                          r"(?=人民政府|政府|委员会|党委|委|发展|住房|自然|人力|财政|公安|教育|民政|农业|交通|生态|[^\u4e00-\u9fff]|$)")


def _opens_a_place(ev: Evidence, stem: str) -> bool:
    """Some place the gazetteer knows is named with ``stem`` first (海南州 short for 海南藏族自治州)."""
    try:
        return any(str(getattr(p, "name", "")).startswith(stem) for p in ev.places.places.values())
    except Exception:  # noqa: BLE001 - a gazetteer that cannot be read asks nothing
        return True


def _same_body(issuer: str, said: str) -> bool:
    """The issuer is the body (or every one of the bodies) a 落款 or notice title names."""
    def core(x: str) -> str:  # 江苏省人民政府办公厅 and 省政府办公厅 are one body; 省政府办公厅 and 省政府 are two
        x = re.sub(r"^中共", "", x.replace("人民政府", "政府"))
        return re.sub(r"^[\u4e00-\u9fff]{0,8}?(?=[省市州县区]政府|[省市州县区]委)", "", x)

    def plain(x: str) -> str:
        return re.sub(r"^中共", "", squash(x).replace("人民政府", "政府"))

    mine_raw = K.issuer_parts(issuer)
    theirs_raw = [p for p in re.split(r"[、,，\s]+", said) if p]
    if not theirs_raw:
        return False
    # one body each, or the same bodies (a joint issue may be written glued: 中共江苏省委江苏省人民政府)
    return sorted(core(squash(p)) for p in mine_raw) == sorted(core(squash(p)) for p in theirs_raw) or \
        "".join(plain(p) for p in mine_raw) == "".join(plain(p) for p in theirs_raw)


def _place_of(ev: Evidence, text: str):
    """The place a body's name or a title opens with (the longest the gazetteer knows)."""
    if ev.places is None:
        return None
    text = re.sub(r"^中共", "", text or "")
    for k in range(min(len(text), 14), 1, -1):
        got = _resolve(ev, text[:k])
        if got and got[0].name != "全国":
            return got[0]
    return None


def _within(ev: Evidence, code: str, ancestor: str) -> bool:
    try:
        return ancestor in ev.places.ancestors(code)
    except Exception:  # noqa: BLE001
        return False


def check_issue_date(ev: Evidence) -> list:
    """The format's issue_date is the 落款's date: a page's label (成文日期) is evidence only against a
    drafted date that differs, and an empty field is what the format allows when no 落款 dates the copy."""
    got = ev.entry.get("issue_date")
    got = str(got) if got else None
    sig = [(n, d) for n, who, d in _signature(ev) if d and (who or n < ev.body_start or n in ev.skipped)]
    labels = [(n, (int(m.group(1)), int(m.group(2)), int(m.group(3)))) for n, s in enumerate(ev.sq, start=1)
              for m in [DATE_LABEL.search(s)] if m]

    def iso(t):
        return f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
    if not got:
        if sig:
            n, dt = sig[0]
            return [(n, ev.plan_id, "issue_date: " + N_("none drafted, but line {0} is dated {1} (a 落款?)").format(n, iso(dt)))]
        # a 落款 date whose 年月日 a copy lost, readable in more than one way (2023111)
        for n, s in enumerate(ev.sq, start=1):
            m = K.COMPACT_DATE.match(s)
            if m and n > 1 and _reads_as_body(ev.sq[n - 2] or (ev.sq[n - 3] if n > 2 else "")):
                from chengzhen.ingest.clean import compact_date_readings

                ways = compact_date_readings(s)
                if len(ways) > 1:
                    return [(n, ev.plan_id, "issue_date: " + N_("line {0} dates the 落款 with digits run together ({1}), "
                                                                "which read as {2}: set it").format(
                        n, s, " / ".join(iso(w) for w in ways)))]
        # any other line of the document's own front matter that dates it: a bracketed date under the title
        # ((2016年9月9日)), a byline (X人民政府 2024年11月17日) — not a page's own date (发布时间 …, a clock time)
        for n, dt in _front_dates(ev) + [(n, dt) for n, _who, dt in _dated_bodies(ev) if dt]:
            return [(n, ev.plan_id, "issue_date: " + N_("none drafted, but line {0} dates the document {1} (under its "
                                                        "title, or beside the issuing body)").format(n, iso(dt)))]
        return []
    if sig and got not in {iso(dt) for _n, dt in sig}:
        n, dt = sig[0]
        return [(n, ev.plan_id, "issue_date: " + N_("the 落款 on line {0} is dated {1}, not {2}").format(n, iso(dt), got))]
    if not sig and labels and got not in {iso(dt) for _n, dt in labels}:
        n, dt = labels[0]
        return [(n, ev.plan_id, "issue_date: " + N_("line {0} labels {1} as the date written, not {2}").format(n, iso(dt), got))]
    y, mo, da = (int(x) for x in got.split("-"))

    def writes(s: str) -> bool:
        return (y, mo, da) in G.dates(s.replace("○", "〇")) or got in s or \
            any((int(a), int(b), int(c)) == (y, mo, da) for a, b, c in re.findall(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})", s))
    where = [n for n, s in enumerate(ev.sq, start=1) if writes(s)]
    if not where and not sig and not labels and "issue_date" not in (ev.entry.get("supplied") or {}):
        return [_plan(ev, "issue_date", N_("{0} is written nowhere in the source").format(got))]
    # the date a page was published or updated (发布时间 2021-09-02 15:27), not the document's
    if where and not sig and not any(n for n, _d in labels) and all(
            PAGE_DATE_WORDS.search(ev.sq[n - 1]) or re.search(r"\d{1,2}:\d{2}", ev.sq[n - 1]) for n in where):
        return [(where[0], ev.plan_id, "issue_date: " + N_("{0} is written only where the page dates itself (line {1}: "
                                                           "published, updated, viewed): the page's date, not the "
                                                           "document's?").format(got, where[0]))]
    return []


def _front_lines(ev: Evidence) -> list[int]:
    """The lines of the document's own front matter: before its text (and the two lines under its title),
    neither its title nor a page's label, information bar or self-dating line (发布时间, 浏览次数, a clock
    time), nor a sentence."""
    out = []
    last = max(ev.body_start - 1, max(ev.title_lines, default=0) + 2)  # the lines right under the title too
    for n in range(1, min(len(ev.sq), last) + 1):
        s = ev.sq[n - 1]
        if not s or n in ev.title_lines or SOURCE_LABEL.search(s) or PAGE_DATE_WORDS.search(s) or LABEL_WORDS.search(s) \
                or re.search(r"\d{1,2}:\d{2}", s) or NEWS_LEAD.match(s) or "。" in s or G.is_addressees(s):
            continue
        out.append(n)
    return out


def _front_dates(ev: Evidence) -> list[tuple[int, tuple[int, int, int]]]:
    """A date the front matter writes on a short line of its own (bracketed, or after a body's name)."""
    out = []
    for n in _front_lines(ev):
        s = ev.sq[n - 1]
        for m in G.DATE.finditer(s.replace("○", "〇")):
            dt = G.date_parts(m)
            rest = re.sub(r"[()（）\s]", "", s[:m.start()] + s[m.end():])
            if dt and (not rest or all(G.is_issuer(p) for p in K.issuer_parts(rest))) and not re.search(r"《|》", s):
                out.append((n, dt))
    return out


def _front_bodies(ev: Evidence) -> list[tuple[int, str]]:
    """Bodies the front matter names on a line of their own (省委办公厅 省政府办公厅), perhaps with a date
    (甘肃省人民政府 2024年11月17日): the issuing body, where no notice or 落款 names one."""
    out = []
    for n in _front_lines(ev):
        raw = G.DATE.sub("", ev.line(n).replace("○", "〇"))
        raw = re.sub(r"[()（）]", " ", raw).strip()
        parts = [p for p in re.split(r"[\s、]+", raw) if p]
        if parts and len("".join(parts)) <= 60 and all(G.is_issuer(p) for p in parts):
            out.append((n, "、".join(squash(p) for p in parts)))
    return out


def check_doc_number(ev: Evidence) -> list:
    got = squash(ev.entry.get("doc_number") or "")
    cited = {squash(m.group(1)) for s in ev.sq for m in CITED.finditer(s)}
    own: list[tuple[int, str]] = []
    for n, s in enumerate(ev.sq, start=1):
        m = NUMBER_LABEL.search(s)
        if m:
            own.append((n, squash(m.group(1))))
            continue
        if G.is_doc_number(s) or (n < ev.body_start and "《" not in s):
            own += [(n, squash(x.group(0))) for x in G.DOC_NUMBER.finditer(s) if squash(x.group(0)) not in cited]
    own = [(n, x) for n, x in own if x not in cited]
    if not got:
        if own:
            n, x = own[0]
            return [(n, ev.plan_id, "doc_number: " + N_("none drafted, but line {0} writes {1}").format(n, x))]
        return []
    if got in cited and got not in {x for _n, x in own}:
        return [_plan(ev, "doc_number", N_("{0} is the 文号 of a document the text cites, not its own").format(got))]
    if got == squash(ev.entry.get("parent") or ""):
        return [_plan(ev, "doc_number", N_("{0} is also drafted as the parent's 文号").format(got))]
    if own and got not in {x for _n, x in own}:
        n, x = own[0]
        return [(n, ev.plan_id, "doc_number: " + N_("line {0} writes {1}, not {2}").format(n, x, got))]
    if got not in "".join(ev.sq):
        return [_plan(ev, "doc_number", N_("{0} is written nowhere in the source").format(got))]
    year = re.search(r"(?:19|20)\d{2}", got)
    date = ev.entry.get("issue_date")
    if year and date and abs(int(year.group(0)) - int(str(date)[:4])) > 1:
        return [_plan(ev, "doc_number", N_("its year {0} is far from the date of issue {1}").format(year.group(0), date))]
    return []


def check_period(ev: Evidence) -> list:
    p = ev.entry.get("period") or {}
    start, end = (p.get("start"), p.get("end")) if isinstance(p, dict) else (None, None)
    name = squash(ev.entry.get("name") or "")
    m = G.PERIOD_IN_TITLE.search(name)
    if m and (int(m.group(1)), int(m.group(2))) != (start, end):
        return [_plan(ev, "period", N_("the name writes {0}—{1}").format(m.group(1), m.group(2)))]
    f = FIVE_YEAR.search(name)
    if f and not m:
        nth = 10 + "一二三四五六七八九".index(f.group(1)) + 1
        want = (1966 + 5 * (nth - 3), 1966 + 5 * (nth - 3) + 4)
        if want != (start, end):
            return [_plan(ev, "period", N_("the name's 十{0}五 is {1}—{2}").format(f.group(1), *want))]
    for n in range(max(ev.body_start, 1), min(len(ev.sq), ev.body_start + 8) + 1):
        s = SELF_PERIOD.search(ev.sq[n - 1])
        if s:
            a, b = (s.group(1), s.group(2)) if s.group(1) else (s.group(3), s.group(4))
            if (int(a), int(b)) != (start, end):
                return [(n, ev.plan_id, "period: " + N_("line {0} states the period {1}—{2}").format(n, a, b))]
    if start is None:
        return [_plan(ev, "period", N_("none drafted: the source states none — set it (cz ingest --period) or leave it"))]
    # the name says how many years (三年行动计划, 五年行动方案): the period spans as many
    k = SPAN_IN_NAME.search(name)
    if k and not m and end is not None:
        years = "一二三四五六七八九十".index(k.group(1)) + 1
        if end - start + 1 != years:
            return [_plan(ev, "period", N_("{0}—{1} spans {2} years, the name says {3}年").format(start, end, end - start + 1, k.group(1)))]
    # the goals the text sets (到2028年): a period that ends before the last, or long after it
    goals = [int(y) for x in ev.sq[max(ev.body_start, 1) - 1:max(ev.body_start, 1) + 40]
             for y in re.findall(r"(?:到|至)((?:19|20)\d{2})年", x)]
    if goals and not m and "period" in (ev.entry.get("supplied") or {}) and end not in goals and max(goals) < end + 10:
        return [_plan(ev, "period", N_("{0}—{1} was worked out, but the text sets its goals for {2}").format(
            start, end, ", ".join(str(g) for g in sorted(set(goals)))))]
    date = ev.entry.get("issue_date")
    if date and end and int(str(date)[:4]) > end + 1:
        return [_plan(ev, "period", N_("{0}—{1} ended before the date of issue {2}").format(start, end, date))]
    return []


IMPLEMENTS = re.compile(r"贯彻|落实|根据|依据|按照|实施|遵照|依照")


def check_parent(ev: Evidence) -> list:
    """The parent is the 文号 of a document the plan implements: a 文号 the text cites (《…》(文号)
    after 贯彻/落实/根据 …), or the national plan's when the preamble names it without 《》 or 文号."""
    parent = squash(ev.entry.get("parent") or "")
    if parent:
        supplied = "parent" in (ev.entry.get("supplied") or {})
        if parent == squash(ev.entry.get("doc_number") or ""):
            return [_plan(ev, "parent", N_("{0} is also drafted as the plan's own 文号").format(parent))]
        where = [n for n, s in enumerate(ev.sq, start=1) if parent in s]
        cited = [n for n in where if _implemented(ev.sq[n - 1], parent)]
        if where and not cited and not supplied:
            return [(where[0], ev.plan_id, "parent: " + N_("{0} is written on line {1}, but not as the 文号 of a document "
                                                           "the text implements (the plan's own?)").format(parent, where[0]))]
        return []
    # the preamble, where ingest put it (a skipped summary, a notice, the text's first lines)
    for n in range(1, min(len(ev.sq), max(ev.body_start, 1) + 3) + 1):
        s = ev.sq[n - 1]
        for m in CITED.finditer(s):
            if _implemented(s, squash(m.group(1))) and squash(m.group(1)) != squash(ev.entry.get("doc_number") or ""):
                return [(n, ev.plan_id, "parent: " + N_("none drafted, but line {0} implements {1}").format(n, squash(m.group(1))))]
    # the national plan named without 《》 or 文号 (为深入实施以人为本的新型城镇化战略五年行动计划)
    known = _national(ev.data)
    if known:
        title, number = known
        for n in range(1, min(len(ev.sq), max(ev.body_start, 1) + 3) + 1):
            s = ev.sq[n - 1]
            i = s.find(title)
            if i >= 0 and re.search(IMPLEMENTS.pattern + r"|为$", s[max(0, i - 12):i]):
                return [(n, ev.plan_id, "parent: " + N_("none drafted, but line {0} implements {1} ({2})").format(n, title, number))]
    return []


def _implemented(s: str, number: str) -> bool:
    """Line ``s`` cites ``number`` as the 文号 of a document it implements: 贯彻/落实/根据 … in the clause
    before it (the titles in 《》 aside) — not a document it mentions (…发布实施以来), nor an approval
    of the plan itself (已经国务院批复同意(国函…))."""
    for m in CITED.finditer(s):
        if squash(m.group(1)) == number:
            clause = re.split(r"[,，。;；]", s[:m.start()])[-1]
            if IMPLEMENTS.search(re.sub(r"《[^《》]*》", "", clause)) or IMPLEMENTS.search(clause[:clause.find("《")] if "《" in clause else ""):
                return True
    i = s.find(number)
    if i < 0:
        return False
    clause = re.split(r"[,，。;；]", re.sub(r"《[^《》]*》", "", s[:i]))[-1]
    return bool(IMPLEMENTS.search(clause))


_NATIONAL: dict[str, tuple[str, str] | None] = {}


def _national(data: Path | None) -> tuple[str, str] | None:
    """The national plan's name and 文号 (data/national.yaml)."""
    if data is None:
        return None
    key = str(data)
    if key not in _NATIONAL:
        try:
            import yaml

            text = (Path(data) / "national.yaml").read_text(encoding="utf-8")
            head = text.split("\nactions:", 1)[0]  # the plan's own entry comes first; its groups and tasks are not needed
            plan = (yaml.load(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}).get("plan") or {}
            _NATIONAL[key] = (squash(plan["name"]), squash(plan["doc_number"])) if plan.get("name") and plan.get("doc_number") else None
        except Exception:  # noqa: BLE001 - without it, the check asks nothing
            _NATIONAL[key] = None
    return _NATIONAL[key]


LEVELS = ("province", "city", "county")  # the catalogue's levels a body's name can say


def check_region(ev: Evidence) -> list:
    region = ev.entry.get("region") or ""
    level = ev.entry.get("level")
    issuer = squash(ev.entry.get("issuer") or "")
    out = []
    if ev.places is None:
        return out
    if not region:
        # (the id, made from the region, was made from nothing: said here, one cause, one flag)
        out = [_plan(ev, "region", N_("none drafted: set the plan's place") if ev.plan_id != "plan" else
                     N_("none drafted: set the plan's place — and give the plan an id with --id (“plan” was made "
                        "without one)"))]
        # the level follows from the region: with none, none is drafted — asked when the issuing body's name
        # says a level of the catalogue (省委办公厅: a province's)
        bodies = [issuer] if issuer else [who for _n, who in _issuing_bodies(ev)]
        said = next(((b, lv) for b in bodies for lv in [_level_of_body(ev, b)] if lv in LEVELS), None)
        if not level and said:
            out.append(_plan(ev, "level", N_("none drafted (it follows from the region, and none was read), but the "
                                             "issuing body {0} is a {1}'s: set it").format(*said)))
        return out
    got = _resolve(ev, region)
    name = squash(ev.entry.get("name") or "")
    if issuer and LABEL_WORDS.search(issuer) and not _place_of(ev, name):
        inner = _place_of(ev, issuer)
        if inner and got and inner.code == got[0].code:
            out.append(_plan(ev, "region", N_("{0} is the place of the issuer “{1}”, which does not read as a body's name").format(region, issuer)))
            out.append(_plan(ev, "level", N_("{0} follows from the region “{1}”, which is in doubt").format(level, region)))
            return out
    # the level the issuing body's name says (省委办公厅、省政府办公厅: a province's), with or without its place
    bodies = [issuer] if issuer else [who for _n, who in _issuing_bodies(ev)]
    said_level = next((lv for b in bodies for lv in [_level_of_body(ev, b)] if lv), None)
    if region != "全国" and not got:
        if re.fullmatch(r"[a-z0-9_]+", region) and region == ev.plan_id:
            out.append(_plan(ev, "region", N_("none found: “{0}” is the id made from the title's first words (give "
                                              "another with --id); set the plan's place").format(region)))
        else:
            out.append(_plan(ev, "region", N_("“{0}” is no place the gazetteer knows (data/places.tsv)").format(region)))
        if re.search(r"(?:市|州|盟|县|区|旗)$", region):  # the level was read from the phrase's last character
            out.append(_plan(ev, "level", N_("{0} follows from the region “{1}”, which is in doubt").format(level, region)))
        elif level and _level_of_name(region) not in (None, level):
            out.append(_plan(ev, "level", N_("{0}, but {1} is a {2}-level place").format(level, region, _level_of_name(region))))
        elif level and said_level and said_level != level:
            out.append(_plan(ev, "level", N_("{0}, but the issuing body {1} is a {2}'s").format(level, bodies[0], said_level)))
        return out
    # the region lies inside the place of the body that issues the plan (a province's government, a city's
    # plan?): a place the title names taken for the plan's
    body_place = next((p for b in bodies for p in [_place_of(ev, b)] if p), None)
    if body_place and got and body_place.code != got[0].code and _within(ev, got[0].code, body_place.code) \
            and not CENTRAL.match(re.sub(r"^中共", "", bodies[0] or "")):
        out.append(_plan(ev, "region", N_("{0} lies inside {1}, the place of the issuing body {2}").format(
            region, body_place.name, bodies[0])))
        out.append(_plan(ev, "level", N_("{0} follows from the region “{1}”, which is in doubt").format(level, region)))
        return out
    # the issuer the 落款 or notice names is a body of a place inside the region: the region is too wide
    inner = _place_of(ev, issuer) if issuer else None
    if inner and got and inner.code != got[0].code and _within(ev, inner.code, got[0].code) \
            and any(_same_body(issuer, who) for _n, who in [(n, w) for n, w, _d in _signature(ev) if w] + _notice_issuer(ev)):
        out.append(_plan(ev, "region", N_("{0}, but the issuer {1} is a body of {2}").format(region, issuer, inner.name)))
        out.append(_plan(ev, "level", N_("{0} follows from the region “{1}”, which is in doubt").format(level, region)))
        return out
    central = next((b for b in bodies if b and CENTRAL.match(re.sub(r"^中共", "", b))), None)
    if central and region != "全国":
        out.append(_plan(ev, "region", N_("the issuer {0} is a central body, the region {1} is not 全国").format(central, region)))
        if level:
            out.append(_plan(ev, "level", N_("{0} follows from the region “{1}”, which is in doubt").format(level, region)))
        return out
    if got:
        want = {"national": "national", "province": "province", "city": "city", "county": "county"}.get(got[0].level)
        if want and level and want != level and not (want == "national" and level == "province"):
            out.append(_plan(ev, "level", N_("{0}, but {1} is a {2}-level place").format(level, region, want)))
    # the place the title (else the issuer) opens with is the region's, or inside it
    place = _place_of(ev, name) or (_place_of(ev, issuer) if issuer else None)
    if place and got and place.code != got[0].code and not _within(ev, place.code, got[0].code) \
            and not _within(ev, got[0].code, place.code):
        said = N_("{0}, but the title names {1}") if _place_of(ev, name) else N_("{0}, but the issuer names {1}")
        out.append(_plan(ev, "region", said.format(region, place.name)))
    elif place and got and _within(ev, got[0].code, place.code) and not name.startswith(_short(region)):
        # a region below the place its title and issuer name: a page's place?
        said = N_("{0} lies inside {1}, the place the title names") if _place_of(ev, name) else \
            N_("{0} lies inside {1}, the place the issuer names")
        out.append(_plan(ev, "region", said.format(region, place.name)))
    if not out and got and region != "全国" and "region" not in (ev.entry.get("supplied") or {}):
        # tied to a span of the source: the region, or its place's short name, is written somewhere
        joined = "".join(ev.sq)
        if not any(x and x in joined for x in {squash(region), _short(region), squash(got[0].name),
                                                 squash(getattr(got[0], "short", "") or "")}):
            out.append(_plan(ev, "region", N_("{0} is written nowhere in the source: where was it read?").format(region)))
    return out


def _level_of_body(ev: Evidence, body: str) -> str | None:
    """The level of the place a body belongs to: its place's (江苏省人民政府办公厅 → province), or the
    word its short name opens with (省委办公厅, 省政府办公厅 → province; 市政府 → city; 县委 → county)."""
    if not body:
        return None
    parts = K.issuer_parts(body)
    levels = set()
    for b in parts:
        b = re.sub(r"^中共", "", squash(b))
        if CENTRAL.match(b):
            levels.add("national")
            continue
        p = _place_of(ev, b)
        if p is not None:
            levels.add({"province": "province", "city": "city", "county": "county"}.get(p.level, p.level))
            continue
        m = re.match(r"^(省|自治区|市|州|县|区|旗)(?:委|政府|人民政府|发展|发改|住房|自然|人大)", b)
        if m:
            levels.add(_level_of_name(m.group(1)) or "")
    levels.discard("")
    return levels.pop() if len(levels) == 1 else None


def _level_of_name(name: str) -> str | None:
    """The level a place's name says by its last word (省 → province, 市 → city, 县 → county)."""
    if re.search(r"(?:省|自治区)$", name):
        return "province"
    if re.search(r"(?:市|自治州|州|盟|地区)$", name):
        return "city"
    if re.search(r"(?:县|区|旗)$", name):
        return "county"
    return None


def _short(region: str) -> str:
    return re.sub(r"^[\u4e00-\u9fff]{2,4}?(?:省|自治区)", "", region)[:2] or region[:2]


def check_abridged(ev: Evidence) -> list:
    says = next((n for n, s in enumerate(ev.sq, start=1) if G.ABRIDGED.search(s) and (n < ev.body_start or n in ev.skipped)), None)
    if says and not ev.entry.get("abridged"):
        return [(says, ev.plan_id, "abridged: " + N_("line {0} says the text is abridged (有删减), the draft does not").format(says))]
    # a title that calls its copy a shortened version: (减缩版), 精简版, 节略本
    cut = next((n for n in list(ev.title_lines) + list(range(1, min(max(ev.body_start, 10), len(ev.sq)) + 1))
                if ABRIDGED_TITLE.search(ev.sq[n - 1] if 1 <= n <= len(ev.sq) else "")), None)
    if cut and not ev.entry.get("abridged"):
        return [(cut, ev.plan_id, "abridged: " + N_("line {0} calls the copy a shortened version ({1}), the draft does "
                                                    "not say abridged").format(cut, ABRIDGED_TITLE.search(ev.sq[cut - 1]).group(0)))]
    return []


ABRIDGED_TITLE = re.compile(r"(?:减缩|缩减|节略|精简|删节|简写)(?:版|本)")


def check_completeness(ev: Evidence) -> list:
    if re.search(r"节选|摘录|不完整|中断", ev.entry.get("completeness") or ""):
        return []
    # a plan is laid out under headings or numbered measures: a copy with neither holds a part of it (a preamble,
    # a summary, a story), whatever else it holds
    if not ev.sections and not any(r.get("number") for r in ev.records):
        last = next((n for n in range(len(ev.sq), 0, -1) if ev.sq[n - 1] and n not in ev.skipped), 0)
        return [(last, ev.plan_id, "completeness: " + N_("the draft holds no heading and no numbered measure, as a "
                                                         "plan's text does: a part of it (a preamble, a summary, a "
                                                         "story)?"))]
    last = next((n for n in range(len(ev.sq), 0, -1) if ev.sq[n - 1] and n not in ev.skipped), None)
    if last is None or last < ev.body_start:
        return []
    s = ev.sq[last - 1]
    if not re.search(r"[。；;!！?？”’)）:：]$", s) and not match_heading(ev.line(last).strip()) and len(s) > 12:
        return [(last, ev.plan_id, "completeness: " + N_("the last line ({0}) breaks off mid-sentence: an excerpt?").format(last))]
    return []


# --------------------------------------------------------------------------- outline

def _numbered(items: list[dict]):
    """(item, heading) of each item with a number the ladder reads."""
    for it in items:
        num = it.get("number")
        if not num:
            continue
        h = match_heading(str(num) + "x")
        if h is not None:
            yield it, h


# a heading's title that goes on from its number as a sentence about chapters does: another number after 至/、/和
# (第三章至第七章…, 第一、二章…), or a copula or a verb of summing up right after the number (第八章是…, 第二章分别…);
# no heading's title opens so
SPEAKS_OF_CHAPTERS = re.compile(r"(?:[至到、和与及]\s*第?\s*[一二三四五六七八九十百\d]+\s*[章节篇部条]?"
                                r"|(?:是|分别|共有|包括|阐述|论述))")


def check_outline(ev: Evidence) -> list:
    out = []
    claimed = {s.get("line") for s in ev.sections} | {r.get("line") for r in ev.records if r.get("number")}
    # gaps in each run of siblings of one kind of number
    groups = [ev.body.get("sections", [])] + [s.get("sections", []) for s in ev.sections]
    groups += [[r for r in s.get("measures", []) if r.get("number")] for s in ev.sections]
    groups.append([r for r in ev.body.get("measures", []) if r.get("number")])
    for group in groups:
        prev: dict[str, tuple[dict, object]] = {}
        for it, h in _numbered(group):
            p = prev.get(h.kind)
            if p is not None and h.value != p[1].value + 1:
                out.append((it.get("line") or 0, ev.plan_id, "structure: " + N_(
                    "{0} is followed by {1} on line {2}: a heading or measure between them was not found?").format(
                        p[0].get("number"), it.get("number"), it.get("line"))))
            prev[h.kind] = (it, h)
    # a line that reads as a numbered heading, drafted as text (from the end of the front matter: a first
    # heading lost is before the first record)
    front = [n for n in list(ev.title_lines) + [n for n in ev.skipped if n < ev.body_start]]
    # the kinds of number the drafted measures carry, and those that number lists inside a record's text
    measure_kinds = {h.kind for r in ev.records if r.get("number") for h in [match_heading(str(r["number"]) + "x")] if h}

    def sub_item(n: int, kind: str) -> bool:
        """Line ``n`` numbers an item of the numbered measure whose text holds it (its kind of number differs)."""
        for r in ev.records:
            if (r.get("line") or 0) < n <= (r.get("line_end") or r.get("line") or 0) and r.get("number"):
                own = match_heading(str(r["number"]) + "x")
                return own is not None and own.kind != kind
        return False
    for n in range(min(max(front, default=0) + 1, max(ev.body_start, 1)), len(ev.lines) + 1):
        if n in ev.skipped or n in claimed or n in ev.title_lines:
            continue
        raw = ev.line(n).strip()
        h = match_heading(raw)
        if h is None or h.kind in ("circled", "paren_arabic"):
            continue
        if n in ev.annex_lines and h.kind not in ("part", "chapter", "cn"):
            continue  # an annex's own list (34.隆尧县); a plan's heading inside it is asked about
        rest = squash(raw[h.end:])
        # a top-level heading (一、 第一章) may hold a comma (科学把握功能定位,分类引导县城发展方向)
        top = h.kind in ("part", "chapter", "section", "cn")
        if _inside_record(ev, n, raw):
            continue
        if 2 <= len(rest) <= (40 if top else 30) and not re.search(r"[;；]" if top else r"[,，;；]", rest[:-1]) \
                and not re.search(r"。.", rest):
            out.append((n, ev.plan_id, "structure: " + N_("line {0} reads as a heading ({1}), but it was drafted as text").format(n, squash(raw))))
        elif len(rest) > 2 and h.kind in (measure_kinds | {"cn", "paren_cn", "arabic"}) and not sub_item(n, h.kind):
            # a numbered paragraph, as the measures around it are: a measure drafted as text
            out.append((n, ev.plan_id, "structure: " + N_("line {0} opens with {1} as a numbered measure does, but it was "
                                                          "drafted as text").format(n, squash(h.number))))
    # a list of attachments (附件: then 1.… 2.…) drafted as headings or measures
    listed = _attachment_lines(ev)
    for x in list(ev.sections) + [r for r in ev.records if r.get("number")]:
        if (x.get("line") or 0) in listed:
            out.append((x.get("line") or 0, x.get("id"), N_("{0} is an entry of the list of attachments (附件:, line {1}), "
                                                           "not a heading or measure of the text").format(
                squash((x.get("number") or "") + (x.get("title") or "")), listed[x.get("line")])))
    # a number opening a line that continues the line before it, broken off mid-sentence: a page's numbering
    for x in list(ev.sections) + [r for r in ev.records if r.get("number")]:
        n = x.get("line") or 0
        prev = next((k for k in range(n - 1, 0, -1) if ev.sq[k - 1]), None)
        if prev and n not in listed and len(ev.sq[prev - 1]) > 40 \
                and not re.search(r"[。；;:：!！?？”’)）」』\]】>》]$", ev.sq[prev - 1].rstrip("|｜")):
            out.append((n, x.get("id"), N_("line {0} opens with {1}, but line {2} before it breaks off mid-sentence: "
                                           "a page's numbering, not the plan's?").format(n, squash(x.get("number") or ""), prev)))
    # headings without a title, headings that are sentences or contents lines
    toc = next((n for n, x in enumerate(ev.sq, start=1) if re.fullmatch(r"目录|目次", x)), None)
    unmarked = _contents_run(ev) if not toc else set()
    for s in ev.sections:
        if s.get("restored"):
            continue
        if id(s) in unmarked:
            out.append((s.get("line") or 0, s.get("id"), N_("heading “{0}” has no text under it, nor have the "
                                                           "headings around it: a line of a table of contents?").format(
                squash((s.get("number") or "") + (s.get("title") or "")))))
            continue
        if toc and (s.get("line") or 0) > toc and not _has_records(s) and not any(
                (r.get("line") or 0) > toc and (r.get("line") or 0) < (s.get("line") or 0) and r.get("kind") != "paragraph"
                or ((r.get("line") or 0) > toc and (r.get("line") or 0) < (s.get("line") or 0) and len(squash(r.get("text") or "")) > 40)
                for r in ev.records):
            out.append((s.get("line") or 0, s.get("id"), N_("heading “{0}” has no text under it and follows the contents "
                                                           "(目录, line {1}): a line of the contents?").format(
                squash((s.get("number") or "") + (s.get("title") or "")), toc)))
            continue
        title = squash(s.get("title") or "")
        src = ev.line(s.get("line") or 0)
        if SPEAKS_OF_CHAPTERS.match(title):
            # 第三章至第七章是重点任务, 第八章是加强规划实施保障: a sentence of a summary that speaks of the plan's
            # chapters (a range, a list, a copula after the number), not a heading opening one
            out.append((s.get("line") or 0, s.get("id"), N_("heading “{0}…” speaks of the plan's chapters (a range or a "
                                                           "verb after the number), it does not open one: a sentence, "
                                                           "not a heading?").format(squash((s.get("number") or "") + title)[:28])))
        elif not title:
            out.append((s.get("line") or 0, s.get("id"), N_("heading {0} has no title").format(s.get("number") or "")))
        elif CONTENTS_LINE.search(src):
            out.append((s.get("line") or 0, s.get("id"), N_("heading “{0}” is a line of a table of contents (it ends with a page number)").format(squash(src))))
        elif len(title) > 40 or re.search(r"[。；;]", title[:-1]) or (
                CONVENTIONAL_HEADING.match(title) and CONVENTIONAL_HEADING.match(title).end() < len(title.rstrip("。"))
                and re.search(r"[,，。]", title)):
            # (a conventional title run into its first sentence: 基本原则以人为本,公平共享。)
            out.append((s.get("line") or 0, s.get("id"), N_("heading “{0}…” reads as a sentence, not a title").format(
                squash((s.get("number") or "") + title)[:28])))
    for r in ev.records:
        title, text = squash(r.get("title") or ""), squash(r.get("text") or "").rstrip("。.")
        if r.get("number") and r.get("kind") == "measure" and title and text == title and not r.get("targets") \
                and not r.get("departments") and r is not ev.records[-1]:
            out.append((r.get("line") or 0, r.get("id"), N_("measure {0}{1} is a title alone, with no text: a heading?").format(
                r.get("number"), title)))
        paged = CONTENTS_LINE.sub("", text)  # a contents line of a heading that ends with 。: X。 - 3 -
        if r.get("number") and title and paged != text and paged.rstrip("。.") == title:
            out.append((r.get("line") or 0, r.get("id"), N_("measure {0}{1} is a line of a table of contents (its text "
                                                            "is its title and a page number)").format(r.get("number"), title)))
        if r.get("number") and not title and len(squash(r.get("text") or "")) <= 30:
            out.append((r.get("line") or 0, r.get("id"), N_("measure {0} has no title and no text: is “{1}” a heading?").format(
                r.get("number"), squash(ev.line(r.get("line") or 0)))))
    # a heading written inside a line of text, where the outline does not read one (ingest/run_in.py)
    from chengzhen.ingest.run_in import check_run_in
    # a heading numbered by a kind the outline does not read (第7条 指导思想), and what was drafted under it
    from chengzhen.ingest.unread_headings import check_unread

    return out + check_run_in(ev) + check_unread(ev)


def _bare(s: str) -> str:
    """A line or a drafted number and title, compared as written: squashed, one kind of bracket and dot."""
    return squash(s).translate(str.maketrans({"﹙": "(", "﹚": ")", "（": "(", "）": ")", "﹒": ".", "．": "."})).lstrip("|｜")


def check_spans(ev: Evidence) -> list:
    """Each drafted heading and numbered measure tied to its span of the source: its line opens with its
    number as written, then its title (a measure's title is its lead phrase; what follows is its text). A
    heading whose line does not open so — a number the line lacks, a title the line writes otherwise, a
    title cut short of the line's words — was read from somewhere else, or misread."""
    out = []
    items = [(x, True) for x in ev.sections if not x.get("restored")] + \
        [(r, False) for r in ev.records if r.get("number") and r.get("kind") == "measure"]
    for x, heading in items:
        n = x.get("line") or 0
        if not 1 <= n <= len(ev.lines) or n in ev.title_lines:
            continue
        number, title = _bare(str(x.get("number") or "")), _bare(x.get("title") or "")
        src = _bare(ev.line(n))
        if not number:
            continue
        head = number + title
        label = squash(str(x.get("number") or "") + (x.get("title") or ""))
        line = squash(ev.line(n))[:40]
        if not src.startswith(number):
            out.append((n, x.get("id"), N_("{0}: line {1} does not open with its number (“{2}”): read from another line?").format(
                label, n, line)))
        elif title and not src.startswith(head):
            out.append((n, x.get("id"), N_("{0}: line {1} writes “{2}”, not its title").format(label, n, line)))
        elif heading and title and len(src) > len(head) + 1 and re.match(r"[^。.;；,，:：\s|｜]", src[len(head):]) \
                and n not in ev.skipped:
            out.append((n, x.get("id"), N_("heading {0}: line {1} goes on after its title (“{2}”): a title cut short, or "
                                           "a paragraph read as a heading?").format(label, n, line)))
    return out


QUALIFIER_WORDS = re.compile(r"(?:左右|以上|以内|以下|多|余|近|约|超|不到|不足)")


def check_units(ev: Evidence) -> list:
    """Each drafted figure's unit tied to what its figure writes: the words after the number in its
    ``as_written`` (less a qualifier) are the unit, a part of it (万 for 万人) or it holds them (个百分点
    for 百分点); a unit written nowhere with the figure was taken from elsewhere."""
    out = []
    for r in ev.records:
        for t in r.get("targets") or []:
            unit, aw = squash(str(t.get("unit") or "")), squash(t.get("as_written") or "")
            m = re.match(r"^\D*?" + T.NUM, aw) if aw else None
            if not unit or not m:
                continue
            written = QUALIFIER_WORDS.sub("", re.sub(r"[\[\]［］【】()（）]", "", aw[m.end():]))
            written = re.split(r"[,，;；。、]", written)[0]
            if unit in ("万", "亿", "千", "百", "十万", "百万", "千万", "万亿"):
                out.append((t.get("line") or r.get("line") or 0, r.get("id"), N_(
                    "target {0}: unit {1} is a magnitude, not a unit (万人? 万户? 万元?)").format(t.get("as_written"), unit)))
            elif not written and r.get("kind") not in ("table", "box") and not re.search(r"[\[［【]", aw):
                out.append((t.get("line") or r.get("line") or 0, r.get("id"), N_(
                    "target {0}: unit {1}, but its figure writes no unit").format(t.get("as_written"), unit)))
            elif written and not (unit in written or written in unit or written[0] == unit[0]):
                out.append((t.get("line") or r.get("line") or 0, r.get("id"), N_(
                    "target {0}: unit {1} is not what its figure writes (“{2}”)").format(t.get("as_written"), unit, written)))
    return out


def _attachment_lines(ev: Evidence) -> dict[int, int]:
    """The lines of a notice's list of attachments (附件: alone on a line, then 1.X 2.X …) → its 附件 line."""
    out: dict[int, int] = {}
    for n, x in enumerate(ev.sq, start=1):
        if re.fullmatch(r"附件[:：]", x):
            k = n + 1
            while k <= len(ev.sq):
                y = ev.sq[k - 1]
                if not y:
                    k += 1
                    continue
                h = match_heading(ev.line(k).strip())
                if h is None or h.kind not in ("arabic", "cn", "paren_arabic", "paren_cn"):
                    break
                out[k] = n
                k += 1
    return out


def _contents_run(ev: Evidence, least: int = 3) -> set[int]:
    """The headings (by ``id``) of a run of at least ``least`` drafted one after another with no text under
    any of them and no record with text between them (a measure that is its title alone is none): a table of
    contents with no 目录 line above it."""
    record_lines = sorted((r.get("line") or 0) for r in ev.records if _with_text(r))
    empty = sorted((s for s in ev.sections if not s.get("restored") and not _has_text(s)),
                   key=lambda s: s.get("line") or 0)
    runs, run = [], []
    for s in empty:
        n = s.get("line") or 0
        if run and any((run[-1].get("line") or 0) < k < n for k in record_lines):
            runs.append(run)
            run = []
        run.append(s)
    runs.append(run)
    return {id(s) for r in runs if len(r) >= least for s in r}


def _with_text(r: dict) -> bool:
    """A record holding more than its title (a measure that is its title alone holds no text)."""
    text = squash(r.get("text") or "").rstrip("。.")
    return bool(text) and text != squash(r.get("title") or "").rstrip("。.")


def _has_text(s: dict) -> bool:
    return any(_with_text(r) for r in s.get("measures", [])) or any(_has_text(c) for c in s.get("sections", []))


def _has_records(s: dict) -> bool:
    return bool(s.get("measures")) or any(_has_records(c) for c in s.get("sections", []))


def _inside_record(ev: Evidence, n: int, raw: str) -> bool:
    """A numbered line that is an item inside a record's text (a list a measure holds)."""
    for r in ev.records:
        if r.get("line", 0) < n <= r.get("line_end", r.get("line", 0)):
            return r.get("kind") in ("box", "table")
    return False


# --------------------------------------------------------------------------- records


def check_records(ev: Evidence) -> list:
    """Each drafted record against the format's definitions: a measure's title is its lead phrase (a
    first sentence of at most 40 characters without comma, colon or semicolon) — none longer, none missed;
    a 责任单位 name is a body's name, not one with its role (省公安厅牵头负责)."""
    out = []
    for r in ev.records:
        if r.get("kind") == "measure" and r.get("number"):
            title = squash(r.get("title") or "")
            text = squash(r.get("text") or "")
            if title and (len(title) > 40 or re.search(r"[,，:：;；]", title)):
                out.append((r.get("line") or 0, r.get("id"), N_("measure {0}: its title “{1}” is no lead phrase (a first "
                                                                "sentence of at most 40 characters, no comma)").format(r.get("number"), title[:30])))
            elif not title and text:
                first = re.match(r"^([^。!！?？]{2,40}?)[。!！?？]", text)
                if first and not re.search(r"[,，:：;；、]", first.group(1)) and len(text) > len(first.group(0)) \
                        and not FIGURE.search(first.group(1)):
                    out.append((r.get("line") or 0, r.get("id"), N_("measure {0}: its first sentence “{1}” reads as its "
                                                                    "lead phrase, but no title was drafted").format(r.get("number"), first.group(1))))
        for dep in r.get("departments") or []:
            names = dep.get("names", []) + [dep.get("joint") or ""] if isinstance(dep, dict) else [dep]
            bad = next((x for x in names if x and (re.search(r"(?:负责|牵头|配合|落实|参与|等)$", squash(x))
                                                  or re.search(r"[:：。;；]", x))), None)
            if bad:
                out.append((r.get("line") or 0, r.get("id"), N_("departments: “{0}” does not read as a body's name (a role "
                                                               "word or a label with it?)").format(bad)))
                break
    return out


# a bracketed clause at a paragraph's end naming bodies by their roles, without a label:
# (省公安厅负责), (省发展改革委牵头,省财政厅配合)
ROLE_CLAUSE = re.compile(r"[(（]([^()（）]{2,120}?(?:负责|牵头|配合|参与|落实)[^()（）]{0,80}?)[)）]\s*[。.]?\s*$")


ROLE_WORDS = re.compile(r"(?:按职责分工)?(?:牵头)?负责|牵头|配合|参与|落实|等|分别")
DEPT_LABEL = re.compile(r"(?:[\u4e00-\u9fff]{0,4}(?:单位|部门|主体|处室|机构|机关))\s*[:：]")


def _last_bracket(s: str) -> str | None:
    """The bracketed clause a line ends with (brackets inside it kept: 各县(市、区)人民政府)."""
    t = s.rstrip("。. |｜")
    if not t or t[-1] not in ")）":
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        if t[i] in ")）":
            depth += 1
        elif t[i] in "(（":
            depth -= 1
            if depth == 0:
                return t[i + 1:-1]
    return None


def _clause_items(clause: str) -> list[str]:
    """The names a 责任单位 clause lists: split at 、 , ; outside brackets, labels and role words out."""
    clause = DEPT_LABEL.sub("、", clause.split("。")[0])
    items, cur, depth = [], "", 0
    for ch in clause:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
        if depth == 0 and ch in "、,，;；":
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    return [x for x in (ROLE_WORDS.sub("", squash(i)) for i in items) if len(x) >= 2 and not re.fullmatch(r"下同|同上|不再.*|以下.*", x)]


def _drafted_names(deps) -> list[str]:
    out = []
    for dep in deps or []:
        out += (dep.get("names") or [dep.get("joint")]) if isinstance(dep, dict) else [dep]
    return [squash(x) for x in out if x]


def check_departments(ev: Evidence) -> list:
    out = []
    for r in ev.records:
        if r.get("departments"):
            # the clause the list was read from names as many bodies, and each drafted one is written in it
            last = r.get("line_end") or r.get("line") or 0
            clause = _last_bracket(ev.sq[last - 1]) if 1 <= last <= len(ev.sq) else None
            if clause and (DEPT_WORDS.search(clause) or ROLE_CLAUSE.search("(" + clause + ")")):
                items = _clause_items(clause)
                names = _drafted_names(r["departments"])
                text = squash(clause).replace("人民政府", "政府")
                written = [squash(d.get("joint") or "") if isinstance(d, dict) else squash(d) for d in r["departments"]]
                lost = len(items) > len(names)
                foreign = next((x for x in written if x and x.replace("人民政府", "政府") not in text), None)
                if lost or foreign:
                    out.append((last, r.get("id"), N_("departments: the clause on line {0} names {1} ({2}), the draft {3}{4}").format(
                        last, len(items), "、".join(items), len(names), f" ({foreign}?)" if foreign else "")))
            continue
        a, last = r.get("line") or 0, r.get("line_end") or r.get("line") or 0
        text = (r.get("text") or "") + "".join(ev.sq[n - 1] for n in range(max(a, 1), min(last, len(ev.sq)) + 1))
        m = DEPT_WORDS.search(text)
        if m and r.get("kind") in ("measure", "paragraph"):
            out.append((r.get("line") or 0, r.get("id"), N_("departments: the text writes {0} but no 责任单位 were drafted").format(m.group(0).strip())))
            continue
        c = ROLE_CLAUSE.search(ev.sq[last - 1]) if 1 <= last <= len(ev.sq) else None
        if c and r.get("kind") in ("measure", "paragraph"):
            first = re.split(r"[、,，;；]", re.sub(r"(?:牵头)?负责|牵头|配合|参与|落实|等", "", c.group(1)))[0]
            if first and (_reads_as_body(first) or re.search(r"(?:厅|局|委|办|政府|部门|单位)$", first)):
                out.append((last, r.get("id"), N_("departments: line {0} ends with ({1}), bodies and their roles, but no "
                                                 "责任单位 were drafted").format(last, c.group(1))))
    return out


def check_glosses(ev: Evidence) -> list:
    out = []
    for r in ev.records + ev.sections:
        text = (r.get("title") or "") + (r.get("text") or "")
        m = GLOSS.search(text)
        if m:
            out.append((r.get("line") or 0, r.get("id"), N_("text: a pinyin gloss {0} is left in the text").format(m.group(0))))
    return out


def check_targets(ev: Evidence) -> list:
    out = []
    start = _period_start(ev)
    for r in ev.records:
        for t in r.get("targets") or []:
            aw = t.get("as_written") or ""
            line = t.get("line") or r.get("line") or 0
            if line in ev.skipped or line < ev.body_start or (ev.title_lines and line < min(ev.title_lines)) \
                    or NEWS_LEAD.match(ev.sq[line - 1] if 1 <= line <= len(ev.sq) else ""):
                out.append((line, r.get("id"), N_("target {0}: it stands on a line outside the plan's text (a lead, a page's words)").format(aw)))
                continue
            quote = squash(t.get("quote") or "")
            before = quote.split(squash(aw))[0] if aw and squash(aw) in quote else quote
            # the years the sentence is about before the figure (a commitment's own words count: 2000年底前建成的…)
            about = before
            years = [int(y) for y in re.findall(r"((?:19|20)\d{2})年", about)]
            goal_year = re.search(r"(?:到|至)(?:19|20)\d{2}年", about)
            # without the plan's years, the target's own year is what a past one is before
            first = start or (int(t["year"]) - 5 if t.get("year") else None)
            if first and years and max(years) < first and not goal_year:
                out.append((line, r.get("id"), N_("target {0}: its sentence speaks of {1}, before the plan's period: a past figure?").format(aw, max(years))))
            elif "以来" in before and not goal_year:
                out.append((line, r.get("id"), N_("target {0}: its sentence speaks of what has been done (以来): a past figure?").format(aw)))
            elif _comparator_differs(aw, t.get("comparator")):
                out.append((line, r.get("id"), N_("target {0}: comparator {1} does not say what its qualifier says").format(aw, t.get("comparator"))))
            elif t.get("year") and start and not (start - 1 <= int(t["year"]) <= _period_end(ev, start) + 15):
                out.append((line, r.get("id"), N_("target {0}: year {1} lies outside the plan's years").format(aw, t["year"])))
            elif t.get("baseline_year") and r.get("kind") not in ("table", "box") \
                    and f"{t['baseline_year']}年" not in _clause_of(quote, squash(aw)):
                out.append((line, r.get("id"), N_("target {0}: baseline year {1} is not written in its own clause").format(aw, t["baseline_year"])))
            elif t.get("scope") and not PLACE_END.search(squash(str(t["scope"]))) and _unresolved(ev, str(t["scope"])) \
                    and not any(i == str(t["scope"]) for _l, i, _r in ev.existing):  # proposed (a class) asks already
                out.append((line, r.get("id"), N_("target {0}: scope “{1}” does not read as a place (part of the indicator?)").format(aw, t["scope"])))
            else:
                said = _year_doubt(ev, r, t, quote, start) or _not_a_target(ev, r, t, line, start) \
                    or _under_principles(ev, r, t) or _indicator_doubt(ev, t, quote)
                if said:
                    out.append((line, r.get("id"), said))
    return out


def _under_principles(ev: Evidence, r: dict, t: dict) -> str | None:
    """A target drafted in a section that states principles (基本原则, 指导思想): no goal stands there."""
    for sec in ev.sections:
        if any(x is r for x in sec.get("measures", [])):
            title = squash(sec.get("title") or "")
            if PRINCIPLES.match(title):
                return N_("target {0}: it stands under “{1}”, a section of principles, not of goals: is it a target?").format(
                    t.get("as_written") or t.get("indicator"), title[:12])
    return None


_INDICATORS: dict[str, dict[str, set]] = {}


def _indicator_names(data: Path | None) -> dict[str, set]:
    """Each indicator's canonical name → every name it goes by (data/indicators.yaml)."""
    key = str(data)
    if key not in _INDICATORS:
        out: dict[str, set] = {}
        try:
            import yaml

            doc = yaml.load((Path(data) / "indicators.yaml").read_text(encoding="utf-8"),
                            Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
            for i in doc.get("indicators") or []:
                if i.get("name"):
                    out[squash(i["name"])] = {squash(i["name"])} | {squash(a) for a in i.get("aliases") or []}
        except Exception:  # noqa: BLE001 - without the vocabulary the check asks nothing
            out = {}
        _INDICATORS[key] = out
    return _INDICATORS[key]


SCOPE_WORDS = re.compile(r"^.*?(?:全省|全市|全县|全区|全国|全州|全盟|我省|我市|我县|我区|本省|本市|本县)")
LEAD_WORDS = re.compile(r"^(?:(?:到|至)?(?:19|20)\d{2}年(?:底|末)?|力争|确保|实现|推动|促进|使|让|推进|努力|争取|其中|以上|并|且|和|与)+")


def _indicator_doubt(ev: Evidence, t: dict, quote: str) -> str | None:
    """The indicator against the words its clause writes before the figure. An indicator goes by its
    name or an alias; where the clause writes only a shorter alias (城镇化率) and, in the place of the
    words the name adds (常住人口), other words of a quantity (户籍人口 — not a place, a scope or a verb),
    it writes another quantity."""
    canonical = squash(t.get("indicator") or "")
    names = _indicator_names(ev.data).get(canonical)
    aw = squash(t.get("as_written") or "")
    if not names or not aw or aw not in quote:
        return None
    clause = _clause_of(quote, aw)[: -len(aw)]
    hits = [(clause.rfind(n), n) for n in names if n in clause]
    if not hits:
        return None
    i, n = max(hits, key=lambda x: (x[0] + len(x[1]), len(x[1])))
    if not canonical.endswith(n) or canonical == n:
        return None  # the clause writes its name (or an alias that is no part of it)
    own = canonical[: -len(n)]  # the words the name adds before the alias
    j = i
    while j > 0 and "\u4e00" <= clause[j - 1] <= "\u9fff" and clause[j - 1] not in "的和与及":
        j -= 1
    written = LEAD_WORDS.sub("", SCOPE_WORDS.sub("", clause[j:i]))
    while written and _place_of(ev, written) is not None:  # a place before it is its scope
        cut = next((k for k in range(len(written), 1, -1) if _resolve(ev, written[:k])), 0)
        if not cut:
            break
        written = LEAD_WORDS.sub("", written[cut:])
    if len(written) >= 2 and own not in written and written not in own and not PLACE_END.search(written):
        return N_("target {0}: its clause writes “{1}”, not a name of the indicator {2}").format(
            t.get("as_written"), written + n, t.get("indicator"))
    return None


def _year_doubt(ev: Evidence, r: dict, t: dict, quote: str, start: int | None) -> str | None:
    """A target's year against the rules of the format: a year written in its sentence, its paragraph's
    or its section's goal paragraph (到2025年,…); else, implied, the period's end (N年内: start + N − 1)."""
    year = t.get("year")
    if not year:
        return None
    aw = t.get("as_written") or ""
    base = re.search(rf"(?:比|较|相比|同比|基数){year}年|{year}年(?:为基数|基础上|的基础上)", squash(t.get("quote") or ""))
    if base:
        return N_("target {0}: year {1} is the base year its sentence compares with ({2}), not the year of the target").format(
            aw, year, base.group(0))
    if t.get("year_implied"):
        end = _period_of(ev)
        line = t.get("line") or r.get("line") or 0
        sentence = next((x for x in re.split(r"[。;；]", ev.sq[line - 1] if 1 <= line <= len(ev.sq) else "")
                         if squash(aw) in x), "")
        within = re.search(r"([一二三四五六七八九十\d]+)年内", squash(t.get("quote") or "") + sentence)
        if end and not within and int(year) != end[1]:
            return N_("target {0}: the implied year {1} is not the end of the plan's period ({2})").format(aw, year, end[1])
        return None
    near = _near_text(ev, r)
    if f"{year}年" not in near and str(year) not in near:
        return N_("target {0}: year {1} is written neither in its sentence nor in the goal it stands under").format(aw, year)
    return None


def _near_text(ev: Evidence, r: dict) -> str:
    """The record's text and the lines that may give its year: its section's title and first paragraphs,
    the goal paragraph (到2025年,…) its run of records stands under, the three lines before it."""
    cache = ev.__dict__.setdefault("_near", {})
    if id(r) in cache:
        return cache[id(r)]
    if "_groups" not in ev.__dict__:
        groups = {}
        for group, sec in [(ev.body.get("measures", []), None)] + [(x.get("measures", []), x) for x in ev.sections]:
            for i, x in enumerate(group):
                groups[id(x)] = (group, sec, i)
        ev.__dict__["_groups"] = groups
    a, b = r.get("line") or 0, r.get("line_end") or r.get("line") or 0
    parts = [r.get("title") or "", r.get("text") or ""] + [ev.sq[n - 1] for n in range(max(1, a - 3), b + 1) if n <= len(ev.sq)]
    found = ev.__dict__["_groups"].get(id(r))
    if found:
        group, sec, i = found
        if sec is not None:
            parts.append(sec.get("title") or "")
        parts += [x.get("text") or "" for x in group[:2]]
        for x in group[:i]:  # the paragraphs before it that open with their year
            if re.match(r"\s*(?:展望)?(?:到|至)\s*(?:19|20)\d{2}\s*年", x.get("text") or ""):
                parts.append((x.get("text") or "")[:40])
    cache[id(r)] = squash("\n".join(parts))
    return cache[id(r)]


# a news item's words, not a plan's: 导语, 记者, 近日X印发…
NEWS_LEAD = re.compile(r"^(?:导语|摘要|核心提示|编者按|记者|本报讯|新华社|[【\[]?\w{0,6}讯[】\]]?|近日|日前)")
STRICT_PAST = re.compile(r"以来|已经|已达|已有|过去|(?:19|20)\d{2}\s*年\s*(?:底|末|年底|年末)|累计完成|实现了|达到了|提高了|增加了")


def _not_a_target(ev: Evidence, r: dict, t: dict, line: int, start: int | None) -> str | None:
    """A drafted target whose figure reads as no target by the evidence that holds for any figure: in a
    section that reviews the past; in a sentence about a year before the period, or about what has been
    done (以来, 已达, 2020年底); a span or an age with no goal word in its clause (经过5年的努力); part of a
    文号; the baseline of 由X提高到Y."""
    aw = squash(t.get("as_written") or "")
    s = ev.sq[line - 1] if 1 <= line <= len(ev.sq) else ""
    if "_retro" not in ev.__dict__:
        ev.__dict__["_retro"] = {x.get("id") for x in ev.sections if x.get("retrospective")}
    retro = ev.__dict__["_retro"]
    at = s.find(aw) if aw else -1
    if at < 0:
        return None
    for m in FIGURE.finditer(s, at, min(len(s), at + len(aw) + 8)):
        if m.group(0) not in aw and aw not in m.group(0):
            continue
        if m.group(2) == "年" and re.match(r"(?:19|20)\d{2}$", m.group(1)):
            continue  # a year
        try:
            if t.get("value") is not None and abs(float(m.group(1)) - float(t["value"])) > 1e-9:
                continue  # another figure of its words (500亿级园区 1个)
        except ValueError:
            continue
        why = _reason(ev, s, m, r, retro, start, False)
        if not why:
            return None
        cs = max(s.rfind(c, 0, m.start()) for c in ",，;；。:：") + 1
        sentence = max(s.rfind(c, 0, m.start()) for c in "。;；") + 1
        clause, head = s[cs:m.start()], s[sentence:m.start()]
        goal = GOAL.search(clause) or re.search(r"(?:到|至)(?:19|20)\d{2}年", head) or re.search(r"(?:接近|超过|达|约|近)$", clause)
        strong = why.startswith(("in a section that reviews", "in a sentence about", "what has been done", "part of a 文号",
                                 "the baseline of", "a figure of the present")) \
            or (why.startswith("a figure of the past") and STRICT_PAST.search(head)) \
            or (why.startswith("a span") and m.group(2) in ("年", "岁") and not goal)
        if strong:
            return N_("target {0}: the figure reads as no target ({1})").format(t.get("as_written"), why)
        return None
    return None


QUALIFIED = [(re.compile(r"以上|不低于|不少于|至少"), {"ge", "gt"}), (re.compile(r"超过|高于|大于"), {"gt", "ge"}),
             (re.compile(r"以内|以下|不超过|不高于|控制在"), {"le", "lt"}), (re.compile(r"左右|约"), {"approx"}),
             (re.compile(r"接近"), {"approach", "approx"})]


def _comparator_differs(aw: str, comparator) -> bool:
    """A qualifier the target writes (以上, 以内, 左右 …) that its comparator does not say."""
    for pattern, ok in QUALIFIED:
        if pattern.search(aw or ""):
            return comparator not in ok
    return False


def _period_end(ev: Evidence, start: int) -> int:
    p = ev.entry.get("period") or {}
    return int(p["end"]) if isinstance(p, dict) and p.get("end") else start + 5


def _clause_of(quote: str, aw: str) -> str:
    """The clause of ``quote`` that writes ``aw``: from the last comma or 、 before it."""
    i = quote.find(aw) if aw else -1
    if i < 0:
        return quote
    return quote[max(quote.rfind(c, 0, i) for c in ",，;；、") + 1:i + len(aw)]


def _unresolved(ev: Evidence, scope: str) -> bool:
    if ev.places is None:
        return True
    try:
        return bool(ev.places.read_scope(scope).unresolved)
    except Exception:  # noqa: BLE001
        return True


def check_all_tasks(ev: Evidence) -> list:
    if ev.body.get("applies_to_all_tasks"):
        return []
    for r in ev.records:  # the source lines, not the text: a 责任单位 clause that holds the note is cut from it
        a, b = r.get("line") or 0, r.get("line_end") or r.get("line") or 0
        m = ALL_TASKS.search(squash(r.get("text") or "")) or next(
            (x for n in range(a, b + 1) if 1 <= n <= len(ev.sq) for x in [ALL_TASKS.search(ev.sq[n - 1])] if x), None)
        if m:
            return [(r.get("line") or 0, r.get("id"), N_("all_tasks: “{0}” reads as a plan-wide assignment of the tasks (以下任务…), "
                                                          "not drafted as applies_to_all_tasks").format(m.group(0)))]
    return []


def _period_start(ev: Evidence) -> int | None:
    """The first year of the plan: its period's, else its year of issue, else the latest year the page
    writes before the text (a copy's date)."""
    p = ev.entry.get("period") or {}
    if isinstance(p, dict) and p.get("start"):
        return int(p["start"])
    d = ev.entry.get("issue_date")
    if d:
        return int(str(d)[:4])
    years = [dt[0] for n, s in enumerate(ev.sq[:max(ev.body_start - 1, 0)], start=1) if n not in ev.title_lines
             for dt in G.dates(s) + [(int(y), 0, 0) for y in re.findall(r"((?:19|20)\d{2})-\d{1,2}-\d{1,2}", s)]]
    return max(years) if years else None


@dataclass
class Figure:
    line: int
    figure: str
    status: str  # target | reason | flagged
    why: str
    item: str


def account(ev: Evidence) -> list[Figure]:
    """Every quantity of the plan's text (a figure with a unit or a
    qualifier, on a line no skip holds), with what the draft makes of it: a
    drafted target; a figure the draft gives a reason for (a past year, a
    span, a name, no goal word in its clause …); or flagged — a figure in a
    clause with a goal word (到2025年, 达到, 力争 …) that is neither."""
    start = _period_start(ev)
    owner: dict[int, dict] = {}
    for r in ev.records:
        for n in range(r.get("line") or 0, (r.get("line_end") or r.get("line") or 0) + 1):
            owner.setdefault(n, r)
    retro = {s.get("id") for s in ev.sections if s.get("retrospective")}
    written: dict[str, list[str]] = {}  # record id -> what its targets write (a table's figure spans its row's lines)
    for r in ev.records:
        for t in r.get("targets") or []:
            written.setdefault(r.get("id"), []).append(squash(t.get("as_written") or ""))
            if t.get("baseline_as_written"):
                written[r.get("id")].append(squash(str(t["baseline_as_written"])))
    goal = _goal_lines(ev, start)
    out = []
    for n in range(max(ev.body_start, 1), len(ev.lines) + 1):
        if n in ev.skipped or n in ev.title_lines or n in ev.annex_lines:
            continue
        s = ev.sq[n - 1]
        r = owner.get(n)
        for m in FIGURE.finditer(s):
            fig = m.group(0)
            item = (r or {}).get("id") or ev.plan_id
            if m.group(2) == "年" and re.match(r"(?:19|20)\d{2}$", m.group(1)):
                continue  # a year
            if any(fig in aw for aw in written.get((r or {}).get("id"), [])):
                out.append(Figure(n, fig, "target", "", item))
                continue
            why = _reason(ev, s, m, r, retro, start, n in goal)
            if why:
                out.append(Figure(n, fig, "reason", why, item))
            else:
                out.append(Figure(n, fig, "flagged", "", item))
    return out


def _goal_lines(ev: Evidence, start: int | None) -> set[int]:
    """The lines a goal governs: the records of a section whose title says 目标, and in each run of
    records those from a paragraph opening with 到YYYY年 (not a past year) to the run's end."""
    lines: set[int] = set()

    def span(r):
        return range(r.get("line") or 0, (r.get("line_end") or r.get("line") or 0) + 1)

    for sec in ev.sections:
        if "目标" in (sec.get("title") or ""):
            for r in sec.get("measures", []):
                lines.update(span(r))
    for group in [ev.body.get("measures", [])] + [sec.get("measures", []) for sec in ev.sections]:
        on = False
        for r in group:
            m = re.match(r"(?:到|至)((?:19|20)\d{2})年", squash(r.get("text") or ""))
            if m and (start is None or int(m.group(1)) >= start):
                on = True
            if on:
                lines.update(span(r))
    return lines


# the present state a sentence states (目前我省…已突破70%), and words that turn a paragraph from its past to its goals
PRESENT = re.compile(r"(?:目前|当前|现阶段|截至目前)[^,，;；。]{0,30}(?:已|为|达)")
FUTURE = re.compile(r"(?:到|至)\s*(?:19|20)\d{2}\s*年|今后|未来|展望|力争|目标|预计|计划|确保|争取|今年|明年")


def _reason(ev: Evidence, s: str, m: re.Match, r: dict | None, retro: set, start: int | None,
            governed: bool = False) -> str:
    if r is None:
        return "in no record (a heading)"
    if r.get("section") in retro or any(str(r.get("id", "")).startswith(str(x) + ".") for x in retro if x):
        return "in a section that reviews the past"
    if re.search(r"[〔\[［]\s*$", s[:m.start()]) or re.match(r"\s*号", s[m.end():]):
        return "part of a 文号"
    if m.group(2) == "亿级":
        return "a class (N亿级), counted by the number before it"
    if m.group(2) in ("年", "岁", "小时", "分钟", "天") or re.match(r"[\u4e00-\u9fff]{0,1}(?:级|届|期|批|号|类|大)", s[m.end():m.end() + 2]):
        return "a span, an age, an ordinal or part of a name"
    cs = max(s.rfind(c, 0, m.start()) for c in ",，;；。:：") + 1
    sentence = max(s.rfind(c, 0, m.start()) for c in "。;；") + 1
    clause, head = s[cs:m.start()], s[sentence:m.start()]
    # the years the sentence is about (a base year, 比2020年 / 较2020年, is not one)
    years = [int(y) for y in re.findall(r"(?<![比较])((?:19|20)\d{2})年", head)]
    goal_year = next((g for g in re.finditer(r"(?:到|至)((?:19|20)\d{2})年", head)
                      if start is None or int(g.group(1)) >= start), None)  # 到2005年底 before the period: the past
    p = ev.entry.get("period") or {}
    guessed = not (isinstance(p, dict) and p.get("start")) and not ev.entry.get("issue_date")
    # the plan's first year guessed from a page's date (a repost years later): a span of years its sentence opens
    # with, and a goal word with no word of the past in its clause, is the plan's own period (2011年至2015年,…达到44%)
    own_span = guessed and re.search(r"(?:19|20)\d{2}\s*年?\s*(?:至|到|—|－|-|~|～)+\s*(?:19|20)\d{2}\s*年", head) \
        and GOAL.search(clause) and not re.search(PAST, head)
    if start and years and max(years) < start and not goal_year and not own_span:
        return f"in a sentence about {max(years)}年, before the plan's period: the past"
    if "以来" in head and not goal_year:
        return "what has been done since (…以来): a figure of the past"
    if PRESENT.search(head) and not goal_year:
        return "a figure of the present (目前…已): the plan's base, not a goal"
    since = s.rfind("以来", 0, sentence)
    if since >= 0 and s[:since].count("。") == 0 and not FUTURE.search(s[since:m.start()]):
        return "what has been done since (…以来, at its paragraph's head): a figure of the past"
    if re.search(PAST, head) and not goal_year and not GOAL.search(clause):
        return "a figure of the past (已, 年末 …)"
    if re.search(r"(?:由|从)\s*(?:(?:19|20)\d{2}年(?:底|末)?的?)?$", clause):
        return "the baseline of 由X提高到Y"
    # a goal year an earlier sentence of its paragraph sets (到2020年,…达到62%。努力实现…,促进1000万…) governs it
    # too, unless a year of the past is written after it (not in a box or table: a list of projects and their sizes)
    earlier = [] if (r or {}).get("kind") in ("table", "box") else [g for g in re.finditer(r"(?:到|至)((?:19|20)\d{2})年", s[:sentence]) if start is None or int(g.group(1)) >= start]
    governed = governed or bool(earlier and not any(int(y) < int(earlier[-1].group(1)) and (start is None or int(y) < start)
                                                      for y in re.findall(r"((?:19|20)\d{2})年", s[earlier[-1].end():m.start()])))
    if not (GOAL.search(clause) or goal_year or governed or re.search(r"(?:接近|超过|达|约|近)$", clause)):
        return "no goal word in its clause: a description, not a commitment"
    return ""


def check_figures(ev: Evidence) -> list:
    out = []
    asked: dict[tuple[int, str], str] = {}  # every flag of a line and record (not the last one alone)
    for line, item, r in ev.existing:
        asked[(line, item)] = asked.get((line, item), "") + squash(r)
    for f in account(ev):
        if f.status == "flagged" and squash(f.figure) not in asked.get((f.line, f.item), ""):
            out.append((f.line, f.item, N_("target: {0} stands in a clause with a goal word, but was not drafted as a target "
                                           "and no reason was recorded: is it one?").format(f.figure)))
    return out


# a deadline a sentence sets (到2025年, 2025年底前, 三年内) and a word that commits to finishing something
DEADLINE = re.compile(r"(?:到|至)\s*((?:19|20)\d{2})\s*年(?:底|末)?|((?:19|20)\d{2})\s*年(?:底|末|年底)?(?:以)?前"
                      r"|[一二三四五六七八九十\d]+年内")
COMPLETION = re.compile(r"全面完成|基本完成|完成|建成|全覆盖|覆盖全部|覆盖所有|全面消除|基本消除|消除|全面取消|取消|全部纳入|全面实现|"
                        r"基本实现|实现全|达标|清零|全面落实")


# what a vision states of the whole place (基本实现社会主义现代化, 建成…区域中心城市): an aim, not a checkable commitment
VISION = re.compile(r"(?:现代化|城镇化|城市群|都市圈|城市|城|强市|强省|强县|大省|示范区|先行区|高地|目标|格局|局面)$")


def check_commitments(ev: Evidence) -> list:
    """A commitment without a figure: a sentence of the text that sets a deadline (到2025年, 2025年底前,
    三年内 — not one before the plan's period) and, in a clause after it, commits to finishing something
    (完成, 建成, 全覆盖, 消除, 取消 … — not a thing described by it, 建成的, and not a vision of the whole
    place, 基本实现现代化, 建成区域中心城市), where the clause holds no figure (figures are accounted for by
    :func:`account`) and gave no target: a target without a figure (value null) the draft may have missed."""
    out = []
    start = _period_start(ev)
    retro = {x.get("id") for x in ev.sections if x.get("retrospective")}
    drafted: dict[int, list[str]] = {}
    for r in ev.records:
        for t in r.get("targets") or []:
            drafted.setdefault(t.get("line") or r.get("line") or 0, []).append(squash(t.get("as_written") or ""))
    principles = {id(x) for sec in ev.sections if PRINCIPLES.match(squash(sec.get("title") or "")) for x in sec.get("measures", [])}
    for r in ev.records:
        if r.get("kind") in ("table", "box") or id(r) in principles or r.get("section") in retro \
                or str(r.get("id", "")).endswith(".notice"):
            continue
        for n in range(r.get("line") or 0, (r.get("line_end") or r.get("line") or 0) + 1):
            if n in ev.skipped or not 1 <= n <= len(ev.sq):
                continue
            asked = False
            for sentence in re.split(r"[。;；!！?？]", ev.sq[n - 1]):
                d = DEADLINE.search(sentence)
                if not d or asked:
                    continue
                year = int(d.group(1) or d.group(2) or 0)
                if year and start and year < start - 1:
                    continue  # a deadline of the past (2000年底前建成的…): what it describes, not what it commits to
                at = d.start()
                for clause in re.split(r"[,，:：]", sentence[at:]):
                    c = COMPLETION.search(clause)
                    figures = [m for m in FIGURE.finditer(clause)
                               if not (m.group(2) == "年" and re.match(r"(?:19|20)\d{2}$", m.group(1)))]
                    if not c or figures or clause[c.end():c.end() + 1] == "的" or VISION.search(clause[c.end():]):
                        continue
                    if any(aw and aw in clause for aw in drafted.get(n, [])):
                        continue
                    out.append((n, r.get("id"), N_("commitment: line {0} sets a deadline ({1}) and commits to “{2}” without "
                                                   "a figure, and no target was drafted: a target without a figure?").format(
                        n, d.group(0), clause[c.start():c.start() + 24])))
                    asked = True
                    break
    return out


def check_shared_figures(ev: Evidence) -> list:
    """One figure that several quantities share (常住人口和户籍人口城镇化率均提高1个百分点): each quantity
    is a target of its own; fewer drafted targets on that figure than the quantities its clause joins
    before 均/都 is a reading to check."""
    out = []
    for r in ev.records:
        seen: dict[tuple[int, str], int] = {}
        for t in r.get("targets") or []:
            if t.get("value") is None:
                continue
            key = (t.get("line") or r.get("line") or 0, squash(t.get("as_written") or ""))
            seen[key] = seen.get(key, 0) + 1
        for (line, aw), count in seen.items():
            s = ev.sq[line - 1] if 1 <= line <= len(ev.sq) else ""
            i = s.find(aw) if aw else -1
            if i < 0:
                continue
            cs = max(s.rfind(c, 0, i) for c in ",，;；。:：") + 1
            clause = s[cs:i]
            m = re.search(r"((?<![年人平])均|都|分别)(?:要|将|可)?(?:提高|提升|增加|增长|达到|达|降低|下降|减少|控制在|保持在|超过|不低于|不少于)?[到至]?$", clause)
            if not m or (m.group(1) == "分别" and re.match(r"\s*(?:和|、|及|与)\s*\d", s[i + len(aw):])):
                continue  # (分别达到60%和50%: a figure each)
            items = clause[:m.start()]
            joined = items.count("、") + 1 if "、" in items else len(re.findall(r"[和与及]", items)) + 1
            if joined > count:
                out.append((line, r.get("id"), N_("target {0}: its clause joins {1} quantities that share the figure "
                                                  "(…{2}), but {3} target was drafted: one each?").format(
                    aw, joined, clause[max(0, m.start() - 16):m.end()], count)))
    return out


CHECKS = [check_name, check_issuer, check_issue_date, check_doc_number, check_period, check_parent, check_region,
          check_abridged, check_completeness, check_outline, check_records, check_departments, check_all_tasks, check_glosses,
          check_targets, check_figures, check_commitments, check_shared_figures,
          check_spans, check_units, *K.CHECKS]

# the sixth round: each drafted target's fields judged by the rule path that read them (ingest/target_paths.py)
from chengzhen.ingest import target_paths as TP  # noqa: E402

CHECKS.append(lambda ev: TP.check_target_paths(ev, _indicator_names(ev.data), _near_text))

# the seventh round: every figure of the source a target, or explained by a path asked about when weak
# (ingest/figure_paths.py)
from chengzhen.ingest import figure_paths as FP  # noqa: E402

CHECKS.append(lambda ev: FP.check_every_figure(ev, sys.modules[__name__]))

# the eighth round: a quantity in a form the figure net does not read (3/4, 四分之三, 2.3:1, 七成) in a sentence
# that sets a goal is asked about on its line (ingest/figure_forms.py)
from chengzhen.ingest import figure_forms as FF  # noqa: E402

CHECKS.append(lambda ev: FF.check_unread_forms(ev, sys.modules[__name__]))

# the eighth round: catalogue fields and outline units by kinds of evidence the checks above do not read
# (ingest/flags_catalogue.py, ingest/flags_layout.py), and a goal sentence's figures (ingest/flags_sentence.py)
from chengzhen.ingest import flags_catalogue as FC, flags_layout as FL, flags_sentence as FS  # noqa: E402

CHECKS += [lambda ev, X=X: X.check(ev, sys.modules[__name__]) for X in (FC, FL, FS)]
