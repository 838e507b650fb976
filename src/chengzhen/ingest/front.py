"""Stage 3: what surrounds the plan's text, and the catalogue entry.

A plan reaches us wrapped: a web page's information bar and footer, a
notice (通知) that issues it — 发文机关, the notice's title, 文号, 主送机关, the
issuing paragraph, the signature and date (落款) —, a table of contents, a
news summary a site put before it.  This stage finds the title, the notice,
the contents and the chrome, turns each into a ``skip`` range with its reason
(or a title line, or the notice paragraph as a record), and reads the
catalogue fields from where a 公文 writes them:

=============  ==========================================================
name           the title line(s); a page title in 《》 only when there is no other
issuer         the notice title (X关于印发《…》的通知), else a page's 发布机构 label
doc_number     the 文号 line of the notice (X〔2024〕48号), else a 文号 label
issue_date     the date of the 落款 (2024年12月14日), else a 成文日期 label
period         (2024—2028年) in the title, else 十四五 → 2021—2025, else a
               five-year plan (五年) from the year of its parent's 文号 or of issue
parent         the 文号 the preamble cites with the plan it implements, or the
               文号 of that plan when the data knows it (data/national.yaml)
region, level  the place the title starts with (a province, a city with its
               province — the province the text names most)
abridged       本文有删减 in the wrapper
=============  ==========================================================

Nothing is invented: a field the copy does not give is null, and a field
derived rather than read (a composed name, a period from 五年) is flagged
for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chengzhen.text import gongwen as G
from chengzhen.text.normalize import squash
from chengzhen.text.outline import ANNEX, TOC, match_heading

PROVINCES = [
    ("北京市", "北京"), ("天津市", "天津"), ("上海市", "上海"), ("重庆市", "重庆"), ("河北省", "河北"),
    ("山西省", "山西"), ("辽宁省", "辽宁"), ("吉林省", "吉林"), ("黑龙江省", "黑龙江"), ("江苏省", "江苏"),
    ("浙江省", "浙江"), ("安徽省", "安徽"), ("福建省", "福建"), ("江西省", "江西"), ("山东省", "山东"),
    ("河南省", "河南"), ("湖北省", "湖北"), ("湖南省", "湖南"), ("广东省", "广东"), ("海南省", "海南"),
    ("四川省", "四川"), ("贵州省", "贵州"), ("云南省", "云南"), ("陕西省", "陕西"), ("甘肃省", "甘肃"),
    ("青海省", "青海"), ("台湾省", "台湾"), ("内蒙古自治区", "内蒙古"), ("广西壮族自治区", "广西"),
    ("西藏自治区", "西藏"), ("宁夏回族自治区", "宁夏"), ("新疆维吾尔自治区", "新疆"),
    ("香港特别行政区", "香港"), ("澳门特别行政区", "澳门"),
]
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}

# a plan's title ends with its genre (and maybe its years or a draft mark)
TITLE_END = re.compile(r"(?:实施方案|行动方案|工作方案|方案|规划纲要|规划|行动计划|计划|实施意见|意见|纲要|办法|措施|要点)"
                       r"(?:\s*[(（][^()（）]{0,24}[)）])?$")
# the 版头 and 落款 forms are validation's (text/gongwen.py): what is skipped as
# header or signature here is what `cz validate` accepts as such
DOC_NUMBER = G.DOC_NUMBER
DATE = G.DATE
YEARS = re.compile(r"((?:19|20)\d{2})\s*[—–―\-~～至到]+\s*((?:19|20)\d{2})\s*年")
# a text that opens by naming itself: 广西壮族自治区新型城镇化规划(2014-2020年),根据…编制
SELF_NAMED = re.compile(r"^\s*《?([\u4e00-\u9fff“”\"]{4,50}?(?:规划|实施方案|行动方案|方案|行动计划|计划|纲要)"
                        r"(?:\s*[(（]\s*(?:19|20)\d{2}\s*[—–―\-~～至]\s*(?:19|20)\d{2}\s*年?\s*[)）])?)》?\s*[,，]?\s*"
                        r"(?:根据|依据|按照|是|以|为)")
# a site's navigation: three or more words side by side (研究报告 产业规划 商业计划书): never part of a title
NAV_BAR = re.compile(r"\S+[ \u3000\t]+\S+[ \u3000\t]+\S+")
# a title's years on a line of their own, under it: (2021—2035年) — its closing bracket may be all that is left
SPAN_LINE = re.compile(r"^[(（]?\s*(?:19|20)\d{2}\s*[—–―\-~～至]+\s*(?:19|20)\d{2}\s*年?\s*[)）]$")
# a year and month under a title (2022年1月): when the text was finished, not a 落款 date
MONTH_LINE = re.compile(r"^\s*(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[〇零一二三四五六七八九十]{1,3})\s*月\s*$")
# bodies of the central government: a plan they issue is the whole country's
NATIONAL_ISSUER = re.compile(r"^(?:国务院|中共中央|中央|国家|全国)")
FIVE_YEAR_PLAN = re.compile(r"“?\s*十([一二三四五六七八九])五\s*”?")
ORG_END = r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|政府|厅|局|委|部)"
NOTICE_TITLE = re.compile(r"(?:^|[,，。\s])([\u4e00-\u9fff]{2,30}?" + ORG_END + r")\s*关于\s*(?:印发|转发)")
NOTICE_BODY = re.compile(r"印发给你们|印发你们|现予印发|现印发|请认真(?:贯彻|组织|抓好)|请结合实际|认真贯彻执行|认真抓好")
ABRIDGED = G.ABRIDGED
LABEL = G.PAGE_LABEL
CHROME = re.compile(r"二维码|扫一扫|我要问|我要纠错|打印本页|关闭窗口|【\s*打印|【\s*关闭|分享到|字号\s*[:：]|"
                    r"【\s*字体|大\s*中\s*小|当前位置|您现在的位置|首页\s*[>>]|版权所有|ICP备|网站标识码|"
                    r"主办单位|承办单位|联系我们|网站地图|技术支持|返回顶部|上一篇|下一篇|相关链接|附件下载|"
                    r"^\s*(?:首页|收藏|打印|关闭|分享|返回|登录|注册|我要问)\s*$")
SITE_TIME = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
PREAMBLE = re.compile(r"^\s*(?:为|根据|按照|依据|依照)\S.*(?:制定|编制|制订|特制定)")
SENTENCE_END = re.compile(r"[。；;!！?？]")

REASON_CHROME = "网页信息栏、页面标题或导航等网页内容, 非正文"
REASON_HEADER = "文件版头: 发文机关、通知标题、文号、主送机关, 见本条目"
REASON_SIGNATURE = "落款: 署名、日期、公开属性或删减说明, 见本条目"
REASON_TOC = "目录"
REASON_BEFORE = "标题前的转载内容(新闻摘要等), 非正文"
REASON_PAGE = "标题前的网页内容(站名、栏目等), 非正文"
REASON_FOOTER = "网页尾部(二维码提示、责编、来源等), 非正文"
REASON_MONTH = "标题下的成文年月, 非正文"
# what each reason's lines are (plans.yaml ``skip: kind``, checked line by line by kb/audit.py)
SKIP_KIND = {REASON_CHROME: "web", REASON_HEADER: "header", REASON_SIGNATURE: "signature", REASON_TOC: "contents",
             REASON_BEFORE: "summary", REASON_PAGE: "web", REASON_FOOTER: "web", REASON_MONTH: "web"}


@dataclass
class Front:
    title_lines: list[int] = field(default_factory=list)
    name: str | None = None
    name_as_written: bool = True
    skip: list[tuple[int, int, str]] = field(default_factory=list)  # (first, last, reason); SKIP_KIND[reason]
    notice_line: int | None = None
    body_start: int = 1
    body_end: int = 0
    toc: list[tuple[int, object, str]] = field(default_factory=list)  # (line, Heading, title)
    issuer: str | None = None
    doc_number: str | None = None
    issue_date: str | None = None
    abridged: bool = False
    period: tuple[int, int] | None = None
    parent: str | None = None
    parent_title: str | None = None
    based_on: list[str] = field(default_factory=list)
    region: str | None = None
    level: str | None = None
    short_name: str | None = None
    review: dict[str, str] = field(default_factory=dict)  # field -> why to check it
    cut_off: int | None = None  # the line the copy breaks off on (an excerpt), if it does
    issuer_from_label: bool = False  # the issuer is a page's 发布机构 label, not the 版头's or 落款's
    # catalogue fields the source does not state, which ingest supplies: field -> where it took them
    # from (the catalogue's ``supplied``; each is also flagged for review)
    supplied: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def blank(line: str) -> bool:
    return not line.strip(" \t\u3000|\r\u00a0")


def is_chrome(line: str) -> bool:
    s = line.strip(" \u3000|")
    if LABEL.match(s) or CHROME.search(s):
        return True
    # a site name and a time stamp: 湖南省人民政府网站   2024-12-06 11:51:09
    return bool(SITE_TIME.search(s)) and len(s) < 60 and not SENTENCE_END.search(s)


def _label_value(line: str, *labels: str) -> str | None:
    """The value of a page's ``label: | value |`` field, if the line has one."""
    for lab in labels:
        pat = r"\s*".join(lab)
        m = re.search(pat + r"\s*[:：]\s*\|?\s*([^|]*)", line)
        if m:
            value = m.group(1).strip(" \u3000")
            # two labels on one line (发布机构: X 主题分类: Y): the value ends where the next label starts
            nxt = re.search(r"\s+[\u4e00-\u9fff]{2,6}\s*[:：]", value)
            if nxt:
                value = value[:nxt.start()].strip(" \u3000")
            if not value or LABEL.match(value) or value.endswith((":", "：")):
                return None  # an empty cell: the next label follows
            return value
    return None


