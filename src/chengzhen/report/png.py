"""A one-colour PNG, written with the standard library alone (zlib, struct):
the bars of a report's charts (report/docx.py).  A bar is a picture of
its own, sized in the document; its label and value stay text beside it,
in the document's font — no font rasterising, no image library."""

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
