"""Chinese tables on request (`--headers zh`, `CZ_HEADERS=zh`): Chinese
headers, and a Chinese word for every code — checked by definition over
the database and over every list answer; the default stays the English
keys.  xlsx read back as a spreadsheet program would (openpyxl): a sheet
per plan, widths that fit Chinese text, the header frozen, long text
wrapped, links to the pages of `cz serve`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import plan_ids

# the record keys whose values are codes, and where the database keeps them
CODE_COLUMNS = {("targets", "comparator"): "comparator", ("targets", "basis"): "basis", ("targets", "kind"): "kind",
                ("plans", "level"): "level", ("plans", "script"): "script", ("measures", "kind"): "unit_kind"}

# every list answer, asked over everything the database holds
LIST_COMMANDS = [["plans"], ["stats"], ["topics"], ["targets"], ["depts"], ["tasks"], ["matrix"],
                 ["matrix", "--by", "task"], ["search", "--kind", "measure,section,target,annex"],
                 ["coverage", "城中村", "老旧小区"], ["validate"], ["progress"], ["targets", "--progress"]]


def _labelled(key, value) -> bool:
    from chengzhen.answers.present import VALUE_LABELS

    return not isinstance(value, str) or key not in VALUE_LABELS or value in VALUE_LABELS[key]


def test_every_code_in_the_database_has_a_label(conn):
    from chengzhen.answers.present import VALUE_LABELS

    for (table, column), key in CODE_COLUMNS.items():
        values = {r[0] for r in conn.execute(f"SELECT DISTINCT {column} FROM {table}")}
        assert values, (table, column)
        missing = {v for v in values if v not in VALUE_LABELS[key]}
        assert not missing, (table, column, missing)


def test_every_code_the_model_allows_has_a_label():
    """Not only today's: every value the data may hold (kb/model.py, the
    store's kinds) has its word."""
    from chengzhen.answers.present import VALUE_LABELS
    from chengzhen.kb import model
    from chengzhen.store.kinds import KINDS

    for key, allowed in (("comparator", model.COMPARATORS), ("basis", model.BASES), ("level", model.LEVELS),
                         ("script", model.SCRIPTS), ("unit_kind", model.MEASURE_KINDS), ("kind", KINDS),
                         ("kind", model.MEASURE_KINDS), ("kind", ("target", "commitment"))):
        assert set(allowed) <= set(VALUE_LABELS[key]), (key, set(allowed) - set(VALUE_LABELS[key]))


def test_compare_every_pair_of_plans_has_labelled_codes(cz, conn):
    ids = plan_ids(conn)
    doc = json.loads(cz("compare", *ids, "-f", "json").out)
    for r in doc["records"]:
        for k, v in r.items():
            assert _labelled(k, v), (k, v)


@pytest.mark.parametrize("args", LIST_COMMANDS, ids=" ".join)
def test_zh_csv_is_the_records_in_chinese(cz, args):
    """For every row and column: the Chinese CSV's header is the column's
    label, each code cell the code's word, each yes/no 是/否, every other
    cell the same as the English CSV's — the two hold the same table."""
    from chengzhen.answers.present import BOOLEAN_LABELS, VALUE_LABELS, cell

    doc = json.loads(cz(*args, "-f", "json").out)
    en = list(csv.reader(io.StringIO(cz(*args, "-f", "csv").out)))
    zh = list(csv.reader(io.StringIO(cz(*args, "-f", "csv", "--headers", "zh").out)))
    keys = [c["key"] for c in doc["columns"]]
    assert en[0] == keys
    assert zh[0] == _zh_header(doc["columns"])
    assert len(set(zh[0])) == len(zh[0]), "a Chinese header twice"
    # every column a Chinese label: none left as its English key (a plan's own column, named by its id, aside)
    ids = {row["id"] for row in json.loads(cz("plans", "-f", "json").out)["records"]}
    assert [k for k, h in zip(keys, zh[0]) if h == k and k.isascii() and k not in ids] == []
    assert len(en) == len(zh) > 1
    for row_en, row_zh in zip(en[1:], zh[1:]):
        for key, a, b in zip(keys, row_en, row_zh):
            if a in ("true", "false"):
                assert b == BOOLEAN_LABELS[a == "true"], (key, a, b)
            elif key in VALUE_LABELS and a in VALUE_LABELS[key]:
                assert b == cell(VALUE_LABELS[key][a]), (key, a, b)
            else:
                assert a == b, (key, a, b)
            assert not (key in VALUE_LABELS and a and ";" not in a and b == a and a.isascii() and a.isalpha()), \
                (key, a, "an English code left in the Chinese table")


