"""The data's problems speak the reader's language (issue 22, part 1).

Every problem `cz validate`, `cz build` and `cz ingest` report is a code and
a message template with its values (kb/messages.py); the CLI says the
template in the reader's language.  Checked by definition:

* every place a problem is reported says a template (never plain text), of a
  registered code, and docs/cli.md lists exactly the registered codes;
* every code's templates have a Chinese translation with the same values,
  which keeps no English but the YAML's own words and the names of files and
  commands;
* under a Chinese locale, the problems of every broken fixture of
  tests/test_broken_data.py (one or more per code), of the places' and the
  statistics' fault fixtures and (slow) of every kind of wrong edit of
  tests/mutations.py on every plan, as `cz validate`, `cz build` and the
  warning of a query print them, hold no English word but their codes, ids,
  file paths, values and those kept words;
* the English stays as it was (the other tests assert it) and the JSON keeps
  the English message (docs/cli.md, "Language").
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest

from conftest import DATA, REPO, run_cz

LATIN = re.compile(r"[A-Za-z][A-Za-z_]*")
# what a Chinese message keeps of the Latin script besides its values: technical names (YAML, UTF-8,
# GB/T 2260, dates as YYYY-MM-DD, line ranges N-M), the parts of file names and commands it names
# (docs/data-format.md, python -m chengzhen.kb.migrate, CZ_DATA, cz validate, cz ingest --finish, drafts/, [a-z][a-z0-9_]*)
TECHNICAL = {"YAML", "UTF", "NUL", "GB", "T", "YYYY", "MM", "DD", "N", "M", "CZ_DATA", "cz", "validate", "python",
             "m", "chengzhen", "kb", "migrate", "http", "https", "py", "tsv", "yaml", "md", "data", "docs", "format",
             "indicators", "places", "regions", "national", "a", "z", "X", "ingest", "finish", "drafts"}


def _kept_words() -> set[str]:
    """The YAML's own words, which a curator types as they are: every field
    of the data's records, the values its choices allow, YAML's literals —
    and the technical names above."""
    from chengzhen.kb import fields as FD
    from chengzhen.kb import model as m
    from chengzhen.kb import places as PL
    from chengzhen.kb import statistics as ST

    words = {f.name for fs in FD.FIELDS.values() for f in fs} | set(ST.SOURCE_FIELDS) | set(ST.FIGURE_FIELDS)
    words |= set(m.COMPARATORS + m.BASES + m.LEVELS + m.SCRIPTS + m.MEASURE_KINDS + m.SKIP_KINDS + m.SUPPLIABLE)
    words |= {"actions", "order", "plans", "sections", "place", "sources", "true", "false", "null"}
    words |= set(PL.PLACE_SECTIONS)  # the sections of data/places.yaml (a proposal names where it went: places: classes)
    return words | TECHNICAL


KEPT = _kept_words()


def _tool():
    from test_i18n import _tool as tool

    return tool()


def _catalogue() -> dict:
    return {m.id: m.string for m in _tool().read_po() if m.id}


def _marks(template: str) -> list[str]:
    """A template's placeholders as written ({name}, {name!r}, {name:g}), in order."""
    return sorted(re.findall(r"(?<!\{)\{[a-z_]+(?:![rs])?(?::[^{}]*)?\}(?!\})", template))


def _prose(template: str) -> set[str]:
    """The Latin words of a template outside its placeholders."""
    return set(LATIN.findall(re.sub(r"\{[^{}]*\}", " ", template)))


# --------------------------------------------------------------------------- declared once

def test_every_problem_is_reported_with_a_template_of_a_registered_code():
    """No problem of the data is said with plain text (an f-string would
    leave the reader English); each code reported is in the registry, and
    each code of the registry is reported somewhere with a template."""
    pytest.importorskip("babel")
    from chengzhen.kb.messages import CODES

    sites = _tool().problem_sites()
    assert sites
    plain = [(s["where"], s["codes"], s["plain"]) for s in sites if s["plain"]]
    assert plain == []
    used = {c for s in sites for c in s["codes"]}
    assert used <= set(CODES), sorted(used - set(CODES))
    with_templates = {c for s in sites if s["templates"] for c in s["codes"]}
    assert set(CODES) <= with_templates, sorted(set(CODES) - with_templates)


