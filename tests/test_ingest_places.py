"""`cz ingest` drafts where a plan and its targets are (ingest/places.py;
docs/places.md, "Drafting places"): the region as one place, each scope
read; what the place vocabulary lacks is proposed in the plan's vocabulary
file, flagged, and after `cz review ID --accept all` the plan validates —
`cz validate` (E176, E177) and `cz build` alike — and `--plan`/`--scope`
find it by its place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DATA, held_plans, run_cz


def _env(root: Path) -> dict:
    return {"CZ_DATA": str(root), "CZ_DB": str(root.parent / "ingest.db")}


@pytest.fixture
def data(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    return root


def _ingest(root: Path, src: Path, pid: str) -> dict:
    got = run_cz(["ingest", str(src), "--id", pid, "--format", "json"], env=_env(root))
    assert got.code == 0, got.err + got.out[-3000:]
    return json.loads(got.out)


def _vocabulary(root: Path, pid: str) -> dict:
    path = root / "vocabulary" / f"{pid}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _accept_and_validate(root: Path, pid: str) -> dict:
    acc = run_cz(["review", pid, "--accept", "all"], env=_env(root))
    assert acc.code in (0, 1), acc.err
    v = run_cz(["validate", "--plan", pid, "--format", "json"], env=_env(root))
    doc = json.loads(v.out)
    codes = {p["code"] for p in doc["problems"]}
    assert not codes & {"E176", "E177", "E304"}, doc["problems"]
    assert v.code == 0, doc["problems"]
    b = run_cz(["build", "-q"], env=_env(root))
    assert b.code == 0, b.err
    return doc


# one held plan in the quick suite, every one in the slow pass (CI)
@pytest.mark.parametrize("src", [pytest.param(p, id=p.stem, marks=() if k == 0 else pytest.mark.slow)
                                 for k, p in enumerate(held_plans())])
def test_held_plans_with_unknown_regions_are_drafted_and_validate_once_accepted(data, src):
    """The held plans' regions are made up (东川省, 南岭市, 云溪县): none is in
    the vocabulary, and nothing declares them.  Ingest proposes each as a
    place (a provisional code, flagged), and once accepted the plan
    validates and is found by its region as --plan and --scope."""
    pid = src.stem
    _ingest(data, src, pid)
    plan = yaml.safe_load((data / "plans" / f"{pid}.yaml").read_text(encoding="utf-8"))["plan"]
    proposed = (_vocabulary(data, pid).get("places") or {}).get("supplied") or []
    mine = [p for p in proposed if p["name"] == plan["region"] or plan["region"].endswith(p["name"])]
    assert len(mine) == 1 and "review" in mine[0], proposed
    _accept_and_validate(data, pid)
    got = run_cz(["targets", "--plan", mine[0]["code"], "-f", "json"], env=_env(data))
    assert got.code in (0, 1) and json.loads(got.out)["query"]["plans"] == [pid], got.err


SYNTHETIC = """\
贵州省六盘水市新城县人民政府关于印发《新城县推进以县城为重要载体的城镇化建设实施方案(2025—2027年)》的通知
新府发〔2025〕7号
各乡镇人民政府,县政府各部门:
现将《新城县推进以县城为重要载体的城镇化建设实施方案(2025—2027年)》印发给你们,请认真抓好落实。
新城县人民政府
2025年5月6日
新城县推进以县城为重要载体的城镇化建设实施方案(2025—2027年)
为推进以县城为重要载体的城镇化建设,结合我县实际,制定本方案。
一、总体要求
到2027年,全县常住人口城镇化率达到52%左右,新城县城区常住人口达到12万人,新城经济开发区规模以上工业企业达到60家。
二、主要任务
(一)完善县城公共服务设施。推进县医院提质改造,到2027年,县城每千人口医疗卫生机构床位数达到7张。(责任单位:县卫生健康局)
(二)强化县城与乡镇联动。推动县城基础设施向乡镇延伸,促进城乡融合发展。(责任单位:县住房和城乡建设局)
三、保障措施
各乡镇、县直各部门要加强协作,形成工作合力,确保各项任务落地见效。
"""


def test_a_county_the_vocabulary_lacks_is_proposed_inside_its_city(data, tmp_path):
    """贵州省六盘水市新城县 (made up): proposed as a county of 六盘水市 with a
    provisional code under 520200; every scope the draft sets reads (the
    county's 城区, its zone) once accepted; --scope finds its targets."""
    src = tmp_path / "xincheng.txt"
    src.write_text(SYNTHETIC, encoding="utf-8")
    _ingest(data, src, "xincheng")
    places = _vocabulary(data, "xincheng").get("places") or {}
    county = [p for p in places.get("supplied") or [] if p["name"] == "新城县"]
    assert len(county) == 1, places
    c = county[0]
    assert c["parent"] == "520200" and c["level"] == "county" and c["code"].startswith("5202") and "review" in c
    _accept_and_validate(data, "xincheng")
    got = json.loads(run_cz(["targets", "--scope", c["code"], "--within", "-f", "json"], env=_env(data)).out)
    assert got["records"] and {r["plan"] for r in got["records"]} == {"xincheng"}
    # the 六盘水 plan's own targets are not the county's, and the county's lie inside 六盘水 (--within)
    own = json.loads(run_cz(["targets", "--scope", "六盘水市", "-f", "json"], env=_env(data)).out)
    inside = json.loads(run_cz(["targets", "--scope", "六盘水市", "--within", "-f", "json"], env=_env(data)).out)
    assert "xincheng" not in {r["plan"] for r in own["records"]}
    assert "xincheng" in {r["plan"] for r in inside["records"]}


def test_draft_places_reads_and_proposes_by_form():
    """ingest/places.py on its own: a known region is its place; an
    ambiguous one is narrowed by the province its title names and written in
    full; each unknown scope piece is proposed by its form — a group, a
    zone inside the place its name begins with, a place, else a class — and
    then reads with nothing unresolved."""
    from chengzhen.ingest import places as P

    book = P.load_book(DATA)
    entry = {"region": "六盘水市", "name": "六盘水市方案"}
    body = {"measures": [{"line": 3, "targets": [{"scope": s, "line": 3} for s in (
        "钟山区", "六盘水新城都市圈", "钟山临港经济开发区", "滨河县", "六盘水技师学院", "盘州城区")]}], "sections": []}
    got = P.draft_places("t", entry, body, ["六盘水市方案"], book)
    assert got.region == "520200" and got.region_how == "named"
    assert [g["id"] for g in got.proposed["groups"]] == ["六盘水新城都市圈"]
    assert [(z["name"], z["within"]) for z in got.proposed["zones"]] == [("钟山临港经济开发区", "520201")]
    assert [p["name"] for p in got.proposed["supplied"]] == ["滨河县"]
    assert got.proposed["supplied"][0]["parent"] == "520200"
    assert [c["name"] for c in got.proposed["classes"]] == ["六盘水技师学院"]
    assert all(not r.unresolved for r in got.readings.values())
    assert got.readings["盘州城区"].places == ("520281",) and got.readings["盘州城区"].part == "城区"
    # 朝阳区 names several places: the title's 北京市 narrows it, and the region is written in full
    entry = {"region": "朝阳区", "name": "北京市朝阳区新型城镇化实施方案"}
    got = P.draft_places("t", entry, {"measures": [], "sections": []}, ["北京市朝阳区人民政府"], P.load_book(DATA))
    assert got.region_how == "narrowed" and book.places[got.region].name == "朝阳区"
    assert book.places[book.places[got.region].parent].name.startswith("北京")
    assert entry["region"] == "北京市朝阳区" and "review" in entry


def _region_of(lines: list[str]):
    """The region a draft reads from ``lines`` (the front matter, then the places)."""
    from chengzhen.ingest import front as F
    from chengzhen.ingest import places as P

    fr = F.analyse(lines)
    entry = {"region": fr.region or "", "name": fr.name, "issuer": fr.issuer, "level": fr.level}
    if "name" in fr.supplied:
        entry["supplied"] = {"name": fr.supplied["name"]}
    got = P.draft_places("t", entry, {"measures": [], "sections": []}, lines, P.load_book(DATA))
    return got, entry


def test_a_county_named_by_its_issuer_alone_is_the_region_however_short_its_name():
    """Every county whose name is one character and 县 (临县, 萧县…): a plan
    whose title names no place, issued by its 人民政府办公室 in a text that
    names its province, is that county's — never the province's."""
    from chengzhen.ingest import places as P

    book = P.load_book(DATA)
    short = [c for c, p in book.places.items() if p.level == "county" and len(p.name) == 2 and p.name.endswith("县")
             and book.resolve(p.name) == (c,)]
    assert short
    for code in short:
        name = book.places[code].name
        province = book.places[book.ancestors(code)[-2] if book.ancestors(code)[-1] == "000000" else
                                book.ancestors(code)[-1]]
        lines = [f"{name}人民政府办公室", "关于印发推进以县城为重要载体的城镇化建设", "行动方案的通知", "县直各有关单位:",
                 "《推进以县城为重要载体的城镇化建设行动方案》已经县政府同意,现印发给你们,请认真贯彻执行。",
                 f"{name}人民政府办公室", "2024年12月4日", "推进以县城为重要载体的城镇化建设行动方案",
                 f"为贯彻落实{province.name}《行动方案》精神,结合我县实际,制定如下行动方案。", "一、总体要求"]
        got, entry = _region_of(lines)
        assert got.region == code, (name, entry["region"], got.region_how)


def test_an_untitled_text_that_speaks_as_a_city_is_that_citys():
    """Every city of every province whose cities' names are each one
    place's: a text with no title and no issuer that names its province once,
    calls itself 我市 and names the city is the city's (flagged), not the
    province's; one that says 我省 stays the province's."""
    from chengzhen.ingest import places as P

    book = P.load_book(DATA)
    for province in ("520000", "140000"):
        for code in [c for c in book.children(province) if book.places[c].level == "city"]:
            city = book.places[code]
            if book.resolve(city.name) != (code,):
                continue
            lines = [f"各区、县人民政府,{city.name}直各部门:",
                     f"为贯彻落实{book.places[province].name}决策部署,加快推进{city.short}新型城镇化建设,促进我市城镇化"
                     f"健康发展,根据{city.name}委的决定,提出以下实施意见。", "一、总体要求"]
            got, entry = _region_of(lines)
            assert got.region == code and got.region_how == "speaks as", (city.name, entry["region"])
            assert "review" in entry
            lines[1] = lines[1].replace("我市", "我省")
            assert _region_of(lines)[0].region == province
    # a 直辖市 speaks of itself as 我市: an untitled copy that names it most stays its
    book = P.load_book(DATA)
    for code in [c for c, p in book.places.items() if p.level == "province" and p.kind.endswith("市")]:
        city = book.places[code]
        district = next(c for c in book.places if c.startswith(code[:2]) and book.places[c].level == "county")
        lines = ["各区县人民政府:", f"为贯彻{city.name}决策部署,促进我市{book.places[district].name}和{city.name}"
                 "城镇化健康发展,提出以下实施意见。", "一、总体要求"]
        assert _region_of(lines)[0].region == code, city.name


def test_a_prefecture_written_short_with_its_kinds_last_word_is_that_place():
    """Every autonomous prefecture and county written as its short name and
    the last word of its kind (西双版纳州, 峨边县) is read as it, not proposed."""
    from chengzhen.ingest import places as P

    book = P.load_book(DATA)
    shorts = [(c, p.short + p.kind[-1]) for c, p in book.places.items() if p.kind in ("自治州", "自治县")
              and not book.resolve(p.short + p.kind[-1]) and len(book.resolve(p.short)) == 1]
    assert shorts
    for code, written in shorts:
        entry = {"region": written, "name": f"{written}新型城镇化规划"}
        got = P.draft_places("t", entry, {"measures": [], "sections": []}, [entry["name"]], book)
        assert got.region == code and not got.proposed, (written, got.region_how)
