"""Review flags by the kinds of evidence frozen12/frozen13 showed unasked (issue 24, the eighth round;
ingest/flags_catalogue.py, ingest/flags_layout.py), by definition: each plan source the data holds (and each
held text) raising none of the new flags as it stands, and each written into a form that misleads ingest —
drafted right, or asked about.

Every text here is made up or built from the plan sources' own lines; the places are the gazetteer's."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from chengzhen.ingest import flags as FL
from chengzhen.ingest import flags_catalogue as FC
from chengzhen.ingest import flags_layout as FLY
from chengzhen.ingest.draft import make_draft
from chengzhen.kb.places import load_places
from chengzhen.text.normalize import squash
from chengzhen.text.outline import match_heading
from conftest import DATA
from test_ingest_flags import _draft_text

HELD = Path(__file__).parent / "data" / "held"
TEXTS = sorted((DATA / "sources").glob("*.txt")) + sorted(HELD.glob("*.txt"))


@pytest.fixture(scope="module")
def sources():
    return {p.stem: make_draft(p, DATA, "x" + p.stem.replace("-", "_")[:20]) for p in TEXTS}


def _flags(d, key: str | None = None, item: str | None = None) -> list[str]:
    FL.raise_flags(d, DATA)  # every flag the draft carries: ingest's own and the checks'
    return [r for _n, i, r in d.review if (key is None or r.startswith(key + ":")) and (item is None or i == item)]


def _lines(d) -> list[str]:
    return [x.rstrip("\n") for x in d.lines]


def test_no_plan_source_nor_held_text_raises_the_new_flags(sources):
    """On a drafted catalogue field the new checks ask only where the draft left it empty (what they ask
    about: a field a real copy does not state, e.g. a date only a page label gives, is asked rightly);
    the outline checks ask nothing of a plan source or held text."""
    assert len(sources) >= 3
    for name, d in sources.items():
        ev = FL._evidence(d, DATA, None)
        for _n, _item, reason in FC.check(ev, FL):
            key = reason.split(":", 1)[0]
            assert not d.entry.get(key), (name, reason)
        assert FLY.check(ev, FL) == [], name


def test_an_empty_level_is_asked_about(sources):
    """A plan always has a level (it follows from its place): a draft that leaves it empty says so."""
    for name, d in sources.items():
        d = copy.deepcopy(d)
        d.entry.pop("level", None)
        assert _flags(d, "level"), name


# --------------------------------------------------------------------------- region from a chain of places


def _counties_in_cities(k: int = 8):
    book = load_places(DATA)
    out = []
    for p in book.places.values():
        parent = book.places.get(getattr(p, "parent", None) or "")
        if p.level == "county" and parent is not None and parent.level == "city" and p.name.endswith(("区", "县")) \
                and len(p.name) >= 3:
            out.append((parent.name, p.name))
    out.sort()
    step = max(1, len(out) // k)
    return out[::step][:k]


@pytest.mark.parametrize("city,county", _counties_in_cities())
def test_a_title_naming_a_county_inside_its_city_drafts_the_county_or_asks(city, county):
    title = f"{city}{county}“十四五”新型城镇化发展规划"
    text = "\n".join([f"{city}{county}人民政府", f"关于印发《{title}》的通知", "各镇人民政府,区级各部门:",
                      f"现将《{title}》印发给你们,请认真组织实施。", f"{city}{county}人民政府", "2022年8月26日",
                      title, "一、总体要求", "坚持以人为本,推进新型城镇化高质量发展。"])
    d = _draft_text(text)
    book = load_places(DATA)
    got = [book.places[c].name for c in book.resolve(d.entry.get("region") or "") if c in book.places]
    assert got[:1] == [county] or _flags(d, "region"), (city, county, d.entry.get("region"))


# --------------------------------------------------------------------------- dates, issuers, 文号, parents


@pytest.mark.parametrize("label", ["发文日期 2022年05月10日", "•【公布日期】2022.05.10", "成文日期:2022-05-10"])
def test_a_date_labelled_by_the_page_is_drafted_or_asked_about(label):
    text = "\n".join(["您当前所在的位置: 首页 > 政务公开 > 政府文件", "索引号 000014349/2022-1497743", label,
                      "南岭市新型城镇化建设三年行动方案", "一、主要目标", "到2027年,全市常住人口城镇化率达到58%左右。"])
    d = _draft_text(text)
    assert d.entry.get("issue_date") == "2022-05-10" or _flags(d, "issue_date"), label


def test_a_signature_date_run_into_the_next_words_is_drafted_or_asked_about(sources):
    """Each source's 落款 date (a body over a date alone on a line) glued onto the line after it."""
    tried = 0
    for name, d in sources.items():
        lines = _lines(d)
        n = next((k for k in range(2, len(lines)) if re.fullmatch(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日", squash(lines[k - 1]))
                  and FL._reads_as_body(squash(lines[k - 2]))), None)
        if n is None or n >= len(lines):
            continue
        glued = lines[:n - 1] + [squash(lines[n - 1]) + squash(lines[n])] + lines[n + 1:]
        g = _draft_text("\n".join(glued))
        want = d.entry.get("issue_date")
        assert str(g.entry.get("issue_date")) == str(want) or _flags(g, "issue_date"), name
        tried += 1
    assert tried >= 2


def test_an_issuer_named_by_its_level_with_xiafa_is_drafted_or_asked_about():
    text = "\n".join(["南岭加快推进城镇化", "某报 2009-12-04",
                      "为加快实施城镇化战略,结合全市实际,市政府下发了《关于加快壮大中心城市加速推进城镇化的意见》。",
                      "《意见》提到,到2020年,全市城镇化率达到58%。"])
    d = _draft_text(text)
    assert d.entry.get("issuer") or _flags(d, "issuer")


def test_a_retold_notice_with_its_wenhao_is_drafted_or_asked_about():
    text = "\n".join(["《2019年新型城镇化建设重点任务》是一份文件。", "印发通知",
                      "国家发展改革委关于印发《2019年新型城镇化建设重点任务》的通知(发改规划〔2019〕0617号),旨在推进新型城镇化。",
                      "总体要求", "聚焦促进人的城镇化,提高质量。"])
    d = _draft_text(text)
    assert squash(d.entry.get("doc_number") or "") == "发改规划〔2019〕0617号" or _flags(d, "doc_number")


def test_a_parent_cited_with_words_after_its_wenhao_is_drafted_or_asked_about(sources):
    """Each source that implements a document cited 《…》(文号): the bracket goes on (,以下简称…)."""
    tried = 0
    for name, d in sources.items():
        lines = _lines(d)
        for k, s in enumerate(lines):
            m = re.search(r"《[^《》]{4,80}》\s*[(（]\s*([^()（）]{2,12}〔\d{4}〕\d{1,4}号)\s*[)）]", s)
            if m and re.search(r"贯彻|落实", s[:m.start()]):
                # another document than the national plan (which ingest knows by its name), its bracket going on
                lines[k] = s[:m.start()] + "《国务院办公厅关于印发城镇落户推进方案的通知》(国办发〔2016〕72号,以下简称《落户方案》)" \
                    + s[m.end():]
                g = _draft_text("\n".join(lines))
                assert squash(g.entry.get("parent") or "") == "国办发〔2016〕72号" or _flags(g, "parent"), name
                tried += 1
                break
    assert tried >= 2


# --------------------------------------------------------------------------- a copy cut inside a sentence


def test_a_copy_ending_in_an_aside_after_an_unfinished_sentence_is_an_excerpt_or_asked_about(sources):
    for name, d in sources.items():
        lines = _lines(d)
        last = max(r.get("line") or 0 for r in FL._evidence(d, DATA, None).records)
        cut = lines[:max(1, last // 2)] + ["2016年2月,国务院批复《城市群发展规划》(以下简称《规划》)"]
        g = _draft_text("\n".join(cut))
        assert re.search(r"节选|摘录|中断", g.entry.get("completeness") or "") or _flags(g, "completeness"), name


# --------------------------------------------------------------------------- the outline


def test_a_measure_cut_inside_its_lead_phrase_is_a_measure_or_asked_about(sources):
    """Each source cut right inside the lead phrase of its second measure of a run ((二)…。): the unit on the
    last line is drafted as its siblings are, or asked about."""
    tried = 0
    for name, d in sources.items():
        lines = _lines(d)
        for k, s in enumerate(lines):
            h = match_heading(s.strip())
            if h is None or h.kind != "paren_cn" or h.value != 2:
                continue
            lead = re.match(r"([^。,，]{4,30})。", h.rest)
            prev = match_heading(lines[k - 1].strip()) if k else None
            if not lead or prev is None or prev.kind != "paren_cn" or "。" not in prev.rest[:32]:
                continue
            g = _draft_text("\n".join(lines[:k] + [s.strip()[:h.end] + lead.group(1)]))
            units = [x for x in FL._evidence(g, DATA, None).sections if x.get("line") == k + 1]
            assert all(_flags(g, item=u.get("id")) for u in units), (name, k + 1)
            tried += 1
            break
    assert tried >= 2


def test_every_unit_on_a_line_with_dot_leaders_and_a_page_number_is_asked_about(sources):
    """Each source with a table of contents put before its text: its heading and measure lines, each with
    dot leaders and a page number."""
    tried = 0
    for name, d in sources.items():
        lines = _lines(d)
        heads = [squash(s) for s in lines if match_heading(s.strip()) and len(squash(s)) <= 30][:12]
        if len(heads) < 4:
            continue
        toc = [f"{h}{'.' * 20}{i + 3}" for i, h in enumerate(heads)]
        g = _draft_text("\n".join(["目 录"] + toc))
        ev = FL._evidence(g, DATA, None)
        units = [x for x in ev.sections + [r for r in ev.records if r.get("number")]]
        flagged = {n for n, _i, _r in FL.raise_flags(g, DATA)} | {n for n, _i, _r in g.review}
        for x in units:
            assert (x.get("line") or 0) in flagged, (name, x.get("line"), x.get("number"))
        tried += 1
    assert tried >= 2


def test_headings_after_the_contents_of_a_copy_with_no_text_are_asked_about(sources):
    """Each source's chapter and section lines after a 目录 line, the copy ending on a bare number: no
    drafted heading goes unasked."""
    tried = 0
    for name, d in sources.items():
        heads = [squash(s) for s in _lines(d) if (h := match_heading(s.strip())) and h.kind in ("part", "chapter", "section", "cn")
                 and len(squash(s)) <= 30][:10]
        if len(heads) < 4:
            continue
        h = match_heading(heads[-1])
        bare = h.number if h else "三、"
        g = _draft_text("\n".join(["某某规划", "目 录", "前 言"] + heads + [bare]))
        ev = FL._evidence(g, DATA, None)
        flagged = {n for n, _i, _r in FL.raise_flags(g, DATA)} | {n for n, _i, _r in g.review}
        for s in ev.sections:
            assert (s.get("line") or 0) in flagged, (name, s.get("line"), s.get("number"))
        tried += 1
    assert tried >= 1


# --------------------------------------------------------------------------- the figures of a goal sentence


def test_a_figure_listed_among_a_sentences_goals_is_drafted_or_asked_about(sources):
    """Each drafted target of each source, its sentence given one more clause with a figure and no goal word
    of its own (,外省务工人员回流12万左右): the figure is a drafted target or asked about on its line."""
    tried = 0
    for name, d in sources.items():
        lines = _lines(d)
        ev = FL._evidence(d, DATA, None)
        for r in ev.records:
            t = next((t for t in r.get("targets") or [] if t.get("value") is not None and t.get("quote")), None)
            n = (t or {}).get("line") or 0
            quote = squash((t or {}).get("quote") or "")
            if not t or not (1 <= n <= len(lines)) or quote not in squash(lines[n - 1]) or "12万" in lines[n - 1]:
                continue
            s = squash(lines[n - 1])
            at = s.index(quote)
            lines2 = lines[:n - 1] + [s[:at] + "外省务工人员回流12万左右," + s[at:]] + lines[n:]
            g = _draft_text("\n".join(lines2))
            drafted = any(x.get("value") == 12 for rr in FL._evidence(g, DATA, None).records for x in rr.get("targets") or [])
            FL.raise_flags(g, DATA)
            asked = [x for ln, _i, x in g.review if ln == n and re.search(r"(?<![\d.])12万", x)]
            assert drafted or asked, (name, n)
            tried += 1
            break
    assert tried >= 3


def test_a_target_whose_sentence_sets_a_span_of_years_is_dated_or_asked_about():
    text = "\n".join(["南岭市推进新型城镇化实施方案", "一、主要目标",
                      "经过5年努力,全市农业转移人口市民化质量显著提升,常住人口城镇化率提升至62%左右。",
                      "二、重点任务", "(一)推进农业转移人口市民化。健全落户制度。"])
    g = _draft_text(text)
    ts = [t for r in FL._evidence(g, DATA, None).records for t in r.get("targets") or [] if t.get("value") == 62]
    assert ts
    FL.raise_flags(g, DATA)
    for t in ts:
        assert t.get("year") or t.get("year_implied") or any("year_implied" in x and "62%" in x for _n, _i, x in g.review)
