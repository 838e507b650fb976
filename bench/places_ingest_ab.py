"""What drafting places costs `cz ingest` (issue 23): the largest source
drafted with ``--dry-run`` by a base commit's code and by the working
tree's, alternately, each a fresh process on a fresh copy of data/.

    .venv/bin/python bench/places_ingest_ab.py --base ec887ff --rounds 9

Prints each side's median and the ratio (this tree / base); the load
varies on a shared machine, so only the ratio of one run means anything.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--source", default=str(REPO / "data" / "sources" / "liupanshui.txt"))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cz-places-ab-"))
    base = tmp / "base"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(base), args.base], check=True)
    try:
        sides = {"base": base / "src", "tree": REPO / "src"}
        times: dict[str, list[float]] = {k: [] for k in sides}
        code = ("import sys; from chengzhen.cli.main import main; "
                f"sys.argv = ['cz', 'ingest', {args.source!r}, '--id', 'abbench', '--dry-run', '-f', 'json']; main()")
        for _ in range(args.rounds):
            for side, src in sides.items():
                data = tmp / f"data-{side}"
                shutil.rmtree(data, ignore_errors=True)
                shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("build"))
                env = {"PYTHONPATH": str(src), "CZ_DATA": str(data), "CZ_DB": str(tmp / f"{side}.db"),
                       "PATH": "/usr/bin:/bin"}
                t = time.perf_counter()
                r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
                times[side].append(time.perf_counter() - t)
                if r.returncode not in (0, 1):
                    print(side, "failed:", r.stderr.decode()[-500:])
                    return 2
        med = {k: statistics.median(v) for k, v in times.items()}
        for k, v in times.items():
            print(f"{k}: median {med[k]:.2f} s (min {min(v):.2f}, max {max(v):.2f}, {len(v)} runs)")
        print(f"ratio tree/base: {med['tree'] / med['base']:.2f}")
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)], check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
