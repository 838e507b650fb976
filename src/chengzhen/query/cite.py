"""A citation of any unit of any plan: what an analyst pastes into a report
— the plan as GB/T 7714 cites an official document (发文机关. 标题：文号
[EB/OL]. （发布日期）[引用日期]. URL.) and where in it the unit stands, its
章/节/条 path as the source numbers it.  How the parts are written is
:mod:`chengzhen.query.cite_style`; docs/citation.md says why.

Units, by id (what ``cz show ID --cite`` takes):

* a measure, paragraph, 专栏 box or table (``qinghai/6.28``, ``hunan/3.1.p1``,
  ``liupanshui/box6``) and a section (``liupanshui/3.2``); an unnumbered
  paragraph is cited by the headings above it;
* a target (``liupanshui/box6:t7``): its measure, and inside a 专栏 box the
  numbered item that holds it, inside a table its row — never lines;
* an annex (``hebei/annex``), one of its groups (``hebei/annex:g2``, the 2nd)
  or rows (``hebei/annex:r7``, seq 7);
* a national task or group (``national/1.4``): the national plan, the task's
  number; its title is a provincial restatement, so it stands in [ ];
* a plan (``qinghai``, ``青海``): the document alone.

Every part comes from the catalogue or the unit; a field the catalogue does
not have is left out (never invented); what the editors supplied stands in
square brackets.  No file path is part of a citation: the source file and
line stay in their own fields, for machines.

For a source not in simplified characters, or a unit on a line with a
recorded repair, the record also gives the text as the source writes it
(``original``): its own script, pinyin glosses removed, each repaired span
marked ⟦…⟧ with the damaged text in ``repairs``.  The caller passes the raw
source lines (plain data: this layer reads no files).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence

from chengzhen.errors import UsageError
from chengzhen.query import cite_style as S
from chengzhen.query.resolve import resolve_plans, unknown
from chengzhen.text.pasted import strip_glosses

REPAIR_OPEN, REPAIR_CLOSE = "⟦", "⟧"

# the citation record's fields, in order (JSON, the CLI's columns)
FIELDS = ["id", "kind", "unit_kind", "plan", "plan_title", "plan_title_as_written", "issuer", "doc_number",
          "issue_date", "url", "accessed", "number", "title", "path", "locator", "locator_short", "source_file",
          "line", "line_end", "quote", "script", "original", "repairs", "restored_heading", "reference", "short",
          "citation", "parts"]

TARGET_ID = re.compile(r"^(?P<unit>[^:]+):t(?P<n>\d+)$")
ANNEX_PART = re.compile(r"^(?P<annex>[^:]+):(?P<kind>[rg])(?P<n>\d+)$")
# a numbered item inside a 专栏 box: 1. 2．… at the start or after a space or 。
ITEM = re.compile(r"(?:^|(?<=[\s。；;|]))\d{1,3}[.．](?!\d)", re.M)
NOTICE = "/0.notice"  # the id of the notice that issues a plan (docs/data-format.md, Ids)
ITEM_TITLE_MAX = 24  # a lead phrase (棚户区改造。) is short; a sentence is not a title

# --------------------------------------------------------------------------- the catalogue


def recorded_repairs(conn: sqlite3.Connection, plan_id: str) -> list[tuple[int, str, str, str]]:
    """A plan's recorded repairs (line, damaged text, repaired text, reason)
    as the build that wrote this database read them (table ``repairs``): a
    reader of the file alone — the web server, serving a copy of one
    generation — cites with the repairs of that generation, not with
    whatever the plan's file says now."""
    return [tuple(r) for r in conn.execute(
        "SELECT line, source, repaired, reason FROM repairs WHERE plan_id = ? ORDER BY position", (plan_id,))]


def source_digest(conn: sqlite3.Connection, source: str) -> str | None:
    """The SHA-256 of a plan's source file (its path in the data directory)
    when this database was built: a raw copy read later is the one the
    rows were made from only if it hashes the same."""
    row = conn.execute("SELECT sha256 FROM inputs WHERE path = ?", (source,)).fetchone()
    return row[0] if row else None


