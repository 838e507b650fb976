"""The one output path: every command hands an answer
(``answers/answer.py``) and its terminal view to :func:`emit`.

The formats (``--format``) are the writers of ``answers/writers.py``, the
same for every command and for the web's JSON and CSV (docs/cli.md,
"Output"; the JSON envelope: docs/envelope.schema.json).  Besides them:

``table``
    The command's own view (``cli/views/<command>.py``): a rich table on a
    terminal.
``auto`` (no ``--format`` given)
    ``table`` on a terminal; off a terminal the rows as TSV — one record per
    line, never wrapped, like ``gh`` — except for the commands whose view is a
    document rather than a list (:data:`DOCUMENTS`), which keep their view.

Machine formats never carry colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from chengzhen.cli.env import Env, current
from chengzhen.errors import UsageError


# commands whose terminal view is a document (a measure, an outline, a
# side-by-side report, an audit), kept off a terminal too when no format is asked
DOCUMENTS = ("show", "compare", "validate")


def choose_format(fmt: str | None, allowed: Sequence[str]) -> str:
    """The format asked for; ``auto`` when none was (:func:`resolve_format`)."""
    if fmt is None:
        return "auto"
    fmt = fmt.lower()
    if fmt not in allowed:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(allowed)}")
    return fmt


def excel_format(fmt: str, excel: bool) -> str:
    """``--excel`` is CSV for Excel and WPS: it goes with no format or csv."""
    if not excel:
        return fmt
    if fmt not in ("auto", "csv"):
        raise UsageError(f"--excel writes CSV for Excel and WPS; it cannot be combined with --format {fmt}")
    return "csv"


def resolve_format(name: str, fmt: str, env: Env) -> str:
    """``auto`` made concrete: the view on a terminal, TSV off it."""
    if fmt != "auto":
        return fmt
    if env.is_tty or name in DOCUMENTS:
        return "table"
    return "tsv"


View = Callable[[object, Env], None]


SHEETS = ("plan",)


def table_options(headers: str | None = None, sheets: str | None = None, web_url: str | None = None) -> dict:
    """How the table formats are written (csv, tsv, xlsx): ``headers`` en
    (the stable keys, the default) or zh (Chinese headers and values), from
    ``--headers`` or ``CZ_HEADERS``; ``sheets`` (xlsx) ``plan`` for a
    worksheet per plan; ``web_url`` (xlsx), from ``--web-url`` or
    ``CZ_WEB_URL``, where ``cz serve`` runs: each row links to its page."""
    import os

    from chengzhen.answers.writers import HEADERS

    headers = headers if headers is not None else (os.environ.get("CZ_HEADERS") or "en")
    if headers.strip().lower() not in HEADERS:
        raise UsageError(f"bad --headers {headers!r}: choose en or zh (CZ_HEADERS too)")
    if sheets is not None and sheets.strip().lower() not in SHEETS:
        raise UsageError(f"bad --sheets {sheets!r}: choose plan")
    web_url = web_url if web_url is not None else (os.environ.get("CZ_WEB_URL") or None)
    if web_url is not None and not web_url.startswith(("http://", "https://")):
        raise UsageError(f"bad --web-url {web_url!r}: give the address cz serve runs at, e.g. http://127.0.0.1:8001")
    return {"headers": headers.strip().lower(), "sheets": sheets.strip().lower() if sheets else None,
            "web_url": web_url}


def writer_options(fmt: str, *, excel: bool = False, table: dict | None = None) -> dict:
    """The options of format ``fmt``'s writer."""
    if fmt not in ("csv", "tsv", "xlsx"):
        return {}
    table = table if table is not None else table_options()
    if fmt == "csv":
        return {"excel": excel, "headers": table["headers"]}
    if fmt == "tsv":
        return {"headers": table["headers"]}
    if fmt == "xlsx":
        return dict(table)
    return {}


def emit(answer, fmt: str, view: View | None = None, *, excel: bool = False, env: Env | None = None,
         formats: dict[str, View] | None = None, table: dict | None = None) -> None:
    """Write ``answer`` in ``fmt``: a writer of the registry, a format of
    this command only (``formats``: ingest's yaml), or its terminal ``view``;
    ``table``: :func:`table_options` (default: the environment's)."""
    from chengzhen.answers.writers import BINARY, WRITERS

    env = env or current()
    fmt = resolve_format(answer.name, fmt, env)
    if formats and fmt in formats:
        formats[fmt](answer, env)
        return
    if fmt == "table":
        if view is not None:
            view(answer, env)
            return
        fmt = "tsv"
    if fmt in BINARY:
        if env.is_tty:
            from chengzhen.errors import CzError

            raise CzError(f"{fmt} is a binary file: redirect it to a file, e.g. `… --format {fmt} > out.{fmt}`")
        write_binary(b"".join(WRITERS[fmt](answer, **writer_options(fmt, table=table))), env)
        return
    options = writer_options(fmt, excel=excel, table=table)
    w = env.stdout.write
    for piece in WRITERS[fmt](answer, **options):
        w(piece)


def write_binary(data: bytes, env: Env) -> None:
    """Bytes on stdout (xlsx), to a file or a pipe."""
    out = env.stdout
    target = getattr(out, "buffer", None)
    out.flush()
    if target is not None:
        target.write(data)
        target.flush()
    else:  # a text-only stream (an embedding host): bytes as latin-1 code points
        out.write(data.decode("latin-1"))
