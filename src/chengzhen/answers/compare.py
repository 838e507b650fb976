"""`cz compare`, `cz similar` and `cz matrix`, and the compare and coverage
pages: plans side by side (per national task, then by wording), the
measures most like one, and plans × topics or national tasks.  With the
presentation both fronts share: a row's heading, a target's line, the
comparison's title and its Markdown report."""

from __future__ import annotations

from chengzhen.answers.answer import Answer
from chengzhen.answers.present import ABRIDGED_MARK, lead_phrase, target_phrase
from chengzhen.errors import UsageError

RECORD_COLUMNS = ["row", "basis", "task", "task_title", "score", "plan", "id", "number", "title", "departments",
                  "plan_wide_departments", "targets", "tasks", "empty", "filtered_out", "source_abridged"]
SIMILAR_COLUMNS = ["score", "id", "plan", "number", "title", "tasks", "shared_words"]
MAX_AUTO_PLANS = 8  # a comparison of national tasks without plans: the first this many plans
BLOCKS = ("plans", "by", "topic", "topics", "search_fallback", "terms", "tasks", "rows", "unique", "review",
          "distinctive_words", "salient_words", "shared_words", "targets", "counts")


def records(data: dict) -> list[dict]:
    """A comparison flattened: one record per row and plan — a task row's cell
    without measures is a record too: ``empty`` when the plan carries the task
    nowhere, else ``filtered_out`` names the measures that carry it but the
    filter left out — then each plan's unique and review measures (``basis`` =
    unique / review); keys :data:`RECORD_COLUMNS`."""
    plans = [p["id"] for p in data["plans"]]
    abridged = {p["id"]: p["abridged"] for p in data["plans"]}

    def rec(n, row, p, c, basis=None, hidden=()):
        task = row["task"] if row else None
        return {"row": n, "basis": basis or (row["basis"] if row else None), "task": task["id"] if task else None,
                "task_title": task["title"] if task else None, "score": row["score"] if row else None,
                "plan": p, "id": c["id"] if c else None, "number": c["number"] if c else None,
                "title": c["title"] if c else None, "departments": c["departments"] if c else [],
                "plan_wide_departments": c["plan_wide_departments"] if c else [],
                "targets": [target_phrase(t) for t in c["targets"]] if c else [],
                "tasks": c["tasks"] if c else [], "empty": c is None and not hidden,
                "filtered_out": [m["id"] for m in hidden], "source_abridged": abridged[p]}

    out = []
    for n, row in enumerate(data["rows"], start=1):
        for p in plans:
            cells = row["cells"].get(p, [])
            out += [rec(n, row, p, c) for c in cells]
            if not cells and row["basis"] == "task":
                out.append(rec(n, row, p, None, hidden=row["filtered_out"].get(p, [])))
    for key in ("unique", "review"):
        for p in plans:
            out += [rec(None, None, p, c, key) for c in data[key][p]]
    return out


def compare(conn, plan_words: list[str] | None, topic: str | None = None, tasks: list[str] | None = None,
            by: str | None = None, *, allow_fewer: bool = False) -> Answer:
    """Plans side by side.  National tasks without plans compare the first
    :data:`MAX_AUTO_PLANS` plans (``auto`` says how many of how many), so who
    carries none shows.  Fewer than two plans: a usage error, or with
    ``allow_fewer`` (an empty form) an answer without rows."""
    from chengzhen.answers import args
    from chengzhen.query import tasks as T
    from chengzhen.query.browse import plan_ids
    from chengzhen.query.compare import compare as do_compare
    from chengzhen.query.resolve import resolve_plans

    by = args.choice("by", by, args.COMPARE_BY, "task")
    ids = resolve_plans(conn, plan_words)
    chosen = T.resolve_tasks(conn, tasks) if tasks else []
    auto = None
    if chosen and not ids:
        every = plan_ids(conn)
        ids = every[:MAX_AUTO_PLANS]
        auto = {"shown": len(ids), "of": len(every)}
    query = {"plans": ids, "topic": topic, "tasks": chosen, "by": by}
    if len(ids) < 2:
        if not allow_fewer:
            raise UsageError("compare needs at least two plans, e.g. `cz compare guizhou qinghai`")
        return Answer("compare", [], RECORD_COLUMNS, query=query, found=False,
                      blocks={"plans": [{"id": p} for p in ids], "rows": [], "unique": {}, "needs": "two plans"})
    data = do_compare(conn, ids, topic, tasks=tasks or None, by=by)
    blocks = {k: data[k] for k in BLOCKS}
    if auto:
        blocks["auto"] = auto
    return Answer("compare", records(data), RECORD_COLUMNS, query={**query, "tasks": data["tasks"]},
                  blocks=blocks, id_key="id", data=data,
                  found=bool(data["rows"]) or any(data["unique"].values()))