def date_iso(m: re.Match) -> str | None:
    parts = G.date_parts(m) if m.re is DATE else _numeric_date(m)
    return f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}" if parts else None


def _numeric_date(m: re.Match) -> tuple[int, int, int] | None:
    y, mo, d = (int(g) for g in m.groups())
    return (y, mo, d) if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _signed_date(current: str | None, label_date: tuple[int, str] | None, dm: re.Match) -> str | None:
    """The issue date once a 落款 date line is read: the first 落款 date read
    wins over a page's 成文日期 label (the document's own date is the one
    validation checks, E211); a label's date stands only when no 落款 has one."""
    if current is None or (label_date is not None and current == label_date[1]):
        return date_iso(dm) or current
    return current


def _mark(s: str) -> bool:
    """(此件公开发布), (本文有删减): a 落款 mark."""
    return G.signature_form(s) == "mark"


def _date_line(s: str) -> re.Match | None:
    m = DATE.fullmatch(squash(s))
    return m if m and G.date_parts(m) else None


def _title_like(text: str) -> bool:
    s = squash(text)
    return 6 <= len(s) <= 90 and bool(TITLE_END.search(s)) and not SENTENCE_END.search(s) \
        and "通知" not in s[-4:] and not match_heading(s)


def _find_body_start(lines: list[str], toc_end: int) -> int:
    """The first line of the plan's own text: a preamble (为…制定本方案) or
    the first heading after the contents, whichever comes first."""
    n = len(lines)
    # a reprint's news lead comes before the notice it reprints: the text starts after the notice title
    notice = max((i for i in range(min(n, 80)) if NOTICE_VERB.search(lines[i]) and
                  re.search(r"(?:的)?通知\s*$", squash(lines[i])) and len(squash(lines[i])) <= 120), default=None)
    start = max(toc_end, notice + 1 if notice is not None and notice >= toc_end else toc_end)
    for i in range(toc_end, n):
        s = lines[i].strip()
        if blank(s) or is_chrome(s):
            continue
        if (PREAMBLE.match(s) or SELF_NAMED.match(s)) and "印发给你们" not in s and i >= start:
            return i + 1
        h = match_heading(s)
        if h and h.kind in ("part", "chapter", "cn") and h.value == 1:
            return i + 1
    # no heading one: the first paragraph after the wrapper (and after the notice title, if any)
    for i in range(start, n):
        s = lines[i].strip()
        if not blank(s) and not is_chrome(s) and len(s) > 40 and SENTENCE_END.search(s) \
                and not (NOTICE_BODY.search(s) and "《" in s):  # the notice's issuing paragraph is not the plan's
            return i + 1
    # a copy cut off inside its first paragraph: a preamble's opening, or any long line, after the notice
    for opening in (True, False):
        for i in range(start, n):
            s = lines[i].strip()
            if blank(s) or is_chrome(s) or NOTICE_BODY.search(s) or G.is_addressees(s):
                continue
            if re.match(r"^(?:为|根据|按照|依据)", s) if opening else (len(s) > 40 and notice is not None):
                return i + 1
    # a copy that ends in its contents has no body
    return n + 1 if toc_end else 1


