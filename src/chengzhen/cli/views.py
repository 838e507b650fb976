"""What each command shows: plain data in, an :class:`Output` out.

Each function below turns one command's query result into records with
stable English keys (for json/jsonl/csv/tsv) and a terminal view drawn with
rich, whose labels are Chinese a reader understands.  ``cli/output.py``
writes it in the format asked for.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence

from chengzhen.cli import render as R
from chengzhen.cli.output import Output, cell, write
from chengzhen.query.labels import ABRIDGED_MARK, ENTITY_LABELS, HOW_LABELS, KIND_LABELS, LEVEL_LABELS, MATCH_LABELS
from chengzhen.query.search import snippet


def note(message: str) -> None:
    """A line for the reader on stderr (never mixed into records)."""
    sys.stderr.write(f"cz: {message}\n")


def target_phrase(t: dict) -> str:
    # imported when a view needs it: the plain search path never loads the comparison code
    from chengzhen.query.items import target_phrase as phrase

    return phrase(t)


def _lead(text: str) -> str:
    from chengzhen.query.catalog import lead_phrase

    return lead_phrase(text)


# --------------------------------------------------------------------------- search

SEARCH_COLUMNS = ["rank", "hit", "match", "via", "kind", "id", "item", "plan", "plan_name", "number", "title", "path",
                  "line", "in_title", "score", "tasks", "text"]


def entity_command(ent) -> str:
    """The command that shows everything about an entity a query named."""
    if ent.kind == "department":
        return f"cz depts {ent.name}"
    if ent.kind == "plan":
        return f"cz show {ent.name}"
    if ent.kind == "topic":
        return f"cz search --topic {ent.name}"
    if ent.kind == "indicator":
        return f"cz targets --indicator {ent.name}"
    return f"cz tasks {ent.keys[0]}"


def search_rows(result, start: int = 1) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(hits, suggested, related, did-you-mean rows), each row with its rank:
    one numbering for every format."""
    n = start - 1

    def ranked(hits) -> list[dict]:
        nonlocal n
        out = []
        for h in hits:
            n += 1
            out.append({"rank": n, **h.as_dict()})
        return out

    hits, suggested, related = ranked(result.hits), ranked(result.suggested), ranked(result.related)
    dym = []
    for word in result.suggestions:
        n += 1
        dym.append({"rank": n, "hit": False, "match": "did_you_mean", "via": result.suggestion_kind or None,
                    "kind": "suggestion", "id": None, "item": None, "plan": None, "plan_name": None, "number": None,
                    "title": word, "path": None, "line": None, "in_title": None, "score": None, "text": word})
    return hits, suggested, related, dym


def search_blocks(result) -> dict:
    """The search-specific blocks of the JSON envelope."""
    extra: dict = {"mode": result.mode, "terms": result.terms, "matches": result.counts}
    if result.normalized and result.normalized != result.query.strip():
        extra["normalized"] = result.normalized
    extra["entities"] = [{**e.as_dict(), "see": entity_command(e)} for e in result.entities]
    extra["segments"] = result.segments
    extra["did_you_mean"] = result.suggestions
    return extra


def search(result, *, full: bool = False, query: dict | None = None, fuzzy: bool = False) -> Output:
    hits, suggested, related, dym = search_rows(result)
    extra = search_blocks(result)
    if fuzzy:
        extra["suggested"] = suggested
    extra["related"] = related
    if result.groups is not None:
        extra["groups"] = result.groups
    ids = [r["id"] for r in hits] + ([r["id"] for r in suggested] if fuzzy else [])

    def table(rows: list[dict]) -> None:
        search_table(result, full, fuzzy=fuzzy)

    return Output("search", hits, SEARCH_COLUMNS, query=query or {"q": result.query}, total=result.total,
                  notes=list(result.notes), extra=extra, table=table, id_key="id",
                  rows=[*hits, *suggested, *related, *dym], ids=ids)


def _hit_rows(hits, terms: list[str], full: bool, start: int) -> list[list]:
    from chengzhen.query.search import find_spans

    rows = []
    for n, h in enumerate(hits, start=start):
        marks = list(terms) + (h.via.split() if h.match == "related" and h.via else [])
        spans = find_spans(h.text, marks)
        if full:
            body, shown = h.text, spans
        else:
            body, shown = snippet(h.text, spans, 56)
        title = h.title if h.kind != "target" else f"{h.title}(目标)"
        label = MATCH_LABELS.get(h.match, h.match)
        rows.append([str(n), h.plan_name, h.id, label, R.highlighted(title, find_spans(title, marks)),
                     R.highlighted(body, shown)])
    return rows


def _hits_table(rows: list[list], full: bool, caption: str | None = None, title: str | None = None):
    return R.table([("#", {"justify": "right", "no_wrap": True}), ("方案", {"no_wrap": True}),
                    ("编号", {"no_wrap": True}), ("匹配", {"no_wrap": True}), ("标题", {"max_width": 28}),
                    ("摘录" if not full else "全文", {"ratio": 1})], rows, caption=caption, title=title)


def search_lines(result, *, fuzzy: bool = False) -> list[str]:
    """The lines a reader sees above the table: what the query named, how it
    was cut, what was suggested instead."""
    lines = []
    q = result.query.strip()
    if result.normalized and result.normalized != q and result.query:
        lines.append(f"按“{result.normalized}”检索(已去掉编号、拼音注音或多余空格)")
    for e in result.entities:
        what = "指标的目标" if e.kind == "indicator" else "条目"
        label = e.name if e.kind != "task" else e.name
        lines.append(f"“{q}”是{ENTITY_LABELS.get(e.kind, e.kind)} {label} 的{HOW_LABELS.get(e.how, e.how)}: "
                     f"其{what}列为命中(匹配: {MATCH_LABELS.get(e.kind, e.kind)}) — 详见 {entity_command(e)}")
    if result.segments:
        lines.append(f"“{q}”无整词命中处, 含全部分词 {' + '.join(result.segments)} 的条目列为命中(匹配: 分词)")
    if not result.hits and result.total == 0 and result.mode != "list":
        if result.suggestions:
            more = "; 加 --fuzzy 直接检索第一个" if not fuzzy else ""
            lines.append(f"无命中: “{q}”。你是否要找: {' / '.join(result.suggestions)} ? (建议, 非命中{more})")
        elif result.related:
            lines.append(f"无命中: 没有条目含“{q}”或其全部词语; 以下为共有词最多的相关条目(非命中)")
        else:
            lines.append(f"无命中: “{q}”" if q else "无命中")
    return lines


