"""`cz progress` checked by its definition (docs/progress.md) over every
target–statistic pair the data holds, as of today and as of every year a
statistic was published: the target's place is read again from its scope
with the place book (kb/places.py), its series again from the statistics
files (kb/statistics.py: published by then, one figure a year, the one
marked ``use``), comparability by the stated rules, and the verdict, the
paces and the projected year by the oracle of tests/test_progress.py (the
straight path's expected value, stepping year by year) — none of it by
query/progress.py.  Every number is traced: a statistic to its figure and
publication in the files, a plan baseline to a target of the plan that
states it.  The filters (--verdict, --scope, --plan as a place, --year)
are checked against the same recomputation.  No plan is named here."""

from __future__ import annotations

import json
import math

import pytest

from chengzhen.text.progress import (APPROX, BEHIND, MET, NO_DATA, NOT_COMPARABLE, ON_TRACK, UNIT_SCALE, Goal)
from conftest import DATA, run_cz
from test_progress import _oracle

EPS = 1e-6


@pytest.fixture(scope="module")
def files():
    from chengzhen.kb.geo import load_geo
    from chengzhen.kb.loader import load_vocabularies
    from chengzhen.kb.problems import Sink

    vocab = load_vocabularies(DATA)
    geo = load_geo(DATA, vocab, Sink())
    assert geo.book is not None and geo.figures
    return {"book": geo.book, "figures": geo.figures, "units": {i.name: i.unit for i in vocab.indicators}}


def _progress(*args) -> dict:
    r = run_cz(["progress", *args, "-f", "json"])
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


def _as_of_years(files) -> list[int | None]:
    return [None] + sorted({f.source.known_by for f in files["figures"] if f.source.known_by is not None})


# --------------------------------------------------------------------------- the recomputation

def _scale(a: str | None, b: str | None) -> float | None:
    """What a value in unit ``b`` is multiplied by to be in unit ``a`` (None: another quantity)."""
    if a == b:
        return 1.0
    ta, fa = UNIT_SCALE.get(a or "", (a, 1.0))
    tb, fb = UNIT_SCALE.get(b or "", (b, 1.0))
    return fb / fa if ta == tb and ta is not None else None


def _place(t: dict, region: str, book):
    """(the single whole division the target is set for, or None; why not)."""
    code = book.resolve_one(region)
    if not t["scope"]:
        return code, None
    r = book.read_scope(t["scope"], code)
    if r.zones or r.groups or r.part or r.klass or r.unresolved or not r.places:
        return None, "part"
    if len(r.places) > 1:
        return None, "several"
    return r.places[0], None


def _series(files, place: str, indicator: str, as_of: int | None, factor: float) -> list[tuple]:
    """(year, value in the target's unit, figure) a year, as a reader had them in ``as_of``."""
    chosen: dict[int, object] = {}
    for f in files["figures"]:  # file order
        if (f.place, f.indicator) != (place, indicator):
            continue
        if as_of is not None and (f.source.known_by is None or f.source.known_by > as_of or f.year > as_of):
            continue
        if f.year not in chosen or (f.use and not chosen[f.year].use):
            chosen[f.year] = f
    return [(y, chosen[y].indicator_value * factor, chosen[y]) for y in sorted(chosen)]


def _comparable(t: dict, where, why, stat_unit) -> bool:
    if t["value"] is None or t["comparator"] == "complete":
        return False
    if where is None or t["cumulative"] or t["basis"] in ("increase", "decrease"):
        return False
    if t["basis"] == "annual_growth":
        return (t["unit"] == "个百分点" and stat_unit == "%") or (t["unit"] == "%" and stat_unit not in ("%", None))
    return _scale(t["unit"], stat_unit) is not None


