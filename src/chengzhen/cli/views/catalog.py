"""`cz plans`, `cz stats`, `cz topics` in the terminal."""

from __future__ import annotations

from chengzhen.answers.present import LEVEL_LABELS
from chengzhen.cli import render as R


def plans(ans, env) -> None:
    R.console(env).print(R.table(env, 
        [("编号", {"no_wrap": True}), ("简称", {"no_wrap": True}), ("名称", {"ratio": 1}), ("层级", {}),
         ("文号", {"no_wrap": True}), ("日期", {"no_wrap": True}), ("期限", {"no_wrap": True}),
         ("条目", {"justify": "right"}), ("目标", {"justify": "right"})],
        ([r["id"], r["short_name"], r["name"] + ("" if r["name_as_written"] else "(编者拟)"),
          LEVEL_LABELS.get(r["level"], r["level"]),
          r["doc_number"] or "—", r["issue_date"] or "—", f"{r['period_start']}—{r['period_end']}",
          str(r["measures"]), str(r["targets"])] for r in ans.records)))


def stats(ans, env) -> None:
    R.console(env).print(R.table(env, 
        [("方案", {}), ("章节", {"justify": "right"}), ("条目(含段落)", {"justify": "right"}),
         ("编号任务", {"justify": "right"}), ("目标", {"justify": "right"}),
         ("责任单位", {"justify": "right"}), ("覆盖主题", {"justify": "right"}),
         ("附件条目", {"justify": "right"}), ("字数", {"justify": "right"})],
        ([f"{r['short_name']} ({r['plan']})", str(r["sections"]), str(r["units"]), str(r["measures"]),
          str(r["targets"]), str(r["departments"]), f"{r['topics']}/{r['topics_total']}",
          str(r["annex_rows"]), str(r["characters"])] for r in ans.records)))


def topics(ans, env) -> None:
    R.console(env).print(R.table(env, 
        [("主题", {"no_wrap": True}), ("上级", {"no_wrap": True}), ("条目", {"justify": "right"}),
         ("同义词", {"ratio": 1})],
        ([("  " if r["parent"] else "") + r["name"], r["parent"] or "", str(r["measures"]),
          "、".join(r["synonyms"])] for r in ans.records)))
