"""How well `cz ingest` drafts real plans it was not built on — and whether
its review flags find its errors.

    .venv/bin/python bench/unseen_eval.py                  # frozen and tuning sets, per field
    .venv/bin/python bench/unseen_eval.py --set frozen     # one set
    .venv/bin/python bench/unseen_eval.py --plan sichuan --show    # every problem and flag of one plan
    .venv/bin/python bench/unseen_eval.py --json

The texts are in the git-ignored ``bench/unseen/`` (copied from the web,
never committed); their URLs and hand-checked gold facts are in
``bench/unseen_gold/*.yaml`` (see its README).  Without the texts — a fresh
clone, CI — the eval says so and exits 0.

Each text is drafted as a curator would (``cz ingest FILE --dry-run``: no
``--id``; the draft loaded and audited as ``cz validate`` does, what the
audit refuses mended and flagged) into a copy of ``data/``, and every gold
fact is scored as one field:

correct               the draft states it as the gold does
wrong, flagged        the draft states something else, and a review flag points at it
wrong, unflagged      … and nothing points at it
missing, flagged      the draft does not state it, and a flag says so
missing, unflagged    the draft does not state it, silently

Fields: each catalogue field; each heading and numbered measure; each
measure's 责任单位 list and the plan-wide assignment note; each quantity of
the text — as a target (found, then each of its fields) or as a deliberate
non-target (a target drafted for it is wrong); a target drafted where the
gold has no quantity is a wrong ``target``; a heading or numbered measure
the gold lacks is a wrong one.  A refused draft leaves every field missing,
unflagged (the refusal is counted apart).

Flags: every review flag of the draft (the list `cz ingest` ends with) is
matched to the fields it points at (its line and record; a catalogue flag to
its field; a proposed vocabulary entry to the targets or lists naming it).
It *points at a real problem* when one of those fields is wrong or missing,
or when it says the copy breaks off and the gold says so too (the text of
its last record is incomplete: a problem of the source, counted apart); a
proposal whose name the gold confirms, or a flag on a catalogue field the
source does not state (the gold's `stated_not`: the curator must supply or
confirm it), is a *needed decision*; the rest are *false alarms*.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

from chengzhen.ingest.draft import make_draft, verify  # noqa: E402
from chengzhen.ingest.errors import IngestError  # noqa: E402
from chengzhen.text.normalize import PINYIN_GLOSS, to_simplified  # noqa: E402

TEXTS = HERE / "unseen"
GOLD = HERE / "unseen_gold"
DATA = REPO / "data"
OUTCOMES = ("correct", "wrong_flagged", "wrong_unflagged", "missing_flagged", "missing_unflagged")
CATALOGUE = ("name", "issuer", "doc_number", "issue_date", "period", "parent", "region", "level", "abridged",
             "completeness")
TARGET_FIELDS = ("indicator", "unit", "comparator", "year", "year_implied", "basis", "scope", "baseline_year",
                 "aspiration")
GLOSS_SPACED = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]{1,9}\)\s?")


def fold(s) -> str:
    """A text as the gold writes it: simplified, no pinyin glosses, no spaces,
    one kind of dash, bracket and numbering dot, no closing 。."""
    if s is None:
        return ""
    s = str(s)
    s = GLOSS_SPACED.sub("", PINYIN_GLOSS.sub("", s))
    s = to_simplified(s)
    s = re.sub(r"\s+", "", s)
    s = s.translate(str.maketrans({"（": "(", "）": ")", "―": "—", "–": "—", "-": "—", "﹒": ".", "．": ".",
                                   "〈": "《", "〉": "》", "，": ",", "：": ":", "；": ";"}))
    return s.rstrip("。")


def period_of(entry: dict) -> str | None:
    p = entry.get("period")
    if isinstance(p, dict) and p.get("start") and p.get("end"):
        return f"{p['start']}-{p['end']}"
    return None


class Plan:
    """One gold file, its draft, and the scored fields."""

    def __init__(self, gold_path: Path):
        self.gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        self.name = gold_path.stem
        self.set = self.gold.get("set", "tuning")
        self.text = TEXTS / self.gold["file"]
        self.fields: list[dict] = []  # {kind, key, outcome, detail}
        self.flags: list[dict] = []  # {line, item, reason, fields: [...], verdict}
        self.refused: str | None = None
        self.seconds = 0.0
        self.validates = None
        self.problems: list[str] = []
        self.blocking: list[tuple[str, str, str]] = []  # (item, field, message): E111 of a pending draft

    # ---------------------------------------------------------------- drafting
    def draft(self, data: Path) -> None:
        t0 = time.perf_counter()
        try:
            d = make_draft(self.text, data, None, label=str(self.text))
            audit = verify(d, data)
            self.validates = audit.ok
            self.problems = [str(x) for x in audit.problems if x.severity == "error"]
            # what `cz review ID` lists first for a draft kept pending: a field validation finds empty (E111)
            self.blocking = [(x.item, m.group(1), str(x.message)) for x in audit.problems
                             if x.severity == "error" and x.code == "E111"
                             for m in [re.search(r"field '(\w+)' must not be empty", str(x.message))] if m]
            self.d = d
        except IngestError as exc:
            self.refused = str(exc)
            self.d = None
        except Exception as exc:  # noqa: BLE001 - an internal error is a refusal too, and is reported
            self.refused = f"internal error: {type(exc).__name__}: {exc}"
            self.d = None
        self.seconds = time.perf_counter() - t0

    # ---------------------------------------------------------------- scoring
    def add(self, kind: str, key: str, outcome: str, detail: str = "", flag_keys=()) -> dict:
        f = {"kind": kind, "key": key, "outcome": outcome, "detail": detail}
        self.fields.append(f)
        return f

    def score(self) -> None:
        g = self.gold
        if self.d is None:
            for k in CATALOGUE:
                if g["catalogue"].get(k) not in (None, False):
                    self.add(f"catalogue.{k}", k, "missing_unflagged", "refused")
            for h in g.get("headings", []):
                self.add("heading", h, "missing_unflagged", "refused")
            for m in g.get("measures", []):
                self.add("measure", m, "missing_unflagged", "refused")
            for dep in g.get("departments", []):
                self.add("departments", dep["measure"], "missing_unflagged", "refused")
            if g.get("all_tasks"):
                self.add("all_tasks", "note", "missing_unflagged", "refused")
            for n in g.get("numbers", []):
                self.add("target" if "target" in n else "non_target", n["near"],
                         "missing_unflagged" if "target" in n else "correct", "refused")
            return
        d = self.d
        self.lines = [fold(x) for x in d.lines]
        self.records = list(_records(d.body))
        self.sections = list(_sections(d.body))
        flags = []
        for line, item, reason in d.review:
            flags.append({"line": line, "item": item, "reason": reason, "fields": []})
        for item, key, message in self.blocking:  # the checklist's blocking items name their field too
            if not any(f["item"] == item and re.match(rf"{key}\b", f["reason"]) for f in flags):
                flags.append({"line": None, "item": item, "reason": f"{key}: blocking (E111): {message}", "fields": []})
        self.flags = flags
        self._catalogue()
        self._outline()
        self._departments()
        self._numbers()
        self._texts()
        excerpt = g["catalogue"].get("completeness") == "excerpt"
        for f in self.flags:
            bad = [x for x in f["fields"] if x["outcome"] != "correct"]
            if bad:
                f["verdict"] = "problem"
            elif f.get("decision") or any(f["item"] == self.d.plan_id and re.match(rf"{k}\b", f["reason"])
                                          for k in g.get("stated_not") or []):
                f["verdict"] = "decision"  # a field the source does not state: the curator must supply or confirm it
            elif excerpt and f["item"] == self.d.plan_id and f["reason"].startswith("completeness:"):
                f["verdict"] = "source"  # the copy does break off: a real problem of the text, no field's
            elif f.get("decision"):
                f["verdict"] = "decision"
            else:
                f["verdict"] = "false alarm"

    def _flags_for(self, pred) -> list[dict]:
        return [f for f in self.flags if pred(f)]

    def _attach(self, field: dict, flags: list[dict]) -> dict:
        for f in flags:
            f["fields"].append(field)
        if flags and field["outcome"] in ("wrong_unflagged", "missing_unflagged"):
            field["outcome"] = field["outcome"].replace("unflagged", "flagged")
        return field

    def _catalogue(self) -> None:
        g, e = self.gold["catalogue"], self.d.entry
        accept = self.gold.get("accept") or {}
        for k in CATALOGUE:
            want = g.get(k)
            if k == "period":
                got = period_of(e)
            elif k == "completeness":
                got = "excerpt" if re.search(r"节选|摘录|excerpt|不完整|截断", e.get("completeness") or "") else \
                    (e.get("completeness") or None)
            elif k == "abridged":
                got = bool(e.get("abridged"))
                want = bool(want)
            elif k == "issue_date":
                got = str(e["issue_date"]) if e.get("issue_date") else None
            else:
                got = e.get(k)
            ok_values = [want] + list(accept.get(k, []))
            ok = any((fold(got) == fold(v)) if (got is not None and v is not None) else (got is None and v is None)
                     for v in ok_values)
            if ok:
                outcome = "correct"
            elif got in (None, "", False) and want not in (None, False):
                outcome = "missing_unflagged"
            else:
                outcome = "wrong_unflagged"
            field = self.add(f"catalogue.{k}", k, outcome, f"draft {got!r}, gold {want!r}")
            # a catalogue flag is the plan's, its reason opening with the field's name (`period: …`);
            # a field marked `supplied` is not a flag by itself
            flagged = self._flags_for(lambda f, k=k: f["item"] == self.d.plan_id and re.match(rf"{k}\b", f["reason"]))
            self._attach(field, flagged)

    def _outline(self) -> None:
        # every drafted heading and numbered measure is one field (two drafted alike are two)
        drafted = [(fold((s.get("number") or "") + s["title"]), s) for s in self.sections]
        want = [fold(h) for h in self.gold.get("headings", [])]
        used: set[int] = set()
        for h, raw in zip(want, self.gold.get("headings", [])):
            s = next((x for k, x in drafted if k == h and id(x) not in used), None)
            if s is not None:
                used.add(id(s))
                field = self.add("heading", raw, "correct")
                self._attach(field, self._record_flags(s.get("id"), s.get("line")) + self._structure_flags())
            else:
                field = self.add("heading", raw, "missing_unflagged")
                self._attach(field, self._flags_for(lambda f, h=h: h and h in fold(f["reason"])) +
                             self._structure_flags())
        for key, s in drafted:
            if id(s) not in used and not s.get("restored"):
                field = self.add("heading", s.get("number", "") + s["title"], "wrong_unflagged", "not a heading of the plan")
                self._attach(field, self._record_flags(s.get("id"), s.get("line")))
        numbered = [(fold((r.get("number") or "") + (r.get("title") or "")), r) for r in self.records
                    if r.get("number") and r["kind"] == "measure"]
        want = [fold(m) for m in self.gold.get("measures", [])]
        used = set()
        for m, raw in zip(want, self.gold.get("measures", [])):
            r = next((x for k, x in numbered if k == m and id(x) not in used), None)
            if r is not None:
                used.add(id(r))
            field = self.add("measure", raw, "correct" if r is not None else "missing_unflagged")
            self._attach(field, (self._record_flags(r["id"], r["line"]) if r is not None else
                                 self._flags_for(lambda f, m=m: m and m in fold(f["reason"]))) + self._structure_flags())
        for key, r in numbered:
            if id(r) not in used:
                field = self.add("measure", (r.get("number") or "") + (r.get("title") or ""), "wrong_unflagged",
                                 "not a numbered measure of the plan")
                self._attach(field, self._record_flags(r["id"], r["line"]))

    def _structure_flags(self) -> list[dict]:
        """A flag that the outline may be wrong (few numbered headings) points at every heading and measure."""
        return self._flags_for(lambda f: f["item"] == self.d.plan_id and f["reason"].startswith("structure:"))

    def _record_flags(self, rid, line) -> list[dict]:
        """The record's flags, and the plan's flags on its line that the copy breaks off there or that the
        outline is in doubt there (structure: …)."""
        return self._flags_for(lambda f: f["item"] == rid or (line and f["line"] == line and (
            f["item"] != self.d.plan_id or f["reason"].startswith(("completeness:", "structure:")))))


    def _departments(self) -> None:
        by_number = {fold(r.get("number")): r for r in self.records if r.get("number")}
        seen = set()
        for dep in self.gold.get("departments", []):
            r = by_number.get(fold(dep["measure"]))
            want = [fold(n) for n in dep["names"]]
            got = [fold(n) for n in _dept_names(r.get("departments", []))] if r else []
            seen.add(id(r))
            outcome = "correct" if got == want else ("missing_unflagged" if not got else "wrong_unflagged")
            field = self.add("departments", dep["measure"], outcome, f"draft {got}, gold {want}")
            if r is not None:
                proposals = self._flags_for(lambda f: fold(f["item"]) in want and f["line"] == 0)
                self._attach(field, self._record_flags(r["id"], r["line"]) + proposals)
                if outcome == "correct":
                    for f in proposals:
                        f["decision"] = True
        for r in self.records:
            if r.get("departments") and id(r) not in seen:
                field = self.add("departments", r["id"], "wrong_unflagged", "a list the gold does not have")
                self._attach(field, self._record_flags(r["id"], r["line"]))
        want = self.gold.get("all_tasks")
        got = (self.d.body.get("applies_to_all_tasks") or {}).get("departments")
        if want or got:
            w = [fold(n) for n in (want or {}).get("names", [])]
            gn = [fold(n) for n in _dept_names(got or [])]
            outcome = "correct" if w == gn else ("missing_unflagged" if not gn else "wrong_unflagged")
            field = self.add("all_tasks", "note", outcome, f"draft {gn}, gold {w}")
            self._attach(field, self._flags_for(lambda f: "以下" in f["reason"] or "all_tasks" in f["reason"]))
            if outcome == "correct":
                for f in self._flags_for(lambda f: f["line"] == 0 and fold(f["item"]) in w):
                    f["decision"] = True

    def _line_of(self, near: str) -> int | None:
        n = fold(near)
        for i, ln in enumerate(self.lines, start=1):
            if n in ln:
                return i
        return None

    def _numbers(self) -> None:
        targets = [(r, t) for r in self.records for t in r.get("targets", [])]
        matched = set()
        # which drafted target is which gold number: first those whose figure as written stands in the
        # gold's `near` (two numbers of one value on one line — 1亿 and 1个百分点 — are told apart so), then
        # any other of the value on the line
        pairs: dict[int, tuple] = {}
        gold = self.gold.get("numbers", [])
        lines = [self._line_of(n["near"]) for n in gold]
        for strict in (True, False):
            for k, n in enumerate(gold):
                if k in pairs or lines[k] is None:
                    continue
                for r, t in targets:
                    if id(t) in matched or t.get("value") is None or float(t["value"]) != float(n["value"]) \
                            or not _on_line(r, t, lines[k]):
                        continue
                    if strict and fold(t.get("as_written")) not in fold(n["near"]):
                        continue
                    pairs[k] = (r, t)
                    matched.add(id(t))
                    break
        for k, n in enumerate(gold):
            line = lines[k]
            hits = [pairs[k]] if k in pairs else []
            # a figure of the gold's line that is written there but not drafted: the flags of its line
            line_flags = self._flags_for(lambda f: line is not None and f["line"] == line and
                                         _mentions(f["reason"], n["value"]))
            if "target" in n:
                if not hits:
                    field = self.add("target", n["near"], "missing_unflagged", "not drafted")
                    self._attach(field, line_flags)
                    continue
                r, t = hits[0]
                tflags = self._target_flags(r, t)
                self._attach(self.add("target", n["near"], "correct"), tflags)
                aw = fold(t.get("as_written"))
                for k in TARGET_FIELDS:
                    spec = n["target"]
                    if k == "scope" and "scope_contains" in spec:
                        ok = bool(t.get("scope")) and spec["scope_contains"] in fold(t.get("scope"))
                        want = f"…{spec['scope_contains']}…"
                    elif k in spec:
                        want = spec[k]
                        got = t.get(k)
                        if k == "indicator":
                            wants = want if isinstance(want, list) else [want]
                            ok = fold(got) in [fold(w) for w in wants]
                        else:
                            ok = got == want or (got in (None, False) and want in (None, False))
                    else:
                        continue
                    got = t.get(k)
                    outcome = "correct" if ok else ("missing_unflagged" if got in (None, "") and want not in
                                                    (None, False) else "wrong_unflagged")
                    field = self.add(f"target.{k}", n["near"], outcome, f"draft {got!r}, gold {want!r}")
                    # a flag points at this field when a part of it names the field (`scope: …`, an indicator
                    # proposal, a year) or the figure, or says the target could not be verified
                    self._attach(field, [f for f in tflags if any(
                        p.startswith(k) or (k == "indicator" and "indicator" in p) or (k == "year" and "year" in p)
                        or (aw and aw in fold(p)) or "could not be verified" in p
                        for p in f["reason"].split("; "))])
                    if k == "indicator" and ok:
                        # a proposal of the right name is a decision the curator must take, not an error
                        for f in self._flags_for(lambda f: (f["line"] == 0 and fold(f["item"]) == fold(got)) or
                                                 (f["item"] == r["id"] and f["reason"] == t.get("review") and
                                                  all("proposed as a new one" in x for x in f["reason"].split("; ")))):
                            f["decision"] = True
            else:
                if hits:
                    r, t = hits[0]
                    field = self.add("non_target", n["near"], "wrong_unflagged", f"drafted as {t.get('indicator')}: {n['why']}")
                    self._attach(field, self._target_flags(r, t))
                else:
                    self.add("non_target", n["near"], "correct", n["why"])
        for r, t in targets:
            if id(t) not in matched:
                field = self.add("target", f"{t.get('as_written')} (line {t.get('line')})", "wrong_unflagged",
                                 f"a target the gold does not have: {t.get('indicator')}")
                self._attach(field, self._target_flags(r, t))

    def _target_flags(self, r, t) -> list[dict]:
        """The target's own review, a flag of its record that names its figure, a proposal of its indicator."""
        aw = fold(t.get("as_written"))
        own = t.get("review") or ""
        return self._flags_for(lambda f: (f["item"] == r["id"] and ((own and f["reason"] == own)
                                                                    or (aw and aw in fold(f["reason"]))))
                               or (f["line"] == 0 and fold(f["item"]) == fold(t.get("indicator"))))

    def _texts(self) -> None:
        texts = [fold(r.get("text", "")) + fold(r.get("title", "")) for r in self.records]
        for want in self.gold.get("text_contains", []):
            ok = any(fold(want) in x for x in texts)
            self.add("text", want, "correct" if ok else "wrong_unflagged", "" if ok else "not in any record's text")


