import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from qualityfund.domain.inspection import SNIFF_BYTES, sniff_type

from . import samples


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, kind)
    return buffer.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _python_docx() -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("build", "expected"), [
    (lambda: samples.make_pdf_text(["承诺书"]), "pdf"),
    (lambda: b"\r\n\r\n" + samples.empty_pdf(), "pdf"),  # junk before the header is allowed
    (lambda: _image("JPEG"), "jpg"),
    (lambda: _image("PNG"), "png"),
    (lambda: samples.docx_bytes("正文"), "docx"),
    (_python_docx, "docx"),
    (_xlsx, "xlsx"),
    (lambda: b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41", "mp4"),
])
def test_types_are_told_from_content(build, expected):
    assert sniff_type(build()[:SNIFF_BYTES]) == expected


@pytest.mark.parametrize("head", [
    b"",
    b"GIF89a",
    b"PK\x03\x04" + b"\x00" * 26 + b"notes.txt",          # a zip that is no Office file
    b"\x00\x00\x00\x20ftypheic",                          # HEIF image, not a video
    "这不是PDF文件%PDF".encode() * 200,                      # header beyond the first KiB
    b"<html><body>%PDF-1.7</body></html>"[:6],
])
def test_other_content_is_not_accepted(head):
    assert sniff_type(head) is None


def test_a_renamed_file_keeps_its_type():
    # The upload is called 报告.pdf but is a PNG; only the bytes count.
    assert sniff_type(_image("PNG")) == "png"


@given(st.binary(max_size=2048))
def test_any_bytes_give_a_known_answer(head):
    assert sniff_type(head) in {None, "pdf", "jpg", "png", "docx", "xlsx", "mp4"}
