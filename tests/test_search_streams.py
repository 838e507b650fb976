"""A stream of queries on one connection (`cz search --stdin`, the web
server) takes shortcuts a single query does not: names read into memory
once, the title tier read in the statement that reads the rows.  Each
shortcut must give what the single query's path gives, for every name and
query the data holds."""

from __future__ import annotations

import pytest

from chengzhen.query import resolve
from chengzhen.query.search import search
from chengzhen.store.db import open_readonly
from chengzhen.text.regions import ABBREVIATIONS


def _names(conn) -> list[str]:
    words: list[str] = []
    for pid, name, short, region in conn.execute("SELECT id, name, short_name, region FROM plans ORDER BY ord"):
        words += [pid, pid.upper(), f" {pid} ", name, short, region, short + "省", short + "市", region[:-1],
                  name[:4], name + "x"]
    words += list(ABBREVIATIONS) + ["", "住房", "老旧小区", "省", "市", "贵州省人民政府", "zz"]
    return words


def test_plan_names_from_memory_are_the_statement_s(real_db, monkeypatch):
    one_by_one = open_readonly(real_db)
    streamed = open_readonly(real_db)
    try:
        monkeypatch.setattr(resolve, "PLAN_INDEX_AFTER", 10**9)
        expected = {w: resolve._plan_lookup(one_by_one, w) for w in _names(one_by_one)}
        monkeypatch.setattr(resolve, "PLAN_INDEX_AFTER", 0)
        got = {w: resolve._plan_lookup(streamed, w) for w in _names(streamed)}
        assert "plan_index" in streamed.cz_cache and "plan_index" not in one_by_one.cz_cache
        assert got == expected
        assert sum(v is not None for v in got.values()) > 10
    finally:
        one_by_one.close()
        streamed.close()


@pytest.mark.parametrize("limit", [None, 3])
def test_a_stream_of_queries_answers_as_single_queries_do(real_db, monkeypatch, limit):
    """The same queries, each on a fresh connection and all on one."""
    conn = open_readonly(real_db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM topic_names ORDER BY name")]
        queries = names[::3] + [r[0] for r in conn.execute("SELECT short_name FROM plans UNION ALL SELECT id FROM plans "
                                                            "UNION ALL SELECT region FROM plans")]
        queries += ["老旧小区", "住房 保障", "房", "随迁子女公办学校", "老旧小去", "2.8万户"]

        def answer(c, q):
            r = search(c, q, limit=limit)
            return (r.total, r.mode, [(h.rowid, h.match, h.hit, h.score, h.in_title) for h in r.hits],
                    [(h.rowid, h.match) for h in r.related], r.related_total, r.notes)

        streamed = [answer(conn, q) for q in queries]
        assert "plan_index" in conn.cz_cache  # the stream took the shortcut
    finally:
        conn.close()
    single = []
    for q in queries:
        c = open_readonly(real_db)
        try:
            single.append(answer(c, q))
        finally:
            c.close()
    assert streamed == single


def test_did_you_mean_from_the_character_index_is_the_full_comparison_s(real_db, monkeypatch):
    """Every word of the index with one character changed, dropped or added,
    and strings sharing nothing with it: the same corrections, in the same
    order, whether compared with every word or only with those sharing a
    character."""
    import random

    from chengzhen.query import suggestions

    full, narrowed = open_readonly(real_db), open_readonly(real_db)
    try:
        words = [w for (w,) in full.execute("SELECT word FROM vocab WHERE length(word) <= 6 ORDER BY word")]
        chars = sorted({c for w in words for c in w})
        rng = random.Random(5)
        terms = ["zzz", "ab", "12", "乂乂"]
        for w in rng.sample(words, 300):
            i = rng.randrange(len(w))
            terms += [w[:i] + rng.choice(chars) + w[i + 1:], w[:i] + w[i + 1:], w[:i] + rng.choice(chars) + w[i:]]
        terms = [t for t in dict.fromkeys(terms) if t]
        monkeypatch.setattr(suggestions, "FUZZY_INDEX_AFTER", 10**9)
        expected = [suggestions._fuzzy_candidates(full, t) for t in terms]
        monkeypatch.setattr(suggestions, "FUZZY_INDEX_AFTER", 0)
        got = [suggestions._fuzzy_candidates(narrowed, t) for t in terms]
        assert any(k.startswith("fuzzy_chars:") for k in narrowed.cz_cache)
        assert got == expected
        assert sum(bool(g) for g in got) > 100
    finally:
        full.close()
        narrowed.close()
