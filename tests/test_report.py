"""`cz report`, read back as a reader would: the .docx opened with
python-docx, every table cell and every citation checked against the
answer the report was made from — for every national task in the data
(compare), every plan (targets, plan) — and the file rules: never over an
existing file without --force, written atomically, a missing extra said in
one line."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

from conftest import plan_ids

docx = pytest.importorskip("docx")

TODAY = "2026-12-07"


def _report(conn, kind: str, ans, fmt: str = "docx"):
    from chengzhen.report.make import make, render

    report = make(conn, kind, ans, f"cz report {kind} …", TODAY)
    return report, render(report, fmt)


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _cell_paragraphs(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def _marks(paragraph) -> list[str]:
    """The superscript runs of a paragraph: the citation marks."""
    return [r.text for r in paragraph.runs if r.font.superscript]


def _references(document) -> list[str]:
    paras = [p.text for p in document.paragraphs]
    at = paras.index("参考文献")
    refs = [p for p in paras[at + 1:] if p.strip()]
    for n, ref in enumerate(refs, start=1):
        assert ref.startswith(f"[{n}] "), ref
    return [r.split(" ", 1)[1] for r in refs]


def _check_mark(mark: str, unit_id: str, refs: list[str], conn) -> None:
    """``[n]locator``: reference n is the unit's document, the locator where
    in it the unit stands (query/cite.py, recomputed here)."""
    from chengzhen.query.cite import cite

    m = re.fullmatch(r"\[(\d+)\](.*)", mark)
    assert m, mark
    rec = cite(conn, unit_id)
    assert refs[int(m.group(1)) - 1] == rec["reference"], (unit_id, mark)
    assert m.group(2) == (rec["locator_short"] or ""), (unit_id, mark)


def _facts(document, conn) -> dict:
    from chengzhen.store.db import read_meta

    facts = {}
    for p in document.paragraphs[:8]:
        if ": " in p.text and p.runs and p.runs[0].bold:
            k, v = p.text.split(": ", 1)
            facts[k] = v
    assert facts["日期"] == "2026年12月7日"
    assert f"第 {read_meta(conn)['generation']} 代" in facts["数据库"]
    assert facts["问题"].startswith("cz report ")
    return facts


def _tasks(conn) -> list[str]:
    from chengzhen.query import tasks as T

    return [n["id"] for n in T.nodes(conn) if n["leaf"]]


# --------------------------------------------------------------------------- compare, every task

@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_compare_report_every_task_cell_and_citation(conn):
    """For every national task: the comparison of every plan, each cell the
    measures the answer puts there — heading, citation, the source's text,
    departments in order, targets — or the empty mark; every reference used
    and listed once."""
    from chengzhen.answers.compare import compare
    from chengzhen.answers.present import ABRIDGED_MARK, target_phrase, unit_label

    plans = plan_ids(conn)
    for task in _tasks(conn):
        ans = compare(conn, plans, None, [task], None)
        _report_, data = _report(conn, "compare", ans)
        doc = _open(data)
        _facts(doc, conn)
        refs = _references(doc)
        assert len(set(refs)) == len(refs)
        used = set()
        d = ans.data
        table = doc.tables[0]
        assert [c.text for c in table.rows[0].cells] == ["国家任务"] + [
            p["name"] + (f"({ABRIDGED_MARK})" if p["abridged"] else "") for p in d["plans"]]
        assert len(table.rows) == len(d["rows"]) + 1
        for row, tr in zip(d["rows"], table.rows[1:]):
            t = row["task"]
            assert _cell_paragraphs(tr.cells[0]) == [f"{t['number'] or ''}{t['title']}", f"[{t['id']}]"]
            for p, c in zip(d["plans"], tr.cells[1:]):
                measures = row["cells"].get(p["id"], [])
                paras = c.paragraphs
                if not measures:
                    assert [x.text for x in paras] == ["—" + (f"({ABRIDGED_MARK})" if p["abridged"] else "")]
                    continue
                want = []
                for m in measures:
                    want.append(None)  # the heading, checked with its mark below
                    want.append(m["text"])
                    if m["departments"]:
                        want.append("责任单位(原文顺序): " + "、".join(m["departments"]))
                    if m["targets"]:
                        want.append("目标: " + "; ".join(target_phrase(x) for x in m["targets"]))
                assert len(paras) == len(want), (task, p["id"])
                heads = [i for i, w in enumerate(want) if w is None]
                for i, w in enumerate(want):
                    if w is not None:
                        assert paras[i].text == w, (task, p["id"], i)
                for i, m in zip(heads, measures):
                    marks = _marks(paras[i])
                    assert len(marks) == 1
                    assert paras[i].text == unit_label(m) + marks[0]
                    _check_mark(marks[0], m["id"], refs, conn)
                    used.add(int(marks[0][1:].split("]")[0]))
        for tbl in doc.tables[1:2]:  # the targets each plan sets
            if tbl.rows[0].cells[0].text != "方案":
                continue
            for tr in tbl.rows[1:]:
                used.add(int(tr.cells[-1].text[1:].split("]")[0]))
        assert used == set(range(1, len(refs) + 1)), task


def test_compare_report_repeats_its_header_and_fits_the_page(conn):
    from chengzhen.answers.compare import compare
    from docx.oxml.ns import qn

    ans = compare(conn, plan_ids(conn)[:4], None, [_tasks(conn)[0]], None)
    doc = _open(_report(conn, "compare", ans)[1])
    section = doc.sections[0]
    assert section.page_width > section.page_height  # four plans: landscape
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        header = table.rows[0]._tr
        assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
        widths = [c.width for c in table.rows[0].cells]
        assert sum(widths) <= text_width * 1.001 and min(widths) > 0


# --------------------------------------------------------------------------- targets, every plan

@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_targets_report_every_plan_cell_citation_and_bar(conn):
    """Every plan's targets: each table row the answer's target (plan,
    indicator, scope, as written, qualifier, 力争, year with *, baseline,
    restatements, citation); each chart bar as long as its value on the
    chart's scale."""
    from chengzhen.answers.present import baseline_label, restated_label, year_label
    from chengzhen.answers.targets import TargetsAsk, answer, dated, promised
    from chengzhen.report.docx import BAR_MAX_CM

    for pid in plan_ids(conn):
        ans = answer(conn, TargetsAsk(plans=[pid]))
        _r, data = _report(conn, "targets", ans)
        doc = _open(data)
        _facts(doc, conn)
        refs = _references(doc)
        tables = [t for t in doc.tables if t.rows[0].cells[0].text == "方案"]
        groups = [g for g in (dated(ans), promised(ans)) if g]
        assert len(tables) == len(groups)
        for rows, table in zip(groups, tables):
            assert len(table.rows) == len(rows) + 1
            for t, tr in zip(rows, table.rows[1:]):
                cells = [c.text for c in tr.cells]
                assert cells[:-1] == [t["plan_name"], t["indicator"], t.get("scope") or "", t["as_written"],
                                      t.get("qualifier") or "", t.get("aspiration") or "",
                                      year_label(t) if t["kind"] != "commitment" else "—", baseline_label(t),
                                      restated_label(t)]
                _check_mark(cells[-1], t["id"], refs, conn)
        # the charts: by definition one per indicator, unit and basis, in the order first met, every
        # bar (the target's value, a range's upper bound) and a level's baseline on one scale from 0
        charts: dict[tuple, list[dict]] = {}
        for t in dated(ans):
            if t["value"] is not None:
                charts.setdefault((t["indicator"], t["unit"] or "", t["basis"]), []).append(t)
        bars = [t for t in doc.tables if t not in tables and len(t.columns) == 3]
        assert len(bars) == len(charts)
        for table, ((_ind, _unit, basis), ts) in zip(bars, charts.items()):
            assert len(table.rows) == len(ts)
            top = max(max(t["value_max"] if t["value_max"] is not None else t["value"],
                          (t["baseline"] or 0) if basis == "level" else 0) for t in ts) or 1
            for t, tr in zip(ts, table.rows):
                v = t["value_max"] if t["value_max"] is not None else t["value"]
                assert tr.cells[0].text == " ".join(x for x in (t["plan_name"], t["scope"]) if x)
                assert tr.cells[2].paragraphs[0].text == f"{_committed(t)}({year_label(t)})"
                extents = [int(e.get("cx")) / 360000 for e in tr.cells[1]._tc.xpath(".//wp:extent")]
                drawn = [v] + ([t["baseline"]] if basis == "level" and t["baseline"] is not None else [])
                assert len(extents) == len([x for x in drawn if x > 0])
                for cm, x in zip(extents, [x for x in drawn if x > 0]):
                    assert abs(cm - max(0.05, BAR_MAX_CM * x / top)) < 0.01, (t["id"], cm, x, top)


