"""A plan as a document (``/plan/hunan/text``): its full source text as the
reader reads it — headings as a linked outline, each measure, target and
责任单位 clause anchored and linked to its page, a 专栏 table flattened one
cell a line shown as the table it is, a repair (mojibake) and a removed
web gloss marked where it was made (``query/document.py`` places them).

The text is the source file the database was built from (same SHA-256),
normalised as the build normalised it.  A server given the database alone
shows the units the database holds, in order, and says the rest is not
here.  Its answer is `cz show PLAN`'s (as the plan page); the document's
blocks are the page's ``view``.
"""

from __future__ import annotations

from urllib.parse import unquote

from markupsafe import Markup, escape

from chengzhen.answers.present import lead_phrase, target_phrase
from chengzhen.answers.show import plan_page as answer
from chengzhen.answers.show import raw_source
from chengzhen.query import document as D
from chengzhen.query.cite import recorded_repairs
from chengzhen.query.resolve import resolve_plans
from chengzhen.web.page import Page, page_view, run, state
from chengzhen.web.views import links

ROUTE = r"^/plan/(?P<id>[^/?#]+?)/text(\.(?P<format>json))?$"


def document_page(conn, pid: str, data_root, base) -> Page:
    ans = answer(conn, pid)
    _kind, data = ans.data
    p = data["plan"]
    units = D.plan_units(conn, pid)
    raw = raw_source(conn, p["source"], data_root) if p.get("source") else None
    if raw is not None:
        lines, fixes = D.normalise(raw, p["script"], recorded_repairs(conn, pid))
        doc = D.document(lines, units)
        by_line = _marks_by_line(doc["blocks"])
        for fx in fixes:  # the repairs and removed glosses, on their lines
            got = by_line.get(fx["line"])
            if got is not None:
                got.append({k: v for k, v in fx.items() if k != "line"})
        for marks in by_line.values():
            marks.sort(key=D._mark_order)
        source = {"available": True, "lines": len(lines)}
    else:
        doc = _from_units(units)
        source = {"available": False, "lines": p.get("n_lines")}
    labels = {m["id"]: m for m in units["measures"]}
    html = [_block_html(b, base, labels) for b in doc["blocks"]]
    n_fixes = {"repair": 0, "gloss": 0}
    for b in doc["blocks"]:
        for mk in _all_marks(b):
            if mk["type"] in n_fixes:
                n_fixes[mk["type"]] += 1
    toc = [{"id": b["id"], "depth": b["depth"] or 0, "supplied": b["kind"] == "supplied_heading",
            "label": f"{b['number'] or ''}{b['title']}"} for b in doc["blocks"]
           if b["kind"] in ("heading", "supplied_heading")]
    toc += [{"id": b["id"], "depth": 0, "supplied": False, "label": b["text"].strip()} for b in doc["blocks"]
            if b.get("role") == "annex"]
    title = f"{p['name']} · 原文"
    view = {"source": source, "blocks": doc["blocks"]}
    from chengzhen.answers.show import citation_record

    cite = citation_record(conn, pid, None)
    # targets counted as every page counts them: a restated target once (plan_stats)
    desc = (f"{p['name']}的全文（{p.get('issuer') or p['region']}{('，' + p['doc_number']) if p.get('doc_number') else ''}）："
            f"{len(units['measures'])} 个条目、{ans.blocks['stats']['targets']} 项目标，标题可跳转，条目、目标、责任单位均链接到各自页面。")
    return Page("document", "cz_document.html", title, {**data, **ans.blocks}, answer=ans, view=view,
                context={"blocks_html": html, "toc": toc, "source": source, "fixes": n_fixes,
                         "citation": cite, "description": desc})


def _all_marks(b: dict):
    yield from b.get("marks", [])
    for ln in b.get("lines", []):
        yield from ln.get("marks", [])


def _marks_by_line(blocks: list[dict]) -> dict[int, list[dict]]:
    """Each source line's list of marks (a box's lines included)."""
    out: dict[int, list[dict]] = {}
    for b in blocks:
        if b["kind"] == "box":
            for ln in b.get("lines", []):
                out[ln["line"]] = ln["marks"]
        elif "marks" in b and b.get("line") is not None:
            out[b["line"]] = b["marks"]
    return out


