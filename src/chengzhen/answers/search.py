"""Search as one answer: the words and filters asked, run through the
search engine (``query.search``), and its result as records — the hits,
ranked — with what is offered apart from them (did-you-mean, the units of
a suggestion, related units), labelled and never counted.

Every use of ``query.search``'s result (its Hit and SearchResult fields)
is in this module, so a change of the engine's result touches one place.
"""

from __future__ import annotations

from chengzhen.answers.answer import Answer
from chengzhen.errors import UsageError

# the columns of every search row (cz search -f csv, /search.csv)
COLUMNS = ["rank", "hit", "match", "via", "kind", "id", "item", "plan", "plan_name", "number", "title", "path",
           "line", "in_title", "score", "tasks", "text"]


class SearchAsk:
    """What a search asks, as typed (names are resolved by :func:`answer`)."""

    __slots__ = ("q", "plans", "topics", "depts", "kinds", "tasks", "limit", "exact", "fuzzy", "raw", "group_by",
                 "expand")

    def __init__(self, q: str = "", *, plans=None, topics=None, depts=None, kinds=None, tasks=None,
                 limit: int | None = None, exact: bool = False, fuzzy: bool = False, raw: bool = False,
                 group_by: str | None = None, expand: bool = False):
        self.q = q or ""
        self.plans, self.topics, self.depts = list(plans or []), list(topics or []), list(depts or [])
        self.kinds, self.tasks = list(kinds or []), list(tasks or [])
        self.limit, self.exact, self.fuzzy, self.raw, self.group_by = limit, exact, fuzzy, raw, group_by
        self.expand = expand  # an entity the query names: all its units are hits (else only those naming it)


def check(ask: SearchAsk) -> None:
    """The arguments that need no database: kinds, limit, --group-by."""
    from chengzhen.answers import args

    ask.kinds = args.kinds(ask.kinds)
    args.limit(ask.limit)
    args.choice("group_by", ask.group_by, args.GROUP_BY)


def resolve(conn, ask: SearchAsk):
    """(Filters, the national task ids asked) with every name resolved."""
    from chengzhen.query import search as S
    from chengzhen.query.resolve import resolve_departments, resolve_plans, resolve_topics

    tasks: list[str] = []
    expanded: list[str] = []
    if ask.tasks:
        from chengzhen.query import tasks as T

        tasks = T.resolve_tasks(conn, ask.tasks)
        expanded = T.expand(conn, tasks)
    filters = S.Filters(plans=resolve_plans(conn, ask.plans), topics=resolve_topics(conn, ask.topics),
                        departments=resolve_departments(conn, ask.depts), kinds=ask.kinds, tasks=expanded)
    return filters, tasks


def echo(ask: SearchAsk, filters, tasks: list[str], q: str | None = None) -> dict:
    """The query as resolved (the envelope's ``query``)."""
    return {"q": ask.q if q is None else q, "plans": filters.plans, "topics": filters.topics,
            "departments": filters.departments, "kinds": filters.kinds, "tasks": tasks,
            "limit": ask.limit or None, "exact": ask.exact, "fuzzy": ask.fuzzy, "raw": ask.raw,
            "group_by": ask.group_by, "expand": ask.expand}


def run(conn, text: str, filters, ask: SearchAsk, *, allow_empty: bool = False):
    """The engine's result for ``text`` under ``filters`` (``--exact``: text
    hits only); None for no words and no filter when ``allow_empty``."""
    from chengzhen.query import search as S

    limit = ask.limit or None
    if not text.strip():
        if not S.filters_active(filters) or ask.raw:
            if allow_empty:
                return None
            raise UsageError("empty query: give one or more words to search for, or a filter to list "
                             "(--plan, --topic, --dept, --kind, --task)")
        return S.list_units(conn, filters, limit=limit, group_by=ask.group_by)
    if ask.raw:
        return S.raw_search(conn, text, filters, limit=limit)
    if ask.exact:
        return S.search(conn, text, filters, limit=limit, segment=False, entities=False, suggest=False,
                        related=False, group_by=ask.group_by)
    return S.search(conn, text, filters, limit=limit, fuzzy=ask.fuzzy, group_by=ask.group_by, expand=ask.expand)


def answer(conn, ask: SearchAsk, *, allow_empty: bool = False) -> Answer:
    """`cz search` and the search page: check, resolve, run, answer."""
    check(ask)
    filters, tasks = resolve(conn, ask)
    result = run(conn, ask.q, filters, ask, allow_empty=allow_empty)
    return from_result(result, echo(ask, filters, tasks), fuzzy=ask.fuzzy)


# --------------------------------------------------------------------------- the result as an answer

def entity_command(ent: dict) -> str:
    """The command that shows everything about an entity a query named."""
    kind, name = ent["kind"], ent["name"]
    if kind == "department":
        return f"cz depts {name}"
    if kind == "plan":
        return f"cz show {name}"
    if kind == "topic":
        return f"cz search --topic {name}"
    if kind == "indicator":
        return f"cz targets --indicator {name}"
    return f"cz tasks {ent['keys'][0]}"


