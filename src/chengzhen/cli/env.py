"""The environment a command writes to, looked at once and handed to every
renderer (httpie's model): the streams, whether stdout is a terminal,
whether colour is wanted (never off a terminal, never with NO_COLOR or
TERM=dumb), and the terminal's width."""

from __future__ import annotations

import os
import sys

ARGS: list[str] = []  # the arguments of the command being run, as typed (cli/main.py sets them)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Env:
    __slots__ = ("stdout", "stderr", "stdin", "is_tty", "stderr_is_tty", "colour")

    def __init__(self, stdout=None, stderr=None, stdin=None, *, is_tty: bool | None = None,
                 colour: bool | None = None):
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self.stdin = stdin if stdin is not None else sys.stdin
        self.is_tty = _isatty(self.stdout) if is_tty is None else is_tty
        self.stderr_is_tty = _isatty(self.stderr)
        if colour is None:
            colour = self.is_tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        self.colour = colour

    def write(self, text: str) -> None:
        self.stdout.write(text)

    def note(self, message: str) -> None:
        """A line for the reader on stderr (never mixed into records)."""
        from chengzhen.i18n import _

        self.stderr.write(_("cz: {note}").format(note=message) + "\n")


def current() -> Env:
    """The environment of this moment (stdout may have been replaced, by a
    test or by cli/main.py's guard)."""
    return Env()
