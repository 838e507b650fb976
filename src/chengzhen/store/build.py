"""Compile ``data/`` into the SQLite file: fully, or only what changed.

**Full build** — the database is written to a temporary file beside the
target and renamed into place only when complete: a failed or killed build
never touches the previous file, and a reader that has the old file open
keeps reading it.  Needed when there is no usable database, when the schema,
the build code or a vocabulary changed, or when asked (``cz build --full``).

**Incremental update** — otherwise.  Each plan's rows are a pure function of
its inputs (``store/rows.py``); the plans whose file (catalogue entry and
body) or source changed are loaded and checked first, then, in ONE SQLite transaction
on the file itself, the rows of changed and deleted plans are removed, the
new rows inserted, and the corpus statistics (``vocab``) adjusted by each
plan's contribution.  SQLite's rollback journal makes the transaction
atomic: a kill at any point leaves the previous state, restored by the next
command (``store/db.py``).  Updating in place rather than copying the file
keeps the cost proportional to the plans that changed: copying a 1 GB
database alone takes longer than the whole update (docs/performance.md).

Either way the result is the same database, row for row (tested:
tests/test_incremental.py).  A lock file serialises builds.  Nothing here
prints; progress goes to an optional callback.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from chengzhen import __version__
from chengzhen.errors import CzError, DataError
from chengzhen.kb import model as m
from chengzhen.kb.audit import audit_plan, catalogue_problems, evidence_problems
from chengzhen.kb.geo import checking_geo, place_problems
from chengzhen.kb.files import PLANS_DIR
from chengzhen.kb.loader import (label_for, load_entry, load_kb, load_plan, load_vocabularies, no_plans, order_of,
                                 sort_plans)
from chengzhen.kb.problems import DataProblems, Problem, Sink
from chengzhen.store import geo as geo_rows
from chengzhen.store import schema
from chengzhen.store.db import open_readonly, open_readwrite, read_meta, roll_back_interrupted
from chengzhen.store.freshness import (TEXT, check, code_hash, file_sha, folder_records, input_names, stat_signature,
                                       stats_of, vocabulary_names)
from chengzhen.store.lock import build_lock
from chengzhen.store.rows import (KINDS, PlanRows, plan_rowid_range, plan_rows, stored_entries,
                                  vocab_contribution)
from chengzhen.text.segment import Segmenter, backend, measure_text, segmenter, words_at
from chengzhen.text.tokens import token_chars

Progress = Callable[[str, int, "int | None"], None]

# a word gets pinyin (for pinyin input) when it recurs at least this often
PINYIN_MIN_FREQ = 3
PINYIN_MAX_LEN = 10
# each name of the vocabularies counts this much in the word statistics
VOCAB_NAME_WEIGHT = 3
# a full build's page size: rows of Chinese text (a measure is ~1 KB) pack better in 16 KB pages than in
# 4 KB (the database is ~5 % smaller; an update journals a few more bytes per page it touches)
PAGE_SIZE = 16384


class Inputs:
    """The input files now: their sizes and times, and their SHA-256 where
    needed (reused from the last build for files whose size and time did not
    change)."""

    def __init__(self, root: Path, known: dict[str, tuple[int, int, str]] | None = None):
        self.root = root
        self.folders = folder_records(root)  # each folder's stamp first, then its listing (store/freshness.py)
        self.names = input_names(root)
        self.stats = stats_of(root, self.names)
        self.signature = stat_signature(self.stats)
        self._known = known or {}
        self._sha: dict[str, str] = {}

    def sha(self, rel: str) -> str:
        got = self._sha.get(rel)
        if got is None:
            st = self.stats.get(rel)
            old = self._known.get(rel)
            if st is None:
                got = "missing"
            elif old and (old[0], old[1]) == st:
                got = old[2]
            else:
                got = file_sha(self.root / rel)
            self._sha[rel] = got
        return got

    def rows(self) -> list[dict]:
        return [{"path": rel, "size": st[0], "mtime_ns": st[1], "sha256": self.sha(rel)}
                for rel, st in self.stats.items() if st is not None]

    def unchanged(self, rel: str) -> bool:
        """The file has the size and time it had at the last build."""
        st, old = self.stats.get(rel), self._known.get(rel)
        return st is not None and old is not None and (old[0], old[1]) == st

    def changed_rows(self) -> list[dict]:
        return [r for r in self.rows() if self._known.get(r["path"]) != (r["size"], r["mtime_ns"], r["sha256"])]

    def vocab_hash(self) -> str:
        return hashlib.sha256("".join(f"{n}:{self.sha(n)}\n" for n in vocabulary_names(self.names)).encode()).hexdigest()


def plan_input_hash(plan: m.Plan, inputs: Inputs) -> str:
    """What a plan's rows are built from: its file (the catalogue entry and
    the body) and its source."""
    h = hashlib.sha256(f"{plan.id}\0{plan.source}\0".encode())
    h.update(inputs.sha(f"{PLANS_DIR}/{plan.id}.yaml").encode())
    h.update(inputs.sha(plan.source).encode())
    return h.hexdigest()


def _clean_litter(db: Path) -> None:
    """Remove temporary files left by full builds that were killed.  Called
    with the build lock held, so no live build of ``db`` owns one."""
    for tmp in db.parent.glob(db.name + ".tmp-*"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def build(root: Path, db: Path, *, full: bool = False, progress: Progress | None = None,
          only_if_stale: bool = False, jobs: int | None = None) -> dict | None:
    """Bring ``db`` up to date with ``root``: an incremental update when the
    database allows one, else a full build.  Returns statistics, or None
    when ``only_if_stale`` and another process already did the work.
    ``jobs``: worker processes for a full build (default: one per CPU for a
    large knowledge base, none for a small one; 1: none).  The workers are
    *spawned* (as on Windows): a script that calls this must keep its own
    top-level code under ``if __name__ == "__main__":``."""
    started = time.perf_counter()
    if db.is_dir():
        raise CzError(f"database path {db} is a directory; set CZ_DB to a file")
    with build_lock(db):
        _clean_litter(db)
        conn = None
        reason = "forced" if full else "missing"
        if db.exists():
            try:
                roll_back_interrupted(db, locked=True)
                conn = open_readonly(db, recover=False)
                reason = check(conn, root)
            except sqlite3.DatabaseError:
                reason = "damaged"
            finally:
                if conn is not None:
                    conn.close()
        if only_if_stale and reason == "fresh":
            return None
        stats = None
        if not full and reason in ("stale", "fresh"):
            stats = _update(root, db, progress)
        if stats is None:
            # every problem of every file the build reads is reported at once
            sink = Sink()
            kb = load_kb(root, sink)
            _catalogue_checks(kb, sink)
            if sink.problems and not kb.plans:
                _raise_problems(sink)
            stats = _full(root, db, kb, progress, _generation(db) + 1, jobs, sink)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return stats


def _generation(db: Path) -> int:
    """The generation of the database now at ``db`` (0 if there is none)."""
    try:
        conn = open_readonly(db, recover=False)
    except (sqlite3.DatabaseError, OSError, CzError):
        return 0
    try:
        return int(read_meta(conn).get("generation", 0))
    except (sqlite3.DatabaseError, ValueError):
        return 0
    finally:
        conn.close()


# --------------------------------------------------------------------------- loading and checking one plan

def _plan_rows(root: Path, vocab: m.Vocabularies, plan: m.Plan, seg: Segmenter, *, ord: int,
               input_hash: str, sink: Sink, geo=None) -> PlanRows | None:
    """A plan's rows, or None when it has errors (they go to ``sink``: the
    build goes on checking the other plans, then reports them all).  With
    ``geo`` (the place vocabulary), a region that names no place (E176) or a
    scope that reads as nothing (E177) is an error too: queries select by
    place, so a plan whose places do not read is not stored."""
    before = len(sink.problems)
    bundle = load_plan(root, plan, vocab, sink)
    if bundle is None:
        return None
    # content errors (a quote not in its source, a value not in its quote)
    # stop the build; coverage gaps are for `cz validate` to report, and are
    # counted in the problems the data has
    audit = audit_plan(bundle, vocab=vocab)
    places = place_problems(bundle, geo) if geo is not None else []
    if audit.errors or places or len(sink.problems) > before:
        sink.problems.extend(places + audit.problems)
        return None
    sink.coverage += len(audit.problems)
    return plan_rows(bundle, vocab, seg, ord=ord, input_hash=input_hash)


def _catalogue_checks(kb: m.KnowledgeBase, sink: Sink) -> None:
    """The checks across plans: errors stop the build; coverage problems (a
    vocabulary proposal not yet accepted) are for `cz validate`, counted."""
    for p in catalogue_problems(kb):
        if p.severity == "error":
            sink.problems.append(p)
        else:
            sink.coverage += 1


def _raise_problems(sink: Sink) -> None:
    if sink.problems:
        errors = [p for p in sink.problems if p.severity == "error"]
        raise DataProblems(errors, extra=len(sink.problems) - len(errors) + sink.coverage)


def _segmenter(vocab: m.Vocabularies) -> Segmenter:
    return segmenter(vocab.terms())


# --------------------------------------------------------------------------- writing

def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = schema.columns(table)
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [tuple(r.get(c) for c in cols) for r in rows],
    )


def _insert_plan(conn: sqlite3.Connection, rows: PlanRows) -> None:
    plan_id, packed, *_ = _pack(rows)
    _insert_packed(conn, plan_id, packed)


def _write_vocabularies(conn: sqlite3.Connection, vocab: m.Vocabularies) -> None:
    _insert(conn, "topics", [{"name": t.name, "parent": t.parent, "ord": t.order} for t in vocab.topics])
    _insert(conn, "topic_names", [{"name": k, "topic": v} for k, v in vocab.topic_by_name.items()])
    _insert(conn, "departments", [{"name": d.name, "level": d.level} for d in vocab.departments])
    _insert(conn, "department_names", [{"name": k, "department": v} for k, v in vocab.dept_by_name.items()])
    _insert(conn, "indicators", [{"name": i.name, "unit": i.unit} for i in vocab.indicators])
    _insert(conn, "indicator_names", [{"name": k, "indicator": v} for k, v in vocab.indicator_by_name.items()])
    if vocab.national:
        # the national plan's own reference (a national task's citation cites it)
        n = vocab.national
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('national', ?)",
                     (json.dumps({"id": n.id, "name": n.name, "doc_number": n.doc_number, "issuer": n.issuer},
                                 ensure_ascii=False),))
        _insert(conn, "national_groups", [{"id": g.id, "kind": g.kind, "number": g.number, "title": g.title,
                                           "evidence": g.evidence, "note": g.note, "ord": g.order}
                                          for g in vocab.national.groups])
        _insert(conn, "national_tasks", [{"id": t.id, "group_id": t.group, "number": t.number, "title": t.title,
                                          "evidence": t.evidence, "keywords": " ".join(t.keywords), "note": t.note,
                                          "ord": t.order} for t in vocab.national.tasks])


def _vocab_names(vocab: m.Vocabularies) -> Counter:
    """The vocabularies' own names, as words of the statistics."""
    out: Counter = Counter()
    for t in vocab.topics:
        for name in (t.name, *t.synonyms):
            out[name] += VOCAB_NAME_WEIGHT
    for d in vocab.departments:
        out[d.name] += VOCAB_NAME_WEIGHT
    for i in vocab.indicators:
        out[i.name] += VOCAB_NAME_WEIGHT
    return out


