"""Search: complete at any length, script-blind, honest (a hit holds what
was typed; everything else is labelled and never counted), entities,
segmented and related results, pasted text, lists, safe, scriptable.

Expected answers are computed from the database by brute force or from the
catalogue, never hard-coded per plan: a correct new plan leaves these green.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from chengzhen.errors import UsageError
from chengzhen.query.search import Filters, search
from chengzhen.text.tokens import token_chars


def _texts(conn) -> dict[int, tuple[str, str, str, str, str]]:
    """docs rowid -> (kind, ref, plan, folded title, folded body) of every non-target unit."""
    out = {}
    for rowid, kind, ref, plan, title, body in conn.execute(
            "SELECT d.rowid, d.kind, d.ref, d.plan_id, d.title, CASE d.kind WHEN 'measure' THEN m.text "
            "|| coalesce(m.departments_quote, '') "
            "WHEN 'annex' THEN coalesce(x.heading, coalesce(a.group_name, '') || ' ' || a.name) ELSE '' END "
            "FROM docs d LEFT JOIN measures m ON d.kind = 'measure' AND m.id = d.ref "
            "LEFT JOIN annex_rows a ON d.kind = 'annex' AND a.annex_id = d.ref AND a.seq = CAST(d.item AS INTEGER) "
            "LEFT JOIN annexes x ON d.kind = 'annex' AND d.item IS NULL AND x.id = d.ref "
            "WHERE d.kind != 'target'"):
        out[rowid] = (kind, ref, plan, token_chars(title or "", simplify=False), token_chars(body or "", simplify=False))
    return out


def _expected(conn, query: str) -> set[tuple[str, str]]:
    """Brute force: every measure/section/annex doc whose normalized title or
    text contains every term."""
    terms = [token_chars(t) for t in query.split()]
    return {(kind, ref) for kind, ref, _p, t, b in _texts(conn).values()
            if all(term in t for term in terms) or all(term in b for term in terms)}


def _exact(res):
    return {(h.kind, h.id) for h in res.hits if h.kind != "target" and h.match == "exact"}


@pytest.mark.parametrize("query", ["房", "住房", "电梯", "老旧小区", "城中村", "5G", "5g", "2028",
                                   "保障性住房 配售型", "常住人口城镇化率", "藁城区", "专栏",
                                   "统筹城乡基础设施一体化规划建设"])
def test_complete_at_any_length(conn, query):
    res = search(conn, query, limit=None, segment=False)
    assert _exact(res) == _expected(conn, query)
    assert _exact(res), query


def test_two_character_words_are_found(conn):
    for q in ("住房", "电梯", "户籍", "洪涝"):
        assert search(conn, q).hits, q


def test_script_blind(conn):
    a = search(conn, "老旧小区", limit=None)
    b = search(conn, "老舊小區", limit=None)
    assert [h.id for h in a.hits] == [h.id for h in b.hits] and a.hits
    hunan = search(conn, "城市生命线安全工程", Filters(plans=["hunan"]))
    assert hunan.hits and all(h.plan == "hunan" for h in hunan.hits)
    assert search(conn, "長株潭", Filters(plans=["hunan"])).hits


def test_full_width_and_case_fold(conn):
    assert {h.id for h in search(conn, "５Ｇ", limit=None).hits} == {h.id for h in search(conn, "5g", limit=None).hits}


def test_space_separated_terms_are_anded(conn):
    both = search(conn, "老旧小区 电梯", limit=None)
    assert both.mode == "exact" and both.hits
    for h in both.hits:
        assert "老旧小区" in h.text + h.title and "电梯" in h.text + h.title


# ---------------------------------------------------------------- 1. honest matching

HONEST_QUERIES = ["老旧小区", "电梯", "住房 保障", "随迁子女公办学校", "老旧小区加装电梯", "教育厅", "城镇化率",
                  "统筹城乡基础设施一体化规划建设", "黔", "新质生产力", "十五五", "城中材"]


@pytest.mark.parametrize("query", HONEST_QUERIES)
def test_every_hit_holds_what_was_typed_or_says_how_it_matched(conn, query):
    """An exact hit holds every term; a segmented hit every segment; an
    entity hit is marked with the entity; nothing else is a hit."""
    texts = _texts(conn)
    res = search(conn, query, limit=None)
    assert res.total == len(res.hits)
    for h in res.hits:
        assert h.hit and h.match in ("exact", "segmented", "department", "plan", "topic", "indicator", "task")
        if h.kind == "target":
            hay = [token_chars(h.title, simplify=False)]
        else:
            _k, _r, _p, t, b = texts[h.rowid]
            hay = [t, b]
        if h.match == "exact":
            assert any(all(term in x for term in res.terms) for x in hay), (query, h)
        elif h.match == "segmented":
            assert res.segments and any(all(s in x for s in res.segments) for x in hay), (query, h)
            assert all(len(s) >= 2 for s in res.segments)
        else:
            assert h.via and any(e.kind == h.match for e in res.entities), (query, h)


@pytest.mark.parametrize("query", ["新质生产力", "十五五"])
def test_a_miss_is_a_miss_in_every_format(cz, query):
    """The issue's examples: nothing holds them — exit 1, suggestions on stdout
    in every format, never as hits; `-f ids` prints nothing."""
    js = cz("search", query, "--format", "json")
    assert js.code == 1
    data = json.loads(js.out)
    assert data["records"] == [] and data["total"] == 0 and data["count"] == 0
    assert data["did_you_mean"], "a suggestion is offered"
    assert not any(query in s for s in data["did_you_mean"])
    assert cz("search", query, "--format", "ids").out == ""
    table = cz("search", query, "--format", "table")
    assert table.code == 1 and "你是否要找" in table.out.splitlines()[0] and data["did_you_mean"][0] in table.out
    for fmt in ("tsv", "csv", "jsonl"):
        res = cz("search", query, "--format", fmt)
        assert res.code == 1 and data["did_you_mean"][0] in res.out
        assert "did_you_mean" in res.out and "true" not in res.out.lower().replace("true_", "")
    piped = cz("search", query)  # off a terminal: TSV, the suggestion labelled
    assert piped.code == 1 and piped.out.splitlines()[0].startswith("rank\thit\tmatch")
    assert all("\tfalse\tdid_you_mean\t" in line for line in piped.out.splitlines()[1:])


def test_the_old_false_hit_is_gone(cz):
    """`新质生产力 -f ids | xargs cz show` used to show an unrelated measure."""
    assert cz("search", "新质生产力", "-f", "ids").out == ""
    assert cz("search", "十五五", "-f", "ids").out == ""


@pytest.mark.parametrize("typo,meant", [("老旧小去", "老旧小区"), ("城中材", "城中村")])
def test_fuzzy_is_a_suggestion(conn, cz, typo, meant):
    res = search(conn, typo)
    assert res.mode == "none" and res.total == 0 and not res.hits
    assert res.suggestions[0] == meant and res.suggestion_kind == "fuzzy"
    assert "did you mean" in res.note
    run = cz("search", typo, "--format", "json")
    assert run.code == 1 and json.loads(run.out)["did_you_mean"][0] == meant


def test_fuzzy_option_searches_the_suggestion_but_it_stays_a_miss(cz, conn):
    res = cz("search", "城中材", "--fuzzy", "--format", "json")
    assert res.code == 1
    data = json.loads(res.out)
    assert data["records"] == [] and data["total"] == 0
    expected = {h.id for h in search(conn, "城中村", limit=None, entities=False).hits}
    assert {r["id"] for r in data["suggested"]} == expected
    assert all(r["match"] == "fuzzy" and r["hit"] is False and r["via"] == "城中村" for r in data["suggested"])
    ids = cz("search", "城中材", "--fuzzy", "--format", "ids")
    assert ids.code == 1 and set(ids.out.split()) == expected
    table = cz("search", "城中材", "--fuzzy", "--format", "table")
    assert "按建议“城中村”检索的结果(非命中)" in table.out


@pytest.mark.parametrize("pinyin", ["laojiuxiaoqu", "ljxq", "laojiu xiaoqu", "lǎojiù xiǎoqū"])
def test_pinyin_is_a_suggestion(conn, pinyin):
    res = search(conn, pinyin)
    assert res.total == 0 and not res.hits
    assert res.suggestions[0] == "老旧小区" and res.suggestion_kind == "pinyin"


def test_exact_flag(cz):
    res = cz("search", "城中材", "--exact", "--format", "json")
    assert res.code == 1 and json.loads(res.out)["did_you_mean"] == []
    ent = json.loads(cz("search", "教育厅", "--exact", "--format", "json").out)
    assert ent["entities"] == [] and ent["related"] == []
    assert all(r["match"] == "exact" and "教育厅" in r["title"] + r["text"] for r in ent["records"])


# ---------------------------------------------------------------- 2. exact, segmented, related

def test_segmented_hits_follow_few_exact_hits_labelled(conn):
    res = search(conn, "老旧小区加装电梯", limit=None)
    assert res.segments and all(len(s) >= 2 for s in res.segments)
    seg = [h for h in res.hits if h.match == "segmented"]
    assert seg and all(h.via == " + ".join(res.segments) for h in seg)
    assert any("segmented" in n for n in res.notes)
    # exact hits first
    order = [h.match for h in res.hits]
    assert order == sorted(order, key=lambda m: m != "exact")


def test_no_segmentation_that_drops_a_character(conn):
    """教育厅 is not 教育 + 厅; 十五五 is not 十五 + 五."""
    for q in ("教育厅", "十五五", "城中材"):
        res = search(conn, q, limit=None)
        assert not res.segments and not any(h.match == "segmented" for h in res.hits), q


def test_a_corpus_word_is_not_cut(conn):
    res = search(conn, "老旧小区", limit=None)
    assert not res.segments


def test_sui_qian_zi_nv_gong_ban_xue_xiao_reaches_every_plan_mentioning_both(conn, cz):
    """The issue's example: our indicator label held the whole phrase, and
    hid the measures whose text holds 随迁子女 and 公办学校."""
    texts = _texts(conn)
    plans = {p for kind, _r, p, t, b in texts.values() if kind == "measure"
             and "随迁子女" in t + b and "公办学校" in t + b}
    assert plans
    res = search(conn, "随迁子女公办学校", limit=None)
    assert {h.plan for h in res.hits if h.kind == "measure"} >= plans
    table = cz("search", "随迁子女公办学校", "--format", "json")
    got = {r["plan"] for r in json.loads(table.out)["records"] if r["kind"] == "measure"}
    assert got >= plans


def test_labels_never_suppress_source_hits(conn):
    """Hits only on labels we wrote (indicator names of target rows,
    restored headings) do not count as the 'exact hits' that make
    segmentation unnecessary."""
    from chengzhen.query.matching import source_hits_at_least as _source_hits_at_least

    restored = conn.execute("SELECT d.rowid, d.kind, d.ref FROM docs d JOIN sections s ON s.id = d.ref "
                            "WHERE d.kind = 'section' AND s.restored = 1").fetchall()
    if restored:
        rows = [(kind, ref, None, "p", "n", "t", None, 1, rowid, 0.0, 0) for rowid, kind, ref in restored]
        assert not _source_hits_at_least(conn, ["x"], Filters(), rows, len(rows), 1)
    res = search(conn, "随迁子女公办学校", limit=None)
    assert {h.match for h in res.hits if h.kind == "target"} <= {"exact", "segmented"}
    assert any(h.kind == "measure" for h in res.hits)


def test_a_long_query_gets_related_units_never_counted(conn, cz):
    q = "提高都市圈交通运输连通便利性"
    res = search(conn, q)
    if res.total:  # the data may one day hold it whole: then it is a hit
        return
    assert res.related and all(h.match == "related" and not h.hit for h in res.related)
    assert all(h.via for h in res.related)
    run = cz("search", q, "--format", "json")
    data = json.loads(run.out)
    assert run.code == 1 and data["records"] == [] and data["related"]
    assert data["related"][0]["rank"] == 1
    tsv = cz("search", q, "--format", "tsv").out.splitlines()
    assert all("\tfalse\trelated\t" in line for line in tsv[1:])
    assert cz("search", q, "--format", "ids").out == ""


def test_every_national_task_title_reaches_the_plans_that_carry_it(conn):
    """Pasting a national task title reaches every plan with a measure mapped
    to that task: an exact (or segmented) hit, or a related unit labelled
    task — never a hit by the mapping alone, unless expanded."""
    tasks = conn.execute("SELECT id, title FROM national_tasks ORDER BY ord").fetchall()
    assert tasks
    for tid, title in tasks:
        carried = {r[0] for r in conn.execute(
            "SELECT DISTINCT m.plan_id FROM measure_tasks t JOIN measures m ON m.id = t.measure_id "
            "WHERE t.task_id = ?", (tid,))}
        res = search(conn, title, limit=None)
        assert any(e.kind == "task" and e.keys[0] == tid for e in res.entities), title
        assert {h.plan for h in res.hits} | {h.plan for h in res.related if h.match == "task"} >= carried
        assert all(h.hit and h.match in ("exact", "segmented") for h in res.hits), title
        assert not any(h.hit for h in res.related)
        expanded = search(conn, title, limit=None, expand=True)
        assert {h.plan for h in expanded.hits} >= carried, (tid, title)


# ---------------------------------------------------------------- 3. entities

def _dept_measures(conn, needle: str) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT md.measure_id FROM measure_departments md WHERE md.department IN "
        "(SELECT department FROM department_names WHERE instr(name, ?) > 0)", (needle,))}


@pytest.mark.parametrize("query,needle", [("教育厅", "教育厅"), ("省住房城乡建设厅", "住房城乡建设厅"),
                                          ("省住房城鄉建設廳", "住房城乡建设厅"), ("发展改革委", "发展改革委"),
                                          ("人民银行", "人民银行")])
def test_a_department_lists_its_measures(conn, cz, query, needle):
    """The issue's examples: 教育厅 and 省住房城乡建设厅 list the measures those
    departments are responsible for, not text hits for 教育 or 住房."""
    expected = _dept_measures(conn, needle)
    assert expected
    named = {r[0] for r in conn.execute(
        "SELECT DISTINCT md.measure_id FROM measure_departments md WHERE md.all_tasks = 0 AND md.department IN "
        "(SELECT department FROM department_names WHERE instr(name, ?) > 0)", (needle,))}
    res = search(conn, query, limit=None)
    # its measures whose own 责任单位 clause names it are hits; a plan-wide
    # assignment is related, never a hit
    assert {h.id for h in res.hits} >= named
    assert {h.id for h in res.hits} | {h.id for h in res.related if h.match == "department"} >= expected
    assert all(h.match in ("department", "exact") for h in res.hits)
    assert not any(h.hit for h in res.related)
    for h in res.hits:
        if h.match == "exact":
            assert token_chars(query) in token_chars(h.title + h.text)
    data = json.loads(cz("search", query, "--format", "json").out)
    assert any(e["kind"] == "department" and e["see"].startswith("cz depts ") for e in data["entities"])
    plans_with = {r[0] for r in conn.execute(
        f"SELECT DISTINCT plan_id FROM measures WHERE id IN ({','.join('?' * len(named))})", list(named))}
    assert {h.plan for h in res.hits} >= plans_with


def test_department_table_points_to_the_command(cz):
    res = cz("search", "教育厅", "--format", "table")
    assert res.code == 0 and "cz depts 省教育厅" in res.out and "责任单位" in res.out


def _plan_names(conn):
    from chengzhen.text.regions import ABBREVIATIONS

    rows = conn.execute("SELECT id, short_name, region, name, level FROM plans ORDER BY ord").fetchall()
    out = []
    for pid, short, region, name, level in rows:
        out += [(pid, pid), (short, pid), (region, pid), (name, pid)]
        if region.endswith(("省", "市")) and region[:-1] != short:
            out.append((region[:-1], pid))
        if level == "city":
            out.append((short + "市", pid))
        provinces = [p for p in rows if p[4] == "province" and p[1] == short]
        if level == "province" and len(provinces) == 1:
            out += [(a, pid) for a, prov in ABBREVIATIONS.items() if prov == short
                    and a not in {r[1] for r in rows}]
    return out


def _shared(names) -> set[str]:
    """The names that name more than one plan (two plans of one province: 湖南 for both)."""
    pids: dict[str, set] = {}
    for name, pid in names:
        pids.setdefault(name, set()).add(pid)
    return {n for n, p in pids.items() if len(p) > 1}


def test_plans_by_every_name(conn):
    """id, 简称, full name, 省/市 suffix, one-character abbreviation (黔 冀 湘
    青): each names the plan, as a filter and as a query."""
    from chengzhen.query.resolve import resolve_plans

    names = _plan_names(conn)
    assert any(len(n) == 1 for n, _ in names)
    shared = _shared(names)
    for name, pid in names:
        if name in shared:  # names two plans: ambiguous, one clear error
            with pytest.raises(UsageError, match="ambiguous"):
                resolve_plans(conn, [name])
            continue
        assert resolve_plans(conn, [name]) == [pid], name
        ents = search(conn, name, limit=1).entities
        assert any(e.kind == "plan" and e.name == pid for e in ents), name


def test_abbreviations_of_the_four_provinces(conn):
    from chengzhen.query.resolve import resolve_plans

    for abbr, short in (("黔", "贵州"), ("冀", "河北"), ("湘", "湖南"), ("青", "青海")):
        pids = conn.execute("SELECT id FROM plans WHERE short_name = ? AND level = 'province'", (short,)).fetchall()
        if len(pids) == 1:
            assert resolve_plans(conn, [abbr]) == [pids[0][0]]
        elif pids:  # the province's plans, more than one: ambiguous
            with pytest.raises(UsageError, match="ambiguous"):
                resolve_plans(conn, [abbr])


def test_topic_indicator_and_task_entities(conn):
    topic = conn.execute("SELECT topic, count(*) FROM measure_topics GROUP BY topic ORDER BY 2 DESC LIMIT 1").fetchone()
    res = search(conn, topic[0], limit=None)
    tagged = {r[0] for r in conn.execute("SELECT measure_id FROM measure_topics WHERE topic IN "
                                         "(SELECT ? UNION SELECT name FROM topics WHERE parent = ?)", (topic[0], topic[0]))}
    assert {h.id for h in res.hits + res.related if h.kind == "measure"} >= tagged
    assert all(h.match == "topic" and not h.hit for h in res.related)
    assert {h.id for h in search(conn, topic[0], limit=None, expand=True).hits if h.kind == "measure"} >= tagged
    ind = conn.execute("SELECT indicator FROM targets GROUP BY indicator ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    res = search(conn, ind, limit=None)
    assert any(e.kind == "indicator" for e in res.entities)
    ids = {r[0] for r in conn.execute("SELECT id FROM targets WHERE indicator = ?", (ind,))}
    assert {h.item for h in res.hits + res.related if h.kind == "target"} >= ids
    assert {h.item for h in search(conn, ind, limit=None, expand=True).hits if h.kind == "target"} >= ids


@pytest.mark.parametrize("opt,values,check", [
    ("--plan", ["guizhou、hebei"], {"guizhou", "hebei"}),
    ("--plan", ["{0}，{1}"], None),  # two plans' short names (each naming one plan), a Chinese comma between
    ("--plan", ["guizhou,hebei"], {"guizhou", "hebei"}),
    ("--plan", ["guizhou", "--plan", "hebei"], {"guizhou", "hebei"}),
])
def test_filters_accept_lists(cz, conn, opt, values, check):
    if check is None:
        shorts = [(pid, short) for pid, short in conn.execute(  # the two with most measures (住房 is in them)
            "SELECT id, short_name FROM plans ORDER BY (SELECT count(*) FROM measures WHERE plan_id = plans.id) DESC")
                  if conn.execute("SELECT count(*) FROM plans WHERE short_name = ?", (short,)).fetchone()[0] == 1][:2]
        values = [v.format(*(short for _p, short in shorts)) for v in values]
        check = {pid for pid, _s in shorts}
    args = ["search", "住房", "--format", "jsonl", opt, *values]
    res = cz(*args)
    assert res.code == 0, (values, res.err)
    assert {json.loads(line)["plan"] for line in res.out.splitlines()} <= check


def test_a_department_with_a_list_mark_in_its_name_stays_whole(conn):
    from chengzhen.query.resolve import resolve_departments

    name = conn.execute("SELECT name FROM departments WHERE name LIKE '%、%' LIMIT 1").fetchone()
    if name:
        assert resolve_departments(conn, [name[0]]) == [name[0]]
        assert name[0] in resolve_departments(conn, [name[0] + "，省教育厅"])


def test_filters(cz):
    qh = cz("search", "住房", "--plan", "青海省", "--format", "jsonl")
    assert qh.code == 0
    assert {json.loads(line)["plan"] for line in qh.out.splitlines()} == {"qinghai"}
    same = cz("search", "住房", "--plan", "qinghai", "--format", "jsonl")
    assert same.out == qh.out == cz("search", "住房", "--plan", "青海", "--format", "jsonl").out
    topic = cz("search", "改造", "--topic", "老旧小区", "--format", "ids")
    assert topic.code == 0 and topic.out
    dept = cz("search", "改造", "--dept", "住房城乡建设厅", "--format", "ids")
    assert dept.code == 0
    assert cz("search", "住房", "--plan", "qinhai").code == 2
    assert cz("search", "住房", "--plan", "六盘水市").code == 0


# ---------------------------------------------------------------- 4. lists without a query

def test_lists_without_a_query(conn, cz):
    res = cz("search", "--topic", "住房保障", "--format", "json")
    assert res.code == 0
    data = json.loads(res.out)
    expected = {r[0] for r in conn.execute(
        "SELECT measure_id FROM measure_topics WHERE topic IN (SELECT '住房保障' UNION "
        "SELECT name FROM topics WHERE parent = '住房保障')")}
    assert {r["id"] for r in data["records"]} == expected and data["total"] == len(expected)
    assert all(r["match"] == "list" and r["hit"] for r in data["records"])
    plan = json.loads(cz("search", "--plan", "hebei", "--format", "json").out)
    n = conn.execute("SELECT count(*) FROM measures WHERE plan_id = 'hebei'").fetchone()[0]
    assert plan["total"] == n
    kind = json.loads(cz("search", "--kind", "target", "--plan", "qinghai", "--format", "json").out)
    assert kind["total"] == conn.execute("SELECT count(*) FROM targets WHERE plan_id = 'qinghai'").fetchone()[0]
    dept = json.loads(cz("search", "--dept", "省教育厅", "--format", "json").out)
    assert {r["id"] for r in dept["records"]} == _dept_measures(conn, "省教育厅")
    assert cz("search").code == 2


def test_group_by_plan(conn, cz):
    res = cz("search", "随迁子女", "--group-by", "plan", "--format", "json")
    data = json.loads(res.out)
    plans = [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]
    assert [g["plan"] for g in data["groups"]] == plans  # every plan, zeros included
    order = [plans.index(r["plan"]) for r in data["records"]]
    assert order == sorted(order)
    assert sum(g["total"] for g in data["groups"]) == data["total"]
    table = cz("search", "随迁子女", "--group-by", "plan", "--format", "table")
    assert table.code == 0
    assert cz("search", "住房", "--group-by", "nothing").code == 2


# ---------------------------------------------------------------- 6. pasted text

@pytest.mark.parametrize("pasted,clean", [
    ("(二十八)扎实推进城镇老旧小区改造", "扎实推进城镇老旧小区改造"),
    ("（二十八）扎实推进", "扎实推进"),
    ("一、总体要求", "总体要求"),
    ("4.完善农业转移人口", "完善农业转移人口"),
    ("（1）加快", "加快"),
    ("第三章 推进", "推进"),
    ("城鎮(zhèn)化", "城鎮化"),
    ("城鎮（zhèn）化", "城鎮化"),
    ("城 镇 化", "城镇化"),
    ("住 房保障", "住房保障"),
    ("老旧小区 电梯", "老旧小区 电梯"),
    ("4.5万", "4.5万"),
    ("2028年", "2028年"),
    ("十四五", "十四五"),
    ("一、", "一、"),
])
def test_pasted_text_is_normalized(pasted, clean):
    from chengzhen.text.pasted import query_text

    assert query_text(pasted) == clean


def test_the_pasted_heading_and_pinyin_phrase_find_their_measure(conn):
    """The issue's examples."""
    res = search(conn, "(二十八)扎实推进城镇老旧小区改造", limit=None)
    expected = {r[0] for r in conn.execute("SELECT id FROM measures WHERE number = '(二十八)' "
                                           "AND title = '扎实推进城镇老旧小区改造'")}
    assert expected and expected <= {h.id for h in res.hits}
    res = search(conn, "城鎮(zhèn)化", limit=None)
    hunan = {(h.kind, h.id) for h in res.hits if h.plan == "hunan" and h.match == "exact" and h.kind != "target"}
    assert hunan and hunan == {k for k in _expected(conn, "城镇化") if k[1] == "hunan" or k[1].startswith("hunan/")}


