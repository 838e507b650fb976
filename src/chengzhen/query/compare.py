"""Compare plans measure by measure: align the measures that carry out the
same task, whatever each plan calls or numbers them.  Plain data out.

Similarity of two measures
    ``0.6 × text + 0.4 × title`` where *text* is the cosine of their TF-IDF
    vectors over jieba words (cut at build time, ``measures.cuts``) and
    *title* is rapidfuzz's ratio of their lead phrases.  IDF down-weights the
    boilerplate every plan repeats (坚持, 加快推进, 完善…机制), so measures are
    not paired for sharing it.  Measures without a lead phrase use text only.

Task first
    ``compare`` puts the measures carrying each national task (``measure_tasks``,
    curated) in that task's row, in the national order, whatever their wording;
    the text alignment below pairs only what no task covers.

Alignment of N plans (by text)
    Greedy, best pairs first: every cross-plan pair above the threshold is a
    candidate; taking them in descending score, a pair joins (or opens) a
    row unless that would put two measures of one plan in a row or the
    measure is already placed.  What is left is unique to its plan.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from dataclasses import dataclass

from chengzhen.errors import BadValue, UsageError
from chengzhen.query.browse import plan_ids
from chengzhen.query.items import Item, group_members, load_items, plan_info  # noqa: F401  (load_items: part of this module's API)
from chengzhen.text.segment import sentences
from chengzhen.text.tokens import token_chars

THRESHOLD = 0.30
# words in more than this share of all measures carry no signal
STOP_SHARE = 0.25


class TfIdf:
    """TF-IDF vectors for a set of measures, with corpus-wide IDF."""

    def __init__(self, conn: sqlite3.Connection, items: list[Item]):
        self.n = conn.execute("SELECT count(*) FROM measures").fetchone()[0] or 1
        words = {w for it in items for w in it.words}
        self.df: dict[str, int] = {}
        wl = list(words)
        for i in range(0, len(wl), 500):
            chunk = wl[i:i + 500]
            self.df.update(conn.execute(
                f"SELECT word, df FROM vocab WHERE word IN ({','.join('?' * len(chunk))})", chunk))
        self.vec: dict[str, dict[str, float]] = {}
        for it in items:
            tf = Counter(w for w in it.words if self._useful(w))
            v = {w: (1 + math.log(c)) * self._idf(w) for w, c in tf.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            self.vec[it.id] = {w: x / norm for w, x in v.items()}

    def _useful(self, w: str) -> bool:
        return self.df.get(w, 0) <= STOP_SHARE * self.n

    def _idf(self, w: str) -> float:
        return math.log((self.n + 1) / (self.df.get(w, 0) + 1)) + 1

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vec[a], self.vec[b]
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(x * vb.get(w, 0.0) for w, x in va.items())

    def shared(self, a: str, b: str, n: int = 6) -> list[str]:
        va, vb = self.vec[a], self.vec[b]
        # ties in the order of ``a``'s text: the same in every process (a set's
        # order follows the interpreter's string hashing, which differs)
        common = sorted((w for w in va if w in vb), key=lambda w: -(va[w] * vb[w]))
        return common[:n]


def similarity(model: TfIdf, a: Item, b: Item) -> float:
    from rapidfuzz import fuzz

    text = model.cosine(a.id, b.id)
    if a.title and b.title:
        title = fuzz.ratio(a.title, b.title) / 100.0
        return 0.6 * text + 0.4 * title
    return text


@dataclass
class Alignment:
    plans: list[str]
    rows: list[dict]  # {"cells": {plan: Item}, "score": float, "pairs": [...]}
    unique: dict[str, list[Item]]


def _candidates(model: TfIdf, items: list[Item], plans: list[str], threshold: float) -> list[tuple]:
    """Every cross-plan pair scoring at least ``threshold``, computed sparsely:
    text cosines through an inverted index (pairs sharing no useful word
    score 0 there), title ratios for all pairs at once (rapidfuzz, in C)."""
    from rapidfuzz import fuzz, process

    postings: dict[str, list[tuple[int, float]]] = {}
    for n, it in enumerate(items):
        for w, x in model.vec[it.id].items():
            postings.setdefault(w, []).append((n, x))
    dots: dict[tuple[int, int], float] = {}
    for plist in postings.values():
        for i, (a, xa) in enumerate(plist):
            for b, xb in plist[i + 1:]:
                if items[a].plan != items[b].plan:
                    key = (a, b) if a < b else (b, a)
                    dots[key] = dots.get(key, 0.0) + xa * xb
    titled = [n for n, it in enumerate(items) if it.title]
    title_sim: dict[tuple[int, int], float] = {}
    if titled:
        names = [items[n].title for n in titled]
        # a pair sharing no word can only pass on its title: ratio >= threshold / 0.4
        cutoff = 100 * threshold / 0.4
        for i, a in enumerate(titled):
            for _name, score, j in process.extract(names[i], names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
                b = titled[j]
                if j > i and items[a].plan != items[b].plan:
                    title_sim[(a, b)] = score / 100.0
    out = []
    order = {p: k for k, p in enumerate(plans)}
    for key in set(dots) | set(title_sim):
        a, b = items[key[0]], items[key[1]]
        text = dots.get(key, 0.0)
        if a.title and b.title:
            if key in title_sim:
                title = title_sim[key]
            else:
                title = fuzz.ratio(a.title, b.title) / 100.0
            s = 0.6 * text + 0.4 * title
        else:
            s = text
        if s >= threshold:
            if order[a.plan] > order[b.plan]:
                a, b = b, a
            out.append((s, a, b))
    return out


def align(model: TfIdf, items: list[Item], plans: list[str], threshold: float = THRESHOLD) -> Alignment:
    by_plan: dict[str, list[Item]] = {p: [it for it in items if it.plan == p] for p in plans}
    cands = _candidates(model, items, plans, threshold)
    cands.sort(key=lambda c: (-c[0], c[1].id, c[2].id))
    row_of: dict[str, int] = {}
    rows: list[dict] = []
    for s, a, b in cands:
        ra, rb = row_of.get(a.id), row_of.get(b.id)
        if ra is None and rb is None:
            rows.append({"cells": {a.plan: a, b.plan: b}, "pairs": [(a.id, b.id, s)]})
            row_of[a.id] = row_of[b.id] = len(rows) - 1
        elif ra is None or rb is None:
            # one is placed: the other joins its row if its plan is free there
            at, newcomer = (ra, b) if rb is None else (rb, a)
            row = rows[at]
            if newcomer.plan not in row["cells"] and _fits(model, row, newcomer, threshold):
                row["cells"][newcomer.plan] = newcomer
                row["pairs"].append((a.id, b.id, s))
                row_of[newcomer.id] = at
        elif ra is not None and rb is not None and ra != rb:
            # two rows for one task (their best partners differed): merge them
            # when no plan is in both and the rows resemble each other as wholes
            one, two = rows[ra], rows[rb]
            if not set(one["cells"]) & set(two["cells"]) and _rows_fit(model, one, two, threshold):
                one["cells"].update(two["cells"])
                one["pairs"] += two["pairs"] + [(a.id, b.id, s)]
                for it in two["cells"].values():
                    row_of[it.id] = ra
                two["cells"], two["pairs"] = {}, []
    rows = [r for r in rows if r["cells"]]
    row_of = {it.id: n for n, r in enumerate(rows) for it in r["cells"].values()}
    for row in rows:
        row["score"] = round(sum(p[2] for p in row["pairs"]) / len(row["pairs"]), 3)
    # rows in the order of the first plan that has a cell in them
    order = {it.id: n for n, it in enumerate(items)}
    rows.sort(key=lambda r: min(order[it.id] for it in r["cells"].values()))
    unique = {p: [it for it in by_plan[p] if it.id not in row_of] for p in plans}
    return Alignment(plans, rows, unique)


def _rows_fit(model: TfIdf, one: dict, two: dict, threshold: float) -> bool:
    scores = [similarity(model, x, y) for x in one["cells"].values() for y in two["cells"].values()]
    return sum(scores) / len(scores) >= threshold * 0.8


def _fits(model: TfIdf, row: dict, item: Item, threshold: float) -> bool:
    """A newcomer must resemble the row as a whole, not only one member."""
    scores = [similarity(model, item, other) for other in row["cells"].values()]
    return sum(scores) / len(scores) >= threshold * 0.8


# --------------------------------------------------------------------------- what differs

def _folded(it: Item) -> str:
    """What a word is looked for in: the measure's title and text, folded as
    search folds them (letters, digits and CJK only; the stored text is
    already in simplified script)."""
    return "\n".join(token_chars(x, simplify=False) for x in (it.title, it.text) if x)


def _texts(items: list[Item], plans: list[str]) -> dict[str, str]:
    """Per plan, its measures' folded texts (one line each: no word spans two)."""
    out: dict[str, list[str]] = {p: [] for p in plans}
    for it in items:
        out[it.plan].append(_folded(it))
    return {p: "\n".join(v) for p, v in out.items()}