def _expected(t: dict, plan_base, series: list[tuple]) -> dict:
    """The verdict, base, paces and projected year by the rules, recomputed."""
    if not series:
        return {"verdict": NO_DATA}
    obs = [(y, v) for y, v, _f in series]
    ly, lv = obs[-1]
    if t["basis"] == "annual_growth":
        ref = plan_base or (obs[0] if len(obs) > 1 else None)
        if ref is None or ly <= ref[0]:
            return {"verdict": NO_DATA}
        n = ly - ref[0]
        pace = (lv - ref[1]) / n if t["unit"] == "个百分点" else ((lv / ref[1]) ** (1 / n) - 1) * 100
        low = t["value"] - (APPROX * abs(t["value"]) if t["comparator"] in ("approx", "approach") else 0)
        ok = pace >= low - EPS
        done = t["year"] is not None and ly >= t["year"]
        return {"verdict": (MET if ok else BEHIND) if done else (ON_TRACK if ok else BEHIND), "pace_achieved": pace,
                "base": ref, "latest": (ly, lv)}
    if t["year"] is None:  # no year: met or not, nothing else can be judged
        goal = Goal(t["value"], t["comparator"], "level", 9999, t["unit"], value_max=t["value_max"])
        verdict, _ = _oracle(goal, obs)
        return {"verdict": MET if verdict == MET else NO_DATA, "latest": (ly, lv)}
    goal = Goal(t["value"], t["comparator"], "level", t["year"], t["unit"], value_max=t["value_max"],
                baseline=plan_base[1] if plan_base else None, baseline_year=plan_base[0] if plan_base else None)
    verdict, projected = _oracle(goal, obs)
    ref = plan_base or (obs[0] if len(obs) > 1 else None)
    out = {"verdict": verdict, "projected_year": projected if verdict != MET else None, "latest": (ly, lv),
           "base": ref}
    if ref is not None and ly > ref[0]:
        out["pace_achieved"] = (lv - ref[1]) / (ly - ref[0])
    return out


def _targets(conn) -> dict[str, dict]:
    cur = conn.execute("SELECT t.*, p.region FROM targets t JOIN plans p ON p.id = t.plan_id")
    cols = [d[0] for d in cur.description]
    return {r[0]: dict(zip(cols, r)) for r in cur}


def _plan_bases(targets: dict[str, dict]) -> dict[str, set]:
    """group -> the (year, value) baselines its targets state."""
    out: dict[str, set] = {}
    for t in targets.values():
        if t["baseline"] is not None and t["baseline_year"] is not None:
            out.setdefault(t["group_id"], set()).add((t["baseline_year"], t["baseline"]))
    return out


# --------------------------------------------------------------------------- every pair, every year

@pytest.mark.parametrize("as_of_index", range(6))
def test_every_target_against_every_statistic_by_definition(conn, files, as_of_index):
    years = _as_of_years(files)
    if as_of_index >= len(years):
        pytest.skip(f"statistics were published in {len(years) - 1} years only")
    as_of = years[as_of_index]
    doc = _progress(*(["--as-of", str(as_of)] if as_of is not None else []))
    targets = _targets(conn)
    bases = _plan_bases(targets)
    measured = {f.indicator for f in files["figures"]}
    # the records: every dated target of a measured indicator, once per restatement group
    want_groups = {t["group_id"] for t in targets.values() if t["kind"] == "target" and t["indicator"] in measured}
    got = doc["records"]
    assert sorted(targets[r["id"]]["group_id"] for r in got) == sorted(want_groups)
    assert doc["query"]["indicators"] == sorted(measured, key=doc["query"]["indicators"].index)
    decided = 0
    for r in got:
        t = targets[r["id"]]
        stat_unit = files["units"][t["indicator"]]
        where, why = _place(t, t["region"], files["book"])
        comparable = _comparable(t, where, why, stat_unit)
        assert r["comparable"] == comparable and (r["verdict"] == NOT_COMPARABLE) == (not comparable), r["id"]
        assert r["status"] == {MET: "met", ON_TRACK: "on_track", BEHIND: "behind", NO_DATA: "no_data",
                               NOT_COMPARABLE: "not_comparable"}[r["verdict"]]
        if not comparable:
            assert r["latest"] is None and r["series"] == [] and r["reason"]
            continue
        factor = 1.0 if t["basis"] == "annual_growth" else _scale(t["unit"], stat_unit)
        series = _series(files, where, t["indicator"], as_of, factor)
        plan_base = None
        if r["base_source"] == "plan":  # the plan's own, or a restatement's: one the group states
            plan_base = (r["base_year"], r["base"])
            assert any(y == plan_base[0] and math.isclose(v, plan_base[1]) for y, v in bases.get(t["group_id"], ())), r
            if t["baseline"] is not None and t["baseline_year"] is not None:
                assert (t["baseline_year"], t["baseline"]) == plan_base
        elif r["base_source"] == "statistic":  # only where the plan states none
            assert t["baseline"] is None and t["group_id"] not in bases, r["id"]
        elif t["group_id"] in bases and series:  # no base at all: the plan's would have been used
            pytest.fail(f"{r['id']}: the plan's baseline not used")
        if plan_base is None and t["group_id"] in bases and series:
            plan_base = min((y, v) for y, v in bases[t["group_id"]])
        exp = _expected(t, plan_base, series)
        assert r["verdict"] == exp["verdict"], (r["id"], as_of, r["verdict"], exp)
        decided += 1
        # the series: each figure of the files, with its publication
        assert [(s["year"], s["statistic"]) for s in r["series"]] == [
            (y, "/".join([f.place, f.source.id, f.indicator, str(f.year)] + ([f.as_of] if f.as_of else [])))
            for y, _v, f in series]
        for s, (_y, v, f) in zip(r["series"], series):
            assert math.isclose(s["value"], v, rel_tol=1e-9) and s["as_written"] == f.as_written
            src = doc["sources"][s["source"]]
            assert (src["title"], src["url"], src["publisher"]) == (f.source.title, f.source.url, f.source.publisher)
            if as_of is not None:
                assert f.source.known_by <= as_of and f.year <= as_of
        if not series:
            assert r["latest"] is None
            continue
        ly, lv = exp["latest"]
        assert (r["latest_year"], r["latest"]) == (ly, pytest.approx(lv))
        assert r["latest_ref"] == r["series"][-1]["statistic"] and r["latest_source"] == r["series"][-1]["source"]
        if t["year"] is not None:
            assert r["years_left"] == t["year"] - ly
        if exp.get("base") is not None:
            assert (r["base_year"], r["base"]) == (exp["base"][0], pytest.approx(exp["base"][1]))
            if r["base_source"] == "statistic":
                assert r["base_ref"] == r["series"][0]["statistic"]
            else:
                assert r["base_ref"] in {x["measure_id"] for x in targets.values()
                                         if x["group_id"] == t["group_id"] and x["baseline"] is not None}
        if "pace_achieved" in exp:
            assert r["pace_achieved"] == pytest.approx(exp["pace_achieved"], abs=1e-4)
        if t["basis"] == "level" and "projected_year" in exp:
            assert r["projected_year"] == exp["projected_year"], r["id"]
        if r["pace_needed"] is not None:
            # kept for the years left, the needed pace lands on the value that meets the target
            assert r["verdict"] != MET and t["year"] > ly
            assert lv + r["pace_needed"] * (t["year"] - ly) == pytest.approx(r["aim"], abs=1e-3)
        if r["base_source"] == "plan" and r["pace_achieved"] is not None:
            assert any("合算" in n for n in r["notes"])  # a plan's number and a statistic, said to be mixed
    assert decided, "no comparable target: the data has no target–statistic pair"


