"""A plan as a document: its source text line by line, as the database's
build normalised it (recorded repairs applied; a traditional source's web
glosses removed and its characters simplified), with every unit the
database holds placed on it — section headings, measures, targets, 责任单位
clauses, annex rows — and the repairs and removed glosses marked where
they were made.

Plain data, no HTML: :func:`document` returns blocks, each a source line
(or a 专栏's lines) with its marks as ``(start, end)`` offsets into the
line's text.  Nothing here writes a word the source does not hold, except
what it marks as supplied: a heading the body lacks (restored from the
table of contents) and an unnumbered box's label.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

# a numbered item of a 专栏 (1. 2. …) at the start or after a space or 。 (as query/cite.ITEM)
ITEM = re.compile(r"(?:^|(?<=[\s。；;|]))\d{1,3}[.．](?!\d)")
_CELL_END = re.compile(r"[\s|]+$")
_SERIAL = re.compile(r"\d{1,3}")


def _dicts(cur) -> list[dict]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


# --------------------------------------------------------------------------- what the database holds

def plan_units(conn: sqlite3.Connection, pid: str) -> dict:
    """Every unit of a plan with its place in the source: sections,
    measures (with their 责任单位 clause and names as written), targets,
    annex rows — each list in the plan's order."""
    q = conn.execute
    sections = _dicts(q("SELECT id, parent_id, number, title, line, restored, retrospective, depth FROM sections "
                        "WHERE plan_id = ? ORDER BY ord", (pid,)))
    measures = _dicts(q("SELECT id, section_id, kind, number, title, text, line, line_end, departments_quote "
                        "FROM measures WHERE plan_id = ? ORDER BY ord", (pid,)))
    targets = _dicts(q("SELECT id, measure_id, indicator, quote, line, as_written, year, year_implied, kind, scope, "
                       "aspiration FROM targets WHERE plan_id = ? ORDER BY ord", (pid,)))
    depts = _dicts(q("SELECT measure_id, department, as_written, position FROM measure_departments "
                     "WHERE plan_id = ? ORDER BY measure_id, position", (pid,)))
    annex = _dicts(q("SELECT annex_id, annex_title, group_name, count_as_written, number, name, line, seq "
                     "FROM annex_rows WHERE plan_id = ? ORDER BY annex_id, seq", (pid,)))
    by_measure: dict[str, list[dict]] = {}
    for d in depts:
        by_measure.setdefault(d["measure_id"], []).append(d)
    for m in measures:
        m["departments"] = by_measure.get(m["id"], [])
    return {"sections": sections, "measures": measures, "targets": targets, "annex": annex}


def neighbours(conn: sqlite3.Connection, mid: str) -> dict:
    """The units before and after a measure in its plan's order (上一条/下一条):
    ``{"previous": {id, number, title, text}|None, "next": …}``."""
    row = conn.execute("SELECT plan_id, ord FROM measures WHERE id = ?", (mid,)).fetchone()
    if row is None:
        return {"previous": None, "next": None}
    pid, ord_ = row
    cols = "id, kind, number, title, substr(text, 1, 60) AS text"
    prev = _dicts(conn.execute(f"SELECT {cols} FROM measures WHERE plan_id = ? AND ord < ? ORDER BY ord DESC LIMIT 1",
                               (pid, ord_)))
    nxt = _dicts(conn.execute(f"SELECT {cols} FROM measures WHERE plan_id = ? AND ord > ? ORDER BY ord LIMIT 1",
                              (pid, ord_)))
    return {"previous": prev[0] if prev else None, "next": nxt[0] if nxt else None}


# --------------------------------------------------------------------------- the text as the build normalised it

class _Repair:
    __slots__ = ("line", "source", "repaired")

    def __init__(self, line: int, source: str, repaired: str):
        self.line, self.source, self.repaired = line, source, repaired


