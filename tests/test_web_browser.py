"""The pages in a real browser: headless Chromium from the system (Debian's
chromium and chromium-driver), driven by selenium — nothing downloads a
browser.  A reader opens the home page, types 住房 and then 老舊小區 into the
search box, follows a hit to its measure page, copies its citation, compares
two plans, opens the targets chart and the coverage table; the tests assert
what the reader sees and that the browser's console stays free of errors.
Each page is saved as a screenshot in the test's temporary directory (and
in ``$CZ_WEB_SCREENSHOTS`` when set: docs/web.md shows them).

They skip, saying why, where Chromium, its driver, selenium or the web
extra is missing; `.ci/run` installs them, so CI runs them.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import DATA
from test_web_fixture import (INDICATOR, TOPIC, WEB_MISSING, Served,  # noqa: F401  (hostile_db: a fixture)
                              hostile_db)

pytest.importorskip("datasette", reason=WEB_MISSING)
pytest.importorskip("selenium", reason="selenium is not installed (pip install '.[test]')")

CHROMIUM = os.environ.get("CZ_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = os.environ.get("CZ_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not (Path(CHROMIUM).is_file() and Path(DRIVER).is_file()):
    pytest.skip(f"no Chromium here ({CHROMIUM}, {DRIVER}): apt-get install chromium chromium-driver "
                "(or set CZ_CHROMIUM and CZ_CHROMEDRIVER)", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WIDTH = 1280


def start_chromium():
    """Headless Chromium at a desk's width, its console logged; (driver, its profile directory)."""
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must never fetch a browser or driver
    profile = tempfile.mkdtemp(prefix="cz-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={WIDTH},900",
                "--lang=zh-CN"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(60)
    return driver, profile


@pytest.fixture(scope="module")
def browser(chromium):
    """The worker's Chromium (conftest.chromium: one per session, not one per
    module) as a fresh one would be: a blank page at a desk's width, no
    emulated device, no cookies, its console read."""
    driver = chromium
    driver.get("about:blank")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.set_window_size(WIDTH, 900)
    driver.delete_all_cookies()
    driver.get_log("browser")
    return driver


@pytest.fixture(scope="module")
def real(real_db):
    served = Served(real_db, data=DATA)
    yield served
    served.close()


class Reader:
    """A reader at the browser: opens pages, waits, looks, and keeps the
    console's errors and a screenshot of every page seen."""

    def __init__(self, driver, base: str, shots: Path):
        self.d = driver
        self.base = base
        self.shots = shots
        self.errors: list[str] = []
        driver.get_log("browser")  # what earlier tests left

    def open(self, path: str) -> None:
        self.d.get(self.base + path)
        self.settle()

    def settle(self) -> None:
        WebDriverWait(self.d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.console()

    def console(self) -> None:
        for entry in self.d.get_log("browser"):
            if entry["level"] in ("SEVERE", "ERROR"):
                self.errors.append(entry["message"])

    def wait_url(self, part: str) -> None:
        WebDriverWait(self.d, 30).until(lambda d: part in d.current_url)
        self.settle()

    def find(self, css: str):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def type_and_enter(self, css: str, text: str) -> None:
        box = WebDriverWait(self.d, 30).until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)))
        box.clear()
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    def shot(self, name: str) -> Path:
        self.d.execute_script("window.scrollTo(0, 0)")
        height = self.d.execute_script("return document.documentElement.scrollHeight")
        self.d.set_window_size(WIDTH, max(600, min(int(height), 2400)))
        time.sleep(0.2)
        path = self.shots / f"{name}.png"
        self.d.save_screenshot(str(path))
        self.d.set_window_size(WIDTH, 900)
        return path  # docs/web/ keeps the screenshots of test_every_page_at_a_desk_and_on_a_phone

    def no_console_errors(self, allow: str | None = None) -> None:
        self.console()
        errors = [e for e in self.errors if not (allow and allow in e and "404" in e)]
        assert errors == [], errors


