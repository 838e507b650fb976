"""The command line: every command's formats, exit codes and failure paths."""

from __future__ import annotations

import csv
import io
import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignment_gold import precision_recall
from conftest import DATA, REPO


def _catalogue_ids() -> list[str]:
    from chengzhen.kb.loader import load_catalogue

    return [p.id for p in load_catalogue(DATA)]


def test_typer_clirunner_plans():
    from chengzhen.cli.app import app

    res = CliRunner().invoke(app, ["plans", "--format", "json"])
    assert res.exit_code == 0, res.output
    ids = [p["id"] for p in json.loads(res.output)["records"]]
    assert ids == _catalogue_ids()


def test_version_and_help(cz):
    from chengzhen import __version__

    v = cz("--version")
    assert v.code == 0 and v.out.strip() == f"cz {__version__}"
    h = cz("--help")
    assert h.code == 0 and "search" in h.out and "compare" in h.out
    assert cz().code == 0  # no arguments: help


def test_python_dash_m(tmp_path):
    res = subprocess.run([sys.executable, "-m", "chengzhen", "--version"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stdout.startswith("cz ")


def test_unknown_command_and_option_are_one_line(cz):
    for args in (["nosuch"], ["search", "--nosuch", "x"], ["targets", "--year"]):
        res = cz(*args)
        assert res.code == 2
        assert len(res.err.strip().splitlines()) == 1 and res.err.startswith("cz: error:"), res.err


# ---------------------------------------------------------------- plans / stats / topics / show

@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv"])
def test_plans_formats(cz, fmt):
    res = cz("plans", "--format", fmt)
    assert res.code == 0 and "\x1b[" not in res.out
    if fmt == "json":
        rows = json.loads(res.out)["records"]
        qh = next(r for r in rows if r["id"] == "qinghai")
        assert qh["doc_number"] == "青政〔2024〕48号" and qh["issue_date"] == "2024-12-14"
        assert qh["parent"] == "国发〔2024〕17号" and qh["completeness"] == "本文有删减"
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.out)))
        assert [r["id"] for r in rows] == _catalogue_ids()
        assert next(r for r in rows if r["id"] == "hunan")["script"] == "traditional"
    if fmt == "table":
        assert "青政〔2024〕48号" in res.out and "贵州" in res.out


def test_stats(cz):
    res = cz("stats", "--format", "json")
    rows = {r["plan"]: r for r in json.loads(res.out)["records"]}
    assert rows["qinghai"]["measures"] == 39
    assert rows["hebei"]["annex_rows"] == 50
    assert rows["qinghai"]["departments"] > 20 and rows["guizhou"]["departments"] == 0
    from chengzhen.kb.loader import load_catalogue

    shorts = [p.short_name for p in load_catalogue(DATA)]
    unique = next(s for s in shorts if shorts.count(s) == 1)  # a short name that names one plan
    assert cz("stats", "--plan", unique).code == 0
    shared = next((s for s in shorts if shorts.count(s) > 1), None)
    if shared:  # two plans of one place: the name is ambiguous, said in one line (exit 2)
        r = cz("stats", "--plan", shared)
        assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err


def test_topics(cz):
    res = cz("topics", "--format", "json")
    names = {t["name"] for t in json.loads(res.out)["records"]}
    for t in ("户籍", "基本公共服务", "就业", "随迁子女教育", "住房保障", "社会保障", "农民权益", "产业与园区", "人才",
              "都市圈", "交通", "城市更新", "老旧小区", "城中村", "平急两用", "城市生命线", "洪涝治理", "智慧城市",
              "绿色低碳", "土地", "资金", "统计监测", "组织保障"):
        assert t in names, t


