"""A briefing as plain data: what a report says, before it is written as
.docx (report/docx.py) or Markdown (report/markdown.py).

A :class:`Report` is a title, the facts about the question (the command as
typed, the date, the database generation) and a list of blocks — headings,
paragraphs, tables, bar charts, lists — whose text is the sources' text and
the tool's labels (answers/present.py), nothing else.  Text is a list of
runs ``(text, style)``: ``""`` plain, ``"b"`` bold, ``"sup"`` a citation mark
(``[1]六、（二十八）``: the reference's number and, GB/T 7714's 引文页码 for a
document without pages, where in it — docs/citation.md, point 8).  The
references are numbered in the order first cited, one per document
(:class:`Citations`), and listed at the end as 参考文献.
"""

from __future__ import annotations

Run = tuple  # (text, style)


class Report:
    __slots__ = ("kind", "title", "subtitle", "facts", "blocks", "references", "landscape", "answer")

    def __init__(self, kind: str, title: str, *, subtitle: str | None = None, landscape: bool = False):
        self.kind = kind  # compare, targets, plan (progress later)
        self.title = title
        self.subtitle = subtitle
        self.facts: list[tuple[str, str]] = []  # (label, value): 问题, 日期, 数据库
        self.blocks: list[dict] = []
        self.references: list[str] = []
        self.landscape = landscape
        self.answer = None  # the answer it was written from (tests read it back against it)

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append({"kind": "heading", "level": level, "text": text})

    def para(self, *runs: Run | str) -> None:
        self.blocks.append({"kind": "para", "runs": [r if isinstance(r, tuple) else (r, "") for r in runs]})

    def note(self, text: str) -> None:
        self.blocks.append({"kind": "note", "runs": [(text, "")]})

    def table(self, name: str, header: list[str], rows: list[list[list[list[Run]]]],
              weights: list[float] | None) -> None:
        """A table: ``rows`` of cells, a cell a list of paragraphs, a
        paragraph a list of runs; ``weights`` the columns' relative widths (None: by what they hold);
        ``name`` says which table it is (tests read it back by it)."""
        self.blocks.append({"kind": "table", "name": name, "header": header, "rows": rows, "weights": weights})

    def bars(self, title: str, rows: list[dict], top: float) -> None:
        """A bar chart: each row ``label``, ``value`` (the bar), ``text`` (the
        value as written), optionally ``base`` and ``base_text`` (a baseline
        bar), on one scale from 0 to ``top``."""
        self.blocks.append({"kind": "bars", "title": title, "rows": rows, "top": top})

    def chart(self, name: str, title: str, png: bytes, size: tuple[int, int], legend: list[str]) -> None:
        """A chart drawn as a picture (report/png.py): its ``title`` and
        ``legend`` lines (what each mark is, the axes' ranges) are text
        beside it; ``name`` says which chart it is (tests read it back)."""
        self.blocks.append({"kind": "chart", "name": name, "title": title, "png": png, "size": size,
                            "legend": legend})

    def items(self, items: list[tuple[int, list[Run]]]) -> None:
        """A list: (depth, runs) per item."""
        self.blocks.append({"kind": "list", "items": items})


def cell(*paragraphs) -> list[list[Run]]:
    """A table cell: each paragraph a string or a list of runs."""
    return [[(p, "")] if isinstance(p, str) else list(p) for p in paragraphs if p]


def text_of(runs: list[Run]) -> str:
    return "".join(t for t, _s in runs)


class Citations:
    """Numbered references, one per document in the order first cited, and
    each unit's mark ``[n]locator`` (query/cite.py)."""

    def __init__(self, conn):
        self.conn = conn
        self.numbers: dict[str, int] = {}
        self.references: list[str] = []
        self.records: dict[str, dict] = {}

    def record(self, unit_id: str) -> dict:
        got = self.records.get(unit_id)
        if got is None:
            from chengzhen.query.cite import cite

            got = self.records[unit_id] = cite(self.conn, unit_id)
        return got

    def number(self, rec: dict) -> int:
        ref = rec["reference"] or rec["plan_title"]
        n = self.numbers.get(ref)
        if n is None:
            self.references.append(ref)
            n = self.numbers[ref] = len(self.references)
        return n

    def mark(self, unit_id: str, *, superscript: bool = True) -> Run:
        """The citation mark of a unit: ``[n]`` and its short locator; a
        superscript in running text, plain in a column of its own (出处)."""
        rec = self.record(unit_id)
        return (f"[{self.number(rec)}]{rec['locator_short'] or ''}", "sup" if superscript else "")
