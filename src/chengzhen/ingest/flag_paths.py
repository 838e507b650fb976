"""Review flags by the path a catalogue field was read by (issue 24, part 4; the sixth round).

Each round of checks so far fixed the kinds of error the last blind set showed, and each new set brought
kinds none had shown (frozen4 78.3 %, frozen5 82.1 %, frozen6 89.5 %, frozen7 55.9 %, frozen8 70.4 %
flagged).  This module asks by *where a value came from* instead of by what is wrong with it: every drafted
catalogue field is given the name of the rule path that produced it (:func:`provenance`: the title, a
落款, a notice's title, a page's label, a news lead, a value ingest worked out, …), and the kind of text it
was read from (:func:`text_kind`: an official document, a news item about a plan, a web page around one).
``bench/flag_paths.py`` tabulates, over every gold set and the curated plans, how often each field × path
is right (:data:`CALIBRATION`); a field read by a path wrong at least a quarter of the time — or, for a path
seen too seldom to be judged by its own count, whose field is estimated wrong a fifth of the time on its kind
of text (:func:`pooled`) — is flagged with a reason that names the path (:func:`check_paths`).  A news item's catalogue is
the weakest: its end is not the plan's end (``completeness``), its headline is not the plan's title, the
body that acts in the story is not the plan's issuer.

A check of the outline goes with it: a garbled line as short as a heading (mojibake no repair restored) in
the body, where a heading may be lost (:func:`check_garbled`).

Nothing here changes a value; the messages are English templates marked for the catalogue (``N_``)."""

from __future__ import annotations

import re

from chengzhen.text import gongwen as G
from chengzhen.text.normalize import squash


def N_(message: str) -> str:
    """Marks a message template for the catalogue (tools/i18n.py)."""
    return message


# ------------------------------------------------------------------------------------------ the kind of text

# a news headline: a place or a body, a colon, what it does (广西:…, 国务院:…, 四川:到2025年…)
HEADLINE = re.compile(r"^(?:\S{0,20}\s)?[\u4e00-\u9fff]{2,12}[:：|｜]\s*\S"
                      # …or a body that issued a document, then what it says (国家发展改革委印发…方案 到2025年…)
                      r"|^(?!.*关于)\S{2,30}?(?:印发|发布|出台)\S{4,60}\s+\S{4,}")
# a news story's dateline or source line (2月27日消息, 8月3日,X发布…; 本报讯; 记者; 导读)
DATELINE = re.compile(r"^(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日(?:消息|电|讯)?[,，\s]|^(?:导读|本报讯|核心提示|编者按|新华社)"
                      r"|记者\S{0,6}(?:报道|摄)?|^据\S{0,20}?(?:报道|消息)|^\S{2,14}讯\s|^\S{2,14}讯(?=据)")
# a story about a document, in the third person: 《X》提出, 《行动计划》明确, the report says
ABOUT_A_DOCUMENT = re.compile(r"(?:》|^通知|^方案|^意见|^规划|^计划)(?:提出|明确|指出|强调|要求|显示|还提出|明确提出)|(?:工作报告|发布会|新闻办|会议)[上中]?"
                              r"|(?:表示|介绍|透露|指出)[,，:：]|(?:主任|书记|局长|厅长|负责人)\S{0,4}(?:表示|介绍|说)")
# a news page's tail: its author, its source, comments, a disclaimer
NEWS_TAIL = re.compile(r"[(（]?作者[:：]|责任编辑|责编[:：]|编辑[:：]|文章转载|转载自|本文来自|免责声明|原标题|评论|来源[:：]\S{0,12}(?:网|报|新闻|日报)")


def text_kind(ev) -> str:
    """The kind of text the copy is: ``news`` — a story about a plan (a headline ``X:…``, a dateline, a
    document spoken of in the third person, a news page's tail) with none of a document's own parts (a 落款,
    a notice, numbered headings); else ``document``."""
    sq = ev.sq
    marks = set()
    # the headline: one of the page's first lines (after a date or a site's name alone)
    if any(HEADLINE.match(x) and not G.DOC_NUMBER.search(x) for x in [x for x in ev.lines if len(re.findall(r"[\u4e00-\u9fff]", x)) >= 4][:3]):
        marks.add("headline")
    for s in sq[:40]:
        if DATELINE.search(s):
            marks.add("dateline")
        if ABOUT_A_DOCUMENT.search(s):
            marks.add("about")
        if NEWS_TAIL.search(s):
            marks.add("tail")
    kinds = {x.get("kind") for x in ev.entry.get("skip") or []}
    own = ("signature" in kinds) or ("header" in kinds) or sum(1 for s in ev.sections if not s.get("restored")) >= 2
    # a news item that carries the document's text (…全文如下) is a repost of it, read as the document
    own = own or any(re.search(r"(?:全文|原文)如下", s) for s in sq[:40])
    if len(marks) >= 2 and not own:
        return "news"
    return "document"


