"""The briefings `cz report` writes, each made from one answer (answers/):

``compare``  plans side by side on national tasks or a topic (`cz compare`);
``targets``  targets as committed, with a bar chart per unit (`cz targets`);
``plan``     one plan: its catalogue data, outline and targets (`cz show PLAN`);
``progress`` targets against the published statistics (`cz progress`): every
             number from the plan (its measure cited) or from a publication
             (cited as its own reference), the verdict with its stated rule.

Every word in a briefing is the sources' text (titles, measures, targets as
written, references) or a label the tool always uses (answers/present.py,
answers/compare.py); nothing is summarised or paraphrased.  Each cited unit
carries its reference's number and locator (report/document.py).
"""

from __future__ import annotations

from chengzhen.answers.present import (ABRIDGED_MARK, baseline_label, committed_value, restated_label, target_label,
                                       unit_label, year_label)
from chengzhen.report.document import Citations, Report, cell, text_of

COMPARE_TABLE, TARGET_TABLE, COMMITMENT_TABLE, OUTLINE, FACTS = "compare", "targets", "commitments", "outline", "facts"
PROGRESS_TABLE = "progress"
BASIS_WORDS = {"level": "", "annual_growth": "年均增长", "increase": "增加", "decrease": "减少"}
IMPLIED_NOTE = "* 年份据规划期推定(原文未写明)"
RESTATED_NOTE = "另见 N 处: 同一目标在本方案其他 N 处转述, 只列一次"