def _toc(lines: list[str]) -> tuple[int, int] | None:
    """(first, last) lines of a table of contents: 目录 and the heading lines after it."""
    for i, line in enumerate(lines[:400]):
        if TOC.match(line):
            j = i + 1
            last = i
            while j < len(lines):
                s = lines[j].strip()
                if blank(s):
                    j += 1
                    continue
                h = match_heading(s)
                if (h and len(h.rest) <= 40 and not SENTENCE_END.search(h.rest)) or re.match(r"^\s*附\s*件", s):
                    last = j
                    j += 1
                    continue
                break
            if last > i:
                return i + 1, last + 1
    return None


def analyse(lines: list[str], national_name: str | None = None, known: dict[str, str] | None = None) -> Front:
    """Read the wrapper and the catalogue fields of normalized ``lines``.
    ``known`` maps plan names (simplified) to their 文号, for the parent."""
    f = Front()
    n = len(lines)
    toc = _toc(lines)
    toc_end = 0
    if toc:
        first, last = toc
        toc_end = last
        for k in range(first + 1, last + 1):
            h = match_heading(lines[k - 1])
            if h:
                f.toc.append((k, h, lines[k - 1][h.end:].strip()))
    f.body_start = _find_body_start(lines, toc_end)
    # ---- the title: the title-like line(s) closest before the body (not the contents)
    front_end = (toc[0] - 1) if toc and toc[0] < f.body_start else f.body_start - 1
    cand = None
    k = front_end
    while k >= 1:
        s = lines[k - 1].strip()
        if blank(s):
            k -= 1
            continue
        short_tail = bool(TITLE_END.search(squash(s))) and len(squash(s)) < 6 and k > 1 \
            and not blank(lines[k - 2]) and _title_like(squash(lines[k - 2]) + squash(s)) \
            and not SENTENCE_END.search(lines[k - 2])  # 扎实推进以县城为重要载体的城镇化建设 / 工作方案
        if (_title_like(s) or short_tail) and not s.startswith("《") and not is_chrome(s):
            cand = [k]
            # a title broken over lines: earlier lines that lead into it
            j = k - 1
            while j >= 1 and not blank(lines[j - 1]) and len(squash(lines[j - 1])) <= 40 \
                    and not SENTENCE_END.search(lines[j - 1]) and not _title_like(lines[j - 1]) \
                    and not is_chrome(lines[j - 1]) and not DATE.search(lines[j - 1]) \
                    and not DOC_NUMBER.search(lines[j - 1]) and not _mark(lines[j - 1]) \
                    and not ANNEX.match(lines[j - 1]) and not NAV_BAR.search(lines[j - 1].strip()) \
                    and not ABRIDGED.search(lines[j - 1]) and not re.search(ORG_END + r"$", squash(lines[j - 1])):
                cand.insert(0, j)
                j -= 1
            # its years on the next line: (2021—2035年)
            j = k + 1
            while j <= front_end and blank(lines[j - 1]):
                j += 1
            if j <= front_end and SPAN_LINE.match(squash(lines[j - 1])):
                cand.append(j)
            break
        if len(s) > 60 or SENTENCE_END.search(s) or is_chrome(s) or DATE.search(s):
            k -= 1
            continue
        k -= 1
    labelled = None
    for k in range(1, front_end + 1):
        v = _label_value(lines[k - 1], "名称", "标题", "题名")
        if v and _title_like(v):
            labelled = (k, v)
            break
    if cand:
        f.title_lines = cand
        f.name = squash("".join(lines[c - 1] for c in cand))
    elif labelled:
        f.title_lines = [labelled[0]]
        f.name = squash(labelled[1])
    else:
        # a page title in 《》, e.g. 《…实施方案》(全文)
        for k in range(1, front_end + 1):
            m = re.match(r"^\s*《([^《》]+)》", lines[k - 1])
            if m and _title_like(m.group(1)) and "通知" not in m.group(1):
                f.name = squash(m.group(1))
                f.title_lines = [k]  # the name is written there, inside the page title
                break
    # ---- the wrapper before the title, line by line
    title_at = f.title_lines[0] if f.title_lines else f.body_start
    label_date = None
    reasons: dict[int, str] = {}
    for k in range(1, title_at):
        s = lines[k - 1].strip()
        if blank(s):
            continue
        if labelled and k == labelled[0] and not f.title_lines:
            continue
        page_title = re.match(r"^\s*《([^《》]+)》\s*(?:[(（][^()（）]{1,8}[)）])?\s*$", s)
        if is_chrome(s) or (page_title and f.name and squash(page_title.group(1)) == f.name):
            reasons[k] = REASON_CHROME
            for lab, attr in (("发布机构", "issuer"), ("发文机关", "issuer"), ("文号", "doc_number"),
                              ("发文字号", "doc_number"), ("成文日期", "issue_date")):
                v = _label_value(s, lab)
                if v and not getattr(f, attr):
                    if attr == "issue_date":
                        dm = DATE.search(v) or re.search(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})", v)
                        v = date_iso(dm) if dm else None
                        if v:  # a page's label, not the document's 落款
                            label_date = (k, v)
                    elif attr == "doc_number":
                        dm = DOC_NUMBER.search(v)
                        v = squash(dm.group(0)) if dm else None
                    if v:
                        setattr(f, attr, v)
                        f.issuer_from_label = f.issuer_from_label or attr == "issuer"
            continue
        if NOTICE_BODY.search(s) and "《" in s and f.notice_line is None:
            f.notice_line = k
            continue
        if _mark(s):
            f.abridged = f.abridged or bool(ABRIDGED.search(s))
            reasons[k] = REASON_SIGNATURE
            continue
        dm = _date_line(s)
        if dm:
            f.issue_date = _signed_date(f.issue_date, label_date, dm)
            reasons[k] = REASON_SIGNATURE
            continue
        dn = DOC_NUMBER.fullmatch(squash(s))
        if dn:
            f.doc_number = f.doc_number or squash(dn.group(0))
            reasons[k] = REASON_HEADER
            continue
        if f.notice_line is not None and G.is_issuer(s) and not s.endswith("关于"):
            reasons[k] = REASON_SIGNATURE  # the signature after the issuing paragraph
            continue
        if G.header_form(s) or (len(squash(s)) < 100 and not SENTENCE_END.search(s[:-1])):
            reasons[k] = REASON_HEADER  # if validation's 版头 forms say so (below)
            continue
        reasons[k] = _before_title(s)
    # 版头 lines: what validation accepts (text/gongwen.py: alone, or a title or
    # 主送机关 broken over lines); any other line is the page's or a summary
    for first, last, why in _ranges(reasons, lines):
        if why != REASON_HEADER:
            continue
        for k, ok in zip(range(first, last + 1), G.header_ok(lines[first - 1:last])):
            if blank(lines[k - 1]) or k not in reasons:
                continue
            if not ok:
                reasons[k] = _before_title(lines[k - 1].strip())
    issuer = _notice_issuer(lines, [k for k, r in sorted(reasons.items())
                                    if r in (REASON_HEADER, REASON_BEFORE, REASON_PAGE)])
    own = re.match(r"^(.{2,30}?)关于", f.name or "") if f.title_lines else None
    if not issuer and own and G.is_issuer(own.group(1)) and re.search(r"(?:意见|决定|通知)$", f.name or ""):
        issuer = own.group(1)  # a 意见 issued under its own title: X关于…的意见
    if issuer:
        f.issuer, f.issuer_from_label = issuer, False
    elif not f.issuer:
        # no notice title names it: the 署名 of the 落款 (one body, or joint bodies on lines in a row)
        f.issuer = _signed_issuer(lines, reasons)
    # a reprint's news lead before the notice is plainly not the plan's; sentences between the
    # notice and the title may be the plan's own: flagged
    notice_at = min((k for k, r in reasons.items() if r == REASON_HEADER), default=None)
    held = [k for k, r in reasons.items() if r == REASON_BEFORE and (notice_at is None or k > notice_at)
            and re.search(r"\d\s*(?:%|％|万|亿|个|公里|平方|户|人|元|家|所|座|项)", lines[k - 1])]
    if held:  # a summary that holds figures may hide the plan's own
        f.review["skip"] = (f"lines {', '.join(map(str, held))} before the title, skipped as a site's news summary, "
                            f"hold figures: are they the plan's own?")
    # ---- the contents
    if toc:
        for k in range(toc[0], toc[1] + 1):
            reasons[k] = REASON_TOC
    # ---- between the title and the body: a page's information bar is chrome; any
    # other text (a subtitle, a line before the first heading) belongs to the body
    if f.title_lines:
        for k in range(f.title_lines[-1] + 1, f.body_start):
            s = lines[k - 1].strip()
            if blank(s) or k in reasons:
                continue
            if is_chrome(s):
                reasons[k] = REASON_CHROME
            elif _mark(s):
                f.abridged = f.abridged or bool(ABRIDGED.search(s))
                reasons[k] = REASON_SIGNATURE
            elif MONTH_LINE.match(s):
                reasons[k] = REASON_MONTH
            elif G.is_addressees(s) and k < f.body_start:  # …and its 主送机关
                reasons[k] = REASON_HEADER
            elif G.is_doc_number(s):  # a 意见 issued under its own title: its 文号 after the title
                f.doc_number = f.doc_number or squash(DOC_NUMBER.search(squash(s)).group(0))
                reasons[k] = REASON_HEADER
            else:
                f.body_start = k
                break
    # ---- the end: web footer, a signature and date after the text
    heads = _headlines(lines, f.body_start)
    k = n
    while k >= f.body_start:
        s = lines[k - 1].strip()
        if blank(s):
            k -= 1
            continue
        if is_chrome(s) or any(h in squash(s) for h in heads):
            reasons[k] = REASON_FOOTER  # (a page's headline said again at its end, alone or in its SEO lines)
        elif _mark(s):
            f.abridged = f.abridged or bool(ABRIDGED.search(s))
            reasons[k] = REASON_SIGNATURE
        elif _date_line(s):
            f.issue_date = _signed_date(f.issue_date, label_date, _date_line(s))
            reasons[k] = REASON_SIGNATURE
        elif G.is_issuer(s) and not s.endswith("关于") and any(
                reasons.get(j) == REASON_SIGNATURE for j in range(k + 1, min(n, k + 3) + 1)):
            reasons[k] = REASON_SIGNATURE
        else:
            break
        k -= 1
    f.body_end = k
    if not f.issuer:  # no notice names it: the 署名 of the 落款 after the text (the 落款 of a plan issued as itself)
        f.issuer = _signed_issuer(lines, {j: r for j, r in reasons.items() if j > k})
    # 本文有删减 anywhere in the copy (validation reads the whole source)
    f.abridged = f.abridged or any(ABRIDGED.search(squash(x)) for x in lines)
    if label_date and f.issue_date == label_date[1] and not any(
            r in (REASON_SIGNATURE, REASON_HEADER) and DATE.search(lines[j - 1]) for j, r in reasons.items()):
        f.supplied["issue_date"] = f"所供文本没有落款日期; 取网页信息栏(第{label_date[0]}行)所标的成文日期 (cz ingest)"
        f.review["issue_date"] = f"the copy has no dated 落款: the date is the page's label on line {label_date[0]}"
    f.skip = _ranges(reasons, lines)
    _catalogue(f, lines, national_name, known or {})
    return f


