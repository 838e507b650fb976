"""A record's value as one CSV/TSV cell, the same in `cz … -f csv` and the
web view's CSV: None empty, booleans true/false, whole floats without
``.0``, lists joined with ``;``, objects as JSON."""

from __future__ import annotations

import json


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
