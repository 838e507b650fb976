"""Synthetic corpus generator: ×N the five real plans, as a valid data directory.

    .venv/bin/python bench/synth.py --scale 10 --out bench/out/scale/x10

Plan ``p0001`` … ``p{5N}`` copies the *shape* of real plan ``(i-1) % 5`` (its
outline, how many measures of each kind, which carry targets and 责任单位
clauses), but its texts are recombined from real sentences, so vocabulary and
text lengths stay realistic while no two plans are the same text:

* a heading keeps its number as written (一、 / (一) / 第三章 / 1.) and takes a
  random real heading title;
* a lead-phrase measure takes a random real lead phrase, then as many random
  real sentences as its template had;
* a target is kept with the template sentence(s) that carry its quote (and its
  baseline and scope), so every target still verifies; targets that cannot be
  carried that way are dropped;
* a target set for a zone (开发区, 园区) is left out: the zone lies in its
  template's real place, not in the synthetic plan's;
* a 责任单位 clause is kept verbatim with its departments;
* multi-line units (tables, 专栏 boxes spanning lines) and annexes are copied
  verbatim, line numbers shifted;
* every plan is written in simplified script (no OpenCC pass at build time).

Each plan is written as the data format lays it out — one file per plan,
``plans/<id>.yaml`` (its catalogue entry, ``plan:``, then its body), and its
source ``sources/<id>.txt`` — one record per source line, so every quote is
verbatim on its line and every character of the source is claimed:
``CZ_DATA=DIR cz validate`` passes (100 % verified and covered).  The plans
sort by id (p0001 …), so no order file is written.
The vocabularies (topics, departments, indicators) and the national plan's
structure are copied from ``data/``; the places too, with each synthetic
plan's region a place of its own (90NNNN) holding the statistics of its
template's region, so statistics scale with the plans; measures keep their template's
national tasks, sections their retrospective flag.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import time
from multiprocessing import get_context
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

from chengzhen.text.outline import HEADING_PATTERNS  # noqa: E402

SENT = re.compile(r"[^。;；!?！？\n]+[。;；!?！？]?")
# the sentence a target's year, qualifier and aim word are read from (kb/audit.py): ; does not end it
FULL_SENT = re.compile(r"[^。!?！？\n]+[。!?！？]?")
VOCAB_FILES = ("topics.yaml", "departments.yaml", "indicators.yaml", "national.yaml")
# a filler sentence must not bring a year, a span or 累计: at a paragraph's
# head a year governs every target after it (kb/audit.py HEAD_YEAR), and a
# span or 累计 makes a figure a total
TIMED = re.compile(r"(?:19|20)\d{2}|[一二三四五六七八九十两\d]+年内|累计|期间|十[三四五六]五")
# the national plan's evidence names real plans' units, which the synthetic
# corpus does not hold (its headings are recombined): dropped from the copy
EVIDENCE_LINE = re.compile(r"^\s*evidence:.*\n", re.M)

# filled in by prepare(); inherited by forked workers
T: dict = {}


# --------------------------------------------------------------------------- templates from the real data

def _is_heading(line: str) -> bool:
    return any(p.match(line) for p in HEADING_PATTERNS)


def _carrier(text: str, needle: str) -> tuple[int, int] | None:
    """The sentence-aligned span of ``text`` that holds ``needle``."""
    p = text.find(needle)
    if p < 0:
        return None
    spans = [(m.start(), m.end()) for m in FULL_SENT.finditer(text)]
    start = max((s for s, e in spans if s <= p), default=0)
    end = min((e for s, e in spans if e >= p + len(needle)), default=len(text))
    return start, end


def prepare(data: Path) -> dict:
    """Read the real data once: templates for each plan and the pools."""
    from chengzhen.kb.loader import iter_bundles, load_kb

    kb = load_kb(data)
    bundles = {b.plan.id: b for b in iter_bundles(kb)}
    book = None
    if (data / "places.tsv").exists():
        from chengzhen.kb.places import load_places

        book = load_places(data)
    sentences: set[str] = set()
    lead_titles: set[str] = set()
    heading_titles: set[str] = set()
    plans = []
    for plan in kb.plans:
        body = bundles[plan.id].body
        home = book.resolve_one(plan.region) if book is not None else None

        def elsewhere(t) -> bool:
            """A target set for a zone (开发区, 园区): the zone lies in its plan's real place, not in the
            synthetic plan's, so its scope would read as nothing there (cz validate: E177) — left out."""
            return book is not None and bool(t.scope) and bool(book.read_scope(t.scope, home).zones)
        lines = bundles[plan.id].lines
        for s in body.sections:
            if "\n" not in s.title and not _is_heading(s.title):
                heading_titles.add(s.title)
        measures_by_section: dict[str | None, list] = {}
        for meas in body.measures:
            measures_by_section.setdefault(meas.section, []).append(meas)
            if meas.line_end == meas.line:
                for sm in SENT.finditer(meas.text):
                    s = sm.group(0)
                    if (len(s) >= 4 and "|" not in s and not _is_heading(s) and s.strip() == s
                            and not TIMED.search(s)):
                        sentences.add(s)
                if meas.kind == "measure" and meas.title and len(meas.title) <= 40 and not _is_heading(meas.title):
                    lead_titles.add(meas.title)

        def mtemplate(meas):
            if meas.line_end > meas.line:
                # a multi-line unit: copied verbatim, line numbers shifted
                return {
                    "verbatim": True, "kind": meas.kind, "number": meas.number, "title": meas.title,
                    "text": meas.text, "raw": lines[meas.line - 1: meas.line_end], "span": meas.line_end - meas.line,
                    "departments": _departments(meas), "lead": list(meas.lead),
                    "departments_quote": meas.departments_quote,
                    "topics": list(meas.topics), "tasks": list(meas.tasks), "no_task": meas.no_task, "note": meas.note,
                    "targets": [dict(_target(t), line=t.line - meas.line) for t in meas.targets if not elsewhere(t)],
                }
            n_sent = max(1, len(SENT.findall(meas.text)) - (1 if meas.title else 0))
            carriers: list[tuple[int, int]] = []
            targets = []
            for t in meas.targets:
                span = _carrier(meas.text, t.quote)
                if span is None or elsewhere(t):
                    continue
                chunk = meas.text[span[0]:span[1]]
                extra = [x for x in (t.scope, None if t.baseline_as_written is None else str(t.baseline_as_written)) if x]
                if any(x not in chunk for x in extra) or not _stands_alone(plan, meas, t, chunk, kb.vocab):
                    continue
                carriers.append(span)
                targets.append(_target(t))
            # merge overlapping carriers, keep them in order
            carriers.sort()
            merged: list[list[int]] = []
            for s, e in carriers:
                if merged and s < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], e)
                else:
                    merged.append([s, e])
            chunks = [meas.text[s:e] for s, e in merged]
            n_fill = max(0 if chunks or meas.title else 1, n_sent - sum(len(SENT.findall(c)) for c in chunks))
            return {
                "verbatim": False, "kind": meas.kind, "number": meas.number,
                "has_title": bool(meas.title), "n_fill": n_fill, "chunks": chunks,
                "departments": _departments(meas), "lead": list(meas.lead),
                "departments_quote": meas.departments_quote,
                "topics": list(meas.topics), "tasks": list(meas.tasks), "no_task": meas.no_task, "targets": targets,
            }

        children: dict[str | None, list] = {}
        for s in body.sections:
            children.setdefault(s.parent, []).append(s)

        def stemplate(s):
            return {
                "number": s.number, "topics": list(s.topics), "retrospective": s.retrospective,
                "measures": [mtemplate(x) for x in measures_by_section.get(s.id, [])],
                "sections": [stemplate(c) for c in children.get(s.id, [])],
            }

        annexes = []
        for a in body.annexes:
            off = a.line
            annexes.append({
                "title": a.title, "raw": lines[a.line - 1: a.line_end], "span": a.line_end - a.line,
                "lines": [n - off for n in a.lines],
                "groups": [{"name": g.name, "count_as_written": g.count_as_written, "line": g.line - off,
                            "items": [{"number": it.number, "name": it.name, "line": it.line - off} for it in g.items]}
                           for g in a.groups],
            })
        region_prefix = max((p for p in (plan.region, plan.short_name + "省", plan.short_name + "市", plan.short_name)
                             if plan.name.startswith(p)), key=len, default="")
        plans.append({
            "id": plan.id, "level": plan.level, "period": [plan.period_start, plan.period_end], "region": plan.region,
            "abridged": plan.abridged,
            "parent": plan.parent, "name_suffix": plan.name[len(region_prefix):],
            "measures": [mtemplate(x) for x in measures_by_section.get(None, [])],
            "sections": [stemplate(c) for c in children.get(None, [])],
            "annexes": annexes,
        })
    # a filler that holds a target's quote would be where validation finds
    # the quote, away from the sentence that gives its year and span
    quotes = {t.quote for b in bundles.values() for x in b.body.measures for t in x.targets}
    sentences = {s for s in sentences if not any(q in s for q in quotes)}
    return {
        "plans": plans,
        "sentences": sorted(sentences),
        "lead_titles": sorted(lead_titles),
        "heading_titles": sorted(heading_titles),
    }