def _committed(t):
    v = t["as_written"]
    return (t["aspiration"] + v) if t.get("aspiration") and t["aspiration"] not in v else v


def test_targets_report_by_indicator_names_the_silent_plans(conn):
    from chengzhen.answers.targets import TargetsAsk, answer

    ans = answer(conn, TargetsAsk(indicator="城镇化率"))
    report, data = _report(conn, "targets", ans)
    text = "\n".join(p.text for p in _open(data).paragraphs)
    for s in ans.blocks["silent"]:
        assert s["plan_name"] in text.split("未设此类目标的方案: ")[1].splitlines()[0]
    assert any(b["kind"] == "bars" for b in report.blocks)


# --------------------------------------------------------------------------- plan, every plan

def test_plan_report_every_plan(conn):
    """The facts table holds the catalogue's fields, the outline every
    section and measure of the plan in order (each measure cited), the
    targets table every target of the plan."""
    from chengzhen.answers.show import plan_page
    from chengzhen.query.catalog import plan_outline

    for pid in plan_ids(conn):
        ans = plan_page(conn, pid)
        _r, data = _report(conn, "plan", ans)
        doc = _open(data)
        _facts(doc, conn)
        refs = _references(doc)
        assert len(refs) == 1  # one document cited
        outline = plan_outline(conn, pid)
        p = outline["plan"]
        facts = {tr.cells[0].text: tr.cells[1].text for tr in doc.tables[0].rows[1:]}
        for key, field in (("发文机关", "issuer"), ("文号", "doc_number"), ("上位方案", "parent"), ("完整性", "completeness")):
            assert facts.get(key) == p.get(field) or (p.get(field) is None and key not in facts)
        nodes = []

        def walk(ns):
            for n in ns:
                nodes.append(n)
                walk(n.get("children") or [])

        walk(outline["outline"])
        paras = doc.paragraphs
        start = next(i for i, x in enumerate(paras) if x.text == "二、结构")
        items = paras[start + 1:start + 1 + len(nodes)]
        for n, para in zip(nodes, items):
            if n["type"] == "section":
                title = f"{n['number'] or ''}{n['title']}"
                assert para.text == (f"[{title}]" if n.get("restored") else title)
            else:
                title = n["title"] if n["title_as_written"] else f"〔{n['title']}〕"
                marks = _marks(para)
                assert para.text == f"{n['number'] or ''}{title}" + marks[0]
                _check_mark(marks[0], n["id"], refs, conn)
        n_targets = conn.execute("SELECT count(*) FROM targets WHERE plan_id = ? AND group_id = id", (pid,)).fetchone()[0]
        tables = [t for t in doc.tables if t.rows[0].cells[0].text == "指标"]
        assert sum(len(t.rows) - 1 for t in tables) == n_targets