def search_table(result, full: bool, *, fuzzy: bool = False, heading: str | None = None) -> None:
    con = R.console()
    if heading:
        con.print(heading)
    for line in search_lines(result, fuzzy=fuzzy):
        con.print(line)
    terms = list(result.terms) + list(result.segments)
    if result.groups is not None:
        by: dict[str, list] = {}
        for h in result.hits:
            by.setdefault(h.plan, []).append(h)
        n = 1
        for g in result.groups:
            got = by.get(g["plan"], [])
            if not got:
                continue
            cap = None if g["count"] == g["total"] else f"{g['count']} / {g['total']} 条 — 用 --limit 0 显示全部"
            con.print(_hits_table(_hit_rows(got, terms, full, n), full, caption=cap,
                                  title=f"{g['plan_name']} ({g['plan']}): {g['total']} 条"))
            n += len(got)
        silent = [f"{g['plan_name']}({g['plan']})" for g in result.groups if not g["total"]]
        if silent:
            con.print("未命中的方案: " + "、".join(silent))
    elif result.hits:
        n = len(result.hits)
        caption = f"{n} / {result.total} 条" + ("" if n == result.total else " — 用 --limit 0 显示全部")
        con.print(_hits_table(_hit_rows(result.hits, terms, full, 1), full, caption=caption))
    start = len(result.hits) + 1
    if fuzzy and result.suggested:
        con.print(_hits_table(_hit_rows(result.suggested, terms + result.suggestions[:1], full, start), full,
                              title=f"按建议“{result.suggestions[0]}”检索的结果(非命中)"))
        start += len(result.suggested)
    if result.related:
        con.print(_hits_table(_hit_rows(result.related, terms, full, start), full,
                              title="相关条目(非命中, 与检索词共有词语最多; 高亮为共有词)"))


# --------------------------------------------------------------------------- coverage

def coverage(data: dict, query: dict) -> Output:
    """Plans × terms.  JSON records keep the counts under ``counts`` (a term
    may be any text); CSV/TSV/xlsx rows have one column per term."""
    terms = data["terms"]
    fixed = ["plan", "plan_name", "missing"]
    keys = {t: (t if t not in fixed else f"{t} (term)") for t in terms}
    columns = ["plan", "plan_name", *keys.values(), "missing"]
    rows = [{"plan": r["plan"], "plan_name": r["plan_name"], **{keys[t]: r["counts"][t] for t in terms},
             "missing": len(r["missing"])} for r in data["records"]]
    complete = data["complete"]
    notes = []
    for t in terms:
        dym = data["how"][t]["did_you_mean"]
        if dym:
            notes.append(f"no plan mentions {t!r}; did you mean {' / '.join(dym)}?")

    def table(_rows: list[dict]) -> None:
        from rich.text import Text

        color = R.use_color()

        def num(n: int):
            if n:
                return Text(str(n))
            return Text("0", style="bold red" if color else "")

        con = R.console()
        t = R.table([("方案", {"no_wrap": True}), *[(term, {"justify": "right"}) for term in terms]],
                    ([f"{r['plan_name']} ({r['plan']})", *[num(r["counts"][term]) for term in terms]]
                     for r in data["records"]))
        con.print(t)
        con.print("各格: 提及该词的条目、章节标题、附件条目数(含分词命中与责任单位); 0 = 未提及")
        gaps = [(r, r["missing"]) for r in data["records"] if r["missing"]]
        if not gaps:
            con.print("每个方案都提及每个词。")
        for r, missing in gaps:
            con.print(f"{r['plan_name']}({r['plan']}) 未提及: " + "、".join(missing))
        for n in notes:
            con.print(n)

    return Output("coverage", data["records"], columns, query=query, total=len(data["records"]), notes=notes,
                  extra={"terms": terms, "complete": complete, "how": data["how"]}, table=table, id_key="plan",
                  rows=rows)


# --------------------------------------------------------------------------- citation

CITATION_COLUMNS = ["id", "kind", "plan", "plan_title", "plan_title_as_written", "doc_number", "issuer", "issue_date",
                    "number", "title", "path", "source_file", "line", "line_end", "quote", "script", "original",
                    "repairs", "restored_heading", "citation"]


def citation(rec: dict) -> Output:
    def table(_rows: list[dict]) -> None:
        out = [rec["citation"]]
        if rec["original"] is not None:
            out.append("")
            out.append("原文(" + ("繁体" if rec["script"] == "traditional" else rec["script"]) + ", 已去掉网页注音):")
            out.append(rec["original"])
        for r in rec["repairs"]:
            out.append(f"⟦{r['repaired']}⟧ 为修复: 原文第{r['line']}行作“{r['damaged']}”({r['reason']})")
        write("\n".join(out) + "\n")

    return Output("show", [rec], CITATION_COLUMNS, query={"id": rec["id"], "cite": True}, table=table, id_key="id")


# --------------------------------------------------------------------------- show

def show(kind: str, data: dict, ident: str | None = None) -> Output:
    painter = {"measure": _show_measure, "plan": _show_plan, "section": _show_section,
               "national_task": _task_detail_table, "national_group": _show_national_group}.get(kind, _show_annex)
    record = {"kind": kind, **data}
    return Output("show", [record], list(record), query={"id": data.get("id") or (data["plan"]["id"] if isinstance(data.get("plan"), dict) else ident)},
                  table=lambda rows: painter(data))


def _show_measure(m: dict) -> None:
    from rich.console import Group
    from rich.text import Text

    con = R.console()
    head = Text()
    head.append(f"{m['plan_name']} · {m['id']}", style="bold" if R.use_color() else "")
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
        con.print(targets_table(m["targets"], title="目标"))


