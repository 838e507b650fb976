"""Sentences and words: ONE segmenter set-up for the build and for queries.

Words are jieba's (its dictionary and algorithm), with new-word discovery
(HMM) off and the knowledge base's own terms — topic names and synonyms,
indicator names and aliases, department names — added as words, so that
老旧小区 or 省住房城乡建设厅 stay whole.  The build segments measure texts with
it (vocabulary, document frequencies); queries segment unspaced phrases with
the same set-up, so a query word and a stored word always agree.

Two implementations of that one segmenter, the same words either way:

* ``rjieba`` (jieba-rs, the maintained Rust implementation of jieba's
  algorithm with jieba's dictionary): ready in ~0.1 s and ~20× faster per
  sentence.  Used whenever it is installed (wheels for Windows, macOS and
  Linux; docs/performance.md has the figures).
* ``jieba`` 0.42.1 itself, the fallback where no rjieba wheel exists: ~0.7 s
  to load its dictionary in every process that segments.

:func:`backend` names the one this process uses (without importing it); the
build records it and it is part of the code hash (``store/freshness.py``),
so a database segmented by one implementation or version is rebuilt by the
other rather than mixed with it.

The build stores where the segmenter cut a measure (:meth:`Segmenter.cuts`,
one bit per character), not a copy of its words; :func:`words_at` reads the
words back from the text and the cuts without loading a segmenter.

The segmenter is imported only when a segmenter is first used.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

# a sentence ends at 。；;！？!? or a line break (the mark stays with it)
SENTENCE = re.compile(r"[^。;；!?！？\n]+[。;；!?！？]?")

# the frequency a knowledge-base term is added with: high enough that jieba
# keeps it whole against the words it could be cut into
TERM_FREQ = 200_000

# sentences whose cut a segmenter remembers (plans repeat sentences)
CACHE_MAX = 100_000

BACKENDS = ("rjieba", "jieba")


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, each keeping its closing mark."""
    return [s for s in SENTENCE.findall(text) if s.strip()]


_cjk_search = None  # compiled on first use: the class takes a few ms to compile, and queries never need it


def is_word(token: str) -> bool:
    """A content word: two characters or more, at least one of them CJK
    (as :func:`~chengzhen.text.normalize.has_cjk` counts them)."""
    global _cjk_search
    if len(token) < 2:
        return False
    if _cjk_search is None:
        _cjk_search = re.compile("[\u3400-\u9fff]").search
    return _cjk_search(token) is not None


def measure_text(title: str | None, text: str) -> str:
    """What a measure's words are cut from: its lead phrase, then its text."""
    return (title or "") + "。" + text


# --------------------------------------------------------------------------- which implementation

def _installed(name: str) -> bool:
    if name in sys.modules:
        return sys.modules[name] is not None
    from importlib.util import find_spec

    try:
        return find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _version(name: str) -> str:
    """The installed version of ``name``, from its dist-info directory's name
    (cheap: no importlib.metadata scan, no import)."""
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return "?"
    site = os.path.dirname(os.path.dirname(spec.origin))
    prefix = name.lower() + "-"
    try:
        for entry in os.listdir(site):
            low = entry.lower()
            if low.startswith(prefix) and low.endswith((".dist-info", ".egg-info")):
                return entry[len(prefix):].rsplit(".", 1)[0]
    except OSError:
        pass
    try:  # no metadata beside it (a source checkout): the module's size identifies it
        return f"size-{os.path.getsize(spec.origin)}"
    except OSError:
        return "?"


_BACKEND: list[str] = []


def backend() -> str:
    """The implementation this process segments with and its version, e.g.
    ``rjieba 0.2.2`` (rjieba when installed, else jieba); nothing imported."""
    if not _BACKEND:
        name = "rjieba" if _installed("rjieba") else "jieba"
        _BACKEND.append(f"{name} {_version(name)}")
    return _BACKEND[0]


# --------------------------------------------------------------------------- the segmenter

_DEFAULT_RJIEBA_TAKEN: list[bool] = []


def _rjieba_cutter(terms: tuple[str, ...]):
    import rjieba

    if not _DEFAULT_RJIEBA_TAKEN:
        # the instance rjieba builds at import: the first segmenter of the
        # process takes it rather than loading the dictionary a second time
        _DEFAULT_RJIEBA_TAKEN.append(True)
        add, cut = rjieba.add_word, rjieba.cut
    else:
        tk = rjieba.Jieba()
        add, cut = tk.add_word, tk.cut
    for t in terms:
        add(t, TERM_FREQ, None)
    return lambda text: cut(text, False)


