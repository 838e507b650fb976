"""Do the review flags catch an error ingest *could* make? Each unseen text
is drafted by today's ingest (without ``ingest/flags.py``), then one field
at a time is given a wrong value that the copy itself offers — another
date, 文号, body's name, place, span of years or line of the page; a
heading or a target dropped; a target's year, comparator or baseline year
taken from elsewhere in its sentence; a deliberate non-target drafted as a
target — and the flags of ``ingest/flags.py`` are raised on it.  Every
mutation that the gold (``bench/unseen_gold/``) scores as wrong or missing
counts; it is caught when a flag points at it (``unseen_eval.py``'s rules).

    .venv/bin/python bench/flags_mutations.py                 # every set but the blind one
    .venv/bin/python bench/flags_mutations.py --show          # each mutation that no flag points at
    .venv/bin/python bench/flags_mutations.py --set frozen4

Why: the drafts of today's ingest are nearly right, and an older ingest's
drafts (``flags_replay.py``) hold only the errors it happened to make; the
flags are meant to catch errors nobody has seen yet.  The wrong values here
are the ones a misreading would produce — each is written somewhere in the
same copy — so a check that only knew the errors seen so far scores low.
A held-out set joins only after it has been measured once, blind (frozen5
did at 1948290).
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

import unseen_eval as E  # noqa: E402
from chengzhen.ingest import draft as DR  # noqa: E402
from chengzhen.ingest import flag_kinds as K  # noqa: E402
from chengzhen.ingest import flags as FL  # noqa: E402
from chengzhen.text import gongwen as G  # noqa: E402
from chengzhen.text.normalize import squash  # noqa: E402

SETS = ("tuning", "frozen", "frozen2", "frozen3", "frozen4", "frozen5", "frozen6")  # frozen5, frozen6 since each was measured once, blind
BODY = re.compile(r"[\u4e00-\u9fff]{2,24}?(?:人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府办公室|发展和改革委员会|发展改革委|"
                  r"委员会|办公厅|办公室|厅|局|委)")
ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
SPAN = re.compile(r"((?:19|20)\d{2})\s*[—–―\-~～至到]+\s*((?:19|20)\d{2})")


def own_drafts(plans: list[E.Plan]) -> None:
    """Each plan drafted by today's ingest with its own flags only."""
    real = DR.FL.raise_flags
    DR.FL.raise_flags = lambda d, data=None, places=None: []
    try:
        for p in plans:
            p.draft(E.DATA)
    finally:
        DR.FL.raise_flags = real


def _walk(body: dict):
    for r in body.get("measures", []):
        yield None, r
    for s in body.get("sections", []):
        yield from _walk_section(s)


def _walk_section(s: dict):
    yield s, None
    for r in s.get("measures", []):
        yield s, r
    for c in s.get("sections", []):
        yield from _walk_section(c)


def _places_named(lines: list[str], book) -> list[str]:
    if book is None:
        return []
    names = {p.name for p in book.places.values() if len(p.name) >= 3}
    text = "\n".join(squash(x) for x in lines)
    return sorted({n for n in names if n in text})