def normalise(raw_lines: Sequence[str], script: str, repairs: Sequence[tuple]) -> tuple[list[str], list[dict]]:
    """The normalised lines (what the build checked every quote against:
    text/normalize.source_lines) and where each repair and removed gloss
    is in them: marks ``{"type": "repair"|"gloss", "line", "start", "end",
    "was", "reason"?}``.  ``repairs`` are (line, damaged, repaired, reason)."""
    from chengzhen.text.normalize import PINYIN_GLOSS, source_lines, strip_pinyin, to_simplified

    raw = "\n".join(raw_lines)
    lines = source_lines(raw, script, [_Repair(r[0], r[1], r[2]) for r in repairs])
    marks: list[dict] = []
    traditional = script == "traditional"
    for line_no, damaged, repaired, reason in repairs:
        if not 0 < line_no <= len(lines):
            continue
        shown = to_simplified(strip_pinyin(repaired)) if traditional else repaired
        at = lines[line_no - 1].find(shown)
        if at >= 0:
            marks.append({"type": "repair", "line": line_no, "start": at, "end": at + len(shown), "was": damaged,
                          "reason": reason})
    if traditional:
        by_line = {r[0]: r for r in repairs}
        for n, line in enumerate(raw_lines[:len(lines)], 1):
            line = line.rstrip("\r")
            if n in by_line:
                line = line.replace(by_line[n][1], by_line[n][2], 1)
            found = list(PINYIN_GLOSS.finditer(line))
            if not found:
                continue
            stripped = PINYIN_GLOSS.sub("", line)
            exact = len(lines[n - 1]) == len(stripped)  # t2s kept every position: each gloss placed on its character
            removed = 0
            for g in found:
                at = g.start() - removed
                removed += len(g.group())
                if exact and at > 0:
                    marks.append({"type": "gloss", "line": n, "start": at - 1, "end": at, "was": g.group()})
                elif not exact:
                    marks.append({"type": "gloss", "line": n, "start": 0, "end": len(lines[n - 1]), "was": g.group()})
    return lines, marks


# --------------------------------------------------------------------------- a 专栏 table flattened one cell a line

def cell_text(line: str) -> str:
    """A table cell as the source writes it, without the separators the
    copy left at the end of its line (``86左右 | |`` → ``86左右``)."""
    return _CELL_END.sub("", line.strip())


def flat_table(cells: Sequence[str], name_cells: Sequence[int]) -> dict | None:
    """A table the source flattened to one cell per line, read back as rows:
    the header runs to the columns' count, the 序号 column numbers the rows
    1, 2, 3 … (a cell before 序号's column that is not the next number is a
    group label spanning the rows below it), a trailing ``注`` is the note.
    ``name_cells`` are the cells where the data's targets quote a row (the
    cell after 序号): every one must be a row's — else None, and the cells
    are shown as the source lists them.

    Returns ``{"header": [i…], "rows": [{"group": i|None, "cells": [i…]}],
    "note": i|None}`` with indexes into ``cells``."""
    try:
        serial_col = list(cells).index("序号")
    except ValueError:
        return None
    first = next((i for i in range(serial_col + 1, len(cells)) if cells[i] == "1"), None)
    if first is None:
        return None
    width_head = first - serial_col  # the header's cells: what stands before the group labels of row 1
    if width_head <= serial_col + 1:
        return None
    width = width_head - serial_col  # a row: 序号 and the columns after it
    rows: list[dict] = []
    group = None
    note = None
    i = width_head
    expect = 1
    while i < len(cells):
        c = cells[i]
        if c == str(expect) and i + width <= len(cells):
            rows.append({"group": group, "cells": list(range(i, i + width))})
            group = None
            expect += 1
            i += width
        elif c.startswith("注") and note is None and rows:
            note = i
            i += 1
        elif serial_col > 0 and c and not _SERIAL.fullmatch(c) and note is None:
            group = i
            i += 1
        else:
            return None
    starts = {r["cells"][1] for r in rows if len(r["cells"]) > 1}
    if not rows or any(n not in starts for n in name_cells):
        return None
    return {"header": list(range(width_head)), "rows": rows, "note": note, "serial_col": serial_col}


