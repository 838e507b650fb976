"""Each target against the published statistics (issue 23;
docs/progress.md): the query behind `cz progress`, `cz targets --progress`
and the web pages' verdict columns and charts.

A target is joined to the statistics of its own place (``target_places``:
its scope as the place vocabulary reads it; without a scope, its plan's
place) and its own indicator; the figures a reader had in a year
(``as_of``: published by then) give one value a year — the one marked
``use`` where publications disagree; :func:`chengzhen.text.progress.assess`
does the arithmetic and gives the verdict by the rule docs/progress.md
states.  Every number keeps where it is from: a target's figures and its
baseline from the plan (its measure id), each statistic with its source.

Plain data; nothing here prints.
"""

from __future__ import annotations

import sqlite3

from chengzhen.errors import BadValue
from chengzhen.query import places as P
from chengzhen.text.progress import (BEHIND, MET, NO_DATA, NOT_COMPARABLE, ON_TRACK, VERDICTS, Goal, Observation,
                                     Progress, assess, unit_factor)

# the stable English code of each verdict (scripts filter by either)
STATUS = {MET: "met", ON_TRACK: "on_track", BEHIND: "behind", NO_DATA: "no_data", NOT_COMPARABLE: "not_comparable"}
VERDICT_OF = {**{v: v for v in VERDICTS}, **{code: v for v, code in STATUS.items()}}

# where a record's base (the value progress is measured from) comes from: ``base_source``
FROM_PLAN, FROM_STATISTIC = "plan", "statistic"


def verdicts(words: list[str] | None) -> list[str] | None:
    """The verdicts asked for (Chinese or the English codes), checked."""
    if not words:
        return None
    out = []
    for w in words:
        for part in w.replace("，", ",").replace("、", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if part not in VERDICT_OF:
                raise BadValue("verdict", part, "choose 已达成, 按进度, 落后, 无数据 or 无可比数据 "
                                                "(met, on_track, behind, no_data, not_comparable)")
            if VERDICT_OF[part] not in out:
                out.append(VERDICT_OF[part])
    return out or None


def as_of_year(value: str | int | None) -> int | None:
    if value is None:
        return None
    s = str(value).strip()
    if not s.isdigit() or not 1949 <= int(s) <= 2100:
        raise BadValue("as-of", s, "give a year (2023)")
    return int(s)


def statistic_indicators(conn: sqlite3.Connection) -> list[str]:
    """The indicators some statistic measures, in vocabulary order."""
    return [r[0] for r in conn.execute(
        "SELECT i.name FROM indicators i WHERE EXISTS (SELECT 1 FROM statistics s WHERE s.indicator = i.name) "
        "ORDER BY i.rowid")]


# --------------------------------------------------------------------------- the statistics of places

def _figures(conn: sqlite3.Connection, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], list[dict]]:
    """(place, indicator) -> every stored figure, in year and file order."""
    out: dict[tuple[str, str], list[dict]] = {}
    by_place: dict[str, set[str]] = {}
    for place, ind in pairs:
        by_place.setdefault(place, set()).add(ind)
    places = sorted(by_place)
    for i in range(0, len(places), 900):
        chunk = places[i:i + 900]
        cur = conn.execute(
            "SELECT s.id, s.place, s.indicator, s.year, s.as_of, s.value, s.unit, s.indicator_value, s.as_written, "
            "s.locator, s.source_id, s.use, src.known_by FROM statistics s JOIN statistic_sources src "
            "ON src.file = s.file AND src.id = s.source_id "
            f"WHERE s.place IN ({','.join('?' * len(chunk))}) ORDER BY s.year, s.ord", chunk)
        cols = [d[0] for d in cur.description]
        for row in cur:
            r = dict(zip(cols, row))
            if r["indicator"] in by_place[r["place"]]:
                out.setdefault((r["place"], r["indicator"]), []).append(r)
    return out


