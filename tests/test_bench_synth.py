"""The benchmarks' synthetic corpus is data `cz validate` accepts: every
bound in docs/performance.md is measured on it, so a check that starts to
refuse it must fail here, not in a bench run hours later."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import DATA, run_cz

SYNTH = Path(__file__).resolve().parent.parent / "bench" / "synth.py"


def test_a_synthetic_corpus_validates(tmp_path):
    out = tmp_path / "x2"
    res = subprocess.run([sys.executable, str(SYNTH), "--scale", "2", "--out", str(out), "--data", str(DATA)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    env = {"CZ_DATA": str(out), "CZ_DB": str(tmp_path / "x2.db")}
    got = run_cz(["validate", "--format", "json"], env=env)
    assert got.code == 0, got.err[-3000:]
    doc = json.loads(got.out)
    plans = [r["plan"] for r in doc["records"]]
    n_real = len(json.loads(run_cz(["plans", "--format", "json"]).out)["records"])
    assert len(plans) == 2 * n_real
    assert all(r["verified_pct"] == 100.0 and r["coverage_pct"] == 100.0 for r in doc["records"])