def test_pasted_measure_text_finds_itself(conn):
    """As in the index: a measure's own words, pasted with its number, full
    width and stray spaces, find that measure."""
    rows = conn.execute("SELECT id, number, text FROM measures WHERE number IS NOT NULL AND length(text) > 30 "
                        "ORDER BY id LIMIT 40").fetchall()
    for mid, number, text in rows:
        snippet = text[:14]
        wide = snippet.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
        for q in (number + snippet, number + wide, " ".join(snippet[:3]) + snippet[3:]):
            assert mid in {h.id for h in search(conn, q, limit=None).hits}, (mid, q)


# ---------------------------------------------------------------- ranking, limits, safety

def test_title_hits_rank_first_and_order_is_stable(conn):
    res = search(conn, "老旧小区", limit=None)
    flags = [h.in_title for h in res.hits if h.kind == "measure" and h.match == "exact"]
    assert flags == sorted(flags, reverse=True) and flags[0]
    again = search(conn, "老旧小区", limit=None)
    assert [h.id for h in again.hits] == [h.id for h in res.hits]


@pytest.mark.parametrize("query", ["老旧小区", "住房", "教育厅", "随迁子女公办学校", "房"])
def test_a_limit_cuts_the_same_ranking(conn, query):
    full = search(conn, query, limit=None)
    cut = search(conn, query, limit=5)
    assert [(h.kind, h.id, h.item) for h in cut.hits] == [(h.kind, h.id, h.item) for h in full.hits[:5]]
    assert cut.total == full.total == len(full.hits)