def _engine(conn, q):
    """What `cz search` runs."""
    from chengzhen.query.search import search

    return search(conn, q, limit=1000)


# --------------------------------------------------------------------------- the reader's way

def test_reader_searches_and_reads_a_measure(browser, real, conn, tmp_path):
    r = Reader(browser, real.url, tmp_path)
    r.open("/")
    assert r.find("h1").text == "新型城镇化规划知识库"
    n_plans = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
    assert len(r.all("table.plans tbody tr")) == n_plans
    r.shot("home")

    # 住房, typed into the box
    r.type_and_enter("#q", "住房")
    r.wait_url("/search")
    res = _engine(conn, "住房")
    assert r.find(".answer .total").text == str(res.total)
    hits = r.all("li.hit")
    assert len(hits) == min(20, len(res.hits))
    for hit in hits:
        if hit.get_attribute("data-match") == "exact":  # an entity's units are labelled, not marked
            assert "住房" in [m.text for m in hit.find_elements(By.CSS_SELECTOR, "mark")]
        else:
            assert hit.find_element(By.CSS_SELECTOR, ".tag.match").text
    assert r.find("#q").get_attribute("value") == "住房"
    assert r.all(".facet-plan li")
    r.shot("search")

    # 老舊小區: traditional input, the same answers as 老旧小区
    r.type_and_enter("#q", "老舊小區")
    r.wait_url("q=" + quote("老舊小區"))
    res = _engine(conn, "老旧小区")
    assert r.find(".answer .total").text == str(res.total)
    assert "已按简体" in r.find(".answer").text
    hits = r.all("li.hit")
    assert len(hits) == min(20, len(res.hits))
    assert all("老旧小区" in [m.text for m in h.find_elements(By.CSS_SELECTOR, "mark")] for h in hits
               if h.get_attribute("data-match") == "exact")
    r.shot("search-traditional")

    # a word with no hit: suggestions, never results
    r.type_and_enter("#q", "城中材")
    r.wait_url("q=" + quote("城中材"))
    miss = _engine(conn, "城中材")
    assert not r.all("li.hit") and "没有找到" in r.find(".answer").text
    offered = [a.text for a in r.all(".did-you-mean a.suggestion")]
    assert offered == miss.suggestions and offered
    r.shot("search-miss")
    r.d.back()
    r.wait_url("q=" + quote("老舊小區"))
    hits = r.all("li.hit")

    # follow the first hit to its measure
    first = hits[0].find_element(By.CSS_SELECTOR, "a.hit-link")
    first.click()
    r.wait_url("/m/")
    mid = r.find("#measure").get_attribute("data-id")
    assert mid == res.hits[0].id
    text = conn.execute("SELECT text FROM measures WHERE id = ?", (mid,)).fetchone()[0]
    assert r.find(".source-text").text == text
    assert r.find("dl.facts").is_displayed() and "责任单位" in r.find("dl.facts").text
    assert "sources/" not in r.find(".source-line").text  # no file path: a link to the line in the plan's text
    assert "/text#" in r.find(".source-line a").get_attribute("href")
    citation = r.find("#citation").get_attribute("value")
    from chengzhen.query.cite import cite

    assert citation == cite(conn, mid)["citation"] and "sources/" not in citation
    r.find("button.copy").click()
    WebDriverWait(browser, 10).until(lambda d: r.find(".copied").text.strip())
    r.shot("measure")
    r.no_console_errors()


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_reader_compares_two_plans(browser, real, conn, tmp_path):
    r = Reader(browser, real.url, tmp_path)
    plans = conn.execute("SELECT id, short_name FROM plans ORDER BY ord LIMIT 2").fetchall()
    topic = conn.execute(
        "SELECT topic FROM measure_topics WHERE plan_id IN (?, ?) GROUP BY topic HAVING count(DISTINCT plan_id) = 2 "
        "ORDER BY count(*) DESC LIMIT 1", [p[0] for p in plans]).fetchone()[0]
    r.open("/compare")
    for pid, _name in plans:
        r.find(f"input[name=plan][value='{pid}']").click()
    box = r.find("input[name=topic]")
    box.send_keys(topic)
    r.find(".compare-form button[type=submit]").click()
    r.wait_url("topic=")
    heads = [th.text for th in r.all("table.side-by-side thead th")]
    for _pid, name in plans:
        assert name in heads
    from chengzhen.query.compare import compare

    want = compare(conn, [p[0] for p in plans], topic)
    assert len(r.all("#aligned tbody tr")) == len(want["rows"])
    assert r.find(".rows-count").text == str(len(want["rows"]))
    # an empty cell only where the plan carries the task nowhere; a cell whose
    # carrying measures the topic left out names them instead
    empty = sum(len(row["empty"]) for row in want["rows"] if row["basis"] == "task")
    hidden = sum(len(row["filtered_out"]) for row in want["rows"] if row["basis"] == "task")
    assert len(r.all("#aligned td.empty-cell.zero")) == empty
    assert len(r.all("#aligned td .filtered-out")) == hidden
    r.shot("compare")

    # a national task, from the home page: every plan side by side, who carries none visible
    from chengzhen.query.tasks import detail

    r.open("/")
    items = r.all("ol.tasks li")
    # a task some plans carry and some do not, where there is one: its empty cells show
    partial = [li for li in items if 0 < int(li.find_element(By.CSS_SELECTOR, ".count").text.split("/")[0])
               < int(li.find_element(By.CSS_SELECTOR, ".count").text.split("/")[1])]
    link = (partial or items)[0].find_element(By.CSS_SELECTOR, "a")
    title = link.text
    link.click()
    r.wait_url("/task/")  # the task's own page: every plan side by side
    task = r.d.current_url.split("/task/", 1)[1]
    assert r.find("h1").text == title
    n_plans = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
    assert len(r.all(".plan-card")) == n_plans
    # and compared with the measures no task covers: from its page, one click
    r.d.find_element(By.PARTIAL_LINK_TEXT, "一起对比").click()
    r.wait_url("task=")
    assert title in r.find(".summary").text
    assert r.find("#aligned tbody th.rowhead[data-task]").get_attribute("data-task") == task
    assert len(r.all("#aligned thead th")) == 1 + min(8, n_plans)
    want = detail(conn, [task], [p for (p,) in conn.execute("SELECT id FROM plans ORDER BY ord LIMIT 8")])
    assert len(r.all("#aligned td.empty-cell.zero")) == len(want["tasks"][0]["silent"])
    r.shot("compare-task")
    r.no_console_errors()