def _chosen(figures: list[dict], as_of: int | None) -> list[dict]:
    """One figure a year, as a reader had them in ``as_of`` (published by
    then, for a year before it): the one marked ``use`` where publications
    disagree, else the first in its file."""
    by_year: dict[int, dict] = {}
    for f in figures:
        if as_of is not None and (f["known_by"] is None or f["known_by"] > as_of or f["year"] > as_of):
            continue
        have = by_year.get(f["year"])
        if have is None or (f["use"] and not have["use"]):
            by_year[f["year"]] = f
    return [by_year[y] for y in sorted(by_year)]


def source_key(place: str, source_id: str) -> str:
    """A publication's key in an answer's ``sources`` block (ids are unique per file, a file per place)."""
    return f"{place}/{source_id}"


def sources(conn: sqlite3.Connection, keys: set[str]) -> dict[str, dict]:
    """The publications named by ``keys``: publisher, title, date, address."""
    out: dict[str, dict] = {}
    places = sorted({k.split("/", 1)[0] for k in keys})
    cols = ("place", "id", "publisher", "title", "published", "url", "page", "page_date")
    for i in range(0, len(places), 900):
        chunk = places[i:i + 900]
        for row in conn.execute(f"SELECT {', '.join(cols)} FROM statistic_sources "
                                f"WHERE place IN ({','.join('?' * len(chunk))})", chunk):
            key = source_key(row[0], row[1])
            if key in keys:
                out[key] = dict(zip(cols, row))
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- one target

def _r(x: float | None, nd: int = 6) -> float | None:
    return None if x is None else round(x, nd)


def _goal(t: dict, whole: bool) -> Goal:
    return Goal(value=t["value"], comparator=t["comparator"], basis=t["basis"], year=t["year"], unit=t["unit"],
                value_max=t["value_max"], baseline=t["baseline"], baseline_year=t["baseline_year"],
                cumulative=bool(t["cumulative"]), aspiration=t["aspiration"], year_implied=bool(t["year_implied"]),
                whole_place=whole)


def judge(t: dict, tp: dict | None, stat_unit: str | None, figures: list[dict], as_of: int | None,
          place_names: dict[str, str]) -> dict:
    """The progress fields of one target row (query.catalog's keys)."""
    places = (tp["places"] or "").split() if tp else []
    whole = bool(tp and tp["whole"]) and len(places) == 1
    goal = _goal(t, whole)
    series = _chosen(figures, as_of) if whole else []
    obs = [Observation(f["year"], f["indicator_value"], stat_unit, f["known_by"]) for f in series]
    if tp is None or not places and whole:
        p = Progress(NO_DATA, "目标所在的地方不明(方案地区未对应到地名表)", True, target=goal.value,
                     target_max=goal.value_max, target_year=goal.year)
    else:
        p = assess(goal, stat_unit, obs, as_of=None)  # ``series`` is already as of the year asked
        if p.verdict == NOT_COMPARABLE and not whole and goal.comparator != "complete" and goal.value is not None:
            p = p._replace(reason=_scope_reason(tp, place_names) or p.reason)
        elif p.verdict == NO_DATA and not series:
            name = place_names.get(places[0], places[0]) if places else ""
            p = p._replace(reason=f"没有{name}{t['indicator']}的统计值" + (f"({as_of}年及以前发布的)" if as_of else ""))
    level_growth = goal.basis == "annual_growth"
    factor = 1.0 if level_growth else (unit_factor(goal.unit, stat_unit) or 1.0)
    place = places[0] if len(places) == 1 else None
    notes = list(p.notes)
    out = {
        "verdict": p.verdict, "status": STATUS[p.verdict], "reason": p.reason, "comparable": p.comparable,
        "place": place, "place_name": place_names.get(place) if place else None,
        "level_unit": stat_unit if level_growth else (t["unit"] or stat_unit),
        "base": _r(p.baseline), "base_year": p.baseline_year, "base_source": p.baseline_from, "base_ref": None,
        "latest": _r(p.latest), "latest_year": p.latest_year, "latest_ref": None,
        "latest_source": None, "years_left": p.years_left, "pace_needed": _r(p.pace_needed, 4),
        "pace_achieved": _r(p.pace_achieved, 4), "projected_year": p.projected_year, "aim": _r(p.aim),
        "series": [], "path": None, "notes": notes,
    }
    used = {f["year"]: f for f in series}
    if p.latest_year is not None and p.latest_year in used:
        f = used[p.latest_year]
        out["latest_ref"], out["latest_source"] = f["id"], source_key(f["place"], f["source_id"])
    if p.baseline_from == FROM_PLAN:
        out["base_ref"] = _measure_of(t["baseline_from"]) if t.get("baseline_from") else t["measure_id"]
    elif p.baseline_from == FROM_STATISTIC and p.baseline_year in used:
        out["base_ref"] = used[p.baseline_year]["id"]
    if p.comparable:
        out["series"] = [{"year": f["year"], "value": _r(f["indicator_value"] * factor), "as_written": f["as_written"],
                          "unit": f["unit"], "statistic": f["id"], "source": source_key(f["place"], f["source_id"]),
                          "as_of": f["as_of"]} for f in series]
    out["path"] = _path(goal, p)
    if p.baseline_from == FROM_PLAN and p.latest is not None and p.pace_achieved is not None:
        notes.append("起点是规划自己写的基期值, 最新值是统计值: 年均进度由二者合算, "
                     "规划未说明其基期值与统计值的口径是否一致")
    if any(f["as_of"] for f in series):
        notes.append("统计值含普查时点值(" + "、".join(f"{f['year']}年为{f['as_of']}" for f in series if f["as_of"])
                     + "), 非年末值")
    return out