def test_show_measure(cz):
    res = cz("show", "qinghai/6.28")
    assert res.code == 0
    for s in ("扎实推进城镇老旧小区改造", "责任单位(按原文顺序): 省住房城乡建设厅", "省消防救援总队", "第51行", "老旧小区",
              "国家任务: (十五)推进城镇老旧小区改造 [national/4.1]"):
        assert s in res.out, s
    assert "牵头" not in res.out  # qinghai never writes 牵头: listed first is not lead
    js = json.loads(cz("show", "qinghai/6.28", "--format", "json").out)["records"][0]
    assert js["kind"] == "measure" and js["line"] == 51 and js["departments"][0]["listed_first"]
    assert not any(d["lead"] for d in js["departments"])
    assert [d["department"] for d in js["departments"]][:2] == ["省住房城乡建设厅", "省发展改革委"]
    assert [d["position"] for d in js["departments"]] == list(range(len(js["departments"])))
    # 牵头 only where the source writes it (the data's `lead`), never for being listed first
    assert ("(牵头)" in res.out) == any(d["lead"] for d in js["departments"])


def test_show_hunan_all_tasks_departments(cz):
    js = json.loads(cz("show", "hunan/2.3.10", "--format", "json").out)["records"][0]
    # the joint entry 各市州、县市区人民政府 names two governments, its text kept
    got = {d["department"]: d["as_written"] for d in js["departments"] if d["all_tasks"]}
    assert got == {"各市州人民政府": "各市州、县市区人民政府", "各县市区人民政府": "各市州、县市区人民政府"}


def test_show_plan_outline_and_annex(cz):
    res = cz("show", "hebei")
    assert res.code == 0 and "hebei/2.1.4" in res.out and "藁城区" in res.out
    assert cz("show", "河北省").out == res.out
    annex = cz("show", "hebei/annex")
    assert annex.code == 0 and "雄县" in annex.out
    lps = cz("show", "liupanshui")
    assert "据目录补" in lps.out


def test_show_unknown(cz):
    res = cz("show", "qinghai/3.100")
    assert res.code == 2 and "did you mean" in res.err and len(res.err.strip().splitlines()) == 1


def test_annex_rows_are_searchable(cz):
    res = cz("search", "藁城区", "--format", "json")
    hits = json.loads(res.out)["records"]
    assert any(h["kind"] == "annex" and h["id"] == "hebei/annex" for h in hits)


# ---------------------------------------------------------------- targets

def _targets(cz, *args):
    res = cz("targets", *args, "--format", "json")
    return res, json.loads(res.out) if res.out else None


def test_targets_year_2028_is_exactly_the_2028_targets(cz, conn):
    res, data = _targets(cz, "--year", "2028")
    assert res.code == 0
    rows = data["records"]
    # one row per restatement group, the others listed with it: nothing lost, nothing counted twice
    expected = conn.execute("SELECT count(DISTINCT group_id) FROM targets WHERE year = 2028 AND kind = 'target'").fetchone()[0]
    assert len(rows) == expected > 0
    every = conn.execute("SELECT count(*) FROM targets WHERE year = 2028 AND kind = 'target'").fetchone()[0]
    assert len(rows) + sum(len(r["restatements"]) for r in rows) == every
    assert all(r["year"] == 2028 and r["kind"] == "target" for r in rows)
    assert {r["plan"] for r in rows} >= {"guizhou", "qinghai", "hunan", "hebei"}
    gz = [r for r in rows if r["plan"] == "guizhou" and r["indicator"] == "常住人口城镇化率"]
    assert gz and gz[0]["as_written"] == "61%左右" and gz[0]["year_implied"] is False
    hn = [r for r in rows if r["plan"] == "hunan" and r["indicator"] == "常住人口城镇化率"]
    assert hn and hn[0]["year_implied"] is True


def test_targets_range_and_sorting(cz):
    res, data = _targets(cz, "--year", "2025..2030")
    years = [r["year"] for r in data["records"]]
    assert years == sorted(years) and min(years) >= 2025 and max(years) <= 2030
    assert _targets(cz, "--year", "2030..2025")[0].code == 2
    assert cz("targets", "--year", "soon").code == 2


