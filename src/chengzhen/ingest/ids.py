"""A new draft's id when the one its region gives is taken.

`cz ingest` names a plan after its region (贵州 → guizhou: ingest/draft.py's
``_plan_id``), so two plans of one region — a province's plan and its
action plan, two rounds of one plan — read the same id.  An id is *taken*
when the data directory holds a plan file, a source or a pending draft of
it (``plans/<id>.yaml``, ``sources/<id>.txt``, ``drafts/<id>.*``), or an
earlier file of the same batch drafted it.  A draft whose id is taken gets
a free one read from its source — the id, ``_`` and the year its period
starts (else the year of its document number, 〔2024〕, else of its issue
date), then ``_2``, ``_3`` … while that is taken too — and says so
(:attr:`chengzhen.ingest.draft.Draft.id_note`), so a curator's plan or
pending draft is never replaced by a different text.

The same text again (its source or pending source holds exactly this
text) keeps its id: re-ingesting a plan is refused as before, and replaces
it only with ``--force``.  An id the curator gives (``--id``) is never
changed: a taken one is refused unless ``--force``
(:func:`chengzhen.ingest.draft.check_clash`).
"""

from __future__ import annotations

import re
from pathlib import Path

from chengzhen.kb.files import PLANS_DIR, SOURCES_DIR, pending_files
from chengzhen.kb.messages import N_, Msg

# a document number's year: 〔2024〕, [2024], （2024）
DOC_YEAR = re.compile(r"[〔\[［(（]\s*((?:19|20)\d{2})\s*[〕\]］)）]")
MAX_SUFFIX = 999


def holder(data: Path, plan_id: str) -> str | None:
    """The file that takes ``plan_id`` in ``data`` (relative path), or None."""
    for rel in (f"{PLANS_DIR}/{plan_id}.yaml", f"{SOURCES_DIR}/{plan_id}.txt", *pending_files(plan_id).values()):
        if (data / rel).exists():
            return rel
    return None


def same_text(data: Path, plan_id: str, text: str) -> bool:
    """Does ``plan_id``'s source, or its pending draft's, hold exactly ``text``?"""
    waiting = pending_files(plan_id)[f"{SOURCES_DIR}/{plan_id}.txt"]
    for rel in (f"{SOURCES_DIR}/{plan_id}.txt", waiting):
        try:
            if (data / rel).read_text(encoding="utf-8") == text:
                return True
        except (OSError, UnicodeDecodeError):
            continue
    return False


def year_of(period: tuple | None, doc_number: str | None, issue_date: str | None) -> tuple[int | None, str]:
    """The year an id is told apart by, and the catalogue field it is read from."""
    if period:
        return int(period[0]), "period"
    m = DOC_YEAR.search(doc_number or "")
    if m:
        return int(m.group(1)), "doc_number"
    if issue_date and re.match(r"(?:19|20)\d{2}", issue_date):
        return int(issue_date[:4]), "issue_date"
    return None, ""


def free_id(base: str, data: Path, text: str, *, period=None, doc_number: str | None = None,
            issue_date: str | None = None, taken: dict[str, str] | None = None) -> tuple[str, Msg | None]:
    """``base`` when it is free (or holds this very text), else the first
    free id of ``base_YEAR``, ``base_YEAR_2`` … (``base_2`` … without a
    year), with the note that says so.  ``taken``: ids an earlier file of
    this batch drafted (id → its file name)."""
    taken = taken or {}
    where = taken.get(base) or holder(data, base)
    if where is None or (base not in taken and same_text(data, base, text)):
        return base, None
    year, field = year_of(period, doc_number, issue_date)
    stem = f"{base}_{year}" if year else base
    tries = ([stem] if year else []) + [f"{stem}_{k}" for k in range(2, MAX_SUFFIX + 1)]
    # the first one free — or holding this very text (drafted so before: refused again unless --force)
    new = next((t for t in tries if t not in taken and (holder(data, t) is None or same_text(data, t, text))), None)
    if new is None:
        return base, None  # (a thousand of one region and year: the clash is refused as for a given id)
    if year:
        return new, Msg(N_("id {taken} is taken ({where}): this draft is {plan}, its region and the year of its "
                           "{field}; give another with --id"), taken=base, where=where, plan=new, field=field)
    return new, Msg(N_("id {taken} is taken ({where}): this draft is {plan}; give another with --id"),
                    taken=base, where=where, plan=new)
