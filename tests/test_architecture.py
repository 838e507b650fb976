"""The house keeps its rooms: imports point one way (text ← kb ← store ←
query ← answers ← report ← cli / web; ingest uses text and kb), nothing imports the CLI, and
the subpackages' __init__ files stay empty (importing one never drags in
another)."""

from __future__ import annotations

import ast

from conftest import REPO

PKG = REPO / "src" / "chengzhen"

# what each part of the package may import from the package
ALLOWED = {
    "text": {"text"},
    "kb": {"text", "kb", "errors"},
    "store": {"text", "kb", "store", "errors", "paths", "__init__"},
    "query": {"text", "store", "query", "errors"},
    "ingest": {"text", "kb", "ingest", "errors", "paths"},
    # one answer per question, for both fronts (never kb: the CLI loads and audits for validate)
    "answers": {"text", "store", "query", "answers", "errors"},
    # briefings made from answers (cz report); never the CLI
    "report": {"text", "store", "query", "answers", "report", "errors"},
    # web only lazily, inside `cz serve` (test_cli_loads_web_only_to_serve)
    "cli": {"text", "kb", "store", "query", "answers", "ingest", "report", "cli", "web", "errors", "paths", "i18n",
            "__init__"},
    "web": {"text", "kb", "store", "query", "answers", "web", "errors", "paths", "__init__"},
    "errors": set(),
    "paths": set(),
    # the language cz speaks (gettext; stdlib only)
    "i18n": set(),
    "_entry": {"cli"},
    "__main__": {"_entry"},
    "__init__": set(),
}


def _part(module: str) -> str:
    """chengzhen.store.build -> store; chengzhen -> __init__."""
    rest = module.split(".")[1:]
    return rest[0] if rest else "__init__"


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("chengzhen")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("chengzhen"):
            if node.module == "chengzhen":
                out |= {f"chengzhen.{a.name}" for a in node.names}
            else:
                out.add(node.module)
                # ``from chengzhen.query import places``: the module imported is chengzhen.query.places
                out |= {f"{node.module}.{a.name}" for a in node.names
                        if (PKG.parent / node.module.replace(".", "/") / f"{a.name}.py").exists()}
    return out


def _modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        yield ".".join(rel.parts), path


def test_imports_point_one_way():
    wrong = []
    for name, path in _modules():
        part = _part(name) if name != "chengzhen.__init__" else "__init__"
        if name.endswith(".__init__") and name != "chengzhen.__init__":
            part = name.split(".")[1]
        for imported in _imports(path):
            target = _part(imported)
            if target == "__version__":
                target = "__init__"
            if target not in ALLOWED.get(part, set()) and target != part:
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_nothing_imports_the_cli():
    for name, path in _modules():
        if _part(name) in ("cli", "_entry"):
            continue
        assert not any(_part(i) == "cli" for i in _imports(path)), name


def test_cli_loads_web_only_to_serve():
    """The CLI stays light: only `cz serve` imports the web package (and so
    datasette), inside its function, never at a module's top level."""
    for name, path in _modules():
        if _part(name) != "cli":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.startswith("chengzhen.web") for n in names), f"{name} imports web at top level"
        users = {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                 and any(isinstance(n, ast.ImportFrom) and (n.module or "").startswith("chengzhen.web")
                         for n in ast.walk(f))}
        assert users <= {"serve"}, f"{name}: {sorted(users)} import the web package"


def test_subpackage_inits_are_empty():
    for init in PKG.glob("*/__init__.py"):
        assert init.read_text(encoding="utf-8").strip() == "", init


def test_no_import_cycles_between_modules():
    graph = {name: {i for i in _imports(path)} for name, path in _modules()}
    graph = {k: {v for v in vs if v in graph} for k, vs in graph.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(n, stack):
        state[n] = 1
        for m in graph[n]:
            if state.get(m) == 1:
                cycle.extend(stack[stack.index(m):] + [m] if m in stack else [n, m])
                return True
            if state.get(m) is None and visit(m, stack + [m]):
                return True
        state[n] = 2
        return False

    for n in graph:
        if state.get(n) is None and visit(n, [n]):
            break
    assert cycle == [], " -> ".join(cycle)


def test_web_views_run_no_sql():
    """A web view renders answers; what it reads (its page's answer, a form's
    choices, its examples) comes from the query layer (docs/architecture.md):
    no ``execute`` call and no SQL text in web/views."""
    import re

    sql = re.compile(r"\bSELECT\b|\bINSERT\b|\bUPDATE\b|\bDELETE\b")
    found = []
    for path in sorted((PKG / "web" / "views").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "execute", "executemany", "executescript"):
                found.append(f"{path.name}:{node.lineno}: .{node.func.attr}()")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and sql.search(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value[:40]!r}")
    assert not found, found