def _row(conn: sqlite3.Connection, sql: str, args: tuple) -> dict | None:
    cur = conn.execute(sql, args)
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row is not None else None


def _plan(conn: sqlite3.Connection, pid: str) -> dict:
    """The plan as a citation names it, with the reference's parts."""
    p = _row(conn, "SELECT * FROM plans WHERE id = ?", (pid,))
    # the catalogue fields as the build stored them: the editors' supplied fields, the official URL and
    # the day it was read (when the plan's entry has them)
    supplied = set(json.loads(p["supplied"])) if p.get("supplied") else set()
    url, accessed = p.get("url"), p.get("accessed")
    plan = {k: p.get(k) for k in ("id", "name", "name_as_written", "short_name", "issuer", "doc_number",
                                    "issue_date", "source", "script")}
    plan.update(url=url, accessed=accessed)
    plan["parts"] = {
        "issuer": p["issuer"], "issuer_supplied": "issuer" in supplied,
        "title": p["name"], "title_supplied": not p["name_as_written"] or "name" in supplied,
        "doc_number": p["doc_number"], "doc_number_supplied": "doc_number" in supplied,
        "type": S.TYPE_CODE,
        "date": p["issue_date"], "date_supplied": "issue_date" in supplied,
        "accessed": accessed, "url": url,
    }
    return plan


def _national_plan(conn: sqlite3.Connection) -> dict:
    """The national plan (national.yaml), as the build stored it; an older
    database without it gives a reference with nothing known."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'national'").fetchone()
    n = json.loads(row[0]) if row else {}
    plan = {"id": n.get("id") or "national", "name": n.get("name"), "name_as_written": 1, "short_name": None,
            "issuer": n.get("issuer"), "doc_number": n.get("doc_number"), "issue_date": None, "source": None,
            "script": None, "url": None, "accessed": None}
    plan["parts"] = {"issuer": plan["issuer"], "title": plan["name"], "doc_number": plan["doc_number"],
                     "type": S.TYPE_CODE, "date": None, "accessed": None, "url": None}
    return plan


# --------------------------------------------------------------------------- the path

def _sections(conn: sqlite3.Connection, sid: str | None) -> list[dict]:
    """The headings from the outermost down to section ``sid``; a heading
    restored from the table of contents is marked supplied."""
    out: list[dict] = []
    seen: set[str] = set()
    while sid and sid not in seen:
        seen.add(sid)
        s = _row(conn, "SELECT id, parent_id, number, title, line, restored FROM sections WHERE id = ?", (sid,))
        if s is None:
            break
        out.append({"kind": "section", "id": s["id"], "number": s["number"], "title": s["title"], "line": s["line"],
                    "supplied": bool(s["restored"])})
        sid = s["parent_id"]
    return out[::-1]


def _measure_step(m: dict) -> dict | None:
    """A measure's own heading: its number and title (a lead phrase, quoted);
    a box's 专栏 number and title; none for an unnumbered paragraph."""
    if m["kind"] in ("box", "table"):
        return {"kind": "box", "id": m["id"], "number": m["number"], "title": m["title"], "line": m["line"],
                "supplied": not m["number"] and not m["title"]}
    if not m["number"] and not m["title"]:
        return None
    return {"kind": "measure", "id": m["id"], "number": m["number"], "title": m["title"], "line": m["line"],
            "quoted": not m["number"], "supplied": False}


def _text_line(m: dict, pos: int) -> int:
    """The source line of position ``pos`` of a box's text (its lines end
    at ``line_end``; a heading line before them is not part of the text)."""
    text = m["text"]
    return m["line_end"] - text.count("\n") + text[:pos].count("\n")