def test_aspiration_and_implied_years_are_noted_not_judged(conn):
    doc = _progress()
    targets = _targets(conn)
    for r in doc["records"]:
        t = targets[r["id"]]
        assert bool(t["aspiration"]) == any("力争" in n or "争取" in n for n in r["notes"]), r["id"]
        assert bool(t["year_implied"]) == any("推定" in n for n in r["notes"]), r["id"]


def test_targets_progress_gives_the_same_judgement(conn):
    """`cz targets --progress` and `cz progress`: one judgement per target."""
    from chengzhen.answers.progress import PROGRESS_KEYS
    from chengzhen.query.progress import judge_targets

    prog = {r["id"]: r for r in _progress()["records"]}
    r = run_cz(["targets", "--progress", "-f", "json"])
    listed = [t for t in json.loads(r.out)["records"] if t["id"] in prog]
    assert {t["id"] for t in listed} == set(prog)
    for t in listed:
        for k in PROGRESS_KEYS:
            assert t[k] == prog[t["id"]][k], (t["id"], k)
    some = next(iter(judge_targets(conn, [dict(prog[next(iter(prog))], kind="target")]).values()))
    assert set(some) == set(PROGRESS_KEYS)  # every judged key is carried


# --------------------------------------------------------------------------- the filters by definition

def test_verdict_filter_is_the_verdicts_records():
    every = _progress()["records"]
    for verdict in {r["verdict"] for r in every} | {"met"}:
        doc = _progress("--verdict", verdict)
        codes = {"met": MET}
        want = [r for r in every if r["verdict"] == codes.get(verdict, verdict)]
        assert doc["records"] == want


