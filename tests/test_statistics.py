"""Statistics (data/statistics/*.yaml, kb/statistics.py): the real figures
load clean and keep their definitions, and each check catches the fault it
is for (one mutation per check, at the file and line of the fault)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DATA
from chengzhen.kb.loader import load_indicators
from chengzhen.kb.places import load_places
from chengzhen.kb.problems import DataProblems, Sink
from chengzhen.kb.statistics import load_statistics, series


@pytest.fixture(scope="module")
def vocab():
    return load_places(DATA).places, {i.name: i.unit for i in load_indicators(DATA)}


def _load(data: Path, vocab) -> tuple[list, list]:
    sink = Sink()
    figures = load_statistics(data, vocab[0], vocab[1], sink)
    return figures, sink.problems


def test_real_statistics_load_clean(vocab):
    figures, problems = _load(DATA, vocab)
    assert [str(p) for p in problems] == []
    assert figures


def test_every_figure_by_definition(vocab):
    places, indicators = vocab
    figures, _ = _load(DATA, vocab)
    for f in figures:
        assert f.place in places
        # the indicator's unit, or the same quantity in 万/亿 of it, as written
        base = indicators[f.indicator]
        if f.unit == base:
            assert f.scale == 1.0
        else:
            prefix = f.unit[: len(f.unit) - len(base or "")] if base and f.unit.endswith(base) else None
            factors = {"万": 1e4, "亿": 1e8}
            small = f.unit and base and base.endswith(f.unit) and base[: len(base) - len(f.unit)]
            assert prefix in factors or small in factors, (f.unit, base)
            assert f.scale == (factors[prefix] if prefix in factors else 1 / factors[small])
        assert f.indicator_value == f.value * f.scale
        assert f.source.url.startswith(("http://", "https://"))
        assert f.source.publisher and f.source.title and f.locator
        assert f.value in [float(n) for n in re.findall(r"\d+(?:\.\d+)?", f.as_written)]
        if f.source.known_by is not None:
            assert f.source.known_by >= f.year  # published after the figure's year began
    keys = [(f.place, f.indicator, f.year, f.as_of, f.source.id) for f in figures]
    assert len(keys) == len(set(keys))


def test_series_is_one_figure_a_year_in_order(vocab):
    figures, _ = _load(DATA, vocab)
    for place, indicator in {(f.place, f.indicator) for f in figures}:
        years = [f.year for f in series(figures, place, indicator)]
        assert years == sorted(set(years))


# ---------------------------------------------------------------- one fault per check

SAMPLE = """\
place: '520000'
sources:
  - id: a
    publisher: 贵州省统计局
    title: 贵州省2022年国民经济和社会发展统计公报
    published: '2023-05-17'
    url: https://example.org/a
    page: repost
    figures:
      - {indicator: 常住人口城镇化率, year: 2022, value: 54.81, unit: '%', as_written: 54.81%, locator: 表1}
  - id: b
    publisher: 贵州省统计局
    title: 贵州省2023年国民经济和社会发展统计公报
    published: '2024-04-30'
    url: https://example.org/b
    page: repost
    figures:
      - {indicator: 常住人口城镇化率, year: 2023, value: 55.94, unit: '%', as_written: 55.94%, locator: 表1}