def vocab_row(word: str, freq: int, df: int) -> dict | None:
    """A row of ``vocab``; pinyin for the words someone might type in pinyin:
    the recurring ones (a rare word is not worth it)."""
    if not token_chars(word):
        return None
    syllables: list[str] = []
    if freq >= PINYIN_MIN_FREQ and len(word) <= PINYIN_MAX_LEN:
        from pypinyin import Style, lazy_pinyin

        syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
    return {"word": word, "freq": freq, "df": df,
            "pinyin": "".join(syllables).lower() or None,
            "initials": "".join(s[0] for s in syllables if s).lower() or None}


def _write_meta(conn: sqlite3.Connection, root: Path, inputs: Inputs, mode: str, stats: dict,
                generation: int) -> None:
    conn.execute("DELETE FROM inputs")
    _insert(conn, "inputs", inputs.rows())
    meta = {
        # one more with every build or update: a long-lived reader (the web
        # server) knows the file changed
        "generation": str(generation),
        "schema_hash": schema.declared_hash(),
        "code_hash": code_hash(),
        "vocab_hash": inputs.vocab_hash(),
        "data_dir": str(root.resolve()),
        "stat_signature": inputs.signature,
        TEXT: stat_signature(inputs.stats, TEXT),  # what a search compares (store/freshness.py)
        **inputs.folders,  # each input folder's stamp and names: a sweep need not list an unchanged one
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_mode": mode,
        "cz_version": __version__,
        "segmenter": backend(),
        "stats": json.dumps(stats, ensure_ascii=False),
    }
    conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", meta.items())


