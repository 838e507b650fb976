"""Every response is ours, fast and safe (issue 21, part 1), over HTTP
against a real server on loopback:

* an unknown URL, a method other than GET/HEAD, a bad or over-long argument,
  a crash: our own page (Chinese; JSON for a .json path) with the headers
  every page carries, one access-log line and no traceback for a client's
  error; datasette's own pages are off;
* nothing a client sends yields a 5xx (a hypothesis fuzz of paths, methods,
  arguments and headers: a small budget in the default suite, the full one
  under the ``slow`` marker, scaled by CZ_FUZZ_SCALE as tests/test_fuzz.py
  is — CI runs it at 1);
* static files from memory (ETag, 304), text compressed with gzip.

The exports and counts of part 2 are in tests/test_web_exports.py.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import threading
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import FUZZ_SCALE
from test_web_fixture import WEB_MISSING, Served

pytest.importorskip("datasette", reason=WEB_MISSING)

CSP_PARTS = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")


class Log:
    """The server's access log, kept (thread-safe) for the tests to read."""

    def __init__(self):
        self.lines: list[str] = []
        self._lock = threading.Lock()

    def write(self, text: str) -> None:
        with self._lock:
            self.lines.append(text)

    def flush(self) -> None:
        pass

    def since(self, n: int) -> str:
        with self._lock:
            return "".join(self.lines[n:])

    def __len__(self) -> int:
        with self._lock:
            return len(self.lines)


@pytest.fixture(scope="module")
def log():
    return Log()


@pytest.fixture(scope="module")
def served(real_db, log):
    s = Served(real_db, access_log=log)
    yield s
    s.close()


def assert_ours(r, status: int | None = None):
    """The headers every response carries."""
    if status is not None:
        assert r.status == status, (r.status, r.body[:300])
    csp = r.headers.get("content-security-policy", "")
    assert all(p in csp for p in CSP_PARTS), r.headers
    assert r.headers.get("x-content-type-options") == "nosniff"
    assert r.headers.get("referrer-policy") == "same-origin"
    assert r.headers.get("x-frame-options") == "DENY"


UNKNOWN = ["/tasks", "/robots.txt", "/m", "/m/", "/plan/", "/favicon.ico", "/search/", "/targets/x", "/.tsv",
           "/index.html", "/-/cz/nosuch.css", "/-/cz/", "/-/static/app.css", "/chengzhen", "/chengzhen.db",
           "/chengzhen/measures", "/chengzhen/measures/-/insert", "/-/versions.json", "/..%2F..%2Fetc/passwd",
           "/%E4%BD%8F%E6%88%BF", "/m%00", "/%ff%fe", "/dept/", "/topic/", "/task/", "/indicator/", "/plan/x/text/y",
           "/plan/x/text.csv", "/dept/a/b"]


@pytest.mark.parametrize("path", UNKNOWN)
def test_an_unknown_url_is_our_404_one_log_line_no_traceback(served, log, path):
    before = len(log)
    r = served.get(path)
    assert_ours(r, 404)
    if path.endswith(".json"):
        assert r.json()["kind"] == "page"
    else:
        assert r.headers["content-type"].startswith("text/html")
        assert "没有这个页面" in r.text and 'href="/"' in r.text and "<title>" in r.text
    assert "Database not found" not in r.text and "Error 404" not in r.text
    written = log.since(before)
    assert written.count("\n") == 1 and " 404 " in written and "Traceback" not in written, written


def test_an_unknown_json_url_answers_json(served):
    r = served.get("/tasks.json")
    assert_ours(r, 404)
    body = r.json()
    assert body["kind"] == "page" and "不是本站的页面" in body["message"]
    assert body["database"]["generation"] >= 1


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/.csv", "/search", "/search.csv?q=x", "/m/qinghai/3.9", "/-/cz/cz.css",
                                  "/chengzhen/measures/-/insert", "/chengzhen/-/query", "/plan/x/text", "/dept/x",
                                  "/topic/x", "/task/x", "/indicator/x.csv"])
