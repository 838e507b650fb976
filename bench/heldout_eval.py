"""Leave one set out, every calibration at once: how the review flags would do on a set nobody calibrated on.

    .venv/bin/python bench/heldout_eval.py            # per held-out set, and the minimum over the frozen sets
    .venv/bin/python bench/heldout_eval.py --json

Three parts of the flags are data derived from the gold: the catalogue's weak rule paths
(``ingest/flag_paths.py`` CALIBRATION), the targets' (``ingest/target_paths.py`` WEAK) and the figures'
explanations (``ingest/figure_paths.py`` TABLE).  ``bench/unseen_eval.py`` measures the flags with the tables
as shipped — counted over every set, the measured one included — so a set's figure there is partly an
exam it studied for.  Here every gold text is drafted once with all three tables empty, each table is
recounted from those drafts (and, for the catalogue, the five curated plans) *without* one set, and that set
is drafted and scored again with the tables so counted.  Per set: wrong or missing fields flagged, and flags
on a real problem, as shipped and held out; the minimum over the sets is the estimate of a blind set.

What this does not remove: the rules themselves (every regex and definition in ingest/) were written after
reading the earlier sets' drafts, so a set's held-out figure is blind only to the calibration, not to the
rules its lessons wrote.  Only a set measured before its lessons were fixed (docs/ingest.md's table of first
measurements) was blind to both.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import flag_paths as BF  # noqa: E402
import target_paths as BT  # noqa: E402
import unseen_eval as UE  # noqa: E402

from chengzhen.ingest import figure_paths as FP  # noqa: E402
from chengzhen.ingest import flag_paths as P  # noqa: E402
from chengzhen.ingest import target_paths as TP  # noqa: E402


class Tables:
    """Sets the three calibrations for the time of a ``with`` block, and puts the shipped ones back."""

    def __init__(self, catalogue: dict, targets: dict, figures: dict):
        self.new = (catalogue, targets, figures)

    def __enter__(self):
        self.saved = (dict(P.CALIBRATION), dict(TP.WEAK), dict(FP.TABLE))
        for table, new in zip((P.CALIBRATION, TP.WEAK, FP.TABLE), self.new):
            table.clear()
            table.update(new)

    def __exit__(self, *exc):
        for table, old in zip((P.CALIBRATION, TP.WEAK, FP.TABLE), self.saved):
            table.clear()
            table.update(old)


def draft_all(plans: list, data: Path) -> None:
    for p in plans:
        p.fields, p.flags = [], []
        p.draft(data)
        p.score()
        p.ev = BT.FL._evidence(p.d, data, None) if p.d is not None else None
        p.names = BT.FL._indicator_names(data)


def measure(plans: list, data: Path) -> dict:
    # the observations every calibration is counted from: each text drafted with no calibrated flag at all
    with Tables({}, {}, {}):
        draft_all(plans, data)
    cat_rows = BF.rows_of(plans, data) + BF._rows_curated(data)
    t_obs, f_obs = BT.observations(plans), BT.figure_observations(plans)
    # P.DEFINED (weak by definition, not by count) is kept as shipped
    out = {}
    sets = [s for s in UE.gold_sets() if any(p.set == s for p in plans)]
    for s in sets:
        group = [p for p in plans if p.set == s]
        draft_all(group, data)  # the shipped tables
        shipped = UE.summary_line(UE.tally(group))
        held = (BF.calibrate([r for r in cat_rows if r["set"] != s]), BT.table_of(t_obs, leave_out=s),
                BT.figure_table(f_obs, leave_out=s))
        with Tables(*held):
            draft_all(group, data)
        out[s] = {"shipped": shipped, "held_out": UE.summary_line(UE.tally(group)), "texts": len(group)}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    plans = BT.traced_present("heldout_eval", "measure")
    if not plans:
        return 0
    with tempfile.TemporaryDirectory(prefix="cz-heldout-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(UE.DATA, data, ignore=shutil.ignore_patterns("build"))
        out = measure(plans, data)
    frozen = {k: v for k, v in out.items() if k != "tuning"}
    low = {"flagged_share": min(v["held_out"]["flagged_share"] for v in frozen.values()),
           "flag_precision": min(v["held_out"]["flag_precision"] for v in frozen.values())}
    if args.json:
        print(json.dumps({"sets": out, "minimum_over_frozen_sets": low}, ensure_ascii=False, indent=1))
        return 0

    def pc(a, b, share):
        return f"{a}/{b} ({100 * share:.1f} %)"
    print("| held-out set | texts | wrong or missing | flagged: shipped | held out | flags real: shipped | held out |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for s, v in out.items():
        a, b = v["shipped"], v["held_out"]
        print(f"| {s} | {v['texts']} | {b['wrong_or_missing']} | "
              f"{pc(a['flagged'], a['wrong_or_missing'], a['flagged_share'])} | "
              f"{pc(b['flagged'], b['wrong_or_missing'], b['flagged_share'])} | "
              f"{pc(a['flags_on_problems'], a['flags'], a['flag_precision'])} | "
              f"{pc(b['flags_on_problems'], b['flags'], b['flag_precision'])} |")
    print(f"\nminimum over the frozen sets, each held out: flagged {100 * low['flagged_share']:.1f} % (bound ≥ 90 %), "
          f"flags on a real problem {100 * low['flag_precision']:.1f} % (bound ≥ 50 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