def _counts(conn: sqlite3.Connection) -> dict:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "plans": one("SELECT count(*) FROM plans"),
        "sections": one("SELECT count(*) FROM sections"),
        "measures": one("SELECT count(*) FROM measures"),
        "targets": one("SELECT count(*) FROM targets"),
        "docs": one("SELECT count(*) FROM docs"),
        "vocab": one("SELECT count(*) FROM vocab"),
    }


def _t2s_chars():
    """Character-level traditional -> simplified pairs, so queries can fold
    traditional input without loading OpenCC."""
    from chengzhen.text.normalize import to_simplified

    chars = [chr(c) for c in range(0x3400, 0xA000)]
    converted = to_simplified("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        converted = [to_simplified(c) for c in chars]
    return [{"trad": a, "simp": b} for a, b in zip(chars, converted) if a != b and len(b) == 1]


# --------------------------------------------------------------------------- full build

def _full(root: Path, db: Path, kb: m.KnowledgeBase, progress: Progress | None, generation: int,
          jobs: int | None = None, sink: Sink | None = None) -> dict:
    sink = sink if sink is not None else Sink()
    inputs = Inputs(root)
    hashes = [plan_input_hash(plan, inputs) for plan in kb.plans]
    geo = geo_rows.load_for_build(root, kb.vocab, sink)
    tmp = db.with_name(f"{db.name}.tmp-{os.getpid()}")
    packed_tmp = db.with_name(f"{db.name}.tmp-{os.getpid()}.packed")
    for f in (tmp, packed_tmp):
        with contextlib.suppress(FileNotFoundError):
            f.unlink()
    try:
        conn = open_readwrite(tmp, create=True)
        try:
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            tables_sql, index_statements = _schema_parts()
            conn.executescript(tables_sql)
            conn.execute("BEGIN")
            _write_vocabularies(conn, kb.vocab)
            freq: Counter = Counter()
            df: Counter = Counter()
            measures = 0
            # the workers (if any) live as long as the plans take: the steps
            # after them need memory of their own (pinyin, sorting, copying)
            with _producer(root, kb, hashes, jobs, sink, geo) as produce:
                for order, got in enumerate(produce()):
                    if got is None or any(p.severity == "error" for p in sink.problems):
                        continue  # keep checking: every plan's problems are reported at once
                    plan_id, packed, pfreq, pdf, n_measures = got
                    _insert_packed(conn, plan_id, packed)
                    freq.update(pfreq)
                    df.update(pdf)
                    measures += n_measures
                    if progress:
                        progress("plans", order + 1, len(kb.plans))
                        progress("measures", measures, None)
            _raise_problems(sink)
            geo_rows.write_all(conn, geo)
            freq.update(_vocab_names(kb.vocab))
            _insert(conn, "vocab", [r for w, f in freq.items() if (r := vocab_row(w, f, df.get(w, 0)))])
            del freq, df
            _insert(conn, "t2s", _t2s_chars())
            # the indexes once the rows are in: one sort each
            for stmt in index_statements:
                conn.execute(stmt)
            stats = _counts(conn)
            _write_meta(conn, root, inputs, "full", stats, generation)
            conn.execute("COMMIT")
            conn.execute("INSERT INTO docs_fts(docs_fts) VALUES ('optimize')")
            conn.execute("ANALYZE")
            # a packed copy: no pages freed by the merges above, every
            # b-tree written in order (~10 % smaller, a second or two at ×1000)
            conn.execute("VACUUM INTO ?", (str(packed_tmp),))
        finally:
            conn.close()
        tmp.unlink()
        conn = open_readwrite(packed_tmp)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
        if ok != "ok":
            raise CzError(f"build produced a damaged database ({ok}); previous database kept")
        # a journal beside the old file belongs to the old file, which is
        # being replaced whole: it must not be applied to the new one
        for suffix in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                db.with_name(db.name + suffix).unlink()
        _replace(packed_tmp, db)
    except BaseException:
        for f in (tmp, packed_tmp):
            with contextlib.suppress(FileNotFoundError):
                f.unlink()
        raise
    return {"mode": "full", **stats}


def _schema_parts() -> tuple[str, list[str]]:
    """schema.sql as (the tables, the index statements): a full build creates
    the indexes once the rows are in (the same declarations, so the same
    schema hash)."""
    tables: list[str] = []
    indexes: list[str] = []
    buf = ""
    for line in schema.schema_sql().splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            code = [ln for ln in buf.splitlines() if ln.strip() and not ln.lstrip().startswith("--")]
            (indexes if code and code[0].upper().startswith("CREATE INDEX") else tables).append(buf)
            buf = ""
    return "".join(tables) + buf, indexes


# --------------------------------------------------------------------------- producing plans' rows (in workers)

# a full build of at least this many plans runs the plans in worker processes
PARALLEL_MIN_PLANS = 40
# plans handed out ahead of the writer, per worker (bounds the rows held in memory)
AHEAD_PER_WORKER = 4

# (plan id, {table: [row tuples in column order]} with "docs_fts" entries, freq, df, number of measures)
Produced = tuple


def _pack(rows: PlanRows) -> Produced:
    """A plan's rows as tuples in the declared column order: what the writer
    inserts, and cheaper to send between processes than dicts."""
    packed = {t: [tuple(r.get(c) for c in schema.columns(t)) for r in table_rows]
              for t, table_rows in rows.tables.items()}
    packed["docs_fts"] = rows.fts
    return rows.plan_id, packed, rows.freq, rows.df, len(rows.tables.get("measures", ()))


def _insert_packed(conn: sqlite3.Connection, plan_id: str, packed: dict) -> None:
    def put(table: str) -> None:
        got = packed.get(table)
        if got:
            cols = ("rowid", "title", "body") if table == "docs_fts" else schema.columns(table)
            conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", got)

    try:
        put("plans")
    except sqlite3.IntegrityError as exc:
        raise CzError(f"plan {plan_id!r} cannot be stored ({exc}); rename the plan id") from None
    for table in packed:
        if table != "plans":
            put(table)


def _jobs(jobs: int | None, n_plans: int) -> int:
    if jobs is not None:
        return max(1, jobs)
    if n_plans < PARALLEL_MIN_PLANS:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


@contextlib.contextmanager
def _producer(root: Path, kb: m.KnowledgeBase, hashes: list[str], jobs: int | None, sink: Sink, geo=None):
    """Yields a function that yields every plan's packed rows in catalogue
    order: made here one by one, or by worker processes (spawned, as on
    Windows and macOS, so every platform runs the same way) while this
    process writes.  A plan that fails its checks yields None, its problems
    gone to ``sink``, in catalogue order, as a serial build would."""
    n = _jobs(jobs, len(kb.plans))
    if n == 1:
        def serial():
            seg = _segmenter(kb.vocab)
            for order, plan in enumerate(kb.plans):
                rows = _plan_rows(root, kb.vocab, plan, seg, ord=order, input_hash=hashes[order], sink=sink,
                                  geo=checking_geo(geo))
                yield None if rows is None else _pack(rows)
        yield serial
        return

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init,
                               initargs=(str(root), kb.vocab, os.getpid()))

    def parallel():
        pending: dict = {}
        ahead = n * AHEAD_PER_WORKER
        submitted = 0
        try:
            for order in range(len(kb.plans)):
                while submitted < len(kb.plans) and submitted < order + ahead:
                    pending[submitted] = pool.submit(_worker_plan, kb.plans[submitted], submitted, hashes[submitted])
                    submitted += 1
                status, payload, problems, coverage = pending.pop(order).result()
                sink.problems.extend(problems)
                sink.coverage += coverage
                yield payload if status == "ok" else None
        except BrokenProcessPool:
            raise CzError("a build worker process stopped unexpectedly (killed, or out of memory?); "
                          "previous database kept") from None

    try:
        yield parallel
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_WORKER: dict = {}


