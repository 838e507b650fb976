"""Review flags on catalogue fields the checks of :mod:`chengzhen.ingest.flags` left unasked (issue 24,
the eighth round: what frozen12 and frozen13 showed, each rule written for a *kind* of evidence).

Each check takes a field the draft leaves empty, or states, and looks in the source for a form of
evidence the older checks do not read:

=============  =====================================================================================
field          evidence
=============  =====================================================================================
level          none drafted: a plan has one (it follows from its place), so an empty level is asked
               about, whatever else is missing — unless a central body issues it (a national plan:
               the catalogue's levels have none for it)
region         the title or the issuer names a chain of places (广元市昭化区): the innermost place lies
               inside the drafted region — the region stopped at the outer place
issue_date     none drafted, but the page's label dates the document (发文日期, 成文日期, 公布日期, in
               any of the written forms: 2022年05月10日, 2022.03.15, 2022-03-15); a 落款's date run
               into the next words (桂林市人民政府 / 2022年3月15日桂林市…目录); a sentence that dates
               the making or issuing of the document (于2019年3月31日制定并发布)
issuer         none drafted, but a sentence says which body issued a document in 《》 with a verb the
               older checks do not read (下发, 制定), or names it by its level alone (市政府下发了《…》)
doc_number     none drafted, but the notice is retold with its 文号 in brackets after it
               (关于印发《…》的通知(发改规划〔2019〕0617号))
parent         none drafted, but the preamble implements a 《document》 whose bracket opens with its
               文号 and goes on (国办发〔2016〕72号,以下简称…)
completeness   whole, but the last line ends in a bracketed aside after a sentence that never ends
               (…批复《规划》(以下简称《规划》)): an excerpt
=============  =====================================================================================

``F`` is :mod:`chengzhen.ingest.flags` (its Evidence and place primitives), passed in by its caller.
"""

from __future__ import annotations

import re

from chengzhen.kb.messages import N_
from chengzhen.text import gongwen as G
from chengzhen.text.normalize import squash

# a label that dates the document itself (not the page: 发布时间, 更新时间 are a page's)
DATE_LABEL = re.compile(r"(?:成文日期|发文日期|印发日期|公布日期|签发日期)\s*[】\]]?\s*[:：]?\s*"
                        r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
# a sentence that dates the document's making or issuing: 于2019年3月31日制定并发布, 2019年3月31日印发
DATED_ISSUE = re.compile(r"(?:于|在)?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*"
                         r"(?:正式|联合)?(?:制定|印发|发布|出台|颁布|下发|公布)")
# a body named by its level alone (市政府, 省委、省政府, 县人民政府办公室)
LEVEL_BODY = r"(?:中共)?(?:省|自治区|市|州|县|区|旗)(?:委|政府|人民政府)(?:办公厅|办公室)?"
SHORT_BODIES = re.compile(rf"({LEVEL_BODY}(?:[、和及]{LEVEL_BODY})*)$")
ISSUE_VERB = re.compile(r"(?:联合|正式|近日|日前)?(?:印发|下发|出台|制定|颁布|发布)(?:了|出)?\s*(?=《)")
# a central body acting in the copy's opening (国务院日前印发…, 国家发改委组织召开…): a national document
CENTRAL_ACTOR = re.compile(r"(?:国务院|中共中央|党中央|国家发展改革委|国家发改委|国家发展和改革委员会)(?:办公厅)?"
                           r"(?:日前|近日|今日|正式|联合|组织|召开|印发|发布|出台|审议|制定)")
IMPLEMENTS = re.compile(r"贯彻|落实|根据|依据|按照|遵照|依照|参照")
RETOLD_NOTICE = re.compile(r"(?:关于)?(?:印发|转发|下发|颁发)?《([^《》]{4,120})》的?(?:通知|意见|决定|批复)\s*[(（]\s*("
                           + G.DOC_NUMBER.pattern + r")\s*[)）]")
CITED_ON = re.compile(r"《([^《》]{2,120})》\s*[(（]\s*(" + G.DOC_NUMBER.pattern + r")\s*[,，;；、]\s*[^()（）]{1,40}[)）]")
PLACE_IN_CHAIN = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:自治县|自治旗|新区|县|区|市|旗))")
ASIDE_END = re.compile(r"\s*[(（][^()（）]{0,60}[)）]$")
SENTENCE_END = re.compile(r"[。；;!！?？”’:：…]$")


