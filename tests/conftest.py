"""Shared fixtures.

* The real knowledge base (``data/``) is built once per session into a temp
  file; ``CZ_DATA``/``CZ_DB`` point every test at it, so the suite never
  touches the developer's ``data/build``.
* ``tiny`` makes a small, complete data directory in a temp dir (one plan,
  a few measures) for loader, build and failure-path tests.
* ``cz(*args)`` runs the CLI in-process and returns (exit code, stdout, stderr).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# the data the suite runs on: the repository's, or (CZ_TEST_DATA) another
# data directory — e.g. a copy with a sixth plan: the suite must stay green
DATA = Path(os.environ["CZ_TEST_DATA"]).resolve() if os.environ.get("CZ_TEST_DATA") else REPO / "data"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cz(args: list[str], stdin: str | None = None, env: dict | None = None) -> Run:
    from chengzhen.cli.main import main

    old = sys.stdout, sys.stderr, sys.stdin
    out, err = io.StringIO(), io.StringIO()
    saved_env = {}
    if env:
        for k, v in env.items():
            saved_env[k] = os.environ.get(k)
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def real_db(tmp_path_factory) -> Path:
    from chengzhen.store.build import build

    path = tmp_path_factory.mktemp("db") / "chengzhen.db"
    build(DATA, path)
    return path


@pytest.fixture(autouse=True)
def _real_env(real_db, monkeypatch):
    monkeypatch.setenv("CZ_DATA", str(DATA))
    monkeypatch.setenv("CZ_DB", str(real_db))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("CZ_DEBUG", raising=False)


@pytest.fixture
def cz():
    return lambda *args, stdin=None, env=None: run_cz(list(args), stdin=stdin, env=env)


@pytest.fixture
def conn(real_db):
    from chengzhen.store.db import open_readonly

    c = open_readonly(real_db)
    yield c
    c.close()


TINY_PLANS = """\
plans:
  - id: tiny
    name: 小城新型城镇化实施方案(2024—2028年)
    short_name: 小城
    region: 小城省
    level: province
    issuer: 小城省人民政府
    doc_number: null
    issue_date: 2024-06-01
    period: {start: 2024, end: 2028}
    parent: null
    source: sources/tiny.txt
    script: simplified
    completeness: 全文
    title_lines: [1]
    skip:
      - {lines: 7-8, kind: signature, reason: "落款: 署名、日期"}
"""

TINY_SOURCE = """\
小城新型城镇化实施方案(2024—2028年)
一、总体要求
到2028年全省常住人口城镇化率达60%左右。
二、重点任务
(一)推进老旧小区改造。到2027年完成老旧小区改造500个,加装电梯100部。(责任单位:省住房城乡建设厅、省发展改革委)
(二)保障随迁子女受教育权利。确保随迁子女100%在公办学校就读。(责任单位:省教育厅)
小城省人民政府
2024年6月1日
"""

TINY_BODY = """\
plan: tiny
sections:
  - id: tiny/1
    number: 一、
    title: 总体要求
    line: 2
    measures:
      - id: tiny/1.p1
        kind: paragraph
        text: 到2028年全省常住人口城镇化率达60%左右。
        line: 3
        topics: [目标指标]
        targets:
          - indicator: 常住人口城镇化率
            value: 60
            unit: "%"
            as_written: 60%左右
            qualifier: 左右
            comparator: approx
            year: 2028
            quote: 到2028年全省常住人口城镇化率达60%左右
  - id: tiny/2
    number: 二、
    title: 重点任务
    line: 4
    measures:
      - id: tiny/2.1
        kind: measure
        number: (一)
        title: 推进老旧小区改造
        text: 推进老旧小区改造。到2027年完成老旧小区改造500个,加装电梯100部。
        line: 5
        departments: [省住房城乡建设厅, 省发展改革委]
        departments_quote: (责任单位:省住房城乡建设厅、省发展改革委)
        topics: [老旧小区]
        targets:
          - indicator: 老旧小区改造
            value: 500
            unit: 个
            as_written: 500个
            comparator: eq
            year: 2027
            quote: 到2027年完成老旧小区改造500个
      - id: tiny/2.2
        kind: measure
        number: (二)
        title: 保障随迁子女受教育权利
        text: 保障随迁子女受教育权利。确保随迁子女100%在公办学校就读。
        line: 6
        departments: [省教育厅]
        departments_quote: (责任单位:省教育厅)
        topics: [随迁子女教育]
        targets:
          - indicator: 义务教育阶段随迁子女在公办学校就读比例
            value: 100
            unit: "%"
            as_written: 100%
            comparator: eq
            year: 2028
            year_implied: true
            quote: 确保随迁子女100%在公办学校就读
