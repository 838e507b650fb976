"""The catalogue's answers: the plans (`cz plans`), per-plan statistics
(`cz stats`), the topic taxonomy (`cz topics`)."""

from __future__ import annotations

from chengzhen.answers.answer import Answer
from chengzhen.query.catalog import PLAN_COLUMNS  # the records' keys, declared with them

STATS_COLUMNS = ["plan", "short_name", "sections", "units", "measures", "targets", "departments", "topics",
                 "topics_total", "annex_rows", "characters"]
TOPIC_COLUMNS = ["name", "parent", "measures", "synonyms"]


def plans(conn) -> Answer:
    from chengzhen.query.catalog import list_plans

    rows = list_plans(conn)
    return Answer("plans", rows, PLAN_COLUMNS, query={}, id_key="id")


def stats(conn, plan_words: list[str] | None = None) -> Answer:
    from chengzhen.query.catalog import plan_stats
    from chengzhen.query.resolve import resolve_plans

    chosen = resolve_plans(conn, plan_words)
    rows = plan_stats(conn, chosen)
    return Answer("stats", rows, STATS_COLUMNS, query={"plans": chosen}, id_key="plan")


def topics(conn) -> Answer:
    from chengzhen.query.catalog import list_topics

    rows = list_topics(conn)
    return Answer("topics", rows, TOPIC_COLUMNS, query={}, id_key="name")


def topic_tree(rows: list[dict]) -> list[dict]:
    """The topics as a tree: each top topic with its ``children``."""
    tree: list[dict] = []
    for t in rows:
        if t["parent"] is None:
            tree.append({**t, "children": []})
        elif tree and tree[-1]["name"] == t["parent"]:
            tree[-1]["children"].append(t)
        else:
            parent = next((x for x in tree if x["name"] == t["parent"]), None)
            (parent["children"] if parent else tree).append(t)
    return tree


def home(conn) -> Answer:
    """The home page's answer: the plans with totals, the topics, and how
    many plans carry each national task (as `cz tasks` counts them)."""
    from chengzhen.query import tasks as T
    from chengzhen.query.catalog import list_plans, list_topics

    rows = list_plans(conn)
    topic_rows = list_topics(conn)
    cov = T.coverage(conn)
    national = [{k: r[k] for k in ("id", "type", "group", "kind", "number", "title", "leaf", "carried_by")}
                for r in cov["rows"]]
    totals = {"plans": len(rows), "measures": sum(p["measures"] for p in rows),
              "targets": sum(p["targets"] for p in rows)}
    return Answer("home", rows, PLAN_COLUMNS, query={}, id_key="id",
                  blocks={"totals": totals, "topics": topic_rows, "national_tasks": national})
