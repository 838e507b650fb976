"""The message catalogue: extract, update, compile (Babel).

    python tools/i18n.py update    # extract every message, merge into locale/zh/LC_MESSAGES/cz.po
    python tools/i18n.py compile   # cz.po -> cz.mo (committed beside it)
    python tools/i18n.py check     # what tests/test_i18n.py checks: complete, equal, compiled

Where the messages come from:

* cz's sources: ``_("…")``, ``N_("…")``, ``ngettext(…)`` (Babel's Python
  extractor), and every error raised with a message written at the raise
  site — ``raise UsageError(f"bad --port {port}")`` becomes the template
  ``bad --port {0}`` (the values numbered; :func:`chengzhen.i18n.translate`
  matches a raised message against the templates);
* the data's problems (kb/, store/, ingest/): each message, hint and
  detail line is ``Msg(N_("template with {name}s"), name=value)``
  (kb/messages.py), extracted as an ``N_`` message; ``check`` also lists
  any problem reported with plain text where a template belongs
  (:func:`problem_sites`);
* click and Typer, as installed: their own ``_()`` messages (``Usage:``,
  ``No such option: {name}`` …) and the help Typer writes for its own
  options (``--install-completion``).

Babel is a development tool here (the ``test`` extra): at run time cz
reads the compiled ``cz.mo`` with the standard library's gettext.
"""

from __future__ import annotations

import ast
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "chengzhen"
PO = SRC / "locale" / "zh" / "LC_MESSAGES" / "cz.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# errors whose message is written where they are raised: (class name, index of the message argument)
RAISED = {"CzError": 0, "UsageError": 0, "IngestError": 0, "BadValue": 2}
# modules whose messages a person never sees from cz (the web pages speak their own words)
SKIP = ("web/",)


def template(node: ast.AST) -> str | None:
    """A string or f-string literal as a catalogue template: its values
    numbered {0}, {1} …; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out, n = [], 0
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value))
            else:
                out.append("{%d}" % n)
                n += 1
        return "".join(out)
    return None


def raised_messages(source: str) -> list[tuple[int, str]]:
    """(line, template) of every error of :data:`RAISED` built with a literal message."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        at = RAISED.get(name or "")
        if at is None or len(node.args) <= at:
            continue
        msg = template(node.args[at])
        if msg:
            out.append((node.lineno, msg))
    return out


# what ingest says to a curator (a draft's ``review:`` flags, why a figure is not a target) is written where it
# is found, as literal text or f-strings: the values numbered like a raised message's.  Said in the reader's
# language by `cz ingest` and `cz review` (cli/views/review.py: said): every literal text that becomes a
# review flag — assigned to or appended to something named *review* (``rec["review"] = …``,
# ``d.review.append(…)``, ``f.review["name"] = …``, ``NO_TASK_REVIEW = …``, ``review=…``), or to ``msg`` or
# ``flags`` in ingest/ — and the reason handed to one of these functions (argument index)
SAID_ARGS = {"_note_skip": 4}
SAID_DIRS = ("ingest/",)