def _target(t) -> dict:
    d = {
        "indicator": t.indicator, "value": t.value, "value_max": t.value_max, "unit": t.unit,
        "as_written": t.as_written, "qualifier": t.qualifier, "comparator": t.comparator, "basis": t.basis,
        "year": t.year, "year_implied": t.year_implied, "baseline": t.baseline,
        "baseline_as_written": None if t.baseline_as_written is None else str(t.baseline_as_written),
        "baseline_year": t.baseline_year, "cumulative": t.cumulative, "quote": t.quote,
    }
    if t.scope:
        d["scope"] = t.scope
    if t.aspiration:
        d["aspiration"] = t.aspiration
    return d


def _departments(meas) -> list:
    """A measure's 责任单位 entries as the YAML writes them (joint entries as mappings)."""
    return [{"joint": e.as_written, "names": list(e.names)} if e.joint else e.as_written for e in meas.dept_entries]


def _stands_alone(plan, meas, t, chunk: str, vocab) -> bool:
    """Does the carrier sentence alone justify the target (its year, qualifier,
    aim word, total…)?  Targets whose year comes from the paragraph's or the
    section's head, or whose total is marked in a table, are dropped: the
    synthetic plan does not keep those around them."""
    from dataclasses import replace

    from chengzhen.kb import model as km
    from chengzhen.kb.audit import audit_plan

    one = replace(meas, id=f"{plan.id}/1", section=None, kind="paragraph", number=None, title=None, text=chunk,
                  line=1, line_end=1, departments=(), dept_entries=(), departments_quote=None, lead=(), tasks=(),
                  targets=(replace(t, line=1),))
    body = km.PlanBody(plan.id, "synth", measures=[one])
    bundle = km.PlanBundle(replace(plan, title_lines=(), skip=(), repairs=()), body, [chunk], "synth")
    codes = {"E220", "E221", "E222", "E223", "E224", "E225", "E226", "E227", "E228", "E229"}
    return not audit_plan(bundle, codes, vocab=vocab).problems


