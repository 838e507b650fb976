"""Say only what the sources say: departments in the source's order (牵头
only where written), targets as committed (qualifier, aspiration,
commitments, restatements once, scope), silence qualified (other years,
abridged sources), compare keeping every target's scope, `similar -n`
per plan.  One test (at least) for each defect the walk-through found."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

import pytest

from conftest import cz_json, plan_ids, run_cz


# ---------------------------------------------------------------- departments: 牵头 never invented

def _edit(db, *statements):
    c = sqlite3.connect(db)
    with c:
        for s in statements:
            c.execute(s)
    c.close()


@pytest.fixture
def tiny_db(tiny, tmp_path):
    """The tiny knowledge base, built, and its database file (to set flags the
    tests need: the mechanism must follow the data, whatever the data says)."""
    assert run_cz(["build"]).code == 0
    return tmp_path / "db" / "chengzhen.db"


def test_listed_first_is_not_lead(tiny_db):
    _edit(tiny_db, "UPDATE measure_departments SET lead = 0")
    show = run_cz(["show", "tiny/2.1"])
    assert show.code == 0 and "牵头" not in show.out
    assert "责任单位(按原文顺序): 省住房城乡建设厅、省发展改革委" in show.out
    js = json.loads(run_cz(["show", "tiny/2.1", "--format", "json"]).out)["records"][0]
    assert [(d["department"], d["position"], d["listed_first"], d["lead"]) for d in js["departments"]] == [
        ("省住房城乡建设厅", 0, True, False), ("省发展改革委", 1, False, False)]
    row = next(ln for ln in run_cz(["depts", "住房城乡建设厅", "-f", "table"]).out.splitlines() if "tiny/2.1" in ln)
    assert "首列" in row and "牵头" not in row
    counts = json.loads(run_cz(["depts", "--format", "json"]).out)["records"]
    housing = next(r for r in counts if r["department"] == "省住房城乡建设厅")
    assert (housing["measures"], housing["listed_first"], housing["lead"]) == (1, 1, 0)
    assert (housing["tiny_listed_first"], housing["tiny_lead"]) == (1, 0)


def test_lead_where_the_source_writes_it(tiny_db):
    _edit(tiny_db, "UPDATE measure_departments SET lead = 0",
          "UPDATE measure_departments SET lead = 1 WHERE department = '省发展改革委'")
    show = run_cz(["show", "tiny/2.1"])
    assert "省发展改革委(牵头)" in show.out and "省住房城乡建设厅(牵头)" not in show.out
    rows = json.loads(run_cz(["depts", "发展改革委", "--format", "json"]).out)["records"]
    assert rows[0]["lead"] and not rows[0]["listed_first"] and rows[0]["position"] == 1
    assert "列出, 牵头" in run_cz(["depts", "发展改革委", "-f", "table"]).out


def test_real_departments_say_lead_only_where_the_data_does(cz, conn):
    """qinghai/3.9 (省委编办 listed first) and 统战部 in Hunan (listed first by
    protocol): 牵头 appears exactly where the data records it as written."""
    for mid in ("qinghai/3.9", "hunan/2.1.2"):
        leads = [d for d, lead in conn.execute(
            "SELECT department, lead FROM measure_departments WHERE measure_id = ?", (mid,)) if lead]
        out = cz("show", mid).out
        assert ("(牵头)" in out) == bool(leads), mid
    for r in cz_json(cz, "depts", "统战部")["records"]:
        db = conn.execute("SELECT lead, position FROM measure_departments WHERE measure_id = ? AND department = ?",
                          (r["measure_id"], r["department"])).fetchone()
        assert r["lead"] == bool(db[0]) and r["position"] == db[1]
    table = cz("depts", "统战部", "-f", "table").out.splitlines()
    for r in cz_json(cz, "depts", "统战部")["records"]:
        row = next(ln for ln in table if f" {r['measure_id']} " in ln)
        assert ("牵头" in row) == r["lead"] and ("首列" in row) == r["listed_first"]


def test_department_positions_count_from_zero_in_every_format(cz, conn):
    name = "住房城乡建设厅"
    js = cz_json(cz, "depts", name)["records"]
    rows = list(csv.DictReader(io.StringIO(cz("depts", name, "--format", "csv").out)))
    table = cz("depts", name, "-f", "table").out.splitlines()
    for r, c in zip(js, rows):
        db = conn.execute("SELECT position, all_tasks FROM measure_departments WHERE measure_id = ? AND department = ?",
                          (r["measure_id"], r["department"])).fetchone()
        expected = None if db[1] else db[0]
        assert r["position"] == expected and c["position"] == ("" if expected is None else str(expected))
        assert r["listed_first"] == (expected == 0)
        line = next(ln for ln in table if f" {r['measure_id']} " in f" {ln} ")
        if expected is not None:
            assert f" {expected} " in line
    show = cz_json(cz, "show", js[0]["measure_id"])["records"][0]["departments"]
    assert [d["position"] for d in show if not d["all_tasks"]] == list(range(len([d for d in show if not d["all_tasks"]])))


# ---------------------------------------------------------------- targets as committed

def test_target_views_have_qualifier_and_aspiration_columns(cz):
    for args in (["targets"], ["targets", "--indicator", "城镇化率"], ["show", "guizhou/1.p1"]):
        out = cz(*args, "-f", "table").out
        assert "限定" in out and "力争" in out, args
    rec = cz_json(cz, "targets")["records"][0]
    for key in ("qualifier", "aspiration", "kind", "group_id", "restatements", "scope"):
        assert key in rec


def test_aspiration_recorded_and_shown(tiny, monkeypatch):
    """A 力争 target: the aspiration in its column and its field, the value still as written."""
    from conftest import TINY_BODY, TINY_SOURCE

    (tiny / "sources" / "tiny.txt").write_text(
        TINY_SOURCE.replace("城镇化率达60%左右", "城镇化率力争达60%左右"), encoding="utf-8")
    (tiny / "plans" / "tiny.yaml").write_text(
        TINY_BODY.replace("城镇化率达60%左右", "城镇化率力争达60%左右")
        .replace("            qualifier: 左右\n", "            qualifier: 左右\n            aspiration: 力争\n"),
        encoding="utf-8")
    rec = json.loads(run_cz(["targets", "--indicator", "城镇化率", "--format", "json"]).out)["records"][0]
    assert rec["aspiration"] == "力争" and rec["qualifier"] == "左右" and rec["as_written"] == "60%左右"
    table = run_cz(["targets", "--indicator", "城镇化率", "-f", "table"]).out
    row = next(ln for ln in table.splitlines() if "tiny/1.p1" in ln)
    assert "力争" in row and "左右" in row
    assert "力争60%左右" in table  # the bar chart keeps it too


def test_aspiration_and_qualifier_match_the_database(cz, conn):
    recs = cz_json(cz, "targets")["records"]
    db = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, qualifier, aspiration FROM targets")}
    for r in recs:
        assert (r["qualifier"], r["aspiration"]) == db[r["id"]]


def test_commitments_apart_and_out_of_year_unless_asked(cz, conn):
    n_groups = conn.execute("SELECT count(DISTINCT group_id) FROM targets WHERE kind = 'commitment'").fetchone()[0]
    assert n_groups > 0  # 逐步消除教学点, 建立…制度: open-ended, undated
    year = cz_json(cz, "targets", "--year", "2028")["records"]
    assert year and all(r["kind"] == "target" for r in year)
    asked = cz_json(cz, "targets", "--year", "2028", "--commitments")["records"]
    assert sum(1 for r in asked if r["kind"] == "commitment") == n_groups
    assert [r for r in asked if r["kind"] == "target"] == year
    every = cz_json(cz, "targets")["records"]
    kinds = [r["kind"] for r in every]
    assert kinds == sorted(kinds, key=lambda k: k == "commitment")  # commitments after the dated targets
    assert "commitment" not in {r["kind"] for r in cz_json(cz, "targets", "--no-commitments")["records"]}
    table = cz("targets", "-f", "table").out
    assert "承诺" in table


def test_restated_targets_once_with_their_restatements(cz, conn):
    groups = conn.execute(
        "SELECT group_id, plan_id, indicator, count(*) FROM targets GROUP BY group_id HAVING count(*) > 1").fetchall()
    assert groups  # e.g. 老旧小区 5.69万户 in a 专栏 and in the text
    gid, plan, indicator, n = groups[0]
    recs = cz_json(cz, "targets", "--plan", plan, "--indicator", indicator)["records"]
    mine = [r for r in recs if r["group_id"] == gid]
    assert len(mine) == 1
    members = [r[0] for r in conn.execute("SELECT id FROM targets WHERE group_id = ? ORDER BY ord", (gid,))]
    assert [mine[0]["id"], *mine[0]["restatements"]] == members
    table = cz("targets", "--plan", plan, "--indicator", indicator, "--no-chart", "-f", "table").out
    assert f"另见 {n - 1} 处" in table
    rows = list(csv.DictReader(io.StringIO(cz("targets", "--plan", plan, "--indicator", indicator,
                                               "--format", "csv").out)))
    assert sum(1 for r in rows if r["group_id"] == gid) == 1
    # the whole list: every target counted exactly once
    every = cz_json(cz, "targets")["records"]
    assert len(every) + sum(len(r["restatements"]) for r in every) == \
        conn.execute("SELECT count(*) FROM targets").fetchone()[0]


def test_scope_filter(cz, conn):
    scope, = conn.execute("SELECT scope FROM targets WHERE scope IS NOT NULL ORDER BY ord LIMIT 1").fetchone()
    recs = cz_json(cz, "targets", "--scope", scope)["records"]
    assert recs and all(scope in (r["scope"] or "") for r in recs)
    region_plan, region = conn.execute("SELECT id, region FROM plans ORDER BY ord LIMIT 1").fetchone()
    whole = cz_json(cz, "targets", "--scope", region, "--plan", region_plan)["records"]
    assert any(r["scope"] is None for r in whole)
    bad = cz("targets", "--scope", "火星基地")
    assert bad.code == 2 and "unknown scope" in bad.err
    assert cz("targets", "--scope", "").code == 2


def test_silent_list_respects_the_filters(cz, conn):
    """`--indicator 城镇化率 --year 2028`: Qinghai sets it for 2030 and
    Liupanshui for 2025 — outside the filter, not silent."""
    data = cz_json(cz, "targets", "--indicator", "城镇化率", "--year", "2028")
    inds = data["indicators"]
    silent = {s["plan"] for s in data["silent"]}
    elsewhere = {e["plan"]: e for e in data["elsewhere"]}
    have = {r["plan"] for r in data["records"]}
    marks = ",".join("?" * len(inds))
    for p in plan_ids(conn):
        n = conn.execute(f"SELECT count(*) FROM targets WHERE plan_id = ? AND indicator IN ({marks})",
                         (p, *inds)).fetchone()[0]
        if p in have:
            assert p not in silent and p not in elsewhere
        elif n:
            assert p in elsewhere and p not in silent, p
        else:
            assert p in silent, p
    assert 2030 in {t["year"] for t in elsewhere["qinghai"]["targets"]}
    assert 2025 in {t["year"] for t in elsewhere["liupanshui"]["targets"]}
    table = cz("targets", "--indicator", "城镇化率", "--year", "2028", "-f", "table").out
    silent_line = next((ln for ln in table.splitlines() if ln.startswith("未设此类目标的方案")), "")
    assert "青海" not in silent_line and "六盘水" not in silent_line
    assert "青海(qinghai): 2030年" in table


@pytest.fixture
def abridged_db(real_db, tmp_path, monkeypatch):
    """A copy of the real database in which one plan's source is marked abridged."""
    db = tmp_path / "abridged.db"
    shutil.copy(real_db, db)
    _edit(db, "UPDATE plans SET abridged = CASE id WHEN (SELECT id FROM plans ORDER BY ord LIMIT 1 OFFSET 1) "
              "THEN 1 ELSE 0 END")
    monkeypatch.setenv("CZ_DB", str(db))
    c = sqlite3.connect(db)
    pid, name = c.execute("SELECT id, short_name FROM plans WHERE abridged").fetchone()
    c.close()
    return pid, name