def _headlines(lines: list[str], body_start: int) -> list[str]:
    """The page's headline as its first lines before the text write it (the whole line, or its last part after
    a site's name and column), when it is no sentence and long enough to be told from words of the text."""
    out = []
    for s in [x.strip() for x in lines[:max(body_start - 1, 0)] if not blank(x)][:3]:
        for h in {squash(s), squash(re.split(r"[ \u3000\t]+", s)[-1])}:
            if len(h) >= 10 and not SENTENCE_END.search(h) and not DOC_NUMBER.search(h) and not G.is_issuer(h):
                out.append(h)
    return out


NOTICE_VERB = re.compile(r"关于\s*(?:印发|转发|批转|颁发)|(?<!关于)(?:印发|转发|批转)")


def _notice_issuer(lines: list[str], keys: list[int]) -> str | None:
    """The issuing body the notice title names (X关于印发…的通知, X印发…的通知;
    joint bodies written side by side), from the notice title line nearest
    the plan's title; a title that opens with 关于 takes the issuer line
    above it.  A page headline (甘肃省政府印发重要通知) yields to the notice
    title after it."""
    found = None
    keyset = set(keys)
    for k in keys:
        raw = lines[k - 1].strip()
        m = NOTICE_VERB.search(raw)
        if not m:
            continue
        tail = "".join(squash(lines[j - 1]) for j in range(k, min(len(lines), k + 4) + 1) if j in keyset or j == k)
        if "通知" not in tail and "决定" not in tail:
            continue
        who = re.split(r"[,，。:：;；]", raw[:m.start()])[-1].strip(" \u3000")  # 日前,X关于印发…: X
        if not who:
            j = k - 1
            while j >= 1 and blank(lines[j - 1]):
                j -= 1
            if j >= 1 and j in keyset and G.is_issuer(lines[j - 1]):
                who = lines[j - 1].strip()
        parts = [p for p in re.split(r"[\s\u3000、]+", re.sub(r"关于\s*$", "", who)) if p]
        if parts and all(G.is_issuer(p) for p in parts):
            found = "".join(squash(p) for p in parts)
    return found


