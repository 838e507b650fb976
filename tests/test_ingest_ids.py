"""Two texts of one region never take one id (ingest/ids.py): a draft whose
region's id is taken — by a plan, a source or a pending draft, or by an
earlier file of the same batch — gets an id of its own (the region and its
period's start year, then _2 …) and says so; the plan or pending draft
that held the id is never touched.  The same text again keeps its id (and is
refused as before unless --force).  Each test is a curator's step on the
command line, in a private copy of the data (docs/ingest.md, "A new plan's id")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cz


# two plans of one made-up province (its region declared below), of two periods
FIRST = ("甲乙省推进新型城镇化实施方案(2024—2028年)\n\n一、总体要求\n到2028年,全省常住人口城镇化率达到64%左右。\n"
         "二、重点任务\n(一)推进老旧小区改造。加快改造进度。\n\n甲乙省人民政府\n2024年5月1日\n")
SECOND = ("甲乙省深入实施以人为本的新型城镇化战略行动方案(2025—2029年)\n\n一、总体要求\n"
          "到2029年,全省常住人口城镇化率达到66%左右。\n二、重点任务\n(一)推进城中村改造。加快改造进度。\n\n"
          "甲乙省人民政府\n2025年3月1日\n")
# one that states no period: kept pending
NO_PERIOD = FIRST.replace("(2024—2028年)", "").replace("到2028年", "到2027年")


@pytest.fixture
def data(province_data) -> Path:
    return province_data


def source(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def files(root: Path, plan_id: str) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob(f"{plan_id}*"))
            if p.is_file() and p.name.split(".")[0] == plan_id}


def test_a_second_plan_of_a_region_gets_an_id_of_its_own(data, tmp_path):
    first = source(tmp_path, FIRST, "a.txt")
    r = run_cz(["ingest", str(first), "--format", "json"])
    assert r.code == 0 and json.loads(r.out)["plan"] == "jiayi", r.err
    held = files(data, "jiayi")
    assert "plans/jiayi.yaml" in held
    second = source(tmp_path, SECOND, "b.txt")
    dry = json.loads(run_cz(["ingest", str(second), "--dry-run", "--format", "json"]).out)
    assert dry["plan"] == "jiayi_2025" and any("jiayi_2025" in n and "jiayi" in n for n in dry["notes"]), dry["notes"]
    r = run_cz(["ingest", str(second)])  # the summary says it
    assert r.code == 0, r.err
    assert "jiayi_2025" in r.out and "plans/jiayi.yaml" in r.out, r.out
    assert files(data, "jiayi") == held  # the first plan untouched
    assert (data / "plans" / "jiayi_2025.yaml").exists() and (data / "sources" / "jiayi_2025.txt").exists()
    # the plan file says why, for the curator who opens it
    assert "jiayi_2025" in (data / "plans" / "jiayi_2025.yaml").read_text(encoding="utf-8").split("plan:")[0]
    # a third text of the same region and year: a suffix
    third = source(tmp_path, SECOND.replace("城中村", "老旧街区"), "c.txt")
    assert json.loads(run_cz(["ingest", str(third), "--dry-run", "--format", "json"]).out)["plan"] == "jiayi_2025_2"
    # in Chinese too
    zh = run_cz(["ingest", str(third), "--dry-run", "--format", "json"], env={"CZ_LANG": "zh"})
    assert any("jiayi_2025_2" in n for n in json.loads(zh.out)["notes"])
    # the same text again keeps its id: refused as before, replaced only with --force
    r = run_cz(["ingest", str(first)])
    assert r.code == 2 and "already exists" in r.err, r.err
    assert files(data, "jiayi") == held


def test_a_pending_draft_keeps_its_id(data, tmp_path):
    r = run_cz(["ingest", str(source(tmp_path, NO_PERIOD, "p.txt")), "--format", "json"])
    assert r.code == 1 and json.loads(r.out)["plan"] == "jiayi" and json.loads(r.out)["pending"], r.err
    waiting = files(data, "jiayi")
    assert "drafts/jiayi.yaml" in waiting
    r = run_cz(["ingest", str(source(tmp_path, FIRST, "a.txt")), "--format", "json"])
    doc = json.loads(r.out)
    assert r.code == 0 and doc["plan"] == "jiayi_2024" and doc["written"], r.err
    assert files(data, "jiayi") == waiting  # the pending draft untouched
    # and it is finished under its own id
    r = run_cz(["ingest", "--finish", "jiayi", "--period", "2023-2027", "--format", "json"])
    assert r.code == 0, r.err
    assert (data / "plans" / "jiayi.yaml").exists() and (data / "plans" / "jiayi_2024.yaml").exists()


def test_a_batch_of_two_texts_of_one_region(data, tmp_path):
    source(tmp_path, FIRST, "a.txt")
    source(tmp_path, SECOND, "b.txt")
    folder = str(tmp_path / "in")
    dry = run_cz(["ingest", folder, "--dry-run", "--format", "json"])
    rows = json.loads(dry.out)["records"]
    assert [(x["plan"], x["status"]) for x in rows] == [("jiayi", "drafted"), ("jiayi_2025", "drafted")], rows
    assert dry.code == 0 and "jiayi_2025" in rows[1]["message"] and "a.txt" in rows[1]["message"]
    r = run_cz(["ingest", folder, "--format", "json"])
    rows = json.loads(r.out)["records"]
    assert r.code == 0 and [(x["plan"], x["status"]) for x in rows] == [("jiayi", "written"), ("jiayi_2025", "written")]
    assert (data / "plans" / "jiayi.yaml").exists() and (data / "plans" / "jiayi_2025.yaml").exists()
    held = {**files(data, "jiayi"), **files(data, "jiayi_2025")}
    # the batch again: the same texts keep their ids, so nothing new is made and nothing is replaced without --force
    again = json.loads(run_cz(["ingest", folder, "--format", "json"]).out)["records"]
    assert [(x["plan"], x["status"]) for x in again] == [("jiayi", "error"), ("jiayi_2025", "error")], again
    assert {**files(data, "jiayi"), **files(data, "jiayi_2025")} == held
    assert not (data / "plans" / "jiayi_2025_2.yaml").exists()
