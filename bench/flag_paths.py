"""How often each catalogue field is right, by the rule path that read it (ingest/flag_paths.py), and what
flagging the weak paths would catch on a set it was not calibrated on.

    .venv/bin/python bench/flag_paths.py               # field × path table over every set and the curated plans
    .venv/bin/python bench/flag_paths.py --loso        # leave one set out: calibrate on the others, score it
    .venv/bin/python bench/flag_paths.py --table       # the CALIBRATION dict to paste into ingest/flag_paths.py

Every gold text present in bench/unseen/ is drafted as bench/unseen_eval.py does — with the path flags
switched off (an empty calibration), so that "flagged" means flagged by the other checks — and each
catalogue field is recorded with its path, whether it is right (the gold's value or an accepted one) and
whether a flag points at it.  The five curated plans (data/sources/*, against data/plans/*.yaml) are a set
of their own, ``curated``: a path they read right counts as right.

Leave one set out: for each set, the paths are calibrated on every other set (and the curated plans), each
field of the held-out set read by a path that calibration calls weak and not flagged already gets a flag,
and the set's recall (wrong or missing catalogue fields flagged) and the added flags' precision (on a wrong
or missing field) are reported next to the figures without the path flags.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

import unseen_eval as U  # noqa: E402

from chengzhen.ingest import flag_paths as P  # noqa: E402
from chengzhen.ingest import flags as FL  # noqa: E402
from chengzhen.ingest.draft import make_draft  # noqa: E402


SETS_ALL: dict[str, dict[str, int]] = {}  # per set, every field and flag as drafted without the path flags


def _rows_unseen(data: Path) -> list[dict]:
    plans = [U.Plan(g) for g in sorted(U.GOLD.glob("*.yaml"))]
    plans = [p for p in plans if p.text.is_file()]
    for p in plans:
        p.draft(data)
        p.score()
    return rows_of(plans, data)


def rows_of(plans: list, data: Path) -> list[dict]:
    """One row per catalogue field of each drafted and scored plan: its set, path, and whether it is right."""
    rows = []
    SETS_ALL.clear()
    for p in plans:
        if p.d is None:
            continue
        paths = P.provenance(FL._evidence(p.d, data, None))
        stated_not = set(p.gold.get("stated_not") or [])
        tot = SETS_ALL.setdefault(p.set, {"bad": 0, "flagged": 0, "flags": 0, "real": 0})
        tot["bad"] += sum(1 for f in p.fields if f["outcome"] != "correct")
        tot["flagged"] += sum(1 for f in p.fields if f["outcome"].endswith("_flagged"))
        tot["flags"] += len(p.flags)
        tot["real"] += sum(1 for f in p.flags if f["verdict"] in ("problem", "source"))
        for f in p.fields:
            if not f["kind"].startswith("catalogue."):
                continue
            key = f["kind"].split(".", 1)[1]
            on = any(x["item"] == p.d.plan_id and re.match(rf"{key}\b", x["reason"]) for x in p.flags)
            rows.append({"set": p.set, "text": p.name, "field": key, "path": paths.get(key, "?"),
                         "ok": f["outcome"] == "correct", "flagged": "_flagged" in f["outcome"] or on,
                         "decision": key in stated_not})
    return rows


def _rows_curated(data: Path) -> list[dict]:
    rows = []
    for src in sorted((data / "sources").glob("*.txt")):
        gold_path = data / "plans" / f"{src.stem}.yaml"
        if not gold_path.is_file():
            continue
        gold = (yaml.safe_load(gold_path.read_text(encoding="utf-8")) or {}).get("plan") or {}
        d = make_draft(src, data, "x" + src.stem.replace("-", "_")[:20])
        paths = P.provenance(FL._evidence(d, data, None))
        e = d.entry
        flagged = {r.split(":", 1)[0] for _l, i, r in d.review if i == d.plan_id}
        for key in U.CATALOGUE:
            if key == "period":
                got, want = U.period_of(e), U.period_of(gold)
            elif key == "completeness":
                cut = re.compile(r"节选|摘录|中断|不完整")
                got, want = bool(cut.search(e.get(key) or "")), bool(cut.search(gold.get(key) or ""))
            elif key == "abridged":
                got, want = bool(e.get(key)), bool(gold.get(key))
            else:
                got, want = e.get(key), gold.get(key)
            ok = U.fold(got) == U.fold(want) if key not in ("completeness", "abridged") else got == want
            rows.append({"set": "curated", "text": src.stem, "field": key, "path": paths.get(key, "?"), "ok": ok,
                         "flagged": key in flagged, "decision": False})
    return rows


def collect() -> list[dict]:
    saved, defined = dict(P.CALIBRATION), set(P.DEFINED)
    P.CALIBRATION.clear()  # the other checks' flags only
    P.DEFINED.clear()
    try:
        with tempfile.TemporaryDirectory(prefix="cz-paths-") as tmp:
            data = Path(tmp) / "data"
            shutil.copytree(U.DATA, data, ignore=shutil.ignore_patterns("build"))
            return _rows_unseen(data) + _rows_curated(data)
    finally:
        P.CALIBRATION.update(saved)
        P.DEFINED.update(defined)


def calibrate(rows: list[dict]) -> dict[str, tuple[int, int]]:
    c: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        k = f"{r['field']}:{r['path']}"
        c[k][0] += 0 if r["ok"] else 1
        c[k][1] += 1
    return {k: (w, n) for k, (w, n) in sorted(c.items())}


def score(rows: list[dict], table: dict[str, tuple[int, int]]) -> dict:
    """Recall and the added flags' precision on ``rows`` when the paths ``table`` calls weak are flagged."""
    bad = [r for r in rows if not r["ok"]]
    before = sum(1 for r in bad if r["flagged"])
    added = [r for r in rows if not r["flagged"] and P.weak(f"{r['field']}:{r['path']}", table)]
    real = sum(1 for r in added if not r["ok"])
    decisions = sum(1 for r in added if r["ok"] and r["decision"])
    return {"fields": len(rows), "bad": len(bad), "flagged_before": before, "flagged_after": before + real,
            "added": len(added), "added_real": real, "added_decisions": decisions,
            "added_false": len(added) - real - decisions}


