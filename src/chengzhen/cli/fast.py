"""`cz search …` and `cz progress …` straight from argv, without Typer and click.

Importing Typer and click costs more than a whole search on this knowledge
base (docs/performance.md), and search is what users and scripts run most.
:func:`parse` reads the argv of an ordinary ``cz search`` invocation —
words, the options below as ``--opt value``, ``--opt=value``, ``-x value``
or ``-xvalue``, and ``--`` — into the keyword arguments of
:func:`search_command.run`, which ``cz search`` under Typer calls too.
Anything else (help, completion, an unknown or malformed option, a value
that is not a number) returns None and the full Typer command handles it,
with click's messages.  ``tests/test_cli.py`` checks that this table
matches the Typer command's options.
"""

from __future__ import annotations

# option -> (keyword of search_command.run, takes a value, repeatable)
SEARCH_OPTIONS: dict[str, tuple[str, bool, bool]] = {
    "--plan": ("plan", True, True), "-p": ("plan", True, True),
    "--topic": ("topic", True, True), "-t": ("topic", True, True),
    "--dept": ("dept", True, True), "-d": ("dept", True, True),
    "--task": ("task", True, True), "-k": ("task", True, True),
    "--kind": ("kind", True, True),
    "--limit": ("limit", True, False), "-n": ("limit", True, False),
    "--format": ("fmt", True, False), "-f": ("fmt", True, False),
    "--group-by": ("group_by", True, False),
    "--full": ("full", False, False),
    "--raw": ("raw", False, False),
    "--stdin": ("stdin", False, False),
    "--exact": ("exact", False, False),
    "--fuzzy": ("fuzzy", False, False),
    "--expand": ("expand", False, False),
    "--excel": ("excel", False, False),
    "--sql": ("show_sql", False, False),
    "--headers": ("headers", True, False),
    "--sheets": ("sheets", True, False),
    "--web-url": ("web_url", True, False),
}


# the same for `cz progress` (cli/progress_command.py); --no-chart is chart=False
PROGRESS_OPTIONS: dict[str, tuple[str, bool, bool]] = {
    "--plan": ("plan", True, True), "-p": ("plan", True, True),
    "--indicator": ("indicator", True, False), "-i": ("indicator", True, False),
    "--year": ("year", True, False), "-y": ("year", True, False),
    "--scope": ("scope", True, False), "-s": ("scope", True, False),
    "--within": ("within", False, False), "--include-cities": ("within", False, False),
    "--verdict": ("verdict", True, True), "-v": ("verdict", True, True),
    "--as-of": ("as_of", True, False),
    "--format": ("fmt", True, False), "-f": ("fmt", True, False),
    "--chart": ("chart", False, False), "--no-chart": ("no_chart", False, False),
    "--headers": ("headers", True, False),
    "--sheets": ("sheets", True, False),
    "--web-url": ("web_url", True, False),
}


def parse_progress(args: list[str]) -> dict | None:
    """Keyword arguments for ``progress_command.run``, or None (then Typer
    handles the invocation: help, a word it takes no word, a bad option)."""
    if not args or args[0] != "progress":
        return None
    got = _options(args, PROGRESS_OPTIONS)
    if got is None or got[1]:
        return None
    kw = got[0]
    if kw.pop("no_chart", False):
        if kw.get("chart"):
            return None
        kw["chart"] = False
    return kw


def parse(args: list[str]) -> dict | None:
    """Keyword arguments for ``search_command.run``, or None."""
    if not args or args[0] != "search":
        return None
    got = _options(args, SEARCH_OPTIONS)
    if got is None:
        return None
    kw, words = got
    if "limit" in kw:
        try:
            kw["limit"] = int(kw["limit"])
        except ValueError:
            return None
    kw["query"] = words or None
    return kw


def _options(args: list[str], options: dict[str, tuple[str, bool, bool]]) -> tuple[dict, list[str]] | None:
    """(keyword arguments, words) of the argv after the command name, or None
    when an option is unknown or malformed."""
    kw: dict = {}
    words: list[str] = []
    i, n = 1, len(args)
    positional_only = False
    while i < n:
        a = args[i]
        if positional_only or a == "-" or not a.startswith("-"):
            words.append(a)
            i += 1
            continue
        if a == "--":
            positional_only = True
            i += 1
            continue
        if a.startswith("--"):
            name, eq, value = a.partition("=")
            attached = bool(eq)
        else:
            name, value = a[:2], a[2:]
            attached = bool(value)
        spec = options.get(name)
        if spec is None:
            return None
        key, takes_value, repeatable = spec
        if not takes_value:
            if attached:
                return None
            kw[key] = True
            i += 1
            continue
        if not attached:
            if i + 1 >= n or args[i + 1].startswith("-"):
                return None  # click decides what a missing or option-like value means
            value = args[i + 1]
            i += 2
        else:
            i += 1
        if repeatable:
            kw.setdefault(key, []).append(value)
        else:
            kw[key] = value
    return kw, words
