"""Where one `cz` command's time goes: cProfile of the CLI in-process
(output sent to /dev/null), sorted by cumulative time.

    CZ_DATA=bench/out/scale/x1000 CZ_DB=bench/out/scale/x1000.db \\
        .venv/bin/python bench/profile_query.py search 房 --format json --limit 20

Writes the listing to stdout (and bench/out/profile-query.txt).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def main() -> int:
    args = sys.argv[1:]
    n = 30
    if args and args[0].startswith("--top="):
        n = int(args.pop(0).split("=", 1)[1])
    from chengzhen.cli.main import main as cz_main

    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    pr = cProfile.Profile()
    t = time.perf_counter()
    os.dup2(devnull, 1)
    try:
        pr.enable()
        try:
            cz_main(args)
        except SystemExit:
            pass
        finally:
            pr.disable()
            sys.stdout.flush()
    finally:
        os.dup2(saved, 1)
    wall = time.perf_counter() - t
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(n)
    text = f"cz {' '.join(args)}: {wall:.3f} s under cProfile (CZ_DATA={os.environ.get('CZ_DATA')})\n" + s.getvalue()
    print(text)
    (OUT / "profile-query.txt").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
