"""A plan: its catalogue data and its outline as a tree, every measure
linked (``answers/show.py:plan_page``, as `cz show PLAN`).  A plan named
otherwise than by its id (青海, 青海省) is redirected to its id's URL, so
links stay stable."""

from __future__ import annotations

from urllib.parse import unquote

from chengzhen.answers.show import plan_page as answer
from chengzhen.query.resolve import resolve_plans
from chengzhen.web.page import Page, page_view, plan_url, run

ROUTE = r"^/plan/(?P<id>[^/?#]+?)(\.(?P<format>json))?$"


def plan_page(conn, pid: str) -> Page:
    from chengzhen.answers.show import citation_record

    ans = answer(conn, pid)
    _kind, data = ans.data
    p = data["plan"]
    st = ans.blocks["stats"]
    desc = (f"{p['name']}（{p.get('issuer') or p['region']}{('，' + p['doc_number']) if p.get('doc_number') else ''}，"
            f"{p['period_start']}—{p['period_end']}）：{st['units']} 个条目、{st['targets']} 项量化目标的目录与全文。")
    return Page("plan", "cz_plan.html", f"{p['short_name']} · {p['name']}", {**data, **ans.blocks}, answer=ans,
                context={"citation": citation_record(conn, pid, None), "description": desc})


async def build(request, datasette, fmt):
    from datasette.utils.asgi import Response

    word = unquote(request.url_vars["id"]).strip()

    def make(conn):
        pid = resolve_plans(conn, [word])[0]
        if pid != word:
            return pid
        return plan_page(conn, pid)

    got = await run(datasette, make)
    if isinstance(got, str):
        suffix = f".{request.url_vars['format']}" if request.url_vars.get("format") else ""
        return Response.redirect(plan_url(datasette, got) + suffix, status=302)
    return got


view = page_view(build)


def examples(conn) -> list[str]:
    """Every plan."""
    from chengzhen.query.browse import plan_ids

    return [f"/plan/{pid}" for pid in plan_ids(conn)]
