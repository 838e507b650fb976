"""cz speaks Chinese or English (chengzhen/i18n.py): the catalogue holds
every message in both, complete and compiled; the language is chosen as
documented; a Chinese-only reader finds every command and option in the
help; click's own messages and cz's errors come out in Chinese; and every
example the help shows runs, with the exit code the help states."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import signal
import subprocess
import sys
import time

import pytest

from conftest import DATA, REPO

CJK = re.compile(r"[\u4e00-\u9fff]")


_TOOL: dict = {}


def _tool():
    """tools/i18n.py, its extraction (Babel reads every source file) and its
    problem sites (every file of kb/, store/, ingest/ parsed) made once per
    test process, each when first asked for; the tests only read them."""
    if "mod" not in _TOOL:
        import functools

        spec = importlib.util.spec_from_file_location("i18n_tool", REPO / "tools" / "i18n.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.messages = functools.cache(mod.messages)  # (made when first asked: not every test needs it)
        mod.problem_sites = functools.cache(mod.problem_sites)
        _TOOL["mod"] = mod
    return _TOOL["mod"]


def _tree():
    """(path, click command) for every command and group, the root first."""
    import typer

    from chengzhen.cli.app import app

    out = []

    def walk(cmd, path):
        out.append((path, cmd))
        for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return out


# --------------------------------------------------------------------------- the catalogue

def test_catalogue_is_complete_equal_and_compiled():
    """Every message cz can show — its own (marked, and every error raised
    with a literal message, as a template), click's and Typer's, every help
    text of the command tree — has a Chinese translation with the same
    values, none fuzzy, and cz.mo is cz.po compiled."""
    pytest.importorskip("babel")
    problems = _tool().problems()
    assert problems == []


def test_extraction_finds_what_the_commands_show():
    """The extraction is not empty-handed: it finds the help of every
    command, click's usage words and the errors raised in the query layer."""
    pytest.importorskip("babel")
    found = _tool().messages()
    keys = {k if isinstance(k, str) else k[0] for k in found}
    for _path, cmd in _tree():
        assert cmd.help in keys, cmd.name
        for p in cmd.params:
            if getattr(p, "help", None):
                assert p.help in keys, (cmd.name, p.name)
    assert {"Usage:", "Options", "No such command {name!r}.", "unknown format {0}; choose one of {1}"} <= keys


# --------------------------------------------------------------------------- choosing the language

@pytest.mark.parametrize("env, want", [
    ({"CZ_LANG": "zh"}, "zh"), ({"CZ_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    ({"CZ_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"), ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"), ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_MESSAGES": "zh_CN.GB18030"}, "zh"), ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"), ({}, "en"),
])
def test_language_from_the_environment(env, want, monkeypatch):
    from chengzhen import i18n

    monkeypatch.setattr(i18n, "_windows_ui_language", lambda: None)
    assert i18n.language(env) == want


def test_windows_ui_language(monkeypatch):
    from chengzhen import i18n

    assert [i18n.language_of_langid(x) for x in (0x0804, 0x0404, 0x0C04, 0x1004, 0x0409, 0x0411)] == \
        ["zh", "zh", "zh", "zh", "en", "en"]
    monkeypatch.setattr(i18n, "_windows_ui_language", lambda: "zh")
    assert i18n.language({}) == "zh"
    assert i18n.language({"LANG": "en_US.UTF-8"}) == "en"  # a locale the user set wins
    assert i18n.language({"CZ_LANG": "en"}) == "en"


def test_language_is_restored_after_a_run(cz):
    before = os.environ.get("LANGUAGE")
    cz("--help", env={"CZ_LANG": "zh"})
    assert os.environ.get("LANGUAGE") == before
    assert "Usage:" in cz("--help").out


# --------------------------------------------------------------------------- help

def _help(cz, path: str, lang: str) -> str:
    res = cz(*path.split(), "--help", env={"CZ_LANG": lang})
    assert res.code == 0, res.err
    return res.out