# ------------------------------------------------------------------------------------------ provenance

def _skip_kinds(ev) -> dict[int, str]:
    out: dict[int, str] = {}
    for s in ev.entry.get("skip") or []:
        a, _, b = str(s.get("lines", "")).partition("-")
        try:
            for n in range(int(a), int(b or a) + 1):
                out[n] = s.get("kind") or ""
        except ValueError:
            continue
    return out


def _lines_writing(ev, value: str) -> list[int]:
    v = squash(value or "")
    return [n for n, s in enumerate(ev.sq, start=1) if v and v in s] if v else []


# the title of a plan's closing chapter or heading (保障措施, 组织实施, 实施保障, 附则 …)
CLOSING = re.compile(r"保障|组织实施|实施机制|推进实施|组织领导|附则|规划实施")


def _closes(ev, kinds: dict[int, str]) -> bool:
    """The copy closes as a plan does: a 落款 after its text, or its last top heading a closing chapter's."""
    if any(kinds.get(n) == "signature" for n in range(max(ev.body_start, 1), len(ev.sq) + 1)):
        return True
    tops = [s for s in ev.body.get("sections", []) if s.get("title")]
    return bool(tops) and bool(CLOSING.search(squash(tops[-1].get("title") or "")))


# where an issuer is written (a skipped line's kind, the title) → its path
ISSUER_PATHS = (("signature", "signature"), ("header", "notice"), ("title", "own_title"), ("web", "label"), ("summary", "lead"))


def provenance(ev) -> dict[str, str]:
    """Each catalogue field → the rule path that produced it, suffixed ``@news`` when the copy is a news item."""
    e = ev.entry
    supplied = e.get("supplied") or {}
    review = e.get("review") or ""
    kinds = _skip_kinds(ev)
    first_title = min(ev.title_lines) if ev.title_lines else None
    out: dict[str, str] = {}
    # name
    if not e.get("name"):
        out["name"] = "none"
    elif "name" in supplied:
        why = supplied["name"]
        out["name"] = "composed" if "拟定" in why else "notice" if "印发通知" in why else "self_named" if "自述" in why else "supplied"
    elif first_title is not None and re.match(r"^\s*《", ev.line(first_title)):
        out["name"] = "page_title"
    elif first_title is not None and re.search(r"(?:名称|标题|题名)\s*[:：]", ev.line(first_title)):
        out["name"] = "label"
    elif first_title is not None and first_title == next((n for n, s in enumerate(ev.sq, start=1) if s), 0) \
            and not any(kinds.get(n) == "header" for n in range(1, first_title)):
        out["name"] = "first_line"  # the first line of the copy: a document's title, or a page's headline
    else:
        out["name"] = "title"
    # issuer
    issuer = e.get("issuer")
    if not issuer:
        out["issuer"] = "none"
    elif "issuer" in supplied:
        out["issuer"] = "supplied"
    else:
        where = _lines_writing(ev, re.split(r"[、,，]", squash(issuer))[0])
        ks = [kinds.get(n, "title" if n in ev.title_lines else "body") for n in where]
        # the first of the places it is written that the rules read an issuer from, in their order
        out["issuer"] = next((path for where_kind, path in ISSUER_PATHS if where_kind in ks), "elsewhere")
    # issue_date
    date = e.get("issue_date")
    if not date:
        out["issue_date"] = "none"
    elif "issue_date" in supplied:
        out["issue_date"] = "label"
    else:
        y, m, d = (int(x) for x in str(date).split("-"))
        where = [n for n, s in enumerate(ev.sq, start=1) if (y, m, d) in G.dates(s.replace("○", "〇"))]
        before = first_title is not None and all(n < first_title for n in where) and where
        out["issue_date"] = "before_title" if before else "signature" if any(kinds.get(n) == "signature" for n in where) \
            else "elsewhere"
    # doc_number
    num = e.get("doc_number")
    if not num:
        out["doc_number"] = "none"
    else:
        where = _lines_writing(ev, num)
        ks = [kinds.get(n, "title" if n in ev.title_lines else "body") for n in where]
        out["doc_number"] = "label" if "web" in ks else "header" if "header" in ks else "elsewhere"
    # period
    per = e.get("period")
    why = supplied.get("period") or ""
    if not (isinstance(per, dict) and per.get("start")):
        out["period"] = "none"
    elif not why:
        out["period"] = "title"
    elif "cz ingest --period" in why:
        out["period"] = "editor"
    elif "印发通知" in why:
        out["period"] = "notice_name"
    elif "十" in why and "五" in why and "推算" in why and "五年计划" not in why:
        out["period"] = "five_year_count"
    elif "五年计划" in why:
        out["period"] = "five_years_from_parent" if "文号" in why else "five_years_from_date"
    elif "正文" in why:
        out["period"] = "text_line"
    else:
        out["period"] = "supplied"
    # parent
    parent = e.get("parent")
    why = supplied.get("parent") or ""
    out["parent"] = "none" if not parent else "cited" if not why else "named" if "未加书名号" in why else "known_title"
    # region and level
    region = e.get("region") or ""
    if "the province the text names most" in review:
        out["region"] = "most_named"
    elif not region or region == ev.plan_id or "no place found" in review:
        out["region"] = "none"
    elif region == "全国":
        out["region"] = "national"
    elif squash(e.get("name") or "").startswith((region, region[:2])) and "name" not in supplied:
        out["region"] = "title"
    elif issuer and squash(issuer).lstrip("中共").startswith(region[:2]):
        out["region"] = "issuer"
    else:
        out["region"] = "elsewhere"
    out["level"] = "stand_in" if region == "全国" else out["region"]
    out["abridged"] = "said" if e.get("abridged") else "none"
    # a copy read as whole: its text closes as a plan does (a 落款 after it, or its last heading a closing
    # chapter's: 保障措施, 组织实施 …), or it only ends with a sentence's end
    out["completeness"] = "cut_off" if re.search(r"节选|中断", e.get("completeness") or "") else \
        "whole_closed" if _closes(ev, kinds) else "whole"
    if text_kind(ev) == "news":
        out = {k: v + "@news" for k, v in out.items()}
    return out


