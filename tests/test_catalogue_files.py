"""One plan, one file: the catalogue is the `plan:` mapping at the top of each
plan's file, read without its body; plans.yaml holds at most the listing
order; a plan's vocabulary lives in its own file and the files merge; the
old one-catalogue layout is refused with the way out, and migrated with its
comments kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from chengzhen.kb import loader as L
from chengzhen.kb.migrate import migrate
from chengzhen.kb.problems import DataProblems, Sink
from chengzhen.kb.yamlio import load_yaml
from conftest import DATA, run_cz


def _copy(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    return root


def _whole(root: Path, pid: str):
    """The entry as a parse of the whole file gives it."""
    label = L.label_for(root, f"plans/{pid}.yaml")
    sink = Sink()
    got = L._entry_of(L._Ctx(label, sink, pid), load_yaml(root / "plans" / f"{pid}.yaml", label), pid)
    assert not sink.problems
    return got


def test_the_head_is_the_whole_files_entry():
    """Reading the top of a plan file gives what parsing the whole file gives,
    line numbers included — for every plan of the catalogue."""
    for plan in L.load_catalogue(DATA):
        assert L.plan_head(DATA / "plans" / f"{plan.id}.yaml") is not None, plan.id
        whole = _whole(DATA, plan.id)
        assert plan == whole and plan.field_lines == whole.field_lines and plan.file_line == whole.file_line


@pytest.mark.parametrize("layout", ["body first", "flow mapping", "document marker", "no trailing newline"])
def test_other_layouts_give_the_same_entry(tmp_path, layout):
    root = _copy(tmp_path)
    pid = L.load_catalogue(DATA)[0].id
    path = root / "plans" / f"{pid}.yaml"
    text = path.read_text(encoding="utf-8")
    head = L.plan_head(path)
    body = text[len(head):]
    if layout == "body first":
        text = body + head
    elif layout == "flow mapping":
        import yaml

        entry = yaml.safe_load(head)["plan"]
        text = "plan: " + json.dumps(entry, ensure_ascii=False) + "\n" + body
    elif layout == "document marker":
        text = "---\n" + text
    else:
        text = text.rstrip("\n")
    path.write_text(text, encoding="utf-8")
    want = next(p for p in L.load_catalogue(DATA) if p.id == pid)
    got = next(p for p in L.load_catalogue(root) if p.id == pid)
    assert {k: v for k, v in vars(got).items() if k not in ("file", "file_line")} == \
        {k: v for k, v in vars(want).items() if k not in ("file", "file_line", "field_lines")} | {
            "field_lines": got.field_lines}
    assert run_cz(["validate", "--plan", pid], env={"CZ_DATA": str(root), "CZ_DB": str(tmp_path / "db")}).code == 0


def test_a_broken_body_is_reported_from_the_whole_file(tmp_path):
    """A YAML error below the entry is the file's problem, with its line."""
    root = _copy(tmp_path)
    pid = L.load_catalogue(DATA)[0].id
    path = root / "plans" / f"{pid}.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\nextra: [unclosed\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataProblems) as got:
        L.load_body(root, L.load_catalogue(root)[0], 10_000)
    assert got.value.problems[0].code == "E101"


def test_listing_order(tmp_path):
    """plans.yaml's order first, then the others by id; a name with no plan
    file passed over, a name twice refused."""
    root = _copy(tmp_path)
    ids = sorted(p.stem for p in (root / "plans").glob("*.yaml"))
    (root / "plans.yaml").write_text(f"order: [{ids[-1]}, gone, {ids[0]}]\n", encoding="utf-8")
    assert [p.id for p in L.load_catalogue(root)] == [ids[-1], ids[0], *ids[1:-1]]
    (root / "plans.yaml").unlink()  # optional
    assert [p.id for p in L.load_catalogue(root)] == ids
    (root / "plans.yaml").write_text(f"order: [{ids[0]}, {ids[0]}]\n", encoding="utf-8")
    with pytest.raises(DataProblems) as got:
        L.load_catalogue(root)
    assert [p.code for p in got.value.problems] == ["E120"]