def box_item(text: str, quote: str) -> tuple[str, str | None, int] | None:
    """The numbered item of a 专栏 box's text that holds ``quote``: its
    number as written (``2.``), lead phrase (``老旧小区改造``) and position
    in the text, or None when the box numbers no items or the quote is not
    in exactly one."""
    spots = [m.start() for m in re.finditer(re.escape(quote), text)] if quote else []
    marks = [(m.start(), m.end()) for m in ITEM.finditer(text)]
    found = set()
    for pos in spots:
        before = [mk for mk in marks if mk[0] <= pos]
        found.add(before[-1] if before else None)
    if len(found) != 1 or None in found:
        return None
    start, end = found.pop()
    rest = text[end:].lstrip()
    lead = rest.split("。", 1)[0] if "。" in rest else ""
    ok = 0 < len(lead) <= ITEM_TITLE_MAX and not re.search(r"[,，;；:：]", lead) and not ITEM.search(lead)
    return text[start:end], (lead if ok else None), start


def table_row(text: str, quote: str) -> tuple[str | None, str, int] | None:
    """The row of a table flattened to one cell per line that ``quote``
    starts in: its 序号 (when the table has that column), first cell and
    position in the text."""
    pos = text.find(quote) if quote else -1
    if pos < 0 or text.find(quote, pos + 1) >= 0:
        return None
    cells = [c.strip().rstrip("|").strip() for c in text.split("\n")]
    j = text[:pos].count("\n")
    k = j - 1
    while k >= 0 and not cells[k]:
        k -= 1
    serial = cells[k] if k >= 0 and "序号" in cells[:j] and re.fullmatch(r"\d{1,3}", cells[k]) else None
    return serial, cells[j], pos


# --------------------------------------------------------------------------- units

def _unit(kind: str, uid: str, plan: dict, steps: list[dict], quote: str | None, line: int | None,
          line_end: int | None, *, unit_kind: str | None = None, path: str | None = None,
          restored: bool = False) -> dict:
    last = steps[-1] if steps else {}
    return {"kind": kind, "unit_kind": unit_kind or kind, "id": uid, "plan": plan, "steps": steps,
            "number": last.get("number"), "title": last.get("title"), "quote": quote, "line": line,
            "line_end": line_end if line_end is not None else line, "path": path or None, "restored": restored}


def _measure(conn, mid: str) -> tuple[dict, dict] | None:
    m = _row(conn, "SELECT id, plan_id, section_id, kind, number, title, text, line, line_end, "
                   "(SELECT s.path FROM sections s WHERE s.id = section_id) AS path FROM measures WHERE id = ?", (mid,))
    if m is None:
        return None
    steps = _sections(conn, m["section_id"])
    own = _measure_step(m)
    if own:
        steps.append(own)
    elif m["section_id"] is None and m["id"].endswith(NOTICE):
        # the covering 印发通知 (docs/data-format.md, Ids): the editors' label
        steps.append({"kind": "notice", "id": m["id"], "number": None, "title": "印发通知", "line": m["line"],
                      "supplied": True})
    plan = _plan(conn, m["plan_id"])
    return m, _unit("measure", m["id"], plan, steps, m["text"], m["line"], m["line_end"], unit_kind=m["kind"],
                    path=m["path"])


def _target(conn, w: str) -> dict | None:
    t = _row(conn, "SELECT id, measure_id, quote, line FROM targets WHERE id = ?", (w,))
    if t is None:
        return None
    m, unit = _measure(conn, t["measure_id"])
    steps = list(unit["steps"])
    if m["kind"] == "box" and (item := box_item(m["text"], t["quote"])):
        steps.append({"kind": "box_item", "number": item[0], "title": item[1], "line": _text_line(m, item[2]),
                      "supplied": False})
    elif m["kind"] == "table" and (row := table_row(m["text"], t["quote"])):
        steps.append({"kind": "table_row", "number": row[0], "title": row[1], "line": _text_line(m, row[2]),
                      "supplied": False})
    return _unit("target", t["id"], unit["plan"], steps, t["quote"], t["line"], t["line"], path=unit["path"])