def _scope_reason(tp: dict, place_names: dict[str, str]) -> str | None:
    """Why a division's statistic does not measure a target set for this scope."""
    places = "、".join(place_names.get(c, c) for c in (tp["places"] or "").split())
    if tp["part"]:
        return f"目标范围是{places}的{tp['part']}, 统计值是整个行政区的"
    if tp["place_class"]:
        return f"目标范围是一类地方({tp['place_class']}), 不是一个行政区"
    if tp["groups"]:
        return f"目标范围是{tp['groups']}, 统计值是单个行政区的"
    if tp["zones"]:
        return f"目标范围是{tp['zones']}(开发区、园区等), 不是行政区"
    if tp["unresolved"]:
        return f"目标范围({tp['unresolved']})未对应到地名表"
    if tp["whole"] and len((tp["places"] or "").split()) > 1:
        return f"目标范围含{len(tp['places'].split())}个地方({places}), 统计值各为一地"
    return None


def _measure_of(target_id: str) -> str:
    return target_id.rsplit(":t", 1)[0]


def _path(goal: Goal, p: Progress) -> list[dict] | None:
    """The straight path from the baseline to the target: two points (a
    yearly-growth target's: from the baseline at its pace)."""
    if not p.comparable or p.baseline is None or p.baseline_year is None or goal.year is None \
            or goal.year <= p.baseline_year:
        return None
    n = goal.year - p.baseline_year
    if goal.basis == "annual_growth":
        if goal.value is None:
            return None
        if goal.unit == "个百分点":
            end = p.baseline + goal.value * n
        else:
            end = p.baseline * (1 + goal.value / 100) ** n
    elif p.aim is None:
        return None
    else:
        end = p.aim
    return [{"year": p.baseline_year, "value": _r(p.baseline)}, {"year": goal.year, "value": _r(end)}]


# --------------------------------------------------------------------------- many targets