def test_the_old_layout_is_refused_and_migrated(tmp_path):
    """A catalogue in plans.yaml with `plan: <id>` files (the layout before one
    plan, one file): E112 with the way out; kb/migrate.py moves each entry,
    comments and all, and the data validates as before."""
    root = _copy(tmp_path)
    entries, order = [], L.order_of(root)
    for pid in order:
        path = root / "plans" / f"{pid}.yaml"
        text = path.read_text(encoding="utf-8")
        head = L.plan_head(path)
        lines = head.split("\n")
        start = lines.index("plan:")
        comments, entry = lines[:start], lines[start + 1:]
        entries.append("\n".join(["  - " + entry[0].strip()] + ["  " + ln if ln.strip() else ln for ln in entry[1:]]))
        path.write_text("\n".join(comments) + "\n" + f"plan: {pid}\n" + text[len(head):], encoding="utf-8")
    entries[0] = entries[0].replace("\n", "\n    # a curator's comment\n", 1)
    (root / "plans.yaml").write_text("# the catalogue\nplans:\n" + "\n".join(entries), encoding="utf-8")
    sink = Sink()
    L.load_kb(root, sink)
    codes = {(Path(p.file).name, p.code) for p in sink.problems}
    old_layout = next(p for p in sink.problems if p.code == "E112" and Path(p.file).name == "plans.yaml")
    assert "python -m chengzhen.kb.migrate" in old_layout.hint and len(codes) > 1  # (and each file's plan: <id>)
    migrate(root)
    assert L.order_of(root) == order
    assert "  # a curator's comment\n" in (root / "plans" / f"{order[0]}.yaml").read_text(encoding="utf-8")
    env = {"CZ_DATA": str(root), "CZ_DB": str(tmp_path / "db")}
    assert run_cz(["validate", "--plan", order[0]], env=env).code == 0
    from dataclasses import replace

    assert [replace(p, file="", file_line=0) for p in L.load_catalogue(root)] == \
        [replace(p, file="", file_line=0) for p in L.load_catalogue(DATA)]


# --------------------------------------------------------------------------- a plan's vocabulary

def _vocab(root: Path, pid: str, text: str) -> None:
    (root / "vocabulary").mkdir(exist_ok=True)
    (root / "vocabulary" / f"{pid}.yaml").write_text(text, encoding="utf-8")


def test_vocabulary_files_merge(tmp_path):
    """A name two files define is one entry (its aliases the union) when they
    agree; another level is E120; an alias of two names E160."""
    root = _copy(tmp_path)
    _vocab(root, "a", "departments:\n  - {name: 甲市人民政府, aliases: [甲市政府], level: city}\n")
    _vocab(root, "b", "departments:\n  - {name: 甲市人民政府, aliases: [甲市], level: city}\n"
                      "indicators:\n  - {name: 城市生命线监测覆盖率, unit: '%', aliases: []}\n")
    vocab = L.load_vocabularies(root)
    got = next(d for d in vocab.departments if d.name == "甲市人民政府")
    assert got.aliases == ("甲市政府", "甲市") and got.level == "city"
    assert vocab.dept_by_name["甲市"] == "甲市人民政府" and "城市生命线监测覆盖率" in vocab.indicator_by_name
    _vocab(root, "c", "departments:\n  - {name: 甲市人民政府, aliases: [], level: county}\n")
    with pytest.raises(DataProblems) as got:
        L.load_vocabularies(root)
    assert [p.code for p in got.value.problems] == ["E120"] and "vocabulary/c.yaml" in str(got.value.problems[0].file)
    _vocab(root, "c", "departments:\n  - {name: 乙市人民政府, aliases: [甲市政府], level: city}\n")
    with pytest.raises(DataProblems) as got:
        L.load_vocabularies(root)
    assert [p.code for p in got.value.problems] == ["E160"]


def test_a_proposal_fails_validate_until_accepted(tiny):
    """`cz validate` exits non-zero while a vocabulary entry is marked
    review: (E304, at its line), and 0 once the flag is deleted; the build
    takes the proposal in meanwhile."""
    _vocab(tiny, "tiny", "departments:\n  - {name: 甲市人民政府, aliases: [], level: city, review: proposed by cz ingest}\n")
    res = run_cz(["validate", "--format", "json"])
    assert res.code == 1
    probs = json.loads(res.out)["problems"]
    assert [(p["code"], p["id"], p["file_line"], p["severity"]) for p in probs] == [("E304", "甲市人民政府", 2, "coverage")]
    assert run_cz(["build", "-q"]).code == 0
    _vocab(tiny, "tiny", "departments:\n  - {name: 甲市人民政府, aliases: [], level: city}\n")
    assert run_cz(["validate"]).code == 0
