"""What `cz ingest` and `cz review` tell a curator is said in the reader's
language (issue 22, part 1): checked by definition, over every text the
tests ingest.

The texts: every plan source of the data and every held plan
(tests/data/held), and every made-up text of the ingest tests — each
multi-line Chinese string literal of tests/test_ingest*.py (module-level
or inside a test, with the notices they are glued to).  Each is drafted;
every flag of the draft (what blocks it and what a curator reviews), and
every flag tests/test_ingest_flags.py provokes by making a catalogue field
wrong, said in Chinese holds no Latin word but:

* the YAML's own words and technical names (test_problem_messages.KEPT),
* a flag's key (``issuer:``, ``structure:``: a stable key before the text),
* the words of the source text itself (a quote: ``PM2.5``, ``5G``), the
  ids and names of the plans, and the codes (E…).

On the command line: `cz ingest --dry-run` of each held plan, `cz review`
of each (after writing it), a plan that does not load, and `--accept` —
every line a Chinese reader sees, by the same rule.  The JSON keeps the
English (the records are what scripts read).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, REPO, declare_places, held_plans, held_regions, run_cz
from test_problem_messages import KEPT, LATIN

TESTS = Path(__file__).resolve().parent


def _texts_in_tests() -> dict[str, str]:
    """Every multi-line Chinese text literal of the ingest tests (a string,
    or a concatenation of strings and module constants), by where it is."""
    import importlib

    out: dict[str, str] = {}
    for path in sorted(TESTS.glob("test_ingest*.py")):
        module = importlib.import_module(path.stem)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Constant, ast.BinOp)):
                continue
            if isinstance(node, ast.BinOp) and not all(
                    isinstance(n, (ast.Constant, ast.Name, ast.BinOp, ast.operator)) for n in ast.walk(node)):
                continue
            try:
                value = eval(compile(ast.Expression(node), str(path), "eval"), vars(module))  # noqa: S307
            except Exception:  # noqa: BLE001 - a name of a test's own (not a module constant)
                continue
            if isinstance(value, str) and value.count("\n") >= 2 and len(re.findall(r"[\u4e00-\u9fff]", value)) >= 30:
                out.setdefault(value, f"{path.name}:{node.lineno}")
    return {where: text for text, where in out.items()}


def _sources() -> dict[str, str]:
    paths = sorted((DATA / "sources").glob("*.txt")) + held_plans()
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


def _allowed(text: str) -> set[str]:
    from chengzhen.kb import loader as L

    words = set(KEPT) | set(LATIN.findall(text)) | {"cz", "ingest", "review", "id", "accept", "all", "vocabulary",
                                                    "dry", "run", "E", "mou", "N"}
    words |= {p.id for p in L.load_catalogue(DATA)}
    return words


def _keyless(said: str) -> str:
    """A said flag without its parts' keys (``issuer: …``, ``structure：…``)."""
    return "; ".join(re.sub(r"^[a-z_]+[:：]\s*", "", part) for part in said.split("; "))


def _english(said: str, allowed: set[str]) -> list[str]:
    return sorted(set(LATIN.findall(_keyless(said))) - allowed)


def _draft(text: str, plan_id: str = "mou"):
    from chengzhen.ingest import decode as DEC
    from chengzhen.ingest.draft import draft_from_text

    decoded = DEC.Decoded(text if text.endswith("\n") else text + "\n", "utf-8", "text")
    return draft_from_text(decoded, DATA, plan_id, "test.txt")


def _said_in_chinese(d, text: str) -> list[tuple]:
    """The flags of draft ``d`` that keep English when said in Chinese."""
    from chengzhen import i18n
    from chengzhen.cli.views.review import said

    allowed = _allowed(text) | {d.plan_id}
    flags = [*getattr(d, "blocking", []), *d.review]
    restore = i18n.activate("zh")
    try:
        return [(line, item, str(reason), said(reason), _english(said(reason), allowed | set(LATIN.findall(item))))
                for line, item, reason in flags if _english(said(reason), allowed | set(LATIN.findall(item)))]
    finally:
        restore()