def test_reader_opens_the_targets_chart(browser, real, conn, tmp_path):
    r = Reader(browser, real.url, tmp_path)
    indicator = conn.execute("SELECT indicator FROM targets WHERE value IS NOT NULL GROUP BY indicator "
                             "ORDER BY count(DISTINCT plan_id) DESC LIMIT 1").fetchone()[0]
    r.open("/targets")
    r.type_and_enter("input[name=indicator]", indicator)
    r.wait_url("indicator=")
    from chengzhen.query.catalog import list_targets
    from chengzhen.query.resolve import resolve_indicators

    want = list_targets(conn, indicators=resolve_indicators(conn, indicator))
    bars = r.all("svg.bars.wide rect.bar")
    assert len(bars) == sum(1 for t in want if t["value"] is not None and t["kind"] != "commitment")
    assert all(b.size["width"] > 0 for b in bars)
    assert len(r.all("table.targets tbody tr")) == len(want)
    assert r.find("figure.chart figcaption").text
    r.shot("targets")
    r.no_console_errors()


def test_reader_sees_coverage_and_a_plan(browser, real, conn, tmp_path):
    from chengzhen.query.compare import matrix

    r = Reader(browser, real.url, tmp_path)
    r.open("/coverage")
    m = matrix(conn)
    zeros = sum(1 for c in m["counts"] for p in m["plans"] if c[p["id"]] == 0)
    cells = r.all("td.zero")
    assert len(cells) == zeros and all(c.text == "0" for c in cells)
    r.shot("coverage")
    pid = conn.execute("SELECT id FROM plans ORDER BY ord LIMIT 1").fetchone()[0]
    r.open(f"/plan/{pid}")
    n = conn.execute("SELECT count(*) FROM measures WHERE plan_id = ?", (pid,)).fetchone()[0]
    assert len(r.all("ul.outline li.unit a")) == n
    r.shot("plan")
    r.no_console_errors()


