"""Run the whole benchmark suite: one command.

    .venv/bin/python bench/run.py                  # everything, scales 1,10,100,1000 (~40 min on 2 cores)
    .venv/bin/python bench/run.py --quick          # a short smoke run (scales 1,10, few rounds)
    .venv/bin/python bench/run.py --scales 1,10,100
    .venv/bin/python bench/run.py --skip typer,stdin --edit-rounds 3

Prints tables and writes bench/out/results.json (and results.txt).  Every
figure is a median of alternating runs with its spread, and every bound is
judged on a ratio against a baseline timed in the same run (or, for the
absolute bounds the project sets, shown next to one).  See docs/performance.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lib import OUT, REPO, VENV_BIN, Cmd, run_once, table, verdict  # noqa: E402


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    vers = {}
    for d in ("typer", "click", "rich", "sqlite-utils", "jieba", "rjieba", "rapidfuzz", "opencc", "pypinyin", "pyyaml",
              "pydantic", "filelock"):
        try:
            vers[d] = metadata.version(d)
        except metadata.PackageNotFoundError:
            vers[d] = None
    import sqlite3

    rg = shutil.which("rg")
    rg_v = None
    if rg:
        import subprocess

        rg_v = subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "nproc": os.cpu_count(), "memory": mem, "cpu": cpu, "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "kernel": platform.release(), "packages": vers, "ripgrep": rg_v,
        "code": code_version(),
    }


def code_version() -> dict:
    """The commit checked out (read from the git files, no git command; a
    worktree's .git is a file naming its git directory) and a hash of src/."""
    head = None
    try:
        git = REPO / ".git"
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text().split(":", 1)[1].strip())
        common = Path((git / "commondir").read_text().strip()) if (git / "commondir").exists() else git
        if not common.is_absolute():
            common = (git / common).resolve()
        ref = (git / "HEAD").read_text().strip()
        if ref.startswith("ref: "):
            name = ref[5:]
            for base in (git, common):
                if (base / name).exists():
                    head = (base / name).read_text().strip()
                    break
            if head is None:
                packed = common / "packed-refs"
                for line in packed.read_text().splitlines() if packed.exists() else []:
                    if line.endswith(" " + name):
                        head = line.split()[0]
        else:
            head = ref
    except OSError:
        pass
    h = hashlib.sha256()
    for f in sorted((REPO / "src" / "chengzhen").rglob("*")):
        if f.suffix in (".py", ".sql"):
            h.update(str(f.relative_to(REPO)).encode() + b"\0" + f.read_bytes())
    return {"commit": head, "src_sha256": h.hexdigest()[:16]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="cz benchmark suite")
    ap.add_argument("--quick", action="store_true", help="short smoke run: scales 1,10, few rounds")
    ap.add_argument("--scales", default=None, help="comma-separated scales (default 1,10,100,1000; --quick 1,10)")
    ap.add_argument("--reps", type=int, default=None, help="rounds for the start-up comparisons (default 15; --quick 5)")
    ap.add_argument("--scale-reps", type=int, default=None, help="rounds for the scale latencies (default 5; --quick 3)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds before a scale build is killed (default 900)")
    ap.add_argument("--edit-rounds", type=int, default=None, help="rounds of the one-plan edits (default 3; --quick 1)")
    ap.add_argument("--skip", default="",
                    help="comma-separated parts to skip: startup,imports,stdin,typer,scale,edits,segmenters")
    args = ap.parse_args(argv)

    quick = args.quick
    scales = sorted({int(s) for s in (args.scales or ("1,10" if quick else "1,10,100,1000")).split(",") if s.strip()} | {1})
    reps = args.reps or (5 if quick else 15)
    scale_reps = args.scale_reps or (3 if quick else 5)
    edit_rounds = args.edit_rounds or (1 if quick else 3)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    OUT.mkdir(parents=True, exist_ok=True)

    import edits
    import scale
    import segmenters
    import startup
    import typer_versions

    started = time.perf_counter()
    results: dict = {
        "command": "bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "machine": machine(),
        "settings": {"quick": quick, "scales": scales, "reps": reps, "scale_reps": scale_reps, "timeout_s": args.timeout,
                     "edit_rounds": edit_rounds},
    }
    texts: list[str] = []

    def say(t: str):
        print(t + "\n", flush=True)
        texts.append(t)

    m = results["machine"]
    say(f"machine: {m['nproc']} cores, {m['memory']}, {m['cpu']}; Python {m['python']}, SQLite {m['sqlite']}, "
        f"typer {m['packages']['typer']}; code {m['code']['commit'] or '?'} (src {m['code']['src_sha256']})")

    # the real data, built once into bench/out (never into data/build)
    real_db = OUT / "real.db"
    b = run_once(Cmd([str(VENV_BIN / "cz"), "build", "--quiet"], {"CZ_DB": str(real_db), "CZ_DATA": str(REPO / "data")}),
                 keep_output=True)
    if b.rc != 0:
        print("cz build failed on the real data:\n" + b.err.decode("utf-8", "replace"), file=sys.stderr)
        return 2

    def built_at() -> str:
        import sqlite3

        c = sqlite3.connect(f"file:{real_db}?mode=ro", uri=True)
        try:
            return dict(c.execute("SELECT key, value FROM meta"))["built_at"]
        finally:
            c.close()

    before = built_at()
    if "startup" not in skip:
        results["startup"] = startup.latency(real_db, reps)
        say(startup.latency_text(results["startup"]))
    if "imports" not in skip:
        results["imports"] = startup.imports(real_db)
        say(startup.imports_text(results["imports"]))
    if "stdin" not in skip:
        results["stdin"] = startup.throughput(real_db, 2 if quick else 5, n=500 if quick else 2000)
        say(startup.throughput_text(results["stdin"]))
    if built_at() != before:
        say("WARNING: the real database was rebuilt during the start-up bench (src or data changed?): "
            "some runs above include a build")
        results["warning_rebuilt"] = True
    if "typer" not in skip:
        results["typer"] = typer_versions.run(reps)
        say(typer_versions.text(results["typer"]))
    if "scale" not in skip:
        results["scale"] = scale.run(scales, scale_reps, timeout=args.timeout)
        say(scale.text(results["scale"]))
    if "edits" not in skip:
        results["edits"] = {}
        for s_ in [s for s in scales if s in edits.BOUNDS]:
            results["edits"][str(s_)] = edits.run(s_, edit_rounds)
            say(edits.text(results["edits"][str(s_)]))
    if "segmenters" not in skip:
        results["segmenters"] = segmenters.run(scales=[s for s in scales if s == 100], runs=3 if quick else 5)
        say(segmenters.text(results["segmenters"]))

    # every bound in one table
    rows = []
    for r in results.get("startup", {}).get("ratios", []):
        if r.get("bound") is not None:
            rows.append([r["what"] + f" ≤ {r['bound']}", f"{r['ratio']:.2f}", verdict(r["met"])])
    if "imports" in results:
        heavy = results["imports"]["json"]["heavy_imported"] + results["imports"]["table (pty)"]["heavy_imported"]
        rows.append(["no segmenter/rapidfuzz/sqlite_utils/opencc/yaml/pypinyin/filelock on the query path",
                     ", ".join(heavy) or "none",
                     verdict(results["imports"]["ok"])])
    if "stdin" in results:
        s = results["stdin"]
        rows.append([f"--stdin ≥ 500 q/s (mix, {int(s['miss_share'] * 100)} % misses)", f"{s['mix_qps']:.0f} q/s",
                     verdict(s["met"])])
    if "scale" in results:
        rows += [[b["what"], b["value"], verdict(b["met"])] for b in scale.bounds(results["scale"])]
    for r in results.get("edits", {}).values():
        rows += [[b["what"], b["value"], verdict(b["met"])] for b in edits.bounds(r)]
    if "segmenters" in results:
        rows += [[b["what"], b["value"], verdict(b["met"])] for b in segmenters.bounds(results["segmenters"])]
    results["bounds"] = [{"what": r[0], "value": r[1], "verdict": r[2]} for r in rows]
    end_code = code_version()
    if end_code != results["machine"]["code"]:
        say(f"WARNING: src/ changed during the run ({results['machine']['code']} -> {end_code}); "
            "figures may mix two versions of the code")
        results["code_at_end"] = end_code
    results["seconds"] = round(time.perf_counter() - started, 1)
    say(table(["bound", "value", "verdict"], rows, "All bounds"))
    say(f"total bench time {results['seconds']:.0f} s; results in {OUT / 'results.json'}")

    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    (OUT / "results.txt").write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    return 0


def _clean(x):
    """Drop the raw per-run lists kept for pairing (keys starting with _)."""
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items() if not (isinstance(k, str) and k.startswith("_"))}
    if isinstance(x, list):
        return [_clean(v) for v in x]
    return x


if __name__ == "__main__":
    sys.exit(main())