def _defined_order(conn, query: str, window: int) -> list[int]:
    """The ranking docs/cli.md defines, computed from scratch: hits in a
    title first (measures, sections, annex rows; the shortest title first),
    then the others kind by kind (bm25 over body and title); in each tier
    the first ``window`` hits in index order by score, the rest after them
    in index order."""
    from chengzhen.store.kinds import KIND_SHIFT
    from chengzhen.text.tokens import phrase

    q = " AND ".join(phrase(token_chars(t)) for t in query.split())
    sql = "SELECT rowid, bm25(docs_fts, 1.0, 4.0) FROM docs_fts WHERE docs_fts MATCH ?"
    scores = dict(conn.execute(sql, (q,)))
    titled = [r for (r,) in conn.execute("SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?", (f"{{title}} : ({q})",))]
    in_title = {r: len(conn.execute("SELECT title FROM docs WHERE rowid = ?", (r,)).fetchone()[0]) for r in titled}
    scores.update(in_title)
    tiers: dict[tuple[int, int], list[int]] = {}
    for r in sorted(scores):
        tiers.setdefault((0 if r in in_title else 1, r >> KIND_SHIFT), []).append(r)
    out: list[int] = []
    for key in sorted(tiers):
        rows = tiers[key]
        out += sorted(rows[:window], key=lambda r: (scores[r], r)) + rows[window:]
    return out


