"""``download_name``: whatever the uploader called the file, the download name is harmless."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.filenames import EXTENSIONS, MAX_NAME_CHARS, download_name

KINDS = st.sampled_from([*EXTENSIONS, None])


@given(st.text(max_size=400), KINDS)
def test_no_folder_no_invisible_character_and_the_real_type_s_extension(name, kind):
    result = download_name(name, kind)
    assert result and "/" not in result and "\\" not in result
    assert all(unicodedata.category(c) not in {"Cc", "Cf", "Zl", "Zp"} for c in result)
    assert result.lower().endswith(EXTENSIONS.get(kind, (".bin",)))
    assert not result.startswith(".")
    assert len(result) <= MAX_NAME_CHARS + len(".xlsx")


@given(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=60), KINDS)
def test_an_ordinary_name_of_the_right_type_is_kept_as_it_is(stem, kind):
    extension = EXTENSIONS.get(kind, (".bin",))[0]
    assert download_name(stem + extension, kind) == stem + extension


@pytest.mark.parametrize(("name", "kind", "expected"), [
    ("报告.PDF", "pdf", "报告.PDF"),
    ("照片.jpeg", "jpg", "照片.jpeg"),
    ("x.html", "pdf", "x.html.pdf"),
    ("..\\..\\windows\\报告.pdf", "pdf", "报告.pdf"),
    ("/etc/passwd", "png", "passwd.png"),
    ("invoice\u202efdp.exe", "pdf", "invoicefdp.exe.pdf"),
    ("a\r\nContent-Type: text\\html.pdf", "pdf", "html.pdf"),
    ("质量\r\n报告\x00.pdf", "pdf", "质量报告.pdf"),
    ("...", "pdf", "文件.pdf"),
    ("", None, "文件.bin"),
])
def test_examples(name, kind, expected):
    assert download_name(name, kind) == expected
