"""Search: the same engine and the same answers as `cz search`
(``query.search.search`` with the command's settings; ``exact=1`` is
``--exact``), ranked, with highlighted snippets, facets by plan, topic,
department and kind, and pages of results.

Without words but with filters (a plan, a topic, a department, a kind, a
national task) the page lists the units those filters select
(``query.search.list_units``, as `cz search --topic …` does).

The page shows what the result holds and how the engine labels it: hits
(exact, segmented, or the units of an entity the query names, each
labelled), and apart from them what is offered instead when nothing is a
hit — "did you mean" suggestions (links to search for them, never results
for what was typed) and related units.  Facets count hits only.
"""

from __future__ import annotations

from chengzhen.errors import UsageError
from chengzhen.query import browse
from chengzhen.query import search as S
from chengzhen.query import tasks as T
from chengzhen.query.items import lead_phrase
from chengzhen.query.labels import ENTITY_LABELS, HOW_LABELS, KIND_LABELS
from chengzhen.query.resolve import resolve_departments, resolve_plans, resolve_topics
from chengzhen.store.kinds import KINDS
from chengzhen.web.errors import out_of_range
from chengzhen.web.page import Page, highlight, href, multi, number, one, page_view, run, spans_of

ROUTE = r"^/search(\.(?P<format>json|csv))?$"

PAGE_SIZE = 20
MAX_SIZE = 200
FACET_CAP = 1000  # facets count the first this many hits
MAX_PAGE = 500

# the columns of `cz search -f csv`
COLUMNS = ["rank", "hit", "match", "via", "kind", "id", "item", "plan", "plan_name", "number", "title", "path",
           "line", "in_title", "score", "tasks", "text"]


def _filters(conn, args: dict) -> tuple[S.Filters, list[str]]:
    kinds = list(args["kind"])
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise UsageError(f"unknown kind {bad[0]!r}; choose from {', '.join(KINDS)}")
    tasks = T.resolve_tasks(conn, args["task"]) if args["task"] else []
    filters = S.Filters(plans=resolve_plans(conn, args["plan"]), topics=resolve_topics(conn, args["topic"]),
                        departments=resolve_departments(conn, args["dept"]), kinds=kinds,
                        tasks=T.expand(conn, tasks) if tasks else [])
    return filters, tasks


def run_search(conn, q: str, filters: S.Filters, *, limit: int | None, exact: bool) -> S.SearchResult | None:
    """What `cz search` runs for these words and filters (None: neither)."""
    if q.strip():
        if exact:
            return S.search(conn, q, filters, limit=limit, segment=False, entities=False, suggest=False,
                            related=False)
        return S.search(conn, q, filters, limit=limit)
    if S.filters_active(filters):
        return S.list_units(conn, filters, limit=limit)
    return None


