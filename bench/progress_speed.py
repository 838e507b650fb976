"""`cz progress` timed against baselines in the same run (alternating
rounds, paired ratios: bench/lib.py).  Issue 23's bounds:

1. on the real data, `cz progress --indicator 城镇化率 --format json` ≤ 0.8 ×
   the hello-world Typer app (bench/hello_typer.py, its `search` shaped
   like cz's, as bench/startup.py runs it; the same app hiding rich as cz
   does is reported beside it); also the whole default answer (`cz
   progress --format json`) and the terminal table with its charts on a
   pty (reported, no bound);
2. at ×1000 (bench/synth.py: 5 000 plans, each synthetic region a place
   with its template region's statistics — statistics scale with the
   plans) ≤ 2 × its ×1 time, for a question whose answer does not grow
   with the corpus: one plan's targets against the statistics
   (`--plan p0001`, and `--indicator 城镇化率 --plan p0001`).  The listing of
   every plan's 城镇化率 targets grows with the corpus (×1000 rows) and is
   reported without a bound, as `cz targets --year 2028` is.

    .venv/bin/python bench/progress_speed.py [--rounds 15] [--scales 1,1000] [--no-scale] [--reuse]

Corpora and databases go to bench/out/progress/ (git-ignored); the results
to bench/out/progress.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib import OUT, PY, REPO, VENV_BIN, Cmd, alternate, fmt_med, paired_ratio, run_once, summary, table  # noqa: E402

import synth  # noqa: E402

WORK = OUT / "progress"
BOUND_HELLO = 0.8
BOUND_SCALE = 2.0


def _cz(args: list[str], data: Path, db: Path, **kw) -> Cmd:
    return Cmd([str(VENV_BIN / "cz"), *args], {"CZ_DATA": str(data), "CZ_DB": str(db), "COLUMNS": "160"}, **kw)


def _build(data: Path, db: Path, label: str) -> float:
    for f in (db, db.with_name(db.name + ".lock")):
        if f.exists():
            f.unlink()
    started = time.perf_counter()
    run = run_once(_cz(["build", "--quiet"], data, db), keep_output=True, timeout=1800, label=f"build {label}")
    if run.rc != 0:
        raise SystemExit(f"build {label} failed: {run.err.decode('utf-8', 'replace')[-800:]}")
    return time.perf_counter() - started


def _rows(out: bytes) -> int:
    return json.loads(out.decode("utf-8"))["count"]


def real(rounds: int) -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    data, db = REPO / "data", WORK / "real.db"
    _build(data, db, "real")
    cmds = {
        # the baseline of bench/startup.py (docs/performance.md), and the same app hiding rich as cz does
        "hello-typer": Cmd([PY, str(REPO / "bench" / "hello_typer.py"), "search", "老旧小区", "--format", "json"]),
        "hello-typer (rich hidden)": Cmd([PY, str(REPO / "bench" / "hello_typer.py"), "search", "老旧小区", "--format",
                                          "json"], {"HELLO_HIDE_RICH": "1"}),
        "cz progress --indicator 城镇化率 -f json": _cz(["progress", "--indicator", "城镇化率", "--format", "json"],
                                                    data, db),
        "cz progress -f json": _cz(["progress", "--format", "json"], data, db),
        "cz progress --indicator 城镇化率 (table + charts, pty)": _cz(["progress", "--indicator", "城镇化率"], data, db,
                                                                 pty=True),
    }
    res = alternate(cmds, rounds, progress="real data")
    out = {"rounds": rounds, "rows": {n: {"wall": summary(r["wall"]), "cpu": summary(r["cpu"]),
                                          "rss_kb": summary(r["rss_kb"])} for n, r in res.items()}}
    h = res["hello-typer"]["wall"]
    out["ratios"] = {n: paired_ratio(res[n]["wall"], h) for n in cmds if n != "hello-typer"}
    out["ratios_rich_hidden"] = {n: paired_ratio(res[n]["wall"], res["hello-typer (rich hidden)"]["wall"])
                                 for n in cmds if n.startswith("cz ")}
    out["records"] = {n: _rows(run_once(c, keep_output=True).out) for n, c in cmds.items() if "-f json" in n}
    return out


def scales(levels: list[int], rounds: int, reuse: bool = False) -> dict:
    out: dict = {"levels": levels, "rounds": rounds, "generate": {}, "build_s": {}, "rows": {}}
    cmds: dict[str, Cmd] = {}
    for s in levels:
        data, db = WORK / f"x{s}", WORK / f"x{s}.db"
        if reuse and db.exists() and (data / "plans.yaml").exists():
            print(f"  ×{s}: the corpus and database of an earlier run (brought up to date)", file=sys.stderr)
            run_once(_cz(["build", "--quiet"], data, db), timeout=1800)
        else:
            print(f"  generating ×{s}", file=sys.stderr)
            out["generate"][str(s)] = synth.generate(s, data)
            print(f"  building ×{s}", file=sys.stderr)
            out["build_s"][str(s)] = round(_build(data, db, f"x{s}"), 1)
        first = "p" + "1".zfill(max(4, len(str(5 * s))))
        cmds[f"×{s} --plan (one)"] = _cz(["progress", "--plan", first, "--format", "json"], data, db)
        cmds[f"×{s} --indicator 城镇化率 --plan (one)"] = _cz(["progress", "--indicator", "城镇化率", "--plan", first,
                                                           "--format", "json"], data, db)
        cmds[f"×{s} --indicator 城镇化率 (every plan)"] = _cz(["progress", "--indicator", "城镇化率", "--format", "json"],
                                                          data, db)
    for name, c in cmds.items():
        out["rows"][name] = _rows(run_once(c, keep_output=True).out)
    res = alternate(cmds, rounds, progress="scales")
    out["wall"] = {n: summary(r["wall"]) for n, r in res.items()}
    base = levels[0]
    out["ratios"] = {}
    for s in levels[1:]:
        for q in ("--plan (one)", "--indicator 城镇化率 --plan (one)", "--indicator 城镇化率 (every plan)"):
            out["ratios"][f"{q}: ×{s} / ×{base}"] = paired_ratio(res[f"×{s} {q}"]["wall"], res[f"×{base} {q}"]["wall"])
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--scales", default="1,1000")
    ap.add_argument("--no-scale", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="keep the corpora and databases of an earlier run")
    args = ap.parse_args(argv[1:])
    results = {"real": real(args.rounds)}
    r = results["real"]
    print(table(["command", "wall", "cpu", "records"],
                [[n, fmt_med(x["wall"]), fmt_med(x["cpu"]), r["records"].get(n, "")] for n, x in r["rows"].items()],
                title=f"\nreal data ({args.rounds} rounds)"))
    for n, q in r["ratios"].items():
        bound = BOUND_HELLO if n == "cz progress --indicator 城镇化率 -f json" else None
        verdict = "" if bound is None else (" met" if q["ratio"] <= bound else " NOT met") + f" (≤ {bound})"
        print(f"{n} / hello-typer: {q['ratio']:.2f} [{q['q1']:.2f}–{q['q3']:.2f}]{verdict}")
    for n, q in r["ratios_rich_hidden"].items():
        print(f"{n} / hello-typer (rich hidden): {q['ratio']:.2f} [{q['q1']:.2f}–{q['q3']:.2f}]")
    if not args.no_scale:
        levels = sorted(int(x) for x in args.scales.split(","))
        results["scales"] = sc = scales(levels, args.rounds, args.reuse)
        print(table(["command", "wall", "records"],
                    [[n, fmt_med(w), sc["rows"][n]] for n, w in sc["wall"].items()],
                    title=f"\nscales ({args.rounds} rounds; builds: "
                          + ", ".join(f"×{k} {v} s" for k, v in sc["build_s"].items()) + ")"))
        for n, q in sc["ratios"].items():
            bound = None if "every plan" in n else BOUND_SCALE
            verdict = "" if bound is None else (" met" if q["ratio"] <= bound else " NOT met") + f" (≤ {bound})"
            print(f"{n}: {q['ratio']:.2f} [{q['q1']:.2f}–{q['q3']:.2f}]{verdict}")
    (OUT / "progress.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