def check(ev, F) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for one in (_level, _region, _issue_date, _issuer, _doc_number, _parent, _completeness):
        try:
            out += one(ev, F)
        except Exception:  # noqa: BLE001 - a check that cannot read a hostile draft asks nothing
            continue
    return out


def _plan(ev, key: str, message: str, line: int = 0) -> tuple[int, str, str]:
    return (line, ev.plan_id, f"{key}: {message}")


# --------------------------------------------------------------------------- level


def _level(ev, F) -> list:
    """An empty level: the format requires one, and it follows from the plan's place."""
    if ev.entry.get("level"):
        return []
    region = ev.entry.get("region") or ""
    if region:
        return [_plan(ev, "level", N_("none drafted: set it (the level of {0}: province, city or county)").format(region))]
    bodies = [ev.entry.get("issuer") or ""] + [who for _n, who in F._issuing_bodies(ev)]
    acting = [m for m in CENTRAL_ACTOR.finditer(F._opening(ev, 10))
              if not IMPLEMENTS.search(re.split(r"[,，。;；]", F._opening(ev, 10)[:m.start()])[-1])]
    if acting or any(b and F.CENTRAL.match(re.sub(r"^中共", "", squash(b))) for b in bodies):
        return []  # a national plan: the catalogue's levels have none for it (region 全国 is asked about)
    return [_plan(ev, "level", N_("none drafted, nor a region: set both (province, city or county)"))]


# --------------------------------------------------------------------------- region


def innermost_place(ev, F, text: str):
    """The innermost place a chain of places opening ``text`` names (广元市昭化区人民政府 → 昭化区): each
    place written right after the one before and lying inside it; None when the text opens with none."""
    text = re.sub(r"^中共", "", squash(text or ""))
    outer = F._place_of(ev, text)
    if outer is None:
        return None
    rest = text
    for k in range(min(len(text), 14), 1, -1):
        got = F._resolve(ev, text[:k])
        if got and got[0].code == outer.code:
            rest = text[k:]
            break
    place = outer
    for _ in range(3):
        m = PLACE_IN_CHAIN.match(rest)
        if not m:
            break
        got = [p for p in F._resolve(ev, m.group(1)) if p.name == m.group(1) and F._within(ev, p.code, place.code)]
        if not got:
            break
        place, rest = got[0], rest[m.end():]
    return place


def _region(ev, F) -> list:
    region = ev.entry.get("region") or ""
    if not region or ev.places is None or "region" in (ev.entry.get("supplied") or {}):
        return []
    got = F._resolve(ev, region)
    if not got:
        return []
    name = ev.entry.get("name") if "name" not in (ev.entry.get("supplied") or {}) else ""
    issuer = ev.entry.get("issuer") or ""
    said = {"title": N_("{0}, but the title ({1}) names {2}, a place inside it"),
            "issuer": N_("{0}, but the issuer ({1}) names {2}, a place inside it")}
    for what, text in (("title", name), ("issuer", issuer)):
        inner = innermost_place(ev, F, text) if text else None
        if inner is not None and inner.code != got[0].code and F._within(ev, inner.code, got[0].code) \
                and getattr(F._place_of(ev, re.sub(r"^中共", "", squash(text))), "code", None) != inner.code:
            return [_plan(ev, "region", said[what].format(region, squash(text)[:30], inner.name))]
    return []


# --------------------------------------------------------------------------- issue_date