def test_abridged_sources_flagged_wherever_a_plan_is_said_silent(abridged_db, cz, tmp_path):
    pid, name = abridged_db
    # cz targets: a silent plan with an abridged source is flagged
    data = cz_json(cz, "targets", "--indicator", "城镇化率", "--year", "1990..1991")
    flagged = {s["plan"]: s["abridged"] for s in data["silent"]}
    if pid in flagged:
        assert flagged[pid] and not any(v for p, v in flagged.items() if p != pid)
    for e in data["elsewhere"]:
        assert e["abridged"] == (e["plan"] == pid)
    # cz tasks: the plan's column is marked, the caption says why
    tasks = cz("tasks", "-f", "table")
    assert f"{name}‡" in tasks.out and "原文有删减" in tasks.out
    assert {p["id"]: p["abridged"] for p in cz_json(cz, "tasks")["plans"]}[pid]
    # cz compare: its empty task cells say the source is abridged
    other = next(r["id"] for r in cz_json(cz, "plans")["records"] if r["id"] != pid)
    comp = cz_json(cz, "compare", pid, other)
    empty = [r for r in comp["records"] if r["plan"] == pid and r["empty"]]
    assert all(r["source_abridged"] for r in empty)
    if empty:
        assert "—(原文有删减)" in cz("compare", pid, other, "--format", "md").out
    # cz matrix: the caption qualifies its zeros
    assert "原文有删减" in cz("matrix", "-f", "table").out and "原文有删减" in cz("matrix", "--by", "task", "-f", "table").out