def _section(conn, sid: str) -> dict | None:
    s = _row(conn, "SELECT id, plan_id, title, line, restored FROM sections WHERE id = ?", (sid,))
    if s is None:
        return None
    return _unit("section", s["id"], _plan(conn, s["plan_id"]), _sections(conn, s["id"]), s["title"], s["line"],
                 s["line"], restored=bool(s["restored"]))


def annex_groups(rows: list[dict]) -> list[list[dict]]:
    """An annex's rows (in seq order) in their groups: consecutive rows of
    one group name."""
    groups: list[list[dict]] = []
    for r in rows:
        if not groups or groups[-1][0]["group_name"] != r["group_name"]:
            groups.append([])
        groups[-1].append(r)
    return groups


def _annex(conn, w: str) -> dict | None:
    m = ANNEX_PART.match(w)
    aid = m.group("annex") if m else w
    cur = conn.execute("SELECT plan_id, annex_title, group_name, count_as_written, number, name, line, seq "
                       "FROM annex_rows WHERE annex_id = ? ORDER BY seq", (aid,))
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur]
    if not rows:
        return None
    plan = _plan(conn, rows[0]["plan_id"])
    steps = [{"kind": "annex", "id": aid, "number": None, "title": rows[0]["annex_title"], "line": None,
              "supplied": False}]
    first, last = rows[0]["line"], rows[-1]["line"]
    if m is None:
        return _unit("annex", aid, plan, steps, rows[0]["annex_title"], first, last)
    n = int(m.group("n"))
    groups = annex_groups(rows)
    if m.group("kind") == "g":
        if not 1 <= n <= len(groups):
            return None
        group, uid, kind = groups[n - 1], w, "annex_group"
        row = None
    else:
        row = next((r for r in rows if r["seq"] == n), None)
        if row is None:
            return None
        group, uid, kind = next(g for g in groups if row in g), w, "annex_row"
    g0 = group[0]
    gtitle = (g0["group_name"] or "") + (g0["count_as_written"] or "")
    if gtitle:
        steps.append({"kind": "annex_group", "number": None, "title": gtitle, "name": g0["group_name"],
                      "line": None, "supplied": False})
    if row is None:
        return _unit(kind, uid, plan, steps, gtitle or None, group[0]["line"], group[-1]["line"])
    steps.append({"kind": "annex_row", "number": row["number"], "title": row["name"], "line": row["line"],
                  "supplied": False})
    return _unit(kind, uid, plan, steps, row["name"], row["line"], row["line"])


def _national(conn, w: str) -> dict | None:
    task = _row(conn, "SELECT id, group_id, number, title FROM national_tasks WHERE id = ?", (w,))
    gid = task["group_id"] if task else w
    group = _row(conn, "SELECT id, number, title FROM national_groups WHERE id = ?", (gid,))
    if group is None:
        return None
    # the national text is not a source: the titles are provincial
    # restatements and the numbering the editors' reading — all supplied
    steps = [{"kind": "national_group", "id": group["id"], "number": group["number"], "title": group["title"],
              "line": None, "supplied": True}]
    if task:
        steps.append({"kind": "national_task", "id": task["id"], "number": task["number"], "title": task["title"],
                      "line": None, "supplied": True})
    kind = "national_task" if task else "national_group"
    return _unit(kind, w, _national_plan(conn), steps, None, None, None)


def _whole_plan(conn, w: str) -> dict | None:
    if conn.execute("SELECT 1 FROM plans WHERE id = ?", (w,)).fetchone():
        pid = w
    else:
        try:
            found = resolve_plans(conn, [w])
        except UsageError:
            return None
        if len(found) != 1:
            return None
        pid = found[0]
    return _unit("plan", pid, _plan(conn, pid), [], None, None, None)


