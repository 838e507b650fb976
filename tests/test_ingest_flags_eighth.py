"""Review flags of the eighth round (issue 24, part 4), by definition over each plan source the data holds
(data/sources/*): a site's summary with figures put before the title is asked about on the lines it is
about (never on the catalogue's line 0), and not asked when a news lead opens it (a news item restating
the plan); `cz review` of a plan whose issuer is empty says the line a flag names as writing it, not "the
source does not state it".

Every text here is built from the plan sources' own lines and made-up sentences."""

from __future__ import annotations

import dataclasses

from chengzhen.ingest import flags as FL
from chengzhen.ingest import review as RV
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