@pytest.mark.parametrize("window", [1000, 3, 1])
@pytest.mark.parametrize("query", ["老旧小区", "住房", "城镇 改造", "房"])
def test_ranking_follows_its_definition_on_every_path(conn, monkeypatch, query, window):
    """Unfiltered (tier by tier, cut or not) and filtered (one statement)
    searches give the defined order, whatever the window."""
    from chengzhen.query import ranking
    from chengzhen.store.kinds import KINDS

    monkeypatch.setattr(ranking, "RANK_WINDOW", window)
    expected = _defined_order(conn, query, window)
    assert len(expected) > 3
    every_kind = Filters(kinds=list(KINDS))  # a filter that selects everything: the one-statement path
    for filters in (None, every_kind):
        for limit in (None, 2, 5, len(expected) - 1):
            got = search(conn, query, filters, limit=limit, entities=False, segment=False)
            assert [h.rowid for h in got.hits] == expected[:limit], (filters, limit)
            assert got.total == len(expected)


def test_the_guizhou_urban_renewal_measure(cz):
    res = cz("search", "老旧小区", "--format", "ids", "--plan", "guizhou")
    assert "guizhou/5.1" in res.out.split()
    table = cz("search", "老旧小区", "--format", "table")
    assert table.code == 0 and "guizhou/5.1" in table.out and "深入实施城市更新行动" in table.out


