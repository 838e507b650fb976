"""Statistics: realized values of the indicators, each with the publication
it was read in (data/statistics/<place code>.yaml; docs/progress.md).

``load_statistics(data_dir, places, indicators)`` reads every file into
:class:`Figure` records and checks them (E180–E187): every figure has a
source with publisher, title, URL and page kind; its indicator is in
data/indicators.yaml and its unit is the indicator's, or the same quantity
on another scale as the publication writes it (8.43万个 for 个); its place exists;
its value is plausible; a series does not jump; no figure is recorded twice,
and where two publications disagree exactly one is marked ``use: true``.

Import-cheap: the standard library, kb.yamlio, kb.problems and text.progress
(standard library only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from chengzhen.errors import DataError
from chengzhen.kb.messages import N_, Msg as M, allowed, did_you_mean_hint, joined, listed
from chengzhen.kb.problems import DataProblems, Problem, Sink, did_you_mean
from chengzhen.kb.yamlio import Node, Seq, load_yaml
from chengzhen.text.progress import unit_factor

PAGE_KINDS = ("official", "repost", "secondary")  # the bureau's own page / a copy of the document / a report of the figure
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SOURCE_FIELDS = {"id", "publisher", "title", "published", "url", "page", "page_date", "note", "figures"}
FIGURE_FIELDS = {"indicator", "year", "as_of", "value", "unit", "as_written", "locator", "use", "jump", "note"}
# a series "jumps" when it moves more than this in one year (docs/progress.md)
JUMP_POINTS = 5.0  # percentage points per year, for an indicator in %
JUMP_RATIO = 0.5  # relative change per year, for any other unit


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    published: str | None  # as the document states: YYYY, YYYY-MM or YYYY-MM-DD
    url: str
    page: str  # official | repost | secondary
    page_date: str | None = None  # the page's own date, where it shows one
    note: str | None = None

    @property
    def known_by(self) -> int | None:
        """The year by which the figure had been published: the document's
        date, else the page's own date (a page dated then shows it was out);
        None when neither is known."""
        date = self.published or self.page_date
        return int(date[:4]) if date else None


@dataclass(frozen=True)
class Figure:
    place: str
    indicator: str
    year: int
    value: float
    unit: str | None
    as_written: str
    locator: str
    source: Source
    as_of: str | None = None  # a date other than the year's end (a census: 2020-11-01)
    use: bool | None = None  # where publications disagree: the one used
    jump: str | None = None  # why a jump from the year before is real
    file: str = ""
    file_line: int = 0
    scale: float = 1.0  # what ``value`` is multiplied by to be in the indicator's unit (8.43 万个 -> ×10000 个)

    @property
    def indicator_value(self) -> float:
        """The value in the indicator's unit (a unit change, not an estimate)."""
        return self.value * self.scale


def _problem(sink: Sink, file: str, line: int | None, code: str, item: str, message: str,
             hint: str | None = None, severity: str = "error") -> None:
    sink.add(Problem("", code, item, None, message, severity, file, line, hint))


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_statistics(data_dir: Path, places, indicators: dict[str, str | None],
                    sink: Sink | None = None, files: list[str] | None = None) -> list[Figure]:
    """Every figure under ``data_dir/statistics`` (``files``: only these
    names of it, e.g. ``['520000.yaml']`` — the checks of one file need no
    other: a file holds one place).  ``places``: anything with ``in`` over
    codes (a PlaceBook's ``places``); ``indicators``: each canonical name ->
    its unit.  Without a sink any error raises :class:`DataProblems`
    (warnings — jumps — do not)."""
    own = sink is None
    sink = sink if sink is not None else Sink()
    figures: list[Figure] = []
    folder = data_dir / "statistics"
    if files is not None:
        paths = [folder / n for n in sorted(files)]
    else:
        paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in paths:
        label = _label(path)
        try:
            doc = load_yaml(path, label)
        except DataError as exc:
            sink.from_error(exc)
            continue
        figures += _read_file(doc, label, path.stem, places, indicators, sink)
    _check_series(figures, sink)
    if own and any(p.severity == "error" for p in sink.problems):
        raise DataProblems([p for p in sink.problems if p.severity == "error"])
    return figures


def _text(node: Node, key: str, label: str, sink: Sink, item: str, required: bool = True) -> str | None:
    value = node.get(key)
    if value is None:
        if required:
            _problem(sink, label, node.line, "E180" if key in ("publisher", "title", "url", "page") else "E110",
                     item, M(N_("missing {key!r}"), key=key))
        return None
    if not isinstance(value, str) or not value.strip():
        _problem(sink, label, node.line_of(key), "E111", item, M(N_("{key!r} must be non-empty text"), key=key))
        return None
    return value.strip()


def _unknown_fields(node: Node, allowed: set[str], label: str, sink: Sink, item: str) -> None:
    for key in node:
        if key not in allowed:
            near = did_you_mean(key, sorted(allowed), 1)
            _problem(sink, label, node.line_of(key), "E112", item, M(N_("unknown field {key!r}"), key=key),
                     did_you_mean_hint(near[:1]))