def _iso(y, m, d) -> str | None:
    try:
        y, m, d = int(y), int(m), int(d)
    except (TypeError, ValueError):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def _issue_date(ev, F) -> list:
    if ev.entry.get("issue_date"):
        return []
    for n, s in enumerate(ev.sq, start=1):
        m = DATE_LABEL.search(s)
        if m and _iso(*m.groups()):
            return [_plan(ev, "issue_date", N_("none drafted, but line {0} labels {1} as the document's date").format(
                n, _iso(*m.groups())), n)]
    # a 落款's date run into the words after it: a body's name alone on a line, the next line opening with a date
    for n, s in enumerate(ev.sq, start=1):
        m = G.DATE.match(s.replace("○", "〇"))
        if not m or m.end() == len(s) or re.match(r"[,，、:：]", s[m.end():]):
            continue
        prev = next((ev.sq[k - 1] for k in range(n - 1, max(0, n - 3), -1) if ev.sq[k - 1]), "")
        parts = [p for p in re.split(r"[、\s]+", prev) if p]
        if parts and len(prev) <= 60 and all(F._reads_as_body(p) for p in parts):
            dt = G.date_parts(m)
            if dt:
                return [_plan(ev, "issue_date", N_("none drafted, but line {0} opens with {1} under the body's name on "
                                                   "line {2}: a 落款's date run into the next words?").format(
                    n, _iso(*dt), n - 1), n)]
    for n, s in enumerate(ev.sq, start=1):
        for m in DATED_ISSUE.finditer(s):
            clause = re.split(r"[,，。;；]", s[:m.start()])[-1]
            if IMPLEMENTS.search(clause) or not _iso(*m.groups()[:3]):
                continue
            return [_plan(ev, "issue_date", N_("none drafted, but line {0} says the document was made or issued on "
                                               "{1}").format(n, _iso(*m.groups()[:3])), n)]
    return []


# --------------------------------------------------------------------------- issuer


def _issuer(ev, F) -> list:
    if ev.entry.get("issuer"):
        return []
    for n, s in enumerate(ev.sq, start=1):
        for m in ISSUE_VERB.finditer(s):
            head = s[:m.start()]
            clause = re.split(r"[,，。;；:：]", head)[-1]
            if IMPLEMENTS.search(clause) or re.search(r"根据|按照|依据", s[max(0, m.start() - 30):m.start()]):
                continue
            title = s[m.end() + 1:].split("》")[0]
            if not re.search(F.DOC_WORD + r"(?:[(（][^()（）]{1,20}[)）])?$", title):
                continue
            who = F._trailing_bodies(head)
            short = SHORT_BODIES.search(re.sub(r"(?:近日|日前|今日|正式|联合)+$", "", clause))
            who = who or (short.group(1) if short else None)
            if who:
                return [_plan(ev, "issuer", N_("none drafted, but line {0} says {1} issued 《{2}》").format(n, who, title), n)]
    return []


# --------------------------------------------------------------------------- doc_number, parent


def _doc_number(ev, F) -> list:
    if ev.entry.get("doc_number"):
        return []
    parent = squash(ev.entry.get("parent") or "")
    for n, s in enumerate(ev.sq, start=1):
        for m in RETOLD_NOTICE.finditer(s):
            clause = re.split(r"[,，。;；]", s[:m.start()])[-1]
            number = squash(m.group(2))
            if IMPLEMENTS.search(clause) or number == parent:
                continue
            return [_plan(ev, "doc_number", N_("none drafted, but line {0} retells the notice issuing 《{1}》 with the "
                                               "文号 {2}").format(n, m.group(1), number), n)]
    return []


def _parent(ev, F) -> list:
    if ev.entry.get("parent"):
        return []
    own = squash(ev.entry.get("doc_number") or "")
    for n in range(1, min(len(ev.sq), max(ev.body_start, 1) + 3) + 1):
        s = ev.sq[n - 1]
        for m in CITED_ON.finditer(s):
            number = squash(m.group(2))
            clause = re.split(r"[,，。;；]", s[:m.start()])[-1]
            if number != own and IMPLEMENTS.search(clause):
                return [_plan(ev, "parent", N_("none drafted, but line {0} implements 《{1}》 ({2})").format(
                    n, m.group(1)[:40], number), n)]
    return []


# --------------------------------------------------------------------------- completeness


def _completeness(ev, F) -> list:
    if re.search(r"节选|摘录|不完整|中断", ev.entry.get("completeness") or ""):
        return []
    last = next((n for n in range(len(ev.sq), 0, -1) if ev.sq[n - 1] and n not in ev.skipped), None)
    if last is None:
        return []
    s = ev.sq[last - 1]
    if not ASIDE_END.search(s):
        return []
    bare = s
    while ASIDE_END.search(bare):
        bare = ASIDE_END.sub("", bare)
    if len(bare) > 12 and not SENTENCE_END.search(bare) and not F.match_heading(ev.line(last).strip()) \
            and not re.search(F.DOC_WORD + r"$", bare):
        return [_plan(ev, "completeness", N_("the last line ({0}) ends in a bracket after a sentence that does not "
                                             "end: an excerpt?").format(last), last)]
    return []
