"""How often each rule path reads a target's field right, over every gold set — and what flagging the weak
paths would do on a set never tuned on (leave one set out).

    .venv/bin/python bench/target_paths.py            # field × path: right, wrong, by set
    .venv/bin/python bench/target_paths.py --table    # the WEAK table for src/chengzhen/ingest/target_paths.py
    .venv/bin/python bench/target_paths.py --loso     # leave one set out: calibrate on the others, score it
    .venv/bin/python bench/target_paths.py --figures [--table|--loso]   # the same for each figure's explanation

Each text of ``bench/unseen_gold`` (its copy in the git-ignored ``bench/unseen/``) is drafted and scored by
``bench/unseen_eval.py`` with the path flags off; each drafted target the eval matched to a gold number (or to a
deliberate non-target, or to nothing) is named by :func:`chengzhen.ingest.target_paths.paths`, and each of its
scored fields counted right or wrong under its path (``target``: whether the drafted figure is a target of the
gold at all).  ``--loso``: for each set, the paths wrong ≥ RATE of the time on the *other* sets are flagged, the
set is drafted and scored again, and its recall and precision are printed beside those without the path flags.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import unseen_eval as UE  # noqa: E402

from chengzhen.ingest import flags as FL  # noqa: E402
from chengzhen.ingest import figure_paths as FP  # noqa: E402
from chengzhen.ingest import target_paths as TP  # noqa: E402

FIELDS = ("target", "year", "year_implied", "basis", "indicator", "unit", "scope")


class Traced(UE.Plan):
    """A plan whose scored target fields remember the drafted target they were scored on."""

    def add(self, kind, key, outcome, detail="", flag_keys=()):
        f = super().add(kind, key, outcome, detail, flag_keys)
        if (kind in ("target", "non_target") or kind.startswith("target.")) and not outcome.startswith("missing") \
                and not (kind == "non_target" and outcome == "correct"):
            loc = sys._getframe(1).f_locals
            if "t" in loc and "r" in loc:
                f["_rt"] = (loc["r"], loc["t"])
        elif kind.startswith("target.") and outcome.startswith("missing"):
            loc = sys._getframe(1).f_locals
            if "t" in loc and "r" in loc and loc.get("hits"):
                f["_rt"] = (loc["r"], loc["t"])
        return f


def run(plans: list[Traced], weak_table: dict | None, figure_table: dict | None = None) -> None:
    saved, fsaved = dict(TP.WEAK), dict(FP.TABLE)
    TP.WEAK.clear()
    TP.WEAK.update(weak_table or {})
    FP.TABLE.clear()
    FP.TABLE.update(figure_table or {})
    try:
        with tempfile.TemporaryDirectory(prefix="cz-paths-") as tmp:
            data = Path(tmp) / "data"
            shutil.copytree(UE.DATA, data, ignore=shutil.ignore_patterns("build"))
            for p in plans:
                p.fields, p.flags = [], []
                p.draft(data)
                p.score()
                p.ev = FL._evidence(p.d, data, None) if p.d is not None else None
                p.names = FL._indicator_names(data)
    finally:
        TP.WEAK.clear()
        TP.WEAK.update(saved)
        FP.TABLE.clear()
        FP.TABLE.update(fsaved)


def figure_observations(plans: list[Traced]) -> list[tuple[str, str, str, bool, str]]:
    """(set, "figure", path, right, text) for each figure of each source not drafted as a target and not
    flagged by account: ``right`` when the gold has no target of its value on its line (the explanation held)."""
    out = []
    for p in plans:
        if p.d is None or p.ev is None:
            continue
        gold = [(p._line_of(n["near"]), float(n["value"])) for n in p.gold.get("numbers", [])
                if "target" in n and n.get("value") is not None]
        kind = FP.kind_of_text(p.ev)
        for f in FP.explain(p.ev, FL):
            if f.path in ("target", "goal"):
                continue
            hid = f.value is not None and any(line == f.line and abs(v - f.value) < 1e-9 for line, v in gold)
            out.append((p.set, "figure", f.path, not hid, p.name))
            out.append((p.set, "figure", f"{f.path}/{kind}", not hid, p.name))
    return out


def figure_table(obs, leave_out: str | None = None) -> dict[str, tuple[int, int, int]]:
    return {path: v for (_f, path), v in table_of(obs, leave_out).items()}


def observations(plans: list[Traced]) -> list[tuple[str, str, str, bool, str]]:
    """(set, field, path, right, text) for each scored field of a drafted target."""
    out = []
    for p in plans:
        if p.d is None:
            continue
        for f in p.fields:
            if "_rt" not in f:
                continue
            r, t = f["_rt"]
            path = TP.paths(p.ev, r, t, p.names or None, FL._near_text)
            if f["kind"] in ("target", "non_target"):
                out.append((p.set, "target", path["target"], f["outcome"] == "correct", p.name))
            else:
                field = f["kind"].split(".", 1)[1]
                if field in path:
                    out.append((p.set, field, path[field], f["outcome"] == "correct", p.name))
    return out


def table_of(obs, leave_out: str | None = None) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(field, path) → (wrong, seen, texts with a wrong one), without the set ``leave_out``."""
    c: dict[tuple[str, str], Counter] = defaultdict(Counter)
    where: dict[tuple[str, str], set] = defaultdict(set)
    for s, field, path, right, text in obs:
        if s != leave_out:
            c[(field, path)]["right" if right else "wrong"] += 1
            if not right:
                where[(field, path)].add(text)
    return {k: (v["wrong"], v["right"] + v["wrong"], len(where[k])) for k, v in sorted(c.items())}


