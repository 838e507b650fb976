"""A search's CSV: every hit, not the page on screen — what `cz search WORDS
-f csv` writes (the same columns, cells and rows: all hits ranked, then
what is offered instead — suggested and related units, did-you-mean words —
each with ``hit`` false),
streamed a few hundred rows at a time, no cell a spreadsheet would run as a
formula (``query.cells.neutralise``).

The arguments are the search page's (``views/search.py``), but ``page`` and
``size`` are ignored: the export is the whole answer.
"""

from __future__ import annotations

import asyncio
import csv
import io
from urllib.parse import quote

from chengzhen.query.cells import cell, neutralise
from chengzhen.web.page import etag, page_view, run, state

ROUTE = r"^/search\.(?P<format>csv)$"

CHUNK_ROWS = 500  # rows per piece sent


def export_rows(conn, args: dict) -> list[dict]:
    """The rows `cz search -f csv` writes for these arguments (all hits)."""
    from chengzhen.web.views import search as page

    filters, _tasks = page._filters(conn, args)
    result = page.run_search(conn, args["q"] or "", filters, limit=None, exact=args["exact"])
    if result is None:
        return []
    # one numbering, as cli/views.py:search_rows gives it: hits, then what is
    # offered instead (suggested and related units, did-you-mean words)
    rows = [{"rank": n, **h.as_dict()}
            for n, h in enumerate([*result.hits, *result.suggested, *result.related], 1)]
    rows += [{"rank": len(rows) + n, "hit": False, "match": "did_you_mean", "via": result.suggestion_kind or None,
              "kind": "suggestion", "title": w, "text": w} for n, w in enumerate(result.suggestions, 1)]
    return rows


def csv_pieces(columns: list[str], rows: list[dict], *, bom: bool):
    """The CSV text in pieces of ``CHUNK_ROWS`` rows (RFC 4180 line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if bom:
        buf.write("\ufeff")
    w.writerow(columns)
    for n, r in enumerate(rows, 1):
        w.writerow([neutralise(cell(r.get(c))) for c in columns])
        if n % CHUNK_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    if buf.tell():
        yield buf.getvalue()


def filename(q: str) -> str:
    """``content-disposition``: search.csv, and the query in the UTF-8 name."""
    word = "".join(ch for ch in q.strip() if ch.isalnum() or ch in "-_")[:40]
    utf = f"search-{word}.csv" if word else "search.csv"
    return f"attachment; filename=\"search.csv\"; filename*=UTF-8''{quote(utf)}"


async def build(request, datasette, fmt):
    from datasette.utils.asgi import AsgiStream

    from chengzhen.web.views import search as page

    args = page._args(request)
    rows = await run(datasette, lambda conn: export_rows(conn, args))
    st = state(datasette)
    headers = {"content-disposition": filename(args["q"] or ""), "cache-control": "no-cache",
               "etag": etag(st.snapshots.current, st.snapshots.problem)}
    bom = bool(request.args.get("_bom"))

    async def stream(writer):
        for piece in csv_pieces(page.COLUMNS, rows, bom=bom):
            await writer.write(piece)
            await asyncio.sleep(0)  # let other requests in between pieces

    return AsgiStream(stream, status=200, headers=headers, content_type="text/csv; charset=utf-8")


view = page_view(build)
