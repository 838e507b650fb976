"""The 版头 and 落款 of a 公文 (GB/T 9704), line by line.

A plan usually reaches us inside the notice (通知) that issues it:

* **版头** (header): the 发文机关标志 (``X人民政府``, ``X人民政府文件``, joint
  issuers ``中共X省委 X省人民政府``), the 发文字号 (``青政〔2024〕48号``; copies
  write ``[2024]``, ``(2024)``, ``【2024】`` too), the notice's title
  (``X关于印发《Y》的通知``, ``X关于印发Y的通知`` without 《》, ``X印发…的通知``,
  broken over two or three lines), and the 主送机关 (``各市(州)、县(市、区)
  人民政府,省政府各部门:``, possibly wrapped over lines);
* **落款** (signature): the issuer, the date (``2024年12月14日``, or in Chinese
  numerals ``二〇二四年十二月十四日``), a mark such as ``(此件公开发布)`` or
  ``(本文有删减)``, and the 版记 (``抄送:…``, ``X办公厅 2024年12月16日印发``).

:func:`header_ok` and :func:`signature_ok` say which lines of a run are such
lines.  Validation (``kb.audit``, skip kinds) and ingest (``ingest.front``)
both use them, so a header ingest skips is one validation accepts.  Pure:
regular expressions over text, no I/O.
"""

from __future__ import annotations

import re

from chengzhen.text.normalize import squash

CJK = r"\u4e00-\u9fff"
# what an issuing body's name ends with
ISSUER_END = (r"(?:人民政府办公厅|人民政府办公室|人民代表大会常务委员会|人民政府|办公厅|办公室|委员会|管委会|"
              r"政府|省委|市委|州委|县委|区委|党委|党组|厅|局|委|部|署|院)")
ISSUER = re.compile(rf"^(?:中共)?[{CJK}]{{2,60}}?{ISSUER_END}(?:文件)?(?:关于)?$")
# a plan's period in its title: (2024—2028年); or the n-th five-year plan it belongs to
PERIOD_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*[—–―\-~～至]+\s*((?:19|20)\d{2})\s*年?")
FIVE_YEAR_PLANS = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030), "十六五": (2031, 2035)}
# 发文字号: 机关代字〔年份〕序号 (square, round or lenticular brackets in copies)
DOC_NUMBER = re.compile(rf"[{CJK}]{{1,12}}[〔\[［【(（]\s*(?:19|20)\d{{2}}\s*[〕\]］】)）]\s*第?\s*\d{{1,4}}\s*号")
# the notice's title: (issuer) 关于 (印发|转发|批转) … 的 通知/决定/意见/批复 — or (issuer) 印发 …的通知
NOTICE_TITLE = re.compile(rf"^[^。!?！？；;:：]{{0,80}}?(?:关于|印发|转发|批转|颁发|公布)"
                          rf"[^。!?！？；;:：]{{2,}}?(?:的)?(?:通知|决定|意见|批复|通报|函)$")
# 主送机关: names of bodies (or places sharing a government) ending with a colon
ADDRESSEE_ITEM = re.compile(r"(?:人民政府|政府|管委会|委员会|部门|单位|机构|机关|委|办|厅|局|院|署|会|处|室|所|站|队|"
                            r"中心|公司|集团|企业|银行|学校|院校|高校|团体|组织|党组|党委|工委|"
                            r"省|市|州|县|区|旗|盟|乡|镇|街道)$")
DATE = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[〇零一二三四五六七八九十]{1,3})\s*月\s*"
                  r"(\d{1,2}|[〇零一二三四五六七八九十]{1,3})\s*日")
PUBLIC_MARK = re.compile(r"^[(（](?:此件|本件)?(?:主动公开|公开发布|不予公开|依申请公开|不公开|公开)[)）]$"
                         r"|^(?:此件|本件)(?:主动公开|公开发布|不予公开|依申请公开|不公开|公开)$")
ABRIDGED = re.compile(r"(?:本文|此文|本件|此件)有删减|有删节|内容有删减")
ABRIDGED_MARK = re.compile(r"^[(（]?(?:(?:本文|此文|本件|此件)有删减|有删节|内容有删减)[)）]?$")
# the 公开属性 and the 删减 note in one bracket: (此件公开发布,本文有删减)
_MARK_PART = r"(?:(?:此件|本件)?(?:主动公开|公开发布|不予公开|依申请公开|不公开|公开)|(?:本文|此文|本件|此件)有删减|有删节|内容有删减)"
JOINT_MARK = re.compile(rf"^[(（]{_MARK_PART}(?:[,，、;；]{_MARK_PART})+[)）]$")
COPY_TO = re.compile(r"^抄\s*送\s*[:：]")
PRINTED = re.compile(rf"^[{CJK}]{{2,60}}{ISSUER_END}(?:(?:19|20)\d{{2}}年\d{{1,2}}月\d{{1,2}}日)印发$")

