"""Problems found in the data: what loading and the audit report.

A :class:`Problem` names the file and the line of the offending field, a
code (docs/cli.md lists them), the id of the record, a message, and where
useful a ``hint`` (what is allowed, a did-you-mean, the vocabulary file to
edit) and ``detail`` lines (where a text differs from its source).

Loading and auditing collect every problem into a :class:`Sink` instead of
stopping at the first, so one run reports them all.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from chengzhen.errors import DataError


@dataclass
class Problem:
    plan: str
    code: str
    item: str
    line: int | None  # source line, where there is one
    message: str
    severity: str = "error"  # error | coverage
    file: str = ""  # the file at fault (YAML for content errors, the source for coverage)
    file_line: int | None = None
    hint: str | None = None
    detail: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = f"{self.file}:{self.file_line}" if self.file_line else self.file
        what = f" [{self.item}]" if self.item else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}: {self.code}{what} {self.message}{hint}"

    def as_dict(self) -> dict:
        return {"file": self.file, "file_line": self.file_line, "code": self.code, "id": self.item,
                "plan": self.plan, "line": self.line, "severity": self.severity, "message": self.message,
                "hint": self.hint, "detail": list(self.detail)}


class Sink:
    """Where problems are collected."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.coverage = 0  # coverage problems counted but not kept (a build's)

    def add(self, p: Problem) -> None:
        self.problems.append(p)

    def from_error(self, exc: DataError, plan: str = "") -> None:
        self.add(Problem(plan, exc.code, exc.item or "", None, _bare_message(exc), "error", exc.path, exc.line))

    def __len__(self) -> int:
        return len(self.problems)


def _bare_message(exc: DataError) -> str:
    """A DataError's message without the ``file:line: CODE [id]`` head."""
    text = exc.message
    head = f"{exc.path}:{exc.line}" if exc.line else exc.path
    what = f" [{exc.item}]" if exc.item else ""
    prefix = f"{head}: {exc.code}{what} "
    return text[len(prefix):] if text.startswith(prefix) else text


def by_file(problems: list[Problem]) -> list[tuple[str, list[Problem]]]:
    """Problems grouped by file (files in first-seen order), each group in line order."""
    groups: dict[str, list[Problem]] = {}
    for p in problems:
        groups.setdefault(p.file, []).append(p)
    return [(f, sorted(ps, key=lambda p: (p.file_line or 0, p.code))) for f, ps in groups.items()]


class DataProblems(DataError):
    """Every problem a load or build found, raised at once (``cz build``
    prints one line per problem, grouped by file)."""

    def __init__(self, problems: list[Problem], extra: int = 0):
        assert problems
        self.problems = list(problems)
        self.extra = extra  # further problems that did not stop the build (coverage)
        first = by_file(self.problems)[0][1][0]
        super().__init__(first.file, first.file_line, first.code,
                         first.message + (f"; {first.hint}" if first.hint else ""), first.item or None)
        if len(self.problems) > 1:
            self.message = f"{self.message} (and {len(self.problems) - 1} more problems)"
        self.lines = [str(p) for _f, ps in by_file(self.problems) for p in ps]

    @property
    def count(self) -> int:
        return len(self.problems) + self.extra


# --------------------------------------------------------------------------- helpers for messages

def did_you_mean(word: str, names, n: int = 3) -> list[str]:
    """The closest known names: containing or contained, then similar spelling."""
    names = list(dict.fromkeys(names))
    near = [x for x in names if word and (word in x or x in word)]
    near.sort(key=lambda x: (abs(len(x) - len(word)), x))
    close = difflib.get_close_matches(word, names, n=n, cutoff=0.5)
    return list(dict.fromkeys(near[:n] + close))[:n]


def where_differs(text: str, candidates: list[tuple[int, str]], width: int = 24) -> list[str]:
    """Where ``text`` departs from the closest source line: three lines,
    the YAML text and the source around the first difference, and a caret.
    ``candidates`` are (line number, normalized source line)."""
    best = None
    for n, line in candidates:
        if not line:
            continue
        sm = difflib.SequenceMatcher(None, text, line, autojunk=False)
        block = sm.find_longest_match(0, len(text), 0, len(line))
        # align on the longest common block, then walk back to where the
        # common run starts and forward to where it ends
        i, j, k = block.a, block.b, block.size
        while i > 0 and j > 0 and text[i - 1] == line[j - 1]:
            i, j, k = i - 1, j - 1, k + 1
        if best is None or k > best[0]:
            best = (k, n, line, i, j)
    if best is None or best[0] == 0:
        return []
    k, n, line, i, j = best
    if i > 0:  # the text differs before the common run: show its start
        a, b = i, j
    else:
        a, b = i + k, j + k  # the first character after the common run
    if a >= len(text) and b >= len(line):
        return []
    lo_a, lo_b = max(0, a - width), max(0, b - width)
    y = text[lo_a:a + width]
    s = line[lo_b:b + width]
    pad = a - lo_a
    pad_s = b - lo_b
    # align both excerpts on the difference
    if pad < pad_s:
        y = " " * 0 + y
        s = s[pad_s - pad:]
        pad_s = pad
    elif pad_s < pad:
        y = y[pad - pad_s:]
        pad = pad_s
    caret = _width(y[:pad])
    return [f"yaml:   {y}", f"source: {s}   (line {n})", "        " + " " * caret + "^"]


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
