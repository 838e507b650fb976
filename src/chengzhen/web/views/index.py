"""Every page of the site, in the order its route is tried: the one list
the plugin registers (``web/plugin.py:register_routes``) and the browser
tests walk (each module's ``examples(conn)`` gives URLs of its page, made
from the data)."""

from __future__ import annotations


def modules() -> list:
    from chengzhen.web.views import (compare, coverage, department, document, home, indicator, measure, plan, progress,
                                     search, targets, task, topic)

    return [home, search, measure, document, plan, compare, targets, progress, coverage, department, topic, task,
            indicator]


def routes() -> list[tuple[str, object]]:
    """(regular expression of the path, view) of every page."""
    return [(m.ROUTE, m.view) for m in modules()]
