"""Compile the loaded knowledge base into one SQLite file, atomically.

The database is written to a temporary file beside the target and renamed
into place only when it is complete, so a failed or killed build never
touches the previous database.  A lock file serialises concurrent builds.

Tables: see docs/schema.md.  The build never imports the CLI.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from chengzhen import __version__
from chengzhen import model as m
from chengzhen.errors import CzError, DataError
from chengzhen.freshness import SCHEMA_VERSION, input_files, input_hash, stat_signature
from chengzhen.searchtext import KIND_BASE, charsplit, token_chars

# Which columns a stock client can full-text search (trigram, >= 3 characters),
# declared as data: table -> columns.
STOCK_FTS = {"measures": ["title", "text"]}

Progress = Callable[[str, int, "int | None"], None]


@contextlib.contextmanager
def build_lock(db: Path):
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.with_name(db.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _clean_litter(db: Path) -> None:
    """Remove temporary files left by builds that were killed."""
    for tmp in db.parent.glob(db.name + ".tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1].split(".")[0]
        alive = False
        if pid.isdigit():
            try:
                os.kill(int(pid), 0)
                alive = int(pid) != os.getpid()
            except ProcessLookupError:
                alive = False
            except PermissionError:
                alive = True
        if not alive:
            with contextlib.suppress(OSError):
                tmp.unlink()


def build(root: Path, db: Path, *, progress: Progress | None = None, only_if_stale: bool = False) -> dict | None:
    """Load, check and compile ``root`` into ``db``, one plan at a time (so
    memory stays flat however many plans there are).  Returns statistics.

    ``only_if_stale``: a query found the database out of date; if another
    process rebuilt it while this one waited for the lock, do nothing (None).
    """
    from chengzhen.loader import load_vocabularies

    started = time.perf_counter()
    if db.is_dir():
        raise CzError(f"database path {db} is a directory; set CZ_DB to a file")
    with build_lock(db):
        if only_if_stale:
            from chengzhen.db import state

            if state(db, root) == "fresh":
                return None
        _clean_litter(db)
        files = input_files(root)
        digest = input_hash(root, files)
        kb = load_vocabularies(root)
        tmp = db.with_name(f"{db.name}.tmp-{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        try:
            stats = _write(kb, tmp, progress)
            conn = sqlite3.connect(tmp)
            try:
                with conn:
                    conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", [
                        ("schema_version", str(SCHEMA_VERSION)),
                        ("input_hash", digest),
                        ("stat_signature", stat_signature(root, files)),
                        ("data_dir", str(root.resolve())),
                        ("built_at", time.strftime("%Y-%m-%dT%H:%M:%S%z")),
                        ("cz_version", __version__),
                        ("stats", json.dumps(stats, ensure_ascii=False)),
                    ])
                ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                conn.close()
            if ok != "ok":
                raise CzError(f"build produced a damaged database ({ok}); previous database kept")
            # a journal beside the old file means nothing for the new one (cz never
            # writes in place) and would make SQLite refuse to read it
            for suffix in ("-journal", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    db.with_name(db.name + suffix).unlink()
            os.replace(tmp, db)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return stats


def _check(kb: m.KnowledgeBase, plan: m.Plan) -> None:
    """Content errors (a quote not in its source, a value not in its quote)
    stop the build; coverage gaps are for `cz validate` to report."""
    from chengzhen.audit import audit_plan

    for p in audit_plan(kb, plan).problems:
        if p.severity == "error":
            raise DataError(p.file, p.file_line, p.code, f"{p.message} (source line {p.line})", p.item)


_SENT = re.compile(r"[^。;；!?！？\n]+[。;；!?！？]?")


class _Segmenter:
    """jieba, cached per sentence: recombined corpora repeat sentences."""

    def __init__(self):
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        # no HMM: new-word discovery is slow and the vocabularies already name
        # the terms that matter
        self._cut = lambda text: jieba.lcut(text, HMM=False)
        self._cache: dict[str, list[str]] = {}

    def words(self, text: str) -> list[str]:
        out: list[str] = []
        for sentence in _SENT.findall(text):
            got = self._cache.get(sentence)
            if got is None:
                got = [w for w in self._cut(sentence) if len(w) >= 2 and any("\u3400" <= c <= "\u9fff" for c in w)]
                if len(self._cache) < 500_000:
                    self._cache[sentence] = got
            out.extend(got)
        return out


def _write(kb: m.KnowledgeBase, path: Path, progress: Progress | None) -> dict:
    import sqlite_utils

    db = sqlite_utils.Database(str(path))
    db.conn.execute("PRAGMA journal_mode=OFF")
    db.conn.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")

    from chengzhen.loader import load_plan, unload_plan

    plans = list(kb.plans)
    total_measures = 0
    n_sections = 0

    db["plans"].create({
        "id": str, "name": str, "short_name": str, "region": str, "level": str, "issuer": str,
        "doc_number": str, "issue_date": str, "period_start": int, "period_end": int, "parent": str,
        "source": str, "seed": str, "script": str, "completeness": str, "name_as_written": int,
        "ord": int, "n_lines": int,
    }, pk="id")
    db["sections"].create({
        "id": str, "plan_id": str, "parent_id": str, "number": str, "title": str, "line": int,
        "restored": int, "depth": int, "ord": int,
    }, pk="id", foreign_keys=[("plan_id", "plans", "id")])
    db["measures"].create({
        "id": str, "plan_id": str, "section_id": str, "kind": str, "number": str, "title": str,
        "text": str, "line": int, "line_end": int, "departments_quote": str, "note": str,
        "path": str, "words": str, "ord": int,
    }, pk="id", foreign_keys=[("plan_id", "plans", "id"), ("section_id", "sections", "id")])
    db["targets"].create({
        "id": int, "measure_id": str, "plan_id": str, "indicator": str, "value": float,
        "value_max": float, "unit": str, "as_written": str, "qualifier": str, "comparator": str,
        "basis": str, "year": int, "year_implied": int, "baseline": float, "baseline_as_written": str,
        "baseline_year": int, "cumulative": int, "quote": str, "line": int, "note": str, "scope": str, "ord": int,
    }, pk="id", foreign_keys=[("measure_id", "measures", "id"), ("plan_id", "plans", "id")])
    db["topics"].create({"name": str, "parent": str, "ord": int}, pk="name")
    db["topic_names"].create({"name": str, "topic": str}, pk="name")
    db["measure_topics"].create({"measure_id": str, "topic": str, "position": int},
                                pk=("measure_id", "topic"))
    db["departments"].create({"name": str, "level": str}, pk="name")
    db["department_names"].create({"name": str, "department": str}, pk="name")
    db["measure_departments"].create({
        "measure_id": str, "plan_id": str, "department": str, "as_written": str, "position": int,
        "lead": int, "all_tasks": int,
    }, pk=("measure_id", "department"))
    db["indicators"].create({"name": str, "unit": str}, pk="name")
    db["indicator_names"].create({"name": str, "indicator": str}, pk="name")
    db["annex_rows"].create({
        "id": int, "annex_id": str, "plan_id": str, "annex_title": str, "group_name": str,
        "count_as_written": str, "number": str, "name": str, "line": int,
    }, pk="id")
    db["docs"].create({
        "rowid": int, "kind": str, "ref": str, "plan_id": str, "number": str, "title": str, "body": str,
        "line": int, "path": str, "ord": int,
    }, pk="rowid")
    db["vocab"].create({"word": str, "freq": int, "df": int, "pinyin": str, "initials": str}, pk="word")
    db["t2s"].create({"trad": str, "simp": str}, pk="trad")

    # vocabularies
    db["topics"].insert_all({"name": t.name, "parent": t.parent, "ord": t.order} for t in kb.topics)
    names: dict[str, str] = {}
    for t in kb.topics:
        names.setdefault(t.name, t.name)
        for s in t.synonyms:
            names.setdefault(s, t.name)
    db["topic_names"].insert_all({"name": k, "topic": v} for k, v in names.items())
    db["departments"].insert_all({"name": d.name, "level": d.level} for d in kb.departments)
    db["department_names"].insert_all({"name": k, "department": v} for k, v in kb.dept_by_name.items())
    db["indicators"].insert_all({"name": i.name, "unit": i.unit} for i in kb.indicators)
    ind_names: dict[str, str] = {}
    for i in kb.indicators:
        ind_names[i.name] = i.name
        for a in i.aliases:
            ind_names.setdefault(a, i.name)
    db["indicator_names"].insert_all({"name": k, "indicator": v} for k, v in ind_names.items())

    # the index our search uses: one token per character (see searchtext.py)
    db.execute(
        "CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    segmenter = _Segmenter()
    vocab: Counter[str] = Counter()
    df: Counter[str] = Counter()
    titles: Counter[str] = Counter()
    n_docs = 0
    kind_seq: Counter[str] = Counter()
    target_id = 0

    for order, plan in enumerate(plans):
        body = load_plan(kb, plan)
        _check(kb, plan)
        docs: list[dict] = []
        n_sections += len(body.sections)
        db["plans"].insert({
            "id": plan.id, "name": plan.name, "short_name": plan.short_name, "region": plan.region,
            "level": plan.level, "issuer": plan.issuer, "doc_number": plan.doc_number,
            "issue_date": plan.issue_date, "period_start": plan.period_start, "period_end": plan.period_end,
            "parent": plan.parent, "source": plan.source, "seed": plan.seed, "script": plan.script,
            "completeness": plan.completeness, "name_as_written": int(plan.name_as_written),
            "ord": order, "n_lines": len(kb.sources[plan.id]),
        })
        sections = {s.id: s for s in body.sections}
        db["sections"].insert_all(({
            "id": s.id, "plan_id": plan.id, "parent_id": s.parent, "number": s.number, "title": s.title,
            "line": s.line, "restored": int(s.restored), "depth": s.depth, "ord": s.order,
        } for s in body.sections), batch_size=500)
        for s in body.sections:
            docs.append({"kind": "section", "ref": s.id, "plan_id": plan.id, "number": s.number, "title": s.title,
                         "body": "", "line": s.line, "path": ""})

        def path_of(section_id):
            parts = []
            while section_id:
                s = sections[section_id]
                parts.append(s.title)
                section_id = s.parent
            return " › ".join(reversed(parts))

        measure_rows, topic_rows, dept_rows, target_rows = [], [], [], []
        all_tasks = body.all_tasks
        task_ids = set()
        if all_tasks:
            # the tasks the note covers: the numbered measures under the section holding its line
            owner = max((s for s in body.sections if s.line <= all_tasks.line and s.depth == 0),
                        key=lambda s: s.line, default=None)
            if owner:
                task_ids = {
                    meas.id for meas in body.measures
                    if meas.kind == "measure" and meas.section and _under(sections, meas.section, owner.id)
                }
        for meas in body.measures:
            words = segmenter.words((meas.title or "") + "。" + meas.text)
            vocab.update(words)
            df.update(set(words))
            measure_rows.append({
                "id": meas.id, "plan_id": plan.id, "section_id": meas.section, "kind": meas.kind,
                "number": meas.number, "title": meas.title, "text": meas.text, "line": meas.line,
                "line_end": meas.line_end, "departments_quote": meas.departments_quote,
                "note": meas.note, "path": path_of(meas.section), "words": " ".join(words),
                "ord": meas.order,
            })
            for pos, t in enumerate(dict.fromkeys(meas.topics)):
                topic_rows.append({"measure_id": meas.id, "topic": t, "position": pos})
            seen = set()
            for pos, d in enumerate(meas.departments):
                canon = kb.dept_by_name[d]
                if canon in seen:
                    continue
                seen.add(canon)
                dept_rows.append({"measure_id": meas.id, "plan_id": plan.id, "department": canon,
                                  "as_written": d, "position": pos, "lead": int(pos == 0), "all_tasks": 0})
            if meas.id in task_ids:
                for d in all_tasks.departments:
                    canon = kb.dept_by_name[d]
                    if canon not in seen:
                        seen.add(canon)
                        dept_rows.append({"measure_id": meas.id, "plan_id": plan.id, "department": canon,
                                          "as_written": d, "position": 1000, "lead": 0, "all_tasks": 1})
            for t in meas.targets:
                target_id += 1
                target_rows.append({
                    "id": target_id, "measure_id": meas.id, "plan_id": plan.id, "indicator": t.indicator,
                    "value": t.value, "value_max": t.value_max, "unit": t.unit, "as_written": t.as_written,
                    "qualifier": t.qualifier, "comparator": t.comparator, "basis": t.basis, "year": t.year,
                    "year_implied": int(t.year_implied), "baseline": t.baseline,
                    "baseline_as_written": None if t.baseline_as_written is None else str(t.baseline_as_written),
                    "baseline_year": t.baseline_year, "cumulative": int(t.cumulative), "quote": t.quote,
                    "line": t.line, "note": t.note, "scope": t.scope, "ord": target_id,
                })
                docs.append({"kind": "target", "ref": meas.id, "plan_id": plan.id, "number": meas.number,
                             "title": t.indicator, "body": t.quote, "line": t.line, "path": path_of(meas.section)})
            # a 专栏 box is known by its number: 专栏6 is searchable
            shown = " ".join(x for x in (meas.number, meas.title) if x) if meas.kind in ("box", "table") else (meas.title or "")
            docs.append({"kind": "measure", "ref": meas.id, "plan_id": plan.id, "number": meas.number,
                         "title": shown, "body": meas.text, "line": meas.line, "path": path_of(meas.section)})
            if meas.title and len(meas.title) <= 24:
                titles[meas.title] += 1
            total_measures += 1
        db["measures"].insert_all(measure_rows, batch_size=500)
        db["measure_topics"].insert_all(topic_rows, batch_size=1000)
        db["measure_departments"].insert_all(dept_rows, batch_size=1000)
        db["targets"].insert_all(target_rows, batch_size=1000)
        annex_rows = []
        for annex in body.annexes:
            for g in annex.groups:
                for it in g.items:
                    annex_rows.append({
                        "annex_id": annex.id, "plan_id": plan.id, "annex_title": annex.title,
                        "group_name": g.name, "count_as_written": g.count_as_written,
                        "number": it.number, "name": it.name, "line": it.line,
                    })
                    docs.append({"kind": "annex", "ref": annex.id, "plan_id": plan.id, "number": it.number,
                                 "title": it.name, "body": f"{g.name or ''} {it.name}".strip(), "line": it.line,
                                 "path": annex.title})
        if annex_rows:
            db["annex_rows"].insert_all(annex_rows)
        for d in docs:
            n_docs += 1
            kind_seq[d["kind"]] += 1
            d["ord"] = n_docs
            d["rowid"] = KIND_BASE[d["kind"]] + kind_seq[d["kind"]]
        db["docs"].insert_all(docs, batch_size=2000)
        db.conn.executemany(
            "INSERT INTO docs_fts(rowid, title, body) VALUES (?, ?, ?)",
            ((d["rowid"], *_indexed(d)) for d in docs),
        )
        unload_plan(kb, plan.id)
        if progress:
            progress("plans", order + 1, len(plans))
            progress("measures", total_measures, None)

    db.execute("INSERT INTO docs_fts(docs_fts) VALUES ('optimize')")

    # the index a stock client (sqlite3, sqlite-utils search, datasette) uses
    for table, columns in STOCK_FTS.items():
        db[table].enable_fts(columns, tokenize="trigram", create_triggers=False)
        db.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('optimize')")

    # vocabulary for "did you mean" and pinyin input
    for t in kb.topics:
        for name in (t.name, *t.synonyms):
            vocab[name] += 3
    for d in kb.departments:
        vocab[d.name] += 3
    for i in kb.indicators:
        vocab[i.name] += 3
    vocab.update(titles)
    from pypinyin import Style, lazy_pinyin

    vocab_rows = []
    for word, freq in vocab.items():
        if not token_chars(word):
            continue
        # pinyin for the words someone might type in pinyin: the vocabularies'
        # names and the corpus's recurring words (a rare word is not worth it)
        syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore") if freq >= 3 and len(word) <= 10 else []
        vocab_rows.append({
            "word": word, "freq": freq, "df": df.get(word, 0),
            "pinyin": "".join(syllables).lower() or None,
            "initials": "".join(s[0] for s in syllables if s).lower() or None,
        })
    db["vocab"].insert_all(vocab_rows, batch_size=2000)

    db["t2s"].insert_all(({"trad": a, "simp": b} for a, b in _t2s_chars()), batch_size=5000)

    # indexes for the query paths
    db["plans"].create_index(["short_name"])
    db["plans"].create_index(["region"])
    db["measures"].create_index(["plan_id", "ord"])
    db["sections"].create_index(["plan_id", "ord"])
    db["targets"].create_index(["year"])
    db["targets"].create_index(["plan_id"])
    db["targets"].create_index(["indicator"])
    db["targets"].create_index(["measure_id"])
    db["measure_topics"].create_index(["topic"])
    db["measure_departments"].create_index(["department"])
    db["measure_departments"].create_index(["plan_id"])
    db["docs"].create_index(["ref"])
    db["vocab"].create_index(["pinyin"])
    db["vocab"].create_index(["initials"])
    db["annex_rows"].create_index(["plan_id"])
    db.execute("ANALYZE")
    db.conn.commit()
    stats = {
        "plans": len(plans),
        "sections": n_sections,
        "measures": total_measures,
        "targets": target_id,
        "docs": n_docs,
        "measures_total": total_measures,
        "vocab": len(vocab_rows),
    }
    db.close()
    return stats


def _indexed(d: dict) -> tuple[str, str]:
    """What the search index holds for a docs row (title, body).  A target row
    is found by its indicator name; its quote is text of its measure, which is
    found there."""
    if d["kind"] == "target":
        return "", charsplit(d["title"], simplify=False)
    return charsplit(d["title"], simplify=False), charsplit(d["body"], simplify=False)


def _under(sections: dict, section_id: str, ancestor: str) -> bool:
    while section_id:
        if section_id == ancestor:
            return True
        section_id = sections[section_id].parent
    return False


def _t2s_chars():
    """Character-level traditional -> simplified pairs, so queries can fold
    traditional input without loading OpenCC."""
    from chengzhen.normalize import to_simplified

    chars = [chr(c) for c in range(0x3400, 0xA000)]
    block = "\n".join(chars)
    converted = to_simplified(block).split("\n")
    if len(converted) != len(chars):
        converted = [to_simplified(c) for c in chars]
    return [(a, b) for a, b in zip(chars, converted) if a != b and len(b) == 1]
