"""The datasette plugin: our pages as routes.  It acts only on a datasette
instance made by ``web/server.py:make_datasette`` (one that carries
``datasette.cz``), so registering it never changes another datasette in the
same process.

Only these routes are served: ``web/middleware.py`` answers every other
path with our 404 before datasette sees it (datasette's own pages are off),
and each view here is guarded, so that a bug in a page is our 500 page and
one traceback in the log, never datasette's error page.
"""

from __future__ import annotations

import functools

from datasette import hookimpl


def _ours(datasette) -> bool:
    return getattr(datasette, "cz", None) is not None


def routes() -> list[tuple[str, object]]:
    """(regular expression of the path, view) of every route, in the order
    they are tried — the one list of ``web/views/index.py`` —, each view
    guarded.  ``web/middleware.py`` serves these paths and no others."""
    from chengzhen.web.views import index

    return [(route, guarded(view)) for route, view in index.routes()]


def guarded(view):
    """``view``, with any exception it lets out answered by our 500 page
    (and its traceback written once to the log) instead of datasette's
    handler."""

    @functools.wraps(view)
    async def inner(request, datasette):
        try:
            return await view(request, datasette)
        except Exception:
            from chengzhen.web.errors import server_error
            from chengzhen.web.middleware import log_crash, problem_response

            log_crash(datasette, request.scope)
            status, headers, body, ctype = problem_response(
                request, datasette, server_error(), "json" if request.path.endswith(".json") else None)
            from datasette.utils.asgi import Response

            return Response(body, status=status, headers=headers, content_type=ctype)

    return inner


@hookimpl
def register_routes(datasette):
    if not _ours(datasette):
        return []
    return routes()
