"""What every page shares: running a question's answer (``answers/``) on the
served snapshot, answering in HTML, JSON or CSV, errors in the reader's
words, URLs, and the text helpers (highlighted snippets) the templates use.

A page's JSON is ``{"page", "database", "view", "answer"}``: ``answer`` is
the question's envelope, the same as the command's ``-f json``
(docs/envelope.schema.json), ``view`` what only the page has (paging,
facets, form choices), so the two never share a namespace.  Its CSV is
written by the same writer as ``cz … -f csv``.

Every value reaches HTML through Jinja's autoescaping or :func:`highlight`,
which escapes each piece before it adds ``<mark>``: nothing a plan, a
query or a URL holds is ever written into a page unescaped.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from chengzhen.answers.present import (ABRIDGED_MARK, KIND_LABELS, LEVEL_LABELS, MATCH_LABELS, baseline_label,
                                       find_spans, target_phrase, year_label)
from chengzhen.errors import BadValue, CzError, UnknownName, UsageError
from chengzhen.web.assets import TEMPLATES
from chengzhen.web.views import links

PAGE_TIME_LIMIT_MS = 20_000  # one page's queries; datasette's SQL page keeps its own limit

NAME_KINDS = {"plan": "方案", "topic": "主题", "department": "部门", "indicator": "指标", "id": "编号",
              "measure id": "条目编号", "national task": "国家任务", "scope": "范围"}

# what a bad value of each argument should look like, for a reader (BadValue.field)
EXPECTED = {
    "year": "请写一个年份（2028）或区间（2025..2030）",
    "by": "请选“task”（按国家任务）、“text”（按文字）或“topic”“term”（覆盖页）",
    "alignment": "请选“task”（先按国家任务）或“text”（只按文字）",
    "level": "请选“all”（全部）、“top”（一级）或“sub”（二级）",
    "kind": "请选“measure”（条目）、“section”（章节）、“target”（目标）或“annex”（附件）",
    "commitments": "请写 1（列出承诺）或 0（不列）",
    "page": "请写一个正整数页码",
    "size": "请写 1 到 200 之间的整数",
    "limit": "请写一个非负整数",
    "verdict": "请选已达成、按进度、落后、无数据或无可比数据",
    "as-of": "请写一个年份（2023）",
}

SECURITY_HEADERS = {
    # scripts and styles only from this server; no inline script can run
    "content-security-policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


class NotFound(CzError):
    """No such page, measure or plan (HTTP 404)."""


class TooSlow(CzError):
    """A page's queries ran past their time limit (HTTP 503)."""


@dataclass
class Page:
    """What a view computed: the question's ``answer`` (its JSON and CSV),
    ``view`` what only the page has (paging, facets, form choices: in the
    JSON beside the answer), ``data`` what the template shows, and whether
    the page has a CSV form."""

    name: str
    template: str
    title: str
    data: dict
    answer: Any = None
    view: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict)
    csv: bool = False
    status: int = 200
    snapshot: Any = None

    @property
    def query(self) -> dict:
        return self.answer.query if self.answer is not None else {}


# --------------------------------------------------------------------------- arguments

_SEPARATORS = re.compile(r"[,，、;；\n]+")


