"""Search: the same engine and the same answers as `cz search`
(``query.search.search``), ranked, with highlighted snippets, facets by
plan, topic, department and kind, and pages of results.

Without words but with filters (a topic, a plan, a department, a national
task) the page lists the measures those filters select, in document order.

The result is shown as the engine gives it: its hits, its mode (exact,
segmented, or a correction), its suggestions and its note; a correction is
never presented as what the reader typed.
"""

from __future__ import annotations

from chengzhen.errors import UsageError
from chengzhen.query import browse
from chengzhen.query import search as S
from chengzhen.query.resolve import resolve_departments, resolve_plans, resolve_topics
from chengzhen.store.rows import KINDS
from chengzhen.web.page import Page, highlight, multi, number, one, page_view, run, snippet, spans_of

ROUTE = r"^/search(\.(?P<format>json|csv))?$"

PAGE_SIZE = 20
MAX_SIZE = 200
FACET_CAP = 1000  # facets count the first this many hits
MAX_PAGE = 500

COLUMNS = ["kind", "id", "item", "plan", "plan_name", "number", "title", "line", "in_title", "score", "text"]


def _filters(conn, args: dict) -> tuple[S.Filters, dict]:
    filters = S.Filters(
        plans=resolve_plans(conn, args["plan"]),
        topics=resolve_topics(conn, args["topic"]),
        departments=resolve_departments(conn, args["dept"]),
    )
    bad = [k for k in args["kind"] if k not in KINDS]
    if bad:
        raise UsageError(f"unknown kind {bad[0]!r}; choose from {', '.join(KINDS)}")
    filters.kinds = list(args["kind"])
    tasks = []
    for t in args["task"]:
        tasks.append(browse.national_task(conn, t)["id"])
    return filters, {"plans": filters.plans, "topics": filters.topics, "departments": filters.departments,
                     "kinds": filters.kinds, "tasks": tasks}


