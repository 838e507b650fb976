"""Search checked by its definitions (docs/cli.md, "How search matches"),
over everything the data holds — every number in every source, every
heading, every 责任单位 clause and name, every entity a query can name,
every plan × terms drawn from the sources — on the repository's data and on
a copy with a sixth plan (tests/sixth_plan.py).  Nothing is listed by hand:
plans, numbers, names and headings are read from the data and the database.

The expected answers are recomputed here with a separate, simple definition
of "a text holds a query" (:func:`simple` and :func:`holds`): fold (script
of the database, width, case, Roman numerals), a range mark between two
digits written ``~``, punctuation and spaces dropped except between two
digits, then a substring whose ends do not cut a number (no digit, and no
decimal point with a digit, right before a leading digit or right after a
trailing one).  It shares no code with the index's tokenizer
(text/tokens.py).
"""

from __future__ import annotations

import json
import random
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sixth_plan
from conftest import DATA, run_cz

from chengzhen.query.search import Filters, search
from chengzhen.text.normalize import fold

# --------------------------------------------------------------------------- the simple definition

DASHES = "—–~～〜至\\-"
_RANGE = re.compile(r"(?<=\d)\s*[" + DASHES + r"]+\s*(?=\d)")


def simple(text: str) -> str:
    """``text`` as the definition compares it (module doc)."""
    t = fold(text, simplify=False)
    t = _RANGE.sub("~", t)
    t = re.sub(r"(?<!\d)[.~%‰]|[.~](?!\d)", "|", t)   # a number's marks only where they mark a number
    t = re.sub(r"[^\w.~%‰]|_", "|", t)                 # punctuation and spaces: a gap
    t = re.sub(r"\|+", "|", t)
    return re.sub(r"(?<!\d)\||\|(?!\d)", "", t)         # a gap matters only between two digits (1、2 is not 12)


def holds(text: str, q: str) -> bool:
    """Does ``text`` (simple) hold ``q`` (simple) without cutting a number?"""
    if not q:
        return False
    i = text.find(q)
    while i != -1:
        a, b = i, i + len(q)
        left = not q[0].isdigit() or not (a > 0 and (text[a - 1].isdigit() or text[a - 1] == "."))
        right = not q[-1].isdigit() or not (b < len(text) and (text[b].isdigit() or text[b] == "."))
        if left and right:
            return True
        i = text.find(q, i + 1)
    return False


# a number as the sources write it: digits with decimal points, a range, a
# percent sign or the one or two characters after it (its unit, 年, 万户 …)
NUMBER = re.compile(r"\d+(?:\.\d+)*(?:~\d+(?:\.\d+)*)?(?:%|‰|[\u4e00-\u9fff]{1,2})?")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def exact(conn, q: str, filters: Filters | None = None) -> set[int]:
    """The rowids of the units `cz search Q --exact` gives."""
    res = search(conn, q, filters, limit=None, segment=False, entities=False, suggest=False, related=False)
    assert res.total == len(res.hits) and all(h.hit and h.match == "exact" for h in res.hits)
    return {h.rowid for h in res.hits}


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def _inside_number(text: str, i: int) -> bool:
    """Is the place before ``text[i]`` inside a number (2|028, 2.|8, 2|.8)?"""
    if i <= 0 or i >= len(text):
        return False
    x, y = text[i - 1], text[i]
    return (x.isdigit() or x == ".") and (y.isdigit() or y == ".") and (x.isdigit() or y.isdigit())


# --------------------------------------------------------------------------- the corpora

