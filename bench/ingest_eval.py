"""How well `cz ingest` drafts the plans we curated by hand.

    .venv/bin/python bench/ingest_eval.py            # table per plan and overall
    .venv/bin/python bench/ingest_eval.py --json     # the figures as JSON
    .venv/bin/python bench/ingest_eval.py --plan hunan --show targets   # what differs

Each plan of data/plans.yaml is ingested from its raw source (the seed in
../shared/seeds it was copied from, else data/sources/<id>.txt) into a copy
of the data directory without that plan, and the draft is scored against
the hand-curated data/plans/<id>.yaml:

headings     sections (line, number, title; restored ones at their contents line): precision / recall
measures     unit boundaries (first line, and where the text starts): precision / recall
             (also: exact text, kind, title, id agreement among the matched)
departments  measures whose 责任单位 list equals the curated one exactly — each entry as
             written, a joint entry (西宁市、海东市政府) with the departments it names, and
             lead (牵头) — among all measures that have a list on either side; joint entries
             and lead names also as precision / recall
targets      numeric targets (value set): matched by line and value; precision / recall,
             and per field (indicator, unit, qualifier, comparator, year, year_implied,
             aspiration, cumulative, basis…) the share of draft / curated targets whose field
             also agrees
commitments  targets without a figure (全覆盖, 全面取消…): matched by line and wording;
             precision / recall; and among all matched targets, whether the draft's and the
             curated one are the same kind (an open-ended commitment or a dated target)
catalogue    name, short name, region, level, issuer, 文号, date, period, parent, script,
             abridged, title lines, name as written, the fields marked supplied: exact
skips        the skipped lines: precision / recall of the lines, and how many of the lines
             skipped on both sides have the same kind (header, signature, contents, web, summary)
tasks        national task proposals of the matched measures: precision / recall (pairs);
             no_task: the matched measures that carry none by the curated data and by the
             draft (precision / recall)
validate     the draft passes the audit (`cz validate`) in its temporary data directory,
             apart from its review flags (E304)

The vocabularies (departments, indicators, topics, national tasks) are the
project's, which were built while curating these same plans: indicator names
score higher here than they will on an unseen plan.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

from chengzhen.ingest.draft import make_draft, verify  # noqa: E402
from chengzhen.kb import loader as L  # noqa: E402
from chengzhen.text.normalize import squash  # noqa: E402

DATA = REPO / "data"
SEEDS = REPO.parent / "shared" / "seeds"
TARGET_FIELDS = ["indicator", "unit", "qualifier", "comparator", "year", "year_implied", "aspiration", "basis",
                 "cumulative", "scope", "baseline", "baseline_year", "value_max"]
CAT_FIELDS = ["name", "short_name", "region", "level", "issuer", "doc_number", "issue_date", "period", "parent",
              "script", "abridged", "title_lines", "name_as_written", "supplied"]


def pr(tp: int, n_draft: int, n_gold: int) -> tuple[float, float]:
    return (tp / n_draft if n_draft else 1.0), (tp / n_gold if n_gold else 1.0)


def gold_of(pid: str):
    kb = L.load_kb(DATA)
    plan = next(p for p in kb.plans if p.id == pid)
    return plan, L.load_plan(DATA, plan, kb.vocab)


def measures_of(body: dict):
    out = list(body.get("measures", []))
    stack = list(body.get("sections", []))
    while stack:
        s = stack.pop(0)
        out.extend(s.get("measures", []))
        stack[:0] = s.get("sections", [])
    return out


def sections_of(body: dict):
    out = []
    stack = list(body.get("sections", []))
    while stack:
        s = stack.pop(0)
        out.append(s)
        stack[:0] = s.get("sections", [])
    return out


def mkey(line: int, text: str) -> tuple:
    return (line, squash(text)[:12])


def source_of(plan) -> Path:
    if plan.seed and (SEEDS / plan.seed).is_file():
        return SEEDS / plan.seed
    return DATA / plan.source


def evaluate(pid: str, show: str | None = None) -> dict:
    plan, gold = gold_of(pid)
    with tempfile.TemporaryDirectory(prefix="cz-eval-") as tmp:
        root = Path(tmp) / "data"
        # the data without this plan: its own files left out
        shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build", pid + ".yaml", pid + ".txt"))
        src = source_of(plan)
        t0 = time.perf_counter()
        d = make_draft(src, root, plan_id=pid)
        audit = verify(d, root)
        seconds = time.perf_counter() - t0
    res: dict = {"plan": pid, "seconds": round(seconds, 3), "validate": audit.ok,
                 "review": len(d.review), "flags": len(d.flags)}
    # ---- headings
    g_h = {(s.line, s.number, squash(s.title)) for s in gold.body.sections}
    d_h = {(s["line"], s["number"], squash(s["title"])) for s in sections_of(d.body)}
    res["headings"] = (len(g_h & d_h), len(d_h), len(g_h))
    # ---- measures
    g_m = {mkey(x.line, x.text): x for x in gold.body.measures}
    d_m = {mkey(x["line"], x["text"]): x for x in measures_of(d.body)}
    both = set(g_m) & set(d_m)
    res["measures"] = (len(both), len(d_m), len(g_m))
    res["measure_text"] = (sum(squash(g_m[k].text) == squash(d_m[k]["text"]) for k in both), len(both))
    res["measure_kind"] = (sum(g_m[k].kind == d_m[k]["kind"] for k in both), len(both))
    res["measure_title"] = (sum((g_m[k].title or None) == (d_m[k].get("title") or None) for k in both), len(both))
    res["measure_id"] = (sum(g_m[k].id.split("/", 1)[1] == d_m[k]["id"].split("/", 1)[1] for k in both), len(both))
    # ---- departments: entries as written (joint ones with their names), and lead
    def g_entries(x):
        return [(e.as_written, tuple(e.names)) if e.joint else e.as_written for e in x.dept_entries]

    def d_entries(x):
        return [(e["joint"], tuple(e["names"])) if isinstance(e, dict) else e for e in x.get("departments", [])]

    keys = {k for k in set(g_m) | set(d_m) if (k in g_m and g_m[k].departments) or (k in d_m and d_m[k].get("departments"))}
    exact = sum(1 for k in keys if k in g_m and k in d_m and g_entries(g_m[k]) == d_entries(d_m[k])
                and set(g_m[k].lead) == set(d_m[k].get("lead", [])))
    res["departments"] = (exact, len(keys))
    g_joint = {(k, e) for k in g_m for e in g_entries(g_m[k]) if isinstance(e, tuple)}
    d_joint = {(k, e) for k in d_m for e in d_entries(d_m[k]) if isinstance(e, tuple)}
    res["joint"] = (len(g_joint & d_joint), len(d_joint), len(g_joint))
    g_lead = {(k, n) for k in g_m for n in g_m[k].lead}
    d_lead = {(k, n) for k in d_m for n in d_m[k].get("lead", [])}
    res["lead"] = (len(g_lead & d_lead), len(d_lead), len(g_lead))
    # ---- targets (numeric)
    g_t = [(x, t) for x in gold.body.measures for t in x.targets if t.value is not None]
    d_t = [(x, t) for x in measures_of(d.body) for t in x.get("targets", []) if t.get("value") is not None]
    used: set[int] = set()
    pairs = []
    for gx, gt in g_t:
        for j, (dx, dt) in enumerate(d_t):
            if j in used:
                continue
            if dt["line"] == gt.line and float(dt["value"]) == gt.value and \
                    (dt.get("value_max") is None) == (gt.value_max is None):
                used.add(j)
                pairs.append((gt, dt))
                break
    res["targets"] = (len(pairs), len(d_t), len(g_t))
    fields = {}
    for f in TARGET_FIELDS:
        fields[f] = sum(1 for gt, dt in pairs if _same(getattr(gt, f), dt.get(f)))
    res["target_fields"] = fields
    # ---- targets without a figure, and commitment vs dated target among all matched
    g_c = [(x, t) for x in gold.body.measures for t in x.targets if t.value is None]
    d_c = [(x, t) for x in measures_of(d.body) for t in x.get("targets", []) if t.get("value") is None]
    used = set()
    cpairs = []
    for gx, gt in g_c:
        for j, (dx, dt) in enumerate(d_c):
            if j not in used and dt["line"] == gt.line and (squash(dt["as_written"]) in squash(gt.quote)
                                                            or squash(gt.as_written) in squash(dt["quote"])):
                used.add(j)
                cpairs.append((gt, dt))
                break
    res["commitments"] = (len(cpairs), len(d_c), len(g_c))

    def is_commitment(t):
        return t.get("value") is None and (t.get("year") is None or t.get("year_implied"))
    both_kinds = pairs + cpairs
    res["kind"] = (sum(gt.is_commitment == is_commitment(dt) for gt, dt in both_kinds), len(both_kinds))
    # ---- catalogue
    e = d.entry
    got = {"name": e.get("name"), "short_name": e.get("short_name"), "region": e.get("region"),
           "level": e.get("level"), "issuer": e.get("issuer"), "doc_number": e.get("doc_number"),
           "issue_date": e.get("issue_date"), "period": (e["period"]["start"], e["period"]["end"]),
           "parent": e.get("parent"), "script": e.get("script"), "abridged": bool(e.get("abridged")),
           "title_lines": tuple(e.get("title_lines", [])), "name_as_written": "name" not in e.get("supplied", {}),
           "supplied": tuple(sorted(e.get("supplied", {})))}
    want = {"name": plan.name, "short_name": plan.short_name, "region": plan.region, "level": plan.level,
            "issuer": plan.issuer, "doc_number": plan.doc_number, "issue_date": plan.issue_date,
            "period": (plan.period_start, plan.period_end), "parent": plan.parent, "script": plan.script,
            "abridged": plan.abridged or "删减" in (plan.completeness or ""), "title_lines": tuple(plan.title_lines),
            "name_as_written": plan.name_as_written, "supplied": tuple(sorted(k for k, _ in plan.supplied))}
    res["catalogue"] = {f: got[f] == want[f] for f in CAT_FIELDS}
    res["catalogue_diff"] = {f: (want[f], got[f]) for f in CAT_FIELDS if got[f] != want[f]}
    # ---- national tasks
    tp = nd = ng = 0
    for k in both:
        gs, ds = set(g_m[k].tasks), set(d_m[k].get("tasks", []))
        tp += len(gs & ds)
        nd += len(ds)
        ng += len(gs)
    res["tasks"] = (tp, nd, ng)
    nt_g = {k for k in both if g_m[k].no_task}
    nt_d = {k for k in both if d_m[k].get("no_task")}
    res["no_task"] = (len(nt_g & nt_d), len(nt_d), len(nt_g))
    # ---- skips: which lines, and of which kind
    g_skip = {n: s.kind for s in plan.skip for n in range(s.first, s.last + 1)}
    d_skip = {}
    for s in e.get("skip", []):
        a, _, b = str(s["lines"]).partition("-")
        for n in range(int(a), int(b or a) + 1):
            d_skip[n] = s.get("kind")
    # blank lines inside a range count for nothing
    lines = d.lines
    g_skip = {n: k for n, k in g_skip.items() if n <= len(lines) and lines[n - 1].strip()}
    d_skip = {n: k for n, k in d_skip.items() if n <= len(lines) and lines[n - 1].strip()}
    common = set(g_skip) & set(d_skip)
    res["skips"] = (len(common), len(d_skip), len(g_skip))
    res["skip_kind"] = (sum(g_skip[n] == d_skip[n] for n in common), len(common))
    if show == "commitments":
        got = {id(dt) for _, dt in cpairs}
        gone = {id(gt) for gt, _ in cpairs}
        for gx, gt in g_c:
            if id(gt) not in gone:
                print("MISSED", gt.line, gt.indicator, "|", gt.as_written, "|", gt.quote[:50])
        for dx, dt in d_c:
            if id(dt) not in got:
                print("EXTRA ", dt["line"], dt["indicator"], "|", dt["as_written"], "|", dt["quote"][:50])
        for gt, dt in cpairs:
            diffs = [f"{f}: {getattr(gt, f)!r} vs {dt.get(f)!r}" for f in TARGET_FIELDS if not _same(getattr(gt, f), dt.get(f))]
            if diffs:
                print("FIELDS", gt.line, gt.indicator, "|", "; ".join(diffs))
    elif show:
        _show(show, g_h, d_h, g_m, d_m, g_t, d_t, pairs, res)
    return res


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float) or isinstance(a, int) and isinstance(b, int):
        try:
            return a is not None and b is not None and float(a) == float(b) or a is None and b is None
        except (TypeError, ValueError):
            return False
    return (a or None) == (b or None)


def _show(what, g_h, d_h, g_m, d_m, g_t, d_t, pairs, res):
    if what == "headings":
        print("missing:", sorted(g_h - d_h)[:40])
        print("extra:  ", sorted(d_h - g_h)[:40])
    elif what == "measures":
        for k in sorted(set(g_m) - set(d_m)):
            print("missing", k, g_m[k].id)
        for k in sorted(set(d_m) - set(g_m)):
            print("extra  ", k, d_m[k]["id"])
        for k in sorted(set(g_m) & set(d_m)):
            g, d = g_m[k], d_m[k]
            if g.kind != d["kind"] or (g.title or None) != (d.get("title") or None) or squash(g.text) != squash(d["text"]):
                print("differs", k, g.id, (g.kind, g.title), (d["kind"], d.get("title")))
    elif what == "departments":
        for k in sorted(set(g_m) | set(d_m)):
            g = list(g_m[k].departments) if k in g_m else None
            d = d_m[k].get("departments") if k in d_m else None
            if (g or d) and g != d:
                print(k, g, d)
    elif what == "targets":
        matched_d = {id(dt) for _, dt in pairs}
        matched_g = {id(gt) for gt, _ in pairs}
        for gx, gt in g_t:
            if id(gt) not in matched_g:
                print("MISSED", gt.line, gt.value, gt.unit, gt.indicator, "|", gt.quote[:60].replace("\n", "/"))
        for dx, dt in d_t:
            if id(dt) not in matched_d:
                print("EXTRA ", dt["line"], dt["value"], dt["unit"], dt["indicator"], "|", dt["quote"][:60].replace("\n", "/"))
        for gt, dt in pairs:
            diffs = [f"{f}: {getattr(gt, f)!r} vs {dt.get(f)!r}" for f in TARGET_FIELDS if not _same(getattr(gt, f), dt.get(f))]
            if diffs:
                print("FIELDS", gt.line, gt.value, gt.indicator, "|", "; ".join(diffs))
    elif what == "catalogue":
        print(res["catalogue_diff"])
    elif what == "tasks":
        for k in sorted(set(g_m) & set(d_m)):
            gs, ds = set(g_m[k].tasks), set(d_m[k].get("tasks", []))
            if gs != ds:
                print(k, g_m[k].id, sorted(gs), sorted(ds))


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


SUMMED = ("headings", "measures", "targets", "tasks", "joint", "lead", "commitments", "skips", "no_task")
PAIRS = ("departments", "kind", "skip_kind")


def totals(results: list[dict]) -> dict:
    tot: dict = {"plan": "**all**", "target_fields": Counter(), "catalogue": {}, "validate": True, "review": 0,
                 "flags": 0, "seconds": 0.0}
    for r in results:
        for k in SUMMED:
            tot[k] = tuple(a + b for a, b in zip(tot.get(k, (0, 0, 0)), r[k]))
        for k in PAIRS:
            tot[k] = tuple(a + b for a, b in zip(tot.get(k, (0, 0)), r[k]))
        tot["target_fields"].update(r["target_fields"])
        for f, ok in r["catalogue"].items():
            tot["catalogue"][f"{r['plan']}.{f}"] = ok
        tot["validate"] = tot["validate"] and r["validate"]
        tot["review"] += r["review"]
        tot["flags"] += r["flags"]
        tot["seconds"] = round(tot["seconds"] + r["seconds"], 2)
    return tot


def table(results: list[dict]) -> str:
    """Two tables: the goals of issue 15, then the fields of "Verified means verified"."""
    rows_a, rows_b = [], []
    head_a = ("| plan | headings P / R | measures P / R | 责任单位 exact | targets P / R | indicator | unit | qualifier "
              "| comparator | year | catalogue | validate | review | s |")
    head_b = ("| plan | implied year | aspiration | cumulative | commitment vs dated | commitments P / R "
              "| joint entries P / R | lead P / R | skipped lines P / R | skip kind | tasks P / R | no_task P / R |")
    for r in results + [totals(results)]:
        name = r["plan"] if r["plan"] != "**all**" else "**all**"
        hp, hr = pr(*r["headings"])
        mp, mr = pr(*r["measures"])
        tp_, tr_ = pr(*r["targets"])
        nt = r["targets"]

        def field(f):
            ok = r["target_fields"][f]
            return f"{pct(ok / nt[1]) if nt[1] else '—'} / {pct(ok / nt[2]) if nt[2] else '—'}"

        def prs(k):
            tp, nd, ng = r[k]
            p, rr = pr(tp, nd, ng)
            return f"{pct(p)} / {pct(rr)} ({ng})"

        def share(k):
            ok, n = r[k]
            return f"{pct(ok / n) if n else '—'} ({n})"
        cat = sum(r["catalogue"].values()) / len(r["catalogue"])
        rows_a.append(f"| {name} | {pct(hp)} / {pct(hr)} | {pct(mp)} / {pct(mr)} | {share('departments')} "
                      f"| {pct(tp_)} / {pct(tr_)} ({nt[2]}) | {field('indicator')} | {field('unit')} "
                      f"| {field('qualifier')} | {field('comparator')} | {field('year')} | {pct(cat)} "
                      f"| {'yes' if r['validate'] else 'NO'} | {r['review']} | {r['seconds']} |")
        rows_b.append(f"| {name} | {field('year_implied')} | {field('aspiration')} | {field('cumulative')} "
                      f"| {share('kind')} | {prs('commitments')} | {prs('joint')} | {prs('lead')} | {prs('skips')} "
                      f"| {share('skip_kind')} | {prs('tasks')} | {prs('no_task')} |")
    return "\n".join([head_a, "|" + " --- |" * 14, *rows_a, "", head_b, "|" + " --- |" * 12, *rows_b])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plan", action="append")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show", choices=["headings", "measures", "departments", "targets", "commitments", "catalogue",
                                       "tasks"])
    args = ap.parse_args()
    ids = [p.id for p in L.load_catalogue(DATA)]
    if args.plan:
        ids = [i for i in ids if i in args.plan]
    results = [evaluate(pid, args.show) for pid in ids]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    else:
        print(table(results))
        extra = [f"{r['plan']}: " + ", ".join(f"{k} {a!r}→{b!r}" for k, (a, b) in r["catalogue_diff"].items())
                 for r in results if r["catalogue_diff"]]
        if extra:
            print("\ncatalogue differences (curated → draft):\n" + "\n".join(extra))
        side = []
        for r in results:
            side.append(f"{r['plan']}: measure text {r['measure_text'][0]}/{r['measure_text'][1]}, "
                        f"kind {r['measure_kind'][0]}/{r['measure_kind'][1]}, title {r['measure_title'][0]}/"
                        f"{r['measure_title'][1]}, id {r['measure_id'][0]}/{r['measure_id'][1]}")
        print("\namong matched measures:\n" + "\n".join(side))
    return 0


if __name__ == "__main__":
    sys.exit(main())
