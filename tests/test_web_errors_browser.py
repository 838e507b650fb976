"""Our error pages in a real browser (headless Chromium, as
tests/test_web_browser.py drives it), at a desktop's and a phone's width: an
unknown URL, a page of hits past the last, an over-long query — each says
in Chinese what went wrong, offers links that work, loads its stylesheet
under our Content-Security-Policy (the console stays free of errors but the
page's own status), and never scrolls sideways on a phone.  Screenshots in
the test's temporary directory (and ``$CZ_WEB_SCREENSHOTS``)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from test_web_browser import DESK, PHONE, Reader, _viewport, browser, real  # noqa: F401  (fixtures)

SIZES = [DESK, PHONE]


def _shot(reader: Reader, name: str, size: tuple[int, int]) -> Path:
    _viewport(reader.d, size)
    time.sleep(0.2)
    path = reader.shots / f"{name}-{size[0]}.png"
    reader.d.save_screenshot(str(path))
    extra = os.environ.get("CZ_WEB_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        reader.d.save_screenshot(str(Path(extra) / path.name))
    return path


def _no_sideways_scroll(reader: Reader) -> None:
    over = reader.d.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert over <= 0, f"the page scrolls sideways by {over} px"


def _styled(reader: Reader) -> None:
    """The stylesheet loaded (CSP 'self'): the brand bar has its colour."""
    colour = reader.d.execute_script(
        "return getComputedStyle(document.querySelector('header.top')).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), colour


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}px")
def test_error_pages_read_in_chinese_and_lead_on(browser, real, tmp_path, size):
    reader = Reader(browser, real.url, tmp_path)
    _viewport(browser, size)  # a phone's width as test_web_browser.py emulates it (mobile viewport)

    reader.open("/tasks")
    assert reader.find("section.error h1").text.startswith("没有这个页面")
    assert "/tasks" in reader.find("section.error p.message").text
    _styled(reader)
    _no_sideways_scroll(reader)
    _shot(reader, "error-404", size)

    reader.open(f"/search?q={quote('住房')}&page=999")
    message = reader.find("section.error p.message").text
    assert message.startswith("没有第 999 页：共 ") and "处命中" in message
    _no_sideways_scroll(reader)
    _shot(reader, "error-page-past-the-last", size)
    last = reader.all("ul.go-on a")[-1]
    assert last.text.startswith("最后一页")
    last.click()
    reader.wait_url("page=")
    assert reader.all("li.hit"), "the last page shows hits"

    reader.open("/search?q=" + quote("住" * 201))
    assert reader.find("section.error h1").text.startswith("请求有误")
    assert "太长" in reader.find("section.error p.message").text
    _no_sideways_scroll(reader)
    _shot(reader, "error-too-long", size)
    reader.find("section.error p.muted a[href='/search']").click()
    reader.wait_url("/search")
    assert reader.find("input[name=q]")

    # the only console messages: each page's own status (Chrome logs a 4xx document)
    reader.console()
    left = [e for e in reader.errors if not ("status of 404" in e or "status of 400" in e)]
    assert left == [], left
