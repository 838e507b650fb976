"""The home page: the plans, the national plan's tasks (how many plans
carry each, as `cz tasks` counts them), the topics, a search box."""

from __future__ import annotations

from chengzhen.query import catalog
from chengzhen.query import tasks as T
from chengzhen.web.page import Page, page_view, run

ROUTE = r"^/(\.(?P<format>json))?$"


def home_page(conn) -> Page:
    plans = catalog.list_plans(conn)
    topics = catalog.list_topics(conn)
    cov = T.coverage(conn)
    national = [{k: r[k] for k in ("id", "type", "group", "kind", "number", "title", "leaf", "carried_by")}
                for r in cov["rows"]]
    totals = {"plans": len(plans), "measures": sum(p["measures"] for p in plans),
              "targets": sum(p["targets"] for p in plans)}
    tree: list[dict] = []
    for t in topics:
        if t["parent"] is None:
            tree.append({**t, "children": []})
        elif tree and tree[-1]["name"] == t["parent"]:
            tree[-1]["children"].append(t)
        else:
            parent = next((x for x in tree if x["name"] == t["parent"]), None)
            (parent["children"] if parent else tree).append(t)
    data = {"totals": totals, "plans": plans, "topics": topics, "national_tasks": national}
    return Page("home", "cz_home.html", "新型城镇化规划知识库", data,
                context={"topic_tree": tree, "n_plans": len(plans)})


async def build(request, datasette, fmt):
    return await run(datasette, home_page)


view = page_view(build)
