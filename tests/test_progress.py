"""Progress math (text/progress.py) checked by its definition: for generated
target–series pairs the verdict, the paces and the projected year are
recomputed here another way (the straight path's expected value, stepping
year by year) and must agree; the honest edges are each pinned."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chengzhen.text.progress import (APPROX, BEHIND, MET, NO_DATA, NOT_COMPARABLE, ON_TRACK, Goal, Observation,
                                     assess, meets, unit_factor, visible)

EPS = 1e-6


# ---------------------------------------------------------------- an independent oracle

def _oracle_met(v: float, c: str, t: float, hi: float | None, d: int) -> bool:
    tol = APPROX * abs(t)
    table = {
        "ge": v >= t, "gt": v > t, "le": v <= t, "lt": v < t,
        "eq": (v >= t) if d > 0 else (v <= t) if d < 0 else v == t,
        "approx": (v >= t - tol) if d > 0 else (v <= t + tol) if d < 0 else abs(v - t) <= tol,
        "range": (v >= t) if d > 0 else (v <= (hi if hi is not None else t)) if d < 0 else t <= v <= (hi or t),
    }
    return table[c]


def _oracle(goal: Goal, obs: list[tuple[int, float]]):
    """(verdict, projected year or None) by the rules of docs/progress.md,
    written as the expected value on the straight path."""
    latest_y, latest = obs[-1]
    if goal.baseline is not None and goal.baseline_year is not None:
        ref = (goal.baseline_year, goal.baseline)
    elif len(obs) >= 2:
        ref = obs[0]
    else:
        ref = None
    c, t = goal.comparator, goal.value
    if c in ("ge", "gt"):
        d = 1
    elif c in ("le", "lt"):
        d = -1
    elif ref is None or ref[1] == t:
        d = 0
    else:
        d = 1 if t > ref[1] else -1
    aim = t - d * APPROX * abs(t) if c == "approx" else (goal.value_max if c == "range" and d < 0 else t)
    projected = None
    if _oracle_met(latest, c, t, goal.value_max, d):
        return MET, None
    if ref is not None and latest_y > ref[0] and d:
        pace = (latest - ref[1]) / (latest_y - ref[0])
        if pace * d > 0:
            k = 1
            while (latest + k * pace - aim) * d < -EPS:
                k += 1
            projected = latest_y + k
    if latest_y >= goal.year:
        return BEHIND, projected
    if ref is None or latest_y <= ref[0] or goal.year <= ref[0]:
        return NO_DATA, projected
    expected = ref[1] + (aim - ref[1]) * (latest_y - ref[0]) / (goal.year - ref[0])
    return (ON_TRACK if (latest - expected) * (d or 1) >= 0 else BEHIND), projected


values = st.floats(min_value=0.5, max_value=500, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def pairs(draw):
    c = draw(st.sampled_from(["ge", "gt", "le", "lt", "eq", "approx", "range"]))
    t = draw(values)
    hi = round(t + draw(st.floats(min_value=0.1, max_value=50)), 2) if c == "range" else None
    first = draw(st.integers(2015, 2026))
    n = draw(st.integers(1, 6))
    years = sorted(draw(st.sets(st.integers(first, first + 10), min_size=n, max_size=n)))
    obs = [(y, draw(values)) for y in years]
    target_year = draw(st.integers(years[-1] - 2, years[-1] + 10))
    with_base = draw(st.booleans())
    base = draw(values) if with_base else None
    base_year = draw(st.integers(first - 6, years[-1])) if with_base else None
    goal = Goal(t, c, "level", target_year, "%", value_max=hi, baseline=base, baseline_year=base_year)
    return goal, obs


def _margins(goal: Goal, obs) -> list[float]:
    """How far the generated pair is from each boundary of the rules: cases
    within rounding distance of a boundary are not decided by the test."""
    latest_y, latest = obs[-1]
    t = goal.value
    out = [latest - t, latest - (t - APPROX * abs(t)), latest - (t + APPROX * abs(t))]
    if goal.value_max is not None:
        out.append(latest - goal.value_max)
    ref = (goal.baseline_year, goal.baseline) if goal.baseline is not None else (obs[0] if len(obs) > 1 else None)
    if ref is not None:
        out.append(t - ref[1])
        for aim in (t, t - APPROX * abs(t), t + APPROX * abs(t), goal.value_max or t):
            if goal.year != ref[0] and latest_y != ref[0]:
                out.append(latest - (ref[1] + (aim - ref[1]) * (latest_y - ref[0]) / (goal.year - ref[0])))
                pace = (latest - ref[1]) / (latest_y - ref[0])
                if abs(pace) > EPS:
                    k = (aim - latest) / pace
                    out.append(k - round(k))
    return out


@settings(max_examples=400, deadline=None)
@given(pairs())
def test_verdict_and_projection_by_definition(pair):
    goal, obs = pair
    assume(all(abs(m) > 1e-6 for m in _margins(goal, obs)))
    p = assess(goal, "%", [Observation(y, v, "%", y + 1) for y, v in obs])
    verdict, projected = _oracle(goal, obs)
    assert p.verdict == verdict
    if p.verdict != MET:
        assert p.projected_year == projected


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_paces_by_definition(pair):
    goal, obs = pair
    p = assess(goal, "%", [Observation(y, v, "%", y + 1) for y, v in obs])
    latest_y, latest = obs[-1]
    assert (p.latest, p.latest_year) == (latest, latest_y)
    assert p.years_left == goal.year - latest_y
    if p.pace_achieved is not None:
        assert math.isclose(p.pace_achieved * (latest_y - p.baseline_year), latest - p.baseline, abs_tol=1e-6)
    if p.pace_needed is not None:
        # the needed pace, kept for the years left, lands on the point that meets the target
        end = latest + p.pace_needed * p.years_left
        d = 1 if goal.comparator in ("ge", "gt") else -1 if goal.comparator in ("le", "lt") else None
        assert p.verdict != MET and p.years_left > 0
        if d is not None:
            assert math.isclose(end, goal.value, abs_tol=1e-6)


@settings(max_examples=200, deadline=None)
@given(pairs(), st.integers(2014, 2040))
def test_as_of_sees_only_what_was_published(pair, as_of):
    goal, obs = pair
    observations = [Observation(y, v, "%", y + 1) for y, v in obs]
    seen = visible(observations, as_of)
    assert all(o.published <= as_of and o.year <= as_of for o in seen)
    assert len(seen) == sum(1 for y, _v in obs if y + 1 <= as_of)
    assert assess(goal, "%", observations, as_of) == assess(goal, "%", seen)


# ---------------------------------------------------------------- pinned cases and edges

GZ = [Observation(2021, 54.33, "%", 2022), Observation(2022, 54.81, "%", 2023), Observation(2023, 55.94, "%", 2024)]


def test_guizhou_61_by_2028_worked_by_hand():
    p = assess(Goal(61, "approx", "level", 2028, "%"), "%", GZ)
    # baseline: the earliest statistic (2021, 54.33); 61左右 counts from 61 − 2% = 59.78
    assert (p.baseline, p.baseline_year, p.baseline_from) == (54.33, 2021, "statistic")
    assert math.isclose(p.pace_achieved, (55.94 - 54.33) / 2)
    assert math.isclose(p.pace_needed, (59.78 - 55.94) / 5)
    assert p.verdict == ON_TRACK and p.years_left == 5 and p.projected_year == 2028
    # as a reader saw it in 2023: only the 2021 and 2022 bulletins were out
    earlier = assess(Goal(61, "approx", "level", 2028, "%"), "%", GZ, as_of=2023)
    assert (earlier.latest_year, earlier.verdict) == (2022, BEHIND)


@pytest.mark.parametrize("goal,unit,why", [
    (Goal(275, "approx", "level", 2028, "万人", cumulative=True), "万人", "累计"),
    (Goal(19, "eq", "increase", 2028, "万个"), "万个", "增量"),
    (Goal(None, "complete", "level", 2025), None, "无数值"),
    (Goal(100, "approx", "level", 2025, "万人", whole_place=False), "万人", "不是整个行政区"),
    (Goal(61, "approx", "level", 2028, "%"), "万人", "单位不同"),
    (Goal(10, "approx", "annual_growth", 2025, "%"), "%", "年均增速"),
])
def test_what_a_statistic_cannot_measure_is_not_compared(goal, unit, why):
    p = assess(goal, unit, GZ)
    assert p.verdict == NOT_COMPARABLE and not p.comparable and why in p.reason
    assert p.pace_achieved is None and p.latest is None


def test_no_data_and_one_value():
    assert assess(Goal(61, "approx", "level", 2028, "%"), "%", []).verdict == NO_DATA
    one = assess(Goal(61, "approx", "level", 2028, "%"), "%", GZ[:1])
    assert one.verdict == NO_DATA and one.pace_achieved is None
    with_base = assess(Goal(61, "approx", "level", 2028, "%", baseline=53.15, baseline_year=2020), "%", GZ[:1])
    assert with_base.verdict in (ON_TRACK, BEHIND) and with_base.baseline_from == "plan"


def test_points_per_year_target():
    # 每年平均增长1—2个百分点 from 48.87 (2020): the average yearly change of the level
    goal = Goal(1, "range", "annual_growth", 2025, "个百分点", value_max=2, baseline=48.87, baseline_year=2020)
    fast = assess(goal, "%", [Observation(2023, 52.0, "%", 2024)])
    assert math.isclose(fast.pace_achieved, (52.0 - 48.87) / 3) and fast.verdict == ON_TRACK
    slow = assess(goal, "%", [Observation(2023, 49.5, "%", 2024)])
    assert slow.verdict == BEHIND
    done = assess(goal, "%", [Observation(2025, 54.0, "%", 2026)])
    assert done.verdict == MET


def test_aspiration_and_implied_year_are_noted_not_judged():
    plain = assess(Goal(61, "approx", "level", 2028, "%"), "%", GZ)
    aim = assess(Goal(61, "approx", "level", 2028, "%", aspiration="力争", year_implied=True), "%", GZ)
    assert aim.verdict == plain.verdict and len(aim.notes) == 2 and "力争" in aim.notes[0]


def test_units_of_one_quantity_are_scaled():
    assert unit_factor("万人", "人") == 1e-4 and unit_factor("人", "万人") == 1e4
    assert unit_factor("%", "万人") is None and unit_factor("个", "个") == 1.0
    p = assess(Goal(33, "ge", "level", 2025, "万人"), "人", [Observation(2024, 340000, "人", 2025)])
    assert p.verdict == MET and p.latest == 34


def test_meets_reads_each_comparator():
    g = lambda c, hi=None: Goal(10, c, value_max=hi)  # noqa: E731
    assert meets(10, g("ge")) and not meets(10, g("gt")) and meets(10, g("le")) and not meets(10, g("lt"))
    assert meets(9.9, g("approx")) and not meets(9.7, g("approx"))
    assert meets(12, g("range", 15)) and not meets(16, g("range", 15)) and meets(16, g("range", 15), 1)
    assert meets(1, Goal(None, "complete")) is None


def test_import_cheap():
    code = "import sys, chengzhen.text.progress; print(sorted(m for m in sys.modules if m.startswith('chengzhen')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['chengzhen', 'chengzhen.text', 'chengzhen.text.progress']"


def test_a_series_kept_as_written_is_judged_in_one_unit():
    # a census count in 人 and a bulletin's 万人 in one series (data/statistics keeps each as written)
    goal = Goal(3900, "ge", "level", 2028, "万人")
    obs = [Observation(2020, 38562148, "人", 2021), Observation(2023, 3865, "万人", 2024)]
    p = assess(goal, "万人", obs)
    assert (p.baseline, p.latest) == (3856.2148, 3865)
    assert math.isclose(p.pace_achieved, (3865 - 3856.2148) / 3)
    other = assess(goal, "万人", obs + [Observation(2024, 55.0, "%", 2025)])
    assert other.verdict == NOT_COMPARABLE and other.latest is None
