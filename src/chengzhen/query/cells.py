"""A record's value as one CSV/TSV cell, the same in `cz … -f csv` and the
web view's CSV: None empty, booleans true/false, whole floats without
``.0``, lists joined with ``;``, objects as JSON."""

from __future__ import annotations

import json
import re


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ";".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --------------------------------------------------------------------------- formulas

# A spreadsheet (Excel, WPS, LibreOffice) reads a CSV/TSV cell that begins
# with one of these as a formula — `=HYPERLINK(…)`, `+cmd|' /C calc'!A0`,
# `@SUM(…)` run when the file is opened (OWASP, "CSV Injection").
FORMULA_LEAD = "=+-@\t\r"
APOSTROPHE = "'"
# a number as a spreadsheet reads it (-5, +1.2, -5%, -1,234.5): a number, not
# a formula, so it stays as written
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?%?\Z")
_SPACE = " \u00a0\u3000\n\x0b\x0c"


def formula_leading(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula: it begins
    (after any spaces) with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return, holds something besides white space, and is not a plain
    number."""
    if not text or not text.strip():
        return False
    head = text.lstrip(_SPACE)
    if text[0] not in FORMULA_LEAD and head[0] not in FORMULA_LEAD:
        return False
    return not (head[0] in "+-" and any(c.isdigit() for c in head) and _PLAIN_NUMBER.match(head.rstrip(_SPACE)))


def _needs_apostrophe(text: str) -> bool:
    # formula-leading once any apostrophes in front are taken away: so that a
    # text that itself begins with an apostrophe comes back exactly (restore)
    return formula_leading(text.lstrip(APOSTROPHE))


def neutralise(text: str) -> str:
    """A CSV/TSV cell no spreadsheet runs as a formula: a formula-leading
    text gets a leading apostrophe ``'`` (OWASP's advice; the rest of the
    text is unchanged, and a reader reads what the source says after it);
    anything else, numbers such as ``-5%`` or ``+1.2`` included, is returned
    as it is.  (A text that already begins with apostrophes before a formula
    gets one more, so that :func:`restore` gives every text back.)"""
    return APOSTROPHE + text if _needs_apostrophe(text) else text


def restore(cell_text: str) -> str:
    """The text a neutralised cell stands for (the inverse of
    :func:`neutralise`): one leading apostrophe taken away where
    :func:`neutralise` added it — before ``=``, ``+``, ``-``, ``@``, tab or
    CR (after any spaces or further apostrophes) and not a number."""
    if cell_text.startswith(APOSTROPHE) and _needs_apostrophe(cell_text[1:]):
        return cell_text[1:]
    return cell_text
