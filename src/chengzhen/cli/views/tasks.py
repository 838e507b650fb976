"""`cz tasks` in the terminal: the groups and tasks with each plan's
measure numbers (· where none carries it); `cz tasks ID`: each task with
every plan's measures side by side."""

from __future__ import annotations

from chengzhen.answers.present import ABRIDGED_MARK, silent_plan_label
from chengzhen.cli import render as R
from chengzhen.cli.views.cells import cells_text, side_by_side


def _local(mid: str) -> str:
    """A measure id without its plan prefix (the column says the plan)."""
    return mid.split("/", 1)[1] if "/" in mid else mid


def _plan_header(p: dict) -> str:
    return p["name"] + ("‡" if p.get("abridged") else "") + ("†" if not p.get("implements") else "")


def _plans_caption(plans: list[dict]) -> list[str]:
    out = []
    cut = [p["name"] for p in plans if p.get("abridged")]
    if cut:
        out.append(f"‡ {'、'.join(cut)}: {ABRIDGED_MARK}, 未承接不一定表示未写")
    free = [p["name"] for p in plans if not p.get("implements")]
    if free:
        out.append(f"† {'、'.join(free)}: 不是上位方案的实施方案, 只映射明显承接国家任务的条目")
    return out


def table(ans, env) -> None:
    kind, data = ans.data
    if kind == "detail":
        detail_table(env, data)
    else:
        listing_table(env, data)


def listing_table(env, data: dict) -> None:
    from rich.text import Text

    plans = [p["id"] for p in data["plans"]]
    body = []
    for r in data["rows"]:
        group = r["type"] == "group"
        label = Text(("" if group else "  ") + r["title"], style="bold" if group and env.colour else "")
        cells = []
        for p in plans:
            got = r["measures"][p]
            if got:
                cells.append(Text(" ".join(_local(m["id"]) for m in got)))
            elif r["leaf"]:
                cells.append(R.plain(env, "·", "dim red"))
            else:
                cells.append(Text(""))
        share = f"{r['carried_by']}/{len(plans)}" if r["leaf"] else ""
        body.append([r["number"] or "", label, *cells, share, r["id"]])
    con = R.console(env)
    con.print(R.table(env, 
        [("编号", {"no_wrap": True}), ("国家任务", {"max_width": 30}),
         *[(_plan_header(p), {"max_width": 16}) for p in data["plans"]],
         ("承接", {"justify": "right", "no_wrap": True}), ("ID", {"no_wrap": True})], body))
    for line in ["单元格: 承接该任务的条目编号(省略方案前缀, cz show PLAN/编号); · = 无条目承接",
                 "任务标题为省级方案的转述(国家方案原文不在来源中), cz tasks ID 显示出处", *_plans_caption(data["plans"])]:
        R.say(con, line)


def detail_table(env, data: dict) -> None:
    from rich.rule import Rule

    con = R.console(env)
    plans = data["plans"]
    wide = side_by_side(env, con, len(plans))
    for k, t in enumerate(data["tasks"]):
        if k:
            con.print("")
        head = f"{t['id']}  {t['number'] or ''}{t['title']}"
        if env.is_tty:
            con.print(Rule(head, align="left"))
        else:
            R.say(con, head)
        R.say(con, f"标题出处: {t['evidence'] or '—'} (省级方案的转述; 国家方案原文不在来源中)")
        if t.get("note"):
            R.say(con, f"注: {t['note']}")
        silent = [p for p in plans if not t["cells"][p["id"]]]
        R.say(con, f"承接: {t['carried_by']}/{len(plans)} 个方案"
              + (f"; 未承接: {'、'.join(silent_plan_label(p) for p in silent)}" if silent else ""))
        if wide:
            t_ = R.table(env, [(p["name"], {"ratio": 1}) for p in plans],
                         [[cells_text(env, t["cells"][p["id"]], [], width=400, abridged=p["abridged"])
                           for p in plans]])
            t_.show_lines = True
            con.print(t_)
        else:
            for p in plans:
                con.print(f"[{p['name']}]")
                con.print(cells_text(env, t["cells"][p["id"]], [], width=10_000, abridged=p["abridged"]))
