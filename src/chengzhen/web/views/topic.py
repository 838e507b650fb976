"""A topic (``/topic/住房保障``): the units the editors tagged with it, plan
by plan in source order — `cz search --topic 住房保障`'s answer
(``answers/search.py``, every unit, no words) — with its place in the
taxonomy (broader and narrower topics)."""

from __future__ import annotations

from chengzhen.answers import search as A
from chengzhen.answers.present import KIND_LABELS
from chengzhen.errors import UnknownName
from chengzhen.query.catalog import list_topics
from chengzhen.web.page import Page, page_view, run
from chengzhen.web.views.entity import label, missing_in_path, path_word, snippet

ROUTE = r"^/topic/(?P<name>[^/?#]+?)(\.(?P<format>json|csv))?$"


def topic_page(conn, name: str) -> Page:
    try:
        ans = A.answer(conn, A.SearchAsk("", topics=[name]))
    except UnknownName as exc:
        raise missing_in_path(exc) from None
    chosen = ans.query["topics"]
    every = list_topics(conn)
    info = {t["name"]: t for t in every}
    by_plan: list[dict] = []
    for h in ans.records:
        if not by_plan or by_plan[-1]["plan"] != h["plan"]:
            by_plan.append({"plan": h["plan"], "plan_name": h["plan_name"], "items": []})
        by_plan[-1]["items"].append({"hit": h, "label": label(h, h["id"]), "titled": bool(h.get("title")),
                                     "kind": KIND_LABELS.get(h["kind"], h["kind"]), "snippet": snippet(h.get("text"))})
    topics = [{**info.get(t, {"name": t, "parent": None, "measures": 0, "synonyms": []}),
               "children": [c["name"] for c in every if c["parent"] == t]} for t in chosen]
    shown = "、".join(chosen)
    desc = f"标注主题“{shown}”的 {ans.count_total()} 个条目，分属 {len(by_plan)} 部规划，按原文顺序。"
    return Page("topic", "cz_topic.html", f"主题：{shown}", {"topics": topics}, answer=ans, csv=True,
                context={"by_plan": by_plan, "topics": topics, "description": desc,
                         "plans": [g["plan"] for g in by_plan]})


async def build(request, datasette, fmt):
    name = path_word(request)
    return await run(datasette, lambda conn: topic_page(conn, name))


view = page_view(build)


def examples(conn) -> list[str]:
    """The topic the most plans carry."""
    from urllib.parse import quote

    from chengzhen.query.browse import most_used

    topic = most_used(conn, "topic")
    return [f"/topic/{quote(topic, safe='')}"] if topic else []
