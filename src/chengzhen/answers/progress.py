"""`cz progress`, `cz targets --progress` and the web's verdict columns:
every target against the published statistics of its place
(``query/progress.py``; the rule: docs/progress.md, "The verdict").

One record per target: the target as the plan sets it (its measure id),
the value progress is measured from (``base``: the plan's baseline, with
the measure that states it, or the first statistic, with its id), the
latest statistic (its id and its publication, in the ``sources`` block),
the years left, the pace needed and achieved, the year the achieved pace
would reach the target, and the verdict with its reason and notes."""

from __future__ import annotations

from chengzhen.answers.answer import Answer

# the keys the line formats write (the records also hold the series and the path the charts draw)
COLUMNS = ["id", "plan", "plan_name", "indicator", "scope", "place", "place_name", "aspiration", "as_written",
           "value", "value_max", "unit", "year", "year_implied", "level_unit", "base", "base_year", "base_source",
           "base_ref", "latest", "latest_year", "latest_ref", "latest_source", "years_left", "pace_needed",
           "pace_achieved", "projected_year", "verdict", "status", "reason", "measure_id", "notes"]

# the verdict rule, said once (cz progress --help says it too; docs/progress.md in full)
RULE = ("判断规则: 统计值与目标的地方、指标、口径一致才比较, 否则为“无可比数据”; 没有统计值, 或只有一个且规划未给基期值, "
        "为“无数据”; 最新值已满足目标(左右/约/接近按目标值的2%容差) 为“已达成”; 目标年已到而未满足, 或最新值落在由基期"
        "(规划所写, 否则最早的统计值)到目标的直线路径之下, 为“落后”; 在路径上或之上为“按进度”。力争/争取与推定年份只注明, "
        "不改变判断。")


class ProgressAsk:
    __slots__ = ("plans", "indicator", "year", "scope", "within", "verdicts", "as_of")

    def __init__(self, *, plans=None, indicator: str | None = None, year: str | None = None,
                 scope: str | None = None, within: bool = False, verdicts=None, as_of: str | int | None = None):
        self.plans, self.indicator, self.year = list(plans or []), indicator, year
        self.scope, self.within, self.verdicts, self.as_of = scope, within, list(verdicts or []), as_of


def as_of(value) -> int | None:
    from chengzhen.query.progress import as_of_year

    return as_of_year(value)


def answer(conn, ask: ProgressAsk) -> Answer:
    from chengzhen.answers import args
    from chengzhen.query import progress as Q
    from chengzhen.query.places import widens, within_note
    from chengzhen.query.resolve import resolve_indicators, resolve_plans

    years = args.years(ask.year)
    as_of = Q.as_of_year(ask.as_of)
    verdicts = Q.verdicts(ask.verdicts)
    plans = resolve_plans(conn, ask.plans, within=ask.within)
    inds = resolve_indicators(conn, ask.indicator) if ask.indicator is not None else None
    got = Q.progress(conn, plans=plans, indicators=inds, years=years, scope=ask.scope, within=ask.within, verdicts=verdicts,
                     as_of=as_of)
    query = {"plans": plans, "indicators": got["indicators"], "indicator_asked": ask.indicator is not None,
             "year": list(years) if years else None, "scope": got["scope"], "within": ask.within,
             "widened": widens(conn, got["scope"], ask.within), "verdicts": verdicts, "as_of": as_of}
    notes = []
    if inds is None:
        notes.append("未指定指标: 列出有统计数据的指标(" + "、".join(got["indicators"]) + ")的目标")
    if as_of is not None:
        notes.append(f"截至 {as_of} 年: 只用 {as_of} 年及以前发布、且为 {as_of} 年及以前年份的统计值"
                     "(发布日期不明的不计)")
    if within_note(conn, got["scope"], ask.within):
        notes.append(within_note(conn, got["scope"], ask.within))
    notes.append(RULE)
    return Answer("progress", got["records"], COLUMNS, query=query,
                  blocks={"sources": got["sources"]}, notes=notes, id_key="id", found=bool(got["records"]))


def with_progress(conn, records: list[dict], as_of: str | int | None = None) -> tuple[list[dict], dict]:
    """`cz targets --progress`: each target record with its progress fields
    (a commitment, which sets no number, gets none), and the publications
    they cite (the ``sources`` block)."""
    from chengzhen.query import progress as Q

    judged = Q.judge_targets(conn, records, Q.as_of_year(as_of))
    out = []
    for r in records:
        j = judged.get(r["id"]) or {}
        out.append({**r, **{k: j.get(k) for k in PROGRESS_KEYS}})
    keys = {s["source"] for j in judged.values() for s in j["series"]}
    return out, Q.sources(conn, keys)


# what `cz targets --progress` adds to a target's record
PROGRESS_KEYS = ["verdict", "status", "reason", "comparable", "place", "place_name", "level_unit", "base", "base_year",
                 "base_source", "base_ref", "latest", "latest_year", "latest_ref", "latest_source", "years_left",
                 "pace_needed", "pace_achieved", "projected_year", "aim", "series", "path", "notes"]
TARGETS_PROGRESS_COLUMNS = ["verdict", "status", "base", "base_year", "base_source", "latest", "latest_year",
                            "latest_source", "years_left", "pace_needed", "pace_achieved", "projected_year", "reason"]
