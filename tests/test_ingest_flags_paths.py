"""Review flags by the path a catalogue field was read by, and the kinds frozen8's blind run left unflagged on
the catalogue and the outline (issue 24; ingest/flag_paths.py, ingest/front.py), by definition: each plan
source the data holds (data/sources/*) written into the form that misleads ingest — its goals told by a news
item, its issuer named only in the story, a heading garbled by another encoding, its headline repeated in a
page's SEO lines — and each plan source's own draft raising none of the new flags.

Every text here is made up (the forms of copies found on the web, none of their words)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chengzhen.ingest import flag_paths as P
from chengzhen.ingest import flags as FL
from conftest import DATA
from test_ingest_flags import _draft_text, _records, _sections, drafts  # noqa: F401 - a fixture
from test_ingest_flags_fifth import _goal_lines

NEW = ("read by the path", "the copy is a news item", "is garbled", "seldom seen")


def _plan_flags(d, key: str) -> list[str]:
    return [r for _l, i, r in d.review if i == d.plan_id and r.startswith(key + ":")]


def _news(place: str, goal: str, who: str = "某某") -> str:
    """A news item telling a plan's goal: a headline `place:goal`, a dateline, a speaker, the author; it ends
    with whole sentences."""
    return (f"{place}:{goal}\n\n3月5日消息,{place}人民政府新闻办举行新闻发布会。\n\n"
            f"{who}在发布会上表示,{goal}。\n\n(作者:某某某)\n")


def test_a_news_item_that_ends_whole_is_not_read_as_the_whole_plan(drafts):
    """Each plan source's goals told by a news item that ends with a whole sentence: a draft that says 全文 is
    asked about (a news item is a part of the plan it reports on)."""
    tried = 0
    for name, d in drafts.items():
        place = d.entry.get("region") or "某某省"
        for goal in _goal_lines(d, clause=True):
            n = _draft_text(_news(place, goal))
            if "节选" in (n.entry.get("completeness") or ""):
                continue  # read as an excerpt: nothing to ask
            assert _plan_flags(n, "completeness"), (name, goal, n.review)
            tried += 1
    assert tried >= 2


def test_a_news_item_whose_story_names_the_acting_body_asks_for_the_issuer(drafts):
    """Each plan source's issuer named only as the one acting in a news story (its headline and what its head
    said): no issuer drafted is asked about."""
    tried = 0
    for name, d in drafts.items():
        who = d.entry.get("issuer")
        if not who:
            continue
        for goal in _goal_lines(d, clause=True):
            text = (f"{who}推进新型城镇化\n\n近年来,该单位着力做好重点项目推进工作。\n\n"
                    f"负责人表示,将{goal}。\n\n(作者:某某某)\n\n评论一下\n")
            n = _draft_text(text)
            if n.entry.get("issuer"):
                continue
            assert _plan_flags(n, "issuer"), (name, goal, n.review)
            tried += 1
    assert tried >= 2


def _garbled(s: str) -> str:
    """``s`` as a GBK page read one byte out of step: each character's bytes paired with its neighbour's."""
    b = s.encode("gb18030")
    return (b[1:] + b[:1]).decode("gb18030", errors="replace")


def test_a_heading_garbled_by_another_encoding_is_asked_about_as_a_heading_lost(drafts):
    """Each plan source's first numbered headings in a small plan, the second of them garbled as a page of
    another encoding leaves it (its number and words): when it is drafted as no heading, its line is asked."""
    tried = 0
    for name, d in drafts.items():
        titles = [s.get("title") for s in _sections(d.body) if s.get("title") and not s.get("restored")][:2]
        if len(titles) < 2:
            continue
        text = (f"某某省新型城镇化实施方案\n一、{titles[0]}\n推动城镇化高质量发展,提升城市综合承载能力。\n"
                f"?。ㄒ唬{_garbled(titles[1])}\n完善公共服务体系,推进基本公共服务均等化。\n")
        n = _draft_text(text)
        if any(s.get("line") == 4 for s in _sections(n.body)):
            continue  # read as a heading all the same
        assert [r for line, _i, r in n.review if line == 4 and r.startswith("structure:") and "garbled" in r], \
            (name, titles[1], n.review)
        tried += 1
    assert tried >= 2


def test_a_pages_seo_lines_repeating_its_headline_draft_no_target(drafts):
    """Each plan source's goal as a news page's headline, repeated at the page's end alone and in its SEO
    lines (为您提供…关于<headline>内容): no target is drafted from those lines."""
    tried = 0
    for name, d in drafts.items():
        place = d.entry.get("region") or "某某省"
        for goal in _goal_lines(d, clause=True):
            head = f"{place}:{goal}"
            text = (f"某某论坛 财经 {head}\n\n{head}\n\n3月5日消息,{place}人民政府新闻办举行新闻发布会。\n\n"
                    f"负责人表示,{goal}。\n\n本文来自网络,不代表本站立场。\n\n{head}\n\n"
                    f"某某论坛后续将为您提供丰富、全面的关于{head}内容,让您第一时间了解到关于{head}的热门信息。\n")
            n = _draft_text(text)
            end = len(n.lines)
            on = [t for r in _records(n.body) for t in r.get("targets") or [] if (t.get("line") or r.get("line")) >= end - 2]
            assert not on, (name, goal, on)
            tried += 1
    assert tried >= 2


def test_no_plan_source_raises_a_path_flag_and_none_reads_as_a_news_item(drafts):
    for name, d in drafts.items():
        if name in ("label_issuer", "goal_not_drafted"):
            continue  # made-up texts of test_ingest_flags, not plan sources
        assert P.text_kind(FL._evidence(d, DATA, None)) == "document", name
        # as drafted: with ingest's own flags (a name ingest composed is flagged as such, once)
        said = [(n, r) for n, _i, r in d.review if any(k in r for k in NEW)]
        assert not said, (name, said)


def test_every_calibrated_path_and_reason_names_a_catalogue_field():
    fields = set(FL.FIELDS)
    for key in list(P.CALIBRATION) + list(P.PATH_REASONS) + list(P.DEFINED):
        field, _, path = key.partition(":")
        assert field in fields and path, key
    # the calibration is what the paths' counts say: none drafted more often than it was seen, none unseen
    assert all(0 <= w <= n and n > 0 for w, n in P.CALIBRATION.values())


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([f"{f}:{p}{k}" for f in ("issuer", "period") for p in ("none", "title", "x")
                                        for k in ("", "@news")]),
                       st.tuples(st.integers(0, 20), st.integers(1, 20)).map(lambda t: (min(t), max(t))), min_size=1),
       st.sampled_from(["issuer:none", "issuer:none@news", "period:title", "period:y@news", "issuer:q"]))
def test_a_path_is_weak_by_its_own_count_when_seen_enough_else_by_its_kind_of_text(table, key):
    got = P.weak(key, table)
    own = table.get(key)
    if key in P.DEFINED:
        assert got is not None
    elif own and own[1] >= P.WEAK_LEAST:
        assert (got is not None) == (own[0] / own[1] >= P.WEAK_SHARE)
    else:
        # the field's share of wrong values × the kind of text's ÷ the share over all, each over what is seen
        def kind(k):
            return k.rsplit("@", 1)[1] if "@" in k else "document"

        def share(keys):
            w, n = sum(table[k][0] for k in keys), sum(table[k][1] for k in keys)
            return w, n
        fw, fn = share([k for k in table if k.split(":")[0] == key.split(":")[0]])
        kw, kn = share([k for k in table if kind(k) == kind(key)])
        w, n = share(list(table))
        enough = min(fn, kn, n) >= P.WEAK_LEAST and w > 0
        assert (got is not None) == (enough and (fw / fn) * (kw / kn) / (w / n) >= P.POOL_SHARE), (table, key, got)


def test_is_this_a_plan_is_not_asked_of_a_news_item_but_still_of_a_documents_opening(drafts):
    """Each plan source's goals told by a news item: "no numbered headings: is this a plan?" is withdrawn (it is
    a news item about one, its catalogue asked by path); the same goals as a document's opening keep it."""
    tried = 0
    for name, d in drafts.items():
        place = d.entry.get("region") or "某某省"
        for goal in _goal_lines(d, clause=True):
            n = _draft_text(_news(place, goal))
            assert not [r for r in _plan_flags(n, "structure") if "found: 0:" in r], (name, goal, n.review)
            doc = _draft_text(f"{place}推进新型城镇化实施方案\n为推进新型城镇化,制定本方案。\n{goal}。\n"
                              f"各地要结合实际认真贯彻落实。\n")
            if doc.body.get("sections"):
                continue
            assert [r for r in _plan_flags(doc, "structure") if "found: 0:" in r], (name, goal, doc.review)
            tried += 1
    assert tried >= 2


def test_every_path_is_named_in_the_curators_words():
    """A reason names its path in Chinese (PATH_WORDS): every path the calibration counts has its words."""
    for key in list(P.CALIBRATION) + list(P.DEFINED):
        base = key.split(":", 1)[1].split("@")[0]
        assert base in P.PATH_WORDS, key
