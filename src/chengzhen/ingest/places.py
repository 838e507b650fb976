"""Where a drafted plan and its targets are (issue 23; docs/places.md,
"Drafting places"): the plan's region as exactly one place of the place
vocabulary, and each target's scope as places, zones, named groups, a part
or a class — what `cz validate` requires (E176, E177).

* **The region.** The region ingest/front.py read (the title's place, else
  the issuer's) is looked up with the vocabulary's names, short names and
  aliases.  A name several places share (朝阳区) is narrowed by the places
  above each that the title, the issuer and the 落款 name, and written in
  full (北京市朝阳区).  A name the vocabulary lacks (a made-up 东川省, a
  county created after the 2023 tables) is proposed as a place: its parent
  the place its name begins with, else the province the text names most;
  its level and kind from its last character; a **provisional** code (the
  first free one under its parent, from the top) — flagged, since only the
  curator can give the GB/T 2260 code.
* **Each scope.** Read as `cz build` will read it (``PlaceBook.read_scope``
  inside the region).  A piece nothing reads is proposed by its form: a
  named group (…都市圈, …城市群), a zone (…开发区, …园区, …新区) within the
  place its name begins with or the region, a place (…县, …区, …市) in the
  region, else a class (乡村-like: a kind of place, or no place at all),
  each flagged for review.

Proposals go to the plan's own vocabulary file (``vocabulary/<id>.yaml``,
``places:``, the sections of data/places.yaml), each with its ``review:``
(E304 until `cz review ID --accept vocabulary`); loading merges them, so the
draft validates as it stands and after the curator accepts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from chengzhen.kb.places import CODE, Group, Part, Place, PlaceBook, Zone, split_list

GROUP_WORDS = ("都市圈", "城市群", "经济圈", "城市圈", "经济带", "城镇群", "城市带", "生态圈", "协同发展区", "一体化发展区")
ZONE_WORDS = ("经济技术开发区", "高新技术产业开发区", "高新技术产业园区", "经济开发区", "产业开发区", "高新区", "开发区",
              "产业园区", "工业园区", "工业集中区", "产业园", "工业园", "园区", "新区", "综合保税区", "保税区",
              "示范区", "试验区", "合作区", "经济区", "片区")
# a place's kind, from its name's end (longest first): (kind, level under a province, level under a city)
KINDS = (("特别行政区", "province", "province"), ("自治区", "province", "province"), ("自治州", "city", "city"),
         ("自治县", "county", "county"), ("自治旗", "county", "county"), ("地区", "city", "city"),
         ("特区", "county", "county"), ("林区", "county", "county"), ("省", "province", "province"),
         ("盟", "city", "city"), ("州", "city", "city"), ("市", "city", "county"), ("县", "county", "county"),
         ("旗", "county", "county"), ("区", "county", "county"))
# words that make a piece a class or a part, never a place's name (各县(市、区), 全市, 所有…, 以上…)
NOT_A_NAME = re.compile(r"^(?:各|全|所有|其他|其余|部分|重点|主要|中心|新建)|以上|以下|及以上|周边|沿线|"
                        r"民族|贫困|脱贫|欠发达|老区|边境|农村|乡村|城镇|潜力|试点|示范")
LEVEL_RANK = {"national": 0, "province": 1, "city": 2, "county": 3}
# what an entry of each section of data/places.yaml is, in a review line
SECTION_WORDS = {"supplied": "place", "aliases": "place name", "zones": "zone", "groups": "named group",
                 "parts": "part of places", "classes": "scope"}


@dataclass
class PlacesDraft:
    """What ingest drafted of a plan's places: the region's code, each
    scope's reading, and the entries proposed (the sections of
    data/places.yaml, each entry with its ``review``)."""

    region: str | None = None
    region_how: str = ""
    proposed: dict[str, list[dict]] = field(default_factory=dict)
    readings: dict[str, object] = field(default_factory=dict)  # scope as written -> ScopeReading
    book: PlaceBook | None = None  # the vocabulary with the proposals, as validation will load it
    review_notes: list[str] = field(default_factory=list)  # what the region's reading needs a curator to check

    def count(self) -> int:
        return sum(len(v) for v in self.proposed.values())


def load_book(data: Path) -> PlaceBook | None:
    """The data directory's place vocabulary (with every plan's proposals),
    or None: no place files, or broken ones (validation reports those)."""
    from chengzhen.ingest.known import load_places as read
    from chengzhen.kb.geo import has_places

    if not has_places(data):
        return None
    book, problems = read(data)  # read once per process while its files are unchanged; a copy of its own
    return None if any(p.severity == "error" for p in problems) else book


def draft_places(plan_id: str, entry: dict, body: dict, lines: list[str], book: PlaceBook | None) -> PlacesDraft:
    """The region's place and every scope's reading, proposing what the
    vocabulary lacks (``book`` is changed to hold the proposals).  ``entry``'s
    region is rewritten in full when that is what makes it name one place."""
    out = PlacesDraft(book=book)
    words = {id(t): t.pop("_scope_words", None) for t, _ in _targets(body)}
    if book is None:
        return out
    out.region = _region(plan_id, entry, lines, book, out)
    for t, line in _targets(body):
        if not t.get("scope") and words.get(id(t)):
            _known_opening(t, words[id(t)], out.region, book)
        scope = t.get("scope")
        if not scope or scope in out.readings:
            continue
        r = book.read_scope(scope, out.region)
        if len(r.unresolved) > 1:
            # several pieces nothing reads (绵阳、宜宾—泸州、南充—达州省域经济副中心和区域中心城市乐山): no piece's form
            # is to be trusted — the scope as written is proposed as one, for the curator to say what it names
            _propose_class(plan_id, scope, line, book, out)
            r = book.read_scope(scope, out.region)
        elif r.unresolved:
            for piece in r.unresolved:
                _propose_piece(plan_id, piece, line, out.region, book, out)
            r = book.read_scope(scope, out.region)
        out.readings[scope] = r
    return out


def region_place(entry: dict, lines: list[str], book: PlaceBook | None) -> Place | None:
    """The place :func:`draft_places` will read ``entry``'s region as (a
    place it would propose included), without proposing anything or
    changing ``entry`` or ``book``: a drafted plan's id is made from it."""
    if book is None:
        return None
    from dataclasses import replace

    probe = replace(book, places=dict(book.places), names=dict(book.names))
    code = _region("", dict(entry), lines, probe, PlacesDraft(book=probe))
    return probe.places.get(code) if code else None


