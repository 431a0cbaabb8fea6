"""Files for the upload tests, built in memory: good documents of every allowed type and the bad ones a probe
would try (HTML, SVG, JavaScript, programs, archives, macro documents)."""

from __future__ import annotations

import io
import struct
import zipfile

from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>localStorage.setItem('pwned', '1'); alert('pwned')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("pwned")</script></svg>'
JS = b"localStorage.setItem('pwned', '1'); alert(document.cookie);\n"
XML = b'<?xml version="1.0"?><order><signed>yes</signed></order>'
TEXT = "Отчёт: урок проведён.\n".encode()
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>'
)


def png() -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(stream, "PNG")
    return stream.getvalue()


def jpeg() -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(stream, "JPEG")
    return stream.getvalue()


def zip_of(entries: list[tuple[str, bytes | str]], *, stored_first: bool = False) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            compression = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
    return stream.getvalue()


def ooxml(main_part: str, *, first: str = "[Content_Types].xml", macros: bool = False) -> bytes:
    """An Office Open XML package; `first` is the entry written first (libmagic alone looks at the order)."""
    entries = {"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": "<Relationships/>", main_part: "<x/>"}
    order = [first, *(name for name in entries if name != first)]
    parts = [(name, entries[name]) for name in order]
    if macros:
        parts.append((main_part.split("/")[0] + "/vbaProject.bin", b"\x00vba"))
    return zip_of(parts)


def odf(kind: str) -> bytes:
    return zip_of(
        [("mimetype", f"application/vnd.oasis.opendocument.{kind}"), ("content.xml", "<office:document-content/>")],
        stored_first=True,
    )


_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(name: str, kind: int, *, child: int = _NOSTREAM, start: int = _END, size: int = 0) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    colour = 1 if kind else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ", raw, len(raw), kind, colour, _NOSTREAM, _NOSTREAM, child, b"\0" * 16, 0, 0, 0, start, size
    )


def compound_file(stream_name: str, payload: bytes = b"") -> bytes:
    """A minimal OLE compound file (the container of .doc and .xls) with one stream: «WordDocument» makes it a
    Word document for libmagic, «Workbook» an Excel one. FAT sectors, the stream, then the directory."""
    payload = payload.ljust(4096, b"\0")
    sectors = -(-len(payload) // 512)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + sectors + 1:
        fat_sectors += 1
    first, directory_sector = fat_sectors, fat_sectors + sectors
    fat = [_FATSECT] * fat_sectors + [first + i + 1 for i in range(sectors - 1)] + [_END, _END]
    fat += [_FREE] * (fat_sectors * 128 - len(fat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("d0cf11e0a1b11ae1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_sectors,
        directory_sector,
        0,
        4096,
        _END,
        0,
        _END,
        0,
    )
    header += struct.pack("<109I", *range(fat_sectors), *([_FREE] * (109 - fat_sectors)))
    directory = _directory_entry("Root Entry", 5, child=1)
    directory += _directory_entry(stream_name, 2, start=first, size=len(payload))
    directory += _directory_entry("", 0) * 2
    return header + struct.pack(f"<{len(fat)}I", *fat) + payload.ljust(sectors * 512, b"\0") + directory