class Corpus:
    """A built database and the data it was built from, with every unit's
    text (read from the stored fields, not from the index) and every plan's
    normalized source lines."""

    def __init__(self, data: Path, db: Path):
        from chengzhen.kb.loader import load_catalogue, normalized_source
        from chengzhen.store.db import open_readonly

        self.data, self.db = data, db
        self.env = {"CZ_DATA": str(data), "CZ_DB": str(db)}
        self.conn = open_readonly(db)
        self.plans = load_catalogue(data)
        assert self.plans
        self.lines = {p.id: normalized_source(data, p) for p in self.plans}
        self.skipped = {p.id: {n for s in p.skip for n in range(s.first, s.last + 1)} for p in self.plans}
        self.units: dict[int, tuple] = {}  # rowid -> (kind, ref, item, plan, title, body) as stored
        headings = ("(SELECT x.heading FROM annexes x WHERE d.item IS NULL AND x.id = d.ref)"
                    if self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'annexes'").fetchone() else "NULL")
        for row in self.conn.execute(
                "SELECT d.rowid, d.kind, d.ref, d.item, d.plan_id, d.title, "
                "CASE d.kind WHEN 'measure' THEN m.text || coalesce(m.departments_quote, '') "
                f"WHEN 'annex' THEN coalesce({headings}, coalesce(a.group_name, '') || ' ' || a.name) ELSE '' END "
                "FROM docs d LEFT JOIN measures m ON d.kind = 'measure' AND m.id = d.ref "
                "LEFT JOIN annex_rows a ON d.kind = 'annex' AND a.annex_id = d.ref "
                "AND a.seq = CAST(d.item AS INTEGER)"):
            self.units[row[0]] = row[1:]
        self.simple_units = {r: (simple(u[4] or ""), simple(u[5] or "")) for r, u in self.units.items()}
        rowid = {(u[0], u[1]): r for r, u in self.units.items()}
        self.clauses = {rowid[("measure", mid)]: q for mid, q in self.conn.execute(
            "SELECT id, departments_quote FROM measures WHERE departments_quote IS NOT NULL")}

    def holding(self, q: str, plan: str | None = None) -> set[int]:
        """The units whose title or text holds ``q`` (every space-separated term)."""
        terms = [simple(self.t2s(t)) for t in q.split()]
        return {r for r, (t, b) in self.simple_units.items()
                if (plan is None or self.units[r][3] == plan)
                and any(all(holds(x, term) for term in terms) for x in (t, b))}

    def t2s(self, text: str) -> str:
        from chengzhen.query.fold import user_fold

        return user_fold(self.conn, text)

    def body_lines(self, pid: str):
        """(line number, text) of every line of the plan's source that is not skipped."""
        for n, line in enumerate(self.lines[pid], start=1):
            if n not in self.skipped[pid] and line.strip():
                yield n, line


# the sixth plan's run doubles the module's time: CI runs it (pytest -m slow)
@pytest.fixture(scope="module", params=["data", pytest.param("sixth plan", marks=pytest.mark.slow)])
def corpus(request, real_db, tmp_path_factory):
    if request.param == "data":
        c = Corpus(DATA, real_db)
    else:
        from chengzhen.store.build import build

        tmp = tmp_path_factory.mktemp("six-def")
        root = tmp / "data"
        shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
        if (root / "plans" / f"{sixth_plan.PLAN_ID}.yaml").exists():
            pytest.skip("the data already holds the sixth plan")
        sixth_plan.add(root)
        build(root, tmp / "db" / "chengzhen.db")
        c = Corpus(root, tmp / "db" / "chengzhen.db")
    yield c
    c.conn.close()


def source_numbers(c: Corpus) -> list[str]:
    """Every number of every source line (skipped lines too), with and
    without what follows it."""
    out: set[str] = set()
    for pid, lines in c.lines.items():
        for line in lines:
            for m in NUMBER.finditer(simple(line)):
                out.add(m.group(0))
                out.add(re.match(r"\d+(?:\.\d+)*", m.group(0)).group(0))
    return sorted(out)


# --------------------------------------------------------------------------- 1. numbers are atoms

def test_every_number_in_every_source_finds_exactly_the_units_holding_it(corpus):
    numbers = source_numbers(corpus)
    assert len(numbers) > 50 and any("." in n for n in numbers) and any("~" in n for n in numbers)
    for n, q in enumerate(numbers):
        expected = corpus.holding(q)
        assert exact(corpus.conn, q) == expected, q
        if n % 4 == 0:  # the default search: the same exact hits (anything else it adds is labelled)
            res = search(corpus.conn, q, limit=None)
            assert {h.rowid for h in res.hits if h.match == "exact"} == expected, q


@st.composite
def number_queries(draw, numbers: list[str]):
    """A number of the data as written, or made into another one the way a
    misreading would: the decimal point dropped or moved, a range's mark
    dropped, a digit added, a unit changed."""
    n = draw(st.sampled_from(numbers))
    how = draw(st.sampled_from(["as is", "no point", "point moved", "range joined", "digit added", "unit",
                                "range typed", "percent"]))
    digits = re.match(r"\d+(?:\.\d+)*(?:~\d+(?:\.\d+)*)?", n).group(0)
    rest = n[len(digits):]
    if how == "no point":
        n = digits.replace(".", "") + rest
    elif how == "point moved" and "~" not in digits and len(digits.replace(".", "")) > 1:
        plain = digits.replace(".", "")
        k = draw(st.integers(1, len(plain) - 1))
        n = plain[:k] + "." + plain[k:] + rest
    elif how == "range joined":
        n = digits.replace("~", "") + rest
    elif how == "digit added":
        n = digits + str(draw(st.integers(0, 9))) + rest
    elif how == "unit":
        n = digits + draw(st.sampled_from(["万", "亿", "户", "个", "公里", "%", "万户", "年"]))
    elif how == "range typed" and "~" in digits:
        n = digits.replace("~", draw(st.sampled_from(["—", "–", "-", "~", "～", "至"]))) + rest
    elif how == "percent":
        n = digits + "%"
    return n


def test_numbers_misread_find_only_what_holds_them(corpus):
    numbers = source_numbers(corpus)

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(number_queries(numbers))
    def check(q):
        assert exact(corpus.conn, q) == corpus.holding(q), q

    check()


def test_the_issue_s_number_examples(corpus, cz):
    """28万户 never finds 2.8万户, 12个 never 1—2个, 5.69 never 569, and
    `cz search 1.1 --exact` only units holding 1.1 — wherever the data
    writes such a pair, found by reading it."""
    c = corpus
    pairs = []
    for q in source_numbers(c):
        digits = re.match(r"[\d.~]+", q).group(0)
        rest = q[len(digits):]
        if "." in digits or "~" in digits:
            pairs.append((digits.replace(".", "").replace("~", "") + rest, q))
    assert pairs
    for typed, other in pairs:  # 28万户 and 2.8万户, 12个 and 1~2个 …
        for r in exact(c.conn, typed):
            assert any(holds(x, simple(typed)) for x in c.simple_units[r]), (typed, other, c.units[r][1])
    numbers = set(source_numbers(c))
    # the decimals one could confuse with another number of the data (1.1 and 11, 5.69 and 569)
    decimals = sorted(q for q in numbers if re.fullmatch(r"\d+\.\d+", q) and q.replace(".", "") in numbers)
    assert decimals
    for q in decimals[:20]:
        res = run_cz(["search", q, "--exact", "--format", "json"], env=c.env)
        data = json.loads(res.out)
        assert res.code == (0 if data["records"] else 1)
        for r in data["records"]:
            assert holds(simple(r["title"]), q) or holds(simple(r["text"]), q), (q, r["id"])


# --------------------------------------------------------------------------- 2. everything the source says is findable

def test_every_heading_finds_its_unit(corpus):
    """Every section heading, measure title, annex title, annex group and
    plan title, searched whole, finds its own unit as an exact hit."""
    c = corpus
    for rowid, (kind, ref, item, plan, title, _body) in c.units.items():
        if kind == "target" or not title:
            continue
        assert rowid in exact(c.conn, title, Filters(plans=[plan])), (kind, ref, title)
    for pid, title, in c.conn.execute("SELECT DISTINCT plan_id, annex_title FROM annex_rows"):
        rowid = next(r for r, u in c.units.items() if u[0] == "annex" and u[2] is None and u[3] == pid)
        assert rowid in exact(c.conn, title, Filters(plans=[pid])), title
    for pid, group in c.conn.execute("SELECT DISTINCT plan_id, group_name FROM annex_rows WHERE group_name IS NOT NULL"):
        assert exact(c.conn, group, Filters(plans=[pid])), group
    for p in c.plans:
        if p.title_lines:
            got = exact(c.conn, " ".join(c.lines[p.id][n - 1] for n in p.title_lines), Filters(plans=[p.id]))
            assert any(c.units[r][0] == "title" for r in got), p.id


def test_every_department_clause_and_name_in_it_finds_its_measure(corpus):
    """Each 责任单位 clause, pasted whole (as written, or in traditional
    script with full-width brackets), and each name as the clause writes it
    finds its measure as an exact hit."""
    c = corpus
    clauses = c.conn.execute("SELECT id, plan_id, departments_quote FROM measures "
                             "WHERE departments_quote IS NOT NULL").fetchall()
    assert clauses
    rowid = {(u[0], u[1]): r for r, u in c.units.items()}
    for mid, pid, quote in clauses:
        r = rowid[("measure", mid)]
        assert r in exact(c.conn, quote, Filters(plans=[pid])), (mid, quote)
        pasted = to_traditional(quote).replace("(", "（").replace(")", "）").replace(":", "：")
        assert r in exact(c.conn, pasted, Filters(plans=[pid])), (mid, pasted)
    for mid, pid, written in c.conn.execute("SELECT DISTINCT measure_id, plan_id, as_written FROM measure_departments "
                                            "WHERE all_tasks = 0"):
        for name in re.split(r"[、,]", written):
            assert rowid[("measure", mid)] in exact(c.conn, name, Filters(plans=[pid])), (mid, name)


def test_every_line_of_every_source_is_findable_in_its_plan(corpus):
    """The first and the last run of Chinese characters of every line the
    plan does not skip (its outline number aside) are found in that plan."""
    from chengzhen.text.pasted import strip_outline_number

    c = corpus
    checked = 0
    for p in c.plans:
        for n, line in c.body_lines(p.id):
            runs = CJK_RUN.findall(strip_outline_number(line.strip()))
            for run in {runs[0], runs[-1]} if runs else ():
                assert exact(c.conn, run[:16], Filters(plans=[p.id])), (p.id, n, run)
                checked += 1
    assert checked > 100


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_piece_of_a_unit_finds_it(corpus, data):
    """A piece of any unit's title or text, cut anywhere that does not
    split a number, finds that unit."""
    c = corpus
    rowid = data.draw(st.sampled_from(sorted(c.units)))
    kind, _ref, _item, plan, title, body = c.units[rowid]
    clause = c.clauses.get(rowid)  # the end of a measure's text: its 责任单位 clause, drawn apart too
    text = data.draw(st.sampled_from([x for x in (title, body, clause) if x] or [""]))
    if not CJK_RUN.search(text):
        return
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, min(len(text), a + 30)))
    piece = text[a:b]
    if _inside_number(text, a) or _inside_number(text, b) or not CJK_RUN.search(piece):
        return
    assert rowid in exact(c.conn, piece, Filters(plans=[plan])), (kind, piece)


