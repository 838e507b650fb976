"""What a draft reads of the data directory is read once per process
(ingest/known.py) — and never served stale: every test changes a file a
draft reads (a vocabulary, the places, a plan landing with `--finish`) and
drafts again in the same process.  Each runs on a private copy of the data
(the suite's own memo of DATA in conftest.py does not apply to it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import DATA, declare_places

from chengzhen.ingest import decode as DEC
from chengzhen.ingest import draft as D
from chengzhen.ingest import known as KN
from chengzhen.ingest import places as P

# a made-up province's plan whose 责任单位 names a department no vocabulary knows
NEW_DEPT = "省城乡统筹办"
TEXT = ("甲乙省推进新型城镇化实施方案(2024—2028年)\n\n一、总体要求\n到2028年,全省常住人口城镇化率达到64%左右。\n"
        f"二、重点任务\n(一)推进老旧小区改造。加快改造进度。(责任单位:{NEW_DEPT}、省住房城乡建设厅)\n\n"
        "甲乙省人民政府\n2024年5月1日\n")


@pytest.fixture
def copy(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    KN.forget()
    return root


def draft(data: Path, text: str = TEXT, plan_id: str | None = "reads"):
    return D.draft_from_text(DEC.decode(text.encode("utf-8"), "test.txt"), data, plan_id, "test.txt")


def counting(monkeypatch, data: Path) -> dict[str, int]:
    """Count the loaders' reads of ``data`` (not of a draft's temporary copy)."""
    from chengzhen.kb import loader as L
    from chengzhen.kb import places as KP

    counts = {"kb": 0, "places": 0}
    real_kb, real_places = L.load_kb, KP.load_places

    def load_kb(root, sink=None):
        counts["kb"] += Path(root) == data
        return real_kb(root, sink)

    def load_places(root, sink=None):
        counts["places"] += Path(root) == data
        return real_places(root, sink)

    monkeypatch.setattr(L, "load_kb", load_kb)
    monkeypatch.setattr(KP, "load_places", load_places)
    monkeypatch.setattr(P, "load_places", load_places, raising=False)  # (where ingest imported it by name)
    return counts


def test_two_drafts_read_the_data_once(copy, monkeypatch):
    counts = counting(monkeypatch, copy)
    first, second = draft(copy), draft(copy)
    assert counts == {"kb": 1, "places": 1}, counts
    assert D.plan_yaml(first, "t") == D.plan_yaml(second, "t")  # the same draft from what was kept


def test_an_edited_vocabulary_is_read_again(copy, monkeypatch):
    counts = counting(monkeypatch, copy)
    assert [d["name"] for d in draft(copy).new_departments] == [NEW_DEPT]
    path = copy / "departments.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"  - {{name: {NEW_DEPT}, aliases: [], level: province}}\n", encoding="utf-8")
    assert draft(copy).new_departments == []  # known now: not proposed
    assert counts["kb"] == 2
    # the same size, in the same instant, its time put back: the content tells (a hash of a file changed so lately)
    edited = path.read_text(encoding="utf-8")
    st = path.stat()
    path.write_text(edited.replace(f"name: {NEW_DEPT},", "name: 省城乡统筹局,"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert [d["name"] for d in draft(copy).new_departments] == [NEW_DEPT]
    assert draft(copy).new_departments and counts["kb"] == 3  # and kept again


def test_an_edited_place_book_is_read_again(copy, monkeypatch):
    counts = counting(monkeypatch, copy)
    assert not P.load_book(copy).resolve("甲乙省")
    assert "supplied" in draft(copy).places.proposed  # the region proposed as a place no vocabulary knows
    declare_places(copy, regions=("甲乙省",))
    assert P.load_book(copy).resolve("甲乙省")
    assert "supplied" not in draft(copy).places.proposed
    assert counts["places"] == 2


def test_each_caller_gets_its_own_copy(copy):
    kb = KN.load_kb(copy)
    kb.vocab.dept_by_name["不存在的名称"] = "省公安厅"
    kb.plans[0].field_lines["name"] = -1
    if kb.vocab.national is not None and kb.vocab.national.tasks:
        kb.vocab.national.tasks[0].field_lines["id"] = -1
    again = KN.load_kb(copy)
    assert "不存在的名称" not in again.vocab.dept_by_name
    assert again.plans[0].field_lines.get("name") != -1
    if again.vocab.national is not None and again.vocab.national.tasks:
        assert again.vocab.national.tasks[0].field_lines.get("id") != -1
    book = P.load_book(copy)
    book.places.clear()
    book.names["甲乙省"] = ("990000",)
    d = draft(copy)  # a draft adds its proposals to the book it is given
    assert P.load_book(copy).places and not P.load_book(copy).resolve("甲乙省")
    assert d.places.book.places and d.places.proposed
    # the review flags' checks only look names up: a read-only view, one while the files are unchanged
    seen, _problems = KN.load_places(copy, view=True)
    with pytest.raises(TypeError):
        seen.places["990000"] = None
    assert KN.load_places(copy, view=True)[0] is seen and seen.places


def test_a_finished_draft_is_in_the_next_read(copy, monkeypatch, tmp_path):
    from conftest import run_cz

    monkeypatch.setenv("CZ_DATA", str(copy))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "cz.db"))
    declare_places(copy, regions=("甲乙省",))
    text = TEXT.replace("(2024—2028年)", "")  # no period: kept pending
    src = tmp_path / "in.txt"
    src.write_text(text, encoding="utf-8")
    assert run_cz(["ingest", str(src)]).code == 1
    assert "jiayi" not in {p.id for p in KN.load_kb(copy).plans}
    r = run_cz(["ingest", "--finish", "jiayi", "--period", "2024-2028"])
    assert r.code == 0, r.err
    assert "jiayi" in {p.id for p in KN.load_kb(copy).plans}
    # and the next text of the region is told apart from the plan now there
    assert draft(copy, TEXT, None).plan_id == "jiayi_2024"
