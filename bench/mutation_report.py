"""The mutation report: how many kinds of wrong edit `cz validate` catches.

    .venv/bin/python bench/mutation_report.py            # every kind, every plan of data/
    .venv/bin/python bench/mutation_report.py --data DIR

Applies each kind of wrong edit of tests/mutations.py to each plan of a copy
of the data (one edit at a time) and runs `cz validate --plan P` on it;
prints the kinds × plans table of docs/data-format.md (caught, with the codes
that caught it; **missed**; n/a where the plan has no place for the edit)
and writes it to bench/out/mutation.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

import mutations  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--plan", action="append", help="only these plans")
    args = ap.parse_args()
    os.environ["NO_COLOR"] = "1"
    started = time.perf_counter()
    outcomes = mutations.run(args.data, args.plan)
    text = mutations.table(outcomes)
    took = time.perf_counter() - started
    print(text)
    print(f"({len(outcomes)} runs of `cz validate` in {took:.0f} s)")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "mutation.md").write_text(text, encoding="utf-8")
    missed = [o for o in outcomes if o.site is not None and not o.caught]
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
