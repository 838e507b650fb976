"""Search: the same engine and the same answers as `cz search`
(``query.search.search`` with the command's settings; ``exact=1`` is
``--exact``; ``answers/search.py``), ranked, with highlighted snippets, facets by plan, topic,
department and kind, and pages of results.

Without words but with filters (a plan, a topic, a department, a kind, a
national task) the page lists the units those filters select
(as `cz search --topic …` or `cz search --task …` does).

The page shows what the result holds and how the engine labels it: hits
(exact, segmented, or the units of an entity the query names that name it
themselves, each labelled), and apart from them, never counted: the
entity's other units (related; the first page's worth, with their total),
and what is offered instead when nothing is a hit — "did you mean"
suggestions (links to search for them, never results for what was typed)
and related units.  Facets count hits only.
"""

from __future__ import annotations

from chengzhen.answers import search as A
from chengzhen.answers.present import ENTITY_LABELS, HOW_LABELS, KIND_LABELS, lead_phrase, snippet
from chengzhen.query import tasks as T
from chengzhen.web.errors import out_of_range
from chengzhen.web.page import Page, highlight, href, multi, number, one, page_view, run, spans_of
from chengzhen.web.views import links

ROUTE = r"^/search(\.(?P<format>json|csv))?$"

PAGE_SIZE = 20
MAX_SIZE = 200
FACET_CAP = 1000  # facets count the first this many hits
MAX_PAGE = 500

COLUMNS = A.COLUMNS  # the columns of `cz search -f csv`: one list


def search_page(conn, args: dict) -> Page:
    q = args["q"] or ""
    size, page_no = args["size"], args["page"]
    ask = A.SearchAsk(q, plans=args["plan"], topics=args["topic"], depts=args["dept"], kinds=args["kind"],
                      tasks=args["task"], limit=max(FACET_CAP, min(page_no, MAX_PAGE) * size), exact=args["exact"],
                      fuzzy=args["fuzzy"], raw=args["raw"], expand=args["expand"])
    whole = A.answer(conn, ask, allow_empty=True)
    total = whole.count_total()
    pages = max(1, min(MAX_PAGE, -(-total // size)))
    if page_no > pages:  # past the last page: say so, link back (web/errors.py)
        raise out_of_range(page_no, pages, total, "/search", _params(args))
    start = (page_no - 1) * size
    ans = A.page_of(whole, start, size)
    ans.query = {**whole.query, "limit": size}
    hits = list(whole.records)
    view = {"page": page_no, "page_size": size, "pages": pages,
            "facets": A.facets(conn, hits), "facets_over": len(hits)}
    b = ans.blocks  # the first related units only: offered, not paged (related_total says how many there are)
    data = {**b, "total": total, "notes": whole.notes, "hits": ans.records, **view}
    breakdown = []
    for kind, n in b["matches"].items():
        if kind == "exact":
            breakdown.append(f"含“{'”和“'.join(b['terms'])}”的 {n} 处")
        elif kind == "segmented":
            breakdown.append(f"分词命中 {n} 处")
        elif kind in ENTITY_LABELS:
            breakdown.append(f"{ENTITY_LABELS[kind]}的{'目标' if kind == 'indicator' else '条目'} {n} 处")
    marks = A.hit_marks(whole)
    rendered = [_render(h, marks) for h in ans.records]
    rendered_related = [_render(h, A.row_marks(h, marks)) for h in b["related"]]
    rendered_suggested = [_render(h, marks + b["did_you_mean"][:1]) for h in b.get("suggested") or []]
    title = f"检索：{q}" if q.strip() else ("按条件列出" if b["mode"] != "empty" else "检索")
    return Page("search", "cz_search.html", title, data, answer=ans, view=view, csv=True,
                context={"rendered": rendered, "related": rendered_related, "suggested": rendered_suggested,
                         "args": args, "breakdown": breakdown,
                         "folded": _folded(q, b["terms"]), "task_names": _task_names(conn, args["task"]),
                         "plan_names": _plan_names(conn, args["plan"]), "description": _describe(q, total, b)})


def _describe(q: str, total: int, b: dict) -> str:
    if not q.strip():
        return "按条件列出新型城镇化规划的条目。"
    if total:
        return f"在新型城镇化规划中检索“{q}”：{total} 处命中，每条链接到原文。"
    return f"在新型城镇化规划中检索“{q}”：没有找到。"


def _plan_names(conn, words: list[str]) -> dict[str, str]:
    """Each plan argument as a reader names it (青海, not qinghai)."""
    if not words:
        return {}
    from chengzhen.query.catalog import list_plans
    from chengzhen.query.resolve import resolve_plans

    names = {p["id"]: p["short_name"] for p in list_plans(conn)}
    out = {}
    for w in words:
        try:
            out[w] = "、".join(names.get(i, i) for i in resolve_plans(conn, [w]))
        except Exception:  # an unknown plan is the page's error, raised by the search itself
            out[w] = w
    return out


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
    body, inside = snippet(text, spans)
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
        "fuzzy": bool(one(request, "fuzzy")),
        "raw": bool(one(request, "raw")),
        "expand": bool(one(request, "expand")),
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
    for flag in ("exact", "fuzzy", "raw", "expand"):
        if args[flag]:
            out.append((flag, "1"))
    if args["size"] != PAGE_SIZE:
        out.append(("size", str(args["size"])))
    return out


def entity_url(datasette, ent: dict) -> str:
    """The page that shows everything about an entity a query named (what
    `cz search` points to: cz depts, cz show PLAN, --topic, cz targets
    --indicator, cz tasks)."""
    kind, name = ent["kind"], ent["name"]
    if kind == "department":
        return links.department(datasette, name)
    if kind == "plan":
        return links.plan(datasette, ent["keys"][0] if ent.get("keys") else name)
    if kind == "topic":
        return links.topic(datasette, name)
    if kind == "indicator":
        return links.indicator(datasette, name)
    return links.task(datasette, ent["keys"][0])


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
    plan_names = page.context.get("plan_names", {})
    for dim, arg, label in DIMENSIONS + [("task", "task", "国家任务")]:
        for value in args[arg]:
            shown = KIND_LABELS.get(value, value) if dim == "kind" else value
            if dim == "task":
                shown = names.get(value, value)
            elif dim == "plan":
                shown = plan_names.get(value, value)
            chips.append({"label": label, "value": shown,
                          "url": href(datasette, "/search", [kv for kv in params if kv != (arg, value)])})
    page.context["chips"] = chips
    page.context["hidden"] = [kv for kv in params if kv[0] != "q"]
    # an entity's other units counted as hits: `cz search --expand`
    page.context["expand_url"] = None if args["expand"] else href(datasette, "/search", params + [("expand", "1")])
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


def examples(conn) -> list[str]:
    """A word the most plans hold, a miss, a list by the first plan, and a
    topic's name (its other units related, apart)."""
    from urllib.parse import quote

    from chengzhen.query.browse import frequent_word, most_used, plan_ids

    word = frequent_word(conn)
    plans = plan_ids(conn)
    out = [f"/search?q={quote(word)}"] if word else []
    out += ["/search", "/search?q=" + quote("城中材")]
    if plans:
        out.append(f"/search?plan={plans[0]}")
    # a topic's name: the units holding it are hits, its other units related, apart
    topic = most_used(conn, "topic", by="rows")
    if topic:
        out.append("/search?q=" + quote(topic))
    return out
