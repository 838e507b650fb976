"""`cz compare`, `cz similar`, `cz matrix` in the terminal."""

from __future__ import annotations

from chengzhen.answers.compare import (
    SALIENT_LABEL, SHARED_LABEL, UNIQUE_LABEL, row_heading, row_label, target_line, title, unit_line,
)
from chengzhen.cli import render as R
from chengzhen.cli.views.cells import cells_text, side_by_side


def table(ans, env) -> None:
    """Plans side by side (columns on a wide terminal, one block per row
    otherwise), then what is unique, review sections, words and targets."""
    from rich.rule import Rule

    data = ans.data
    plans = [p["id"] for p in data["plans"]]
    names = {p["id"]: p["name"] for p in data["plans"]}
    abridged = {p["id"]: p["abridged"] for p in data["plans"]}
    terms = data["terms"]
    con = R.console(env)
    R.say(con, title(data))
    counts = "  ".join(f"{names[p]} {data['counts'][p]} 条" for p in plans)
    n_task = sum(1 for r in data["rows"] if r["basis"] == "task")
    basis = (f"按国家任务 {n_task} 行, 按文本相似 {len(data['rows']) - n_task} 行" if data["by"] == "task"
             else f"按文本相似 {len(data['rows'])} 行")
    R.say(con, f"对齐: {basis}; {counts}")
    cut = [names[p] for p in plans if abridged[p]]
    if cut:
        R.say(con, f"注: {'、'.join(cut)}的原文有删减, 空格不一定表示未写")
    if side_by_side(env, con, len(plans)):
        cols = [("#", {"max_width": 16}), *[(names[p], {"ratio": 1}) for p in plans]]
        rows = [[f"{n}\n{row_heading(row)}",
                 *[cells_text(env, row["cells"].get(p, []), terms, abridged=abridged[p] and row["basis"] == "task",
                              hidden=row["filtered_out"].get(p))
                   for p in plans]]
                for n, row in enumerate(data["rows"], start=1)]
        t = R.table(env, cols, rows)
        t.show_lines = True
        con.print(t)
    else:
        for n, row in enumerate(data["rows"], start=1):
            label = row_label(row, n) + (f"  共有: {'、'.join(row['shared_words'])}" if row["shared_words"] else "")
            if env.is_tty:
                con.print(Rule(label, align="left"))
            else:
                con.print("\n" + label)
            for p in plans:
                con.print(f"[{names[p]}]")
                con.print(cells_text(env, row["cells"].get(p, []), terms, width=240,
                                     abridged=abridged[p] and row["basis"] == "task",
                                     hidden=row["filtered_out"].get(p)))
    con.print("")
    R.say(con, "各方案独有:")
    for p in plans:
        items = data["unique"][p]
        R.say(con, f"  {names[p]}({len(items)}): " + ("、".join(unit_line(c) for c in items) or "—"))
    if any(data["review"].values()):
        R.say(con, "回顾性章节(不参与对齐):")
        for p in plans:
            if data["review"][p]:
                R.say(con, f"  {names[p]}: " + "、".join(unit_line(c) for c in data["review"][p]))
    R.say(con, f"{SHARED_LABEL}: {'、'.join(data['shared_words']) or '—'}")
    for p in plans:
        R.say(con, f"  {names[p]}{UNIQUE_LABEL}: {'、'.join(data['distinctive_words'][p]) or '—'}")
        R.say(con, f"  {names[p]}{SALIENT_LABEL}: {'、'.join(data['salient_words'][p]) or '—'}")
    if any(data["targets"].values()):
        R.say(con, "目标(同一目标的多处转述只列一次):")
        for p in plans:
            for t in data["targets"][p]:
                R.say(con, f"  {names[p]}  {target_line(t)}")


def similar(ans, env) -> None:
    from chengzhen.answers.present import lead_phrase

    m = ans.blocks["measure"]
    n = ans.query["number"]
    con = R.console(env)
    R.say(con, f"{m['plan_name']} {m['id']} {m['number'] or ''}{m['title'] or lead_phrase(m['text'])}")
    con.print(R.table(env, [("相似度", {"justify": "right"}), ("方案", {"no_wrap": True}), ("条目", {"no_wrap": True}),
                            ("标题", {"ratio": 1}), ("共有词", {})],
                      ([f"{r['score']:.2f}", r["plan_name"], r["id"],
                        f"{r['number'] or ''}{r['title'] or lead_phrase(r['text'])}", "、".join(r["shared_words"])]
                       for r in ans.records)))
    R.say(con, f"每个其他方案最相似的 {n} 条; 相似度 ≥ 0.6: 多为同一国家任务的转述; < 0.3: 各自表述")


def matrix(ans, env) -> None:
    from rich.text import Text

    data = ans.data
    plans = [p["id"] for p in data["plans"]]
    by_task = ans.query.get("by") == "task"
    cut = [p["name"] for p in data["plans"] if p.get("abridged")]
    peak = max([r[p] for r in data["counts"] for p in plans] or [1]) or 1

    def heat(n: int):
        if n == 0:
            return R.plain(env, "·" if not env.colour else "0", "dim red")
        if not env.colour:
            return Text(str(n))
        level = n / peak
        style = ("on grey23" if level < 0.2 else "on dark_green" if level < 0.45
                 else "on green4" if level < 0.7 else "bold on green3")
        return Text(f" {n} ", style=style)

    if by_task:
        first = [(f"{'  ' if r['type'] == 'task' else ''}{r['number'] or ''}{r['title']}", r) for r in data["counts"]]
        head = "国家任务"
    else:
        first = [(("  " if r["parent"] else "") + r["topic"], r) for r in data["counts"]]
        head = "主题"
    rows = [[label, *[heat(r[p]) for p in plans]] for label, r in first]
    con = R.console(env)
    con.print(R.table(env, [(head, {"no_wrap": True}), *[(p["name"], {"justify": "right"}) for p in data["plans"]]],
                      rows))
    R.say(con, "条目数(一级" + ("行动含其下任务" if by_task else "主题含其下级") + "); · = 未涉及"
          + (f"; {'、'.join(cut)}原文有删减, 未涉及不一定表示未写" if cut else ""))
