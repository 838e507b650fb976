"""The `cz` console script.  Kept tiny: it guards the start-up (importing
Typer and click takes a moment) so that Ctrl-C there also ends with exit
code 130 and no traceback."""

import sys


def main() -> None:
    try:
        import chengzhen.cli.app  # noqa: F401  (Typer and click: the slow part of start-up)
        from chengzhen.cli.main import main as run
    except KeyboardInterrupt:
        try:
            sys.stderr.write("cz: error: interrupted\n")
        except (OSError, ValueError, AttributeError):
            pass
        sys.exit(130)
    run()