# --------------------------------------------------------------------------- YAML out (block style, JSON scalars)

def _scalar(v) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(v, ensure_ascii=False)


def _emit(out: list[str], obj: dict, indent: str, first_prefix: str) -> None:
    """A mapping in block style; lists of mappings nested, lists of scalars in flow style."""
    prefix = first_prefix
    for k, v in obj.items():
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            out.append(f"{prefix}{k}:")
            for item in v:
                _emit(out, item, indent + "  ", indent + "- ")
        elif isinstance(v, list):
            out.append(f"{prefix}{k}: [{', '.join(_scalar(x) for x in v)}]")
        elif isinstance(v, dict):
            out.append(f"{prefix}{k}: {{{', '.join(f'{a}: {_scalar(b)}' for a, b in v.items())}}}")
        else:
            out.append(f"{prefix}{k}: {_scalar(v)}")
        prefix = indent


# --------------------------------------------------------------------------- one synthetic plan

CN = "零一二三四五六七八九"


class _Plan:
    def __init__(self, index: int, width: int):
        self.index = index
        self.tpl = T["plans"][(index - 1) % len(T["plans"])]
        self.rng = random.Random(1_000_003 * index + 17)
        self.pid = f"p{index:0{width}d}"
        self.short = f"新城{index}"
        self.region = f"新城{index}市"
        self.name = self.region + self.tpl["name_suffix"]
        self.lines: list[str] = [self.name]  # line 1: the title
        self.box = 0

    def _sentences(self, n: int) -> list[str]:
        pool = T["sentences"]
        return [pool[self.rng.randrange(len(pool))] for _ in range(n)]

    def _free_line(self, make) -> str:
        """A line without a number must not look like a heading."""
        for _ in range(50):
            line = make()
            if not _is_heading(line):
                return line
        return "推进" + make()

    def measure(self, m: dict, mid: str) -> dict:
        line_no = len(self.lines) + 1
        if m["verbatim"]:
            self.lines.extend(m["raw"])
            rec = {"id": mid, "kind": m["kind"]}
            if m["number"] is not None:
                rec["number"] = m["number"]
            rec.update({"title": m["title"], "text": m["text"], "line": line_no, "line_end": line_no + m["span"]})
            if m["departments"]:
                rec["departments"] = m["departments"]
                if m["lead"]:
                    rec["lead"] = m["lead"]
                rec["departments_quote"] = m["departments_quote"]
            rec["topics"] = m["topics"]
            if m["tasks"]:
                rec["tasks"] = m["tasks"]
            if m["no_task"]:
                rec["no_task"] = m["no_task"]
            rec["targets"] = [dict(t, line=line_no + t["line"]) for t in m["targets"]]
            if m["note"]:
                rec["note"] = m["note"]
            return rec
        title = None
        if m["has_title"]:
            lt = T["lead_titles"]
            title = lt[self.rng.randrange(len(lt))]

        def make():
            parts = self._sentences(m["n_fill"])
            for c in m["chunks"]:
                parts.insert(self.rng.randrange(len(parts) + 1), c)
            return (title + "。" if title else "") + "".join(parts)

        if m["number"]:
            text = make()
            line = m["number"] + text
        else:
            text = self._free_line(make)
            line = text
        if m["departments_quote"]:
            line += m["departments_quote"]
        self.lines.append(line)
        rec = {"id": mid, "kind": m["kind"]}
        if m["number"] is not None:
            rec["number"] = m["number"]
        rec.update({"title": title, "text": text, "line": line_no, "topics": m["topics"]})
        if m["tasks"]:
            rec["tasks"] = m["tasks"]
        if m["no_task"]:
            rec["no_task"] = m["no_task"]
        if m["departments"]:
            rec["departments"] = m["departments"]
            if m["lead"]:
                rec["lead"] = m["lead"]
            rec["departments_quote"] = m["departments_quote"]
        rec["targets"] = m["targets"]
        return rec

    def measures(self, tpls: list[dict], owner: str, collide: bool = False) -> list[dict]:
        """Ids as kb/audit.py derives them: from the number as written, else
        the place among the section's unnumbered measures (p1… for paragraphs,
        and for measures when numbered subsections take the plain numbers)."""
        from chengzhen.kb.audit import outline_value

        out = []
        k = p = 0
        for m in tpls:
            n = outline_value(m["number"])
            if m["kind"] in ("box", "table"):
                if n is not None and m["number"].startswith("专栏"):
                    mid = f"{self.pid}/box{n}"
                else:
                    mid = f"{owner}.box"
            elif n is not None:
                mid = f"{owner}.{n}"
            elif m["kind"] == "measure" and not collide:
                k += 1
                mid = f"{owner}.{k}"
            else:
                p += 1
                mid = f"{owner}.p{p}"
            out.append(self.measure(m, mid))
        return out

    def section(self, s: dict, sid: str) -> dict:
        from chengzhen.kb.audit import outline_value

        ht = T["heading_titles"]
        title = ht[self.rng.randrange(len(ht))]
        number = s["number"]
        if number:
            self.lines.append(number + title)
        else:
            title = self._free_line(lambda: ht[self.rng.randrange(len(ht))])
            self.lines.append(title)
        rec = {"id": sid, "number": number, "title": title, "line": len(self.lines), "topics": s["topics"]}
        if s["retrospective"]:
            rec["retrospective"] = True
        collide = any(c["number"] for c in s["sections"])
        rec["measures"] = self.measures(s["measures"], sid, collide)
        rec["sections"] = [self.section(c, f"{sid}.{outline_value(c['number']) or j}")
                           for j, c in enumerate(s["sections"], start=1)]
        return rec

    def annex(self, a: dict, n: int) -> dict:
        start = len(self.lines) + 1
        self.lines.extend(a["raw"])
        return {
            "id": f"{self.pid}/annex" + ("" if n == 1 else str(n)), "title": a["title"],
            "line": start, "line_end": start + a["span"], "lines": [start + x for x in a["lines"]],
            "groups": [{"name": g["name"], "count_as_written": g["count_as_written"], "line": start + g["line"],
                        "items": [{"number": it["number"], "name": it["name"], "line": start + it["line"]}
                                  for it in g["items"]]} for g in a["groups"]],
        }

    def render(self) -> tuple[str, str]:
        """(the plan file, the source)."""
        tpl = self.tpl
        doc = {}
        pre = self.measures(tpl["measures"], f"{self.pid}/0")
        if pre:
            doc["measures"] = pre
        from chengzhen.kb.audit import outline_value

        doc["sections"] = [self.section(s, f"{self.pid}/{outline_value(s['number']) or j}")
                           for j, s in enumerate(tpl["sections"], start=1)]
        if tpl["annexes"]:
            doc["annexes"] = [self.annex(a, n) for n, a in enumerate(tpl["annexes"], start=1)]
        catalogue = {
            "id": self.pid, "name": self.name, "short_name": self.short, "region": self.region,
            "level": tpl["level"], "issuer": self.region + "人民政府", "doc_number": None, "issue_date": None,
            "period": {"start": tpl["period"][0], "end": tpl["period"][1]}, "parent": tpl["parent"],
            "source": f"sources/{self.pid}.txt", "seed": None, "script": "simplified",
            "completeness": f"合成 (bench/synth.py, 模板 {tpl['id']})", "title_lines": [1], "skip": [],
            "supplied": {"issuer": "合成数据: 编者拟定", "period": "合成数据: 取模板方案的期限",
                         "parent": "合成数据: 取模板方案所落实的文件"},
        }
        # abridged is not carried over: the recombined text does not say 本文有删减 (E213)
        out = [f"# synthetic plan {self.index} (template: {tpl['id']}), written by bench/synth.py", "plan:"]
        _emit(out, catalogue, "  ", "  ")
        _emit(out, doc, "", "")
        return "\n".join(out) + "\n", "\n".join(self.lines) + "\n"