def test_headers_default_env_and_tsv(cz):
    en = cz("targets", "-f", "tsv").out.splitlines()[0].split("\t")
    zh_env = cz("targets", "-f", "tsv", env={"CZ_HEADERS": "zh"}).out.splitlines()[0].split("\t")
    zh_opt = cz("targets", "-f", "tsv", "--headers", "zh").out.splitlines()[0].split("\t")
    assert en[:3] == ["id", "group_id", "plan"]
    assert zh_env == zh_opt and zh_opt[:3] == ["编号", "转述组", "方案"]
    assert cz("targets", "-f", "tsv", "--headers", "en", env={"CZ_HEADERS": "zh"}).out.splitlines()[0].split("\t") == en
    bad = cz("targets", "-f", "csv", env={"CZ_HEADERS": "fr"})
    assert bad.code == 2 and "bad --headers 'fr'" in bad.err


def test_json_is_never_translated(cz):
    plain = cz("targets", "-f", "json").out
    assert cz("targets", "-f", "json", "--headers", "zh").out == plain
    assert cz("targets", "-f", "json", env={"CZ_HEADERS": "zh", "CZ_LANG": "zh"}).out == plain


# --------------------------------------------------------------------------- xlsx, read back

def _xlsx(conn, **options) -> bytes:
    """The workbook `cz targets -f xlsx` writes (the answer through the
    writers' registry, as cli/output.py writes it)."""
    from chengzhen.answers.targets import TargetsAsk, answer
    from chengzhen.answers.writers import WRITERS

    return b"".join(WRITERS["xlsx"](answer(conn, TargetsAsk()), **options))


def _zh_header(columns: list[dict]) -> list[str]:
    labels = [c["label"] for c in columns]
    return [c["label"] if labels.count(c["label"]) == 1 else f"{c['label']}({c['key']})" for c in columns]


def test_xlsx_zh_one_sheet_per_plan_widths_frozen_wrapped_linked(cz, conn):
    openpyxl = pytest.importorskip("openpyxl")
    from chengzhen.answers.present import VALUE_LABELS
    from chengzhen.answers.writers import display_width

    data = _xlsx(conn, headers="zh", sheets="plan", web_url="http://127.0.0.1:8001/")
    book = openpyxl.load_workbook(io.BytesIO(data))
    doc = json.loads(cz("targets", "-f", "json").out)
    by_plan: dict[str, list[dict]] = {}
    for r in doc["records"]:
        by_plan.setdefault(r["plan_name"], []).append(r)
    assert book.sheetnames == list(by_plan)  # a sheet per plan that has targets, in the answer's order
    keys = [c["key"] for c in doc["columns"]]
    for name, records in by_plan.items():
        ws = book[name]
        header = [c.value for c in ws[1]]
        assert header == _zh_header(doc["columns"]) + ["网页"]
        assert ws.freeze_panes == "A2"
        assert ws.max_row == len(records) + 1
        for row, rec in zip(ws.iter_rows(min_row=2), records):
            for key, c in zip(keys, row):
                want = rec[key]
                if isinstance(want, bool):
                    want = "是" if want else "否"
                elif isinstance(want, str) and key in VALUE_LABELS:
                    want = VALUE_LABELS[key].get(want, want)
                elif isinstance(want, list):
                    want = ";".join(want) or None
                if want in ("", None):
                    assert c.value in ("", None), (key, c.value)
                else:
                    assert c.value == want, (key, c.value, want)
            link = row[-1]
            assert link.value == "原文" and link.hyperlink.target == f"http://127.0.0.1:8001/m/{rec['measure_id']}"
        widths = {}  # a <col> element may span several columns of one width
        for dim in ws.column_dimensions.values():
            for col in range(dim.min, dim.max + 1):
                widths[col] = dim.width
        for i, key in enumerate(keys):
            letter = openpyxl.utils.get_column_letter(i + 1)
            longest = max(display_width(str(c.value)) for c in ws[letter] if c.value is not None)
            width = widths[i + 1]
            assert width >= min(longest, 60), (name, key, width, longest)
            if longest > 60:
                assert ws[f"{letter}2"].alignment.wrap_text or any(
                    ws.cell(r, i + 1).alignment.wrap_text for r in range(2, ws.max_row + 1)), key


def test_xlsx_default_is_one_sheet_of_english_keys_without_links(cz, conn):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(_xlsx(conn)))
    assert book.sheetnames == ["targets"]
    ws = book["targets"]
    doc = json.loads(cz("targets", "-f", "json").out)
    assert [c.value for c in ws[1]] == [c["key"] for c in doc["columns"]]
    assert ws.max_row == len(doc["records"]) + 1
    assert not any(c.hyperlink for row in ws.iter_rows() for c in row)


def test_bad_sheets_and_web_url(cz):
    assert "bad --sheets 'x'" in cz("targets", "-f", "csv", "--sheets", "x").err
    assert "bad --web-url 'ftp://x'" in cz("targets", "-f", "csv", "--web-url", "ftp://x").err