def test_no_method_yields_a_5xx(served, log, method, path):
    """POST /.csv and /chengzhen/measures/-/insert answered 500 before."""
    before = len(log)
    r = served.request(path, method=method, data=b"sql=delete+from+plans" if method != "OPTIONS" else None)
    assert r.status in (404, 405), (path, method, r.status)
    assert_ours(r)
    if r.status == 405:
        assert r.headers["allow"] == "GET, HEAD" and "本站只读" in r.text
    assert "Traceback" not in log.since(before)


@pytest.mark.parametrize("query, word", [("/search?page=abc", "整数"), ("/search?size=x", "整数"),
                                         ("/search?q=x&kind=bogus", None), ("/targets?year=20x5", "年份"),
                                         ("/search?q=x&plan=nosuchplanzz", "没有这个方案")])
def test_a_bad_argument_is_our_400(served, log, query, word):
    before = len(log)
    r = served.get(query)
    assert_ours(r, 400)
    assert "请求有误" in r.text
    if word:
        assert word in r.text
    assert "give a whole number" not in r.text
    assert "Traceback" not in log.since(before)


def test_an_over_long_argument_is_refused_in_chinese(served):
    """10 000 characters took 2.2 s and 452 KB before; now any argument over
    200 characters is a 400 in Chinese, the query never run."""
    for path in ("/search?q=" + quote("住" * 10_000), "/search?q=" + quote("城" * 201),
                 "/compare?topic=" + "x" * 300, "/coverage?by=term&term=" + "y" * 5000):
        r = served.get(path)
        assert_ours(r, 400)
        assert "太长" in r.text and "200" in r.text
    assert served.get("/search?q=" + quote("城" * 200)).status == 200
    j = served.get("/search.json?q=" + "z" * 250)
    assert j.status == 400 and j.json()["kind"] == "too_long"
    assert served.get("/search?" + "&".join(f"plan=p{i}" for i in range(101))).status == 400


def test_a_crash_is_our_500_and_one_traceback(real_db, monkeypatch):
    from chengzhen.web.views import home

    def broken(conn):
        raise RuntimeError("a bug in a page")

    monkeypatch.setattr(home, "home_page", broken)
    log = Log()
    s = Served(real_db, access_log=log)
    try:
        r = s.get("/")
        assert_ours(r, 500)
        assert "服务器出错了" in r.text and "a bug in a page" not in r.text  # nothing internal shown
        j = s.get("/.json")
        assert j.status == 500 and j.json()["kind"] == "server"
        written = log.since(0)
        assert written.count("Traceback") == 2 and "RuntimeError: a bug in a page" in written
    finally:
        s.close()


def test_static_files_from_memory_with_etag(served):
    r = served.get("/-/cz/cz.css")
    assert_ours(r, 200)
    assert r.headers["content-type"].startswith("text/css")
    from chengzhen.web.assets import STATIC

    assert r.body == (STATIC / "cz.css").read_bytes()
    again = served.get("/-/cz/cz.css", headers={"If-None-Match": r.headers["etag"]})
    assert again.status == 304 and again.body == b""


