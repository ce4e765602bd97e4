"""File type from the first bytes, never from the name: an uploaded "报告.pdf" may be anything."""

import re

SNIFF_BYTES = 64 * 1024
"""How many leading bytes callers should pass: enough to see the part names of an OOXML zip."""

_PDF_HEADER_WINDOW = 1024  # PDF readers accept the header anywhere in the first 1 KiB.
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
               b"M4V ", b"M4VH", b"M4VP", b"dash", b"mmp4", b"MSNV", b"NDAS", b"f4v "}
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_PART_NAME = re.compile(rb"PK\x03\x04.{26}(word/|xl/)", re.DOTALL)


def sniff_type(head: bytes) -> str | None:
    """Return "pdf", "jpg", "png", "docx", "xlsx" or "mp4" for the leading bytes, else None.

    Word and Excel files are zips; they are told apart by the part names stored in the
    local file headers (``word/…`` or ``xl/…``), so pass at least ``SNIFF_BYTES`` bytes.
    """
    if b"%PDF-" in head[:_PDF_HEADER_WINDOW]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(_ZIP_LOCAL_HEADER):
        match = _PART_NAME.search(head)
        if match:
            return "docx" if match.group(1) == b"word/" else "xlsx"
        return None
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return "mp4"
    return None


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "mp4": "video/mp4",
}
"""The Content-Type a file of each sniffed type is served with; anything else is
``application/octet-stream``."""
