"""docs/data-format.md cannot drift from the code: the field tables are the
declarations of kb/fields.py, the qualifier table is the one the check uses,
the skip kinds and comparators are the model's, the mutation table names
every kind, and the "Adding a plan by hand" example is the sixth plan
tests/test_sixth_plan.py takes in."""

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


def test_the_field_tables_are_the_declarations():
    """Each field table is kb/fields.py rendered: no field documented that
    the loader does not accept, none accepted that is not documented, and
    every type, default and check as declared."""
    from chengzhen.kb import fields

    for kind in fields.DOC_TABLES:
        got = re.search(rf"<!-- fields: {re.escape(kind)} -->\n(.*?)<!-- /fields -->", DOC, re.S)
        assert got, f"no table for {kind}"
        assert got.group(1) == fields.markdown_table(kind), (
            f"the {kind} table differs from kb/fields.py: run python -m chengzhen.kb.fields docs/data-format.md")


def test_every_declared_field_fills_the_model():
    """The model's dataclasses hold what the declarations say they hold: each
    field with an attribute names one of its record's dataclass."""
    import dataclasses

    from chengzhen.kb import fields

    records = {"plan": m.Plan, "skip": m.Skip, "repair": m.Repair, "section": m.Section, "measure": m.Measure,
               "target": m.Target, "annex": m.Annex, "annex group": m.AnnexGroup, "annex item": m.AnnexItem,
               "all tasks": m.AllTasksDepartments, "topic": m.Topic, "department": m.Department,
               "indicator": m.Indicator, "national group": m.NationalGroup, "national task": m.NationalTask}
    for kind, cls in records.items():
        names = {f.name for f in dataclasses.fields(cls)}
        for f in fields.FIELDS[kind]:
            if f.attribute and f.presence != fields.DERIVED:
                assert f.attribute in names, (kind, f.name)
    # and the loader accepts exactly the declared keys
    from chengzhen.kb import loader

    assert loader.MEASURE_KEYS == fields.accepted("measure") and "review" in loader.MEASURE_KEYS
    assert "url" in loader.PLAN_KEYS and "note" in loader.SECTION_KEYS


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
    assert _example("plans/xinan.yaml") == sixth_plan.BODY
    assert _example("vocabulary/xinan.yaml") == sixth_plan.VOCABULARY
