"""`cz report KIND …`: an answer made into a briefing, written as .docx or
Markdown (docs/report.md).  The CLI asks the question (answers/), this
turns the answer into a :class:`~chengzhen.report.document.Report`
(report/briefings.py) and writes it (report/docx.py, report/markdown.py,
report/files.py)."""

from __future__ import annotations

from chengzhen.report.document import Report


def make(conn, kind: str, ans, asked: str, today: str) -> Report:
    """The briefing of ``kind`` (compare, targets, plan) from its answer;
    ``asked`` the command as typed, ``today`` an ISO date."""
    from chengzhen.report.briefings import KINDS

    return KINDS[kind](conn, ans, asked, today)


def render(report: Report, fmt: str) -> bytes:
    if fmt == "md":
        from chengzhen.report.markdown import render as md

        return md(report).encode("utf-8")
    from chengzhen.report.docx import render as docx

    return docx(report)
