"""One-plan edits on a synthetic corpus: how long the next `cz search` takes.

    .venv/bin/python bench/edits.py --scale 100            # ×100 (500 plans)
    .venv/bin/python bench/edits.py --scale 1000 --rounds 3

A curator edits one plan (or adds or deletes one); the next query finds the
data changed and updates the database in place before answering
(store/build.py).  Five edits, each applied and then undone, so every round
starts from the same corpus:

* a measure's text and its source line (a sentence appended to both);
* a target's value (its value, as written, quote, measure text and source line);
* a 责任单位 list (the second department dropped from the list, the quote and the source);
* a new plan (a copy of the last plan under a new id);
* a deleted plan (the first plan, its catalogue entry and its files).

After each edit (and each undo) `cz search 老旧小区 --format json --limit 20` runs once,
timed; then the same search on the now up-to-date database, timed — the
baseline of the same round.  The database is checked after each step: an
incremental update, of exactly the plans the edit touched.  Figures: median
wall time of the searches after an edit (edits and undos), the median of the
per-round ratios to the baseline search, and the bound (≤ 3 s at ×1000,
≤ 0.5 s at ×100).

The corpus is bench/out/scale/x<N> (made with bench/synth.py if missing) and
its database x<N>.db (built if missing or stale); both are left as they were.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lib import OUT, VENV_BIN, Cmd, run_once, summary, table, verdict  # noqa: E402

SCALE_DIR = OUT / "scale"
QUERY = "老旧小区"
BOUNDS = {100: 0.5, 1000: 3.0}


def _j(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _read(p: Path) -> str:
    return p.read_text(encoding="utf-8")


def _write(p: Path, text: str) -> None:
    p.write_text(text, encoding="utf-8")


def _replace_once(text: str, old: str, new: str, what: str) -> str:
    if text.count(old) != 1:
        raise RuntimeError(f"{what}: {old[:40]!r} occurs {text.count(old)} times")
    return text.replace(old, new)


def _replace_on_line(path: Path, line: int, old: str, new: str) -> None:
    lines = _read(path).split("\n")
    lines[line - 1] = _replace_once(lines[line - 1], old, new, f"{path.name}:{line}")
    _write(path, "\n".join(lines))


def _load(root: Path, pid: str) -> dict:
    import yaml

    return yaml.safe_load(_read(root / "plans" / f"{pid}.yaml"))


def _measures(doc: dict):
    yield from doc.get("measures") or []
    stack = list(doc.get("sections") or [])
    while stack:
        s = stack.pop(0)
        yield from s.get("measures") or []
        stack[:0] = s.get("sections") or []


def _block(text: str, mid: str) -> tuple[int, int]:
    """The span of a measure's record in its YAML file (synth.py's layout)."""
    start = text.index(f"- id: {_j(mid)}\n")
    indent = text.rfind("\n", 0, start) + 1
    prefix = text[indent:start]
    m = re.compile(r"\n" + re.escape(prefix) + r"- |\n(?! {" + str(len(prefix) + 1) + r",})").search(text, start + 1)
    return start, (m.start() + 1 if m else len(text))


class Edit:
    """An edit and its undo: file contents before and after."""

    def __init__(self, name: str, expect: dict):
        self.name = name
        self.expect = expect  # {"changed": [...]} etc. after the edit
        self.files: dict[Path, tuple[str | None, str | None]] = {}  # path -> (before, after)

    def set(self, path: Path, after: str | None) -> None:
        before = _read(path) if path.exists() else None
        self.files[path] = (self.files.get(path, (before, None))[0], after)

    def _apply(self, which: int) -> None:
        for path, pair in self.files.items():
            text = pair[which]
            if text is None:
                path.unlink(missing_ok=True)
            else:
                _write(path, text)

    def apply(self) -> None:
        self._apply(1)

    def undo(self) -> None:
        self._apply(0)


def _pick(root: Path, pid: str, ok) -> dict:
    for m in _measures(_load(root, pid)):
        if "line_end" not in m and ok(m):
            return m
    raise RuntimeError(f"no measure in {pid} fits the edit")


def edit_text(root: Path, pid: str) -> Edit:
    m = _pick(root, pid, lambda m: m["kind"] == "measure" and not m.get("targets") and len(m["text"]) > 30)
    text2 = m["text"] + "稳步推进城镇老旧小区改造。"
    e = Edit("a measure text and its source line", {"changed": [pid]})
    y = root / "plans" / f"{pid}.yaml"
    src = root / "sources" / f"{pid}.txt"
    body = _read(y)
    e.set(y, _replace_once(body, f"text: {_j(m['text'])}\n", f"text: {_j(text2)}\n", m["id"]))
    lines = _read(src).split("\n")
    lines[m["line"] - 1] = _replace_once(lines[m["line"] - 1], m["text"], text2, f"{src.name}:{m['line']}")
    e.set(src, "\n".join(lines))
    return e


def edit_target(root: Path, pid: str) -> Edit:
    def fits(m):
        for t in m.get("targets") or []:
            v = t.get("value")
            if v is None or v != int(v) or t.get("line", m["line"]) != m["line"]:
                continue
            digits = str(int(v))
            if t["as_written"].count(digits) == 1 and t["quote"].count(t["as_written"]) == 1 \
                    and m["text"].count(t["quote"]) == 1:
                m["_t"] = t
                return True
        return False

    m = _pick(root, pid, fits)
    t = m["_t"]
    v = t["value"]
    aw2 = t["as_written"].replace(str(int(v)), str(int(v) + 1))
    quote2 = t["quote"].replace(t["as_written"], aw2)
    text2 = m["text"].replace(t["quote"], quote2)
    e = Edit("a target value", {"changed": [pid]})
    y = root / "plans" / f"{pid}.yaml"
    body = _read(y)
    a, b = _block(body, m["id"])
    rec = body[a:b]
    rec = _replace_once(rec, f"text: {_j(m['text'])}\n", f"text: {_j(text2)}\n", m["id"])
    q = rec.index(f"quote: {_j(t['quote'])}\n")
    tstart = rec.rfind("- indicator: ", 0, q)
    tgt = rec[tstart:q]
    tgt = _replace_once(tgt, f"as_written: {_j(t['as_written'])}\n", f"as_written: {_j(aw2)}\n", m["id"])
    tgt = re.sub(r"(\n\s*value: )[-0-9.e+]+\n", lambda mm: f"{mm.group(1)}{float(v) + 1!r}\n", tgt, count=1)
    rec = rec[:tstart] + tgt + rec[q:].replace(f"quote: {_j(t['quote'])}\n", f"quote: {_j(quote2)}\n", 1)
    e.set(y, body[:a] + rec + body[b:])
    src = root / "sources" / f"{pid}.txt"
    lines = _read(src).split("\n")
    lines[m["line"] - 1] = _replace_once(lines[m["line"] - 1], t["quote"], quote2, f"{src.name}:{m['line']}")
    e.set(src, "\n".join(lines))
    return e


def edit_departments(root: Path, pid: str) -> Edit:
    def fits(m):
        ds, q = m.get("departments") or [], m.get("departments_quote") or ""
        return len(ds) >= 3 and q.count("、" + ds[1]) == 1

    m = _pick(root, pid, fits)
    d = m["departments"][1]
    q2 = m["departments_quote"].replace("、" + d, "", 1)
    e = Edit("a 责任单位 list", {"changed": [pid]})
    y = root / "plans" / f"{pid}.yaml"
    body = _read(y)
    a, b = _block(body, m["id"])
    rec = _replace_once(body[a:b], f", {_j(d)}", "", m["id"])
    rec = _replace_once(rec, f"departments_quote: {_j(m['departments_quote'])}\n", f"departments_quote: {_j(q2)}\n",
                        m["id"])
    e.set(y, body[:a] + rec + body[b:])
    src = root / "sources" / f"{pid}.txt"
    lines = _read(src).split("\n")
    lines[m["line"] - 1] = _replace_once(lines[m["line"] - 1], m["departments_quote"], q2, f"{src.name}:{m['line']}")
    e.set(src, "\n".join(lines))
    return e


def edit_new_plan(root: Path, src_pid: str, new: str) -> Edit:
    """A copy of a plan under a new id: its own files only (one plan, one file)."""
    e = Edit("a new plan", {"added": [new]})
    body = _read(root / "plans" / f"{src_pid}.yaml")
    m = re.search(r'\n  short_name: "([^"]+)"', body)
    if not m:
        raise RuntimeError(f"no short_name in plans/{src_pid}.yaml")
    body = (body.replace(f'"{src_pid}/', f'"{new}/').replace(f"\n  id: {_j(src_pid)}\n", f"\n  id: {_j(new)}\n")
            .replace(f"sources/{src_pid}.txt", f"sources/{new}.txt")
            .replace(m.group(0), f'\n  short_name: "{m.group(1)}新"'))
    e.set(root / "plans" / f"{new}.yaml", body)
    e.set(root / "sources" / f"{new}.txt", _read(root / "sources" / f"{src_pid}.txt"))
    return e


def edit_delete_plan(root: Path, pid: str) -> Edit:
    e = Edit("a deleted plan", {"deleted": [pid]})
    e.set(root / "plans" / f"{pid}.yaml", None)
    e.set(root / "sources" / f"{pid}.txt", None)
    return e


def _first_fit(make, root: Path, ids: list[str], start: int) -> Edit:
    """The edit on the first plan from ``start`` on that has something to edit
    (the synthetic plans copy five templates; not every one has targets or
    责任单位 lists)."""
    for pid in ids[start:start + 10]:
        try:
            return make(root, pid)
        except RuntimeError:
            continue
    raise RuntimeError(f"no plan from {ids[start]} on fits {make.__name__}")


def edits(root: Path) -> list[Edit]:
    ids = sorted(p.stem for p in (root / "plans").glob("*.yaml"))  # the synthetic plans sort by id
    width = len(ids[0]) - 1
    middle = len(ids) // 2
    return [
        _first_fit(edit_text, root, ids, 1),
        _first_fit(edit_target, root, ids, 0),
        _first_fit(edit_departments, root, ids, middle),
        edit_new_plan(root, ids[-1], f"p{len(ids) + 1:0{width}d}"),
        edit_delete_plan(root, ids[2]),
    ]


# --------------------------------------------------------------------------- running

def _meta(db: Path) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    finally:
        conn.close()
    return {"mode": meta.get("build_mode"), "generation": int(meta.get("generation", 0)),
            **{k: v for k, v in json.loads(meta.get("stats", "{}")).items() if k in ("changed", "added", "deleted")}}


def _check(db: Path, before: dict, expect: dict, run, what: str) -> None:
    got = _meta(db)
    err = run.err.decode("utf-8", "replace").strip()
    if run.rc != 0 or err:
        raise RuntimeError(f"{what}: exit {run.rc}: {err[-400:]}")
    if got["generation"] != before["generation"] + 1 or got["mode"] != "incremental":
        raise RuntimeError(f"{what}: expected one incremental update, got {got} (before {before})")
    for k in ("changed", "added", "deleted"):
        if got.get(k, []) != expect.get(k, []):
            raise RuntimeError(f"{what}: {k} = {got.get(k)}, expected {expect.get(k, [])}")


def prepare(scale: int, timeout: float = 3600.0) -> tuple[Path, Path, dict]:
    """The corpus and an up-to-date database (generated and built if needed)."""
    import synth

    root, db = SCALE_DIR / f"x{scale}", SCALE_DIR / f"x{scale}.db"
    info = {}
    if not (root / "plans").is_dir() or (root / "plans.yaml").exists():  # (a corpus of the old layout: anew)
        print(f"  generating ×{scale}", file=sys.stderr)
        info["generate"] = synth.generate(scale, root)
    run = run_once(Cmd([str(VENV_BIN / "cz"), "build", "--quiet"], {"CZ_DATA": str(root), "CZ_DB": str(db)}),
                   keep_output=True, timeout=timeout, label=f"build ×{scale}")
    if run.rc != 0:
        raise RuntimeError(f"cz build ×{scale}: {run.err.decode('utf-8', 'replace')[-400:]}")
    info["build"] = {"wall_s": run.wall, "mode": _meta(db)["mode"]}
    return root, db, info


def run(scale: int, rounds: int) -> dict:
    root, db, info = prepare(scale)
    env = {"CZ_DATA": str(root), "CZ_DB": str(db)}
    search = Cmd([str(VENV_BIN / "cz"), "search", QUERY, "--format", "json", "--limit", "20"], env)
    todo = edits(root)
    res = {"scale": scale, "rounds": rounds, "query": QUERY, "prepare": info,
           "command": f"CZ_DATA={root} CZ_DB={db} cz search {QUERY} --format json --limit 20", "edits": {}}
    for e in todo:
        res["edits"][e.name] = {"after": [], "baseline": [], "ratio": [], "rss_kb": [], "cpu": []}
    try:
        for r in range(rounds):
            for e in todo:
                row = res["edits"][e.name]
                undo = {"changed": e.expect.get("changed", []), "added": e.expect.get("deleted", []),
                        "deleted": e.expect.get("added", [])}
                for step, expect in (("edit", e.expect), ("undo", undo)):
                    before = _meta(db)
                    (e.apply if step == "edit" else e.undo)()
                    after = run_once(search, keep_output=True)
                    _check(db, before, {k: v for k, v in expect.items() if v}, after, f"{e.name} ({step})")
                    base = run_once(search, keep_output=True)
                    if base.rc != 0:
                        raise RuntimeError(f"baseline search: exit {base.rc}")
                    row["after"].append(after.wall)
                    row["baseline"].append(base.wall)
                    row["ratio"].append(after.wall / base.wall)
                    row["rss_kb"].append(after.maxrss_kb)
                    row["cpu"].append(after.cpu)
                print(f"\r  ×{scale} edits: round {r + 1}/{rounds}, {e.name}" + " " * 20, end="", file=sys.stderr,
                      flush=True)
        print(file=sys.stderr)
    finally:
        for e in todo:  # leave the corpus as it was (the database follows at the next query)
            e.undo()
    bound = BOUNDS.get(scale)
    for name, row in res["edits"].items():
        row["after_s"] = summary(row["after"])
        row["baseline_s"] = summary(row["baseline"])
        row["ratio_s"] = summary(row["ratio"])
        row["rss_mb"] = summary(row["rss_kb"])["median"] / 1024
        row["bound_s"] = bound
        row["met"] = None if bound is None else row["after_s"]["median"] <= bound
    return res


def text(res: dict) -> str:
    rows = []
    for name, row in res["edits"].items():
        rows.append([name, f"{row['after_s']['median'] * 1000:.0f} ms (IQR {row['after_s']['iqr'] * 1000:.0f})",
                     f"{row['baseline_s']['median'] * 1000:.0f} ms",
                     f"{row['ratio_s']['median']:.2f} [{row['ratio_s']['q1']:.2f}–{row['ratio_s']['q3']:.2f}]",
                     f"{row['rss_mb']:.0f} MB",
                     "" if row["bound_s"] is None else f"≤ {row['bound_s']} s: {verdict(row['met'])}"])
    n = res["rounds"] * 2
    return table(["edit (then undone)", "next search", "search, up to date", "ratio", "peak RSS", "bound"], rows,
                 f"One-plan edits at ×{res['scale']}: the next `cz search {res['query']}` "
                 f"({n} samples per edit: {res['rounds']} edits + {res['rounds']} undos)")


def bounds(res: dict) -> list[dict]:
    out = []
    for name, row in res["edits"].items():
        if row["bound_s"] is not None:
            out.append({"what": f"×{res['scale']} {name}: next search ≤ {row['bound_s']} s",
                        "value": f"{row['after_s']['median']:.2f} s ({row['ratio_s']['median']:.1f}× the up-to-date search)",
                        "met": row["met"]})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    res = run(args.scale, args.rounds)
    print(text(res))
    (OUT / f"edits-x{args.scale}.json").write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
