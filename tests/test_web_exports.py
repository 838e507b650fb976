"""Exports that are whole and safe, counts that agree (issue 21, part 2):

* every CSV/TSV/xlsx cell a spreadsheet would run as a formula (``=``,
  ``+``, ``-``, ``@``, tab, CR at its start) is neutralised — web and CLI —
  and nothing else changes: numbers such as ``-5%`` or ``+1.2`` stay as they
  are (in xlsx numbers stay numbers, formula-like text is a string cell with
  Excel's quote prefix);
* a search's CSV holds every hit, sent in pieces;
* the counts of targets agree between the home page, a plan's page and the
  targets page;
* a page past the last page of hits says so and links back.
"""

from __future__ import annotations

import csv
import io
import os
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import plan_ids, run_cz
from test_web_fixture import WEB_MISSING
from test_web_robust import assert_ours, log, served  # noqa: F401  (fixtures)

pytest.importorskip("datasette", reason=WEB_MISSING)


FORMULAS = ['=HYPERLINK("http://example.com/x")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", " =1+1"]
NUMBERS = ["-5%", "+1.2", "-1,234.5", "-3"]


def test_neutralise_by_definition():
    from chengzhen.answers.present import FORMULA_LEAD, formula_leading, neutralise, restore

    for f in FORMULAS:
        assert formula_leading(f) and neutralise(f) == "'" + f and restore("'" + f) == f
    for n in NUMBERS + ["老旧小区", "", "1-2", "城镇化率达到60%", "'abc", "\r", "\t", " "]:
        assert not formula_leading(n) and neutralise(n) == n and restore(n) == n
    # a text that begins with an apostrophe before a formula gets one more: every text comes back
    assert neutralise("'=x") == "''=x" and restore("''=x") == "'=x" and restore("'=x") == "=x"
    assert set(FORMULA_LEAD) == set("=+-@\t\r")


@given(st.one_of(st.text(max_size=40), st.tuples(st.sampled_from(["'", "''", " ", "\t", "="]), st.text(max_size=10),
                                                st.sampled_from(["=", "+", "-5", "@", "-5%", "x"])).map("".join)))
@settings(max_examples=300, deadline=None, database=None, derandomize=True)
def test_neutralised_text_never_leads_with_a_formula(text):
    from chengzhen.answers.present import _PLAIN_NUMBER, formula_leading, neutralise, restore

    out = neutralise(text)
    assert out in (text, "'" + text)  # nothing else changes
    assert restore(out) == text  # and the text comes back
    head = out.lstrip(" \u00a0\u3000\n\x0b\x0c")
    if head and head[0] in "=+-@\t\r" and out[:1] not in "\t\r":
        assert head[0] in "+-" and _PLAIN_NUMBER.match(head.rstrip(" \u00a0\u3000\n\x0b\x0c")), repr(out)
    assert not formula_leading(out) or out == text


def _coverage_csv(served, terms) -> list[list[str]]:
    r = served.get("/coverage.csv?by=term&" + "&".join("term=" + quote(t, safe="") for t in terms))
    assert r.status == 200, r.text
    return list(csv.reader(io.StringIO(r.text)))


def test_web_csv_cells_never_run_as_formulas(served):
    """The coverage "CSV（Excel）" wrote =HYPERLINK(…), +cmd|…, @SUM cells as
    typed: Excel ran them.  (The terms are its header: one column per term.)"""
    terms = [t for t in FORMULAS if t[0] not in "\t\r "] + ["-5%"]  # the page strips spaces around a term
    rows = _coverage_csv(served, terms)
    cells = [c for row in rows for c in row]
    for t in terms[:-1]:
        assert "'" + t in cells and t not in cells, (t, cells[:20])
    assert "-5%" in cells  # a number: as it is
    for c in cells:
        assert not c or c[0] not in "=+@\t\r" or c[0] == "'"
        assert not c.startswith("-") or c[1:].replace(".", "").replace(",", "").rstrip("%").isdigit()


def test_search_csv_holds_every_hit_streamed(served, conn):
    from chengzhen.query.search import Filters, search

    res = search(conn, "城市", Filters(), limit=None)
    assert res.total > 200  # more than the page, more than the largest page size
    r = served.get(f"/search.csv?q={quote('城市')}")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    hits = [row for row in rows if row["hit"] == "true"]
    assert len(hits) == res.total and [h["id"] for h in hits] == [h.id for h in res.hits]
    assert "content-length" not in r.headers  # sent in pieces as it is written
    assert "'" not in "".join(h["id"] for h in hits)


def _cz_sql_rows(fmt: str) -> str:
    sql = ("SELECT '=HYPERLINK(\"http://example.com\",\"x\")' AS a, '@SUM(1)' AS b, '+cmd|x' AS c, "
           "'-5%' AS d, '+1.2' AS e, -5 AS n, 1.5 AS f, '住房' AS g")
    r = run_cz(["sql", sql, "-f", fmt])
    assert r.code == 0, r.err
    return r.out


def test_cli_csv_and_tsv_cells_never_run_as_formulas():
    for fmt in ("csv", "tsv"):
        out = _cz_sql_rows(fmt)
        rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0] == ["a", "b", "c", "d", "e", "n", "f", "g"]
        assert rows[1] == ["'=HYPERLINK(\"http://example.com\",\"x\")", "'@SUM(1)", "'+cmd|x", "-5%", "+1.2", "-5",
                           "1.5", "住房"], fmt


