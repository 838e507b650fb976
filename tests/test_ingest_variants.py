"""`cz ingest` reads a plan as users get it: every seed source of the catalogue,
transformed the ways real copies are damaged or wrapped, gives the same
draft as its clean text — apart from what the repairs record (and line
numbers, where a wrapper adds or drops lines).

Parametrized over the plans whose sources are seed texts (a sample of them
in the quick suite, and each variant on one of them by rotation; all under
`slow`); a plan curated from another text is checked by `cz validate`, not
re-drafted here.
"""

from __future__ import annotations

import functools
import io
import random
import re
import shutil
from pathlib import Path

import pytest

from chengzhen.ingest import decode as DEC
from chengzhen.ingest.draft import draft_from_text, verify
from chengzhen.kb import loader as L
from chengzhen.text.normalize import squash, to_simplified
from conftest import DATA, plan_params

# ingest's gold: the plans whose sources are the seed texts (shared/seeds) it was built and checked on — a
# plan curated by hand, or drafted and then corrected, is no draft of ingest's to reproduce; in the quick
# suite a sample of them (tests/conftest.py plan_params), every one under `slow`
GOLD = [p for p in L.load_catalogue(DATA) if p.seed]
PLANS = plan_params(GOLD)


@pytest.fixture(scope="module")
def without(tmp_path_factory):
    """A copy of the data directory without plan ``pid`` (made once per plan)."""
    made: dict[str, Path] = {}

    def get(pid: str) -> Path:
        if pid not in made:
            root = tmp_path_factory.mktemp(f"data-{pid}") / "data"
            # a plan's files are its own: without them the plan is gone
            shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build", f"{pid}.yaml", f"{pid}.txt"))
            made[pid] = root
        return made[pid]

    return get


def raw_text(pid: str) -> str:
    plan = next(p for p in L.load_catalogue(DATA) if p.id == pid)
    return (DATA / plan.source).read_text(encoding="utf-8")


def draft_of(data: bytes, root: Path, pid: str):
    decoded = DEC.decode(data, "input")
    d = draft_from_text(decoded, root, pid, "input")
    audit = verify(d, root)
    assert audit.ok, [str(p) for p in audit.problems[:5]]
    return d


def canonical(d, through=None) -> dict:
    """What a draft says, without where it says it: the outline, each record's
    number, title, text, 责任单位 (joint entries and lead), national tasks or
    why none, and targets; the catalogue fields, what is supplied, the skips' kinds."""
    def targets(rec):
        return [(t["value"], t.get("value_max"), t.get("unit"), fold(t["indicator"]), t.get("qualifier"),
                 t["comparator"], t.get("basis"), t["year"], t.get("year_implied"), t.get("cumulative"),
                 t.get("aspiration"), fold(t.get("scope"))) for t in rec.get("targets", [])]

    def fold(s):
        if isinstance(s, dict):  # a joint entry
            return (fold(s["joint"]), tuple(fold(x) for x in s["names"]))
        s = squash(s or "")
        return to_simplified(through(s) if through else s)

    out = []

    def recs(ms):
        for r in ms:
            out.append((r["kind"], fold(r.get("number")), fold(r.get("title")), fold(r["text"]),
                        tuple(fold(x) for x in r.get("departments", [])), tuple(fold(x) for x in r.get("lead", [])),
                        tuple(targets(r)), tuple(r.get("tasks", [])), bool(r.get("no_task"))))

    def secs(ss):
        for s in ss:
            out.append(("section", fold(s["number"]), fold(s["title"]), bool(s.get("restored"))))
            recs(s["measures"])
            secs(s["sections"])

    recs(d.body["measures"])
    secs(d.body["sections"])
    for a in d.body.get("annexes", []):
        out.append(("annex", fold(a["title"]), tuple((g["name"], tuple(i["name"] for i in g["items"]))
                                                      for g in a["groups"])))
    e = d.entry
    cat = {k: (fold(e[k]) if isinstance(e.get(k), str) else e.get(k))
           for k in ("name", "short_name", "region", "level", "issuer", "doc_number", "issue_date", "period", "parent")}
    cat["supplied"] = sorted(e.get("supplied", {}))
    cat["abridged"] = bool(e.get("abridged"))
    cat["skip kinds"] = sorted({x["kind"] for x in e.get("skip", [])})
    return {"catalogue": cat, "records": out}


