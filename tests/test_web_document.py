"""A plan as a document, checked by its definition over every plan: the
page shows the source as the build normalised it — every non-blank line
once, nothing added but what is marked supplied — with every measure,
target, 责任单位 clause, repair and removed gloss placed where the source
has it; a flattened table read back into rows agrees with every target
the data places in it; the measure page links to its lines there."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import DATA
from test_web_fixture import WEB_MISSING, Served


def _plans(conn):
    return [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]


def _document(conn, pid):
    from chengzhen.answers.show import raw_source
    from chengzhen.query import document as D
    from chengzhen.query.cite import recorded_repairs

    script, source = conn.execute("SELECT script, source FROM plans WHERE id = ?", (pid,)).fetchone()
    raw = raw_source(conn, source, Path(DATA))
    assert raw is not None, pid
    lines, fixes = D.normalise(raw, script, recorded_repairs(conn, pid))
    return lines, fixes, D.document(lines, D.plan_units(conn, pid)), D.plan_units(conn, pid)


def _shown_lines(doc) -> dict[int, str]:
    """Each source line the blocks show, as they show it."""
    out: dict[int, str] = {}
    for b in doc["blocks"]:
        if b["kind"] in ("text", "heading"):
            assert b["line"] not in out
            out[b["line"]] = b["text"] if b["kind"] == "text" else b["text"]
        elif b["kind"] == "box":
            for ln in b["lines"]:
                out[ln["line"]] = ln["text"]
            if b["heading_line"]:
                out[b["heading_line"]] = b["heading"]
        elif b["kind"] == "table":
            for c in b["cells"]:
                out[c["line"]] = c["text"]
            if b["heading_line"]:
                out[b["heading_line"]] = b["heading"]
    return out


def test_every_line_of_every_plan_once_as_the_build_normalised_it(conn):
    from chengzhen.query.document import cell_text
    from chengzhen.text.normalize import source_lines

    for pid in _plans(conn):
        lines, _fixes, doc, _units = _document(conn, pid)
        raw_script = conn.execute("SELECT script FROM plans WHERE id = ?", (pid,)).fetchone()[0]
        assert len(lines) == len(source_lines("\n".join(lines), "simplified"))
        shown = _shown_lines(doc)
        for n, line in enumerate(lines, 1):
            if not line.strip() or not cell_text(line):
                continue
            assert n in shown, (pid, n, line[:40])
            got = shown[n]
            # a heading is the line stripped; a box or table cell without the copy's trailing separators
            assert got in (line, line.strip(), cell_text(line)), (pid, n, got[:40], line[:40], raw_script)


def test_every_unit_is_placed_where_the_source_has_it(conn):
    for pid in _plans(conn):
        lines, fixes, doc, units = _document(conn, pid)
        text = "\n".join(lines)
        for m in units["measures"]:
            start, end = doc["placed"][m["id"]]
            assert text[start:end] == m["text"], (pid, m["id"])
        marked = {}
        for b in doc["blocks"]:
            for mk in b.get("marks", []) + [mk for ln in b.get("lines", []) for mk in ln["marks"]]:
                marked.setdefault(mk["type"], []).append((b, mk))
            for row in b.get("rows", []):
                for mk in row["targets"]:
                    marked.setdefault("target", []).append((b, mk))
        placed_targets = {mk["id"] for _b, mk in marked.get("target", []) if mk.get("first")}
        assert placed_targets == {t["id"] for t in units["targets"]}, pid
        measures = {mk["id"] for _b, mk in marked.get("measure", []) if mk.get("first")}
        assert measures == {m["id"] for m in units["measures"] if m["kind"] not in ("box", "table")}, pid
        boxes = {b["id"] for b in doc["blocks"] if b["kind"] in ("box", "table")}
        assert boxes == {m["id"] for m in units["measures"] if m["kind"] in ("box", "table")}, pid
        clauses = {mk["measure"] for _b, mk in marked.get("departments", [])}
        assert clauses == {m["id"] for m in units["measures"] if m["departments_quote"]}, pid
        for b, mk in marked.get("departments", []):
            line = b["text"] if "text" in b else ""
            assert line[mk["start"]:mk["end"]] in next(m["departments_quote"] for m in units["measures"]
                                                       if m["id"] == mk["measure"])
        # every repair the build recorded, on its line, showing the repaired text
        repairs = conn.execute("SELECT count(*) FROM plans WHERE id = ?", (pid,)).fetchone()[0] and [
            f for f in fixes if f["type"] == "repair"]
        from chengzhen.query.cite import recorded_repairs

        assert len(repairs) == len(recorded_repairs(conn, pid)), pid


def test_removed_glosses_are_marked_on_their_character(conn):
    from chengzhen.answers.show import raw_source
    from chengzhen.text.normalize import PINYIN_GLOSS

    for pid in _plans(conn):
        script, source = conn.execute("SELECT script, source FROM plans WHERE id = ?", (pid,)).fetchone()
        lines, fixes, _doc, _units = _document(conn, pid)
        glosses = [f for f in fixes if f["type"] == "gloss"]
        raw = raw_source(conn, source, Path(DATA))
        want = sum(len(PINYIN_GLOSS.findall(line)) for line in raw) if script == "traditional" else 0
        assert len(glosses) == want, pid
        for g in glosses:
            # a character's gloss: one syllable in brackets, or more (的(de)(de): a copy may gloss twice)
            assert g["end"] - g["start"] == 1 and re.fullmatch(r"(?:\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\))+", g["was"])


def test_a_flattened_table_reads_back_into_the_rows_its_targets_name(conn):
    """Every 专栏 table: its rows numbered 1, 2, 3 … without a gap, each of
    the same width as the header, every target the data puts in the table
    standing at the start of one row's name cell (the row that its quote
    begins), its 序号 the one the citation names (query/cite.table_row)."""
    from chengzhen.query.cite import table_row

    tables = 0
    for pid in _plans(conn):
        _lines, _fixes, doc, units = _document(conn, pid)
        for b in doc["blocks"]:
            if b["kind"] != "table":
                continue
            tables += 1
            cells = [c["text"] for c in b["cells"]]
            serial = cells.index("序号")
            width = len(b["header"]) - serial
            assert [cells[r["cells"][0]] for r in b["rows"]] == [str(i) for i in range(1, len(b["rows"]) + 1)]
            assert all(len(r["cells"]) == width for r in b["rows"])
            m = next(x for x in units["measures"] if x["id"] == b["id"])
            for t in (t for t in units["targets"] if t["measure_id"] == b["id"]):
                rows = [r for r in b["rows"] if b["cells"][r["cells"][1]]["line"] == t["line"]]
                assert len(rows) == 1, t["id"]
                assert t["id"] in {mk["id"] for mk in rows[0]["targets"]}
                named = table_row(m["text"], t["quote"])
                assert named is not None and named[0] == cells[rows[0]["cells"][0]], t["id"]
    if not tables:
        pytest.skip("no plan has a 专栏 table flattened one cell a line")


def test_a_table_that_does_not_read_back_stays_as_the_source_lists_it():
    from chengzhen.query.document import flat_table

    cells = ["类别", "序号", "指标", "2020年", "2025年", "甲", "1", "a", "1", "2", "2", "b", "3", "4"]
    got = flat_table(cells, [7, 11])
    assert got is not None and [r["cells"] for r in got["rows"]] == [[6, 7, 8, 9], [10, 11, 12, 13]]
    assert got["rows"][0]["group"] == 5
    assert flat_table(cells, [8]) is None  # a target the rows do not hold: not a table we trust
    assert flat_table(cells[:-1], [7]) is None  # a row cut short
    assert flat_table(["标题", "一", "二"], []) is None  # no 序号 column


# --------------------------------------------------------------------------- over HTTP

pytest.importorskip("datasette", reason=WEB_MISSING)


@pytest.fixture(scope="module")
def real(real_db):
    served = Served(real_db, data=DATA)
    yield served
    served.close()


class _Lines(HTMLParser):
    """The text of each element with an id L<n> (a source line), without
    the ¶ links to a unit's page and the bracketed marks CSS adds."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, int | None, bool]] = []
        self.text: dict[int, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        line = None
        ident = a.get("id") or ""
        if re.fullmatch(r"L\d+", ident) and tag in ("p", "div", "td", "th", "figcaption"):
            line = int(ident[1:])
        elif tag in ("h2", "h3", "h4", "h5", "h6") and a.get("data-line"):  # a heading: its id is its section's
            line = int(a["data-line"])
        if line is not None:
            self.text.setdefault(line, [])
        skip = "unit-link" in (a.get("class") or "")
        if tag in ("br", "img", "input", "meta", "link"):
            return
        self.stack.append((tag, line, skip))

    def handle_endtag(self, tag):
        while self.stack:
            t, _l, _s = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if any(s for _t, _l, s in self.stack):
            return
        lines = [ln for _t, ln, _s in self.stack if ln is not None]
        if lines:
            self.text[lines[-1]].append(data)


def test_the_page_shows_each_line_as_the_document_holds_it(real, conn):
    from chengzhen.query.document import cell_text

    for pid in _plans(conn):
        r = real.get(f"/plan/{pid}/text")
        assert r.status == 200, pid
        parser = _Lines()
        parser.feed(r.text)
        lines, _fixes, doc, _units = _document(conn, pid)
        shown = {n: "".join(parts) for n, parts in parser.text.items()}
        for n, line in enumerate(lines, 1):
            if not line.strip() or not cell_text(line):
                continue
            assert n in shown, (pid, n)
            got = shown[n].replace("\n", "").strip()
            if got.endswith("回顾"):  # the tag a retrospective heading carries
                got = got[:-2].strip()
            assert got in (line.strip(), cell_text(line)), (pid, n, got[:50], line[:50])


def test_the_measure_page_links_to_its_lines_and_its_neighbours(real, conn):
    for pid in _plans(conn):
        ids = [r[0] for r in conn.execute("SELECT id FROM measures WHERE plan_id = ? ORDER BY ord", (pid,))]
        for i in (0, len(ids) // 2, len(ids) - 1):
            mid = ids[i]
            page = real.get(f"/m/{quote(mid, safe='/.')}").text
            assert f'href="/plan/{pid}/text#{quote(mid, safe="/.:")}"' in page, mid
            prev = re.search(r'<a class="prev" rel="prev" href="/m/([^"]+)"', page)
            nxt = re.search(r'<a class="next" rel="next" href="/m/([^"]+)"', page)
            assert (prev.group(1) if prev else None) == (quote(ids[i - 1], safe="/.") if i else None), mid
            assert (nxt.group(1) if nxt else None) == (quote(ids[i + 1], safe="/.") if i + 1 < len(ids) else None)
            view = real.get(f"/m/{quote(mid, safe='/.')}.json").json()["view"]
            assert view == {"previous": ids[i - 1] if i else None, "next": ids[i + 1] if i + 1 < len(ids) else None}


def test_without_the_source_file_the_page_shows_the_units_and_says_so(real_db, conn, tmp_path):
    served = Served(real_db, data=tmp_path)  # a data directory without the sources
    try:
        pid = _plans(conn)[0]
        page = served.get(f"/plan/{pid}/text").text
        assert "原文文件不在本服务器上" in page
        for (mid, text) in conn.execute("SELECT id, text FROM measures WHERE plan_id = ? LIMIT 5", (pid,)):
            assert f'id="{mid}"' in page
        assert served.get(f"/plan/{pid}/text.json").json()["view"]["source"]["available"] is False
    finally:
        served.close()


def test_the_official_url_where_the_catalogue_knows_it(real_db, conn, tmp_path):
    """A plan whose catalogue has a url links to it from its page and its
    text; a plan without one shows no such link."""
    import shutil
    import sqlite3

    db = tmp_path / "copy.db"
    shutil.copy(real_db, db)
    c = sqlite3.connect(db)
    pid, other = _plans(conn)[0], _plans(conn)[-1]
    url = "https://www.example.gov.cn/zwgk/2024/t20241214_1.html"
    c.execute("UPDATE plans SET url = ? WHERE id = ?", (url, pid))  # the catalogue's url, as the build stores it
    c.commit()
    c.close()
    served = Served(db, data=DATA)
    try:
        for path in (f"/plan/{pid}", f"/plan/{pid}/text"):
            assert f'<a class="official" href="{url}"' in served.get(path).text, path
        if other != pid:
            assert 'class="official"' not in served.get(f"/plan/{other}/text").text
    finally:
        served.close()