# --------------------------------------------------------------------------- Markdown: the same report

def test_markdown_holds_the_same_text_and_references(conn):
    from chengzhen.answers.compare import compare
    from chengzhen.answers.writers import md_escape

    ans = compare(conn, plan_ids(conn), None, [_tasks(conn)[0]], None)
    report, md = _report(conn, "compare", ans, "md")
    md = md.decode("utf-8")
    doc = _open(_report(conn, "compare", ans)[1])
    assert _references(doc) == [line.split(" ", 1)[1].rstrip() for line in md.split("## 参考文献\n")[1].strip().splitlines()]
    for row in ans.data["rows"]:
        for cells in row["cells"].values():
            for m in cells:
                assert md_escape(m["text"]) in md


# --------------------------------------------------------------------------- the command and its files

def test_cli_writes_docx_never_over_a_file_without_force(cz, tmp_path):
    out = tmp_path / "对比.docx"
    res = cz("report", "compare", "--task", "4.1", *plan_ids_from_cli(cz)[:2], "-o", str(out))
    assert res.code == 0, res.err
    assert out.exists() and _open(out.read_bytes()).tables
    stamp = out.read_bytes()
    again = cz("report", "compare", "--task", "4.1", *plan_ids_from_cli(cz)[:2], "-o", str(out))
    assert again.code == 2 and "already exists; give --force" in again.err and len(again.err.splitlines()) == 1
    assert out.read_bytes() == stamp
    forced = cz("report", "plan", plan_ids_from_cli(cz)[0], "-o", str(out), "--force")
    assert forced.code == 0 and out.read_bytes() != stamp
    assert sorted(p.name for p in tmp_path.iterdir()) == ["对比.docx"]  # no temporary file left
    import os

    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not the temporary file's private 0600