def same(a: dict, b: dict) -> None:
    assert a["catalogue"] == b["catalogue"], {k: (a["catalogue"][k], b["catalogue"][k]) for k in a["catalogue"]
                                              if a["catalogue"][k] != b["catalogue"][k]}
    ra, rb = a["records"], b["records"]
    diffs = [[(i, p, q) if not (isinstance(p, str) and isinstance(q, str)) else
              (i, [(k, c, d) for k, (c, d) in enumerate(zip(p, q)) if c != d][:3], len(p), len(q))
              for i, (p, q) in enumerate(zip(x, y)) if p != q] for x, y in zip(ra, rb) if x != y]
    assert len(ra) == len(rb) and not diffs, diffs[:3]


# --------------------------------------------------------------------------- the transformations

@functools.lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")  # ~50 ms to build: once per session, not per call


def to_traditional(text: str) -> str:
    """OpenCC s2t, line by line; a line holding mojibake keeps its bytes
    (converting them would make other bytes, not other script)."""
    cc = _s2t()
    return "\n".join(line if re.search(r"[\ue000-\uf8ff]", line) else cc.convert(line) for line in text.split("\n"))


def with_pinyin(text: str, every: int = 9) -> str:
    """A web site's reading aids: 镇(zhèn) after every ninth ideograph."""
    from pypinyin import Style, pinyin

    out, n = [], 0
    damaged = {i for m in re.finditer(r"[^\n]*[\ue000-\uf8ff][^\n]*", text) for i in range(m.start(), m.end())}
    for i, ch in enumerate(text):
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and i not in damaged:
            n += 1
            if n % every == 0 and text[i + 1:i + 2] not in ("(", "（"):
                out.append(f"({pinyin(ch, style=Style.TONE)[0][0]})")
    return "".join(out)


def with_ocr_spacing(text: str, seed: int = 7) -> str:
    """Spaces a PDF or OCR copy leaves: inside words, around punctuation."""
    rnd = random.Random(seed)
    out = []
    for line in text.split("\n"):
        chars = []
        for i, ch in enumerate(line):
            chars.append(ch)
            if i + 1 < len(line) and rnd.random() < 0.12:
                chars.append(" ")
        out.append("".join(chars))
    return "\n".join(out)


