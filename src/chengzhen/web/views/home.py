"""The home page: the plans, the national plan's tasks (how many plans
carry each, as `cz tasks` counts them), the topics, a search box
(``answers/catalog.py:home``)."""

from __future__ import annotations

from chengzhen.answers.catalog import home, topic_tree
from chengzhen.web.page import Page, page_view, run


def home_page(conn) -> Page:
    ans = home(conn)
    data = {"plans": ans.records, **ans.blocks}
    return Page("home", "cz_home.html", "新型城镇化规划知识库", data, answer=ans, csv=True,
                context={"topic_tree": topic_tree(ans.blocks["topics"]), "n_plans": len(ans.records)})


ROUTE = r"^/(\.(?P<format>json|csv))?$"


async def build(request, datasette, fmt):
    return await run(datasette, home_page)


view = page_view(build)


def examples(conn) -> list[str]:
    return ["/"]