def test_docs_list_the_registered_codes():
    """docs/cli.md's tables of codes are the registry's (python -m
    chengzhen.kb.messages docs/cli.md writes them)."""
    from chengzhen.kb.messages import CODES, render_docs

    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert render_docs(text) == text, "docs/cli.md: run python -m chengzhen.kb.messages docs/cli.md"
    listed = re.findall(r"^\| (E\d{3}) \|", text, re.M)
    assert listed == list(CODES)


def test_every_codes_templates_are_in_chinese_with_the_same_values():
    """Each code's every template (and every template kb says: kinds of
    record, hints, lists) has a Chinese translation with the same
    placeholders, keeping no English but the YAML's words and technical names."""
    pytest.importorskip("babel")
    tool = _tool()
    have = _catalogue()
    by_code: dict[str, set[str]] = {}
    for s in tool.problem_sites():
        for c in s["codes"]:
            by_code.setdefault(c, set()).update(s["templates"])
    assert by_code
    import ast

    said_by_kb = {t for path in (REPO / "src" / "chengzhen" / "kb").glob("*.py")
                  for t in tool._templates_in(ast.parse(path.read_text(encoding="utf-8")))}
    everything = {(c, t) for c, ts in by_code.items() for t in ts} | {("kb", t) for t in said_by_kb}
    bad = []
    for code, template in sorted(everything):
        zh = have.get(template)
        if not zh:
            bad.append((code, template, "no Chinese"))
        elif _marks(zh) != _marks(template):
            bad.append((code, template, f"values differ: {zh}"))
        elif _prose(zh) - KEPT:
            bad.append((code, template, f"English left: {sorted(_prose(zh) - KEPT)} in {zh}"))
        elif zh == template and _prose(template) - KEPT:
            bad.append((code, template, "not translated"))
    assert bad == []


def test_a_message_keeps_its_template_and_values():
    """A Msg is its English text; it travels (pickled from a build's
    worker, as JSON in a remembered failure) with its template and values."""
    from chengzhen.kb.messages import Msg, N_, from_json, one_of

    inner = one_of(["甲", "乙", "丙"])
    m = Msg(N_("did you mean {names}?"), names=inner)
    assert m == "did you mean '甲' or '乙' or '丙'?" and isinstance(m, str)
    for copy in (pickle.loads(pickle.dumps(m)), from_json(json.loads(json.dumps(m.as_json())))):
        assert copy == m and copy.template == m.template and copy.values["names"].template == inner.template
    braces = Msg(N_("period: {{start: {start}, end: {end}}}"), start=2024, end=2028)
    assert braces == "period: {start: 2024, end: 2028}" and pickle.loads(pickle.dumps(braces)) == braces


def test_said_in_chinese_and_in_english():
    from chengzhen import i18n
    from chengzhen.kb.messages import Msg, N_, did_you_mean_hint, joined

    m = Msg(N_("implied year {year} is not the plan period's end ({end})"), year=2082, end=2028)
    hint = joined(did_you_mean_hint(["a"]), Msg(N_("the qualifier table is in docs/data-format.md")), sep=" ")
    restore = i18n.activate("zh")
    try:
        assert i18n.say(m) == "隐含年份 2082 不是方案期末年份（2028）"
        assert i18n.say(hint) == "是否应为 'a'？限定词表见 docs/data-format.md"
    finally:
        restore()
    restore = i18n.activate("en")
    try:
        assert i18n.say(m) == str(m) == "implied year 2082 is not the plan period's end (2028)"
        assert i18n.say(hint) == "did you mean 'a'? the qualifier table is in docs/data-format.md"
    finally:
        restore()


# --------------------------------------------------------------------------- what a Chinese reader sees

def _leaves(msg) -> list:
    """The values a message shows as they are (not said: ids, years, quotes…)."""
    out = []
    for v in getattr(msg, "values", {}).values():
        out += _leaves(v) if hasattr(v, "template") else [v]
    return out


def _allowed(problems) -> set[str]:
    """The Latin words the problems may show: their files, codes and ids,
    every value of their messages, hints and detail lines — and KEPT."""
    words = set(KEPT)
    for p in problems:
        words |= set(LATIN.findall(f"{p.file} {p.code} {p.item} {p.plan}"))
        for m in (p.message, p.hint, *p.detail):
            for v in _leaves(m) if m is not None else []:
                words |= set(LATIN.findall(repr(v) + " " + str(v)))
    return words


