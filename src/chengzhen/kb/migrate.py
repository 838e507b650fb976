"""Move a data directory of the old layout — one shared catalogue,
``plans.yaml: plans: [...]`` — to one plan, one file: each entry becomes the
``plan:`` mapping at the top of its ``plans/<id>.yaml`` (its comments and
its layout kept, only re-indented), and ``plans.yaml`` keeps the order the
entries were in.

    python -m chengzhen.kb.migrate DATA_DIR

Text in, text out: nothing is parsed and written back, so what a curator
wrote (comments, flow lists, quoting) stays as written.  The migrated
directory is checked by loading it; on any problem nothing is changed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from chengzhen.kb.files import ORDER_FILE, PLANS_DIR

_ENTRY = re.compile(r"^( *)- (?:id:\s*([a-z][a-z0-9_]*)\s*(?:#.*)?)?$")

ORDER_HEAD = """\
# The order plans are listed in (cz plans, compare, search results by plan).
# Optional: a plan not named here follows those named, by id; a name with no
# plan file is passed over.  Each plan's catalogue entry is the `plan:`
# mapping at the top of plans/<id>.yaml (docs/data-format.md).
"""


def split_entries(text: str) -> list[tuple[str, list[str], list[str]]]:
    """The old catalogue's entries: (id, comment lines before the entry,
    the entry's lines re-indented as a ``plan:`` mapping)."""
    lines = text.split("\n")
    head = next(i for i, ln in enumerate(lines) if ln.rstrip() == "plans:")
    starts = []
    for i in range(head + 1, len(lines)):
        got = _ENTRY.match(lines[i])
        if got and got.group(2):
            starts.append((i, len(got.group(1)), got.group(2)))
    out = []
    prev_end = head + 1
    for k, (start, indent, pid) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        before = [ln.strip() for ln in lines[prev_end:start] if ln.strip()]
        chunk = lines[start:end]
        # comments and blank lines at the end belong to the next entry
        while chunk and (not chunk[-1].strip() or (chunk[-1].lstrip().startswith("#")
                                                    and len(chunk[-1]) - len(chunk[-1].lstrip()) <= indent)):
            chunk.pop()
        prev_end = start + len(chunk)
        body = ["  " + chunk[0][indent + 2:]]
        for ln in chunk[1:]:
            if not ln.strip():
                body.append("")
            elif ln.startswith(" " * (indent + 2)):
                body.append(ln[indent:])
            else:
                body.append("  " + ln.strip())
        out.append((pid, before, body))
    return out


def migrate_text(catalogue: str, files: dict[str, str]) -> tuple[dict[str, str], str]:
    """(the plan files' new texts, the order file's text) from the old
    catalogue and the plan files ({id: text})."""
    new: dict[str, str] = {}
    order = []
    for pid, before, body in split_entries(catalogue):
        text = files[pid]
        got = re.search(rf"(?m)^plan:\s*['\"]?{re.escape(pid)}['\"]?\s*(?:#.*)?$", text)
        if not got:
            raise ValueError(f"{PLANS_DIR}/{pid}.yaml has no 'plan: {pid}' line")
        block = "".join(ln + "\n" for ln in before) + "plan:\n" + "".join(ln + "\n" for ln in body)
        new[pid] = text[:got.start()] + block + text[got.end() + 1:]
        order.append(pid)
    return new, ORDER_HEAD + "order: [" + ", ".join(order) + "]\n"


def migrate(root: Path) -> list[str]:
    """Migrate ``root`` in place; returns the files written."""
    from chengzhen.kb.loader import load_kb

    cat = (root / ORDER_FILE).read_text(encoding="utf-8")
    ids = [pid for pid, _b, _e in split_entries(cat)]
    files = {pid: (root / PLANS_DIR / f"{pid}.yaml").read_text(encoding="utf-8") for pid in ids}
    new, order = migrate_text(cat, files)
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cz-migrate-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build"))
        for pid, text in new.items():
            (copy / PLANS_DIR / f"{pid}.yaml").write_text(text, encoding="utf-8")
        (copy / ORDER_FILE).write_text(order, encoding="utf-8")
        load_kb(copy)  # raises on any problem: nothing written
    written = []
    for pid, text in new.items():
        (root / PLANS_DIR / f"{pid}.yaml").write_text(text, encoding="utf-8")
        written.append(f"{PLANS_DIR}/{pid}.yaml")
    (root / ORDER_FILE).write_text(order, encoding="utf-8")
    return written + [ORDER_FILE]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m chengzhen.kb.migrate DATA_DIR")
    for rel in migrate(Path(sys.argv[1])):
        print(Path(sys.argv[1]).resolve() / rel)