def test_hostile_texts_stay_text_in_the_browser(browser, hostile_db, tmp_path):
    served = Served(hostile_db, data=hostile_db.parent.parent / "data")
    try:
        r = Reader(browser, served.url, tmp_path)
        for path in ("/", "/search?q=" + quote("老旧小区"), "/m/tiny/2.1", "/plan/tiny", "/targets", "/coverage",
                     "/plan/tiny/text", "/topic/" + quote(TOPIC, safe=""), "/indicator/" + quote(INDICATOR, safe=""),
                     "/coverage?by=term&term=" + quote("<script>window.__xss=7</script>"),
                     "/search?q=" + quote('"><script>window.__xss=8</script>'),
                     "/m/" + quote('"><img src=x onerror="window.__xss=9">')):
            r.open(path)
            assert browser.execute_script("return window.__xss === undefined"), path
            assert browser.execute_script("return document.querySelectorAll('img[src=x], svg[onload]').length") == 0
            scripts = browser.execute_script(
                "return Array.from(document.scripts).map(s => s.src || s.textContent)")
            assert all(s.endswith("/-/cz/cz.js") for s in scripts), (path, scripts)
        r.open("/m/tiny/2.1")
        assert "<script>window.__xss=1</script>" in r.find(".source-text").text
        r.shot("hostile-measure")
        # the unknown measure's page is itself a 404, as it should be: the only message allowed
        r.no_console_errors(allow="/m/%22%3E%3Cimg")
    finally:
        served.close()


def test_reader_asks_for_the_suggestions_units(browser, real, conn, tmp_path):
    """`fuzzy=1` (as `cz search --fuzzy`): on a miss, the first suggestion's
    units in a section of their own, marked as not hits; nothing counted."""
    from chengzhen.query.search import search

    miss = search(conn, "城中材", limit=20, fuzzy=True)
    assert miss.total == 0 and miss.suggested
    r = Reader(browser, real.url, tmp_path)
    r.open("/search?q=" + quote("城中材") + "&fuzzy=1")
    assert not r.all("li.hit") and "没有找到" in r.find(".answer").text
    block = r.find("#suggested")
    assert miss.suggestions[0] in block.find_element(By.CSS_SELECTOR, "h2").text and "不是命中" in block.text
    assert len(block.find_elements(By.CSS_SELECTOR, "li.related")) == len(miss.suggested)
    r.shot("search-fuzzy")
    r.d.set_window_size(390, 900)  # a phone: the section stays readable, nothing overflows the page
    r.d.execute_script("document.getElementById('suggested').scrollIntoView()")
    time.sleep(0.2)
    assert r.d.execute_script("return document.documentElement.scrollWidth") <= 390
    r.d.save_screenshot(str(tmp_path / "search-fuzzy-phone.png"))
    r.d.set_window_size(WIDTH, 900)
    r.no_console_errors()


# --------------------------------------------------------------------------- every page, at a desk and on a phone

DESK = (1366, 900)
PHONE = (390, 844)

