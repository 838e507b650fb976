"""A search's CSV: every hit, not the page on screen — what `cz search WORDS
-f csv` writes (the same answer, ``answers/search.py``, written by the same
writer, ``answers/writers.py``: all hits ranked, then what is offered
instead — suggested and related units, did-you-mean words — each with
``hit`` false), streamed a few hundred rows at a time; no cell a
spreadsheet would run as a formula (``answers/present.py:neutralise``).

The arguments are the search page's (``views/search.py``), but ``page`` and
``size`` are ignored: the export is the whole answer.  Not a page of its
own (``PAGE``): the browser tests walk pages.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from chengzhen.web.page import etag, page_view, run, state

ROUTE = r"^/search\.(?P<format>csv)$"
PAGE = False  # a download, not a page (web/views/index.py)

CHUNK_ROWS = 500  # rows per piece sent


def export_answer(conn, args: dict):
    """The answer `cz search -f csv` writes for these arguments: every hit
    (no limit), then what is offered instead."""
    from chengzhen.answers import search as A

    ask = A.SearchAsk(args["q"] or "", plans=args["plan"], topics=args["topic"], depts=args["dept"],
                      kinds=args["kind"], tasks=args["task"], limit=None, exact=args["exact"],
                      fuzzy=args["fuzzy"], raw=args["raw"], expand=args["expand"])
    return A.answer(conn, ask, allow_empty=True)


def csv_chunks(answer, *, bom: bool):
    """The answer's CSV (``answers/writers.py``) in pieces of ``CHUNK_ROWS``
    rows (the header with the first)."""
    from chengzhen.answers.writers import WRITERS

    chunk: list[str] = []
    for n, piece in enumerate(WRITERS["csv"](answer, excel=bom)):
        chunk.append(piece)
        if n and n % CHUNK_ROWS == 0:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def filename(q: str) -> str:
    """``content-disposition``: search.csv, and the query in the UTF-8 name."""
    word = "".join(ch for ch in q.strip() if ch.isalnum() or ch in "-_")[:40]
    utf = f"search-{word}.csv" if word else "search.csv"
    return f"attachment; filename=\"search.csv\"; filename*=UTF-8''{quote(utf)}"


async def build(request, datasette, fmt):
    from datasette.utils.asgi import AsgiStream

    from chengzhen.web.views import search as page

    args = page._args(request)
    answer = await run(datasette, lambda conn: export_answer(conn, args))
    st = state(datasette)
    headers = {"content-disposition": filename(args["q"] or ""), "cache-control": "no-cache",
               "etag": etag(st.snapshots.current, st.snapshots.problem)}
    bom = bool(request.args.get("_bom"))

    async def stream(writer):
        for piece in csv_chunks(answer, bom=bom):
            await writer.write(piece)
            await asyncio.sleep(0)  # let other requests in between pieces

    return AsgiStream(stream, status=200, headers=headers, content_type="text/csv; charset=utf-8")


view = page_view(build)
