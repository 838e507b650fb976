"""Progress of a target against a series of realized values: pure
arithmetic, no I/O, no SQL, standard library only.  The rules are stated in
docs/progress.md; this module is their one implementation.

    goal = Goal(value=61, comparator="approx", basis="level", year=2028)
    obs = [Observation(2022, 54.81, "%", 2023), Observation(2023, 55.94, "%", 2024)]
    p = assess(goal, "%", obs, as_of=None)
    p.verdict, p.pace_needed, p.pace_achieved, p.projected_year

Verdicts: 已达成 (met), 按进度 (on the straight path to the target or ahead),
落后 (behind it, or the target year has passed unmet), 无数据 (comparable, but
too few values), 无可比数据 (the statistic does not measure what the target
sets: another basis, a cumulative count, a part of a place, another unit).
"""

from __future__ import annotations

import math
from typing import NamedTuple

MET, ON_TRACK, BEHIND, NO_DATA, NOT_COMPARABLE = "已达成", "按进度", "落后", "无数据", "无可比数据"
VERDICTS = (MET, ON_TRACK, BEHIND, NO_DATA, NOT_COMPARABLE)
# 左右 / 约 / 接近: within this share of the target (docs/progress.md)
APPROX = 0.02
# the same quantity in a larger unit: unit -> (base unit, factor)
UNIT_SCALE = {"万人": ("人", 1e4), "万个": ("个", 1e4), "万户": ("户", 1e4), "万元": ("元", 1e4),
              "亿元": ("元", 1e8), "万套": ("套", 1e4), "万人次": ("人次", 1e4), "万平方米": ("平方米", 1e4),
              "万公里": ("公里", 1e4), "亿立方米": ("立方米", 1e8)}


class Goal(NamedTuple):
    """What progress needs of a target (kb.model.Target's fields of the same names)."""

    value: float | None
    comparator: str  # eq approx approach ge gt le lt range complete
    basis: str = "level"  # level annual_growth increase decrease
    year: int | None = None
    unit: str | None = None
    value_max: float | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    cumulative: bool = False
    aspiration: str | None = None  # 力争 …: shown, never changes the verdict
    year_implied: bool = False
    whole_place: bool = True  # the scope is whole divisions (places.ScopeReading.whole_places)


class Observation(NamedTuple):
    year: int
    value: float
    unit: str | None
    published: int | None = None  # the year by which it was published (None: unknown)


class Progress(NamedTuple):
    verdict: str
    reason: str
    comparable: bool
    target: float | None = None
    target_max: float | None = None
    target_year: int | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    baseline_from: str | None = None  # plan | statistic
    latest: float | None = None
    latest_year: int | None = None
    years_left: int | None = None
    pace_needed: float | None = None  # per year, from the latest value to the target
    pace_achieved: float | None = None  # per year, from the baseline to the latest value
    projected_year: int | None = None  # when the achieved pace reaches the target
    notes: tuple[str, ...] = ()
    aim: float | None = None  # the value that meets the target, as a point to move to (a level target)
    direction: int = 0  # +1 rising to the target, -1 falling, 0 unknown


def unit_factor(target_unit: str | None, stat_unit: str | None) -> float | None:
    """What a statistic's value is multiplied by to be in the target's unit;
    None when the units measure different things."""
    if target_unit == stat_unit:
        return 1.0
    t = UNIT_SCALE.get(target_unit or "", (target_unit, 1.0))
    s = UNIT_SCALE.get(stat_unit or "", (stat_unit, 1.0))
    if t[0] != s[0] or t[0] is None:
        return None
    return s[1] / t[1]


def meets(value: float, goal: Goal, direction: int = 0) -> bool | None:
    """Does a level ``value`` meet the target?  ``direction`` (+1 rising,
    −1 falling, 0 unknown) decides 达到/左右/接近 targets: reaching them from
    below (or above) counts.  None: the target has no figure."""
    t = goal.value
    if t is None or goal.comparator == "complete":
        return None
    tol = APPROX * abs(t)
    c = goal.comparator
    if c == "ge":
        return value >= t
    if c == "gt":
        return value > t
    if c == "le":
        return value <= t
    if c == "lt":
        return value < t
    if c == "range":
        hi = goal.value_max if goal.value_max is not None else t
        if direction > 0:
            return value >= t
        if direction < 0:
            return value <= hi
        return t <= value <= hi
    if c in ("eq", "approx", "approach"):
        slack = 0.0 if c == "eq" else tol
        if direction > 0:
            return value >= t - slack
        if direction < 0:
            return value <= t + slack
        return abs(value - t) <= slack
    return None


