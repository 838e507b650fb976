"""Review flags on headings a draft never drafted and on the catalogue fields frozen9/frozen10 left unflagged
(issue 24; ingest/run_in.py and the catalogue checks of ingest/flags.py), by definition: each plan source the
data holds (data/sources/*) written into the form that misleads ingest — a heading run into the line of text
before it, a title calling the copy a shortened version, a page's tag before the name, an issuer's place
written with a character no gazetteer name has, a copy with no outline — and each plan source as it stands
raising none of the new flags.

Every text here is made up or built from the plan sources' own lines."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from chengzhen.ingest import flags as FL
from chengzhen.ingest.run_in import run_in
from chengzhen.text.normalize import squash
from chengzhen.text.outline import match_heading
from conftest import DATA
from test_ingest_flags import SOURCES, _copy, _draft_text, drafts  # noqa: F401 - a fixture

RUN_IN = "may hold headings run into its text"


def _sources(drafts):
    stems = {p.stem for p in SOURCES}
    return {k: d for k, d in drafts.items() if k in stems}


def _plan_flags(found, key: str) -> list[str]:
    return [r for _l, _i, r in found if r.startswith(key + ":")]


def _ev(d):
    return FL._evidence(d, DATA, None)


def _short_headings(d):
    """(line, number, title) of each drafted heading of a kind run_in knows, whose title is a heading's
    length, and the nearest line before it with text ending a sentence."""
    for n, raw in enumerate(d.lines, start=1):
        h = match_heading(raw.strip())
        if h is None or h.kind not in ("chapter", "section", "part", "cn", "paren_cn"):
            continue
        title = squash(h.rest)
        if not (2 <= len(title) <= 12) or re.search(r"[,，。；;:：、(（]", title):
            continue
        prev = next((k for k in range(n - 1, 0, -1) if squash(d.lines[k - 1])), None)
        if prev and squash(d.lines[prev - 1]).endswith("。") and match_heading(d.lines[prev - 1].strip()) is None:
            yield n, prev, squash(h.number), title


def test_no_line_of_a_plan_source_reads_as_holding_a_run_in_heading(drafts):
    """Each line of each plan source as it stands: none holds a heading run into it."""
    for name, d in _sources(drafts).items():
        for n, line in enumerate(d.lines, start=1):
            assert not run_in(squash(line)), (name, n, line)


def test_a_heading_run_into_the_line_before_is_found(drafts):
    """Each short heading of each plan source (一、 (一) 第X章) glued onto the sentence before it, with the text
    after it glued on too: run_in names the heading."""
    tried = 0
    for name, d in _sources(drafts).items():
        for n, prev, number, title in _short_headings(d):
            after = squash(d.lines[n]) if n < len(d.lines) else ""
            glued = squash(d.lines[prev - 1]) + number + title + after
            # (where the title runs straight into its text, only its first words can stand for it)
            assert any(f.startswith(number + title[:2]) for f in run_in(glued)), (name, n, glued[:80])
            tried += 1
    assert tried >= 5


def test_a_draft_of_a_plan_with_a_heading_run_in_asks_about_the_line(drafts):
    """One plan source per source, its first short heading glued onto the sentence before it: the draft asks
    about that line (structure: …), which the old checks did not."""
    tried = 0
    for name, d in _sources(drafts).items():
        got = next(iter(_short_headings(d)), None)
        if got is None:
            continue
        n, prev, number, title = got
        lines = list(d.lines)
        lines[prev - 1] = lines[prev - 1].rstrip() + lines[n - 1].strip()
        del lines[n - 1]
        nd = _draft_text("\n".join(lines))
        asked = [r for _l, i, r in nd.review if i == nd.plan_id and RUN_IN in r]
        assert any(number + title[:2] in r for r in asked), (name, number + title, asked)
        tried += 1
    assert tried >= 2


def test_the_plan_sources_raise_none_of_the_new_flags(drafts):
    """Each plan source as it stands: no run-in heading, shortened copy, page tag, unknown place or missing
    outline is asked about."""
    new = (RUN_IN, "shortened version", "page's tag", "gazetteer does not know", "holds no heading and no numbered")
    for name, d in _sources(drafts).items():
        assert not [r for _l, _i, r in d.review if any(x in r for x in new)], name


@settings(max_examples=25, deadline=None)
@given(word=st.sampled_from(["减缩版", "精简版", "缩减版", "节略本", "删节版", "简写本"]))
def test_a_title_calling_the_copy_shortened_asks_for_abridged(drafts, word):
    """Each plan source's title line followed by a shortened version's label: abridged is asked about unless
    drafted."""
    for name, d in _sources(drafts).items():
        c = _copy(d)
        first = next(n for n, s in enumerate(c.lines, start=1) if squash(s))
        c.lines = list(c.lines)
        c.lines[first - 1] = c.lines[first - 1].rstrip() + f"({word})"
        c.entry["abridged"] = False
        assert _plan_flags(FL.check_abridged(_ev(c)), "abridged"), (name, word)


@settings(max_examples=25, deadline=None)
@given(tag=st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=6),
       bracket=st.sampled_from(["【】", "[]", "［］"]))
def test_a_name_opening_with_a_pages_tag_is_asked_about(drafts, tag, bracket):
    """Each plan source's name with a page's tag before it is asked about; the name alone is not."""
    for name, d in _sources(drafts).items():
        c = _copy(d)
        assert not [r for r in _plan_flags(FL.check_name(_ev(c)), "name") if "page's tag" in r], name
        c.entry["name"] = bracket[0] + tag + bracket[1] + (d.entry.get("name") or "")
        assert [r for r in _plan_flags(FL.check_name(_ev(c)), "name") if "page's tag" in r], (name, c.entry["name"])


@settings(max_examples=40, deadline=None)
@given(ch=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5))
def test_an_issuer_whose_place_no_gazetteer_name_opens_with_is_asked_about(drafts, ch):
    """Each plan source's issuer with the first character of its place changed: asked about exactly when no
    place the gazetteer knows opens with the changed stem (陜西 for 陕西), and never as drafted."""
    for name, d in _sources(drafts).items():
        issuer = d.entry.get("issuer") or ""
        m = FL.ISSUER_PLACE.match(squash(issuer))
        if not m or "、" in issuer:
            continue
        ev = _ev(d)
        assert not [r for r in FL.check_issuer(ev) if "gazetteer does not know" in r[2]], name
        new = ch + squash(issuer)[1:]
        m2 = FL.ISSUER_PLACE.match(new)
        if m2 is None or m2.group(1) != ch + m.group(1)[1:] or not all(
                FL._reads_as_body(p) for p in FL.K.issuer_parts(new)):
            continue  # the changed name no longer opens with a place, or reads as no body's name
        c = _copy(d)
        c.entry["issuer"] = new
        ev2 = _ev(c)
        known = bool(FL._resolve(ev2, m2.group(1))) or any(
            str(p.name).startswith(m2.group(2)) for p in ev2.places.places.values())
        asked = [r for r in FL.check_issuer(ev2) if "gazetteer does not know" in r[2]]
        assert bool(asked) == (not known), (name, new, asked)


def test_a_copy_without_an_outline_said_whole_is_asked_about(drafts):
    """Each plan source's draft with its headings and numbers taken away (a copy of its preamble alone): a
    draft that says 全文 is asked about; as drafted, it is not."""
    for name, d in _sources(drafts).items():
        assert not [r for r in FL.check_completeness(_ev(d)) if "holds no heading" in r[2]], name
        c = _copy(d)
        c.body = {"measures": [], "sections": []}
        c.entry["completeness"] = "全文"
        assert _plan_flags(FL.check_completeness(_ev(c)), "completeness"), name


@settings(max_examples=10, deadline=None)
@given(sep=st.sampled_from([" ", "  ", "\u3000", ""]), chinese=st.booleans(), marks=st.sampled_from(["", "@@", "##"]))
def test_a_signature_run_into_the_text_asks_for_issuer_and_date(drafts, sep, chinese, marks):
    """Each plan source's issuer and issue date (or a made-up pair where it has none) written as a 落款 run into
    the end of a line of its text (…落实。 X人民政府办公室 2022年8月3日), its own 落款 lines blanked: a draft
    without issuer or issue date is asked for both.  The question on the issuer names that body — unless a line
    before the text names an issuing body too (a notice's title, a page's label: the copy with its 落款 blanked and
    none run in is asked about it), when it may be that same question."""
    cn = "〇一二三四五六七八九"
    tried = 0
    for name, d in _sources(drafts).items():
        region = d.entry.get("region") or ""
        who = squash(d.entry.get("issuer") or "") or (region + "人民政府办公室")
        if "、" in who or not FL.ISSUER_PLACE.match(who):
            continue
        y, mo, da = (2022, 8, 3) if not d.entry.get("issue_date") else (int(x) for x in str(d.entry["issue_date"]).split("-"))
        date = (f"{y}年{mo}月{da}日" if not chinese else
                "".join(cn[int(c)] for c in str(y)) + f"年{'十' if mo == 10 else ''}{cn[mo % 10] if mo != 10 else ''}月")
        c = _copy(d)
        lines = list(c.lines)
        ev = _ev(d)
        for n, _who, _dt in FL._signature(ev):  # the source's own 落款: blanked
            for k in range(max(1, n - 3), n + 1):
                if FL.K.issuer_parts(lines[k - 1]) and all(FL.G.is_issuer(p) for p in FL.K.issuer_parts(lines[k - 1])) \
                        or k == n:
                    lines[k - 1] = ""
        at = next((n for n, s in enumerate(lines, start=1) if n >= ev.body_start and squash(s).endswith("。")), None)
        if at is None:
            continue
        bare = _copy(d)  # no 落款 at all: what else names an issuing body
        bare.lines = list(lines)
        bare.entry["issuer"], bare.entry["issue_date"] = None, None
        other = FL.check_issuer(_ev(bare))
        if marks:  # a 落款 on two lines of its own, marks strewn among its words (上海@@市@@人民政府@@)
            lines[at:at] = ["", marks.join(who[i:i + 2] for i in range(0, len(who), 2)) + marks, "",
                            marks.join(date[i:i + 5] for i in range(0, len(date), 5)) + marks]
        else:
            lines[at - 1] = lines[at - 1].rstrip() + sep + who + sep + date
        c.lines = lines
        c.entry["issuer"], c.entry["issue_date"] = None, None
        ev2 = _ev(c)
        asked = FL.check_issuer(ev2)
        assert [r for r in asked if who in r[2]] or (other and asked == other), (name, who, date, asked)
        if not chinese:
            assert [r for r in FL.check_issue_date(ev2) if f"{y:04d}-{mo:02d}-{da:02d}" in r[2]], (name, date)
        tried += 1
    assert tried >= 2