# a CJK character and a private-use one drawn on a canvas in the page's own
# font: with a CJK font the characters differ from each other and from the
# box drawn for a character no font has (tofu); without one they do not
_GLYPHS = """
const el = arguments[0];
const font = getComputedStyle(el).font;
function draw(ch) {
  const c = document.createElement('canvas'); c.width = 48; c.height = 48;
  const x = c.getContext('2d'); x.font = font; x.textBaseline = 'top'; x.fillStyle = '#000';
  x.fillText(ch, 4, 4);
  return Array.from(x.getImageData(0, 0, 48, 48).data).join(',');
}
const chars = Array.from(el.textContent).filter(ch => /[\\u4e00-\\u9fff]/.test(ch));
const uniq = [...new Set(chars)].slice(0, 6);
const tofu = draw('\\ue000');
const blank = draw(' ');
return {chars: uniq.join(''), drawn: uniq.map(draw).map(d => [d === tofu, d === blank]),
        distinct: new Set(uniq.map(draw)).size, font: font};
"""

# the smallest chart text a reader sees: font size times the SVG's scale on screen
_CHART_TEXT = """
let least = null, n = 0;
for (const t of document.querySelectorAll('svg text')) {
  const r = t.getBoundingClientRect();
  if (!r.width || !r.height || !t.textContent.trim()) continue;
  const m = t.getScreenCTM();
  const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  n++; if (least === null || px < least) least = px;
}
return [n, least];
"""


# what a reader must never see: a unit's or task's id (qinghai/3.9, national/1.4), a source file's path,
# the CLI's English (unknown plan 'x', give a whole number, choose task or text)
_LEAK = re.compile(r"\b(?:[a-z]+/\d+(?:\.\d+)*|national/\d+|sources/\w+|unknown \w+|give a \w+|choose \w+)")


def every_page(conn, served, *, first_only: bool) -> list[tuple[str, str]]:
    """(page, path) for every route the plugin registers — each route's
    module says which URLs show its page (``examples(conn)``, from the data)."""
    import sys
    from urllib.parse import urlsplit

    from chengzhen.web.plugin import register_routes

    out = []
    for pattern, view in register_routes(served.ds):
        module = sys.modules[getattr(view, "__wrapped__", view).__module__]
        if getattr(module, "PAGE", True) is False:  # not a page (an export)
            continue
        examples = getattr(module, "examples", None)
        assert examples is not None, f"{module.__name__}: say which URLs show this page (examples(conn))"
        paths = examples(conn)
        assert paths, module.__name__
        for path in paths[:1] if first_only else paths:
            assert re.match(pattern, urlsplit(path).path), (pattern, path)
            out.append((module.__name__.rsplit(".", 1)[-1], path))
    return out


def _viewport(driver, size) -> None:
    w, h = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 600})


def _look(r: Reader, name: str, path: str, size, shots: Path) -> dict:
    _viewport(r.d, size)
    r.d.get("about:blank")  # a new document each time (a URL differing by its fragment alone would not reload)
    r.open(path)
    body = r.find("body")
    classes = body.get_attribute("class").split()
    assert "cz" in classes and "page-error" not in classes, (path, body.text[:300])
    assert r.find("h1").text.strip(), path
    text = r.d.execute_script("return document.body.innerText")
    seen = {"leaks": sorted(set(_LEAK.findall(text))),
            "meta": r.d.execute_script(
                "return ['description', 'og:title', 'og:description'].map(n => { const m = "
                "document.querySelector(`meta[name='${n}'], meta[property='${n}']`); return m ? m.content : ''; })"),
            "overflow": r.d.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"),
        "glyphs": r.d.execute_script(_GLYPHS, r.find("h1")), "chart": r.d.execute_script(_CHART_TEXT)}
    tag = "desk" if size == DESK else "phone"
    r.d.save_screenshot(str(shots / f"{name}-{tag}.png"))  # the viewport: what the reader sees first
    return seen


