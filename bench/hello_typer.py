"""The smallest Typer app shaped like `cz search`: a root callback, one
`search` command with a list argument and a --format option, JSON out.
It is the start-up baseline: what any Typer CLI pays before doing any work.
With HELLO_HIDE_RICH=1 it hides rich while typer loads, as cz does.

    python bench/hello_typer.py search 老旧小区 --format json
"""

from __future__ import annotations

import json
import os
import sys
from typing import List, Optional

if os.environ.get("HELLO_HIDE_RICH"):
    # the same trick as chengzhen.cli: hide rich while typer loads, so typer
    # does not import rich (and markdown-it) at start-up
    sys.modules["rich"] = None  # type: ignore[assignment]
    try:
        import typer
    finally:
        del sys.modules["rich"]
else:
    import typer

app = typer.Typer(add_completion=True, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False)


@app.callback()
def _root():
    """hello"""


@app.command()
def search(
    query: Optional[List[str]] = typer.Argument(None),
    fmt: Optional[str] = typer.Option(None, "--format", "-f"),
):
    """Echo the query as JSON."""
    sys.stdout.write(json.dumps({"query": " ".join(query or []), "format": fmt, "hits": []},
                                ensure_ascii=False) + "\n")


@app.command()
def version():
    """Print the typer version."""
    sys.stdout.write(f"typer {getattr(typer, '__version__', '?')}\n")


if __name__ == "__main__":
    app()
