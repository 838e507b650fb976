"""`cz ingest DIR`: every file of a directory drafted, one summary row each.

Each file goes through the same stages as ``cz ingest FILE`` (draft, load and
audit in a temporary copy, write when nothing blocks it and ``dry_run`` is
off); a file that cannot be read is a row with its one-line error, never the
end of the batch.
"""

from __future__ import annotations

import time
from pathlib import Path

from chengzhen.errors import CzError
from chengzhen.ingest import draft as D


def ingest_dir(directory: Path, data: Path, *, dry_run: bool, force: bool = False) -> list[dict]:
    files = sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))
    rows: list[dict] = []
    ids: dict[str, str] = {}
    for path in files:
        t0 = time.perf_counter()
        row = {"file": path.name, "plan": None, "name": None, "status": "error", "sections": 0, "measures": 0,
               "targets": 0, "departments": 0, "flags": 0, "blocking": 0, "written": False, "message": "",
               "seconds": 0.0}
        try:
            d = D.make_draft(path, data, None, label=str(path))
            exists = D.check_clash(d, data, force) if not dry_run else False
            D.verify(d, data, replace=exists)
            c = d.counts
            row.update(plan=d.plan_id, name=d.entry.get("name"), status="drafted", sections=c.get("sections", 0),
                       measures=c.get("measure", 0), targets=c.get("targets", 0),
                       departments=c.get("departments", 0), flags=len(d.review), blocking=len(d.blocking))
            if d.plan_id in ids:
                row["message"] = f"the same id as {ids[d.plan_id]}: give one of them another with --id"
                row["blocking"] += 1
            ids.setdefault(d.plan_id, path.name)
            if d.blocking:
                row["message"] = row["message"] or d.blocking[0][2]
            elif not dry_run and not row["message"]:
                D.write(d, data, replace=exists)
                row["written"] = True
                row["status"] = "written"
        except CzError as exc:
            row["message"] = exc.message
        row["seconds"] = round(time.perf_counter() - t0, 2)
        rows.append(row)
    return rows
