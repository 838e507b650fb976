"""Where each plan and target is, and what was realized there: the place
vocabulary (kb/places.py) and the statistics (kb/statistics.py) read
together, and the two checks that tie the plans to them (docs/places.md,
docs/progress.md):

- E176: a plan's region names exactly one place;
- E177: every piece of a target's scope names a place, a zone, a named
  group, or a part or class of places (城区, 县城, 乡村 …) — something
  data/places.yaml documents.

``cz validate`` reports every problem; ``cz build`` stops on the same
E176/E177 (:func:`place_problems`: a plan whose places do not read is not
stored, since queries select by place) and on errors of the place and
statistics files, as on a plan's, and stores what it reads (store/geo.py).  A data directory without place files (places.tsv, places.yaml)
has no places: nothing is read or checked, and nothing is stored.

Import-cheap: the standard library and kb modules that are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chengzhen.kb.files import PLACE_FILES, STATISTICS_DIR
from chengzhen.kb.messages import N_, Msg as M
from chengzhen.kb.places import PlaceBook, ScopeReading, load_places
from chengzhen.kb.problems import Problem, Sink
from chengzhen.kb.statistics import Figure, load_statistics


@dataclass
class Geo:
    """The places (None: the data directory has no place files) and the
    statistics read from a data directory."""

    book: PlaceBook | None
    figures: list[Figure]
    _readings: dict | None = None

    def plan_place(self, region: str) -> str | None:
        """The code a plan's region names, or None (no place, or several)."""
        return self.book.resolve_one(region) if self.book is not None else None

    def reading(self, scope: str | None, place: str | None) -> ScopeReading | None:
        """What a target's scope means in a plan whose region is ``place``;
        a target without a scope is set for the plan's whole place.  None
        without a place vocabulary."""
        if self.book is None:
            return None
        if self._readings is None:
            self._readings = {}
        key = (scope, place)
        got = self._readings.get(key)
        if got is None:
            if scope is None or not scope.strip():
                got = ScopeReading("", places=(place,) if place else ())
            else:
                got = self.book.read_scope(scope, place)
            self._readings[key] = got
        return got

    def anchors(self, reading: ScopeReading) -> tuple[str, ...]:
        """The divisions a scope lies in, as far as the data says: its
        places, each zone's place, each listed group member's place (a
        group whose members no source lists adds nothing)."""
        out: list[str] = list(reading.places)
        book = self.book
        for z in reading.zones:
            out.append(book.zones[z].within)
        for g in reading.groups:
            for m in book.groups[g].members or ():
                out.append(book.zones[m].within if m in book.zones else m)
        return tuple(dict.fromkeys(out))


def has_places(root: Path) -> bool:
    return any((root / f).exists() for f in PLACE_FILES)


def indicator_units(vocab) -> dict[str, str | None]:
    return {i.name: i.unit for i in vocab.indicators}


def load_geo(root: Path, vocab, sink: Sink, *, statistics: list[str] | None = None) -> Geo:
    """The places and the statistics (``statistics``: only these file names
    of data/statistics/).  Problems go to ``sink`` (jumps, E185, are
    warnings)."""
    if not has_places(root):
        return Geo(None, [])
    book = load_places(root, sink)
    figures = load_statistics(root, book.places, indicator_units(vocab), sink, files=statistics)
    return Geo(book, figures)


def statistics_names(root: Path) -> list[str]:
    """The statistics files of a data directory (names in data/statistics/)."""
    folder = root / STATISTICS_DIR
    return sorted(p.name for p in folder.glob("*.yaml")) if folder.is_dir() else []


# ---------------------------------------------------------------------- checks

def plan_problems(plans, geo: Geo) -> list[Problem]:
    """E176: each plan's region names exactly one place."""
    if geo.book is None:
        return []
    out = []
    for plan in plans:
        codes = geo.book.resolve(plan.region)
        if len(codes) == 1:
            continue
        line = plan.field_lines.get("region", plan.file_line) if plan.field_lines else plan.file_line
        if codes:
            names = "、".join(f"{geo.book.places[c].name} {c}" for c in codes)
            out.append(Problem(plan.id, "E176", plan.id, None,
                               M(N_("the region {region!r} names several places ({names})"), region=plan.region,
                                 names=names),
                               "error", plan.file, line, M(N_("write the region in full (贵州省六盘水市)"))))
        else:
            out.append(Problem(plan.id, "E176", plan.id, None,
                               M(N_("the region {region!r} names no place"), region=plan.region),
                               "error", plan.file, line,
                               M(N_("a name from data/places.tsv, or an alias in data/places.yaml with its reason"))))
    return out


def place_problems(bundle, geo: Geo) -> list[Problem]:
    """E176 and E177 of one plan (its region, its targets' scopes): what
    `cz validate` reports of it, and what stops `cz build` storing it."""
    return plan_problems([bundle.plan], geo) + scope_problems(bundle, geo)


def checking_geo(geo: Geo | None, root: Path | None = None) -> Geo | None:
    """The places a build checks plans against: ``geo`` (read already), or
    the place files of ``root`` (a build worker: the vocabulary only, its
    problems the writer's to report); None without place files."""
    if geo is not None:
        return geo if geo.book is not None else None
    if root is None or not has_places(root):
        return None
    sink = Sink()
    book = load_places(root, sink)
    return Geo(book, []) if not any(p.severity == "error" for p in sink.problems) else None


def scope_problems(bundle, geo: Geo) -> list[Problem]:
    """E177: every target's scope is read as places, zones, named groups,
    parts or classes, with nothing left over."""
    if geo.book is None:
        return []
    place = geo.plan_place(bundle.plan.region)
    out = []
    for meas in bundle.body.measures:
        for t in meas.targets:
            if not t.scope:
                continue
            r = geo.reading(t.scope, place)
            if not r.unresolved:
                continue
            line = t.field_lines.get("scope", t.file_line) if t.field_lines else t.file_line
            out.append(Problem(
                bundle.plan.id, "E177", meas.id, t.line,
                M(N_("scope {scope!r}: {names} names no place, zone, group, part or class"), scope=t.scope,
                  names="、".join(r.unresolved)),
                "error", bundle.body.file, line or meas.file_line,
                M(N_("add it to data/places.yaml (an alias, a zone, a group, a part or a class) with its reason"))))
    return out
