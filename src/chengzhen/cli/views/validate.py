"""`cz validate` in the terminal: per plan how much was checked and found,
then every problem, grouped by file, at its line — in the reader's
language (each message's template said by the catalogue, kb/messages.py);
the JSON keeps the English (``cz validate -f json``)."""

from __future__ import annotations

from chengzhen.cli import render as R
from chengzhen.i18n import _, ngettext, say


def table(ans, env) -> None:
    results, groups = ans.data
    problems = [p for _f, ps in groups for p in ps]
    R.console(env).print(R.table(env,
        [("方案", {}), ("章节", {"justify": "right"}), ("条目", {"justify": "right"}),
         ("目标", {"justify": "right"}), ("责任单位", {"justify": "right"}), ("已核对", {"justify": "right"}),
         ("未找到", {"justify": "right"}), ("核对率", {"justify": "right"}), ("原文覆盖", {"justify": "right"}),
         ("标题覆盖", {"justify": "right"})],
        ([r.plan, str(r.sections), str(r.measures), str(r.targets), str(r.departments),
          f"{r.verified}/{r.checked}", str(r.not_found), f"{r.verified_pct:.1f}%", f"{r.coverage_pct:.1f}%",
          f"{r.headings_found}/{r.headings}"] for r in results),
        title="cz validate — 数据与原文核对",
    ))
    if not problems:
        return
    w = env.write
    w("\n" + _("{problems} in {files}:").format(
        problems=ngettext("{n} problem", "{n} problems", len(problems)).format(n=len(problems)),
        files=ngettext("{n} file", "{n} files", len(groups)).format(n=len(groups))) + "\n")
    for file, ps in groups:
        w(f"\n{file}\n")
        for p in ps:
            where = f"{p.file_line}:" if p.file_line else "-:"
            item = f" [{p.item}]" if p.item else ""
            w(f"  {where} {p.code}{item} {say(p.message)}\n")
            if p.hint:
                w(f"      → {say(p.hint)}\n")
            for d in p.detail:
                w(f"      {say(d)}\n")