def multi(request, name: str) -> list[str]:
    """A repeatable argument; each value may also list several, separated by
    , ， 、 ; or new lines (as people paste them)."""
    out: list[str] = []
    for value in request.args.getlist(name):
        for part in _SEPARATORS.split(value):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def one(request, name: str) -> str | None:
    value = request.args.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def number(request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        n = int(raw)
    except ValueError:
        expected = f"请写 {lo} 到 {hi} 之间的整数" if hi < 10**6 else f"请写不小于 {lo} 的整数"
        raise BadValue(name, raw[:50], expected) from None
    return max(lo, min(hi, n))


# --------------------------------------------------------------------------- URLs

def href(datasette, path: str, params: dict | Sequence[tuple[str, Any]] | None = None, fragment: str = "") -> str:
    """A URL of this server (under datasette's base_url), with a query string
    of the non-empty ``params`` (lists become repeated parameters)."""
    items: list[tuple[str, Any]] = []
    for k, v in (params.items() if isinstance(params, dict) else (params or [])):
        if v is None or v == "" or v == [] or v is False:
            continue
        if isinstance(v, (list, tuple)):
            items += [(k, x) for x in v if x not in (None, "")]
        else:
            items.append((k, v))
    url = datasette.urls.path(path)
    if items:
        url += "?" + urlencode(items)
    if fragment:
        url += "#" + quote(fragment, safe="/.")
    return url


def id_path(prefix: str, ident: str) -> str:
    return prefix + quote(ident, safe="/.")


def measure_url(datasette, mid: str, fragment: str = "") -> str:
    return href(datasette, id_path("/m/", mid), fragment=fragment)


def plan_url(datasette, pid: str, fragment: str = "") -> str:
    return href(datasette, id_path("/plan/", pid), fragment=fragment)


def format_urls(request, *, csv_ok: bool) -> dict:
    """This page as JSON (and CSV): its path with .json / .csv, same arguments."""
    path = request.path  # as requested: percent-encoded, under base_url
    fmt = request.url_vars.get("format")
    if fmt and path.endswith("." + fmt):
        path = path[:-len(fmt) - 1]
    qs = ("?" + request.query_string) if request.query_string else ""
    out = {"json": path + ".json" + qs}
    if csv_ok:
        out["csv"] = path + ".csv" + qs
    return out


# --------------------------------------------------------------------------- text

def highlight(text: str | None, spans: Sequence[tuple[int, int]]) -> Markup:
    """``text`` with each span in <mark>, every piece escaped."""
    if not text:
        return Markup("")
    out: list[str] = []
    pos = 0
    for s, e in sorted(spans):
        if s < pos:
            s = pos
        if e <= s:
            continue
        out.append(str(escape(text[pos:s])))
        out.append("<mark>" + str(escape(text[s:e])) + "</mark>")
        pos = e
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def spans_of(text: str | None, terms: Sequence[str]) -> list[tuple[int, int]]:
    if not text or not terms:
        return []
    return find_spans(text, list(terms))


# --------------------------------------------------------------------------- errors

def describe(exc: CzError) -> dict:
    """An error in the reader's words, with what to try instead."""
    from chengzhen.web.errors import Problem, info_of

    if isinstance(exc, Problem):  # carries its status and where to go on
        return info_of(exc)
    from chengzhen.query.places import Ambiguous

    if isinstance(exc, Ambiguous):  # a place name several places share (吉林): every page says it alike
        return {"status": 400, "kind": exc.kind, "word": exc.word, "suggestions": [n for n, _c in exc.candidates],
                "message": exc.zh(), "error": exc.message}
    if isinstance(exc, UnknownName):
        kind = NAME_KINDS.get(exc.kind, exc.kind)
        missing = exc.kind in ("id", "measure id") or getattr(exc, "in_path", False)  # a page's own name: 404
        return {"status": 404 if missing else 400, "kind": exc.kind, "word": exc.word,
                "message": f"没有这个{kind}：“{exc.word}”", "suggestions": exc.suggestions, "error": exc.message}
    if isinstance(exc, BadValue):
        expected = EXPECTED.get(exc.field, "请检查这个参数的写法")  # the reader's words, not the CLI's
        return {"status": 400, "kind": "value", "word": exc.value, "suggestions": [],
                "message": f"“{exc.value}”的格式不对：{expected}", "error": exc.message}
    if isinstance(exc, NotFound):
        return {"status": 404, "kind": "page", "word": None, "suggestions": [], "message": exc.message,
                "error": exc.message}
    if isinstance(exc, TooSlow):
        return {"status": 503, "kind": "time", "word": None, "suggestions": [], "message": exc.message,
                "error": "the page's queries ran past their time limit and were stopped"}
    status = 400 if isinstance(exc, UsageError) else 500
    return {"status": status, "kind": "usage", "word": None, "suggestions": [], "message": exc.message,
            "error": exc.message}


# --------------------------------------------------------------------------- running and answering

def state(datasette):
    return datasette.cz  # set by web/server.py:make_datasette


async def run(datasette, fn: Callable[[Any], Any]) -> Any:
    """``fn(conn)`` on one connection to the snapshot being served, in
    datasette's thread pool, with a time limit; the page records which
    generation it was made from."""
    from datasette.utils import sqlite_timelimit

    from chengzhen.web.database import NAME

    db = datasette.get_database(NAME)

    def call(conn):
        with sqlite_timelimit(conn, PAGE_TIME_LIMIT_MS):
            page = fn(conn)
        if isinstance(page, Page):
            page.snapshot = getattr(conn, "cz_snapshot", None)
        return page

    return await db.execute_fn(call)


def database_info(page: Page) -> dict:
    snap = page.snapshot
    if snap is None:
        return {}
    return {"generation": snap.generation, "built_at": snap.built_at}


_ENV = None


def templates():
    """Our templates, rendered synchronously in a worker thread (datasette's
    own environment renders asynchronously on the event loop, which costs
    more and holds up every other request meanwhile).  Autoescaping on."""
    global _ENV
    if _ENV is None:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        _ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                           auto_reload=False)
    return _ENV