"""

TINY_TOPICS = """\
topics:
  - name: 总体要求
    children:
      - name: 目标指标
  - name: 农业转移人口市民化
    children:
      - name: 随迁子女教育
        synonyms: [随迁子女]
  - name: 城市更新和安全韧性
    children:
      - name: 老旧小区
        synonyms: [老旧小区改造]
"""

TINY_DEPTS = """\
departments:
  - {name: 省住房城乡建设厅, aliases: [省住房和城乡建设厅], level: province}
  - {name: 省发展改革委, aliases: [省发改委], level: province}
  - {name: 省教育厅, aliases: [], level: province}
"""

TINY_INDICATORS = """\
indicators:
  - {name: 常住人口城镇化率, unit: "%", aliases: [城镇化率]}
  - {name: 老旧小区改造, unit: 个, aliases: []}
  - {name: 义务教育阶段随迁子女在公办学校就读比例, unit: "%", aliases: [随迁子女公办学校就读比例]}
"""


def make_tiny(root: Path) -> Path:
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(exist_ok=True)
    (root / "plans.yaml").write_text(TINY_PLANS, encoding="utf-8")
    (root / "plans" / "tiny.yaml").write_text(TINY_BODY, encoding="utf-8")
    (root / "sources" / "tiny.txt").write_text(TINY_SOURCE, encoding="utf-8")
    (root / "topics.yaml").write_text(TINY_TOPICS, encoding="utf-8")
    (root / "departments.yaml").write_text(TINY_DEPTS, encoding="utf-8")
    (root / "indicators.yaml").write_text(TINY_INDICATORS, encoding="utf-8")
    return root


@pytest.fixture
def tiny(tmp_path, monkeypatch) -> Path:
    root = make_tiny(tmp_path / "data")
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    return root


@pytest.fixture
def real_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of the real data (for tests that edit it)."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    return root


def declare_places(root: Path, regions: tuple[str, ...] = (), groups: tuple[str, ...] = ()) -> None:
    """Made-up places a test's made-up plan names, declared in a data copy's
    data/places.yaml as a curator would declare a real one (docs/places.md):
    each region a supplied province (codes 990000, 980000 …), each group a
    named group whose members no source lists.  Without them `cz validate`
    says the region names no place (E176) or the scope names nothing (E177)."""
    path = root / "places.yaml"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    supplied = "".join(f"  - {{code: '{99 - i}0000', name: {name}, short: {name[:-1]}, level: province, kind: 省, "
                       f"parent: '000000', reason: 测试用的虚构地区}}\n" for i, name in enumerate(regions))
    text = text.replace("supplied:\n", "supplied:\n" + supplied, 1)
    if groups:
        listed = "".join(f"  - {{id: {g}, name: {g}, members: null, note: 测试用的虚构方案所写(成员无来源列明)}}\n"
                         for g in groups)
        text = text.replace("groups:\n", "groups:\n" + listed, 1)
    path.write_text(text, encoding="utf-8")


def dedent(s: str) -> str:
    return textwrap.dedent(s)


# meta keys that differ between two builds of the same inputs
VOLATILE_META = {"built_at", "build_mode", "generation", "stats"}


def table_rows(db: Path) -> dict[str, list]:
    """Every declared table's rows, sorted, volatile meta left out (the
    contentless FTS table is compared through queries, not read here)."""
    import sqlite3

    from chengzhen.store import schema

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table in schema.tables():
            if table == "docs_fts":
                continue
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()
            if table == "meta":
                rows = [r for r in rows if r[0] not in VOLATILE_META]
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def plan_ids(conn) -> list[str]:
    """The database's plans, in catalogue order (tests never list them)."""
    return [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]


def cz_json(cz, *args) -> dict:
    """A command's JSON envelope (exit 0, or 1 for "nothing found")."""
    res = cz(*args, "--format", "json")
    assert res.code in (0, 1), res.err
    return json.loads(res.out)