def test_a_chinese_reader_finds_every_command_and_option(cz):
    """`cz --help` in Chinese names every command with a Chinese
    description; each command's help describes it and every option in
    Chinese; no English help sentence is left."""
    tree = _tree()
    root = _help(cz, "", "zh")
    assert root.startswith("用法:")
    for path, cmd in tree:
        text = _help(cz, path, "zh")
        english = _help(cz, path, "en")
        assert "示例：" in text and "Examples:" in english, path
        assert CJK.search(text.split("\n\n")[1]), path  # the description
        for p in cmd.params:
            if p.param_type_name != "option" or p.name == "help":
                continue
            for opt in p.opts:
                assert opt in text, (path, opt)
            if p.help:
                # the option's line (or lines) carries Chinese, and the English help is gone
                assert p.help not in text.replace("\n", " "), (path, p.name)
                line = next(i for i, x in enumerate(text.splitlines()) if p.opts[0] in x)
                chunk = "\n".join(text.splitlines()[line:line + 4])
                assert CJK.search(chunk), (path, p.name)
        for name in (getattr(cmd, "commands", None) or {}):
            row = next((x for x in text.splitlines() if x.strip().startswith(name + " ")), "")
            assert CJK.search(row), (path, name)  # every subcommand listed, in Chinese


def test_help_lines_fit_a_terminal(cz):
    """Wrapped by terminal columns (a Chinese character takes two): no
    help line is wider than 80 columns except an example's command line."""
    from chengzhen.cli.help import width_of

    for path, _cmd in _tree():
        for lang in ("zh", "en"):
            for line in _help(cz, path, lang).splitlines():
                if line.startswith("    cz "):
                    continue
                assert width_of(line) <= 80, (path, lang, line)


# --------------------------------------------------------------------------- examples run

def _examples(text: str) -> list[str]:
    lines = text.splitlines()
    at = next(i for i, x in enumerate(lines) if x.strip() in ("Examples:", "示例："))
    return [x.strip() for x in lines[at + 1:] if x.startswith("    cz ")]


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_every_example_shown_in_help_runs(cz, tmp_path, monkeypatch):
    """Each example in each command's help, in either language, is the
    registry's (the same lines in both), and runs against the real data
    with the exit code the registry states (0, or 1 where the example
    shows a miss)."""
    from chengzhen.cli.help import EXAMPLES

    seen = 0
    for path, _cmd in _tree():
        shown = _examples(_help(cz, path, "zh"))
        assert shown == _examples(_help(cz, path, "en")) == [e[0] for e in EXAMPLES[path]], path
        assert 2 <= len(shown) <= 3, path
        for line, _what, code in EXAMPLES[path]:
            args = shlex.split(line)[1:]
            here = tmp_path / f"example{seen}"  # each in a folder of its own: a report is written anew
            here.mkdir()
            (here / "data").symlink_to(DATA)  # the ingest examples read data/sources/…
            monkeypatch.chdir(here)
            if args[0] == "serve":
                _serve_example(args)
            else:
                res = cz(*args)
                assert res.code in (code if isinstance(code, tuple) else (code,)), (line, res.code, res.err[-500:])
            seen += 1
    assert seen >= 2 * len(_tree())


def _serve_example(args: list[str]) -> None:
    """`cz serve …` as shown, on a free port (the last --port wins): it
    starts and announces the address; Ctrl-C stops it."""
    pytest.importorskip("datasette")
    proc = subprocess.Popen([sys.executable, "-m", "chengzhen", *args, "--port", "0"], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, env=os.environ.copy())
    try:
        deadline = time.time() + 60
        line = ""
        while time.time() < deadline and "serving" not in line:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
        assert "serving" in line, line
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


# --------------------------------------------------------------------------- messages

