"""The draft of a large plan, timed in pairs against another commit's code.

    .venv/bin/python bench/ingest_pair.py 0541d85 --rounds 9

Each round drafts and audits the 134 KB plan (``cz ingest --dry-run``'s work:
``make_draft`` + ``verify``) in a fresh process with this checkout's ``src``,
then with COMMIT's ``src`` and ``data`` (``git archive`` into a temporary
directory), alternating, so both share the machine's load; it prints each
side's median and their ratio. The ratio is what a loaded machine can say; the
absolute bound (≤ 1.5 s) is bench/ingest_speed.py's.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLAN = "liupanshui"
SCRIPT = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1] + "/src")
from chengzhen.ingest.draft import make_draft, verify
data = Path(sys.argv[1]) / "data"
d = make_draft(Path(sys.argv[2]), data, "xpair")
verify(d, data)
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("commit")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    source = REPO / "data" / "sources" / f"{PLAN}.txt"
    if not source.is_file():
        print(f"ingest_pair: no {source}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="cz-pair-") as tmp:
        blob = subprocess.run(["git", "-C", str(REPO), "archive", args.commit, "src", "data"], capture_output=True)
        if blob.returncode:
            print(f"ingest_pair: git archive {args.commit}: {blob.stderr.decode().strip()}", file=sys.stderr)
            return 2
        tarfile.open(fileobj=BytesIO(blob.stdout)).extractall(tmp)
        times: dict[str, list[float]] = {"this checkout": [], args.commit: []}
        for _ in range(args.rounds):
            for label, root in (("this checkout", str(REPO)), (args.commit, tmp)):
                t = time.perf_counter()
                subprocess.run([sys.executable, "-c", SCRIPT, root, str(source)], check=True, capture_output=True)
                times[label].append(time.perf_counter() - t)
    for label, v in times.items():
        print(f"{label:>14}: median {statistics.median(v):.2f} s  ({', '.join(f'{x:.2f}' for x in v)})")
    ratio = statistics.median(times["this checkout"]) / statistics.median(times[args.commit])
    print(f"ratio this checkout / {args.commit}: {ratio:.2f} ({source.stat().st_size // 1024} KB plan, {args.rounds} rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
