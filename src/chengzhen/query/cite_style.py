"""How a citation is written: GB/T 7714-2015 style for an official document
published online, with the punctuation of Chinese practice (docs/citation.md
says what the standard prescribes and where this follows it).

Pure functions of plain data — the parts :mod:`chengzhen.query.cite` reads
from the database — so that every character of a citation can be traced to
a part, and a test can rebuild a citation from its parts.

* :func:`reference` — the document (one per plan, the same for every unit):
  ``发文机关. 标题：文号[EB/OL]. （发布日期）[引用日期]. URL.``
* :func:`locator` — where in the document: the unit's 章/节/条 path as the
  source numbers it, headings written out (``六、实施…行动，（二十八）扎实推进…``);
  :func:`locator_short` the numbers only (``六、（二十八）``).
* :func:`full` — the reference followed by the locator, the place GB/T 7714
  gives 引文页码 (an unpaged web document has none).
* :func:`short` — in running text, as a 公文 cites another: 《标题》（文号）
  and the numbers.

Punctuation (GB/T 7714 "GB" practice): the full stop between elements, the
square brackets and the slash are ASCII; colon, comma and round brackets
are full-width, and so is the punctuation inside Chinese titles and
headings (:func:`widen`).  Whatever the editors supplied rather than the
source wrote (a title the editors drafted, a heading restored from the
table of contents, a national task's provincial restatement) stands in
square brackets, as GB/T 7714 writes self-supplied information.
"""

from __future__ import annotations

import re

TYPE_CODE = "EB/OL"  # 电子公告 / 联机网络 (docs/citation.md: why not A/OL)
SEP = ". "  # between elements: ASCII full stop (the standard's one ASCII mark)
STEP_SEP = "，"  # between the headings of a path
SUPPLIED = ("[", "]")

_WIDE = {"(": "（", ")": "）", ";": "；", "?": "？", "!": "！", "<": "〈", ">": "〉"}


def widen(text: str | None) -> str:
    """Chinese text with its ASCII punctuation in full-width form, as Chinese
    practice writes it (and GB/T 7714's examples do inside titles): ( ) , : ;
    ? ! < > and straight quotes.  A comma or colon between digits (1,000 or
    10:30), full stops, square brackets, % and dashes are left alone.
    Text without a CJK character is returned unchanged."""
    if not text:
        return text or ""
    if not any("\u3400" <= ch <= "\u9fff" for ch in text):
        return text
    out: list[str] = []
    double = single = False
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch in ",:" and out and out[-1][-1:].isdigit() and nxt.isdigit():
            out.append(ch)
        elif ch == ",":
            out.append("，")
        elif ch == ":":
            out.append("：")
        elif ch == '"':
            out.append("”" if double else "“")
            double = not double
        elif ch == "'":
            out.append("’" if single else "‘")
            single = not single
        else:
            out.append(_WIDE.get(ch, ch))
    return "".join(out)


def zh_date(iso: str | None) -> str | None:
    """``2024-12-14`` → ``2024年12月14日`` (``2024-12`` → ``2024年12月``);
    anything else unchanged."""
    if not iso:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", iso.strip())
    if not m:
        return iso
    y, mo, d = m.groups()
    return f"{int(y)}年" + (f"{int(mo)}月" if mo else "") + (f"{int(d)}日" if d else "")


def date_text(iso: str | None, dates: str = "zh") -> str | None:
    """A date as the citation writes it: Chinese (``zh``, the default) or
    the standard's own numeric form (``iso``: 2024-12-14, GB/T 7408)."""
    if dates not in ("zh", "iso"):
        raise ValueError(f"dates must be 'zh' or 'iso', not {dates!r}")
    return zh_date(iso) if dates == "zh" else iso


def _bracket(text: str, supplied: bool) -> str:
    return f"{SUPPLIED[0]}{text}{SUPPLIED[1]}" if supplied and text else text


# --------------------------------------------------------------------------- the document

