"""What a search returns: plain classes, no SQL (``query/search.py`` fills them).

* :class:`Hit` — one unit: a *hit* (it holds what was typed, or the user
  asked for the entity it belongs to) or a unit *offered* beside the hits
  (related, suggested), never counted;
* :class:`SearchResult` — the hits (cut by the limit) and their ``total``,
  kept apart from everything offered instead or beside them;
* :class:`Filters` — what a search is limited to.

Plain classes without dataclasses: nothing to import at start-up.
"""

from __future__ import annotations

# how a unit matched.  Hits: exact (every term in its text), segmented (every
# word of an unspaced phrase), list (what the filters select), and — when the
# unit itself names it, or the user asked for the entity (expand) — the
# entity kinds.  Offered, never hits: an entity's other units (match = the
# entity's kind, ``hit`` false), related (sharing words with a long query),
# fuzzy/pinyin (units of a suggestion), did_you_mean (a suggested query).
ENTITY_MATCHES = ("department", "plan", "topic", "indicator", "task")
HIT_MATCHES = ("exact", "segmented", "list", *ENTITY_MATCHES)
OFFERED_MATCHES = ("related", "fuzzy", "pinyin", "did_you_mean", *ENTITY_MATCHES)


class Hit:
    """One unit a search returns.  ``hit`` says whether it counts: a hit
    (exact, segmented, listed, or an entity's unit that names the entity or
    was asked for) or a unit offered beside the hits (related, suggested)."""

    __slots__ = ("kind", "id", "plan", "plan_name", "number", "title", "text", "line", "in_title", "score", "path",
                 "item", "match", "via", "rowid", "tasks", "hit")

    def __init__(self, kind: str, id: str, plan: str, plan_name: str, number: str | None, title: str, text: str,
                 line: int | None, in_title: bool, score: float, path: str = "", item: str | None = None,
                 match: str = "exact", via: str | None = None, rowid: int = 0, hit: bool | None = None):
        self.kind, self.id, self.plan, self.plan_name = kind, id, plan, plan_name
        self.number, self.title, self.text, self.line = number, title, text, line
        self.in_title, self.score, self.path = in_title, score, path
        self.item = item          # the target id of a target hit
        self.match = match        # see HIT_MATCHES / OFFERED_MATCHES
        self.via = via            # the entity, segments, suggestion or shared words it matched by
        self.rowid = rowid
        self.tasks: list[str] = []  # the national tasks the (target's) measure carries
        self.hit = match in ("exact", "segmented", "list") if hit is None else hit

    def as_dict(self) -> dict:
        return {
            "hit": self.hit, "match": self.match, "via": self.via,
            "kind": self.kind, "id": self.id, "item": self.item, "plan": self.plan, "plan_name": self.plan_name,
            "number": self.number, "title": self.title, "path": self.path, "line": self.line,
            "in_title": self.in_title, "score": round(self.score, 4), "tasks": self.tasks, "text": self.text,
        }

    def record(self, rank: int) -> dict:
        """:meth:`as_dict` with ``rank`` first (a search answer's record), made in one go."""
        return {
            "rank": rank, "hit": self.hit, "match": self.match, "via": self.via,
            "kind": self.kind, "id": self.id, "item": self.item, "plan": self.plan, "plan_name": self.plan_name,
            "number": self.number, "title": self.title, "path": self.path, "line": self.line,
            "in_title": self.in_title, "score": round(self.score, 4), "tasks": self.tasks, "text": self.text,
        }

    def __repr__(self) -> str:
        return f"Hit({self.kind} {self.id} {self.match}{'' if self.hit else ' offered'})"


class SearchResult:
    """What a search found, hits and offered units apart.

    ``query`` as typed; ``normalized`` after pasted-text normalization;
    ``terms`` the folded terms matched; ``mode`` the best kind of hit
    (exact | entity | segmented | list | raw | none); ``hits`` (cut by the
    limit: hits only) and ``total`` (every hit); ``counts`` hits per match
    kind; ``entities`` what the query named (each entity's units are hits
    only where ``expanded`` or where the unit names it: a department in its
    责任单位 clause, a plan's own units that name the plan); ``segments`` the
    words a segmented match required; ``related`` units offered beside the
    hits, never counted — an entity's other units (``match`` = its kind)
    and, when nothing is a hit, units sharing a long query's words
    (``match`` = related) — with ``related_total`` (all of them, whatever
    the cut) and ``related_counts`` (per match kind); ``suggestions`` (did
    you mean) and their ``suggestion_kind`` (fuzzy | pinyin); ``suggested``
    the units of the first suggestion (``fuzzy=True``); ``groups``
    (group_by="plan") every plan with its number of hits."""

    def __init__(self, query: str, terms: list[str], mode: str, hits: list[Hit], total: int, *,
                 suggestions: list[str] | None = None, sql: str = "", notes: list[str] | None = None,
                 normalized: str = "", counts: dict[str, int] | None = None):
        self.query, self.terms, self.mode, self.hits, self.total = query, terms, mode, hits, total
        self.suggestions = suggestions or []
        self.sql = sql
        self.notes = notes or []
        self.entities: list = []  # query.resolve.Entity
        self.expanded = False
        self.segments: list[str] = []
        self.related: list[Hit] = []
        self.related_total = 0
        self.related_counts: dict[str, int] = {}
        self.suggested: list[Hit] = []
        self.suggestion_kind = ""
        self.normalized = normalized
        self.counts = counts or {}
        self.groups: list[dict] | None = None

    @property
    def note(self) -> str:
        return " ".join(self.notes)

    def as_dict(self) -> dict:
        return {
            "query": self.query, "mode": self.mode, "terms": self.terms, "total": self.total,
            "did_you_mean": self.suggestions, "notes": self.notes,
            "hits": [h.as_dict() for h in self.hits],
            "related": [h.as_dict() for h in self.related], "related_total": self.related_total,
        }


class Filters:
    """What a search is limited to: plan ids, topic names, canonical
    departments, kinds, national task ids (a group with its tasks, as
    ``query/tasks.py:expand`` gives them; empty: no limit)."""

    def __init__(self, plans: list[str] | None = None, topics: list[str] | None = None,
                 departments: list[str] | None = None, kinds: list[str] | None = None,
                 tasks: list[str] | None = None):
        self.plans = list(plans or [])
        self.topics = list(topics or [])
        self.departments = list(departments or [])
        self.kinds = list(kinds or [])
        self.tasks = list(tasks or [])


def filters_active(filters: Filters) -> bool:
    return bool(filters.plans or filters.topics or filters.departments or filters.kinds or filters.tasks)