def _check_messages(problems) -> None:
    """Every problem's message, hint and detail line is a template with values."""
    for p in problems:
        assert hasattr(p.message, "template"), (p.code, p.message)
        assert p.hint is None or hasattr(p.hint, "template"), (p.code, p.hint)
        assert all(hasattr(d, "template") or not d.strip(" ^") for d in p.detail), (p.code, p.detail)


def _english(text: str, allowed: set[str]) -> list[str]:
    return sorted(set(LATIN.findall(text)) - allowed)


def _zh_validate(monkeypatch) -> tuple[object, list[tuple[str, list]]]:
    """`cz validate` in Chinese, and the problems it printed (grouped by file)."""
    import chengzhen.answers.validate as AV

    seen: list = []
    real = AV.audit

    def audit(results, groups, only=None):
        seen.append(groups)
        return real(results, groups, only)

    monkeypatch.setattr(AV, "audit", audit)
    res = run_cz(["validate"], env={"CZ_LANG": "zh"})
    assert seen, res.err
    return res, seen[0]


def _check_zh_validate(res, groups) -> None:
    """Each problem's block (its line, hint, detail lines) holds no English
    word but its own files, codes, ids, values and the kept words; the
    summary line none at all."""
    problems = [p for _f, ps in groups for p in ps]
    assert res.code == 1 and problems, (res.code, res.err)
    _check_messages(problems)
    lines = res.out.splitlines()
    at = next(i for i, line in enumerate(lines) if "个问题" in line)
    assert not LATIN.findall(lines[at]), lines[at]
    rest = [line for line in lines[at + 1:] if line.strip()]
    k = 0
    for file, ps in groups:
        assert rest[k] == file, (rest[k], file)
        k += 1
        for p in ps:
            size = 1 + (1 if p.hint else 0) + len(p.detail)
            block = "\n".join(rest[k:k + size])
            assert f" {p.code}" in rest[k], (rest[k], p.code)
            assert not _english(block, _allowed([p])), (p.code, _english(block, _allowed([p])), block)
            k += size
    assert k == len(rest)


def _broken_cases():
    import test_broken_data as B

    return [(name, mutate, code) for name, mutate, code, _f, _l in B.CASES] + \
        [(name, mutate, code) for name, mutate, code, _f, _l in B.COVERAGE]


CASES = _broken_cases()


@pytest.mark.parametrize("name,mutate,code", CASES, ids=[c[0] for c in CASES])
def test_chinese_validate_of_broken_data_says_no_english(tiny, monkeypatch, name, mutate, code):
    """Every broken fixture (one or more per code): `cz validate` in
    Chinese prints each problem with no English but its values; the same
    problems in English are what they were (the JSON keeps them)."""
    mutate(tiny)
    res, groups = _zh_validate(monkeypatch)
    assert any(p.code == code for _f, ps in groups for p in ps), res.out
    _check_zh_validate(res, groups)
    en = run_cz(["validate", "-f", "json"], env={"CZ_LANG": "en"})
    zh = run_cz(["validate", "-f", "json"], env={"CZ_LANG": "zh"})
    assert en.out == zh.out  # the JSON does not change with the language
    messages = [p["message"] for p in json.loads(en.out)["problems"]]
    assert messages == [str(p.message) for _f, ps in groups for p in ps]


# one fixture per code is enough for the build's and the warning's lines (the same messages as validate's)
# the place checks (a plan's region, a target's scope: docs/places.md) are cz validate's alone: cz build
# stores what it can read and cz progress answers 无数据 for a place it cannot read
VALIDATE_ONLY = {"E176", "E177"}
BUILD_CASES = [c for c in {c[2]: c for c in reversed(_broken_cases())}.values() if c[2] not in VALIDATE_ONLY]