def _from_units(units: dict) -> dict:
    """Without the source file: the headings and the measures the database
    holds, in source order (what lies between them is not shown)."""
    items = []
    for s in units["sections"]:
        items.append((s["line"], 0, {"kind": "supplied_heading" if s["restored"] else "heading", "line": s["line"],
                                     "id": s["id"], "depth": s["depth"], "number": s["number"], "title": s["title"],
                                     "text": f"{s['number'] or ''}{s['title']}", "marks": [],
                                     "retrospective": bool(s["retrospective"])}))
    for m in units["measures"]:
        text = m["text"]
        marks = [{"type": "measure", "id": m["id"], "first": True, "start": 0, "end": len(text)}]
        if m["title"] and text.startswith(m["title"]):
            marks.append({"type": "title", "id": m["id"], "start": 0, "end": len(m["title"])})
        label = f"{m['number'] or ''}" if m["kind"] not in ("box", "table") else f"{m['number'] or '[专栏]'} {m['title'] or ''} "
        items.append((m["line"], 1, {"kind": "text", "line": m["line"], "text": label + text,
                                     "marks": [{**mk, "start": mk["start"] + len(label), "end": mk["end"] + len(label)}
                                               for mk in marks]}))
    items.sort(key=lambda x: (x[0], x[1]))
    return {"blocks": [b for _l, _k, b in items], "placed": {}}


# --------------------------------------------------------------------------- HTML

_ANCHORS = ("title", "target", "department", "toc")


def _open(mk: dict, base, labels: dict, in_link: bool) -> tuple[str, str, bool]:
    """(opening tag, closing tag, is a link) of a mark; a link inside a link
    is written as a span (HTML has no nested links)."""
    t = mk["type"]
    link = t in _ANCHORS and not in_link
    tag = "a" if link else "span"
    if t == "measure":
        m = labels.get(mk["id"], {})
        ident = f' id="{escape(mk["id"])}"' if mk.get("first") else ""
        pilcrow = ""
        if mk.get("first"):
            label = f"{m.get('number') or ''}{m.get('title') or lead_phrase(m.get('text') or '')}"
            pilcrow = (f'<a class="unit-link" href="{escape(links.measure(base, mk["id"]))}" '
                       f'title="条目页：{escape(label)}" aria-label="条目页：{escape(label)}">¶</a>')
        return f'<span class="unit" data-unit="{escape(mk["id"])}"{ident}>' + pilcrow, "</span>", False
    if t == "title":
        href = f' href="{escape(links.measure(base, mk["id"]))}" title="打开这一条的页面"' if link else ""
        return f'<{tag} class="unit-title"{href}>', f"</{tag}>", link
    if t == "target":
        ident = f' id="t-{escape(mk["id"])}"' if mk.get("first") else ""
        phrase = target_phrase({**mk, "indicator": mk["indicator"], "as_written": mk["as_written"]})
        href = f' href="{escape(links.measure(base, mk["measure"], "t-" + mk["id"]))}"' if link else ""
        return (f'<{tag} class="target"{ident}{href} title="量化目标：{escape(phrase)}">', f"</{tag}>", link)
    if t == "departments":
        return f'<span class="depts" id="d-{escape(mk["measure"])}" title="责任单位">', "</span>", False
    if t == "department":
        href = f' href="{escape(links.department(base, mk["name"]))}" title="{escape(mk["name"])}的全部条目"' if link else ""
        return f'<{tag} class="dept"{href}>', f"</{tag}>", link
    if t == "repair":
        why = f"（{mk['reason']}）" if mk.get("reason") else ""
        return (f'<ins class="repair" title="已修复：原文此处是乱码“{escape(mk["was"])}”{escape(why)}">', "</ins>",
                False)
    if t == "gloss":
        return (f'<span class="gloss" title="原文此处有网页加注的拼音“{escape(mk["was"])}”，已去掉">', "</span>", False)
    if t == "toc":
        href = f' href="#{escape(mk["id"])}" title="正文缺这个标题：跳到据目录补出的位置"' if link else ""
        return f'<{tag} class="toc"{href}>', f"</{tag}>", link
    if t == "annex_row":
        return f'<span class="annex-row" id="{escape(mk["id"])}">', "</span>", False
    return "<span>", "</span>", False