def _signed_issuer(lines: list[str], reasons: dict[int, str]) -> str | None:
    """The 署名 of the first 落款: the issuer lines of a signature run (joint
    bodies on consecutive lines are written together)."""
    names: list[str] = []
    for k in sorted(reasons):
        if reasons[k] != REASON_SIGNATURE:
            if names:
                break
            continue
        s = lines[k - 1].strip()
        if G.signature_form(s) == "issuer":
            names.append(squash(s))
        elif names:
            break
    return "".join(names) or None


# how a complete paragraph, list item or table row ends
COMPLETE_END = re.compile(r"(?:[。！？!?；;…]|[。！？!?][”’」』]|[)）]|\|)\s*$")


def cut_off(lines: list[str], f: Front, exclude: set[int]) -> int | None:
    """The line on which the copy breaks off, or None: the body's last line
    ends mid-sentence (no 。 ! ? ; after it), or is a heading with nothing
    under it; a copy without body text (it ends in its contents) breaks off
    on its last line."""
    last = None
    for k in range(min(f.body_end, len(lines)), f.body_start - 1, -1):
        if k not in exclude and not blank(lines[k - 1]):
            last = k
            break
    if last is None:
        filled = [k for k in range(1, len(lines) + 1) if not blank(lines[k - 1])]
        return filled[-1] if filled else None
    s = lines[last - 1].strip()
    if re.match(r"^\s*\d{1,3}\s*[.．、]\s*[^\s,，。;；]{1,12}$", s) and last > 1 and \
            re.match(r"^\s*\d{1,3}\s*[.．、]\s*[^\s,，。;；]{1,12}$", lines[last - 2].strip() or "x"):
        return None  # the last item of a list of names (an annex: 49.容城县 / 50.雄县)
    h = match_heading(s)
    if h and not SENTENCE_END.search(h.rest[:-1] or "x"):
        return last  # a heading, and no text under it
    return None if COMPLETE_END.search(s) else last