# a catalogue's completeness note that says the copy is an excerpt (it breaks off)
# a web page's information table (信息栏): ``索引号: … 文号: … 发文日期: …``, one cell or a row of them
PAGE_LABEL = re.compile(r"^\s*(?:[-·•]\s*)?(索\s*引\s*号|信息分类|主题分类|发布机构|发文机关|生成日期|成文日期|发布日期|公开日期|"
                        r"文\s*号|发文字号|是否有效|有\s*效\s*性|名\s*称|标\s*题|题\s*名|来\s*源|作\s*者|浏览次数|点击数|"
                        r"阅读次数|访问量|责\s*编|责任编辑|编\s*辑|[一二三]\s*审|审\s*核|校\s*对|供\s*稿)\s*[:：]")
LABEL_CELL = re.compile(rf"(?:^|[\s|])[{CJK}]{{2,8}}\s*[:：]")
EXCERPT = re.compile(r"节选|摘录|不完整")

__all__ = ["EXCERPT", "DOC_NUMBER", "DATE", "ABRIDGED", "PUBLIC_MARK", "date_parts", "dates", "is_issuer", "is_doc_number",
           "is_notice_title", "is_addressees", "header_form", "signature_form", "header_ok", "signature_ok"]


def _cn_number(s: str) -> int | None:
    from chengzhen.text.numerals import cn_to_int

    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in "〇零一二三四五六七八九" for c in s):  # 二〇二四: digit by digit
        return int("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in s))
    return cn_to_int(s.replace("〇", "零"))


def date_parts(m: re.Match) -> tuple[int, int, int] | None:
    """(year, month, day) of a :data:`DATE` match, if it is a date."""
    y, mo, d = (_cn_number(g) for g in m.groups())
    if not (y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return y, mo, d


def dates(text: str) -> list[tuple[int, int, int]]:
    """The dates ``text`` writes (Arabic or Chinese numerals)."""
    return [p for m in DATE.finditer(text) if (p := date_parts(m))]


def is_page_label_row(s: str) -> bool:
    """A line of a page's information table: it opens with one of its labels
    (索引号:, 发布机构: …), holds no full stop, and is short or a row of three
    or more ``label:`` cells — not a paragraph that happens to start so."""
    if not PAGE_LABEL.match(s) or "。" in s:
        return False
    return len(squash(s)) <= 80 or len(LABEL_CELL.findall(s)) >= 3


def is_issuer(s: str) -> bool:
    return bool(ISSUER.match(squash(s)))


def is_doc_number(s: str) -> bool:
    return bool(DOC_NUMBER.fullmatch(squash(s)))


def is_notice_title(s: str) -> bool:
    s = squash(s)
    return len(s) <= 200 and bool(NOTICE_TITLE.match(s))


def is_addressees(s: str) -> bool:
    """各市(州)、县(市、区)人民政府,省政府各部门、各直属机构: — every item a body's
    name (or a place sharing the government after it), the line ending with a colon."""
    s = squash(s)
    if not s or s[-1] not in ":：" or len(s) > 200 or re.search(r"[。!?！？；;]", s):
        return False
    from chengzhen.text.clauses import GLOSS_TAIL, split_top

    items = [GLOSS_TAIL.sub("", p) for p, _ in split_top(s[:-1], "、,，")]
    return bool(items) and all(p and ADDRESSEE_ITEM.search(p) for p in items)


def header_form(s: str) -> str | None:
    """Which 版头 line ``s`` is by itself: issuer, doc_number, title, addressees."""
    if is_issuer(s):
        return "issuer"
    if is_doc_number(s):
        return "doc_number"
    if is_notice_title(s):
        return "title"
    if is_addressees(s):
        return "addressees"
    return None


def signature_form(s: str) -> str | None:
    """Which 落款 (or 版记) line ``s`` is: issuer, date, mark, copy_to, printed."""
    t = squash(s)
    if is_issuer(t):
        return "issuer"
    if DATE.fullmatch(t) and date_parts(DATE.fullmatch(t)):
        return "date"
    if PUBLIC_MARK.match(t) or ABRIDGED_MARK.match(t) or JOINT_MARK.match(t):
        return "mark"
    if COPY_TO.match(t):
        return "copy_to"
    if PRINTED.match(t):
        return "printed"
    return None


def _runs_ok(lines: list[str], one, joined) -> list[bool]:
    """Which of ``lines`` (one skip's lines; blank ones pass) are a form by
    themselves (``one``), or part of two to four consecutive non-blank lines
    that together are one (``joined``: a title or 主送机关 broken over lines)."""
    ok = [not squash(x) or one(x) is not None for x in lines]
    filled = [i for i, x in enumerate(lines) if squash(x)]
    for a in range(len(filled)):
        for b in range(a + 1, min(a + 4, len(filled))):
            window = filled[a:b + 1]
            if all(ok[i] for i in window):
                continue
            if joined("".join(squash(lines[i]) for i in window)):
                for i in window:
                    ok[i] = True
    return ok


def header_ok(lines: list[str]) -> list[bool]:
    """For each line of a run skipped as 版头: whether it is one (alone, or
    with its neighbours as a title or 主送机关 broken over lines)."""
    return _runs_ok(lines, header_form, lambda s: is_notice_title(s) or is_addressees(s))


def signature_ok(lines: list[str]) -> list[bool]:
    """For each line of a run skipped as 落款: whether it is one (alone, or
    with its neighbours as a 抄送 list broken over lines)."""
    return _runs_ok(lines, signature_form, lambda s: bool(COPY_TO.match(s)) and "。" not in s)
