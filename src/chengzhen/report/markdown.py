"""A report (report/document.py) as Markdown: the same title, facts,
headings, tables (a cell's paragraphs joined by <br>), charts as tables of
bars drawn with █ (a bar's length in eighths of a character), a progress
chart as a PNG embedded in the file (a data: URI) with its legend, citation
marks as <sup>, and the numbered references."""

from __future__ import annotations

from chengzhen.answers.writers import md_escape

BAR_CHARS = 30  # the longest bar, in characters


def _runs(runs) -> str:
    out = []
    for text, style in runs:
        t = md_escape(text)
        out.append(f"**{t}**" if style == "b" and t else f"<sup>{t}</sup>" if style == "sup" else t)
    return "".join(out)


def _cell(paragraphs) -> str:
    return "<br>".join(_runs(p) for p in paragraphs)


def bar(value: float, top: float, width: int = BAR_CHARS) -> str:
    """A bar of ``value`` on a scale to ``top``: whole █ and one partial block."""
    eighths = round(8 * width * max(value, 0) / (top or 1))
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def render(report) -> str:
    out = [f"# {md_escape(report.title)}\n"]
    if report.subtitle:
        out.append(f"**{md_escape(report.subtitle)}**\n")
    out.append("\n".join(f"- **{md_escape(k)}**: {md_escape(v)}" for k, v in report.facts) + "\n")
    for b in report.blocks:
        kind = b["kind"]
        if kind == "heading":
            out.append(f"{'#' * (b['level'] + 1)} {md_escape(b['text'])}\n")
        elif kind == "para":
            out.append(_runs(b["runs"]) + "\n")
        elif kind == "note":
            out.append(f"*{_runs(b['runs'])}*\n")
        elif kind == "table":
            lines = ["| " + " | ".join(md_escape(h) for h in b["header"]) + " |", "|" + "---|" * len(b["header"])]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in b["rows"]]
            out.append("\n".join(lines) + "\n")
        elif kind == "bars":
            lines = [f"**{md_escape(b['title'])}**\n", "| | | |", "|---|---|---|"]
            for r in b["rows"]:
                lines.append(f"| {md_escape(r['label'])} | {bar(r['value'], b['top'])} | {md_escape(r['text'])} |")
                if r.get("base") is not None:
                    lines.append(f"| | {bar(r['base'], b['top']).replace('█', '░')} | {md_escape(r['base_text'])} |")
            out.append("\n".join(lines) + "\n")
        elif kind == "chart":  # the picture embedded (a data: URI: the .md stays one file)
            import base64

            uri = "data:image/png;base64," + base64.b64encode(b["png"]).decode("ascii")
            out.append(f"**{md_escape(b['title'])}**\n\n![{md_escape(b['title'])}]({uri})\n\n"
                       + "  \n".join(md_escape(line) for line in b["legend"]) + "\n")
        elif kind == "list":
            out.append("\n".join(f"{'  ' * d}- {_runs(runs)}" for d, runs in b["items"]) + "\n")
    if report.references:
        out.append("## 参考文献\n")
        out.append("\n".join(f"[{n}] {md_escape(ref)}  " for n, ref in enumerate(report.references, start=1)) + "\n")
    return "\n".join(out)
