"""Every route of the site, in the order it is tried: the one list the
plugin registers (``web/plugin.py:register_routes``), the middleware
serves (``web/middleware.py``: every other path is our 404) and the
browser tests walk (each page module's ``examples(conn)`` gives URLs of
its page, made from the data; a module that is not a page — the search's
export — says ``PAGE = False``)."""

from __future__ import annotations


def modules() -> list:
    """Every page module."""
    from chengzhen.web.views import (compare, coverage, department, document, home, indicator, measure, plan, progress,
                                     search, targets, task, topic)

    return [home, search, measure, document, plan, compare, targets, progress, coverage, department, topic, task,
            indicator]


def routes() -> list[tuple[str, object]]:
    """(regular expression of the path, view) of every route: the search's
    export (``/search.csv``: every hit) before the search page, then every
    page."""
    from chengzhen.web import export

    return [(export.ROUTE, export.view)] + [(m.ROUTE, m.view) for m in modules()]
