"""One plan's rows: a pure function of its bundle.

:func:`plan_rows` turns a loaded, checked plan into the rows of every
per-plan table and the entries of the search index, plus the plan's
contribution to the corpus statistics (word frequencies).  It reads nothing
else and depends on nothing that another plan holds, so a build can produce
plans in any order — or only the plans that changed — and write the same
rows.  The number of each search-index row is derived from the plan id, the
kind and the row's position in its plan (:func:`doc_rowid`).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from chengzhen.store.kinds import KEY_BITS, KIND_RANGES, KIND_SHIFT, KINDS, SEQ_BITS  # noqa: F401 (re-exported)
from chengzhen.text.segment import measure_text
from chengzhen.text.tokens import charsplit

if TYPE_CHECKING:  # annotations only: the query path imports this module without the YAML model or the segmenter
    from chengzhen.kb import model as m
    from chengzhen.text.segment import Segmenter

# a title is a word users may type whole (for "did you mean" and segmentation)
TITLE_WORD_MAX = 24


def plan_key(plan_id: str) -> int:
    """A number for the plan, from its id alone (so a plan's rowids do not
    depend on which other plans exist or in what order they were built)."""
    return int.from_bytes(hashlib.sha256(plan_id.encode()).digest()[:8], "big") & ((1 << KEY_BITS) - 1)


def doc_rowid(kind: str, key: int, seq: int) -> int:
    if not 0 < seq < (1 << SEQ_BITS):
        raise ValueError(f"more than {(1 << SEQ_BITS) - 1} {kind} rows in one plan")
    return (KINDS.index(kind) << KIND_SHIFT) | (key << SEQ_BITS) | seq


def plan_rowid_range(kind: str, key: int) -> tuple[int, int]:
    lo = (KINDS.index(kind) << KIND_SHIFT) | (key << SEQ_BITS)
    return lo, lo + (1 << SEQ_BITS)


def indexed(kind: str, title: str, body: str) -> tuple[str, str]:
    """What the search index holds for a unit: (title, body), as tokens
    (text/tokens.py).  A target is found by its indicator name (its quote is
    text of its measure, found there)."""
    if kind == "target":
        return "", charsplit(title, simplify=False)
    return charsplit(title, simplify=False), charsplit(body, simplify=False)


def measure_body(text: str, clause: str | None) -> str:
    """A measure's text as indexed and shown: its text, then its 责任单位
    clause as the source writes it after the text (words in the clause are
    found as the text's are)."""
    return text + clause if clause else text


def source_text(lines: list[str], numbers) -> str:
    """Source lines (1-based numbers) as one text, one line each."""
    return "\n".join(lines[n - 1].strip() for n in numbers if 1 <= n <= len(lines))


# every unit's (rowid, title, body) as indexed, read back from the stored rows:
# a contentless index entry is deleted by giving back exactly the tokens it holds
_STORED = {
    "measure": "SELECT d.rowid, d.title, m.text, m.departments_quote FROM docs d JOIN measures m ON m.id = d.ref "
               "WHERE d.rowid >= ? AND d.rowid < ?",
    "annex": "SELECT d.rowid, d.title, coalesce((SELECT x.heading FROM annexes x WHERE d.item IS NULL AND x.id = d.ref), "
             "(SELECT trim(coalesce(a.group_name, '') || ' ' || a.name) FROM annex_rows a "
             "WHERE a.annex_id = d.ref AND a.seq = CAST(d.item AS INTEGER)), ''), NULL "
             "FROM docs d WHERE d.rowid >= ? AND d.rowid < ?",
}


def stored_entries(conn, kind: str, lo: int, hi: int) -> list[tuple[int, str, str]]:
    """The index entries (rowid, title tokens, body tokens) of the units of
    ``kind`` with rowids in [lo, hi), from what the database stores."""
    sql = _STORED.get(kind, "SELECT d.rowid, d.title, '', NULL FROM docs d WHERE d.rowid >= ? AND d.rowid < ?")
    return [(rowid, *indexed(kind, title, measure_body(body or "", clause)))
            for rowid, title, body, clause in conn.execute(sql, (lo, hi))]


def shown_title(kind: str, number: str | None, title: str | None) -> str:
    """The title a measure is indexed and listed under: a 专栏 box is known by
    its number too (专栏6 is searchable)."""
    if kind in ("box", "table"):
        return " ".join(x for x in (number, title) if x)
    return title or ""


@dataclass
class PlanRows:
    plan_id: str
    tables: dict[str, list[dict]] = field(default_factory=dict)
    fts: list[tuple[int, str, str]] = field(default_factory=list)  # rowid, title tokens, body tokens
    freq: Counter = field(default_factory=Counter)  # word -> occurrences (and titles)
    df: Counter = field(default_factory=Counter)  # word -> measures containing it

    def add(self, table: str, row: dict) -> None:
        self.tables.setdefault(table, []).append(row)


def vocab_contribution(measures: list[tuple[str | None, list[str]]]) -> tuple[Counter, Counter]:
    """(freq, df) of a plan from its measures' (title, words) — the same
    whether the measures come from YAML or from the database."""
    freq: Counter = Counter()
    df: Counter = Counter()
    for title, ws in measures:
        freq.update(ws)
        df.update(set(ws))
        if title and len(title) <= TITLE_WORD_MAX:
            freq[title] += 1
    return freq, df


def plan_rows(bundle: m.PlanBundle, vocab: m.Vocabularies, segmenter: Segmenter,
              *, ord: int, input_hash: str) -> PlanRows:
    plan, body = bundle.plan, bundle.body
    out = PlanRows(plan.id)
    key = plan_key(plan.id)
    seq: Counter = Counter()
    dept_names = vocab.dept_by_name

    def doc(kind: str, ref: str, item: str | None, number: str | None, title: str, body_text: str, line):
        seq[kind] += 1
        rowid = doc_rowid(kind, key, seq[kind])
        out.add("docs", {"rowid": rowid, "ref": ref, "item": item, "plan_id": plan.id,
                         "number": number, "title": title, "line": line})
        out.fts.append((rowid, *indexed(kind, title, body_text)))

    out.add("plans", {
        "id": plan.id, "ord": ord, "key": key, "name": plan.name, "short_name": plan.short_name,
        "region": plan.region, "level": plan.level, "issuer": plan.issuer, "doc_number": plan.doc_number,
        "issue_date": plan.issue_date, "period_start": plan.period_start, "period_end": plan.period_end,
        "parent": plan.parent, "source": plan.source, "seed": plan.seed, "script": plan.script,
        "completeness": plan.completeness, "url": plan.url, "accessed": plan.accessed,
        "supplied": json.dumps(dict(plan.supplied), ensure_ascii=False) if plan.supplied else None,
        "name_as_written": int(plan.name_as_written),
        "abridged": int(plan.abridged), "n_lines": len(bundle.lines), "input_hash": input_hash,
    })
    for pos, r in enumerate(plan.repairs):
        out.add("repairs", {"plan_id": plan.id, "position": pos, "line": r.line, "source": r.source,
                            "repaired": r.repaired, "reason": r.reason})
    if plan.title_lines:
        # the plan's title as its source writes it (never an editor's name)
        doc("title", plan.id, None, None, source_text(bundle.lines, plan.title_lines).replace("\n", " "), "",
            min(plan.title_lines))
    retro = {s.id for s in body.sections if any(x.retrospective for x in body.section_path(s.id))}
    for s in body.sections:
        out.add("sections", {
            "id": s.id, "plan_id": plan.id, "parent_id": s.parent, "number": s.number, "title": s.title,
            "line": s.line, "restored": int(s.restored), "retrospective": int(s.id in retro), "note": s.note,
            "depth": s.depth, "ord": s.order, "path": " › ".join(x.title for x in body.section_path(s.id)),
        })
        doc("section", s.id, None, s.number, s.title, "", s.line)

    all_tasks = body.all_tasks
    covered = body.all_tasks_measures()
    measures_seen: list[tuple[str | None, list[str]]] = []
    groups: dict[tuple, str] = {}
    for meas in body.measures:
        # the measure's own docs row comes after its targets' (see doc() below)
        mdoc = doc_rowid("measure", key, seq["measure"] + 1)
        cut_text = measure_text(meas.title, meas.text)
        measures_seen.append((meas.title, segmenter.words(cut_text)))
        out.add("measures", {
            "id": meas.id, "plan_id": plan.id, "section_id": meas.section, "kind": meas.kind,
            "number": meas.number, "title": meas.title, "text": meas.text, "line": meas.line,
            "line_end": meas.line_end, "departments_quote": meas.departments_quote, "note": meas.note,
            "cuts": segmenter.cuts(cut_text), "ord": meas.order,
        })
        for pos, t in enumerate(dict.fromkeys(meas.topics)):
            out.add("measure_topics", {"measure_id": meas.id, "plan_id": plan.id, "topic": t, "position": pos,
                                       "doc": mdoc})
        for pos, t in enumerate(dict.fromkeys(meas.tasks)):
            out.add("measure_tasks", {"measure_id": meas.id, "plan_id": plan.id, "task_id": t, "position": pos,
                                      "doc": mdoc})
        seen: set[str] = set()
        written = meas.as_written()  # a joint entry's names keep the clause text they come from
        for pos, d in enumerate(meas.departments):
            canon = dept_names[d]
            if canon in seen:
                continue
            seen.add(canon)
            out.add("measure_departments", {
                "measure_id": meas.id, "plan_id": plan.id, "department": canon, "as_written": written.get(d, d),
                "position": pos, "lead": int(d in meas.lead), "all_tasks": 0, "doc": mdoc,
            })
        if meas.id in covered:
            all_written = all_tasks.as_written()
            for k, d in enumerate(all_tasks.departments):
                canon = dept_names[d]
                if canon not in seen:
                    seen.add(canon)
                    out.add("measure_departments", {
                        "measure_id": meas.id, "plan_id": plan.id, "department": canon,
                        "as_written": all_written.get(d, d), "position": 1000 + k, "lead": 0, "all_tasks": 1,
                        "doc": mdoc,
                    })
        for n, t in enumerate(meas.targets, start=1):
            tid = f"{meas.id}:t{n}"
            group = groups.setdefault(restatement_key(t), tid)
            out.add("targets", {
                "id": tid, "measure_id": meas.id, "plan_id": plan.id, "indicator": t.indicator,
                "value": t.value, "value_max": t.value_max, "unit": t.unit, "as_written": t.as_written,
                "qualifier": t.qualifier, "comparator": t.comparator, "basis": t.basis, "year": t.year,
                "year_implied": int(t.year_implied), "baseline": t.baseline,
                "baseline_as_written": None if t.baseline_as_written is None else str(t.baseline_as_written),
                "baseline_year": t.baseline_year, "cumulative": int(t.cumulative), "quote": t.quote,
                "line": t.line, "note": t.note, "scope": t.scope, "aspiration": t.aspiration,
                "kind": "commitment" if t.is_commitment else "target", "group_id": group,
                "ord": len(out.tables.get("targets", ())),
            })
            doc("target", meas.id, tid, meas.number, t.indicator, t.quote, t.line)
        doc("measure", meas.id, None, meas.number, shown_title(meas.kind, meas.number, meas.title),
            measure_body(meas.text, meas.departments_quote), meas.line)
    for annex in body.annexes:
        # the annex's headings (its title lines, 附件, a total as written, and
        # each group's heading line) as one unit, found by its title and text
        heading = source_text(bundle.lines, [*annex.lines, *(g.line for g in annex.groups)])
        out.add("annexes", {"id": annex.id, "plan_id": plan.id, "title": annex.title, "line": annex.line,
                            "line_end": annex.line_end, "heading": heading})
        doc("annex", annex.id, None, None, annex.title, heading, annex.line)
        n = 0
        for g in annex.groups:
            for it in g.items:
                n += 1
                out.add("annex_rows", {
                    "plan_id": plan.id, "annex_id": annex.id, "seq": n, "annex_title": annex.title,
                    "group_name": g.name, "count_as_written": g.count_as_written,
                    "number": it.number, "name": it.name, "line": it.line, "annex_note": annex.note,
                    "group_note": g.note,
                })
                doc("annex", annex.id, str(n), it.number, it.name, annex_body(g.name, it.name), it.line)
    out.freq, out.df = vocab_contribution(measures_seen)
    return out


def restatement_key(t: m.Target) -> tuple:
    """Targets of one plan with the same key restate one commitment (a 专栏
    repeating the text's figure): they share a group id, so a sum counts it once.
    The key is what the figure says — indicator, value, unit, basis and scope
    (a commitment without a value: its words) — whatever year or table states
    it (the text's 3.93万户 by 2023 and 专栏1's 2025 column [3.93] are one)."""
    return (t.indicator, t.value, t.value_max, t.unit, t.basis, t.scope, t.as_written if t.value is None else None)


def annex_body(group: str | None, name: str) -> str:
    return f"{group or ''} {name}".strip()