def plan_ids_from_cli(cz) -> list[str]:
    return [p["id"] for p in json.loads(cz("plans", "-f", "json").out)["records"]]


def test_cli_markdown_to_stdout_and_exit_codes(cz, tmp_path):
    res = cz("report", "targets", "--indicator", "城镇化率", "-f", "md")
    assert res.code == 0 and res.out.startswith("# 量化目标: ") and "## 参考文献" in res.out
    none = cz("report", "targets", "--year", "2099", "-o", str(tmp_path / "x.md"))
    assert none.code == 1 and "没有符合条件的目标" in (tmp_path / "x.md").read_text(encoding="utf-8")
    res = cz("report", "progress", "--indicator", "城镇化率", "-f", "md")
    assert res.code == 0 and res.out.startswith("# 目标进展: ") and "## 参考文献" in res.out
    none = cz("report", "progress", "--year", "2099", "-o", str(tmp_path / "p.md"))
    assert none.code == 1 and "没有符合条件的目标" in (tmp_path / "p.md").read_text(encoding="utf-8")
    bad = cz("report", "progress", "--verdict", "maybe", "-o", str(tmp_path / "p.docx"))
    assert bad.code == 2 and bad.err.count("\n") == 1 and not (tmp_path / "p.docx").exists()
    bad = cz("report", "plan", "nosuchplan", "-o", str(tmp_path / "y.docx"))
    assert bad.code == 2 and "unknown plan 'nosuchplan'" in bad.err and not (tmp_path / "y.docx").exists()


