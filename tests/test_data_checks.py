"""Checks `cz validate` makes so that a plan that validates keeps the suite
green: what a test would otherwise assume about the data is a check here,
tested on the tiny plan (tests/data/tiny)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import run_cz

Y = "plans/tiny.yaml"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    s = p.read_text(encoding="utf-8")
    assert old in s, (rel, old)
    p.write_text(s.replace(old, new, 1), encoding="utf-8")


def _prepend(root: Path, lines: list[str], skips: list[str]) -> None:
    """Lines before the title, skipped by ``skips`` (YAML flow mappings)."""
    k = len(lines)
    src = root / "sources" / "tiny.txt"
    src.write_text("".join(x + "\n" for x in lines) + src.read_text(encoding="utf-8"), encoding="utf-8")
    body = root / Y
    text = re.sub(r"(?m)^(\s+line: )(\d+)$", lambda m: m.group(1) + str(int(m.group(2)) + k),
                  body.read_text(encoding="utf-8"))
    text = text.replace("title_lines: [1]", f"title_lines: [{1 + k}]").replace("lines: 7-8", f"lines: {7 + k}-{8 + k}")
    text = text.replace("  skip:\n", "  skip:\n" + "".join(f"    - {s}\n" for s in skips))
    body.write_text(text, encoding="utf-8")


def _problems() -> tuple[int, list[dict]]:
    res = run_cz(["validate", "--format", "json"])
    return res.code, json.loads(res.out)["problems"]


HEADER = ["小城省人民政府", "关于印发小城新型城镇化", "实施方案(2024—2028年)的通知", "小政发〔2024〕3号"]


def test_a_skip_kind_is_judged_the_same_in_one_range_or_in_two(tiny):
    """A 版头 whose notice title runs over lines 2-3: skipped as one range
    1-4, or as two 1-2 and 3-4, the lines are the same lines."""
    _prepend(tiny, HEADER, ["{lines: 1-4, kind: header, reason: 文件版头}"])
    _edit(tiny, Y, "doc_number: null", "doc_number: 小政发〔2024〕3号")
    assert _problems() == (0, [])


def test_split_ranges(tiny):
    _prepend(tiny, HEADER, ["{lines: 1-2, kind: header, reason: 文件版头}", "{lines: 3-4, kind: header, reason: 文号}"])
    _edit(tiny, Y, "doc_number: null", "doc_number: 小政发〔2024〕3号")
    assert _problems() == (0, [])


def test_a_split_range_still_refuses_what_is_not_a_header(tiny):
    _prepend(tiny, ["小城省人民政府", "为推进新型城镇化,制定本方案。"],
             ["{lines: 1, kind: header, reason: 发文机关}", "{lines: 2, kind: header, reason: 版头}"])
    code, probs = _problems()
    assert code == 1 and [(p["code"], p["line"]) for p in probs if p["code"] == "E250"] == [("E250", 2)]


def test_a_public_mark_with_an_abridged_note_is_a_signature_line(tiny):
    """(此件公开发布,本文有删减) under the 落款: skipped as signature, and the
    plan is abridged because the source says so."""
    _edit(tiny, "sources/tiny.txt", "2024年6月1日\n", "2024年6月1日\n(此件公开发布,本文有删减)\n")
    _edit(tiny, Y, "lines: 7-8", "lines: 7-9")
    _edit(tiny, Y, "  completeness: 全文\n", "  completeness: 本文有删减\n  abridged: true\n")
    assert _problems() == (0, [])


def test_a_mark_list_holds_marks_only(tiny):
    _edit(tiny, "sources/tiny.txt", "2024年6月1日\n", "2024年6月1日\n(此件公开发布,请认真执行)\n")
    _edit(tiny, Y, "lines: 7-8", "lines: 7-9")
    code, probs = _problems()
    assert code == 1 and [(p["code"], p["line"]) for p in probs] == [("E250", 9)]


def test_an_accepted_plan_is_verified(tiny):
    """A draft's review flags fail validation (E304, exit 1) until deleted,
    on a record and in the plan's vocabulary file alike."""
    _edit(tiny, Y, "  completeness: 全文\n", "  completeness: 全文\n  review: 'issuer: check the 落款'\n")
    (tiny / "vocabulary").mkdir()
    (tiny / "vocabulary" / "tiny.yaml").write_text(
        "indicators:\n  - {name: 加装电梯, unit: 部, aliases: [], review: proposed by cz ingest for tiny (line 5)}\n",
        encoding="utf-8")
    code, probs = _problems()
    assert code == 1 and sorted((p["code"], Path(p["file"]).name) for p in probs) == [
        ("E304", "tiny.yaml"), ("E304", "tiny.yaml")]
    from conftest import accept_flags

    assert accept_flags(tiny, "tiny") == 2
    assert _problems() == (0, [])
