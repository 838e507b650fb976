"""Search: complete at any length, script-blind, segmented, fuzzy, pinyin,
ranked, safe, scriptable."""

from __future__ import annotations

import json
import sqlite3

import pytest

from chengzhen.query.search import Filters, search
from chengzhen.text.tokens import token_chars


def _expected(conn, query: str) -> set[tuple[str, str]]:
    """Brute force: every measure/section/annex doc whose normalized title or
    text contains every term."""
    terms = [token_chars(t) for t in query.split()]
    out = set()
    for kind, ref, title, body in conn.execute(
            "SELECT d.kind, d.ref, d.title, CASE d.kind WHEN 'measure' THEN m.text "
            "WHEN 'annex' THEN coalesce(a.group_name, '') || ' ' || a.name ELSE '' END "
            "FROM docs d LEFT JOIN measures m ON d.kind = 'measure' AND m.id = d.ref "
            "LEFT JOIN annex_rows a ON d.kind = 'annex' AND a.annex_id = d.ref AND a.seq = CAST(d.item AS INTEGER) "
            "WHERE d.kind != 'target'"):
        t, b = token_chars(title or "", simplify=False), token_chars(body or "", simplify=False)
        if all(term in t for term in terms) or all(term in b for term in terms):
            out.add((kind, ref))
    return out


@pytest.mark.parametrize("query", ["房", "住房", "电梯", "老旧小区", "城中村", "5G", "5g", "2028",
                                   "保障性住房 配售型", "常住人口城镇化率", "藁城区", "专栏",
                                   "统筹城乡基础设施一体化规划建设"])
def test_complete_at_any_length(conn, query):
    res = search(conn, query, limit=None, segment=False, fuzzy=False)
    got = {(h.kind, h.id) for h in res.hits if h.kind != "target"}
    assert got == _expected(conn, query)
    assert got, query


def test_two_character_words_are_found(conn):
    # trigram indexes miss these; ours must not
    for q in ("住房", "电梯", "户籍", "洪涝"):
        assert search(conn, q).hits, q


def test_script_blind(conn):
    a = search(conn, "老旧小区", limit=None)
    b = search(conn, "老舊小區", limit=None)
    assert [h.id for h in a.hits] == [h.id for h in b.hits] and a.hits
    # Hunan's measures (traditional source) are found by simplified queries
    hunan = search(conn, "城市生命线安全工程", Filters(plans=["hunan"]))
    assert hunan.hits and all(h.plan == "hunan" for h in hunan.hits)
    assert search(conn, "長株潭", Filters(plans=["hunan"])).hits


def test_full_width_and_case_fold(conn):
    assert {h.id for h in search(conn, "５Ｇ", limit=None).hits} == {h.id for h in search(conn, "5g", limit=None).hits}


def test_space_separated_terms_are_anded(conn):
    both = search(conn, "老旧小区 电梯", limit=None)
    assert both.mode == "exact" and both.hits
    for h in both.hits:
        assert "老旧小区" in h.text + h.title and "电梯" in h.text + h.title


def test_unspaced_phrase_is_segmented(conn):
    res = search(conn, "老旧小区加装电梯", limit=None)
    assert res.mode == "segmented"
    assert "老旧小区" in res.terms and any("电梯" in t for t in res.terms) and len(res.terms) >= 2
    assert "segmented" in res.note
    assert res.hits


@pytest.mark.parametrize("typo,meant", [("老旧小去", "老旧小区"), ("城中材", "城中村")])
def test_fuzzy_did_you_mean(conn, typo, meant):
    res = search(conn, typo)
    assert res.mode == "fuzzy"
    assert res.suggestions[0] == meant
    assert "did you mean" in res.note
    assert res.hits


@pytest.mark.parametrize("pinyin", ["laojiuxiaoqu", "ljxq"])
def test_pinyin_input(conn, pinyin):
    res = search(conn, pinyin)
    assert res.mode == "pinyin"
    assert res.suggestions == ["老旧小区"]
    assert res.hits


def test_exact_flag_turns_fallbacks_off(cz):
    assert cz("search", "城中材", "--exact").code == 1


def test_title_hits_rank_first_and_order_is_stable(conn):
    res = search(conn, "老旧小区", limit=None)
    flags = [h.in_title for h in res.hits if h.kind == "measure"]
    assert flags == sorted(flags, reverse=True) and flags[0]
    again = search(conn, "老旧小区", limit=None)
    assert [h.id for h in again.hits] == [h.id for h in res.hits]


def test_the_guizhou_urban_renewal_measure(cz):
    res = cz("search", "老旧小区", "--format", "ids", "--plan", "guizhou")
    assert "guizhou/5.1" in res.out.split()
    table = cz("search", "老旧小区")
    assert table.code == 0 and "guizhou/5.1" in table.out and "深入实施城市更新行动" in table.out


