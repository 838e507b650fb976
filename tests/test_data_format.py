"""docs/data-format.md cannot drift from the code: the qualifier table is
the one the check uses, the skip kinds and comparators are the model's, the
mutation table names every kind, and the "Adding a plan by hand" example is
the sixth plan tests/test_sixth_plan.py takes in."""

from __future__ import annotations

import re

import mutations
import sixth_plan
from chengzhen.kb import model as m
from conftest import REPO

DOC = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    got = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ |\Z)", DOC, re.S | re.M)
    assert got, title
    return got.group(1)


def test_the_qualifier_table_is_the_checks():
    table = _section("The qualifier table")
    documented: dict[str, str] = {}
    for comparator, words in re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|$", table, re.M):
        if words.strip().startswith("("):  # range: no qualifier
            continue
        for w in (x.strip() for x in words.split(",")):
            documented[w] = comparator
    assert documented == m.QUALIFIERS
    assert set(re.findall(r"^\| `(\w+)` \|", table, re.M)) == set(m.COMPARATORS)


def test_skip_kinds_and_supplied_fields_are_documented():
    skips = _section("Skips")
    assert set(re.findall(r"^\| `(\w+)` \|", skips, re.M)) - {"kind"} == set(m.SKIP_KINDS)
    for f in m.SUPPLIABLE:
        assert f"`{f}`" in DOC


def test_every_field_of_the_loader_is_in_a_table():
    from chengzhen.kb.loader import MEASURE_KEYS, PLAN_KEYS, SECTION_KEYS, TARGET_KEYS

    for keys, title in ((PLAN_KEYS, "`plans.yaml`"), (SECTION_KEYS, "Sections"), (MEASURE_KEYS, "Measures"),
                        (TARGET_KEYS, "Targets")):
        text = _section(title)
        rows = {name for head in re.findall(r"^\| ([^|]+) \|", text, re.M) for name in re.findall(r"`(\w+)`", head)}
        assert keys <= rows, (title, sorted(keys - rows))


def test_the_mutation_table_names_every_kind():
    text = _section("Measured by mutation")
    for k in mutations.KINDS:
        assert f"`{k.name}`" in text, k.name
    assert "**missed**" not in text


def _example(name: str) -> str:
    got = re.search(rf"<!-- example: {re.escape(name)} -->\n```\w*\n(.*?)```", DOC, re.S)
    assert got, name
    return got.group(1)


def test_adding_a_plan_by_hand_is_the_tested_example():
    assert _example("sources/xinan.txt") == sixth_plan.SOURCE
    assert _example("plans.yaml") == sixth_plan.CATALOGUE_ENTRY.lstrip("\n")
    assert _example("plans/xinan.yaml") == sixth_plan.BODY
    assert _example("departments.yaml") == sixth_plan.DEPARTMENTS
