"""`cz targets` in the terminal: the dated targets, the commitments apart,
a bar chart for an indicator, and who sets none or one elsewhere."""

from __future__ import annotations

from chengzhen.answers.present import (
    ABRIDGED_MARK, BASELINE_FROM_NOTE, baseline_label, restated_label, year_label,
)
from chengzhen.answers.targets import dated, promised
from chengzhen.cli import render as R


def targets_table(env, rows: list[dict], title: str | None = None):
    """Targets as committed: scope, value as written, its qualifier (左右/以上…)
    and aspiration (力争…) in columns of their own, the year (* = implied),
    and the other places the plan restates it (shown once here)."""
    notes = []
    if any(t["year_implied"] for t in rows):
        notes.append("* 年份据规划期推定(原文未写明)")
    if any(t.get("restatements") for t in rows):
        notes.append("另见 N 处: 同一目标在本方案其他 N 处转述, 只列一次(合计时不重复计算)")
    if any(t.get("baseline_from") for t in rows):
        notes.append(BASELINE_FROM_NOTE)
    return R.table(env, 
        [("方案", {"no_wrap": True}), ("指标", {"max_width": 24}), ("范围", {"max_width": 14}),
         ("目标(原文)", {"max_width": 22}), ("限定", {"no_wrap": True}), ("力争", {"no_wrap": True}),
         ("年份", {"no_wrap": True}), ("基期", {"no_wrap": True}), ("累计", {}),
         ("条目", {"no_wrap": True}), ("转述", {"no_wrap": True})],
        ([t.get("plan_name") or t["plan"], t["indicator"], t.get("scope") or "", t["as_written"],
          t.get("qualifier") or "", t.get("aspiration") or "", year_label(t), baseline_label(t),
          "是" if t["cumulative"] else "", t["measure_id"], restated_label(t)] for t in rows),
        title=title, caption="\n".join(notes) or None,
    )


def _silent_label(s: dict) -> str:
    return f"{s['plan_name']}({s['plan']}" + (f", {ABRIDGED_MARK}" if s.get("abridged") else "") + ")"


def table(ans, env, *, chart: bool = False) -> None:
    con = R.console(env)
    rows = list(ans.records)
    silent = ans.blocks.get("silent") or []
    elsewhere = ans.blocks.get("elsewhere") or []
    if not rows and not silent and not elsewhere:
        from chengzhen.i18n import _, translate

        env.note(_("no targets match"))
        for n in ans.notes:
            env.note(translate(n))
        return
    when = dated(ans)
    if when and ans.query.get("progress"):  # each against the statistics (cli/views/progress.py)
        from chengzhen.cli.views.progress import dated_with_progress

        dated_with_progress(ans, env, con, when, chart)
        chart = False
    elif when:
        con.print(targets_table(env, when))
    if promised(ans):
        con.print(targets_table(env, promised(ans),
                                title="承诺(无数值, 原文未写年份且不受“到20XX年”统领): 不计入 --year"))
    if chart and when:
        con.print(bar_chart(env, when))
    if elsewhere:
        parts = []
        for e in elsewhere:
            what = "、".join(
                (f"{year_label(t)}年" if t["year"] and t["kind"] != "commitment" else "无年份(承诺)")
                + f" {t['scope'] + ' ' if t['scope'] else ''}{t['as_written']} [{t['id']}]"
                for t in e["targets"])
            parts.append(f"{e['plan_name']}({e['plan']}): {what}")
        R.say(con, "在所选条件之外设有此类目标的方案: " + "; ".join(parts))
    if silent:
        R.say(con, "未设此类目标的方案: " + "、".join(_silent_label(s) for s in silent))
        if any(s.get("abridged") for s in silent):
            R.say(con, f"注: {ABRIDGED_MARK}的方案, 未见不等于未写")
    for n in ans.notes:
        R.say(con, f"注: {n}" + ("; 加 --within 列出" if ans.query.get("scope") and not ans.query.get("within") else ""))


def bar_chart(env, rows: list[dict], width: int = 40):
    """Horizontal bars on one shared scale per unit: target (█) and, for a
    level target, its baseline (░).  Growth targets (个百分点 a year) are drawn
    on their own scale and without the baseline, which is a level."""
    from rich.cells import cell_len
    from rich.text import Text

    out = Text()
    groups: dict[tuple, list[dict]] = {}
    for t in rows:
        if t["value"] is not None:
            groups.setdefault((t["unit"] or "", t["basis"]), []).append(t)
    basis_label = {"level": "", "annual_growth": "年均增长", "increase": "增加", "decrease": "减少"}
    for (unit, basis), ts in groups.items():
        with_base = basis == "level"
        top = max(max(t["value_max"] or t["value"], (t["baseline"] or 0) if with_base else 0) for t in ts) or 1
        out.append(f"\n{ts[0]['indicator']} {basis_label.get(basis, basis)}(单位: {unit or '—'}; 同一刻度 0—{top:g})\n")

        def name(t):
            return f"{t['plan_name']} {t.get('scope') or t['indicator']}"

        label_w = max(cell_len(name(t)) for t in ts)
        for t in ts:
            label = name(t)
            n = max(1, round(width * (t["value_max"] or t["value"]) / top))
            out.append(label + " " * (label_w - cell_len(label) + 1))
            out.append("█" * n, style="green" if env.colour else "")
            out.append(f" {t.get('aspiration') or ''}{t['as_written']} ({year_label(t)})"
                       + (f" {restated_label(t)}" if t.get("restatements") else "") + "\n")
            if with_base and t["baseline"] is not None:
                b = max(1, round(width * t["baseline"] / top))
                out.append(" " * (label_w + 1))
                out.append("░" * b, style="dim" if env.colour else "")
                out.append(f" 基期 {baseline_label(t)}\n")
    return out
