"""A plan nobody curated by hand keeps the suite green: the held plans
(tests/data/held: short plans written for the tests in 公文 style) are
ingested into a copy of the data, their flags accepted as a curator
accepts them, and then the data tests run on that copy — `cz validate` is
the contract, so a plan that validates must pass them — and every kind of
wrong edit made to a held plan is caught."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

import mutations
from conftest import DATA, REPO, run_cz, with_held_plans

pytestmark = pytest.mark.slow  # CI runs it (pytest -m slow)


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    root = tmp_path_factory.mktemp("held") / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    ids = with_held_plans(root)
    assert ids
    return root, ids


def test_the_held_plans_validate_once_accepted(held):
    root, ids = held
    res = run_cz(["validate", "--format", "json"], env={"CZ_DATA": str(root), "CZ_DB": str(root.parent / "v.db")})
    assert res.code == 0, res.out[-2000:]
    doc = json.loads(res.out)
    assert {r["plan"] for r in doc["records"]} >= set(ids)
    assert all(r["verified_pct"] == 100.0 and r["coverage_pct"] == 100.0 for r in doc["records"])


def test_the_data_tests_pass_with_them(held):
    """tests/test_data.py on the copy, every plan (the held ones included)."""
    root, _ids = held
    env = {k: v for k, v in os.environ.items() if not k.startswith("CZ_")}
    env.update(CZ_TEST_DATA=str(root), CZ_ALL_PLANS="1")
    res = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-q",
                          "tests/test_data.py", "tests/test_sixth_plan.py"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=1200)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert " passed" in res.stdout


def test_every_wrong_edit_of_a_held_plan_is_caught(held):
    root, ids = held
    outcomes = mutations.run(root, plans=ids)
    assert {o.plan for o in outcomes} == set(ids)
    missed = [(o.kind, o.plan, o.site) for o in outcomes if o.site is not None and not o.caught]
    assert not missed
    assert sum(o.site is not None for o in outcomes) >= 20 * len(ids)