# ------------------------------------------------------------------------------------------ weak paths

# field:path → (wrong, drafted) over every gold set and the five curated plans, as `bench/flag_paths.py`
# counts them; a path wrong at least WEAK_SHARE of the time (and seen at least WEAK_LEAST times) is asked
# about.  Recount with `bench/flag_paths.py --table` after a change to ingest's reading.
CALIBRATION: dict[str, tuple[int, int]] = {
    'abridged:none': (1, 102),
    'abridged:none@news': (0, 20),
    'abridged:said': (0, 6),
    'completeness:cut_off': (0, 100),
    'completeness:cut_off@news': (0, 15),
    'completeness:whole': (3, 3),
    'completeness:whole@news': (5, 5),
    'completeness:whole_closed': (0, 5),
    'doc_number:header': (0, 25),
    'doc_number:label': (1, 12),
    'doc_number:none': (2, 71),
    'doc_number:none@news': (0, 20),
    'issue_date:before_title': (0, 44),
    'issue_date:label': (1, 1),
    'issue_date:none': (8, 59),
    'issue_date:none@news': (1, 20),
    'issue_date:signature': (0, 4),
    'issuer:elsewhere': (0, 1),
    'issuer:label': (3, 3),
    'issuer:lead': (0, 2),
    'issuer:none': (11, 50),
    'issuer:none@news': (13, 20),
    'issuer:notice': (2, 16),
    'issuer:signature': (1, 36),
    'level:elsewhere': (0, 33),
    'level:elsewhere@news': (0, 6),
    'level:issuer': (2, 11),
    'level:most_named': (1, 7),
    'level:most_named@news': (2, 8),
    'level:none': (1, 4),
    'level:none@news': (2, 6),
    'level:stand_in': (5, 5),
    'level:title': (3, 48),
    'name:composed': (23, 25),
    'name:composed@news': (14, 14),
    'name:first_line': (1, 2),
    'name:none': (1, 3),
    'name:none@news': (4, 5),
    'name:notice': (0, 3),
    'name:page_title': (0, 6),
    'name:self_named': (0, 1),
    'name:title': (4, 68),
    'name:title@news': (0, 1),
    'parent:cited': (0, 17),
    'parent:known_title': (0, 3),
    'parent:named': (0, 2),
    'parent:none': (3, 86),
    'parent:none@news': (0, 20),
    'period:five_year_count': (0, 2),
    'period:five_years_from_date': (0, 1),
    'period:five_years_from_parent': (0, 13),
    'period:none': (6, 37),
    'period:none@news': (5, 15),
    'period:notice_name': (0, 3),
    'period:text_line': (4, 8),
    'period:text_line@news': (1, 5),
    'period:title': (0, 44),
    'region:elsewhere': (0, 33),
    'region:elsewhere@news': (0, 6),
    'region:issuer': (2, 11),
    'region:most_named': (0, 7),
    'region:most_named@news': (3, 8),
    'region:national': (0, 5),
    'region:none': (1, 4),
    'region:none@news': (5, 6),
    'region:title': (0, 48),
}
WEAK_SHARE = 0.25
WEAK_LEAST = 3
# a path seen fewer times is judged by its kind of text's fields pooled, at this share
POOL_SHARE = 0.2
# weak by definition, whatever the counts: a news item is not the plan it reports on, so its end is not the
# plan's end (a copy of a news item that ends whole is a part of the plan)
DEFINED = {"completeness:whole@news"}

