"""The progress pages in a real browser (Debian's Chromium and its driver,
selenium; nothing downloads a browser), at a desk (1366 px) and on a phone
(390 px): /progress, the targets page with 对照统计值, an indicator's page.
What the reader sees is checked against the answer (`cz progress`'s
records): a row per target with its verdict, every number's source mark
leading to a listed publication, a chart per target that has statistics —
a point per statistic, the path, the target —, nothing scrolling sideways,
no chart text under 11 px, no console error.  Screenshots are saved in the
test's temporary directory (and in ``$CZ_WEB_SCREENSHOTS``: docs/web/
keeps progress-desk.png and progress-phone.png)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from test_web_browser import _CHART_TEXT as BROWSER_CHART_TEXT
from test_web_browser import CHROMIUM, DRIVER, Reader, browser  # noqa: F401  (browser: a fixture)
from test_web_fixture import Served

DESK = (1366, 900)
PHONE = (390, 844)


@pytest.fixture(scope="module")
def real(real_db):
    from conftest import DATA

    served = Served(real_db, data=DATA)
    yield served
    served.close()


def _viewport(driver, size) -> None:
    w, h = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 600})


def _indicator(conn) -> str:
    """The indicator the most statistics measure that some plan targets."""
    row = conn.execute("SELECT s.indicator FROM statistics s WHERE s.indicator IN (SELECT indicator FROM targets) "
                       "GROUP BY s.indicator ORDER BY count(*) DESC LIMIT 1").fetchone()
    if row is None:
        pytest.skip("no statistic measures an indicator a plan targets")
    return row[0]


# the smallest chart text a reader sees (test_web_browser's measure), over the trend charts
_CHART_TEXT = BROWSER_CHART_TEXT.replace("'svg text'", "'svg.trend text'")


def _check_progress_section(r: Reader, records: list[dict], sources: dict, size) -> None:
    from selenium.webdriver.common.by import By

    rows = r.all("table.progress tbody tr")
    assert len(rows) == len(records)
    for row, rec in zip(rows, records):
        assert row.get_attribute("data-status") == rec["status"]
        assert row.find_element(By.CSS_SELECTOR, ".verdict").text == rec["verdict"]
        if rec["latest"] is not None:
            assert f"{rec['latest']:g}" in row.find_element(By.CSS_SELECTOR, "td.latest").text
    # every source mark leads to a listed publication, every publication listed is cited
    listed = {li.get_attribute("id") for li in r.all("ol.sources li")}
    marks = {a.get_attribute("href").rsplit("#", 1)[1] for a in r.all("sup.src a")}
    assert marks <= listed and marks
    cited = {s["source"] for rec in records for s in rec["series"]}
    assert len(listed) == len(cited & set(sources))
    # a chart per comparable target with statistics: a point per statistic, the target where it is a level
    drawn = [rec for rec in records if rec["series"] and rec["comparable"]]
    kind = "narrow" if size[0] < 700 else "wide"
    figures = r.all("figure.trend-chart")
    assert len(figures) == len(drawn)
    for fig, rec in zip(figures, drawn):
        svg = fig.find_element(By.CSS_SELECTOR, f"svg.trend.{kind}")
        assert svg.is_displayed()
        assert len(svg.find_elements(By.CSS_SELECTOR, "circle.point")) == len(rec["series"])
        assert bool(svg.find_elements(By.CSS_SELECTOR, "line.path")) == bool(rec["path"])
        if rec["basis"] != "annual_growth" and rec["aim"] is not None:
            assert svg.find_elements(By.CSS_SELECTOR, "circle.aim")
        assert rec["verdict"] in fig.find_element(By.CSS_SELECTOR, "figcaption").text
    n, least = r.d.execute_script(_CHART_TEXT)
    assert n and least >= 11, (size, least)
    assert r.d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth") \
        <= 0, size


def _shots() -> Path | None:
    extra = os.environ.get("CZ_WEB_SCREENSHOTS")
    return Path(extra) if extra else None


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_progress_page_shows_the_answer(browser, real, conn, tmp_path, size):  # noqa: F811
    from chengzhen.answers.progress import ProgressAsk, answer

    ind = _indicator(conn)
    ans = answer(conn, ProgressAsk(indicator=ind))
    r = Reader(browser, real.url, tmp_path)
    try:
        _viewport(r.d, size)
        r.open(f"/progress?indicator={quote(ind)}")
        assert r.find(".summary .total").text == str(len(ans.records))
        _check_progress_section(r, list(ans.records), ans.blocks["sources"], size)
        tag = "desk" if size == DESK else "phone"
        r.d.save_screenshot(str(tmp_path / f"progress-{tag}.png"))
        if _shots():
            _shots().mkdir(parents=True, exist_ok=True)
            r.d.execute_script("document.querySelector('figure.trend-chart').scrollIntoView()")
            time.sleep(0.2)
            r.d.save_screenshot(str(_shots() / f"progress-chart-{tag}.png"))
            r.d.execute_script("window.scrollTo(0, 0)")
            time.sleep(0.2)
            r.d.save_screenshot(str(_shots() / f"progress-{tag}.png"))
    finally:
        r.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    r.no_console_errors()


@pytest.mark.parametrize("size", [DESK, pytest.param(PHONE, marks=pytest.mark.slow)], ids=["desk", "phone"])
def test_targets_and_indicator_pages_show_the_same_verdicts(browser, real, conn, tmp_path, size):  # noqa: F811
    from chengzhen.answers.targets import TargetsAsk, answer, dated

    ind = _indicator(conn)
    ans = answer(conn, TargetsAsk(indicator=ind, progress=True))
    records = dated(ans)
    r = Reader(browser, real.url, tmp_path)
    try:
        _viewport(r.d, size)
        for path in (f"/targets?indicator={quote(ind)}&progress=1", f"/indicator/{quote(ind, safe='')}"):
            r.open(path)
            _check_progress_section(r, records, ans.blocks["sources"], size)
    finally:
        r.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    r.no_console_errors()


def test_as_of_changes_what_the_reader_sees(browser, real, conn, tmp_path):  # noqa: F811
    """The form's 截至年份: the page answers as of that year, as `cz progress --as-of`."""
    from chengzhen.answers.progress import ProgressAsk, answer

    ind = _indicator(conn)
    years = [y for (y,) in conn.execute("SELECT DISTINCT known_by FROM statistic_sources WHERE known_by IS NOT NULL "
                                        "ORDER BY known_by")]
    if len(years) < 2:
        pytest.skip("statistics published in one year only")
    year = years[-2]
    want = answer(conn, ProgressAsk(indicator=ind, as_of=year))
    r = Reader(browser, real.url, tmp_path)
    r.open(f"/progress?indicator={quote(ind)}")
    box = r.find("input[name=as_of]")
    box.send_keys(str(year))
    r.find("form.filters button[type=submit]").click()
    r.wait_url(f"as_of={year}")
    assert f"截至 {year} 年" in r.find(".summary").text
    _check_progress_section(r, list(want.records), want.blocks["sources"], DESK)
    r.no_console_errors()