@pytest.mark.parametrize("query", ['"老旧小区"', "老旧小区*", "老旧 AND 小区", "OR", "NOT 电梯", "NEAR(老旧 小区)",
                                   "(住房)", "^住房", "title:住房", "*", '"', "a:b", "'; DROP TABLE docs; --",
                                   "，。", "zhèn", "ˊˇˋ", "\x01\x02住房\x7f", "住房" * 5000])
def test_bad_input_is_a_clean_answer(cz, query):
    res = cz("search", "--", query)
    assert res.code in (0, 1), res.err
    assert "Traceback" not in res.err and "fts5" not in res.err.lower() and "internal" not in res.err


def test_query_starting_with_dash(cz):
    hint = cz("search", "-电梯")
    assert hint.code == 2 and "put -- before it" in hint.err and len(hint.err.strip().splitlines()) == 1
    res = cz("search", "--", "-电梯")
    assert res.code == 0 and "Traceback" not in res.err


def test_raw_passes_fts5_syntax_and_reports_errors_in_one_line(cz):
    ok = cz("search", "--raw", "老旧小区 OR 城中村", "--format", "ids")
    assert ok.code == 0 and ok.out
    bad = cz("search", "--raw", '"unbalanced')
    assert bad.code == 2 and len(bad.err.strip().splitlines()) == 1 and "FTS5" in bad.err