# what each path is, said in the reason (each a whole template, to be said in the reader's language)
PATH_REASONS = {
    "name:first_line@news": N_("the name is the page's first line of a news item (its headline), not a document's title: "
                               "which plan does it report on?"),
    "name:title@news": N_("the name was read from a news item's title line, not a document's: which plan does it "
                          "report on?"),
    "issuer:none@news": N_("none drafted, and the copy is a news item: a story names who acts, not always who issued "
                           "the plan — set it if the story names the issuing body"),
    "issuer:lead": N_("read from a news lead or a page's summary, not a 落款 or a notice's title: check it"),
    "issuer:lead@news": N_("read from a news item's story, not a 落款 or a notice's title: check it"),
    "issuer:label": N_("read from a page's label (发布机构), not a 落款 or a notice's title: the page's publisher?"),
    "issue_date:before_title": N_("read from a date before the title (a page's or a notice's), not the 落款: check it"),
    "issue_date:label": N_("read from a page's information bar, not the 落款: check it"),
    "period:none@news": N_("none drafted, and the copy is a news item: the plan it reports on states its period — set it"),
    "period:five_years_from_date": N_("worked out as five years from the date of issue: the text does not state it"),
    "period:text_line": N_("taken from years a line of the text writes, not the title: the plan's own, or a plan it cites?"),
    "completeness:whole@news": N_("read as 全文 because the copy ends with a whole sentence, but the copy is a news item: "
                                  "it gives a part of the plan it reports on (节选)"),
    "region:most_named": N_("the province the text names most, not a place the title or the issuer names: check it"),
    "region:elsewhere": N_("the place was read neither from the title nor from the issuer: check it"),
    "region:none@news": N_("no place read, and the copy is a news item: the place of the plan it reports on?"),
    "level:most_named": N_("follows from a region that is the province the text names most: check it"),
    "level:none@news": N_("follows from no region (a news item): set the plan's level"),
}
GENERIC = N_("read by the path “{0}”, which gave a wrong value {1} of {2} times on the plans checked: check it")
# a path seldom seen, judged by its kind of text
POOLED = N_("read by the path “{0}”, seldom seen; on this kind of text this field is wrong about {1} % of the time: "
            "check it")


# each path as a curator reads it (every path provenance gives: the reason names it so)
PATH_WORDS = {"title": "标题", "first_line": "首行", "composed": "ingest 拟定", "notice": "印发通知", "self_named": "正文自述",
              "page_title": "网页标题《》", "label": "网页标签", "signature": "落款", "own_title": "标题中的机关",
              "lead": "导语或摘要", "elsewhere": "别处", "none": "未读出", "before_title": "标题前的日期", "header": "版头",
              "supplied": "ingest 补", "five_year_count": "十X五推算", "five_years_from_parent": "所落实计划的文号起算五年",
              "five_years_from_date": "印发日期起算五年", "text_line": "正文某行的年份", "editor": "编者给出",
              "notice_name": "通知所写名称", "cited": "所引文号", "named": "未加书名号的名称", "known_title": "数据中的文号",
              "most_named": "提得最多的省份", "national": "全国", "stand_in": "代用层级", "issuer": "发文机关",
              "cut_off": "中断处", "whole": "以整句结尾的全文", "whole_closed": "以结尾章节或落款收尾的全文", "said": "删减说明"}


