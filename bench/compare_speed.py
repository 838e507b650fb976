"""`cz compare --topic 住房保障` of four plans at ×1 and ×N (bench/synth.py),
in one run: alternating rounds, the ratio the median of the paired ratios;
bound ×N / ×1 ≤ 2 (issue 20).  A comparison's cost must follow the plans
compared, not the corpus: the filtered-out carriers, the words' substring
checks and the task rows read only the compared plans.

    .venv/bin/python bench/compare_speed.py                 # ×1000 (builds what is missing)
    .venv/bin/python bench/compare_speed.py --scale 100 --reps 9

The corpora are bench/out/scale/x1 and x{N} (the ones bench/scale.py
writes); a corpus or database already there is reused (cz brings a stale
database up to date itself, outside the timed rounds).  The four plans are
the first four of each corpus's catalogue, which copy the shapes of the real
guizhou, qinghai, hunan and liupanshui.  Writes bench/out/compare_speed.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lib import OUT, PY, REPO, VENV_BIN, Cmd, alternate, paired_ratio, run_once, summary, table  # noqa: E402

CZ = str(VENV_BIN / "cz")
WORK = OUT / "scale"
TOPIC = "住房保障"
BOUND = 2.0
QUERIES = [
    (f"compare 4 plans --topic {TOPIC}", ["--topic", TOPIC]),
    ("compare 4 plans (whole plans)", []),
]


def _env(data: Path, db: Path) -> dict[str, str]:
    return {"CZ_DATA": str(data), "CZ_DB": str(db)}


def corpus(n: int) -> tuple[Path, Path, float]:
    data, db = WORK / f"x{n}", WORK / f"x{n}.db"
    if not (data / "plans").is_dir() or (data / "plans.yaml").exists():  # (a corpus of the old layout: anew)
        shutil.rmtree(data, ignore_errors=True)
        subprocess.run([PY, str(HERE / "synth.py"), "--scale", str(n), "--out", str(data)], check=True,
                       stdout=subprocess.DEVNULL)
    t = time.perf_counter()
    # a build when there is no database; otherwise cz's own freshness check (an update if stale)
    args = ["build", "--quiet"] if not db.exists() else ["plans", "--format", "json"]
    run = run_once(Cmd([CZ, *args], _env(data, db)), keep_output=True, timeout=3600, label=f"x{n}")
    if run.rc != 0:
        raise SystemExit(f"x{n}: {run.err.decode('utf-8', 'replace')[-500:]}")
    return data, db, time.perf_counter() - t


def first_plans(data: Path, n: int = 4) -> list[str]:
    sys.path.insert(0, str(REPO / "src"))
    from chengzhen.kb.loader import load_catalogue

    return [p.id for p in load_catalogue(data)[:n]]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=15)
    args = ap.parse_args(argv)
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "src" / "chengzhen")], check=True)
    base, big = corpus(1), corpus(args.scale)
    big_tag = f"x{args.scale}"
    cmds: dict[str, Cmd] = {}
    checks: dict[str, str] = {}
    for label, extra in QUERIES:
        for tag, (data, db, _t) in (("x1", base), (big_tag, big)):
            plans = first_plans(data)
            cmd = Cmd([CZ, "compare", *plans, *extra, "--format", "json"], _env(data, db), ok_codes=(0, 1))
            cmds[f"{label} @{tag}"] = cmd
            out = json.loads(run_once(cmd, keep_output=True).out)
            hidden = sum(len(r.get("filtered_out") or {}) for r in out["rows"])
            checks[f"{label} @{tag}"] = (f"{' '.join(plans)}: rows {len(out['rows'])}, filtered-out cells {hidden}, "
                                         f"measures {sum(out['counts'].values())}")
    res = alternate(cmds, args.reps, progress=f"compare x1 / {big_tag}")
    rows = []
    for label, _extra in QUERIES:
        a, b = res[f"{label} @{big_tag}"]["wall"], res[f"{label} @x1"]["wall"]
        r = paired_ratio(a, b)
        bounded = TOPIC in label
        rows.append({"query": label, "x1": summary(b), big_tag: summary(a), "ratio": r,
                     "check_x1": checks[f"{label} @x1"], f"check_{big_tag}": checks[f"{label} @{big_tag}"],
                     "bound": BOUND if bounded else None, "met": (r["ratio"] <= BOUND) if bounded else None})
    out = {"scale": args.scale, "reps": args.reps, "rows": rows,
           "prepare_seconds": {"x1": base[2], big_tag: big[2]}}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "compare_speed.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(["query", "x1", big_tag, f"{big_tag} / x1", "bound"],
                [[r["query"], f"{r['x1']['median'] * 1000:.0f} ms", f"{r[big_tag]['median'] * 1000:.0f} ms",
                  f"{r['ratio']['ratio']:.2f} [{r['ratio']['q1']:.2f}–{r['ratio']['q3']:.2f}]",
                  ("≤ 2: " + ("met" if r["met"] else "MISSED")) if r["bound"] else "—"] for r in rows],
                title=f"{args.reps} alternating rounds"))
    for name, c in checks.items():
        print(f"  {name}: {c}")
    return 0 if all(r["met"] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