"""


def _sample(tmp_path: Path, text: str = SAMPLE) -> Path:
    d = tmp_path / "data"
    (d / "statistics").mkdir(parents=True)
    (d / "statistics" / "520000.yaml").write_text(text, encoding="utf-8")
    return d


def test_sample_is_clean(tmp_path, vocab):
    figures, problems = _load(_sample(tmp_path), vocab)
    assert problems == [] and len(figures) == 2


FAULTS = [
    ("    publisher: 贵州省统计局\n    title: 贵州省2022", "    title: 贵州省2022", "E180", None),
    ("    url: https://example.org/a", "    url: example.org/a", "E180", None),
    ("    page: repost\n    figures:\n      - {indicator: 常住人口城镇化率, year: 2022",
     "    page: blog\n    figures:\n      - {indicator: 常住人口城镇化率, year: 2022", "E180", None),
    ("{indicator: 常住人口城镇化率, year: 2022", "{indicator: 常住人口城镇比率, year: 2022", "E181", None),
    ("year: 2022, value: 54.81, unit: '%'", "year: 2022, value: 54.81, unit: 万人", "E182", None),
    ("place: '520000'", "place: '529999'", "E183", None),
    ("value: 54.81, unit: '%', as_written: 54.81%", "value: 154.81, unit: '%', as_written: 154.81%", "E184", None),
    ("value: 54.81, unit: '%', as_written: 54.81%", "value: 45.81, unit: '%', as_written: 54.81%", "E184", None),
    ("year: 2023, value: 55.94, unit: '%', as_written: 55.94%", "year: 2023, value: 65.94, unit: '%', as_written: 65.94%",
     "E185", "warning"),
    ("  - id: b", "  - id: a", "E186", None),
    ("year: 2023, value: 55.94", "year: 2022, value: 55.94", "E186", None),
    ("    published: '2023-05-17'", "    published: '2021-05-17'", "E187", None),
    ("    published: '2023-05-17'", "    published: 2023-05-17", "E187", None),
    ("locator: 表1}\n  - id: b", "locatr: 表1}\n  - id: b", "E112", None),
]


# the codes the fault tests catch (tests/test_broken_data.py counts them until
# statistics are part of `cz validate`)
FAULT_CODES = {c[2] for c in FAULTS}


@pytest.mark.parametrize("old,new,code,severity", FAULTS)
def test_each_check_catches_its_fault(tmp_path, vocab, old, new, code, severity):
    assert old in SAMPLE
    data = _sample(tmp_path, SAMPLE.replace(old, new, 1))
    _figures, problems = _load(data, vocab)
    hits = [p for p in problems if p.code == code]
    assert hits, [str(p) for p in problems]
    assert all(p.file.endswith("520000.yaml") and p.file_line for p in hits)
    assert all(p.severity == (severity or "error") for p in hits)


def test_disagreeing_publications_need_one_used(tmp_path, vocab):
    twice = SAMPLE.replace("year: 2023, value: 55.94, unit: '%', as_written: 55.94%",
                           "year: 2022, value: 54.80, unit: '%', as_written: 54.80%")
    _f, problems = _load(_sample(tmp_path / "x", twice), vocab)
    assert [p.code for p in problems] == ["E186"]
    settled = twice.replace("as_written: 54.80%, locator: 表1}", "as_written: 54.80%, locator: 表1, use: true}")
    figures, problems = _load(_sample(tmp_path / "y", settled), vocab)
    assert problems == []
    (used,) = series(figures, "520000", "常住人口城镇化率")
    assert used.value == 54.80 and used.source.id == "b"


def test_a_stated_jump_is_not_flagged(tmp_path, vocab):
    text = SAMPLE.replace("year: 2023, value: 55.94, unit: '%', as_written: 55.94%, locator: 表1",
                          "year: 2023, value: 65.94, unit: '%', as_written: 65.94%, locator: 表1, jump: 口径调整")
    _f, problems = _load(_sample(tmp_path, text), vocab)
    assert problems == []


def test_errors_raise_without_a_sink_and_warnings_do_not(tmp_path, vocab):
    bad = _sample(tmp_path / "bad", SAMPLE.replace("place: '520000'", "place: '529999'"))
    with pytest.raises(DataProblems):
        load_statistics(bad, *vocab)
    jumpy = _sample(tmp_path / "jumpy", SAMPLE.replace("value: 55.94, unit: '%', as_written: 55.94%",
                                                       "value: 65.94, unit: '%', as_written: 65.94%"))
    assert len(load_statistics(jumpy, *vocab)) == 2


@pytest.mark.parametrize("content", ["", "- a\n- b\n", "place: '520000'\nsources: []\n", "\x00"])
def test_broken_file_is_one_clear_problem(tmp_path, vocab, content):
    d = tmp_path / "data"
    (d / "statistics").mkdir(parents=True)
    (d / "statistics" / "520000.yaml").write_text(content, encoding="utf-8")
    _f, problems = _load(d, vocab)
    assert problems and all(p.file.endswith("520000.yaml") for p in problems)



# ---------------------------------------------------------------- units as written

SCALED = """\
place: '520000'
sources:
  - id: a
    publisher: 贵州日报
    title: 贵州省累计建成5G基站8.43万个
    published: '2023-03-17'
    url: https://example.org/a
    page: secondary
    figures:
      - {indicator: 5G基站数量, year: 2022, value: 8.43, unit: 万个, as_written: 8.43万个, locator: 首段}
      - {indicator: 常住人口, year: 2022, value: 3856, unit: 万人, as_written: 3856万人, locator: 首段}
  - id: b
    publisher: 贵州省统计局
    title: 人口普查公报
    published: '2024-05-01'
    url: https://example.org/b
    page: repost
    figures:
      - {indicator: 常住人口, year: 2023, value: 38650000, unit: 人, as_written: 38650000人, locator: 一}
"""


def test_a_larger_unit_of_the_same_quantity_is_kept_as_written(tmp_path, vocab):
    figures, problems = _load(_sample(tmp_path, SCALED), vocab)
    assert problems == []
    by = {(f.indicator, f.year): f for f in figures}
    g5 = by[("5G基站数量", 2022)]
    assert (g5.value, g5.unit, g5.indicator_value) == (8.43, "万个", 84300.0)
    people = by[("常住人口", 2023)]
    assert (people.value, people.unit, people.indicator_value) == (38650000, "人", 3865.0)


def test_another_quantity_is_not_a_unit_of_the_indicator(tmp_path, vocab):
    bad = SCALED.replace("value: 8.43, unit: 万个", "value: 8.43, unit: 万人")
    _f, problems = _load(_sample(tmp_path, bad), vocab)
    assert [p.code for p in problems] == ["E182"]


def test_disagreement_and_jumps_are_judged_in_the_indicator_unit(tmp_path, vocab):
    same = SCALED.replace("year: 2023, value: 38650000, unit: 人, as_written: 38650000人",
                          "year: 2022, value: 38560000, unit: 人, as_written: 38560000人")
    _f, problems = _load(_sample(tmp_path / "same", same), vocab)
    assert problems == []  # 3856万人 and 38560000人 agree
    differ = same.replace("38560000", "38570000")
    _f, problems = _load(_sample(tmp_path / "differ", differ), vocab)
    assert [p.code for p in problems] == ["E186"]
    jump = SCALED.replace("38650000", "58650000")
    _f, problems = _load(_sample(tmp_path / "jump", jump), vocab)
    assert [p.code for p in problems] == ["E185"]  # 3856万 -> 5865万 in a year