# --------------------------------------------------------------------------- 3. a hit is what was typed

def entity_queries(conn) -> list[tuple[str, str]]:
    """(kind, query) for every name a query can name an entity by."""
    out = [("topic", r[0]) for r in conn.execute("SELECT name FROM topic_names ORDER BY name")]
    out += [("department", r[0]) for r in conn.execute("SELECT name FROM department_names ORDER BY name")]
    for pid, short, region, name in conn.execute("SELECT id, short_name, region, name FROM plans ORDER BY ord"):
        out += [("plan", pid), ("plan", short), ("plan", region), ("plan", name)]
    out += [("indicator", r[0]) for r in conn.execute("SELECT name FROM indicator_names ORDER BY name")]
    out += [("task", x) for r in conn.execute("SELECT id, title FROM national_tasks UNION ALL "
                                              "SELECT id, title FROM national_groups") for x in r]
    return out


def _named(conn, h, ent) -> bool:
    """Does the unit name the entity itself (the definition of a department
    or plan hit)?"""
    if ent.kind == "department":
        rows = conn.execute("SELECT md.as_written, m.departments_quote FROM measure_departments md "
                            "JOIN measures m ON m.id = md.measure_id WHERE md.measure_id = ? AND md.all_tasks = 0 "
                            f"AND md.department IN ({','.join('?' * len(ent.keys))})", (h.id, *ent.keys)).fetchall()
        return any(quote and simple(written) in simple(quote) for written, quote in rows)
    if ent.kind == "plan":
        names = conn.execute("SELECT short_name, region, name FROM plans WHERE id = ?", (h.plan,)).fetchone()
        return h.plan in ent.keys and any(holds(simple(h.title + h.text), simple(n)) for n in names)
    return False


