"""Many readers at once: a load bench of `cz serve` on loopback.

    .venv/bin/python bench/web_load.py                      # 20 clients, 60 s (the issue's bench)
    .venv/bin/python bench/web_load.py --clients 5 --seconds 10
    .venv/bin/python bench/web_load.py --db data/build/chengzhen.db
    .venv/bin/python bench/web_load.py --cold               # no request answered from the page cache
    .venv/bin/python bench/web_load.py --mixed              # cached pages beside new searches and bad URLs
    .venv/bin/python bench/web_load.py --unknown --seconds 10 --baseline-src /tmp/base/src
                                                            # what unknown URLs cost (this tree and a baseline)

Starts `cz serve` (a separate process, as deployed) on 127.0.0.1 and an
ephemeral port, then N client threads, each with its own keep-alive
connection, request pages back to back (no think time: the worst case)
for the given time, mixing

    search 40 %   words of the index (one to four characters), traditional input,
                  a phrase to segment, a typo, a department's name, pinyin, a long
                  phrase nothing holds; a fifth filtered by plan, a tenth page 2;
                  lists without words (a topic's, a national task's measures)
    measure 30 %  a measure page (text, departments, targets, citation, similar measures)
    targets 15 %  by indicator, by year or range (with commitments), by plan, by scope
    compare 10 %  two or three plans on a topic (a fifth by text only), or a national task
    static   5 %  the stylesheet: the server's floor, timed in the same run

Every URL comes from the database (ids, topics, indicators, words), so
the bench follows the knowledge base as it grows.  Reports throughput,
p50/p95/p99 per kind, errors (any status but 200, or a failed request) and
the server's resident memory at start (after a warm-up), every 5 s, and at
the end; judges the goals (search p95 ≤ 150 ms, 0 errors, memory stable:
at most 5 % growth over the second half of the run, once the bounded page
cache has filled)
and writes bench/out/web_load.json.  Only loopback addresses are used; the
loops stop by themselves at the deadline.

``--mixed`` (issue 21) measures what one kind of traffic costs another, in
two phases of the same run, each 20 clients × 60 s after every page URL of
the pool has been asked once (so each is in the page cache):

    cached-only   all 20 clients ask pages already cached (search, measure,
                  targets, compare, as above)
    mixed         70 % of the clients (14) ask cached pages as before; 20 %
                  (4) ask searches never asked before (every URL new: a word
                  of the index, a fifth filtered by plan, with a unique
                  unused parameter); 10 % (2) ask unknown URLs (/tasks/N,
                  /robots.txt, /m, datasette's old pages, a static file that
                  does not exist) and bad arguments (page=abc, a 201-character
                  query, an unknown plan, a year 20x5, page=999, a POST),
                  each URL new

The two phases alternate in slices (``--rounds``, 6 of 10 s each by
default), so that both meet the same load from the rest of a shared
machine; the server's CPU time per phase is reported beside them.  The mix
is of clients, each asking as fast as it can: the question is how
much the cached pages' readers lose to the others (in a mix of requests
from the same clients, the cached pages' rate would be bound to the new
searches' cost instead).  Goals: 0 errors (no 5xx, no failed or dropped
request; a 4xx is the right answer to a bad URL), p95 ≤ 150 ms over every
request of the mixed phase and ≤ 300 ms for the new searches, and the
cached pages' throughput in the mixed phase ≥ 50 % of the cached-only
phase's.  Clients send ``Accept-Encoding: gzip`` as browsers do
(``--no-gzip``: they do not).
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"

MIX = [("search", 40), ("measure", 30), ("targets", 15), ("compare", 10), ("static", 5)]
GOAL_SEARCH_P95_MS = 150.0
# "stable": over the second half of the run the server's memory grows by at
# most this much (the first half fills the bounded page cache; a leak would
# go on growing)
MEMORY_GROWTH_LIMIT = 0.05
# --mixed: clients per kind of traffic, and the goals
MIXED_SHARES = [("cached", 0.70), ("uncached", 0.20), ("bad", 0.10)]
GOAL_MIXED_P95_MS = 150.0
GOAL_UNCACHED_P95_MS = 300.0
GOAL_CACHED_RATIO = 0.5


# --------------------------------------------------------------------------- URLs from the database

def url_pool(db: Path, seed: int) -> dict[str, list[str]]:
    rnd = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    plans = [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]
    words = [r[0] for r in conn.execute(
        "SELECT word FROM vocab WHERE length(word) BETWEEN 1 AND 4 ORDER BY freq DESC LIMIT 400")]
    measures = [r[0] for r in conn.execute("SELECT id FROM measures ORDER BY plan_id, ord")]
    topics = [r[0] for r in conn.execute("SELECT topic FROM measure_topics GROUP BY topic HAVING count(*) >= 3")]
    indicators = [r[0] for r in conn.execute("SELECT indicator FROM targets GROUP BY indicator ORDER BY count(*) DESC LIMIT 60")]
    tasks = [r[0] for r in conn.execute("SELECT DISTINCT task_id FROM measure_tasks")]
    years = [r[0] for r in conn.execute("SELECT DISTINCT year FROM targets WHERE year IS NOT NULL")]
    scopes = [r[0] for r in conn.execute("SELECT scope FROM targets WHERE scope IS NOT NULL GROUP BY scope "
                                         "ORDER BY count(*) DESC LIMIT 10")]
    conn.close()

    def q(path: str, params) -> str:
        return path + ("?" + urlencode(params) if params else "")

    search = []
    # traditional input, a phrase to segment, a typo (suggestions only), words that AND, a department's
    # distinctive part (its measures as labelled hits), pinyin, a long phrase nothing holds (related units)
    extra = ["老舊小區", "住房", "老旧小区加装电梯", "城中材", "户籍 落户", "电梯", "房", "教育厅", "laojiuxiaoqu",
             "交通运输基础设施互联互通水平显著提高"]
    sys.path.insert(0, str(REPO / "src"))
    from chengzhen.query.search import Filters, search as engine
    from chengzhen.store.db import open_readonly

    conn = open_readonly(db)
    for w in words + extra * 5:
        params = [("q", w)]
        if rnd.random() < 0.2:
            params.append(("plan", rnd.choice(plans)))
        if rnd.random() < 0.1:
            # page 2 only where there is one (a page past the last is a 404)
            plan = [v for k, v in params if k == "plan"]
            if engine(conn, w, Filters(plans=plan), limit=21).total > 20:
                params.append(("page", "2"))
        search.append(q("/search", params))
    conn.close()
    # lists without words: a topic's or a national task's measures
    search += [q("/search", [("topic", t)]) for t in topics[:20]]
    search += [q("/search", [("task", t)]) for t in tasks[:20]]
    measure = ["/m/" + quote(m, safe="/.") for m in measures]
    targets = [q("/targets", [("indicator", i)]) for i in indicators]
    targets += [q("/targets", [("year", str(y))]) for y in years]
    targets += [q("/targets", [("year", f"{min(years)}..{max(years)}")])] if years else []
    targets += [q("/targets", [("year", f"{min(years)}..{max(years)}"), ("commitments", "1")])] if years else []
    targets += [q("/targets", [("plan", p)]) for p in plans]
    targets += [q("/targets", [("scope", s)]) for s in scopes]
    compare = []
    for _ in range(120):
        if tasks and rnd.random() < 0.4:
            compare.append(q("/compare", [("task", rnd.choice(tasks))]))
        elif len(plans) >= 2 and topics:
            k = 3 if len(plans) >= 3 and rnd.random() < 0.3 else 2
            chosen = rnd.sample(plans, k)
            by = [("by", "text")] if rnd.random() < 0.2 else []
            compare.append(q("/compare", [("plan", p) for p in chosen] + [("topic", rnd.choice(topics))] + by))
    static = ["/-/cz/cz.css"]
    return {"search": search, "measure": measure, "targets": targets, "compare": compare, "static": static,
            "plans": plans}


def bad_urls(n: int, plans: list[str]) -> tuple[str, str]:
    """The n-th unknown URL or bad argument (method, URL): each one new."""
    kinds = [
        lambda: ("GET", f"/tasks/{n}"),
        lambda: ("GET", f"/robots.txt?n={n}"),
        lambda: ("GET", f"/m?n={n}"),
        lambda: ("GET", f"/chengzhen/measures?n={n}"),
        lambda: ("GET", f"/-/cz/nosuch{n}.css"),
        lambda: ("POST", f"/.csv?n={n}"),
        lambda: ("GET", f"/search?q=%E4%BD%8F%E6%88%BF&page=abc{n}"),
        lambda: ("GET", "/search?q=" + quote("住" * 200 + str(n))),
        lambda: ("GET", f"/search?q=x&plan=nosuchplan{n}"),
        lambda: ("GET", f"/targets?year=20x{n}"),
        lambda: ("GET", f"/search?q=%E4%BD%8F%E6%88%BF&page={999 + n}"),
        lambda: ("POST", f"/search?q=x{n}"),
        lambda: ("GET", f"/m/{plans[n % len(plans)]}/99.{n}" if plans else f"/m/x/{n}"),
    ]
    return kinds[n % len(kinds)]()


# --------------------------------------------------------------------------- the server

def cpu_s(pid: int) -> float:
    """The CPU time (user + system) a process has used, in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (`cz serve`'s page workers)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def workers_cpu_s(pids: list[int]) -> float:
    return sum(cpu_s(p) for p in pids)


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Drain(threading.Thread):
    """Reads a server's stderr as it comes (so it never blocks), counting
    the bytes it writes."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.bytes = 0

    def run(self) -> None:
        while True:
            chunk = self.stream.read1(65536) if hasattr(self.stream, "read1") else self.stream.read(65536)
            if not chunk:
                break
            self.bytes += len(chunk)


def start_server(db: Path, data: Path, src: Path | None = None) -> tuple[subprocess.Popen, str, int]:
    """`cz serve` on an ephemeral loopback port; ``src``: another source tree
    (a baseline checkout's src/) to run instead of this one.  The process
    gets ``.drain`` and ``.drain_out`` (its stderr and stdout, counted)."""
    env = {**os.environ, "CZ_DB": str(db), "CZ_DATA": str(data)}
    if src is not None:
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen([sys.executable, "-m", "chengzhen", "serve", "--host", "127.0.0.1", "--port", "0"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = proc.stderr.readline().decode("utf-8", "replace")
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise SystemExit(f"cz serve did not start: {line}{proc.stderr.read().decode('utf-8', 'replace')}")
    proc.drain = Drain(proc.stderr)  # keep its stderr drained
    proc.drain.start()
    proc.drain_out = Drain(proc.stdout)  # and its stdout (datasette's error handler printed tracebacks there)
    proc.drain_out.start()
    return proc, "127.0.0.1", int(m.group(1))


# --------------------------------------------------------------------------- the clients

class Client(threading.Thread):
    """One reader on one keep-alive connection, asking as fast as it can.
    ``traffic``: "pages" (the MIX of the pool, cached or, with ``cold``, each
    URL new), "cached" (the same, without the static file), "uncached" (a
    search never asked before), "bad" (an unknown URL or a bad argument)."""

    def __init__(self, host: str, port: int, pool: dict, deadline: float, seed: int, samples: list,
                 cold: bool = False, traffic: str = "pages", gzip: bool = False):
        super().__init__(daemon=True)
        self.host, self.port, self.pool, self.deadline = host, port, pool, deadline
        self.cold = cold
        self.traffic = traffic
        self.headers = {"Accept-Encoding": "gzip"} if gzip else {}
        self.n = 0
        self.rnd = random.Random(seed)
        self.samples = samples
        self.kinds = [k for k, w in MIX for _ in range(w) if pool.get(k) and (traffic == "pages" or k != "static")]

    def next(self) -> tuple[str, str, str]:
        """(label, method, URL) of the next request."""
        self.n += 1
        if self.traffic == "uncached":
            url = self.rnd.choice(self.pool["search"])
            return "uncached", "GET", url + ("&" if "?" in url else "?") + f"_new={self.ident}-{self.n}"
        if self.traffic == "bad":
            method, url = bad_urls(self.rnd.randrange(10**6) * 13 + self.n % 13, self.pool["plans"])
            return "bad", method, url
        kind = self.rnd.choice(self.kinds)
        url = self.rnd.choice(self.pool[kind])
        if self.cold and kind != "static":
            # a URL never asked before: the server's page cache cannot answer it
            url += ("&" if "?" in url else "?") + f"_cold={self.ident}-{self.n}"
        return (kind if self.traffic == "pages" else "cached"), "GET", url

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        local = []
        while time.monotonic() < self.deadline:
            kind, method, url = self.next()
            t0 = time.perf_counter()
            status = 0
            try:
                conn.request(method, url, body=b"x=1" if method == "POST" else None, headers=self.headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            local.append((kind, time.perf_counter() - t0, status, url))
        conn.close()
        self.samples.extend(local)


def run_load(host: str, port: int, pool: dict, clients: int, seconds: float, seed: int, cold: bool = False,
             traffic: list[str] | None = None, gzip: bool = False) -> list:
    """``clients`` readers for ``seconds``; ``traffic``: each one's kind
    (default: all "pages")."""
    samples: list = []
    deadline = time.monotonic() + seconds
    kinds = traffic or ["pages"] * clients
    threads = [Client(host, port, pool, deadline, seed + i, samples, cold, kinds[i], gzip) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    return samples


def pct(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def summarize(samples: list, seconds: float, kinds: list[str] | None = None) -> dict:
    """Per kind and for all: requests, rate, percentiles, errors — a failed
    request, a 5xx, or for any kind but "bad" a status other than 200."""
    out = {}
    for kind in (kinds or [k for k, _ in MIX]) + ["all"]:
        rows = [s for s in samples if kind == "all" or s[0] == kind]
        ms = sorted(s[1] * 1000 for s in rows)
        errors = [s for s in rows if s[2] == 0 or s[2] >= 500 or (s[0] != "bad" and s[2] != 200)]
        out[kind] = {"requests": len(rows), "per_s": round(len(rows) / seconds, 1),
                     "p50_ms": round(pct(ms, 50), 1), "p95_ms": round(pct(ms, 95), 1),
                     "p99_ms": round(pct(ms, 99), 1), "max_ms": round(ms[-1], 1) if ms else None,
                     "errors": len(errors), "error_examples": [(e[2], e[3]) for e in errors[:5]],
                     "slowest": [(round(r[1] * 1000, 1), r[2], r[3]) for r in sorted(rows, key=lambda r: -r[1])[:3]]}
        if kind == "bad":
            out[kind]["statuses"] = {str(k): v for k, v in sorted(
                collections.Counter(s[2] for s in rows).items())}
    return out


def warm(host: str, port: int, urls: list[str], clients: int = 4, gzip: bool = False) -> int:
    """Ask every URL once (so that each is in the page cache); the number of
    answers that were not 200."""
    bad = [0]
    lock = threading.Lock()
    queue = list(urls)

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                url = queue.pop()
            try:
                conn.request("GET", url, headers={"Accept-Encoding": "gzip"} if gzip else {})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                ok = False
            if not ok:
                with lock:
                    bad[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return bad[0]


class Hammer(threading.Thread):
    """One client asking one kind of URL back to back until ``deadline``:
    ``urls(n)`` gives the n-th (a fixed URL, or each one new)."""

    def __init__(self, host: str, port: int, urls, deadline: float, gzip: bool = False):
        super().__init__(daemon=True)
        self.host, self.port, self.urls, self.deadline = host, port, urls, deadline
        self.headers = {"Accept-Encoding": "gzip"} if gzip else {}
        self.times: list[float] = []
        self.failed = 0

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        n = 0
        while time.monotonic() < self.deadline:
            n += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", self.urls(n), headers=self.headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 500:
                    self.failed += 1
            except (OSError, http.client.HTTPException):
                self.failed += 1
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.times.append(time.perf_counter() - t0)
        conn.close()


def unknown_urls(args, db: Path) -> dict:
    """--unknown: the issue's observation, for this tree and (with
    ``--baseline-src``) another, one server after the other in one run —
    an unknown URL's cost alone (time, bytes written to the log), and three
    readers of one cached search page alone, then beside two clients asking
    unknown URLs as fast as they can."""
    page = "/search?q=" + quote("住房")
    trees = [("this tree", None)] + ([("baseline", args.baseline_src)] if args.baseline_src else [])
    out = {}
    for name, src in trees:
        proc, host, port = start_server(db, args.data, src)
        try:
            warm(host, port, [page] * 3, clients=1)
            load0 = os.getloadavg()[0]
            logged0 = proc.drain.bytes + proc.drain_out.bytes
            alone = Hammer(host, port, lambda n: f"/tasks/{n}", time.monotonic() + args.seconds / 4)
            alone.run()
            time.sleep(0.5)  # the last log lines
            per_unknown = (proc.drain.bytes + proc.drain_out.bytes - logged0) / max(1, len(alone.times))
            phases = {}
            for phase, hammers in (("readers alone", 0), ("beside 2 clients on unknown URLs", 2)):
                deadline = time.monotonic() + args.seconds
                readers = [Hammer(host, port, lambda n: page, deadline) for _ in range(3)]
                others = [Hammer(host, port, lambda n, i=i: f"/tasks/{i}-{n}", deadline) for i in range(hammers)]
                for t in readers + others:
                    t.start()
                for t in readers + others:
                    t.join()
                done = [x for t in readers for x in t.times]
                bad = [x for t in others for x in t.times]
                phases[phase] = {
                    "readers_per_s": round(len(done) / args.seconds, 1),
                    "readers_p50_ms": round(pct(sorted(x * 1000 for x in done), 50), 1),
                    "unknown_per_s": round(len(bad) / args.seconds, 1),
                    "unknown_p50_ms": round(pct(sorted(x * 1000 for x in bad), 50), 1) if bad else None,
                    "failed": sum(t.failed for t in readers + others)}
            out[name] = {"unknown_alone_p50_ms": round(pct(sorted(x * 1000 for x in alone.times), 50), 2),
                         "unknown_alone_p95_ms": round(pct(sorted(x * 1000 for x in alone.times), 95), 2),
                         "log_bytes_per_unknown": round(per_unknown), "phases": phases,
                         "loadavg": [round(load0, 2), round(os.getloadavg()[0], 2)]}
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(f"unknown URLs: {args.seconds:g} s per phase, one server after the other")
    print(f"{'server':<11}{'unknown p50/p95 ms':>20}{'log/unknown':>13}  {'3 readers alone':>18}  "
          f"{'beside 2 on unknown URLs':>26}  {'unknown req/s':>13}  load average")
    for name, r in out.items():
        a, b = r["phases"]["readers alone"], r["phases"]["beside 2 clients on unknown URLs"]
        print(f"{name:<11}{r['unknown_alone_p50_ms']:>10} / {r['unknown_alone_p95_ms']:<7}"
              f"{r['log_bytes_per_unknown']:>11} B  {a['readers_per_s']:>9} req/s "
              f"({a['readers_p50_ms']} ms)  {b['readers_per_s']:>10} req/s ({b['readers_p50_ms']} ms) = "
              f"{b['readers_per_s'] / a['readers_per_s'] if a['readers_per_s'] else 0:.2f}  "
              f"{b['unknown_per_s']:>9}  {r['loadavg'][0]:.2f} → {r['loadavg'][1]:.2f}")
    return out


def mixed(args, pool: dict, host: str, port: int, pid: int) -> tuple[dict, bool]:
    """The --mixed run: cached-only, then the mix of clients (see the
    module's docstring).  Returns the report and whether the goals are met."""
    rnd = random.Random(args.seed)
    # the cached pages: a sample of the pool by the mix's weights, small enough for the page cache
    cached: dict[str, list[str]] = {}
    weights = {k: w for k, w in MIX if k != "static"}
    total_w = sum(weights.values())
    for kind, w in weights.items():
        urls = pool[kind]
        cached[kind] = rnd.sample(urls, min(len(urls), max(1, args.cached_urls * w // total_w)))
    cached_pool = {**pool, **cached}
    every = [u for k in weights for u in cached[k]]
    t0 = time.monotonic()
    not_ok = warm(host, port, every, gzip=args.gzip)
    warm_s = time.monotonic() - t0
    phases = {}
    n = args.clients
    shares = {k: round(n * f) for k, f in MIXED_SHARES}
    shares["cached"] = n - shares["uncached"] - shares["bad"]
    plan = {"cached_only": ["cached"] * n,
            "mixed": ["cached"] * shares["cached"] + ["uncached"] * shares["uncached"] + ["bad"] * shares["bad"]}
    # the two phases in alternating slices, so that both meet the same load
    # from the rest of the machine (it is shared): the ratio compares like
    # with like
    slice_s = args.seconds / args.rounds
    collected: dict[str, list] = {phase: [] for phase in plan}
    slices: dict[str, list] = {phase: [] for phase in plan}
    cpu: dict[str, float] = {phase: 0.0 for phase in plan}
    client_cpu: dict[str, float] = {phase: 0.0 for phase in plan}
    worker_cpu: dict[str, float] = {phase: 0.0 for phase in plan}
    workers = children(pid)  # the page pool's processes (web/pool.py), started with the server
    load = {phase: [] for phase in plan}
    rss0 = rss_kb(pid)
    for r in range(args.rounds):
        for phase, traffic in plan.items():
            load[phase].append(os.getloadavg()[0])
            cpu0, own0, wk0 = cpu_s(pid), cpu_s(os.getpid()), workers_cpu_s(workers)
            got = run_load(host, port, cached_pool, n, slice_s, args.seed + 1000 * r + (0 if phase == "mixed" else 500),
                           traffic=traffic, gzip=args.gzip)
            cpu[phase] += cpu_s(pid) - cpu0
            worker_cpu[phase] += workers_cpu_s(workers) - wk0
            client_cpu[phase] += cpu_s(os.getpid()) - own0
            collected[phase] += got
            slices[phase].append(round(sum(1 for g in got if g[0] == "cached") / slice_s, 1))
    for phase, traffic in plan.items():
        samples = collected[phase]
        stats = summarize(samples, args.seconds, ["cached", "uncached", "bad"])
        for kind in stats:
            stats[kind]["distinct_urls"] = len({s[3] for s in samples if kind == "all" or s[0] == kind})
        phases[phase] = {"clients": dict(collections.Counter(traffic)), "stats": stats,
                         "cached_per_s_by_slice": slices[phase], "server_cpu_s": round(cpu[phase], 1),
                         "workers_cpu_s": round(worker_cpu[phase], 1),
                         "client_cpu_s": round(client_cpu[phase], 1),
                         "loadavg": [round(x, 2) for x in load[phase]]}
    phases["mixed"]["rss_kb"] = [rss0, rss_kb(pid)]
    mix, alone = phases["mixed"]["stats"], phases["cached_only"]["stats"]
    ratio = mix["cached"]["per_s"] / alone["cached"]["per_s"] if alone["cached"]["per_s"] else 0.0
    errors = mix["all"]["errors"] + alone["all"]["errors"]
    goals = {
        "errors": {"value": errors, "bound": 0, "met": errors == 0},
        "mixed_p95_ms": {"value": mix["all"]["p95_ms"], "bound": GOAL_MIXED_P95_MS,
                         "met": mix["all"]["p95_ms"] <= GOAL_MIXED_P95_MS},
        "uncached_search_p95_ms": {"value": mix["uncached"]["p95_ms"], "bound": GOAL_UNCACHED_P95_MS,
                                   "met": mix["uncached"]["p95_ms"] <= GOAL_UNCACHED_P95_MS},
        "cached_ratio": {"value": round(ratio, 3), "bound": GOAL_CACHED_RATIO, "met": ratio >= GOAL_CACHED_RATIO},
    }
    report = {"mode": "mixed", "clients": n, "server_workers": len(workers), "seconds": args.seconds, "gzip": args.gzip,
              "cached_urls": len(every), "warm_seconds": round(warm_s, 1), "warm_not_200": not_ok,
              "phases": phases, "goals": goals, "cpus": os.cpu_count()}
    print(f"cz serve, cached pages beside new searches and bad URLs: {n} clients × {args.seconds:g} s per phase "
          f"on loopback ({len(every)} cached URLs, asked once first in {warm_s:.1f} s; "
          f"gzip {'accepted' if args.gzip else 'not asked for'})")
    print(f"{'phase':<12}{'clients':<26}{'kind':<10}{'requests':>9}{'per s':>8}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'p99 ms':>8}{'max ms':>9}{'errors':>7}  load average")
    for phase, ph in phases.items():
        who = ", ".join(f"{v} {k}" for k, v in ph["clients"].items())
        for kind in ["cached", "uncached", "bad", "all"]:
            st_ = ph["stats"][kind]
            if not st_["requests"]:
                continue
            load = (f"{min(ph['loadavg']):.1f}–{max(ph['loadavg']):.1f}; CPU server {ph['server_cpu_s']} s, "
                    f"its {len(workers)} workers {ph['workers_cpu_s']} s, "
                    f"clients {ph['client_cpu_s']} s"
                    if kind == "all" else "")
            print(f"{phase:<12}{who:<26}{kind:<10}{st_['requests']:>9}{st_['per_s']:>8}{st_['p50_ms']:>8}"
                  f"{st_['p95_ms']:>8}{st_['p99_ms']:>8}{st_['max_ms']:>9}{st_['errors']:>7}  {load}")
            phase, who = "", ""
    if mix["bad"]["requests"]:
        print("bad URLs answered: " + ", ".join(f"{k}: {v}" for k, v in mix["bad"]["statuses"].items()))
    print(f"cached pages' throughput beside the others: {mix['cached']['per_s']} / {alone['cached']['per_s']} "
          f"req/s = {ratio:.2f} of cached-only (slice by slice: "
          + ", ".join(f"{m / a:.2f}" if a else "-" for m, a in zip(phases["mixed"]["cached_per_s_by_slice"],
                                                                  phases["cached_only"]["cached_per_s_by_slice"]))
          + ")")
    for name, g in goals.items():
        print(f"goal {name}: {g['value']} (bound {g['bound']}) — {'met' if g['met'] else 'NOT met'}")
    return report, all(g["met"] for g in goals.values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--warmup", type=float, default=5.0)
    ap.add_argument("--solo", type=float, default=10.0, help="seconds of one client alone, uncached, before the load")
    ap.add_argument("--db", type=Path, help="a built database (default: build data/ into bench/out/web/)")
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cold", action="store_true",
                    help="every page URL unique (an unused parameter added): no answer from the page cache")
    ap.add_argument("--mixed", action="store_true",
                    help="cached pages alone, then beside new searches and bad URLs (see the docstring)")
    ap.add_argument("--cached-urls", type=int, default=300, help="--mixed: how many page URLs are cached")
    ap.add_argument("--rounds", type=int, default=6,
                    help="--mixed: the phases alternate in this many slices each (seconds / rounds long)")
    ap.add_argument("--no-gzip", dest="gzip", action="store_false",
                    help="--mixed: the clients do not ask for gzip (by default they do, as browsers do)")
    ap.add_argument("--unknown", action="store_true",
                    help="an unknown URL's cost, and what two clients asking unknown URLs cost three readers")
    ap.add_argument("--baseline-src", type=Path,
                    help="a baseline checkout's src/: with --unknown, run it too; otherwise run it instead of this tree")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    if args.out is None:
        args.out = OUT / ("web_load_mixed.json" if args.mixed else
                          "web_load_unknown.json" if args.unknown else "web_load.json")

    db = args.db
    if db is None:
        db = OUT / "web" / "chengzhen.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        sys.path.insert(0, str(REPO / "src"))
        from chengzhen.store.build import build

        build(args.data, db, only_if_stale=True)
    if args.unknown:
        report = unknown_urls(args, db)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"written: {args.out}")
        return 0
    pool = url_pool(db, args.seed)
    proc, host, port = start_server(db, args.data, args.baseline_src)
    if args.mixed:
        try:
            report, met = mixed(args, pool, host, port, proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        report.update({"db": str(db), "db_bytes": db.stat().st_size})
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"written: {args.out}")
        return 0 if met else 1
    try:
        rss_started = rss_kb(proc.pid)
        run_load(host, port, pool, min(4, args.clients), args.warmup, args.seed + 1000)  # warm-up
        # one reader alone, every URL new: what a page costs without queueing
        solo = summarize(run_load(host, port, pool, 1, args.solo, args.seed + 2000, cold=True), args.solo)
        rss_start = rss_kb(proc.pid)
        trace = [(0.0, rss_start)]
        stop = threading.Event()
        t0 = time.monotonic()

        def sample_rss():
            while not stop.wait(5.0):
                trace.append((round(time.monotonic() - t0, 1), rss_kb(proc.pid)))

        sampler = threading.Thread(target=sample_rss, daemon=True)
        sampler.start()
        samples = run_load(host, port, pool, args.clients, args.seconds, args.seed, args.cold)
        stop.set()
        sampler.join()
        rss_end = rss_kb(proc.pid)
        trace.append((round(time.monotonic() - t0, 1), rss_end))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    stats = summarize(samples, args.seconds)
    for kind in stats:
        stats[kind]["distinct_urls"] = len({s[3] for s in samples if kind == "all" or s[0] == kind})
    growth = (rss_end - rss_start) / rss_start if rss_start else 0.0
    half = [kb for t, kb in trace if t >= args.seconds / 2]
    mid = half[0] if half else rss_start
    late_growth = (rss_end - mid) / mid if mid else 0.0
    goals = {
        "search_p95_ms": {"value": stats["search"]["p95_ms"], "bound": GOAL_SEARCH_P95_MS,
                          "met": stats["search"]["p95_ms"] <= GOAL_SEARCH_P95_MS},
        "errors": {"value": stats["all"]["errors"], "bound": 0, "met": stats["all"]["errors"] == 0},
        "memory_growth_second_half": {"value": round(late_growth, 3), "bound": MEMORY_GROWTH_LIMIT,
                                      "met": late_growth <= MEMORY_GROWTH_LIMIT},
    }
    report = {"clients": args.clients, "seconds": args.seconds, "cold": args.cold, "db": str(db),
              "db_bytes": db.stat().st_size,
              "mix": dict(MIX), "urls": {k: len(v) for k, v in pool.items()}, "stats": stats, "solo": solo,
              "memory_kb": {"after_start": rss_started, "start": rss_start, "end": rss_end, "trace": trace},
              "goals": goals, "cpus": os.cpu_count(), "loadavg": os.getloadavg()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")

    print(f"cz serve under load{' (cold: no page cache)' if args.cold else ''}: {args.clients} clients × {args.seconds:g} s on loopback "
          f"({stats['all']['requests']} requests, {stats['all']['per_s']}/s; load average {os.getloadavg()[0]:.2f})")
    print(f"{'kind':<9}{'requests':>9}{'URLs':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
          f"{'errors':>8}")
    for kind in [k for k, _ in MIX] + ["all"]:
        s = stats[kind]
        print(f"{kind:<9}{s['requests']:>9}{s['distinct_urls']:>7}{s['per_s']:>8}{s['p50_ms']:>9}{s['p95_ms']:>9}"
              f"{s['p99_ms']:>9}{s['max_ms'] if s['max_ms'] is not None else '-':>9}{s['errors']:>8}")
    print("one client alone, uncached, p50 ms: " + ", ".join(
        f"{k} {solo[k]['p50_ms']}" for k, _ in MIX if solo[k]["requests"]))
    print(f"server memory (RSS): {rss_started / 1024:.1f} MB after start, {rss_start / 1024:.1f} MB after warm-up, "
          f"{mid / 1024:.1f} MB at half time, {rss_end / 1024:.1f} MB at the end "
          f"({growth:+.1%} over the run, {late_growth:+.1%} over its second half)")
    for name, g in goals.items():
        print(f"goal {name}: {g['value']} (bound {g['bound']}) — {'met' if g['met'] else 'NOT met'}")
    print(f"written: {args.out}")
    return 0 if all(g["met"] for g in goals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
