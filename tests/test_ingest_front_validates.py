"""What ingest reads or skips before a plan's body, validation accepts — so a
draft is not left pending over the program's own reading:

* a web page's information table (信息栏): however long its row of
  ``label: value`` cells, it is skipped as web-page chrome and validation
  accepts the skip (E250 once refused a row over 80 characters); its 成文日期
  cell, when it differs from the 落款's date, does not become the issue date
  (the 落款 is the document's own; E211 once refused the draft);
* a 文号 the page writes under a label ingest does not know (文件编号 | …) is
  drafted and flagged, not left null while validation asks for it (E211);
* a table of contents under its 目录 that numbers its headings 一、 (一) with
  page numbers is skipped as contents and validation accepts it (E250 once
  accepted only 第X章 / 第X节 lines there).

Each case is built from every held plan (the first in the quick suite, all in
the slow pass)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DATA, declare_places, held_plans, held_regions, run_cz

CELLS = (("索引号", "000014349/{year}-00{n}"), ("文号", "{doc}"), ("发布机构", "{issuer}"),
         ("主题分类", "城乡建设、环境保护"), ("成文日期", "{year}-05-06"), ("发布日期", "{year}-05-08"),
         ("有效性", "有效"))
DOC = re.compile(r"^\S+〔(\d{4})〕\d+号$")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")

HELD = [pytest.param(p, id=p.stem, marks=() if k == 0 else pytest.mark.slow) for k, p in enumerate(held_plans())]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """One data copy for the module: each test ingests under ids of its own."""
    root = tmp_path_factory.mktemp("front") / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    declare_places(root, regions=held_regions())
    return root


def _ingest(root: Path, text: str, pid: str) -> tuple[dict, dict]:
    """Ingest ``text`` as plan ``pid``: (its catalogue entry, validate's JSON of it); written, not pending."""
    env = {"CZ_DATA": str(root), "CZ_DB": str(root.parent / "t.db")}
    page = root.parent / f"{pid}.txt"
    page.write_text(text, encoding="utf-8")
    got = run_cz(["ingest", str(page), "--id", pid, "--format", "json"], env=env)
    assert got.code == 0, (got.err, got.out[-2000:])  # written, not left pending
    plan = yaml.safe_load((root / "plans" / f"{pid}.yaml").read_text(encoding="utf-8"))["plan"]
    return plan, json.loads(run_cz(["validate", "--plan", pid, "--format", "json"], env=env).out)


def _doc(lines: list[str]) -> tuple[int, str]:
    return next((k, x) for k, x in enumerate(lines) if DOC.match(x))


@pytest.mark.parametrize("src", HELD)
def test_an_information_table_row_of_any_length_is_skipped_and_validates(root, src):
    text = src.read_text(encoding="utf-8")
    lines = text.splitlines()
    _, doc = _doc(lines)
    values = {"year": DOC.match(doc).group(1), "doc": doc, "issuer": re.match(r"(.+?)关于", lines[0]).group(1)}
    for cells in (len(CELLS),):  # a row far over 80 characters (a short one was accepted before)
        row = " ".join(f"{label}:{value.format(n=cells, **values)}" for label, value in CELLS[:cells])
        plan, v = _ingest(root, row + "\n" + text, f"{src.stem}{cells}")
        assert any(s["kind"] == "web" and str(s["lines"]).split("-")[0] == "1" for s in plan["skip"]), plan["skip"]
        assert not [p for p in v["problems"] if p["code"] in ("E250", "E211")], v["problems"]


@pytest.mark.parametrize("src", HELD)
def test_a_doc_number_under_an_unknown_label_is_drafted(root, src):
    lines = src.read_text(encoding="utf-8").splitlines()
    k, doc = _doc(lines)
    page = [f"文件编号: | {doc} | 公开方式: | 主动公开 |"] + lines[:k] + lines[k + 1:]  # the notice's own line gone
    plan, v = _ingest(root, "\n".join(page) + "\n", f"{src.stem}doc")
    assert plan["doc_number"] == doc, plan
    assert "doc_number" in (plan.get("review") or {}) or "doc_number" in json.dumps(plan.get("review")), plan
    assert not [p for p in v["problems"] if p["code"] == "E211"], v["problems"]


@pytest.mark.parametrize("src", HELD)
def test_a_contents_of_numbered_headings_is_skipped_and_validates(root, src):
    lines = src.read_text(encoding="utf-8").splitlines()
    signed = next(k for k, x in enumerate(lines) if DATE_LINE.match(x.strip()))
    title = signed + 1  # the plan's own title follows the notice's 落款
    heads = [re.split(r"[。.]", x)[0] for x in lines[title + 1:] if HEADING.match(x)]
    assert len(heads) >= 2
    toc = ["目录"] + [f"{h} {page}" for page, h in enumerate(heads, start=1)]
    plan, v = _ingest(root, "\n".join(lines[:title + 1] + toc + lines[title + 1:]) + "\n", f"{src.stem}toc")
    first = title + 2  # 1-based line of 目录
    assert any(s["kind"] == "contents" and str(s["lines"]).split("-")[0] == str(first) for s in plan["skip"]), plan["skip"]
    assert not [p for p in v["problems"] if p["code"] in ("E250", "E251")], v["problems"]