def _show_national_group(data: dict) -> None:
    """`cz show national/1`: the group's tasks with each plan's measures."""
    tasks(data, {}).table([])


def _show_section(s: dict) -> None:
    con = R.console()
    con.print(f"{s['id']}  {s['number'] or ''}{s['title']}  (第{s['line']}行{'，据目录补' if s['restored'] else ''})")
    for mm in s["measures"]:
        con.print(f"  {mm['id']}  {mm['number'] or ''}{mm['title'] or ''}")


def _show_annex(a: dict) -> None:
    con = R.console()
    con.print(f"{a['id']}  {a['title']}")
    for g in a["groups"]:
        con.print(f"  {g['name'] or '(原文未标城市)'}{g['count_as_written'] or ''}")
        con.print("    " + "、".join(f"{i['number'] or ''}{i['name']}" for i in g["items"]))


def _show_plan(data: dict) -> None:
    from rich.tree import Tree

    p = data["plan"]
    head = f"{p['short_name']} · {p['id']} — {p['name']}"
    meta = "  ".join(x for x in [p.get("doc_number") or "", p.get("issue_date") or "",
                                 f"{p['period_start']}—{p['period_end']}", p.get("completeness") or ""] if x)
    tree = Tree(head + ("\n" + meta if meta else ""), guide_style="dim" if R.use_color() else "")

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
    if R.stdout_is_tty():
        R.console().print(tree)
    else:  # off a terminal: the same outline, indented, without tree guides
        lines: list[str] = []

        def walk(node, depth):
            lines.append("  " * depth + str(node.label))
            for child in node.children:
                walk(child, depth + 1)

        walk(tree, 0)
        write("\n".join(lines) + "\n")


# --------------------------------------------------------------------------- plans / stats / topics

def plans(rows: list[dict]) -> Output:
    from chengzhen.query.catalog import PLAN_COLUMNS

    def table(rows: list[dict]) -> None:
        t = R.table(
            [("编号", {"no_wrap": True}), ("简称", {"no_wrap": True}), ("名称", {"ratio": 1}), ("层级", {}),
             ("文号", {"no_wrap": True}), ("日期", {"no_wrap": True}), ("期限", {"no_wrap": True}),
             ("条目", {"justify": "right"}), ("目标", {"justify": "right"})],
            ([r["id"], r["short_name"], r["name"] + ("" if r["name_as_written"] else "(编者拟)"),
              LEVEL_LABELS.get(r["level"], r["level"]),
              r["doc_number"] or "—", r["issue_date"] or "—", f"{r['period_start']}—{r['period_end']}",
              str(r["measures"]), str(r["targets"])] for r in rows),
        )
        R.console().print(t)

    return Output("plans", rows, PLAN_COLUMNS, table=table, id_key="id")


STATS_COLUMNS = ["plan", "short_name", "sections", "units", "measures", "targets", "departments", "topics",
                 "topics_total", "annex_rows", "characters"]


def stats(rows: list[dict], query: dict) -> Output:
    def table(rows: list[dict]) -> None:
        t = R.table([("方案", {}), ("章节", {"justify": "right"}), ("条目(含段落)", {"justify": "right"}),
                     ("编号任务", {"justify": "right"}), ("目标", {"justify": "right"}),
                     ("责任单位", {"justify": "right"}), ("覆盖主题", {"justify": "right"}),
                     ("附件条目", {"justify": "right"}), ("字数", {"justify": "right"})],
                    ([f"{r['short_name']} ({r['plan']})", str(r["sections"]), str(r["units"]), str(r["measures"]),
                      str(r["targets"]), str(r["departments"]), f"{r['topics']}/{r['topics_total']}",
                      str(r["annex_rows"]), str(r["characters"])] for r in rows))
        R.console().print(t)

    return Output("stats", rows, STATS_COLUMNS, query=query, table=table, id_key="plan")


def topics(rows: list[dict]) -> Output:
    def table(rows: list[dict]) -> None:
        t = R.table([("主题", {"no_wrap": True}), ("上级", {"no_wrap": True}), ("条目", {"justify": "right"}),
                     ("同义词", {"ratio": 1})],
                    ([("  " if r["parent"] else "") + r["name"], r["parent"] or "", str(r["measures"]),
                      "、".join(r["synonyms"])] for r in rows))
        R.console().print(t)

    return Output("topics", rows, ["name", "parent", "measures", "synonyms"], table=table, id_key="name")


# --------------------------------------------------------------------------- targets

def _year_label(t: dict) -> str:
    if t["year"] is None:
        return "—"
    return f"{t['year']}*" if t["year_implied"] else str(t["year"])


def _baseline_label(t: dict) -> str:
    if t["baseline_as_written"] is None and t["baseline"] is None:
        return ""
    b = t["baseline_as_written"] if t["baseline_as_written"] is not None else f"{t['baseline']:g}"
    return f"{b}({t['baseline_year']})" if t["baseline_year"] else str(b)


def _again(t: dict) -> str:
    n = len(t.get("restatements") or ())
    return f"另见 {n} 处" if n else ""


def targets_table(rows: list[dict], title: str | None = None):
    """Targets as committed: scope, value as written, its qualifier (左右/以上…)
    and aspiration (力争…) in columns of their own, the year (* = implied),
    and the other places the plan restates it (shown once here)."""
    notes = []
    if any(t["year_implied"] for t in rows):
        notes.append("* 年份据规划期推定(原文未写明)")
    if any(t.get("restatements") for t in rows):
        notes.append("另见 N 处: 同一目标在本方案其他 N 处转述, 只列一次(合计时不重复计算)")
    return R.table(
        [("方案", {"no_wrap": True}), ("指标", {"max_width": 24}), ("范围", {"max_width": 14}),
         ("目标(原文)", {"max_width": 22}), ("限定", {"no_wrap": True}), ("力争", {"no_wrap": True}),
         ("年份", {"no_wrap": True}), ("基期", {"no_wrap": True}), ("累计", {}),
         ("条目", {"no_wrap": True}), ("转述", {"no_wrap": True})],
        ([t["plan_name"] or t["plan"], t["indicator"], t.get("scope") or "", t["as_written"], t.get("qualifier") or "",
          t.get("aspiration") or "", _year_label(t), _baseline_label(t), "是" if t["cumulative"] else "",
          t["measure_id"], _again(t)] for t in rows),
        title=title, caption="\n".join(notes) or None,
    )


