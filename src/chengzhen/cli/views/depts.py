"""`cz depts` in the terminal: departments × plans, or one department's
measures."""

from __future__ import annotations

from chengzhen.cli import render as R


def _role(r: dict) -> str:
    if r["all_tasks"]:
        return "全部任务(全文统一规定)"
    role = "首列" if r["listed_first"] else "列出"
    return role + (", 牵头" if r["lead"] else "")


def table(ans, env) -> None:
    if ans.data[0] == "measures":
        measures(ans, env)
    else:
        counts(ans, env)


def counts(ans, env) -> None:
    _kind, rows, plans = ans.data
    tcols = [("责任单位", {"no_wrap": True}), ("条目", {"justify": "right"}), ("首列", {"justify": "right"}),
             ("牵头", {"justify": "right"})]
    tcols += [(p["short_name"], {"justify": "right"}) for p in plans]
    body = []
    for d in rows:
        cells = [d["department"], str(d["measures"]), str(d["listed_first"]), str(d["lead"])]
        for p in plans:
            c = d["plans"].get(p["id"])
            cells.append((f"{c['measures']}({c['listed_first']})" + (f"[牵头{c['lead']}]" if c["lead"] else ""))
                         if c else "")
        body.append(cells)
    con = R.console(env)
    con.print(R.table(env, tcols, body))
    R.say(con, "各方案列: 条目数(首列数); 首列 = 在责任单位中列第一(原文顺序, 不表示牵头); 牵头 = 原文写明牵头")


def measures(ans, env) -> None:
    rows = list(ans.records)
    if not rows:
        from chengzhen.i18n import _

        env.note(_("{departments} is responsible for no measure").format(
            departments="、".join(ans.blocks["departments"])))
        return
    con = R.console(env)
    con.print(R.table(env, [("责任单位", {"no_wrap": True}), ("方案", {"no_wrap": True}), ("条目", {"no_wrap": True}),
                            ("标题", {"ratio": 1}), ("位次", {"justify": "right", "no_wrap": True}),
                            ("角色", {"no_wrap": True})],
                      ([r["department"], r["plan_name"], r["measure_id"], f"{r['number'] or ''}{r['title'] or ''}",
                        "" if r["position"] is None else str(r["position"]), _role(r)] for r in rows)))
    R.say(con, "位次: 在责任单位中的位置, 从 0 数起(0 = 首列); 原文顺序, 不表示牵头, 除非原文写明牵头")
