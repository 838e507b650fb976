"""Problems found in the data: what loading and the audit report.

A :class:`Problem` names the file and the line of the offending field, a
code (kb/messages.py's registry, docs/cli.md's tables), the id of the
record, a message, and where useful a ``hint`` (what is allowed, a
did-you-mean, the vocabulary file to edit) and ``detail`` lines (where a
text differs from its source).  Message, hint and detail lines are
:class:`~chengzhen.kb.messages.Msg`: English text that keeps its template
and values, so the CLI says them in the reader's language.

Loading and auditing collect every problem into a :class:`Sink` instead of
stopping at the first, so one run reports them all.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from chengzhen.errors import DataError
from chengzhen.kb.messages import N_, Msg, joined


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
        return str(self.line_msg())

    def line_msg(self, hint: bool = True) -> Msg:
        """The problem as one line: ``FILE:LINE: CODE [id] message; hint``."""
        return head_msg(self.file, self.file_line, self.code, self.item,
                        joined(self.message, self.hint) if hint else self.message)

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
        message = exc.reason if isinstance(exc.reason, Msg) else _bare_message(exc)
        self.add(Problem(plan, exc.code, exc.item or "", None, message, "error", exc.path, exc.line))

    def __len__(self) -> int:
        return len(self.problems)


def _bare_message(exc: DataError) -> str:
    """A DataError's message without the ``file:line: CODE [id]`` head."""
    text = exc.message
    head = f"{exc.path}:{exc.line}" if exc.line else exc.path
    what = f" [{exc.item}]" if exc.item else ""
    prefix = f"{head}: {exc.code}{what} "
    return text[len(prefix):] if text.startswith(prefix) else text


def head_msg(file: str, file_line: int | None, code: str, item: str | None, message) -> Msg:
    """``FILE:LINE: CODE [id] message``: how every problem is said on one line."""
    return Msg(N_("{where}: {code}{item} {message}"), where=f"{file}:{file_line}" if file_line else file,
               code=code, item=f" [{item}]" if item else "", message=message)


def error_msg(exc: DataError) -> Msg | str:
    """A :class:`DataError` raised alone, as :func:`head_msg` says it."""
    if isinstance(exc, DataProblems):
        return exc.problems_msg()
    if isinstance(exc.reason, Msg):
        return head_msg(exc.path, exc.line, exc.code, exc.item, exc.reason)
    return exc.message


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
        super().__init__(first.file, first.file_line, first.code, joined(first.message, first.hint),
                         first.item or None)
        if len(self.problems) > 1:
            self.message = str(self.problems_msg())
        self.lines = [str(p) for _f, ps in by_file(self.problems) for p in ps]

    def problems_msg(self) -> Msg:
        """The first problem, and how many more."""
        first = head_msg(self.path, self.line, self.code, self.item, self.reason)
        more = len(self.problems) - 1
        if not more:
            return first
        return Msg(N_("{first} (and {more} more problems)"), first=first, more=more)

    def ordered(self) -> list[Problem]:
        """Every problem, grouped by file, each file's in line order."""
        return [p for _f, ps in by_file(self.problems) for p in ps]

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


def where_differs(text: str, candidates: list[tuple[int, str]], width: int = 20) -> list[str]:
    """Where ``text`` departs from the closest source line: the YAML text and
    the source around the first difference, aligned, and a caret under it.
    ``candidates`` are (line number, normalized source line)."""
    best = None
    for n, line in candidates:
        if not line:
            continue
        sm = difflib.SequenceMatcher(None, text, line, autojunk=False)
        blocks = [b for b in sm.get_matching_blocks() if b.size]
        if not blocks:
            continue
        # the text's first matching run: where the text starts in the line
        b = blocks[0]
        score = sum(x.size for x in blocks)
        if best is None or score > best[0]:
            best = (score, n, line, b)
    if best is None:
        return []
    _score, n, line, b = best
    if b.a > 0:  # the text differs from its very start
        da, db = 0, max(0, b.b - b.a)
    else:
        da, db = b.a + b.size, b.b + b.size
    if da >= len(text) and db >= len(line):
        return []
    left = min(width, da, db)
    y = text[da - left:da + width]
    s = line[db - left:db + width]
    caret = _width(y[:left])
    head_y = "…" if da - left > 0 else ""
    head_s = "…" if db - left > 0 else ""
    pad_y, pad_s = _width(head_y), _width(head_s)
    pad = max(pad_y, pad_s)
    # the labels take eight columns in either language (yaml: / 数据：), so the caret stays under the difference
    return [Msg(N_("yaml:   {text}"), text=f"{' ' * (pad - pad_y)}{head_y}{y}"),
            Msg(N_("source: {text}   (line {line})"), text=f"{' ' * (pad - pad_s)}{head_s}{s}", line=n),
            "        " + " " * (pad + caret) + "^"]


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
