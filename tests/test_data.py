"""The real data: verified against the sources by code, complete, and the
specific facts the issues name.

`cz validate` is the contract: what holds for every plan is one of its
checks, run here over the whole catalogue at once; the per-plan tests run on
a sample of plans (tests/conftest.py plan_params: a province, a city, the
traditional one …, and the plans just changed), the others under `slow`; a
fact about one plan loads that plan alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DATA, REPO, plan_params, run_cz

SEEDS = REPO.parent / "shared" / "seeds"


class _Lazy(dict):
    """plan id -> what ``make`` gives for it, loaded on first use."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, pid):
        self[pid] = got = self.make(pid)
        return got


def _kb():
    from types import SimpleNamespace

    from chengzhen.kb.loader import load_kb, load_plan

    kb = load_kb(DATA)
    by_id = {p.id: p for p in kb.plans}
    bundles = _Lazy(lambda pid: load_plan(DATA, by_id[pid], kb.vocab))
    return SimpleNamespace(plans=kb.plans, vocab=kb.vocab, dept_by_name=kb.vocab.dept_by_name, bundles=bundles,
                           bodies=_Lazy(lambda pid: bundles[pid].body), sources=_Lazy(lambda pid: bundles[pid].lines))


@pytest.fixture(scope="module")
def kb():
    return _kb()


def _catalogue():
    from chengzhen.kb.loader import load_catalogue

    return load_catalogue(DATA)


PLAN_IDS = [p.id for p in _catalogue()]  # the catalogue, whatever it holds: never a hard-coded list
SAMPLE = plan_params(_catalogue())  # per-plan tests: a sample in the quick suite, every plan under slow


def test_sources_are_the_seeds_byte_for_byte(kb):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    seeded = [p for p in kb.plans if p.seed]  # a plan added by hand may come from elsewhere
    assert seeded
    for plan in seeded:
        assert (DATA / plan.source).read_bytes() == (SEEDS / plan.seed).read_bytes(), plan.id


def test_validate_reports_everything_verified_and_covered(cz):
    res = cz("validate", "--format", "json")
    assert res.code == 0, res.out[-2000:]
    import json

    doc = json.loads(res.out)
    audits = doc["records"]
    assert [a["plan"] for a in audits] == PLAN_IDS
    assert doc["problems"] == []
    for a in audits:
        assert a["verified_pct"] == 100.0, a
        assert a["coverage_pct"] == 100.0, a
        assert a["headings_found"] == a["headings"], a  # (an excerpt may break off before its first heading)
        assert a["problems"] == []
    assert any(a["headings"] > 0 for a in audits)


@pytest.mark.parametrize("plan", SAMPLE)
def test_validate_table(cz, plan):
    res = cz("validate", "--plan", plan)
    assert res.code == 0, res.out
    assert plan in res.out and "100.0%" in res.out


# ---------------------------------------------------------------- edits are caught

def _replace(path: Path, old: str, new: str) -> None:
    s = path.read_text(encoding="utf-8")
    assert old in s
    path.write_text(s.replace(old, new, 1), encoding="utf-8")


def test_an_edited_measure_text_fails(real_copy):
    _replace(real_copy / "plans" / "qinghai.yaml", "加快补齐城镇老旧小区供排水", "加快补齐城镇老旧小区供水")
    res = run_cz(["validate", "--plan", "qinghai"])
    assert res.code == 1
    assert "E201" in res.out and "qinghai/6.28" in res.out


def test_a_changed_target_value_fails(real_copy):
    path = real_copy / "plans" / "guizhou.yaml"
    s = path.read_text(encoding="utf-8")
    # the 61%左右 target: change its value only
    new, n = re.subn(r"(value: )61(\s)", r"\g<1>62\2", s, count=1)
    assert n == 1
    path.write_text(new, encoding="utf-8")
    res = run_cz(["validate", "--plan", "guizhou"])
    assert res.code == 1 and "E204" in res.out