def _walk(browser, served, conn, tmp_path, *, first_only: bool):
    extra = os.environ.get("CZ_WEB_SCREENSHOTS")
    shots = Path(extra) if extra else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    r = Reader(browser, served.url, shots)
    pages = every_page(conn, served, first_only=first_only)
    names: dict[str, int] = {}
    problems = []
    try:
        for page, path in pages:
            names[page] = names.get(page, 0) + 1
            name = page if names[page] == 1 else f"{page}-{names[page]}"
            for size in (DESK, PHONE):
                seen = _look(r, name, path, size, shots)
                g = seen["glyphs"]
                if not g["chars"] or any(t or b for t, b in g["drawn"]) or g["distinct"] < len(g["chars"]):
                    problems.append((path, size, "CJK text does not render", g))
                if size == PHONE and seen["overflow"] > 0:
                    problems.append((path, size, f"the page scrolls sideways by {seen['overflow']} px"))
                if seen["leaks"]:
                    problems.append((path, size, "ids, file paths or English a reader sees", seen["leaks"]))
                if not all(seen["meta"]):
                    problems.append((path, size, "no description or OpenGraph title for a shared link", seen["meta"]))
                n, least = seen["chart"]
                if n and least < 11:
                    problems.append((path, size, f"chart text at {least:.1f} px"))
    finally:
        _viewport(r.d, (WIDTH, 900))
        r.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert problems == [], problems
    r.no_console_errors()
    return pages


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_every_page_at_a_desk_and_on_a_phone(browser, real, conn, tmp_path):
    """Each page of the site (one URL a route), at 1366 × 900 and 390 × 844:
    it renders (no error page), its Chinese text is drawn in a CJK font (not
    tofu), nothing scrolls sideways on the phone, chart text is at least
    11 px on screen; a screenshot of each (docs/web/ keeps them)."""
    pages = _walk(browser, real, conn, tmp_path, first_only=True)
    assert {p for p, _ in pages} >= {"home", "search", "measure", "document", "plan", "department", "topic", "task",
                                     "indicator"}


@pytest.mark.slow
def test_every_example_of_every_page(browser, real, conn, tmp_path):
    """As above, over every URL each page names (every plan's text and page…)."""
    _walk(browser, real, conn, tmp_path, first_only=False)


def test_from_a_hit_to_the_text_the_department_and_the_task(browser, real, conn, tmp_path):
    """A stranger, without typing a URL: a search hit → its measure → its
    lines in the plan's text (the measure marked there) → back → its first
    department's page (this measure among the others, in source order) →
    back → its national task's page (every plan side by side)."""
    from chengzhen.query.search import search

    word = conn.execute("SELECT t.title FROM measures t WHERE t.title IS NOT NULL AND EXISTS (SELECT 1 FROM "
                        "measure_departments d WHERE d.measure_id = t.id AND d.all_tasks = 0) AND EXISTS (SELECT 1 "
                        "FROM measure_tasks k WHERE k.measure_id = t.id AND k.task_id IN (SELECT id FROM national_tasks)) "
                        "ORDER BY t.plan_id, t.ord LIMIT 1"
                        ).fetchone()[0]
    res = search(conn, word, limit=20)
    first = res.hits[0]
    r = Reader(browser, real.url, tmp_path)
    r.open("/")
    r.type_and_enter("#q", word)
    r.wait_url("/search")
    r.find("li.hit a.hit-link").click()
    r.wait_url("/m/")
    mid = r.find("#measure").get_attribute("data-id")
    assert mid == first.id

    r.find(".source-line a.source-link").click()
    r.wait_url("/text")
    marked = r.d.execute_script("return document.querySelector(':target')")
    assert marked is not None and marked.get_attribute("data-unit") in (mid, None)
    assert marked.get_attribute("id") == mid
    text = conn.execute("SELECT text FROM measures WHERE id = ?", (mid,)).fetchone()[0]
    unit = " ".join(e.text for e in r.all(f"[data-unit='{mid}']"))
    assert text[:20] in unit.replace("¶", "")
    r.d.back()
    r.wait_url("/m/")

    dept = conn.execute("SELECT department FROM measure_departments WHERE measure_id = ? AND all_tasks = 0 "
                        "ORDER BY position LIMIT 1", (mid,)).fetchone()[0]
    r.d.find_element(By.LINK_TEXT, dept).click()
    r.wait_url("/dept/")
    assert r.find("h1").text == dept
    listed = [a.get_attribute("href").split("/m/", 1)[1] for a in r.all("a.item-link")]
    want = [row[0] for row in conn.execute(
        "SELECT m.id FROM measure_departments d JOIN measures m ON m.id = d.measure_id JOIN plans p ON p.id = m.plan_id "
        "WHERE d.department = ? ORDER BY p.ord, m.ord", (dept,))]
    assert listed == [quote(x, safe="/.") for x in want] and quote(mid, safe="/.") in listed
    r.d.back()
    r.wait_url("/m/")

    task = conn.execute("SELECT task_id FROM measure_tasks WHERE measure_id = ? AND task_id IN "
                        "(SELECT id FROM national_tasks) ORDER BY position LIMIT 1", (mid,)).fetchone()[0]
    r.find(f"a.task-link[href$='/task/{task}']").click()
    r.wait_url("/task/")
    n_plans = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
    assert len(r.all(".plan-card")) == n_plans
    carrying = {row[0] for row in conn.execute("SELECT plan_id FROM measure_tasks WHERE task_id = ?", (task,))}
    assert len(r.all(".plan-card.empty-cell")) == n_plans - len(carrying)
    assert quote(mid, safe="/.") in [a.get_attribute("href").split("/m/", 1)[1] for a in r.all(".plan-card a.mid")]
    r.shot("journey-task")
    r.no_console_errors()


