"""Leave one set out for every calibration of the target and figure flags at once: each gold set scored with the
target-path table (ingest/target_paths.py WEAK) and the figure-path table (ingest/figure_paths.py TABLE) both
recounted without it — the estimate of how the target and figure flags do on a set never tuned on.

    .venv/bin/python bench/heldout_targets.py            # per set, the minimum, and all sets each held out
    .venv/bin/python bench/heldout_targets.py --json

``bench/target_paths.py --loso`` (and ``--figures --loso``) hold out one table at a time, the other left as
calibrated on every set; here both are held out together.  The checks that are not calibrated on the gold
(ingest/flags.py, flag_kinds.py, figure_forms.py …) are the same in both columns: they were written
against every set, so only the sets measured blind (docs/ingest.md) say how they do on new texts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import target_paths as B  # noqa: E402
import unseen_eval as UE  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    plans = B.traced_present("heldout_targets", "measure")
    if not plans:
        return 0
    B.run(plans, {}, {})  # the observations do not depend on the flags: one draft of every text
    obs, fobs = B.observations(plans), B.figure_observations(plans)
    rows = []
    for s in UE.gold_sets():
        group = [p for p in plans if p.set == s]
        if not group:
            continue
        B.run(group, {}, {})
        without = UE.summary_line(UE.tally(group))
        B.run(group, B.table_of(obs, leave_out=s), B.figure_table(fobs, leave_out=s))
        held = UE.summary_line(UE.tally(group))
        rows.append({"set": s, "wrong_or_missing": held["wrong_or_missing"], "flagged_without": without["flagged"],
                     "flagged": held["flagged"], "flags_without": without["flags"], "real_without": without["flags_on_problems"],
                     "flags": held["flags"], "real": held["flags_on_problems"]})
    total = {k: sum(r[k] for r in rows) for k in rows[0] if k != "set"}
    rate = [(r["flagged"] / r["wrong_or_missing"] if r["wrong_or_missing"] else 1.0) for r in rows]
    prec = [(r["real"] / r["flags"] if r["flags"] else 1.0) for r in rows]
    if args.json:
        print(json.dumps({"sets": rows, "all": total, "min_flagged": min(rate), "min_real": min(prec)}, ensure_ascii=False))
        return 0
    print("| held-out set | wrong or missing | flagged: no calibrated flags | both tables held out | flags real: no calibrated flags | held out |")
    print("| --- | --- | --- | --- | --- | --- |")

    def pct(a, b):
        return f"{a} ({100 * a / b:.1f} %)" if b else f"{a} (—)"

    for r in rows + [dict(total, set="all (each set held out)")]:
        print(f"| {r['set']} | {r['wrong_or_missing']} | {pct(r['flagged_without'], r['wrong_or_missing'])} | "
              f"{pct(r['flagged'], r['wrong_or_missing'])} | {r['real_without']}/{r['flags_without']} | "
              f"{r['real']}/{r['flags']} ({100 * r['real'] / max(1, r['flags']):.1f} %) |")
    lo = min(range(len(rows)), key=lambda i: rate[i])
    lp = min(range(len(rows)), key=lambda i: prec[i])
    print(f"\nminimum flagged, held out: {100 * rate[lo]:.1f} % ({rows[lo]['set']}); minimum real: "
          f"{100 * prec[lp]:.1f} % ({rows[lp]['set']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
