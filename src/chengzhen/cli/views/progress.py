"""`cz progress` (and `cz targets --progress`) in the terminal: each target
against the statistics — a table whose numbers each say where they are
from (a statistic's publication by its number [n] in the list below the
table; a plan's baseline marked 规划, with its measure), the notes, and per
plan a chart: the realized series (●) and the straight path from the base
to the target (·), the target (◎)."""

from __future__ import annotations

from chengzhen.answers.present import committed_value, year_label
from chengzhen.cli import render as R

VERDICT_STYLES = {"已达成": "bold green", "按进度": "green", "落后": "bold red", "无数据": "dim", "无可比数据": "yellow"}
PAGE_LABELS = {"official": "统计部门网页", "repost": "转载", "secondary": "报道"}
CHART_WIDTH = 36
MAX_CHART_YEARS = 40


def _n(x: float | None, digits: int = 4) -> str:
    if x is None:
        return ""
    return f"{round(x, digits):g}"


def _pace(x: float | None) -> str:
    return "" if x is None else f"{x:+.3g}"


class Numbers:
    """The publications cited, numbered in order of first use."""

    def __init__(self, sources: dict):
        self.sources = sources
        self.order: list[str] = []

    def mark(self, key: str | None) -> str:
        if not key:
            return ""
        if key not in self.order:
            self.order.append(key)
        return f"[{self.order.index(key) + 1}]"

    def lines(self) -> list[str]:
        out = []
        for n, key in enumerate(self.order, 1):
            s = self.sources.get(key) or {}
            date = s.get("published") or (f"页面 {s['page_date']}" if s.get("page_date") else "日期不明")
            out.append(f"[{n}] {s.get('publisher', '')}《{s.get('title', key)}》({date}; "
                       f"{PAGE_LABELS.get(s.get('page'), s.get('page') or '')}) {s.get('url', '')}")
        return out


def base_cell(r: dict, nums: Numbers) -> str:
    if r.get("base") is None:
        return ""
    where = "规划" if r.get("base_source") == "plan" else nums.mark(_source_of(r, r.get("base_ref")))
    return f"{_n(r['base'])}({r['base_year']}){where}"


def _source_of(r: dict, statistic_id: str | None) -> str | None:
    for s in r.get("series") or ():
        if s["statistic"] == statistic_id:
            return s["source"]
    return None


def latest_cell(r: dict, nums: Numbers) -> str:
    if r.get("latest") is None:
        return ""
    return f"{_n(r['latest'])}({r['latest_year']}){nums.mark(r.get('latest_source'))}"


def what_cell(r: dict) -> str:
    """The indicator, and where the target is set when it names a scope."""
    return r["indicator"] + (f"({r['scope']})" if r.get("scope") else "")


def progress_table(env, records: list[dict], nums: Numbers, title: str | None = None):
    return R.table(env, [
        ("方案", {"no_wrap": True}), ("指标(范围)", {"max_width": 16}), ("目标(原文)", {"max_width": 14}),
        ("年份", {"no_wrap": True}), ("起点", {"no_wrap": True}), ("最新", {"no_wrap": True}),
        ("剩余年", {"no_wrap": True}), ("需年均", {"no_wrap": True}), ("实际年均", {"no_wrap": True}),
        ("按现速达成", {"no_wrap": True}), ("判断", {"no_wrap": True}), ("依据", {"min_width": 12, "ratio": 1}),
        ("条目", {"no_wrap": True}),
    ], ([r.get("plan_name") or r["plan"], what_cell(r), committed_value(r), year_label(r), base_cell(r, nums),
         latest_cell(r, nums), "" if r.get("years_left") is None else str(r["years_left"]),
         _pace(r.get("pace_needed")), _pace(r.get("pace_achieved")),
         "" if r.get("projected_year") is None else str(r["projected_year"]),
         R.plain(env, r["verdict"], VERDICT_STYLES.get(r["verdict"], "")) if r.get("verdict") else "",
         r.get("reason") or "", r["measure_id"]] for r in records), title=title)


def footnotes(con, records: list[dict], nums: Numbers) -> None:
    if any(r.get("year_implied") for r in records):
        R.say(con, "* 年份据规划期推定(原文未写明)")
    planned = [r for r in records if r.get("base_source") == "plan"]
    if planned:
        R.say(con, "起点“规划”: 规划自己写的基期值(" + "、".join(dict.fromkeys(
            f"{r.get('plan_name') or r['plan']} 条目 {r['base_ref']}" for r in planned)) + "); 其余数字 [n] 为统计值, 出处见下")
    for r in records:
        for note in r.get("notes") or ():
            R.say(con, f"注({r.get('plan_name') or r['plan']} {r['indicator']} {committed_value(r)}): {note}")
    for line in nums.lines():
        R.say(con, line)