def as_html(text: str) -> bytes:
    paras = "\n".join(f"<p>{_esc(line)}</p>" for line in text.split("\n") if line.strip())
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政策文件</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>p {{ text-indent: 2em }}</style></head>
<body>
<nav><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/zcwj">政策文件</a></nav>
<div class="position">当前位置:首页 &gt; 政务公开 &gt; 政策文件</div>
<div class="info">来源:人民政府网站 作者:办公厅 浏览次数:1234</div>
<div class="content">
{paras}
</div>
<div class="share">分享到: <button>微信</button> <button>微博</button></div>
<div class="tools">【打印本页】 【关闭窗口】</div>
<footer>版权所有:某省人民政府办公厅 网站标识码:1100000000 京ICP备05070218号</footer>
</body></html>"""
    return page.encode("utf-8")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_docx(text: str) -> bytes:
    import docx

    doc = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


VARIANTS = {
    "traditional": lambda t: to_traditional(t).encode("utf-8"),
    "pinyin": lambda t: with_pinyin(t).encode("utf-8"),
    "ocr_spacing": lambda t: with_ocr_spacing(t).encode("utf-8"),
    "gb18030": lambda t: t.encode("gb18030"),
    "utf8_bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "utf16": lambda t: t.encode("utf-16"),
    "html": as_html,
    "docx": as_docx,
}


@pytest.fixture(scope="module")
def clean_drafts(without):
    cache: dict[str, dict] = {}

    def get(pid: str):
        if pid not in cache:
            d = draft_of(raw_text(pid).encode("utf-8"), without(pid), pid)
            cache[pid] = (d, canonical(d))
        return cache[pid]

    return get


@pytest.mark.parametrize("pid", PLANS)
def test_clean_source_drafts_and_validates(pid, clean_drafts):
    d, _ = clean_drafts(pid)
    assert d.audit.ok and d.audit.coverage_pct == 100.0 and d.audit.verified_pct == 100.0
    assert d.counts["sections"] + d.counts["measure"] > 0


def _variant_cases():
    """Every plan × every variant; the quick suite runs each variant on one plan (rotating over the
    plans), the slow pass (CI) all of them."""
    cases = []
    for i, variant in enumerate(sorted(VARIANTS)):
        for j, pid in enumerate(p.id for p in GOLD):
            quick = j == i % len(GOLD)
            cases.append(pytest.param(pid, variant, marks=() if quick else pytest.mark.slow,
                                      id=f"{pid}-{variant}"))
    return cases


@pytest.mark.parametrize("pid,variant", _variant_cases())
def test_variant_gives_the_same_draft(pid, variant, without, clean_drafts):
    text = raw_text(pid)
    if variant == "html" or variant == "docx":
        text = text.replace("\ufeff", "")
    data = VARIANTS[variant](text)
    d = draft_of(data, without(pid), pid)
    clean, want = clean_drafts(pid)
    if variant == "traditional":  # what OpenCC does not map back (果 → 菓 → 菓) is OpenCC's
        want = canonical(clean, through=to_traditional)
    got = canonical(d)
    if variant == "html":  # the page's own chrome (navigation, 来源 bar, footer): skipped as web
        got["catalogue"]["skip kinds"] = sorted(set(got["catalogue"]["skip kinds"]) - {"web"})
        want = {**want, "catalogue": {**want["catalogue"],
                                      "skip kinds": sorted(set(want["catalogue"]["skip kinds"]) - {"web"})}}
    same(got, want)
    reasons = {r["reason"] for r in d.entry.get("repairs", [])} - {r["reason"] for r in clean.entry.get("repairs", [])}
    if variant == "ocr_spacing":
        assert d.counts["repairs_spaces"] > 0 and any("空格" in r for r in reasons)
    elif variant == "pinyin" and clean.entry["script"] == "simplified":
        assert d.counts["repairs_pinyin"] > 0 and any("拼音" in r for r in reasons)
    elif variant == "traditional":
        assert d.entry["script"] == "traditional"
    else:
        assert not reasons, reasons  # nothing to repair: the text is the same
    if variant in ("gb18030", "utf8_bom", "utf16", "traditional", "pinyin", "ocr_spacing"):
        # the stored text is the input's text, decoded: same lines, same count
        assert d.source_text.count("\n") == text.rstrip("\n").count("\n") + 1


def test_recorded_repairs_apply_to_the_stored_text(without):
    """Each repair's damaged text is on its line of the stored source, and
    applying them in order gives the normalized lines the draft quotes."""
    from chengzhen.text.normalize import source_lines

    pid = GOLD[0].id
    data = with_ocr_spacing(with_pinyin(raw_text(pid))).encode("utf-8")
    d = draft_of(data, without(pid), pid)
    raw = d.source_text.split("\n")
    from chengzhen.kb.model import Repair

    reps = [Repair(**r) for r in d.entry["repairs"]]
    for r in reps:
        assert r.source in raw[r.line - 1]
    assert source_lines(d.source_text, d.entry["script"], reps) == d.lines
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", "\n".join(d.lines[10:]))