TEXTS = _texts_in_tests()


def test_the_ingest_tests_texts_are_found():
    """The corpus is not empty: the made-up texts of several test files."""
    assert len(TEXTS) >= 20 and len({w.split(":")[0] for w in TEXTS}) >= 3, sorted(TEXTS)


@pytest.mark.parametrize("where", sorted(TEXTS))
def test_every_flag_of_every_made_up_text_is_said_in_chinese(where):
    text = TEXTS[where]
    d = _draft(text)
    assert _said_in_chinese(d, text) == []


SOURCES = _sources()
HELD = {p.name for p in held_plans()}
# the held plans (short) in the quick suite; the data's plan sources (long, each field mutated) under slow
SOURCE_PARAMS = [pytest.param(n, id=n, marks=() if n in HELD else pytest.mark.slow) for n in sorted(SOURCES)]


@pytest.mark.parametrize("name", SOURCE_PARAMS)
def test_every_flag_of_every_source_and_held_plan_is_said_in_chinese(name):
    """Each plan source and held plan drafted — and each catalogue field of
    it made wrong the ways tests/test_ingest_flags.py does (flags.py's
    independent checks)."""
    import test_ingest_flags as TF
    from chengzhen.ingest import flags as FL

    text = SOURCES[name]
    d = _draft(text, "x" + re.sub(r"\W", "_", Path(name).stem)[:20])
    bad = _said_in_chinese(d, text)
    for what, _field, mutate in TF._mutations(d):
        c = TF._copy(d)
        c.review = []
        mutate(c)
        c.review = FL.raise_flags(c, DATA)
        bad += [(what, *x) for x in _said_in_chinese(c, text)]
    assert bad == []


# --------------------------------------------------------------------------- on the command line

@pytest.fixture
def held_copy(tmp_path, monkeypatch):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    return root


def _check_lines(out: str, allowed: set[str]) -> None:
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert lines
    bad = [(ln, _english(ln, allowed)) for ln in lines if _english(ln, allowed)]
    assert bad == []


# one held plan through the command line in the quick suite, every one under slow
@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem, marks=() if k == 0 else pytest.mark.slow)
                                  for k, p in enumerate(held_plans())])
def test_ingest_and_review_of_a_held_plan_in_chinese(held_copy, path):
    """`cz ingest --dry-run` (its report), `cz ingest` then `cz review` (its
    checklist, as a table), `cz review --accept all`: every line in Chinese;
    the JSON's records keep the English."""
    text = path.read_text(encoding="utf-8")
    allowed = _allowed(text) | {path.stem} | {"yaml", "plans", "p", "lines", "line"} - {"lines", "line"}
    dry = run_cz(["ingest", str(path), "--dry-run", "--id", path.stem], env={"CZ_LANG": "zh"})
    assert dry.code in (0, 1), dry.err
    _check_lines(dry.err, allowed | set(LATIN.findall(str(held_copy))))
    assert run_cz(["ingest", str(path), "--id", path.stem]).code in (0, 1)
    zh = run_cz(["review", path.stem, "-f", "table"], env={"CZ_LANG": "zh"})
    assert zh.code in (0, 1) and "待审标记" in zh.out, zh.err
    _check_lines(zh.out, allowed)
    en = run_cz(["review", path.stem, "-f", "json"], env={"CZ_LANG": "zh"})
    records = json.loads(en.out)["records"]
    assert records and all(not re.search(r"[\u4e00-\u9fff]", r["why"] or "") or r["kind"] != "catalogue"
                           for r in records)  # the JSON keeps the English
    # cz validate of the written draft: its E304 lines (the flags, a proposal's review text) in Chinese too
    val = run_cz(["validate", "--plan", path.stem, "-f", "table"], env={"CZ_LANG": "zh"})
    assert val.code == 1 and "E304" in val.out, val.out[-500:]
    _check_lines(val.out, allowed | {"validate"} | set(LATIN.findall(str(held_copy))))
    acc = run_cz(["review", path.stem, "--accept", "all", "-f", "table"], env={"CZ_LANG": "zh"})
    assert "已接受" in acc.out, acc.out
    _check_lines(acc.out, allowed)