def test_scope_and_plan_as_a_place_follow_the_hierarchy(conn):
    """``--scope`` and ``--plan`` with a place, as `cz targets` (the one
    resolver, query/places.py): a place's own targets, ``--within`` also
    those lying inside it — recomputed from the place files on their own
    (tests/places_model.py), over every place the data sets a target in and
    every place above one."""
    import places_model as PM

    places = PM.Places(DATA)
    every = _progress()["records"]
    targets = {tid: {"plan": t["plan_id"], "scope": t["scope"]} for tid, t in _targets(conn).items()}
    order = [pid for (pid,) in conn.execute("SELECT id FROM plans ORDER BY ord")]
    codes = {pid: places.region(region) for pid, region in conn.execute("SELECT id, region FROM plans")}
    for code in PM.places_in_data(places, targets, codes):
        for within in (False, True):
            flag = ["--within"] if within else []
            want = PM.expected(places, targets, codes, ("place", code), within)
            doc = _progress("--scope", code, *flag)
            assert [r["id"] for r in doc["records"]] == [r["id"] for r in every if r["id"] in want], (code, within)
            assert doc["query"]["widened"] == within, (code, within)  # a place is widened by --within
            plans = [pid for pid in order if codes[pid] and (codes[pid] == code or
                                                             (within and places.inside(codes[pid], code)))]
            got = run_cz(["progress", "--plan", code, *flag, "-f", "json"])
            if plans:
                assert got.code in (0, 1), got.err
                assert json.loads(got.out)["query"]["plans"] == plans, (code, within)
            else:  # a place no plan is set for is no plan: one line, exit 2
                assert got.code == 2 and len(got.err.strip().splitlines()) == 1, (code, within, got.err)


def test_scope_a_zone_or_group_with_and_without_within(conn):
    """Every zone and named group of the place files, with and without
    ``--within``, as the model says (a zone and a group no source lists:
    what names it; a listed group with ``--within``: also what lies in its
    members); a group no source lists says so in the answer's notes."""
    import places_model as PM

    places = PM.Places(DATA)
    every = _progress()["records"]
    targets = {tid: {"plan": t["plan_id"], "scope": t["scope"]} for tid, t in _targets(conn).items()}
    codes = {pid: places.region(region) for pid, region in conn.execute("SELECT id, region FROM plans")}
    for kind, names in (("zone", places.zones), ("group", places.groups)):
        for name in names:
            for within in (False, True):
                flag = ["--within"] if within else []
                want = PM.expected(places, targets, codes, (kind, name), within)
                doc = _progress("--scope", name, *flag)
                assert [r["id"] for r in doc["records"]] == [r["id"] for r in every if r["id"] in want], \
                    (name, within)
                unlisted = kind == "group" and within and not places.groups[name]
                assert any("没有来源列出" in n for n in doc["notes"]) == unlisted, (name, within, doc["notes"])
                # the answer says it includes what lies inside only when it does
                assert doc["query"]["widened"] == (kind == "group" and within and bool(places.groups[name])), \
                    (name, within)


def test_year_filter_is_the_target_year(conn):
    every = _progress()["records"]
    for year in sorted({r["year"] for r in every if r["year"]}):
        assert _progress("--year", str(year))["records"] == [r for r in every if r["year"] == year]


@pytest.mark.parametrize("args, code, text", [
    (["--verdict", "maybe"], 2, "verdict"), (["--as-of", "20x4"], 2, "as-of"), (["--scope", "火星"], 2, "火星"),
    (["--year", "2099"], 1, ""), (["--indicator", "zzqqxxyy"], 2, "zzqqxxyy"),
])
def test_bad_input_is_one_line(args, code, text):
    r = run_cz(["progress", *args])
    assert r.code == code, r.err
    if code == 2:
        assert len(r.err.strip().splitlines()) == 1 and text in r.err and "Traceback" not in r.err


def test_an_ambiguous_place_names_its_places():
    r = run_cz(["progress", "--scope", "吉林"])
    assert r.code == 2 and "220000" in r.err and "220200" in r.err


def test_a_later_revision_is_used_and_as_of_sees_the_first_publication(tmp_path, files):
    """Two publications disagree on a figure: today's answer uses the one
    marked ``use`` (a later revision); as of a year before the revision was
    published, the answer is the first publication's."""
    import shutil

    from chengzhen.store.build import build

    doc = _progress()
    # a target judged on two statistics whose latest figure's publication is dated (an undated page
    # cannot be placed before or after a revision)
    pairs = ((r, f) for r in doc["records"] if r["latest_ref"] and r["base_source"] == "statistic"
             for f in files["figures"]
             if (f.place, f.indicator, f.year) == (r["place"], r["indicator"], r["latest_year"])
             and f"{f.place}/{f.source.id}" == r["latest_source"] and f.source.known_by is not None)
    r, f = next(pairs, (None, None))
    if r is None:
        pytest.skip("no target judged on two statistics with a dated latest publication")
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    revised = round(f.value + 0.07, 2)
    later = f.source.known_by + 1
    path = root / "statistics" / f"{f.place}.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"""
  - id: test-revision
    publisher: 测试
    title: 测试修订
    published: '{later}-06-30'
    url: https://example.invalid/revision
    page: secondary
    figures:
      - {{indicator: {f.indicator}, year: {f.year}, value: {revised}, unit: '{f.unit}', as_written: '{revised}', locator: 测试, use: true}}
