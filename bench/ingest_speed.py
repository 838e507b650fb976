"""How long `cz ingest` takes on the largest source, and the build after it.

    .venv/bin/python bench/ingest_speed.py              # 7 rounds
    .venv/bin/python bench/ingest_speed.py --rounds 3

Every figure is a fresh `cz` process (bench/lib.py), in rounds that run each
command once, so a slow phase of the machine hits all of them alike:

baseline       `cz plans --format json` on an up-to-date database: start-up and one query
ingest         `cz ingest <the 140 KB liupanshui source> --id lpsbench --dry-run`:
               decode, clean, draft, and the load + audit of the draft
ingest+write   the same without --dry-run: also writes data/ and updates the database
build          `cz build` after the files are written, on the database as it was
               before: the incremental build that adds the plan.  The vocabularies
               already hold every name the draft uses (as after a curator accepted
               the proposals of a first ingest), so only the plan is new
build (new vocabulary)
               the same when the draft also proposes new indicators or departments:
               a vocabulary changed, so the build is a full one (docs/architecture.md)

batch          `cz ingest DIR --dry-run --format json` of the 15 openings of real plans of
               bench/unseen/ (the tuning set of bench/unseen_gold/; skipped when the texts,
               which are not committed, are absent): one process, one summary table

Bounds: ingest ≤ 1.5 s (issue 24; it was ≤ 3 s) and the incremental build ≤ 2 s
at ×1 (five plans); a batch of 15 openings ≤ 10 s; ratios to the baseline of the
same round are shown beside them.

    .venv/bin/python bench/ingest_speed.py --base 1f804fe    # and against a commit's code

``--base COMMIT`` then times ``ingest`` and ``batch`` (both dry runs, on the data
with the vocabulary accepted) with COMMIT's ``src`` (``git archive``) and with
this tree's, alternately in the same rounds (``python -m chengzhen`` both), and
prints each side's median wall and CPU seconds and the paired ratio this tree / base.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lib import PY, OUT, REPO, VENV_BIN, Cmd, alternate, paired_ratio, run_once, summary, table, verdict  # noqa: E402

DATA = REPO / "data"
SOURCE = next((p for p in [REPO.parent / "shared" / "seeds" / "003_ab4fa118cd807eab.txt",
                           DATA / "sources" / "liupanshui.txt"] if p.is_file()))
BOUNDS = {"ingest": 1.5, "build": 2.0, "batch": 10.0}
UNSEEN = HERE / "unseen"
GOLD = HERE / "unseen_gold"


def tuning_texts() -> list[Path]:
    """The texts of the tuning set (never the frozen ones), where present."""
    import yaml

    out = []
    for g in sorted(GOLD.glob("*.yaml")):
        doc = yaml.safe_load(g.read_text(encoding="utf-8"))
        if doc.get("set") == "tuning" and (UNSEEN / doc["file"]).is_file():
            out.append(UNSEEN / doc["file"])
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--base", help="a commit: time ingest and batch with its code too (ratio this tree / base)")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    cz = str(VENV_BIN / "cz")
    with tempfile.TemporaryDirectory(prefix="cz-ingest-speed-") as tmp:
        tmp = Path(tmp)
        pristine = tmp / "pristine"
        shutil.copytree(DATA, pristine, ignore=shutil.ignore_patterns("build"))
        data, db, db0 = tmp / "data", tmp / "db" / "cz.db", tmp / "db0.db"
        env = {"CZ_DATA": str(data), "CZ_DB": str(db)}
        # the vocabulary the plan needs, accepted: what a first ingest proposes
        known = tmp / "known"
        shutil.copytree(pristine, known)
        first = run_once(Cmd([cz, "ingest", str(SOURCE), "--id", "lpsbench", "--dry-run", "--format", "json"],
                             env={"CZ_DATA": str(known), "CZ_DB": str(tmp / "k.db")}), keep_output=True)
        assert first.rc == 0, first.err
        proposals = json.loads(first.out)["draft"]
        for name, key in (("departments.yaml", "departments"), ("indicators.yaml", "indicators")):
            with open(known / name, "a", encoding="utf-8") as f:
                for e in proposals[key]:  # accepted: without the review flag
                    f.write("  - " + json.dumps({k: v for k, v in e.items() if k != "review"}, ensure_ascii=False)
                            + "\n")
        n_new = len(proposals["departments"]) + len(proposals["indicators"])
        batch = tmp / "batch"
        batch.mkdir()
        for p in tuning_texts()[:15]:
            shutil.copyfile(p, batch / p.name)
        n_batch = len(list(batch.iterdir()))
        cmds = {
            "baseline": Cmd([cz, "plans", "--format", "json"], env=env),
            "batch": Cmd([cz, "ingest", str(batch), "--dry-run", "--format", "json"], env=env),
            "ingest": Cmd([cz, "ingest", str(SOURCE), "--id", "lpsbench", "--dry-run", "--format", "json"], env=env),
            "ingest+write": Cmd([cz, "ingest", str(SOURCE), "--id", "lpsbench", "--format", "json"], env=env),
            "build": Cmd([cz, "build", "--quiet"], env=env),
        }
        times: dict[str, list[float]] = {k: [] for k in [*cmds, "build (new vocabulary)"]
                                         if k != "batch" or n_batch}
        for rnd in range(args.rounds + 1):  # round 0 warms the caches
            got = {}
            for scenario, start in (("known", known), ("new", pristine)):
                shutil.rmtree(data, ignore_errors=True)
                shutil.copytree(start, data)
                db.parent.mkdir(exist_ok=True)
                if db.exists():
                    db.unlink()
                r = run_once(Cmd([cz, "build", "--quiet"], env=env))
                assert r.rc == 0, r.err
                shutil.copyfile(db, db0)
                names = ("baseline", "ingest", "ingest+write") if scenario == "known" else ("ingest+write",)
                if scenario == "known" and n_batch:
                    names = ("baseline", "batch", "ingest", "ingest+write")
                for name in names:
                    run = run_once(cmds[name])
                    if run.rc != 0 and not (name == "batch" and run.rc == 1):  # a blocked draft in the batch is exit 1
                        raise SystemExit(f"{name} failed: {run.err.decode(errors='replace')}")
                    if scenario == "known":
                        got[name] = run.wall
                shutil.copyfile(db0, db)  # the database before the plan: the build adds it
                run = run_once(cmds["build"])
                if run.rc != 0:
                    raise SystemExit(f"build failed: {run.err.decode(errors='replace')}")
                got["build" if scenario == "known" else "build (new vocabulary)"] = run.wall
            if rnd:
                for k, v in got.items():
                    times[k].append(v)
            print(f"round {rnd}: " + ", ".join(f"{k} {v:.2f}s" for k, v in got.items()), file=sys.stderr)
        vs = None
        if args.base:  # on the data with the vocabulary accepted, as the rounds' ingest and batch
            shutil.rmtree(data, ignore_errors=True)
            shutil.copytree(known, data)
            vs = against(args.base, tmp, {k: cmds[k] for k in ("ingest", "batch") if k in cmds}, args.rounds)
    rows = []
    for name, xs in times.items():
        s = summary(xs)
        ratio = paired_ratio(xs, times["baseline"]) if name != "baseline" else None
        bound = BOUNDS.get(name)
        rows.append([name, f"{s['median']:.2f} s", f"{s['q1']:.2f}–{s['q3']:.2f}",
                     f"×{ratio['ratio']:.1f}" if ratio else "—",
                     f"≤ {bound:g} s" if bound else "", verdict(s["median"] <= bound) if bound else ""])
    print(table(["command", "median", "IQR", "÷ baseline", "bound", ""], rows,
                title=f"cz ingest of {SOURCE.name} ({SOURCE.stat().st_size // 1024} KB), {args.rounds} rounds; "
                      f"the draft proposes {n_new} vocabulary entries; batch: {n_batch} openings"
                      + ("" if n_batch else " (bench/unseen/ is absent: no batch)")))
    if vs:
        print(vs)
    return 0


def against(commit: str, tmp: Path, cmds: dict[str, Cmd], rounds: int) -> str:
    """``cmds`` with ``commit``'s code and with this tree's, alternately: each side's median wall and CPU
    seconds and the paired ratios this tree / base."""
    blob = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src"], check=True, capture_output=True).stdout
    base = tmp / "base"
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(base)
    sides = {"base": base / "src", "tree": REPO / "src"}
    runs = {f"{name} ({side})": Cmd([PY, "-m", "chengzhen", *cmd.argv[1:]], env={**cmd.env, "PYTHONPATH": str(src)},
                                    ok_codes=(0, 1))
            for name, cmd in cmds.items() for side, src in sides.items()}
    got = alternate(runs, rounds, progress=f"this tree against {commit}")
    rows = []
    for name in cmds:
        t, b = got[f"{name} (tree)"], got[f"{name} (base)"]
        rows.append([name, f"{summary(b['wall'])['median']:.2f} s", f"{summary(t['wall'])['median']:.2f} s",
                     f"×{paired_ratio(t['wall'], b['wall'])['ratio']:.2f}",
                     f"{summary(b['cpu'])['median']:.2f} s", f"{summary(t['cpu'])['median']:.2f} s",
                     f"×{paired_ratio(t['cpu'], b['cpu'])['ratio']:.2f}"])
    return table(["command", "base wall", "tree wall", "tree / base", "base CPU", "tree CPU", "tree / base"], rows,
                 title=f"this tree against {commit}, {rounds} rounds alternating (python -m chengzhen)")


if __name__ == "__main__":
    sys.exit(main())