def _occurs(word: str, text: str, tokens: set[str]) -> bool:
    """``word`` is in ``text`` (a substring of the folded text; a token cut
    from it is one without looking)."""
    if word in tokens:
        return True
    key = token_chars(word, simplify=False)
    return bool(key) and key in text


def distinctive_words(model: TfIdf, items: list[Item], plans: list[str], n: int = 12) -> dict:
    """What the compared measures' wording says about each plan, by definition
    (a word *occurs* in a plan when it is a substring of the folded title or
    text of one of its compared measures — not only when a segmenter cut it):

    * ``distinctive`` — per plan, its most telling words (TF-IDF weight) that
      occur in none of the other plans' compared measures;
    * ``salient`` — per plan, its most telling words that occur in some other
      plan's measures too, but not in all (较突出的词: not unique);
    * ``shared`` — the words that occur in every plan's measures, by weight.
    """
    weight: dict[str, Counter] = {p: Counter() for p in plans}
    for it in items:
        for w, x in model.vec[it.id].items():
            weight[it.plan][w] += x
    present = {p: set(weight[p]) for p in plans}
    text = _texts(items, plans)
    distinctive, salient = {}, {}
    for p in plans:
        others = [q for q in plans if q != p]
        own: list[str] = []
        some: list[str] = []
        for w, _x in sorted(weight[p].items(), key=lambda wx: (-wx[1], wx[0])):
            if len(own) >= n and len(some) >= n:
                break
            found = sum(1 for q in others if _occurs(w, text[q], present[q]))
            if found == 0:
                if len(own) < n:
                    own.append(w)
            elif found < len(others) and len(some) < n:
                some.append(w)
        distinctive[p], salient[p] = own, some
    total: Counter = Counter()
    for p in plans:
        total.update(weight[p])
    core = [w for w, _x in sorted(total.items(), key=lambda wx: (-wx[1], wx[0]))
            if all(_occurs(w, text[p], present[p]) for p in plans)] if len(plans) > 1 else []
    return {"distinctive": distinctive, "salient": salient, "shared": core[:n]}