def test_a_hit_holds_what_was_typed_and_the_rest_is_related(corpus):
    """For every name of every entity typed as a query: each hit holds the
    words (exact: every term; segmented: every segment) or names the entity
    itself; each unit of the entity that is not a hit is offered as
    related, labelled, not counted; --expand counts them all; a limit cuts
    the same answer."""
    from chengzhen.query import entities as E

    c = corpus
    queries = entity_queries(c.conn)
    assert {k for k, _q in queries} >= {"topic", "department", "plan", "indicator"}
    for n, (kind, q) in enumerate(queries):
        res = search(c.conn, q, limit=None)
        ents = [e for e in res.entities if e.kind == kind]
        assert res.total == len(res.hits) == sum(res.counts.values()), q
        assert res.related_total == len(res.related) == sum(res.related_counts.values()), q
        hits = {h.rowid for h in res.hits}
        assert not hits & {h.rowid for h in res.related}, q
        for h in res.hits:
            assert h.hit, (q, h)
            unit = c.simple_units[h.rowid]
            if h.match == "exact":
                assert any(all(holds(x, simple(c.t2s(t))) for t in res.normalized.split()) for x in unit), (q, h)
            elif h.match == "segmented":
                assert any(all(holds(x, s) for s in res.segments) for x in unit), (q, h)
            else:
                ent = next(e for e in res.entities if e.kind == h.match and e.name == h.via)
                assert h.match in ("department", "plan") and _named(c.conn, h, ent), (q, h)
        for h in res.related:
            assert not h.hit and h.match in ("topic", "department", "plan", "indicator", "task", "related"), (q, h)
        for ent in ents:  # every unit of the entity is a hit or related
            units = E.read_set(c.conn, *E.units_sql(ent, Filters()))
            assert units <= hits | {h.rowid for h in res.related}, (q, ent)
        if n % 3:
            continue  # expanded and cut: every third name of the list (each kind is reached)
        expanded = search(c.conn, q, limit=None, expand=True)
        for ent in ents:
            assert E.read_set(c.conn, *E.units_sql(ent, Filters())) <= {h.rowid for h in expanded.hits}, (q, ent)
        assert {h.rowid for h in expanded.hits} >= hits, q
        cut = search(c.conn, q, limit=3)
        assert [h.rowid for h in cut.hits] == [h.rowid for h in res.hits[:3]] and cut.total == res.total, q
        assert [h.rowid for h in cut.related] == [h.rowid for h in res.related[:3]], q
        assert cut.related_total == res.related_total, q


