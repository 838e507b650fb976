"""Coverage: who covers what, and who is silent — plans × topics (as
`cz matrix`), plans × national tasks (as `cz matrix --by task`: a group
counts the measures carrying it or any of its tasks, once), or plans ×
terms the reader types (as `cz coverage`: the units whose own text
mentions the term) — the command's own answer (``answers/coverage.py:grid``),
its JSON and CSV the command's; the grid (``grid_rows``) is the page's view.  Every zero is shown; a
plan whose source is abridged is flagged (a zero may be a cut)."""

from __future__ import annotations

from chengzhen.answers.coverage import grid, grid_rows
from chengzhen.query.browse import plan_ids
from chengzhen.query.items import plan_info
from chengzhen.web.page import Page, multi, one, page_view, run

ROUTE = r"^/coverage(\.(?P<format>json|csv))?$"

TITLES = {"topic": "覆盖：方案 × 主题", "task": "覆盖：方案 × 国家任务", "term": "覆盖：方案 × 检索词"}


def coverage_page(conn, args: dict) -> Page:
    ans = grid(conn, args["by"], args["level"], args["plan"], args["term"])
    by = ans.query["by"] if ans.name == "matrix" else "term"
    level = ans.query.get("level") or "all"
    head, rows = grid_rows(conn, ans)
    data = {"by": by, "plans": head, "rows": rows}
    if by == "term":
        data["complete"] = ans.blocks["complete"]
    return Page("coverage", "cz_coverage.html", TITLES[by], data, answer=ans, csv=True,
                view={"by": by, "plans": head, "rows": rows},
                context={"args": args, "by": by, "level": level, "terms_text": "\n".join(args["term"]),
                         "plans_all": plan_info(conn, plan_ids(conn))})


def _args(request) -> dict:
    return {"by": one(request, "by"), "level": one(request, "level"), "plan": multi(request, "plan"),
            "term": multi(request, "term")}


async def build(request, datasette, fmt):
    args = _args(request)
    return await run(datasette, lambda conn: coverage_page(conn, args))


view = page_view(build)


def examples(conn) -> list[str]:
    return ["/coverage", "/coverage?by=task", "/coverage?by=term&term=" + __import__("urllib.parse").parse.quote("城中村")]
