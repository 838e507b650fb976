"""A plan as a document, uncached: how long `/plan/ID/text` takes to make.

    .venv/bin/python bench/web_document.py                 # the largest plan, 21 rounds
    .venv/bin/python bench/web_document.py --plan hunan --rounds 11

Serves the built database through datasette's own in-process client with
the page cache off (every request makes its page: reads the source, checks
its SHA-256, normalises it, places every unit, renders), and times in
alternating rounds the document page, the same plan's outline page
(`/plan/ID`, the baseline: one catalogue read and a template) and the
stylesheet (the server's floor).  Reports the median and range of each, in
milliseconds, and the paired ratio document / outline; the issue's bound is
≤ 200 ms for the largest plan.  Writes bench/out/web_document.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan", help="a plan id (default: the one with the most source lines)")
    ap.add_argument("--rounds", type=int, default=21)
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()

    from chengzhen.paths import data_dir, db_path
    from chengzhen.store.connect import connect
    from chengzhen.web.server import make_datasette

    import sqlite3

    if args.db is None:
        connect().close()  # brings the database up to date, as any command does
    db = args.db or db_path()
    conn = sqlite3.connect(db)
    pid = args.plan or conn.execute("SELECT id FROM plans ORDER BY n_lines DESC LIMIT 1").fetchone()[0]
    n_lines = conn.execute("SELECT n_lines FROM plans WHERE id = ?", (pid,)).fetchone()[0]
    ds = make_datasette(Path(db), cache=False, data=data_dir())
    paths = {"document": f"/plan/{pid}/text", "outline": f"/plan/{pid}", "stylesheet": "/-/cz/cz.css"}

    async def run() -> dict:
        times: dict[str, list[float]] = {k: [] for k in paths}
        sizes = {}
        for name, path in paths.items():  # warm: templates compiled, connections open, OpenCC loaded
            r = await ds.client.get(path)
            assert r.status_code == 200, (path, r.status_code)
            sizes[name] = len(r.content)
        for _ in range(args.rounds):
            for name, path in paths.items():
                t = time.perf_counter()
                r = await ds.client.get(path)
                times[name].append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200
        return {"times": times, "sizes": sizes}

    got = asyncio.run(run())
    times = got["times"]
    ratios = sorted(d / o for d, o in zip(times["document"], times["outline"]))

    def summary(xs):
        xs = sorted(xs)
        return {"median": round(statistics.median(xs), 1), "min": round(xs[0], 1), "max": round(xs[-1], 1)}

    out = {"plan": pid, "source_lines": n_lines, "rounds": args.rounds, "bytes": got["sizes"],
           "ms": {k: summary(v) for k, v in times.items()},
           "document_over_outline": {"median": round(statistics.median(ratios), 2), "min": round(ratios[0], 2),
                                     "max": round(ratios[-1], 2)},
           "bound_ms": 200}
    out["met"] = out["ms"]["document"]["median"] <= 200
    print(f"{pid} ({n_lines} lines), {args.rounds} alternating rounds, page cache off:")
    for k, v in out["ms"].items():
        print(f"  {k:10s} {v['median']:7.1f} ms  [{v['min']:.1f}–{v['max']:.1f}]  {got['sizes'][k]:,} bytes")
    r = out["document_over_outline"]
    print(f"  document / outline: {r['median']} [{r['min']}–{r['max']}]")
    print(f"  bound ≤ 200 ms: {'met' if out['met'] else 'NOT met'}")
    dest = ROOT / "bench" / "out"
    dest.mkdir(exist_ok=True)
    (dest / "web_document.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if out["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
