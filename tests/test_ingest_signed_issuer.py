"""A plan issued as itself, with no notice before it: its issuer is the 署名 of the 落款 after its text.

By definition over every plan source: the source's outline and text (from its first heading on, without
what ingest skipped there), under its drafted title, signed at its end by a body of its own region and a
date, is drafted with that body as its issuer.  (Once the end's 落款 was skipped and never read: the issuer
stayed empty while a flag said the line names it.)"""
from __future__ import annotations

from chengzhen.ingest.draft import make_draft
from conftest import DATA
from test_ingest_flags import SOURCES, _draft_text


def _skipped(entry: dict) -> set[int]:
    out = set()
    for s in entry.get("skip") or []:
        a, _, b = str(s["lines"]).partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def _first_heading(body: dict) -> int | None:
    """The line of the body's first heading — or, in an excerpt with no heading, of its first record."""
    lines = [x["line"] for key in ("sections", "measures") for x in body.get(key) or []
             if isinstance(x, dict) and x.get("line")]
    return min(lines, default=None)


def test_a_plan_signed_at_its_end_is_drafted_with_the_signing_body_as_its_issuer():
    tried = 0
    for path in SOURCES:
        d = make_draft(path, DATA, "x" + path.stem[:20])
        region, name = d.entry.get("region"), d.entry.get("name")
        if not region or not name or region == "全国":
            continue
        lines = d.source_text.splitlines()
        skip = _skipped(d.entry)
        first = _first_heading(d.body)
        if first is None:
            continue  # nothing drafted in its body
        kept = [s for k, s in enumerate(lines[first - 1:], start=first) if k not in skip]
        signer = f"{region}人民政府"
        text = "\n".join([name, "", *kept, "", signer, "2024年5月1日"]) + "\n"
        got = _draft_text(text, "mou").entry
        assert got.get("issuer") == signer, (path.stem, got.get("issuer"))
        tried += 1
    assert tried >= 1