def render_text(text: str, marks: list[dict], base, labels: dict, lo: int = 0, hi: int | None = None) -> Markup:
    """``text[lo:hi]`` with its marks as elements, every piece escaped;
    marks that cross are closed and opened again."""
    hi = len(text) if hi is None else hi
    inside = [m for m in marks if m["end"] > lo and m["start"] < hi and m["end"] > m["start"]]
    cuts = sorted({lo, hi} | {max(lo, m["start"]) for m in inside} | {min(hi, m["end"]) for m in inside})
    out: list[str] = []
    stack: list[tuple[int, str, bool]] = []  # (mark index, closing tag, link)
    opened: set[int] = set()
    for a, b in zip(cuts, cuts[1:]):
        want = [i for i, m in enumerate(inside) if m["start"] <= a and m["end"] >= b]
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep][0] == want[keep]:
            keep += 1
        while len(stack) > keep:
            out.append(stack.pop()[1])
        for i in want[keep:]:
            in_link = any(s[2] for s in stack)
            mk = inside[i] if i not in opened else {**inside[i], "first": False}  # an id once
            head, tail, link = _open(mk, base, labels, in_link)
            opened.add(i)
            out.append(head)
            stack.append((i, tail, link))
        out.append(str(escape(text[a:b])))
    while stack:
        out.append(stack.pop()[1])
    return Markup("".join(out))


def _heading_tag(depth: int) -> str:
    return f"h{min(6, 2 + (depth or 0))}"


def _block_html(b: dict, base, labels: dict) -> Markup:
    k = b["kind"]
    if k == "heading":
        tag = _heading_tag(b["depth"])
        retro = ' <span class="tag" title="回顾已有成绩：不计入国家任务">回顾</span>' if b.get("retrospective") else ""
        return Markup(f'<{tag} class="doc-h" id="{escape(b["id"])}" data-line="{b["line"]}">'
                      f'<a class="ln-link" href="#L{b["line"]}" id="L{b["line"]}" aria-hidden="true" tabindex="-1"></a>'
                      f'{render_text(b["text"], b.get("marks", []), base, labels)}{retro}</{tag}>')
    if k == "supplied_heading":
        tag = _heading_tag(b["depth"])
        return Markup(f'<{tag} class="doc-h supplied" id="{escape(b["id"])}" title="正文缺这个标题，据原文目录补出">'
                      f'[{escape(b["number"] or "")}{escape(b["title"])}]<span class="tag">据目录补</span></{tag}>')
    if k == "text":
        cls = "ln" + (f" {b['role']}" if b.get("role") else "")
        ident = f' data-anchor="{escape(b["id"])}"' if b.get("id") else ""
        inner = render_text(b["text"], b["marks"], base, labels)
        if b.get("role") in ("annex", "annex_group"):
            inner = Markup(f'<span id="{escape(b["id"])}">') + inner + Markup("</span>")
        return Markup(f'<p class="{cls}" id="L{b["line"]}" data-line="{b["line"]}"{ident}>{inner}</p>')
    if k == "table":
        return _table_html(b, base, labels)
    return _box_html(b, base, labels)


def _caption(b: dict) -> Markup:
    if b["heading_supplied"]:
        return Markup('<span class="supplied" title="原文此处无标题">[专栏]</span>')
    return escape(b["heading"])