def _jieba_cutter(terms: tuple[str, ...]):
    import logging
    import warnings

    with warnings.catch_warnings():
        # jieba 0.42.1 predates Python 3.12's SyntaxWarnings and setuptools'
        # pkg_resources deprecation: nothing a user can act on
        warnings.simplefilter("ignore")
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        tk.initialize()
    for t in terms:
        tk.add_word(t, freq=TERM_FREQ)
    return lambda text: tk.lcut(text, HMM=False)


class Segmenter:
    """jieba's segmentation without HMM, plus ``terms`` as words.  Cuts are
    cached per sentence: plans repeat sentences, and synthetic corpora more so.
    ``implementation``: "rjieba" or "jieba" (default: :func:`backend`'s)."""

    def __init__(self, terms: Iterable[str] = (), implementation: str | None = None):
        self.terms = tuple(sorted({t for t in terms if 2 <= len(t) <= 16 and t.isalnum()}))
        if implementation not in (None, *BACKENDS):
            raise ValueError(f"unknown segmenter {implementation!r}")
        self.backend = backend() if implementation is None else f"{implementation} {_version(implementation)}"
        self._cut = None
        # sentence -> (its tokens' lengths, its content words)
        self._cache: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {}

    def _cutter(self):
        if self._cut is None:
            name = self.backend.split()[0]
            self._cut = _rjieba_cutter(self.terms) if name == "rjieba" else _jieba_cutter(self.terms)
        return self._cut

    def cut(self, text: str) -> list[str]:
        """Every token of ``text`` (punctuation included), in order."""
        return list(self._cutter()(text))

    def _sentence(self, sentence: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
        got = self._cache.get(sentence)
        if got is None:
            tokens = self._cutter()(sentence)
            got = (tuple(map(len, tokens)), tuple(w for w in tokens if is_word(w)))
            if sum(got[0]) != len(sentence):
                raise ValueError(f"{self.backend} lost characters of {sentence!r}")
            if len(self._cache) < CACHE_MAX:
                self._cache[sentence] = got
        return got

    def words(self, text: str) -> list[str]:
        """The content words of ``text``, in order."""
        out: list[str] = []
        for sentence in SENTENCE.findall(text):
            out.extend(self._sentence(sentence)[1])
        return out

    def cuts(self, text: str) -> bytes:
        """Where the segmenter cuts ``text``: bit *i* (little-endian, byte
        i // 8) is set where a token or a sentence's end is at character *i*.
        :func:`words_at` turns text and cuts back into :meth:`words`."""
        marks = bytearray((len(text) + 8) // 8)
        for m in SENTENCE.finditer(text):
            pos = m.start()
            for n in self._sentence(m.group())[0]:
                marks[pos >> 3] |= 1 << (pos & 7)
                pos += n
            marks[pos >> 3] |= 1 << (pos & 7)
        return bytes(marks)


def words_at(text: str, cuts: bytes) -> list[str]:
    """The content words of ``text`` cut where ``cuts`` says (made by
    :meth:`Segmenter.cuts` from the same text): the segmenter's words, read
    back without a segmenter."""
    out: list[str] = []
    prev = 0
    for i, byte in enumerate(cuts):
        if byte:
            base = i << 3
            for b in _BITS[byte]:
                pos = base + b
                if pos > prev:
                    piece = text[prev:pos]
                    if is_word(piece):
                        out.append(piece)
                    prev = pos
    if prev < len(text):
        piece = text[prev:]
        if is_word(piece):
            out.append(piece)
    return out


# the set bits of each byte value, low to high
_BITS = tuple(tuple(b for b in range(8) if v >> b & 1) for v in range(256))


_SHARED: dict[tuple[str, ...], Segmenter] = {}


def segmenter(terms: Iterable[str] = ()) -> Segmenter:
    """The process's segmenter for this set of terms (built once)."""
    key = tuple(sorted(set(terms)))
    seg = _SHARED.get(key)
    if seg is None:
        seg = _SHARED[key] = Segmenter(key)
    return seg
