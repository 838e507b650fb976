"""Broken data: one fixture per failure.  Each ends with one line on stderr
naming the file (and line, where there is one), the error code and the id,
exit code 2 — and the database built before is left byte for byte as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cz


def _edit(rel, old, new, count=1):
    def apply(root: Path):
        p = root / rel
        s = p.read_text(encoding="utf-8")
        assert old in s, f"fixture text {old!r} not in {rel}"
        p.write_text(s.replace(old, new, count), encoding="utf-8")
    return apply


def _write(rel, data: bytes):
    def apply(root: Path):
        (root / rel).write_bytes(data)
    return apply


def _line_of(path: Path, marker) -> int:
    """The line of the (mutated) file where ``marker`` appears (its nth time,
    for a ``(marker, n)`` pair)."""
    marker, nth = marker if isinstance(marker, tuple) else (marker, 1)
    for n, text in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if marker in text:
            nth -= 1
            if nth == 0:
                return n
    raise AssertionError(f"{marker!r} not in {path}")


def _remove(rel):
    def apply(root: Path):
        (root / rel).unlink()
    return apply


BOMB = b"""plan: tiny
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
"""

# (name, mutation, error code, file in the message, line in the message: a number,
#  the line of the mutated file holding a marker text, or None)
CASES = [
    ("yaml syntax error", _edit("plans/tiny.yaml", "topics: [老旧小区]", "topics: [老旧小区"), "E101", "plans/tiny.yaml", None),
    ("duplicate key", _edit("plans/tiny.yaml", "        kind: measure\n        number: (一)",
                            "        kind: measure\n        kind: measure\n        number: (一)"), "E102", "plans/tiny.yaml", ("kind: measure", 2)),
    ("alias bomb", _write("plans/tiny.yaml", BOMB), "E103", "plans/tiny.yaml", 2),
    ("huge file", _write("plans/tiny.yaml", b"# " + b"x" * (33 * 1024 * 1024)), "E104", "plans/tiny.yaml", None),
    ("binary file", _write("plans/tiny.yaml", b"plan: tiny\n\x00\x01\x02\xff\xfe"), "E105", "plans/tiny.yaml", 2),
    ("not utf-8", _write("plans/tiny.yaml", "plan: tiny\nsections: []  # 中文".encode("gbk")), "E105", "plans/tiny.yaml", 2),
    ("empty file", _write("plans/tiny.yaml", b"   \n"), "E106", "plans/tiny.yaml", 1),
    ("missing field", _edit("plans/tiny.yaml", "        text: 推进老旧小区改造。到2027年完成老旧小区改造500个,加装电梯100部。\n", ""),
     "E110", "plans/tiny.yaml", "id: tiny/2.1"),
    ("wrong type", _edit("plans/tiny.yaml", "        line: 5\n", "        line: five\n"), "E111", "plans/tiny.yaml", "line: five"),
    ("unknown field", _edit("plans/tiny.yaml", "        title: 推进老旧小区改造\n", "        titel: 推进老旧小区改造\n"),
     "E112", "plans/tiny.yaml", "titel:"),
    ("bad kind", _edit("plans/tiny.yaml", "        kind: measure\n        number: (一)", "        kind: task\n        number: (一)"),
     "E113", "plans/tiny.yaml", "kind: task"),
    ("duplicate id", _edit("plans/tiny.yaml", "      - id: tiny/2.2", "      - id: tiny/2.1"), "E120", "plans/tiny.yaml", ("id: tiny/2.1", 2)),
    ("id of another plan", _edit("plans/tiny.yaml", "      - id: tiny/2.2", "      - id: other/2.2"), "E121", "plans/tiny.yaml", "id: other/2.2"),
    ("unknown topic", _edit("plans/tiny.yaml", "topics: [老旧小区]", "topics: [不存在的主题]"), "E130", "plans/tiny.yaml", "id: tiny/2.1"),
    ("unknown department", _edit("plans/tiny.yaml", "departments: [省教育厅]", "departments: [省教育局]"), "E131", "plans/tiny.yaml", "id: tiny/2.2"),
    ("unknown indicator", _edit("plans/tiny.yaml", "indicator: 老旧小区改造", "indicator: 老旧小区改造数量"), "E132", "plans/tiny.yaml", "indicator: 老旧小区改造数量"),
    ("file for another plan", _edit("plans/tiny.yaml", "plan: tiny", "plan: other"), "E133", "plans/tiny.yaml", 1),
    ("impossible year", _edit("plans/tiny.yaml", "year: 2027", "year: 20277"), "E140", "plans/tiny.yaml", "year: 20277"),
    ("baseline after target", _edit("plans/tiny.yaml", "year: 2027", "year: 2027\n            baseline_year: 2030"),
     "E141", "plans/tiny.yaml", "baseline_year: 2030"),
    ("impossible plan period", _edit("plans.yaml", "period: {start: 2024, end: 2028}", "period: {start: 2024, end: 2020}"),
     "E140", "plans.yaml", "period:"),
    ("line outside the source", _edit("plans/tiny.yaml", "        line: 6\n", "        line: 60\n"), "E151", "plans/tiny.yaml", "line: 60"),
    ("missing source file", _remove("sources/tiny.txt"), "E150", "sources/tiny.txt", None),
    ("missing plan file", _remove("plans/tiny.yaml"), "E150", "plans/tiny.yaml", None),
    ("alias in two departments", _edit("departments.yaml", "aliases: [省发改委]", "aliases: [省发改委, 省住房和城乡建设厅]"),
     "E160", "departments.yaml", "省发改委"),
    ("quote not in its source", _edit("plans/tiny.yaml", "text: 推进老旧小区改造。到2027年", "text: 大力推进老旧小区改造。到2027年"),
     "E201", "plans/tiny.yaml", "id: tiny/2.1"),
    ("target quote not in its source", _edit("plans/tiny.yaml", "quote: 到2027年完成老旧小区改造500个", "quote: 到2026年完成老旧小区改造500个"),
     "E202", "plans/tiny.yaml", "id: tiny/2.1"),
    ("target not in its quote", _edit("plans/tiny.yaml", "as_written: 500个", "as_written: 600个"), "E203", "plans/tiny.yaml", "id: tiny/2.1"),
    ("target value not in its quote", _edit("plans/tiny.yaml", "value: 500\n", "value: 501\n"), "E204", "plans/tiny.yaml", "id: tiny/2.1"),
    ("department not in its clause", _edit("plans/tiny.yaml", "departments: [省教育厅]", "departments: [省教育厅, 省发展改革委]"),
     "E208", "plans/tiny.yaml", "id: tiny/2.2"),
]


@pytest.mark.parametrize("name,mutate,code,file,line", CASES, ids=[c[0] for c in CASES])
def test_broken_fixture(tiny, name, mutate, code, file, line):
    built = run_cz(["build", "-q"])
    assert built.code == 0, built.err
    import os

    db = Path(os.environ["CZ_DB"])
    before = db.read_bytes()

    mutate(tiny)
    res = run_cz(["build", "-q"])
    assert res.code == 2, (res.code, res.err)
    lines = res.err.strip().splitlines()
    assert len(lines) == 1, res.err
    msg = lines[0]
    assert "Traceback" not in res.err
    assert code in msg
    m = re.match(r"cz: error: (\S+?)(?::(\d+))?: (E\d+)", msg)
    assert m, msg
    assert m.group(1).endswith(file), msg
    if line is not None:
        assert m.group(2) == str(line if isinstance(line, int) else _line_of(tiny / file, line)), msg
    assert db.read_bytes() == before, "a failed build changed the previous database"

    # a query keeps answering from the last good database, with a one-line
    # warning naming the problem; the exit code is the query's own
    for _ in range(2):  # the second time the failure is remembered, not retried
        q = run_cz(["search", "老旧小区"])
        assert q.code == 0, q.err
        assert "tiny/2.1" in q.out
        warn = q.err.strip().splitlines()
        assert len(warn) == 1 and "warning" in warn[0] and code in warn[0], q.err
        assert db.read_bytes() == before
    q = run_cz(["search", "没有这个词"])
    assert q.code == 1 and code in q.err


def test_at_least_twenty_fixtures():
    assert len({c[2] for c in CASES}) >= 20
    assert len(CASES) >= 20


def test_missing_catalogue_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("CZ_DATA", str(tmp_path / "nowhere"))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db.sqlite"))
    res = run_cz(["search", "住房"])
    assert res.code == 2
    assert "CZ_DATA" in res.err and len(res.err.strip().splitlines()) == 1