def traced_present(script: str, doing: str) -> list[Traced]:
    """Every gold file whose text is in bench/unseen/, traced; none (said in one line) when none is."""
    plans = [Traced(g) for g in sorted(UE.GOLD.glob("*.yaml"))]
    plans = [p for p in plans if p.text.is_file()]
    if not plans:
        print(f"{script}: no text of bench/unseen_gold is in bench/unseen/: nothing to {doing}")
    return plans


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--table", action="store_true", help="print the WEAK table (every path, wrong and seen)")
    ap.add_argument("--loso", action="store_true", help="leave one set out: calibrate on the others, score it")
    ap.add_argument("--figures", action="store_true", help="each figure's explanation (ingest/figure_paths.py), not "
                    "each drafted target's fields")
    args = ap.parse_args(argv)
    plans = traced_present("target_paths", "tabulate")
    if not plans:
        return 0
    if args.figures:
        return figures(plans, args)
    run(plans, {})
    obs = observations(plans)
    full = table_of(obs)
    if args.table:
        print("WEAK = {")
        for (field, path), (wrong, seen, where) in full.items():
            print(f"    ({field!r}, {path!r}): ({wrong}, {seen}, {where}),")
        print("}")
        return 0
    sets = UE.gold_sets()
    weak = TP.weak(full)
    print(f"| field | path | right | wrong | wrong % | flagged (≥ {100 * TP.RATE:.0f} %, ≥ {TP.LEAST} seen, ≥ {TP.TEXTS} texts) "
          "| by set (wrong/seen) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (field, path), (wrong, seen, _where) in full.items():
        by = []
        for s in sets:
            n = [x for x in obs if x[0] == s and x[1] == field and x[2] == path]
            if n:
                by.append(f"{s} {sum(1 for x in n if not x[3])}/{len(n)}")
        print(f"| {field} | {path} | {seen - wrong} | {wrong} | {100 * wrong / seen:.0f} % | "
              f"{'yes' if (field, path) in weak else ''} | {', '.join(by)} |")
    if not args.loso:
        return 0
    print("\n| held-out set | wrong or missing | flagged: without path flags | with (calibrated on the others) "
          "| flags real: without | with | path flags | weak paths |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    totals = Counter()
    for s in sets:
        group = [p for p in plans if p.set == s]
        if not group:
            continue
        before = UE.summary_line(UE.tally(group))
        cal = table_of(obs, leave_out=s)
        run(group, cal)
        after = UE.summary_line(UE.tally(group))
        npath = sum(1 for p in group for f in p.flags if "evaluation's plans" in f["reason"])
        for k in ("wrong_or_missing", "flags", "flags_on_problems"):
            totals[k + "_b"] += before[k]
            totals[k + "_a"] += after[k]
        totals["flagged_b"] += before["flagged"]
        totals["flagged_a"] += after["flagged"]
        totals["path"] += npath
        print(f"| {s} | {before['wrong_or_missing']} | {before['flagged']} ({100 * before['flagged_share']:.1f} %) | "
              f"{after['flagged']} ({100 * after['flagged_share']:.1f} %) | "
              f"{before['flags_on_problems']}/{before['flags']} ({100 * before['flag_precision']:.1f} %) | "
              f"{after['flags_on_problems']}/{after['flags']} ({100 * after['flag_precision']:.1f} %) | {npath} | "
              f"{len(TP.weak(cal))}: {', '.join(sorted(p for _f, p in TP.weak(cal)))} |")
    t = totals
    print(f"| all (each set held out) | {t['wrong_or_missing_b']} | {t['flagged_b']} "
          f"({100 * t['flagged_b'] / max(1, t['wrong_or_missing_b']):.1f} %) | {t['flagged_a']} "
          f"({100 * t['flagged_a'] / max(1, t['wrong_or_missing_a']):.1f} %) | {t['flags_on_problems_b']}/{t['flags_b']} "
          f"({100 * t['flags_on_problems_b'] / max(1, t['flags_b']):.1f} %) | {t['flags_on_problems_a']}/{t['flags_a']} "
          f"({100 * t['flags_on_problems_a'] / max(1, t['flags_a']):.1f} %) | {t['path']} | |")
    return 0


def figures(plans: list[Traced], args) -> int:
    """The figure paths' table (``--table``: the TABLE of ingest/figure_paths.py), and leave one set out."""
    run(plans, dict(TP.WEAK), {})
    obs = figure_observations(plans)
    full = figure_table(obs)
    if args.table:
        print("TABLE: dict[str, tuple[int, int, int]] = {")
        for path, (hid, seen, where) in full.items():
            print(f"    {path!r}: ({hid}, {seen}, {where}),")
        print("}")
        return 0
    sets = UE.gold_sets()
    weak = FP.weak(full)
    print(f"| path | figures | targets hidden | % | asked (≥ {100 * FP.RATE:.0f} %, ≥ {FP.LEAST}, ≥ {FP.TEXTS} texts) "
          "| by set (hidden/seen) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for path, (hid, seen, _w) in full.items():
        by = [f"{s} {sum(1 for x in obs if x[0] == s and x[2] == path and not x[3])}/"
              f"{sum(1 for x in obs if x[0] == s and x[2] == path)}" for s in sets
              if any(x[0] == s and x[2] == path for x in obs)]
        print(f"| {path} | {seen} | {hid} | {100 * hid / seen:.0f} % | {'yes' if path in weak else ''} | {', '.join(by)} |")
    if not args.loso:
        return 0
    print("\n| held-out set | wrong or missing | flagged: without figure flags | with (calibrated on the others) "
          "| flags real: without | with | figure flags | weak paths |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    t = Counter()
    for s in sets:
        group = [p for p in plans if p.set == s]
        if not group:
            continue
        run(group, dict(TP.WEAK), {})
        b = UE.summary_line(UE.tally(group))
        cal = figure_table(obs, leave_out=s)
        run(group, dict(TP.WEAK), cal)
        a = UE.summary_line(UE.tally(group))
        n = sum(1 for p in group for f in p.flags if "figures of the evaluation's plans" in f["reason"])
        for k in ("wrong_or_missing", "flagged", "flags", "flags_on_problems"):
            t[k + "_b"] += b[k]
            t[k + "_a"] += a[k]
        t["n"] += n
        print(f"| {s} | {a['wrong_or_missing']} | {b['flagged']} ({100 * b['flagged_share']:.1f} %) | "
              f"{a['flagged']} ({100 * a['flagged_share']:.1f} %) | {b['flags_on_problems']}/{b['flags']} "
              f"({100 * b['flag_precision']:.1f} %) | {a['flags_on_problems']}/{a['flags']} ({100 * a['flag_precision']:.1f} %)"
              f" | {n} | {', '.join(sorted(FP.weak(cal)))} |")
    print(f"| all (each set held out) | {t['wrong_or_missing_a']} | {t['flagged_b']} "
          f"({100 * t['flagged_b'] / max(1, t['wrong_or_missing_b']):.1f} %) | {t['flagged_a']} "
          f"({100 * t['flagged_a'] / max(1, t['wrong_or_missing_a']):.1f} %) | {t['flags_on_problems_b']}/{t['flags_b']} "
          f"({100 * t['flags_on_problems_b'] / max(1, t['flags_b']):.1f} %) | {t['flags_on_problems_a']}/{t['flags_a']} "
          f"({100 * t['flags_on_problems_a'] / max(1, t['flags_a']):.1f} %) | {t['n']} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