def test_counts_ids_and_exit_codes_count_hits_only(corpus):
    """In every format a pipeline reads, only hits count: the envelope's
    count and total, -f ids, the exit code (a sample of entity queries of
    each kind, and a topic synonym held by no unit)."""
    c = corpus
    by_kind: dict[str, list[str]] = {}
    for kind, q in entity_queries(c.conn):
        by_kind.setdefault(kind, []).append(q)
    sample = [q for qs in by_kind.values() for q in random.Random(7).sample(qs, min(3, len(qs)))]
    # a topic name or synonym no unit holds, though the topic has measures: no hit at all
    tagged = {r[0] for r in c.conn.execute("SELECT DISTINCT topic FROM measure_topics")}
    unheld = [n for n, t in c.conn.execute("SELECT name, topic FROM topic_names ORDER BY name")
              if t in tagged and not c.holding(n)]
    for q in unheld[:3]:
        res = run_cz(["search", q, "--format", "json"], env=c.env)
        data = json.loads(res.out)
        assert res.code == 1 and data["total"] == data["count"] == 0 and data["records"] == [], q
        assert data["related"] and all(r["match"] == "topic" and not r["hit"] for r in data["related"][:5]), q
        assert run_cz(["search", q, "--format", "ids"], env=c.env).out == "", q
    for q in sample:
        res = search(c.conn, q, limit=None)
        data = json.loads(run_cz(["search", q, "--format", "json"], env=c.env).out)
        assert data["total"] == data["count"] == res.total == len(data["records"]), q
        assert all(r["hit"] for r in data["records"]) and not any(r["hit"] for r in data["related"]), q
        ids = run_cz(["search", q, "--format", "ids"], env=c.env)
        assert ids.out.split() == list(dict.fromkeys(h.id for h in res.hits)), q  # each id once
        assert ids.code == (0 if res.total else 1), q