@pytest.mark.parametrize("name,mutate,code", BUILD_CASES, ids=[c[0] for c in BUILD_CASES])
def test_chinese_build_and_warning_say_no_english(tiny_built, monkeypatch, name, mutate, code):
    """A failed build lists every problem in Chinese (`cz：错误：FILE:LINE:
    CODE [id] 消息；提示`), and a query answering from the last good database
    warns in Chinese — also when the failure is remembered, not retried."""
    assert run_cz(["build", "-q"]).code == 0
    mutate(tiny_built)
    _res, groups = _zh_validate(monkeypatch)
    problems = [p for _f, ps in groups for p in ps]
    allowed = _allowed(problems)
    built = run_cz(["build", "-q"], env={"CZ_LANG": "zh"})
    if code.startswith("E3"):
        assert built.code == 0  # coverage does not stop a build
        return
    assert built.code == 2 and built.err.strip()
    lines = built.err.strip().splitlines()
    assert any(f" {code}" in line for line in lines), lines
    for line in lines:
        assert line.startswith("cz：错误："), line
        assert not _english(line, allowed), (line, _english(line, allowed))
    first = re.search(r"(E\d{3})", lines[0]).group(1)
    for _ in range(2):
        q = run_cz(["search", "老旧小区"], env={"CZ_LANG": "zh"})
        assert q.code == 0, q.err
        (warning,) = q.err.strip().splitlines()
        assert warning.startswith("cz：警告：数据有 ") and first in warning, warning
        assert not _english(warning, allowed), (warning, _english(warning, allowed))
    en = run_cz(["search", "老旧小区"], env={"CZ_LANG": "en"})
    assert re.search(r"the data has \d+ problem", en.err), en.err