def _silent_label(s: dict) -> str:
    return f"{s['plan_name']}({s['plan']}" + (f", {ABRIDGED_MARK}" if s.get("abridged") else "") + ")"


def targets(rows: list[dict], *, query: dict, indicators=None, silence=None, chart: bool = False) -> Output:
    from chengzhen.query.catalog import TARGET_COLUMNS

    extra = {}
    silent = (silence or {}).get("silent", [])
    elsewhere = (silence or {}).get("elsewhere", [])
    if indicators is not None:
        extra = {"indicators": indicators, "silent": silent, "elsewhere": elsewhere}

    def table(rows: list[dict]) -> None:
        con = R.console()
        dated = [t for t in rows if t.get("kind") != "commitment"]
        promised = [t for t in rows if t.get("kind") == "commitment"]
        if not rows and not silent and not elsewhere:
            note("no targets match")
            return
        if dated:
            con.print(targets_table(dated))
        if promised:
            con.print(targets_table(promised, title="承诺(无数值, 原文未写年份且不受“到20XX年”统领): 不计入 --year"))
        if chart and dated:
            con.print(bar_chart(dated))
        if elsewhere:
            parts = []
            for e in elsewhere:
                what = "、".join(
                    (f"{t['year']}{'*' if t['year_implied'] else ''}年" if t["year"] and t["kind"] != "commitment"
                     else "无年份(承诺)") + f" {t['scope'] + ' ' if t['scope'] else ''}{t['as_written']} [{t['id']}]"
                    for t in e["targets"])
                parts.append(f"{e['plan_name']}({e['plan']}): {what}")
            con.print("在所选条件之外设有此类目标的方案: " + "; ".join(parts))
        if silent:
            con.print("未设此类目标的方案: " + "、".join(_silent_label(s) for s in silent))
            if any(s.get("abridged") for s in silent):
                con.print(f"注: {ABRIDGED_MARK}的方案, 未见不等于未写")

    return Output("targets", rows, TARGET_COLUMNS, query=query, extra=extra, table=table, id_key="id")


def bar_chart(rows: list[dict], width: int = 40):
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
            out.append("█" * n, style="green" if R.use_color() else "")
            out.append(f" {t.get('aspiration') or ''}{t['as_written']} ({_year_label(t)})"
                       + (f" {_again(t)}" if t.get("restatements") else "") + "\n")
            if with_base and t["baseline"] is not None:
                b = max(1, round(width * t["baseline"] / top))
                out.append(" " * (label_w + 1))
                out.append("░" * b, style="dim" if R.use_color() else "")
                out.append(f" 基期 {_baseline_label(t)}\n")
    return out


# --------------------------------------------------------------------------- departments

def department_counts(rows: list[dict], plans: list[dict], query: dict) -> Output:
    flat = []
    for d in rows:
        rec = {"department": d["department"], "measures": d["measures"], "listed_first": d["listed_first"],
               "lead": d["lead"]}
        for p in plans:
            c = d["plans"].get(p["id"], {"measures": 0, "listed_first": 0, "lead": 0})
            rec[f"{p['id']}_measures"] = c["measures"]
            rec[f"{p['id']}_listed_first"] = c["listed_first"]
            rec[f"{p['id']}_lead"] = c["lead"]
        flat.append(rec)
    cols = ["department", "measures", "listed_first", "lead"] + [
        f"{p['id']}_{k}" for p in plans for k in ("measures", "listed_first", "lead")]

    def table(_rows: list[dict]) -> None:
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
        R.console().print(R.table(tcols, body, caption=(
            "各方案列: 条目数(首列数); 首列 = 在责任单位中列第一(原文顺序, 不表示牵头); "
            "牵头 = 原文写明牵头")))

    return Output("depts", flat, cols, query=query, table=table, id_key="department")


DEPT_MEASURE_COLUMNS = ["department", "plan", "plan_name", "measure_id", "number", "title", "as_written",
                        "position", "listed_first", "lead", "all_tasks", "line"]


def _dept_role(r: dict) -> str:
    if r["all_tasks"]:
        return "全部任务(全文统一规定)"
    role = "首列" if r["listed_first"] else "列出"
    return role + (", 牵头" if r["lead"] else "")


def department_measures(rows: list[dict], depts: list[str], query: dict) -> Output:
    def table(rows: list[dict]) -> None:
        if not rows:
            note(f"{'、'.join(depts)} is responsible for no measure")
            return
        t = R.table([("责任单位", {"no_wrap": True}), ("方案", {"no_wrap": True}), ("条目", {"no_wrap": True}),
                     ("标题", {"ratio": 1}), ("位次", {"justify": "right", "no_wrap": True}),
                     ("角色", {"no_wrap": True})],
                    ([r["department"], r["plan_name"], r["measure_id"], f"{r['number'] or ''}{r['title'] or ''}",
                      "" if r["position"] is None else str(r["position"]), _dept_role(r)]
                     for r in rows),
                    caption="位次: 在责任单位中的位置, 从 0 数起(0 = 首列); 原文顺序, 不表示牵头, 除非原文写明牵头")
        R.console().print(t)

    return Output("depts", rows, DEPT_MEASURE_COLUMNS, query=query, extra={"departments": depts},
                  table=table, id_key="measure_id")


# --------------------------------------------------------------------------- sql

def _sql_value(v):
    """SQL values as JSON can carry them: a BLOB as hex, a non-finite REAL as text."""
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return str(v)
    return v


def sql_rows(cols: list[str], rows: list[tuple], statement: str) -> Output:
    rows = [tuple(_sql_value(v) for v in r) for r in rows]

    def table(_records: list[dict]) -> None:
        R.console().print(R.table([(c, {}) for c in cols], ([cell(v) for v in r] for r in rows)))

    # duplicate column names (SELECT 1, 1) keep their first value in a record
    records = [dict(zip(cols, r)) for r in rows]
    return Output("sql", records, cols, query={"sql": statement}, extra={"columns": cols}, table=table)