def cite_target(conn: sqlite3.Connection, ident: str) -> dict:
    """The unit ``ident`` names, with what its citation is made of (the plan
    and its reference's parts, the path of headings, the quote, the lines),
    before the source is read."""
    w = ident.strip()
    if not w:
        raise UsageError("empty id: give a measure id (qinghai/3.10), a section or annex id, or a plan")
    if (got := _measure(conn, w)) is not None:
        return got[1]
    for resolve in (_section, _target_if_id, _annex, _national_if_id, _whole_plan_if_name):
        got = resolve(conn, w)
        if got is not None:
            return got
    from chengzhen.query.catalog import all_ids

    raise unknown("id", w, all_ids(conn))


def _target_if_id(conn, w):
    return _target(conn, w) if TARGET_ID.match(w) else None


def _national_if_id(conn, w):
    return _national(conn, w) if w.startswith("national/") else None


def _whole_plan_if_name(conn, w):
    return _whole_plan(conn, w) if "/" not in w and ":" not in w else None


# --------------------------------------------------------------------------- the record

def citation(target: dict, raw_lines: Sequence[str] | None, repairs: Sequence[tuple[int, str, str, str]] = (),
             *, dates: str = "zh") -> dict:
    """The citation record of a :func:`cite_target` unit, given the raw
    source's lines (index 0 = line 1; None: not available) and the plan's
    repairs as (line, damaged text, repaired text, reason).  ``dates``:
    ``zh`` (2024年12月14日) or ``iso`` (the standard's 2024-12-14)."""
    plan = target["plan"]
    lo, hi = target["line"], target["line_end"]
    on_lines = [r for r in repairs if lo is not None and lo <= r[0] <= hi]
    original = None
    if raw_lines is not None and lo is not None and (plan["script"] != "simplified" or on_lines):
        parts = []
        for n in range(lo, hi + 1):
            text = raw_lines[n - 1] if 0 < n <= len(raw_lines) else ""
            for rl, damaged, repaired, _reason in on_lines:
                if rl == n:
                    text = text.replace(damaged, f"{REPAIR_OPEN}{repaired}{REPAIR_CLOSE}", 1)
            parts.append(strip_glosses(text).strip())
        original = "\n".join(parts)
    ref_parts = dict(plan["parts"], steps=[dict(s) for s in target["steps"]])
    rec = {
        "id": target["id"], "kind": target["kind"], "unit_kind": target["unit_kind"],
        "plan": plan["id"], "plan_title": plan["name"], "plan_title_as_written": bool(plan["name_as_written"]),
        "issuer": plan["issuer"], "doc_number": plan["doc_number"], "issue_date": plan["issue_date"],
        "url": plan["url"], "accessed": plan["accessed"],
        "number": target["number"], "title": target["title"], "path": target["path"],
        "locator": S.locator(ref_parts["steps"]) or None, "locator_short": S.locator_short(ref_parts["steps"]) or None,
        "source_file": plan["source"], "line": lo, "line_end": hi,
        "quote": target["quote"], "script": plan["script"], "original": original,
        "repairs": [{"line": r[0], "damaged": r[1], "repaired": r[2], "reason": r[3]} for r in on_lines],
        "restored_heading": target["restored"],
        "reference": S.reference(ref_parts, dates) or None, "short": S.short(ref_parts),
        "citation": S.full(ref_parts, dates), "parts": ref_parts,
    }
    return rec


def citation_text(rec: dict, dates: str = "zh") -> str:
    """The full reference of a citation record, one copy-ready line."""
    return S.full(rec["parts"], dates)


def cite(conn: sqlite3.Connection, ident: str, raw_lines: Sequence[str] | None = None, *, dates: str = "zh") -> dict:
    """:func:`citation` of ``ident`` with the repairs the database recorded."""
    target = cite_target(conn, ident)
    pid = target["plan"]["id"]
    return citation(target, raw_lines, recorded_repairs(conn, pid) if target["plan"]["source"] else (), dates=dates)