def test_limit_and_total(conn):
    res = search(conn, "改造", limit=3)
    assert len(res.hits) == 3 and res.total > 3
    assert res.total == len(search(conn, "改造", limit=None).hits)


# ---------------------------------------------------------------- 8. pipes and spreadsheets

@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv", "ids"])
def test_formats_have_no_colour_when_piped(cz, fmt):
    res = cz("search", "电梯", "--format", fmt)
    assert res.code == 0
    assert "\x1b[" not in res.out
    assert not any(ch in res.out for ch in "─│┌┐└┘━"), "box drawing off a terminal"
    if fmt == "json":
        data = json.loads(res.out)
        assert data["records"] and {"id", "plan", "title", "text", "kind", "rank", "match"} <= set(data["records"][0])
    if fmt == "csv":
        assert res.out.splitlines()[0].startswith("rank,hit,match,via,kind,id")
    if fmt == "tsv":
        from chengzhen.answers.search import COLUMNS as SEARCH_COLUMNS

        assert all(len(line.split("\t")) == len(SEARCH_COLUMNS) for line in res.out.splitlines())


def test_default_off_a_terminal_is_one_record_per_line(cz):
    default = cz("search", "老旧小区")
    tsv = cz("search", "老旧小区", "--format", "tsv")
    assert default.out == tsv.out and default.code == 0
    assert len(default.out.splitlines()) == json.loads(cz("search", "老旧小区", "--format", "json").out)["total"] + 1


