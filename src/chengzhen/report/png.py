"""PNGs written with the standard library alone (zlib, struct): a
one-colour PNG for the bars of a report's charts (report/docx.py; a bar is
a picture of its own, sized in the document), and a progress chart (the
realized series, the straight path to the target, the target) drawn on a
small raster, its axes' numbers in a 3×5 pixel font.  Titles, legends and
values stay text beside the pictures, in the document's font — no font
rasterising, no image library."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def solid(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A ``width`` × ``height`` PNG of one colour (8-bit RGB)."""
    if width < 1 or height < 1:
        raise ValueError("a PNG has at least one pixel")
    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    raw = row * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b""))


# --------------------------------------------------------------------------- a progress chart

WHITE, GRID, AXIS = (255, 255, 255), (0xE4, 0xE8, 0xEE), (0x55, 0x5F, 0x6D)
SERIES, PATH, TARGET = (0x3B, 0x7D, 0xD8), (0x9A, 0xA5, 0xB1), (0xD8, 0x6B, 0x1E)


# the axes' numbers drawn with a 3×5 pixel font (digits, point, minus, percent): the only text in a picture
GLYPHS = {
    "0": ("111", "101", "101", "101", "111"), "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"), "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"), "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"), "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"), "9": ("111", "101", "111", "001", "111"),
    ".": ("000", "000", "000", "000", "010"), "-": ("000", "000", "111", "000", "000"),
    "%": ("101", "001", "010", "100", "101"),
}


class Canvas:
    """An RGB raster to draw lines, dots and rings on (anti-aliasing none:
    a briefing's chart is read, not admired)."""

    def __init__(self, width: int, height: int, background=WHITE):
        self.width, self.height = width, height
        self.px = bytearray(bytes(background) * (width * height))

    def dot(self, x: float, y: float, r: float, rgb) -> None:
        for j in range(int(y - r) - 1, int(y + r) + 2):
            for i in range(int(x - r) - 1, int(x + r) + 2):
                if 0 <= i < self.width and 0 <= j < self.height and (i - x) ** 2 + (j - y) ** 2 <= r * r:
                    k = 3 * (j * self.width + i)
                    self.px[k:k + 3] = bytes(rgb)

    def ring(self, x: float, y: float, r: float, rgb, thick: float = 2.0) -> None:
        for j in range(int(y - r) - 1, int(y + r) + 2):
            for i in range(int(x - r) - 1, int(x + r) + 2):
                d = ((i - x) ** 2 + (j - y) ** 2) ** 0.5
                if 0 <= i < self.width and 0 <= j < self.height and r - thick <= d <= r:
                    k = 3 * (j * self.width + i)
                    self.px[k:k + 3] = bytes(rgb)

    def line(self, x0: float, y0: float, x1: float, y1: float, rgb, width: float = 2.0,
             dash: tuple[float, float] | None = None) -> None:
        """A line ``width`` pixels wide, solid or dashed (``dash``: on, off lengths)."""
        length = max(abs(x1 - x0), abs(y1 - y0), 1.0)
        steps = int(length * 2)
        total = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        for s in range(steps + 1):
            t = s / steps
            if dash and (t * total) % (dash[0] + dash[1]) > dash[0]:
                continue
            self.dot(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, width / 2, rgb)

    def text(self, x: float, y: float, text: str, rgb, scale: int = 3, anchor: str = "left") -> None:
        """``text`` (digits, ``.``, ``-``, ``%``) with its top at ``y``; ``anchor``
        left, right or middle at ``x``."""
        width = (4 * len(text) - 1) * scale
        left = x - width if anchor == "right" else x - width / 2 if anchor == "middle" else x
        for n, ch in enumerate(text):
            for j, row in enumerate(GLYPHS.get(ch, ("000",) * 5)):
                for i, on in enumerate(row):
                    if on == "1":
                        for dj in range(scale):
                            for di in range(scale):
                                px, py = int(left + (4 * n + i) * scale + di), int(y + j * scale + dj)
                                if 0 <= px < self.width and 0 <= py < self.height:
                                    k = 3 * (py * self.width + px)
                                    self.px[k:k + 3] = bytes(rgb)

    def png(self) -> bytes:
        w = self.width * 3
        raw = b"".join(b"\x00" + bytes(self.px[j * w:(j + 1) * w]) for j in range(self.height))
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9))
                + _chunk(b"IEND", b""))


def trend(series: list[tuple[float, float]], path: list[tuple[float, float]], target: tuple[float, float] | None,
          frame: dict, width: int = 640, height: int = 300) -> bytes:
    """A progress chart as a PNG: the realized ``series`` (points joined by
    a line), the straight ``path`` from the base to the target (dashed) and
    the ``target`` (a ring), each a (year, value), on the axes of ``frame``
    (``first``, ``last`` years; ``lo``, ``hi``, ``step`` values: a grid line
    at every step, its value written at the left; the years written below).
    What each mark is, the document's text says beside it."""
    def label(v: float) -> str:
        return f"{round(v, 4):g}"

    left = 16 + 12 * max(len(label(frame["lo"])), len(label(frame["hi"])))
    right, top, bottom = 26, 14, 34
    x0, x1, y0, y1 = left, width - right, top, height - bottom
    first, last, lo, hi = frame["first"], frame["last"], frame["lo"], frame["hi"]

    def x(year: float) -> float:
        return x0 + (year - first) / ((last - first) or 1) * (x1 - x0)

    def y(v: float) -> float:
        return y1 - (v - lo) / ((hi - lo) or 1) * (y1 - y0)

    c = Canvas(width, height)
    v = lo
    while v <= hi + 1e-9:
        c.line(x0, y(v), x1, y(v), GRID, 1)
        c.text(x0 - 8, y(v) - 7, label(v), AXIS, anchor="right")
        v += frame["step"]
    every = max(1, -(-(int(last) - int(first)) // 6))  # at most seven years written
    written = set(range(int(first), int(last) + 1, every))
    if int(last) not in written:  # the last year (the target's) written in place of the step's year before it
        written = (written - {max(written)}) | {int(last)}
    for year in range(int(first), int(last) + 1):
        c.line(x(year), y1, x(year), y1 + 4, AXIS, 1)
        if year in written:
            c.text(x(year), y1 + 10, str(year), AXIS, anchor="middle")
    c.line(x0, y1, x1, y1, AXIS, 1.5)
    c.line(x0, y0, x0, y1, AXIS, 1.5)
    for (ya, va), (yb, vb) in zip(path, path[1:]):
        c.line(x(ya), y(va), x(yb), y(vb), PATH, 2, dash=(8, 6))
    if target is not None:
        c.ring(x(target[0]), y(target[1]), 7, TARGET, 2.5)
    for (ya, va), (yb, vb) in zip(series, series[1:]):
        c.line(x(ya), y(va), x(yb), y(vb), SERIES, 2.5)
    for ya, va in series:
        c.dot(x(ya), y(va), 4, SERIES)
    return c.png()