def _known_opening(t: dict, words: str, region: str | None, book: PlaceBook) -> None:
    """A target whose clause opens with words of its own before its
    indicator that are no place's form (贵阳贵安经济首位度: 贵阳贵安经济): the
    longest opening of them the vocabulary reads as places, zones or named
    groups inside the region is its scope, flagged; else none."""
    for n in range(len(words), 1, -1):
        head = words[:n]
        if not all(x in book.groups or x in book.zone_names or x in book.names or any(x.endswith(q) for q in book.parts)
                   for x in re.split(r"[、和及与]", head)):
            continue  # (read_scope is the judge; this only skips openings whose pieces no name could read)
        r = book.read_scope(head, region)
        if not r.unresolved and not r.klass and (r.places or r.zones or r.groups) and r.places != (region,):
            t["scope"] = head
            t["review"] = "; ".join(x for x in (t.get("review"), f"scope: {head} read from the words that open the "
                                                f"figure's clause ({words}): is the figure its? (clear scope if not)") if x)
            return


def _targets(body: dict):
    def measures(ms):
        for m in ms or []:
            for t in m.get("targets") or []:
                yield t, t.get("line") or m.get("line") or 0

    yield from measures(body.get("measures"))
    stack = list(body.get("sections") or [])
    while stack:
        s = stack.pop(0)
        yield from measures(s.get("measures"))
        stack[:0] = list(s.get("sections") or [])


# --------------------------------------------------------------------------- the region