def _date(node: Node, key: str, label: str, sink: Sink, item: str) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not DATE.match(value):
        _problem(sink, label, node.line_of(key), "E187", item,
                 M(N_("{key!r} must be a quoted date 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', not {value!r}"), key=key,
                   value=value))
        return None
    return value


def _read_file(doc, label: str, stem: str, places, indicators, sink: Sink) -> list[Figure]:
    if not isinstance(doc, Node):
        _problem(sink, label, 1, "E111", "", M(N_("a statistics file is a mapping with 'place' and 'sources'")))
        return []
    _unknown_fields(doc, {"place", "sources"}, label, sink, "")
    place = str(doc.get("place", ""))
    if place not in places:
        _problem(sink, label, doc.line_of("place"), "E183", place, M(N_("unknown place {place!r}"), place=place),
                 M(N_("a code from data/places.tsv or data/places.yaml (quote it: '520000')")))
        return []
    if stem != place:
        _problem(sink, label, doc.line_of("place"), "E183", place,
                 M(N_("the file for {place} is named {file}"), place=place, file=f"{stem}.yaml"),
                 M(N_("name it {file}"), file=f"{place}.yaml"))
    seq = doc.get("sources")
    if not isinstance(seq, list) or not seq:
        _problem(sink, label, doc.line_of("sources"), "E180", place,
                 M(N_("no sources: every figure needs its publication")))
        return []
    out: list[Figure] = []
    ids: dict[str, int] = {}
    for i, node in enumerate(seq):
        line = seq.line_at(i) if isinstance(seq, Seq) else doc.line
        if not isinstance(node, Node):
            _problem(sink, label, line, "E111", place, M(N_("each source is a mapping")))
            continue
        _unknown_fields(node, SOURCE_FIELDS, label, sink, str(node.get("id", "")))
        sid = _text(node, "id", label, sink, "")
        if sid is None:
            continue
        if sid in ids:
            _problem(sink, label, node.line, "E186", sid, M(N_("duplicate source id (first on line {first})"),
                                                            first=ids[sid]))
            continue
        ids[sid] = node.line
        vals = {k: _text(node, k, label, sink, sid) for k in ("publisher", "title", "url", "page")}
        if None in vals.values():
            continue
        if vals["page"] not in PAGE_KINDS:
            _problem(sink, label, node.line_of("page"), "E180", sid, M(N_("unknown page kind {kind!r}"),
                                                                       kind=vals["page"]), allowed(PAGE_KINDS))
            continue
        if not re.match(r"^https?://\S+$", vals["url"]):
            _problem(sink, label, node.line_of("url"), "E180", sid, M(N_("not a web address: {url!r}"), url=vals["url"]))
            continue
        source = Source(sid, vals["publisher"], vals["title"], _date(node, "published", label, sink, sid),
                        vals["url"], vals["page"], _date(node, "page_date", label, sink, sid),
                        _text(node, "note", label, sink, sid, required=False))
        figs = node.get("figures")
        if not isinstance(figs, list) or not figs:
            _problem(sink, label, node.line_of("figures"), "E180", sid, M(N_("a source without figures")))
            continue
        for j, fnode in enumerate(figs):
            fline = figs.line_at(j) if isinstance(figs, Seq) else node.line
            fig = _figure(fnode, fline, label, place, source, indicators, sink)
            if fig is not None:
                out.append(fig)
    return out


def _figure(node, line: int, label: str, place: str, source: Source, indicators, sink: Sink) -> Figure | None:
    item = source.id
    if not isinstance(node, Node):
        _problem(sink, label, line, "E111", item, M(N_("each figure is a mapping")))
        return None
    _unknown_fields(node, FIGURE_FIELDS, label, sink, item)
    indicator = _text(node, "indicator", label, sink, item)
    if indicator is None:
        return None
    if indicator not in indicators:
        near = did_you_mean(indicator, list(indicators))
        _problem(sink, label, node.line_of("indicator"), "E181", item,
                 M(N_("unknown indicator {indicator!r}"), indicator=indicator),
                 joined(did_you_mean_hint(near, quote=False), M(N_("a new indicator goes in data/indicators.yaml")),
                        sep=" "))
        return None
    year, value = node.get("year"), node.get("value")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2100:
        _problem(sink, label, node.line_of("year"), "E184", item, M(N_("impossible year {year!r}"), year=year))
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        _problem(sink, label, node.line_of("value"), "E111", item, M(N_("'value' must be a number")))
        return None
    unit = node.get("unit")
    scale = unit_factor(indicators[indicator], unit) if unit is None or isinstance(unit, str) else None
    if scale is None:
        _problem(sink, label, node.line_of("unit") if "unit" in node else node.line, "E182", item,
                 M(N_("unit {unit!r} is not the unit of {indicator} ({declared!r})"), unit=unit, indicator=indicator,
                   declared=indicators[indicator]),
                 M(N_("record the figure in the indicator's unit or the same quantity on another scale "
                      "(万人 for 人), as the publication states it")))
        return None
    as_written = _text(node, "as_written", label, sink, item)
    locator = _text(node, "locator", label, sink, item)
    if as_written is None or locator is None:
        return None
    if not _digits_agree(as_written, value):
        _problem(sink, label, node.line_of("as_written"), "E184", item,
                 M(N_("the value {value} is not what {as_written!r} says"), value=value, as_written=as_written))
        return None
    if not _plausible(float(value), unit):
        _problem(sink, label, node.line_of("value"), "E184", item,
                 M(N_("implausible value {value}"), value=f"{value} {unit}" if unit else f"{value}"))
        return None
    known = source.known_by
    if known is not None and known < year:
        _problem(sink, label, node.line, "E187", item, M(N_("a {year} figure in a publication of {published}"),
                                                         year=year, published=known))
        return None
    use = node.get("use")
    if use is not None and not isinstance(use, bool):
        _problem(sink, label, node.line_of("use"), "E111", item, M(N_("'use' is true or false")))
        return None
    return Figure(place, indicator, year, float(value), unit, as_written, locator, source,
                  _date(node, "as_of", label, sink, item), use,
                  _text(node, "jump", label, sink, item, required=False), label, node.line, scale)