def _records(body: dict):
    yield from body.get("measures", [])
    for s in _sections(body):
        yield from s.get("measures", [])


def _sections(body: dict):
    stack = list(reversed(body.get("sections", [])))
    while stack:
        s = stack.pop()
        yield s
        stack.extend(reversed(s.get("sections", [])))


def _dept_names(entries) -> list[str]:
    out = []
    for e in entries or []:
        if isinstance(e, dict):
            out.extend(e.get("names") or [e.get("joint")])
        else:
            out.append(e)
    return out


def _on_line(r: dict, t: dict, line: int) -> bool:
    return t.get("line") == line or (r.get("line", 0) <= line <= r.get("line_end", r.get("line", 0))
                                     and t.get("line") == r.get("line"))


def _mentions(reason: str, value) -> bool:
    v = float(value)
    forms = {f"{v:g}", str(int(v)) if v.is_integer() else f"{v:g}"}
    return any(re.search(rf"(?<![\d.]){re.escape(x)}(?![\d])", reason) for x in forms)


def tally(plans: list[Plan]) -> dict:
    per_kind: dict[str, Counter] = defaultdict(Counter)
    for p in plans:
        for f in p.fields:
            kind = f["kind"].split(".")[0] if f["kind"].startswith("catalogue") else f["kind"]
            per_kind[f["kind"]][f["outcome"]] += 1
            per_kind["(all)"][f["outcome"]] += 1
            del kind
    flags = Counter(f["verdict"] for p in plans for f in p.flags)
    return {"fields": {k: dict(v) for k, v in per_kind.items()}, "flags": dict(flags),
            "refused": [p.name for p in plans if p.refused], "plans": len(plans)}


