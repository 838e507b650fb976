"""A draft validation would refuse is never lost: it is kept pending in
data/drafts/ (which the loader and the build do not read), listed by
`cz validate` (E305) and `cz review ID` (what blocks it first), and finished
by `cz ingest --finish ID [--period START-END]`, all or nothing
(ingest/pending.py; docs/ingest.md, "Drafting a plan").  Each test is a
curator's step on the command line, in a private copy of the data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DATA, run_cz

# the codes of cz validate these tests check at their file (tests/test_broken_data.py: every code has a fixture)
FAULT_CODES = {"E305"}

# a plan that states no period and names no place (its 落款 a date alone: a signing body would give the region)
NO_PERIOD = ("关于推进新型城镇化的实施意见\n\n一、总体要求\n到2027年，常住人口城镇化率达到60%。\n二、重点任务\n"
             "（一）推进老旧小区改造。\n加快改造进度。\n\n2024年5月1日\n")
# one that validates as it stands (the period in its title, its region declared below)
GOOD = ("甲乙省推进新型城镇化实施方案(2024—2028年)\n\n一、总体要求\n到2028年,全省常住人口城镇化率达到64%左右。\n"
        "二、重点任务\n(一)推进老旧小区改造。加快改造进度。\n\n甲乙省人民政府\n2024年5月1日\n")


@pytest.fixture
def data(province_data) -> Path:
    return province_data


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "build" not in p.parts}


def source(tmp_path: Path, text: str = NO_PERIOD, name: str = "p.txt") -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def ingest_pending(data: Path, tmp_path: Path) -> str:
    """`cz ingest` of the no-period text: its id."""
    r = run_cz(["ingest", str(source(tmp_path)), "--format", "json"])
    assert r.code == 1, (r.code, r.err)
    return json.loads(r.out)["plan"]


def fix_region(data: Path, pid: str) -> None:
    """What the curator types into drafts/ID.yaml: the region the text does not name."""
    path = data / "drafts" / f"{pid}.yaml"
    text = path.read_text(encoding="utf-8")
    for key, value in (("short_name", "甲乙省"), ("region", "甲乙省"), ("level", "province")):
        text = re.sub(rf"(?m)^  {key}: null$", f"  {key}: {value}", text, count=1)
    path.write_text(text, encoding="utf-8")


def test_a_draft_that_states_no_period_lands_pending_not_lost(data, tmp_path):
    before = tree(data)
    src = source(tmp_path)
    r = run_cz(["ingest", str(src), "--format", "json"])
    assert r.code == 1, (r.code, r.err)
    doc = json.loads(r.out)
    pid = doc["plan"]
    assert doc["pending"] is True and doc["blocked"] is True
    assert sorted(Path(p).name for p in doc["written"]) == [f"{pid}.txt", f"{pid}.yaml"]
    assert all(Path(p).parent == (data / "drafts").resolve() for p in doc["written"])
    assert any("E111" in str(x["reason"]) and "period" in str(x["reason"]) for x in doc["records"])
    after = tree(data)
    # the curator's reading and the draft are kept, in drafts/ only: no other file changed
    assert {k for k in after if k not in before or after[k] != before[k]} == {f"drafts/{pid}.yaml", f"drafts/{pid}.txt"}
    assert after[f"drafts/{pid}.txt"] == src.read_bytes()
    assert not (data / "plans" / f"{pid}.yaml").exists()
    # the text's summary says where it is and how to finish it
    r = run_cz(["ingest", str(source(tmp_path, name="q.txt")), "--id", "other"])
    assert r.code == 1 and "drafts/other.yaml" in r.out and "cz ingest --finish other" in r.out, r.out


def test_no_region_read_is_left_empty_and_blocks(data, tmp_path):
    """The plan id is no region: region, short_name and level stay empty, each a blocking item."""
    r = run_cz(["ingest", str(source(tmp_path)), "--dry-run", "--format", "json"])
    assert r.code == 1, r.err
    doc = json.loads(r.out)
    cat = doc["draft"]["catalogue"]
    assert cat["region"] is None and cat["level"] is None and cat["short_name"] is None, cat
    blocking = " ".join(str(x["reason"]) for x in doc["records"] if str(x["reason"]).startswith("blocking"))
    assert all(f"'{k}'" in blocking for k in ("region", "level", "period")), blocking


def test_dry_run_writes_nothing_and_says_it_would_be_pending(data, tmp_path):
    before = tree(data)
    r = run_cz(["ingest", str(source(tmp_path)), "--dry-run"])
    assert r.code == 1 and "# ---- data/plans/" in r.out and "pending" in r.err, r.err
    assert tree(data) == before


def test_validate_and_build_with_a_pending_draft(data, tmp_path):
    """validate lists the draft (E305) with what blocks it, and nothing else
    changes: every plan validates and builds as before."""
    plain = run_cz(["validate", "--format", "json"])
    pid = ingest_pending(data, tmp_path)
    v = run_cz(["validate", "--format", "json"])
    assert v.code == 1, v.err
    doc = json.loads(v.out)
    old = json.loads(plain.out)
    mine = [p for p in doc["problems"] if p not in old["problems"]]  # a curator's own pending drafts stay listed
    assert [(p["code"], p["id"]) for p in mine] == [("E305", pid)] and mine[0]["file"].endswith(f"drafts/{pid}.yaml")
    assert any("period" in d for d in mine[0]["detail"]) and any("region" in d for d in mine[0]["detail"])
    assert [p for p in doc["problems"] if p != mine[0]] == old["problems"]
    assert doc["records"] == old["records"]  # the other plans: as before
    only = run_cz(["validate", "--plan", pid, "--format", "json"])
    assert [(p["code"], p["id"]) for p in json.loads(only.out)["problems"]] == [("E305", pid)]
    assert run_cz(["build", "-q"]).code == 0
    assert run_cz(["show", pid]).code == 2  # pending: not a plan of the database
    listed = run_cz(["plans", "--format", "json"])
    assert listed.code == 0 and pid not in {x["id"] for x in json.loads(listed.out)["records"]}


def test_review_lists_what_blocks_a_pending_draft_first(data, tmp_path):
    pid = ingest_pending(data, tmp_path)
    r = run_cz(["review", pid, "--format", "json"])
    assert r.code == 1, r.err
    doc = json.loads(r.out)
    kinds = [x["kind"] for x in doc["records"]]
    assert kinds[0] == "blocking" and "blocking" not in kinds[kinds.index("flag"):], kinds
    blocking = [str(x["text"]) for x in doc["records"] if x["kind"] == "blocking"]
    assert any("'period'" in b for b in blocking) and any("'region'" in b for b in blocking), blocking
    assert doc["pending"].endswith(f"drafts/{pid}.yaml")
    # its flags and catalogue fields too, an empty field said as empty (no stand-in shown)
    cat = {x["item"]: x for x in doc["records"] if x["kind"] == "catalogue"}
    assert cat["period"]["text"] == "—" and cat["region"]["text"] == "—"
    assert cat["issue_date"]["line"] == 9  # the 落款 date, the text's last line
    assert any(x["kind"] == "flag" for x in doc["records"])
    tty = run_cz(["review", pid, "--format", "table"])
    assert f"drafts/{pid}.yaml" in tty.out and f"cz ingest --finish {pid}" in tty.out


def test_the_curator_fixes_and_finishes_a_pending_draft(data, tmp_path):
    pid = ingest_pending(data, tmp_path)
    fix_region(data, pid)
    r = run_cz(["ingest", "--finish", pid, "--period", "2024-2027", "--format", "json"])
    assert r.code == 0, (r.out, r.err)
    doc = json.loads(r.out)
    assert doc["pending"] is False and not doc["records"]
    assert sorted(Path(p).relative_to(data.resolve()).as_posix() for p in doc["written"]) == \
        [f"plans/{pid}.yaml", f"sources/{pid}.txt"]
    assert not list((data / "drafts").glob(f"{pid}*"))
    text = (data / "plans" / f"{pid}.yaml").read_text(encoding="utf-8")
    assert "PENDING" not in text and "no period found" not in text
    assert (data / "sources" / f"{pid}.txt").read_text(encoding="utf-8") == NO_PERIOD
    v = run_cz(["validate", "--plan", pid, "--format", "json"])
    probs = json.loads(v.out)["problems"]
    assert {p["code"] for p in probs} <= {"E304"}, probs  # only its review flags are left
    assert run_cz(["review", pid, "--accept", "all"]).code == 0
    assert run_cz(["validate", "--plan", pid]).code == 0
    got = run_cz(["show", pid, "--format", "json"])
    assert got.code == 0 and "60%" in got.out


def test_a_finish_that_is_still_blocked_changes_nothing(data, tmp_path):
    pid = ingest_pending(data, tmp_path)
    before = tree(data)
    for args in ([], ["--period", "2024-2027"], ["--period", "2024-2027", "--dry-run"]):
        r = run_cz(["ingest", "--finish", pid, *args])
        assert r.code == 1 and "region" in r.out, (args, r.out, r.err)
        assert tree(data) == before
    fix_region(data, pid)
    before = tree(data)
    r = run_cz(["ingest", "--finish", pid, "--dry-run", "--period", "2024-2027"])
    assert r.code == 0 and tree(data) == before, r.out
    assert run_cz(["ingest", "--finish", "nosuch"]).code == 2
    assert run_cz(["ingest", str(source(tmp_path)), "--finish", pid]).code == 2  # one or the other


@pytest.mark.parametrize("fail", ["write", "rename", "remove"])
def test_a_failed_finish_leaves_both_places_byte_identical(data, tmp_path, monkeypatch, fail):
    """Whichever step of the move fails (writing a new file, renaming it into
    place, removing the pending file), every step of it: nothing is half
    written — drafts/ and plans/ are as they were, and the error is one line."""
    import builtins
    import os

    from chengzhen.ingest import draft as D

    pid = ingest_pending(data, tmp_path)
    fix_region(data, pid)
    before = tree(data)
    steps = {"write": 2, "rename": 2, "remove": 2}[fail]  # the draft's source and plan file
    for k in range(steps):
        calls = {"n": 0}

        def failing(real):
            def go(*a, **kw):
                if fail == "write" and not str(a[0]).split("/")[-1].startswith("."):
                    return real(*a, **kw)  # only the files written beside their targets
                calls["n"] += 1
                if calls["n"] == k + 1:
                    raise OSError(28, "No space left on device")
                return real(*a, **kw)
            return go

        with monkeypatch.context() as m:
            if fail == "write":
                m.setattr(builtins, "open", failing(builtins.open))
            elif fail == "rename":
                m.setattr(D, "_replace", failing(D._replace))
            else:
                m.setattr(D, "_remove", failing(D._remove))
            r = run_cz(["ingest", "--finish", pid, "--period", "2024-2027"])
        assert r.code == 2 and "nothing was written" in r.err and len(r.err.strip().splitlines()) == 1, r.err
        assert tree(data) == before, (fail, k)
        assert not [n for n in os.listdir(data / "plans") if n.startswith(".")]


def test_an_existing_id_and_force(data, tmp_path):
    pid = ingest_pending(data, tmp_path)
    src = source(tmp_path)
    r = run_cz(["ingest", str(src)])
    assert r.code == 2 and "pending draft" in r.err and "--finish" in r.err, r.err
    # --force replaces the pending draft (pending again: the text still states no period)
    assert run_cz(["ingest", str(src), "--force"]).code == 1
    # a pending replacement of a written plan: the plan stays until the finish, which needs --force
    good = source(tmp_path, GOOD, "good.txt")
    r = run_cz(["ingest", str(good), "--id", pid, "--force", "--format", "json"])
    assert r.code == 0, r.err
    assert not list((data / "drafts").glob(f"{pid}*"))  # the written plan replaced the pending draft
    plan = (data / "plans" / f"{pid}.yaml").read_bytes()
    assert run_cz(["ingest", str(src), "--id", pid, "--force"]).code == 1
    assert (data / "plans" / f"{pid}.yaml").read_bytes() == plan and (data / "drafts" / f"{pid}.yaml").exists()
    fix_region(data, pid)
    r = run_cz(["ingest", "--finish", pid, "--period", "2024-2027"])
    assert r.code == 2 and "--force" in r.err, r.err
    r = run_cz(["ingest", "--finish", pid, "--period", "2024-2027", "--force", "--format", "json"])
    assert r.code == 0 and json.loads(r.out)["replaced"] is True, r.err
    assert (data / "plans" / f"{pid}.yaml").read_bytes() != plan


def test_a_batch_says_pending(data, tmp_path):
    source(tmp_path, NO_PERIOD, "a.txt")
    source(tmp_path, GOOD, "b.txt")
    r = run_cz(["ingest", str(tmp_path / "in"), "--format", "json"])
    assert r.code == 1, r.err
    rows = {x["file"]: x for x in json.loads(r.out)["records"]}
    assert rows["a.txt"]["status"] == "pending" and not rows["a.txt"]["written"]
    assert rows["a.txt"]["path"].endswith(f"drafts/{rows['a.txt']['plan']}.yaml")
    assert rows["b.txt"]["status"] == "written" and rows["b.txt"]["path"].endswith(f"plans/{rows['b.txt']['plan']}.yaml")
    assert (data / "drafts" / f"{rows['a.txt']['plan']}.yaml").exists()
    dry = run_cz(["ingest", str(tmp_path / "in"), "--dry-run", "--format", "json", "--force"])
    assert {x["file"]: x["status"] for x in json.loads(dry.out)["records"]} == {"a.txt": "blocked", "b.txt": "drafted"}
    table = run_cz(["ingest", str(tmp_path / "in"), "--force", "--format", "yaml"])
    assert "pending" in table.out, table.out


def test_the_id_follows_the_region_as_read():
    """Every autonomous prefecture or county written as its short name and
    its kind's last word (西双版纳州): the id is the pinyin of the place's
    short name (xishuangbanna), not of the words as written (…zhou)."""
    from chengzhen.ingest import draft as D
    from chengzhen.ingest import front as F
    from chengzhen.ingest import places as P

    book = P.load_book(DATA)
    cases = [(p, p.short + p.kind[-1]) for p in book.places.values() if p.kind in ("自治州", "自治县")
             and not book.resolve(p.short + p.kind[-1]) and len(book.resolve(p.short)) == 1]
    assert cases
    for place, written in cases:
        name = f"{written}新型城镇化规划"
        fr = F.Front(name=name, region=written, short_name=written)
        entry = {"region": written, "name": name, "issuer": f"{written}人民政府", "supplied": {}, "level": "city"}
        got = D._plan_id(fr, P.region_place(entry, [name], book))
        assert got == (D.slug(place.short), None), (written, got)


def test_a_prefecture_plan_is_drafted_with_the_id_of_its_place(data, tmp_path):
    text = GOOD.replace("甲乙省", "西双版纳州").replace("全省", "全州")
    r = run_cz(["ingest", str(source(tmp_path, text)), "--dry-run", "--format", "json"])
    doc = json.loads(r.out)
    assert doc["plan"] == "xishuangbanna", doc["plan"]
    assert doc["draft"]["catalogue"]["region"] == "西双版纳傣族自治州"


def test_flags_of_a_pending_draft_are_accepted_in_its_file(data, tmp_path):
    """`cz review ID --accept` works on the pending draft's own file, and only
    there (no stand-in written back, no other file touched)."""
    pid = ingest_pending(data, tmp_path)
    before = tree(data)
    r = run_cz(["review", pid, "--accept", "all", "--format", "json"])
    assert r.code == 1, r.err  # still pending
    assert json.loads(r.out)["accepted"]
    after = tree(data)
    assert {k for k in after if after[k] != before.get(k)} == {f"drafts/{pid}.yaml"}
    text = after[f"drafts/{pid}.yaml"].decode()
    assert "\n  review:" not in text and "  period: null\n" in text and "  region: null\n" in text
    assert not any(x["kind"] == "flag" for x in json.loads(run_cz(["review", pid, "-f", "json"]).out)["records"])


def test_a_pending_draft_broken_by_hand_is_said_not_lost(data, tmp_path):
    others = {p["id"] for p in json.loads(run_cz(["validate", "--format", "json"]).out)["problems"] if p["code"] == "E305"}
    pid = ingest_pending(data, tmp_path)
    path = data / "drafts" / f"{pid}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("plan:\n", "plan: [\n", 1), encoding="utf-8")
    before = tree(data)
    for args in (["review", pid], ["ingest", "--finish", pid]):
        r = run_cz([*args, "--format", "json"])
        assert r.code == 1 and "E101" in r.out and "Traceback" not in r.err, (args, r.out, r.err)
    r = run_cz(["ingest", "--finish", pid, "--period", "2024-2027"])  # where to write it: one line, exit 2
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and f"drafts/{pid}.yaml" in r.err, r.err
    v = run_cz(["validate", "--format", "json"])
    assert [p["id"] for p in json.loads(v.out)["problems"] if p["code"] == "E305" and p["id"] not in others] == [pid]
    assert tree(data) == before
