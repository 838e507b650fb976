"""`cz ingest DIR`: every file of a directory drafted, one summary row each.

Each file goes through the same stages as ``cz ingest FILE`` (draft, load and
audit in a temporary copy, then — unless ``dry_run`` — write it into plans/
when nothing blocks it, else keep it pending in drafts/); a file that cannot
be read is a row with its one-line error, never the end of the batch.

A row's ``status``: ``written`` (into plans/), ``pending`` (into drafts/:
validation refuses it as it stands), ``drafted`` (a dry run: nothing blocks
it), ``blocked`` (a dry run: it would be pending), ``error``.
"""

from __future__ import annotations

import time
from pathlib import Path

from chengzhen.errors import CzError
from chengzhen.ingest import draft as D
from chengzhen.ingest import pending as PD


def ingest_dir(directory: Path, data: Path, *, dry_run: bool, force: bool = False) -> list[dict]:
    files = sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))
    rows: list[dict] = []
    ids: dict[str, str] = {}
    for path in files:
        t0 = time.perf_counter()
        row = {"file": path.name, "plan": None, "name": None, "status": "error", "sections": 0, "measures": 0,
               "targets": 0, "departments": 0, "flags": 0, "blocking": 0, "written": False, "path": None,
               "message": "",
               "seconds": 0.0}
        try:
            # (an id an earlier file took is not given again: ingest/ids.py)
            d = D.make_draft(path, data, None, label=str(path), taken=ids)
            row["plan"] = d.plan_id
            exists = D.check_clash(d, data, force) if not dry_run else False
            PD.verify(d, data, replace=exists)
            c = d.counts
            row.update(plan=d.plan_id, name=d.entry.get("name"), status="drafted", sections=c.get("sections", 0),
                       measures=c.get("measure", 0), targets=c.get("targets", 0),
                       departments=c.get("departments", 0), flags=len(d.review), blocking=len(d.blocking))
            if d.plan_id in ids:  # (not drafted so: ingest/ids.py; written, cz ingest FILE's check refuses it)
                row.update(status="error", blocking=row["blocking"] + 1,
                           message=f"the same id as {ids[d.plan_id]}: give one of them another with --id")
            elif d.blocking:
                row["message"] = d.blocking[0][2]
                if dry_run:
                    row["status"] = "blocked"
                else:
                    row["path"] = PD.keep(d, data)[-1]
                    row["status"] = "pending"
            elif not dry_run:
                row["path"] = D.write(d, data, replace=exists)[-1]
                row["written"] = True
                row["status"] = "written"
            if not row["message"] and d.id_note:  # (a blocked draft's id is said in its plan column)
                row["message"] = d.id_note
            ids.setdefault(d.plan_id, path.name)
        except CzError as exc:
            row["message"] = exc.message
        row["seconds"] = round(time.perf_counter() - t0, 2)
        rows.append(row)
    return rows
