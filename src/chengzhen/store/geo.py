"""The places and the statistics as rows (schema.sql, "places and
statistics"): what kb/geo.py read, written by the build.

* ``places``, ``place_names``, ``place_members``: the vocabulary, global — a full build writes
  them (a change to data/places.* is a vocabulary change).
* ``plan_places``, ``target_places``: per plan, made from the plan's rows
  already in the database (its region, each target's scope), so the plan's
  own row maker (store/rows.py) does not change; an update writes them for
  the plans it replaces (their old rows went with the plan).
* ``statistic_sources``, ``statistics``: per statistics file — an update
  deletes and rewrites only the files that changed.

Pure writing: the reading and checking are kb's.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chengzhen.kb.files import STATISTICS_DIR
from chengzhen.kb.geo import Geo
from chengzhen.store import schema


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    if rows:
        cols = schema.columns(table)
        conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                         [tuple(r.get(c) for c in cols) for r in rows])


# --------------------------------------------------------------------------- the vocabulary

def write_places(conn: sqlite3.Connection, geo: Geo) -> None:
    book = geo.book
    if book is None:
        return
    _insert(conn, "places", [{"code": p.code, "name": p.name, "short": p.short, "level": p.level, "kind": p.kind,
                              "parent": p.parent} for p in book.places.values()])
    names: dict[tuple[str, str], str] = {}
    for p in book.places.values():
        for n in (p.name, p.short, *p.aliases, *p.abbreviations):
            names.setdefault((n, p.code), "place")
    for z in book.zones.values():
        for n in (z.name, *z.names):
            names.setdefault((n, z.name), "zone")
    for g in book.groups.values():
        for n in (g.name, g.id):
            names.setdefault((n, g.id), "group")
    _insert(conn, "place_names", [{"name": n, "ref": ref, "kind": kind} for (n, ref), kind in sorted(names.items())])
    _insert(conn, "place_members", [{"group_id": g.id, "member": m, "kind": "zone" if m in book.zones else "place"}
                                    for g in book.groups.values() for m in dict.fromkeys(g.members or ())])


# --------------------------------------------------------------------------- per plan

def write_plan_places(conn: sqlite3.Connection, geo: Geo, plan_ids: list[str] | None = None) -> None:
    """``plan_places`` and ``target_places`` of these plans (None: all),
    read from their rows in ``plans`` and ``targets``."""
    if plan_ids is not None and not plan_ids:
        return
    wanted = set(plan_ids) if plan_ids is not None else None
    regions = {pid: region for pid, region in conn.execute("SELECT id, region FROM plans")
               if wanted is None or pid in wanted}
    places = {pid: geo.plan_place(region) for pid, region in regions.items()}
    _insert(conn, "plan_places", [{"plan_id": pid, "place": code} for pid, code in places.items()])
    if geo.book is None:
        return
    rows = []
    sql = "SELECT id, plan_id, scope FROM targets"
    for pid in sorted(places) if plan_ids is not None else [None]:
        cur = conn.execute(sql + " WHERE plan_id = ?", (pid,)) if pid is not None else conn.execute(sql)
        for tid, plan_id, scope in cur:
            r = geo.reading(scope, places.get(plan_id))
            rows.append({"target_id": tid, "plan_id": plan_id, "places": " ".join(r.places),
                         "zones": "、".join(r.zones) or None, "groups": "、".join(r.groups) or None, "part": r.part,
                         "place_class": r.klass, "unresolved": "、".join(r.unresolved) or None,
                         "whole": int(r.whole_places), "anchors": " ".join(geo.anchors(r))})
    _insert(conn, "target_places", rows)


# --------------------------------------------------------------------------- statistics

def statistics_file(fig) -> str:
    """A figure's file as ``inputs`` names it: statistics/<code>.yaml."""
    return f"{STATISTICS_DIR}/{Path(fig.file).name}"


def write_statistics(conn: sqlite3.Connection, geo: Geo) -> list[str]:
    """The rows of every file ``geo`` holds figures of; returns those files."""
    sources: dict[tuple[str, str], dict] = {}
    figures: list[dict] = []
    order: dict[str, int] = {}
    chosen: dict[tuple, str] = {}
    for f in geo.figures:
        file = statistics_file(f)
        s = f.source
        sources.setdefault((file, s.id), {
            "file": file, "id": s.id, "place": f.place, "publisher": s.publisher, "title": s.title,
            "published": s.published, "url": s.url, "page": s.page, "page_date": s.page_date,
            "known_by": s.known_by, "note": s.note})
        n = order[file] = order.get(file, -1) + 1
        sid = "/".join([f.place, s.id, f.indicator, str(f.year)] + ([f.as_of] if f.as_of else []))
        figures.append({"id": sid, "file": file, "ord": n, "place": f.place, "indicator": f.indicator,
                        "year": f.year, "as_of": f.as_of, "value": f.value, "unit": f.unit,
                        "indicator_value": f.indicator_value, "as_written": f.as_written, "locator": f.locator,
                        "source_id": s.id, "use": None if f.use is None else int(f.use), "used": 0,
                        "jump": f.jump, "line": f.file_line})
        # the series' figure a year (kb.statistics.series): the one marked use, else the first
        key = (f.place, f.indicator, f.year)
        if key not in chosen or (f.use and not chosen[key][1]):
            chosen[key] = (sid, bool(f.use))
    used = {sid for sid, _marked in chosen.values()}
    for r in figures:
        r["used"] = int(r["id"] in used)
    _insert(conn, "statistic_sources", list(sources.values()))
    _insert(conn, "statistics", figures)
    return sorted(order)


def delete_statistics(conn: sqlite3.Connection, files: list[str]) -> None:
    for file in files:
        conn.execute("DELETE FROM statistics WHERE file = ?", (file,))
        conn.execute("DELETE FROM statistic_sources WHERE file = ?", (file,))


# --------------------------------------------------------------------------- the build's steps

def load_for_build(root: Path, vocab, sink, statistics: list[str] | None = None) -> Geo:
    """The places and statistics (``statistics``: only these files, as
    ``inputs`` names them), their errors into the build's ``sink``; warnings
    (a series that jumps, E185) are `cz validate`'s to report."""
    from chengzhen.kb.geo import load_geo
    from chengzhen.kb.problems import Sink

    own = Sink()
    names = None if statistics is None else [n.split("/", 1)[1] for n in statistics if (root / n).is_file()]
    geo = load_geo(root, vocab, own, statistics=names)
    sink.problems.extend(p for p in own.problems if p.severity == "error")
    return geo


def write_all(conn: sqlite3.Connection, geo: Geo) -> None:
    """A full build's rows: the vocabulary, every plan's places, every statistic."""
    write_places(conn, geo)
    write_plan_places(conn, geo)
    write_statistics(conn, geo)


def statistics_changes(names: list[str], known: dict, sha) -> list[str]:
    """The statistics files (as ``inputs`` names them) added, changed or
    deleted since the last build: ``names`` the inputs now, ``known`` the
    last build's {path: (size, mtime, sha)}, ``sha`` a file's SHA-256 now."""
    prefix = STATISTICS_DIR + "/"
    now = [n for n in names if n.startswith(prefix)]
    changed = [n for n in now if n not in known or known[n][2] != sha(n)]
    gone = [n for n in known if n.startswith(prefix) and n not in set(now)]
    return sorted(changed + gone)
