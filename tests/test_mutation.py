"""Measured by mutation: every kind of wrong edit (tests/mutations.py), made
to every plan of a copy of the data, is caught by `cz validate`.  The issue's
examples (文号, date, period, year, comparator, year_implied, unit,
cumulative, dropped and swapped 责任单位, id, skip) are kinds here, each its
own test.  The table: bench/mutation_report.py, docs/data-format.md."""

from __future__ import annotations

import pytest

import mutations
from conftest import DATA

pytestmark = pytest.mark.slow  # CI runs it (pytest -m slow)


@pytest.fixture(scope="module")
def outcomes():
    return mutations.run(DATA)


def test_at_least_thirty_kinds():
    assert len(mutations.KINDS) >= 30
    assert len({k.name for k in mutations.KINDS}) == len(mutations.KINDS)


@pytest.mark.parametrize("kind", [k.name for k in mutations.KINDS])
def test_kind_is_caught_on_every_plan(outcomes, kind):
    mine = [o for o in outcomes if o.kind == kind]
    assert mine, kind
    missed = [(o.plan, o.site) for o in mine if o.site is not None and not o.caught]
    assert not missed, f"{kind} not caught on {missed}"


def test_every_kind_applies_somewhere_and_every_plan_is_tried(outcomes):
    from chengzhen.kb.loader import load_catalogue

    plans = {p.id for p in load_catalogue(DATA)}
    assert {o.plan for o in outcomes} == plans
    for k in mutations.KINDS:
        assert any(o.site is not None for o in outcomes if o.kind == k.name), f"{k.name} applies to no plan"
    # a plan may have no place for an edit (no target, no 责任单位 clause): n/a there, never an error
    per_plan = {p: sum(o.site is not None for o in outcomes if o.plan == p) for p in plans}
    assert max(per_plan.values()) >= 30, per_plan


def test_the_issue_examples_are_kinds():
    names = {k.name for k in mutations.KINDS}
    for example in ("doc-number", "issue-date", "period-end", "target-year", "comparator", "year-implied", "unit",
                    "cumulative", "dept-dropped", "dept-swapped", "measure-id", "skip-widened", "skip-body"):
        assert example in names, example


def test_the_report_table(outcomes):
    text = mutations.table(outcomes)
    assert "**missed**" not in text
    assert text.count("\n| `") == len(mutations.KINDS)
