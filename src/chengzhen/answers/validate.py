"""`cz validate`: one record per plan (how much of it was checked against
its source and found), and every problem of every file, grouped by file.
The CLI loads and audits (``kb``); this turns the audit's results into the
answer."""

from __future__ import annotations

from chengzhen.answers.answer import Answer

AUDIT_COLUMNS = ["plan", "sections", "measures", "targets", "departments", "checked", "verified", "not_found",
                 "verified_pct", "coverage_pct", "headings", "headings_found", "ok"]


def audit(results: list, groups: list[tuple[str, list]], only: list[str] | None = None) -> Answer:
    """``results``: each plan's audit; ``groups``: (file, problems) pairs,
    every problem of every file."""
    records = [{
        "plan": r.plan, "sections": r.sections, "measures": r.measures, "targets": r.targets,
        "departments": r.departments, "checked": r.checked, "verified": r.verified,
        "not_found": r.not_found, "verified_pct": round(r.verified_pct, 2),
        "coverage_pct": round(r.coverage_pct, 2), "headings": r.headings,
        "headings_found": r.headings_found, "ok": r.ok,
        "problems": [p.as_dict() for p in r.problems],
    } for r in results]
    problems = [p.as_dict() for _f, ps in groups for p in ps]
    return Answer("validate", records, AUDIT_COLUMNS, query={"plans": only or []}, id_key="plan",
                  blocks={"problems": problems, "files": [f for f, _ps in groups]},
                  data=(results, groups), found=not problems)
