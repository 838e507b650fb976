"""What the entity pages (a department, a topic, a national task, an
indicator) share: the name in the path, a name the knowledge base does not
know answered as a missing page (404) with the names it does know, and a
measure's label for a reader (number and title, or its first clause)."""

from __future__ import annotations

from urllib.parse import unquote

from chengzhen.answers.present import lead_phrase
from chengzhen.errors import UnknownName


def path_word(request, key: str = "name") -> str:
    return unquote(request.url_vars[key]).strip()


def missing_in_path(exc: UnknownName) -> UnknownName:
    """A name in the path that names nothing: the page does not exist (404)."""
    exc.in_path = True
    return exc


def label(m: dict | None, fallback: str = "") -> str:
    if not m:
        return fallback
    return f"{m.get('number') or ''}{m.get('title') or lead_phrase(m.get('text') or '')}"


def snippet(text: str | None, n: int = 90) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"
