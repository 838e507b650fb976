"""The web pages over HTTP (a real server on loopback): each page answers
what the query layer answers, in HTML, JSON and CSV; values are escaped;
nothing writes; a rebuilt database is served without a restart; `cz serve`
fails in one line where it cannot run.  Expectations come from the
database (never a hard-coded list of plans)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import DATA, REPO, make_tiny, plan_ids, run_cz
from test_web_fixture import (IMG, INDICATOR, MEASURE_TITLE, PAYLOADS, PLAN_NAME, SCRIPT, TOPIC, WEB_MISSING,
                              Served, build_db, hostile_db, wait_for)  # noqa: F401  (hostile_db: a fixture)

pytest.importorskip("datasette", reason=WEB_MISSING)


@pytest.fixture(scope="module")
def real(real_db):
    served = Served(real_db, data=DATA)
    yield served
    served.close()


def esc(text: str) -> str:
    """As the pages escape (Jinja's autoescaping, markupsafe)."""
    from markupsafe import escape

    return str(escape(text))


def _engine(conn, q, **kw):
    """What `cz search` runs (query/search.py with the command's settings)."""
    from chengzhen.query.search import Filters, search

    return search(conn, q, Filters(**kw.pop("filters", {})), **kw)


def _hits_html(text: str) -> int:
    return len(re.findall(r'<li class="hit kind-', text))


def _related_html(text: str) -> int:
    return len(re.findall(r'<li class="related kind-', text))


def _cli_json(*args) -> dict:
    r = run_cz([*args, "-f", "json"])
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


def _answer(real, url: str, page: str) -> dict:
    """A page's JSON: the page's name (exactly), its answer — the command's
    envelope — with the page's own material (paging, facets, form choices)
    under ``view``, apart from the answer's keys."""
    body = real.get(url).json()
    assert body["page"] == page and set(body) == {"page", "database", "view", "answer"}
    return {**body["answer"], "view": body["view"]}


# --------------------------------------------------------------------------- home

def test_home_shows_every_plan_topic_and_national_task(real, conn):
    from chengzhen.query.tasks import coverage

    r = real.get("/")
    assert r.status == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    for pid, short in conn.execute("SELECT id, short_name FROM plans"):
        assert f'href="/plan/{pid}"' in page and esc(short) in page
    for (name,) in conn.execute("SELECT name FROM topics"):
        assert esc(name) in page
    for (title,) in conn.execute("SELECT title FROM national_tasks"):
        assert esc(title) in page
    assert 'action="/search"' in page and 'name="q"' in page
    data = _answer(real, "/.json", "home")
    assert [p["id"] for p in data["records"]] == plan_ids(conn)
    # how many plans carry each task: as `cz tasks` counts them
    want = coverage(conn)["rows"]
    assert [(n["id"], n["carried_by"]) for n in data["national_tasks"]] == [(r["id"], r["carried_by"]) for r in want]
    n_plans = len(plan_ids(conn))
    for row in want:
        if row["type"] == "task":
            assert f'{row["carried_by"]}/{n_plans}</span>' in page


# --------------------------------------------------------------------------- search

QUERIES = ["住房", "老舊小區", "老旧小区加装电梯", "城中材", "户籍 落户", "房", "zzzz不存在的词qqq", "教育厅",
           "交通运输基础设施互联互通水平显著提高", "laojiuxiaoqu"]


@pytest.mark.parametrize("q", QUERIES)
def test_search_answers_as_the_engine_does(real, conn, q):
    got = _answer(real, f"/search.json?q={quote(q)}", "search")
    res = _engine(conn, q, limit=1000)
    assert got["mode"] == res.mode
    assert got["total"] == res.total
    assert got["terms"] == list(res.terms)
    assert got["matches"] == res.counts
    assert got["did_you_mean"] == list(res.suggestions)
    assert got["segments"] == list(res.segments)
    assert [e["name"] for e in got["entities"]] == [e.name for e in res.entities]
    assert [h["id"] for h in got["records"]] == [h.id for h in res.hits[:20]]
    assert all(h["hit"] for h in got["records"])
    assert [h["id"] for h in got["related"]] == [h.id for h in res.related]
    assert not any(h["hit"] for h in got["related"])
    # the same answer `cz search` gives
    cli = _cli_json("search", q, "--limit", "20")
    assert cli["records"] == got["records"]  # equal records, field by field
    assert cli["did_you_mean"] == got["did_you_mean"] and cli["mode"] == got["mode"]
    page = real.get(f"/search?q={quote(q)}").text
    assert _hits_html(page) == min(20, len(res.hits))
    assert _related_html(page) == len(res.related)
    if res.hits and res.mode == "exact":
        assert "<mark>" in page
    if not res.hits:
        assert "没有找到" in page


def test_a_miss_is_a_miss(real, conn):
    """A correction is offered as a suggestion — a link to search for it —
    never as hits for what was typed."""
    res = _engine(conn, "城中材", limit=None)
    assert res.total == 0 and res.suggestions
    got = _answer(real, f"/search.json?q={quote('城中材')}", "search")
    assert got["records"] == [] and got["total"] == 0 and got["mode"] == "none"
    page = real.get(f"/search?q={quote('城中材')}").text
    assert _hits_html(page) == 0 and "您是不是要找" in page and "不是命中" in page
    for s in res.suggestions:
        assert f'<a class="suggestion" href="/search?q={quote(s)}">{esc(s)}</a>' in page
    rows = list(csv.DictReader(io.StringIO(real.get(f"/search.csv?q={quote('城中材')}").text)))
    assert [r["title"] for r in rows] == res.suggestions and all(r["hit"] == "false" for r in rows)  # as `cz search -f csv` writes it


def test_entities_a_query_names_are_labelled_hits(real, conn):
    # an alias no unit writes (省发改委): the measures whose 责任单位 clause
    # names the department are hits labelled with it
    aliases = [r[0] for r in conn.execute("SELECT name FROM department_names WHERE name != department ORDER BY name")]
    query = next(a for a in aliases if any(h.match == "department" for h in _engine(conn, a, limit=20).hits))
    res = _engine(conn, query, limit=1000)
    assert res.entities and res.entities[0].kind == "department"
    page = real.get(f"/search?q={quote(query)}").text
    name = res.entities[0].name
    assert f'<a href="/dept/{quote(name, safe="")}">{esc(name)}</a>' in page  # the department's own page
    labelled = sum(1 for h in res.hits[:20] if h.match == "department")
    assert page.count('<span class="tag match match-department"') == labelled > 0


def test_an_entitys_other_units_are_related_apart_and_expand_counts_them(real, conn):
    """A topic name typed as the query: the units holding it are hits; the
    topic's other units are related — apart, never counted, the first page
    of them numbered after the page's hits, with their total — as `cz
    search --limit 20` gives them; the CSV export is `cz search -f csv`;
    ``expand=1`` (`--expand`) counts them all."""
    topics = [r[0] for r in conn.execute("SELECT topic FROM measure_topics GROUP BY topic ORDER BY count(*) DESC")]
    query = next(t for t in topics if _engine(conn, t, limit=20).related_total > 0)
    got = _answer(real, f"/search.json?q={quote(query)}", "search")
    cli = _cli_json("search", query, "--limit", "20")
    assert got["related"] and all(r["hit"] is False for r in got["related"])
    for key in ("records", "related", "total", "related_total", "related_counts", "matches"):
        assert got[key] == cli[key], key
    assert [r["rank"] for r in got["related"]] == list(range(len(got["records"]) + 1,
                                                             len(got["records"]) + len(got["related"]) + 1))
    page = real.get(f"/search?q={quote(query)}").text
    assert _related_html(page) == len(got["related"]) and "不计入" in page
    assert f'href="/search?q={quote(query)}&amp;expand=1"' in page
    # the export: the whole answer, its related units (hit false) after the hits, as the command writes it
    web_csv = real.get(f"/search.csv?q={quote(query)}").text
    cli_csv = run_cz(["search", query, "-f", "csv"], env={"CZ_DB": str(real.db)}).out
    assert web_csv == cli_csv
    assert sum(1 for row in list(csv.reader(io.StringIO(web_csv)))[1:] if row[1] == "false") == got["related_total"]
    expanded_csv = real.get(f"/search.csv?q={quote(query)}&expand=1").text
    assert expanded_csv == run_cz(["search", query, "--expand", "-f", "csv"], env={"CZ_DB": str(real.db)}).out
    expanded = _answer(real, f"/search.json?q={quote(query)}&expand=1", "search")
    assert expanded["related"] == [] and expanded["expanded"] is True
    assert expanded["total"] == got["total"] + got["related_total"]
    assert expanded["total"] == _cli_json("search", query, "--expand", "--limit", "20")["total"]


def test_every_title_and_annex_hit_links_to_its_place_in_the_text(real, conn):
    """A plan's title and an annex (its heading or a row) are hits too: each
    links to an anchor that its plan's text page holds."""
    for kind in ("title", "annex"):
        got = _answer(real, f"/search.json?kind={kind}&size=200", "search")
        assert got["total"] == len(got["records"]) > 0, kind
        page = real.get(f"/search?kind={kind}&size=200").text
        links = re.findall(r'class="hit-link" href="(/plan/[^"#]+/text)#([^"]*)"', page)
        assert len(links) == len(got["records"]), kind
        texts: dict[str, str] = {}
        for path, frag in links:
            frag = frag.replace("%2F", "/").replace("%3A", ":")
            assert frag and "None" not in frag, (kind, path, frag)
            if path not in texts:
                texts[path] = real.get(path).text
            assert f'id="{esc(frag)}"' in texts[path], (kind, path, frag)


def test_traditional_input_finds_what_simplified_finds(real):
    trad = _answer(real, f"/search.json?q={quote('老舊小區')}", "search")
    simp = _answer(real, f"/search.json?q={quote('老旧小区')}", "search")
    assert trad["records"] and [h["id"] for h in trad["records"]] == [h["id"] for h in simp["records"]]
    assert trad["total"] == simp["total"]
    assert "已按简体" in real.get(f"/search?q={quote('老舊小區')}").text


def test_search_pages_through_all_hits(real, conn):
    res = _engine(conn, "城", limit=None)
    assert res.total > 40
    p2 = _answer(real, f"/search.json?q={quote('城')}&page=2", "search")
    assert [h["id"] for h in p2["records"]] == [h.id for h in res.hits[20:40]]
    assert [h["rank"] for h in p2["records"]] == list(range(21, 41))
    assert p2["view"]["pages"] == -(-res.total // 20) and p2["view"]["page"] == 2
    page = real.get(f"/search?q={quote('城')}&page=2").text
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert 'start="21"' in page


def test_search_facets_count_the_hits_and_filter(real, conn):
    got = _answer(real, f"/search.json?q={quote('住房')}", "search")
    facets = got["view"]["facets"]
    assert sum(f["count"] for f in facets["plan"]) == got["total"]
    assert sum(f["count"] for f in facets["kind"]) == got["total"]
    for f in facets["plan"]:
        narrowed = _answer(real, f"/search.json?q={quote('住房')}&plan={f['value']}", "search")
        assert narrowed["total"] == f["count"]
        assert {h["plan"] for h in narrowed["records"]} == {f["value"]}
    top_topic = facets["topic"][0]
    narrowed = _answer(real, f"/search.json?q={quote('住房')}&topic={quote(top_topic['value'])}", "search")
    assert narrowed["total"] >= top_topic["count"]  # a topic filter includes its subtopics
    page = real.get(f"/search?q={quote('住房')}").text
    assert 'class="facet facet-plan"' in page and 'class="facet facet-department"' in page


def test_search_without_words_lists_as_the_command_does(real, conn):
    topic = conn.execute("SELECT topic FROM measure_topics GROUP BY topic ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    got = _answer(real, f"/search.json?topic={quote(topic)}&size=200", "search")
    cli = _cli_json("search", "--topic", topic, "--limit", "0")
    assert got["mode"] == cli["mode"] == "list" and got["total"] == cli["total"]
    assert [h["id"] for h in got["records"]] == [r["id"] for r in cli["records"]][:200]
    assert "按筛选条件列出" in real.get(f"/search?topic={quote(topic)}").text


def test_search_by_national_task_lists_its_measures(real, conn):
    from chengzhen.query.tasks import expand

    task = conn.execute("SELECT task_id FROM measure_tasks GROUP BY task_id ORDER BY count(*) DESC").fetchone()[0]
    got = _answer(real, f"/search.json?task={quote(task)}&size=200", "search")
    ids = expand(conn, [task])
    want = {r[0] for r in conn.execute(
        f"SELECT measure_id FROM measure_tasks WHERE task_id IN ({','.join('?' * len(ids))})", ids)}
    assert got["mode"] == "list" and {h["id"] for h in got["records"]} == want
    # the same filter on the command line
    cli = _cli_json("search", "--task", task, "--limit", "0")
    assert {r["id"] for r in cli["records"]} == want
    # a group: the measures carrying it or any of its tasks (as `cz matrix --by task` counts them)
    group = conn.execute("SELECT group_id FROM national_tasks WHERE id = ?", (task,)).fetchone()[0]
    wider = _answer(real, f"/search.json?task={quote(group)}&size=200", "search")
    assert {h["id"] for h in wider["records"]} >= want
    assert real.get("/search?task=" + quote("不存在的任务zq")).status == 400


@pytest.mark.parametrize("q", ["住房", "城市", "城中材"])
def test_search_csv_holds_every_hit_as_the_command_writes_it(real, conn, q):
    """The export is the whole answer, not the page on screen (it was the
    page: 20 of 26 hits for 住房), cell by cell what `cz search WORDS -f csv`
    writes; a miss gives what is offered instead, never a hit."""
    from chengzhen.answers.search import COLUMNS as SEARCH_COLUMNS

    r = real.get(f"/search.csv?q={quote(q)}&page=2")  # the page number does not cut the export
    assert r.status == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == SEARCH_COLUMNS  # the columns of `cz search -f csv`
    res = _engine(conn, q, limit=None)
    hits = [row for row in rows[1:] if row[1] == "true"]
    assert [row[5] for row in hits] == [h.id for h in res.hits] and len(hits) == res.total
    if res.total > 20:
        assert len(hits) > len(_answer(real, f"/search.json?q={quote(q)}", "search")["records"])
    cli = run_cz(["search", q, "-f", "csv"], env={"CZ_DB": str(real.db)})
    assert rows == list(csv.reader(io.StringIO(cli.out)))
    assert real.get(f"/search.csv?q={quote(q)}&_bom=1").body.startswith("\ufeff".encode())


def test_search_errors_are_pages_in_chinese(real):
    r = real.get("/search?q=x&plan=nosuchplanzz")
    assert r.status == 400 and "没有这个方案" in r.text
    j = real.get("/search.json?q=x&plan=nosuchplanzz")
    assert j.status == 400 and j.json()["kind"] == "plan"
    assert real.get("/search?q=x&kind=bogus").status == 400


# --------------------------------------------------------------------------- a measure, a plan

def _sample_measures(conn) -> list[str]:
    """The first unit of each plan, units with a target and a national task,
    and a unit whose 责任单位 clause writes 牵头."""
    ids = [r[0] for r in conn.execute("SELECT min(id) FROM measures GROUP BY plan_id")]
    ids += [r[0] for r in conn.execute(
        "SELECT m.id FROM measures m WHERE EXISTS (SELECT 1 FROM targets t WHERE t.measure_id = m.id) "
        "AND EXISTS (SELECT 1 FROM measure_tasks mt WHERE mt.measure_id = m.id) ORDER BY m.id LIMIT 5")]
    ids += [r[0] for r in conn.execute("SELECT measure_id FROM measure_departments WHERE lead = 1 LIMIT 1")]
    ids += [r[0] for r in conn.execute(
        "SELECT min(m.id) FROM measures m JOIN plans p ON p.id = m.plan_id WHERE p.script != 'simplified'")]
    # a unit on a line with a recorded repair: its citation marks the repair in the original
    from chengzhen.query.cite import recorded_repairs

    for (pid,) in conn.execute("SELECT id FROM plans").fetchall():
        for line, *_ in recorded_repairs(conn, pid)[:1]:
            ids += [r[0] for r in conn.execute(
                "SELECT id FROM measures WHERE plan_id = ? AND ? BETWEEN line AND line_end LIMIT 1", (pid, line))]
    return [i for i in dict.fromkeys(ids) if i]


def test_measure_page_shows_everything_about_it(real, conn):
    from chengzhen.query.catalog import get_measure

    for mid in _sample_measures(conn):
        m = get_measure(conn, mid)
        page = real.get(f"/m/{mid}").text
        assert esc(m["text"]) in page, mid
        for d in m["departments"]:
            assert esc(d["department"]) in page
        listed = [d for d in m["departments"] if not d["all_tasks"]]
        # 牵头 only where the source writes it; 首列 = listed first, nothing more
        assert page.count('<span class="tag lead"') == sum(d["lead"] for d in listed)
        assert page.count('<span class="tag first"') == sum(1 for d in listed if d["listed_first"] and not d["lead"])
        for t in m["topics"]:
            assert esc(t) in page
        for t in m["targets"]:
            assert esc(t["as_written"]) in page
        # where it is: a link to its lines in the plan's text, no file path; each task a link to its page
        assert f'href="/plan/{m["plan_id"]}/text#{quote(mid, safe="/.:")}">在原文中看：第 {m["line"]}' in page
        assert m["source_file"] not in page
        for (task,) in conn.execute("SELECT task_id FROM measure_tasks WHERE measure_id = ?", (mid,)):
            assert f'href="/task/{task}"' in page and f">{task}<" not in page
        data = _answer(real, f"/m/{mid}.json", "measure")
        assert data["records"][0]["id"] == mid
        # the citation `cz show ID --cite` gives, the original of a traditional source with it
        cite = _cli_json("show", mid, "--cite")["records"][0]
        assert data["citation"] == cite
        assert 'id="citation"' in page and esc(cite["citation"]) in page
        if cite["original"] is not None:
            assert esc(cite["original"]) in page
        assert all(s["plan"] != m["plan_id"] for s in data["similar"])


def test_a_citation_quotes_the_original_only_from_the_file_built(real_db, conn, tmp_path):
    """A server without the data directory (or with a source edited since
    the build) cites the stored text and gives no original."""
    mid = conn.execute("SELECT min(m.id) FROM measures m JOIN plans p ON p.id = m.plan_id "
                       "WHERE p.script != 'simplified'").fetchone()[0]
    if mid is None:
        pytest.skip("no plan here has a source in another script")
    served = Served(real_db, data=tmp_path)
    try:
        got = served.get(f"/m/{mid}.json").json()["answer"]["citation"]
        assert got["original"] is None and got["quote"] == conn.execute(
            "SELECT text FROM measures WHERE id = ?", (mid,)).fetchone()[0]
        assert "未能附上原文" in served.get(f"/m/{mid}").text
    finally:
        served.close()


def test_unknown_measure_is_a_404_with_suggestions(real, conn):
    mid = _sample_measures(conn)[0]
    r = real.get(f"/m/{mid}9")
    assert r.status == 404 and "没有这个条目编号" in r.text


def test_plan_page_links_every_measure(real, conn):
    for pid, short in conn.execute("SELECT id, short_name FROM plans").fetchall():
        page = real.get(f"/plan/{pid}").text
        for (mid,) in conn.execute("SELECT id FROM measures WHERE plan_id = ?", (pid,)):
            assert f'href="/m/{quote(mid, safe="/.")}"' in page, mid
        r = real.get(f"/plan/{quote(short)}", follow=False)
        if conn.execute("SELECT count(*) FROM plans WHERE short_name = ?", (short,)).fetchone()[0] > 1:
            assert r.status == 400 and pid in r.text, short  # a short name two plans share: ambiguous, both offered
        else:
            assert r.status == 302 and r.headers["location"] == f"/plan/{pid}"
        assert _answer(real, f"/plan/{pid}.json", "plan")["records"][0]["plan"]["id"] == pid


# --------------------------------------------------------------------------- compare

def _two_plans_and_topic(conn):
    plans = plan_ids(conn)[:2]
    topic = conn.execute(
        "SELECT topic FROM measure_topics WHERE plan_id IN (?, ?) GROUP BY topic HAVING count(DISTINCT plan_id) = 2 "
        "ORDER BY count(*) DESC LIMIT 1", plans).fetchone()[0]
    return plans, topic


def _shape(rows):
    return [(r["basis"], (r["task"] or {}).get("id"), {p: [c["id"] for c in cs] for p, cs in r["cells"].items()})
            for r in rows]


@pytest.mark.parametrize("by", ["task", "text"])
def test_compare_page_is_the_commands_alignment(real, conn, by):
    plans, topic = _two_plans_and_topic(conn)
    url = f"/compare.json?plan={plans[0]}&plan={plans[1]}&topic={quote(topic)}&by={by}"
    got = _answer(real, url, "compare")
    cli = _cli_json("compare", *plans, "--topic", topic, "--by", by)
    assert got["records"] == cli["records"]
    assert _shape(got["rows"]) == _shape(cli["rows"])
    assert got["unique"] == cli["unique"] and got["targets"] == cli["targets"]
    assert all(r["basis"] == "text" for r in got["rows"]) if by == "text" else True
    page = real.get(url.replace(".json", "")).text
    names = dict(conn.execute("SELECT id, short_name FROM plans"))
    for p in plans:
        assert f'<th scope="col">{esc(names[p])}' in page
    assert page.count('<tr class="basis-') == len(got["rows"])
    # a task row shows who carries none: an empty cell, not a missing one; a
    # plan whose carrying measures the topic left out is not empty: the cell says so
    empty = sum(len(r["empty"]) for r in got["rows"] if r["basis"] == "task")
    hidden = sum(len(r["filtered_out"]) for r in got["rows"] if r["basis"] == "task")
    assert empty + hidden == sum(1 for r in got["rows"] if r["basis"] == "task" for p in plans if p not in r["cells"])
    assert page.count("没有条目落实此任务") == empty
    assert page.count("筛选未含") == hidden
    csv_text = real.get(url.replace(".json", ".csv")).text
    from chengzhen.answers.compare import RECORD_COLUMNS as COMPARE_COLUMNS

    assert csv_text.splitlines()[0] == ",".join(COMPARE_COLUMNS)


def test_compare_by_national_task(real, conn):
    """A task alone: every plan side by side in the task's row — as `cz
    tasks TASK` shows it — and the plans carrying none as empty cells."""
    from chengzhen.query.tasks import detail

    task = conn.execute("SELECT task_id FROM measure_tasks WHERE task_id IN (SELECT id FROM national_tasks) "
                        "GROUP BY task_id ORDER BY count(DISTINCT plan_id) DESC").fetchone()[0]
    got = _answer(real, f"/compare.json?task={quote(task)}", "compare")
    plans = plan_ids(conn)[:8]
    assert [p["id"] for p in got["plans"]] == plans
    assert got["query"]["tasks"] == [task] and got["tasks"] == [task]
    want = detail(conn, [task], plans)["tasks"][0]
    assert len(got["rows"]) == 1 and got["rows"][0]["task"]["id"] == task
    assert {p: [c["id"] for c in got["rows"][0]["cells"].get(p, [])] for p in plans} == \
        {p: [c["id"] for c in want["cells"][p]] for p in plans}
    assert got["rows"][0]["empty"] == want["silent"]
    page = real.get(f"/compare?task={quote(task)}").text
    assert 'id="aligned"' in page and page.count("没有条目落实此任务") == len(want["silent"])
    # words for a task, as `cz compare --task` takes them
    number = conn.execute("SELECT number FROM national_tasks WHERE id = ?", (task,)).fetchone()[0]
    if number:
        again = _answer(real, f"/compare.json?task={quote(number)}", "compare")
        assert again["tasks"] == [task]
    assert real.get("/compare?task=" + quote("不存在的任务zq")).status == 400


def test_compare_needs_two_plans_and_says_so(real, conn):
    page = real.get(f"/compare?plan={plan_ids(conn)[0]}").text
    assert "请至少选择两个方案" in page
    assert real.get("/compare").status == 200
    assert real.get(f"/compare?plan={plan_ids(conn)[0]}&plan={plan_ids(conn)[1]}&by=bogus").status == 400


# --------------------------------------------------------------------------- targets

def _widest_indicator(conn) -> str:
    return conn.execute("SELECT indicator FROM targets WHERE value IS NOT NULL GROUP BY indicator "
                        "ORDER BY count(DISTINCT plan_id) DESC LIMIT 1").fetchone()[0]


def test_targets_page_is_the_commands_list(real, conn):
    indicator = _widest_indicator(conn)
    got = _answer(real, f"/targets.json?indicator={quote(indicator)}", "targets")
    cli = _cli_json("targets", "--indicator", indicator)
    assert got["records"] == cli["records"]
    assert got["silent"] == cli["silent"] and got["elsewhere"] == cli["elsewhere"]
    page = real.get(f"/targets?indicator={quote(indicator)}").text
    dated = [t for t in got["records"] if t["kind"] != "commitment"]
    # each chart drawn twice, for a desk and for a phone (chart text at its size)
    assert page.count('<rect class="bar"') == 2 * sum(1 for t in dated if t["value"] is not None)
    assert "<svg" in page and 'class="targets' in page
    for s in got["silent"]:
        assert f'<a href="/plan/{s["plan"]}">{esc(s["plan_name"])}</a>' in page.split('class="notice silent"')[1]
    # qualifier and aspiration in columns of their own, restatements once
    for t in got["records"]:
        assert f'<tr id="t-{t["id"]}"' in page
    assert page.count('<td class="nowrap qualifier" data-label="限定">') == len(got["records"])
    assert page.count("另见 ") >= sum(1 for t in got["records"] if t["restatements"])


def test_targets_commitments_apart_and_out_of_year_filters(real, conn):
    from chengzhen.query.catalog import list_targets

    everything = _answer(real, "/targets.json", "targets")
    want = list_targets(conn)
    assert [t["id"] for t in everything["records"]] == [t["id"] for t in want]
    promised = [t for t in want if t["kind"] == "commitment"]
    page = real.get("/targets").text
    if promised:
        assert 'id="commitments"' in page
        tail = page.split('id="commitments"')[1]
        assert all(f'<tr id="t-{t["id"]}"' in tail for t in promised)
    got = _answer(real, "/targets.json?year=2025..2028", "targets")
    assert got["records"] and all(t["kind"] == "target" and 2025 <= t["year"] <= 2028 for t in got["records"])
    assert [t["id"] for t in got["records"]] == [t["id"] for t in list_targets(conn, years=(2025, 2028))]
    asked = _answer(real, "/targets.json?year=2025..2028&commitments=1", "targets")
    assert [t["id"] for t in asked["records"]] == \
        [t["id"] for t in list_targets(conn, years=(2025, 2028), commitments=True)]
    assert real.get("/targets?commitments=maybe").status == 400


@pytest.mark.parametrize("stride", [pytest.param(3, id="every-third-place"),
                                    pytest.param(1, id="every-place", marks=pytest.mark.slow)])
def test_targets_scope_filter(real, conn, stride):
    """A scope filters /targets as `cz targets --scope` does; over every place
    the data sets a target in (CI: pytest -m slow), every third by default."""
    from chengzhen.query.catalog import list_targets

    scope = conn.execute("SELECT scope FROM targets WHERE scope IS NOT NULL GROUP BY scope "
                         "ORDER BY count(*) DESC LIMIT 1").fetchone()
    if scope is None:
        pytest.skip("no target here has a scope")
    got = _answer(real, f"/targets.json?scope={quote(scope[0])}", "targets")
    assert got["records"] and [t["id"] for t in got["records"]] == \
        [t["id"] for t in list_targets(conn, scope=scope[0])]
    bad = real.get("/targets?scope=" + quote("不存在的地方zq"))
    assert bad.status == 400 and "没有这个范围" in bad.text
    # every place the data sets a target in (and above one), by code and by name, with and without
    # within: the page's records are `cz targets`'s, and /progress's are `cz progress`'s
    import places_model as PM

    places = PM.Places(DATA)
    targets = {tid: {"plan": pid, "scope": sc} for tid, pid, sc in conn.execute("SELECT id, plan_id, scope FROM targets")}
    codes = {pid: places.region(region) for pid, region in conn.execute("SELECT id, region FROM plans")}
    every = list(PM.places_in_data(places, targets, codes))
    for code in every[::stride]:
        word = places.rows[code]["name"] if places.codes_named(places.rows[code]["name"]) == [code] else code
        for within, flag in ((False, []), (True, ["--within"])):
            extra = "&within=1" if within else ""
            got = _answer(real, f"/targets.json?scope={quote(word)}{extra}", "targets")
            ids = [t["id"] for t in got["records"]]
            assert ids == [t["id"] for t in list_targets(conn, scope=word, within=within)], (word, within)
            assert ids == [r["id"] for r in _cli_json("targets", "--scope", word, *flag)["records"]], (word, within)
            got = _answer(real, f"/progress.json?scope={quote(word)}{extra}", "progress")
            assert [r["id"] for r in got["records"]] == \
                [r["id"] for r in _cli_json("progress", "--scope", word, *flag)["records"]], (word, within)


def test_an_ambiguous_or_mistyped_place_is_one_chinese_line_on_every_page(real, conn):
    """吉林 names the province and the city: /targets and /progress (scope or
    plan) say so alike, in Chinese, 400; a typo is 没有这个… with the closest
    place offered."""
    from chengzhen.query.resolve import _plan_lookup

    # (as a plan, 吉林 names a plan whose name it is, if the data holds one: a place only otherwise)
    plan_named = _plan_lookup(conn, "吉林") is not None
    for url in ("/targets?scope=", "/progress?scope=") + (() if plan_named else ("/targets?plan=", "/progress?plan=")):
        page = real.get(url + quote("吉林"))
        assert page.status == 400, url
        assert "“吉林”可指多个地方：吉林省（220000）、吉林市（220200）" in page.text, url
    for url in ("/targets?scope=", "/progress?scope="):
        page = real.get(url + quote("贵洲"))
        assert page.status == 400 and "没有这个范围：“贵洲”" in page.text and "贵州" in page.text, url
    # the JSON's suggestions are the CLI's, each place once (贵州, not also 贵 nor 株洲), under English keys
    from chengzhen.errors import UnknownName
    from chengzhen.query.places import resolve_scope
    from chengzhen.query.resolve import resolve_plans

    for word in ("贵洲", "湖男", "青诲"):
        with pytest.raises(UnknownName) as scope_err:
            resolve_scope(conn, word)
        with pytest.raises(UnknownName) as plan_err:
            resolve_plans(conn, [word])
        for url, want in ((f"/targets.json?scope={quote(word)}", scope_err.value.suggestions),
                          (f"/progress.json?scope={quote(word)}", scope_err.value.suggestions),
                          (f"/targets.json?plan={quote(word)}", plan_err.value.suggestions)):
            page = real.get(url)
            body = json.loads(page.text)
            assert page.status == 400 and body["kind"] in ("scope", "plan") and body["suggestions"] == want, \
                (url, page.text[:300])
            assert want and len(set(want)) == len(want), (url, want)


def test_a_group_no_source_lists_says_so_on_the_pages(real, conn):
    """``within=1`` on a group whose members no source lists: the pages
    show the answer's note (and the rows the CLI lists), for every such group."""
    from chengzhen.answers.targets import TargetsAsk, answer

    unlisted = [g for (g,) in conn.execute("SELECT DISTINCT ref FROM place_names WHERE kind = 'group' AND ref NOT IN "
                                           "(SELECT group_id FROM place_members)")]
    for g in unlisted:
        note = next(n for n in answer(conn, TargetsAsk(scope=g, within=True)).notes if "没有来源列出" in n)
        for url in (f"/targets?scope={quote(g)}&within=1", f"/progress?scope={quote(g)}&within=1"):
            page = real.get(url)
            assert page.status == 200 and esc(note) in page.text, url
            # its summary does not say it includes the places inside (nothing was)
            assert "含其下辖地方" not in page.text.split('class="summary"')[1].split("</p>")[0], url
            assert "及其下辖" not in page.text.split('class="summary"')[1].split("</p>")[0], url
        got = _answer(real, f"/targets.json?scope={quote(g)}&within=1", "targets")
        assert note in got["notes"], g


def test_targets_errors(real):
    bad = real.get("/targets?year=20x8")
    assert bad.status == 400 and "格式不对" in bad.text
    r = real.get("/targets.csv?year=2028")
    from chengzhen.answers.targets import COLUMNS as TARGET_COLUMNS

    assert r.text.splitlines()[0] == ",".join(TARGET_COLUMNS)


# --------------------------------------------------------------------------- coverage

def test_coverage_by_topic_shows_every_zero(real, conn):
    from chengzhen.query.compare import matrix

    m = matrix(conn)
    plans = [p["id"] for p in m["plans"]]
    zeros = sum(1 for c in m["counts"] for p in plans if c[p] == 0)
    page = real.get("/coverage").text
    assert page.count('<td class="num zero">0</td>') == zeros
    got = _answer(real, "/coverage.json", "coverage")
    assert got["records"] == m["counts"]  # the answer of `cz matrix`
    assert [[r["counts"][p] for p in plans] for r in got["view"]["rows"]] == [[c[p] for p in plans] for c in m["counts"]]


@pytest.mark.parametrize("level", ["all", "top", "sub"])
def test_coverage_by_task_is_the_commands_matrix(real, conn, level):
    cli = _cli_json("matrix", "--by", "task", "--level", level)
    plans = [p["id"] for p in cli["plans"]]
    got = _answer(real, f"/coverage.json?by=task&level={level}", "coverage")
    assert got["records"] == cli["records"] and got["command"] == "matrix"
    assert [(r["key"], [r["counts"][p] for p in plans]) for r in got["view"]["rows"]] == \
        [(c["task"], [c[p] for p in plans]) for c in cli["records"]]


def test_coverage_by_term_is_the_commands_coverage(real, conn):
    terms = ["城中村", "老旧小区", "教育厅", "城中材", "不存在的词汇zq"]
    got = _answer(real, "/coverage.json?by=term&term=" + quote("\n".join(terms)), "coverage")
    cli = _cli_json("coverage", *terms)
    assert got["records"] == cli["records"] and got["terms"] == cli["terms"]
    assert [r["key"] for r in got["view"]["rows"]] == cli["terms"]
    for row in got["view"]["rows"]:
        assert row["counts"] == {r["plan"]: r["counts"][row["key"]] for r in cli["records"]}
        assert row["how"] == cli["how"][row["key"]]
    assert got["view"]["rows"][-1]["total"] == 0 and got["view"]["rows"][-1]["silent"] == plan_ids(conn)
    page = real.get("/coverage?by=term&term=" + quote("\n".join(terms))).text
    assert "不存在的词汇zq" in page
    offered = cli["how"]["城中材"]["did_you_mean"]
    assert offered and page.count('class="muted small did-you-mean"') == 1
    block = page.split('class="muted small did-you-mean"')[1].split("</div>")[0]
    assert all(f">{esc(s)}</a>" in block for s in offered)


# --------------------------------------------------------------------------- every page

PAGES = ["/", "/search?q=住房", "/compare", "/targets", "/coverage", "/coverage?by=task"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_also_json_and_carries_security_headers(real, path):
    r = real.get(path)
    assert r.status == 200
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    base, _, qs = path.partition("?")
    j = real.get((base.rstrip("/") or "") + ("/.json" if base == "/" else ".json") + (f"?{qs}" if qs else ""))
    assert j.status == 200 and j.headers["content-type"].startswith("application/json")
    body = j.json()
    # the page's exact name, and the answer apart from the page's own keys (/search.json once had "page": 1)
    assert body["page"] == (base.strip("/") or "home") and body["database"]["generation"] >= 1
    assert set(body) == {"page", "database", "view", "answer"} and body["answer"]["command"]
    assert 'class="fmt-json"' in r.text


def test_only_get_and_head_are_answered(real):
    for path in ("/", "/search?q=住房", "/compare", "/targets", "/coverage", "/m/x", "/plan/x", "/search.csv?q=x",
                 "/plan/x/text", "/dept/x", "/topic/x", "/task/x", "/indicator/x"):
        r = real.request(path, method="POST", data=b"a=1")
        assert r.status == 405 and r.headers["allow"] == "GET, HEAD", path
        assert "本站只读" in r.text and "script-src 'self'" in r.headers["content-security-policy"]


DATASETTE_PAGES = ["/chengzhen", "/chengzhen/measures", "/chengzhen/measures.csv", "/chengzhen.db",
                   "/chengzhen.json?sql=" + quote("select count(*) from plans"), "/chengzhen/-/query?sql=select+1",
                   "/-/databases.json", "/-/metadata.json", "/-/versions.json", "/-/static/app.css",
                   "/chengzhen/measures/-/insert"]


def test_datasettes_own_pages_are_off(real):
    """`cz serve` is a knowledge-base site, not a database browser: datasette's
    table browser, SQL page, downloads and introspection answer our 404 (they
    were served, without our headers, before)."""
    for path in DATASETTE_PAGES:
        for method in ("GET", "POST"):
            r = real.request(path, method=method, data=b"x=1" if method == "POST" else None)
            assert r.status == 404, (path, method, r.status)
            assert "script-src 'self'" in r.headers["content-security-policy"], path
            if not path.split("?")[0].endswith(".json"):
                assert "没有这个页面" in r.text, path


# --------------------------------------------------------------------------- nothing writes

def _fingerprint(path: Path) -> tuple:
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns


def test_no_endpoint_writes(tmp_path):
    db = build_db(make_tiny(tmp_path / "data"), tmp_path / "db" / "chengzhen.db")
    before = _fingerprint(db)
    served = Served(db)
    try:
        copy_before = _fingerprint(served.snapshots.current.path)
        paths = ["/", "/.json", "/search?q=老旧小区", "/search.csv?q=老旧小区", "/m/tiny/2.1", "/m/tiny/2.1.json",
                 "/plan/tiny", "/targets", "/targets.csv", "/coverage", "/coverage?by=term&term=电梯"]
        for p in paths + DATASETTE_PAGES:
            assert served.get(p).status == (200 if p in paths else 404), p
            served.request(p, method="POST", data=b"x=1")
            served.request(p, method="PUT", data=b"x=1")
            served.request(p, method="DELETE")
        for sql in ("delete from measures", "insert into plans(id) values ('x')", "create table t(x)",
                    "update meta set value = 'x'"):
            served.get("/chengzhen?sql=" + quote(sql))
            served.request("/chengzhen/-/query", method="POST", data=f"sql={quote(sql)}".encode())
        assert _fingerprint(served.snapshots.current.path) == copy_before
    finally:
        served.close()
    assert _fingerprint(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["chengzhen.db", "chengzhen.db.lock"]


# --------------------------------------------------------------------------- escaping

def _hostile_pages(conn_ids: dict) -> list[str]:
    return [
        "/", "/.json", f"/search?q={quote('老旧小区')}", f"/search?q={quote('script')}",
        f"/search?topic={quote(TOPIC)}", f"/m/tiny/2.1", f"/m/tiny/2.1.json", "/plan/tiny",
        f"/targets", f"/targets?indicator={quote(INDICATOR)}", "/coverage", "/coverage?by=task",
        "/coverage?by=term&term=" + quote(SCRIPT + "\n" + IMG),
        "/compare?plan=tiny&plan=tiny", "/search?q=" + quote(f'"><script>window.__xss=9</script>'),
        "/m/" + quote('"><script>window.__xss=9</script>'), "/plan/" + quote("<img src=x onerror=1>"),
        "/search?q=x&plan=" + quote("<script>window.__xss=9</script>"),
        "/targets?year=" + quote("<script>x</script>"),
        # the plan's text and the entity pages, with the payloads in names and text
        "/plan/tiny/text", "/plan/tiny/text.json", f"/topic/{quote(TOPIC, safe='')}",
        f"/indicator/{quote(INDICATOR, safe='')}", "/dept/" + quote("<script>window.__xss=9</script>", safe=""),
        "/task/" + quote('"><script>window.__xss=9</script>'), "/topic/" + quote("<img src=x onerror=1>", safe=""),
    ]


def test_every_value_is_escaped(hostile_db):
    served = Served(hostile_db, data=hostile_db.parent.parent / "data")  # the plan's text from its source
    try:
        for path in _hostile_pages({}):
            r = served.get(path)
            assert r.status in (200, 400, 404), (path, r.status)
            if r.headers["content-type"].startswith("application/json"):
                continue  # JSON carries the text as it is; a browser never runs it
            page = r.text
            for raw in PAYLOADS + ('"><script>', "<img src=x onerror=1>", "<script>x</script>"):
                assert raw not in page, (path, raw)
        page = served.get("/m/tiny/2.1").text
        assert esc(SCRIPT) in page and esc(IMG) in page
        assert esc(MEASURE_TITLE) in page
        assert esc(PLAN_NAME) in served.get("/").text
        assert esc(TOPIC) in served.get("/").text
        assert esc(INDICATOR) in served.get("/targets").text
        doc = served.get("/plan/tiny/text").text
        assert esc(SCRIPT) in doc and 'id="tiny/2.1"' in doc  # the source's text, escaped, the measure placed on it
        assert esc(TOPIC) in served.get(f"/topic/{quote(TOPIC, safe='')}").text
        data = served.get("/m/tiny/2.1.json").json()
        assert SCRIPT in data["answer"]["records"][0]["text"]  # JSON keeps the text exactly
    finally:
        served.close()


# --------------------------------------------------------------------------- a rebuilt database

def _edit_tiny(root: Path, old: str, new: str) -> None:
    for rel in ("sources/tiny.txt", "plans/tiny.yaml"):
        p = root / rel
        p.write_text(p.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_rebuilt_database_is_served_without_restart(tmp_path):
    from chengzhen.store.build import build

    root = make_tiny(tmp_path / "data")
    db = build_db(root, tmp_path / "db" / "chengzhen.db")
    served = Served(db)
    try:
        assert served.get("/.json").json()["database"]["generation"] == 1
        first = served.get("/m/tiny/2.1")
        assert "加装电梯100部" in first.text and served.get("/m/tiny/2.1").body == first.body  # cached
        tag = first.headers["etag"]
        assert served.get("/m/tiny/2.1", headers={"If-None-Match": tag}).status == 304
        # an incremental update, in place
        _edit_tiny(root, "加装电梯100部", "加装电梯120部")
        assert build(root, db)["mode"] == "incremental"
        wait_for(served, lambda d: d["database"]["generation"] == 2)
        after = served.get("/m/tiny/2.1", headers={"If-None-Match": tag})
        assert after.status == 200 and "加装电梯120部" in after.text and after.headers["etag"] != tag
        # a full build, renamed over the file
        build(root, db, full=True)
        wait_for(served, lambda d: d["database"]["generation"] == 3)
        # a file that cannot be served: the last good generation goes on, and pages say restart
        good = db.read_bytes()
        bad = db.with_name("bad.db")
        bad.write_bytes(b"not a database" * 100)
        os.replace(bad, db)
        wait_for(served, lambda d: "problem" in d["database"])
        page = served.get("/m/tiny/2.1")
        assert page.status == 200 and "请重启" in page.text and "第 3 版" in page.text
        # a good file again: served, and the warning gone
        fixed = db.with_name("fixed.db")
        fixed.write_bytes(good)
        os.replace(fixed, db)
        build(root, db, full=True)
        wait_for(served, lambda d: "problem" not in d["database"] and d["database"]["generation"] >= 4)
    finally:
        served.close()


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_pages_stay_whole_while_the_file_is_updated_in_place(tmp_path):
    """A writer updates one plan again and again (in place); every page read
    meanwhile shows one state or the other, never an error or a mix."""
    from chengzhen.store.build import build

    root = make_tiny(tmp_path / "data")
    db = build_db(root, tmp_path / "db" / "chengzhen.db")
    served = Served(db, interval=0.02)
    variants = ("加装电梯100部", "加装电梯101部")
    stop = threading.Event()
    errors: list[str] = []

    def writer():
        n = 0
        while not stop.is_set() and n < 12:
            _edit_tiny(root, variants[n % 2], variants[(n + 1) % 2])
            build(root, db)
            n += 1

    try:
        w = threading.Thread(target=writer)
        w.start()
        last = 0
        while w.is_alive():
            r = served.get("/m/tiny/2.1.json")
            if r.status != 200:
                errors.append(f"{r.status}")
                continue
            d = r.json()
            text = d["answer"]["records"][0]["text"]
            if sum(v in text for v in variants) != 1:
                errors.append(text)
            gen = d["database"]["generation"]
            if gen < last:
                errors.append(f"generation went back: {last} -> {gen}")
            last = gen
        stop.set()
        w.join()
        assert not errors
        assert last >= 1
    finally:
        stop.set()
        served.close()


# --------------------------------------------------------------------------- cz serve itself

def test_cz_serve_without_the_web_extra_says_how_to_install_it(monkeypatch):
    # as if none of the extra's packages were there (an import of any fails)
    for name in [m for m in list(sys.modules) if m.split(".")[0] in ("datasette", "uvicorn", "jinja2", "markupsafe")
                 or m.startswith("chengzhen.web")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("datasette", "uvicorn", "jinja2", "markupsafe"):
        monkeypatch.setitem(sys.modules, name, None)
    r = run_cz(["serve"])
    assert r.code == 2
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cz: error: cz serve needs the optional web extra")
    assert "pip install" in lines[0] and "[web]" in lines[0]


def test_cz_serve_port_taken_is_one_line(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        r = run_cz(["serve", "--port", str(sock.getsockname()[1])])
    finally:
        sock.close()
    assert r.code == 2 and r.err.startswith("cz: error: cannot listen on 127.0.0.1:")
    assert len(r.err.strip().splitlines()) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("cz-serve-")]  # nothing left behind
    assert run_cz(["serve", "--port", "70000"]).code == 2


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_cz_serve_runs_on_loopback_and_stops_cleanly(tmp_path):
    import signal
    import urllib.request

    root = make_tiny(tmp_path / "data")
    env = {**os.environ, "CZ_DATA": str(root), "CZ_DB": str(tmp_path / "db" / "chengzhen.db"),
           "TMPDIR": str(tmp_path / "tmp"), "PYTHONPATH": str(REPO / "src")}
    (tmp_path / "tmp").mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "chengzhen", "serve", "--port", "0"], env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        line = proc.stderr.readline()
        m = re.match(r"cz: serving (http://127\.0\.0\.1:(\d+)/) ", line)
        assert m, line
        with urllib.request.urlopen(m.group(1) + "m/tiny/2.1", timeout=30) as resp:
            assert "推进老旧小区改造" in resp.read().decode()
        assert [p for p in (tmp_path / "tmp").iterdir() if p.name.startswith("cz-serve-")]  # the snapshot
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert "cz: stopped" in proc.stderr.read()
        assert [p for p in (tmp_path / "tmp").iterdir() if p.name.startswith("cz-serve-")] == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_page_cache_is_bounded_and_keyed_by_generation():
    from chengzhen.web.page import PageCache

    cache = PageCache(max_bytes=1000, max_entry=400)
    body = "x" * 100  # counted as 300 bytes (UTF-8 at most 3 per character)
    for i in range(5):
        cache.put((1, f"/p{i}", "", ""), (200, {}, body, "text/html"))
    assert cache.get((1, "/p0", "", "")) is None  # the least recently used went first
    assert cache.get((1, "/p4", "", "")) is not None
    cache.put((1, "/big", "", ""), (200, {}, "y" * 200, "text/html"))  # 600 > max_entry: not kept
    assert cache.get((1, "/big", "", "")) is None
    cache.put((2, "/p4", "", ""), (200, {}, "new", "text/html"))  # a newer copy: the old ones go
    assert cache.get((1, "/p4", "", "")) is None and cache.get((2, "/p4", "", ""))[2] == "new"
    cache.put((1, "/late", "", ""), (200, {}, body, "text/html"))  # made from a replaced copy: dropped
    assert cache.get((1, "/late", "", "")) is None


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_wheel_carries_the_templates_and_static_files(wheel):
    import zipfile

    from chengzhen.web.server import STATIC, TEMPLATES

    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in (TEMPLATES, STATIC):
        for f in folder.iterdir():
            assert f"chengzhen/web/{folder.name}/{f.name}" in names, f.name


def test_a_page_past_its_time_limit_is_a_503_page(real, conn, monkeypatch):
    from chengzhen.web import page

    monkeypatch.setattr(page, "PAGE_TIME_LIMIT_MS", 1)  # checked at every SQLite step: a millisecond
    r = real.get("/compare?plan=" + "&plan=".join(plan_ids(conn)) + "&_t=limit")
    assert r.status == 503 and "超过" in r.text
    assert real.get("/compare.json?plan=" + "&plan=".join(plan_ids(conn)) + "&_t=limit").json()["kind"] == "time"


# --------------------------------------------------------------------------- a plan that writes 牵头, 力争, a commitment

def test_a_sixth_plan_shows_as_written(tmp_path):
    """The sixth plan of docs/data-format.md (tests/sixth_plan.py) writes
    牵头单位, a joint entry, 力争 and a commitment: the pages show each as
    written — 牵头 on the one it names, 首列 only for a first-listed one
    that is not, the aspiration and the commitment apart."""
    import shutil

    import sixth_plan

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    if (root / "plans" / f"{sixth_plan.PLAN_ID}.yaml").exists():
        pytest.skip("the data already holds the sixth plan")
    sixth_plan.add(root)
    db = build_db(root, tmp_path / "db" / "chengzhen.db")
    served = Served(db, data=root)
    try:
        page = served.get("/m/xinan/2.1").text
        assert '省公安厅</a><span class="tag lead"' in page and page.count('<span class="tag lead"') == 1
        assert '<span class="tag first"' not in page  # the first listed is the one written 牵头
        page = served.get("/m/xinan/2.2").text
        assert '省教育厅</a><span class="tag first"' in page and '<span class="tag lead"' not in page
        assert page.count("（原文：甲市、乙市政府）") == 2
        got = served.get("/targets.json?plan=xinan").json()["answer"]["records"]
        env = {"CZ_DATA": str(root), "CZ_DB": str(db)}
        cli = json.loads(run_cz(["targets", "--plan", "xinan", "-f", "json"], env=env).out)["records"]
        assert [t["id"] for t in got] == [t["id"] for t in cli]
        aspiring = [t for t in got if t["aspiration"]]
        promised = [t for t in got if t["kind"] == "commitment"]
        assert aspiring and promised
        page = served.get("/targets?plan=xinan").text
        for t in aspiring:
            row = page.split(f'<tr id="t-{t["id"]}"')[1].split("</tr>")[0]
            assert f'<td class="nowrap aspiration" data-label="力争">{esc(t["aspiration"])}</td>' in row
        tail = page.split('id="commitments"')[1]
        assert all(f'<tr id="t-{t["id"]}"' in tail for t in promised)
        # compared with another plan: the task rows as `cz compare` gives them
        other = _plans_of_db(db)[0]
        got = served.get(f"/compare.json?plan=xinan&plan={other}").json()["answer"]
        cli = json.loads(run_cz(["compare", "xinan", other, "-f", "json"], env=env).out)
        assert _shape(got["rows"]) == _shape(cli["rows"]) and got["records"] == cli["records"]
    finally:
        served.close()


def _plans_of_db(db: Path) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return plan_ids(conn)
    finally:
        conn.close()


def test_a_reader_sees_names_and_every_name_is_a_link(real, conn):
    """A filter chip names the plan (青海), not its id; on a measure's page
    every department, topic, national task and the plan link to their pages."""
    for pid, short in conn.execute("SELECT id, short_name FROM plans ORDER BY ord"):
        page = real.get(f"/search?plan={pid}").text
        assert f"方案：{short} " in page and f"方案：{pid}" not in page, pid
    for mid in _sample_measures(conn):
        page = real.get(f"/m/{quote(mid, safe='/.')}").text
        m = conn.execute("SELECT plan_id FROM measures WHERE id = ?", (mid,)).fetchone()
        assert f'href="/plan/{m[0]}"' in page and f'href="/plan/{m[0]}/text"' in page
        for (dept,) in conn.execute("SELECT department FROM measure_departments WHERE measure_id = ?", (mid,)):
            assert f'<a href="/dept/{quote(dept, safe="")}">{esc(dept)}</a>' in page, (mid, dept)
        for (topic,) in conn.execute("SELECT topic FROM measure_topics WHERE measure_id = ?", (mid,)):
            assert f'<a class="chip" href="/topic/{quote(topic, safe="")}">{esc(topic)}</a>' in page, (mid, topic)
        for (ind,) in conn.execute("SELECT DISTINCT indicator FROM targets WHERE measure_id = ?", (mid,)):
            assert f'href="/indicator/{quote(ind, safe="")}"' in page, (mid, ind)