@pytest.mark.parametrize("query", ['"老旧小区"', "老旧小区*", "老旧 AND 小区", "OR", "NOT 电梯", "NEAR(老旧 小区)",
                                   "(住房)", "^住房", "title:住房", "*", '"', "a:b", "'; DROP TABLE docs; --"])
def test_fts_syntax_is_literal_text(cz, query):
    res = cz("search", query)
    assert res.code in (0, 1), res.err
    assert "Traceback" not in res.err and "fts5" not in res.err.lower()


def test_query_starting_with_dash(cz):
    hint = cz("search", "-电梯")
    assert hint.code == 2 and "put -- before it" in hint.err and len(hint.err.strip().splitlines()) == 1
    res = cz("search", "--", "-电梯")
    assert res.code == 0 and "Traceback" not in res.err


def test_raw_passes_fts5_syntax_and_reports_errors_in_one_line(cz):
    ok = cz("search", "--raw", "老旧小区 OR 城中村", "--format", "ids")
    assert ok.code == 0 and ok.out
    bad = cz("search", "--raw", '"unbalanced')
    assert bad.code == 2 and len(bad.err.strip().splitlines()) == 1 and "FTS5" in bad.err


def test_filters(cz):
    qh = cz("search", "住房", "--plan", "青海省", "--format", "jsonl")
    assert qh.code == 0
    assert {json.loads(line)["plan"] for line in qh.out.splitlines()} == {"qinghai"}
    same = cz("search", "住房", "--plan", "qinghai", "--format", "jsonl")
    assert same.out == qh.out == cz("search", "住房", "--plan", "青海", "--format", "jsonl").out
    topic = cz("search", "改造", "--topic", "老旧小区", "--format", "ids")
    assert topic.code == 0 and topic.out
    dept = cz("search", "改造", "--dept", "住房城乡建设厅", "--format", "ids")
    assert dept.code == 0
    ids = dept.out.split()
    assert {"qinghai", "hunan"} <= {i.split("/")[0] for i in ids}
    # only measures whose 责任单位 name it (guizhou, liupanshui and hebei name none)
    assert not {i.split("/")[0] for i in ids} & {"guizhou", "liupanshui", "hebei"}
    assert cz("search", "住房", "--plan", "qinhai").code == 2


def test_limit_and_total(conn):
    res = search(conn, "改造", limit=3)
    assert len(res.hits) == 3 and res.total > 3
    assert res.total == len(search(conn, "改造", limit=None).hits)


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv", "ids"])
def test_formats_have_no_colour_when_piped(cz, fmt):
    res = cz("search", "电梯", "--format", fmt)
    assert res.code == 0
    assert "\x1b[" not in res.out
    assert not any(ch in res.out for ch in "─│┌┐└┘━"), "box drawing off a terminal"
    if fmt == "json":
        data = json.loads(res.out)
        assert data["records"] and {"id", "plan", "title", "text", "kind"} <= set(data["records"][0])
    if fmt == "csv":
        assert res.out.splitlines()[0].startswith("kind,id,item,plan")
    if fmt == "tsv":
        from chengzhen.cli.views import SEARCH_COLUMNS

        assert all(len(line.split("\t")) == len(SEARCH_COLUMNS) for line in res.out.splitlines())


def test_table_marks_matches_without_colour(cz):
    res = cz("search", "电梯")
    assert "【电梯】" in res.out


def test_exit_codes(cz):
    assert cz("search", "电梯").code == 0
    assert cz("search", "zzzzqqqq").code == 1
    empty = cz("search", "   ")
    assert empty.code == 2 and empty.err.startswith("cz: error:")


def test_stdin_jsonl_one_process(cz):
    res = cz("search", "--stdin", stdin="老旧小区\n\n城中村\n不存在的词汇组合\n")
    assert res.code == 0
    lines = [json.loads(line) for line in res.out.splitlines()]
    assert [r["query"] for r in lines] == ["老旧小区", "城中村", "不存在的词汇组合"]
    assert lines[0]["hits"] and lines[1]["hits"]


def test_show_sql(cz):
    res = cz("search", "电梯", "--sql", "--format", "ids")
    assert "docs_fts MATCH" in res.err


# ---------------------------------------------------------------- stock clients

def test_stock_sqlite3_can_query_the_index(real_db):
    """The index is plain FTS5: a stock client writes a phrase of single
    characters (docs/schema.md)."""
    conn = sqlite3.connect(real_db)
    rows = conn.execute("SELECT d.ref FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid "
                        "WHERE docs_fts MATCH ? AND d.kind = 'measure'", ('"平 急 两 用"',)).fetchall()
    assert {"hebei/2.4.2", "qinghai/6.29"} <= {r[0] for r in rows}