def test_missing_extra_is_one_line_with_the_install_command(cz, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "docx", None)  # python-docx not installed
    res = cz("report", "plan", plan_ids_from_cli(cz)[0], "-o", str(tmp_path / "p.docx"))
    assert res.code == 2 and res.err.count("\n") == 1
    assert "pip install 'chengzhen[report]'" in res.err
    assert not (tmp_path / "p.docx").exists()
    md = cz("report", "plan", plan_ids_from_cli(cz)[0], "-o", str(tmp_path / "p.md"))
    assert md.code == 0  # Markdown needs no extra


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    import os

    from chengzhen.errors import CzError
    from chengzhen.report.files import write_new

    target = tmp_path / "r.docx"
    target.write_bytes(b"old")

    def broken(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(CzError, match="No space left"):
        write_new(str(target), b"new", force=True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


# --------------------------------------------------------------------------- progress, every plan

def test_progress_report_every_row_figure_and_publication(conn):
    """cz report progress for every plan: one table row per record of the
    answer (plan, indicator, scope, target as written, year, verdict), its
    starting and latest figures the answer's, each statistic marked with the
    reference of the publication that data/statistics gives for it (publisher,
    title and URL recomputed from the source id), each target's measure cited."""
    import yaml

    from chengzhen.answers.progress import ProgressAsk, answer
    from chengzhen.query.cite_style import widen
    from conftest import DATA

    pubs = {}
    for f in sorted((DATA / "statistics").glob("*.yaml")):
        doc = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        for src in doc.get("sources") or []:
            pubs[f"{doc.get('place')}/{src['id']}"] = src
    seen = 0
    for pid in plan_ids(conn):
        ans = answer(conn, ProgressAsk(plans=[pid]))
        if not ans.records:
            continue
        _r, data = _report(conn, "progress", ans)
        doc = _open(data)
        refs = _references(doc)
        table = next(t for t in doc.tables if t.rows[0].cells[0].text == "方案")
        assert len(table.rows) == len(ans.records) + 1
        for r, tr in zip(ans.records, table.rows[1:]):
            cells = [c.text for c in tr.cells]
            assert cells[0] == r["plan_name"] and cells[1] == r["indicator"] and cells[2] == (r["scope"] or "")
            assert r["as_written"] in cells[3]
            assert cells[10] == r["verdict"]
            _check_mark(cells[-1], r["measure_id"], refs, conn)
            for value, year, key, col in ((r["base"], r["base_year"], r["base_ref"], 5),
                                          (r["latest"], r["latest_year"], r["latest_source"], 6)):
                if value is None:
                    assert cells[col] == "—"
                    continue
                assert cells[col].startswith(f"{value:g}({year}年)"), (cells[col], value, year)
                if col == 6 or r["base_source"] == "statistic":
                    key = "/".join(key.split("/")[:2])
                    m = re.search(r"\[(\d+)\]$", cells[col])
                    ref = refs[int(m.group(1)) - 1]
                    src = pubs[key]
                    # the title in Chinese punctuation (docs/citation.md: ASCII brackets widened)
                    assert widen(src["title"]) in ref and src.get("url", "") in ref, (ref, src)
                    seen += 1
    assert seen or not pubs


# --------------------------------------------------------------------------- progress charts

def _png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """A PNG (8-bit RGB, any filter) read back: width, height, pixels."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, height = 8, b"", 0, 0
    while at < len(data):
        (n,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 2)
        elif kind == b"IDAT":
            idat += body
        at += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), width * 3, [], bytearray(width * 3)
    for j in range(height):
        f, line = raw[j * (stride + 1)], bytearray(raw[j * (stride + 1) + 1:(j + 1) * (stride + 1)])
        for i in range(stride if f else 0):  # (filter 0: the bytes as they are)
            a, b, c = line[i - 3] if i >= 3 else 0, prev[i], prev[i - 3] if i >= 3 else 0
            p = a + b - c
            paeth = a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c
            pred = (0, a, b, (a + b) // 2, paeth)[f]
            line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, [tuple(r[i:i + 3]) for r in rows for i in range(0, stride, 3)]


def _pictures(doc) -> list[bytes]:
    from docx.oxml.ns import qn

    out = []
    for shape in doc.inline_shapes:
        blip = shape._inline.graphic.graphicData.find(qn("pic:pic")).find(qn("pic:blipFill")).find(qn("a:blip"))
        out.append(doc.part.related_parts[blip.get(qn("r:embed"))].blob)
    return out


def test_progress_report_draws_one_chart_per_target_with_a_series(conn):
    """For every plan (and all plans at once): the .docx holds one picture
    per record of the answer with a realized series to compare — the size
    report/briefings.py asks, not blank (grid, axes, the series' and the
    target's colours drawn), under its plan · indicator title, its legend
    the answer's figures; the Markdown embeds the same pictures."""
    import base64
    from collections import Counter

    from chengzhen.answers.progress import ProgressAsk, answer
    from chengzhen.report.briefings import CHART_SIZE
    from chengzhen.report.png import SERIES, TARGET, WHITE

    asks = [ProgressAsk(plans=[pid]) for pid in plan_ids(conn)] + [ProgressAsk()]
    charted = 0
    decoded: dict[bytes, tuple] = {}  # a picture met again (all plans at once) is decoded once
    for ask in asks:
        ans = answer(conn, ask)
        drawn = [r for r in ans.records if r.get("series") and r.get("comparable")]
        _rep, data = _report(conn, "progress", ans)
        doc = _open(data)
        pictures = _pictures(doc)
        assert len(pictures) == len(drawn), (ask, len(pictures), len(drawn))
        texts = [p.text for p in doc.paragraphs]
        for r, png in zip(drawn, pictures):
            if png not in decoded:
                width, height, px = _png_pixels(png)
                decoded[png] = (width, height), Counter(px), len(px)
            size, colours, n = decoded[png]
            assert size == CHART_SIZE
            assert colours.get(WHITE, 0) < n and len(colours) >= 4  # not blank: grid, axes, marks
            assert colours.get(SERIES, 0) >= 20 * len(r["series"])  # its points and the line joining them
            aim = r.get("aim") if r.get("basis") != "annual_growth" else None
            assert (colours.get(TARGET, 0) > 0) == (aim is not None and bool(r.get("year")))
            title = f"{r['plan_name']} · {r['indicator']}" + (f"（{r['scope']}）" if r.get("scope") else "")
            at = texts.index(title)
            legend = texts[at + 1:at + 6]
            for s in r["series"]:
                assert any(f"{s['year']}年 {round(s['value'], 4):g}" in line for line in legend), (s, legend)
            assert any(r["verdict"] in line for line in legend)
        md = _report(conn, "progress", ans, "md")[1].decode("utf-8")
        embedded = [base64.b64decode(x) for x in re.findall(r"!\[[^\]]*\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", md)]
        assert embedded == pictures
        charted += len(drawn)
    assert charted, "no target with a series to chart: the statistics are gone?"
