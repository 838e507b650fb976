"""Installed without a checkout: the wheel carries the data, and `cz` run from
another directory finds it and a writable place for its database.  A plain
`pip install .` never writes into site-packages: a curator's ingest lands in
the checkout they work in, or in the per-user data directory; two installs
on one account keep their own databases (the slow tests: real installs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("plans.yaml", "topics.yaml", "departments.yaml", "indicators.yaml", "national.yaml"):
        assert f"chengzhen/data/{rel}" in names
    for plan in sorted((REPO / "data" / "plans").glob("*.yaml")):  # every plan of the checkout
        assert f"chengzhen/data/plans/{plan.name}" in names
        assert f"chengzhen/data/sources/{plan.stem}.txt" in names
    # the places and the statistics (cz progress; docs/progress.md)
    for rel in ("places.tsv", "places.yaml", *(f"statistics/{p.name}" for p in (REPO / "data" / "statistics").glob("*.yaml"))):
        assert f"chengzhen/data/{rel}" in names, rel
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
        assert len(list((home / ".cache" / "chengzhen").glob("chengzhen-*.db"))) == 1  # keyed by data and install
        res = subprocess.run([sys.executable, "-m", "chengzhen", "progress", "--indicator", "城镇化率", "--format", "json"],
                             cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        import json

        doc = json.loads(res.stdout)
        assert doc["records"] and doc["sources"] and any(r["latest"] is not None for r in doc["records"])
        assert not (site / "chengzhen" / "data" / "build").exists()
    finally:
        for p in [site / "chengzhen", *(site / "chengzhen").rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)


# --------------------------------------------------------------------------- a curator's plain install

def _site_packages(venv: Path) -> Path:
    return next(venv.glob("lib/python*/site-packages"))


@pytest.fixture(scope="module")
def installs(tmp_path_factory):
    """Two real `pip install .` (not editable) into two virtualenvs on one
    account; the dependencies come from this environment (a .pth file), the
    package from the checkout, built and installed by pip."""
    import site
    import sysconfig

    base = tmp_path_factory.mktemp("installs")
    deps = sysconfig.get_paths()["purelib"]
    out = []
    for name in ("a", "b"):
        venv = base / name
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        (_site_packages(venv) / "_deps.pth").write_text(deps + "\n" + "\n".join(site.getsitepackages()) + "\n")
        res = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                              "--no-deps", "-q", str(REPO)], capture_output=True, text=True, timeout=600)
        if res.returncode != 0:
            pytest.skip(f"cannot pip install . here: {res.stderr.strip().splitlines()[-1:]}")
        out.append(venv)
    return out


def _package_files(venv: Path) -> dict[str, tuple[int, int]]:
    pkg = _site_packages(venv) / "chengzhen"
    return {str(p.relative_to(pkg)): (p.stat().st_size, p.stat().st_mtime_ns) for p in pkg.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def _account(tmp_path: Path) -> dict:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CZ_", "XDG_"))}
    env.update(HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
    return env


def _cz(venv: Path, args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "cz"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


HELD = REPO / "tests" / "data" / "held" / "dongchuan.txt"


@pytest.mark.slow
def test_ingest_from_a_checkout_lands_in_the_checkout(installs, tmp_path):
    """The issue's case: `pip install .`, then `cz ingest` run in the
    checkout — the curator's files land in the checkout's data/ (git sees
    them), never in site-packages, and cz says where, in absolute paths."""
    venv = installs[0]
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copyfile(REPO / "pyproject.toml", checkout / "pyproject.toml")
    shutil.copytree(REPO / "data", checkout / "data", ignore=shutil.ignore_patterns("build"))
    (checkout / "docs").mkdir()
    env = _account(tmp_path)
    before = _package_files(venv)
    res = _cz(venv, ["ingest", str(HELD), "--id", "dongchuan", "--format", "json"], checkout / "docs", env)
    assert res.returncode == 0, res.stderr
    written = json.loads(res.stdout)["written"]
    assert written and all(Path(p).is_absolute() for p in written)
    assert all(Path(p).resolve().is_relative_to((checkout / "data").resolve()) for p in written), written
    assert (checkout / "data" / "plans" / "dongchuan.yaml").is_file()
    assert _package_files(venv) == before, "cz wrote into site-packages"
    assert not (Path(env["HOME"]) / ".local" / "share" / "chengzhen").exists()


@pytest.mark.slow
def test_ingest_elsewhere_lands_in_the_user_data_directory(installs, tmp_path):
    """No checkout, no CZ_DATA: the shipped data is read in place until the
    first ingest, which creates the per-user data directory from it; from
    then on that is the data in use, and site-packages is never written."""
    venv = installs[0]
    env = _account(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _package_files(venv)
    assert _cz(venv, ["plans", "-f", "tsv"], elsewhere, env).returncode == 0
    user = Path(env["HOME"]) / ".local" / "share" / "chengzhen" / "data"
    assert not user.exists()  # reading needs no copy
    res = _cz(venv, ["ingest", str(HELD), "--id", "dongchuan", "--format", "json"], elsewhere, env)
    assert res.returncode == 0, res.stderr
    written = [Path(p) for p in json.loads(res.stdout)["written"]]
    assert written and all(p.is_absolute() and p.resolve().is_relative_to(user.resolve()) for p in written)
    assert (user / "plans" / "dongchuan.yaml").is_file() and (user / "plans" / "guizhou.yaml").is_file()
    listed = _cz(venv, ["plans", "-f", "json"], elsewhere, env)
    assert listed.returncode == 0 and "dongchuan" in [p["id"] for p in json.loads(listed.stdout)["records"]]
    assert _package_files(venv) == before, "cz wrote into site-packages"
    assert not list(elsewhere.iterdir())


@pytest.mark.slow
def test_two_installs_keep_their_own_databases(installs, tmp_path):
    """One account, two installs: each builds its database once, keyed by the
    data directory (and the install) — neither rebuilds the other's."""
    env = _account(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = Path(env["HOME"]) / ".cache" / "chengzhen"

    def dbs():
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.glob("chengzhen-*.db")}

    for venv in installs:
        res = _cz(venv, ["search", "老旧小区", "-f", "ids"], elsewhere, env)
        assert res.returncode == 0, res.stderr
    built = dbs()
    assert len(built) == 2  # one per install
    for venv in (*installs, *installs):
        res = _cz(venv, ["search", "老旧小区", "-f", "ids"], elsewhere, env)
        assert res.returncode == 0 and "guizhou/5.1" in res.stdout.split(), res.stderr
        assert dbs() == built, "an install rebuilt a database"
