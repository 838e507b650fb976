"""Stage 1: a file as users get it → the text we store, one paragraph a line.

* plain text in UTF-8 (with or without a byte-order mark), UTF-16 (with a
  mark, or without one when every other byte is NUL), or GB18030 — the
  superset of GBK and GB2312 that Chinese government sites still serve;
* a saved HTML page (the standard library's ``html.parser``: it reads broken
  markup without complaint, which saved pages need): block elements become
  lines, table rows become ``cell | cell`` lines, scripts, styles, navigation
  and forms are dropped;
* a .docx file (python-docx: paragraphs and tables in document order);
* a PDF with a text layer (pypdf: the text of each page, visual lines joined
  back into paragraphs where a line does not end a sentence).

The result is what ``data/sources/<id>.txt`` holds: UTF-8, ``\\n`` line
ends, no byte-order mark, nothing else changed — every later repair is
recorded against it (``clean.py``).  python-docx and pypdf are the optional
``chengzhen[ingest]`` extra; they are imported only for their formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from chengzhen.ingest.errors import IngestError

MAX_BYTES = 32 * 1024 * 1024


@dataclass
class Decoded:
    text: str  # the text as stored: lines joined by \n, ending with \n
    encoding: str  # utf-8, utf-8-sig, utf-16, gb18030
    container: str  # text, html, docx, pdf
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")[:-1] if self.text.endswith("\n") else self.text.split("\n")


def read_bytes(path: Path, label: str) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise IngestError(f"{label}: file not found") from None
    except OSError as exc:
        raise IngestError(f"{label}: cannot read: {exc.strerror}") from None
    if path.is_dir():
        raise IngestError(f"{label}: is a directory, expected a file")
    if size > MAX_BYTES:
        raise IngestError(f"{label}: file too large ({size} bytes; limit {MAX_BYTES}): a plan is at most a few MB")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{label}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise IngestError(f"{label}: file is empty")
    return data


# the text of one plan: the largest known is ~140 KB; a text far beyond that is not one plan
# (a site's dump, a plan repeated) and would take minutes to draft
MAX_TEXT_BYTES = 1024 * 1024
# a .docx's XML as its zip declares it, unpacked (a zip bomb unpacks to hundreds of MB)
MAX_DOCX_XML = 64 * 1024 * 1024


def decode(data: bytes, label: str) -> Decoded:
    """Any supported file's bytes → :class:`Decoded`."""
    if data[:4] == b"PK\x03\x04":
        return _sized(_docx(data, label), label)
    if data[:5] == b"%PDF-":
        return _sized(_pdf(data, label), label)
    if len(data) > 8 * MAX_TEXT_BYTES:  # even a page's markup does not make one plan's text this large
        raise IngestError(f"{label}: {len(data) / 1024 / 1024:.1f} MB of text or HTML — far more than one plan's "
                          f"(the largest known is ~0.14 MB; limit {MAX_TEXT_BYTES // 1024 // 1024} MB of text): "
                          "give the plan alone")
    text, encoding = decode_text(data, label)
    if looks_like_html(text):
        return _sized(_html(text, encoding, label), label)
    return _sized(Decoded(_finish(text.split("\n")), encoding, "text"), label)