def search_page(conn, args: dict) -> Page:
    q = args["q"] or ""
    size, page_no = args["size"], args["page"]
    filters, tasks = _filters(conn, args)
    want = max(FACET_CAP, min(page_no, MAX_PAGE) * size)
    result = run_search(conn, q, filters, limit=want, exact=args["exact"])
    hits = [h.as_dict() for h in result.hits] if result else []
    for n, h in enumerate(hits, 1):
        h["rank"] = n
    related = [h.as_dict() for h in result.related] if result else []
    total = result.total if result else 0
    start = (page_no - 1) * size
    shown = hits[start:start + size]
    pages = max(1, min(MAX_PAGE, -(-total // size)))
    if page_no > pages:  # past the last page: say so, link back (web/errors.py)
        raise out_of_range(page_no, pages, total, "/search", _params(args))
    data = {
        "mode": result.mode if result else "empty",
        "terms": list(result.terms) if result else [],
        "normalized": result.normalized if result and result.normalized != q.strip() else None,
        "total": total,
        "matches": dict(result.counts) if result else {},
        "entities": [e.as_dict() for e in result.entities] if result else [],
        "segments": list(result.segments) if result else [],
        "did_you_mean": list(result.suggestions) if result else [],
        "suggestion_kind": (result.suggestion_kind or None) if result else None,
        "notes": list(result.notes) if result else [],
        "page": page_no,
        "page_size": size,
        "pages": pages,
        "facets": browse.facets(conn, hits),
        "facets_over": len(hits),
        "hits": shown,
        "related": related,
    }
    breakdown = []
    for kind, n in data["matches"].items():
        if kind == "exact":
            breakdown.append(f"含“{'”和“'.join(data['terms'])}”的 {n} 处")
        elif kind == "segmented":
            breakdown.append(f"分词命中 {n} 处")
        elif kind in ENTITY_LABELS:
            breakdown.append(f"{ENTITY_LABELS[kind]}的{'目标' if kind == 'indicator' else '条目'} {n} 处")
    marks = data["terms"] + data["segments"]
    rendered = [_render(h, marks) for h in shown]
    rendered_related = [_render(h, marks + (h["via"] or "").split()) for h in related]
    # the CSV: the page's hits; on a miss, what is offered instead (hit = 0), as `cz search -f csv` gives it
    rows = list(shown)
    if not hits and page_no == 1:
        rows += [{"rank": n, **h} for n, h in enumerate(related, 1)]
        rows += [{"rank": len(related) + n, "hit": False, "match": "did_you_mean", "via": data["suggestion_kind"],
                  "kind": "suggestion", "title": w, "text": w} for n, w in enumerate(data["did_you_mean"], 1)]
    query = {"q": q, "plans": filters.plans, "topics": filters.topics, "departments": filters.departments,
             "kinds": filters.kinds, "tasks": tasks, "exact": args["exact"], "page": page_no, "size": size}
    title = f"检索：{q}" if q.strip() else ("按条件列出" if result else "检索")
    return Page("search", "cz_search.html", title, data, query=query, csv=(COLUMNS, rows),
                context={"rendered": rendered, "related": rendered_related, "args": args, "breakdown": breakdown,
                         "folded": _folded(q, data["terms"]), "task_names": _task_names(conn, args["task"])})


def _task_names(conn, words: list[str]) -> dict[str, str]:
    """Each national task argument as a reader names it: (四)保障随迁子女…"""
    if not words:
        return {}
    labels = {n["id"]: T.label(n) for n in T.nodes(conn)}
    return {w: "、".join(labels[i] for i in T.resolve_tasks(conn, [w])) for w in words}


def _folded(q: str, terms: list[str]) -> bool:
    """Whether the engine searched for other characters than those typed
    (traditional folded to simplified, full-width to half-width…)."""
    typed = "".join(ch for ch in q if ch.isalnum())
    return bool(terms) and "".join(terms) != typed.lower()


def _render(h: dict, marks: list[str]) -> dict:
    text = h.get("text") or ""
    title = h.get("title") or ""
    as_written = bool(title)
    if not title and text:
        title = lead_phrase(text)
    num = h.get("number") or ""
    if num and title.startswith(num):
        num = ""
    spans = spans_of(text, marks)
    body, inside = S.snippet(text, spans)
    return {
        "hit": h,
        "number": num,
        "title_as_written": as_written,
        "title_html": highlight(title, spans_of(title, marks)),
        "snippet_html": highlight(body, inside),
        "path_html": highlight(h.get("path") or "", spans_of(h.get("path") or "", marks)),
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
        "page": number(request, "page", 1, 1, 10**9),  # past the last page: an error that links back
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


def entity_url(datasette, ent: dict) -> str:
    """The page that shows everything about an entity a query named (what
    `cz search` points to: cz depts, cz show PLAN, --topic, cz targets
    --indicator, cz tasks)."""
    kind, name = ent["kind"], ent["name"]
    if kind == "department":
        return href(datasette, "/search", {"dept": name})
    if kind == "plan":
        return href(datasette, "/plan/" + name)
    if kind == "topic":
        return href(datasette, "/search", {"topic": name})
    if kind == "indicator":
        return href(datasette, "/targets", {"indicator": name})
    return href(datasette, "/compare", {"task": ent["keys"][0]})


def _links(datasette, page: Page, args: dict) -> None:
    """Facet and filter links (each adds or removes one filter); where an
    entity a query names is shown in full."""
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
    names = page.context.get("task_names", {})
    for dim, arg, label in DIMENSIONS + [("task", "task", "国家任务")]:
        for value in args[arg]:
            shown = KIND_LABELS.get(value, value) if dim == "kind" else value
            if dim == "task":
                shown = names.get(value, value)
            chips.append({"label": label, "value": shown,
                          "url": href(datasette, "/search", [kv for kv in params if kv != (arg, value)])})
    page.context["chips"] = chips
    page.context["hidden"] = [kv for kv in params if kv[0] != "q"]
    page.context["suggestions"] = [
        {"word": w, "url": href(datasette, "/search", [kv for kv in params if kv[0] != "q"] + [("q", w)])}
        for w in page.data["did_you_mean"]]
    page.context["entities"] = [
        {**e, "label": ENTITY_LABELS.get(e["kind"], e["kind"]), "how_label": HOW_LABELS.get(e["how"], e["how"]),
         "url": entity_url(datasette, e)} for e in page.data["entities"]]


async def build(request, datasette, fmt):
    args = _args(request)
    page = await run(datasette, lambda conn: search_page(conn, args))
    _links(datasette, page, args)
    return page


view = page_view(build)