def _said(path: str) -> str:
    """The path as the reason names it, in the curator's words (新闻稿的标题), whatever the reader's language."""
    base, _, kind = path.partition("@")
    return ("新闻稿的" if kind == "news" else "") + PATH_WORDS.get(base, base)


def _kind_of(key: str) -> str:
    return key.rsplit("@", 1)[1] if "@" in key else "document"


def pooled(key: str, table: dict[str, tuple[int, int]]) -> float | None:
    """How often a value of ``key``'s field read from ``key``'s kind of text is wrong, estimated from the paths
    seen: the field's share of wrong values (over every path) × its kind of text's (over every field) ÷ the
    share over all — for a path seen too seldom to be judged by its own count.  None when too little is seen."""
    field, kind = key.split(":", 1)[0], _kind_of(key)

    def share(pick) -> tuple[int, int]:
        got = [v for k, v in table.items() if pick(k)]
        return sum(v[0] for v in got), sum(v[1] for v in got)
    (fw, fn), (kw, kn), (w, n) = share(lambda k: k.split(":", 1)[0] == field), share(lambda k: _kind_of(k) == kind), \
        share(lambda k: True)
    if min(fn, kn, n) < WEAK_LEAST or not w:
        return None
    return (fw / fn) * (kw / kn) / (w / n)


def weak(key: str, table: dict[str, tuple[int, int]] | None = None) -> tuple[int, int] | None:
    """(wrong, drafted) of a path the calibration counts as weak, else None.  A path seen fewer than
    WEAK_LEAST times is judged by :func:`pooled` — its field's record on its kind of text — at POOL_SHARE (the
    figures returned are then that estimate, in percent).  A path in DEFINED is weak by definition."""
    table = CALIBRATION if table is None else table
    got = table.get(key)
    if key in DEFINED:
        return got or (0, 0)
    if got and got[1] >= WEAK_LEAST:
        return got if got[0] / got[1] >= WEAK_SHARE else None
    est = pooled(key, table)
    return (round(100 * min(est, 1.0)), 100) if est is not None and est >= POOL_SHARE else None


def check_paths(ev, flagged: set[str], table: dict[str, tuple[int, int]] | None = None) -> list:
    """A catalogue field read by a weak path, not flagged already, is asked about, with the path named."""
    out = []
    for key, path in provenance(ev).items():
        if key in flagged:
            continue
        got = weak(f"{key}:{path}", table)
        if got is None:
            continue
        said = PATH_REASONS.get(f"{key}:{path}")
        own = (CALIBRATION if table is None else table).get(f"{key}:{path}")
        reason = said or (GENERIC if own and own[1] >= WEAK_LEAST else POOLED).format(_said(path), *got)
        out.append((0, ev.plan_id, f"{key}: {reason}"))
    return out


# ------------------------------------------------------------------------------------------ the outline

# what mojibake leaves where no repair restored it: a private-use or replacement character, a bopomofo letter
# (ㄒ) or a box-drawing piece (┬) among ideographs — not a lone `?` (a copy's lost space or character)
GARBLED = re.compile(r"[\ue000-\uf8ff\ufffd]|(?<=[\u3400-\u9fff\u3000-\u303f])[\u3105-\u312f\u2500-\u257f]"
                     r"|[\u3105-\u312f\u2500-\u257f](?=[\u3400-\u9fff])")


def check_garbled(ev) -> list:
    """A body line that is garbled (mojibake no repair restored), as short as a heading and without a sentence's
    commas, drafted as no heading: a heading whose number and words were lost — asked on the plan's structure."""
    claimed = {s.get("line") for s in ev.sections} | {r.get("line") for r in ev.records if r.get("number")}
    out = []
    for n in range(max(ev.body_start, 1), len(ev.lines) + 1):
        if n in ev.skipped or n in claimed:
            continue
        s = ev.sq[n - 1]
        if s and GARBLED.search(s) and len(s) <= 40 and not re.search(r"[,，;；]", s):
            out.append((n, ev.plan_id, "structure: " + N_("line {0} is garbled (“{1}”: characters of another encoding) and "
                                                          "as short as a heading: a heading lost there?").format(n, s[:16])))
    return out
