"""`cz serve`'s page pool (``web/pool.py``): new pages built in worker
processes, over HTTP against real servers on loopback.

* every page kind (each page module's examples, their JSON and CSV forms,
  the search's export, error pages) is byte for byte the same built by a
  worker as built in the server's own process, headers included;
* the page cache keeps what the workers build, and a new generation of the
  database is served by them at once (nothing of the old one);
* a flood past the pool's queue is built in-process (every answer a 200,
  none refused); a worker that dies is replaced and its request answered;
* `cz serve` starts its workers and stops them on SIGTERM and on Ctrl-C
  (SIGINT to its process group): no worker outlives it, nor a killed server.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import make_tiny
from test_web_fixture import WEB_MISSING, Served, build_db, wait_for

pytest.importorskip("datasette", reason=WEB_MISSING)

VOLATILE = {"date", "server"}


def sample_urls(db: Path) -> list[str]:
    """A sample of every page kind: each page module's examples, the first
    of each as JSON (and CSV where the page has one), the search's export,
    and error pages (an unknown plan, a bad year, a missing measure, a page
    past the last, a bad page number)."""
    from chengzhen.web.views import index

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        urls: list[str] = []
        for m in index.modules():
            got = [u.partition("#")[0] for u in m.examples(conn)]
            urls += got
            if got:
                path, _, qs = got[0].partition("?")
                urls.append(path + ".json" + ("?" + qs if qs else ""))
        word = conn.execute("SELECT word FROM vocab WHERE length(word) >= 2 ORDER BY df DESC LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    from urllib.parse import quote

    urls += ["/search.csv?q=" + quote(word), "/search.csv?q=" + quote(word) + "&_bom=1",
             "/search?q=x&plan=nosuchplan", "/targets?year=20x5", "/m/nosuchplan/99.1", "/search?q=" + quote(word) +
             "&page=999", "/search?q=" + quote(word) + "&page=abc", "/search.json?q=x&plan=nosuchplan"]
    return list(dict.fromkeys(urls))


def _headers(r) -> dict:
    return {k: v for k, v in r.headers.items() if k not in VOLATILE}


@pytest.fixture(scope="module")
def pair(real_db):
    """The same database served twice: pages built by two workers, and by
    the server's own threads."""
    pooled, plain = Served(real_db, pool=2, access_log=None), Served(real_db, access_log=None)
    yield pooled, plain
    pooled.close()
    plain.close()


def test_every_page_kind_is_the_same_through_the_pool(pair, real_db):
    pooled, plain = pair
    urls = sample_urls(real_db)
    kinds = {re.sub(r"[?#].*", "", u).split("/")[1] for u in urls}
    assert len(urls) >= 30 and {"search", "m", "plan", "compare", "targets"} <= kinds, urls
    for url in urls:
        before = pooled.pool.answered
        a, b = pooled.get(url), plain.get(url)
        # built by a worker (not the cache, not the server's own process)
        assert pooled.pool.answered == before + 1, url
        assert (a.status, _headers(a)) == (b.status, _headers(b)), url
        assert a.body == b.body, url
    assert pooled.pool.overflow == 0


def test_gzip_through_the_pool(pair, real_db):
    pooled, plain = pair
    url = sample_urls(real_db)[1]
    a = pooled.get(url + "&_gz=1" if "?" in url else url + "?_gz=1", headers={"Accept-Encoding": "gzip"})
    b = plain.get(url + "&_gz=1" if "?" in url else url + "?_gz=1", headers={"Accept-Encoding": "gzip"})
    assert a.headers.get("content-encoding") == "gzip" == b.headers.get("content-encoding")
    assert gzip.decompress(a.body) == gzip.decompress(b.body) and _headers(a) == _headers(b)


