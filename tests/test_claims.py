"""Every claim an answer makes beyond quoting, tested by its definition over
everything in the data: every plan × national task × topic, every target,
every place — on the real data and on a copy with a sixth plan
(tests/sixth_plan.py).

Each property recomputes the claim independently: from the YAML files and
the source texts, read here with PyYAML, never through the query layer
under test (``compare``, ``tasks.detail``, ``tasks.coverage``,
``catalog.list_targets``).

* An empty cell means the plan carries that task nowhere (a forward-looking
  measure of it lists the task); a measure the filter hides makes the cell
  "filtered out", naming exactly those measures.  An abridged source is said.
* A word called unique to a plan occurs (substring of the folded text) in
  none of the other compared plans' measures; a shared word in all; a
  "salient" word in its own plan's and some, not all, others'.
* ``--scope`` selects by place (tests/places_model.py reads the place files
  and the reviewed scope readings on its own): for every place the data
  sets a target in, or above one, exactly the targets set for it, and with
  ``within`` exactly those lying in it — so a province's scope never holds
  a city plan's rows unless asked; 全省 is every province plan's targets for
  its province; ``--plan`` with a place is the plans set for it.
* A restated target (one plan; indicator, value, unit, basis, scope agree;
  a commitment without a value: its words) is listed once, and its row
  shows a baseline when any restatement states one.
* 责任单位 shown in source order are exactly the clause's names; plan-wide
  assignments are apart.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from functools import cached_property
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sixth_plan
from conftest import DATA, FUZZ_SCALE

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_SCALE = FUZZ_SCALE  # CZ_FUZZ_SCALE: CI runs the full budget


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


# a pinyin gloss after a character, 本(běn)文(wén): not part of what the text says
GLOSS = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）]")


def fold(text: str | None) -> str:
    """Folded as search folds: simplified script, half width, lower case,
    letters, digits and CJK only (OpenCC here, the database's table there)."""
    from chengzhen.text.tokens import token_chars

    return token_chars(text or "", simplify=True)


# --------------------------------------------------------------------------- the data, read on its own

class Corpus:
    """A data directory read straight from its files."""

    def __init__(self, root: Path, db: Path):
        self.root, self.db = root, db
        # one plan, one file: each plan's catalogue entry is its file's plan: mapping; plans.yaml (optional)
        # lists the order, the plans it does not name follow by id
        self.plans = {f.stem: _load(f)["plan"] for f in sorted((root / "plans").glob("*.yaml"))}
        listed = (_load(root / "plans.yaml") or {}).get("order") or [] if (root / "plans.yaml").is_file() else []
        listed = [p for p in dict.fromkeys(listed) if p in self.plans]
        self.order = listed + sorted(p for p in self.plans if p not in listed)
        # a vocabulary: its shared file and the entries each plan added (vocabulary/<id>.yaml)
        extra = [_load(f) or {} for f in sorted((root / "vocabulary").glob("*.yaml"))]
        self.dept = {}
        for d in _load(root / "departments.yaml")["departments"] + [d for x in extra for d in x.get("departments") or []]:
            self.dept[d["name"]] = d["name"]
            for a in d.get("aliases") or []:
                self.dept[a] = d["name"]
        self.indicator = {}
        for i in _load(root / "indicators.yaml")["indicators"] + [i for x in extra for i in x.get("indicators") or []]:
            self.indicator[i["name"]] = i["name"]
            for a in i.get("aliases") or []:
                self.indicator[a] = i["name"]
        self.measures: dict[str, dict] = {}
        self.plan_wide: dict[str, list[str]] = {}
        for pid in self.order:
            self._read_plan(pid)

    def _names(self, entries) -> list[str]:
        out: list[str] = []
        for d in entries or []:
            for name in (d["names"] if isinstance(d, dict) else [d]):
                canon = self.dept.get(name, name)
                if canon not in out:
                    out.append(canon)
        return out

    def _read_plan(self, pid: str) -> None:
        body = _load(self.root / "plans" / f"{pid}.yaml")
        note = body.get("applies_to_all_tasks")
        tops: list[tuple[int, str]] = []

        def walk(measures, path, retro, top):
            for m in measures or []:
                self.measures[m["id"]] = {
                    "id": m["id"], "plan": pid, "kind": m.get("kind", "measure"), "title": m.get("title"),
                    "text": m["text"], "tasks": list(m.get("tasks") or []), "topics": list(m.get("topics") or []),
                    "departments": self._names(m.get("departments")), "targets": list(m.get("targets") or []),
                    "retrospective": retro, "top": top, "section": path,
                }

        def sections(nodes, retro, top, depth):
            for s in nodes or []:
                r = retro or bool(s.get("retrospective"))
                t = s["id"] if depth == 0 else top
                if depth == 0:
                    tops.append((s["line"], s["id"]))
                walk(s.get("measures"), s["id"], r, t)
                sections(s.get("sections"), r, t, depth + 1)

        walk(body.get("measures"), None, False, None)
        sections(body.get("sections"), False, None, 0)
        if note:
            owner = max(((line, sid) for line, sid in tops if line <= note["line"]), default=None)
            names = self._names(note["departments"])
            for m in self.measures.values():
                if m["plan"] == pid and owner and m["kind"] == "measure" and m["top"] == owner[1]:
                    self.plan_wide[m["id"]] = [n for n in names if n not in m["departments"]]

    @cached_property
    def abridged(self) -> dict[str, bool]:
        """What each source says of itself (本文有删减)."""
        return {pid: "本文有删减" in fold(GLOSS.sub("", (self.root / p["source"]).read_text(encoding="utf-8")))
                for pid, p in self.plans.items()}

    def carriers(self, task: str, plan: str) -> list[str]:
        """The forward-looking measures of ``plan`` whose YAML lists ``task``."""
        return [m["id"] for m in self.measures.values()
                if m["plan"] == plan and task in m["tasks"] and not m["retrospective"]]

    def folded(self, mid: str) -> str:
        m = self.measures[mid]
        return fold(m["title"]) + "\n" + fold(m["text"])

    @cached_property
    def targets(self) -> dict[str, dict]:
        out = {}
        for m in self.measures.values():
            for n, t in enumerate(m["targets"], start=1):
                out[f"{m['id']}:t{n}"] = dict(t, id=f"{m['id']}:t{n}", plan=m["plan"],
                                             indicator=self.indicator.get(t["indicator"], t["indicator"]))
        return out

    def restates(self, t: dict) -> tuple:
        """What makes two targets of one plan one commitment (docs/cli.md, cz targets)."""
        return (t["plan"], t["indicator"], t.get("value"), t.get("value_max"), t.get("unit"), t.get("basis") or "level",
                t.get("scope"), t.get("as_written") if t.get("value") is None else None)

    def conn(self) -> sqlite3.Connection:
        from chengzhen.store.db import open_readonly

        return open_readonly(self.db)


# every claim on the real data in the quick suite; the sixth plan's run doubles the module's time
# (its corpus built, every comparison again): CI runs it (pytest -m slow), as test_search_definitions.py
@pytest.fixture(scope="module", params=["data", pytest.param("sixth", marks=pytest.mark.slow)])
def corpus(request, real_db, tmp_path_factory) -> Corpus:
    if request.param == "data":
        return Corpus(DATA, real_db)
    from chengzhen.store.build import build

    tmp = tmp_path_factory.mktemp("claims6")
    root = tmp / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    if (root / "plans" / f"{sixth_plan.PLAN_ID}.yaml").exists():
        pytest.skip("the data already holds the sixth plan")
    sixth_plan.add(root)
    build(root, tmp / "six.db")
    return Corpus(root, tmp / "six.db")


@pytest.fixture(scope="module")
def db(corpus):
    c = corpus.conn()
    yield c
    c.close()


def _topics(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM topics ORDER BY ord")]


def _task_ids(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM national_groups ORDER BY ord")] + \
        [r[0] for r in conn.execute("SELECT id FROM national_tasks ORDER BY ord")]


_COMPARED: dict = {}


def compared(corpus: Corpus, conn, plans: tuple[str, ...], topic: str | None = None,
             tasks: tuple[str, ...] | None = None) -> dict:
    from chengzhen.query.compare import compare

    key = (str(corpus.db), plans, topic, tasks)
    if key not in _COMPARED:
        _COMPARED[key] = compare(conn, list(plans), topic, tasks=list(tasks) if tasks else None)
    return _COMPARED[key]


def every_comparison(corpus: Corpus, conn):
    """All plans compared on every topic, and on every national task."""
    plans = tuple(corpus.order)
    for topic in _topics(conn):
        yield f"topic {topic}", compared(corpus, conn, plans, topic=topic)
    for task in _task_ids(conn):
        yield f"task {task}", compared(corpus, conn, plans, tasks=(task,))


# --------------------------------------------------------------------------- empty cells

def check_cells(corpus: Corpus, data: dict, what: str) -> None:
    """Every task row's cell, by its definition: a measure shown carries the
    task; ``filtered_out`` is exactly the carriers the comparison left out;
    ``empty`` means no forward-looking measure of the plan carries it — and
    every plan is in exactly one of the three."""
    plans = [p["id"] for p in data["plans"]]
    for p in data["plans"]:
        assert p["abridged"] == corpus.abridged[p["id"]], (what, p["id"])
    shown = {c["id"] for r in data["rows"] for cs in r["cells"].values() for c in cs}
    shown |= {c["id"] for cs in data["unique"].values() for c in cs}
    for row in data["rows"]:
        if row["basis"] != "task":
            continue
        task = row["task"]["id"]
        hidden = row.get("filtered_out", {})
        for p in plans:
            carriers = corpus.carriers(task, p)
            cells = [c["id"] for c in row["cells"].get(p, [])]
            states = [bool(cells), p in hidden, p in row["empty"]]
            assert sum(states) == 1, (what, task, p, states)
            for mid in cells:
                assert task in corpus.measures[mid]["tasks"], (what, task, mid)
            if p in row["empty"]:
                assert carriers == [], f"{what}: {p} shown empty on {task}, but {carriers} carry it"
            if p in hidden:
                got = [m["id"] for m in hidden[p]]
                assert got == [c for c in carriers if c not in shown], (what, task, p, got)
                assert got and not set(got) & shown, (what, task, p)


def test_empty_cells_mean_carried_nowhere(corpus, db):
    for what, data in every_comparison(corpus, db):
        check_cells(corpus, data, what)


def test_compare_records_and_md_say_empty_only_when_empty(corpus, db):
    """The flat records and the side-by-side report say the same: ``empty``
    only where the plan carries the task nowhere, the hidden measures named."""
    from chengzhen.answers.answer import Answer
    from chengzhen.answers.compare import markdown, records

    for what, data in every_comparison(corpus, db):
        recs = records(data)
        for row_no, row in enumerate(data["rows"], start=1):
            if row["basis"] != "task":
                continue
            task = row["task"]["id"]
            mine = [r for r in recs if r["row"] == row_no]
            for r in mine:
                if r["empty"]:
                    assert corpus.carriers(task, r["plan"]) == [], (what, task, r["plan"])
                    assert r["source_abridged"] == corpus.abridged[r["plan"]]
                if r["id"] is None and not r["empty"]:
                    assert r.get("filtered_out"), (what, task, r["plan"])
        if what.startswith("topic") and any(r.get("filtered_out") for r in data["rows"]):
            md = markdown(Answer("compare", records(data), [], data=data))
            hidden = sum(len(r["filtered_out"]) for r in data["rows"] if r["basis"] == "task")
            assert md.count("筛选未含") == hidden, what


def test_the_example_cells(corpus, db):
    """国家任务 4.1 under 住房保障: each plan carrying it elsewhere is named, not empty."""
    plans = tuple(corpus.order)
    data = compared(corpus, db, plans, topic="住房保障")
    check_cells(corpus, data, "topic 住房保障")
    row = next((r for r in data["rows"] if r["task"] and r["task"]["id"] == "national/4.1"), None)
    if row is None:
        pytest.skip("no compared measure carries national/4.1 here")
    for p in plans:
        if not row["cells"].get(p) and corpus.carriers("national/4.1", p):
            assert p not in row["empty"] and row["filtered_out"][p]


@settings(max_examples=max(5, int(60 * _SCALE)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_empty_cells_any_plans_any_filter(corpus, db, data):
    """Any two or more plans, in any order, on a topic, a national task, or a
    word that is not a topic (compare falls back to search)."""
    plans = tuple(data.draw(st.lists(st.sampled_from(corpus.order), min_size=2, max_size=len(corpus.order),
                                     unique=True)))
    kind = data.draw(st.sampled_from(["topic", "task", "word"]))
    if kind == "topic":
        got = compared(corpus, db, plans, topic=data.draw(st.sampled_from(_topics(db))))
    elif kind == "task":
        got = compared(corpus, db, plans, tasks=(data.draw(st.sampled_from(_task_ids(db))),))
    else:
        titles = [r[0] for r in db.execute("SELECT title FROM national_tasks")]
        title = data.draw(st.sampled_from(titles))
        start = data.draw(st.integers(0, max(0, len(title) - 2)))
        word = title[start:start + data.draw(st.integers(2, 4))]
        got = compared(corpus, db, plans, topic=word)
    check_cells(corpus, got, f"{kind} {plans}")
    check_words(corpus, got, f"{kind} {plans}")


def test_tasks_silent_and_detail_cells(corpus, db):
    """`cz tasks`: a plan is silent on a task exactly when it carries it
    nowhere; `cz tasks TASK`: its cells are exactly the carriers, in source order."""
    from chengzhen.query.tasks import coverage, detail

    plans = corpus.order
    cov = coverage(db, plans)
    for row in cov["rows"]:
        for p in plans:
            assert [m["id"] for m in row["measures"][p]] == corpus.carriers(row["id"], p), (row["id"], p)
        if row["silent"] is not None:
            assert row["silent"] == [p for p in plans if not corpus.carriers(row["id"], p)], row["id"]
    leaves = [r["id"] for r in cov["rows"] if r["leaf"]]
    got = detail(db, leaves, plans)
    for p in got["plans"]:
        assert p["abridged"] == corpus.abridged[p["id"]]
    for t in got["tasks"]:
        for p in plans:
            assert [c["id"] for c in t["cells"][p]] == corpus.carriers(t["id"], p), (t["id"], p)
            for c in t["cells"][p]:
                check_departments(corpus, c, f"task {t['id']}")
        assert t["silent"] == [p for p in plans if not corpus.carriers(t["id"], p)]


# --------------------------------------------------------------------------- words

def check_words(corpus: Corpus, data: dict, what: str) -> None:
    plans = [p["id"] for p in data["plans"]]
    mine: dict[str, list[str]] = {p: [] for p in plans}
    for r in data["rows"]:
        for p, cs in r["cells"].items():
            mine[p] += [c["id"] for c in cs]
    for p, cs in data["unique"].items():
        mine[p] += [c["id"] for c in cs]
    text = {p: "\n".join(corpus.folded(m) for m in dict.fromkeys(ids)) for p, ids in mine.items()}
    for p in plans:
        for w in data["distinctive_words"][p]:
            assert fold(w) in text[p], (what, p, w)
            others = [q for q in plans if q != p and fold(w) in text[q]]
            assert not others, f"{what}: {w!r} called unique to {p}, but {others} use it"
        for w in data.get("salient_words", {}).get(p, []):
            others = [q for q in plans if q != p and fold(w) in text[q]]
            assert fold(w) in text[p] and 0 < len(others) < len(plans) - 1, (what, p, w, others)
    for w in data["shared_words"]:
        missing = [p for p in plans if fold(w) not in text[p]]
        assert not missing, f"{what}: {w!r} called shared, not in {missing}"
    for r in data["rows"]:
        filled = {p: cs for p, cs in r["cells"].items() if cs}
        for w in r["shared_words"]:
            missing = [p for p, cs in filled.items() if not any(fold(w) in corpus.folded(c["id"]) for c in cs)]
            assert len(filled) >= 2 and not missing, f"{what}: row word {w!r} not in {missing}"


def test_unique_and_shared_words(corpus, db):
    for what, data in every_comparison(corpus, db):
        check_words(corpus, data, what)


@settings(max_examples=max(5, int(40 * _SCALE)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_words_any_plans_no_filter(corpus, db, data):
    """Whole plans compared (no filter): the words by definition too."""
    plans = tuple(data.draw(st.lists(st.sampled_from(corpus.order), min_size=2, max_size=3, unique=True)))
    got = compared(corpus, db, plans)
    check_words(corpus, got, f"all {plans}")
    check_cells(corpus, got, f"all {plans}")


# --------------------------------------------------------------------------- 责任单位

def check_departments(corpus: Corpus, cell: dict, what: str) -> None:
    m = corpus.measures[cell["id"]]
    assert cell["departments"] == m["departments"], (what, cell["id"], cell["departments"], m["departments"])
    assert cell.get("plan_wide_departments", []) == corpus.plan_wide.get(cell["id"], []), (what, cell["id"])


def test_departments_are_the_clause(corpus, db):
    for what, data in every_comparison(corpus, db):
        for r in data["rows"]:
            for cs in r["cells"].values():
                for c in cs:
                    check_departments(corpus, c, what)
        for cs in list(data["unique"].values()) + list(data["review"].values()):
            for c in cs:
                check_departments(corpus, c, what)


# --------------------------------------------------------------------------- targets: restated once

def _listed(conn, **kw) -> list[dict]:
    from chengzhen.query.catalog import list_targets

    return list_targets(conn, **kw)


def test_restated_targets_listed_once(corpus, db):
    """Every target is listed once: on its own row or among exactly one row's
    restatements, that row's members being exactly the targets restating it."""
    groups: dict[tuple, list[str]] = {}
    for t in corpus.targets.values():
        groups.setdefault(corpus.restates(t), []).append(t["id"])
    rows = _listed(db)
    seen: list[str] = []
    for r in rows:
        members = [r["id"], *r["restatements"]]
        seen += members
        want = groups[corpus.restates(corpus.targets[r["id"]])]
        assert sorted(members) == sorted(want), (r["id"], members, want)
    assert sorted(seen) == sorted(corpus.targets), "a target listed twice, or lost"


def test_restated_row_shows_a_stated_baseline(corpus, db):
    for r in _listed(db):
        own = corpus.targets[r["id"]]
        members = [corpus.targets[x] for x in r["restatements"]]
        stated = [t for t in [own, *members]
                  if t.get("baseline") is not None or t.get("baseline_as_written") is not None]
        if not stated:
            assert r["baseline"] is None and r["baseline_as_written"] is None, r["id"]
            continue
        assert r["baseline"] is not None or r["baseline_as_written"] is not None, \
            f"{r['id']}: a restatement states baseline {stated[0].get('baseline')}, the row shows none"
        src = own if own in stated else corpus.targets[r.get("baseline_from") or r["id"]]
        assert src in stated, r["id"]
        assert r["baseline"] == src.get("baseline") and r["baseline_year"] == src.get("baseline_year"), r["id"]


# --------------------------------------------------------------------------- targets: places

def _all_ids(rows: list[dict]) -> set[str]:
    return {x for r in rows for x in (r["id"], *r["restatements"])}


@pytest.fixture(scope="module")
def geo(corpus):
    """The corpus's places read on their own (tests/places_model.py), each
    plan's place, and every place the data sets a target in or above one."""
    import places_model as PM

    places = PM.Places(corpus.root)
    codes = {pid: places.region(p["region"]) for pid, p in corpus.plans.items()}
    return places, codes, PM.places_in_data(places, corpus.targets, codes)


def _expected(corpus, geo, where, within):
    import places_model as PM

    places, codes, _all = geo
    return PM.expected(places, corpus.targets, codes, where, within)


def test_every_place_selects_what_is_set_for_it(corpus, db, geo):
    """For every place the data sets a target in (and every place above):
    ``--scope`` by its code, and by its full name where that names it alone,
    lists exactly the targets set for it; with ``within``, exactly those
    lying in it — recomputed from the place files and the reviewed scope
    readings (tests/places_model.py).  A province's own scope never holds a
    city plan's rows."""
    places, codes, every = geo
    assert every, "the data sets no target in any place"
    for code in every:
        words = [code] + ([places.rows[code]["name"]] if places.codes_named(places.rows[code]["name"]) == [code]
                          else [])
        for within in (False, True):
            want = _expected(corpus, geo, ("place", code), within)
            for word in words:
                assert _all_ids(_listed(db, scope=word, within=within)) == want, (word, within)
        if places.rows[code]["level"] == "province":
            for t in (corpus.targets[x] for x in _expected(corpus, geo, ("place", code), False)):
                assert not (codes.get(t["plan"]) != code and t.get("scope") is None), \
                    f"--scope {code}: {t['id']} is another plan's region-wide row"


def test_a_place_typed_in_traditional_script_is_the_same_place(corpus, db, geo):
    """Names fold as search folds them (鍾山區 is 钟山区): every place the data
    sets a target in, by its full name in traditional script."""
    import opencc

    places, _codes, every = geo
    s2t = opencc.OpenCC("s2t")
    for code in every:
        name = places.rows[code]["name"]
        trad = s2t.convert(name)
        if trad != name and places.codes_named(name) == [code]:
            assert _all_ids(_listed(db, scope=trad)) == _all_ids(_listed(db, scope=name)), (name, trad)


@settings(max_examples=max(10, int(200 * _SCALE)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_place_in_the_vocabulary(corpus, db, geo, data):
    """Any division of data/places.tsv (most set no target: an empty answer)."""
    places, _codes, _every = geo
    code = data.draw(st.sampled_from(sorted(places.rows)))
    within = data.draw(st.booleans())
    assert _all_ids(_listed(db, scope=code, within=within)) == _expected(corpus, geo, ("place", code), within)


def test_zones_and_groups(corpus, db, geo):
    places, _codes, _every = geo
    for kind, names in (("zone", places.zones), ("group", places.groups)):
        for name in names:
            for within in (False, True):
                assert _all_ids(_listed(db, scope=name, within=within)) == \
                    _expected(corpus, geo, (kind, name), within), (name, within)


def test_groups_members_are_the_sources(corpus, db, geo):
    """The members the database holds for each group are exactly those
    data/places.yaml lists (none for a group no source lists)."""
    places, _codes, _every = geo
    held: dict[str, set] = {}
    for g, m in db.execute("SELECT group_id, member FROM place_members"):
        held.setdefault(g, set()).add(m)
    assert held == {g: {str(m) for m in ms} for g, ms in places.groups.items() if ms}


def test_a_listed_group_within_is_what_lies_in_its_members(corpus, db, geo, tmp_path):
    """``--scope GROUP --within`` for a group with listed members: the
    targets set for it and those lying in each member.  The real groups
    whose members a source lists have little set inside them, so here every
    group is given members (on a copy of the data, built: the plans' own
    places below province level and every zone a target names) and each is
    checked against the model; a group nothing lists is never widened, and
    the answer says so."""
    import places_model as PM

    from chengzhen.answers.targets import TargetsAsk, answer
    from chengzhen.store.build import build
    from chengzhen.store.db import open_readonly

    places, codes, _every = geo
    if not places.groups:
        pytest.skip("the data names no group")
    # the real vocabulary: a group no source lists is not widened, and the answer's note says so
    for g, ms in places.groups.items():
        ans = answer(db, TargetsAsk(scope=g, within=True))
        assert any("没有来源列出" in n for n in ans.notes) == (not ms), (g, ans.notes)
    named_zones = sorted({z for t in corpus.targets.values()
                          for z in places.reading(t["plan"], t.get("scope"), codes.get(t["plan"]))["zones"]})
    members = sorted({c for c in codes.values() if c and places.rows[c]["level"] in ("city", "county")}) + named_zones
    if not members:
        pytest.skip("no plan below a province and no zone: nothing to list")
    root = tmp_path / "data"
    shutil.copytree(corpus.root, root, ignore=shutil.ignore_patterns("build"))
    text = (root / "places.yaml").read_text(encoding="utf-8")
    listing = "members: [" + ", ".join(f"'{m}'" for m in members) + "]"
    (root / "places.yaml").write_text(re.sub(r"members: (null|\[[^\]]*\])", listing, text), encoding="utf-8")
    build(root, tmp_path / "listed.db")
    listed = PM.Places(root)
    assert all(ms == members for ms in listed.groups.values())
    conn = open_readonly(tmp_path / "listed.db")
    try:
        widened = 0
        for g in listed.groups:
            for within in (False, True):
                want = PM.expected(listed, corpus.targets, codes, ("group", g), within)
                assert _all_ids(_listed(conn, scope=g, within=within)) == want, (g, within)
            widened += len(PM.expected(listed, corpus.targets, codes, ("group", g), True)) > \
                len(PM.expected(listed, corpus.targets, codes, ("group", g), False))
        assert widened, "no group is widened by its members: the test could not fail"
    finally:
        conn.close()


def test_a_place_with_a_part(corpus, db, geo):
    """A place with a part (盘州城区: its code or name followed by the part)
    is the targets whose scope names the place with that part — the same
    with ``within``: every (place, part) some target is set for."""
    places, codes, _every = geo
    pairs = {(c, r["part"]) for t in corpus.targets.values()
             for r in [places.reading(t["plan"], t.get("scope"), codes.get(t["plan"]))] if r["part"]
             for c in r["places"]}
    assert pairs or not any(t.get("scope") for t in corpus.targets.values())
    for code, part in sorted(pairs):
        want = _expected(corpus, geo, ("place", code, part), False)
        assert want
        for within in (False, True):
            assert _all_ids(_listed(db, scope=code + part, within=within)) == want, (code, part, within)


def test_every_scope_a_form_offers_selects_by_place(corpus, db, geo):
    """The web forms' place choices (query/browse.py: scopes as written and
    the plans' regions) each read with the one place filter — no choice is
    an error, and each selects the targets the model says: the place (or
    zone, group, part, class) it names, else the targets written so."""
    from chengzhen.query import browse
    from chengzhen.query.places import resolve_scope

    for word in sorted(set(browse.target_places(db)) | set(browse.progress_places(db))):
        where = resolve_scope(db, word)
        got = _all_ids(_listed(db, scope=word))
        assert got, word
        if where["kind"] in ("place", "zone", "group") and not where.get("part"):
            assert got == _expected(corpus, geo, (where["kind"], where["ref"]), False), word
        elif where["kind"] == "place":
            assert got == _expected(corpus, geo, ("place", where["ref"], where["part"]), False), word


def test_level_words(corpus, db, geo):
    """全省 / 全市 / 全县: the targets each plan of that level sets for its own
    place (``within``: everything lying in such a place)."""
    import places_model as PM

    for word, level in PM.LEVEL_WORDS.items():
        for within in (False, True):
            assert _all_ids(_listed(db, scope=word, within=within)) == \
                _expected(corpus, geo, ("level", level), within), (word, within)


def test_a_plan_as_a_place(corpus, db, geo):
    """``--plan`` with a place's code: the plans set for it (``within``: and
    inside it), the same plans its own name selects."""
    from chengzhen.errors import UnknownName
    from chengzhen.query.resolve import resolve_plans

    places, codes, every = geo
    for code in every:
        for within in (False, True):
            want = [p for p in corpus.order if codes.get(p) and (codes[p] == code or
                                                                  (within and places.inside(codes[p], code)))]
            if want:
                assert resolve_plans(db, [code], within=within) == want, (code, within)
            else:  # suggested: the plans inside it, else those for the nearest place above it with some
                with pytest.raises(UnknownName) as err:
                    resolve_plans(db, [code], within=within)
                near = [p for p in corpus.order if codes.get(p) and places.inside(codes[p], code)]
                for up in places.up(code) if not near else []:
                    near = [p for p in corpus.order if codes.get(p) == up]
                    if near:
                        break
                assert err.value.suggestions == [corpus.plans[p]["short_name"] for p in near][:3], (code, within)
    # a plan named by its id is its place: with within, the plans inside that place too
    for pid in corpus.order:
        if codes.get(pid):
            for within in (False, True):
                # the plan named first, then the others its place selects, in catalogue order
                assert resolve_plans(db, [pid], within=within) == \
                    [pid] + ([p for p in resolve_plans(db, [codes[pid]], within=True) if p != pid] if within else []), \
                    (pid, within)