def _sized(d: Decoded, label: str) -> Decoded:
    size = len(d.text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise IngestError(f"{label}: its text is {size / 1024 / 1024:.1f} MB — far more than one plan's (the largest "
                          f"known is ~0.14 MB; limit {MAX_TEXT_BYTES // 1024 // 1024} MB): give the plan alone")
    return d


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """Bytes of a text file → (str, encoding name)."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                     (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _no_controls(data.decode(enc), label), enc
            except UnicodeDecodeError as exc:
                raise IngestError(f"{label}: not valid {enc.upper()} after its byte-order mark "
                                  f"(byte {exc.start})") from None
    if len(data) >= 4 and len(data) % 2 == 0 and (data.count(b"\x00") * 3 > len(data)
                                                  or b"\n\x00" in data or b"\x00\n" in data):
        # UTF-16 without a mark: every other byte is NUL for CJK-free text, and
        # NULs are frequent in any case; a binary file fails to decode below
        order = ("utf-16-le", "utf-16-be") if data.find(b"\n\x00") % 2 == 0 else ("utf-16-be", "utf-16-le")
        for enc in order:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _mostly_text(text):
                return _no_controls(text, label), "utf-16"
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise IngestError(f"{label}:{line}: binary file (NUL byte), expected a plan's text, HTML, .docx or PDF")
    try:
        return _no_controls(data.decode("utf-8"), label), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise IngestError(f"{label}:{line}: undecodable bytes: not UTF-8, UTF-16 or GB18030 text") from None
    if not _mostly_text(text):
        line = data[: utf8_error.start].count(b"\n") + 1
        raise IngestError(f"{label}:{line}: binary file, expected a plan's text, HTML, .docx or PDF")
    return _no_controls(text, label), "gb18030"


def _mostly_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or "\ue000" <= ch <= "\uf8ff")
    return bad * 50 < len(text)


def _no_controls(text: str, label: str) -> str:
    for n, line in enumerate(text.split("\n"), start=1):
        for ch in line:
            if ord(ch) < 32 and ch not in "\r\t\f" or ch == "\x7f":
                raise IngestError(f"{label}:{n}: binary file (control character U+{ord(ch):04X}), "
                                  "expected a plan's text, HTML, .docx or PDF")
    return text


def _finish(lines: list[str]) -> str:
    """Lines → stored text: no CR, trailing spaces kept (they are text), \\n at the end."""
    out = [ln.rstrip("\r").replace("\f", "") for ln in lines]
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- HTML

_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html\b|<head\b|<meta\b|<body\b|<!--)", re.I)
_HTML_TAGS = re.compile(r"<(?:p|div|br|span|table|td|li|h[1-6])\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    head = text[:2000]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(text[:20000])) >= 5


class _Text(HTMLParser):
    """HTML → lines of text (see the module docstring)."""

    DROP = {"script", "style", "noscript", "template", "svg", "nav", "aside", "form", "button", "select",
            "option", "iframe", "head", "object", "canvas", "map"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
             "header", "footer", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "hr", "title",
             "main", "figure", "figcaption", "caption", "tbody", "thead", "tfoot", "address"}
    VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.cells: list[str] | None = None
        self.drop = 0
        self.dropped = 0
        self.pre = 0

    def _flush(self):
        text = "".join(self.cur)
        self.cur = []
        if self.cells is not None:
            if text.strip():
                self.cells.append(_squeeze(text))
            return
        if self.pre:
            self.lines.extend(text.split("\n"))
        else:
            text = _squeeze(text)
            if text:
                self.lines.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in self.DROP:
            if tag not in self.VOID:
                self.drop += 1
                self.dropped += 1
            return
        if self.drop:
            return
        if tag in ("td", "th"):
            self._flush()
        elif tag == "tr":
            self._flush()
            self.cells = []
        elif tag in self.BLOCK:
            self._flush()
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag):
        if tag in self.DROP:
            if tag not in self.VOID and self.drop:
                self.drop -= 1
            return
        if self.drop:
            return
        if tag in ("td", "th"):
            self._flush()
        elif tag == "tr":
            self._flush()
            cells, self.cells = self.cells or [], None
            if cells:
                self.lines.append(" | ".join(cells) + " |")
        elif tag in self.BLOCK:
            self._flush()
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr") and not self.drop:
            self._flush()

    def handle_data(self, data):
        if not self.drop:
            self.cur.append(data)


def _squeeze(text: str) -> str:
    """HTML whitespace: runs of spaces, tabs and newlines are one space;
    the ends of a block are trimmed (full-width indentation too)."""
    return re.sub(r"[ \t\r\n\f\u00a0]+", " ", text).strip(" \u3000")


def _html(text: str, encoding: str, label: str) -> Decoded:
    parser = _Text()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything else is damage
        raise IngestError(f"{label}: cannot read the HTML page: {exc}") from None
    parser._flush()
    if parser.cells:
        parser.lines.append(" | ".join(parser.cells) + " |")
    notes = ["HTML page: text of its block elements, one a line"]
    if parser.dropped:
        notes.append(f"HTML page: {parser.dropped} script, style, navigation or form elements dropped")
    if not any(ln.strip() for ln in parser.lines):
        raise IngestError(f"{label}: the HTML page holds no text")
    return Decoded(_finish(parser.lines), encoding, "html", notes)


# --------------------------------------------------------------------------- .docx

def _optional(module: str, what: str, label: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise IngestError(f"{label}: reading {what} needs the optional extra: pip install 'chengzhen[ingest]'") from None


def _docx(data: bytes, label: str) -> Decoded:
    import io
    import zipfile

    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        raise IngestError(f"{label}: damaged zip file, expected a .docx") from None
    if "word/document.xml" not in names:
        raise IngestError(f"{label}: a zip file but not a .docx (no word/document.xml)")
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    if unpacked > MAX_DOCX_XML:
        raise IngestError(f"{label}: the .docx unpacks to {unpacked / 1024 / 1024:.0f} MB (limit "
                          f"{MAX_DOCX_XML // 1024 // 1024} MB): not one plan's document")
    docx = _optional("docx", ".docx files", label)
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise IngestError(f"{label}: cannot read the .docx: {exc}") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, doc).text
            lines.extend(part.strip(" \u3000\t") for part in text.split("\n"))
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                cells = []
                for cell in row.cells:
                    t = re.sub(r"\s+", " ", cell.text).strip()
                    if t and (not cells or cells[-1] != t):  # a merged cell repeats
                        cells.append(t)
                if cells:
                    lines.append(" | ".join(cells) + " |")
    if not any(ln.strip() for ln in lines):
        raise IngestError(f"{label}: the .docx holds no text")
    return Decoded(_finish(lines), "utf-8", "docx", ["Word document: paragraphs and table rows in order"])


# --------------------------------------------------------------------------- PDF

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[/共]\s*\d+\s*页?)?|\d{1,4})\s*$")
_ENDS_SENTENCE = re.compile(r"[。；;！!？?:：)）】」』”]\s*$")


def _pdf(data: bytes, label: str) -> Decoded:
    import io

    pypdf = _optional("pypdf", "PDF files", label)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:
        raise IngestError(f"{label}: cannot read the PDF: {exc}") from None
    raw = [ln.rstrip() for page in pages for ln in page.split("\n")]
    raw = [ln for ln in raw if not _PAGE_NUMBER.match(ln)]
    if sum(len(ln.strip()) for ln in raw) < 20:
        raise IngestError(f"{label}: the PDF has no text layer (a scan?): run OCR first")
    return Decoded(_finish(join_visual_lines(raw)), "utf-8", "pdf",
                   ["PDF: text layer, visual lines joined into paragraphs, page numbers dropped"])


def join_visual_lines(lines: list[str]) -> list[str]:
    """A PDF's visual lines → paragraphs: a line that does not end a sentence
    continues on the next, unless the next starts a heading or a box."""
    from chengzhen.text.outline import BOX, match_heading

    out: list[str] = []
    for ln in lines:
        s = ln.strip()
        if not s:
            continue
        if out and not _ENDS_SENTENCE.search(out[-1]) and not match_heading(s) and not BOX.match(s) \
                and len(out[-1]) >= 15:
            out[-1] += s
        else:
            out.append(s)
    return out