def test_the_page_cache_keeps_what_the_workers_build(pair):
    pooled, _plain = pair
    url = "/search?q=%E4%BD%8F%E6%88%BF&_cache_test=1"
    answered = pooled.pool.answered
    first = pooled.get(url)
    hits = pooled.ds.cz.cache.hits
    again = pooled.get(url)
    assert first.status == again.status == 200 and first.body == again.body
    assert pooled.pool.answered == answered + 1  # the second from the cache, not a worker
    assert pooled.ds.cz.cache.hits == hits + 1
    assert pooled.get(url, headers={"If-None-Match": first.headers["etag"]}).status == 304


def test_a_new_generation_is_built_by_the_workers_at_once(tmp_path):
    from chengzhen.store.build import build

    root = make_tiny(tmp_path / "data")
    db = build_db(root, tmp_path / "db" / "chengzhen.db")
    served = Served(db, pool=1, access_log=None)
    try:
        first = served.get("/m/tiny/2.1")
        assert first.status == 200 and "加装电梯100部" in first.text
        assert served.get("/m/tiny/2.1").body == first.body
        path = root / "plans" / "tiny.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("加装电梯100部", "加装电梯120部"), encoding="utf-8")
        src = root / "sources" / "tiny.txt"
        src.write_text(src.read_text(encoding="utf-8").replace("加装电梯100部", "加装电梯120部"), encoding="utf-8")
        build(root, db)
        wait_for(served, lambda d: d["database"]["generation"] == 2)
        answered = served.pool.answered
        after = served.get("/m/tiny/2.1", headers={"If-None-Match": first.headers["etag"]})
        assert after.status == 200 and "加装电梯120部" in after.text and "加装电梯100部" not in after.text
        assert after.headers["etag"] != first.headers["etag"] and served.pool.answered == answered + 1
    finally:
        served.close()


def test_a_flood_past_the_queue_is_built_in_process(real_db):
    served = Served(real_db, pool=1, access_log=None, max_waiting=0)
    try:
        statuses: list[int] = []

        def ask(n: int):
            for k in range(4):
                statuses.append(served.get(f"/search?q=%E4%BD%8F%E6%88%BF&_flood={n}-{k}").status)

        threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [200] * 24
        assert served.pool.overflow > 0 and served.pool.answered > 0
        assert served.pool.answered + served.pool.overflow == 24
    finally:
        served.close()


def test_a_dead_worker_is_replaced_and_its_request_answered(real_db):
    served = Served(real_db, pool=1, access_log=None)
    try:
        assert served.get("/search?q=%E4%BD%8F%E6%88%BF&_dead=0").status == 200
        old = served.pool.pids()
        os.kill(old[0], signal.SIGKILL)
        time.sleep(0.2)
        r = served.get("/search?q=%E4%BD%8F%E6%88%BF&_dead=1")
        assert r.status == 200 and "住房" in r.text
        assert served.pool.pids() != old and not served.pool.broken
    finally:
        served.close()


# --------------------------------------------------------------------------- cz serve starts and stops cleanly

def _children(pid: int) -> set[int]:
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start(db: Path) -> tuple[subprocess.Popen, int, set[int]]:
    env = {**os.environ, "CZ_DB": str(db), "CZ_SERVE_WORKERS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "chengzhen", "serve", "--port", "0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    line = proc.stderr.readline().decode("utf-8", "replace")
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert m, line + proc.stderr.read().decode("utf-8", "replace")
    port = int(m.group(1))
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=%E4%BD%8F%E6%88%BF", timeout=60) as r:
        assert r.status == 200
    workers = {p for p in _children(proc.pid) if "chengzhen.web.worker" in
               Path(f"/proc/{p}/cmdline").read_bytes().decode("utf-8", "replace")}
    assert len(workers) == 2
    return proc, port, workers


@pytest.mark.parametrize("how", ["SIGTERM", pytest.param("Ctrl-C", marks=pytest.mark.slow),
                                 pytest.param("SIGKILL", marks=pytest.mark.slow)])
def test_cz_serve_stops_its_workers(real_db, how):
    proc, _port, workers = _start(real_db)
    try:
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        elif how == "Ctrl-C":  # a terminal sends SIGINT to the foreground process group
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.kill()
        code = proc.wait(timeout=30)
        err = proc.stderr.read().decode("utf-8", "replace")
        if how != "SIGKILL":
            assert code == 0 and "Traceback" not in err, err
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(p) for p in workers), f"workers outlived cz serve ({how})"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_cache_hit_goes_out_as_it_first_did(pair, real_db):
    """The middleware sends a page-cache hit again as it first went out
    (``middleware.WireCache``): headers and body the same every time, with
    and without gzip.  (The first answer, datasette's, also says ``Vary:
    Cookie, Authorization``; the cache's answers never did.)"""
    from chengzhen.query.browse import fullest_measure

    pooled, _plain = pair
    conn = sqlite3.connect(f"file:{real_db}?mode=ro", uri=True)
    try:
        url = f"/m/{fullest_measure(conn)}?_wire=1"
    finally:
        conn.close()
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        # built; from the page cache (sent through the middleware); replayed
        got = [pooled.get(url, headers=headers) for _ in range(3)]
        assert len({(r.status, r.body) for r in got}) == 1, headers
        assert _headers(got[1]) == _headers(got[2]), headers
    plain = pooled.get(url).body
    zipped = pooled.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers.get("content-encoding") == "gzip" and gzip.decompress(zipped.body) == plain