def test_a_dropped_heading_fails(real_copy):
    path = real_copy / "plans" / "hebei.yaml"
    s = path.read_text(encoding="utf-8")
    new, n = re.subn(r"(\n\s*)number: 三、\n", r"\1number: null\n", s, count=1)
    assert n == 1
    path.write_text(new, encoding="utf-8")
    res = run_cz(["validate", "--plan", "hebei"])
    assert res.code == 1
    assert "E302" in res.out and "E301" in res.out


def test_an_uncovered_source_line_fails(real_copy):
    # append text to a source line: the audit finds characters no record claims
    src = real_copy / "sources" / "guizhou.txt"
    lines = src.read_text(encoding="utf-8").split("\n")
    lines[8] += "新增一句。"
    src.write_text("\n".join(lines), encoding="utf-8")
    res = run_cz(["validate", "--plan", "guizhou"])
    assert res.code == 1 and "E301" in res.out and "新增一句" in res.out


# ---------------------------------------------------------------- facts the issues name

def _measures(kb, plan):
    return kb.bodies[plan].measures


def _targets(kb, plan):
    return [(m, t) for m in _measures(kb, plan) for t in m.targets]


def test_guizhou_headline_targets(kb):
    ts = [t for _, t in _targets(kb, "guizhou")]
    rate = [t for t in ts if t.indicator == "常住人口城镇化率" and t.year == 2028]
    assert any(t.value == 61 and t.qualifier == "左右" and t.comparator == "approx" for t in rate)
    g5 = [t for t in ts if t.indicator == "5G基站数量"]
    assert any(t.value == 19 and t.unit == "万个" and t.cumulative and t.year == 2028 for t in g5)
    air = [t for t in ts if t.indicator == "城市空气质量优良天数比例"]
    assert any(t.value == 95 and t.comparator == "ge" for t in air)


def test_qinghai_39_numbered_measures_with_departments(kb):
    numbered = [m for m in _measures(kb, "qinghai") if m.kind == "measure"]
    assert len(numbered) == 39
    assert all(m.departments and m.departments_quote.startswith("(责任单位") for m in numbered)
    # measure (十) under 三、 keeps its own number
    ids = {m.id for m in numbered}
    assert "qinghai/3.10" in ids and "qinghai/6.28" in ids and "qinghai/7.39" in ids
    # the unnumbered lead paragraph under each action heading
    for n in range(2, 8):
        assert f"qinghai/{n}.p1" in {m.id for m in _measures(kb, "qinghai")}
    sui = [t for _, t in _targets(kb, "qinghai") if t.indicator == "义务教育阶段随迁子女在公办学校就读比例"]
    assert any(t.value == 100 for t in sui)


def test_hunan_tasks_policies_departments_and_script(kb):
    ms = _measures(kb, "hunan")
    tasks = [m for m in ms if re.fullmatch(r"hunan/2\.\d\.\d+", m.id)]
    assert len(tasks) == 17
    policies = [m for m in ms if re.fullmatch(r"hunan/3\.\d\.p1", m.id)]
    assert len(policies) == 7
    assert all(m.departments for m in tasks + policies)
    body = kb.bodies["hunan"]
    # the joint entry names the city and the county governments, its text kept
    assert body.all_tasks and body.all_tasks.departments == ("各市州人民政府", "各县市区人民政府")
    assert body.all_tasks.as_written() == {"各市州人民政府": "各市州、县市区人民政府", "各县市区人民政府": "各市州、县市区人民政府"}
    text = "".join(m.text for m in ms)
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", text), "pinyin left in the text"
    for trad in "鎮區業發戰縣設廳":
        assert trad not in text, trad
    rate = [t for _, t in _targets(kb, "hunan") if t.indicator == "常住人口城镇化率"]
    assert rate and rate[0].value == 66 and rate[0].year == 2028 and rate[0].year_implied
    plan = next(p for p in kb.plans if p.id == "hunan")
    assert plan.supplied_reason("period") and plan.supplied_reason("parent")  # the source states neither