def test_the_issue_example(tmp_path, monkeypatch):
    """The issue's example: a target's year changed to 2082 in a copy of the
    real data, `cz validate` under CZ_LANG=zh."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    plan = next(p for p in sorted((root / "plans").glob("*.yaml"))
                if re.search(r"^ +year: 20\d\d\n +year_implied: true", p.read_text(encoding="utf-8"), re.M))
    text = plan.read_text(encoding="utf-8")
    year = re.search(r"^ +year: (20\d\d)\n +year_implied: true", text, re.M)
    plan.write_text(text[:year.start(1)] + "2082" + text[year.end(1):], encoding="utf-8")
    res, groups = _zh_validate(monkeypatch)
    _check_zh_validate(res, groups)
    assert f"E221 " in res.out and f"隐含年份 2082 不是方案期末年份（{year.group(1)}）" in res.out, res.out
    assert re.search(r"\d+ 个文件中共有 \d+ 个问题：", res.out)
    en = run_cz(["validate"], env={"CZ_LANG": "en"})
    assert f"implied year 2082 is not the plan period's end ({year.group(1)})" in en.out
    assert re.search(r"\d+ problems? in \d+ files?:", en.out)


def _places_and_statistics_faults():
    import test_places as P
    import test_statistics as S

    return [("places.tsv", old, new, code) for old, new, code in P.TSV_FAULTS] + \
        [("places.yaml", old, new, code) for old, new, code in P.YAML_FAULTS] + \
        [("statistics", old, new, code) for old, new, code, _s in S.FAULTS]


FAULTS = _places_and_statistics_faults()


@pytest.mark.parametrize("file,old,new,code", FAULTS, ids=[f"{f[0]}-{f[3]}-{i}" for i, f in enumerate(FAULTS)])
def test_places_and_statistics_problems_in_chinese(tmp_path, file, old, new, code):
    """The places' and the statistics' fault fixtures (not yet read by `cz
    validate`): each problem, said in Chinese, has no English but its values."""
    import shutil

    from chengzhen import i18n
    from chengzhen.kb.loader import load_indicators
    from chengzhen.kb.places import load_places
    from chengzhen.kb.problems import Sink
    from chengzhen.kb.statistics import load_statistics
    import test_statistics as S

    sink = Sink()
    if file == "statistics":
        d = tmp_path / "data"
        (d / "statistics").mkdir(parents=True)
        (d / "statistics" / "520000.yaml").write_text(S.SAMPLE.replace(old, new, 1), encoding="utf-8")
        load_statistics(d, load_places(DATA).places, {i.name: i.unit for i in load_indicators(DATA)}, sink)
    else:
        d = tmp_path / "data"
        d.mkdir()
        for name in ("places.tsv", "places.yaml"):
            shutil.copy(REPO / "data" / name, d / name)
        text = (d / file).read_text(encoding="utf-8")
        assert old in text
        (d / file).write_text(text.replace(old, new, 1), encoding="utf-8")
        load_places(d, sink)
    problems = sink.problems
    assert any(p.code == code for p in problems)
    _check_messages(problems)
    restore = i18n.activate("zh")
    try:
        for p in problems:
            line = i18n.say(p.line_msg())
            assert not _english(line, _allowed([p])), (line, _english(line, _allowed([p])))
    finally:
        restore()


def test_chinese_ingest_report(data_copy_zh):
    """`cz ingest` of a text that does not validate: the summary and what
    blocks the draft, in Chinese; in English as before."""
    src, root = data_copy_zh
    zh = run_cz(["ingest", str(src), "--dry-run"], env={"CZ_LANG": "zh"})
    assert zh.code == 1, zh.err
    assert "阻碍写入（E111）：字段 'period' 不能为空" in zh.err, zh.err
    assert "试运行，未写入" in zh.err and "待审 " in zh.err
    blocking = [line for line in zh.err.splitlines() if "阻碍写入" in line]
    assert blocking and all(not _english(line.split(": ", 1)[1], KEPT | {"E"}) for line in blocking), blocking
    en = run_cz(["ingest", str(src), "--dry-run"], env={"CZ_LANG": "en"})
    assert "blocking (E111): field 'period'" in en.err and "dry run: nothing written" in en.err


@pytest.fixture
def data_copy_zh(tmp_path, monkeypatch):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    src = tmp_path / "news.txt"
    src.write_text("本报讯 昨日,某市召开新型城镇化工作推进会。会议指出,要扎实推进城市更新。\n" * 3, encoding="utf-8")
    return src, root


# --------------------------------------------------------------------------- every wrong edit of every plan

@pytest.mark.slow
def test_every_kind_of_wrong_edit_is_said_in_chinese(monkeypatch):
    """tests/mutations.py's every kind of wrong edit, on every plan of the
    real data: `cz validate` in Chinese says each problem with no English
    but its values (and still catches it)."""
    import mutations

    import chengzhen.answers.validate as AV

    real = AV.audit
    failures = []

    def validate(root: Path, plan: str, db: Path):
        seen = []
        monkeypatch.setattr(AV, "audit", lambda results, groups, only=None: (seen.append(groups),
                                                                             real(results, groups, only))[1])
        res = run_cz(["validate", "--plan", plan], env={"CZ_DATA": str(root), "CZ_DB": str(db), "CZ_LANG": "zh"})
        monkeypatch.setattr(AV, "audit", real)
        if res.code == 2:
            return 2, [res.err.strip()]
        groups = seen[0]
        if res.code == 1:
            try:
                _check_zh_validate(res, groups)
            except AssertionError as exc:
                failures.append((plan, str(exc)[:300]))
        return res.code, sorted({p.code for _f, ps in groups for p in ps})

    monkeypatch.setattr(mutations, "_validate", validate)
    outcomes = mutations.run(DATA)
    assert any(o.caught for o in outcomes)
    assert failures == []


# --------------------------------------------------------------------------- what a library says

def _pyyaml_problems() -> list[str]:
    """Every problem PyYAML's Python parser can raise (the literal texts of
    its errors, values filled with a stand-in), but the contexts (while …)."""
    import ast as A

    import yaml

    root = Path(yaml.__file__).parent
    out = set()
    for name in ("reader", "scanner", "parser", "composer", "constructor"):
        for node in A.walk(A.parse((root / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, A.Call) and getattr(node.func, "id", "").endswith("Error"):
                for arg in node.args:
                    text = arg.left.value if isinstance(arg, A.BinOp) and isinstance(arg.left, A.Constant) else \
                        arg.value if isinstance(arg, A.Constant) else None
                    # (not the full loader's Python objects: cz reads YAML safely)
                    if isinstance(text, str) and text and not text.startswith("while ") and " " in text \
                            and not re.search(r"module|class|blacklisted|instance", text):
                        out.add(text.replace("%r", "'x'").replace("%s", "x").replace("%d", "1"))
    return sorted(out)


# broken YAML as a curator writes it, through the parser cz uses (libyaml's words)
BROKEN_YAML = ["a: [1, 2\n", "a: {b: 1\n", "a: b: c\n", "a:\n  b: 1\n c: 2\n", "- a\nb: 1\n", "a: 'b\n",
               'a: "\\q"\n', "a:\n\t- b\n", "a: @b\n", "a: `b`\n", "a: !foo b\n", "a: 1\n---\nb: 2\n",
               "a: *b\n", "key\nother: 1\n", "a: [b, c]]\n", "a:\n  - b\n  c: 1\n", "? [a]\n: b\n", "a: |9\n  x\n",
               "%YAML 2.0\n---\na: 1\n", "a: \x07\n"]


def test_every_yaml_problem_kind_is_said_in_chinese():
    """PyYAML's every problem (its Python parser's texts) and libyaml's (the
    broken YAML above, as `cz` reads it) is a kind kb/messages.py names —
    said in Chinese without English; the English stays PyYAML's own."""
    from chengzhen import i18n
    from chengzhen.errors import DataError
    from chengzhen.kb.messages import yaml_problem
    from chengzhen.kb.yamlio import parse_yaml

    problems = _pyyaml_problems()
    assert len(problems) > 40
    said = []
    for text in BROKEN_YAML:
        try:
            parse_yaml(text, "x.yaml")
        except DataError as exc:
            said.append(exc)
    assert len(said) == len(BROKEN_YAML)
    unnamed = [p for p in problems if yaml_problem(p).template == "a syntax error PyYAML does not name"]
    unnamed += [str(e.reason) for e in said if getattr(e.reason.values.get("problem") or e.reason.values.get(
        "error"), "template", "") == "a syntax error PyYAML does not name"]
    assert unnamed == []
    restore = i18n.activate("zh")
    try:
        for p in problems:
            assert not _english(i18n.say(yaml_problem(p)), KEPT), (p, i18n.say(yaml_problem(p)))
        for exc in said:
            line = i18n.say(exc.reason)
            assert exc.code in ("E101", "E103", "E105", "E106", "E111") and not _english(line, KEPT | {"x"}), (exc, line)
    finally:
        restore()
    m = yaml_problem("could not find expected ':'")
    assert str(m) == "could not find expected ':'" and pickle.loads(pickle.dumps(m)).english == str(m)
    assert from_json_roundtrip(m) == str(m)