def test_cli_xlsx_keeps_text_as_text_and_numbers_numeric(real_db):
    """xlsx: a formula-leading text is a string cell with Excel's quote
    prefix (shown as written, never evaluated, not even when edited);
    numbers stay numbers."""
    import subprocess
    import sys
    import zipfile
    from xml.etree import ElementTree as ET

    from test_cli import _xlsx_rows

    sql = "SELECT '=HYPERLINK(\"http://example.com\",\"x\")' AS a, '-5%' AS d, -5 AS n, 1.5 AS f, '住房' AS g"
    env = {**os.environ, "CZ_DB": str(real_db)}
    proc = subprocess.run([sys.executable, "-m", "chengzhen", "sql", sql, "-f", "xlsx"], capture_output=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = _xlsx_rows(proc.stdout)
    assert rows[1] == ['=HYPERLINK("http://example.com","x")', "-5%", "-5", "1.5", "住房"]
    z = zipfile.ZipFile(io.BytesIO(proc.stdout))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    cells = {c.get("r"): c for c in sheet.iter(ns + "c")}
    assert cells["A2"].get("t") == "s" and cells["C2"].get("t") in (None, "n") and cells["D2"].get("t") in (None, "n")
    assert sheet.find(f".//{ns}f") is None  # no formula anywhere
    styles = ET.fromstring(z.read("xl/styles.xml"))
    xfs = styles.find(ns + "cellXfs").findall(ns + "xf")
    assert xfs[int(cells["A2"].get("s"))].get("quotePrefix") == "1"
    assert cells["B2"].get("s") is None or xfs[int(cells["B2"].get("s"))].get("quotePrefix") != "1"


# --------------------------------------------------------------------------- counts agree

def test_target_counts_agree_on_every_page(served, conn):
    """The home page said 六盘水 has 270 targets, 326 in all (every mention);
    the targets page lists 216 and 272 (a target its plan restates — in any
    year — once, the others in its ``restatements``).  Every count now
    counts targets as the targets page lists them: the home page, a plan's
    page and its text, `cz plans`, `cz stats` and `cz targets`."""
    import json

    from conftest import run_cz

    def answer(path):
        r = served.get(path)
        assert r.status == 200, (path, r.status)
        return r.json()["answer"]

    home = answer("/.json")
    listed_all = answer("/targets.json")
    assert home["totals"]["targets"] == listed_all["count"]
    # listed once, restated elsewhere: every target row is one or the other, exactly once
    rows = [r for (r,) in conn.execute("SELECT id FROM targets")]
    seen = [t["id"] for t in listed_all["records"]] + [x for t in listed_all["records"] for x in t["restatements"]]
    assert sorted(seen) == sorted(rows)
    cli_plans = {p["id"]: p["targets"] for p in json.loads(run_cz(["plans", "-f", "json"]).out)["records"]}
    cli_stats = {p["plan"]: p["targets"] for p in json.loads(run_cz(["stats", "-f", "json"]).out)["records"]}
    for p in home["records"]:
        listed = answer(f"/targets.json?plan={p['id']}")
        n = listed["count"]
        assert p["targets"] == n == cli_plans[p["id"]] == cli_stats[p["id"]], p["id"]
        assert answer(f"/plan/{p['id']}.json")["stats"]["targets"] == n
        text = served.get(f"/plan/{p['id']}/text").text
        assert f"、{n} 项目标" in text, p["id"]  # its description
        cli = json.loads(run_cz(["targets", "--plan", p["id"], "-f", "json"]).out)
        assert cli["count"] == n
        # a group is the plan's targets restating one commitment: those listed are the plan's groups
        groups = {g for (g,) in conn.execute("SELECT group_id FROM targets WHERE plan_id = ?", (p["id"],))}
        assert {t["group_id"] for t in listed["records"]} == groups and n == len(groups)
    assert sorted(p["id"] for p in home["records"]) == sorted(plan_ids(conn))
    assert "多处转述的同一目标计一次" in served.get("/").text


# --------------------------------------------------------------------------- paging

def test_a_page_past_the_last_says_so_and_links_back(served, conn):
    from chengzhen.query.search import Filters, search

    total = search(conn, "住房", Filters(), limit=None).total
    pages = -(-total // 20)
    assert pages >= 2
    r = served.get(f"/search?q={quote('住房')}&page=999")
    assert_ours(r, 404)
    assert f"没有第 999 页：共 {total} 处命中，{pages} 页" in r.text
    assert f'href="/search?q={quote("住房")}"' in r.text  # back to the first page
    assert f'href="/search?q={quote("住房")}&amp;page={pages}"' in r.text  # and to the last
    assert served.get(f"/search?q={quote('住房')}&page={pages}").status == 200
    j = served.get(f"/search.json?q={quote('住房')}&page={pages + 1}")
    assert j.status == 404 and j.json()["kind"] == "page"
    assert served.get("/search?q=zzzz不存在的词qqq&page=2").status == 404  # a miss has one page


def test_xlsx_formula_text_is_quoted_in_every_sheet_and_column_format():
    """The workbook's own layouts (one sheet per plan, Chinese headers, a
    wide column that wraps): a formula-like text, header or cell, is a
    string cell with the quote prefix in each of them; anything else is
    not."""
    import zipfile
    from xml.etree import ElementTree as ET

    from chengzhen.answers.writers import XLSX_MAX_WIDTH, xlsx_book

    long = "=HYPERLINK(\"http://example.com\")" + "住" * XLSX_MAX_WIDTH  # wraps
    rows = [{"plan": "甲", "a": "=1+1", "b": long, "n": -5}, {"plan": "乙", "a": "-5%", "b": "住房", "n": 2}]
    data = xlsx_book(rows, ["plan", "a", "b", "n"], headers=["方案", "@SUM(1)", "文", "数"],
                     sheets_by=lambda r: r["plan"])
    z = zipfile.ZipFile(io.BytesIO(data))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    xfs = ET.fromstring(z.read("xl/styles.xml")).find(ns + "cellXfs").findall(ns + "xf")

    def quoted(c) -> bool:
        return c.get("s") is not None and xfs[int(c.get("s"))].get("quotePrefix") == "1"

    sheets = [ET.fromstring(z.read(f"xl/worksheets/sheet{i}.xml")) for i in (1, 2)]
    for sheet in sheets:
        cells = {c.get("r"): c for c in sheet.iter(ns + "c")}
        assert quoted(cells["B1"]) and not quoted(cells["A1"]) and sheet.find(f".//{ns}f") is None
    first = {c.get("r"): c for c in sheets[0].iter(ns + "c")}
    second = {c.get("r"): c for c in sheets[1].iter(ns + "c")}
    assert quoted(first["B2"]) and quoted(first["C2"])  # a narrow column and a wrapped one
    assert first["D2"].get("t") in (None, "n") and not quoted(first["D2"])  # a number stays a number
    assert not quoted(second["B2"]) and not quoted(second["C2"])  # -5% and 住房: as they are