def etag(snapshot, problem: str | None) -> str:
    """A validator for every page of one generation: the same on every
    instance serving the same file (generation and build time), so a browser
    or a caching proxy may revalidate and get 304 until the data changes."""
    import hashlib

    raw = f"{snapshot.generation}|{snapshot.built_at}|{problem or ''}"
    return 'W/"cz-' + hashlib.sha256(raw.encode()).hexdigest()[:16] + '"'


def render(request, datasette, page: Page, fmt: str | None) -> tuple[int, dict, str, str]:
    """(status, headers, body, content type) of a page in a format."""
    headers = dict(SECURITY_HEADERS)
    if page.snapshot is not None and page.status == 200:
        headers["etag"] = etag(page.snapshot, state(datasette).snapshots.problem)
        headers["cache-control"] = "no-cache"  # revalidate: a new generation shows at once
    if fmt == "json":
        from chengzhen.answers.writers import page_json

        database = database_info(page)
        problem = state(datasette).snapshots.problem
        if problem:
            database["problem"] = problem
        outer = {"page": page.name, "database": database, "view": page.view}
        if page.answer is None:  # an error page: its error beside the page's keys
            outer.update(page.data)
        return page.status, headers, page_json(page.answer, outer), "application/json; charset=utf-8"
    if fmt == "csv":
        from chengzhen.answers.writers import WRITERS

        headers["content-disposition"] = f"inline; filename=\"{page.name}.csv\""
        body = "".join(WRITERS["csv"](page.answer, excel=bool(request.args.get("_bom"))))
        return page.status, headers, body, "text/csv; charset=utf-8"
    context = {
        **page.context,
        "data": page.data,
        "answer": page.answer,
        "view": page.view,
        "query": page.query,
        "title": page.title,
        "cz": _common(request, datasette, page),
    }
    html = templates().get_template(page.template).render(context)
    return page.status, headers, html, "text/html; charset=utf-8"


async def respond(request, datasette, page: Page, fmt: str | None):
    from datasette.utils.asgi import Response

    if fmt == "csv" and (not page.csv or page.answer is None):
        return await error(request, datasette, NotFound("this page has no CSV form"), None)
    status, headers, body, ctype = await _in_thread(datasette, lambda: render(request, datasette, page, fmt))
    cache = state(datasette).cache
    if cache is not None and page.snapshot is not None and status == 200:
        cache.put(_cache_key(request, page.snapshot.serial, state(datasette).snapshots.problem),
                  (status, headers, body, ctype))
    return Response(body, status=status, headers=headers, content_type=ctype)


async def _in_thread(datasette, fn):
    import asyncio

    if datasette.executor is None:
        return fn()
    return await asyncio.get_running_loop().run_in_executor(datasette.executor, fn)


# --------------------------------------------------------------------------- a cache per generation

