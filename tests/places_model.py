"""Where each target is set, read on its own from a data directory's files
(never through kb/places.py, store/geo.py or query/places.py): the
divisions of data/places.tsv with their parents, data/places.yaml's
supplied places, aliases, zones and groups, and data/places-scopes.yaml —
the reviewed reading of every scope as written (tests/test_places.py checks
the reader still gives exactly it).  A scope the reviewed file lacks (a
plan added since) is read here only when it is one whole name (a group, a
zone, a place); anything else fails the test that asks, naming it.

What a filter must answer (docs/places.md, "Scopes in queries"):

* a target is *set for* a place when the place is among the places its
  scope names (whole, or a part of it: 盘州城区 is set for 盘州); a target
  without a scope is set for its plan's place;
* it *lies in* a place when any division it is anchored to — its places,
  its zones' places, its listed groups' members, else its plan's place —
  is that place or inside it (``within``);
* a zone: the scope names it (``within`` changes nothing: nothing lies
  inside a zone); a place with a part (盘州城区): the scope names the place
  with that part (``within`` changes nothing);
* a group: the scope names it; ``within``, when data/places.yaml lists its
  members: also what lies in each member place, and what names each member
  zone — a group whose members no source lists is not widened;
* 全省 (a level word): set for the own place of a plan of that level by
  that plan (``within``: lying in such a place).
"""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
LEVEL_WORDS = {"全省": "province", "全市": "city", "全县": "county"}


class Places:
    def __init__(self, root: Path):
        self.rows: dict[str, dict] = {}
        lines = (root / "places.tsv").read_text(encoding="utf-8").splitlines()
        header = None
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            r = dict(zip(header, cells))
            self.rows[r["code"]] = {"name": r["name"], "short": r["short"], "level": r["level"],
                                    "parent": r["parent"] or None}
        doc = yaml.safe_load((root / "places.yaml").read_text(encoding="utf-8")) or {}
        for s in doc.get("supplied") or []:
            self.rows[str(s["code"])] = {"name": s["name"], "short": s["short"], "level": s["level"],
                                         "parent": str(s["parent"]) if s.get("parent") is not None else None}
        self.aliases = {n: str(a["place"]) for a in doc.get("aliases") or [] for n in a.get("names") or []}
        self.zones = {z["name"]: str(z["within"]) for z in doc.get("zones") or []}
        self.zone_names = {n: z["name"] for z in doc.get("zones") or [] for n in [z["name"], *(z.get("names") or [])]}
        self.groups = {g["id"]: g.get("members") for g in doc.get("groups") or []}
        self.group_names = {n: g["id"] for g in doc.get("groups") or [] for n in (g["id"], g["name"])}
        proposal = REPO / "data" / "places-scopes.yaml"
        prop = yaml.safe_load(proposal.read_text(encoding="utf-8")) if proposal.is_file() else {}
        self.reviewed = {(e["plan"], e["scope"]): e for e in prop.get("scopes") or []}

    # ------------------------------------------------------------------ hierarchy
    def up(self, code: str) -> list[str]:
        out, p = [], self.rows.get(code, {}).get("parent")
        while p and p not in out:
            out.append(p)
            p = self.rows.get(p, {}).get("parent")
        return out

    def inside(self, code: str, ancestor: str) -> bool:
        return code == ancestor or ancestor in self.up(code)

    # ------------------------------------------------------------------ names
    def codes_named(self, name: str) -> list[str]:
        full = [c for c, r in self.rows.items() if r["name"] == name]
        if full:
            return full
        return sorted({c for c, r in self.rows.items() if r["short"] == name}
                      | ({self.aliases[name]} if name in self.aliases else set()))

    def region(self, region: str) -> str | None:
        """A plan's region as one code: its full name, or written after its
        province's (贵州省六盘水市)."""
        got = self.codes_named(region)
        if len(got) == 1:
            return got[0]
        for c, r in self.rows.items():
            if r["level"] == "province" and region.startswith(r["name"]) and region != r["name"]:
                inner = [x for x in self.codes_named(region[len(r["name"]):]) if self.inside(x, c)]
                if len(inner) == 1:
                    return inner[0]
        return None

    # ------------------------------------------------------------------ targets
    def reading(self, plan: str, scope: str | None, region: str | None) -> dict:
        """places, zones, groups, part, class of a target's scope."""
        if not scope:
            return {"places": [region] if region else [], "zones": [], "groups": [], "part": None, "class": None}
        e = self.reviewed.get((plan, scope))
        if e is None:
            if scope in self.group_names:
                e = {"groups": [self.group_names[scope]]}
            elif scope in self.zone_names:
                e = {"zones": [self.zone_names[scope]]}
            else:
                got = self.codes_named(scope)
                inner = [c for c in got if region and self.inside(c, region)] or got
                assert len(inner) == 1, f"{plan}: scope {scope!r} is not in data/places-scopes.yaml (review it there)"
                e = {"places": inner}
        return {"places": [str(c) for c in e.get("places") or []], "zones": list(e.get("zones") or []),
                "groups": list(e.get("groups") or []), "part": e.get("part"), "class": e.get("class")}

    def anchors(self, reading: dict, region: str | None) -> list[str]:
        out = list(reading["places"]) + [self.zones[z] for z in reading["zones"]]
        for g in reading["groups"]:
            out += [self.zones.get(m, m) for m in self.groups.get(g) or []]
        return out or ([region] if region else [])


def expected(places: Places, targets: dict[str, dict], plan_codes: dict[str, str | None], where: tuple,
             within: bool) -> set[str]:
    """The ids of the targets set for (``within``: lying in) ``where``:
    ("place", code) | ("place", code, part) | ("zone", name) | ("group", id)
    | ("level", level)."""
    kind, ref, part = (*where, None)[:3]
    out = set()
    tops = {c for c in plan_codes.values() if c and places.rows.get(c, {}).get("level") == ref} \
        if kind == "level" else set()
    for tid, t in targets.items():
        region = plan_codes.get(t["plan"])
        r = places.reading(t["plan"], t.get("scope"), region)
        anchors = places.anchors(r, region)
        if kind == "place" and part is not None:
            ok = ref in r["places"] and r["part"] == part
        elif kind == "place":
            ok = ref in r["places"] or (within and any(places.inside(a, ref) for a in anchors))
        elif kind == "zone":
            ok = ref in r["zones"]
        elif kind == "group":
            members = places.groups.get(ref) or [] if within else []
            ok = ref in r["groups"] or any(
                m in r["zones"] if m in places.zones else any(places.inside(a, str(m)) for a in anchors)
                for m in members)
        else:
            ok = (region in tops and region in r["places"]) or (
                within and any(places.inside(a, top) for a in anchors for top in tops))
        if ok:
            out.add(tid)
    return out


def places_in_data(places: Places, targets: dict[str, dict], plan_codes: dict[str, str | None]) -> list[str]:
    """Every place the data sets a target in, and every place above one."""
    codes: set[str] = set()
    for t in targets.values():
        region = plan_codes.get(t["plan"])
        r = places.reading(t["plan"], t.get("scope"), region)
        codes.update(places.anchors(r, region))
    for c in list(codes):
        codes.update(places.up(c))
    return sorted(codes)