def test_targets_indicator_alias_and_silent_plans(cz):
    res, data = _targets(cz, "--indicator", "城镇化率")
    assert res.code == 0
    assert "常住人口城镇化率" in data["indicators"]
    plans = {r["plan"] for r in data["records"] if r["indicator"] == "常住人口城镇化率"}
    assert plans >= {"guizhou", "qinghai", "hunan", "liupanshui"} and "hebei" not in plans
    assert {s["plan"] for s in data["silent"]} == set(_catalogue_ids()) - plans
    table = cz("targets", "--indicator", "常住人口城镇化率", "--format", "table")
    assert "█" in table.out and "未设此类目标的方案" in table.out and "河北" in table.out


def test_targets_filters_and_errors(cz):
    assert cz("targets", "--plan", "hebei", "--year", "1990").code == 1
    bad = cz("targets", "--indicator", "完全不存在的指标名称xyz")
    assert bad.code == 2 and "unknown indicator" in bad.err
    assert cz("targets", "--plan", "nowhere").code == 2
    t = cz("targets", "--topic", "住房保障", "--format", "csv")
    assert t.code in (0, 1)
    for fmt in ("jsonl", "csv", "tsv", "table"):
        r = cz("targets", "--year", "2028", "--format", fmt)
        assert r.code == 0 and "\x1b[" not in r.out


# ---------------------------------------------------------------- departments

def test_depts_counts_and_lookup(cz):
    res = cz("depts", "--format", "json")
    rows = json.loads(res.out)["records"]
    housing = next(r for r in rows if r["department"] == "省住房城乡建设厅")
    assert housing["qinghai_measures"] > 3 and housing["hunan_measures"] > 0
    one = cz("depts", "住房城乡建设厅", "--format", "json")
    items = json.loads(one.out)["records"]
    assert {r["plan"] for r in items} >= {"qinghai", "hunan"}
    assert not {r["plan"] for r in items} & {"guizhou", "liupanshui", "hebei"}  # they list no 责任单位
    # qinghai and hunan never write 牵头 in their 责任单位 clauses
    assert not any(r["lead"] for r in items if r["plan"] in ("qinghai", "hunan"))
    assert any(r["listed_first"] for r in items) and not all(r["listed_first"] for r in items)
    assert all(r["listed_first"] == (r["position"] == 0) for r in items if not r["all_tasks"])
    assert cz("depts", "住房和城乡建设厅").code == 0  # an alias
    bad = cz("depts", "宇宙管理局")
    assert bad.code == 2 and "unknown department" in bad.err


# ---------------------------------------------------------------- compare / similar / matrix

def test_compare_topic(cz):
    res = cz("compare", "--topic", "住房保障", "guizhou", "qinghai", "--format", "json")
    assert res.code == 0
    data = json.loads(res.out)
    first = data["rows"][0]["cells"]
    assert data["rows"][0]["task"]["title"] == "完善农业转移人口多元化住房保障体系"
    assert first["guizhou"][0]["id"] == "guizhou/2.5" and first["qinghai"][0]["id"] == "qinghai/3.10"
    assert first["qinghai"][0]["departments"] and first["guizhou"][0]["sentences"]
    assert data["distinctive_words"]["qinghai"] and data["shared_words"]
    table = cz("compare", "--topic", "住房保障", "贵州", "青海省")
    assert table.code == 0 and "guizhou/2.5" in table.out and "各方案独有" in table.out


def test_compare_non_topic_falls_back_to_search(cz):
    data = json.loads(cz("compare", "--topic", "电梯", "qinghai", "hebei", "--format", "json").out)
    assert data["search_fallback"] == "电梯"
    ids = [c["id"] for r in data["rows"] for cs in r["cells"].values() for c in cs] + \
          [c["id"] for u in data["unique"].values() for c in u]
    assert "qinghai/6.28" in ids


def test_compare_md_and_csv(cz):
    md = cz("compare", "--topic", "随迁子女教育", "guizhou", "qinghai", "hunan", "hebei", "--format", "md")
    assert md.code == 0 and md.out.startswith("# 对比") and re.search(r"\| # \| 国家任务 / 相似度 \| 贵州 \| 青海(\(原文有删减\))? \| 湖南 \| 河北 \|", md.out)
    c = cz("compare", "guizhou", "hebei", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(c.out)))
    assert rows and {"row", "score", "plan", "id"} <= set(rows[0])