def test_hunan_mojibake_repair_is_data_and_decodes(kb):
    plan = next(p for p in kb.plans if p.id == "hunan")
    assert len(plan.repairs) == 1
    rep = plan.repairs[0]
    assert rep.line == 39 and rep.repaired == "。“一地一策”完善全省市縣" and rep.reason
    raw = (DATA / plan.source).read_text(encoding="utf-8").split("\n")[38]
    assert rep.source in raw
    # re-derive: the span is GBK read one byte out of step; its first byte (a1) was
    # lost (shown as '?') and a full-width ！ (a3 a1) shows as '!'
    tail = rep.source[1:].replace("!", "！")
    data = b"\xa1" + tail.encode("gb18030")
    assert data.decode("gbk") == rep.repaired
    assert "“一地一策”完善全省市县房地产支持政策" in kb.sources["hunan"][38]


def test_liupanshui_indicator_table_complete(kb):
    box = next(m for m in _measures(kb, "liupanshui") if m.id == "liupanshui/box1")
    assert box.kind == "table" and len(box.targets) == 35
    rate = next(t for t in box.targets if t.indicator == "常住人口城镇化率")
    assert (rate.value, rate.value_max, rate.basis, rate.baseline, rate.baseline_year) == (1, 2, "annual_growth", 48.87, 2020)
    death = [t for t in box.targets if t.comparator == "le"]
    assert any(t.value == 0.04 for t in death)
    assert sum(t.cumulative for t in box.targets) >= 6
    assert all(t.cumulative == ("[" in t.as_written) for t in box.targets)  # [] marks a total
    restored = [s for s in kb.bodies["liupanshui"].sections if s.restored]
    assert len(restored) >= 20


def test_hebei_annex_50_potential_areas(kb):
    annex = kb.bodies["hebei"].annexes[0]
    items = [it for g in annex.groups for it in g.items]
    assert len(items) == 50
    assert [it.number for it in items] == [f"{n}." for n in range(1, 51)]
    shijiazhuang = next(g for g in annex.groups if g.name == "石家庄市")
    assert [i.name for i in shijiazhuang.items] == ["藁城区", "无极县", "赵县", "晋州市", "新乐市"]
    ts = [t for _, t in _targets(kb, "hebei")]
    assert any(t.value == 10 and "产教联合体" in t.indicator for t in ts)
    assert any("老旧小区" in t.indicator and t.year == 2025 for t in ts)


def test_same_indicator_same_name_across_plans(kb):
    named = ("guizhou", "qinghai", "hunan", "liupanshui", "hebei")
    rate_plans = {m.plan for p in named for m in _measures(kb, p) for t in m.targets
                  if t.indicator == "常住人口城镇化率"}
    assert rate_plans >= {"guizhou", "qinghai", "hunan", "liupanshui"}
    assert "hebei" not in rate_plans  # hebei sets none


def test_every_department_is_canonical_across_plans(kb):
    # (every name of every plan is a vocabulary's: E131, checked by cz validate above)
    # one department lines up across the two plans that list 责任单位
    canon = {p: {kb.dept_by_name[d] for m in _measures(kb, p) for d in m.departments} for p in ("qinghai", "hunan")}
    assert "省住房城乡建设厅" in canon["qinghai"] & canon["hunan"]


# ---------------------------------------------------------------- every plan of the catalogue

@pytest.mark.parametrize("plan", SAMPLE)
def test_catalogue_fields_are_the_sources_or_marked_supplied(kb, plan):
    """文号, issuer, date and period are written in the source's title lines,
    版头 or 落款 — or the editors say where they come from."""
    from chengzhen.kb.audit import audit_plan

    p = next(x for x in kb.plans if x.id == plan)
    res = audit_plan(kb.bundles[plan], {"E210", "E211", "E212", "E213"}, vocab=kb.vocab)
    assert res.problems == []
    for name, reason in p.supplied:
        assert reason.strip(), name
    if p.issue_date:
        y, mo, d = (int(x) for x in p.issue_date.split("-"))
        assert any(f"{y}年{mo}月{d}日" in line for line in kb.sources[plan])


