"""The datasette plugin: our pages as routes, and SQL functions for the SQL
page.  It acts only on a datasette instance made by
``web/server.py:make_datasette`` (one that carries ``datasette.cz``), so
registering it never changes another datasette in the same process.
"""

from __future__ import annotations

from datasette import hookimpl

from chengzhen.web.database import NAME


def _ours(datasette) -> bool:
    return getattr(datasette, "cz", None) is not None


@hookimpl
def register_routes(datasette):
    if not _ours(datasette):
        return []
    from chengzhen.web.views.index import routes

    return routes()  # every page, listed once (web/views/index.py)


@hookimpl
def prepare_connection(conn, database, datasette):
    """For power users of the SQL page: ``cz_chars(text)`` folds text as the
    index does (traditional to simplified, letters and digits only) and
    ``cz_phrase(text)`` makes the FTS5 phrase that finds it:
    ``SELECT d.ref FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid
    WHERE docs_fts MATCH cz_phrase('老舊小區')``."""
    if database != NAME or not _ours(datasette):
        return
    from chengzhen.text.tokens import phrase, token_chars

    conn.create_function("cz_chars", 1, lambda s: token_chars(s) if isinstance(s, str) else None,
                         deterministic=True)
    conn.create_function("cz_phrase", 1, lambda s: phrase(token_chars(s)) if isinstance(s, str) else None,
                         deterministic=True)


@hookimpl
def menu_links(datasette, actor, request):
    if not _ours(datasette):
        return []
    return [{"href": datasette.urls.path("/"), "label": "知识库首页"},
            {"href": datasette.urls.path("/search"), "label": "检索"}]