def test_abridged_silent_plan_in_targets(tiny_db):
    _edit(tiny_db, "UPDATE plans SET abridged = 1")
    res = run_cz(["targets", "--indicator", "老旧小区", "--year", "1990", "--format", "json"])
    data = json.loads(res.out)
    assert data["elsewhere"][0]["plan"] == "tiny" and data["elsewhere"][0]["abridged"]
    assert "原文有删减" not in run_cz(["targets", "--indicator", "老旧小区", "--year", "2027", "-f", "table"]).out
    table = run_cz(["targets", "--indicator", "老旧小区", "--year", "1990", "-f", "table"]).out
    assert "在所选条件之外设有此类目标的方案: 小城(tiny): 2027年" in table


# ---------------------------------------------------------------- compare keeps every target's scope

@pytest.mark.parametrize("fmt", ["table", "md", "json", "csv", "tsv"])
def test_compare_shows_scope_in_every_format(cz, conn, fmt):
    from chengzhen.answers.present import target_label

    plans = [r[0] for r in conn.execute(
        "SELECT p.id FROM plans p WHERE EXISTS (SELECT 1 FROM targets t WHERE t.plan_id = p.id AND t.scope IS NOT NULL) "
        "ORDER BY p.ord")][:2]
    assert len(plans) == 2
    res = cz("compare", *plans, "--format", fmt)
    assert res.code == 0
    scoped = conn.execute(
        f"SELECT id, measure_id, indicator, as_written, scope, aspiration FROM targets WHERE scope IS NOT NULL "
        f"AND plan_id IN (?, ?)", plans).fetchall()
    assert scoped
    retro = {r[0] for r in conn.execute(
        "SELECT m.id FROM measures m JOIN sections s ON s.id = m.section_id WHERE s.retrospective")}
    for tid, mid, ind, aw, scope, asp in scoped:
        label = target_label({"indicator": ind, "as_written": aw, "scope": scope, "aspiration": asp})
        if fmt in ("table", "md"):
            if mid not in retro:  # the targets summary: each group once, with its scope
                assert label in res.out, label
        elif fmt == "json":
            cells = [c for r in json.loads(res.out)["rows"] for v in r["cells"].values() for c in v] + \
                    [c for v in json.loads(res.out)["unique"].values() for c in v] + \
                    [c for v in json.loads(res.out)["review"].values() for c in v]
            got = [t for c in cells if c["id"] == mid for t in c["targets"] if t["id"] == tid]
            assert got and got[0]["scope"] == scope
        else:  # every record's targets column
            assert label in res.out, label


# ---------------------------------------------------------------- similar -n N: N per plan

@pytest.mark.parametrize("n", [1, 2])
def test_similar_n_is_per_other_plan(cz, conn, n):
    """`-n 1` once capped the whole list at 2 and dropped plans: now every
    plan with a candidate keeps its best N."""
    many = cz_json(cz, "similar", "qinghai/3.9", "-n", "5")
    data = cz_json(cz, "similar", "qinghai/3.9", "-n", str(n))
    plans = [r["plan"] for r in data["records"]]
    assert len(plans) > 2 * n  # more rows than the old cap of 2N
    assert set(plans) == set(data["by_plan"]) == set(many["by_plan"])  # no plan dropped
    assert all(plans.count(p) <= n for p in set(plans))
    assert len(plans) == sum(len(v) for v in data["by_plan"].values())
    for p, rows in data["by_plan"].items():
        assert [r["id"] for r in rows] == [r["id"] for r in many["by_plan"][p][:n]]
    scores = [r["score"] for r in data["records"]]
    assert scores == sorted(scores, reverse=True)