@pytest.mark.parametrize("plan", SAMPLE)
def test_departments_are_the_clause_as_written(kb, plan):
    """lead only where the clause writes 牵头; every joint entry's text is the clause's."""
    from chengzhen.kb.audit import clause_names

    for m in _measures(kb, plan):
        if not m.departments_quote:
            assert not m.departments and not m.lead
            continue
        written = [n for n, _lead in clause_names(m.departments_quote)]
        as_listed = [p for e in m.dept_entries for p in (e.as_written.split("、") if e.joint else [e.as_written])]
        assert as_listed == written, m.id
        assert set(m.lead) == {n for n, lead in clause_names(m.departments_quote) if lead}, m.id


@pytest.mark.parametrize("plan", SAMPLE)
def test_targets_as_committed(kb, plan):
    """力争/争取/努力 recorded as aspiration; a goal without a figure and
    without a year the source writes or governs carries no year."""
    for m, t in _targets(kb, plan):
        if t.aspiration:
            assert t.aspiration in ("力争", "争取", "努力"), (m.id, t.aspiration)
        assert t.qualifier not in ("力争", "争取", "努力"), m.id
        if t.value is None and t.year is not None:
            assert not t.year_implied, (m.id, t.quote)
        if t.year is None:
            assert t.is_commitment and t.value is None, m.id


def test_open_ended_commitments_have_no_year(kb):
    ts = {t.quote: t for _m, t in _targets(kb, "qinghai")}
    for quote in ("逐步消除教学点", "建立覆盖县城及以上城市的全面体检评估制度"):
        t = ts[quote]
        assert t.year is None and t.is_commitment, quote


def test_aspirational_targets_are_marked(kb):
    asp = [(m.id, t.as_written) for p in ("guizhou", "liupanshui") for m, t in _targets(kb, p) if t.aspiration]
    assert ("guizhou/4.4", "力争建成大城市") in asp
    assert any(i == "liupanshui/2.3.2" for i, _ in asp)
    firm = [t for m, t in _targets(kb, "guizhou") if m.id == "guizhou/4.4" and t.as_written == "建成中等城市"]
    assert firm and firm[0].aspiration is None  # 毕节、六盘水力争建成大城市,都匀建成中等城市: 都匀's clause is firm


def test_joint_entries_and_no_invented_lead(kb):
    m = next(x for x in _measures(kb, "qinghai") if x.id == "qinghai/5.22")
    assert m.departments[:2] == ("西宁市政府", "海东市政府")
    assert m.as_written()["西宁市政府"] == "西宁市、海东市政府"
    assert not any(x.lead for p in ("qinghai", "hunan") for x in _measures(kb, p))  # neither writes 牵头
    three_nine = next(x for x in _measures(kb, "qinghai") if x.id == "qinghai/3.9")
    assert three_nine.departments[0] == "省委编办" and not three_nine.lead


def test_abridged_plans_say_so(kb):
    # (abridged exactly when the source says 本文有删减, for every plan: E213, checked by cz validate)
    qinghai = next(p for p in kb.plans if p.id == "qinghai")
    assert qinghai.abridged and any("本文有删减" in line for line in kb.sources["qinghai"])


def test_national_titles_occur_in_their_evidence(kb):
    from chengzhen.text.normalize import squash

    national = kb.vocab.national
    assert national and len(national.tasks) >= 19
    units = {}
    cited = {rec.evidence.split("/", 1)[0] for rec in (*national.groups, *national.tasks) if rec.evidence}
    for body in (kb.bodies[p] for p in cited):
        units.update({s.id: squash((s.number or "") + s.title) for s in body.sections})
        units.update({m.id: squash((m.number or "") + (m.title or "") + m.text) for m in body.measures})
    for rec in (*national.groups, *national.tasks):
        if rec.evidence:
            assert squash(rec.title) in units[rec.evidence], rec.id


@pytest.mark.parametrize("plan", SAMPLE)
def test_retrospective_measures_carry_no_task(kb, plan):
    body = kb.bodies[plan]
    retro = {s.id for s in body.sections if any(x.retrospective for x in body.section_path(s.id))}
    for m in body.measures:
        if m.section in retro:
            assert not m.tasks, m.id


def test_a_retrospective_section_is_marked(kb):
    assert any(s.retrospective for s in kb.bodies["liupanshui"].sections)
