"""The `cz` console script.  Kept tiny: it guards the start-up (importing
Typer and click takes a moment) so that Ctrl-C there also ends with exit
code 130 and no traceback."""

import sys


def main() -> None:
    try:
        from chengzhen.cli import main as run
    except KeyboardInterrupt:
        try:
            sys.stderr.write("cz: error: interrupted\n")
        except (OSError, ValueError, AttributeError):
            pass
        sys.exit(130)
    run()