def _context(entry: dict, lines: list[str]) -> str:
    """Where a plan says whose it is: its title, its issuer, its first lines
    (a notice's heading) and its last (the 落款)."""
    head = "".join(lines[:6])
    tail = "".join(lines[-15:])
    return "".join(str(entry.get(k) or "") for k in ("name", "issuer")) + head + tail


def _region(plan_id: str, entry: dict, lines: list[str], book: PlaceBook, out: PlacesDraft) -> str | None:
    region = (entry.get("region") or "").strip()
    if not region:  # none read (ingest/front.py): the place the text opens with, else the province it names most
        return _unnamed_region(entry, lines, book, out)
    codes = book.resolve(region)
    if len(codes) == 1:
        lower = _speaks_as(book, codes[0], entry, lines)
        if lower is not None:
            full = _full_name(book, lower) or book.places[lower].name
            out.review_notes.append(f"region: the title and the issuer name no place, and the text speaks of itself "
                                    f"as 我市 or 我县, never 我省: read as {full} ({lower}), the place within "
                                    f"{book.places[codes[0]].name} it names most")
            _flag(entry, out.review_notes[-1])
            entry["region"] = full
            entry["level"] = book.places[lower].level
            out.region_how = "speaks as"
            return lower
        out.region_how = "named"
        return codes[0]
    context = _context(entry, lines)
    if codes:
        named = [c for c in codes if any(_named_in(book, a, context) for a in book.ancestors(c)
                                         if book.places[a].level != "national")]
        if len(named) == 1:
            code = named[0]
            full = _full_name(book, code)
            if full and full != region:
                entry["region"] = full
                out.review_notes.append(f"region: {region} names {len(codes)} places; {full} ({code}) is the one whose "
                                 f"province or city the title, issuer or 落款 names")
                _flag(entry, out.review_notes[-1])
            out.region_how = "narrowed"
            return code
        out.review_notes.append("region: " + region + " names several places (" + "、".join(
            f"{book.places[c].name} {c}" for c in codes) + "): write the region in full")
        _flag(entry, out.review_notes[-1])
        out.region_how = "ambiguous"
        return None
    short = _short_with_kind(book, region)
    if short is not None:  # 西双版纳州: the short name of 西双版纳傣族自治州 and its kind's last word
        entry["region"] = _full_name(book, short) or book.places[short].name
        out.region_how = "named"
        return short
    parent, rest = _parent_prefix(book, region)
    if _kind_of(rest) is None or (parent is not None and _part_of_a_word(rest, context)):
        # not a place's name (a title's words: 浙江省新型城市(化), 滇中城市(群); an id): the place its
        # text opens with — the region's own known beginning, else the issuer's or the title's
        code, opening = parent or _opening_place(book, [entry.get("issuer"), entry.get("name"), *lines[:3]]), True
        if code is None:
            code, opening = _province_in(book, "".join(lines)), False
        if code is not None:
            full = _full_name(book, code) or book.places[code].name
            out.review_notes.append(
                f"region: {region} is no place's name; read as {full} ({code}), the place its text opens with"
                if opening else
                f"region: {region} is no place's name; read as {full} ({code}), the province its text names most")
            _flag(entry, out.review_notes[-1])
            entry["region"] = full
            out.region_how = "opening"
            return code
    code = _propose_place(plan_id, region, None, book, out,
                          _line_of(lines, region) or _line_of(lines, rest),
                          "the plan's region", context)
    out.region_how = "proposed" if code else "unread"
    if code is None:
        out.review_notes.append(f"region: {region} is no place the vocabulary knows, and its form says not where it lies: "
                         "add it to data/places.yaml (supplied, with its code and parent) or correct the region")
        _flag(entry, out.review_notes[-1])
    return code