def test_compare_errors(cz):
    r = cz("compare", "guizhou", "qinhai")
    assert r.code == 2 and "did you mean qinghai" in r.err
    assert cz("compare", "guizhou").code == 2


def test_alignment_quality_on_the_gold_pairs(conn):
    """By text alone (`--by text`), the aligner's own quality."""
    from chengzhen.query.compare import compare

    data = compare(conn, ["guizhou", "qinghai", "hunan", "hebei"], by="text")
    precision, recall, *_ = precision_recall(data["rows"])
    assert precision >= 0.95, precision
    assert recall >= 0.85, recall


def test_task_first_alignment_on_the_gold_pairs(conn):
    """Task first (the default), every gold pair shares a row.  Precision is
    lower by design where the gold is finer than the national task: (十九)
    建设绿色智慧城市 is one task, the gold splits it into 绿色 and 智慧; a measure
    carrying two tasks (a merged one) is in both rows."""
    from chengzhen.query.compare import compare

    data = compare(conn, ["guizhou", "qinghai", "hunan", "hebei"])
    precision, recall, *_ = precision_recall(data["rows"])
    assert recall >= 0.95, recall
    assert precision >= 0.85, precision


def test_alignment_does_not_pair_boilerplate(conn):
    """Measures that share only framing words (坚持…, 加快推进…) stay apart."""
    from chengzhen.query.compare import TfIdf as Model, load_items, similarity

    items = load_items(conn, plans=["guizhou", "qinghai"])
    by = {i.id: i for i in items}
    model = Model(conn, items)
    # 完善推进机制 (organisation) vs 随迁子女 (education): nothing in common but boilerplate
    assert similarity(model, by["guizhou/6.1"], by["qinghai/3.9"]) < 0.2


def test_similar(cz):
    res = cz("similar", "qinghai/3.9", "--format", "json")
    data = json.loads(res.out)
    top = {plan: rows[0]["id"] for plan, rows in data["by_plan"].items()}
    assert top.get("guizhou") == "guizhou/2.4" and top.get("hebei") == "hebei/2.1.4" and top.get("hunan") == "hunan/2.1.3"
    assert cz("similar", "qinghai/3.99").code == 2
    assert cz("similar", "qinghai/3.9").code == 0


def test_matrix(cz):
    data = json.loads(cz("matrix", "--format", "json").out)
    row = next(r for r in data["records"] if r["topic"] == "城市生命线")
    assert row["qinghai"] >= 1 and row["hunan"] >= 1
    assert cz("matrix", "--level", "top", "--format", "csv").out.startswith("topic,parent,guizhou")
    assert cz("matrix", "--level", "nope").code == 2


# ---------------------------------------------------------------- sql

def test_sql_read_only(cz):
    ok = cz("sql", "SELECT plan_id, count(*) AS n FROM targets GROUP BY plan_id ORDER BY plan_id", "--format", "csv")
    assert ok.code == 0 and ok.out.startswith("plan_id,n")
    for stmt in ("DELETE FROM targets", "DROP TABLE plans", "INSERT INTO meta VALUES ('a','b')",
                 "ATTACH DATABASE '/tmp/x.db' AS x", "SELECT load_extension('x')", "PRAGMA writable_schema=1",
                 "UPDATE plans SET name = 'x'", "CREATE TABLE t(a)"):
        res = cz("sql", stmt)
        assert res.code == 2, stmt
        assert "read-only" in res.err and len(res.err.strip().splitlines()) == 1, res.err
    assert cz("sql", "SELEC nonsense").code == 2
    assert cz("sql", "SELECT 1 WHERE 0").code == 1


# ---------------------------------------------------------------- pipes, colour, installed cz

def _cz_exe() -> str:
    exe = Path(sys.executable).with_name("cz")
    return str(exe) if exe.exists() else "cz"


def _env(**extra):
    env = dict(os.environ)
    env.update(extra)
    return env