def reference(parts: dict, dates: str = "zh") -> str:
    """The document's reference, GB/T 7714 electronic-resource pattern; an
    element the catalogue does not know is left out, never guessed."""
    if not parts.get("title"):
        return ""  # nothing known to cite (an older database without the national plan)
    elements = []
    if parts.get("issuer"):
        elements.append(_bracket(widen(parts["issuer"]), parts.get("issuer_supplied", False)))
    head = _bracket(widen(parts.get("title") or ""), parts.get("title_supplied", False))
    if parts.get("doc_number"):
        head += "：" + _bracket(widen(parts["doc_number"]), parts.get("doc_number_supplied", False))
    elements.append(head + f"[{parts.get('type') or TYPE_CODE}]")
    when = ""
    if parts.get("date"):
        when += "（" + _bracket(date_text(parts["date"], dates), parts.get("date_supplied", False)) + "）"
    if parts.get("accessed"):
        when += f"[{date_text(parts['accessed'], dates)}]"
    if when:
        elements.append(when)
    if parts.get("url"):
        elements.append(parts["url"])
    return SEP.join(elements) + "."


# --------------------------------------------------------------------------- where in it

def step_text(step: dict) -> str:
    """One heading of the path as the source writes it: number and title
    (without a full stop that ends it: 实施…行动。)."""
    kind, number, title = step["kind"], step.get("number") or "", (step.get("title") or "").rstrip("。；;")
    if kind == "box" and not number and not title:
        return "专栏"
    if kind == "table_row":
        return (f"序号{number}" if number else "") + f"“{widen(title)}”"
    if kind == "annex":
        return "附件：" + widen(title)
    if step.get("quoted"):
        return widen(number) + f"“{widen(title)}”"
    return widen(number) + widen(title)


def step_short(step: dict) -> str:
    """The same heading in a short reference: its number (a lead phrase,
    which has none, is left out)."""
    kind, number = step["kind"], step.get("number") or ""
    if kind == "box":
        return number or "专栏"
    if kind == "box_item":
        digits = re.sub(r"\D", "", number)
        return f"第{digits}项" if digits else ""
    if kind == "table_row":
        return f"序号{number}" if number else f"“{widen(step.get('title') or '')}”"
    if kind == "annex":
        return "附件"
    if kind == "notice":
        return step.get("title") or ""
    if kind == "annex_group":
        return widen(step.get("name") or step.get("title") or "")
    if kind == "annex_row":
        return widen(number + (step.get("title") or ""))
    return widen(number)


def _join(steps: list[dict], render, sep: str) -> str:
    """Steps rendered and joined; a run of supplied steps in one pair of
    square brackets."""
    out: list[str] = []
    run: list[str] = []
    for step in steps:
        text = render(step)
        if not text:
            continue
        if step.get("supplied"):
            run.append(text)
            continue
        if run:
            out.append(_bracket(sep.join(run), True))
            run = []
        out.append(text)
    if run:
        out.append(_bracket(sep.join(run), True))
    return sep.join(out)


def locator(steps: list[dict]) -> str:
    return _join(steps, step_text, STEP_SEP)


def locator_short(steps: list[dict]) -> str:
    text = _join(steps, step_short, "")
    # a heading number's own delimiter (一、 1.) does not end a reference
    return re.sub(r"[、.．](?=\]?$)", "", text)


# --------------------------------------------------------------------------- the two forms

def full(parts: dict, dates: str = "zh") -> str:
    """The full reference: the document, then where in it."""
    ref = reference(parts, dates)
    where = locator(parts.get("steps") or []).rstrip(".．")
    return " ".join(x for x in (ref, f"{where}." if where else "") if x)


def short(parts: dict) -> str:
    """In running text: 《标题》（文号）and the numbers, as one 公文 cites
    another (title first, then 发文字号)."""
    title = widen(parts.get("title") or "")
    if not title:
        return locator_short(parts.get("steps") or [])
    head = f"[{title}]" if parts.get("title_supplied") else f"《{title}》"
    if parts.get("doc_number"):
        head += "（" + _bracket(widen(parts["doc_number"]), parts.get("doc_number_supplied", False)) + "）"
    return head + locator_short(parts.get("steps") or [])