def from_json_roundtrip(m):
    from chengzhen.kb.messages import from_json

    back = from_json(json.loads(json.dumps(m.as_json())))
    assert back.template == m.template
    return str(back)


def test_every_os_error_is_said_in_chinese(tmp_path, monkeypatch):
    """A file that cannot be read: the system's reason by errno, in Chinese
    (each errno kb/messages.py names, and any other); in English the
    system's own words.  Through `cz validate`: a plan file that is a
    directory."""
    import errno
    import os

    from chengzhen import i18n
    from chengzhen.kb.messages import OS_ERRORS, os_error

    restore = i18n.activate("zh")
    try:
        for name in [*OS_ERRORS, "ECHILD"]:
            code = getattr(errno, name)
            m = os_error(OSError(code, os.strerror(code)))
            assert str(m) == os.strerror(code)
            assert not _english(i18n.say(m), set()) and re.search(r"[\u4e00-\u9fff]", i18n.say(m)), (name, i18n.say(m))
            # a strerror carried in a raised message's text is said too (i18n.translate)
            assert not _english(i18n.translate(f"x.txt: cannot read: {os.strerror(code)}"), {"x", "txt"}) \
                or name not in OS_ERRORS
    finally:
        restore()
    import shutil

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    plan = sorted((root / "plans").glob("*.yaml"))[0]
    plan.unlink()
    plan.mkdir()
    res, groups = _zh_validate(monkeypatch)
    _check_zh_validate(res, groups)
    assert "E150" in res.out and "这是一个目录" in res.out, res.out
    en = run_cz(["validate"], env={"CZ_LANG": "en"})
    assert "Is a directory" in en.out


# through `cz validate`: three kinds in the quick suite, every one under slow (the parser's words for each are
# checked above without the CLI)
@pytest.mark.parametrize("text", [pytest.param(t, marks=() if k < 3 else pytest.mark.slow)
                                  for k, t in enumerate(BROKEN_YAML)], ids=[f"yaml{k}" for k in range(len(BROKEN_YAML))])
def test_broken_yaml_through_cz_validate_in_chinese(tiny, monkeypatch, text):
    """A broken YAML above written into a plan file: `cz validate` in
    Chinese says the file, line, code and the kind of error, no English."""
    plan = sorted((tiny / "plans").glob("*.yaml"))[0]
    plan.write_text(plan.read_text(encoding="utf-8") + "\n" + text.replace("a:", "zz_a:"), encoding="utf-8")
    res, groups = _zh_validate(monkeypatch)
    if [p for _f, ps in groups for p in ps]:  # (valid YAML once appended: an unknown field is another test's)
        _check_zh_validate(res, groups)