def candidates(p: E.Plan, book) -> list[tuple[str, str, object]]:
    """(field, description, mutate(d)) for each wrong value the copy offers."""
    d = p.d
    e = d.entry
    lines = d.lines
    sq = [squash(x) for x in lines]
    out: list[tuple[str, str, object]] = []

    def setter(key, value):
        def f(x):
            if value is None:
                x.entry[key] = None
            else:
                x.entry[key] = value
            (x.entry.get("supplied") or {}).pop(key, None)
        return f

    def once(items):
        seen, res = set(), []
        for i in items:
            if i not in seen:
                seen.add(i)
                res.append(i)
        return res

    body_start = min([r.get("line") for _s, r in _walk(d.body) if r and isinstance(r.get("line"), int)] or [len(lines)])
    # name: a line of the page before the text; the first title line alone
    for n in range(1, min(body_start, len(lines) + 1)):
        s = sq[n - 1]
        if 4 <= len(s) <= 60 and squash(e.get("name") or "") != s:
            out.append(("name", f"line {n}", setter("name", s)))
    tl = e.get("title_lines") or []
    if len(tl) >= 2:
        out.append(("name", "first title line", setter("name", sq[tl[0] - 1])))
    # issuer: a body the copy names; the first of a joint issue; none
    bodies = once(m.group(0) for s in sq for m in BODY.finditer(s) if G.is_issuer(m.group(0)))
    for b in bodies:
        out.append(("issuer", b, setter("issuer", b)))
    parts = K.issuer_parts(e.get("issuer") or "")
    if len(parts) > 1:
        out.append(("issuer", "first of a joint issue", setter("issuer", parts[0])))
    out.append(("issuer", "none", setter("issuer", None)))
    # issue_date: another date the copy writes; none
    dates = once([f"{y:04d}-{m:02d}-{dd:02d}" for s in sq for (y, m, dd) in G.dates(s)]
                 + [f"{int(a):04d}-{int(b):02d}-{int(c):02d}" for s in sq for a, b, c in ISO.findall(s)
                    if 1 <= int(b) <= 12 and 1 <= int(c) <= 31])
    for x in dates:
        out.append(("issue_date", x, setter("issue_date", x)))
    out.append(("issue_date", "none", setter("issue_date", None)))
    # doc_number, parent: another 文号; none
    numbers = once(squash(m.group(0)) for s in sq for m in G.DOC_NUMBER.finditer(s))
    for x in numbers:
        out.append(("doc_number", x, setter("doc_number", x)))
        out.append(("parent", x, setter("parent", x)))
    out.append(("doc_number", "none", setter("doc_number", None)))
    out.append(("parent", "none", setter("parent", None)))
    # period: off by a year, another span the copy writes, none
    per = e.get("period") or {}
    spans = []
    if per.get("start"):
        spans += [(per["start"] - 1, per["end"]), (per["start"], per["end"] + 1), (per["start"] + 1, per["end"])]
    spans += [(int(a), int(b)) for s in sq for a, b in SPAN.findall(s) if int(a) <= int(b)]
    for a, b in once(spans):
        out.append(("period", f"{a}-{b}", _period(a, b)))
    out.append(("period", "none", _period(None, None)))
    # region: another place the copy names; a phrase the name opens with; the region's parent
    region = e.get("region") or ""
    for pl in _places_named(lines, book):
        if pl != region:
            out.append(("region", pl, setter("region", pl)))
    m = re.match(r"^(.{2,10}[市区县州])", squash(e.get("name") or ""))
    if m and m.group(1) != region:
        out.append(("region", f"phrase {m.group(1)}", setter("region", m.group(1))))
    if book is not None and region:
        try:
            codes = book.resolve(region)
            anc = book.ancestors(codes[0]) if codes else []
            for c in anc[:1]:
                if c in book.places and book.places[c].name != "全国":
                    out.append(("region", f"parent {book.places[c].name}", setter("region", book.places[c].name)))
        except Exception:  # noqa: BLE001
            pass
    for lv in ("province", "city", "county"):
        if lv != e.get("level"):
            out.append(("level", lv, setter("level", lv)))
    if e.get("abridged"):
        out.append(("abridged", "dropped", setter("abridged", False)))
    if re.search(r"节选|中断", e.get("completeness") or ""):
        out.append(("completeness", "whole", setter("completeness", "全文")))
    # headings: one dropped (its records go to its parent)
    for i, (s, r) in enumerate(_walk(d.body)):
        if s is not None and r is None and not s.get("restored"):
            out.append(("heading", f"drop {s.get('number') or ''}{s.get('title')}", _drop_section(s.get("id"))))
    # (third round) a heading's title cut short, or run on into its first words; a line of text read as a heading
    for s, r in _walk(d.body):
        if s is not None and r is None and not s.get("restored") and len(s.get("title") or "") >= 4:
            t = s["title"]
            out.append(("heading", f"cut {s.get('number') or ''}{t}", _section_title(s.get("id"), t[: len(t) // 2])))
            nxt = next((x for x in s.get("measures", []) if x.get("text")), None)
            if nxt:
                out.append(("heading", f"run on {s.get('number') or ''}{t}",
                            _section_title(s.get("id"), t + squash(nxt["text"])[:8])))
    claimed = {x.get("line") for x, y in _walk(d.body) if x is not None and y is None} | \
        {y.get("line") for _x, y in _walk(d.body) if y is not None and y.get("number")}
    for _s, r in _walk(d.body):
        if r is not None and r.get("kind") in ("measure", "paragraph") and not r.get("number") \
                and isinstance(r.get("line"), int) and r["line"] not in claimed and len(squash(r.get("text") or "")) >= 8:
            out.append(("heading", f"text line {r['line']} as a heading", _fake_section(r["line"], squash(r["text"])[:10])))
            break
    # (third round) a target's indicator: another the vocabulary names in its quote; its unit; a place as its scope
    vocab = _vocabulary_names()
    for _s, r in _walk(d.body):
        if r is None:
            continue
        for k, t in enumerate(r.get("targets") or []):
            if t.get("value") is None:
                continue
            rid, aw, quote = r.get("id"), t.get("as_written"), squash(t.get("quote") or "")
            others = [n for n in vocab if n in quote and n != t.get("indicator") and n not in (t.get("indicator") or "")]
            if others:
                other = max(others, key=len)
                out.append(("target.indicator", f"{aw}: {other}", _target(rid, k, {"indicator": other})))
            out.append(("target.unit", f"{aw}: unit", _target(rid, k, {"unit": "万人" if t.get("unit") == "%" else "%"})))
            for pl in _places_named([t.get("quote") or ""], book)[:1]:
                if pl != t.get("scope"):
                    out.append(("target.scope", f"{aw}: {pl}", _target(rid, k, {"scope": pl})))
    # numbered measures: one drafted as text of the record before it; 责任单位: a list dropped, a name
    # dropped or one added; the plan-wide assignment dropped
    for s, r in _walk(d.body):
        if r is not None and r.get("number") and r.get("kind") == "measure":
            out.append(("measure", f"drop {r.get('number')}{r.get('title') or ''}", _drop_measure(r.get("id"))))
        if r is not None and r.get("departments"):
            out.append(("departments", f"{r.get('id')}: none", _departments(r.get("id"), "none")))
            if len(r["departments"]) > 1:
                out.append(("departments", f"{r.get('id')}: one dropped", _departments(r.get("id"), "drop")))
            out.append(("departments", f"{r.get('id')}: one added", _departments(r.get("id"), "add")))
    if d.body.get("applies_to_all_tasks"):
        def no_all(x):
            x.body.pop("applies_to_all_tasks", None)
        out.append(("all_tasks", "dropped", no_all))
    # targets: dropped; its year, comparator, baseline year changed
    for s, r in _walk(d.body):
        if r is None:
            continue
        for k, t in enumerate(r.get("targets") or []):
            rid, aw = r.get("id"), t.get("as_written")
            out.append(("target", f"drop {aw}", _target(rid, k, None)))
            quote = squash(t.get("quote") or "")
            years = sorted({int(y) for y in re.findall(r"((?:19|20)\d{2})年", quote)} - {t.get("year")})
            for y in years:
                out.append(("target.year", f"{aw}: year {y}", _target(rid, k, {"year": y, "year_implied": False})))
            if t.get("year"):
                out.append(("target.year", f"{aw}: year {t['year'] + 1}", _target(rid, k, {"year": t["year"] + 1})))
            for y in years:
                if y != t.get("baseline_year"):
                    out.append(("target.baseline_year", f"{aw}: baseline {y}", _target(rid, k, {"baseline_year": y})))
            if t.get("comparator") != "eq":
                out.append(("target.comparator", f"{aw}: eq", _target(rid, k, {"comparator": "eq"})))
    # (fourth round) kinds of misreading no single field's check looks for: a number in an unusual form read in
    # part (1,700万 → 700万; 12.5 → 2.5) or misread (×10); a target read from another line; a region and the
    # level that follows from it both made wide or narrow (a pair that agrees); a period off by a year with the
    # targets' implied years following it
    lines_of = sorted({r.get("line") for _s, r in _walk(d.body) if r is not None and isinstance(r.get("line"), int)})
    for _s, r in _walk(d.body):
        if r is None:
            continue
        for k, t in enumerate(r.get("targets") or []):
            aw, v = t.get("as_written") or "", t.get("value")
            m = re.search(r"\d+(?:\.\d+)?", aw)
            if v is None or not m:
                continue
            digits = m.group(0)
            if len(digits.replace(".", "")) >= 2 and digits[1] != ".":
                part = digits[1:].lstrip("0") or "0"
                out.append(("target.value", f"{aw}: read in part", _target(r.get("id"), k, {
                    "value": float(part) if "." in part else int(part), "as_written": aw.replace(digits, part, 1)})))
            out.append(("target.value", f"{aw}: ×10", _target(r.get("id"), k, {"value": v * 10})))
            other = next((n for n in lines_of if n != (t.get("line") or r.get("line")) and n > (r.get("line") or 0)), None)
            if other:
                out.append(("target.line", f"{aw}: line {other}", _target(r.get("id"), k, {"line": other})))
    level_of = {"province": "province", "city": "city", "county": "county", "national": "national"}
    if book is not None and region:
        try:
            codes = book.resolve(region)
            anc = book.ancestors(codes[0]) if codes else []
            wider = [book.places[c] for c in anc[:1] if c in book.places and book.places[c].name != "全国"]
            narrower = [book.places[c] for pl in _places_named(lines, book) for c in book.resolve(pl)[:1]
                        if c in book.places and codes and c != codes[0] and codes[0] in book.ancestors(c)][:1]
            for pl in wider + narrower:
                lv = level_of.get(pl.level)
                if lv:
                    out.append(("region+level", f"{pl.name} ({lv})", _pair(pl.name, lv)))
        except Exception:  # noqa: BLE001
            pass
    if per.get("end"):
        out.append(("period+years", f"{per['start']}-{per['end'] + 1} with its implied years", _period_years(per["start"], per["end"] + 1)))
    # a deliberate non-target drafted as a target
    for g in p.gold.get("numbers", []):
        if "target" in g:
            continue
        line = next((i for i, s in enumerate(sq, start=1) if squash(E.fold(g["near"])) in E.fold(s)), None)
        if line is None:
            continue
        out.append(("non_target", f"drafted {g['near']}", _fake_target(line, g)))
    return out


def _section_title(sid, title):
    def f(x):
        for s, r in _walk(x.body):
            if s is not None and r is None and s.get("id") == sid:
                s["title"] = title
                return
    return f


def _fake_section(line, title):
    def f(x):
        x.body.setdefault("sections", []).append({"id": f"{x.plan_id}/99", "number": "九、", "title": title, "line": line,
                                                  "measures": []})
    return f


_VOCAB: list[str] = []


def _vocabulary_names() -> list[str]:
    if not _VOCAB:
        import yaml

        doc = yaml.safe_load((E.DATA / "indicators.yaml").read_text(encoding="utf-8")) or {}
        for i in doc.get("indicators") or []:
            if i.get("name") and len(i["name"]) >= 4:
                _VOCAB.append(squash(i["name"]))
    return _VOCAB


def _period(a, b):
    def f(x):
        x.entry["period"] = {"start": a, "end": b} if a else None
        (x.entry.get("supplied") or {}).pop("period", None)
    return f


def _pair(region, level):
    def f(x):
        x.entry["region"], x.entry["level"] = region, level
        for k in ("region", "level"):
            (x.entry.get("supplied") or {}).pop(k, None)
    return f


def _period_years(a, b):
    def f(x):
        old = (x.entry.get("period") or {}).get("end")
        _period(a, b)(x)
        for _s, r in _walk(x.body):
            for t in (r or {}).get("targets") or []:
                if t.get("year_implied") and t.get("year") == old:
                    t["year"] = b
    return f


def _drop_section(sid):
    def f(x):
        def visit(secs):
            for i, s in enumerate(secs):
                if s.get("id") == sid:
                    secs[i:i + 1] = s.get("sections", [])
                    # its measures join the section before it, or the plan's top level
                    holder = secs[i - 1] if i > 0 else None
                    (holder.setdefault("measures", []) if holder else x.body.setdefault("measures", [])).extend(
                        s.get("measures", []))
                    return True
                if visit(s.get("sections", [])):
                    return True
            return False
        visit(x.body.get("sections", []))
    return f


def _drop_measure(rid):
    def f(x):
        groups = [x.body.get("measures", [])] + [s.get("measures", []) for s, r in _walk(x.body) if r is None]
        for g in groups:
            for i, r in enumerate(g):
                if r.get("id") == rid:
                    if i > 0:  # its text joins the record before it, as a misread run would leave it
                        prev = g[i - 1]
                        prev["text"] = (prev.get("text") or "") + (r.get("number") or "") + (r.get("title") or "") + (r.get("text") or "")
                        prev["line_end"] = r.get("line_end") or r.get("line")
                        prev.setdefault("targets", []).extend(r.get("targets") or [])
                        del g[i]
                    else:  # the first of its run: a paragraph without its number
                        r["number"] = None
                        r["kind"] = "paragraph"
                        r["text"] = (r.get("title") or "") + (r.get("text") or "")
                        r["title"] = None
                    return
    return f


def _departments(rid, how):
    def f(x):
        for _s, r in _walk(x.body):
            if r is not None and r.get("id") == rid:
                if how == "none":
                    r.pop("departments", None)
                    r.pop("lead", None)
                elif how == "drop":
                    r["departments"] = r["departments"][:-1]
                else:
                    r["departments"] = list(r["departments"]) + ["省发展改革委" if "省发展改革委" not in r["departments"] else "省财政厅"]
                return
    return f


def _target(rid, k, change):
    def f(x):
        for _s, r in _walk(x.body):
            if r is not None and r.get("id") == rid:
                ts = r.get("targets") or []
                if change is None:
                    del ts[k]
                else:
                    ts[k].update(change)
                return
    return f


def _fake_target(line, g):
    def f(x):
        owner = None
        for _s, r in _walk(x.body):
            if r is not None and (r.get("line") or 0) <= line <= (r.get("line_end") or r.get("line") or 0):
                owner = r
        if owner is None:
            return
        near = E.fold(g["near"])
        m = re.search(re.escape(f"{g['value']:g}" if isinstance(g["value"], float) else str(g["value"])) + r"\S{0,4}", near)
        aw = m.group(0) if m else str(g["value"])
        owner.setdefault("targets", []).append({
            "indicator": "指标", "value": g["value"], "unit": None, "as_written": aw, "qualifier": None,
            "comparator": "eq", "basis": "level", "year": None, "year_implied": True, "quote": near, "line": line,
            "scope": None, "aspiration": None})
    return f


def _flags_of(commit: str):
    """``ingest/flags.py`` (and ``ingest/flag_kinds.py`` where it exists) as of ``commit``, loaded beside today's
    ingest as modules of their own."""
    import importlib.util
    import subprocess
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="cz-flags-of-"))
    mods = {}
    for stem in ("flag_kinds", "flags"):
        got = subprocess.run(["git", "-C", str(REPO), "show", f"{commit}:src/chengzhen/ingest/{stem}.py"],
                             capture_output=True, text=True)
        if got.returncode != 0:
            continue
        text = got.stdout.replace("from chengzhen.ingest import flag_kinds as K", "import cz_old_flag_kinds as K")
        path = tmp / f"cz_old_{stem}.py"
        path.write_text(text, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(f"cz_old_{stem}", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[f"cz_old_{stem}"] = mod
        spec.loader.exec_module(mod)
        mods[stem] = mod
    if "flags" not in mods:
        sys.exit(f"flags_mutations: no src/chengzhen/ingest/flags.py at {commit}")
    return mods["flags"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=SETS + ("all",), default="all")
    ap.add_argument("--show", action="store_true", help="each wrong mutation no flag points at")
    ap.add_argument("--flags-of", metavar="COMMIT", help="raise the flags of ingest/flags.py as of COMMIT (git show), "
                    "today's drafts and mutations: what checks written before a set would have caught of its mutations")
    ap.add_argument("--by-set", action="store_true", help="one line per set")
    args = ap.parse_args(argv)
    flags = _flags_of(args.flags_of) if args.flags_of else FL
    plans = [E.Plan(g) for g in sorted(E.GOLD.glob("*.yaml"))]
    plans = [p for p in plans if p.set in SETS and (args.set == "all" or p.set == args.set) and p.text.is_file()]
    if not plans:
        print("flags_mutations: no texts in bench/unseen/: nothing to mutate")
        return 0
    own_drafts(plans)
    book = FL._places(E.DATA)
    tally: dict[str, Counter] = defaultdict(Counter)
    by_set: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for p in plans:
        if p.d is None:
            continue
        base, own = p.d, list(p.d.review)
        p.d = copy.deepcopy(base)
        p.d.review = list(own)
        flags.raise_flags(p.d, E.DATA)
        p.fields, p.flags = [], []
        p.score()
        before = {(f["kind"], f["key"]) for f in p.fields if f["outcome"] != "correct"}
        for field_kind, desc, mutate in candidates(p, book):
            d = copy.deepcopy(base)
            d.review = list(own)
            mutate(d)
            flags.raise_flags(d, E.DATA)
            p.d = d
            p.fields, p.flags = [], []
            p.score()
            bad = [f for f in p.fields if f["outcome"] != "correct" and (f["kind"], f["key"]) not in before]
            if not bad:
                continue
            caught = all(f["outcome"].endswith("_flagged") for f in bad)
            kind = field_kind.split(".")[0] if field_kind.startswith("catalogue") else field_kind
            tally[kind]["wrong"] += 1
            tally[kind]["caught"] += caught
            by_set[p.set]["wrong"] += 1
            by_set[p.set]["caught"] += caught
            if not caught:
                misses.append((p.name, p.set, field_kind, desc, [f"{f['kind']} {f['key']}: {f['detail']}"[:120] for f in bad
                                                                if not f["outcome"].endswith("_flagged")]))
        p.d = base
    total = Counter()
    print("| field | wrong mutations | caught by a flag | share |")
    print("| --- | --- | --- | --- |")
    for k in sorted(tally):
        c = tally[k]
        total.update(c)
        print(f"| {k} | {c['wrong']} | {c['caught']} | {100 * c['caught'] / c['wrong']:.1f} % |")
    print(f"| **all** | {total['wrong']} | {total['caught']} | {100 * total['caught'] / max(total['wrong'], 1):.1f} % |")
    if args.by_set:
        print("\n| set | wrong mutations | caught by a flag | share |")
        print("| --- | --- | --- | --- |")
        for k in SETS:
            c = by_set.get(k)
            if c:
                print(f"| {k} | {c['wrong']} | {c['caught']} | {100 * c['caught'] / c['wrong']:.1f} % |")
    if args.show:
        for name, s, kind, desc, what in misses:
            print(f"  {name} ({s}) {kind} «{desc}»: {'; '.join(what)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
