"""A sixth plan is welcome: a correct new plan added to a copy of the data
(tests/sixth_plan.py, written as docs/data-format.md's "Adding a plan by
hand" says) is taken in by validation, the build, search, targets, compare
and the national tasks — with nothing else to change.

The whole suite also runs on such a copy (no test hard-codes the set of
plans):  CZ_TEST_DATA=<copy with the plan> .venv/bin/python -m pytest"""

from __future__ import annotations

import json
import shutil

import pytest

import sixth_plan
from conftest import DATA, run_cz


@pytest.fixture(scope="module")
def six(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("six")
    root = tmp / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    if (root / "plans" / f"{sixth_plan.PLAN_ID}.yaml").exists():
        pytest.skip("the data already holds the sixth plan")
    sixth_plan.add(root)
    return {"CZ_DATA": str(root), "CZ_DB": str(tmp / "db" / "chengzhen.db")}


def _cz(env, *args):
    return run_cz(list(args), env=env)


def test_validate_takes_it_in(six):
    res = _cz(six, "validate", "--format", "json")
    assert res.code == 0, res.out[-3000:]
    doc = json.loads(res.out)
    rec = next(r for r in doc["records"] if r["plan"] == sixth_plan.PLAN_ID)
    assert rec["verified_pct"] == 100.0 and rec["coverage_pct"] == 100.0 and rec["targets"] == 5
    assert doc["problems"] == []


def test_build_search_targets_compare_take_it_in(six):
    assert _cz(six, "build", "-q").code == 0
    plans = json.loads(_cz(six, "plans", "--format", "json").out)["records"]
    mine = next(p for p in plans if p["id"] == sixth_plan.PLAN_ID)  # listed after the plans plans.yaml orders
    assert mine["doc_number"] == "西政发〔2025〕7号"
    hits = json.loads(_cz(six, "search", "体检评估", "--format", "json").out)["records"]
    assert any(h["id"] == "xinan/2.3" for h in hits)
    assert any(h["plan"] == "xinan" for h in json.loads(_cz(six, "search", "西南", "--format", "json").out)["records"])
    rates = json.loads(_cz(six, "targets", "--indicator", "城镇化率", "--format", "json").out)["records"]
    mine = [r for r in rates if r["plan"] == "xinan"]
    assert mine and mine[0]["value"] == 60 and mine[0]["year"] == 2029 and mine[0]["comparator"] == "approx"
    cmp = _cz(six, "compare", "xinan", "guizhou", "--format", "json")
    assert cmp.code == 0, cmp.err
    assert "xinan/" in cmp.out
    sim = _cz(six, "similar", "xinan/2.2", "--format", "json")
    assert sim.code == 0 and "guizhou/2.4" in sim.out  # 随迁子女 alongside guizhou's


def test_its_departments_and_targets_as_written(six):
    assert _cz(six, "build", "-q").code == 0
    rows = json.loads(_cz(six, "sql", "SELECT department, as_written, lead FROM measure_departments "
                               "WHERE plan_id = 'xinan' ORDER BY measure_id, position", "--format", "json").out)["records"]
    got = [(r["department"], r["as_written"], r["lead"]) for r in rows]
    assert ("省公安厅", "省公安厅", 1) in got and ("省发展改革委", "省发展改革委", 0) in got  # 牵头单位: written
    assert ("甲市人民政府", "甲市、乙市政府", 0) in got and ("乙市人民政府", "甲市、乙市政府", 0) in got
    ts = json.loads(_cz(six, "sql", "SELECT indicator, aspiration, cumulative, year, kind FROM targets "
                             "WHERE plan_id = 'xinan' ORDER BY ord", "--format", "json").out)["records"]
    by = {t["indicator"]: t for t in ts}
    assert by["城镇新增就业"]["aspiration"] == "力争" and by["城镇新增就业"]["cumulative"] == 1
    assert by["城市体检覆盖率"]["year"] is None and by["城市体检覆盖率"]["kind"] == "commitment"


def test_a_wrong_sixth_plan_is_refused_with_every_problem(six, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(six["CZ_DATA"], root)
    body = root / "plans" / "xinan.yaml"
    text = body.read_text(encoding="utf-8")
    text = text.replace("comparator: approx", "comparator: ge").replace("lead: [省公安厅]", "lead: [省发展改革委]")
    body.write_text(text, encoding="utf-8")
    env = {"CZ_DATA": str(root), "CZ_DB": str(tmp_path / "db.sqlite")}
    res = _cz(env, "build", "-q")
    assert res.code == 2
    assert "E223" in res.err and "E232" in res.err and len(res.err.strip().splitlines()) == 2
