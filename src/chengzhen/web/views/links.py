"""The URL of every thing a page names — a plan, its text, a measure, a
department, a topic, a national task, an indicator — made in one place, so
that every name on every page links to its page and a page moves once.

Ids stay in URLs (and JSON); a reader sees names."""

from __future__ import annotations

from urllib.parse import quote


def href(base, path: str, fragment: str = "") -> str:
    """A path of this server (under datasette's base_url) and a fragment."""
    url = base.urls.path(path)
    return url + ("#" + quote(fragment, safe="/.:") if fragment else "")


def id_path(prefix: str, ident: str) -> str:
    return prefix + quote(ident, safe="/.:")


def _name_path(prefix: str, name: str) -> str:
    return prefix + quote(name, safe="")


def measure(base, mid: str, fragment: str = "") -> str:
    return href(base, id_path("/m/", mid), fragment=fragment)


def plan(base, pid: str, fragment: str = "") -> str:
    return href(base, id_path("/plan/", pid), fragment=fragment)


def document(base, pid: str, fragment: str = "") -> str:
    """A plan's full text; ``fragment`` a unit's id or ``L<line>``."""
    return href(base, id_path("/plan/", pid) + "/text", fragment=fragment)


def department(base, name: str) -> str:
    return href(base, _name_path("/dept/", name))


def topic(base, name: str) -> str:
    return href(base, _name_path("/topic/", name))


def task(base, tid: str) -> str:
    """A national task or group (national/1.4, national/1)."""
    return href(base, id_path("/task/", tid))


def indicator(base, name: str) -> str:
    return href(base, _name_path("/indicator/", name))


def for_template(base) -> dict:
    """The link makers a template calls: ``cz.link.dept(name)`` …"""
    return {
        "measure": lambda mid, fragment="": measure(base, mid, fragment),
        "plan": lambda pid, fragment="": plan(base, pid, fragment),
        "doc": lambda pid, fragment="": document(base, pid, fragment),
        "dept": lambda name: department(base, name),
        "topic": lambda name: topic(base, name),
        "task": lambda tid: task(base, tid),
        "indicator": lambda name: indicator(base, name),
    }