def summary_line(t: dict) -> dict:
    a = Counter(t["fields"].get("(all)", {}))
    bad = sum(a[k] for k in OUTCOMES if k != "correct")
    flagged = a["wrong_flagged"] + a["missing_flagged"]
    nflags = sum(t["flags"].values())
    return {"fields": sum(a.values()), "correct": a["correct"], "wrong_or_missing": bad, "flagged": flagged,
            "flagged_share": round(flagged / bad, 3) if bad else 1.0, "flags": nflags,
            "flags_on_problems": t["flags"].get("problem", 0) + t["flags"].get("source", 0),
            "flags_on_fields": t["flags"].get("problem", 0), "flags_on_source": t["flags"].get("source", 0),
            "flag_precision": round((t["flags"].get("problem", 0) + t["flags"].get("source", 0)) / nflags, 3)
            if nflags else 1.0,
            "needed_decisions": t["flags"].get("decision", 0), "false_alarms": t["flags"].get("false alarm", 0),
            "refused": len(t["refused"])}


def print_table(title: str, t: dict) -> None:
    print(f"\n### {title} ({t['plans']} texts)\n")
    print("| field | correct | wrong, flagged | wrong, unflagged | missing, flagged | missing, unflagged |")
    print("| --- | --- | --- | --- | --- | --- |")
    order = sorted((k for k in t["fields"] if k != "(all)"), key=_field_order)
    for k in order + ["(all)"]:
        c = t["fields"][k]
        name = f"**{k}**" if k == "(all)" else k
        print(f"| {name} | " + " | ".join(str(c.get(o, 0)) for o in OUTCOMES) + " |")
    s = summary_line(t)
    print(f"\nwrong or missing: {s['wrong_or_missing']} of {s['fields']} fields; flagged: {s['flagged']} "
          f"({100 * s['flagged_share']:.1f} %, bound ≥ 90 %)")
    print(f"flags: {s['flags']}; pointing at a real problem: {s['flags_on_problems']} "
          f"({100 * s['flag_precision']:.1f} %, bound ≥ 50 %: {s['flags_on_fields']} at a wrong or missing field, "
          f"{s['flags_on_source']} at a copy that breaks off); needed vocabulary decisions: {s['needed_decisions']}; "
          f"false alarms: {s['false_alarms']}")
    print(f"refused: {s['refused']}" + (f" ({', '.join(t['refused'])})" if t["refused"] else ""))


