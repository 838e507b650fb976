"""Documentation cannot fall behind the code: every command and option is in
docs/cli.md, every error code in the source is listed there."""

from __future__ import annotations

import re

import typer

from chengzhen.cli.app import app
from conftest import REPO

CLI_MD = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands():
    group = typer.main.get_command(app)
    return group.commands


def _section(name: str) -> str:
    m = re.search(rf"^## cz {name}\n(.*?)(?=^## |\Z)", CLI_MD, re.S | re.M)
    assert m, f"docs/cli.md has no section '## cz {name}'"
    return m.group(1)


def test_every_command_has_a_section():
    for name in _commands():
        _section(name)


def test_every_option_is_documented():
    for name, cmd in _commands().items():
        text = _section(name)
        for param in cmd.params:
            if param.param_type_name != "option" or param.name in ("help",):
                continue
            long = [o for o in param.opts if o.startswith("--")]
            assert any(o in text for o in long), f"cz {name} {long} undocumented"


def test_every_error_code_is_documented():
    codes = set()
    for path in (REPO / "src" / "chengzhen").rglob("*.py"):
        codes |= set(re.findall(r'"(E\d{3})"', path.read_text(encoding="utf-8")))
    assert codes
    for code in sorted(codes):
        assert f"| {code} |" in CLI_MD, f"{code} missing from docs/cli.md"


def test_exit_codes_documented():
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert code in CLI_MD


def test_every_usage_error_message_is_documented():
    texts = []
    for path in (REPO / "src" / "chengzhen").rglob("*.py"):
        texts += re.findall(r'(?:UsageError|CzError)\(f?"([^"{]{12,})', path.read_text(encoding="utf-8"))
    for t in texts:
        head = t.split(":")[0].split(";")[0].strip()[:20]
        assert head in CLI_MD, f"error message {t!r} not in docs/cli.md"


def test_schema_md_describes_every_declared_table_and_column():
    from chengzhen.store import schema

    text = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| [^|]+ \| (.+) \|$", text, re.M)}
    for table in schema.tables():
        assert table in rows, f"docs/schema.md does not describe table {table}"
        for column in schema.columns(table):
            assert f"`{column}`" in rows[table], f"docs/schema.md: {table}.{column} undescribed"
    assert set(rows) <= set(schema.tables()), f"docs/schema.md describes tables that do not exist: {set(rows) - set(schema.tables())}"


def test_built_database_holds_exactly_the_declared_schema(real_db):
    import sqlite3

    from chengzhen.store import schema

    conn = sqlite3.connect(real_db)
    assert schema.db_hash(conn) == schema.declared_hash()
    conn.close()
