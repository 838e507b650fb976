"""Wrong edits, on purpose: the mutation suite behind `cz validate`.

Each kind of mutation makes ONE wrong edit of the sort a curator makes (a 文号
that is not in the source, a year the quote does not write, ≥ for 左右, a
dropped 责任单位 …) to one plan of a copy of the data, at the first place in
that plan where the edit applies.  :func:`run` applies every kind to every
plan of the catalogue and runs `cz validate --plan P` on the copy: a kind is
*caught* on a plan when validation reports a problem (exit 1) and *n/a* when
the plan has no place to make that edit (no 责任单位 clause, no baseline…).

Used by tests/test_mutation.py (every kind caught on every plan) and by
bench/mutation_report.py (the table in docs/data-format.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def dump(obj) -> str:
    return yaml.dump(obj, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20)


# --------------------------------------------------------------------------- walking a plan file

def sections(body: dict):
    """Every section dict with its parent (None at the top), in file order."""
    def walk(nodes, parent):
        for s in nodes or []:
            yield s, parent
            yield from walk(s.get("sections"), s)
    yield from walk(body.get("sections"), None)


def measures(body: dict):
    """Every measure dict with the list holding it and its section (None for the preamble)."""
    for m in body.get("measures") or []:
        yield m, body["measures"], None
    for s, _p in sections(body):
        for m in s.get("measures") or []:
            yield m, s["measures"], s


def targets(body: dict):
    for m, _l, s in measures(body):
        for t in m.get("targets") or []:
            yield t, m


def first(it, pred=lambda *_: True):
    for x in it:
        if pred(*x) if isinstance(x, tuple) else pred(x):
            return x
    return None


@dataclass
class Ctx:
    plan: str
    entry: dict  # the plan's catalogue entry (the plan: mapping of its file)
    body: dict  # plans/<plan>.yaml (entry included)
    national: dict | None  # national.yaml
    lines: list[str]  # the normalized source
    vocab: object  # kb Vocabularies
    bundle: object  # the loaded, unmutated plan


Mutation = Callable[[Ctx], "str | None"]


@dataclass(frozen=True)
class Kind:
    name: str
    what: str
    fn: Mutation


KINDS: list[Kind] = []


def kind(name: str, what: str):
    def deco(fn: Mutation) -> Mutation:
        KINDS.append(Kind(name, what, fn))
        return fn
    return deco


def _bump_digit(text: str) -> str:
    m = re.search(r"\d(?!.*\d)", text)
    d = int(m.group(0))
    return text[:m.start()] + str((d + 1) % 10) + text[m.end():]


# --------------------------------------------------------------------------- catalogue

@kind("doc-number", "文号 changed (or given where the source has none)")
def _doc_number(c: Ctx):
    c.entry["doc_number"] = _bump_digit(c.entry["doc_number"]) if c.entry.get("doc_number") else "某政〔2024〕99号"
    return "catalogue doc_number"


@kind("issue-date", "issue date moved by a day (or given where the source has none)")
def _issue_date(c: Ctx):
    d = c.entry.get("issue_date")
    if d:
        y, mo, day = str(d).split("-")
        c.entry["issue_date"] = f"{y}-{mo}-{int(day) % 28 + 1:02d}"
    else:
        c.entry["issue_date"] = "2024-01-15"
    return "catalogue issue_date"


@kind("issuer", "issuer changed (or given where the source has none)")
def _issuer(c: Ctx):
    c.entry["issuer"] = "某某省人民政府办公厅"
    return "catalogue issuer"


@kind("period-end", "period end moved by a year (contradicts the title, or unsupported)")
def _period(c: Ctx):
    if "period" in (c.entry.get("supplied") or {}):
        # a supplied period cannot contradict a title that states none: make
        # the curator's claim a title claim instead
        del c.entry["supplied"]["period"]
        if not c.entry["supplied"]:
            del c.entry["supplied"]
        return "catalogue supplied.period removed"
    c.entry["period"] = {"start": c.entry["period"]["start"], "end": c.entry["period"]["end"] + 1}
    return "catalogue period.end"


@kind("name", "plan name changed by one character")
def _name(c: Ctx):
    if "name" in (c.entry.get("supplied") or {}):
        return None  # the editors' name: not in the source to check against
    n = c.entry["name"]
    c.entry["name"] = n[:2] + n[3:]
    return "catalogue name"


@kind("abridged", "abridged flipped")
def _abridged(c: Ctx):
    c.entry["abridged"] = not c.entry.get("abridged", False)
    return "catalogue abridged"


@kind("parent", "parent changed (or given where the source names none)")
def _parent(c: Ctx):
    c.entry["parent"] = "国发〔2099〕1号"
    c.entry.get("supplied", {}).pop("parent", None)
    return "catalogue parent"


def _body_line(c: Ctx) -> int:
    """A line of the body: a measure's in the middle (else a section's)."""
    units = c.bundle.body.measures or c.bundle.body.sections
    return units[len(units) // 2].line


@kind("skip-widened", "a skip range widened over a body line")
def _skip_widened(c: Ctx):
    skips = c.entry.get("skip") or []
    if not skips:
        return None
    s = skips[-1]
    spec = str(s["lines"])
    a, _, b = spec.partition("-")
    last = int(b or a)
    target = last + 1
    # widen to the next line that holds text
    while target <= len(c.lines) and not c.lines[target - 1].strip():
        target += 1
    if target > len(c.lines):
        s = skips[0]
        a, _, b = str(s["lines"]).partition("-")
        first_ = int(a)
        if first_ == 1:
            return None
        s["lines"] = f"{first_ - 1}-{b or a}"
        return "skip widened backwards"
    s["lines"] = f"{a}-{target}"
    return f"skip {a}-{last} -> {a}-{target}"


@kind("skip-body", "a body line skipped as web-page chrome")
def _skip_body(c: Ctx):
    n = _body_line(c)
    c.entry.setdefault("skip", []).append({"lines": n, "kind": "web", "reason": "网页"})
    return f"skip {n}"


@kind("skip-kind", "a skip's kind changed (版头 called a table of contents, …)")
def _skip_kind(c: Ctx):
    skips = c.entry.get("skip") or []
    if not skips:
        return None
    s = skips[0]
    s["kind"] = {"contents": "signature"}.get(s["kind"], "contents")
    return f"skip {s['lines']} kind"


@kind("title-lines", "title_lines pointed at a body line")
def _title_lines(c: Ctx):
    c.entry["title_lines"] = [_body_line(c)]
    return "title_lines"


# --------------------------------------------------------------------------- targets

def _target(c: Ctx, pred):
    return first(targets(c.body), pred)


@kind("target-year", "a target year changed (the quote writes another)")
def _year(c: Ctx):
    got = _target(c, lambda t, m: t.get("year") and not t.get("year_implied"))
    if not got:
        return None
    t, m = got
    t["year"] += 1
    return f"{m['id']} year"


@kind("year-implied", "year_implied flipped")
def _year_implied(c: Ctx):
    got = _target(c, lambda t, m: t.get("year"))
    if not got:
        return None
    t, m = got
    t["year_implied"] = not t.get("year_implied", False)
    return f"{m['id']} year_implied"


@kind("comparator", "comparator changed (≥ for 左右, ≈ for 以上 …)")
def _comparator(c: Ctx):
    got = _target(c, lambda t, m: True)
    if not got:
        return None
    t, m = got
    t["comparator"] = "ge" if t["comparator"] != "ge" else "approx"
    return f"{m['id']} comparator"


@kind("qualifier-dropped", "the qualifier dropped (左右, 以上 … still in as_written)")
def _qualifier(c: Ctx):
    got = _target(c, lambda t, m: t.get("qualifier") and t.get("value") is not None
                  and any(w in t["as_written"] for w in ("左右", "以上", "以内", "不低于", "超过", "大于", "接近")))
    if not got:
        got = _target(c, lambda t, m: t.get("qualifier"))
    if not got:
        return None
    t, m = got
    t["qualifier"] = None
    return f"{m['id']} qualifier"


@kind("unit", "unit changed")
def _unit(c: Ctx):
    got = _target(c, lambda t, m: t.get("unit"))
    if not got:
        return None
    t, m = got
    t["unit"] = "万吨" if t["unit"] != "万吨" else "公里"
    return f"{m['id']} unit"


@kind("cumulative", "cumulative flipped")
def _cumulative(c: Ctx):
    got = _target(c, lambda t, m: t.get("value") is not None)
    if not got:
        return None
    t, m = got
    t["cumulative"] = not t.get("cumulative", False)
    return f"{m['id']} cumulative"


@kind("value", "a target value changed")
def _value(c: Ctx):
    got = _target(c, lambda t, m: t.get("value") is not None)
    if not got:
        return None
    t, m = got
    t["value"] = t["value"] + 7
    return f"{m['id']} value"


@kind("value-max", "a range's upper end changed (or a range made of a single figure)")
def _value_max(c: Ctx):
    got = _target(c, lambda t, m: t.get("value_max") is not None) or _target(c, lambda t, m: t.get("value") is not None)
    if not got:
        return None
    t, m = got
    t["value_max"] = (t.get("value_max") or t["value"]) + 3
    return f"{m['id']} value_max"


@kind("aspiration", "aspiration dropped from a 力争 target (or given to a firm one)")
def _aspiration(c: Ctx):
    got = _target(c, lambda t, m: t.get("aspiration"))
    if got:
        t, m = got
        t["aspiration"] = None
        return f"{m['id']} aspiration dropped"
    got = _target(c, lambda t, m: True)
    if not got:
        return None  # a plan without targets: n/a
    t, m = got
    t["aspiration"] = "力争"
    return f"{m['id']} aspiration added"


@kind("quote", "a target quote changed by a character")
def _quote(c: Ctx):
    got = _target(c, lambda t, m: True)
    if not got:
        return None  # a plan without targets: n/a
    t, m = got
    t["quote"] = t["quote"][:1] + "大" + t["quote"][1:]
    return f"{m['id']} quote"


@kind("as-written", "a target's as_written changed")
def _as_written(c: Ctx):
    got = _target(c, lambda t, m: True)
    if not got:
        return None  # a plan without targets: n/a
    t, m = got
    t["as_written"] = "约" + t["as_written"] + "多"
    return f"{m['id']} as_written"


@kind("scope", "a target's scope changed to a place the text does not name")
def _scope(c: Ctx):
    got = _target(c, lambda t, m: t.get("scope"))
    if not got:
        return None
    t, m = got
    t["scope"] = "某某新区"
    return f"{m['id']} scope"


@kind("basis", "basis changed (level ↔ annual growth)")
def _basis(c: Ctx):
    got = _target(c, lambda t, m: True)
    if not got:
        return None  # a plan without targets: n/a
    t, m = got
    t["basis"] = "annual_growth" if t.get("basis", "level") != "annual_growth" else "level"
    return f"{m['id']} basis"


@kind("commitment-year", "an open-ended commitment given an implied year")
def _commitment(c: Ctx):
    got = _target(c, lambda t, m: t.get("year") is None)
    if not got:
        return None
    t, m = got
    t["year"] = c.entry["period"]["end"]
    t["year_implied"] = True
    return f"{m['id']} year"


@kind("baseline", "a baseline value changed")
def _baseline(c: Ctx):
    got = _target(c, lambda t, m: t.get("baseline") is not None)
    if not got:
        return None
    t, m = got
    t["baseline"] = t["baseline"] + 1
    return f"{m['id']} baseline"


@kind("target-line", "a target's line moved")
def _target_line(c: Ctx):
    got = _target(c, lambda t, m: True)
    if not got:
        return None  # a plan without targets: n/a
    t, m = got
    t["line"] = (t.get("line") or m["line"]) + 1 if (t.get("line") or m["line"]) < len(c.lines) else 1
    return f"{m['id']} target line"


@kind("indicator", "a target given an indicator of another unit family")
def _indicator(c: Ctx):
    got = _target(c, lambda t, m: t.get("unit") and t.get("value") is not None)
    if not got:
        return None
    t, m = got
    units = {i.name: i.unit for i in c.vocab.indicators}
    want = units.get(t["indicator"])
    other = next((n for n, u in units.items() if u and want and u not in (want, "%", "个百分点")
                  and u.lstrip("万亿") != want.lstrip("万亿")), None)
    if other is None:  # (an indicator without a unit family: nothing of another family to give)
        return None
    t["indicator"] = other
    return f"{m['id']} indicator -> {other}"


# --------------------------------------------------------------------------- departments

def _with_depts(c: Ctx, n: int = 1):
    return first(measures(c.body), lambda m, _l, _s: len(m.get("departments") or []) >= n
                 and all(isinstance(d, str) for d in m["departments"]))


@kind("dept-dropped", "a 责任单位 dropped from a list")
def _dept_dropped(c: Ctx):
    got = _with_depts(c, 2)
    if not got:
        return None
    m = got[0]
    m["departments"] = m["departments"][:-1]
    return f"{m['id']} departments"


@kind("dept-swapped", "two 责任单位 swapped")
def _dept_swapped(c: Ctx):
    got = _with_depts(c, 2)
    if not got:
        return None
    m = got[0]
    d = m["departments"]
    d[0], d[1] = d[1], d[0]
    return f"{m['id']} departments"


@kind("dept-added", "a 责任单位 added that the clause does not name")
def _dept_added(c: Ctx):
    got = _with_depts(c, 1)
    if not got:
        return None
    m = got[0]
    extra = next(d.name for d in c.vocab.departments if d.name not in (m.get("departments_quote") or ""))
    m["departments"].append(extra)
    return f"{m['id']} departments + {extra}"


@kind("dept-lead", "lead (牵头) given where the clause does not write it")
def _dept_lead(c: Ctx):
    got = _with_depts(c, 1)
    if not got:
        return None
    m = got[0]
    other = [d for d in m["departments"] if d not in (m.get("lead") or [])]
    m["lead"] = [other[-1]]
    return f"{m['id']} lead"


@kind("dept-clause", "a 责任单位 clause changed")
def _dept_clause(c: Ctx):
    got = first(measures(c.body), lambda m, _l, _s: m.get("departments_quote"))
    if not got:
        return None
    m = got[0]
    q = m["departments_quote"]
    k = q.rstrip().rstrip(")）")
    m["departments_quote"] = k[:-1] + q[len(k):]  # the last name loses its last character
    return f"{m['id']} departments_quote"


@kind("dept-joint-split", "a joint entry (西宁市、海东市政府) split into its written pieces")
def _dept_joint(c: Ctx):
    got = first(measures(c.body), lambda m, _l, _s: any(isinstance(d, dict) for d in m.get("departments") or []))
    if not got:
        return None
    m = got[0]
    out = []
    for d in m["departments"]:
        out.extend(d["joint"].split("、") if isinstance(d, dict) else [d])
    m["departments"] = out
    return f"{m['id']} joint entry"


# --------------------------------------------------------------------------- ids, numbers, structure

@kind("measure-id", "a measure id that contradicts its number (or its place)")
def _measure_id(c: Ctx):
    taken = {m["id"] for m, _l, _s in measures(c.body)} | {s["id"] for s, _p in sections(c.body)}
    got = first(measures(c.body), lambda m, _l, _s: m["kind"] in ("measure", "paragraph")
                and re.search(r"\d$", m["id"]))
    if not got:
        return None
    m, _l, _s = got
    head, _, tail = m["id"].rpartition(".")
    num = re.sub(r"\D", "", tail) or "1"
    new = f"{head}.{tail.replace(num, str(int(num) + 40))}"
    assert new not in taken
    m["id"] = new
    return f"{m['id']}"


@kind("measure-number", "a measure's number changed ((三) for (二))")
def _measure_number(c: Ctx):
    got = first(measures(c.body), lambda m, _l, _s: m.get("number") and m["kind"] == "measure")
    if not got:
        got = first(measures(c.body), lambda m, _l, _s: m.get("number"))
    if not got:
        return None
    m = got[0]
    num = m["number"]
    from chengzhen.text.numerals import cn_to_int, int_to_cn

    def two_on(x):  # the number two further on, written the same way: (一) -> (三), 4. -> 6.
        n = cn_to_int(x.group(0)) + 2
        return str(n) if x.group(0).isdigit() else min(int_to_cn(n), key=len)

    m["number"] = re.sub(r"[一二三四五六七八九十]+|\d+", two_on, num, count=1)
    return f"{m['id']} number {num} -> {m['number']}"


@kind("section-number", "a section's number changed")
def _section_number(c: Ctx):
    got = first(sections(c.body), lambda s, _p: s.get("number") and not s.get("restored"))
    if not got:
        return None
    s = got[0]
    s["number"] = s["number"].replace("一", "二", 1) if "一" in s["number"] else "一" + s["number"]
    return f"{s['id']} number"


@kind("heading-dropped", "a heading's number removed (the heading no longer held)")
def _heading_dropped(c: Ctx):
    got = first(sections(c.body), lambda s, _p: s.get("number") and not s.get("restored"))
    if not got:
        return None
    s = got[0]
    s["number"] = None
    return f"{s['id']} number -> null"


@kind("measure-line", "a measure's line moved")
def _measure_line(c: Ctx):
    got = first(measures(c.body), lambda m, _l, _s: m["kind"] == "measure") or first(measures(c.body))
    if not got:
        return None
    m, _l, _s = got
    m["line"] = m["line"] + 1
    m.pop("line_end", None)
    return f"{m['id']} line"


@kind("measure-text", "a measure text changed by a character")
def _measure_text(c: Ctx):
    got = first(measures(c.body))
    if not got:
        return None
    m, _l, _s = got
    m["text"] = m["text"][:3] + "大" + m["text"][3:]
    return f"{m['id']} text"


@kind("measure-title", "a measure title changed")
def _measure_title(c: Ctx):
    got = first(measures(c.body), lambda m, _l, _s: m.get("title"))
    if not got:
        return None
    m = got[0]
    m["title"] = m["title"] + "工作"
    return f"{m['id']} title"


@kind("measure-deleted", "a measure deleted")
def _measure_deleted(c: Ctx):
    got = first(measures(c.body), lambda m, _l, _s: m["kind"] == "measure") or first(measures(c.body))
    if not got:
        return None
    m, holder, _s = got
    holder.remove(m)
    return f"{m['id']} deleted"


@kind("measures-swapped", "two measures swapped (ids and order no longer the source's)")
def _measures_swapped(c: Ctx):
    for m, holder, _s in measures(c.body):
        i = holder.index(m)
        if i + 1 < len(holder):
            holder[i], holder[i + 1] = holder[i + 1], holder[i]
            return f"{holder[i]['id']} <-> {holder[i + 1]['id']}"
    return None


@kind("topic", "a topic that no vocabulary knows")
def _topic(c: Ctx):
    got = first(measures(c.body))
    if not got:
        return None
    m, _l, _s = got
    m["topics"] = list(m.get("topics") or []) + ["不存在的主题"]
    return f"{m['id']} topics"


@kind("task-removed", "a measure's national task removed (its section carries tasks)")
def _task_removed(c: Ctx):
    got = first(measures(c.body), lambda m, _l, s: m.get("tasks") and m["kind"] == "measure" and s is not None
                and any(x.get("tasks") for x in s.get("measures") or [] if x is not m))
    if not got:
        return None
    m = got[0]
    del m["tasks"]
    m.pop("no_task", None)
    return f"{m['id']} tasks removed"


@kind("task-retrospective", "a national task given to a measure that reviews the past")
def _task_retro(c: Ctx):
    retro = [s for s, _p in sections(c.body) if s.get("retrospective")]
    for s in retro:
        for m in s.get("measures") or []:
            m["tasks"] = ["national/1.1"]
            return f"{m['id']} tasks"
        for sub, _p in sections({"sections": s.get("sections") or []}):
            for m in sub.get("measures") or []:
                m["tasks"] = ["national/1.1"]
                return f"{m['id']} tasks"
    return None


@kind("national-title", "a national task title changed (its evidence unit is in this plan)")
def _national_title(c: Ctx):
    if not c.national:
        return None
    for g in c.national.get("actions") or []:
        for rec in [g, *(g.get("tasks") or [])]:
            if (rec.get("evidence") or "").startswith(c.plan + "/"):
                rec["title"] = rec["title"][:-1] + "工作"
                return f"national.yaml {rec['id']}"
    return None


# --------------------------------------------------------------------------- running

@dataclass
class Outcome:
    kind: str
    plan: str
    site: str | None  # where the edit was made; None: n/a
    caught: bool
    codes: list[str]


def _workspace(data: Path, tmp: Path) -> Path:
    root = tmp / "data"
    root.mkdir(parents=True)
    (root / "sources").symlink_to((data / "sources").resolve())
    if (data / "vocabulary").is_dir():
        (root / "vocabulary").symlink_to((data / "vocabulary").resolve())
    (root / "plans").mkdir()
    for f in (data / "plans").glob("*.yaml"):
        (root / "plans" / f.name).symlink_to(f.resolve())
    for f in (*data.glob("*.yaml"), *data.glob("*.tsv")):  # the vocabularies, the catalogue, the places
        shutil.copyfile(f, root / f.name)
    if (data / "statistics").is_dir():
        (root / "statistics").symlink_to((data / "statistics").resolve())
    return root


def _validate(root: Path, plan: str, db: Path) -> tuple[int, list[str]]:
    from conftest import run_cz

    res = run_cz(["validate", "--plan", plan, "--format", "json"], env={"CZ_DATA": str(root), "CZ_DB": str(db)})
    if res.code == 2:
        return 2, [res.err.strip()]
    doc = json.loads(res.out)
    return res.code, sorted({p["code"] for p in doc.get("problems", [])})


def run(data: Path, plans: list[str] | None = None, kinds: list[Kind] | None = None) -> list[Outcome]:
    """Apply every kind of mutation to every plan (of ``plans``) of a copy of
    ``data``; validate each; return what was caught."""
    from chengzhen.kb.loader import load_kb, load_plan

    kb = load_kb(data)
    national_path = data / "national.yaml"
    out: list[Outcome] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        root = _workspace(data, tmp)
        db = tmp / "unused.db"
        for plan in kb.plans:
            if plans and plan.id not in plans:
                continue
            bundle = load_plan(data, plan, kb.vocab)
            body_text = (data / "plans" / f"{plan.id}.yaml").read_text(encoding="utf-8")
            body_file = root / "plans" / f"{plan.id}.yaml"

            def check(body: dict) -> tuple[int, list[str]]:
                body_file.unlink()
                body_file.write_text(dump(body), encoding="utf-8")
                try:
                    return _validate(root, plan.id, db)
                finally:
                    body_file.unlink()
                    body_file.symlink_to((data / "plans" / f"{plan.id}.yaml").resolve())

            # the unmutated plan, as dumped, must validate: a caught mutation is the mutation's doing
            code, codes = check(yaml.load(body_text, Loader=_Loader))
            assert code == 0, (plan.id, codes)
            for k in kinds or KINDS:
                body = yaml.load(body_text, Loader=_Loader)
                national = load(national_path) if national_path.exists() else None
                ctx = Ctx(plan.id, body["plan"], body, national, bundle.lines, kb.vocab, bundle)
                site = k.fn(ctx)
                if site is None:
                    out.append(Outcome(k.name, plan.id, None, False, []))
                    continue
                if national is not None:
                    (root / "national.yaml").write_text(dump(national), encoding="utf-8")
                try:
                    code, codes = check(body)
                finally:
                    if national_path.exists():
                        shutil.copyfile(national_path, root / "national.yaml")
                out.append(Outcome(k.name, plan.id, site, code != 0, codes))
    return out


def table(outcomes: list[Outcome]) -> str:
    """The Markdown table of docs/data-format.md: kinds × plans."""
    plans = list(dict.fromkeys(o.plan for o in outcomes))
    rows = {}
    for o in outcomes:
        rows.setdefault(o.kind, {})[o.plan] = o
    what = {k.name: k.what for k in KINDS}
    head = "| kind of wrong edit | " + " | ".join(plans) + " |\n| --- | " + " | ".join("---" for _ in plans) + " |\n"
    lines = []
    for name, by_plan in rows.items():
        cells = []
        for p in plans:
            o = by_plan.get(p)
            if o is None or o.site is None:
                cells.append("n/a")
            else:
                cells.append(("caught " + "/".join(o.codes)) if o.caught else "**missed**")
        lines.append(f"| `{name}`: {what[name]} | " + " | ".join(cells) + " |")
    applicable = [o for o in outcomes if o.site is not None]
    caught = sum(o.caught for o in applicable)
    kinds_all = {o.kind for o in applicable if all(x.caught for x in applicable if x.kind == o.kind)}
    summary = (f"\n{len(rows)} kinds × {len(plans)} plans: {len(applicable)} applicable edits, {caught} caught "
               f"({100.0 * caught / len(applicable):.1f} %); {len(kinds_all)} of "
               f"{len({o.kind for o in applicable})} kinds caught on every plan where they apply.\n")
    return head + "\n".join(lines) + "\n" + summary


if __name__ == "__main__":  # pragma: no cover
    import sys

    os.environ.setdefault("NO_COLOR", "1")
    print(table(run(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "data")))