def similar(conn, ident: str | None, n: int = 5) -> Answer:
    from chengzhen.answers import args
    from chengzhen.query.compare import similar as do_similar

    w = (ident or "").strip()
    if not w:
        raise UsageError("empty id: give a measure id, e.g. qinghai/3.9")
    args.limit(n, least=1, field="number")
    data = do_similar(conn, w, n)
    return Answer("similar", data["similar"], SIMILAR_COLUMNS, query={"id": data["measure"]["id"], "number": n},
                  blocks={"measure": data["measure"], "by_plan": data["by_plan"]}, id_key="id", data=data)


def matrix(conn, plan_words: list[str] | None = None, level: str | None = None, by: str | None = None) -> Answer:
    """Plans × topics (``by`` topic) or × national groups and tasks (task)."""
    from chengzhen.answers import args
    from chengzhen.query.resolve import resolve_plans

    level = args.choice("level", level, args.LEVELS, "all")
    by = args.choice("by", by, args.MATRIX_BY, "topic")
    plans = resolve_plans(conn, plan_words)
    if by == "task":
        from chengzhen.query.tasks import matrix as do_matrix
    else:
        from chengzhen.query.compare import matrix as do_matrix
    data = do_matrix(conn, plans, level)
    ids = [p["id"] for p in data["plans"]]
    if by == "task":
        cols, key = ["task", "type", "group", "number", "title", *ids], "task"
    else:
        cols, key = ["topic", "parent", *ids], "topic"
    labels = {p["id"]: p["name"] for p in data["plans"]}
    return Answer("matrix", data["counts"], cols, query={"plans": plans, "level": level, "by": by},
                  blocks={"plans": data["plans"]}, labels=labels, id_key=key, data=data,
                  found=bool(data["counts"]))


# --------------------------------------------------------------------------- presentation

def row_heading(row: dict) -> str:
    if row["basis"] == "task":
        t = row["task"]
        return f"{t['number'] or ''}{t['title']} [{t['id']}]"
    return f"相似度 {row['score']:.2f}"


def row_label(row: dict, n: int) -> str:
    if row["basis"] == "task":
        t = row["task"]
        return f"#{n} 国家任务 {t['number'] or ''}{t['title']} [{t['id']}]"
    return f"#{n} 相似度 {row['score']:.2f}"


def target_line(t: dict) -> str:
    """A target in the compare summary: once per restatement group."""
    again = f" 另见 {len(t['restatements'])} 处" if t.get("restatements") else ""
    kind = " (承诺, 无数值无年份)" if t.get("kind") == "commitment" else ""
    return f"{target_phrase(t)} [{t['measure_id']}]{kind}{again}"


def title(data: dict) -> str:
    names = {p["id"]: p["name"] for p in data["plans"]}
    what = ""
    if data["topic"]:
        what = f" — 主题: {data['topic']}" + (f"(非主题, 按检索: {' '.join(data['terms'])})"
                                             if data["search_fallback"] else "")
    if data["tasks"]:
        what += f" — 国家任务: {'、'.join(data['tasks'])}"
    return "对比 " + " / ".join(names[p["id"]] for p in data["plans"]) + what


def empty_text(abridged: bool) -> str:
    return "—" + (f"({ABRIDGED_MARK})" if abridged else "")


