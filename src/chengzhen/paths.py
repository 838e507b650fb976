"""Where the data lives and where the database goes.

**The data directory in use** (:func:`data_dir`), the first of:

1. ``$CZ_DATA``;
2. the ``data/`` directory of the source checkout cz runs from (an editable
   install);
3. the ``data/`` directory of the checkout the working directory is in (a
   curator who installed cz with ``pip install .`` and works in the
   checkout: their work lands there, under git);
4. the per-user data directory (``$XDG_DATA_HOME/chengzhen/data``, or
   ``~/.local/share/chengzhen/data``), once it exists;
5. the data shipped inside the installed package, read in place.

cz never writes into an installed package: a command that writes data
(``cz ingest``) asks :func:`writable_data_dir`, which, when the data in use is
the shipped copy, first creates the per-user data directory from it (its
read-only seed) — from then on that is the data in use.

**The database** (:func:`db_path`): ``$CZ_DB`` if set; else, for the shipped
data and for the per-user data directory, a per-user cache file keyed by the
data directory and the installed package (``$XDG_CACHE_HOME/chengzhen/`` or
``~/.cache/chengzhen/``), so two installs on one account never rebuild each
other's database (and a running ``cz serve`` never sees another install's
data); else ``build/chengzhen.db`` inside a writable data directory (a
checkout); else (a read-only data directory elsewhere) a cache file keyed
the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent
PROJECT = "chengzhen"


def _is_data(path: Path) -> bool:
    return (path / "plans").is_dir()


def _checkout_data() -> Path | None:
    """The data of the checkout this package runs from (an editable install)."""
    candidate = _PKG.parent.parent / "data"
    return candidate if _is_data(candidate) else None


def _is_checkout(root: Path) -> bool:
    try:
        head = (root / "pyproject.toml").read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return False
    return f'name = "{PROJECT}"' in head and _is_data(root / "data")


def working_checkout_data(start: Path | None = None) -> Path | None:
    """The ``data/`` of the chengzhen checkout the working directory is in
    (it or a parent holds a pyproject.toml of chengzhen and a data/plans/)."""
    try:
        here = (start or Path.cwd()).resolve()
    except OSError:
        return None
    for root in (here, *here.parents):
        if _is_checkout(root):
            return root / "data"
    return None


def shipped_data() -> Path:
    """The data installed with the package (read-only: never written)."""
    return _PKG / "data"


def user_data_dir() -> Path:
    """The per-user data directory (whether or not it exists yet)."""
    if os.environ.get("XDG_DATA_HOME"):
        base = Path(os.environ["XDG_DATA_HOME"])
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path.home() / ".local" / "share"
    return base / PROJECT / "data"


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / PROJECT


def data_dir() -> Path:
    env = os.environ.get("CZ_DATA")
    if env:
        return Path(env)
    for found in (_checkout_data(), working_checkout_data()):
        if found is not None:
            return found
    user = user_data_dir()
    if _is_data(user):
        return user
    return shipped_data()


def is_installed_data(path: Path) -> bool:
    """Does ``path`` lie inside the installed package (never to be written)?"""
    try:
        path = path.resolve()
    except OSError:
        return False
    return path == _PKG or _PKG in path.parents


def writable_data_dir() -> Path:
    """The data directory a command that writes data writes into: the one in
    use, unless that is the installed package's copy — then the per-user data
    directory, created from that copy on first use."""
    data = data_dir()
    if not is_installed_data(data):
        return data
    user = user_data_dir()
    if not _is_data(user):
        _seed(data, user)
    return user


def _seed(source: Path, target: Path) -> None:
    """Copy the shipped data to ``target`` whole, or not at all (another
    process seeding at the same time: the first copy in place wins)."""
    import shutil
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".seed-", dir=target.parent))
    try:
        copy = tmp / "data"
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("build", "__pycache__"))
        for p in (copy, *copy.rglob("*")):  # an installed package may be read-only: the copy is the user's
            p.chmod(0o755 if p.is_dir() else 0o644)
        try:
            os.rename(copy, target)
        except OSError:
            if not _is_data(target):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _keyed(data: Path) -> Path:
    import hashlib

    tag = hashlib.sha256(f"{data.resolve()}\0{_PKG}".encode()).hexdigest()[:12]
    return _cache_dir() / f"chengzhen-{tag}.db"


def db_path(data: Path | None = None) -> Path:
    env = os.environ.get("CZ_DB")
    if env:
        return Path(env)
    data = data or data_dir()
    if is_installed_data(data) or data.resolve() == user_data_dir().resolve():
        # never beside the installed package; one file per data directory and install
        return _keyed(data)
    build = data / "build"
    if os.access(data, os.W_OK) and (not build.exists() or os.access(build, os.W_OK)):
        return build / "chengzhen.db"
    # a read-only data directory elsewhere: one cache file per directory and install
    return _keyed(data)
