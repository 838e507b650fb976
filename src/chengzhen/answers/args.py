"""The arguments of every question, read and checked once for both fronts:
years, ``by``, ``level``, kinds, limits, the commitments switch.  A wrong
value raises :class:`BadValue` naming the field; the CLI says it with its
option (``--by``), a page with its parameter."""

from __future__ import annotations

from chengzhen.errors import BadValue

COMPARE_BY = ("task", "text")      # cz compare --by, /compare?by=
MATRIX_BY = ("topic", "task")      # cz matrix --by
COVERAGE_BY = ("topic", "task", "term")  # /coverage?by= (term: cz coverage)
LEVELS = ("all", "top", "sub")     # cz matrix --level, /coverage?level=
GROUP_BY = ("plan",)               # cz search --group-by


def _or(choices) -> str:
    choices = list(choices)
    return ", ".join(choices[:-1]) + " or " + choices[-1] if len(choices) > 1 else choices[0]


def choice(field: str, value: str | None, choices, default: str | None = None) -> str | None:
    """``value`` if it is one of ``choices`` (``default`` when not given)."""
    if value is None or value == "":
        return default
    v = value.strip().lower()
    if v not in choices:
        raise BadValue(field, value, f"choose {_or(choices)}")
    return v


def years(spec: str | None) -> tuple[int, int] | None:
    """``2028`` or ``2025..2030`` (also ``-``, ``—``, ``~``, ``:``) as (first, last)."""
    from chengzhen.query.catalog import parse_years

    return parse_years(spec)


def kinds(values: list[str] | None) -> list[str]:
    """Unit kinds (measure, section, target, annex…), each checked; several
    may be given in one value, separated by , 、 ，."""
    from chengzhen.query.resolve import split_names
    from chengzhen.store.kinds import KINDS

    if not values:
        return []
    got = split_names("kind", values, lambda w: w in KINDS)
    bad = [k for k in got if k not in KINDS]
    if bad:
        raise BadValue("kind", bad[0], f"choose from {', '.join(KINDS)}")
    return got


def limit(n: int | None, *, least: int = 0, field: str = "limit") -> int | None:
    """A count a user gives: ``None`` (not given) or at least ``least``."""
    if n is None:
        return None
    if n < least:
        raise BadValue(field, str(n), "give 0 (all) or more" if least == 0 else f"give {least} or more")
    return n


COMMITMENTS = {None: None, "": None, "1": True, "yes": True, "true": True, "0": False, "no": False, "false": False}


def commitments(value) -> bool | None:
    """The commitments switch: True, False or None (the default: listed
    without a year filter, left out with one)."""
    if isinstance(value, bool) or value is None:
        return value
    key = str(value).strip().lower()
    if key not in COMMITMENTS:
        raise BadValue("commitments", value, "choose 1 (include them) or 0 (leave them out)")
    return COMMITMENTS[key]


def commitments_shown(asked: bool | None, year_range) -> bool:
    """Whether commitments are listed: as asked, else only without a year."""
    return (year_range is None) if asked is None else asked
