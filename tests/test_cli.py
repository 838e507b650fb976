"""The command line: every command's formats, exit codes and failure paths."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignment_gold import precision_recall
from conftest import DATA, REPO


def test_typer_clirunner_plans():
    from chengzhen.cli.app import app

    res = CliRunner().invoke(app, ["plans", "--format", "json"])
    assert res.exit_code == 0, res.output
    ids = [p["id"] for p in json.loads(res.output)["records"]]
    assert ids == ["guizhou", "qinghai", "hunan", "liupanshui", "hebei"]


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
        assert len(rows) == 5 and rows[2]["script"] == "traditional"
    if fmt == "table":
        assert "青政〔2024〕48号" in res.out and "贵州" in res.out


def test_stats(cz):
    res = cz("stats", "--format", "json")
    rows = {r["plan"]: r for r in json.loads(res.out)["records"]}
    assert rows["qinghai"]["measures"] == 39
    assert rows["hebei"]["annex_rows"] == 50
    assert rows["qinghai"]["departments"] > 20 and rows["guizhou"]["departments"] == 0
    assert cz("stats", "--plan", "湖南").code == 0


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
    for s in ("扎实推进城镇老旧小区改造", "省住房城乡建设厅(牵头)", "省消防救援总队", "第51行", "老旧小区"):
        assert s in res.out, s
    js = json.loads(cz("show", "qinghai/6.28", "--format", "json").out)["records"][0]
    assert js["kind"] == "measure" and js["line"] == 51 and js["departments"][0]["lead"]
    assert [d["department"] for d in js["departments"]][:2] == ["省住房城乡建设厅", "省发展改革委"]


def test_show_hunan_all_tasks_departments(cz):
    js = json.loads(cz("show", "hunan/2.3.10", "--format", "json").out)["records"][0]
    assert any(d["all_tasks"] and d["department"] == "各市州、县市区人民政府" for d in js["departments"])


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
    expected = conn.execute("SELECT count(*) FROM targets WHERE year = 2028").fetchone()[0]
    assert len(rows) == expected > 0
    assert all(r["year"] == 2028 for r in rows)
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
    assert plans == {"guizhou", "qinghai", "hunan", "liupanshui"}
    assert {s["plan"] for s in data["silent"]} == {"hebei"}
    table = cz("targets", "--indicator", "常住人口城镇化率")
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
    assert {r["plan"] for r in items} == {"qinghai", "hunan"}
    assert any(r["lead"] for r in items) and not all(r["lead"] for r in items)
    assert cz("depts", "住房和城乡建设厅").code == 0  # an alias
    bad = cz("depts", "宇宙管理局")
    assert bad.code == 2 and "unknown department" in bad.err


# ---------------------------------------------------------------- compare / similar / matrix

def test_compare_topic(cz):
    res = cz("compare", "--topic", "住房保障", "guizhou", "qinghai", "--format", "json")
    assert res.code == 0
    data = json.loads(res.out)
    first = data["rows"][0]["cells"]
    assert first["guizhou"]["id"] == "guizhou/2.5" and first["qinghai"]["id"] == "qinghai/3.10"
    assert first["qinghai"]["departments"] and first["guizhou"]["sentences"]
    assert data["distinctive_words"]["qinghai"] and data["shared_words"]
    table = cz("compare", "--topic", "住房保障", "贵州", "青海省")
    assert table.code == 0 and "guizhou/2.5" in table.out and "各方案独有" in table.out


def test_compare_non_topic_falls_back_to_search(cz):
    data = json.loads(cz("compare", "--topic", "电梯", "qinghai", "hebei", "--format", "json").out)
    assert data["search_fallback"] == "电梯"
    ids = [c["id"] for r in data["rows"] for c in r["cells"].values()] + \
          [c["id"] for u in data["unique"].values() for c in u]
    assert "qinghai/6.28" in ids


def test_compare_md_and_csv(cz):
    md = cz("compare", "--topic", "随迁子女教育", "guizhou", "qinghai", "hunan", "hebei", "--format", "md")
    assert md.code == 0 and md.out.startswith("# 对比") and "| # | 相似度 | 贵州 | 青海 | 湖南 | 河北 |" in md.out
    c = cz("compare", "guizhou", "hebei", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(c.out)))
    assert rows and {"row", "score", "plan", "id"} <= set(rows[0])


def test_compare_errors(cz):
    r = cz("compare", "guizhou", "qinhai")
    assert r.code == 2 and "did you mean qinghai" in r.err
    assert cz("compare", "guizhou").code == 2


def test_alignment_quality_on_the_gold_pairs(conn):
    from chengzhen.query.compare import compare

    data = compare(conn, ["guizhou", "qinghai", "hunan", "hebei"])
    precision, recall, *_ = precision_recall(data["rows"])
    assert precision >= 0.95, precision
    assert recall >= 0.85, recall


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
    assert proc.stdout.startswith("kind\t")
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
    assert len(lines) == 3  # search, test, and the optional web view
    assert lines[0].endswith("cz search 老旧小区")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci
    assert "'.[web]'" in lines[2] and "cz serve" in lines[2]


def test_shell_completion_offers_names_from_the_database(cz):
    res = cz(env={"_CZ_COMPLETE": "complete_bash", "COMP_WORDS": "cz search --plan q", "COMP_CWORD": "3"})
    assert res.out.split() == ["qinghai"]
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
                                  ["compare", "--topic", "住房保障", "guizhou", "qinghai", "hunan", "hebei"],
                                  ["matrix"], ["targets", "--indicator", "城镇化率"], ["depts"], ["plans"], ["stats"],
                                  ["topics"], ["similar", "qinghai/3.9"], ["validate"]])
def test_no_colour_or_box_drawing_off_a_terminal(cz, args):
    res = cz(*args)
    assert res.code == 0, res.err
    assert "\x1b[" not in res.out
    assert not any(ch in res.out for ch in "─│┌┐└┘├┤┬┴┼━┃╭╮╰╯"), args