def topic_sentences(text: str, terms: list[str]) -> list[str]:
    """The sentences of ``text`` that carry any of ``terms``."""
    return [s for s in sentences(text) if any(t and t in s for t in terms)]


def topic_terms(conn: sqlite3.Connection, topics: list[str]) -> list[str]:
    terms = list(topics)
    for t in topics:
        terms += [r[0] for r in conn.execute("SELECT name FROM topic_names WHERE topic = ?", (t,))]
    return sorted(set(terms), key=lambda s: (-len(s), s))


# --------------------------------------------------------------------------- entry points

def compare(conn: sqlite3.Connection, plans: list[str], topic: str | None = None,
            tasks: list[str] | None = None, by: str = "task") -> dict:
    """Plans side by side.  ``by="task"``: one row per national task the
    measures carry (national order).  A plan without a measure in a task
    row is in ``empty`` only when it carries the task nowhere (as `cz tasks`
    counts); when the topic or search left out its measures that carry it,
    they are in ``filtered_out`` instead.  Then the measures no task covers,
    aligned by text similarity; ``by="text"``: text similarity only.  ``topic`` restricts to a topic (any other word: to
    the measures a search finds), ``tasks`` to the measures carrying those
    tasks (ids, numbers or title words).  Measures of sections reviewing the
    past are never aligned: they are listed apart (``review``)."""
    from chengzhen.query import tasks as T
    from chengzhen.query.resolve import resolve_topics

    if len(plans) < 2:
        raise UsageError("compare needs at least two plans")
    if by not in ("task", "text"):
        raise BadValue("alignment", by, "choose task or text")
    topics: list[str] = []
    fallback = None
    if topic is not None and not topic.strip():
        raise UsageError("empty topic name")
    chosen = T.expand(conn, T.resolve_tasks(conn, tasks)) if tasks else []
    if topic:
        topics = resolve_topics(conn, [topic], strict=False)
        if not topics:
            fallback = topic
    if fallback:
        from chengzhen.query.search import Filters, search

        res = search(conn, fallback, Filters(plans=plans, kinds=["measure"]), limit=None)
        ids = list(dict.fromkeys(h.id for h in res.hits))
        items = load_items(conn, plans=plans, ids=ids)
        terms = res.terms
    else:
        items = load_items(conn, plans=plans, topics=topics or None)
        terms = topic_terms(conn, topics) if topics else []
    if chosen:
        want = set(chosen)
        items = [it for it in items if want & set(it.tasks)]
    review = [it for it in items if it.retrospective]
    items = [it for it in items if not it.retrospective]
    model = TfIdf(conn, items)
    info = plan_info(conn, plans)

    def cell(it: Item) -> dict:
        return it.as_dict(topic_sentences(it.text, terms) if terms else None)

    # a filter (a topic, or the search a word falls back to, which keeps
    # numbered measures only) may leave out a measure that carries a task:
    # such a cell is not empty, it names what the filter hid
    hidden = _hidden_carriers(conn, plans, items, review) if by == "task" and (topics or fallback) else {}
    rows: list[dict] = []
    rest = items
    if by == "task":
        want = set(chosen) if chosen else None
        for node in T.nodes(conn):
            if want is not None and node["id"] not in want:
                continue
            members = {p: [it for it in items if it.plan == p and node["id"] in it.tasks] for p in plans}
            if not any(members.values()) and not (want is not None and node["leaf"]):
                continue
            out_of_view = {p: hidden[node["id"]][p] for p in plans
                           if not members[p] and hidden.get(node["id"], {}).get(p)}
            rows.append({
                "basis": "task",
                "task": {k: node[k] for k in ("id", "type", "group", "number", "title", "evidence", "note")},
                "score": None,
                "cells": {p: [cell(it) for it in members[p]] for p in plans if members[p]},
                "filtered_out": out_of_view,
                "empty": [p for p in plans if not members[p] and p not in out_of_view],
                "shared_words": _shared(model, members),
            })
        rest = [it for it in items if not it.tasks]
    al = align(model, rest, plans)
    for r in al.rows:
        rows.append({
            "basis": "text", "task": None, "score": r["score"],
            "cells": {p: [cell(r["cells"][p])] for p in plans if p in r["cells"]},
            "filtered_out": {},
            "empty": [p for p in plans if p not in r["cells"]],
            "shared_words": _shared(model, {p: [r["cells"][p]] for p in r["cells"]}),
        })
    words = distinctive_words(model, items, plans)
    return {
        "plans": [{"id": p["id"], "name": p["name"], "abridged": p["abridged"]} for p in info],
        "by": by, "topic": topic, "topics": topics, "search_fallback": fallback, "terms": terms,
        "tasks": chosen,
        "rows": rows,
        "unique": {p: [cell(it) for it in al.unique[p]] for p in plans},
        "review": {p: [cell(it) for it in review if it.plan == p] for p in plans},
        "distinctive_words": words["distinctive"], "salient_words": words["salient"],
        "shared_words": words["shared"],
        "targets": _targets_once(conn, items, plans),
        "counts": {p: sum(1 for it in items if it.plan == p) for p in plans},
    }


