"""Sentences and words: ONE segmenter set-up for the build and for queries.

Words are jieba's (its dictionary and algorithm), with new-word discovery
(HMM) off and the knowledge base's own terms — topic names and synonyms,
indicator names and aliases, department names — added as words, so that
老旧小区 or 省住房城乡建设厅 stay whole.  The build segments measure texts with
it (vocabulary, document frequencies); queries segment unspaced phrases with
the same set-up, so a query word and a stored word always agree.

jieba is imported only when a segmenter is first used.
"""

from __future__ import annotations

import re
from typing import Iterable

from chengzhen.text.normalize import has_cjk

# a sentence ends at 。；;！？!? or a line break (the mark stays with it)
SENTENCE = re.compile(r"[^。;；!?！？\n]+[。;；!?！？]?")

# the frequency a knowledge-base term is added with: high enough that jieba
# keeps it whole against the words it could be cut into
TERM_FREQ = 200_000


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, each keeping its closing mark."""
    return [s for s in SENTENCE.findall(text) if s.strip()]


def is_word(token: str) -> bool:
    """A content word: two characters or more, at least one of them CJK."""
    return len(token) >= 2 and has_cjk(token)


class Segmenter:
    """jieba without HMM, plus ``terms`` as words.  Cuts are cached per
    sentence: plans repeat sentences, and synthetic corpora more so."""

    def __init__(self, terms: Iterable[str] = ()):
        self.terms = tuple(sorted({t for t in terms if 2 <= len(t) <= 16 and t.isalnum()}))
        self._tk = None
        self._cache: dict[str, list[str]] = {}

    def _tokenizer(self):
        if self._tk is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            for t in self.terms:
                tk.add_word(t, freq=TERM_FREQ)
            self._tk = tk
        return self._tk

    def cut(self, text: str) -> list[str]:
        """Every token of ``text`` (punctuation included), in order."""
        return self._tokenizer().lcut(text, HMM=False)

    def words(self, text: str) -> list[str]:
        """The content words of ``text``, in order."""
        out: list[str] = []
        cache = self._cache
        for sentence in SENTENCE.findall(text):
            got = cache.get(sentence)
            if got is None:
                got = [w for w in self.cut(sentence) if is_word(w)]
                if len(cache) < 500_000:
                    cache[sentence] = got
            out.extend(got)
        return out


_SHARED: dict[tuple[str, ...], Segmenter] = {}


def segmenter(terms: Iterable[str] = ()) -> Segmenter:
    """The process's segmenter for this set of terms (built once)."""
    key = tuple(sorted(set(terms)))
    seg = _SHARED.get(key)
    if seg is None:
        seg = _SHARED[key] = Segmenter(key)
    return seg