""", encoding="utf-8")
    db = tmp_path / "db"
    build(root, db)
    env = {"CZ_DATA": str(root), "CZ_DB": str(db)}

    def judged(*args) -> dict:
        got = run_cz(["progress", "--indicator", r["indicator"], *args, "-f", "json"], env=env)
        assert got.code == 0, got.err
        out = json.loads(got.out)
        return next(x for x in out["records"] if x["id"] == r["id"]), out["sources"]

    now, sources = judged()
    assert now["latest"] == pytest.approx(revised * f.scale) and now["latest_source"] == f"{f.place}/test-revision"
    assert sources[now["latest_source"]]["title"] == "测试修订"
    before, _ = judged("--as-of", str(later - 1))
    assert before["latest_year"] == f.year and before["latest"] == pytest.approx(f.indicator_value)
    assert before["latest_source"] == f"{f.place}/{f.source.id}"


# --------------------------------------------------------------------------- the fast path

def test_the_fast_path_knows_exactly_the_commands_options():
    import typer

    from chengzhen.cli.app import app
    from chengzhen.cli.fast import PROGRESS_OPTIONS

    cmd = typer.main.get_command(app).commands["progress"]
    typer_opts = {o for p in cmd.params if p.param_type_name == "option" for o in (*p.opts, *p.secondary_opts)}
    assert set(PROGRESS_OPTIONS) == typer_opts - {"--help", "-h"}


@pytest.mark.parametrize("args", [["--indicator", "城镇化率", "-f", "json"], ["-f", "csv", "--headers", "zh"],
                                  ["--verdict", "无数据", "--verdict", "behind", "-f", "tsv"],
                                  ["--as-of", "2023", "--no-chart", "-f", "jsonl"]])
def test_the_fast_path_answers_as_the_typer_command(args):
    """`cz progress …` parsed from argv and the same through Typer and click: one output."""
    import io
    import sys

    import typer

    from chengzhen.cli.app import app
    from chengzhen.cli.fast import parse_progress

    assert parse_progress(["progress", *args]) is not None
    fast = run_cz(["progress", *args])
    out, old = io.StringIO(), sys.stdout
    sys.stdout = out
    try:
        code = typer.main.get_command(app).main(args=["progress", *args], prog_name="cz", standalone_mode=False)
    finally:
        sys.stdout = old
    assert (fast.code, fast.out) == (code, out.getvalue())


def test_an_edited_statistic_is_answered_at_once(tmp_path, files):
    """The answer is computed while the up-to-date check runs; when a
    statistics file changed, that answer is dropped and the command answers
    again from the updated database: the new figure, never the old one."""
    import re
    import shutil

    from chengzhen.store.build import build

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    db = tmp_path / "db"
    build(root, db)
    env = {"CZ_DATA": str(root), "CZ_DB": str(db)}
    doc = json.loads(run_cz(["progress", "-f", "json"], env=env).out)
    r = next((r for r in doc["records"] if r["latest_ref"]), None)
    if r is None:
        pytest.skip("no target has a statistic")
    f = next(f for f in files["figures"] if "/".join([f.place, f.source.id, f.indicator, str(f.year)]
                                                     + ([f.as_of] if f.as_of else [])) == r["latest_ref"])
    path = root / "statistics" / f"{f.place}.yaml"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = text[f.file_line - 1]
    new = f"{f.value + 0.05:.2f}"
    edited = re.sub(r"value: [0-9.]+", f"value: {new}", line, count=1)
    edited = re.sub(r"as_written: [^,]+,", f"as_written: '{new}',", edited, count=1)
    assert edited != line
    text[f.file_line - 1] = edited
    path.write_text("".join(text), encoding="utf-8")
    got = run_cz(["progress", "-f", "json"], env=env)
    assert got.code == 0, got.err
    again = next(x for x in json.loads(got.out)["records"] if x["id"] == r["id"])
    assert again["latest"] == pytest.approx(float(new) * f.scale), (got.err, edited)