def test_installed_cz_searches(real_db):
    res = subprocess.run([_cz_exe(), "search", "老旧小区"], capture_output=True, text=True, timeout=120,
                         env=_env(CZ_DATA=str(DATA), CZ_DB=str(real_db)))
    assert res.returncode == 0, res.stderr
    assert "guizhou/5.1" in res.stdout and "\x1b[" not in res.stdout


def test_closed_pipe_is_quiet(real_db):
    env = _env(CZ_DATA=str(DATA), CZ_DB=str(real_db))
    proc = subprocess.run(f"'{_cz_exe()}' search 改造 --format tsv --limit 0 | head -1", shell=True,
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.stdout.startswith("rank\t")
    assert proc.stderr == "", proc.stderr


def test_sigint_exits_130_without_traceback(real_db):
    import signal
    import time

    env = _env(CZ_DATA=str(DATA), CZ_DB=str(real_db))
    proc = subprocess.Popen([_cz_exe(), "search", "--stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (proc.returncode, err)
    assert "Traceback" not in err


def test_no_color_env_and_tty_off(cz):
    res = cz("search", "电梯", env={"NO_COLOR": "1"})
    assert "\x1b[" not in res.out


def test_readme_has_two_quickstart_lines():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("##", 1)[0]
    lines = [line for line in block.splitlines() if line.startswith("python3 -m venv")]
    assert len(lines) == 4  # search, test, and the optional web view and report extra
    assert lines[0].endswith("cz search 老旧小区")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci
    assert "'.[web]'" in lines[2] and "cz serve" in lines[2]
    assert "'.[report]'" in lines[3] and "cz report" in lines[3]


def test_shell_completion_offers_names_from_the_database(cz):
    res = cz(env={"_CZ_COMPLETE": "complete_bash", "COMP_WORDS": "cz search --plan q", "COMP_CWORD": "3"})
    assert res.out.split() == sorted(p for p in _catalogue_ids() if p.startswith("q"))
    res = cz(env={"_CZ_COMPLETE": "complete_bash", "COMP_WORDS": "cz targets --indicator 常住人口城", "COMP_CWORD": "3"})
    assert "常住人口城镇化率" in res.out.split()
    res = cz(env={"_CZ_COMPLETE": "complete_bash", "COMP_WORDS": "cz compare --topic 老旧", "COMP_CWORD": "3"})
    assert "老旧小区" in res.out.split()
    res = cz(env={"_CZ_COMPLETE": "complete_bash", "COMP_WORDS": "cz show qinghai/6.2", "COMP_CWORD": "2"})
    assert "qinghai/6.28" in res.out.split()


def test_build_is_quiet_when_piped(tiny):
    from conftest import run_cz

    res = run_cz(["build"])
    assert res.code == 0 and res.out == "" and res.err == ""


@pytest.mark.parametrize("args", [["show", "hunan"], ["show", "qinghai/6.28"], ["compare", "guizhou", "qinghai"],
                                  ["tasks"], ["tasks", "national/1.4"], ["show", "national/1"],
                                  ["matrix", "--by", "task"], ["targets"],
                                  ["compare", "--topic", "住房保障", "guizhou", "qinghai", "hunan", "hebei"],
                                  ["matrix"], ["targets", "--indicator", "城镇化率"], ["depts"], ["plans"], ["stats"],
                                  ["topics"], ["similar", "qinghai/3.9"], ["validate"]])
def test_no_colour_or_box_drawing_off_a_terminal(cz, args):
    res = cz(*args)
    assert res.code == 0, res.err
    assert "\x1b[" not in res.out
    assert not any(ch in res.out for ch in "─│┌┐└┘├┤┬┴┼━┃╭╮╰╯"), args


# ---------------------------------------------------------------- pipes, envelope, spreadsheets (issue 12)

ENVELOPE_COMMANDS = [
    ["search", "老旧小区"], ["search", "新质生产力"], ["search", "--topic", "住房保障"], ["show", "qinghai/6.28"],
    ["show", "qinghai/6.28", "--cite"], ["show", "hunan"], ["plans"], ["stats"], ["topics"], ["targets", "--year", "2028"],
    ["targets", "--indicator", "城镇化率"], ["depts"], ["depts", "住房城乡建设厅"], ["compare", "guizhou", "qinghai"],
    ["similar", "qinghai/3.9"], ["matrix"], ["sql", "SELECT id FROM plans"], ["validate"],
    ["coverage", "城中村", "老旧小区"],
]


@pytest.mark.parametrize("args", ENVELOPE_COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_has_the_one_json_envelope(cz, args):
    """docs/cli.md "The JSON envelope": the same keys, in the same order,
    for every command; blocks between total and notes."""
    res = cz(*args, "--format", "json")
    assert res.code in (0, 1), res.err
    data = json.loads(res.out)
    keys = list(data)
    assert keys[:5] == ["command", "query", "records", "count", "total"] and keys[-1] == "notes"
    assert data["command"] == args[0] and isinstance(data["query"], dict)
    assert isinstance(data["records"], list) and data["count"] == len(data["records"])
    assert isinstance(data["total"], int) and data["total"] >= data["count"] or args[0] == "search"
    assert isinstance(data["notes"], list)


LIST_COMMANDS = [["plans"], ["stats"], ["topics"], ["targets"], ["depts"], ["depts", "住房城乡建设厅"],
                 ["similar", "qinghai/3.9"], ["matrix"], ["sql", "SELECT id, name FROM plans"], ["search", "住房"],
                 ["coverage", "城中村"]]


@pytest.mark.parametrize("args", LIST_COMMANDS, ids=lambda a: " ".join(a))
def test_off_a_terminal_the_default_is_one_record_per_line(cz, args):
    """Piped, a list command writes TSV with a header, never wrapped (like gh)."""
    default = cz(*args)
    tsv = cz(*args, "--format", "tsv")
    assert default.out == tsv.out and default.code == tsv.code
    lines = default.out.splitlines()
    width = len(lines[0].split("\t"))
    assert all(len(line.split("\t")) == width for line in lines)
    jsonl = cz(*args, "--format", "jsonl").out.splitlines()
    assert len(lines) - 1 == len(jsonl)


@pytest.mark.parametrize("args", [["show", "qinghai/6.28"], ["show", "hunan"], ["compare", "guizhou", "qinghai"],
                                  ["validate"]], ids=lambda a: " ".join(a))
def test_documents_keep_their_view_off_a_terminal(cz, args):
    assert cz(*args).out == cz(*args, "--format", "table").out


def test_targets_grep_count_equals_the_tsv_count(real_db):
    """The issue's example: `cz targets | grep -c 覆盖率` gave 18 (wrapped
    cells) where `-f tsv` gave 28."""
    env = _env(CZ_DATA=str(DATA), CZ_DB=str(real_db))
    cz_ = _cz_exe()
    a = subprocess.run(f"'{cz_}' targets | grep -c 覆盖率", shell=True, capture_output=True, text=True, env=env)
    b = subprocess.run(f"'{cz_}' targets -f tsv | grep -c 覆盖率", shell=True, capture_output=True, text=True, env=env)
    # one line per record: as many lines as JSON records mentioning it
    js = subprocess.run([cz_, "targets", "-f", "json"], capture_output=True, text=True, env=env)
    n = sum("覆盖率" in json.dumps(r, ensure_ascii=False) for r in json.loads(js.stdout)["records"])
    assert a.stdout.strip() == b.stdout.strip() == str(n) and n > 0


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet of an .xlsx, read with the standard library only."""
    import re
    import zipfile
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    assert "[Content_Types].xml" in z.namelist() and "xl/workbook.xml" in z.namelist()
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")) for si in root.findall("m:si", ns)]
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = []
        for c in row.findall("m:c", ns):
            v = c.find("m:v", ns)
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            idx = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(col))) - 1
            while len(cells) < idx:
                cells.append("")
            text = "" if v is None else v.text
            cells.append(shared[int(text)] if c.get("t") == "s" else text)
        rows.append(cells)
    return rows


@pytest.mark.parametrize("args", [["search", "老旧小区"], ["targets", "--year", "2028"], ["coverage", "城中村", "电梯"],
                                  ["sql", "SELECT '=1+1' AS f, 'a\x01b' AS c"]], ids=lambda a: a[0])
def test_xlsx_opens_and_holds_the_rows(real_db, args):
    env = _env(CZ_DATA=str(DATA), CZ_DB=str(real_db))
    proc = subprocess.run([_cz_exe(), *args, "--format", "xlsx"], capture_output=True, env=env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    rows = _xlsx_rows(proc.stdout)
    tsv = subprocess.run([_cz_exe(), *args, "--format", "tsv"], capture_output=True, env=env, text=True,
                         timeout=120).stdout.splitlines()
    assert rows[0] == tsv[0].split("\t")
    assert len(rows) == len(tsv)
    if args[0] == "sql":
        assert rows[1][0] == "=1+1"  # text, never a formula


def test_excel_csv_for_list_commands(cz):
    res = cz("coverage", "城中村", "--excel")
    assert res.out.startswith("\ufeffplan,plan_name,") and "\r\n" in res.out


# ---------------------------------------------------------------- coverage

def _mentions(conn, term: str) -> dict[str, int]:
    """Brute force: per plan, the measures, non-restored headings and annex rows whose text holds ``term``."""
    from chengzhen.text.tokens import token_chars

    key = token_chars(term)
    out: dict[str, int] = {p: 0 for (p,) in conn.execute("SELECT id FROM plans ORDER BY ord")}
    for plan, title, body in conn.execute(
            "SELECT d.plan_id, d.title, CASE d.kind WHEN 'measure' THEN m.text WHEN 'annex' THEN "
            "coalesce(a.group_name, '') || ' ' || a.name ELSE '' END FROM docs d "
            "LEFT JOIN measures m ON d.kind = 'measure' AND m.id = d.ref "
            "LEFT JOIN sections s ON d.kind = 'section' AND s.id = d.ref "
            "LEFT JOIN annex_rows a ON d.kind = 'annex' AND a.annex_id = d.ref AND a.seq = CAST(d.item AS INTEGER) "
            "WHERE d.kind != 'target' AND coalesce(s.restored, 0) = 0"):
        if key in token_chars(title or "", simplify=False) or key in token_chars(body or "", simplify=False):
            out[plan] += 1
    return out


@pytest.mark.parametrize("term", ["城中村", "电梯", "户籍", "藁城区", "随迁子女"])
def test_coverage_counts_what_each_plan_says(cz, conn, term):
    res = cz("coverage", term, "--format", "json")
    data = json.loads(res.out)
    expected = _mentions(conn, term)
    got = {r["plan"]: r["counts"][term] for r in data["records"]}
    assert got == expected
    assert res.code == (0 if all(expected.values()) else 1)
    assert data["complete"] is all(expected.values())
    missing = {r["plan"] for r in data["records"] if r["missing"]}
    assert missing == {p for p, n in expected.items() if not n}


def test_coverage_shows_zeros_in_every_format(cz, conn):
    term = "藁城区"  # a county only one plan's annex names
    expected = _mentions(conn, term)
    assert 0 in expected.values()
    table = cz("coverage", term, "城中村", "--format", "table")
    assert table.code == 1 and "未提及" in table.out and " 0" in table.out
    tsv = cz("coverage", term, "城中村").out.splitlines()
    assert tsv[0].split("\t") == ["plan", "plan_name", term, "城中村", "missing"]
    assert len(tsv) == len(expected) + 1
    assert any(line.split("\t")[2] == "0" for line in tsv[1:])
    csv_rows = list(csv.DictReader(io.StringIO(cz("coverage", term, "--format", "csv").out)))
    assert {r["plan"]: int(r[term]) for r in csv_rows} == expected
    jl = [json.loads(line) for line in cz("coverage", term, "--format", "jsonl").out.splitlines()]
    assert {r["plan"]: r[term] for r in jl} == expected


def test_coverage_segmented_department_and_plans(cz, conn):
    both = json.loads(cz("coverage", "随迁子女公办学校", "--format", "json").out)
    texts = _mentions(conn, "随迁子女")
    assert all(r["counts"]["随迁子女公办学校"] <= texts[r["plan"]] + 50 for r in both["records"])
    dept = json.loads(cz("coverage", "省教育厅", "--format", "json").out)
    with_dept = {r[0] for r in conn.execute("SELECT DISTINCT plan_id FROM measure_departments WHERE department = '省教育厅'")}
    assert {r["plan"] for r in dept["records"] if r["counts"]["省教育厅"]} >= with_dept
    one = json.loads(cz("coverage", "城中村", "--plan", "hebei、hunan", "--format", "json").out)
    assert [r["plan"] for r in one["records"]] == ["hunan", "hebei"]


def test_coverage_errors_and_suggestions(cz):
    assert cz("coverage").code == 2
    empty = cz("coverage", "  ")
    assert empty.code == 2 and "empty term" in empty.err
    miss = cz("coverage", "城中材", "--format", "json")
    data = json.loads(miss.out)
    assert miss.code == 1 and data["how"]["城中材"]["did_you_mean"] and data["notes"]


# ---------------------------------------------------------------- citations

def test_cite_a_measure(cz, conn):
    res = cz("show", "qinghai/6.28", "--cite")
    assert res.code == 0
    plan = conn.execute("SELECT name, doc_number, issuer, issue_date FROM plans WHERE id = 'qinghai'").fetchone()
    m = conn.execute("SELECT number, title, text, line FROM measures WHERE id = 'qinghai/6.28'").fetchone()
    data = json.loads(cz("show", "qinghai/6.28", "--cite", "--format", "json").out)["records"][0]
    assert (data["plan_title"], data["doc_number"], data["issuer"], data["issue_date"]) == tuple(plan)
    assert (data["number"], data["title"], data["quote"], data["line"]) == tuple(m)
    # copy-ready (tests/test_cite.py checks every part): one line, no source file or line
    assert data["original"] is None and res.out == data["citation"] + "\n"
    assert f"第{m[3]}行" not in res.out and "sources/" not in res.out


def test_cite_a_traditional_source_with_its_repair(cz, conn):
    from chengzhen.kb.loader import load_catalogue

    # each traditional plan's first repair that lies in a measure (a repair may lie in a heading or a skipped line)
    cases = []
    for plan in load_catalogue(DATA):
        if plan.script == "simplified":
            continue
        for rep in plan.repairs:
            row = conn.execute("SELECT id FROM measures WHERE plan_id = ? AND line <= ? AND line_end >= ? LIMIT 1",
                               (plan.id, rep.line, rep.line)).fetchone()
            if row:
                cases.append((plan, rep, row[0]))
                break
    if not cases:
        pytest.skip("no traditional plan has a repair inside a measure")
    for plan, rep, mid in cases:
        data = json.loads(cz("show", mid, "--cite", "--format", "json").out)["records"][0]
        raw = (DATA / plan.source).read_text(encoding="utf-8").split("\n")[rep.line - 1]
        assert data["original"] and "⟦" + rep.repaired + "⟧" in data["original"]
        assert rep.source not in data["original"] and data["repairs"][0]["damaged"] == rep.source
        assert raw.split("(")[0][:4] in data["original"]  # the source's own script
        text = cz("show", mid, "--cite").out
        assert "原文" in text and rep.repaired in text and rep.source in text


def test_every_plan_can_be_cited(cz, conn):
    for pid, name in conn.execute("SELECT id, name FROM plans ORDER BY ord"):
        mid = conn.execute("SELECT id FROM measures WHERE plan_id = ? ORDER BY ord LIMIT 1", (pid,)).fetchone()[0]
        res = cz("show", mid, "--cite")
        data = json.loads(cz("show", mid, "--cite", "--format", "json").out)["records"][0]
        assert res.code == 0 and data["plan_title"] == name and data["citation"] in res.out, pid
    assert cz("show", "qinghai/9.99", "--cite").code == 2
