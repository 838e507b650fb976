"""`cz coverage` in the terminal: plans × terms, zeros in red, then who
leaves out what."""

from __future__ import annotations

from chengzhen.cli import render as R


def table(ans, env) -> None:
    terms = ans.blocks["terms"]

    def num(n: int):
        return R.plain(env, str(n), "" if n else "bold red")

    con = R.console(env)
    con.print(R.table(env, [("方案", {"no_wrap": True}), *[(term, {"justify": "right"}) for term in terms]],
                      ([f"{r['plan_name']} ({r['plan']})", *[num(r["counts"][term]) for term in terms]]
                       for r in ans.records)))
    R.say(con, "各格: 提及该词的条目、章节标题、附件条目数(含分词命中与责任单位); 0 = 未提及")
    gaps = [r for r in ans.records if r["missing"]]
    if not gaps:
        R.say(con, "每个方案都提及每个词。")
    for r in gaps:
        R.say(con, f"{r['plan_name']}({r['plan']}) 未提及: " + "、".join(r["missing"]))
    for n in ans.notes:
        R.say(con, n)
