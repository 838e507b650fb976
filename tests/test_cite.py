"""Citations checked by their definition, for every unit of every plan the
database holds (measures, paragraphs, 专栏 boxes and tables, sections,
targets, annexes with their groups and rows, national tasks and groups,
whole plans) — and for a sixth plan added to a copy of the data.

A citation is right when each of its parts can be traced: the title is the
catalogue's name, the 文号 its doc number, the issuer its issuer, the date
its issue date written 2024年12月14日, the URL and access date the
catalogue's; every heading of the path stands in the source on its line (a
box's item holds the quote, a table's row starts with it); what the
editors supplied stands in [ ]; nothing else is there: no file path, no
line number, no ASCII , ( ) : ; where Chinese writes full-width, one line.
The expectations are recomputed here from the database and the source
texts, not from the citation code."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections import namedtuple

import pytest

import sixth_plan
from conftest import DATA

Repair = namedtuple("Repair", "line source repaired")

# full-width marks as ASCII, to find a part in a citation whatever its width
NARROW = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "“": '"', "”": '"', "‘": "'",
                        "’": "'", "？": "?", "！": "!", "〈": "<", "〉": ">"})
ASCII_FORBIDDEN = set(",():;\"'?!<>")
ZH_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
PATHISH = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+|\.txt|sources|第\d+行|\bline\b")


def narrow(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").translate(NARROW))


def zh(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def all_units(conn, plans: list[str] | None = None) -> list[str]:
    """Every citable id the database holds (of ``plans``, or all)."""
    where = "" if plans is None else f" WHERE plan_id IN ({','.join('?' * len(plans))})"
    args = tuple(plans or ())
    ids = [r[0] for r in conn.execute(f"SELECT id FROM measures{where}", args)]
    ids += [r[0] for r in conn.execute(f"SELECT id FROM sections{where}", args)]
    ids += [r[0] for r in conn.execute(f"SELECT id FROM targets{where}", args)]
    for aid, in conn.execute(f"SELECT DISTINCT annex_id FROM annex_rows{where}", args).fetchall():
        rows = conn.execute("SELECT seq, group_name FROM annex_rows WHERE annex_id = ? ORDER BY seq", (aid,)).fetchall()
        ids.append(aid)
        ids += [f"{aid}:r{seq}" for seq, _ in rows]
        groups = sum(1 for i, r in enumerate(rows) if i == 0 or r[1] != rows[i - 1][1])
        ids += [f"{aid}:g{n}" for n in range(1, groups + 1)]
    if plans is None:
        ids += [r[0] for r in conn.execute("SELECT id FROM national_groups UNION ALL SELECT id FROM national_tasks")]
        ids += [r[0] for r in conn.execute("SELECT id FROM plans")]
    else:
        ids += plans
    return ids


class Sources:
    """The normalized source texts, read from the data directory (the
    oracle the headings are checked against)."""

    def __init__(self, conn, data):
        from chengzhen.text.normalize import source_lines

        import yaml

        self.lines = {}
        for pid, source, script in conn.execute("SELECT id, source, script FROM plans"):
            # the repairs as the plan's own file records them (its catalogue entry, plan:)
            entry = yaml.safe_load((data / "plans" / f"{pid}.yaml").read_text(encoding="utf-8"))["plan"]
            reps = [Repair(r["line"], r["source"], r["repaired"]) for r in entry.get("repairs") or []]
            self.lines[pid] = source_lines((data / source).read_text(encoding="utf-8"), script, reps)

    def line(self, pid: str, n: int) -> str:
        return narrow(self.lines[pid][n - 1])

    def text(self, pid: str) -> str:
        return narrow("\n".join(self.lines[pid]))


def check(conn, src: Sources, ident: str) -> dict:
    """Cite ``ident`` and check the citation against its definition."""
    from chengzhen.query.cite import cite

    rec = cite(conn, ident)
    s, short, ref = rec["citation"], rec["short"], rec["reference"]
    parts = rec["parts"]
    url = parts.get("url")
    bare = s.replace(url, "") if url else s
    # one copy-ready line, no file path, no line number, no internal id
    for text in (s, short):
        assert "\n" not in text and "\r" not in text, (ident, text)
    for text in (bare.replace("[EB/OL]", ""), short):
        assert not PATHISH.search(text), (ident, text)
        assert ident not in text
        # Chinese punctuation where Chinese practice writes it
        assert not ASCII_FORBIDDEN & set(text), (ident, text)
    for i, ch in enumerate(bare):
        if ch == ".":  # the element separator, or a number's own point (48.87, 2.老旧小区)
            assert i == len(bare) - 1 or bare[i + 1] == " " or bare[i - 1].isdigit(), (ident, bare[i - 5:i + 5])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", bare), ident

    # the document: every part is the catalogue's
    if rec["kind"] in ("national_task", "national_group"):
        n = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'national'").fetchone()[0])
        plan = {"name": n["name"], "doc_number": n["doc_number"], "issuer": n["issuer"], "issue_date": None,
                "name_as_written": 1}
    else:
        row = conn.execute("SELECT name, doc_number, issuer, issue_date, name_as_written FROM plans WHERE id = ?",
                           (rec["plan"],)).fetchone()
        plan = dict(zip(("name", "doc_number", "issuer", "issue_date", "name_as_written"), row))
    assert (parts["title"], parts["doc_number"], parts["issuer"], parts["date"]) == \
           (plan["name"], plan["doc_number"], plan["issuer"], plan["issue_date"]), ident
    title = narrow(plan["name"])
    if not plan["name_as_written"]:
        title = f"[{title}]"
    head = title + (":" + narrow(plan["doc_number"]) if plan["doc_number"] else "") + "[EB/OL]"
    ns = narrow(s)
    assert ns.startswith((narrow(plan["issuer"]) + "." if plan["issuer"] else "") + head), (ident, s)
    if not plan["doc_number"]:
        from chengzhen.text.gongwen import DOC_NUMBER

        assert not DOC_NUMBER.search(s), (ident, s)  # no 文号 invented
    dates = ZH_DATE.findall(s)
    want = [zh(d) for d in (plan["issue_date"], parts.get("accessed")) if d]
    assert dates == want, (ident, dates, want)
    if plan["issue_date"]:
        assert f"[EB/OL]. （{zh(plan['issue_date'])}）" in s
    if url:
        assert f". {url}." in s
    else:
        assert "http" not in s
    assert s.startswith(ref[:-1]) and ref.endswith(".")
    if not plan["name_as_written"]:  # an editor's title in [], its brackets as Chinese writes them (compared narrow)
        assert narrow(short).startswith(f"[{narrow(plan['name'])}]"), (ident, short)
    else:
        assert short.startswith("《" + plan["name"].translate(str.maketrans("(),:", "（），：")))
    if plan["doc_number"]:
        assert narrow(f"({plan['doc_number']})") in narrow(short)

    # where: every heading stands in the source, and in the citation in order
    steps = parts["steps"]
    pid = rec["plan"]
    at = 0
    brackets = [narrow(b) for b in re.findall(r"\[([^\[\]]*)\]", s)]
    for step in steps:
        number, title_ = step.get("number") or "", (step.get("title") or "").rstrip("。；")
        kind = step["kind"]
        if kind in ("section", "measure", "box", "box_item", "annex_row"):
            line = src.line(pid, step["line"])
            assert narrow(number) in line and narrow(title_) in line, (ident, step, line)
        elif kind == "table_row":
            quote = conn.execute("SELECT quote FROM targets WHERE id = ?", (rec["id"],)).fetchone()[0]
            assert title_ == quote.split("\n")[0].strip().rstrip("|").strip(), (ident, step)
            assert narrow(title_) == src.line(pid, step["line"]).rstrip("|"), (ident, step)
            if number:  # the 序号 cell: the row's cell before it, under a 序号 column
                box = next(x for x in steps if x["kind"] == "box")
                before = [x for x in src.lines[pid][box["line"] - 1:step["line"] - 1] if x.strip()]
                assert narrow(before[-1]).rstrip("|") == number and "序号|" in narrow("".join(before))
        elif kind in ("annex", "annex_group"):
            assert narrow(title_) in src.text(pid), (ident, step)
        elif kind in ("national_group", "national_task"):
            table = "national_groups" if kind == "national_group" else "national_tasks"
            assert conn.execute(f"SELECT number, title FROM {table} WHERE id = ?", (step["id"],)).fetchone() == \
                   (step["number"], step["title"]) and step["supplied"]
        elif kind == "notice":
            assert rec["id"].endswith("/0.notice") and step["supplied"]
        else:
            raise AssertionError(f"{ident}: unknown step kind {kind}")
        if kind == "section" and step["supplied"]:
            assert conn.execute("SELECT restored FROM sections WHERE id = ?", (step["id"],)).fetchone()[0] == 1
        piece = narrow(title_ if title_ else number)
        if piece:
            found = ns.find(piece, at)
            assert found >= 0, (ident, piece, s)
            at = found + len(piece)
        if step["supplied"] and piece:
            assert any(piece in b for b in brackets), (ident, piece, s)
    return rec


@pytest.fixture(scope="module")
def sources(real_db):
    from chengzhen.store.db import open_readonly

    c = open_readonly(real_db)
    try:
        return Sources(c, DATA)
    finally:
        c.close()


def test_every_unit_of_every_plan(conn, sources):
    ids = all_units(conn)
    kinds = set()
    refs: dict[str, set] = {}
    for ident in ids:
        rec = check(conn, sources, ident)
        kinds.add(rec["unit_kind"])
        refs.setdefault(rec["plan"], set()).add(rec["reference"])
    # one reference per plan: a report gives each plan one endnote
    assert all(len(r) == 1 for r in refs.values()), refs
    assert {"measure", "section", "target", "plan"} <= kinds


def test_units_are_cited_by_their_headings(conn):
    """An unnumbered paragraph by the heading above it; a box's target by
    the box and its item or row, never by lines."""
    from chengzhen.query.cite import ITEM, cite

    for mid, sid, kind in conn.execute("SELECT id, section_id, kind FROM measures WHERE kind = 'paragraph' "
                                       "AND section_id IS NOT NULL").fetchall():
        assert cite(conn, mid)["parts"]["steps"][-1]["id"] == sid, mid
    rows = conn.execute("SELECT t.id, t.quote, m.id, m.kind, m.number, m.text FROM targets t "
                        "JOIN measures m ON m.id = t.measure_id WHERE m.kind IN ('box', 'table')").fetchall()
    for tid, quote, mid, kind, number, text in rows:
        steps = cite(conn, tid)["parts"]["steps"]
        assert any(s["kind"] == "box" and s["id"] == mid for s in steps), tid
        if kind == "table":
            assert steps[-1]["kind"] == "table_row", tid
        elif ITEM.search(text) and text.count(quote) == 1:
            item = steps[-1]
            assert item["kind"] == "box_item", tid
            # the quote lies inside the item the citation names: after its
            # number (at the start, or after a space or 。) and before the next
            n = int(re.sub(r"\D", "", item["number"]))
            marks = {int(m.group(1)): m.start() for m in re.finditer(r"(?:^|(?<=[\s。]))(\d{1,3})[.．](?!\d)", text)}
            start, end = marks[n], marks.get(n + 1, len(text))
            assert quote in text[start:end], (tid, item)


def test_the_example_pastes_into_a_report(cz, conn):
    """`cz show ID --cite` for a unit of a plan in simplified script with no
    repair is one line: the full reference, nothing else."""
    for pid in [r[0] for r in conn.execute("SELECT id FROM plans WHERE script = 'simplified' ORDER BY ord")]:
        mid = conn.execute("SELECT id FROM measures WHERE plan_id = ? AND kind = 'measure' AND number IS NOT NULL "
                           "ORDER BY ord LIMIT 1", (pid,)).fetchone()
        if mid is None:
            continue
        res = cz("show", mid[0], "--cite")
        rec = json.loads(cz("show", mid[0], "--cite", "--format", "json").out)["records"][0]
        assert res.code == 0 and res.out == rec["citation"] + "\n", mid
    if conn.execute("SELECT 1 FROM measures WHERE id = 'qinghai/6.28'").fetchone():
        out = cz("show", "qinghai/6.28", "--cite").out
        assert out.count("\n") == 1 and "2024年12月14日" in out and "（二十八）" in out and "sources/" not in out


def test_the_old_names_still_work(conn):
    from chengzhen.query.cite import cite_target, citation, citation_text, recorded_repairs, source_digest

    mid = conn.execute("SELECT id FROM measures ORDER BY plan_id, ord LIMIT 1").fetchone()[0]
    target = cite_target(conn, mid)
    rec = citation(target, None, recorded_repairs(conn, target["plan"]["id"]))
    assert citation_text(rec) == rec["citation"] and rec["id"] == mid
    assert source_digest(conn, target["plan"]["source"])


def test_standard_dates_on_request(conn):
    from chengzhen.query.cite import cite

    pid, date = conn.execute("SELECT id, issue_date FROM plans WHERE issue_date IS NOT NULL LIMIT 1").fetchone() \
        or pytest.skip("no plan here is dated")
    rec = cite(conn, pid, dates="iso")
    assert f"（{date}）" in rec["citation"] and not ZH_DATE.search(rec["citation"])
    with pytest.raises(ValueError):
        cite(conn, pid, dates="roman")


@pytest.mark.parametrize("ident", ["qinghai/9.99:t1", "hebei/annex:r0", "hebei/annex:g99", "national/99",
                                   "national/1.99", "nowhere", ":t1", "qinghai/6.28:t99", "x:r1"])
def test_unknown_units_are_a_usage_error(cz, ident):
    res = cz("show", ident, "--cite")
    assert res.code == 2 and "Traceback" not in res.err and res.err.count("\n") == 1, res.err


def test_the_official_url_and_access_date_when_the_catalogue_has_them(tmp_path):
    """A plan entry's url (and access date) are cited as they are; a plan
    without them is cited without."""
    from chengzhen.kb.loader import load_catalogue
    from chengzhen.query.cite import cite
    from chengzhen.store.build import build

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    plans = load_catalogue(root)
    first, other = plans[0].id, plans[-1].id
    path = root / "plans" / f"{first}.yaml"
    text = path.read_text(encoding="utf-8")
    url = "https://www.example.gov.cn/zwgk/2024/t20241214_1.html"
    assert "\n  source: " in text  # the entry's source field: url and accessed go before it
    path.write_text(text.replace("\n  source: ", f"\n  url: {url}\n  accessed: 2025-01-10\n  source: ", 1),
                    encoding="utf-8")
    db = tmp_path / "cz.db"
    build(root, db)
    c = sqlite3.connect(db)
    rec = cite(c, first)
    assert rec["url"] == url and rec["accessed"] == "2025-01-10"
    assert rec["citation"].endswith(f"[2025年1月10日]. {url}.")
    assert "http" not in cite(c, other)["citation"] and cite(c, other)["accessed"] is None
    c.close()


def test_an_access_date_needs_its_url(tmp_path):
    from chengzhen.kb.loader import load_catalogue
    from chengzhen.kb.problems import Sink

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    pid = load_catalogue(root)[0].id
    path = root / "plans" / f"{pid}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n  source: ", "\n  accessed: 2025-01-10\n  source: ", 1),
                    encoding="utf-8")
    sink = Sink()
    load_catalogue(root, sink)
    assert [(p.code, p.item) for p in sink.problems] == [("E113", pid)]


def test_widen_changes_only_the_punctuation():
    from hypothesis import given, strategies as st

    from chengzhen.query.cite_style import widen

    @given(st.text(alphabet="城镇化率(),:;\"'?!<>.[]%0123456789 —", max_size=30))
    def prop(text):
        got = widen("城" + text)
        assert len(got) == len(text) + 1
        for a, b in zip("城" + text, got):
            assert a == b or (a in ASCII_FORBIDDEN and b.translate(NARROW) == a)
        for i, ch in enumerate(got):
            if ch in ASCII_FORBIDDEN:  # only a digit-grouping comma or a clock colon stays
                assert ch in ",:" and got[i - 1].isdigit() and got[i + 1].isdigit()

    prop()


# --------------------------------------------------------------------------- a sixth plan

@pytest.fixture(scope="module")
def six(tmp_path_factory):
    from chengzhen.store.build import build
    from chengzhen.store.db import open_readonly

    tmp = tmp_path_factory.mktemp("six-cite")
    root = tmp / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    if not (root / "plans" / f"{sixth_plan.PLAN_ID}.yaml").exists():
        sixth_plan.add(root)
    build(root, tmp / "six.db")
    c = open_readonly(tmp / "six.db")
    yield c, Sources(c, root)
    c.close()


def test_a_sixth_plan_is_cited_like_the_others(six):
    conn, src = six
    ids = all_units(conn, [sixth_plan.PLAN_ID])
    assert len(ids) > 5
    for ident in ids:
        check(conn, src, ident)


def test_a_reference_says_only_what_is_known():
    """Every combination of known, unknown and supplied fields: a known
    field is written (in [ ] when the editors supplied it), an unknown one
    leaves no trace."""
    from itertools import product

    from chengzhen.query.cite_style import reference, short

    values = {"issuer": "西南省人民政府", "doc_number": "西政发(2025)7号", "date": "2025-03-10",
              "accessed": "2025-04-01", "url": "https://www.example.gov.cn/a.html"}
    for known, supplied in product(product((False, True), repeat=5), product((False, True), repeat=3)):
        parts = {"title": "西南省实施方案(2025—2029年)", "title_supplied": supplied[0], "type": "EB/OL"}
        for (k, v), on in zip(values.items(), known):
            parts[k] = v if on else None
        parts["issuer_supplied"], parts["doc_number_supplied"] = supplied[1], supplied[2]
        ref = reference(parts)
        assert "\n" not in ref and ref.endswith(".") and not ASCII_FORBIDDEN & set(ref.replace(values["url"], ""))
        title = "西南省实施方案（2025—2029年）"
        assert (f"[{title}]" if supplied[0] else title) + (
            "：" + ("[西政发（2025）7号]" if supplied[2] else "西政发（2025）7号") if parts["doc_number"] else ""
        ) + "[EB/OL]" in ref
        assert ref.startswith(("[西南省人民政府]. " if supplied[1] else "西南省人民政府. ") if parts["issuer"]
                              else ("[" if supplied[0] else "") + "西南省")
        assert ("（2025年3月10日）" in ref) == bool(parts["date"])
        assert ("[2025年4月1日]" in ref) == bool(parts["accessed"])
        assert (values["url"] in ref) == bool(parts["url"])
        assert ("西政发" in ref) == bool(parts["doc_number"]) and ("人民政府" in ref) == bool(parts["issuer"])
        assert ("西政发" in short(parts)) == bool(parts["doc_number"])
