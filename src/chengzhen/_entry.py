"""The `cz` console script.  Kept tiny: it guards the start-up so that
Ctrl-C there also ends with exit code 130 and no traceback.  Typer and
click are imported by cli/main.py only when a command needs them (an
ordinary `cz search` does not: cli/fast.py)."""

import sys


def main() -> None:
    try:
        from chengzhen.cli.main import main as run
    except KeyboardInterrupt:
        try:
            sys.stderr.write("cz: error: interrupted\n")
        except (OSError, ValueError, AttributeError):
            pass
        sys.exit(130)
    run()