def _field_order(k: str):
    groups = ["catalogue", "heading", "measure", "departments", "all_tasks", "target", "non_target", "text"]
    head = k.split(".")[0]
    return (groups.index(head) if head in groups else 99, k)


def gold_sets() -> list[str]:
    """The sets the gold files name (`set:`), frozen, frozen2 … in order, tuning last."""
    names = {(yaml.safe_load(g.read_text(encoding="utf-8")) or {}).get("set", "tuning") for g in GOLD.glob("*.yaml")}
    return sorted(names, key=lambda s: (s == "tuning", len(s), s))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sets = gold_sets()
    ap.add_argument("--set", choices=(*sets, "all"), default="all")
    ap.add_argument("--plan", help="one gold file's name (e.g. sichuan)")
    ap.add_argument("--show", action="store_true", help="list each field that is not correct, and every flag")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    golds = sorted(GOLD.glob("*.yaml"))
    plans = [Plan(g) for g in golds]
    if args.plan:
        plans = [p for p in plans if p.name == args.plan]
        if not plans:
            print(f"unseen_eval: no gold file bench/unseen_gold/{args.plan}.yaml", file=sys.stderr)
            return 2
    if args.set != "all":
        plans = [p for p in plans if p.set == args.set]
    present = [p for p in plans if p.text.is_file()]
    if not present:
        print(f"unseen_eval: none of the {len(plans)} texts is in {TEXTS.relative_to(REPO)}/ (they are copied from the "
              "web and never committed; their URLs are in bench/unseen_gold/*.yaml): nothing to evaluate")
        return 0
    absent = [p.name for p in plans if not p.text.is_file()]
    with tempfile.TemporaryDirectory(prefix="cz-unseen-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("build"))
        for p in present:
            p.draft(data)
            p.score()
    out = {}
    for name in sets:
        group = [p for p in present if p.set == name]
        if group:
            out[name] = tally(group)
    if len(out) > 1:
        out["all"] = tally(present)
    if args.json:
        print(json.dumps({k: {**v, "summary": summary_line(v)} for k, v in out.items()}, ensure_ascii=False, indent=1))
        return 0
    print("| text | set | drafted | fields | correct | wrong/missing | flagged | flags | real | s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for p in present:
        c = Counter(f["outcome"] for f in p.fields)
        bad = sum(v for k, v in c.items() if k != "correct")
        fl = c["wrong_flagged"] + c["missing_flagged"]
        real = sum(1 for f in p.flags if f["verdict"] in ("problem", "source"))
        drafted = "refused" if p.refused else ("yes" if p.validates else "yes (fails validate)")
        print(f"| {p.name} | {p.set} | {drafted} | {len(p.fields)} | {c['correct']} | {bad} | {fl} | {len(p.flags)} | "
              f"{real} | {p.seconds:.2f} |")
    for name, t in out.items():
        print_table({"frozen": "frozen (gold committed before tuning)",
                     "frozen2": "frozen2 (gold committed after the frozen set was measured, before the fixes it showed)",
                     "frozen3": "frozen3 (gold committed after frozen and frozen2 were measured and their lessons fixed)",
                     "frozen4": "frozen4 (gold committed after frozen3's lessons were fixed, before the flags were tuned)",
                     "frozen5": "frozen5 (gold committed before the flags' second round of tuning)",
                     "frozen6": "frozen6 (gold committed before the flags' third round of tuning)",
                     "frozen7": "frozen7 (gold committed before the flags' fourth round was measured, not drafted)",
                     "frozen8": "frozen8 (gold committed before the flags' fifth round was measured, not drafted)",
                     "frozen9": "frozen9 (gold committed before the flags' sixth round was measured, not drafted)",
                     "frozen10": "frozen10 (gold committed before the flags' sixth round was measured, not drafted)",
                     "frozen11": "frozen11 (gold committed before the flags' seventh round was measured, not drafted)",
                     "frozen12": "frozen12 (gold committed before the flags' eighth round was measured, not drafted)",
                     "frozen13": "frozen13 (gold committed before the flags' eighth round was measured, not drafted)",
                     "frozen14": "frozen14 (gold committed before the flags' eighth round was merged, not drafted; "
                                 "measured once after it)",
                     "frozen15": "frozen15 (gold committed after the flags' eighth round was merged, not drafted; "
                                 "measured once on it)",
                     "tuning": "tuning set", "all": "all"}.get(name, name), t)
    if absent:
        print(f"\nnot present in bench/unseen/: {', '.join(absent)}")
    if args.show:
        for p in present:
            print(f"\n## {p.name}" + (f" — refused: {p.refused}" if p.refused else ""))
            for f in p.fields:
                if f["outcome"] != "correct":
                    print(f"  {f['outcome']:<18} {f['kind']:<22} {f['key']}  {f['detail']}")
            for x in p.problems[:6]:
                print(f"  blocking: {x[:200]}")
            for f in p.flags:
                print(f"  flag [{f['verdict']}] line {f['line']} {f['item']}: {f['reason'][:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
