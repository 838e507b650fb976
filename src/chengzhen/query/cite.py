"""A citation for one measure or section: what a journalist or an analyst
pastes into a text — the plan's title, 文号, issuer and date, the number as
written, the source line, the quote.

The database holds the normalized text (simplified characters, recorded
repairs applied).  For a source that is not in simplified characters, or a
unit on a line with a recorded repair, the citation also gives the text as
the source writes it (``original``): its own script, with the pinyin glosses
the web copy injected removed and each repaired span marked ⟦…⟧ with the
damaged text it replaces listed in ``repairs``.  The caller passes the raw
source lines and the plan's recorded repairs (plain data: this layer reads
no files).  Fields the catalogue does not have stay null: nothing is made up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from chengzhen.errors import UsageError
from chengzhen.query.resolve import unknown
from chengzhen.text.pasted import strip_glosses

REPAIR_OPEN, REPAIR_CLOSE = "⟦", "⟧"


def cite_target(conn: sqlite3.Connection, ident: str) -> dict:
    """What a citation of ``ident`` is made of, before the source is read:
    the plan, the unit, its lines."""
    w = ident.strip()
    if not w:
        raise UsageError("empty id: give a measure id (qinghai/3.10), a section or annex id, or a plan")
    row = conn.execute(
        "SELECT 'measure', m.id, m.plan_id, m.number, m.title, m.text, m.line, m.line_end, m.path "
        "FROM measures m WHERE m.id = ? UNION ALL "
        "SELECT 'section', s.id, s.plan_id, s.number, s.title, s.title, s.line, s.line, '' "
        "FROM sections s WHERE s.id = ?", (w, w)).fetchone()
    if row is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM measures UNION ALL SELECT id FROM sections")]
        raise unknown("id", w, ids)
    kind, uid, pid, number, title, text, line, line_end, path = row
    plan = dict(zip(("id", "name", "name_as_written", "short_name", "issuer", "doc_number", "issue_date", "source",
                     "script"),
                    conn.execute("SELECT id, name, name_as_written, short_name, issuer, doc_number, issue_date, "
                                 "source, script FROM plans WHERE id = ?", (pid,)).fetchone()))
    restored = False
    if kind == "section":
        restored = bool(conn.execute("SELECT restored FROM sections WHERE id = ?", (uid,)).fetchone()[0])
    return {"kind": kind, "id": uid, "plan": plan, "number": number, "title": title, "quote": text,
            "line": line, "line_end": line_end, "path": path, "restored": restored}


def citation(target: dict, raw_lines: Sequence[str] | None, repairs: Sequence[tuple[int, str, str, str]] = ()) -> dict:
    """The citation record for a :func:`cite_target` result, given the raw
    source's lines (index 0 = line 1) and the plan's repairs as
    (line, damaged text, repaired text, reason)."""
    plan = target["plan"]
    lo, hi = target["line"], target["line_end"]
    on_lines = [r for r in repairs if lo <= r[0] <= hi]
    original = None
    if raw_lines is not None and (plan["script"] != "simplified" or on_lines):
        parts = []
        for n in range(lo, hi + 1):
            text = raw_lines[n - 1] if 0 < n <= len(raw_lines) else ""
            for rl, damaged, repaired, _reason in on_lines:
                if rl == n:
                    text = text.replace(damaged, f"{REPAIR_OPEN}{repaired}{REPAIR_CLOSE}", 1)
            parts.append(strip_glosses(text).strip())
        original = "\n".join(parts)
    rec = {
        "id": target["id"], "kind": target["kind"],
        "plan": plan["id"], "plan_title": plan["name"], "plan_title_as_written": bool(plan["name_as_written"]),
        "doc_number": plan["doc_number"], "issuer": plan["issuer"], "issue_date": plan["issue_date"],
        "number": target["number"], "title": target["title"], "path": target["path"] or None,
        "source_file": plan["source"], "line": lo, "line_end": hi,
        "quote": target["quote"], "script": plan["script"], "original": original,
        "repairs": [{"line": r[0], "damaged": r[1], "repaired": r[2], "reason": r[3]} for r in on_lines],
        "restored_heading": target["restored"],
    }
    rec["citation"] = citation_text(rec)
    return rec


def citation_text(rec: dict) -> str:
    """One copy-ready line: issuer《title》(文号, date), number title, source line: “quote”."""
    title = f"《{rec['plan_title']}》" + ("" if rec["plan_title_as_written"] else "(标题为编者所拟)")
    head = (rec["issuer"] or "") + title
    meta = [x for x in (rec["doc_number"], rec["issue_date"]) if x]
    if meta:
        head += "(" + ", ".join(meta) + ")"
    unit = f"{rec['number'] or ''}{rec['title'] or ''}".strip()
    where = f"第{rec['line']}行" + (f"—第{rec['line_end']}行" if rec["line_end"] != rec["line"] else "")
    parts = [head]
    if unit:
        parts.append(unit + ("(标题据目录补)" if rec["restored_heading"] else ""))
    parts.append(f"{rec['source_file']} {where}")
    return ", ".join(parts) + f": “{rec['quote']}”"


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
