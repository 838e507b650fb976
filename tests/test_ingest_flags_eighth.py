"""Review flags of the eighth round (issue 24, part 4), by definition over each plan source the data holds
(data/sources/*): a site's summary with figures put before the title is asked about on the lines it is
about (never on the catalogue's line 0), and not asked when a news lead opens it (a news item restating
the plan); `cz review` of a plan whose issuer is empty says the line a flag names as writing it, not "the
source does not state it".

Every text here is built from the plan sources' own lines and made-up sentences."""

from __future__ import annotations

import dataclasses

from chengzhen.ingest import flag_paths as P
from chengzhen.ingest import flags as FL
from chengzhen.ingest import review as RV
from chengzhen.ingest import unread_headings as UH
from chengzhen.kb import loader as L
from chengzhen.kb.problems import Sink
from conftest import DATA
from test_ingest_flags import SOURCES, _copy, _draft_text, drafts  # noqa: F401 - a fixture

SUMMARY = ["文件明确,全省新建公租房3万套,城镇化率提高到65%。", "推进城市更新,改造老旧小区1200个。"]
LEAD = "日前,省人民政府印发《关于推进新型城镇化的实施意见》。"


def _summary_flags(d) -> list[tuple[int, str, str]]:
    return [x for x in d.review if x[2].startswith("skip: ") and "news summary" in x[2]]


def test_a_summary_before_the_title_is_asked_about_on_its_lines():
    """Each plan source with a summary holding figures put before it: each flag on the summary stands on
    a line it names, a line of the summary with a figure — not on line 0."""
    asked = 0
    for path in SOURCES:
        d = _draft_text("\n".join(SUMMARY + path.read_text(encoding="utf-8").split("\n")))
        for line, _item, reason in _summary_flags(d):
            named = [int(x) for x in reason.split("before the title")[0].replace(",", " ").split() if x.isdigit()]
            assert line in named and line in (1, 2), (path.stem, line, reason)
            asked += 1
    assert asked >= 1


def test_a_summary_a_news_lead_opens_is_not_asked_about():
    """The same summary behind a news lead (日前,…印发《…》): a news item restating the plan it reports on —
    its figures are the plan's, stated again in its text; nothing is asked about it."""
    for path in SOURCES:
        d = _draft_text("\n".join([LEAD, *SUMMARY, *path.read_text(encoding="utf-8").split("\n")]))
        assert not _summary_flags(d), (path.stem, _summary_flags(d))


def test_review_of_an_empty_issuer_says_the_line_a_flag_names(drafts):
    """Each plan source whose issuer a line writes: its draft with the issuer taken out is flagged on that
    line, and `cz review`'s catalogue entry for the issuer says that line (with its text), not that the
    source does not state it."""
    plans = {p.source.rsplit("/", 1)[-1].removesuffix(".txt"): p for p in L.load_catalogue(DATA)}
    tried = 0
    for path in SOURCES:
        d, plan = drafts[path.stem], plans.get(path.stem)
        if plan is None or not plan.issuer:
            continue
        c = _copy(d)
        c.entry["issuer"] = None
        found = [x for x in FL.check_issuer(FL._evidence(c, DATA, None)) if x[0]]
        if not found:
            continue
        line, _item, reason = found[0]
        empty = dataclasses.replace(plan, issuer=None, review=reason)
        lines = L.load_plan(DATA, plan, L.load_kb(DATA, Sink()).vocab, Sink()).lines
        entry = next(e for e in RV._catalogue(empty, lines) if e.item == "issuer")
        assert entry.line == line and str(line) in entry.why and entry.source, (path.stem, entry)
        tried += 1
    assert tried >= 1


def _titled(d) -> list[str]:
    return [FL.squash(s.get("title") or "") for s in _ev(d).sections if 2 <= len(FL.squash(s.get("title") or "")) <= 12
            and not FL.re.search(r"[,，。；;:：、(（]", FL.squash(s.get("title") or ""))]


def _ev(d):
    return FL._evidence(d, DATA, None)


def test_a_heading_that_speaks_of_chapters_is_asked_about(drafts):
    """Each plan source as drafted: no heading reads as a sentence about chapters; each of its first headings
    with its title made one (至第七章是…, 、二章分别是…) is asked about."""
    said = "speaks of the plan's chapters"
    applied = 0
    for path in SOURCES:
        d = drafts[path.stem]
        assert not [r for r in FL.check_outline(_ev(d)) if said in r[2]], path.stem
        for prefix in ("至第七章是", "、二章分别是", "是"):
            c = _copy(d)
            ev = _ev(c)
            s = next((s for s in ev.sections if s.get("title") and FL._has_records(s) and not s.get("restored")), None)
            if s is None:
                break  # (an excerpt with no heading over records)
            s["title"] = prefix + s["title"]
            assert [r for r in FL.check_outline(_ev(c)) if said in r[2] and r[1] == s.get("id")], (path.stem, prefix)
            applied += 1
    assert applied >= 3