def _box_html(b: dict, base, labels: dict) -> Markup:
    out = [f'<aside class="box" id="{escape(b["id"])}" data-line="{b["line"]}">',
           f'<div class="box-head" id="L{b["line"]}"><a class="unit-link" href="{escape(links.measure(base, b["id"]))}" '
           f'aria-label="条目页">¶</a>{_caption(b)}</div>']
    for ln in b["lines"]:
        out.append(f'<div class="box-line" id="L{ln["line"]}" data-line="{ln["line"]}">')
        for lo, hi in ln["items"]:
            piece = render_text(ln["text"], ln["marks"], base, labels, lo, hi)
            if str(piece).strip():
                out.append(f'<p class="box-item">{piece}</p>')
        out.append("</div>")
    out.append("</aside>")
    return Markup("".join(out))


def _table_html(b: dict, base, labels: dict) -> Markup:
    cells = b["cells"]
    head = b["header"]
    out = [f'<figure class="box table-box" id="{escape(b["id"])}" data-line="{b["line"]}">',
           f'<figcaption id="L{b["line"]}"><a class="unit-link" href="{escape(links.measure(base, b["id"]))}" '
           f'aria-label="条目页">¶</a>{_caption(b)}</figcaption>',
           '<div class="table-wrap"><table class="doc-table cards"><thead><tr>']
    for i in head:
        out.append(f'<th scope="col" id="L{cells[i]["line"]}">{escape(cells[i]["text"])}</th>')
    out.append("</tr></thead><tbody>")
    rows = b["rows"]
    serial_col = cells and head and next((j for j in head if cells[j]["text"] == "序号"), head[0])
    groups_before = head.index(serial_col) if serial_col in head else 0
    span_of = {}
    current = None
    for r in rows:
        if r["group"] is not None:
            current = r["group"]
            span_of[current] = 0
        if current is not None:
            span_of[current] += 1
    for r in rows:
        tid = r["targets"][0]["id"] if r["targets"] else None
        ident = f' id="t-{escape(tid)}"' if tid else ""
        out.append(f"<tr{ident}>")
        if groups_before:
            if r["group"] is not None:
                g = cells[r["group"]]
                out.append(f'<th scope="rowgroup" rowspan="{span_of[r["group"]]}" class="group" id="L{g["line"]}" '
                           f'data-label="{escape(cells[head[0]]["text"])}">{escape(g["text"])}</th>')
        for j, c in enumerate(r["cells"]):
            cell = cells[c]
            label = cells[head[groups_before + j]]["text"] if groups_before + j < len(head) else ""
            text = escape(cell["text"])
            if j == 1 and r["targets"]:
                t = r["targets"][0]
                phrase = target_phrase(t)
                text = Markup(f'<a class="target" href="{escape(links.measure(base, t["measure"], "t-" + t["id"]))}" '
                              f'title="量化目标：{escape(phrase)}">{text}</a>')
            out.append(f'<td id="L{cell["line"]}" data-label="{escape(label)}">{text}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    if b["note"] is not None:
        note = cells[b["note"]]
        out.append(f'<p class="table-note" id="L{note["line"]}">{escape(note["text"])}</p>')
    out.append('<p class="muted small">原文此表每格一行；按表头与序号排成表格，与数据中每项目标所在的行一致。</p>')
    out.append("</figure>")
    return Markup("".join(out))


# --------------------------------------------------------------------------- the route

async def build(request, datasette, fmt):
    from datasette.utils.asgi import Response

    word = unquote(request.url_vars["id"]).strip()
    root = state(datasette).data

    def make(conn):
        pid = resolve_plans(conn, [word])[0]
        if pid != word:
            return pid
        return document_page(conn, pid, root, datasette)

    got = await run(datasette, make)
    if isinstance(got, str):
        suffix = f".{request.url_vars['format']}" if request.url_vars.get("format") else ""
        return Response.redirect(links.document(datasette, got) + suffix, status=302)
    return got


view = page_view(build)


def examples(conn) -> list[str]:
    """Every plan's text, the longest first; a 专栏 table in it, where one is."""
    from chengzhen.query.browse import first_unit_of_kind, plans_longest_first

    out = [f"/plan/{pid}/text" for pid in plans_longest_first(conn)]
    table = first_unit_of_kind(conn, "table")
    if table:
        out.insert(1, f"/plan/{table[0]}/text#{table[1]}")
    return out
