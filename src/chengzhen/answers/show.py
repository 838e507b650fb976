"""`cz show ID` and the measure and plan pages: one measure, section,
annex, national task or group, or a plan's outline; and the copy-ready
citation of a unit (`cz show ID --cite`, the measure page's citation),
whose original text is read from the very source file the database was
built from (same SHA-256) and whose repairs are those the build recorded."""

from __future__ import annotations

import hashlib
from pathlib import Path

from chengzhen.answers.answer import Answer
from chengzhen.errors import UsageError
from chengzhen.query.cite import FIELDS as CITE_FIELDS

# the record's fields are declared once, with the citation (query/cite.py)
CITATION_COLUMNS = CITE_FIELDS


def _ident(ident: str | None) -> str:
    w = (ident or "").strip()
    if not w:
        raise UsageError("empty id: give a measure id (qinghai/3.10), a section or annex id, a national task, "
                         "or a plan")
    return w


def show(conn, ident: str | None) -> Answer:
    """One record: ``kind`` (measure, section, annex, plan, national_task,
    national_group) and the unit's data."""
    from chengzhen.query.catalog import resolve_show

    w = _ident(ident)
    kind, data = resolve_show(conn, w)
    record = {"kind": kind, **data}
    shown = data.get("id") or (data["plan"]["id"] if isinstance(data.get("plan"), dict) else w)
    return Answer("show", [record], list(record), query={"id": shown}, id_key=None, ids=[shown], data=(kind, data))


def raw_source(conn, source: str, data_root: Path | None) -> list[str] | None:
    """A plan's source as the file writes it, read from the data directory —
    only when it is the very file this database was built from (same
    SHA-256): a database served alone, or a source edited since, gives none."""
    from chengzhen.query.cite import source_digest

    if data_root is None:
        return None
    want = source_digest(conn, source)
    try:
        raw = (Path(data_root) / source).read_bytes()
    except OSError:
        return None
    if want is None or hashlib.sha256(raw).hexdigest() != want:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return [line.rstrip("\r") for line in text.split("\n")]


def citation_record(conn, ident: str | None, data_root: Path | None) -> dict:
    from chengzhen.query import cite

    target = cite.cite_target(conn, _ident(ident))
    plan = target["plan"]
    return cite.citation(target, raw_source(conn, plan["source"], data_root),
                         cite.recorded_repairs(conn, plan["id"]))


def citation(conn, ident: str | None, data_root: Path | None) -> Answer:
    rec = citation_record(conn, ident, data_root)
    return Answer("show", [rec], CITATION_COLUMNS, query={"id": rec["id"], "cite": True}, id_key="id", data=rec)


def trail(conn, section_id: str | None) -> list[dict]:
    """The sections above a unit, outermost first (a page's breadcrumbs)."""
    from chengzhen.query import catalog

    out = []
    seen = set()
    while section_id and section_id not in seen:
        seen.add(section_id)
        s = catalog.get_section(conn, section_id)
        if s is None:
            break
        out.append({"id": s["id"], "number": s["number"], "title": s["title"]})
        section_id = s["parent_id"]
    return out[::-1]


SIMILAR_PER_PLAN = 2


def measure_page(conn, mid: str, data_root: Path | None) -> Answer:
    """A measure with everything its page shows: the measure (as `cz show`),
    its plan, the sections above it, its citation (as `cz show --cite`),
    the national groups of its tasks, and the best few measures of every
    other plan like it (as `cz similar`)."""
    from chengzhen.query import catalog
    from chengzhen.query import tasks as T
    from chengzhen.query.browse import measure_ids, plan_ids
    from chengzhen.query.compare import similar
    from chengzhen.query.resolve import unknown

    w = _ident(mid)
    m = catalog.get_measure(conn, w)
    if m is None:
        raise unknown("measure id", w, measure_ids(conn))
    plan = catalog.get_plan(conn, m["plan_id"])
    nodes = {n["id"]: n for n in T.nodes(conn)}
    groups = {}
    for t in m["tasks"]:
        node = nodes.get(t["id"])
        group = nodes.get(node["group"]) if node and node["group"] else None
        groups[t["id"]] = {"id": group["id"], "number": group["number"], "title": group["title"]} if group else None
    sim = similar(conn, w, SIMILAR_PER_PLAN)
    # the best few of every other plan, in catalogue order: no plan drops out
    flat = [x for p in plan_ids(conn) for x in sim["by_plan"].get(p, [])]
    record = {"kind": "measure", **m}
    blocks = {"plan": plan, "sections": trail(conn, m["section_id"]), "task_groups": groups,
              "citation": citation_record(conn, w, data_root), "similar": flat}
    return Answer("show", [record], list(record), query={"id": w}, blocks=blocks, id_key="id")


def plan_page(conn, pid: str) -> Answer:
    """A plan's outline (as `cz show PLAN`) with its statistics (as `cz stats`)."""
    from chengzhen.query import catalog

    data = catalog.plan_outline(conn, pid)
    stats = catalog.plan_stats(conn, [pid])[0]
    record = {"kind": "plan", **data}
    return Answer("show", [record], list(record), query={"id": pid}, blocks={"stats": stats}, id_key=None,
                  ids=[pid], data=("plan", data))
