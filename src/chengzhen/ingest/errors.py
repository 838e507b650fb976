"""Ingest's errors: one line for the user, exit code 2 (``errors.CzError``)."""

from __future__ import annotations

from chengzhen.errors import CzError


class IngestError(CzError):
    """The input cannot be drafted into a plan (unreadable, not a plan, a
    clash with the data): the message names the file and, where one line is
    at fault, the line."""