def _before_title(s: str) -> str:
    """A line before the title that is not the notice's: a short line without
    a sentence is the page's (a site name, a column); sentences are a
    reprint's summary of the plan."""
    return REASON_PAGE if len(squash(s)) <= 80 and not SENTENCE_END.search(s) and not match_heading(s) \
        else REASON_BEFORE


def _ranges(reasons: dict[int, str], lines: list[str]) -> list[tuple[int, int, str]]:
    """Consecutive lines with one reason as one range (blank lines between
    them included)."""
    out: list[list] = []
    for k in sorted(reasons):
        if out and out[-1][2] == reasons[k] and all(blank(lines[j - 1]) for j in range(out[-1][1] + 1, k)):
            out[-1][1] = k
        else:
            out.append([k, k, reasons[k]])
    return [tuple(r) for r in out]


# --------------------------------------------------------------------------- catalogue fields

def _preamble(lines: list[str], f: Front) -> str:
    for k in range(f.body_start, min(len(lines), f.body_start + 3) + 1):
        s = lines[k - 1]
        if PREAMBLE.match(s) or re.match(r"^\s*(?:为|根据|按照)", s):
            return s
        if match_heading(s):
            break
    return ""


def _cited(pre: str) -> list[tuple[str, str | None]]:
    """(title, 文号 or None) of each 《…》 the preamble cites, inner 〈〉 unwrapped."""
    out = []
    for m in re.finditer(r"《([^《》]{4,120})》\s*(?:[(（]\s*([^()（）]{4,30}?)\s*[)）])?", pre):
        title, num = m.group(1), m.group(2)
        inner = re.search(r"〈([^〈〉]+)〉", title)
        if inner:
            title = inner.group(1)
        title = re.sub(r"^国务院关于印发|的通知$", "", title)
        if num and not DOC_NUMBER.fullmatch(squash(num)):
            num = None
        out.append((squash(title), squash(num) if num else None))
    return out


def place_of(name: str) -> tuple[str | None, str | None]:
    """(province, lower place) the start of a title names: (贵州省, None),
    (None, 六盘水市), (None, None)."""
    for full, short in PROVINCES:
        if name.startswith(full):
            rest = name[len(full):]
            m = re.match(r"([\u4e00-\u9fff]{2,8}?(?:市|自治州|地区|盟|州))(?!场|民|区|域|政)", rest)
            return full, (m.group(1) if m and not TITLE_END.search(m.group(1)) and not NOT_A_PLACE.search(m.group(1))
                          else None)
        if name.startswith(short) and not name.startswith(short + "省"):
            return full, None
    m = re.match(r"([\u4e00-\u9fff]{2,4}?(?:省|自治区))", name)
    if m:  # a province by its form (the list above is the usual spelling)
        return m.group(1), None
    m = re.match(r"([\u4e00-\u9fff]{2,7}?(?:市|自治州|地区|盟|自治县|县|区))", name)
    if m and not NOT_A_PLACE.search(m.group(1)):
        return None, m.group(1)
    return None, None


# the body an issuer is of its place's: 临县人民政府办公室, 中共X县委办公室, X市发展和改革委员会
ORGAN = re.compile(r"(?P<level>[省市县区州旗])委|人民政府|人民代表大会|政府|委员会|发展和改革|发展改革|办公厅|办公室")