def search_page(conn, args: dict) -> Page:
    q = args["q"] or ""
    size, page_no = args["size"], args["page"]
    filters, resolved = _filters(conn, args)
    tasks = resolved["tasks"]
    want = max(FACET_CAP, page_no * size)
    result = None
    if q.strip():
        result = S.search(conn, q, filters, limit=None if tasks else want,
                          segment=not args["exact"], fuzzy=not args["exact"])
        hits = [h.as_dict() for h in result.hits]
        total = result.total
        if tasks:
            carried = set()
            for t in tasks:
                carried |= set(browse.task_measure_ids(conn, t))
            hits = [h for h in hits if h["id"] in carried]
            total = len(hits)
        terms = list(result.terms)
        mode = result.mode
        listing = False
    elif any(resolved[k] for k in ("plans", "topics", "departments", "tasks")):
        hits, total = browse.list_measures(conn, plans=filters.plans, topics=filters.topics,
                                           departments=filters.departments, tasks=tasks, limit=want)
        if filters.kinds and "measure" not in filters.kinds:
            hits, total = [], 0
        terms, mode, listing = [], "list", True
    else:
        hits, total, terms, mode, listing = [], 0, [], "empty", False
    facet_counts = browse.facets(conn, hits) if hits else {"plan": [], "kind": [], "topic": [], "department": []}
    start = (page_no - 1) * size
    shown = hits[start:start + size]
    pages = max(1, min(MAX_PAGE, -(-total // size)))
    data = {
        "mode": mode,
        "terms": terms,
        "total": total,
        "suggestions": list(getattr(result, "suggestions", []) or []),
        "note": getattr(result, "note", "") or "",
        "page": page_no,
        "page_size": size,
        "pages": pages,
        "facets": facet_counts,
        "facets_over": len(hits),
        "hits": shown,
    }
    if result is not None:
        # anything else the engine says about its answer, as it says it
        extra = {k: v for k, v in result.as_dict().items() if k not in data and k not in ("query", "hits")}
        data.update(extra)
    rendered = [_render_hit(h, terms) for h in shown]
    query = {"q": q, **resolved, "exact": args["exact"], "page": page_no, "size": size}
    title = f"检索：{q}" if q.strip() else ("按条件列出" if listing else "检索")
    return Page("search", "cz_search.html", title, data, query=query, csv=(COLUMNS, shown),
                context={"rendered": rendered, "listing": listing, "args": args, "folded": _folded(q, terms)})


def _folded(q: str, terms: list[str]) -> bool:
    """Whether the engine searched for other characters than those typed
    (traditional folded to simplified, full-width to half-width…)."""
    typed = "".join(ch for ch in q if ch.isalnum())
    return bool(terms) and "".join(terms) != typed.lower()


def _render_hit(h: dict, terms: list[str]) -> dict:
    from chengzhen.query.catalog import lead_phrase

    text = h.get("text") or ""
    title = h.get("title") or ""
    as_written = bool(title) and h.get("title_as_written", True)
    if not title and text:
        title = lead_phrase(text)
    number = h.get("number") or ""
    if number and title.startswith(number):
        number = ""
    spans = spans_of(text, terms)
    body, inside = snippet(text, spans)
    return {
        "hit": h,
        "number": number,
        "title_as_written": as_written,
        "title_html": highlight(title, spans_of(title, terms)),
        "snippet_html": highlight(body, inside),
        "path_html": highlight(h.get("path") or "", spans_of(h.get("path") or "", terms)),
    }


def _args(request) -> dict:
    return {
        "q": request.args.get("q", ""),
        "plan": multi(request, "plan"),
        "topic": multi(request, "topic"),
        "dept": multi(request, "dept"),
        "kind": multi(request, "kind"),
        "task": multi(request, "task"),
        "exact": bool(one(request, "exact")),
        "page": number(request, "page", 1, 1, MAX_PAGE),
        "size": number(request, "size", PAGE_SIZE, 1, MAX_SIZE),
    }


DIMENSIONS = [("plan", "plan", "方案"), ("topic", "topic", "主题"), ("department", "dept", "责任单位"),
              ("kind", "kind", "类型")]


def _params(args: dict) -> list[tuple[str, str]]:
    """The page's arguments as typed (without the page number), for links."""
    out: list[tuple[str, str]] = []
    if args["q"]:
        out.append(("q", args["q"]))
    for name in ("plan", "topic", "dept", "kind", "task"):
        out += [(name, v) for v in args[name]]
    if args["exact"]:
        out.append(("exact", "1"))
    if args["size"] != PAGE_SIZE:
        out.append(("size", str(args["size"])))
    return out


def _links(datasette, page: Page, args: dict) -> None:
    """Facet and filter links: each adds or removes one filter."""
    from chengzhen.web.page import KIND_LABELS, href

    params = _params(args)
    page.context["params"] = params
    facets = []
    for dim, arg, label in DIMENSIONS:
        entries = []
        for f in page.data["facets"].get(dim, []):
            value = str(f["value"])
            active = value in args[arg]
            changed = [kv for kv in params if kv != (arg, value)] if active else params + [(arg, value)]
            shown = KIND_LABELS.get(value, value) if dim == "kind" else f["label"]
            entries.append({"label": shown, "count": f["count"], "active": active,
                            "url": href(datasette, "/search", changed)})
        facets.append({"dim": dim, "label": label, "entries": entries})
    page.context["facet_links"] = facets
    chips = []
    for dim, arg, label in DIMENSIONS + [("task", "task", "国家任务")]:
        for value in args[arg]:
            shown = KIND_LABELS.get(value, value) if dim == "kind" else value
            chips.append({"label": label, "value": shown,
                          "url": href(datasette, "/search", [kv for kv in params if kv != (arg, value)])})
    page.context["chips"] = chips
    page.context["hidden"] = [kv for kv in params if kv[0] != "q"]


async def build(request, datasette, fmt):
    args = _args(request)
    page = await run(datasette, lambda conn: search_page(conn, args))
    _links(datasette, page, args)
    return page


view = page_view(build)