# --------------------------------------------------------------------------- build / validate

@contextlib.contextmanager
def build_progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                  console=R.console(stderr=True), transient=True) as prog:
        tasks: dict[str, int] = {}

        def update(kind: str, done: int, total: int) -> None:
            if kind not in tasks:
                tasks[kind] = prog.add_task("方案" if kind == "plans" else "条目", total=total, rate="")
            task = prog.tasks[tasks[kind]]
            rate = f"{done / task.elapsed:,.0f}/s" if task.elapsed else ""
            prog.update(tasks[kind], completed=done, rate=rate)

        yield update


def build_summary(stats: dict, path) -> None:
    if stats.get("mode") == "incremental":
        what = "; ".join(f"{k} {', '.join(stats[k])}" for k in ("changed", "added", "deleted") if stats.get(k))
        sys.stderr.write(f"cz: updated {path}: {what or 'no plan changed'} "
                         f"({stats['plans']} plans, {stats['measures']} measures) in {stats['seconds']:.2f} s\n")
        return
    sys.stderr.write(
        f"cz: built {path}: {stats['plans']} plans, {stats['sections']} sections, {stats['measures']} measures, "
        f"{stats['targets']} targets in {stats['seconds']:.2f} s\n"
    )


AUDIT_COLUMNS = ["plan", "sections", "measures", "targets", "departments", "checked", "verified", "not_found",
                 "verified_pct", "coverage_pct", "headings", "headings_found", "ok"]


def audit(results: list, problems: list | None = None) -> Output:
    """``cz validate``: one record per plan; every problem of every file
    (``problems``: all of them, grouped by file) beside the records."""
    from chengzhen.kb.problems import by_file

    problems = list(problems if problems is not None else [p for r in results for p in r.problems])
    groups = by_file(problems)
    records = [{
        "plan": r.plan, "sections": r.sections, "measures": r.measures, "targets": r.targets,
        "departments": r.departments, "checked": r.checked, "verified": r.verified,
        "not_found": r.not_found, "verified_pct": round(r.verified_pct, 2),
        "coverage_pct": round(r.coverage_pct, 2), "headings": r.headings,
        "headings_found": r.headings_found, "ok": r.ok,
        "problems": [p.as_dict() for p in r.problems],
    } for r in results]

    def table(_rows: list[dict]) -> None:
        t = R.table(
            [("方案", {}), ("章节", {"justify": "right"}), ("条目", {"justify": "right"}),
             ("目标", {"justify": "right"}), ("责任单位", {"justify": "right"}), ("已核对", {"justify": "right"}),
             ("未找到", {"justify": "right"}), ("核对率", {"justify": "right"}), ("原文覆盖", {"justify": "right"}),
             ("标题覆盖", {"justify": "right"})],
            ([r.plan, str(r.sections), str(r.measures), str(r.targets), str(r.departments),
              f"{r.verified}/{r.checked}", str(r.not_found), f"{r.verified_pct:.1f}%", f"{r.coverage_pct:.1f}%",
              f"{r.headings_found}/{r.headings}"] for r in results),
            title="cz validate — 数据与原文核对",
        )
        R.console().print(t)
        if not problems:
            return
        write(f"\n{len(problems)} problem{'s' if len(problems) != 1 else ''} in {len(groups)} "
              f"file{'s' if len(groups) != 1 else ''}:\n")
        for file, ps in groups:
            write(f"\n{file}\n")
            for p in ps:
                where = f"{p.file_line}:" if p.file_line else "-:"
                item = f" [{p.item}]" if p.item else ""
                write(f"  {where} {p.code}{item} {p.message}\n")
                if p.hint:
                    write(f"      → {p.hint}\n")
                for d in p.detail:
                    write(f"      {d}\n")

    return Output("validate", records, AUDIT_COLUMNS, table=table, id_key="plan",
                  extra={"problems": [p.as_dict() for _f, ps in groups for p in ps],
                         "files": [f for f, _ps in groups]})


# --------------------------------------------------------------------------- compare / similar / matrix


def _empty_text(abridged: bool) -> str:
    return "—" + (f"({ABRIDGED_MARK})" if abridged else "")


def _cell_text(c: dict | None, terms: Sequence[str], *, md: bool = False, width: int = 120,
               abridged: bool = False) -> Any:
    """One plan's measure in a comparison row."""
    if c is None:
        return _empty_text(abridged) if md else R.highlighted(_empty_text(abridged), [])
    head = f"{c['id']} {c['number'] or ''}{c['title'] or ''}".strip()
    sentences = c.get("sentences")
    body = "".join(sentences) if sentences else c["text"]
    if len(body) > width:
        body = body[:width] + "…"
    extra = []
    if c["departments"]:
        extra.append("责任单位(原文顺序): " + "、".join(c["departments"]))
    if c["targets"]:
        extra.append("目标: " + "; ".join(target_phrase(t) for t in c["targets"]))
    if md:
        parts = [f"**{c['id']}** {c['number'] or ''}{c['title'] or ''}", body, *extra]
        return "<br>".join(R.md_escape(p) for p in parts)
    from rich.text import Text

    from chengzhen.query.search import find_spans

    t = Text()
    t.append(head + "\n", style="bold" if R.use_color() else "")
    t.append_text(R.highlighted(body, find_spans(body, [x for x in terms if x])))
    for e in extra:
        t.append("\n" + e, style="dim" if R.use_color() else "")
    return t


def _cells_text(cells: list[dict], terms: Sequence[str], *, md: bool = False, width: int = 120,
                abridged: bool = False) -> Any:
    """All of one plan's measures in a row (a task a plan splits over two
    measures has both); none: an empty cell, flagged when the source is abridged."""
    if not cells:
        return _cell_text(None, terms, md=md, abridged=abridged)
    if md:
        return "<br><br>".join(_cell_text(c, terms, md=True, width=width) for c in cells)
    from rich.text import Text

    out = Text()
    for n, c in enumerate(cells):
        if n:
            out.append("\n\n")
        out.append_text(_cell_text(c, terms, width=width))
    return out