def issuer_place(issuer: str) -> str | None:
    """The place an issuing body is of, by what it is called before its
    organ's name, however short (临县 of 临县人民政府办公室, 铜仁市 of 中共铜仁市委;
    a title's place needs two characters before 县: 临县 alone is not told
    from words): the first of a joint issuer's bodies that names one."""
    for body in re.split(r"[、，,和]", squash(issuer)):
        body = re.sub(r"^中共", "", body)
        m = ORGAN.search(body)
        if not m:
            continue
        head = body[: m.start()]
        if m.group("level") and not head.endswith(m.group("level")):
            head += m.group("level")  # 铜仁市委: 铜仁 + 市
        if re.fullmatch(r"[\u4e00-\u9fff]{1,10}(?:自治州|自治县|自治旗|地区|盟|州|市|县|区|旗)", head) \
                and not NOT_A_PLACE.search(head) and len(head) >= 2:
            return head
    return None


# words no place name holds: a title that opens with them (关于推进以县城…) names no place
NOT_A_PLACE = re.compile(r"关于|推进|推动|加快|实施|深入|扎实|建设|发展|促进|以|的|和|与")


def province_mentioned(lines: list[str]) -> str | None:
    text = "".join(lines)
    best = None
    for full, short in PROVINCES:
        c = text.count(full) * 2 + text.count(short) - text.count(full)
        if c and (best is None or c > best[0]):
            best = (c, full)
    return best[1] if best else None


def _short(place: str) -> str:
    for full, short in PROVINCES:
        if place == full:
            return short
    return re.sub(r"(?:省|自治区|市|自治州|地区|盟|自治县|县|区)$", "", place) or place


def _supply(f: Front, key: str, reason: str, lines: list[str], flag: bool = True) -> None:
    """``key``'s value is not written in the source: supplied, with its reason,
    and — unless it is read by a rule with one answer (a name the data knows)
    — flagged (a value the source writes somewhere after all is only flagged)."""
    value = getattr(f, key, None)
    if not (isinstance(value, str) and squash(value) in "".join(squash(x) for x in lines)):
        f.supplied[key] = reason
    if flag:
        f.review[key] = reason