# --------------------------------------------------------------------------- 4. coverage agrees with search

def test_coverage_says_present_iff_search_finds_it_in_the_plan(corpus):
    """For every plan × terms drawn from the sources (runs of every plan's
    lines, annex titles, clause names): coverage's count is the number of
    search hits in that plan's own text, its labels the hits on labels we
    wrote; and a term drawn from a plan's own lines is present there."""
    from chengzhen.query.coverage import coverage

    c = corpus
    rng = random.Random(11)
    drawn: dict[str, list[str]] = {}
    for p in c.plans:
        runs = sorted({r[:8] for _n, line in c.body_lines(p.id) for r in CJK_RUN.findall(line)})
        drawn[p.id] = rng.sample(runs, min(6, len(runs)))
    extra = [r[0] for r in c.conn.execute("SELECT DISTINCT annex_title FROM annex_rows")]
    extra += [r[0] for r in c.conn.execute("SELECT DISTINCT as_written FROM measure_departments "
                                           "WHERE all_tasks = 0 ORDER BY as_written LIMIT 5")]
    terms = list(dict.fromkeys([t for ts in drawn.values() for t in ts] + extra))
    got = coverage(c.conn, terms)
    restored = {r[0] for r in c.conn.execute("SELECT d.rowid FROM docs d JOIN sections s ON s.id = d.ref "
                                             "WHERE d.kind = 'section' AND s.restored = 1")}
    by = {r["plan"]: r for r in got["records"]}
    for term in got["terms"]:
        for pid in got["plans"]:
            hits = search(c.conn, term, Filters(plans=[pid]), limit=None).hits
            own = [h for h in hits if h.kind != "target" and h.rowid not in restored]
            assert by[pid]["counts"][term] == len(own), (pid, term)
            assert by[pid]["labels"][term] == len(hits) - len(own), (pid, term)
            assert (term in by[pid]["missing"]) == (not own), (pid, term)
    for pid, ts in drawn.items():
        for t in ts:
            assert by[pid]["counts"][t] > 0, (pid, t)
    res = run_cz(["coverage", *terms[:3], "--format", "json"], env=c.env)
    assert res.code in (0, 1) and json.loads(res.out)["records"]


# --------------------------------------------------------------------------- 5. folding

def test_roman_numerals_fold_to_letters(corpus):
    """Ⅰ (U+2160) and every other Roman numeral code point fold to their
    letters: a unit writing one is found by the letters, and the letters'
    units by the numeral."""
    import unicodedata

    numerals = [chr(cp) for cp in range(0x2160, 0x2189) if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)]
    assert all(fold(n) == unicodedata.normalize("NFKC", n).lower() for n in numerals)
    c = corpus
    for rowid, (kind, _r, _i, plan, title, body) in c.units.items():
        for m in re.finditer(r"[\u2160-\u2188][\u4e00-\u9fff]", (title or "") + " " + (body or "")):
            letters = unicodedata.normalize("NFKC", m.group(0))
            assert rowid in exact(c.conn, letters, Filters(plans=[plan])), (kind, m.group(0))
            assert exact(c.conn, m.group(0)) == exact(c.conn, letters)


def test_did_you_mean_names_each_department_once(corpus):
    """An unknown department near any department's name or alias is told
    the closest departments, each once and by its canonical name."""
    from chengzhen.errors import UnknownName
    from chengzhen.query.resolve import resolve_departments

    c = corpus
    canon = dict(c.conn.execute("SELECT name, department FROM department_names"))
    departments = set(canon.values())
    for name in sorted(canon):
        typo = name[:-1] + ("局" if not name.endswith("局") else "厅") + "X"
        try:
            resolve_departments(c.conn, [typo])
        except UnknownName as exc:
            assert len(exc.suggestions) == len(set(exc.suggestions)), (typo, exc.suggestions)
            assert set(exc.suggestions) <= departments, (typo, exc.suggestions)