def _row_label(row: dict, n: int) -> str:
    if row["basis"] == "task":
        t = row["task"]
        return f"#{n} 国家任务 {t['number'] or ''}{t['title']} [{t['id']}]"
    return f"#{n} 相似度 {row['score']:.2f}"


def compare(data: dict) -> Output:
    plans = [p["id"] for p in data["plans"]]
    names = {p["id"]: p["name"] for p in data["plans"]}
    abridged = {p["id"]: p["abridged"] for p in data["plans"]}
    terms = data["terms"]

    from chengzhen.query.compare import RECORD_COLUMNS, records

    recs = records(data)
    title = _compare_title(data, names)

    def md(_rows: list[dict]) -> None:
        out = [f"# {title}\n"]
        out.append(R.md_table(
            ["#", "国家任务 / 相似度", *[names[p] + (f"({ABRIDGED_MARK})" if abridged[p] else "") for p in plans]],
            ([str(n), _row_heading(row), *[_cells_text(row["cells"].get(p, []), terms, md=True,
                                                       abridged=abridged[p] and row["basis"] == "task")
                                           for p in plans]]
             for n, row in enumerate(data["rows"], start=1))))
        out.append("\n## 各方案独有\n")
        for p in plans:
            items = data["unique"][p]
            out.append(f"\n### {names[p]}({len(items)})\n")
            out.extend(f"- **{c['id']}** {c['number'] or ''}{c['title'] or _lead(c['text'])}\n" for c in items)
        if any(data["review"].values()):
            out.append("\n## 回顾性章节(不参与对齐)\n")
            for p in plans:
                out.extend(f"- {names[p]} **{c['id']}** {c['title'] or _lead(c['text'])}\n" for c in data["review"][p])
        out.append("\n## 用词差异\n")
        out.append(f"\n共有核心词: {'、'.join(data['shared_words']) or '—'}\n")
        for p in plans:
            out.append(f"\n- {names[p]}独有词: {'、'.join(data['distinctive_words'][p]) or '—'}\n")
        if any(data["targets"].values()):
            out.append("\n## 目标\n")
            for p in plans:
                for t in data["targets"][p]:
                    out.append(f"- {names[p]} {_target_line(t)}\n")
        write("".join(out))

    extra = {k: data[k] for k in ("plans", "by", "topic", "topics", "search_fallback", "terms", "tasks", "rows",
                                  "unique", "review", "distinctive_words", "shared_words", "targets", "counts")}
    return Output("compare", recs, RECORD_COLUMNS,
                  query={"plans": plans, "topic": data["topic"], "tasks": data["tasks"], "by": data["by"]},
                  extra=extra, table=lambda _r: _compare_table(data, plans, names, abridged, terms, title),
                  formats={"md": md}, id_key="id")


def _row_heading(row: dict) -> str:
    if row["basis"] == "task":
        t = row["task"]
        return f"{t['number'] or ''}{t['title']} [{t['id']}]"
    return f"相似度 {row['score']:.2f}"


def _target_line(t: dict) -> str:
    """A target in the compare summary: once per restatement group."""
    again = f" 另见 {len(t['restatements'])} 处" if t.get("restatements") else ""
    kind = " (承诺, 无数值无年份)" if t.get("kind") == "commitment" else ""
    return f"{target_phrase(t)} [{t['measure_id']}]{kind}{again}"


def _compare_title(data: dict, names: dict) -> str:
    what = ""
    if data["topic"]:
        what = f" — 主题: {data['topic']}" + (f"(非主题, 按检索: {' '.join(data['terms'])})" if data["search_fallback"] else "")
    if data["tasks"]:
        what += f" — 国家任务: {'、'.join(data['tasks'])}"
    return "对比 " + " / ".join(names[p["id"]] for p in data["plans"]) + what


def _compare_table(data, plans, names, abridged, terms, title) -> None:
    from rich.rule import Rule

    con = R.console()
    width = con.width if R.stdout_is_tty() else 0
    side_by_side = R.stdout_is_tty() and len(plans) <= 4 and width >= 45 * len(plans)
    con.print(title)
    counts = "  ".join(f"{names[p]} {data['counts'][p]} 条" for p in plans)
    n_task = sum(1 for r in data["rows"] if r["basis"] == "task")
    basis = (f"按国家任务 {n_task} 行, 按文本相似 {len(data['rows']) - n_task} 行" if data["by"] == "task"
             else f"按文本相似 {len(data['rows'])} 行")
    con.print(f"对齐: {basis}; {counts}")
    cut = [names[p] for p in plans if abridged[p]]
    if cut:
        con.print(f"注: {'、'.join(cut)}的原文有删减, 空格不一定表示未写")
    if side_by_side:
        cols = [("#", {"max_width": 16}), *[(names[p], {"ratio": 1}) for p in plans]]
        rows = [[f"{n}\n{_row_heading(row)}",
                 *[_cells_text(row["cells"].get(p, []), terms, abridged=abridged[p] and row["basis"] == "task")
                   for p in plans]]
                for n, row in enumerate(data["rows"], start=1)]
        t = R.table(cols, rows)
        t.show_lines = True
        con.print(t)
    else:
        for n, row in enumerate(data["rows"], start=1):
            label = _row_label(row, n) + (f"  共有: {'、'.join(row['shared_words'])}" if row["shared_words"] else "")
            if R.stdout_is_tty():
                con.print(Rule(label, align="left"))
            else:
                con.print("\n" + label)
            for p in plans:
                con.print(f"[{names[p]}]")
                con.print(_cells_text(row["cells"].get(p, []), terms, width=240,
                                      abridged=abridged[p] and row["basis"] == "task"))
    con.print("")
    con.print("各方案独有:")
    for p in plans:
        items = data["unique"][p]
        con.print(f"  {names[p]}({len(items)}): " + ("、".join(f"{c['id']} {c['title'] or _lead(c['text'])}" for c in items) or "—"))
    if any(data["review"].values()):
        con.print("回顾性章节(不参与对齐):")
        for p in plans:
            if data["review"][p]:
                con.print(f"  {names[p]}: " + "、".join(f"{c['id']} {c['title'] or _lead(c['text'])}"
                                                       for c in data["review"][p]))
    con.print(f"共有核心词: {'、'.join(data['shared_words']) or '—'}")
    for p in plans:
        con.print(f"  {names[p]}独有词: {'、'.join(data['distinctive_words'][p]) or '—'}")
    if any(data["targets"].values()):
        con.print("目标(同一目标的多处转述只列一次):")
        for p in plans:
            for t in data["targets"][p]:
                con.print(f"  {names[p]}  {_target_line(t)}")


