"""One measure: its text, 责任单位, topics, targets, national task(s), a
copy-ready citation, where it is in the source, and the measures of other
plans most like it."""

from __future__ import annotations

from urllib.parse import unquote

from chengzhen.query import browse, catalog
from chengzhen.query.compare import similar
from chengzhen.query.resolve import unknown
from chengzhen.web.page import Page, page_view, run

ROUTE = r"^/m/(?P<id>[^?#]+?)(\.(?P<format>json))?$"

SIMILAR_PER_PLAN = 2


def _trail(conn, section_id: str | None) -> list[dict]:
    """The sections above a measure, outermost first."""
    trail = []
    seen = set()
    while section_id and section_id not in seen:
        seen.add(section_id)
        row = conn.execute("SELECT id, parent_id, number, title FROM sections WHERE id = ?", (section_id,)).fetchone()
        if row is None:
            break
        trail.append({"id": row[0], "number": row[2], "title": row[3]})
        section_id = row[1]
    return trail[::-1]


def measure_page(conn, mid: str) -> Page:
    m = catalog.get_measure(conn, mid)
    if m is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM measures")]
        raise unknown("measure id", mid, ids)
    plan = catalog.get_plan(conn, m["plan_id"])
    m["tasks"] = browse.tasks_of_measure(conn, mid)
    sim = similar(conn, mid, SIMILAR_PER_PLAN)
    cite = browse.citation(conn, mid)
    order = [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]
    by_plan = sim["by_plan"]
    # the best few of every other plan, in catalogue order: no plan drops out
    flat = [x for p in order for x in by_plan.get(p, [])]
    data = {"measure": m, "plan": plan, "sections": _trail(conn, m["section_id"]), "citation": cite,
            "similar": flat}
    label = f"{m['number'] or ''}{m['title'] or catalog.lead_phrase(m['text'])}"
    return Page("measure", "cz_measure.html", f"{plan['short_name']} · {label}", data, query={"id": mid},
                context={"label": label})


async def build(request, datasette, fmt):
    mid = unquote(request.url_vars["id"]).strip()
    return await run(datasette, lambda conn: measure_page(conn, mid))


view = page_view(build)
