"""Errors that end a command with one clear line on stderr.

Exit codes (the same for every command, see docs/cli.md):

    0  success: something was found / done
    1  nothing matched
    2  error: bad input, bad data, missing database or data
  130  interrupted (SIGINT)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


class CzError(Exception):
    """An error the user can act on; printed as one line, exit code 2."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DataError(CzError):
    """A problem in a data file: names file:line, the offending id and a code."""

    def __init__(self, path: str, line: int | None, code: str, message: str, item: str | None = None):
        self.path = path
        self.line = line
        self.code = code
        self.item = item
        self.reason = message  # the message alone (a kb Msg: the CLI says it in the reader's language)
        where = f"{path}:{line}" if line else path
        what = f" [{item}]" if item else ""
        super().__init__(f"{where}: {code}{what} {message}")


class UsageError(CzError):
    """A bad argument: unknown plan, topic, malformed range…

    Raised by the query layer in words that name no command or flag; the CLI
    adds those (and a web page its own)."""


def blank(kind: str, word: str | None) -> None:
    """An explicitly empty name (``--plan ''``) is a mistake, not "no filter"."""
    if word is not None and not word.strip():
        raise UsageError(f"empty {kind} name")


class UnknownName(UsageError):
    """A name the knowledge base does not know: ``kind`` (plan, topic,
    department, indicator, id…), the ``word`` as typed and the closest
    names it does know."""

    def __init__(self, kind: str, word: str, suggestions: list[str] | tuple[str, ...] = ()):
        self.kind = kind
        self.word = word
        self.suggestions = list(suggestions)
        did = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} {word!r}{did}")


class BadValue(UsageError):
    """A value of the wrong form for ``field`` (year, limit, format…)."""

    def __init__(self, field: str, value: str, expected: str):
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"bad {field} {value!r}: {expected}")
