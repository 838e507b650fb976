"""How well `cz ingest` drafts places (ingest/places.py) on real plans it
was not built on: the region's place, and each drafted target scope's reading.

    .venv/bin/python bench/places_eval.py            # the summary
    .venv/bin/python bench/places_eval.py --show     # every region and scope, to check by hand

The texts are the git-ignored ``bench/unseen/`` (copied from
/work/unseen-texts when that exists and bench/unseen does not); the gold
regions are ``bench/unseen_gold/*.yaml`` (``catalogue.region``: one name or
the names a curator may write).  Each text is drafted in memory as `cz
ingest --dry-run` drafts it, against the repository's data/.

* region right: the drafted place is the place the gold region names
  (every accepted spelling read with the place vocabulary, one place each);
  ``proposed``: the vocabulary lacks it and ingest proposed one — right when
  the gold region names no known place either and the proposal's name is
  the gold's last place name;
* scopes: every distinct (text, scope) the draft sets, with how it reads:
  read by the vocabulary as it is, or through proposals (which kinds) —
  printed with ``--show`` for a hand check (docs/places.md gives the result);
  a gold region that is null and in ``stated_not`` (the text never names its
  place) is drafted right when the draft leaves it unread and flagged, or
  names a place the gold accepts;
* scopes on the gold: every gold target's ``scope`` (or ``scope_contains``)
  as bench/unseen_eval.py scores it — the draft as `cz ingest FILE
  --dry-run` makes it, the target matched by its line and value — right,
  wrong (flagged: the target's review says ``scope: …``), or missing, apart
  for the gold targets that name a scope and those that name none (whose
  draft must leave it empty); a gold target not drafted at all is counted
  apart (its scope is not scored).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))
TEXTS = HERE / "unseen"
GOLD = HERE / "unseen_gold"
ORIGIN = Path("/work/unseen-texts")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--plan")
    args = ap.parse_args()
    if not TEXTS.is_dir() and ORIGIN.is_dir():
        shutil.copytree(ORIGIN, TEXTS)
    if not TEXTS.is_dir():
        print("bench/unseen/ is absent (texts are not committed): nothing to measure")
        return 0
    from chengzhen.ingest.draft import make_draft
    from chengzhen.ingest.places import load_book

    book = load_book(REPO / "data")
    regions = Counter()
    hows = Counter()
    scopes = Counter()
    shown = []
    for g in sorted(GOLD.glob("*.yaml")):
        gold = yaml.safe_load(g.read_text(encoding="utf-8"))
        if args.plan and g.stem != args.plan:
            continue
        text = TEXTS / gold["file"]
        if not text.is_file():
            regions["text absent"] += 1
            continue
        want = (gold.get("catalogue") or {}).get("region")
        accepted = ((gold.get("accept") or {}).get("region") or [])
        names = [w for w in ([want] if isinstance(want, str) else (want or [])) + list(accepted) if isinstance(w, str)]
        codes = {c for w in names for c in [book.resolve_one(w)] if c}
        try:
            d = make_draft(text, REPO / "data", plan_id="evalplan")
        except Exception as exc:  # noqa: BLE001 - a text ingest refuses: counted
            regions["draft refused"] += 1
            shown.append(f"{g.stem}: refused ({exc})")
            continue
        pd = d.places
        got = pd.region if pd else None
        hows[pd.region_how if pd else "none"] += 1
        proposed = [p for p in (pd.proposed.get("supplied") or [])] if pd else []
        unstated = want is None and "region" in (gold.get("stated_not") or [])
        if unstated and got is None and pd is not None and pd.region_how == "unread" and pd.review_notes:
            verdict = "right (unstated, flagged)"  # the text never names its place: empty and flagged is right
        elif not names:
            verdict = "no gold region"
        elif codes:
            verdict = "right" if got in codes else "wrong"
        else:  # the gold region is no place the vocabulary knows: a proposal of its name is right
            last = names[0]
            verdict = "right (proposed)" if any(last.endswith(p["name"]) for p in proposed) else "wrong"
        regions[verdict] += 1
        shown.append(f"{g.stem}: region {d.entry.get('region')!r} -> {got} ({pd.region_how if pd else '-'}); "
                     f"gold {names} -> {sorted(codes)}: {verdict}")
        for scope, r in (pd.readings.items() if pd else []):
            kinds = [k for k, v in pd.proposed.items() if any(
                (e.get("name") or e.get("id") or "") in scope or any(n in scope for n in e.get("names") or [])
                for e in v)]
            how = "proposed " + "+".join(sorted(kinds)) if kinds else "read"
            scopes[how] += 1
            desc = ", ".join(x for x in (
                " ".join(f"{c} {book.places[c].name if c in book.places else '(proposed)'}" for c in r.places),
                "zones " + "、".join(r.zones) if r.zones else "", "groups " + "、".join(r.groups) if r.groups else "",
                "part " + r.part if r.part else "", "class " + r.klass if r.klass else "") if x)
            shown.append(f"    scope {scope!r}: {how}: {desc}")
    if args.show:
        print("\n".join(shown))
    print("regions:", dict(regions))
    print("leave-one-out on the curated scopes (each zone, group, place and class the scopes name removed from the "
          "vocabulary, then proposed by its form):", dict(leave_one_out(book, args.show)))
    print("region read as:", dict(hows))
    print("scopes:", dict(scopes), "total", sum(scopes.values()))
    table = gold_scopes(args.plan, args.show)
    print("| gold scope | right | wrong, flagged | wrong, unflagged | missing, flagged | missing, unflagged "
          "| target not drafted |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind in ("named", "none"):
        c = table[kind]
        print(f"| {'names a scope' if kind == 'named' else 'none (the plan region)'} | {c['correct']} | "
              f"{c['wrong_flagged']} | {c['wrong_unflagged']} | {c['missing_flagged']} | {c['missing_unflagged']} | "
              f"{c['not drafted']} |")
    return 0


def gold_scopes(only: str | None, show: bool) -> dict[str, Counter]:
    """Every gold target's scope as bench/unseen_eval.py scores it: by
    whether the gold names a scope ("named") or none ("none"), the outcome."""
    import tempfile

    import unseen_eval as U

    out = {"named": Counter(), "none": Counter()}
    plans = [U.Plan(g) for g in sorted(GOLD.glob("*.yaml")) if not only or g.stem == only]
    plans = [p for p in plans if p.text.is_file()]
    with tempfile.TemporaryDirectory(prefix="cz-places-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("build"))
        for p in plans:
            p.draft(data)
            p.score()
    for p in plans:
        for n in p.gold.get("numbers") or []:
            spec = n.get("target")
            if not isinstance(spec, dict) or not ("scope" in spec or "scope_contains" in spec):
                continue
            kind = "named" if spec.get("scope") or spec.get("scope_contains") else "none"
            field = next((f for f in p.fields if f["kind"] == "target.scope" and f["key"] == n["near"]), None)
            outcome = field["outcome"] if field else "not drafted"
            out[kind][outcome] += 1
            if show and outcome != "correct":
                print(f"    gold scope {p.name} {n['near']!r}: {outcome} {field['detail'] if field else ''}")
    return out


def leave_one_out(book, show: bool) -> Counter:
    """For every piece of every curated scope (data/places-scopes.yaml) that
    names a zone, a group, a county or a class: a vocabulary without it, the
    scope drafted, and the proposal's kind compared with the curated one."""
    import copy

    from chengzhen.ingest.places import PlacesDraft, _propose_piece
    from chengzhen.kb.places import split_list

    doc = yaml.safe_load((REPO / "data" / "places-scopes.yaml").read_text(encoding="utf-8"))
    out = Counter()
    seen = set()
    for e in doc["scopes"]:
        region = doc["regions"][e["plan"]]
        for piece in split_list(e["scope"]):
            if piece in seen:
                continue
            seen.add(piece)
            b = copy.deepcopy(book)
            r = b.read_scope(piece, region)
            if r.zones:
                want = "zones"
                for z in r.zones:
                    for n in [n for n, v in b.zone_names.items() if v == z]:
                        del b.zone_names[n]
                    del b.zones[z]
            elif r.groups:
                want = "groups"
                for g in r.groups:
                    del b.groups[g]
            elif r.klass:
                want = "classes"
                for n in [n for n, v in b.parts.items() if v.name == r.klass]:
                    del b.parts[n]
            elif r.places and not r.part and piece in b.names and b.places[r.places[0]].level == "county":
                want = "supplied"
                for n in (b.places[r.places[0]].name, b.places[r.places[0]].short):
                    b.names[n] = tuple(c for c in b.names.get(n, ()) if c != r.places[0])
                del b.places[r.places[0]]
            else:
                continue
            if not b.read_scope(piece, region).unresolved:
                continue  # another name still reads it (an alias): nothing to propose
            pd = PlacesDraft(book=b)
            _propose_piece("curated", piece, 0, region, b, pd)
            got = next(iter(pd.proposed), None)
            verdict = "right" if got == want else "wrong"
            out[f"{want} {verdict}"] += 1
            if show:
                print(f"    curated {piece!r} ({e['plan']}): {want} -> proposed {got}: {verdict}")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