def _unnamed_region(entry: dict, lines: list[str], book: PlaceBook, out: PlacesDraft) -> str | None:
    """A region front.py found no words for: the place the issuer, the
    title or the first lines open with, else the province the text names
    most — written in full, with its level (and a short name, when none was
    read), flagged; else None (left empty)."""
    code, opening = _opening_place(book, [entry.get("issuer"), entry.get("name"), *lines[:3]]), True
    if code is None:
        code, opening = _province_in(book, "".join(lines)), False
    if code is None:
        return None
    place = book.places[code]
    full = _full_name(book, code) or place.name
    out.review_notes.append(
        f"region: the title and the issuer name no region; read as {full} ({code}), the place its text opens with"
        if opening else
        f"region: the title and the issuer name no region; read as {full} ({code}), the province its text names most")
    _flag(entry, out.review_notes[-1])
    entry["region"], entry["level"] = full, place.level
    entry["short_name"] = entry.get("short_name") or place.short or place.name
    out.region_how = "opening"
    return code


# how a plan speaks of its own place below a province (我区 is also a 自治区's: not read)
SELF = {"city": re.compile(r"我市|我州|我盟"), "county": re.compile(r"我县|我旗")}


def _speaks_as(book: PlaceBook, province: str, entry: dict, lines: list[str]) -> str | None:
    """A province read only because the text names it most, whose text
    speaks as a city or county (我市, 我县) and never as the province (我省):
    the place of that level inside it the text names most, when one does."""
    p = book.places[province]
    supplied = entry.get("supplied") or {}
    said = "".join(str(entry.get(k) or "") for k in ("name", "issuer") if k not in supplied)  # as written
    if p.level != "province" or _named_in(book, province, said):
        return None
    text = "".join(lines)
    if "我省" in text:
        return None
    for level, words in SELF.items():
        if not words.search(text):
            continue
        counts = {}
        for c in _below(book, province, level):
            q = book.places[c]
            n = text.count(q.name) + (text.count(q.short) - text.count(q.name) if len(q.short) >= 2 else 0)
            if n:
                counts[c] = n
        best = sorted(counts.items(), key=lambda kv: -kv[1])
        if best and (len(best) == 1 or best[0][1] > best[1][1]):
            return best[0][0]
    return None


def _below(book: PlaceBook, code: str, level: str) -> list[str]:
    out, stack = [], list(book.children(code))
    while stack:
        c = stack.pop()
        if book.places[c].level == level:
            out.append(c)
        elif LEVEL_RANK[book.places[c].level] < LEVEL_RANK[level]:
            stack.extend(book.children(c))
    return out


def _short_with_kind(book: PlaceBook, name: str) -> str | None:
    """The one place whose short name ``name`` is, written with the last
    word of its kind (西双版纳州 → 西双版纳傣族自治州, 峨边县 → 峨边彝族自治县)."""
    kind = _kind_of(name)
    if kind is None:
        return None
    stem = name[: -len(kind[0])]
    got = [c for c in book.resolve(stem) if book.places[c].kind.endswith(kind[0])]
    return got[0] if len(got) == 1 else None


def _part_of_a_word(name: str, text: str) -> bool:
    """Every time the text writes ``name`` it goes on as a longer word
    (滇中城市 of 滇中城市群, 新型城市 of 新型城市化): not a place's name."""
    at = [i for i in range(len(text)) if text.startswith(name, i)]
    return bool(at) and all(text[i + len(name): i + len(name) + 1] in tuple("群化圈带") for i in at)


def _opening_place(book: PlaceBook, texts: list) -> str | None:
    """The place the first of ``texts`` that opens with one opens with (the longest name that names one place)."""
    for text in texts:
        if not isinstance(text, str):
            continue
        text = text.strip()
        for n in range(min(len(text), 16), 1, -1):
            codes = book.resolve(text[:n])
            if len(codes) == 1 and (n > 2 or book.places[codes[0]].level == "province"):
                return codes[0]
    return None


def _named_in(book: PlaceBook, code: str, text: str) -> bool:
    p = book.places[code]
    return p.name in text or (len(p.short) >= 2 and p.short in text)


def _full_name(book: PlaceBook, code: str) -> str | None:
    """A name that names ``code`` alone: its own, else after its province's."""
    p = book.places[code]
    if book.resolve(p.name) == (code,):
        return p.name
    for a in book.ancestors(code):
        q = book.places[a]
        if q.level == "province" and book.resolve(q.name + p.name) == (code,):
            return q.name + p.name
    return None