def _hidden_carriers(conn: sqlite3.Connection, plans: list[str], items: list[Item],
                     review: list[Item]) -> dict[str, dict[str, list[dict]]]:
    """task -> plan -> the measures carrying the task (as `cz tasks` counts
    them) that the compared set leaves out."""
    from chengzhen.query import tasks as T

    shown = {it.id for it in items} | {it.id for it in review}
    out: dict[str, dict[str, list[dict]]] = {}
    for task, by_plan in T.carriers(conn, plans).items():
        for p, ms in by_plan.items():
            left = [m for m in ms if m["id"] not in shown]
            if left:
                out.setdefault(task, {})[p] = left
    return out


def _targets_once(conn: sqlite3.Connection, items: list[Item], plans: list[str]) -> dict[str, list[dict]]:
    """Per plan, the targets of the compared measures, each restatement group
    once (a 专栏 repeating the text's figure is not a second target), with
    the other places that restate it."""
    members = group_members(conn, (t["group_id"] for it in items for t in it.targets))
    out: dict[str, list[dict]] = {p: [] for p in plans}
    seen: set[str] = set()
    for it in items:
        for t in it.targets:
            if t["group_id"] in seen:
                continue
            seen.add(t["group_id"])
            others = [tid for tid in members.get(t["group_id"], []) if tid != t["id"]]
            out[it.plan].append(dict(t, measure_id=it.id, restatements=others))
    return out


