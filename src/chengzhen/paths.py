"""Where the data lives and where the database goes.

Data: ``$CZ_DATA`` if set; else the ``data/`` directory of a source checkout
(an editable install); else the copy shipped inside the installed package.

Database: ``$CZ_DB`` if set; else ``data/build/chengzhen.db`` in a checkout
(or any writable data directory); else a per-user cache file
(``$XDG_CACHE_HOME/chengzhen/`` or ``~/.cache/chengzhen/``): cz never writes
into an installed package's directory.
"""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _checkout_data() -> Path | None:
    candidate = _PKG.parent.parent / "data"
    if (candidate / "plans.yaml").is_file():
        return candidate
    return None


def data_dir() -> Path:
    env = os.environ.get("CZ_DATA")
    if env:
        return Path(env)
    return _checkout_data() or (_PKG / "data")


def db_path(data: Path | None = None) -> Path:
    env = os.environ.get("CZ_DB")
    if env:
        return Path(env)
    data = data or data_dir()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chengzhen"
    if data.resolve() == (_PKG / "data").resolve():
        # the copy installed with the package: never write into site-packages
        return cache / "chengzhen.db"
    build = data / "build"
    if os.access(data, os.W_OK) and (not build.exists() or os.access(build, os.W_OK)):
        return build / "chengzhen.db"
    # a read-only data directory elsewhere: one cache file per directory
    import hashlib

    tag = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:12]
    return cache / f"chengzhen-{tag}.db"