def _names_review(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return "review" in node.id.lower() or node.id in ("msg", "flags")
    if isinstance(node, ast.Attribute):
        return "review" in node.attr.lower()
    if isinstance(node, ast.Subscript):
        key = node.slice
        return (isinstance(key, ast.Constant) and key.value == "review") or _names_review(node.value)
    return False


def _said_texts(node: ast.AST) -> list[str]:
    """The texts a flag's value is made of: each string, f-string or
    concatenation (``+``) of them, its values numbered; not inside ``N_``
    (Babel has those); only prose (words and a space), never a key or a
    separator."""
    out: list[str] = []

    def parts(n) -> list[ast.AST] | None:  # a concatenation's pieces, or None when it holds no text
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            left, right = parts(n.left), parts(n.right)
            return None if left is None and right is None else (left or [n.left]) + (right or [n.right])
        if isinstance(n, ast.JoinedStr):
            return list(n.values)
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            return [n]
        return None

    def visit(n) -> None:
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "N_":
            return
        pieces = parts(n)
        if pieces is not None:
            values = [p if isinstance(p, (ast.Constant, ast.FormattedValue)) else
                      ast.FormattedValue(value=p, conversion=-1) for p in pieces]
            out.append(template(ast.JoinedStr(values=values)))
            for p in pieces:  # a conditional part's own texts (+ ("; …" if x else ""))
                if not isinstance(p, ast.Constant):
                    visit(p.value if isinstance(p, ast.FormattedValue) else p)
            return
        for child in ast.iter_child_nodes(n):
            visit(child)

    visit(node)
    # a flag is said part by part (its parts joined with "; "): so are its templates
    parts = [x.strip() for t in out if t for x in t.split("; ")]
    return [t for t in dict.fromkeys(parts) if " " in t and re.search(r"[A-Za-z]{2}", t)]


def said_messages(source: str) -> list[tuple[int, str]]:
    """(line, template) of every text ingest says to a curator (:data:`SAID_ARGS`, review flags)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        values: list[ast.AST] = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_names_review(t) for t in targets) and node.value is not None:
                values.append(node.value)
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if isinstance(node.func, ast.Attribute) and name in ("append", "setdefault", "insert", "extend") \
                    and _names_review(node.func.value):
                values += node.args
            if name in SAID_ARGS and len(node.args) > SAID_ARGS[name]:
                values.append(node.args[SAID_ARGS[name]])
            values += [k.value for k in node.keywords if k.arg == "review"]
        elif isinstance(node, ast.Dict):
            values += [v for k, v in zip(node.keys, node.values)
                       if isinstance(k, ast.Constant) and k.value == "review"]
        for v in values:
            out += [(node.lineno, t) for t in _said_texts(v)]
    return out


def extract_raised(fileobj, keywords, comment_tags, options):
    """A Babel extraction method: the messages of raised errors."""
    for line, msg in raised_messages(fileobj.read().decode("utf-8")):
        yield line, "", msg, ["raised"]


def _click_tree_helps() -> list[str]:
    """Every help text Typer and click render for cz's commands (including
    those Typer writes for its own options)."""
    from chengzhen.cli.app import app, typer

    texts = []

    def walk(cmd):
        for text in (cmd.help, cmd.short_help):
            if text:
                texts.append(text)
        for p in cmd.params:
            if getattr(p, "help", None):
                texts.append(p.help)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return texts


def messages() -> dict[str | tuple, list[str]]:
    """msgid → where it comes from (``file:line`` or ``click``), every message cz can show."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[str]] = {}

    def add(msgid, where):  # a tuple: singular and plural (ngettext)
        if msgid:
            found.setdefault(msgid, []).append(where)

    for fname, line, msg, _c, _ctx in extract_from_dir(SRC, [("**.py", "python")], keywords=KEYWORDS):
        if not fname.startswith(SKIP):
            add(msg, f"src/chengzhen/{fname}:{line}")
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(SKIP):
            continue
        source = path.read_text(encoding="utf-8")
        for line, msg in raised_messages(source):
            add(msg, f"src/chengzhen/{rel}:{line}")
        if rel.startswith(SAID_DIRS):
            for line, msg in said_messages(source):
                add(msg, f"src/chengzhen/{rel}:{line}")
    import click
    import typer

    for pkg in (click, typer):
        root = Path(pkg.__file__).parent
        for fname, line, msg, _c, _ctx in extract_from_dir(root, [("**.py", "python")],
                                                           keywords={"_": None, "ngettext": (1, 2)}):
            if "rich_utils" in fname:  # cz renders help without rich
                continue
            add(msg, f"{pkg.__name__}/{fname}")
    for text in _click_tree_helps():
        add(text, "help")
    return found


def read_po():
    from babel.messages.pofile import read_po as read

    with PO.open("rb") as f:
        return read(f, locale="zh_Hans_CN", domain="cz")