def _shared(model: TfIdf, cells: dict[str, list[Item]]) -> list[str]:
    """The telling words a row's cells all use: each occurs (a substring of
    the folded text) in the measures of every plan that has a cell in the
    row; none when fewer than two plans have one."""
    filled = {p: its for p, its in cells.items() if its}
    if len(filled) < 2:
        return []
    weight: Counter = Counter()
    for its in filled.values():
        for it in its:
            weight.update(model.vec[it.id])
    text = _texts([it for its in filled.values() for it in its], list(filled))
    present = {p: {w for it in its for w in model.vec[it.id]} for p, its in filled.items()}
    out = []
    for w, _x in sorted(weight.items(), key=lambda wx: (-wx[1], wx[0])):
        if all(_occurs(w, text[p], present[p]) for p in filled):
            out.append(w)
            if len(out) == 5:
                break
    return out


def similar(conn: sqlite3.Connection, mid: str, n: int = 5) -> dict:
    row = conn.execute("SELECT plan_id FROM measures WHERE id = ?", (mid,)).fetchone()
    if not row:
        from chengzhen.query.resolve import unknown

        ids = [r[0] for r in conn.execute("SELECT id FROM measures")]
        raise unknown("measure id", mid, ids)
    plans = plan_ids(conn)
    target = load_items(conn, plans=[row[0]], ids=[mid])[0]
    # candidates: the measures of other plans that share the target's most telling
    # words (full-text index, best 400), so the cost does not grow with the corpus
    probe = TfIdf(conn, [target])
    words = sorted(probe.vec[mid], key=lambda w: -probe.vec[mid][w])[:12]
    ids: list[str] = []
    if words:
        from chengzhen.text.tokens import phrase, token_chars

        match = " OR ".join(phrase(token_chars(w, simplify=False)) for w in words)
        ids = [r[0] for r in conn.execute(
            "SELECT d.ref FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ? "
            "AND d.kind = 'measure' AND d.plan_id != ? ORDER BY bm25(docs_fts, 1.0, 4.0) LIMIT 400",
            (match, row[0]))]
    items = [target, *load_items(conn, plans=[p for p in plans if p != row[0]], ids=ids)]
    model = TfIdf(conn, items)
    scored = sorted(((similarity(model, target, it), it) for it in items if it.plan != target.plan),
                    key=lambda x: (-x[0], x[1].id))
    best: dict[str, list] = {}
    for s, it in scored:
        lst = best.setdefault(it.plan, [])
        if len(lst) < n:
            lst.append({"score": round(s, 3), "shared_words": model.shared(mid, it.id), **it.as_dict()})
    # the best n of every other plan: a cap over all of them would drop whole plans
    flat = sorted((x for v in best.values() for x in v), key=lambda x: (-x["score"], x["id"]))
    return {"measure": target.as_dict(), "similar": flat, "by_plan": best}


def matrix(conn: sqlite3.Connection, plans: list[str] | None = None, level: str = "all") -> dict:
    ids = plans or plan_ids(conn)
    topics = conn.execute("SELECT name, parent FROM topics ORDER BY ord").fetchall()
    if level == "top":
        topics = [t for t in topics if t[1] is None]
    elif level == "sub":
        topics = [t for t in topics if t[1] is not None]
    counts: dict[tuple[str, str], int] = {}
    for plan, topic, n in conn.execute(
            "SELECT m.plan_id, mt.topic, count(*) FROM measure_topics mt JOIN measures m ON m.id = mt.measure_id "
            "GROUP BY m.plan_id, mt.topic"):
        counts[(plan, topic)] = n
    # a top-level topic counts the measures tagged with it or any of its children
    children: dict[str, list[str]] = {}
    for name, parent in conn.execute("SELECT name, parent FROM topics"):
        if parent:
            children.setdefault(parent, []).append(name)
    rollup: dict[tuple[str, str], int] = {}
    for plan in ids:
        for name, parent in topics:
            if parent is None:
                names = [name, *children.get(name, [])]
                n = conn.execute(
                    "SELECT count(DISTINCT mt.measure_id) FROM measure_topics mt JOIN measures m ON m.id = mt.measure_id "
                    f"WHERE m.plan_id = ? AND mt.topic IN ({','.join('?' * len(names))})", [plan, *names]).fetchone()[0]
                rollup[(plan, name)] = n
            else:
                rollup[(plan, name)] = counts.get((plan, name), 0)
    return {
        "plans": plan_info(conn, ids),
        "topics": [{"name": t, "parent": par} for t, par in topics],
        "counts": [{"topic": t, "parent": par, **{p: rollup[(p, t)] for p in ids}} for t, par in topics],
    }