def _worker_init(root: str, vocab: m.Vocabularies, parent: int) -> None:
    import signal
    import threading

    # Ctrl-C is the writer's to handle: it stops the pool
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.update(root=Path(root), vocab=vocab, seg=_segmenter(vocab), geo=checking_geo(None, Path(root)))

    def orphaned():  # the writer was killed: stop too, do not linger
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=orphaned, daemon=True).start()


def _worker_plan(plan: m.Plan, order: int, input_hash: str):
    """(status, packed rows or None, the plan's problems, coverage problems counted)."""
    sink = Sink()
    try:
        rows = _plan_rows(_WORKER["root"], _WORKER["vocab"], plan, _WORKER["seg"], ord=order, input_hash=input_hash,
                          sink=sink, geo=_WORKER["geo"])
    except DataError as exc:
        sink.from_error(exc, plan.id)
        rows = None
    if rows is None:
        return ("problems", None, sink.problems, sink.coverage)
    return ("ok", _pack(rows), [], sink.coverage)


def _replace(tmp: Path, db: Path) -> None:
    """Rename ``tmp`` over ``db``; on Windows a reader holding ``db`` open
    makes the rename fail for a moment, so try again briefly."""
    for attempt in range(50):
        try:
            os.replace(tmp, db)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 49:
                raise
            time.sleep(0.1)