def zh_date(iso: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def _facts(report: Report, conn, asked: str, today: str) -> None:
    from chengzhen.report.facts import database_facts

    db = database_facts(conn)
    report.facts = [("问题", asked), ("日期", zh_date(today)),
                    ("数据库", f"第 {db['generation']} 代" + (f"，构建于 {zh_date(db['built_at'])}" if db["built_at"] else ""))]


def _references(report: Report, cites: Citations) -> None:
    report.references = list(cites.references)


# --------------------------------------------------------------------------- compare

def measure_cell(c: dict, cites: Citations) -> list:
    """One plan's measure in a comparison: its number and title (or its
    first clause) with its citation mark, its text, departments, targets."""
    paras = [[(unit_label(c), "b"), cites.mark(c["id"])], [(c["text"], "")]]
    if c["departments"]:
        paras.append([("责任单位(原文顺序): " + "、".join(c["departments"]), "")])
    if c["targets"]:
        from chengzhen.answers.present import target_phrase

        paras.append([("目标: " + "; ".join(target_phrase(t) for t in c["targets"]), "")])
    return paras


def empty_cell(abridged: bool) -> list:
    return cell("—" + (f"({ABRIDGED_MARK})" if abridged else ""))


def row_heading(row: dict) -> list:
    if row["basis"] == "task":
        t = row["task"]
        return cell(f"{t['number'] or ''}{t['title']}", f"[{t['id']}]")
    return cell(f"相似度 {row['score']:.2f}")


def compare(conn, ans, asked: str, today: str) -> Report:
    data = ans.data
    plans = data["plans"]
    names = "、".join(p["name"] for p in plans)
    subtitle = None
    if data["tasks"]:
        from chengzhen.query import tasks as T

        nodes = {n["id"]: n for n in T.nodes(conn)}
        subtitle = "国家任务: " + "; ".join(f"{nodes[t]['number'] or ''}{nodes[t]['title']}" if t in nodes else t
                                        for t in data["tasks"])
    elif data["topic"]:
        subtitle = f"主题: {data['topic']}" + (f"(非主题, 按检索: {' '.join(data['terms'])})"
                                              if data["search_fallback"] else "")
    report = Report("compare", f"方案对比: {names}", subtitle=subtitle, landscape=len(plans) >= 3)
    report.answer = ans
    _facts(report, conn, asked, today)
    cites = Citations(conn)
    header = ["国家任务" if data["by"] == "task" else "相似度"] + [
        p["name"] + (f"({ABRIDGED_MARK})" if p["abridged"] else "") for p in plans]
    rows = []
    for row in data["rows"]:
        cells = [row_heading(row)]
        for p in plans:
            got = row["cells"].get(p["id"], [])
            cells.append([para for c in got for para in measure_cell(c, cites)] if got
                         else empty_cell(p["abridged"] and row["basis"] == "task"))
        rows.append(cells)
    report.heading("一、逐项对比")
    if rows:
        report.table(COMPARE_TABLE, header, rows, [1.2] + [3.0] * len(plans))
    else:
        report.para("无可对齐的条目。")
    cut = [p["name"] for p in plans if p["abridged"]]
    if cut:
        report.note(f"注: {'、'.join(cut)}的原文有删减, 空格不一定表示未写")
    n = 2
    if any(data["targets"].values()):
        report.heading(f"{_NUMBERS[n]}、目标")
        trows = []
        for p in plans:
            for t in data["targets"][p["id"]]:
                trows.append([cell(p["name"]), cell(target_label(t)),
                              cell(year_label(t) if t.get("kind") != "commitment" else "—"),
                              cell(restated_label(t)), cell([cites.mark(t["id"], superscript=False)])])
        report.table(TARGET_TABLE, ["方案", "目标(原文)", "年份", "转述", "出处"], trows, None)
        n += 1
    if any(data["unique"].values()):
        report.heading(f"{_NUMBERS[n]}、各方案独有")
        for p in plans:
            items = data["unique"][p["id"]]
            if items:
                report.heading(f"{p['name']}({len(items)})", 2)
                report.items([(0, [(unit_label(c), ""), cites.mark(c["id"])]) for c in items])
        n += 1
    if any(data["review"].values()):
        report.heading(f"{_NUMBERS[n]}、回顾性章节(不参与对齐)")
        report.items([(0, [(f"{p['name']} {unit_label(c)}", ""), cites.mark(c["id"])])
                      for p in plans for c in data["review"][p["id"]]])
        n += 1
    report.heading(f"{_NUMBERS[n]}、用词差异")
    report.para(f"共有核心词: {'、'.join(data['shared_words']) or '—'}")
    for p in plans:
        report.para(f"{p['name']}独有词: {'、'.join(data['distinctive_words'][p['id']]) or '—'}")
    _references(report, cites)
    return report


_NUMBERS = "〇一二三四五六七八九十"


# --------------------------------------------------------------------------- targets

def target_cells(t: dict, cites: Citations) -> list:
    return [cell(t.get("plan_name") or t["plan"]), cell(t["indicator"]), cell(t.get("scope") or ""),
            cell(t["as_written"]), cell(t.get("qualifier") or ""), cell(t.get("aspiration") or ""),
            cell(year_label(t) if t.get("kind") != "commitment" else "—"), cell(baseline_label(t)),
            cell(restated_label(t)), cell([cites.mark(t["id"], superscript=False)])]


TARGET_HEADER = ["方案", "指标", "范围", "目标(原文)", "限定", "力争", "年份", "基期", "转述", "出处"]


def charts(rows: list[dict]) -> list[tuple[str, list[dict], float]]:
    """The dated targets with a number, one chart per indicator, unit and
    basis (a level, a yearly growth, an increase), every bar on one scale
    from 0: the target (its upper bound for a range) and, for a level, its
    baseline."""
    groups: dict[tuple, list[dict]] = {}
    for t in rows:
        if t.get("value") is not None:
            groups.setdefault((t["indicator"], t.get("unit") or "", t.get("basis") or "level"), []).append(t)
    out = []
    for (indicator, unit, basis), ts in groups.items():
        with_base = basis == "level"
        bars = []
        for t in ts:
            v = t["value_max"] if t.get("value_max") is not None else t["value"]
            bar = {"label": " ".join(x for x in (t.get("plan_name") or t["plan"], t.get("scope")) if x),
                   "value": v, "text": f"{committed_value(t)}({year_label(t)})", "id": t["id"]}
            if with_base and t.get("baseline") is not None:
                bar.update(base=t["baseline"], base_text="基期 " + baseline_label(t))
            bars.append(bar)
        top = max(max(b["value"], b.get("base") or 0) for b in bars) or 1
        title = f"{indicator} {BASIS_WORDS.get(basis, basis)}".rstrip() + f"(单位: {unit or '—'}; 同一刻度 0—{top:g})"
        out.append((title, bars, top))
    return out


def targets(conn, ans, asked: str, today: str) -> Report:
    from chengzhen.answers.targets import dated, promised

    q = ans.query
    what = []
    if q.get("indicators"):
        what.append("、".join(q["indicators"]))
    if q.get("year"):
        y = q["year"]
        what.append(f"{y[0]}年" if y[0] == y[1] else f"{y[0]}—{y[1]}年")
    if q.get("topics"):
        what.append("主题 " + "、".join(q["topics"]))
    if q.get("scope"):
        what.append(q["scope"])
    report = Report("targets", "量化目标" + (": " + " ".join(what) if what else ""), landscape=True)
    report.answer = ans
    _facts(report, conn, asked, today)
    cites = Citations(conn)
    when, promises = dated(ans), promised(ans)
    n = 1
    if when:
        report.heading(f"{_NUMBERS[n]}、目标一览")
        report.table(TARGET_TABLE, TARGET_HEADER, [target_cells(t, cites) for t in when], None)
        notes = ([IMPLIED_NOTE] if any(t["year_implied"] for t in when) else []) + (
            [RESTATED_NOTE] if any(t.get("restatements") for t in when) else [])
        for line in notes:
            report.note(line)
        n += 1
        drawn = charts(when)
        if drawn:
            report.heading(f"{_NUMBERS[n]}、图示")
            for title, bars, top in drawn:
                report.bars(title, bars, top)
            n += 1
    if promises:
        report.heading(f"{_NUMBERS[n]}、承诺(无数值, 原文未写年份且不受“到20XX年”统领)")
        report.table(COMMITMENT_TABLE, TARGET_HEADER, [target_cells(t, cites) for t in promises], None)
        n += 1
    silent = ans.blocks.get("silent") or []
    elsewhere = ans.blocks.get("elsewhere") or []
    if silent or elsewhere:
        report.heading(f"{_NUMBERS[n]}、其他方案")
        if elsewhere:
            parts = []
            for e in elsewhere:
                parts.append(f"{e['plan_name']}: " + "、".join(
                    (f"{year_label(t)}年 " if t["year"] and t["kind"] != "commitment" else "无年份(承诺) ")
                    + (f"{t['scope']} " if t.get("scope") else "") + t["as_written"] for t in e["targets"]))
            report.para("在所选条件之外设有此类目标的方案: " + "; ".join(parts))
        if silent:
            report.para("未设此类目标的方案: " + "、".join(
                s["plan_name"] + (f"({ABRIDGED_MARK})" if s.get("abridged") else "") for s in silent))
            if any(s.get("abridged") for s in silent):
                report.note(f"注: {ABRIDGED_MARK}的方案, 未见不等于未写")
    for line in ans.notes:  # what the answer says beside its records (e.g. targets inside the scope left out)
        report.note(line)
    if not when and not promises:
        report.para("没有符合条件的目标。")
    _references(report, cites)
    return report


# --------------------------------------------------------------------------- plan

def outline_items(nodes: list[dict], cites: Citations, depth: int = 0) -> list[tuple[int, list]]:
    """A plan's outline as list items: sections by number and title,
    measures by number and title (a stand-in first clause in 〔〕)."""
    out = []
    for node in nodes:
        if node["type"] == "section":
            title = f"{node['number'] or ''}{node['title']}"
            out.append((depth, [(f"[{title}]" if node.get("restored") else title, "b")]))
            out += outline_items(node.get("children") or [], cites, depth + 1)
        else:
            title = node["title"] if node.get("title_as_written") else f"〔{node['title']}〕"
            out.append((depth, [(f"{node['number'] or ''}{title}", ""), cites.mark(node["id"])]))
    return out


def plan(conn, ans, asked: str, today: str) -> Report:
    from chengzhen.answers.targets import TargetsAsk, answer as targets_answer

    data = ans.data[1]
    p = data["plan"]
    report = Report("plan", p["name"])
    report.answer = ans
    _facts(report, conn, asked, today)
    cites = Citations(conn)
    report.heading("一、基本信息")
    rows = [("发文机关", p.get("issuer")), ("文号", p.get("doc_number")),
            ("日期", zh_date(p["issue_date"]) if p.get("issue_date") else None),
            ("规划期", f"{p['period_start']}—{p['period_end']}年" if p.get("period_start") else None),
            ("上位方案", p.get("parent")), ("完整性", p.get("completeness"))]
    report.table(FACTS, ["项目", "内容"], [[cell(k), cell(v)] for k, v in rows if v], [1, 4])
    report.heading("二、结构")
    report.items(outline_items(data["outline"], cites))
    tans = targets_answer(conn, TargetsAsk(plans=[p["id"]]))
    tans.query["plans"] = [p["id"]]
    if tans.records:
        report.heading("三、量化目标")
        rows_ = [target_cells(t, cites)[1:] for t in tans.records]
        report.table(TARGET_TABLE, TARGET_HEADER[1:], rows_, None)
        if any(t["year_implied"] for t in tans.records):
            report.note(IMPLIED_NOTE)
    _references(report, cites)
    report.landscape = False
    return report



# --------------------------------------------------------------------------- progress

PROGRESS_HEADER = ["方案", "指标", "范围", "目标(原文)", "目标年", "起点", "最新值", "年均需", "年均实", "预计达成",
                   "判断", "说明", "出处"]


def _statistic_reference(src: dict) -> str:
    """A publication's reference (GB/T 7714 electronic resource), from what
    data/statistics records of it and nothing else."""
    from chengzhen.query.cite_style import reference

    return reference({"issuer": src.get("publisher"), "title": src.get("title"),
                      "date": src.get("published"), "url": src.get("url")})


def _figure(value, year, mark: str) -> str:
    if value is None:
        return "—"
    return f"{value:g}({year}年){mark}"


def progress(conn, ans, asked: str, today: str) -> Report:
    q = ans.query
    what = list(q.get("indicators") or []) if q.get("indicator_asked") else []
    if q.get("as_of"):
        what.append(f"截至{q['as_of']}年")
    report = Report("progress", "目标进展" + (": " + " ".join(what) if what else ""), landscape=True)
    report.answer = ans
    _facts(report, conn, asked, today)
    cites = Citations(conn)
    sources = ans.blocks.get("sources") or {}
    stat_numbers: dict[str, int] = {}

    def stat_mark(key: str | None) -> str:
        if not key or key not in sources:
            return ""
        if key not in stat_numbers:
            ref = _statistic_reference(sources[key])
            if ref not in cites.numbers:
                cites.references.append(ref)
                cites.numbers[ref] = len(cites.references)
            stat_numbers[key] = cites.numbers[ref]
        return f"[{stat_numbers[key]}]"

    rows = []
    for r in ans.records:
        if r.get("base_source") == "statistic" and r.get("base_ref"):
            base_mark = stat_mark("/".join(r["base_ref"].split("/")[:2]))  # place/source/indicator/year
        else:
            base_mark = ("(规划" + (cites.mark(r["base_ref"], superscript=False)[0] if r.get("base_ref") else "") + ")"
                         if r.get("base") is not None else "")
        latest_mark = stat_mark(r.get("latest_source"))
        rows.append([cell(r.get("plan_name") or r["plan"]), cell(r["indicator"]), cell(r.get("scope") or ""),
                     cell(committed_value(r)),
                     cell(f"{r['year']}" + ("*" if r.get("year_implied") else "") if r.get("year") else "—"),
                     cell(_figure(r.get("base"), r.get("base_year"), base_mark or "")),
                     cell(_figure(r.get("latest"), r.get("latest_year"), latest_mark)),
                     cell("—" if r.get("pace_needed") is None else f"{r['pace_needed']:+.3g}"),
                     cell("—" if r.get("pace_achieved") is None else f"{r['pace_achieved']:+.3g}"),
                     cell(str(r["projected_year"]) if r.get("projected_year") else "—"),
                     cell(r["verdict"]), cell("; ".join([r.get("reason") or ""] + list(r.get("notes") or [])).strip("; ")),
                     cell([cites.mark(r["measure_id"], superscript=False)])])
    if rows:
        report.heading(f"{_NUMBERS[1]}、目标与统计值")
        report.table(PROGRESS_TABLE, PROGRESS_HEADER, rows, None)
        if any(r.get("year_implied") for r in ans.records):
            report.note(IMPLIED_NOTE)
        report.note("起点与最新值后的 [n] 为所据统计公报(见参考文献); “(规划[n])”为规划自己写的基期值及其出处。")
        drawn = [r for r in ans.records if r.get("series") and r.get("comparable")]
        if drawn:
            report.heading(f"{_NUMBERS[2]}、进展图")
            for r in drawn:
                _trend_chart(report, r)
    else:
        report.para("没有符合条件的目标。")
    for line in ans.notes:  # the rule, the as-of year, the indicators chosen
        report.note(line)
    _references(report, cites)
    return report

def _nice_step(span: float, n: int = 4) -> float:
    import math

    raw = span / n if span > 0 else 1.0
    mag = 10 ** math.floor(math.log10(raw))
    return next((k * mag for k in (1, 2, 2.5, 5, 10) if k * mag >= raw), 10 * mag)


CHART_SIZE = (640, 300)  # pixels (drawn 15 cm wide in a .docx)


def _trend_chart(report: Report, r: dict) -> None:
    """One target's progress as the web draws it (web/progress_chart.py):
    the realized series, the straight path from the base to the target, and
    the target — from the same answer record; what each mark is and the
    axes' ranges are the legend's text."""
    import math

    from chengzhen.report.png import trend
    from chengzhen.text.progress import APPROX

    series = [(s["year"], s["value"]) for s in r["series"]]
    path = [(p["year"], p["value"]) for p in (r.get("path") or [])]
    level = r.get("basis") != "annual_growth"
    aim = r.get("aim") if level else None
    target = (r["year"], aim) if aim is not None and r.get("year") else None
    years = [y for y, _v in series + path] + ([r["year"]] if r.get("year") else [])
    first, last = min(years), max(years)
    last = last if last > first else first + 1
    values = [v for _y, v in series + path] + ([aim] if aim is not None else [])
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    step = _nice_step(hi - lo)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    png = trend(series, path, target, {"first": first, "last": last, "lo": lo, "hi": hi, "step": step},
                *CHART_SIZE)
    unit = r.get("level_unit") or ""
    title = f"{r.get('plan_name') or r['plan']} · {r['indicator']}" + (f"（{r['scope']}）" if r.get("scope") else "")
    fmt = lambda v: f"{round(v, 4):g}"  # noqa: E731
    legend = ["实线与圆点：统计值 " + "、".join(f"{y}年 {fmt(v)}" for y, v in series)]
    if path:
        legend.append("虚线：从起点到目标的直线路径 " + " → ".join(f"{y}年 {fmt(v)}" for y, v in path))
    if target:
        legend.append(f"圆圈：目标 {committed_value(r)}（{r['year']}年）"
                      + (f"，{fmt(aim)} 即满足（左右按 {fmt(APPROX * 100)}% 容差）" if aim != r.get("value") else ""))
    legend.append(f"横轴 {first}—{last} 年；纵轴 {fmt(lo)}—{fmt(hi)}{unit}，每格 {fmt(step)}；判断：{r['verdict']}")
    report.chart(r["id"], title, png, CHART_SIZE, legend)


KINDS = {"compare": compare, "targets": targets, "plan": plan, "progress": progress}


def plain(report: Report) -> str:
    """The report's text, in reading order (for tests and search)."""
    out = [report.title, report.subtitle or ""]
    for b in report.blocks:
        if b["kind"] in ("heading",):
            out.append(b["text"])
        elif b["kind"] in ("para", "note"):
            out.append(text_of(b["runs"]))
    return "\n".join(x for x in out if x)