class PageCache:
    """Finished responses by URL, for the generation they were made from.

    A page is a function of the URL and the database generation alone (the
    file served never changes), so a response made once is exact for every
    later request of the same URL until the generation changes; entries of
    an older generation are never served (the key holds it) and are dropped
    when a newer one arrives.  Bounded by size, least recently used first."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_entry: int = 2 * 1024 * 1024):
        import threading
        from collections import OrderedDict

        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._items: OrderedDict = OrderedDict()
        self._bytes = 0
        self._generation: int | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key):
        with self._lock:
            got = self._items.get(key)
            if got is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return got

    def put(self, key, value) -> None:
        size = len(value[2]) * 3 if isinstance(value[2], str) else len(value[2])
        if size > self.max_entry:
            return
        with self._lock:
            if key[0] != self._generation:
                if self._generation is not None and key[0] < self._generation:
                    return  # made from a copy already replaced
                self._items.clear()
                self._bytes = 0
                self._generation = key[0]
            if key in self._items:
                return
            self._items[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                _k, old = self._items.popitem(last=False)
                self._bytes -= len(old[2]) * 3 if isinstance(old[2], str) else len(old[2])


def _cache_key(request, serial: int, problem: str | None) -> tuple:
    return (serial, request.path, request.query_string, problem or "")


def _common(request, datasette, page: Page) -> dict:
    st = state(datasette)
    return {
        "page": page.name,
        "database": database_info(page),
        "problem": st.snapshots.problem,
        "formats": format_urls(request, csv_ok=page.csv and page.answer is not None),
        "q": request.args.get("q", ""),
        "href": lambda path, params=None, fragment="": href(datasette, path, params, fragment),
        "measure_url": lambda mid, fragment="": measure_url(datasette, mid, fragment),
        "plan_url": lambda pid, fragment="": plan_url(datasette, pid, fragment),
        "link": links.for_template(datasette),  # every name's page (web/views/links.py)
        "static": lambda name: datasette.urls.path("/-/cz/" + name),
        "kind_label": lambda k: KIND_LABELS.get(k, k),
        "level_label": lambda k: LEVEL_LABELS.get(k, k or ""),
        "year_label": year_label,
        "baseline_label": baseline_label,
        "target_phrase": target_phrase,
        "match_label": lambda m: MATCH_LABELS.get(m, m),
        "abridged_mark": ABRIDGED_MARK,
    }


async def error(request, datasette, exc: CzError, fmt: str | None):
    from chengzhen.web.errors import HEADINGS

    info = describe(exc)
    page = Page("error", "cz_error.html", HEADINGS.get(info["status"], "出错了"), {"error": info["error"], "message": info["message"],
                                                    "kind": info["kind"], "word": info["word"],
                                                    "suggestions": info["suggestions"]},
                status=info["status"], context={"info": info})
    st = state(datasette)
    page.snapshot = st.snapshots.current
    return await respond(request, datasette, page, "json" if fmt == "json" else None)


def page_view(build: Callable):
    """A datasette route for a page: ``build(request, datasette, fmt)``
    returns a :class:`Page` (awaitable); errors become error pages; only
    GET and HEAD are answered (nothing here changes anything)."""

    async def view(request, datasette):
        from datasette.utils.asgi import Response

        fmt = request.url_vars.get("format")
        if request.method not in ("GET", "HEAD"):
            return Response.text("405: this server only reads; use GET", status=405,
                                 headers={"allow": "GET, HEAD", **SECURITY_HEADERS})
        st = state(datasette)
        tag = etag(st.snapshots.current, st.snapshots.problem)
        if tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response("", status=304, headers={"etag": tag, "cache-control": "no-cache"})
        if st.cache is not None:
            hit = st.cache.get(_cache_key(request, st.snapshots.current.serial, st.snapshots.problem))
            if hit is not None:
                status, headers, body, ctype = hit
                return Response(body, status=status, headers=headers, content_type=ctype)
        try:
            page = await build(request, datasette, fmt)
        except CzError as exc:
            return await error(request, datasette, exc, fmt)
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            return await error(request, datasette, TooSlow(
                f"这个页面的查询超过 {PAGE_TIME_LIMIT_MS // 1000} 秒，已停止；请缩小范围（少选几个方案，或加一个筛选条件）"), fmt)
        if not isinstance(page, Page):  # a redirect or another ready response
            return page
        return await respond(request, datasette, page, fmt)

    view.__name__ = getattr(build, "__name__", "view")
    view.__module__ = getattr(build, "__module__", view.__module__)  # the page's module (its examples)
    return view