# --------------------------------------------------------------------------- incremental update

def _update(root: Path, db: Path, progress: Progress | None) -> dict | None:
    """Replace only the plans that changed, in place, in one transaction.
    None when the database cannot be updated (a full build is needed)."""
    conn = open_readwrite(db)
    try:
        meta = read_meta(conn)
        known = {p: (s, t, h) for p, s, t, h in conn.execute("SELECT path, size, mtime_ns, sha256 FROM inputs")}
        inputs = Inputs(root, known)
        if meta.get("vocab_hash") != inputs.vocab_hash():
            return None  # a vocabulary changed: every plan's rows may change
        old = {pid: (h, o, src) for pid, h, o, src in conn.execute("SELECT id, input_hash, ord, source FROM plans")}
        # load and check every changed plan before writing anything; every
        # problem of every changed plan is reported at once
        sink = Sink()
        ids = [n[len(PLANS_DIR) + 1:-5] for n in inputs.names if n.startswith(PLANS_DIR + "/")]
        no_plans(root, ids, sink)
        listing = sort_plans(ids, order_of(root, sink))
        ords = {pid: k for k, pid in enumerate(listing)}
        wanted: dict[str, tuple[str, int]] = {}
        entries: dict[str, m.Plan] = {}
        for pid in listing:
            was = old.get(pid)
            if was and inputs.unchanged(f"{PLANS_DIR}/{pid}.yaml") and inputs.unchanged(was[2]):
                wanted[pid] = (was[0], ords[pid])  # the file and its source as the last build read them
                continue
            plan = load_entry(root, pid, sink)
            if plan is not None:
                entries[pid] = plan
                wanted[pid] = (plan_input_hash(plan, inputs), ords[pid])
        changed = [pid for pid in wanted if pid in old and old[pid][0] != wanted[pid][0]]
        added = [pid for pid in wanted if pid not in old]
        deleted = [pid for pid in old if pid not in ords]
        statistics = geo_rows.statistics_changes(inputs.names, known, inputs.sha)
        vocab = load_vocabularies(root) if (changed or added or deleted or statistics) else None
        geo = geo_rows.load_for_build(root, vocab, sink, statistics) if (changed or added or statistics) else None
        if deleted and vocab.national is not None:
            sink.problems.extend(evidence_problems(set(wanted), vocab.national))
        seg = _segmenter(vocab) if (changed or added) else None
        new_rows = []
        for n, pid in enumerate(changed + added, start=1):
            cuts = _KnownCuts(seg, conn, pid) if pid in old else seg
            rows = _plan_rows(root, vocab, entries[pid], cuts, ord=wanted[pid][1], input_hash=wanted[pid][0], sink=sink,
                              geo=checking_geo(geo))
            if rows is not None:
                new_rows.append(rows)
            if progress:
                progress("plans", n, len(changed) + len(added))
        _raise_problems(sink)

        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA cache_size=-262144")  # 256 MB: no spill before commit
        conn.execute("BEGIN IMMEDIATE")
        try:
            delta_f: Counter = Counter()
            delta_df: Counter = Counter()
            for pid in deleted + changed:
                f, d = _delete_plan(conn, pid)
                delta_f.subtract(f)
                delta_df.subtract(d)
            for rows in new_rows:
                _insert_plan(conn, rows)
                delta_f.update(rows.freq)
                delta_df.update(rows.df)
            if geo is not None:  # the replaced plans' places and the changed statistics files
                geo_rows.write_plan_places(conn, geo, changed + added)
                geo_rows.delete_statistics(conn, statistics)
                geo_rows.write_statistics(conn, geo)
            moved = [(o, pid) for pid, (_h, o) in wanted.items() if pid in old and old[pid][1] != o]
            conn.executemany("UPDATE plans SET ord = ? WHERE id = ?", moved)
            _apply_vocab_delta(conn, delta_f, delta_df)
            stats = _counts(conn)
            stats.update({"changed": changed, "added": added, "deleted": deleted, "statistics": statistics})
            _write_meta(conn, root, inputs, "incremental", stats, int(meta.get("generation", 0)) + 1)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return {"mode": "incremental", **stats}