def test_headings_numbered_by_article_are_asked_about():
    """A plan set out as articles (第7条 指导思想 alone on its line, its items 1. 2. below), built from each plan
    source's own heading titles and first sentences: each article's line is asked as a heading lost, and each
    item drafted as a heading under it as a measure; the plan sources themselves hold no such line."""
    tried = 0
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert not [x for x in text.split("\n") if UH.ARTICLE.match(FL.squash(x))], path.stem
        d = _draft_text(text)
        titles = _titled(d)[:4]
        sentence = next((x.strip() for x in text.split("\n") if x.strip().endswith("。") and len(x.strip()) > 40), None)
        if len(titles) < 4 or sentence is None:
            continue
        lines = ["甲市新型城镇化规划(2021—2035年)", "第一章 总体要求", f"第7条 {titles[0]}", sentence, f"第8条 {titles[1]}",
                 f"1. {titles[2]}", sentence, f"2. {titles[3]}", sentence]
        got = UH.check_unread(_ev(_draft_text("\n".join(lines))))
        assert {n for n, _i, r in got if "numbered by article" in r} == {3, 5}, (path.stem, got)
        assert {n for n, _i, r in got if "did not read" in r} >= {6, 8}, (path.stem, got)
        tried += 1
    assert tried >= 1


def test_an_empty_level_is_asked_when_the_issuing_body_says_one(drafts):
    """Each plan source's draft with its region and level taken out: the level is asked (with the level its
    issuing body's name says) when that name says one of the catalogue's levels."""
    for path in SOURCES:
        d = drafts[path.stem]
        c = _copy(d)
        c.entry["region"], c.entry["level"] = None, None
        ev = _ev(c)
        bodies = [FL.squash(c.entry.get("issuer") or "")] if c.entry.get("issuer") else [w for _n, w in FL._issuing_bodies(ev)]
        says = next((lv for b in bodies for lv in [FL._level_of_body(ev, b)] if lv in FL.LEVELS), None)
        got = [r for _l, _i, r in FL.check_region(ev) if r.startswith("level: none drafted")]
        assert bool(got) == bool(says), (path.stem, bodies, got)
        assert not got or says in got[0], (path.stem, got)


def test_a_copy_read_whole_by_its_last_sentence_alone_is_asked_about(drafts):
    """Each plan source that reads as whole by a plan's close (a 落款 after its text, or a closing chapter last:
    保障措施, 组织实施 …) and raises no path flag on its completeness; the same draft ending with its first
    chapter (no 落款, no closing chapter: a copy that only ends with a sentence's end) is asked about."""
    applied = 0
    for path in SOURCES:
        d = drafts[path.stem]
        ev = _ev(d)
        if P.provenance(ev)["completeness"] != "whole_closed":
            continue  # (a copy that breaks off, or ends with a sentence alone: asked about as such)
        assert not [r for r in P.check_paths(ev, set()) if r[2].startswith("completeness:")], path.stem
        applied += 1
        c = _copy(d)
        first = next(s for s in c.body["sections"] if not P.CLOSING.search(FL.squash(s.get("title") or "")))
        c.body["sections"] = [first]
        c.entry["skip"] = [x for x in c.entry.get("skip") or [] if x.get("kind") != "signature"]
        c.entry["completeness"] = "全文"
        ev2 = _ev(c)
        assert P.provenance(ev2)["completeness"] == "whole", path.stem
        assert [r for r in P.check_paths(ev2, set()) if r[2].startswith("completeness:")], path.stem
    assert applied >= 1


def test_a_draft_named_by_nothing_is_asked_once_for_its_place_and_id():
    """Each plan source's first two headings and a sentence of its, with no title and no place (the id made
    from nothing, ``plan``): the region's flag asks for the place and an id; no flag of its own on the id."""
    from chengzhen.ingest import decode as DEC
    from chengzhen.ingest.draft import draft_from_text

    tried = 0
    for path in SOURCES:
        titles = _titled(_draft_text(path.read_text(encoding="utf-8")))[:2]
        if len(titles) < 2:
            continue
        text = f"一、{titles[0]}\n坚持以人为本,推进城镇化建设,提高质量。\n二、{titles[1]}\n完善公共服务体系,推进市民化。\n"
        d = draft_from_text(DEC.Decoded(text, "utf-8", "text"), DATA, None, "test.txt")
        if d.plan_id != "plan":
            continue  # a title of its names a place
        said = [r for _l, _i, r in d.review]
        assert not [r for r in said if r.startswith("id:")], (path.stem, said)
        assert [r for r in said if r.startswith("region:") and "--id" in r], (path.stem, said)
        tried += 1
    assert tried >= 1


def test_a_period_from_the_plan_a_lead_says_was_issued_is_settled(drafts):
    """Each plan source with years in its period, its name lost (composed by ingest) and its first line a lead
    naming the plan as issued (…发布《X(2024—2028年)》全文): ingest's doubt "period taken from line 1" is
    settled; the same line citing it as a plan implemented (为贯彻落实《X(…)》) keeps the doubt."""
    tried = 0
    for path in SOURCES:
        d = drafts[path.stem]
        per = d.entry.get("period") or {}
        if not per.get("start") or per["start"] == per["end"]:
            continue
        title = f"某省新型城镇化规划({per['start']}—{per['end']}年)"
        doubt = (0, d.plan_id, "period: no years in the title: period taken from line 1")
        for lead, settled in ((f"3月21日,省人民政府网发布《{title}》全文。", True),
                              (f"为贯彻落实《{title}》,结合实际,制定本方案。", False)):
            c = _copy(d)
            c.lines = [lead, *c.lines[1:]]
            c.entry["name"], c.entry["supplied"] = "某省规划", {"name": "拟定"}
            c.review = [doubt]
            assert (FL._settle(c, _ev(c), list(c.review)) == []) == settled, (path.stem, lead)
        tried += 1
    assert tried >= 1
