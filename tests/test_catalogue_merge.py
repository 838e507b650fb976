"""Two curators, two branches: each ingests a plan that brings names no
vocabulary has, accepts its flags and commits; `git merge` joins them
without a conflict (each plan's files are its own, its proposals too, and a
name both add merges at load), and the merged data validates.  (Before one
plan, one file, both ingests appended to plans.yaml and departments.yaml:
the merge conflicted.)"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import DATA, accept_flags, declare_places, held_plans, held_regions, run_cz

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
              pytest.mark.slow]  # two ingests and a merge: CI runs it (pytest -m slow)


def _git(repo, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_AUTHOR_NAME="curator", GIT_AUTHOR_EMAIL="curator@example.org",
               GIT_COMMITTER_NAME="curator", GIT_COMMITTER_EMAIL="curator@example.org")
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, timeout=120)


def test_two_curators_ingests_merge_cleanly_and_validate(tmp_path):
    repo = tmp_path / "repo"
    held = [p.stem for p in held_plans()]  # (the data may hold them already: without them, as the curators start)
    shutil.copytree(DATA, repo / "data", ignore=shutil.ignore_patterns(
        "build", *(f"{pid}.yaml" for pid in held), *(f"{pid}.txt" for pid in held)))
    declare_places(repo / "data", regions=held_regions())  # the held plans' made-up regions (cz validate: E176)
    assert _git(repo, "init", "-q", "-b", "main").returncode == 0
    _git(repo, "add", "data")
    assert _git(repo, "commit", "-qm", "the data").returncode == 0
    env = {"CZ_DATA": str(repo / "data"), "CZ_DB": str(tmp_path / "db" / "chengzhen.db")}
    # two held plans that both name a department no vocabulary has: both curators propose it
    first, second = [p for p in held_plans() if "各县(市、区)人民政府" in p.read_text(encoding="utf-8")][:2]
    proposed = {}
    for branch, src in (("one", first), ("two", second)):
        assert _git(repo, "checkout", "-q", "-b", branch, "main").returncode == 0
        res = run_cz(["ingest", str(src), "--id", src.stem, "--format", "json"], env=env)
        assert res.code == 0, res.err
        vocab = repo / "data" / "vocabulary" / f"{src.stem}.yaml"
        assert vocab.is_file(), "the held plans bring names no vocabulary has"
        proposed[branch] = vocab.read_text(encoding="utf-8")
        assert run_cz(["validate", "--plan", src.stem], env=env).code == 1  # its flags and proposals: not verified
        assert accept_flags(repo / "data", src.stem) > 0
        assert run_cz(["validate", "--plan", src.stem], env=env).code == 0
        changed = _git(repo, "status", "--porcelain", "--untracked-files=all").stdout.split("\n")
        assert {ln[3:] for ln in changed if ln} == {f"data/plans/{src.stem}.yaml", f"data/sources/{src.stem}.txt",
                                                      f"data/vocabulary/{src.stem}.yaml"}  # its own files only
        _git(repo, "add", "data")
        assert _git(repo, "commit", "-qm", f"add {src.stem}").returncode == 0
    shared = [ln for ln in proposed["one"].splitlines() if ln.startswith("  - {name: 各县(市、区)人民政府")]
    assert shared and any(ln.startswith("  - {name: 各县(市、区)人民政府") for ln in proposed["two"].splitlines())
    merged = _git(repo, "merge", "--no-edit", "-q", "one")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "CONFLICT" not in merged.stdout + merged.stderr
    res = run_cz(["validate", "--format", "json"], env=env)
    assert res.code == 0, res.out[-2000:]
    plans = run_cz(["plans", "-f", "tsv"], env=env)
    assert first.stem in plans.out and second.stem in plans.out
    # the name both curators added is one department, in both plans
    rows = run_cz(["depts", "各县(市、区)人民政府", "-f", "json"], env=env)
    assert rows.code == 0 and f"{first.stem}/" in rows.out and f"{second.stem}/" in rows.out