class _KnownCuts:
    """The segmenter, for a plan being replaced: a measure text the plan
    already had keeps the cuts stored with it (the same segmenter made them:
    the code hash says so), so an edit that changes no text — a target, a
    责任单位 list, a topic — never loads the segmenter."""

    def __init__(self, seg: Segmenter, conn: sqlite3.Connection, pid: str):
        self.seg = seg
        self.known = {measure_text(title, text): cuts for title, text, cuts in conn.execute(
            "SELECT title, text, cuts FROM measures WHERE plan_id = ?", (pid,))}

    def cuts(self, text: str) -> bytes:
        got = self.known.get(text)
        return self.seg.cuts(text) if got is None else got

    def words(self, text: str) -> list[str]:
        got = self.known.get(text)
        return self.seg.words(text) if got is None else words_at(text, got)


# per-plan tables keyed by a measure or target id and with no index on
# plan_id (schema.sql): one plan's rows are the keys of its measures or targets
_REACHED_THROUGH = {"measure_topics": ("measure_id", "measures"), "measure_tasks": ("measure_id", "measures"),
                    "target_places": ("target_id", "targets")}


def _delete_plan(conn: sqlite3.Connection, pid: str) -> tuple[Counter, Counter]:
    """Remove one plan's rows and index entries; return its contribution to
    the word statistics (read back from its stored rows)."""
    key = conn.execute("SELECT key FROM plans WHERE id = ?", (pid,)).fetchone()[0]
    freq, df = vocab_contribution([
        (title, words_at(measure_text(title, text), cuts))
        for title, text, cuts in conn.execute("SELECT title, text, cuts FROM measures WHERE plan_id = ?", (pid,))])
    # a contentless FTS5 row is deleted by giving back the tokens it holds
    for kind in KINDS:
        lo, hi = plan_rowid_range(kind, key)
        entries = stored_entries(conn, kind, lo, hi)
        conn.executemany("INSERT INTO docs_fts(docs_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)", entries)
        conn.execute("DELETE FROM docs WHERE rowid >= ? AND rowid < ?", (lo, hi))
    for table in schema.per_plan_tables():
        if table in _REACHED_THROUGH:  # no index on their plan_id: through the plan's measures or targets
            key, parent = _REACHED_THROUGH[table]
            conn.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM {parent} WHERE plan_id = ?)", (pid,))
    for table in schema.per_plan_tables():
        if table != "docs" and table not in _REACHED_THROUGH:
            conn.execute(f"DELETE FROM {table} WHERE plan_id = ?", (pid,))
    conn.execute("DELETE FROM plans WHERE id = ?", (pid,))
    return freq, df


