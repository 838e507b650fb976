"""What the web tests share: a server started on a loopback port for a given
database (in a thread, as `cz serve` runs it), an HTTP client that reports
4xx/5xx instead of raising, and a small knowledge base whose texts, names
and labels carry HTML and script (the pages must show them as text).

The tests here check the fixture itself, so that the tests built on it
cannot pass for want of a payload."""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import make_tiny

WEB_MISSING = "the web extra is not installed (pip install '.[web]'): datasette is needed for the web tests"

# what a hostile or careless text could hold; every one of them must reach
# the reader as text
SCRIPT = "<script>window.__xss=1</script>"
IMG = "<img src=x onerror=\"window.__xss=2\">"
QUOTES = "'单引号'\"双引号\"&amp;"
PLAN_NAME = f"小城\"<b>粗体</b>'新型城镇化实施方案(2024—2028年)<script>window.__xss=3</script>"
TOPIC = "<svg/onload=window.__xss=4>旧改"
INDICATOR = "老旧小区改造<script>window.__xss=5</script>"
MEASURE_TITLE = f"推进老旧小区改造{IMG}{QUOTES}"
PAYLOADS = ("<script>window.__xss", "<img src=x", "<svg/onload", "<b>粗体</b>")


def make_hostile(root: Path) -> Path:
    """The tiny knowledge base (tests/conftest.py) with HTML and script in a
    plan name, a measure's title and text, a topic and an indicator."""
    make_tiny(root)
    src = (root / "sources" / "tiny.txt").read_text(encoding="utf-8").split("\n")
    src[0] = PLAN_NAME
    src[4] = src[4].replace("(一)推进老旧小区改造。", f"(一){MEASURE_TITLE}{SCRIPT}。")
    (root / "sources" / "tiny.txt").write_text("\n".join(src), encoding="utf-8")
    body = yaml.safe_load((root / "plans" / "tiny.yaml").read_text(encoding="utf-8"))
    body["plan"]["name"] = PLAN_NAME  # the catalogue entry, at the top of the plan's file
    m = body["sections"][1]["measures"][0]
    m["title"] = MEASURE_TITLE
    m["text"] = m["text"].replace("推进老旧小区改造。", f"{MEASURE_TITLE}{SCRIPT}。")
    m["topics"] = [TOPIC]
    m["targets"][0]["indicator"] = INDICATOR
    (root / "plans" / "tiny.yaml").write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    topics = yaml.safe_load((root / "topics.yaml").read_text(encoding="utf-8"))
    topics["topics"][2]["children"].append({"name": TOPIC})
    (root / "topics.yaml").write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    inds = yaml.safe_load((root / "indicators.yaml").read_text(encoding="utf-8"))
    inds["indicators"][1]["name"] = INDICATOR
    (root / "indicators.yaml").write_text(yaml.safe_dump(inds, allow_unicode=True), encoding="utf-8")
    return root


def build_db(root: Path, path: Path) -> Path:
    from chengzhen.store.build import build

    path.parent.mkdir(parents=True, exist_ok=True)
    build(root, path)
    return path


# --------------------------------------------------------------------------- a server on loopback

class Reply:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Served:
    """`cz serve` in a thread: datasette with our plugin on 127.0.0.1, an
    ephemeral port, watching ``db`` every ``interval`` seconds; ``data``:
    the data directory whose sources a citation quotes (default: cz's);
    ``access_log``: the stream the server logs each request to; ``pool``:
    how many worker processes build new pages (``web/pool.py``; 0: the
    server's threads do, as by default here)."""

    def __init__(self, db: Path, *, interval: float = 0.1, data: Path | None = None, access_log="stderr",
                 pool: int = 0, **pool_options):
        from chengzhen.web.server import bind, make_datasette, server
        from chengzhen.web.snapshot import Snapshots

        self.db = Path(db)
        self.snapshots = Snapshots(self.db, interval=interval)
        self.ds = make_datasette(self.db, snapshots=self.snapshots, data=data)
        self.pool = None
        if pool:
            from chengzhen.web.pool import Pool

            self.pool = Pool(self.ds, workers=pool, **pool_options)
            assert self.pool.wait_ready(), "the page workers did not start"
        sock = bind("127.0.0.1", 0)
        self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = server(self.ds, sock, access_log=access_log, pool=self.pool)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        self.snapshots.start()
        self._plain = urllib.request.build_opener(_NoRedirect)

    def request(self, path: str, *, method: str = "GET", data: bytes | None = None, follow: bool = True,
                headers: dict | None = None) -> Reply:
        url = path if path.startswith("http") else self.url + _quote_path(path)
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        opener = urllib.request.build_opener() if follow else self._plain
        try:
            with opener.open(req, timeout=60) as resp:
                return Reply(resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, dict(exc.headers), exc.read())

    def get(self, path: str, **kw) -> Reply:
        return self.request(path, **kw)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        if self.pool is not None:
            self.pool.close()
        self.snapshots.close()


def _quote_path(path: str) -> str:
    """A path and query as a browser sends them (non-ASCII percent-encoded)."""
    return urllib.parse.quote(path, safe="/?=&%:+,.#-_~*'()!$;@")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    pytest.importorskip("datasette", reason=WEB_MISSING)
    base = tmp_path_factory.mktemp("hostile")
    root = make_hostile(base / "data")
    return build_db(root, base / "db" / "chengzhen.db")


# --------------------------------------------------------------------------- the fixture holds what it claims

def test_hostile_fixture_holds_every_payload(tmp_path):
    root = make_hostile(tmp_path / "data")
    db = build_db(root, tmp_path / "db.sqlite")
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT name FROM plans").fetchone()[0] == PLAN_NAME
        text, title = conn.execute("SELECT text, title FROM measures WHERE id = 'tiny/2.1'").fetchone()
        assert SCRIPT in text and IMG in text and QUOTES in text and title == MEASURE_TITLE
        assert conn.execute("SELECT count(*) FROM topics WHERE name = ?", (TOPIC,)).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM targets WHERE indicator = ?", (INDICATOR,)).fetchone()[0] == 1
    finally:
        conn.close()


def test_served_copy_is_not_the_file(tmp_path):
    pytest.importorskip("datasette", reason=WEB_MISSING)
    db = build_db(make_tiny(tmp_path / "data"), tmp_path / "db" / "chengzhen.db")
    served = Served(db)
    try:
        assert served.snapshots.current.path != db
        assert served.get("/.json").json()["database"]["generation"] == 1
    finally:
        served.close()
    assert not served.snapshots.workdir.exists()
    shutil.rmtree(tmp_path / "db")


def wait_for(served: Served, pred, timeout: float = 15.0):
    """The home page's JSON once ``pred`` holds for it (a new generation served, a problem shown)."""
    deadline = time.monotonic() + timeout
    got = None
    while time.monotonic() < deadline:
        got = served.get("/.json").json()
        if pred(got):
            return got
        time.sleep(0.05)
    raise AssertionError(f"not reached in {timeout} s: {(got or {}).get('database')}")