def _loso(rows: list[dict], label: str) -> None:
    print(f"\nleave one set out — {label}:\n")
    print("| held-out set | catalogue fields | wrong or missing | flagged before | flagged with paths calibrated "
          "on the others | flags added | on a wrong field | decisions | false alarms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    tot: dict[str, int] = defaultdict(int)
    for name in sorted({r["set"] for r in rows}, key=lambda s: (s in ("tuning", "curated"), len(s), s)):
        held = [r for r in rows if r["set"] == name]
        s = score(held, calibrate([r for r in rows if r["set"] != name]))
        for k, v in s.items():
            tot[k] += v

        def pct(a, b):
            return f"{a} ({100 * a / b:.1f} %)" if b else f"{a}"
        print(f"| {name} | {s['fields']} | {s['bad']} | {pct(s['flagged_before'], s['bad'])} | "
              f"{pct(s['flagged_after'], s['bad'])} | {s['added']} | {s['added_real']} | {s['added_decisions']} | "
              f"{s['added_false']} |")
    print(f"| **all** | {tot['fields']} | {tot['bad']} | {tot['flagged_before']} | {tot['flagged_after']} | "
          f"{tot['added']} | {tot['added_real']} | {tot['added_decisions']} | {tot['added_false']} |")


def _loso_all(rows: list[dict]) -> None:
    """Every field of each held-out set (targets, headings … too): its figures without the path flags, and with
    the path flags calibrated on the other sets (the rule as shipped) added — one flag a field they add."""
    print("\nleave one set out, every field of the set (the rule as shipped):\n")
    print("| held-out set | wrong or missing | flagged without path flags | with them | flags | on a real problem "
          "without | with |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in sorted(SETS_ALL, key=lambda s: (s == "tuning", len(s), s)):
        t = SETS_ALL[name]
        s = score([r for r in rows if r["set"] == name], calibrate([r for r in rows if r["set"] != name]))
        bad, was, now = t["bad"], t["flagged"], t["flagged"] + s["added_real"]
        flags, real = t["flags"], t["real"]

        def pct(a, b):
            return f"{a} ({100 * a / b:.1f} %)" if b else f"{a}"
        print(f"| {name} | {bad} | {pct(was, bad)} | {pct(now, bad)} | {flags} → {flags + s['added']} | "
              f"{pct(real, flags)} | {pct(real + s['added_real'], flags + s['added'])} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--loso", action="store_true", help="leave one set out")
    ap.add_argument("--table", action="store_true", help="print the calibration as a Python dict")
    args = ap.parse_args(argv)
    rows = collect()
    if not rows:
        print("flag_paths: no gold text in bench/unseen/ and no curated source: nothing to count")
        return 0
    table = calibrate(rows)
    if args.table:
        print("CALIBRATION: dict[str, tuple[int, int]] = {")
        for k, (w, n) in table.items():
            print(f"    {k!r}: ({w}, {n}),")
        print("}")
        return 0
    print("| field:path | drafted | wrong | wrong share | wrong, not flagged by other checks | weak |")
    print("| --- | --- | --- | --- | --- | --- |")
    for k, (w, n) in table.items():
        unflagged = sum(1 for r in rows if f"{r['field']}:{r['path']}" == k and not r["ok"] and not r["flagged"])
        print(f"| {k} | {n} | {w} | {100 * w / n:.0f} % | {unflagged} | {'yes' if P.weak(k, table) else ''} |")
    s = score(rows, table)
    print(f"\nall: {s['bad']} of {s['fields']} catalogue fields wrong or missing; flagged by the other checks "
          f"{s['flagged_before']}, with the weak paths {s['flagged_after']}; flags added {s['added']}: "
          f"{s['added_real']} on a wrong field, {s['added_decisions']} needed decisions, {s['added_false']} false alarms")
    if args.loso:
        variants = [("the paths' own counts only", set(), 2.0), ("… and a sparse path judged by its kind of text", set(), None),
                    ("… and the paths weak by definition (the rule as shipped)", None, None)]
        for label, defined, pool in variants:
            saved = (set(P.DEFINED), P.POOL_SHARE)
            P.DEFINED = saved[0] if defined is None else defined
            P.POOL_SHARE = saved[1] if pool is None else pool
            try:
                _loso(rows, label)
            finally:
                P.DEFINED, P.POOL_SHARE = saved
        _loso_all(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
