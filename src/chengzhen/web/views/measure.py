"""One measure, as `cz show ID` gives it (``query.catalog.get_measure``):
its text, 责任单位 in the source's order (牵头 only where the source writes
it; 首列 = listed first, nothing more), topics, targets (restatements once),
the national task(s) it carries; the copy-ready citation of `cz show ID
--cite` (``query.cite``); where it is in the source; and the measures of
other plans most like it (``query.compare.similar``, as `cz similar`)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote

from chengzhen.query import catalog, cite
from chengzhen.query import tasks as T
from chengzhen.query.compare import similar
from chengzhen.query.items import lead_phrase
from chengzhen.query.resolve import unknown
from chengzhen.web.page import Page, page_view, run, state

ROUTE = r"^/m/(?P<id>[^?#]+?)(\.(?P<format>json))?$"

SIMILAR_PER_PLAN = 2


def trail(conn, section_id: str | None) -> list[dict]:
    """The sections above a measure, outermost first (the page's breadcrumbs)."""
    out = []
    seen = set()
    while section_id and section_id not in seen:
        seen.add(section_id)
        s = catalog.get_section(conn, section_id)
        if s is None:
            break
        out.append({"id": s["id"], "number": s["number"], "title": s["title"]})
        section_id = s["parent_id"]
    return out[::-1]


def raw_source(conn, source: str, data: Path | None) -> list[str] | None:
    """The plan's source as the file writes it (for the citation's
    ``original``), read from the data directory — only when it is the very
    file this database was built from (same SHA-256): a server that ships
    the database alone, or a source edited since, gives none."""
    if data is None:
        return None
    want = cite.source_digest(conn, source)
    try:
        raw = (data / source).read_bytes()
    except OSError:
        return None
    if want is None or hashlib.sha256(raw).hexdigest() != want:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return [line.rstrip("\r") for line in text.split("\n")]


def measure_page(conn, mid: str, data_root: Path | None = None) -> Page:
    m = catalog.get_measure(conn, mid)
    if m is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM measures")]
        raise unknown("measure id", mid, ids)
    plan = catalog.get_plan(conn, m["plan_id"])
    nodes = {n["id"]: n for n in T.nodes(conn)}
    for t in m["tasks"]:
        node = nodes.get(t["id"])
        group = nodes.get(node["group"]) if node and node["group"] else None
        t["group"] = {"id": group["id"], "number": group["number"], "title": group["title"]} if group else None
    target = cite.cite_target(conn, mid)
    citation = cite.citation(target, raw_source(conn, plan["source"], data_root),
                             cite.recorded_repairs(conn, plan["id"]))
    sim = similar(conn, mid, SIMILAR_PER_PLAN)
    order = [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]
    # the best few of every other plan, in catalogue order: no plan drops out
    flat = [x for p in order for x in sim["by_plan"].get(p, [])]
    data = {"measure": m, "plan": plan, "sections": trail(conn, m["section_id"]), "citation": citation,
            "similar": flat}
    label = f"{m['number'] or ''}{m['title'] or lead_phrase(m['text'])}"
    return Page("measure", "cz_measure.html", f"{plan['short_name']} · {label}", data, query={"id": mid},
                context={"label": label})


async def build(request, datasette, fmt):
    mid = unquote(request.url_vars["id"]).strip()
    root = state(datasette).data
    return await run(datasette, lambda conn: measure_page(conn, mid, root))


view = page_view(build)