def test_ranks_are_the_same_in_every_format(cz):
    q = "随迁子女公办学校"
    js = json.loads(cz("search", q, "--format", "json").out)
    by_json = [(r["rank"], r["id"], r["item"]) for r in js["records"]]
    jl = [json.loads(line) for line in cz("search", q, "--format", "jsonl").out.splitlines()]
    assert [(r["rank"], r["id"], r["item"]) for r in jl if r["hit"]] == by_json
    tsv = [line.split("\t") for line in cz("search", q, "--format", "tsv").out.splitlines()]
    head = tsv[0]
    assert [(int(r[head.index("rank")]), r[head.index("id")], r[head.index("item")] or None) for r in tsv[1:]
            if r[head.index("hit")] == "true"] == by_json
    table = cz("search", q, "--format", "table", "--limit", "0")
    for rank, ident, _item in by_json:
        assert any(line.split()[:1] == [str(rank)] and ident in line for line in table.out.splitlines()), rank


def test_table_marks_matches_without_colour(cz):
    res = cz("search", "电梯", "--format", "table")
    assert "【电梯】" in res.out


def test_exit_codes(cz):
    assert cz("search", "电梯").code == 0
    assert cz("search", "zzzzqqqq").code == 1
    empty = cz("search", "   ")
    assert empty.code == 2 and empty.err.startswith("cz: error:")


