"""Installed without a checkout: the wheel carries the data, and `cz` run from
another directory finds it and a writable place for its database."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(out), str(REPO)], capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        # no hatchling in this environment: build in isolation (needs the package index)
        res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                             capture_output=True, text=True, timeout=600)
    if res.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {res.stderr.strip().splitlines()[-1:]}")
    return next(out.glob("chengzhen-*.whl"))


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("plans.yaml", "topics.yaml", "departments.yaml", "indicators.yaml"):
        assert f"chengzhen/data/{rel}" in names
    for pid in ("guizhou", "qinghai", "hunan", "liupanshui", "hebei"):
        assert f"chengzhen/data/plans/{pid}.yaml" in names
        assert f"chengzhen/data/sources/{pid}.txt" in names
    assert not any("/build/" in n or n.endswith(".db") for n in names)
    assert "chengzhen/locale/zh/LC_MESSAGES/cz.mo" in names  # Chinese help and messages (docs/cli.md, Language)


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_runs_from_elsewhere_with_a_cache_database(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CZ_")}
    env.update(PYTHONPATH=str(site), HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # the package directory is read-only, as in many installs
    for p in (site / "chengzhen").rglob("*"):
        p.chmod(0o555 if p.is_dir() else 0o444)
    (site / "chengzhen").chmod(0o555)
    try:
        res = subprocess.run([sys.executable, "-m", "chengzhen", "search", "老旧小区", "--format", "ids"],
                             cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        assert "guizhou/5.1" in res.stdout.split()
        assert (home / ".cache" / "chengzhen" / "chengzhen.db").is_file()
        assert not (site / "chengzhen" / "data" / "build").exists()
    finally:
        for p in [site / "chengzhen", *(site / "chengzhen").rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