# --------------------------------------------------------------------------- the document

def _find_in(doc: str, needle: str, lo: int, hi: int, prefer: int | None = None) -> int:
    """Where ``needle`` stands in ``doc[lo:hi]`` (from ``prefer`` when it is there), or -1."""
    if not needle:
        return -1
    if prefer is not None and lo <= prefer < hi:
        at = doc.find(needle, prefer, hi)
        if at >= 0:
            return at
    return doc.find(needle, lo, hi)


def document(lines: Sequence[str], units: dict) -> dict:
    """The plan's blocks in source order, each unit placed on its lines.

    A block is ``{"kind": "text"|"heading"|"supplied_heading"|"box"|"table",
    "line", …}``; a text block has ``text`` and ``marks``
    (``{"type", "start", "end", …}`` in the line's offsets: ``measure`` (id,
    first: the measure's first line), ``title`` (the measure's title or lead
    phrase, id), ``target`` (id, measure, indicator…), ``departments`` (the
    责任单位 clause, measure) and ``department`` (one name in it), ``repair``,
    ``gloss``, ``annex_row``, ``toc`` (a table-of-contents line of a heading
    the body lacks)).  A box or table holds its own lines."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    doc = "\n".join(lines)
    n_lines = len(lines)
    marks: dict[int, list[dict]] = {}

    def mark(start: int, end: int, **attrs) -> None:
        """A mark over doc[start:end], cut at line ends."""
        line = _line_of(starts, start)
        while start < end and line <= n_lines:
            stop = min(end, starts[line] - 1)
            if stop > start:
                marks.setdefault(line, []).append({**attrs, "start": start - starts[line - 1],
                                                   "end": stop - starts[line - 1]})
            attrs = {**attrs, "first": False} if "first" in attrs else attrs
            start = starts[line]
            line += 1

    targets_of: dict[str, list[dict]] = {}
    for t in units["targets"]:
        targets_of.setdefault(t["measure_id"], []).append(t)
    placed: dict[str, tuple[int, int]] = {}
    cursor: dict[int, int] = {}
    boxes: dict[int, dict] = {}  # first line -> the box measure
    for m in units["measures"]:
        lo, hi = m["line"], min(m["line_end"], n_lines)
        if not 0 < lo <= n_lines:
            continue
        if m["kind"] in ("box", "table"):
            boxes[lo] = m
        base = starts[lo - 1]
        end_of = starts[hi] - 1
        at = _find_in(doc, m["text"], max(base, cursor.get(lo, base)), end_of)
        if at < 0:  # the text is not where the database says: the lines as they are, the measure on them
            at, stop = base, end_of
        else:
            stop = at + len(m["text"])
        cursor[lo] = stop
        placed[m["id"]] = (at, stop)
        if m["kind"] not in ("box", "table"):
            mark(at, stop, type="measure", id=m["id"], first=True)
            title = m["title"]
            t_at = _find_in(doc, title, at, stop) if title else -1
            if t_at >= 0:
                mark(t_at, t_at + len(title), type="title", id=m["id"])
        for t in targets_of.get(m["id"], []):
            prefer = starts[t["line"] - 1] if 0 < t["line"] <= n_lines else None
            q_at = _find_in(doc, t["quote"], at, stop, prefer)
            if q_at >= 0:
                mark(q_at, q_at + len(t["quote"]), type="target", id=t["id"], measure=m["id"], first=True,
                     indicator=t["indicator"], as_written=t["as_written"], year=t["year"],
                     year_implied=bool(t["year_implied"]), kind=t["kind"], scope=t["scope"],
                     aspiration=t["aspiration"])
        clause = m["departments_quote"]
        c_at = _find_in(doc, clause, at, end_of) if clause else -1  # in the measure, or after it on its lines
        if c_at >= 0:
            mark(c_at, c_at + len(clause), type="departments", measure=m["id"])
            pos = c_at
            done: set[str] = set()
            for d in m["departments"]:
                if d["as_written"] in done:  # 各市州、县市区人民政府: one phrase, two departments; linked once
                    continue
                d_at = _find_in(doc, d["as_written"], pos, c_at + len(clause))
                if d_at < 0:
                    d_at = _find_in(doc, d["as_written"], c_at, c_at + len(clause))
                if d_at >= 0:
                    done.add(d["as_written"])
                    mark(d_at, d_at + len(d["as_written"]), type="department", name=d["department"],
                         measure=m["id"])
                    pos = d_at + len(d["as_written"])

    # headings: a section's line; a heading the body lacks goes before its first line of text
    sections = units["sections"]
    heading_at = {s["line"]: s for s in sections if not s["restored"]}
    first_line: dict[str, int] = {}
    parent = {s["id"]: s["parent_id"] for s in sections}
    for m in units["measures"]:
        sid = m["section_id"]
        while sid:
            first_line[sid] = min(first_line.get(sid, m["line"]), m["line"])
            sid = parent.get(sid)
    for s in sections:
        if not s["restored"]:
            sid = parent.get(s["id"])
            while sid:
                first_line[sid] = min(first_line.get(sid, s["line"]), s["line"])
                sid = parent.get(sid)
    supplied: dict[int, list[dict]] = {}
    for s in sections:
        if s["restored"]:
            if s["id"] in first_line:
                supplied.setdefault(first_line[s["id"]], []).append(s)
            if 0 < s["line"] <= n_lines and s["title"] in lines[s["line"] - 1]:
                marks.setdefault(s["line"], []).append({"type": "toc", "id": s["id"], "start": 0,
                                                        "end": len(lines[s["line"] - 1])})

    # annex: its title, its groups' lines, its rows
    annex_lines: dict[int, dict] = {}
    groups_seen: dict[str, int] = {}
    for r in units["annex"]:
        if 0 < r["line"] <= n_lines:
            text = lines[r["line"] - 1]
            at = text.find(r["name"])
            marks.setdefault(r["line"], []).append({"type": "annex_row", "id": f"{r['annex_id']}:r{r['seq']}",
                                                    "start": max(at, 0) if at >= 0 else 0, "end": len(text)})
        key = (r["annex_id"], r["group_name"])
        if r["group_name"] and key not in groups_seen:
            groups_seen[key] = len([k for k in groups_seen if k[0] == r["annex_id"]]) + 1
            g_line = r["line"] - 1
            if 0 < g_line <= n_lines and lines[g_line - 1].startswith(r["group_name"]):
                annex_lines[g_line] = {"kind": "annex_group", "id": f"{r['annex_id']}:g{groups_seen[key]}"}
    for aid, title, first in {(r["annex_id"], r["annex_title"], r["line"]) for r in units["annex"] if r["seq"] == 1}:
        for n in range(first - 1, 0, -1):
            if lines[n - 1].strip() == title:
                annex_lines[n] = {"kind": "annex", "id": aid}
                break

    blocks: list[dict] = []
    n = 1
    while n <= n_lines:
        for s in supplied.get(n, []):
            blocks.append({"kind": "supplied_heading", "line": n, "id": s["id"], "depth": s["depth"],
                           "number": s["number"], "title": s["title"]})
        if n in boxes:
            m = boxes[n]
            hi = min(m["line_end"], n_lines)
            blocks.append(_box(m, lines, n, hi, marks, units))
            n = hi + 1
            continue
        text = lines[n - 1]
        if n in heading_at:
            s = heading_at[n]
            blocks.append({"kind": "heading", "line": n, "id": s["id"], "depth": s["depth"], "text": text.strip(),
                           "number": s["number"], "title": s["title"], "retrospective": bool(s["retrospective"]),
                           "marks": sorted(marks.get(n, []), key=_mark_order)})
        elif text.strip():
            block = {"kind": "text", "line": n, "text": text, "marks": sorted(marks.get(n, []), key=_mark_order)}
            if n in annex_lines:
                block["role"] = annex_lines[n]["kind"]
                block["id"] = annex_lines[n]["id"]
            blocks.append(block)
        n += 1
    return {"blocks": blocks, "placed": {k: list(v) for k, v in placed.items()}}


def _mark_order(mk: dict) -> tuple:
    # outer marks first where they start together: a measure holds its title, a clause its names
    rank = {"measure": 0, "toc": 0, "annex_row": 0, "departments": 1, "title": 2, "target": 2, "department": 3,
            "repair": 4, "gloss": 5}
    return (mk["start"], rank.get(mk["type"], 9), -mk["end"])


def _line_of(starts: list[int], pos: int) -> int:
    import bisect

    return bisect.bisect_right(starts, pos)


def _box(m: dict, lines: Sequence[str], lo: int, hi: int, marks: dict, units: dict) -> dict:
    """A 专栏: its heading line (number and title, or none: ``[专栏]``),
    then its lines — as a table when it is one flattened (``flat_table``),
    else as text, a numbered item a paragraph."""
    text_first = m["line_end"] - m["text"].count("\n")
    heading = cell_text(lines[lo - 1]) if text_first > lo else ""
    body = list(range(max(text_first, lo), hi + 1))
    block = {"kind": "box", "line": lo, "line_end": hi, "id": m["id"], "unit_kind": m["kind"],
             "number": m["number"], "title": m["title"], "heading": heading, "heading_line": lo if heading else None,
             "heading_supplied": not heading}
    if m["kind"] == "table":
        cells = [cell_text(lines[n - 1]) for n in body]
        name_cells = []
        for t in units["targets"]:
            if t["measure_id"] == m["id"] and t["line"] in body:
                name_cells.append(body.index(t["line"]))
        grid = flat_table(cells, name_cells)
        if grid is not None:
            targets_at = {}
            for n in body:
                for mk in marks.get(n, []):
                    if mk["type"] == "target" and mk.get("first"):
                        targets_at.setdefault(n, []).append(mk)
            block["kind"] = "table"
            block["cells"] = [{"line": body[i], "text": cells[i]} for i in range(len(cells))]
            block["header"] = grid["header"]
            block["rows"] = [{"group": r["group"], "cells": r["cells"],
                              "targets": [mk for c in r["cells"] for mk in targets_at.get(body[c], [])]}
                             for r in grid["rows"]]
            block["note"] = grid["note"]
            return block
    items = []
    for n in body:
        text = lines[n - 1]
        if not text.strip() or cell_text(text) == "":
            continue
        end = len(text.rstrip(" \t|"))  # the copy's cell separator at the end is no part of the text
        cuts = [mt.start() for mt in ITEM.finditer(text) if mt.start() < end]
        if not cuts or cuts[0] != 0:
            cuts = [0] + cuts
        ranges = [(a, b) for a, b in zip(cuts, cuts[1:] + [end])]
        items.append({"line": n, "text": text, "items": [list(r) for r in ranges],
                      "marks": sorted(marks.get(n, []), key=_mark_order)})
    block["lines"] = items
    return block


def measure_heads(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, dict]:
    """Per measure id: its kind, number, title, the first 200 characters
    of its text and its lines — what a list of measures shows of each."""
    out: dict[str, dict] = {}
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in _dicts(conn.execute(
                "SELECT id, plan_id, kind, number, title, substr(text, 1, 200) AS text, line, line_end FROM measures "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)):
            out[r["id"]] = r
    return out
