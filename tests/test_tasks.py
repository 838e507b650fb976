"""The national plan as the spine: `cz tasks`, `cz show national/…`, task-first
`cz compare`, `cz matrix --by task`, and the national task in show, search
and compare records.  Checked against the mapping in the database
(measure_tasks), never against a hard-coded list of plans."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import cz_json, plan_ids


def _carriers(conn, task: str, plans: list[str] | None = None) -> dict[str, list[str]]:
    """plan -> the forward-looking measures carrying ``task``, from the database."""
    out: dict[str, list[str]] = {}
    for plan, mid in conn.execute(
            "SELECT m.plan_id, m.id FROM measure_tasks mt JOIN measures m ON m.id = mt.measure_id "
            "LEFT JOIN sections s ON s.id = m.section_id JOIN plans p ON p.id = m.plan_id "
            "WHERE mt.task_id = ? AND coalesce(s.retrospective, 0) = 0 ORDER BY p.ord, m.ord", (task,)):
        if plans is None or plan in plans:
            out.setdefault(plan, []).append(mid)
    return out


def _retrospective(conn) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT m.id FROM measures m JOIN sections s ON s.id = m.section_id WHERE s.retrospective")}


# ---------------------------------------------------------------- cz tasks

def test_tasks_lists_every_task_in_national_order_with_each_plans_measures(cz, conn):
    data = cz_json(cz, "tasks")
    plans = plan_ids(conn)
    recs = data["records"]
    expected = []
    for gid, in conn.execute("SELECT id FROM national_groups ORDER BY ord"):
        expected.append(gid)
        expected += [r[0] for r in conn.execute("SELECT id FROM national_tasks WHERE group_id = ? ORDER BY ord", (gid,))]
    assert [r["id"] for r in recs] == expected
    assert sum(1 for r in recs if r["type"] == "task") == conn.execute("SELECT count(*) FROM national_tasks").fetchone()[0]
    assert [p["id"] for p in data["plans"]] == plans
    for r in recs:
        got = _carriers(conn, r["id"])
        for p in plans:
            assert r[p] == got.get(p, []), (r["id"], p)
        assert r["carried_by"] == len(got)
        leaf = r["type"] == "task" or not any(x["group"] == r["id"] for x in recs)
        # zeros visible: every plan carrying none of a task is named
        assert r["silent"] == ([p for p in plans if p not in got] if leaf else None)


def test_tasks_zeros_are_visible_in_the_table(cz, conn):
    res = cz("tasks", "-f", "table")
    assert res.code == 0
    data = cz_json(cz, "tasks")
    any_silent = any(r["silent"] for r in data["records"] if r["silent"] is not None)
    assert ("·" in res.out) == any_silent
    for r in data["records"]:
        line = next(ln for ln in res.out.splitlines() if ln.rstrip().endswith(r["id"]))
        assert r["title"] in line
        if r["silent"] is not None:
            assert f"{r['carried_by']}/{len(data['plans'])}" in line


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv"])
def test_tasks_every_format(cz, conn, fmt):
    res = cz("tasks", "--format", fmt)
    assert res.code == 0 and "\x1b[" not in res.out
    plans = plan_ids(conn)
    if fmt == "jsonl":
        rows = [json.loads(x) for x in res.out.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(res.out), delimiter="," if fmt == "csv" else "\t"))
    assert len(rows) == conn.execute("SELECT (SELECT count(*) FROM national_tasks) + "
                                     "(SELECT count(*) FROM national_groups)").fetchone()[0]
    assert set(plans) <= set(rows[0])
    one = next(r for r in rows if r["id"] == "national/1.4")
    got = _carriers(conn, "national/1.4")
    for p in plans:
        ids = one[p] if fmt == "jsonl" else [x for x in one[p].split(";") if x]
        assert ids == got.get(p, [])


@pytest.mark.parametrize("name", ["national/1.4", "1.4", "(四)", "（四）", "四", "(4)", "随迁子女", "随迁子女教育",
                                  "隨遷子女"])
def test_task_names_resolve(cz, name):
    data = cz_json(cz, "tasks", name)
    assert [t["id"] for t in data["tasks"]] == ["national/1.4"], name


def test_group_names_list_the_group(cz, conn):
    for name in ("national/1", "1", "二、"):
        data = cz_json(cz, "tasks", name)
        ids = [r["id"] for r in data["records"]]
        assert ids[0] == "national/1" and all(r["group"] == "national/1" for r in data["records"][1:])
        assert ids[1:] == [r[0] for r in conn.execute(
            "SELECT id FROM national_tasks WHERE group_id = 'national/1' ORDER BY ord")]


def test_unknown_and_empty_task_names(cz):
    bad = cz("tasks", "城中材")
    assert bad.code == 2 and "unknown national task" in bad.err and "城中村" in bad.err
    assert len(bad.err.strip().splitlines()) == 1
    assert cz("tasks", "").code == 2
    assert cz("compare", "--task", "火星殖民", "guizhou", "qinghai").code == 2


def test_one_task_side_by_side(cz, conn):
    plans = plan_ids(conn)
    data = cz_json(cz, "tasks", "national/1.4")
    got = _carriers(conn, "national/1.4")
    by_plan: dict[str, list] = {}
    for r in data["records"]:
        by_plan.setdefault(r["plan"], []).append(r)
    assert list(by_plan) == plans
    for p in plans:
        rows = by_plan[p]
        if p in got:
            assert [r["id"] for r in rows] == got[p] and not any(r["empty"] for r in rows)
            assert all(r["text"] for r in rows)
        else:  # a plan carrying none: one empty record, so a spreadsheet sees the zero
            assert len(rows) == 1 and rows[0]["empty"] and rows[0]["id"] is None
    table = cz("tasks", "national/1.4", "-f", "table")
    assert table.code == 0
    for ids in got.values():
        for mid in ids:
            assert mid in table.out
    assert data["tasks"][0]["evidence"] in table.out


def test_show_national_task_and_group(cz, conn):
    one = cz_json(cz, "show", "national/1.4")["records"][0]
    assert one["kind"] == "national_task"
    cells = one["tasks"][0]["cells"]
    got = _carriers(conn, "national/1.4")
    assert {p: [c["id"] for c in v] for p, v in cells.items() if v} == got
    assert cz("show", "national/1.4").out == cz("tasks", "national/1.4", "-f", "table").out
    group = cz_json(cz, "show", "national/1")["records"][0]
    assert group["kind"] == "national_group" and group["rows"][0]["id"] == "national/1"
    assert cz("show", "national/99").code == 2


def test_tasks_on_a_knowledge_base_without_a_national_plan(tiny):
    from conftest import cz_json, plan_ids, run_cz

    res = run_cz(["tasks", "--format", "json"])
    assert res.code == 1 and json.loads(res.out)["records"] == []
    assert run_cz(["tasks", "随迁子女"]).code == 2


# ---------------------------------------------------------------- compare, task first

ACCEPTANCE = {
    # what `cz compare guizhou qinghai hunan hebei` must put in one row (the acceptance),
    # as read in the sources: 随迁子女, 户籍, 住房保障, 都市圈 transport, 城市生命线
    "随迁子女": ["guizhou/2.4", "qinghai/3.9", "hunan/2.1.3", "hebei/2.1.4"],
    "户籍": ["qinghai/3.6", "hebei/2.1.1"],
    "住房保障": ["guizhou/2.5", "qinghai/3.10", "hunan/2.1.4", "hebei/2.1.5"],
    "城际交通": ["qinghai/5.23", "hunan/2.3.10"],
    "生命线": ["qinghai/6.31", "hunan/2.4.15", "hebei/2.4.4"],
}


@pytest.fixture(scope="module")
def four(real_db):
    from chengzhen.query.compare import compare
    from chengzhen.store.db import open_readonly

    c = open_readonly(real_db)
    try:
        yield compare(c, ["guizhou", "qinghai", "hunan", "hebei"])
    finally:
        c.close()


@pytest.mark.parametrize("word", list(ACCEPTANCE))
def test_compare_puts_each_provinces_measures_in_their_tasks_row(four, conn, word):
    from chengzhen.query.tasks import resolve_tasks

    (task,) = resolve_tasks(conn, [word])
    rows = [r for r in four["rows"] if r["task"] and r["task"]["id"] == task]
    assert len(rows) == 1, task
    row = rows[0]
    cells = {p: [c["id"] for c in v] for p, v in row["cells"].items()}
    assert cells == _carriers(conn, task, ["guizhou", "qinghai", "hunan", "hebei"])
    placed = {m for v in cells.values() for m in v}
    assert set(ACCEPTANCE[word]) <= placed
    assert set(cells) == {"guizhou", "qinghai", "hunan", "hebei"}  # every province carries these tasks
    assert row["basis"] == "task" and row["score"] is None and row["empty"] == []


def test_compare_rows_follow_the_national_order_then_text(four, conn):
    from chengzhen.query.tasks import nodes

    order = {n["id"]: k for k, n in enumerate(nodes(conn))}
    bases = [r["basis"] for r in four["rows"]]
    assert bases == sorted(bases, key=lambda b: b != "task")  # task rows first
    ids = [r["task"]["id"] for r in four["rows"] if r["task"]]
    assert ids == sorted(ids, key=order.get)
    # text rows hold only measures no task covers; no measure is lost or doubled outside task rows
    for r in four["rows"]:
        if r["basis"] == "text":
            assert all(not c["tasks"] for v in r["cells"].values() for c in v)


def test_compare_empty_cells_are_visible(cz, conn):
    plans = ["guizhou", "liupanshui"]
    data = cz_json(cz, "compare", *plans)
    recs = data["records"]
    some_empty = False
    for n, row in enumerate(data["rows"], start=1):
        if row["basis"] != "task":
            continue
        got = _carriers(conn, row["task"]["id"], plans)
        assert row["empty"] == [p for p in plans if p not in got]
        for p in row["empty"]:
            some_empty = True
            rec = [r for r in recs if r["row"] == n and r["plan"] == p]
            assert len(rec) == 1 and rec[0]["empty"] and rec[0]["id"] is None
    assert some_empty  # liupanshui (a 十四五 city plan) carries fewer tasks than Guizhou
    table = cz("compare", *plans, "-f", "table")
    assert table.code == 0 and "国家任务" in table.out and "—" in table.out


def test_compare_task_option_and_topic(cz, conn):
    data = cz_json(cz, "compare", "--task", "随迁子女", "--task", "national/4.4", "guizhou", "qinghai", "hunan")
    assert [r["task"]["id"] for r in data["rows"]] == ["national/1.4", "national/4.4"]
    assert not any(data["unique"].values())
    group = cz_json(cz, "compare", "--task", "national/3", "qinghai", "hunan")
    assert {r["task"]["group"] for r in group["rows"]} == {"national/3"}
    topic = cz_json(cz, "compare", "--topic", "都市圈", "qinghai", "hunan")
    tasked = [r for r in topic["rows"] if r["basis"] == "task"]
    assert tasked and all(set(r["cells"]) == {"qinghai", "hunan"} for r in tasked
                          if r["task"]["group"] == "national/3")
    text = cz_json(cz, "compare", "--by", "text", "qinghai", "hunan")
    assert text["rows"] and all(r["basis"] == "text" for r in text["rows"])
    assert cz("compare", "--by", "magic", "qinghai", "hunan").code == 2


@pytest.mark.parametrize("by", ["task", "text"])
def test_review_sections_are_never_aligned(cz, conn, by):
    retro = _retrospective(conn)
    assert retro  # the catalogue has sections reviewing the past (liupanshui 规划背景)
    plans = sorted({r[0] for r in conn.execute(
        "SELECT DISTINCT m.plan_id FROM measures m JOIN sections s ON s.id = m.section_id WHERE s.retrospective")})
    others = [p for p in plan_ids(conn) if p not in plans][:1]
    data = cz_json(cz, "compare", "--by", by, *plans, *others)
    aligned = {c["id"] for r in data["rows"] for v in r["cells"].values() for c in v}
    unique = {c["id"] for v in data["unique"].values() for c in v}
    review = {c["id"] for v in data["review"].values() for c in v}
    assert not aligned & retro and not unique & retro
    assert review == {m for m in retro if m.split("/")[0] in plans + others}


def test_hukou_row_holds_forward_looking_measures_only(cz, conn):
    """The walk-through's defect: Guizhou's 户籍 measure was paired with a
    Liupanshui paragraph reviewing past achievements."""
    from chengzhen.query.tasks import resolve_tasks

    (task,) = resolve_tasks(conn, ["户籍"])
    data = cz_json(cz, "compare", "guizhou", "liupanshui")
    row = next(r for r in data["rows"] if r["task"] and r["task"]["id"] == task)
    ids = [c["id"] for v in row["cells"].values() for c in v]
    assert ids and not set(ids) & _retrospective(conn)
    assert ids == [m for v in _carriers(conn, task, ["guizhou", "liupanshui"]).values() for m in v]


def test_compare_md_and_csv_carry_task_rows(cz):
    md = cz("compare", "guizhou", "qinghai", "--format", "md")
    assert md.code == 0 and "[national/1.4]" in md.out
    rows = list(csv.DictReader(io.StringIO(cz("compare", "guizhou", "qinghai", "--format", "csv").out)))
    assert {"basis", "task", "task_title", "empty", "source_abridged"} <= set(rows[0])
    assert any(r["task"] == "national/1.4" and r["id"] == "qinghai/3.9" for r in rows)


# ---------------------------------------------------------------- the task in show, search, compare records

def test_show_search_and_compare_records_name_the_task(cz, conn):
    mapped: dict[str, str] = {}
    for mid, tid in conn.execute("SELECT measure_id, task_id FROM measure_tasks ORDER BY measure_id, position"):
        mapped[mid] = f"{mapped[mid]},{tid}" if mid in mapped else tid
    show = cz_json(cz, "show", "qinghai/3.9")["records"][0]
    assert [t["id"] for t in show["tasks"]] == mapped["qinghai/3.9"].split(",")
    hits = cz_json(cz, "search", "随迁子女")["records"]
    assert any(h["tasks"] for h in hits)
    for h in hits:
        if h["kind"] in ("measure", "target"):
            assert set(h["tasks"]) == set((mapped.get(h["id"]) or "").split(",")) - {""}, h["id"]
        else:
            assert h["tasks"] == []
    stdin = cz("search", "--stdin", stdin="随迁子女\n")
    assert any(h["tasks"] for h in json.loads(stdin.out.splitlines()[0])["records"])
    comp = cz_json(cz, "compare", "guizhou", "hebei")
    cells = [c for r in comp["rows"] for v in r["cells"].values() for c in v] + \
            [c for v in comp["unique"].values() for c in v]
    assert any(c["tasks"] for c in cells)
    for c in cells:
        assert c["tasks"] == ((mapped.get(c["id"]) or "").split(",") if c["id"] in mapped else [])
    for r in comp["records"]:
        if r["id"]:
            assert r["tasks"] == ((mapped.get(r["id"]) or "").split(",") if r["id"] in mapped else [])


# ---------------------------------------------------------------- matrix --by task

def test_matrix_by_task(cz, conn):
    data = cz_json(cz, "matrix", "--by", "task")
    plans = plan_ids(conn)
    rows = {r["task"]: r for r in data["records"]}
    for tid, in conn.execute("SELECT id FROM national_tasks"):
        got = _carriers(conn, tid)
        for p in plans:
            assert rows[tid][p] == len(got.get(p, [])), (tid, p)
    for gid, in conn.execute("SELECT id FROM national_groups"):
        for p in plans:
            members = {m for t in [gid] + [r[0] for r in conn.execute(
                "SELECT id FROM national_tasks WHERE group_id = ?", (gid,))] for m in _carriers(conn, t).get(p, [])}
            assert rows[gid][p] == len(members), (gid, p)
    top = cz_json(cz, "matrix", "--by", "task", "--level", "top")["records"]
    assert {r["type"] for r in top} == {"group"}
    assert cz("matrix", "--by", "task", "--format", "csv").out.startswith("task,type,group,number,title,")
    assert cz("matrix", "--by", "nope").code == 2