def _apply_vocab_delta(conn: sqlite3.Connection, delta_f: Counter, delta_df: Counter) -> None:
    words = {w for w, n in delta_f.items() if n} | {w for w, n in delta_df.items() if n}
    for w in sorted(words):
        row = conn.execute("SELECT freq, df, pinyin, initials FROM vocab WHERE word = ?", (w,)).fetchone()
        freq = (row[0] if row else 0) + delta_f.get(w, 0)
        df = (row[1] if row else 0) + delta_df.get(w, 0)
        if row and freq > 0 and min(row[0], freq) >= PINYIN_MIN_FREQ:
            # recurring before and after: the pinyin it has is the pinyin it
            # gets (no need to load pypinyin for an edit)
            new = {"word": w, "freq": freq, "df": df, "pinyin": row[2], "initials": row[3]}
        else:
            new = vocab_row(w, freq, df) if freq > 0 else None
        if new is None:
            if row:
                conn.execute("DELETE FROM vocab WHERE word = ?", (w,))
        elif row:
            conn.execute("UPDATE vocab SET freq = ?, df = ?, pinyin = ?, initials = ? WHERE word = ?",
                         (new["freq"], new["df"], new["pinyin"], new["initials"], w))
        else:
            _insert(conn, "vocab", [new])


def plan_label(root: Path, rel: str) -> str:
    return label_for(root, rel)
