"""Writing a report file: never over an existing file unless asked
(``force``), and atomically — the bytes go to a temporary file beside the
target, flushed to disk, then take its name in one step, so a reader (or a
crash) sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from chengzhen.errors import CzError

FORMATS = ("docx", "md")


def format_of(path: str | None, fmt: str | None) -> str:
    """The format asked for, else the file's suffix (.md → md), else docx."""
    if fmt:
        f = fmt.strip().lower()
        if f not in FORMATS:
            raise CzError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return f
    if path and Path(path).suffix.lower() in (".md", ".markdown"):
        return "md"
    return "docx"


def write_new(path: str, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path``: a new file, or with ``force`` in place of
    the old one; atomically either way."""
    target = Path(path)
    if target.is_dir():
        raise CzError(f"{path} is a directory; give a file name, e.g. -o 报告.docx")
    if target.exists() and not force:
        raise CzError(f"{path} already exists; give --force to replace it")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CzError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # a folder cz may not write into (its temporary file's name is no business of the reader)
        raise CzError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode(target))  # a temporary file is private (0600); a report is not
        if force:
            os.replace(tmp, target)
        else:
            try:  # no clobbering even against a file made meanwhile: a hard link fails if the name is taken
                os.link(tmp, target)
            except FileExistsError:
                raise CzError(f"{path} already exists; give --force to replace it") from None
            except OSError:  # a file system without hard links
                if target.exists():
                    raise CzError(f"{path} already exists; give --force to replace it") from None
                os.replace(tmp, target)
    except OSError as exc:
        raise CzError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _mode(target: Path) -> int:
    """The permissions the written file gets: those of the file it replaces,
    else what the user's umask gives a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