def test_on_a_phone_the_facets_fold_below_the_first_hits(browser, real, conn, tmp_path):
    """At 390 px the search's facets are one closed button, placed after the
    first hits (so the first hit is on the first screen); opening it shows
    them; at a desk they stand beside the hits, open."""
    word = conn.execute("SELECT word FROM vocab WHERE length(word) >= 2 ORDER BY df DESC LIMIT 1").fetchone()[0]
    r = Reader(browser, real.url, tmp_path)
    try:
        _viewport(r.d, PHONE)
        r.open("/search?q=" + quote(word))
        fold = r.find("details.facets-fold")
        first = r.find("li.hit")
        assert fold.get_attribute("open") is None
        assert first.location["y"] < fold.location["y"] and first.location["y"] + first.size["height"] < PHONE[1]
        fold.find_element(By.TAG_NAME, "summary").click()
        assert r.find(".facet-plan li").is_displayed()
        _viewport(r.d, DESK)
        r.open("/search?q=" + quote(word))
        fold = r.find("details.facets-fold")
        assert fold.get_attribute("open") is not None and r.find(".facet-plan li").is_displayed()
        assert fold.location["x"] < r.find("li.hit").location["x"]
    finally:
        r.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    r.no_console_errors()


def test_a_printed_citation_is_whole(browser, real, conn, tmp_path):
    """Printed, a measure's page shows its citation in full (a box that
    grows with the text, not the scrolling field), without the site's
    navigation or the copy button."""
    mid = conn.execute("SELECT id FROM measures ORDER BY length(text) DESC LIMIT 1").fetchone()[0]
    r = Reader(browser, real.url, tmp_path)
    r.open("/m/" + quote(mid, safe="/."))
    want = r.find("#citation").get_attribute("value")
    r.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        box = r.find(".citation-print")
        assert box.is_displayed() and box.text == want
        assert r.d.execute_script("const e = arguments[0]; return e.scrollHeight <= e.clientHeight + 1 && "
                                  "e.scrollWidth <= e.clientWidth + 1", box)
        assert not r.find("#citation").is_displayed() and not r.find("button.copy").is_displayed()
        assert not r.find("header.top").is_displayed()
    finally:
        r.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