SIMILAR_COLUMNS = ["score", "id", "plan", "number", "title", "tasks", "shared_words"]


def similar(data: dict, n: int) -> Output:
    rows = data["similar"]
    m = data["measure"]

    def table(rows: list[dict]) -> None:
        con = R.console()
        con.print(f"{m['plan_name']} {m['id']} {m['number'] or ''}{m['title'] or _lead(m['text'])}")
        con.print(R.table([("相似度", {"justify": "right"}), ("方案", {"no_wrap": True}), ("条目", {"no_wrap": True}),
                           ("标题", {"ratio": 1}), ("共有词", {})],
                          ([f"{r['score']:.2f}", r["plan_name"], r["id"],
                            f"{r['number'] or ''}{r['title'] or _lead(r['text'])}", "、".join(r["shared_words"])]
                           for r in rows),
                          caption=f"每个其他方案最相似的 {n} 条; 相似度 ≥ 0.6: 多为同一国家任务的转述; < 0.3: 各自表述"))

    return Output("similar", rows, SIMILAR_COLUMNS, query={"id": m["id"], "number": n},
                  extra={"measure": m, "by_plan": data["by_plan"]}, table=table, id_key="id")


def matrix(data: dict, query: dict) -> Output:
    plans = [p["id"] for p in data["plans"]]
    by_task = query.get("by") == "task"
    cut = [p["name"] for p in data["plans"] if p.get("abridged")]

    def table(_rows: list[dict]) -> None:
        from rich.text import Text

        peak = max([r[p] for r in data["counts"] for p in plans] or [1]) or 1
        color = R.use_color()

        def heat(n: int):
            if n == 0:
                return Text("·" if not color else "0", style="dim red" if color else "")
            if not color:
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
        caption = ("条目数(一级" + ("行动含其下任务" if by_task else "主题含其下级") + "); · = 未涉及"
                   + (f"; {'、'.join(cut)}原文有删减, 未涉及不一定表示未写" if cut else ""))
        R.console().print(R.table([(head, {"no_wrap": True}), *[(p["name"], {"justify": "right"})
                                                               for p in data["plans"]]],
                                  rows, caption=caption))

    if by_task:
        cols, key = ["task", "type", "group", "number", "title", *plans], "task"
    else:
        cols, key = ["topic", "parent", *plans], "topic"
    return Output("matrix", data["counts"], cols, query=query,
                  extra={"plans": data["plans"]}, table=table, id_key=key)


# --------------------------------------------------------------------------- national tasks

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


TASK_COLUMNS_HEAD = ["id", "type", "group", "number", "title"]


def tasks(data: dict, query: dict) -> Output:
    """`cz tasks`: the national groups and tasks, per plan the measures carrying each."""
    plans = [p["id"] for p in data["plans"]]
    recs = []
    measures: dict[str, dict] = {}
    for r in data["rows"]:
        rec = {k: r[k] for k in ("id", "type", "group", "kind", "number", "title", "evidence", "note")}
        for p in plans:
            rec[p] = [m["id"] for m in r["measures"][p]]
            for m in r["measures"][p]:
                measures[m["id"]] = {"plan": p, "number": m["number"], "title": m["title"]}
        rec["carried_by"] = r["carried_by"]
        rec["silent"] = r["silent"]
        recs.append(rec)
    cols = [*TASK_COLUMNS_HEAD, *plans, "carried_by", "silent"]

    def table(_rows: list[dict]) -> None:
        from rich.text import Text

        color = R.use_color()
        body = []
        for r in data["rows"]:
            group = r["type"] == "group"
            label = Text(("" if group else "  ") + r["title"], style="bold" if group and color else "")
            cells = []
            for p in plans:
                got = r["measures"][p]
                if got:
                    cells.append(Text(" ".join(_local(m["id"]) for m in got)))
                elif r["leaf"]:
                    cells.append(Text("·", style="dim red" if color else ""))
                else:
                    cells.append(Text(""))
            share = f"{r['carried_by']}/{len(plans)}" if r["leaf"] else ""
            body.append([r["number"] or "", label, *cells, share, r["id"]])
        caption = ["单元格: 承接该任务的条目编号(省略方案前缀, cz show PLAN/编号); · = 无条目承接",
                   "任务标题为省级方案的转述(国家方案原文不在来源中), cz tasks ID 显示出处", *_plans_caption(data["plans"])]
        R.console().print(R.table(
            [("编号", {"no_wrap": True}), ("国家任务", {"max_width": 30}),
             *[(_plan_header(p), {"max_width": 16}) for p in data["plans"]],
             ("承接", {"justify": "right", "no_wrap": True}), ("ID", {"no_wrap": True})],
            body, caption="\n".join(caption)))

    return Output("tasks", recs, cols, query=query, extra={"plans": data["plans"], "measures": measures},
                  table=table, id_key="id")


TASK_DETAIL_COLUMNS = ["task", "task_title", "plan", "plan_name", "id", "number", "title", "departments", "targets",
                       "tasks", "empty", "source_abridged", "text"]


