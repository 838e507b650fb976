"""The search path's speed bounds (issue "Answers an analyst can trust"),
each a ratio or a rate measured in one run:

1. start-up: `cz search 老旧小区 --format json` against a hello-world Typer
   app of the same version (bench/hello_typer.py), alternating rounds;
   bound: median of the paired ratios ≤ 0.6 (issue 20);
2. `cz search --stdin` on the real data: 2 000 queries (90 % words of the
   corpus, 10 % strings of corpus characters that occur nowhere), one JSON
   envelope per line; bound ≥ 2 500 queries/s, start-up included (issue 20);
3. scale: the same searches on a synthetic corpus of ×1 and ×N the real
   plans (bench/synth.py), alternating; bound: ×N / ×1 ≤ 1.5 for
   `cz search 老旧小区` (the other queries are shown beside it).

    .venv/bin/python bench/search_speed.py                  # ×100 (default)
    .venv/bin/python bench/search_speed.py --scale 1000     # ×1000: the corpus build takes ~10 min
    .venv/bin/python bench/search_speed.py --skip-scale --reps 21

Both sides run from compiled bytecode (the script runs compileall over
src/ first, as an installed package has it), so PYTHONDONTWRITEBYTECODE in
the environment does not make cz compile its modules on every run while
Typer's are cached.  Writes bench/out/search_speed.json.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lib import (OUT, PY, REPO, VENV_BIN, Cmd, alternate, fmt_med, paired_ratio, query_mix, run_once,  # noqa: E402
                 summary, table, verdict)

CZ = str(VENV_BIN / "cz")
STARTUP_BOUND = 0.6  # cz search / hello-world Typer app
STDIN_BOUND = 2500   # queries per second
WORK = OUT / "search_speed"
QUERY = "老旧小区"
SCALE_QUERIES = [
    ("老旧小区", ["老旧小区"]),
    ("房", ["房"]),
    ("住房 保障", ["住房", "保障"]),
    ("随迁子女公办学校 (segmented)", ["随迁子女公办学校"]),
    ("老旧小去 (no hit: suggestions)", ["老旧小去"]),
    ("教育厅 (a department)", ["教育厅"]),
]


def _env(data: Path, db: Path) -> dict[str, str]:
    return {"CZ_DATA": str(data), "CZ_DB": str(db)}


def prepare_real() -> Path:
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "src" / "chengzhen")], check=True)
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / "real.db"
    run = run_once(Cmd([CZ, "build", "--quiet"], _env(REPO / "data", db)), keep_output=True)
    if run.rc != 0:
        raise SystemExit(f"cz build failed: {run.err.decode('utf-8', 'replace')}")
    return db


# --------------------------------------------------------------------------- 1. start-up

def startup(db: Path, reps: int) -> dict:
    cmds = {
        "cz search 老旧小区 --format json": Cmd([CZ, "search", QUERY, "--format", "json"], _env(REPO / "data", db)),
        "hello-typer search 老旧小区 --format json": Cmd([PY, str(HERE / "hello_typer.py"), "search", QUERY,
                                                         "--format", "json"]),
    }
    check = run_once(next(iter(cmds.values())), keep_output=True)
    got = json.loads(check.out)
    res = alternate(cmds, reps, progress="start-up")
    a, b = (res[n]["wall"] for n in cmds)
    r = paired_ratio(a, b)
    return {"reps": reps, "check": f"{got['total']} hits, mode {got['mode']}",
            "rows": {n: summary(res[n]["wall"]) for n in cmds}, "ratio": r, "bound": STARTUP_BOUND, "met": r["ratio"] <= STARTUP_BOUND}


# --------------------------------------------------------------------------- 2. --stdin

def queries(db: Path) -> list[str]:
    hits, misses = query_mix(db)
    mix = hits + misses
    random.Random(3).shuffle(mix)
    return mix


def stdin_rate(db: Path, reps: int) -> dict:
    mix = queries(db)
    feed = ("\n".join(mix) + "\n").encode()
    env = _env(REPO / "data", db)
    cmds = {
        "cz search --stdin (2000, 10 % misses)": Cmd([CZ, "search", "--stdin"], env, stdin=feed),
        "cz search --stdin, empty input": Cmd([CZ, "search", "--stdin"], env, stdin=b"", ok_codes=(0, 1)),
    }
    check = run_once(next(iter(cmds.values())), keep_output=True)
    lines = check.out.decode().splitlines()
    modes: dict[str, int] = {}
    for line in lines:
        m = json.loads(line)["mode"]
        modes[m] = modes.get(m, 0) + 1
    res = alternate(cmds, reps, warmup=0, progress="--stdin")
    wall = summary(res["cz search --stdin (2000, 10 % misses)"]["wall"])
    empty = summary(res["cz search --stdin, empty input"]["wall"])
    qps = len(mix) / wall["median"]
    return {"reps": reps, "queries": len(mix), "answers": len(lines), "modes": modes, "wall": wall, "empty": empty,
            "qps": qps, "qps_after_startup": len(mix) / max(1e-9, wall["median"] - empty["median"]),
            "bound": STDIN_BOUND, "met": qps >= STDIN_BOUND}


# --------------------------------------------------------------------------- 3. scale

def scale_db(n: int) -> tuple[Path, Path, float]:
    data, db = WORK / f"x{n}", WORK / f"x{n}.db"
    if not (data / "plans").is_dir() or (data / "plans.yaml").exists():  # (a corpus of the old layout: anew)
        subprocess.run([PY, str(HERE / "synth.py"), "--scale", str(n), "--out", str(data)], check=True,
                       stdout=subprocess.DEVNULL)
    t = time.perf_counter()
    run = run_once(Cmd([CZ, "build", "--quiet"], _env(data, db)), keep_output=True, timeout=3600,
                   label=f"build x{n}")
    if run.rc != 0:
        raise SystemExit(f"build x{n} failed: {run.err.decode('utf-8', 'replace')[-500:]}")
    return data, db, time.perf_counter() - t


def scale(n: int, reps: int) -> dict:
    base = scale_db(1)
    big = scale_db(n)
    cmds: dict[str, Cmd] = {}
    for label, words in SCALE_QUERIES:
        for tag, (data, db, _t) in (("x1", base), (f"x{n}", big)):
            cmds[f"{label} @{tag}"] = Cmd([CZ, "search", *words, "--format", "json", "--limit", "20"],
                                          _env(data, db), ok_codes=(0, 1))
    checks = {}
    for name, cmd in cmds.items():
        out = json.loads(run_once(cmd, keep_output=True).out)
        checks[name] = f"total {out['total']}, mode {out['mode']}"
    res = alternate(cmds, reps, progress=f"scale x1 / x{n}")
    rows = []
    for label, _w in SCALE_QUERIES:
        a, b = res[f"{label} @x{n}"]["wall"], res[f"{label} @x1"]["wall"]
        r = paired_ratio(a, b)
        rows.append({"query": label, "x1": summary(b), f"x{n}": summary(a), "ratio": r,
                     "check_x1": checks[f"{label} @x1"], f"check_x{n}": checks[f"{label} @x{n}"],
                     "bound": 1.5 if label == QUERY else None,
                     "met": (r["ratio"] <= 1.5) if label == QUERY else None})
    return {"scale": n, "reps": reps, "build_seconds": {"x1": base[2], f"x{n}": big[2]}, "rows": rows}


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=15, help="start-up rounds (default 15)")
    ap.add_argument("--stdin-reps", type=int, default=7)
    ap.add_argument("--scale", type=int, default=100, help="N of the ×N corpus (default 100)")
    ap.add_argument("--scale-reps", type=int, default=9)
    ap.add_argument("--skip-scale", action="store_true")
    args = ap.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    db = prepare_real()
    out: dict = {"started": started, "command": " ".join(["bench/search_speed.py", *(argv or sys.argv[1:])])}
    out["startup"] = s = startup(db, args.reps)
    t1 = table(["command", "wall median (IQR)"], [[k, fmt_med(v)] for k, v in s["rows"].items()],
               f"1. Start-up ({s['reps']} alternating rounds; cz output: {s['check']})")
    r = s["ratio"]
    print(t1 + f"\n  cz / hello-typer: {r['ratio']:.2f} [{r['q1']:.2f}–{r['q3']:.2f}] (bound ≤ {STARTUP_BOUND}: {verdict(s['met'])})\n")
    out["stdin"] = d = stdin_rate(db, args.stdin_reps)
    print(f"2. cz search --stdin, real data, {d['reps']} rounds: {d['queries']} queries in {fmt_med(d['wall'])} "
          f"-> {d['qps']:.0f} q/s ({d['qps_after_startup']:.0f} q/s after start-up); modes {d['modes']}"
          f"\n  bound ≥ {STDIN_BOUND} q/s: {verdict(d['met'])}\n")
    if not args.skip_scale:
        out["scale"] = c = scale(args.scale, args.scale_reps)
        n = c["scale"]
        rows = [[x["query"], fmt_med(x["x1"]), fmt_med(x[f"x{n}"]),
                 f"{x['ratio']['ratio']:.2f} [{x['ratio']['q1']:.2f}–{x['ratio']['q3']:.2f}]",
                 "" if x["bound"] is None else f"≤ {x['bound']} {verdict(x['met'])}", x[f"check_x{n}"]]
                for x in c["rows"]]
        print(table(["query (--format json --limit 20)", "x1", f"x{n}", f"x{n} / x1", "bound", f"x{n} result"], rows,
                    f"3. Scale ×1 vs ×{n} ({c['reps']} alternating rounds; builds "
                    f"{c['build_seconds']['x1']:.0f} s / {c['build_seconds'][f'x{n}']:.0f} s)"))
    (OUT / "search_speed.json").write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str),
                                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
