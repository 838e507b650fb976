"""The `cz` console script.  Kept tiny: it guards the start-up so that
Ctrl-C there also ends with exit code 130 and no traceback.  Typer and
click are imported by cli/main.py only when a command needs them (an
ordinary `cz search` does not: cli/fast.py)."""

import sys


def _interrupted() -> None:
    try:
        sys.stderr.write("cz: error: interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _interrupt_where_it_can_be_raised(unraisable) -> None:
    """A Ctrl-C that lands where Python cannot raise it (a weakref callback
    inside importlib, a ``__del__``) would be printed as "Exception ignored …"
    with a traceback and then lost, the command running on; it ends the
    command there, as Ctrl-C anywhere else does (exit 130, no traceback)."""
    if issubclass(unraisable.exc_type, KeyboardInterrupt):
        import os

        _interrupted()
        os._exit(130)
    sys.__unraisablehook__(unraisable)


def guard_interrupts() -> None:
    sys.unraisablehook = _interrupt_where_it_can_be_raised


def main() -> None:
    guard_interrupts()
    try:
        from chengzhen.cli.main import main as run
    except KeyboardInterrupt:
        _interrupted()
        sys.exit(130)
    run()