def task_detail(data: dict, query: dict, command: str = "tasks") -> Output:
    """`cz tasks ID`: each task with every plan's measures side by side."""
    plans = data["plans"]
    recs = []
    for t in data["tasks"]:
        for p in plans:
            cells = t["cells"][p["id"]]
            for c in cells or [None]:
                recs.append({
                    "task": t["id"], "task_title": t["title"], "plan": p["id"], "plan_name": p["name"],
                    "id": c["id"] if c else None, "number": c["number"] if c else None,
                    "title": c["title"] if c else None, "departments": c["departments"] if c else [],
                    "targets": [target_phrase(x) for x in c["targets"]] if c else [],
                    "tasks": c["tasks"] if c else [], "empty": c is None, "source_abridged": p["abridged"],
                    "text": c["text"] if c else None,
                })
    info = [{k: t[k] for k in ("id", "type", "group", "kind", "number", "title", "evidence", "note", "carried_by",
                               "silent")} for t in data["tasks"]]
    return Output(command, recs, TASK_DETAIL_COLUMNS, query=query, extra={"plans": plans, "tasks": info},
                  table=lambda _r: _task_detail_table(data), id_key="id")


def _silent_name(p: dict) -> str:
    """A plan said to carry nothing, with what qualifies the silence."""
    why = ([ABRIDGED_MARK] if p.get("abridged") else []) + ([] if p.get("implements") else ["非实施方案"])
    return p["name"] + (f"({', '.join(why)})" if why else "")


def _task_detail_table(data: dict) -> None:
    from rich.rule import Rule

    con = R.console()
    plans = data["plans"]
    width = con.width if R.stdout_is_tty() else 0
    side_by_side = R.stdout_is_tty() and len(plans) <= 4 and width >= 45 * len(plans)
    for k, t in enumerate(data["tasks"]):
        if k:
            con.print("")
        head = f"{t['id']}  {t['number'] or ''}{t['title']}"
        if R.stdout_is_tty():
            con.print(Rule(head, align="left"))
        else:
            con.print(head)
        con.print(f"标题出处: {t['evidence'] or '—'} (省级方案的转述; 国家方案原文不在来源中)")
        if t.get("note"):
            con.print(f"注: {t['note']}")
        silent = [p for p in plans if not t["cells"][p["id"]]]
        con.print(f"承接: {t['carried_by']}/{len(plans)} 个方案"
                  + (f"; 未承接: {'、'.join(_silent_name(p) for p in silent)}" if silent else ""))
        if side_by_side:
            t_ = R.table([(p["name"], {"ratio": 1}) for p in plans],
                         [[_cells_text(t["cells"][p["id"]], [], width=400, abridged=p["abridged"]) for p in plans]])
            t_.show_lines = True
            con.print(t_)
        else:
            for p in plans:
                con.print(f"[{p['name']}]")
                con.print(_cells_text(t["cells"][p["id"]], [], width=10_000, abridged=p["abridged"]))


# --------------------------------------------------------------------------- ingest

INGEST_COLUMNS = ["line", "item", "reason"]
INGEST_COUNT_LABELS = [("sections", "章节"), ("restored", "据目录补"), ("measure", "条目"), ("paragraph", "段落"),
                       ("box", "专栏"), ("table", "表格"), ("annexes", "附件"), ("targets", "目标"),
                       ("departments", "责任单位"), ("skips", "跳过"), ("new_departments", "新部门"),
                       ("new_indicators", "新指标")]


def ingest(d, *, file: str, written: list[str], dry_run: bool, replaced: bool, note: str | None) -> Output:
    """`cz ingest`: the draft (yaml with --dry-run, always in json), what was
    written, and the review list: every flagged item with its source line."""
    from chengzhen.ingest.draft import plan_yaml, vocabulary_yaml

    records = [{"line": line or None, "item": item, "reason": reason} for line, item, reason in d.review]
    audit = d.audit
    counts = {k: v for k, v in d.counts.items() if v}
    extra = {
        "plan": d.plan_id, "name": d.entry.get("name"), "written": written, "replaced": replaced,
        "counts": counts, "notes": d.notes,
        "validate": {"verified_pct": round(audit.verified_pct, 1), "coverage_pct": round(audit.coverage_pct, 1),
                     "headings_pct": round(audit.headings_pct, 1)} if audit else None,
        "draft": {"catalogue": d.entry, "plan": d.body, "departments": d.new_departments,
                  "indicators": d.new_indicators},
    }
    notes = [note] if note else []

    def summary(stream) -> None:
        w = stream.write
        what = "试运行, 未写入 (dry run: nothing written)" if dry_run else ("已替换" if replaced else "已写入")
        w(f"cz ingest: {d.entry.get('name')} → {d.plan_id} ({what})\n")
        parts = [f"{counts[k]} {label}" for k, label in INGEST_COUNT_LABELS if counts.get(k)]
        w("  草稿: " + ", ".join(parts) + "\n")
        reps = {k[len("repairs_"):]: v for k, v in counts.items() if k.startswith("repairs_")}
        if reps:
            w("  修复: " + ", ".join(f"{v} {k}" for k, v in sorted(reps.items())) + f" (脚本: {d.entry.get('script')})\n")
        if audit:
            w(f"  校验: {audit.verified_pct:.1f}% 核实, {audit.coverage_pct:.1f}% 覆盖, {audit.headings_pct:.1f}% 标题\n")
        for path in written:
            w(f"  写入: {path}\n")
        for n in notes:
            w(f"  注意: {n}\n")
        w(f"  待审 {len(records)} 项 (review):\n")
        for r in records:
            where = f"line {r['line']}" if r["line"] else "catalogue"
            w(f"    {where:>10}  {r['item']}: {r['reason']}\n")

    def as_yaml(rows: list[dict]) -> None:
        if dry_run:
            write(f"# ---- data/plans/{d.plan_id}.yaml: the catalogue entry (plan:) and the body\n" + plan_yaml(d, file))
            vocab = vocabulary_yaml(d)
            if vocab:
                write(f"---\n# ---- data/vocabulary/{d.plan_id}.yaml: the vocabulary it proposes\n" + vocab)
            summary(sys.stderr)
        else:
            summary(sys.stdout)

    return Output("ingest", records, INGEST_COLUMNS, query={"file": file, "id": d.plan_id, "dry_run": dry_run},
                  notes=notes, extra=extra, formats={"yaml": as_yaml})