def rows_of(result, start: int = 1) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(hits, suggested, related, did-you-mean rows), each with its rank:
    one numbering for every format."""
    n = start - 1

    def ranked(hits) -> list[dict]:
        nonlocal n
        out = [h.record(k) for k, h in enumerate(hits, n + 1)]
        n += len(out)
        return out

    hits, suggested, related = ranked(result.hits), ranked(result.suggested), ranked(result.related)
    dym = []
    for word in result.suggestions:
        n += 1
        dym.append({"rank": n, "hit": False, "match": "did_you_mean", "via": result.suggestion_kind or None,
                    "kind": "suggestion", "id": None, "item": None, "plan": None, "plan_name": None, "number": None,
                    "title": word, "path": None, "line": None, "in_title": None, "score": None, "tasks": [],
                    "text": word})
    return hits, suggested, related, dym


def from_result(result, query: dict, *, fuzzy: bool = False) -> Answer:
    """The engine's result as the search answer.  ``result`` None: nothing
    was asked (an empty search form)."""
    if result is None:
        return Answer("search", [], COLUMNS, query=query, total=0,
                      blocks={"mode": "empty", "terms": [], "matches": {}, "entities": [], "segments": [],
                              "did_you_mean": [], "suggestion_kind": None, "related": [],
                              "related_total": 0, "related_counts": {}, "expanded": False},
                      ids=[], found=False, data=None)
    hits, suggested, related, dym = rows_of(result)
    blocks: dict = {"mode": result.mode, "terms": list(result.terms), "matches": dict(result.counts)}
    if result.normalized and result.normalized != result.query.strip():
        blocks["normalized"] = result.normalized
    blocks["entities"] = [{**d, "see": entity_command(d)} for d in (e.as_dict() for e in result.entities)]
    blocks["segments"] = list(result.segments)
    blocks["did_you_mean"] = list(result.suggestions)
    blocks["suggestion_kind"] = result.suggestion_kind or None
    if fuzzy:
        blocks["suggested"] = suggested
    blocks["related"] = related
    # every related unit, however many are listed, and how many per entity kind
    blocks["related_total"] = result.related_total
    blocks["related_counts"] = dict(result.related_counts)
    blocks["expanded"] = bool(result.expanded)
    if result.groups is not None:
        blocks["groups"] = result.groups
    ids = [r["id"] for r in hits] + ([r["id"] for r in suggested] if fuzzy else [])
    return Answer("search", hits, COLUMNS, query=query, total=result.total, notes=list(result.notes),
                  blocks=blocks, rows=[*hits, *suggested, *related, *dym], ids=ids,
                  found=bool(result.hits or result.total), data=result)


def page_of(ans: Answer, start: int, size: int) -> Answer:
    """The answer cut to one page of hits (records ``start`` to
    ``start + size``): the web's pages.  The units offered apart are not
    paged: the first ``size`` related units, numbered after the page's hits
    (as `cz search --limit SIZE` numbers them); on the first page the rows
    offered (suggested, related, did-you-mean) follow the hits, as
    `cz search -f csv` gives them."""
    records = list(ans.records)[start:start + size]
    blocks = ans.blocks
    related = list(blocks.get("related") or [])
    shown = related[:size]
    if records and shown:
        first = start + len(records)
        shown = [{**r, "rank": first + n} for n, r in enumerate(shown, 1)]
    if shown != related:
        blocks = {**blocks, "related": shown}
    rows = list(records)
    if start == 0:
        apart = {id(r) for r in related}
        offered = [r for r in ans.line_rows() if not r["hit"] and id(r) not in apart]
        rows += [r for r in offered if r["match"] != "did_you_mean"] + shown + \
            [r for r in offered if r["match"] == "did_you_mean"]
    return Answer(ans.name, records, ans.columns, query=ans.query, total=ans.total, blocks=blocks,
                  notes=ans.notes, rows=rows, ids=[r["id"] for r in records], found=ans.found, data=ans.data)


# --------------------------------------------------------------------------- what the views draw

def hit_marks(ans: Answer) -> list[str]:
    """The strings a view highlights in the hits: the terms and segments."""
    return list(ans.blocks.get("terms") or []) + list(ans.blocks.get("segments") or [])


def row_marks(row: dict, marks: list[str]) -> list[str]:
    """What to highlight in one row: a related unit adds the words it shares."""
    return list(marks) + ((row.get("via") or "").split() if row.get("match") == "related" else [])


def facets(conn, hits: list[dict]) -> dict[str, list[dict]]:
    """Counts of ``hits`` by plan, kind, topic and department (the last two
    through the measure a hit belongs to), largest first; plans in
    catalogue order among equals.  (The search page's facets.)"""
    from collections import Counter

    from chengzhen.query.browse import measure_topics_and_departments, plan_ids

    plan_names: dict[str, str] = {}
    by_plan: Counter = Counter()
    by_kind: Counter = Counter()
    measure_hits: Counter = Counter()
    for h in hits:
        by_plan[h["plan"]] += 1
        plan_names[h["plan"]] = h.get("plan_name") or h["plan"]
        by_kind[h["kind"]] += 1
        if h["kind"] in ("measure", "target"):
            measure_hits[h["id"]] += 1
    by_topic: Counter = Counter()
    by_dept: Counter = Counter()
    topics, depts = measure_topics_and_departments(conn, list(measure_hits))
    for mid, topic in topics:
        by_topic[topic] += measure_hits[mid]
    for mid, dept in depts:
        by_dept[dept] += measure_hits[mid]
    order = {pid: n for n, pid in enumerate(plan_ids(conn))}

    def listed(counter: Counter, names: dict | None = None, key=None) -> list[dict]:
        items = sorted(counter.items(), key=key or (lambda kv: (-kv[1], kv[0])))
        return [{"value": v, "label": (names or {}).get(v, v), "count": n} for v, n in items]

    return {
        "plan": listed(by_plan, plan_names, key=lambda kv: (-kv[1], order.get(kv[0], 0))),
        "kind": listed(by_kind),
        "topic": listed(by_topic),
        "department": listed(by_dept),
    }