def update() -> None:
    """Merge the extracted messages into cz.po: new ones with an empty
    translation (to write), gone ones dropped, existing ones kept."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template_ = Catalog(domain="cz", project="chengzhen", charset="utf-8")
    for msgid, where in sorted(messages().items(), key=lambda kv: str(kv[0])):
        template_.add(msgid, locations=[(w, None) if ":" not in w else (w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1]))
                                        for w in where[:3]])
    cat = read_po() if PO.exists() else Catalog(locale="zh_Hans_CN", domain="cz", project="chengzhen")
    cat.update(template_, no_fuzzy_matching=True, update_header_comment=True)
    cat.obsolete.clear()
    cat.fuzzy = False
    cat.project, cat.version = "chengzhen", ""
    cat.header_comment = "# Chinese (Simplified) messages of cz, and of click and Typer as cz shows them.\n" \
                         "# Written by hand; tools/i18n.py update merges new messages, tests/test_i18n.py checks it."
    cat.last_translator = cat.language_team = "chengzhen developers"
    PO.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, cat, width=100, omit_header=False, sort_output=True, include_previous=False)
    PO.write_bytes(buf.getvalue())


def compiled(cat=None) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, cat or read_po(), use_fuzzy=False)
    return buf.getvalue()


def compile_mo() -> None:
    MO.write_bytes(compiled())


def problems() -> list[str]:
    """What keeps the catalogue from being complete and equal."""
    import re

    cat = read_po()
    out = []
    have = {m.id: m for m in cat if m.id}
    for msgid, where in sorted(messages().items(), key=lambda kv: str(kv[0])):
        m = have.get(msgid)
        if m is None:
            out.append(f"not in cz.po: {msgid!r} ({where[0]})")
        elif not (m.string if isinstance(m.string, str) else all(m.string)):
            out.append(f"no Chinese for {msgid!r} ({where[0]})")
    for m in cat:
        if not m.id:
            continue
        if m.fuzzy:
            out.append(f"fuzzy: {m.id!r}")
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        marks = re.compile(r"\{\d*\}|%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+(?:![rs])?\}")
        if len(ids) == 1:  # the same values, each as often
            ok = lambda got: sorted(got) == sorted(marks.findall(ids[0]))  # noqa: E731
        else:  # one Chinese form for singular and plural: the values of either
            every = set(marks.findall(ids[0])) | set(marks.findall(ids[1]))
            ok = lambda got: set(got) <= every and set(marks.findall(ids[1])) <= set(got) | set(  # noqa: E731
                marks.findall(ids[0]))
        for s in strs:
            if s and not ok(marks.findall(s)):
                out.append(f"placeholders differ: {m.id!r} -> {s!r}")
    for site in problem_sites():
        for text in site["plain"]:
            out.append(f"{site['where']}: {'/'.join(site['codes'])} says {text} where a template belongs: "
                       "Msg(N_(\"…\"), name=value) (kb/messages.py)")
    if not MO.exists() or MO.read_bytes() != compiled(cat):
        out.append("cz.mo is not cz.po compiled: run python tools/i18n.py compile")
    return out


# --------------------------------------------------------------------------- the data's problems

# what reports a problem of the data (kb/, store/, ingest/): a call of one of these, with a code; the
# positions of its message and its hint, counted from the code's
REPORTERS = {"report": (1, 3), "fail": (1, 3), "check": (3,), "bad": (1, 2), "coverage_problem": (2,),
             "_problem": (2, 3), "_national_problem": (2, 3), "Problem": (3, 7), "DataError": (1,)}
PROBLEM_DIRS = ("kb/", "store/", "ingest/")
CODE = r"E\d{3}"
# literal words a reporter may take besides its message: a severity, an empty item
NOT_MESSAGES = {"", "error", "coverage", "warning"}


def _literal_codes(node: ast.AST) -> list[str]:
    import re

    if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(CODE, node.value):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_codes(node.body) + _literal_codes(node.orelse)
    return []


def _plain_text(node: ast.AST) -> list[ast.AST]:
    """The literal strings and f-strings of an argument (through conditionals
    and concatenation): what a problem must not say instead of a template."""
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [] if node.value in NOT_MESSAGES else [node]
    if isinstance(node, ast.IfExp):
        return _plain_text(node.body) + _plain_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [x for v in node.values for x in _plain_text(v)]
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) + _plain_text(node.right)
    return []


def _templates_in(node: ast.AST) -> list[str]:
    """The ``N_("…")`` templates inside an expression."""
    out = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "N_" and sub.args \
                and isinstance(sub.args[0], ast.Constant) and isinstance(sub.args[0].value, str):
            out.append(sub.args[0].value)
    return out


def problem_sites() -> list[dict]:
    """Every place the data's problems are reported (kb/, store/, ingest/):
    ``where``, its ``codes`` (a literal code, either of a conditional's, or
    the codes its function names when the code is passed in), the
    ``templates`` its message and hint say, and ``plain``: literal text it
    passes where a template belongs (there should be none)."""
    import re

    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if not rel.startswith(PROBLEM_DIRS):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
                continue
            named = sorted({c.value for c in ast.walk(fn) if isinstance(c, ast.Constant) and isinstance(c.value, str)
                            and re.fullmatch(CODE, c.value)})
            for node in ast.iter_child_nodes(fn) if isinstance(fn, ast.Module) else ast.walk(fn):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name not in REPORTERS:
                    continue
                at = next((i for i, a in enumerate(node.args) if _literal_codes(a)), None)
                if at is not None:
                    codes = _literal_codes(node.args[at])
                elif any(isinstance(a, ast.Name) and a.id == "code" for a in node.args):
                    codes, at = named, next(i for i, a in enumerate(node.args)
                                            if isinstance(a, ast.Name) and a.id == "code")
                else:
                    continue
                said = [node.args[at + k] for k in REPORTERS[name] if at + k < len(node.args)] + \
                    [k.value for k in node.keywords if k.arg in ("message", "hint")]
                out.append({"where": f"src/chengzhen/{rel}:{node.lineno}", "codes": codes,
                            "templates": [t for a in said for t in _templates_in(a)],
                            "plain": [ast.unparse(x) for a in said for x in _plain_text(a)]})
    return out


def main(argv: list[str]) -> int:
    what = argv[1] if len(argv) > 1 else "check"
    if what == "update":
        update()
    elif what == "compile":
        compile_mo()
    elif what == "check":
        found = problems()
        for p in found:
            print(p)
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main(sys.argv))