def not_comparable(goal: Goal, stat_unit: str | None) -> str | None:
    """Why a level statistic cannot measure this target (None: it can)."""
    if goal.comparator == "complete" or goal.value is None:
        return "目标无数值(完成类)"
    if not goal.whole_place:
        return "目标范围不是整个行政区(城区、开发区、一类地方、成员未列明的城市群…), 统计值是整个行政区的"
    if goal.cumulative:
        return "目标是期内累计数, 统计值是单年的值(年末数或当年数)"
    if goal.basis in ("increase", "decrease"):
        return "目标是增量, 统计值是水平"
    if goal.basis == "annual_growth":
        if goal.unit == "个百分点" and stat_unit == "%":
            return None
        if goal.unit == "%" and stat_unit not in ("%", None):
            return None
        return "目标是年均增速, 统计值与之口径不同"
    if goal.basis != "level":
        return f"未知的口径 {goal.basis}"
    if unit_factor(goal.unit, stat_unit) is None:
        return f"单位不同: 目标 {goal.unit}, 统计 {stat_unit}"
    return None


def visible(observations: list[Observation], as_of: int | None) -> list[Observation]:
    """The observations a reader had in year ``as_of``: published by then
    (an unknown publication date is not counted as published) and for a
    year before it.  ``as_of`` None: all.  One per year, in year order."""
    by_year: dict[int, Observation] = {}
    for o in observations:
        if as_of is not None and (o.published is None or o.published > as_of or o.year >= as_of + 1):
            continue
        by_year[o.year] = o
    return [by_year[y] for y in sorted(by_year)]


def assess(goal: Goal, stat_unit: str | None, observations: list[Observation], as_of: int | None = None) -> Progress:
    """The verdict and the numbers behind it (docs/progress.md)."""
    notes: list[str] = []
    if goal.aspiration:
        notes.append(f"目标为{goal.aspiration}(争取), 非约束")
    if goal.year_implied:
        notes.append("目标年份为推定")
    base = dict(target=goal.value, target_max=goal.value_max, target_year=goal.year, notes=tuple(notes))
    why = not_comparable(goal, stat_unit)
    if why:
        return Progress(NOT_COMPARABLE, why, False, **base)
    obs = _in_unit(visible(observations, as_of), stat_unit)
    if obs is None:
        return Progress(NOT_COMPARABLE, f"统计值的单位不是 {stat_unit} 的同一量", False, **base)
    if goal.basis == "annual_growth":
        return _growth(goal, stat_unit, obs, base)
    factor = unit_factor(goal.unit, stat_unit) or 1.0
    series = [(o.year, o.value * factor) for o in obs]
    if not series:
        return Progress(NO_DATA, "没有可用的统计值", True, **base)
    latest_year, latest = series[-1]
    ref = _reference(goal, series)
    direction = _direction(goal, ref, latest)
    met = meets(latest, goal, direction)
    out = dict(base, latest=latest, latest_year=latest_year, direction=direction)
    if goal.value is not None:
        out["aim"] = _aim(goal, direction)
    if ref is not None:
        out.update(baseline=ref[1], baseline_year=ref[0], baseline_from=ref[2])
    if goal.year is not None:
        out["years_left"] = goal.year - latest_year
    if ref is not None and latest_year > ref[0]:
        out["pace_achieved"] = (latest - ref[1]) / (latest_year - ref[0])
    if goal.year is not None and goal.year > latest_year and not met:
        out["pace_needed"] = (_aim(goal, direction) - latest) / (goal.year - latest_year)
    if met:
        return Progress(MET, f"{latest_year}年值{latest:g}已满足目标", True, **out)
    pace = out.get("pace_achieved")
    if pace is not None and direction and pace * direction > 0:
        out["projected_year"] = latest_year + math.ceil((_aim(goal, direction) - latest) / pace - 1e-9)
    if goal.year is not None and latest_year >= goal.year:
        return Progress(BEHIND, f"目标年{goal.year}已到, 值{latest:g}未满足", True, **out)
    if ref is None or latest_year <= ref[0] or goal.year is None or goal.year <= ref[0]:
        return Progress(NO_DATA, "只有一个统计值且规划未给基期值, 无从判断进度", True, **out)
    path = (_aim(goal, direction) - ref[1]) / (goal.year - ref[0])  # the straight path's pace
    if pace is not None and (pace - path) * (direction or 1) >= -1e-9:
        return Progress(ON_TRACK, f"年均{pace:+.3g}, 直线路径需{path:+.3g}", True, **out)
    return Progress(BEHIND, f"年均{pace:+.3g}, 直线路径需{path:+.3g}", True, **out)


