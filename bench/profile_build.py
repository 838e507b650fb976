"""Where a build's time goes: phase timers (low overhead) and, with
--cprofile, a cProfile listing.

    .venv/bin/python bench/profile_build.py                     # the real data
    .venv/bin/python bench/profile_build.py --data bench/out/scale/x10 --cprofile

Phase timers wrap the build's main steps in place (inclusive wall time and
call counts); a wrapped function that is missing in this version of the code
is skipped.  Output: a table on stdout and bench/out/profile-build-<label>.txt.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(REPO / "src"))

# (module, attribute path) of the steps to time; inclusive, so nested steps overlap
PHASES = [
    ("chengzhen.store.freshness", "file_sha"),
    ("chengzhen.kb.loader", "load_kb"),
    ("chengzhen.kb.loader", "load_plan"),
    ("chengzhen.kb.loader", "normalized_source"),
    ("chengzhen.kb.yamlio", "load_yaml"),
    ("chengzhen.store.build", "_plan_rows"),
    ("chengzhen.kb.audit", "audit_plan"),
    ("chengzhen.store.rows", "plan_rows"),
    ("chengzhen.text.segment", "Segmenter._tokenizer"),
    ("chengzhen.text.segment", "Segmenter.words"),
    ("chengzhen.store.build", "_insert_plan"),
    ("chengzhen.store.build", "_t2s_chars"),
    ("chengzhen.store.build", "vocab_row"),
    ("chengzhen.store.build", "_full"),
    ("chengzhen.store.build", "_update"),
    ("pypinyin", "lazy_pinyin"),
]


def _wrap(stats: dict, label: str, fn):
    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            s = stats.setdefault(label, [0.0, 0])
            s[0] += time.perf_counter() - t
            s[1] += 1
    timed.__wrapped__ = fn
    return timed


def install(stats: dict) -> list[str]:
    missing = []
    for mod_name, path in PHASES:
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            missing.append(f"{mod_name}.{path}")
            continue
        owner = mod
        parts = path.split(".")
        for p in parts[:-1]:
            owner = getattr(owner, p, None)
            if owner is None:
                break
        fn = getattr(owner, parts[-1], None) if owner is not None else None
        if fn is None:
            missing.append(f"{mod_name}.{path}")
            continue
        setattr(owner, parts[-1], _wrap(stats, f"{mod_name}.{path}", fn))
        # names imported with `from x import f` at module level
        for other in ("chengzhen.store.build", "chengzhen.kb.loader", "chengzhen.store.db"):
            m = sys.modules.get(other)
            if m is not None and len(parts) == 1 and getattr(m, parts[-1], None) is fn:
                setattr(m, parts[-1], getattr(owner, parts[-1]))
    return missing


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--label", default=None)
    ap.add_argument("--cprofile", action="store_true", help="also run under cProfile (slower; a separate build)")
    args = ap.parse_args(argv)
    label = args.label or ("real" if args.data.resolve() == (REPO / "data").resolve() else args.data.name)
    OUT.mkdir(exist_ok=True)
    db = OUT / f"profile-{label}.db"

    t0 = time.perf_counter()
    imports = {}
    for mod in ("chengzhen.store.build", "chengzhen.kb.loader", "chengzhen.kb.audit", "jieba", "pypinyin", "opencc"):
        t = time.perf_counter()
        importlib.import_module(mod)
        imports[mod] = time.perf_counter() - t
    stats: dict = {}
    missing = install(stats)
    from chengzhen.store.build import build

    t = time.perf_counter()
    info = build(args.data.resolve(), db, full=True)
    total = time.perf_counter() - t
    lines = [f"build of {args.data} ({info.get('plans')} plans, {info.get('measures')} measures): "
             f"{total:.2f} s, plus imports {sum(imports.values()):.2f} s",
             "imports (s): " + ", ".join(f"{k} {v:.3f}" for k, v in imports.items()),
             f"{'step (inclusive wall time)':<48} {'s':>8} {'share':>6} {'calls':>7}"]
    for name, (secs, calls) in sorted(stats.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"{name:<48} {secs:8.3f} {secs / total:6.0%} {calls:7d}")
    if missing:
        lines.append("not in this version: " + ", ".join(missing))
    if args.cprofile:
        import cProfile
        import io
        import pstats

        from chengzhen.store import build as b

        pr = cProfile.Profile()
        pr.enable()
        b.build(args.data.resolve(), db, full=True)
        pr.disable()
        s = io.StringIO()
        pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(25)
        lines.append("\ncProfile, by own time:\n" + s.getvalue())
    text = "\n".join(lines)
    print(text)
    (OUT / f"profile-build-{label}.txt").write_text(text + "\n", encoding="utf-8")
    for f in (db, db.with_name(db.name + ".lock")):
        f.unlink(missing_ok=True)
    print(f"(total with imports {time.perf_counter() - t0:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
