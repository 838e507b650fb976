"""A catalogue of thousands of plans is parsed a batch of entries at a time
(kb/loader.py CATALOGUE_BATCH), so the build's memory does not hold the YAML
parser's tree of the whole file.  Batches must give exactly what one parse of
the whole file gives — the plans, their line numbers, and every problem with
its file:line."""

from __future__ import annotations

import re
import shutil

from chengzhen.kb import loader
from chengzhen.kb.problems import DataProblems
from conftest import DATA


def _whole(root, monkeypatch):
    monkeypatch.setattr(loader, "CATALOGUE_BATCH", 10**9)
    try:
        return loader.load_catalogue(root)
    except DataProblems as exc:
        return [str(p) for p in exc.problems]


def _batched(root, monkeypatch):
    monkeypatch.setattr(loader, "CATALOGUE_BATCH", 2)
    try:
        return loader.load_catalogue(root)
    except DataProblems as exc:
        return [str(p) for p in exc.problems]


def _same_both_ways(root, monkeypatch, code: str) -> None:
    """The whole file's problems name ``code``, and batches give the same."""
    whole = _whole(root, monkeypatch)
    assert any(code in p for p in whole), whole
    assert _batched(root, monkeypatch) == whole


def _copy(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    return root


def test_batches_give_the_whole_files_plans(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    whole = _whole(root, monkeypatch)
    assert len(whole) > 2  # more entries than one batch
    assert _batched(root, monkeypatch) == whole


def _entries(text: str) -> list[tuple[int, int]]:
    starts = [m.start() for m in re.finditer(r"^  - ", text, re.M)]
    return list(zip(starts, starts[1:] + [len(text)]))


def test_a_duplicate_id_in_a_later_batch_is_reported_as_the_whole_parse_reports_it(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    cat = root / "plans.yaml"
    text = cat.read_text(encoding="utf-8")
    first = text[slice(*_entries(text)[0])]
    cat.write_text(text.rstrip("\n") + "\n" + first, encoding="utf-8")  # the first entry again, at the end
    _same_both_ways(root, monkeypatch, "E120")


def test_an_alias_across_batches_falls_back_to_the_whole_file(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    cat = root / "plans.yaml"
    text = cat.read_text(encoding="utf-8")
    # an anchor in the first entry, an alias to it in the last (another batch)
    text = re.sub(r"^(    level: )(\w+)", r"\1&lvl \2", text, count=1, flags=re.M)
    spans = _entries(text)
    last = text[slice(*spans[-1])]
    last = re.sub(r"^(    level: )\w+", r"\1*lvl", last, count=1, flags=re.M)
    text = text[:spans[-1][0]] + last
    cat.write_text(text, encoding="utf-8")
    _same_both_ways(root, monkeypatch, "E103")


def test_a_syntax_error_in_a_later_batch_keeps_its_line(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    cat = root / "plans.yaml"
    text = cat.read_text(encoding="utf-8")
    start = _entries(text)[-1][0]
    text = text[:start] + text[start:].replace("    level:", "    level: [", 1)
    cat.write_text(text, encoding="utf-8")
    _same_both_ways(root, monkeypatch, "E101")
