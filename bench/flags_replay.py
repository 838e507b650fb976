"""The review flags alone, on drafts with many errors: the unseen texts
drafted by an *older* ingest (a commit given), scored by
``bench/unseen_eval.py`` with the flags that ingest raised then, and again
with the independent checks of ``ingest/flags.py`` (today's) added.

    .venv/bin/python bench/flags_replay.py 54070f0                  # tuning, frozen … frozen4
    .venv/bin/python bench/flags_replay.py 54070f0 --set tuning --show
    .venv/bin/python bench/flags_replay.py 54070f0 --by-set         # one line per set too

Why: the drafts of today's ingest are nearly right on the sets it was
tuned on, so they say little about whether the flags find errors.  The
drafts of an older ingest on the same texts hold the errors it really made
(a title not found behind a notice, a page label read as the issuer, a past
figure read as a target, …): the flags are tuned on those.  A held-out
set (``frozen4``, ``frozen5``) is replayed only after it was measured once,
blind, with the ingest of its day (``unseen_eval.py --set frozen5``).

The old code and its ``data/`` come from ``git archive COMMIT src data`` into
a temporary directory and draft in a subprocess; the drafts come back as
JSON (plan id, catalogue entry, body, cleaned lines, review flags).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

import unseen_eval as E  # noqa: E402

SETS = ("tuning", "frozen", "frozen2", "frozen3", "frozen4", "frozen5", "frozen6")  # each replayed only after it was measured once, blind

DRAFTER = r"""
import json, sys
from pathlib import Path
from chengzhen.ingest.draft import make_draft, verify
from chengzhen.ingest.errors import IngestError
data = Path(sys.argv[1])
out = {}
for name, path in json.loads(sys.argv[2]).items():
    try:
        d = make_draft(Path(path), data, None, label=path)
        verify(d, data)
        out[name] = {"plan_id": d.plan_id, "entry": d.entry, "body": d.body, "lines": d.lines,
                     "review": [list(r) for r in d.review], "source_text": d.source_text}
    except IngestError as exc:
        out[name] = {"refused": str(exc)}
    except Exception as exc:
        out[name] = {"refused": f"internal error: {type(exc).__name__}: {exc}"}
print(json.dumps(out, ensure_ascii=False, default=str))
"""


def old_drafts(commit: str, plans: list[E.Plan]) -> dict:
    with tempfile.TemporaryDirectory(prefix="cz-replay-") as tmp:
        root = Path(tmp)
        tar = subprocess.run(["git", "archive", commit, "src", "data"], cwd=REPO, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(root)], input=tar.stdout, check=True)
        files = {p.name: str(p.text) for p in plans}
        res = subprocess.run([sys.executable, "-c", DRAFTER, str(root / "data"), json.dumps(files)],
                             env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True, check=True)
        return json.loads(res.stdout)


def score(plans: list[E.Plan], drafts: dict, with_flags: bool, kinds_only: bool = False) -> None:
    from chengzhen.ingest import flag_kinds as K
    from chengzhen.ingest import flags as FL

    for p in plans:
        got = drafts[p.name]
        p.fields, p.flags, p.refused = [], [], got.get("refused")
        if p.refused:
            p.d = None
        else:
            d = SimpleNamespace(**got)
            d.review = [tuple(r) for r in d.review]
            if with_flags and kinds_only:  # only the fourth round's checks by kind, on top of the drafts' own flags
                ev = FL._evidence(d, E.DATA, None)
                flagged = {r.split(":", 1)[0] for _l, i, r in d.review if i == d.plan_id}
                new = [x for c in K.CHECKS for x in c(ev) if not (x[1] == d.plan_id and x[2].split(":", 1)[0] in flagged)]
                new += K.inherited(ev, flagged | {x[2].split(":", 1)[0] for x in new if x[1] == d.plan_id})
                FL._write(d, ev, new)
                d.review = list(d.review) + new
            elif with_flags:
                FL.raise_flags(d, E.DATA)
            p.d = d
        p.score()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("commit", help="the ingest whose drafts are replayed (e.g. 54070f0)")
    ap.add_argument("--set", choices=SETS + ("all",), default="all")
    ap.add_argument("--show", action="store_true", help="every field that is not correct, and every flag")
    ap.add_argument("--by-set", action="store_true", help="a summary line for each set as well")
    ap.add_argument("--kinds-only", action="store_true", help="add only the checks by kind (ingest/flag_kinds.py) "
                    "to the drafts' own flags: what the fourth round's checks alone add")
    args = ap.parse_args(argv)
    plans = [E.Plan(g) for g in sorted(E.GOLD.glob("*.yaml"))]
    plans = [p for p in plans if p.set in SETS and (args.set == "all" or p.set == args.set) and p.text.is_file()]
    if not plans:
        print("flags_replay: no texts in bench/unseen/: nothing to replay")
        return 0
    drafts = old_drafts(args.commit, plans)
    for with_flags in (False, True):
        score(plans, drafts, with_flags, args.kinds_only)
        t = E.tally(plans)
        s = E.summary_line(t)
        label = ("with the checks by kind" if args.kinds_only else "with ingest/flags.py") if with_flags else "its own flags"
        print(f"{args.commit} drafts, {label}: {s['wrong_or_missing']} of {s['fields']} fields wrong or missing, "
              f"{s['flagged']} flagged ({100 * s['flagged_share']:.1f} %); {s['flags']} flags, "
              f"{s['flags_on_problems']} on a real problem ({100 * s['flag_precision']:.1f} %; "
              f"{s['flags_on_source']} on a copy that breaks off), {s['needed_decisions']} decisions, "
              f"{s['false_alarms']} false alarms; refused {s['refused']}")
        by_kind = Counter()
        for p in plans:
            for f in p.fields:
                if f["outcome"] in ("wrong_unflagged", "missing_unflagged"):
                    by_kind[f["kind"]] += 1
        if by_kind:
            print("  unflagged: " + ", ".join(f"{k} {v}" for k, v in by_kind.most_common()))
        if args.by_set:
            for name in SETS:
                group = [p for p in plans if p.set == name]
                if group:
                    g = E.summary_line(E.tally(group))
                    print(f"  {name}: {g['wrong_or_missing']} of {g['fields']} wrong or missing, {g['flagged']} flagged; "
                          f"{g['flags']} flags, {g['flags_on_problems']} real ({100 * g['flag_precision']:.1f} %), "
                          f"{g['needed_decisions']} decisions, {g['false_alarms']} false alarms")
    if args.show:
        for p in plans:
            print(f"\n## {p.name} ({p.set})" + (f" — refused: {p.refused}" if p.refused else ""))
            for f in p.fields:
                if f["outcome"] != "correct":
                    print(f"  {f['outcome']:<18} {f['kind']:<22} {f['key']}  {f['detail']}")
            for f in p.flags:
                print(f"  flag [{f['verdict']}] line {f['line']} {f['item']}: {f['reason'][:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
