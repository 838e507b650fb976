"""The search bounds of bench/search_speed.py, for this checkout and another
commit side by side in one run (alternating rounds): on a shared machine an
absolute figure moves with the load, a before/after pair in the same run
does not.

    .venv/bin/python bench/search_ab.py --base c4295b8                # ×1000 (the corpus of search_speed.py)
    .venv/bin/python bench/search_ab.py --base c4295b8 --scale 100
    .venv/bin/python bench/search_ab.py --base ec887ff --same-corpora  # both sides read this side's ×N corpora

The base commit's ``src/``, ``bench/`` and ``data/`` are exported (git
archive) into bench/out/search_ab/<commit>/ and run with PYTHONPATH pointing
there; each side builds its own databases of its own copy of the data (the
same plans: a base before one plan, one file reads them from its own
plans.yaml layout) and of the synthetic corpora its own bench/synth.py
writes (the base's ×N build takes as long as ours: ~15–30 min at ×1000 on 2
shared cores) — or, with ``--same-corpora``, of this side's synthetic corpora
(when bench/synth.py is the same at both commits: one corpus fewer to write,
and the same files under both). Both sides run from compiled bytecode.
Writes bench/out/search_ab.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lib import OUT, PY, REPO, VENV_BIN, Cmd, alternate, paired_ratio, query_mix, run_once, summary  # noqa: E402

CZ = str(VENV_BIN / "cz")
QUERY = "老旧小区"


def export(commit: str) -> Path:
    root = OUT / "search_ab" / commit
    if not (root / "src" / "chengzhen").exists():
        root.mkdir(parents=True, exist_ok=True)
        tar = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src", "bench", "data"], check=True,
                             capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=tar, check=True)
    return root


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="the commit to compare with")
    ap.add_argument("--scale", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=11)
    ap.add_argument("--same-corpora", action="store_true",
                    help="the base reads this side's synthetic corpora (bench/synth.py the same at both commits)")
    args = ap.parse_args(argv)
    base = export(args.base)
    work = OUT / "search_speed"
    sides = {"this": ({}, work, REPO), "base": ({"PYTHONPATH": str(base / "src")}, base, base)}
    corpora: dict[str, dict[str, Path]] = {}
    for side, (extra, where, tree) in sides.items():
        # each side's corpora as its own synth.py lays them out (this side: one file per plan)
        corpora[side] = {"real": tree / "data"}
        for n in (1, args.scale):
            d = (work if args.same_corpora else where) / f"x{n}"
            if side == "this" and (d / "plans.yaml").exists():
                shutil.rmtree(d)  # (a corpus of the old layout: anew)
            if not (d / "plans").is_dir():
                if args.same_corpora and side == "base":
                    raise SystemExit(f"no corpus at {d}: run this side first (bench/search_speed.py --scale {n})")
                subprocess.run([PY, str(tree / "bench" / "synth.py"), "--scale", str(n), "--out", str(d),
                                "--data", str(tree / "data")], check=True, stdout=subprocess.DEVNULL,
                               env={"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin"})
            corpora[side][f"x{n}"] = d
    env: dict[tuple[str, str], dict] = {}
    for side, (extra, where, _tree) in sides.items():
        for name, data in corpora[side].items():
            db = where / f"{name}.db" if side == "base" else work / f"{name}.db"
            env[side, name] = {"CZ_DATA": str(data), "CZ_DB": str(db), **extra}
            run = run_once(Cmd([CZ, "build", "--quiet"], env[side, name]), keep_output=True, timeout=7200,
                           label=f"build {side} {name}")
            if run.rc != 0:
                raise SystemExit(f"build {side} {name}: {run.err.decode('utf-8', 'replace')[-500:]}")
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "src"), str(base / "src")], check=True)
    out: dict = {"base": args.base, "scale": args.scale, "reps": args.reps}
    # 1. start-up against the hello-world Typer app
    cmds = {side: Cmd([CZ, "search", QUERY, "--format", "json"], env[side, "real"]) for side in sides}
    cmds["hello"] = Cmd([PY, str(HERE / "hello_typer.py"), "search", QUERY, "--format", "json"])
    res = alternate(cmds, args.reps, progress="start-up")
    out["startup"] = {side: {"wall": summary(res[side]["wall"])["median"], "cpu": summary(res[side]["cpu"])["median"],
                             "ratio": paired_ratio(res[side]["wall"], res["hello"]["wall"])} for side in sides}
    out["startup"]["hello"] = summary(res["hello"]["wall"])["median"]
    # 2. --stdin on the real data
    hits, misses = query_mix(Path(env["this", "real"]["CZ_DB"]))
    mix = hits + misses
    random.Random(3).shuffle(mix)
    feed = ("\n".join(mix) + "\n").encode()
    cmds = {side: Cmd([CZ, "search", "--stdin"], env[side, "real"], stdin=feed) for side in sides}
    res = alternate(cmds, args.reps, progress="--stdin")
    out["stdin"] = {side: {"wall": summary(res[side]["wall"])["median"], "cpu": summary(res[side]["cpu"])["median"],
                           "qps": len(mix) / summary(res[side]["wall"])["median"],
                           "qps_iqr": [len(mix) / summary(res[side]["wall"])["q3"],
                                       len(mix) / summary(res[side]["wall"])["q1"]],
                           "cpu_qps": len(mix) / summary(res[side]["cpu"])["median"]} for side in sides}
    out["stdin"]["this/base"] = {"wall": paired_ratio(res["this"]["wall"], res["base"]["wall"]),
                                 "cpu": paired_ratio(res["this"]["cpu"], res["base"]["cpu"])}
    # 3. ×N / ×1
    big = f"x{args.scale}"
    cmds = {f"{side} {s}": Cmd([CZ, "search", QUERY, "--format", "json", "--limit", "20"], env[side, s])
            for side in sides for s in ("x1", big)}
    res = alternate(cmds, args.reps + 4, progress="scale")
    out["scale"] = {side: {"x1": summary(res[f"{side} x1"]["wall"])["median"],
                           big: summary(res[f"{side} {big}"]["wall"])["median"],
                           "ratio": paired_ratio(res[f"{side} {big}"]["wall"], res[f"{side} x1"]["wall"]),
                           "cpu_ratio": paired_ratio(res[f"{side} {big}"]["cpu"], res[f"{side} x1"]["cpu"])}
                    for side in sides}
    (OUT / "search_ab.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    for side in sides:
        s, d, c = out["startup"][side], out["stdin"][side], out["scale"][side]
        print(f"{side:5s} start-up {s['wall'] * 1000:.0f} ms (cpu {s['cpu'] * 1000:.0f}), "
              f"/ hello {s['ratio']['ratio']:.2f} [{s['ratio']['q1']:.2f}–{s['ratio']['q3']:.2f}]; "
              f"--stdin {d['qps']:.0f} q/s [{d['qps_iqr'][0]:.0f}–{d['qps_iqr'][1]:.0f}] "
              f"(cpu {d['cpu'] * 1000:.0f} ms: {d['cpu_qps']:.0f} q/s of CPU); "
              f"{big}/x1 {c['ratio']['ratio']:.2f} [{c['ratio']['q1']:.2f}–{c['ratio']['q3']:.2f}] "
              f"({c[big] * 1000:.0f} / {c['x1'] * 1000:.0f} ms; CPU {c['cpu_ratio']['ratio']:.2f} "
              f"[{c['cpu_ratio']['q1']:.2f}–{c['cpu_ratio']['q3']:.2f}])")
    r = out["stdin"]["this/base"]
    print(f"--stdin this / base, paired: wall {r['wall']['ratio']:.2f} [{r['wall']['q1']:.2f}–{r['wall']['q3']:.2f}], "
          f"CPU {r['cpu']['ratio']:.2f} [{r['cpu']['q1']:.2f}–{r['cpu']['q3']:.2f}]")
    print(f"hello-world Typer app: {out['startup']['hello'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