def _digits_agree(as_written: str, value) -> bool:
    """The recorded value is the number written (54.81% -> 54.81; 6.31万人 -> 6.31)."""
    numbers = re.findall(r"\d+(?:\.\d+)?", as_written)
    return any(abs(float(n) - float(value)) < 1e-9 for n in numbers)


def _plausible(value: float, unit: str | None) -> bool:
    if unit == "%":
        return 0.0 <= value <= 100.0
    return value >= 0.0


def _check_series(figures: list[Figure], sink: Sink) -> None:
    """No figure twice; disagreeing publications settled by ``use``; no jump."""
    groups: dict[tuple, list[Figure]] = {}
    for f in figures:
        groups.setdefault((f.place, f.indicator, f.year, f.as_of), []).append(f)
    for (place, indicator, year, _as_of), figs in groups.items():
        seen: dict[str, Figure] = {}
        for f in figs:
            if f.source.id in seen:
                _problem(sink, f.file, f.file_line, "E186", f.source.id,
                         M(N_("{indicator} {year} recorded twice from one source (first on line {first})"),
                           indicator=indicator, year=year, first=seen[f.source.id].file_line))
            seen[f.source.id] = f
        values = {round(f.indicator_value, 6) for f in figs}
        used = [f for f in figs if f.use]
        if len(values) > 1 and len(used) != 1:
            first = figs[0]
            _problem(sink, first.file, first.file_line, "E186", f"{place}/{indicator}/{year}",
                     M(N_("publications disagree ({values}) and none is marked 'use: true'") if not used else
                       N_("publications disagree ({values}) and more than one is marked 'use: true'"),
                       values=listed(M(N_("{value} in {source}"), value=f"{f.value:g}", source=f.source.id)
                                     for f in figs)),
                     M(N_("keep both; mark the one used (a later revision) with use: true")))
    for (place, indicator), series in _series(figures).items():
        for (y0, a), (y1, b) in zip(series, series[1:]):
            if b.jump:
                continue
            if _jumps(a.indicator_value, b.indicator_value, y1 - y0, a.unit == "%"):
                _problem(sink, b.file, b.file_line, "E185", f"{place}/{indicator}/{y1}",
                         M(N_("{indicator} moves from {before} ({year_before}) to {after} ({year})"),
                           indicator=indicator, before=f"{a.value:g} {a.unit}" if a.unit else f"{a.value:g}",
                           year_before=y0, after=f"{b.value:g} {b.unit}" if b.unit else f"{b.value:g}", year=y1),
                         M(N_("check the figure; if it is right, say why with 'jump:'")), severity="warning")


def _series(figures: list[Figure]) -> dict[tuple[str, str], list[tuple[int, Figure]]]:
    """Each place's indicator as one value a year: the figure used."""
    chosen: dict[tuple[str, str, int], Figure] = {}
    for f in sorted(figures, key=lambda f: (f.use is not True,)):
        chosen.setdefault((f.place, f.indicator, f.year), f)
    out: dict[tuple[str, str], list[tuple[int, Figure]]] = {}
    for (place, indicator, year), f in sorted(chosen.items()):
        out.setdefault((place, indicator), []).append((year, f))
    return out


def series(figures: list[Figure], place: str, indicator: str) -> list[Figure]:
    """The series of one place and indicator, one figure a year (the one
    used where publications disagree), in year order."""
    return [f for _y, f in _series(figures).get((place, indicator), [])]


def _jumps(a: float, b: float, years: int, percent: bool) -> bool:
    years = max(1, years)
    if percent:
        return abs(b - a) > JUMP_POINTS * years
    if a == 0:
        return b != 0
    return abs(b - a) / abs(a) > JUMP_RATIO * years
