"""The command line's side of the one answer layer: a missing argument is a
usage error, an annex is citable, a citation's original comes from the
database's own source (as on the web), a word typed with a leading '-' is
named whole in the hint, and the prose around a table is never cut in a
narrow terminal.  Every expectation comes from the database."""

from __future__ import annotations

import io
import json

import pytest

from conftest import DATA, plan_ids, run_cz


@pytest.mark.parametrize("command", ["show", "similar", "sql", "ingest"])
def test_a_missing_argument_is_a_usage_error(cz, command):
    res = cz(command)
    assert res.code == 2, res.err
    assert "missing argument" in res.err and "internal error" not in res.err
    assert len(res.err.strip().splitlines()) == 1


def test_every_annex_is_citable(cz, conn):
    annexes = conn.execute("SELECT annex_id, plan_id, annex_title, min(line), max(line) FROM annex_rows "
                           "GROUP BY annex_id").fetchall()
    if not annexes:
        pytest.skip("no plan here has an annex")
    for aid, pid, title, lo, hi in annexes:
        res = cz("show", aid, "--cite", "--format", "json")
        assert res.code == 0, res.err
        rec = json.loads(res.out)["records"][0]
        assert rec["kind"] == "annex" and rec["plan"] == pid and rec["title"] == title
        assert (rec["line"], rec["line_end"]) == (lo, hi)
        # an annex is quoted by its title (its rows are cited one by one: ID:rN)
        assert rec["quote"] == title
        names = [r[0] for r in conn.execute("SELECT name FROM annex_rows WHERE annex_id = ? ORDER BY seq", (aid,))]
        # every entry is on the lines cited, as the source writes it
        lines = (DATA / rec["source_file"]).read_text(encoding="utf-8").split("\n")[lo - 1:hi]
        assert all(any(n in line for line in lines) for n in names)
        text = cz("show", aid, "--cite").out
        assert title in text and "sources/" not in text  # no file path in a citation (docs/citation.md)


def test_a_citation_reads_the_source_the_database_was_built_from(cz, conn, tmp_path):
    """`cz show --cite` quotes the original only from the very source file
    the database was built from, with the repairs the build recorded — as
    the measure page does (it used to re-read plans.yaml)."""
    import shutil

    from chengzhen.store.build import build

    mid = conn.execute("SELECT min(m.id) FROM measures m JOIN plans p ON p.id = m.plan_id "
                       "WHERE p.script != 'simplified'").fetchone()[0]
    if mid is None:
        pytest.skip("no plan here has a source in another script")
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("build"))
    db = tmp_path / "cz.db"
    build(data, db)
    env = {"CZ_DATA": str(data), "CZ_DB": str(db)}
    first = json.loads(run_cz(["show", mid, "--cite", "-f", "json"], env=env).out)["records"][0]
    assert first["original"]
    # the web's citation of the same unit is the same record
    from chengzhen.answers.show import citation_record
    from chengzhen.store.db import open_readonly

    c = open_readonly(db)
    try:
        assert citation_record(c, mid, data) == first
        src = conn.execute("SELECT source FROM plans WHERE id = ?", (first["plan"],)).fetchone()[0]
        # the source edited after the build: its lines are no longer the ones the rows came from
        path = data / src
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert citation_record(c, mid, data)["original"] is None
    finally:
        c.close()


def test_a_word_with_a_leading_dash_is_named_whole(cz):
    """click reads `-电梯` as the short options -电 -梯; the hint names the
    word typed and gives the command that searches for it."""
    res = cz("search", "老旧小区", "-电梯")
    assert res.code == 2 and len(res.err.strip().splitlines()) == 1
    assert "'-电梯'" in res.err and "'-电'" not in res.err
    command = res.err.strip().split("put -- before it: ")[1]
    assert command == "cz search 老旧小区 -- -电梯"
    again = cz(*command.split()[1:])
    assert again.code in (0, 1) and "error" not in again.err


def _views_text(env_vars, monkeypatch, draw) -> str:
    from chengzhen.cli.env import Env

    for k, v in env_vars.items():
        monkeypatch.setenv(k, v)
    out = io.StringIO()
    draw(Env(stdout=out, stderr=io.StringIO(), is_tty=True, colour=False))
    return out.getvalue()


@pytest.mark.parametrize("columns", ["24", "40", "80"])
def test_the_lines_around_a_table_are_never_cut(conn, monkeypatch, columns):
    """What the search view says above and below its table (what the query
    was cut into, the count, what to type for all of them) is whole at any
    width: wrapped, never cropped."""
    from chengzhen.answers.search import SearchAsk, answer
    from chengzhen.cli.views.search import lines, table

    for q in ("老旧小区加装电梯", "城中材", "住房"):
        ans = answer(conn, SearchAsk(q, limit=3))
        got = _views_text({"COLUMNS": columns}, monkeypatch, lambda env: table(ans, env))
        flat = "".join(got.split())
        for line in lines(ans):
            assert "".join(line.split()) in flat, (q, columns, line)
        if ans.records:
            n, total = len(ans.records), ans.count_total()
            assert "".join(f"{n} / {total} 条".split()) in flat


def test_search_task_filter_is_the_pages(cz, conn):
    from chengzhen.query.tasks import expand

    task = conn.execute("SELECT task_id FROM measure_tasks GROUP BY task_id ORDER BY count(*) DESC").fetchone()[0]
    ids = expand(conn, [task])
    want = {r[0] for r in conn.execute(
        f"SELECT measure_id FROM measure_tasks WHERE task_id IN ({','.join('?' * len(ids))})", ids)}
    got = json.loads(cz("search", "--task", task, "--limit", "0", "-f", "json").out)
    assert {r["id"] for r in got["records"]} == want and got["query"]["tasks"] == [task]
    # with words: only the hits whose measure carries the task
    word = conn.execute("SELECT title FROM measures WHERE id = ?", (sorted(want)[0],)).fetchone()[0] or ""
    if word[:2]:
        narrowed = json.loads(cz("search", word[:2], "--task", task, "--limit", "0", "-f", "json").out)
        assert {r["id"] for r in narrowed["records"] if r["kind"] == "measure"} <= want
    bad = cz("search", "住房", "--task", "不存在的任务zq")
    assert bad.code == 2 and "national task" in bad.err


def test_compare_tasks_without_plans_compares_the_first_plans(cz, conn):
    task = conn.execute("SELECT task_id FROM measure_tasks WHERE task_id IN (SELECT id FROM national_tasks) "
                        "GROUP BY task_id ORDER BY count(DISTINCT plan_id) DESC").fetchone()[0]
    got = json.loads(cz("compare", "--task", task, "-f", "json").out)
    every = plan_ids(conn)
    assert [p["id"] for p in got["plans"]] == every[:8]
    assert got["auto"] == {"shown": min(8, len(every)), "of": len(every)}
    none = cz("compare")
    assert none.code == 2 and "at least two plans" in none.err