def hidden_text(hidden: list[dict]) -> str:
    """A cell whose measures the filter left out: not empty, it says which."""
    return "筛选未含: " + "、".join(f"{m['id']}{' ' + m['title'] if m.get('title') else ''}" for m in hidden)


SHARED_LABEL = "共有核心词(各方案均出现)"
UNIQUE_LABEL = "独有词(其他方案均未出现)"
SALIENT_LABEL = "较突出的词(部分其他方案也出现)"


def cell_parts(c: dict, width: int = 120) -> tuple[str, str, list[str]]:
    """One plan's measure in a comparison row: (heading, body cut to
    ``width``, lines of departments and targets)."""
    head = f"{c['id']} {c['number'] or ''}{c['title'] or ''}".strip()
    sentences = c.get("sentences")
    body = "".join(sentences) if sentences else c["text"]
    if len(body) > width:
        body = body[:width] + "…"
    extra = []
    if c["departments"]:
        extra.append("责任单位(原文顺序): " + "、".join(c["departments"]))
    if c.get("plan_wide_departments"):
        extra.append("全文统一规定的落实单位: " + "、".join(c["plan_wide_departments"]))
    if c["targets"]:
        extra.append("目标: " + "; ".join(target_phrase(t) for t in c["targets"]))
    return head, body, extra


def unit_line(c: dict) -> str:
    return f"{c['id']} {c['title'] or lead_phrase(c['text'])}"


def markdown(ans: Answer) -> str:
    """The comparison as a side-by-side Markdown report (`cz compare -f md`)."""
    from chengzhen.answers.writers import md_escape, md_table

    data = ans.data
    plans = [p["id"] for p in data["plans"]]
    names = {p["id"]: p["name"] for p in data["plans"]}
    abridged = {p["id"]: p["abridged"] for p in data["plans"]}

    def cells(cs: list[dict], cut: bool, hidden: list[dict] | None = None) -> str:
        if not cs and hidden:
            return md_escape(hidden_text(hidden))
        if not cs:
            return empty_text(cut)
        out = []
        for c in cs:
            _head, body, extra = cell_parts(c)
            parts = [f"**{c['id']}** {c['number'] or ''}{c['title'] or ''}", body, *extra]
            out.append("<br>".join(md_escape(p) for p in parts))
        return "<br><br>".join(out)

    out = [f"# {title(data)}\n"]
    out.append(md_table(
        ["#", "国家任务 / 相似度", *[names[p] + (f"({ABRIDGED_MARK})" if abridged[p] else "") for p in plans]],
        ([str(n), md_escape(row_heading(row)), *[cells(row["cells"].get(p, []), abridged[p] and row["basis"] == "task",
                                                       row["filtered_out"].get(p))
                                                 for p in plans]]
         for n, row in enumerate(data["rows"], start=1)), escape=False))
    out.append("\n## 各方案独有\n")
    for p in plans:
        items = data["unique"][p]
        out.append(f"\n### {names[p]}({len(items)})\n")
        out.extend(f"- **{c['id']}** {c['number'] or ''}{c['title'] or lead_phrase(c['text'])}\n" for c in items)
    if any(data["review"].values()):
        out.append("\n## 回顾性章节(不参与对齐)\n")
        for p in plans:
            out.extend(f"- {names[p]} **{c['id']}** {c['title'] or lead_phrase(c['text'])}\n" for c in data["review"][p])
    out.append("\n## 用词差异\n")
    out.append(f"\n{SHARED_LABEL}: {'、'.join(data['shared_words']) or '—'}\n")
    for p in plans:
        out.append(f"\n- {names[p]}{UNIQUE_LABEL}: {'、'.join(data['distinctive_words'][p]) or '—'}\n")
        out.append(f"  {SALIENT_LABEL}: {'、'.join(data['salient_words'][p]) or '—'}\n")
    if any(data["targets"].values()):
        out.append("\n## 目标\n")
        for p in plans:
            for t in data["targets"][p]:
                out.append(f"- {names[p]} {target_line(t)}\n")
    return "".join(out)

