"""A department (``/dept/省教育厅``): its measures across plans, in each
plan's source order, as `cz depts 省教育厅` answers (``answers/depts.py``) —
where it stands in each 责任单位 clause (牵头 only where the source writes
it; 首列 only that it is listed first), the name as the clause writes it."""

from __future__ import annotations

from chengzhen.answers.depts import depts
from chengzhen.errors import UnknownName
from chengzhen.query.document import measure_heads
from chengzhen.web.page import Page, multi, page_view, run
from chengzhen.web.views.entity import label, missing_in_path, path_word, snippet

ROUTE = r"^/dept/(?P<name>[^/?#]+?)(\.(?P<format>json|csv))?$"


def department_page(conn, name: str, plans: list[str]) -> Page:
    try:
        ans = depts(conn, name, plans)
    except UnknownName as exc:
        raise missing_in_path(exc) from None
    names = ans.blocks["departments"]
    heads = measure_heads(conn, [r["measure_id"] for r in ans.records])
    by_plan: list[dict] = []
    for r in ans.records:
        if not by_plan or by_plan[-1]["plan"] != r["plan"]:
            by_plan.append({"plan": r["plan"], "plan_name": r["plan_name"], "items": []})
        h = heads.get(r["measure_id"])
        by_plan[-1]["items"].append({"row": r, "label": label(h, r["measure_id"]), "titled": bool(h and h["title"]),
                                     "snippet": snippet(h["text"] if h else "")})
    shown = "、".join(names)
    desc = f"{shown}在 {len(by_plan)} 部规划中列为责任单位的 {len(ans.records)} 个条目，按原文顺序。"
    return Page("department", "cz_department.html", f"责任单位：{shown}", {"departments": names}, answer=ans,
                csv=True, context={"by_plan": by_plan, "word": name, "description": desc})


async def build(request, datasette, fmt):
    name = path_word(request)
    plans = multi(request, "plan")
    return await run(datasette, lambda conn: department_page(conn, name, plans))


view = page_view(build)


def examples(conn) -> list[str]:
    """The department listed in the most measures."""
    from urllib.parse import quote

    from chengzhen.query.browse import most_used

    dept = most_used(conn, "department")
    return [f"/dept/{quote(dept, safe='')}"] if dept else []