def dated_with_progress(ans, env, con, records: list[dict], chart: bool) -> None:
    """`cz targets --progress`: the dated targets as `cz progress` shows them."""
    nums = Numbers(ans.blocks.get("sources") or {})
    con.print(progress_table(env, records, nums))
    if chart:
        for block in charts(env, records, nums):
            con.print(block)
    footnotes(con, records, nums)


def table(ans, env, *, chart: bool = True) -> None:
    con = R.console(env)
    records = list(ans.records)
    if not records:
        from chengzhen.i18n import _

        env.note(_("no targets match"))
        return
    dated_with_progress(ans, env, con, records, chart)
    for n in ans.notes:
        R.say(con, f"注: {n}")


# --------------------------------------------------------------------------- the chart

def charts(env, records: list[dict], nums: Numbers) -> list:
    """Per plan, one chart per target that has statistics: years down, the
    value across on the target's own scale."""
    from rich.text import Text

    by_plan: dict[str, list[dict]] = {}
    for r in records:
        if r.get("series"):
            by_plan.setdefault(r.get("plan_name") or r["plan"], []).append(r)
    out = []
    for plan, rs in by_plan.items():
        t = Text()
        t.append(f"\n{plan}\n", style="bold" if env.colour else "")
        for r in rs:
            t.append_text(chart(env, r, nums))
        out.append(t)
    return out


def chart(env, r: dict, nums: Numbers, width: int = CHART_WIDTH):
    from rich.text import Text

    series = {s["year"]: s for s in r["series"]}
    path = r.get("path") or []
    target_year = r.get("year")
    years = list(series) + [p["year"] for p in path] + ([target_year] if target_year else [])
    first, last = min(years), max(years)
    last = min(last, first + MAX_CHART_YEARS)
    values = [s["value"] for s in series.values()] + [p["value"] for p in path]
    if r.get("aim") is not None and r.get("basis") != "annual_growth":
        values.append(r["aim"])
    lo, hi = min(values), max(values)
    if hi == lo:
        hi = lo + 1
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad

    def col(v: float) -> int:
        return max(0, min(width - 1, round((v - lo) / (hi - lo) * (width - 1))))

    def on_path(y: int) -> float | None:
        if len(path) != 2 or not path[0]["year"] <= y <= path[1]["year"]:
            return None
        (y0, v0), (y1, v1) = (path[0]["year"], path[0]["value"]), (path[1]["year"], path[1]["value"])
        return v0 + (v1 - v0) * (y - y0) / (y1 - y0) if y1 != y0 else v0

    style = env.colour
    t = Text()
    unit = r.get("level_unit") or ""
    t.append(f"  {what_cell(r)} {committed_value(r)}({year_label(r)}) ")
    t.append(r["verdict"], style=VERDICT_STYLES.get(r["verdict"], "") if style else "")
    t.append(f"\n        {_n(lo, 2):<{width // 2}}{_n(hi, 2):>{width - width // 2}}  ({unit or '—'})\n")
    for y in range(first, last + 1):
        row = [" "] * width
        p = on_path(y)
        if p is not None:
            row[col(p)] = "·"
        s = series.get(y)
        if s is not None:
            row[col(s["value"])] = "●"
        if y == target_year and r.get("aim") is not None and r.get("basis") != "annual_growth":
            row[col(r["aim"])] = "◎" if s is None or col(s["value"]) != col(r["aim"]) else "●"
        t.append(f"  {y}  ")
        for ch in row:
            t.append(ch, style=("bold cyan" if ch == "●" else "dim" if ch == "·" else "bold magenta" if ch == "◎"
                                else "") if style else "")
        label = []
        if s is not None:
            label.append(f"{_n(s['value'])} {nums.mark(s['source'])}")
        if y == target_year:
            label.append(f"目标 {committed_value(r)}" + (f"(按{_n(r['aim'])}计)" if r.get("aim") is not None
                                                     and r["aim"] != r.get("value") else ""))
        elif p is not None and s is None:
            label.append(f"路径 {_n(p, 2)}")
        t.append("  " + "; ".join(label) + "\n")
    t.append("        ● 统计值  · 起点到目标的直线路径  ◎ 目标\n", style="dim" if style else "")
    return t