def _in_unit(observations: list[Observation], unit: str | None) -> list[Observation] | None:
    """Each observation in ``unit`` (a figure kept as written, 8.43 万个, is
    scaled to 84300 个); None when one measures another quantity."""
    out = []
    for o in observations:
        factor = 1.0 if o.unit == unit else unit_factor(unit, o.unit)
        if factor is None:
            return None
        out.append(Observation(o.year, o.value * factor, unit, o.published))
    return out


def _reference(goal: Goal, series: list[tuple[int, float]]):
    """The baseline: the plan's own (value and year), else the earliest
    statistic before the latest one."""
    if goal.baseline is not None and goal.baseline_year is not None:
        return goal.baseline_year, goal.baseline, "plan"
    if len(series) >= 2:
        return series[0][0], series[0][1], "statistic"
    return None


def _direction(goal: Goal, ref, latest: float) -> int:
    """+1 when the target lies above the baseline, −1 below, 0 unknown.
    ge/gt are rising and le/lt falling by their words."""
    if goal.comparator in ("ge", "gt"):
        return 1
    if goal.comparator in ("le", "lt"):
        return -1
    start = ref[1] if ref is not None else None
    if start is None or goal.value is None or goal.value == start:
        return 0
    return 1 if goal.value > start else -1


def _aim(goal: Goal, direction: int) -> float:
    """The value that meets the target, as a point to move towards."""
    t = goal.value
    if goal.comparator in ("approx", "approach"):
        return t - direction * APPROX * abs(t)
    if goal.comparator == "range" and direction < 0 and goal.value_max is not None:
        return goal.value_max
    return t


def _growth(goal: Goal, stat_unit: str | None, obs: list[Observation], base: dict) -> Progress:
    """An annual-growth target (每年提高1—2个百分点, 年均增长10%): the average
    yearly change of the level series since the baseline."""
    series = [(o.year, o.value) for o in obs]
    ref = _reference(goal, series)
    if not series or ref is None or series[-1][0] <= ref[0]:
        return Progress(NO_DATA, "需要基期值和之后的至少一个统计值", True, **base)
    (y0, v0), (y1, v1) = (ref[0], ref[1]), series[-1]
    n = y1 - y0
    if goal.unit == "个百分点":
        pace = (v1 - v0) / n
    else:
        if v0 <= 0 or v1 <= 0:
            return Progress(NO_DATA, "基期或最新值不为正, 无法计算增速", True, **base)
        pace = ((v1 / v0) ** (1 / n) - 1) * 100
    out = dict(base, baseline=v0, baseline_year=y0, baseline_from=ref[2], latest=v1, latest_year=y1,
               pace_achieved=pace, years_left=(goal.year - y1) if goal.year is not None else None)
    ok = bool(meets(pace, goal, 1))  # a pace target is met at or above its (lower) figure
    if goal.year is not None and y1 >= goal.year:
        return Progress(MET if ok else BEHIND, f"{y0}—{y1}年均{pace:.3g}", True, **out)
    return Progress(ON_TRACK if ok else BEHIND, f"{y0}—{y1}年均{pace:.3g}", True, **out)