def _work(args) -> tuple[int, int]:
    out, first, last, width = args
    out = Path(out)
    text_bytes = yaml_bytes = 0
    for i in range(first, last + 1):
        p = _Plan(i, width)
        body, source = p.render()
        b_src = source.encode("utf-8")
        b_body = body.encode("utf-8")
        (out / "sources" / f"{p.pid}.txt").write_bytes(b_src)
        (out / "plans" / f"{p.pid}.yaml").write_bytes(b_body)
        text_bytes += len(b_src)
        yaml_bytes += len(b_body)
    return text_bytes, yaml_bytes


def generate(scale: int, out: Path, data: Path = REPO / "data", jobs: int | None = None) -> dict:
    """Write the ×``scale`` corpus to ``out``; returns what was written."""
    started = time.perf_counter()
    T.update(prepare(data))
    n_plans = scale * len(T["plans"])
    width = max(4, len(str(n_plans)))
    if out.exists():
        shutil.rmtree(out)
    (out / "plans").mkdir(parents=True)
    (out / "sources").mkdir()
    for name in VOCAB_FILES:
        if (data / name).exists():
            text = (data / name).read_text(encoding="utf-8")
            if name == "national.yaml":
                text = EVIDENCE_LINE.sub("", text)
            (out / name).write_text(text, encoding="utf-8")
    if (data / "vocabulary").is_dir():  # the names the real plans added: the copied plans use them
        shutil.copytree(data / "vocabulary", out / "vocabulary")
    jobs = jobs or min(os.cpu_count() or 1, 4)
    step = max(1, min(250, -(-n_plans // (jobs * 4))))
    chunks = [(str(out), a, min(n_plans, a + step - 1), width) for a in range(1, n_plans + 1, step)]
    text_bytes = yaml_bytes = 0
    if jobs > 1 and len(chunks) > 1:
        with get_context("fork").Pool(jobs) as pool:
            results = pool.map(_work, chunks)
    else:
        results = [_work(c) for c in chunks]
    for tb, yb in results:
        text_bytes += tb
        yaml_bytes += yb
    _places_and_statistics(out, data, n_plans)
    return {
        "scale": scale, "plans": n_plans, "dir": str(out), "source_bytes": text_bytes, "yaml_bytes": yaml_bytes,
        "seconds": round(time.perf_counter() - started, 3),
    }


SYNTH_PROVINCE = "900000"


def _places_and_statistics(out: Path, data: Path, n_plans: int) -> None:
    """The place vocabulary, with each synthetic plan's region (新城N市) a
    place of its own — code 90NNNN in a synthetic province 900000 (合成省) —
    and the statistics of its template's region as its own: statistics
    scale with the plans (`cz progress` at ×N).  Nothing when the data has
    no place files."""
    if not (data / "places.tsv").exists():
        return
    from chengzhen.kb.places import load_places

    if n_plans > 9999:
        raise SystemExit("synth: places for at most 9 999 plans (codes 900001-909999)")
    book = load_places(data)
    for name in ("places.yaml",):
        if (data / name).exists():
            shutil.copyfile(data / name, out / name)
    rows = [f"{SYNTH_PROVINCE}\t合成省\t合成\tprovince\t省\t000000"]
    stats = out / "statistics"
    stats.mkdir(exist_ok=True)
    texts: dict[str, str | None] = {}
    for i in range(1, n_plans + 1):
        code = f"90{i:04d}"
        rows.append(f"{code}\t新城{i}市\t新城{i}\tcity\t地级市\t{SYNTH_PROVINCE}")
        tpl = book.resolve_one(T["plans"][(i - 1) % len(T["plans"])]["region"])
        if tpl not in texts:
            src = data / "statistics" / f"{tpl}.yaml"
            texts[tpl] = src.read_text(encoding="utf-8") if tpl and src.exists() else None
        if texts[tpl] is not None:
            (stats / f"{code}.yaml").write_text(texts[tpl].replace(f"place: '{tpl}'", f"place: '{code}'", 1),
                                                encoding="utf-8")
    tsv = (data / "places.tsv").read_text(encoding="utf-8").rstrip("\n") + "\n"
    (out / "places.tsv").write_text(tsv + "\n".join(rows) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, required=True, help="N: write 5×N plans")
    ap.add_argument("--out", type=Path, required=True, help="the data directory to write (replaced)")
    ap.add_argument("--data", type=Path, default=REPO / "data", help="the real data directory (templates)")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: up to 4, by CPU count)")
    args = ap.parse_args(argv)
    if args.scale < 1:
        ap.error("--scale must be at least 1")
    info = generate(args.scale, args.out, args.data, args.jobs)
    print(json.dumps(info, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