def test_pages_are_answered_while_the_workers_start(real_db, monkeypatch):
    """The server does not wait for its workers: before one is ready, pages
    are built in-process (a worker warms up for a second or more; here it
    is held back until the first page has been answered)."""
    import urllib.request

    from chengzhen.web import pool as P
    from chengzhen.web.pool import Pool

    hold = threading.Event()
    real_wait = P.Worker.wait_ready

    def held(self):
        hold.wait(60)
        return real_wait(self)

    monkeypatch.setattr(P.Worker, "wait_ready", held)
    from chengzhen.web.server import bind, make_datasette, server
    from chengzhen.web.snapshot import Snapshots

    snaps = Snapshots(real_db)
    ds = make_datasette(real_db, snapshots=snaps)
    pool = Pool(ds, workers=1)
    sock = bind("127.0.0.1", 0)
    srv = server(ds, sock, access_log=None, pool=pool)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not srv.started:
            time.sleep(0.01)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/search?q=%E4%BD%8F%E6%88%BF"
        with urllib.request.urlopen(url, timeout=60) as r:
            assert r.status == 200 and "住房" in r.read().decode("utf-8")
        assert pool.overflow == 1 and pool.answered == 0 and pool.ready() == 0  # by the server itself
        hold.set()
        assert pool.wait_ready()
        with urllib.request.urlopen(url + "&_after=1", timeout=60) as r:
            assert r.status == 200
        assert pool.answered == 1
    finally:
        hold.set()
        srv.should_exit = True
        thread.join(timeout=20)
        pool.close()
        snaps.close()


SIMILAR_EVERYWHERE = """
import json, sys
from chengzhen.query.compare import similar
from chengzhen.store.db import open_readonly
from pathlib import Path
conn = open_readonly(Path(sys.argv[1]))
ids = [r[0] for r in conn.execute("SELECT id FROM measures ORDER BY plan_id, ord")][::int(sys.argv[2])]
print(json.dumps([similar(conn, mid) for mid in ids], ensure_ascii=False, sort_keys=True, default=str))
"""


@pytest.mark.parametrize("stride,seeds", [pytest.param(8, "12", id="every-eighth"),
                                           pytest.param(1, "123", id="every", marks=pytest.mark.slow)])
def test_similar_measures_are_the_same_in_every_process(real_db, stride, seeds):
    """A measure page's similar measures and their shared words, for every
    measure (the quick suite: every eighth, two seeds), do not depend on the
    interpreter's string hashing (each worker has its own): the same under
    three hash seeds."""
    out = set()
    for seed in seeds:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        got = subprocess.run([sys.executable, "-c", SIMILAR_EVERYWHERE, str(real_db), str(stride)], env=env,
                             capture_output=True, text=True, timeout=300)
        assert got.returncode == 0, got.stderr
        out.add(got.stdout)
    assert len(out) == 1
