"""A report (report/document.py) as a Word document, with python-docx (the
optional ``report`` extra).

A4, portrait or — for a wide comparison or target table — landscape;
Chinese fonts named for Word and WPS (宋体 for text, 黑体 for headings) with
a Latin fallback; the title, the facts of the question, numbered headings;
tables with their header row repeated on every page, column widths in
proportion to what they hold, and the citation marks as superscripts; a
chart as a table of bars (each bar a picture, report/png.py; its label and
value text beside it), a progress chart as a picture with its legend as text; the numbered references (参考文献) at the end; page
numbers in the footer.
"""

from __future__ import annotations

import io

from chengzhen.errors import CzError

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
BAR, BASE = (0x3B, 0x7D, 0xD8), (0xB8, 0xC7, 0xDB)
BAR_MAX_CM, BAR_HEIGHT_CM, BASE_HEIGHT_CM = 8.0, 0.38, 0.2
MARGIN_CM = 2.0
INSTALL = "pip install 'chengzhen[report]'"


def require() -> None:
    """python-docx, or one line saying how to install it (exit 2)."""
    try:
        import docx  # noqa: F401
    except ImportError:
        raise CzError(f"writing .docx needs the optional report extra (python-docx): {INSTALL}") from None


def _fonts(style_or_run, east_asian: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = LATIN_FONT
    if size_pt:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _language(style) -> None:
    """Chinese text tagged as zh-CN: a program without the named fonts
    (LibreOffice on Linux) then picks a Simplified Chinese face, not a
    Japanese one with other glyphs for the same characters."""
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc) -> None:
    from docx.shared import Pt, RGBColor

    from docx.oxml.ns import qn

    styles = doc.styles
    for lang in styles.element.iterfind(f"{qn('w:docDefaults')}//{qn('w:lang')}"):
        lang.set(qn("w:eastAsia"), "zh-CN")  # the document's default too
    _fonts(styles["Normal"], BODY_FONT, 10.5)
    _language(styles["Normal"])
    styles["Normal"].paragraph_format.space_after = Pt(3)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        st = styles[name]
        _fonts(st, HEADING_FONT, size, bold=name != "Title")
        _language(st)
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        st.paragraph_format.space_after = Pt(6)
    # the Title style draws a rule under it in python-docx's template: not in a 简报
    title = styles["Title"].element
    ppr = title.pPr
    if ppr is not None:
        from docx.oxml.ns import qn

        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _page(doc, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    _page_numbers(section)


def _field(paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._r.append(el)


def _page_numbers(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("第 ")
    _field(p, "PAGE")
    p.add_run(" 页")


def _runs(paragraph, runs) -> None:
    for text, style in runs:
        r = paragraph.add_run(text)
        if style == "b":
            r.bold = True
        elif style == "sup":
            r.font.superscript = True


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _no_split(row) -> None:
    """A short row is kept on one page (a long one may still break)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _widths(table, widths_cm: list[float]) -> None:
    from docx.shared import Cm

    table.autofit = False
    for i, col in enumerate(table.columns):
        col.width = Cm(widths_cm[i])
    for row in table.rows:
        for i, c in enumerate(row.cells):
            c.width = Cm(widths_cm[i])


def _text_width(doc) -> float:
    s = doc.sections[0]
    return (s.page_width - s.left_margin - s.right_margin) / 360000  # EMU per cm


def _cell(c, paragraphs, size_pt: float | None = None) -> None:
    from docx.shared import Pt

    first = True
    for runs in paragraphs or [[("", "")]]:
        p = c.paragraphs[0] if first else c.add_paragraph()
        first = False
        p.paragraph_format.space_after = Pt(2)
        _runs(p, runs)
        if size_pt:
            for r in p.runs:
                r.font.size = Pt(size_pt)


def _table(doc, block) -> None:
    from docx.shared import Pt

    n = len(block["header"])
    table = doc.add_table(rows=1, cols=n)
    table.style = "Table Grid"
    size = 9 if n > 4 else 10
    for i, h in enumerate(block["header"]):
        _cell(table.rows[0].cells[i], [[(h, "b")]], size)
    _repeat_header(table.rows[0])
    for row in block["rows"]:
        cells = table.add_row().cells
        for i, paras in enumerate(row):
            _cell(cells[i], paras, size)
    width = _text_width(doc)
    if block["weights"]:
        total = sum(block["weights"])
        widths = [width * w / total for w in block["weights"]]
    else:
        widths = column_widths(block, width, size)
    _widths(table, widths)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


CELL_PADDING_CM = 0.4  # a cell's left and right margins (Word's and LibreOffice's defaults, about 0.19 cm each)
SHORT = 16  # a column whose longest text is this many half-width characters or fewer (年份, 出处) keeps it on a line


def column_widths(block, total_cm: float, size_pt: float, most: int = 60) -> list[float]:
    """Widths (cm) that fit what the columns hold: each column gets at least
    what its header and its longest word (a year, an id: never broken) need,
    then the rest of the line in proportion to how much longer its text
    runs.  Widths are counted in half-width characters at the table's font
    size, a Chinese character counted 2."""
    import re

    from chengzhen.answers.writers import display_width

    unit = size_pt * 0.5 * 2.54 / 72  # cm per half-width character
    least, natural = [], []
    for i, h in enumerate(block["header"]):
        texts = ["".join(t for t, _s in p) for row in block["rows"] for p in row[i]]
        longest = max([display_width(h)] + [display_width(t) for t in texts])
        words = [w for t in texts for w in re.findall(r"[\x21-\x7e\u00b7]+|[\u4e00-\u9fff]{1,3}", t)]
        need = max([display_width(h)] + [display_width(w) for w in words])
        least.append(min(need, longest) * unit + CELL_PADDING_CM)
        natural.append(min(longest, most) * unit + CELL_PADDING_CM)
    if sum(natural) <= total_cm:  # everything on one line: the spare room shared out evenly
        spare = (total_cm - sum(natural)) / len(natural)
        return [n + spare for n in natural]
    if sum(least) >= total_cm:  # cannot fit: in proportion to the least each needs
        return [x * total_cm / sum(least) for x in least]
    short = [n <= SHORT * unit + CELL_PADDING_CM for n in natural]
    if sum(n for n, s in zip(natural, short) if s) + sum(x for x, s in zip(least, short) if not s) <= total_cm:
        least = [n if s else x for n, x, s in zip(natural, least, short)]  # a short column is never wrapped
    extra = total_cm - sum(least)
    wants = [n - x for n, x in zip(natural, least)]
    return [x + extra * w / (sum(wants) or 1) for x, w in zip(least, wants)]


def _bars(doc, block) -> None:
    from docx.shared import Cm, Pt

    from chengzhen.report.png import solid

    title = doc.add_paragraph()
    title.add_run(block["title"]).bold = True
    title.paragraph_format.keep_with_next = True  # a chart's title stays with its bars
    table = doc.add_table(rows=0, cols=3)
    bar_png, base_png = solid(8, 8, BAR), solid(8, 8, BASE)
    top = block["top"] or 1
    for bar in block["rows"]:
        cells = table.add_row().cells
        _no_split(table.rows[-1])
        _cell(cells[0], [[(bar["label"], "")]], 9)
        p = cells[1].paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        if bar["value"] > 0:
            p.add_run().add_picture(io.BytesIO(bar_png), width=Cm(max(0.05, BAR_MAX_CM * bar["value"] / top)),
                                    height=Cm(BAR_HEIGHT_CM))
        texts = [[(bar["text"], "")]]
        if bar.get("base") is not None:
            q = cells[1].add_paragraph()
            q.paragraph_format.space_after = Pt(0)
            if bar["base"] > 0:
                q.add_run().add_picture(io.BytesIO(base_png), width=Cm(max(0.05, BAR_MAX_CM * bar["base"] / top)),
                                        height=Cm(BASE_HEIGHT_CM))
            texts.append([(bar["base_text"], "")])
        _cell(cells[2], texts, 9)
    for row in table.rows[:-1]:  # and the bars stay together on one page where they fit
        for c in row.cells:
            for p in c.paragraphs:
                p.paragraph_format.keep_with_next = True
    width = _text_width(doc)
    _widths(table, [width * 0.22, BAR_MAX_CM + 0.4, width * 0.78 - BAR_MAX_CM - 0.4])
    doc.add_paragraph()


CHART_WIDTH_CM = 11.0  # two charts with their legends to a landscape page


def _chart(doc, block) -> None:
    """A chart picture (report/png.py) with its title above and its legend
    below, kept together on one page."""
    from docx.shared import Cm, Pt

    title = doc.add_paragraph()
    title.add_run(block["title"]).bold = True
    title.paragraph_format.keep_with_next = True
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(block["png"]), width=Cm(CHART_WIDTH_CM))
    for k, line in enumerate(block["legend"]):
        q = doc.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        q.paragraph_format.keep_with_next = k < len(block["legend"]) - 1
        r = q.add_run(line)
        r.font.size = Pt(9)
    doc.add_paragraph()


def render(report) -> bytes:
    """The report as the bytes of a .docx file."""
    require()
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = docx.Document()
    _styles(doc)
    _page(doc, report.landscape)
    doc.core_properties.title = report.title
    doc.core_properties.author = "cz"
    title = doc.add_paragraph(report.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.subtitle:
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _runs(sub, [(report.subtitle, "b")])
    for label, value in report.facts:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        _runs(p, [(f"{label}: ", "b"), (value, "")])
    doc.add_paragraph()
    for block in report.blocks:
        kind = block["kind"]
        if kind == "heading":
            doc.add_paragraph(block["text"], style=f"Heading {block['level']}")
        elif kind == "para":
            _runs(doc.add_paragraph(), block["runs"])
        elif kind == "note":
            p = doc.add_paragraph()
            _runs(p, block["runs"])
            for r in p.runs:
                r.font.size = Pt(9)
        elif kind == "table":
            _table(doc, block)
        elif kind == "bars":
            _bars(doc, block)
        elif kind == "chart":
            _chart(doc, block)
        elif kind == "list":
            for depth, runs in block["items"]:
                p = doc.add_paragraph()
                p.paragraph_format.left_indent = Cm(0.6 * depth)
                p.paragraph_format.space_after = Pt(1)
                _runs(p, runs)
    if report.references:
        doc.add_paragraph("参考文献", style="Heading 1")
        for n, ref in enumerate(report.references, start=1):
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.9)
            p.paragraph_format.first_line_indent = Cm(-0.9)
            _runs(p, [(f"[{n}] ", ""), (ref, "")])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