def test_click_messages_in_chinese_and_english(cz):
    cases = [(["nosuch"], "没有命令 'nosuch'", "No such command 'nosuch'"),
             (["search", "--nosuch", "x"], "没有选项 '--nosuch'", "No such option '--nosuch'"),
             (["targets", "--year"], "需要 1 个值", "requires an argument"),
             (["similar", "qinghai/6.28", "-n", "x"], "不是有效的", "is not a valid integer")]
    for args, zh, en in cases:
        got_zh, got_en = cz(*args, env={"CZ_LANG": "zh"}), cz(*args, env={"CZ_LANG": "en"})
        assert got_zh.code == got_en.code == 2
        assert got_zh.err.startswith("cz：错误：") and zh in got_zh.err, got_zh.err
        assert got_en.err.startswith("cz: error:") and en in got_en.err, got_en.err
        assert len(got_zh.err.strip().splitlines()) == 1


def test_cz_errors_in_both_languages(cz):
    cases = [(["search", "老旧小区", "--plan", "青海x"], "未知的方案 '青海x'；是否要找：青海？", "unknown plan '青海x'; did you mean 青海?"),
             (["compare", "--by", "xx", "guizhou", "qinghai"], "--by 'xx' 无效：可选 task 或 text", "bad --by 'xx': choose task or text"),
             (["targets", "--year", "20x8"], "无效", "bad --year '20x8'"),
             (["show", ""], "编号为空", "empty id"),
             (["search", "x", "--plan", ""], "方案名称为空", "empty plan name"),
             (["plans", "-f", "xml"], "未知的格式 'xml'；可选", "unknown format 'xml'; choose one of"),
             (["report", "plan", "hunan", "-f", "pdf", "-o", "x.pdf"], "未知的格式 'pdf'", "unknown format 'pdf'")]
    for args, zh, en in cases:
        got_zh, got_en = cz(*args, env={"CZ_LANG": "zh"}), cz(*args, env={"CZ_LANG": "en"})
        assert got_zh.code == got_en.code == 2, (args, got_zh.err)
        assert zh in got_zh.err, got_zh.err
        assert en in got_en.err, got_en.err


def test_every_raised_template_is_translated_as_a_template():
    """A raised message is matched by its template and its values carried
    into the Chinese, whatever they are."""
    pytest.importorskip("babel")
    from chengzhen import i18n

    tool = _tool()
    restore = i18n.activate("zh")
    try:
        for msgid in tool.messages():
            if not isinstance(msgid, str) or "{0}" not in msgid:
                continue
            values = [f"值{n}x" for n in range(10)]
            raised = re.sub(r"\{(\d)\}", lambda m: values[int(m.group(1))], msgid)
            said = i18n.translate(raised)
            assert said != raised and CJK.search(said), msgid
            for n in set(re.findall(r"\{(\d)\}", msgid)):
                assert values[int(n)] in said, (msgid, said)
    finally:
        restore()


def test_the_lazy_catalogue_says_what_gettext_says():
    """i18n reads cz.mo lazily (a binary search in its sorted msgids): every
    message of the catalogue — singular and every plural count — is said
    exactly as gettext's GNUTranslations, which decodes the whole file,
    says it; a message not in it is said as written; the whole catalogue,
    when asked for, is GNUTranslations' own."""
    import gettext

    from chengzhen import i18n

    with open(i18n.catalogue_path("zh"), "rb") as f:
        full = gettext.GNUTranslations(f)
    lazy = i18n.translations("zh")
    assert type(lazy).__name__ == "LazyTranslations"
    ids = [lazy._msgid(k) for k in range(lazy._n)]
    assert ids == sorted(ids) and len(ids) > 1000
    for key, value in full._catalog.items():
        if isinstance(key, tuple):
            one, i = key
            two = next(m.decode("utf-8").split("\0")[1] for m in ids if m.startswith(one.encode("utf-8") + b"\0"))
            for n in (0, 1, 2, 5):
                assert lazy.ngettext(one, two, n) == full.ngettext(one, two, n)
        elif key:
            assert lazy.gettext(key) == full.gettext(key) == value
    assert lazy.gettext("no such message, surely") == "no such message, surely"
    assert lazy.ngettext("no such {n} thing", "no such {n} things", 2) == "no such {n} things"
    assert lazy._catalog == full._catalog
