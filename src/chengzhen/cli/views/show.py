"""`cz show` in the terminal: a measure in full, a section's measures, an
annex's entries, a national task or group, a plan's outline as a tree; and
`cz show --cite`, the citation."""

from __future__ import annotations

from chengzhen.answers.present import KIND_LABELS
from chengzhen.cli import render as R


def table(ans, env) -> None:
    kind, data = ans.data
    painter = {"measure": measure, "plan": plan, "section": section, "national_task": national_task,
               "national_group": national_group}.get(kind, annex)
    painter(env, data)


def measure(env, m: dict) -> None:
    from rich.console import Group
    from rich.text import Text

    from chengzhen.cli.views.targets import targets_table

    con = R.console(env)
    head = Text()
    head.append(f"{m['plan_name']} · {m['id']}", style="bold" if env.colour else "")
    num = m["number"] or ""
    title = m["title"] or ""
    if num or title:
        head.append(f"  {num}{title}")
    parts: list[object] = [head]
    if m.get("path"):
        parts.append(Text(f"位置: {m['path']}"))
    parts.append(Text(f"类型: {KIND_LABELS.get(m['kind'], m['kind'])}    来源: {m['source_file']} 第{m['line']}行"
                      + (f"—第{m['line_end']}行" if m["line_end"] != m["line"] else "")))
    parts.append(Text(""))
    parts.append(Text(m["text"]))
    parts.append(Text(""))
    listed = [d for d in m["departments"] if not d["all_tasks"]]
    plan_wide = [d for d in m["departments"] if d["all_tasks"]]

    def dept_label(d: dict) -> str:
        # 牵头 only where the source writes it; otherwise the order is the source's, nothing more
        label = d["department"] + ("(牵头)" if d["lead"] else "")
        if d["as_written"] != d["department"]:
            label += f"[原文: {d['as_written']}]"
        return label

    if listed:
        parts.append(Text("责任单位(按原文顺序): " + "、".join(dept_label(d) for d in listed)))
    elif not plan_wide:
        parts.append(Text("责任单位: (原文未列)"))
    if plan_wide:
        parts.append(Text("各项任务均需落实的单位(全文统一规定): " + "、".join(dept_label(d) for d in plan_wide)))
    if m.get("tasks") is not None:
        parts.append(Text("国家任务: " + ("、".join(f"{t['number'] or ''}{t['title']} [{t['id']}]" for t in m["tasks"])
                                         or "—")))
    parts.append(Text("主题: " + ("、".join(m["topics"]) if m["topics"] else "—")))
    if m.get("note"):
        parts.append(Text(f"注: {m['note']}"))
    con.print(Group(*parts))
    if m["targets"]:
        con.print(targets_table(env, m["targets"], title="目标"))


def national_task(env, data: dict) -> None:
    from chengzhen.cli.views.tasks import detail_table

    detail_table(env, data)


def national_group(env, data: dict) -> None:
    """`cz show national/1`: the group's tasks with each plan's measures."""
    from chengzhen.cli.views.tasks import listing_table

    listing_table(env, data)


def section(env, s: dict) -> None:
    con = R.console(env)
    R.say(con, f"{s['id']}  {s['number'] or ''}{s['title']}  (第{s['line']}行{'，据目录补' if s['restored'] else ''})")
    for mm in s["measures"]:
        R.say(con, f"  {mm['id']}  {mm['number'] or ''}{mm['title'] or ''}")


def annex(env, a: dict) -> None:
    con = R.console(env)
    R.say(con, f"{a['id']}  {a['title']}")
    for g in a["groups"]:
        R.say(con, f"  {g['name'] or '(原文未标城市)'}{g['count_as_written'] or ''}")
        R.say(con, "    " + "、".join(f"{i['number'] or ''}{i['name']}" for i in g["items"]))


def plan(env, data: dict) -> None:
    from rich.tree import Tree

    p = data["plan"]
    head = f"{p['short_name']} · {p['id']} — {p['name']}"
    meta = "  ".join(x for x in [p.get("doc_number") or "", p.get("issue_date") or "",
                                 f"{p['period_start']}—{p['period_end']}", p.get("completeness") or ""] if x)
    tree = Tree(head + ("\n" + meta if meta else ""), guide_style="dim" if env.colour else "")

    def add(node, items):
        for it in items:
            if it["type"] == "section":
                label = (f"{it['number'] or ''}{it['title']}  [{it['id']}]" + ("  (据目录补)" if it["restored"] else "")
                         + ("  (回顾, 不参与对齐)" if it.get("retrospective") else ""))
                add(node.add(label), it["children"])
            else:
                title = it["title"] if it["title_as_written"] else f"〔{it['title']}〕"
                extra = f"  ◎{it['targets']}" if it["targets"] else ""
                node.add(f"{it['number'] or ''}{title}  [{it['id']}]{extra}")

    add(tree, data["outline"])
    for a in data["annex"]:
        an = tree.add(f"{a['title']}  [{a['id']}]")
        for g in a["groups"]:
            an.add(f"{g['name'] or '(原文未标城市)'}{g['count_as_written'] or ''}: "
                   + "、".join(i["name"] for i in g["items"]))
    if env.is_tty:
        R.console(env).print(tree)
    else:  # off a terminal: the same outline, indented, without tree guides
        lines: list[str] = []

        def walk(node, depth):
            lines.append("  " * depth + str(node.label))
            for child in node.children:
                walk(child, depth + 1)

        walk(tree, 0)
        env.write("\n".join(lines) + "\n")


def citation(ans, env) -> None:
    rec = ans.data
    out = [rec["citation"]]
    if rec["original"] is not None:
        out.append("")
        out.append("原文(" + ("繁体" if rec["script"] == "traditional" else rec["script"]) + ", 已去掉网页注音):")
        out.append(rec["original"])
    for r in rec["repairs"]:
        out.append(f"⟦{r['repaired']}⟧ 为修复: 原文第{r['line']}行作“{r['damaged']}”({r['reason']})")
    env.write("\n".join(out) + "\n")
