"""One JSON envelope for every command and every page (docs/envelope.schema.json),
and one answer for the same question on both fronts.

Every command's `-f json` (and each line of `cz search --stdin`) and every
web page's `.json` validate against the one schema; a page's own keys
(page, database, view) never share a namespace with its answer's; for the
same question the CLI and the web give equal records, the same CSV columns
and the same number of CSV rows.  Questions are made from the database
(never a hard-coded list of plans)."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest

from conftest import REPO, plan_ids, run_cz

jsonschema = pytest.importorskip("jsonschema", reason="the test extra is not installed (pip install '.[test]')")

SCHEMA = json.loads((REPO / "docs" / "envelope.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def valid(doc: dict, where: str) -> None:
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, f"{where}: " + "; ".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:3])


def test_the_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def _samples(conn) -> dict:
    plans = plan_ids(conn)
    mid = conn.execute("SELECT id FROM measures ORDER BY plan_id, ord LIMIT 1").fetchone()[0]
    section = conn.execute("SELECT id FROM sections LIMIT 1").fetchone()[0]
    annex = conn.execute("SELECT annex_id FROM annex_rows LIMIT 1").fetchone()
    task = conn.execute("SELECT task_id FROM measure_tasks WHERE task_id IN (SELECT id FROM national_tasks) "
                        "GROUP BY task_id ORDER BY count(DISTINCT plan_id) DESC").fetchone()[0]
    group = conn.execute("SELECT group_id FROM national_tasks WHERE id = ?", (task,)).fetchone()[0]
    topic = conn.execute("SELECT topic FROM measure_topics GROUP BY topic ORDER BY count(*) DESC").fetchone()[0]
    indicator = conn.execute("SELECT indicator FROM targets GROUP BY indicator "
                             "ORDER BY count(DISTINCT plan_id) DESC").fetchone()[0]
    dept = conn.execute("SELECT department FROM measure_departments GROUP BY department "
                        "ORDER BY count(*) DESC").fetchone()[0]
    word = conn.execute("SELECT title FROM measures WHERE title IS NOT NULL AND length(title) >= 4 "
                        "ORDER BY ord LIMIT 1").fetchone()[0][:4]
    return {"plans": plans, "mid": mid, "section": section, "annex": annex[0] if annex else None, "task": task,
            "group": group, "topic": topic, "indicator": indicator, "dept": dept, "word": word}


def _commands(s: dict) -> list[list[str]]:
    two = s["plans"][:2]
    out = [
        ["search", s["word"]], ["search", s["word"], "--limit", "3"], ["search", "zzzz不存在的词qqq"],
        ["search", "城中材"], ["search", "城中材", "--fuzzy"], ["search", s["word"], "--exact"],
        ["search", s["word"], "--group-by", "plan"], ["search", "--topic", s["topic"]],
        ["search", "--task", s["task"]], ["search", s["word"], "--raw"], ["search", s["dept"]],
        ["show", s["mid"]], ["show", s["mid"], "--cite"], ["show", s["section"]], ["show", s["section"], "--cite"],
        ["show", s["plans"][0]], ["show", s["task"]], ["show", s["group"]],
        ["plans"], ["stats"], ["topics"], ["targets"], ["targets", "--year", "2025..2030"],
        ["targets", "--indicator", s["indicator"]], ["depts"], ["depts", s["dept"]],
        ["compare", *two], ["compare", *two, "--topic", s["topic"]], ["compare", "--task", s["task"]],
        ["similar", s["mid"]], ["matrix"], ["matrix", "--by", "task"], ["tasks"], ["tasks", s["task"]],
        ["tasks", s["group"]], ["coverage", s["word"], "不存在的词汇zq"], ["sql", "SELECT id, short_name FROM plans"],
        ["validate"], ["progress"], ["progress", "--indicator", s["indicator"]], ["progress", "--as-of", "2022"],
        ["progress", "--verdict", "无可比数据"], ["targets", "--progress"],
    ]
    if s["annex"]:
        out += [["show", s["annex"]], ["show", s["annex"], "--cite"]]
    return out


def test_every_command_answers_in_the_one_envelope(conn):
    for args in _commands(_samples(conn)):
        r = run_cz([*args, "-f", "json"])
        assert r.code in (0, 1), (args, r.err)
        doc = json.loads(r.out)
        valid(doc, " ".join(args))
        assert doc["command"] == args[0]
        assert doc["count"] == len(doc["records"]) <= doc["total"]
        assert [c["key"] for c in doc["columns"]] and all(c["label"] for c in doc["columns"])


def test_every_stdin_line_is_an_envelope(conn):
    s = _samples(conn)
    r = run_cz(["search", "--stdin"], stdin=f"{s['word']}\n城中材\nNEAR(\n", env=None)
    lines = [json.loads(x) for x in r.out.splitlines()]
    assert len(lines) == 3
    for doc in lines:
        valid(doc, doc["query"]["q"])
    r = run_cz(["search", "--stdin", "--raw"], stdin="NEAR(\n")
    doc = json.loads(r.out)
    valid(doc, "raw error")
    assert doc["error"] and doc["records"] == []


def test_the_line_formats_write_the_envelopes_columns(conn):
    s = _samples(conn)
    for args in (["search", s["word"]], ["targets"], ["plans"], ["compare", *s["plans"][:2]], ["matrix"],
                 ["coverage", s["word"]], ["tasks"]):
        doc = json.loads(run_cz([*args, "-f", "json"]).out)
        head = next(csv.reader(io.StringIO(run_cz([*args, "-f", "csv"]).out)))
        assert head == [c["key"] for c in doc["columns"]], args
        md = run_cz([*args, "-f", "md"]).out
        if args[0] != "compare":  # compare's md is its side-by-side report
            assert md.splitlines()[0] == "| " + " | ".join(c["label"] for c in doc["columns"]) + " |"


# --------------------------------------------------------------------------- the web

web = pytest.importorskip("datasette", reason="the web extra is not installed (pip install '.[web]')")


@pytest.fixture(scope="module")
def real(real_db):
    from conftest import DATA
    from test_web_fixture import Served

    served = Served(real_db, data=DATA)
    yield served
    served.close()


def _pages(s: dict) -> list[tuple[str, str]]:
    two = s["plans"][:2]
    out = [
        ("/.json", "home"), (f"/search.json?q={quote(s['word'])}", "search"),
        # a second page where there is one (a page past the last is an error page: below)
        (f"/search.json?topic={quote(s['topic'])}&size=1&page=2", "search"), ("/search.json", "search"),
        (f"/search.json?q={quote('城中材')}", "search"), (f"/search.json?task={quote(s['task'])}", "search"),
        (f"/m/{s['mid']}.json", "measure"), (f"/plan/{s['plans'][0]}.json", "plan"), ("/compare.json", "compare"),
        (f"/compare.json?plan={two[0]}&plan={two[1]}", "compare"),
        (f"/compare.json?task={quote(s['task'])}", "compare"), ("/targets.json", "targets"),
        (f"/targets.json?indicator={quote(s['indicator'])}", "targets"), ("/coverage.json", "coverage"),
        ("/coverage.json?by=task&level=top", "coverage"), ("/coverage.json?by=term", "coverage"),
        (f"/coverage.json?by=term&term={quote(s['word'])}", "coverage"),
        (f"/plan/{s['plans'][0]}/text.json", "document"), (f"/dept/{quote(s['dept'], safe='')}.json", "department"),
        (f"/topic/{quote(s['topic'], safe='')}.json", "topic"), (f"/task/{s['task']}.json", "task"),
        (f"/task/{s['group']}.json", "task"),
        (f"/indicator/{quote(s['indicator'], safe='')}.json", "indicator"),
        ("/progress.json", "progress"), (f"/progress.json?indicator={quote(s['indicator'])}&as_of=2023", "progress"),
        ("/targets.json?progress=1", "targets"),
    ]
    return out


def test_every_page_answers_in_the_one_envelope(real, conn):
    for url, page in _pages(_samples(conn)):
        r = real.get(url)
        assert r.status == 200, url
        doc = r.json()
        valid(doc, url)
        assert doc["page"] == page, url  # the exact name: /search.json once said "page": 1
        assert set(doc) == {"page", "database", "view", "answer"}


@pytest.mark.parametrize("url", ["/search.json?q=x&plan=nosuchplanzz", "/targets.json?year=20x8",
                                 "/progress.json?verdict=maybe", "/progress.json?scope=火星", "/progress.json?as_of=x",
                                 "/m/nosuch/9.json", "/compare.json?plan=a&plan=b&by=bogus",
                                 "/search.json?q=" + quote("zzzz不存在的词qqq") + "&page=2", "/nosuchpage.json"])
def test_error_pages_are_in_the_schema_too(real, url):
    r = real.get(url)
    assert r.status in (400, 404)
    doc = r.json()
    valid(doc, url)
    assert doc["page"] == "error"


def _pairs(s: dict) -> list[tuple[list[str], str]]:
    """(command, page) asking the same question."""
    two = s["plans"][:2]
    return [
        (["search", s["word"], "--limit", "20"], f"/search?q={quote(s['word'])}"),
        (["search", "城中材", "--limit", "20"], f"/search?q={quote('城中材')}"),
        (["search", "城中材", "--fuzzy", "--limit", "20"], f"/search?q={quote('城中材')}&fuzzy=1"),
        (["search", f"{s['word'][:2]} OR 城中村", "--raw", "--limit", "20"],
         f"/search?q={quote(s['word'][:2] + ' OR 城中村')}&raw=1"),
        (["search", "--task", s["task"], "--limit", "200"], f"/search?task={quote(s['task'])}&size=200"),
        (["search", "--topic", s["topic"], "--plan", two[0], "--limit", "200"],
         f"/search?topic={quote(s['topic'])}&plan={two[0]}&size=200"),
        (["targets"], "/targets"), (["targets", "--indicator", s["indicator"]],
                                   f"/targets?indicator={quote(s['indicator'])}"),
        (["targets", "--year", "2025..2028", "--commitments"], "/targets?year=2025..2028&commitments=1"),
        (["compare", *two], f"/compare?plan={two[0]}&plan={two[1]}"),
        (["compare", *two, "--topic", s["topic"], "--by", "text"],
         f"/compare?plan={two[0]}&plan={two[1]}&topic={quote(s['topic'])}&by=text"),
        (["compare", "--task", s["task"]], f"/compare?task={quote(s['task'])}"),
        (["matrix"], "/coverage"), (["matrix", "--by", "task", "--level", "sub"], "/coverage?by=task&level=sub"),
        (["coverage", s["word"], "城中材"], f"/coverage?by=term&term={quote(s['word'])}&term={quote('城中材')}"),
        (["plans"], "/"),
        (["show", s["mid"]], f"/m/{s['mid']}"), (["show", s["plans"][0]], f"/plan/{s['plans'][0]}"),
        (["show", s["plans"][0]], f"/plan/{s['plans'][0]}/text"),
        # the entity pages: each the answer of the command that shows everything about it
        (["depts", s["dept"]], f"/dept/{quote(s['dept'], safe='')}"),
        (["search", "--topic", s["topic"]], f"/topic/{quote(s['topic'], safe='')}"),
        (["tasks", s["task"]], f"/task/{s['task']}"),
        (["tasks", s["group"]], f"/task/{s['group']}"),
        (["targets", "--indicator", s["indicator"], "--progress"], f"/indicator/{quote(s['indicator'], safe='')}"),
        (["progress"], "/progress"), (["progress", "--indicator", s["indicator"], "--as-of", "2023"],
                                      f"/progress?indicator={quote(s['indicator'])}&as_of=2023"),
        (["targets", "--progress", "--year", "2025..2030"], "/targets?progress=1&year=2025..2030"),
    ]


def test_the_command_and_the_page_give_equal_records(real, conn):
    for args, url in _pairs(_samples(conn)):
        cli = json.loads(run_cz([*args, "-f", "json"]).out)
        base, _, qs = url.partition("?")
        page = real.get((base.rstrip("/") or "") + ("/.json" if base == "/" else ".json") + (f"?{qs}" if qs else ""))
        got = page.json()["answer"]
        assert got["command"] == cli["command"] or (args[0], got["command"]) == ("plans", "home"), url
        assert got["records"] == cli["records"], url
        assert got["total"] == cli["total"] and got["columns"] == cli["columns"], url
        for key in ("did_you_mean", "related", "suggested", "silent", "elsewhere", "unique", "rows", "mode",
                    "matches", "sources"):
            if key in cli:
                assert got[key] == cli[key], (url, key)


def _without_limit(args: list[str]) -> list[str]:
    out = list(args)
    if "--limit" in out:
        at = out.index("--limit")
        del out[at:at + 2]
    return out


def test_the_command_and_the_page_give_the_same_csv(real, conn):
    for args, url in _pairs(_samples(conn)):
        if args[0] in ("show",):
            continue  # a unit is a document: no CSV form on either front
        if args[0] == "search":  # a search's CSV is the whole answer, every hit (web/export.py)
            args = _without_limit(args)
        cli = list(csv.reader(io.StringIO(run_cz([*args, "-f", "csv"]).out)))
        base, _, qs = url.partition("?")
        r = real.get((base.rstrip("/") or "") + ("/.csv" if base == "/" else ".csv") + (f"?{qs}" if qs else ""))
        assert r.status == 200, url
        web_rows = list(csv.reader(io.StringIO(r.text)))
        assert web_rows[0] == cli[0], url
        assert len(web_rows) == len(cli), url
        assert web_rows == cli, url


def test_the_schema_rejects_what_the_fronts_used_to_write():
    """The old shapes fail: a page JSON whose page number took the page
    name's place, answer keys mixed into the page's, an envelope without
    columns, a hit counted among the offered units."""
    old_page = {"page": 1, "query": {}, "database": {"generation": 1}, "hits": [], "total": 0}
    assert not VALIDATOR.is_valid(old_page)
    mixed = {"page": "search", "database": {}, "view": {}, "answer": {}, "hits": []}
    assert not VALIDATOR.is_valid(mixed)
    bare = {"command": "plans", "query": {}, "records": [], "count": 0, "total": 0, "notes": []}
    assert not VALIDATOR.is_valid(bare)
    offered_as_hit = {"command": "search", "query": {}, "records": [{"rank": 1, "hit": False, "match": "related",
                                                                     "kind": "measure", "id": "x/1", "plan": "x",
                                                                     "text": "t"}],
                      "count": 1, "total": 1, "columns": [], "mode": "none", "terms": [], "matches": {},
                      "entities": [], "segments": [], "did_you_mean": [], "suggestion_kind": None, "related": [],
                      "notes": []}
    assert not VALIDATOR.is_valid(offered_as_hit)
    offered_as_hit["records"][0]["hit"] = True
    assert VALIDATOR.is_valid(offered_as_hit)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "ids", "md"])
def test_every_format_is_written_by_the_one_writer(conn, fmt):
    """`cz … -f FMT` is the registry's writer applied to the answer, byte for
    byte — the same writer the web's .json and .csv use."""
    from chengzhen.answers.catalog import plans
    from chengzhen.answers.search import SearchAsk, answer
    from chengzhen.answers.writers import WRITERS

    got = run_cz(["plans", "-f", fmt]) if fmt != "ids" else run_cz(["search", "住房", "-f", "ids"])
    ans = plans(conn) if fmt != "ids" else answer(conn, SearchAsk("住房"))
    assert got.code == 0
    assert got.out == "".join(WRITERS[fmt](ans))


def test_every_task_and_topic_filter_gives_equal_records_on_both_fronts(real, conn):
    """Over every national task and every topic (not a sample): `cz search
    --task T` and /search?task=T, `cz search --topic X` and /search?topic=X
    list the same units, in the same order, with the same total."""
    tasks = [r[0] for r in conn.execute("SELECT id FROM national_groups UNION ALL SELECT id FROM national_tasks")]
    topics = [r[0] for r in conn.execute("SELECT name FROM topics")]
    for arg, values in (("task", tasks), ("topic", topics)):
        for v in values:
            cli = json.loads(run_cz(["search", f"--{arg}", v, "--limit", "50", "-f", "json"]).out)
            got = real.get(f"/search.json?{arg}={quote(v)}&size=50").json()["answer"]
            assert got["records"] == cli["records"] and got["total"] == cli["total"], (arg, v)
