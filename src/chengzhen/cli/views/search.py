"""`cz search` in the terminal: what the query named and how it was cut,
then the hits (grouped by plan with --group-by plan), then what is offered
instead, each table labelled."""

from __future__ import annotations

from chengzhen.answers.present import ENTITY_LABELS, HOW_LABELS, MATCH_LABELS, find_spans, snippet
from chengzhen.answers.search import hit_marks, row_marks
from chengzhen.cli import render as R


def lines(ans, *, fuzzy: bool = False) -> list[str]:
    """The lines a reader sees above the table: what the query named, how it
    was cut, what was suggested instead."""
    b = ans.blocks
    out = []
    typed = ans.query.get("q") or ""
    q = typed.strip()
    normalized = b.get("normalized")
    if normalized and normalized != q and typed:
        out.append(f"按“{normalized}”检索(已去掉编号、拼音注音或多余空格)")
    for e in b.get("entities") or []:
        what = "指标的目标" if e["kind"] == "indicator" else "条目"
        n_hit = (b.get("matches") or {}).get(e["kind"], 0)
        n_rel = (b.get("related_counts") or {}).get(e["kind"], 0)
        if b.get("expanded"):
            said = f"其{what}列为命中(--expand)"
        else:
            said = "; ".join(x for x in (
                f"自身写明它的{what} {n_hit} 个列为命中" if n_hit else "",
                f"其余{what} {n_rel} 个列为相关条目(非命中; 加 --expand 计入命中)" if n_rel else "") if x) \
                or f"其{what}都含“{q}”, 均为命中"
        out.append(f"“{q}”是{ENTITY_LABELS.get(e['kind'], e['kind'])} {e['name']} 的{HOW_LABELS.get(e['how'], e['how'])}: "
                   f"{said}(匹配: {MATCH_LABELS.get(e['kind'], e['kind'])}) — 详见 {e['see']}")
    if b.get("segments"):
        out.append(f"“{q}”无整词命中处, 含全部分词 {' + '.join(b['segments'])} 的条目列为命中(匹配: 分词)")
    if not ans.records and ans.count_total() == 0 and b.get("mode") != "list":
        dym = b.get("did_you_mean") or []
        if dym:
            more = "; 加 --fuzzy 直接检索第一个" if not fuzzy else ""
            out.append(f"无命中: “{q}”。你是否要找: {' / '.join(dym)} ? (建议, 非命中{more})")
        elif b.get("related"):
            out.append(f"无命中: 没有条目含“{q}”或其全部词语; 以下为共有词最多的相关条目(非命中)")
        else:
            out.append(f"无命中: “{q}”" if q else "无命中")
    return out


def _rows(env, hits: list[dict], marks: list[str], full: bool) -> list[list]:
    out = []
    for h in hits:
        these = row_marks(h, marks)
        spans = find_spans(h["text"], these)
        body, shown = (h["text"], spans) if full else snippet(h["text"], spans, 56)
        title = h["title"] if h["kind"] != "target" else f"{h['title']}(目标)"
        label = MATCH_LABELS.get(h["match"], h["match"])
        out.append([str(h["rank"]), h["plan_name"], h["id"], label, R.highlighted(env, title, find_spans(title, these)),
                    R.highlighted(env, body, shown)])
    return out


def _table(env, rows: list[list], full: bool, title: str | None = None):
    return R.table(env, [("#", {"justify": "right", "no_wrap": True}), ("方案", {"no_wrap": True}),
                         ("编号", {"no_wrap": True}), ("匹配", {"no_wrap": True}), ("标题", {"max_width": 28}),
                         ("摘录" if not full else "全文", {"ratio": 1})], rows, title=title)


def table(ans, env, *, full: bool = False, fuzzy: bool = False, heading: str | None = None) -> None:
    con = R.console(env)
    if heading:
        R.say(con, heading)
    for line in lines(ans, fuzzy=fuzzy):
        R.say(con, line)
    b = ans.blocks
    marks = hit_marks(ans)
    hits = list(ans.records)
    groups = b.get("groups")
    if groups is not None:
        by: dict[str, list] = {}
        for h in hits:
            by.setdefault(h["plan"], []).append(h)
        for g in groups:
            got = by.get(g["plan"], [])
            if not got:
                continue
            con.print(_table(env, _rows(env, got, marks, full), full,
                             title=f"{g['plan_name']} ({g['plan']}): {g['total']} 条"))
            if g["count"] != g["total"]:
                R.say(con, f"{g['count']} / {g['total']} 条 — 用 --limit 0 显示全部")
        silent = [f"{g['plan_name']}({g['plan']})" for g in groups if not g["total"]]
        if silent:
            R.say(con, "未命中的方案: " + "、".join(silent))
    elif hits:
        n, total = len(hits), ans.count_total()
        con.print(_table(env, _rows(env, hits, marks, full), full))
        R.say(con, f"{n} / {total} 条" + ("" if n == total else " — 用 --limit 0 显示全部"))
    suggested = b.get("suggested") or []
    if fuzzy and suggested:
        dym = b.get("did_you_mean") or []
        con.print(_table(env, _rows(env, suggested, marks + dym[:1], full), full,
                         title=f"按建议“{dym[0]}”检索的结果(非命中)"))
    related = b.get("related") or []
    if related:
        shared = all(h["match"] == "related" for h in related)
        total = b.get("related_total", len(related))
        cut = "" if total <= len(related) else f"; 显示 {len(related)} / {total} 条"
        con.print(_table(env, _rows(env, related, marks, full), full,
                         title="相关条目(非命中, 与检索词共有词语最多; 高亮为共有词)" if shared else
                         f"相关条目(非命中: 检索词所指的主题、方案、责任单位等的其余条目{cut})"))