@pytest.mark.parametrize("breakage", ["syntax", "field"])
def test_a_plan_that_does_not_load_in_chinese(held_copy, breakage):
    """`cz review` of a plan whose file is broken — a YAML syntax error (the
    catalogue cannot read it either) or a body that does not load: one
    line, in Chinese, naming the file and line, the code and what is wrong
    (PyYAML's kind of error said in Chinese), and the command that says
    more; in English as PyYAML and the loader word it."""
    path = held_plans()[0]
    assert run_cz(["ingest", str(path), "--id", path.stem]).code in (0, 1)
    plan = held_copy / "plans" / f"{path.stem}.yaml"
    text = plan.read_text(encoding="utf-8")
    if breakage == "syntax":
        broken = text.replace("\nplan:\n", "\nplan:\n  oops: [1, 2\n", 1)
    else:
        broken = re.sub(r"^sections:", "sections: 5\nzz_sections:", text, count=1, flags=re.M)
    assert broken != text
    plan.write_text(broken, encoding="utf-8")
    zh = run_cz(["review", path.stem], env={"CZ_LANG": "zh"})
    assert zh.code == 2 and len(zh.err.strip().splitlines()) == 1, zh.err
    line = zh.err.strip()
    assert "方案无法载入" in line and f"{path.stem}.yaml:" in line and "cz validate --plan" in line, line
    allowed = _allowed(text) | set(LATIN.findall(str(held_copy))) | {"zz_sections", "plan", "plans", "YAML"}
    assert _english(line, allowed) == [], line
    en = run_cz(["review", path.stem], env={"CZ_LANG": "en"})
    assert "the plan does not load" in en.err and "cz validate --plan" in en.err
    if breakage == "syntax":
        assert "E101" in line and "did not find expected ',' or ']'" in en.err, (line, en.err)
        # and cz validate --plan names the syntax error, not an unknown plan
        val = run_cz(["validate", "--plan", path.stem, "-f", "table"], env={"CZ_LANG": "zh"})
        assert val.code == 1 and "E101" in val.out and "不存在" not in val.out + val.err, (val.out, val.err)


def test_a_problem_quoted_inside_an_ingest_flag_is_said_in_chinese():
    """Two ingest flags quote a validation problem's message (a target left out, a 责任单位 clause left in
    the text): every problem template of every site, filled with values, quoted in each, is said with no
    English — the problem's template (named values) said inside the flag's (numbered values), a message
    holding "; " itself not cut there."""
    pytest.importorskip("babel")
    from test_problem_messages import _tool

    from chengzhen import i18n

    templates = sorted({t for s in _tool().problem_sites() for t in s["templates"]})
    assert templates
    restore = i18n.activate("zh")
    try:
        left, tried = [], 0
        for t in templates:
            if re.search(r"\{[a-z_]*[!:][^}]*\}|\{\d*\}", t):
                continue  # a value with a conversion or a format spec: filled by its own tests
            names = re.findall(r"\{([a-z_]+)\}", t)
            message = t.format(**{n: f"值{k}" for k, n in enumerate(names)})
            for flag in (f"a target could not be verified (E209: {message}); it was left out: 28万户 …正文",
                         "责任单位 clause left in the text, not drafted as departments: validation refuses the list "
                         f"(E209: {message})"):
                said = i18n.say_flag(flag)
                english = sorted(set(LATIN.findall(said)) - KEPT - {"E"})
                if english:
                    left.append((t, said, english))
                tried += 1
        assert tried > 100
        assert left == []
    finally:
        restore()
