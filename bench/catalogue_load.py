"""Loading a ×N catalogue: one plan, one file against the single catalogue
file it replaced, timed in the same run.

    .venv/bin/python bench/catalogue_load.py --scale 1000 --baseline c4295b8

The baseline is the code of another commit (by default the last one before
one plan, one file), exported with `git archive` under bench/out/; each side
writes its own ×N corpus with its own bench/synth.py (the old side: one
plans.yaml of 5N entries; this side: 5N plan files whose catalogue entry is
their top), then both load their catalogue — ``kb.loader.load_kb`` (the
catalogue and the vocabularies: what a full build and `cz validate` read
before the plans) and ``load_catalogue`` alone — in fresh processes,
alternating rounds.  With ``--update``: one plan's file edited, then an
incremental update of each side's database (`build`; the old side reads
its catalogue cache, the new one the changed file's head).  Reported:
medians, the paired ratio new / old, peak memory; written to
bench/out/catalogue_load.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from lib import OUT, PY, REPO, Cmd, alternate, fmt_med, paired_ratio, table

DEFAULT_BASELINE = "c4295b8"  # main before one plan, one file

UPDATE = """
import sys
sys.path.insert(0, {src!r})
from pathlib import Path
from chengzhen.store.build import build
root, db = Path({data!r}), Path({db!r})
plan = root / "plans" / "p0002.yaml"
text = plan.read_text(encoding="utf-8")
edited = text + "# edited\\n" if not text.endswith("# edited\\n") else text[:-len("# edited\\n")]
plan.write_text(edited, encoding="utf-8")
got = build(root, db)
assert got["mode"] == "incremental" and got["changed"] == ["p0002"], got
"""

LOAD = """
import sys
sys.path.insert(0, {src!r})
from pathlib import Path
from chengzhen.kb import loader
root = Path({data!r})
got = loader.{fn}(root)
n = len(got.plans if hasattr(got, "plans") else got)
assert n == {n}, n
"""


def export(commit: str) -> Path:
    """The baseline's src/, bench/ and data/ under bench/out/ (once)."""
    dest = OUT / "catalogue-baseline" / commit
    if not (dest / "src").is_dir():
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src", "bench", "data"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def corpus(tree: Path, scale: int, out: Path) -> Path:
    """The ×scale corpus ``tree``'s synth.py writes (once)."""
    if not out.is_dir():
        subprocess.run([PY, str(tree / "bench" / "synth.py"), "--scale", str(scale), "--out", str(out),
                        "--data", str(tree / "data")], check=True, stdout=subprocess.DEVNULL,
                       env={"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin"})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1000)
    ap.add_argument("--baseline", default=DEFAULT_BASELINE, help="the commit to compare with")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--update", action="store_true",
                    help="also: one plan's file edited, then `build` (an incremental update), each side on its own "
                         "database (built once, minutes at ×1000)")
    args = ap.parse_args(argv)
    old = export(args.baseline)
    sides = {"old": old, "new": REPO}
    data = {name: corpus(tree, args.scale, OUT / "catalogue-load" / f"{name}-x{args.scale}")
            for name, tree in sides.items()}
    n = 5 * args.scale
    cmds = {}
    for fn in ("load_kb", "load_catalogue"):
        for name, tree in sides.items():
            cmds[f"{fn} {name}"] = Cmd([PY, "-c", LOAD.format(src=str(tree / "src"), data=str(data[name]), fn=fn, n=n)])
    kinds = ["load_kb", "load_catalogue"]
    if args.update:
        for name, tree in sides.items():
            db = OUT / "catalogue-load" / f"{name}-x{args.scale}.db"
            if not db.exists():
                print(f"  building the {name} ×{args.scale} database", file=sys.stderr)
                subprocess.run([PY, "-c", f"import sys; sys.path.insert(0, {str(tree / 'src')!r}); "
                                f"from pathlib import Path; from chengzhen.store.build import build; "
                                f"build(Path({str(data[name])!r}), Path({str(db)!r}))"], check=True)
            cmds[f"update {name}"] = Cmd([PY, "-c", UPDATE.format(src=str(tree / "src"), data=str(data[name]),
                                                                db=str(db))])
        kinds.append("update")
    res = alternate(cmds, args.reps, progress=f"catalogue ×{args.scale}")
    rows, out = [], {"scale": args.scale, "plans": n, "baseline": args.baseline, "reps": args.reps, "results": {}}
    for fn in kinds:
        a, b = res[f"{fn} new"], res[f"{fn} old"]
        ratio = paired_ratio(a["wall"], b["wall"])
        rows.append([fn, fmt_med(_s(b["wall"])), fmt_med(_s(a["wall"])),
                     f"{ratio['ratio']:.2f} [{ratio['q1']:.2f}–{ratio['q3']:.2f}]",
                     f"{_med(b['rss_kb']) / 1024:.0f} MB", f"{_med(a['rss_kb']) / 1024:.0f} MB"])
        out["results"][fn] = {"old": b, "new": a, "ratio_new_old": ratio}
    print(table(["what", f"old ({args.baseline})", "new", "new / old", "old peak", "new peak"], rows,
                f"loading the ×{args.scale} catalogue ({n} plans), {args.reps} alternating rounds"))
    (OUT / "catalogue_load.json").write_text(json.dumps(out, indent=1))
    return 0


def _s(xs):
    from lib import summary

    return summary(xs)


def _med(xs):
    return sorted(xs)[len(xs) // 2]


if __name__ == "__main__":
    sys.exit(main())