def judge_targets(conn: sqlite3.Connection, targets: list[dict], as_of: int | None = None) -> dict[str, dict]:
    """target id -> its progress fields, for targets as query.catalog lists
    them (commitments, which set no number and no year, are left out)."""
    rows = [t for t in targets if t.get("kind", "target") != "commitment"]
    tps = P.target_places(conn, [t["id"] for t in rows])
    units = dict(conn.execute("SELECT name, unit FROM indicators"))
    pairs = set()
    for t in rows:
        tp = tps.get(t["id"])
        places = (tp["places"] or "").split() if tp else []
        if tp and tp["whole"] and len(places) == 1:
            pairs.add((places[0], t["indicator"]))
    figures = _figures(conn, pairs)
    place_names = P.names_of(conn, {c for tp in tps.values() for c in (tp["places"] or "").split()})
    out = {}
    for t in rows:
        tp = tps.get(t["id"])
        places = (tp["places"] or "").split() if tp else []
        figs = figures.get((places[0], t["indicator"]), []) if len(places) == 1 else []
        out[t["id"]] = judge(t, tp, units.get(t["indicator"]), figs, as_of, place_names)
    return out


def progress(conn: sqlite3.Connection, *, plans: list[str] | None = None, indicators: list[str] | None = None,
             years: tuple[int, int] | None = None, scope: str | None = None, within: bool = False,
             verdicts: list[str] | None = None, as_of: int | None = None) -> dict:
    """Every target (not commitment) of the plans, indicators and years
    asked — by default of the indicators some statistic measures — set in
    for ``scope`` (a place, zone, group, part, class or level word; ``within``:
    or inside it — query/places.py ``scope_test``), with its
    progress; ``verdicts`` keeps only those.  Returns ``{"records",
    "sources", "scope", "indicators"}``: plan-then-catalogue order."""
    from chengzhen.query import catalog

    where = P.resolve_scope(conn, scope) if scope is not None else None
    inds = indicators if indicators is not None else statistic_indicators(conn)
    if not inds:
        return {"records": [], "sources": {}, "scope": where, "indicators": []}
    rows = catalog.list_targets(conn, plans=plans or None, years=years, indicators=inds, commitments=False)
    if where is not None:
        rows = P.scope_filter(conn, rows, where, within)
    judged = judge_targets(conn, rows, as_of)
    ids = sorted({t["plan"] for t in rows})
    order = {pid: o for i in range(0, len(ids), 900) for pid, o in conn.execute(
        f"SELECT id, ord FROM plans WHERE id IN ({','.join('?' * len(ids[i:i + 900]))})", ids[i:i + 900])}
    records = []
    for n, t in sorted(enumerate(rows), key=lambda nt: (order.get(nt[1]["plan"], 0), nt[0])):
        j = judged[t["id"]]
        if verdicts and j["verdict"] not in verdicts:
            continue
        records.append(_record(t, j))
    keys = {s["source"] for r in records for s in r["series"]}
    return {"records": records, "sources": sources(conn, keys), "scope": where, "indicators": inds}


# a record's keys: the target as the plan sets it, then its progress
COLUMNS = ["id", "plan", "plan_name", "indicator", "scope", "place", "place_name", "aspiration", "as_written",
           "qualifier", "value", "value_max", "unit", "comparator", "basis", "cumulative", "year", "year_implied",
           "baseline", "baseline_year", "baseline_as_written", "level_unit", "base", "base_year", "base_source",
           "base_ref", "latest", "latest_year", "latest_ref", "latest_source", "years_left",
           "pace_needed", "pace_achieved", "projected_year", "aim", "verdict", "status", "reason", "comparable",
           "measure_id", "line", "notes", "series", "path"]


def _record(t: dict, j: dict) -> dict:
    r = {k: t.get(k) for k in ("id", "plan", "plan_name", "indicator", "scope", "aspiration", "as_written",
                               "qualifier", "value", "value_max", "unit", "comparator", "basis", "cumulative",
                               "year", "year_implied", "baseline", "baseline_year", "baseline_as_written",
                               "measure_id", "line")}
    r.update(j)
    return {k: r.get(k) for k in COLUMNS}