def _line_of(lines: list[str], text: str) -> int:
    return next((n for n, ln in enumerate(lines, 1) if text in ln), 0)


def _flag(entry: dict, reason: str) -> None:
    entry["review"] = "; ".join(x for x in (entry.get("review"), reason) if x)


# --------------------------------------------------------------------------- proposals

def _propose_piece(plan_id: str, piece: str, line: int, region: str | None, book: PlaceBook,
                   out: PlacesDraft) -> None:
    where = f"cz ingest, {plan_id} line {line}"
    generic = piece in GROUP_WORDS or piece in ZONE_WORDS  # 园区, 开发区 alone: a class of places, no one place
    for word in () if generic else GROUP_WORDS:
        if piece.endswith(word) and len(piece) > len(word):
            book.groups[piece] = Group(piece, piece, None, where)
            _add(out, "groups", {"id": piece, "name": piece, "members": None,
                                 "note": f"a target's scope in {plan_id} (line {line}); no source here lists its members",
                                 "review": f"proposed by {where}: a named group of places; list its members "
                                           "(codes) with their source, or leave members null"})
            return
    for word in () if generic else ZONE_WORDS:
        if piece.endswith(word) and len(piece) > len(word):
            inside = _leading_place(book, piece[: -len(word)], region) or region
            if inside is None:
                break
            book.zones[piece] = Zone(piece, (), word, inside, where)
            book.zone_names[piece] = piece
            _add(out, "zones", {"name": piece, "kind": word, "within": inside,
                                "reason": f"a target's scope in {plan_id} (line {line})",
                                "review": f"proposed by {where}: a zone within {book.places[inside].name} "
                                          f"({inside}) as far as its name or the plan says; check where it lies"})
            return
    if not generic and _kind_of(piece) and not NOT_A_NAME.search(piece) and len(piece) >= 2:
        if _propose_place(plan_id, piece, region, book, out, line, "a target's scope", ""):
            return
    _propose_class(plan_id, piece, line, book, out)


def _propose_class(plan_id: str, piece: str, line: int, book: PlaceBook, out: PlacesDraft) -> None:
    where = f"cz ingest, {plan_id} line {line}"
    book.parts[piece] = Part(piece, (), f"as {plan_id} writes it (line {line})", "class")
    _add(out, "classes", {"name": piece, "means": f"a target's scope as {plan_id} writes it (line {line}): "
                                                  "a class of places within the region, a part, or no place",
                          "review": f"proposed by {where}: not a place, zone or group the vocabulary knows; "
                                    "say what it means (a class, a part, an alias of a place)"})


def _leading_place(book: PlaceBook, head: str, region: str | None) -> str | None:
    """The place a name begins with (六枝经济开发区 → 六枝特区), inside the region first."""
    for n in range(len(head), 1, -1):
        code = book.resolve_one(head[:n], region)
        if code is not None and (region is None or book.within(code, region) is not False):
            return code
    return None


def _kind_of(name: str) -> tuple[str, str, str] | None:
    for kind, under_province, under_city in KINDS:
        if name.endswith(kind) and len(name) > len(kind):
            return kind, under_province, under_city
    return None