@pytest.mark.parametrize("path", ["/targets", "/search?q=住房", "/.json", "/search.csv?q=城市", "/-/cz/cz.css"])
def test_text_is_gzipped_when_accepted(served, path):
    plain = served.get(path)
    zipped = served.get(path, headers={"Accept-Encoding": "gzip, deflate"})
    assert_ours(zipped, 200)
    assert zipped.headers["content-encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["vary"]
    assert gzip.decompress(zipped.body) == plain.body
    assert "content-encoding" not in plain.headers
    if path == "/targets":
        assert len(zipped.body) < len(plain.body) / 5  # 231 KB → about 23 KB
    refused = served.get(path, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in refused.headers


def _raw(port: int, data: bytes) -> tuple[int, dict, bytes]:
    """Send bytes as they are; (status, headers, body) of the answer."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(data)
        got = b""
        while True:
            piece = sock.recv(65536)
            if not piece:
                break
            got += piece
            if b"\r\n\r\n" in got:
                head, _, rest = got.partition(b"\r\n\r\n")
                length = [int(v) for k, _s, v in (line.partition(b":") for line in head.split(b"\r\n")[1:])
                          if k.strip().lower() == b"content-length"]
                if length and len(rest) >= length[0]:
                    break
    head, _, body = got.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _s, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("data", [
    "GET /search?q=住房 HTTP/1.1\r\nHost: x\r\n\r\n".encode("utf-8"),  # a raw non-ASCII target
    b"GARBAGE\r\n\r\n",
    b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
], ids=["non-ascii", "garbage", "nul", "bad-header"])
def test_a_request_the_server_cannot_parse_gets_our_headers(served, data):
    """The one answer made before our application sees the request
    (uvicorn's, to what its HTTP parser refuses) carries our headers too."""
    status, headers, body = _raw(served.port, data)
    assert status == 400

    class R:
        pass

    r = R()
    r.status, r.headers, r.body = status, headers, body
    assert_ours(r)
    assert "请求的格式不对" in body.decode("utf-8")


# --------------------------------------------------------------------------- the fuzz

_SCALE = FUZZ_SCALE  # CZ_FUZZ_SCALE: CI runs the full budget
FULL = 3000  # requests at CI's budget (CZ_FUZZ_SCALE=1)
QUICK = 120  # the default suite's share

# paths of no page, beside those of every route (``known``)
OTHER_PATHS = ["/-/cz/cz.css", "/-/cz/cz.js", "/-/cz/favicon.svg", "/chengzhen", "/chengzhen.db", "/-/versions.json",
               "/tasks", "/robots.txt", "/m/", "/plan/湖南", "/dept/", "/plan/x/text/y"]
NAMES = ["q", "plan", "topic", "dept", "kind", "task", "exact", "page", "size", "year", "indicator", "scope",
         "commitments", "by", "level", "term", "_bom", "sql", "_shape", "format"]
ODD = ["", " ", "0", "-1", "1", "2", "500", "501", "99999999999999999999999", "1e3", "abc", "2025..2030",
       "2030..2025", "national/1.1", "national", "qinghai,guizhou", "qinghai，湖南、hebei", "住房", "老舊小區",
       "城中材", "measure", "annex", "task", "term", "topic", "text", "all", "top", "sub", "\x00", "%", "%zz",
       "\u202e", "'\"><script>x</script>", "AND OR NOT", '"', "*", "NEAR(a b)", "𝕏😀", "\ud7ff", "\ufeff",
       "=HYPERLINK(1)", "-5%", "住" * 200, "住" * 201]
SEGMENT = st.one_of(
    st.sampled_from(["m", "plan", "search", "dept", "topic", "task", "indicator", "text", "-", "cz", "chengzhen",
                     "..", ".", "qinghai", "3.9", "x.json",
                     "y.csv", "%", "%zz", "%FF", "%00", "%2F", "%2e%2e", "~", "%C0%AF", "%E4%BD%8F"]),
    st.text(max_size=20).map(lambda t: quote(t, safe="")),
)


@pytest.fixture(scope="module")
def known(real_db) -> list[str]:
    """A path of every route the server has (each page module's examples,
    from the data — ``web/views/index.py``, the one list the middleware
    serves —, and the search's export) and some of no page."""
    from chengzhen.store.db import open_readonly
    from chengzhen.web.views import index

    c = open_readonly(real_db)
    try:
        paths = [p.partition("#")[0].partition("?")[0] for m in index.modules() for p in m.examples(c)]
    finally:
        c.close()
    return sorted(set(paths + ["/search.csv"] + OTHER_PATHS))


def test_the_fuzz_reaches_every_route(known):
    """A page added to the route table is fuzzed without a test naming it."""
    import re

    from chengzhen.web.plugin import routes

    for pattern, _view in routes():
        assert any(re.match(pattern, p) for p in known), pattern


@st.composite
def requests_(draw, known: list[str]):
    if draw(st.booleans()):
        path = draw(st.sampled_from(known))
        path = quote(path, safe="/%.-_~")
    else:
        path = "/" + "/".join(draw(st.lists(SEGMENT, max_size=4)))
    if draw(st.integers(0, 5)) == 0:
        path += draw(st.sampled_from([".json", ".csv", ".tsv", ".xlsx", "/", "//", ".", "%"]))
    name = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(NAMES), st.text(max_size=8))
    value = st.one_of(st.sampled_from(ODD), st.sampled_from(ODD), st.text(max_size=60),
                      st.integers(-10**20, 10**20).map(str))
    pairs = draw(st.lists(st.tuples(name, value), max_size=5))
    qs = "&".join(quote(k, safe="") + "=" + quote(v, safe="") for k, v in pairs)
    if draw(st.integers(0, 9)) == 0:
        qs += draw(st.sampled_from(["&", "=", "&&==", "%", "%zz", "q", "q=%ff%fe", "q=%00", ";q=1", "+", "a=b=c"]))
    method = draw(st.sampled_from(["GET"] * 10 + ["HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]))
    headers = {}
    if draw(st.booleans()):
        headers["Accept-Encoding"] = draw(st.sampled_from(["gzip", "gzip;q=0", "*", "br, gzip;q=0.5", "x;q=abc"]))
    if draw(st.integers(0, 4)) == 0:
        headers["If-None-Match"] = draw(st.sampled_from(['"x"', "*", 'W/"cz-0"', ",,,"]))
    return method, path + ("?" + qs if qs else ""), headers


class Client:
    """One keep-alive connection, reopened after the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, method: str, target: str, headers: dict):
        body = b"x=1" if method in ("POST", "PUT", "PATCH") else None
        for attempt in (1, 2):
            try:
                self.conn.request(method, target, body=body, headers=headers)
                resp = self.conn.getresponse()
                return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise


def _check(client: Client, log: Log, method: str, target: str, headers: dict) -> None:
    before = len(log)
    status, got, body = client.send(method, target, headers)
    event(f"status {status}")  # --hypothesis-show-statistics: what the fuzz reached
    assert status < 500, (method, target, status, body[:300])

    class R:
        pass

    r = R()
    r.status, r.headers, r.body = status, got, body
    assert_ours(r)
    if got.get("content-encoding") == "gzip" and method != "HEAD":
        body = gzip.decompress(body)
    if status >= 400 and method != "HEAD" and got.get("content-type", "").startswith("text/html"):
        assert "新型城镇化规划知识库" in body.decode("utf-8")
    if got.get("content-type", "").startswith("application/json") and method != "HEAD":
        json.loads(body)
    written = log.since(before)
    assert "Traceback" not in written, (target, written[-2000:])


_FUZZ = dict(deadline=None, database=None, derandomize=not os.environ.get("CZ_FUZZ_RANDOM"), print_blob=True,
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                    HealthCheck.data_too_large, HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def client(served):
    c = Client(served.port)
    yield c
    c.conn.close()


@given(st.data())
@settings(max_examples=QUICK, **_FUZZ)
def test_fuzz_no_5xx_and_our_headers_everywhere(client, log, known, data):
    _check(client, log, *data.draw(requests_(known), label="request"))


@pytest.mark.slow
@given(st.data())
@settings(max_examples=max(QUICK, round(FULL * _SCALE)), **_FUZZ)
def test_fuzz_full_budget(client, log, known, data):
    _check(client, log, *data.draw(requests_(known), label="request"))


RAW_TARGETS = st.binary(max_size=40).map(lambda b: b"/" + b.replace(b"\r", b"").replace(b"\n", b""))


def _check_raw(port: int, target: bytes, method: bytes) -> None:
    status, headers, body = _raw(port, method + b" " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    event(f"raw status {status}")
    assert status < 500, (target, status, body[:300])

    class R:
        pass

    r = R()
    r.status, r.headers, r.body = status, headers, body
    assert_ours(r)


@given(RAW_TARGETS, st.sampled_from([b"GET", b"HEAD", b"POST", b"G\xe9T"]))
@settings(max_examples=QUICK // 3, **_FUZZ)
def test_fuzz_raw_bytes_in_the_target(served, target, method):
    """Any bytes in the request line, as a client may send them: never a 5xx,
    always our headers (whether uvicorn's parser or our application
    answers)."""
    _check_raw(served.port, target, method)


@pytest.mark.slow
@given(RAW_TARGETS, st.sampled_from([b"GET", b"HEAD", b"POST", b"G\xe9T"]))
@settings(max_examples=max(QUICK, round(FULL * _SCALE / 3)), **_FUZZ)
def test_fuzz_raw_bytes_full_budget(served, target, method):
    _check_raw(served.port, target, method)