def _catalogue(f: Front, lines: list[str], national_name: str | None, known: dict[str, str]) -> None:
    pre = _preamble(lines, f)
    cited = _cited(pre)
    # parent: the cited plan's 文号, written or known
    for title, num in cited:
        if num:
            f.parent, f.parent_title = num, title
            break
    else:
        for title, _ in cited:
            if national_name and squash(national_name) == title:
                f.parent_title = title
                f.parent = known.get(title)
                if f.parent:
                    _supply(f, "parent", f"正文引《{title}》, 未写文号; {f.parent} 是该计划的文号 (cz ingest 据数据中的该计划补)",
                            lines)
                break
            if title in known:
                f.parent, f.parent_title = known[title], title
                _supply(f, "parent", f"正文引《{title}》, 未写文号; {f.parent} 是该计划的文号 (cz ingest 据数据中的该计划补)",
                        lines)
                break
    # the national plan named without 《》 (为深入实施以人为本的新型城镇化战略五年行动计划,…)
    if f.parent is None and national_name and squash(national_name) in squash(pre) and \
            known.get(squash(national_name)) and not cited:
        f.parent_title = squash(national_name)
        f.parent = known[f.parent_title]
        _supply(f, "parent", f"正文写所落实的“{national_name}”(未加书名号, 未写文号); {f.parent} 是该计划的文号 "
                "(cz ingest 据数据中的该计划补)", lines, flag=False)
    f.based_on = [t for t, _ in cited]
    # an untitled copy whose notice names it: 现将《…》印发给你们
    if not f.name and f.notice_line:
        m = re.search(r"《([^《》]{4,120})》", lines[f.notice_line - 1])
        if m and _title_like(m.group(1)):
            f.name = squash(m.group(1))
            f.supplied["name"] = f"所供文本没有标题行; 名称取自第{f.notice_line}行印发通知所写的《{m.group(1).strip()}》"
    # …or whose text opens by naming it: X规划(2014-2020年),根据…编制 (never a plan it cites: 《国家…》提出)
    if not f.name and f.body_start <= len(lines):
        m = SELF_NAMED.match(lines[f.body_start - 1])
        if m and not m.group(1).startswith(("国家", "全国")) and _title_like(m.group(1)):
            f.name = squash(m.group(1))
            f.supplied["name"] = f"所供文本没有标题行; 名称取自第{f.body_start}行正文开头自述的“{m.group(1).strip()}”"
            f.review["name"] = f"the copy has no title line: the name is the one its text opens with (line {f.body_start})"
    # region and level: the place the title starts with, else the issuer's
    province, lower = place_of(f.name or "")
    if province is None and lower is None and f.issuer:
        if NATIONAL_ISSUER.match(f.issuer):
            f.region, f.short_name, f.level = "全国", "全国", "province"
            f.review["level"] = (f"a national plan ({f.issuer}): the catalogue's levels (province, city, county) have "
                                 "none for it; province is written as a stand-in")
        else:
            province, lower = place_of(f.issuer)
            if province is None and lower is None:
                lower = issuer_place(f.issuer)
    if f.region is None and province is None and lower is None:
        province = province_mentioned(lines)
        if province:
            f.review["region"] = f"the title names no place; {province} is the province the text names most"
    if lower:
        prov = province or province_mentioned(lines)
        if prov in MUNICIPALITIES:
            prov = None
        f.region = (prov or "") + lower
        f.level = "county" if re.search(r"(?:县|区)$", lower) else "city"
        f.short_name = _short(lower)
        if prov and not (f.name or "").startswith(prov) and not (f.issuer or "").startswith(prov):
            f.review.setdefault("region", f"{prov} is the province the text names most")
    elif province:
        f.region, f.level, f.short_name = province, "province", _short(province)
    # an untitled copy: the name a reader would give it, flagged
    if not f.name:
        f.name_as_written = False
        if f.region and f.parent_title:
            f.name = f"{f.region}{f.parent_title}实施方案"
        elif f.region:
            f.name = f"{f.region}规划"
        f.supplied["name"] = "所供文本没有标题行; 此名称由 cz ingest 拟定 (地区 + 所落实的计划 + 实施方案)"
        f.review["name"] = "the copy has no title: the name is composed by ingest (region + the plan it implements)"
    if f.issuer and f.issuer_from_label and f.region and not squash(f.issuer).startswith(
            (squash(f.region), _short(f.region), "全国", "国务院", "国家")):
        f.review["issuer"] = (f"the issuer is the page's 发布机构 label ({f.issuer}), a body outside {f.region}: "
                              "the page's publisher, not the plan's issuer? (null if the source names none)")
    if not f.issuer:
        f.review["issuer"] = ("no notice title, 落款 or page label names the issuing body: set it where the "
                              "source says it elsewhere (a news lead, a page's 来源), or leave it null")
    if not f.doc_number:
        seen = next(((k, squash(m.group(0))) for k in range(1, min(len(lines), max(f.body_start, 1) + 5) + 1)
                     for m in [DOC_NUMBER.search(squash(lines[k - 1]))] if m and not NOTICE_BODY.search(lines[k - 1])
                     and "《" not in lines[k - 1]), None)
        if seen and seen[0] < f.body_start:  # before the body: validation asks for the 文号 written there (E211)
            f.doc_number = seen[1]
            f.review["doc_number"] = (f"line {seen[0]} writes {seen[1]}, read as the plan's 文号 from outside its "
                                      "notice: is it? (if it is another document's, set it null and say so "
                                      "in supplied)")
        elif seen:
            f.review["doc_number"] = f"line {seen[0]} writes {seen[1]}, not read as the plan's 文号: is it?"
    # period: the title's years or its 十X五 (what validation reads there); anything
    # else is supplied by ingest, with where it comes from
    title = "".join(squash(lines[k - 1]) for k in f.title_lines) or (f.name if "name" not in f.supplied else "")
    m = G.PERIOD_IN_TITLE.search(title or "")
    if m:
        f.period = (int(m.group(1)), int(m.group(2)))
        return
    m = G.PERIOD_IN_TITLE.search(f.name or "") if "name" in f.supplied and f.name_as_written else None
    if m:  # the name the notice writes: its years are the period
        f.period = (int(m.group(1)), int(m.group(2)))
        f.supplied["period"] = f"所供文本没有标题行; 取印发通知所写名称中的 {m.group(0)}"
        return
    for words, span in G.FIVE_YEAR_PLANS.items():
        if words in (title or ""):
            f.period = span
            return
    name = f.name or ""
    m = FIVE_YEAR_PLAN.search(name)
    if m:  # a five-year plan the table above does not list
        nth = 10 + "一二三四五六七八九".index(m.group(1)) + 1
        start = 1966 + 5 * (nth - 3)
        f.period = (start, start + 4)
        f.supplied["period"] = f"标题写“十{m.group(1)}五”: 第{nth}个五年规划的期限 {start}—{start + 4} 年 (cz ingest 推算)"
        f.review["period"] = f"the title's 十{m.group(1)}五 read as {start}—{start + 4}"
        return
    if "五年" in name or (f.parent_title and "五年" in f.parent_title):
        year = None
        if f.parent:
            ym = re.search(r"(?:19|20)\d{2}", f.parent)
            year = int(ym.group(0)) if ym else None
        if year is None and f.issue_date:
            year = int(f.issue_date[:4])
        if year:
            f.period = (year, year + 4)
            f.supplied["period"] = (f"标题未写实施期限; 五年计划, 自{'所落实计划的文号' if f.parent else '印发日期'}的年份 "
                                    f"{year} 年起算, 为 {year}—{year + 4} 年 (cz ingest 推算)")
            # confirmed when the text sets its goals for that end year (到2028年底…), and for no later one
            goals = [int(y) for y in re.findall(r"(?:到|至)\s*((?:19|20)\d{2})\s*年", "".join(lines[f.body_start - 1:]))]
            if not goals or max(goals) != year + 4:
                f.review["period"] = ((f"no years in the title: a five-year plan from {year} (its parent’s 文号)"
                                       if f.parent else
                                       f"no years in the title: a five-year plan from {year} (the issue date)")
                                      + (f"; the text sets goals for {', '.join(map(str, sorted(set(goals))))}"
                                         if goals else ""))
            return
    # last resort: the span the preamble or the first paragraphs write
    for k in range(f.body_start, min(len(lines), f.body_start + 5) + 1):
        m = YEARS.search(lines[k - 1])
        if m:
            f.period = (int(m.group(1)), int(m.group(2)))
            f.supplied["period"] = f"标题未写实施期限; 取正文第{k}行所写的 {m.group(0)} (cz ingest)"
            f.review["period"] = f"no years in the title: period taken from line {k}"
            return
    f.review["period"] = "no period found: set it by hand"