def _propose_place(plan_id: str, name: str, region: str | None, book: PlaceBook, out: PlacesDraft, line: int,
                   what: str, context: str) -> str | None:
    """Propose ``name`` (as written: maybe after its province or city) as a
    place with a provisional code; returns the code, or None when its form
    says nothing of its level."""
    parent, rest = _parent_prefix(book, name)
    if parent is None:
        parent = region if region and book.places[region].level != "county" else None
    if parent is not None and book.places[parent].level == "province" and context:
        # the text names it after its city (贵州省六盘水市新城县, 六盘水新城县): that city is its parent
        cities = [c for c in book.children(parent) if book.places[c].level == "city"
                  and any(n + rest in context for n in {book.places[c].name, book.places[c].short} if len(n) >= 2)]
        if len(cities) == 1:
            parent = cities[0]
    kind = _kind_of(rest)
    if kind is None:
        return None
    word, under_province, under_city = kind
    if parent is None:
        parent = "000000" if under_province == "province" else (_province_in(book, context) or "000000")
    plevel = book.places[parent].level
    level = (under_province if plevel in ("national", "province") else under_city)
    if LEVEL_RANK[level] <= LEVEL_RANK[plevel]:
        level = {"national": "province", "province": "city", "city": "county"}.get(plevel, "county")
        if plevel == "county":
            return None
    code = _free_code(book, parent, level)
    if code is None:
        return None
    short = rest[: -len(word)] if len(rest) - len(word) >= 2 else rest
    book.places[code] = Place(code, rest, short, level, word, parent)
    for n in dict.fromkeys((rest, short)):
        book.names[n] = tuple(dict.fromkeys((*book.names.get(n, ()), code)))
    where = f"cz ingest, {plan_id} line {line}"
    if parent == "000000" and level != "province":
        out.review_notes.append(f"{rest}: the text names no province it lies in; proposed with {code} under 全国")
    _add(out, "supplied", {"code": code, "name": rest, "short": short, "level": level, "kind": word,
                           "parent": parent, "reason": f"{what} in {plan_id} (line {line}); not in data/places.tsv",
                           "review": f"proposed by {where}: {code} is a provisional code (the first free one under "
                                     f"{book.places[parent].name}): give its GB/T 2260 code, check its parent and level, "
                                     "or make the name an alias of a place the vocabulary has"})
    if book.resolve(name) != (code,):
        book.places[code] = _aliased(book.places[code], name)
        book.names[name] = (code,)
        _add(out, "aliases", {"place": code, "names": [name], "reason": f"as {plan_id} writes it (line {line})",
                              "review": f"proposed by {where} with the place {code}"})
    return code


def _aliased(p: Place, name: str) -> Place:
    values = {f: getattr(p, f) for f in p.__dataclass_fields__}
    values["aliases"] = p.aliases + (name,)
    return Place(**values)


def _parent_prefix(book: PlaceBook, name: str) -> tuple[str | None, str]:
    """(the place a name begins with, the rest): 贵州省东川县 → (520000, 东川县); the longest known prefix."""
    for n in range(len(name) - 2, 1, -1):
        codes = book.resolve(name[:n])
        if len(codes) == 1 and CODE.match(codes[0]) and book.places[codes[0]].level != "county" \
                and book.places[codes[0]].name == name[:n]:
            inner = _parent_prefix(book, name[n:]) if len(name) - n > 3 else (None, name[n:])
            if inner[0] is not None and book.within(inner[0], codes[0]):
                return inner
            return codes[0], name[n:]
    return None, name


def _province_in(book: PlaceBook, text: str) -> str | None:
    """The province the text names most (by full name, then short name)."""
    best = None
    for code, p in book.places.items():
        if p.level != "province":
            continue
        n = text.count(p.name) * 2 + (text.count(p.short) - text.count(p.name) if len(p.short) >= 2 else 0)
        if n and (best is None or n > best[0]):
            best = (n, code)
    return best[1] if best else None


def _free_code(book: PlaceBook, parent: str, level: str) -> str | None:
    """The first free code under ``parent`` for a place of ``level``, from the top (99)."""
    used = set(book.places)
    if parent == "000000":  # a province, or a place whose province the text does not name: a free province's digits
        taken = {c[:2] for c in used}
        tail = {"province": "0000", "city": "0100", "county": "0101"}[level]
        candidates = (f"{n:02d}{tail}" for n in range(99, 80, -1) if f"{n:02d}" not in taken)
    elif level == "city":
        candidates = (f"{parent[:2]}{n:02d}00" for n in range(99, 70, -1))
    elif book.places[parent].level == "city":
        candidates = (f"{parent[:4]}{n:02d}" for n in range(99, 70, -1))
    else:  # a county right under its province (省直辖县级): pp90xx
        candidates = (f"{parent[:2]}90{n:02d}" for n in range(99, 0, -1))
    return next((c for c in candidates if c not in used), None)


def _add(out: PlacesDraft, section: str, entry: dict) -> None:
    out.proposed.setdefault(section, []).append(entry)