def test_stdin_one_envelope_per_query(cz):
    res = cz("search", "--stdin", stdin="老旧小区\n\n城中村\n不存在的词汇组合\n")
    assert res.code == 0
    lines = [json.loads(line) for line in res.out.splitlines()]
    assert [r["query"]["q"] for r in lines] == ["老旧小区", "城中村", "不存在的词汇组合"]
    assert all(r["command"] == "search" and r["count"] == len(r["records"]) for r in lines)
    assert lines[0]["records"] and lines[1]["records"] and not lines[2]["records"]


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "ids", "table", "json"])
def test_stdin_honours_the_format(cz, fmt):
    res = cz("search", "--stdin", "--format", fmt, stdin="老旧小区\n城中材\n")
    assert res.code == 0
    one = cz("search", "老旧小区", "--format", "ids").out.split()
    if fmt == "ids":
        assert res.out.split() == one
    elif fmt == "tsv":
        lines = res.out.splitlines()
        n = json.loads(cz("search", "老旧小区", "--format", "json").out)["total"]
        assert lines[0].startswith("q\trank\t") and sum(1 for ln in lines if ln.startswith("老旧小区\t")) == n
        assert any(ln.startswith("城中材\t") and "did_you_mean" in ln for ln in lines)
    elif fmt == "csv":
        assert res.out.startswith("q,rank,")
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in res.out.splitlines()]
        assert list(dict.fromkeys(r["id"] for r in rows if r["q"] == "老旧小区")) == one
    elif fmt == "table":
        assert "── 老旧小区" in res.out and "你是否要找" in res.out
    else:
        assert len(res.out.splitlines()) == 2


def test_excel_csv_has_a_byte_order_mark(cz):
    res = cz("search", "老旧小区", "--excel")
    assert res.out.startswith("\ufeffrank,hit,") and "\r\n" in res.out
    assert cz("search", "老旧小区", "--excel", "--format", "json").code == 2


def test_show_sql(cz):
    res = cz("search", "电梯", "--sql", "--format", "ids")
    assert "docs_fts MATCH" in res.err


# ---------------------------------------------------------------- fast path = Typer path

def test_fast_path_knows_every_option_of_the_command():
    import typer

    from chengzhen.cli.app import app
    from chengzhen.cli.fast import SEARCH_OPTIONS

    cmd = typer.main.get_command(app).commands["search"]
    declared = {}
    for p in cmd.params:
        if p.param_type_name == "option":
            for o in p.opts:
                declared[o] = (p.name, not p.is_flag, p.multiple)
    declared.pop("--help", None)
    assert {k: v for k, v in declared.items() if k != "-h"} == SEARCH_OPTIONS


@pytest.mark.parametrize("argv", [
    ["老旧小区", "--format", "json"], ["--plan=青海", "住房", "-fjson"], ["-n", "3", "改造", "-f", "tsv"],
    ["随迁子女公办学校", "--group-by", "plan", "-f", "json"], ["--", "-电梯", "-f", "json"],
    ["--topic", "住房保障", "-f", "ids"], ["城中材", "--fuzzy", "-f", "json"],
])
def test_fast_path_answers_as_typer_does(argv):
    from typer.testing import CliRunner

    from chengzhen.cli.app import app
    from chengzhen.cli.fast import parse
    from conftest import run_cz

    assert parse(["search", *argv]) is not None
    fast = run_cz(["search", *argv])
    slow = CliRunner().invoke(app, ["search", *argv], standalone_mode=False)
    assert slow.exception is None
    assert fast.out == slow.stdout and fast.code == slow.return_value


# ---------------------------------------------------------------- stock clients

def test_stock_sqlite3_can_query_the_index(real_db):
    """The index is plain FTS5: a stock client writes a phrase of single
    characters (docs/schema.md)."""
    conn = sqlite3.connect(real_db)
    rows = conn.execute("SELECT d.ref FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid "
                        "WHERE docs_fts MATCH ? AND d.kind = 'measure'", ('"平 急 两 用"',)).fetchall()
    assert {"hebei/2.4.2", "qinghai/6.29"} <= {r[0] for r in rows}
