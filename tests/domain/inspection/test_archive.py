import pytest

from qualityfund.domain.inspection.archive import UnsafeArchive, check_archive, docx_text

from . import samples


def test_zip_bomb_is_refused_from_the_directory(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(samples.zip_bomb_docx())
    with pytest.raises(UnsafeArchive, match="压缩炸弹"):
        check_archive(str(path))


def test_total_size_limit(tmp_path):
    # A lower ceiling stands in for a multi-gigabyte archive that would be slow to build.
    path = tmp_path / "big.docx"
    path.write_bytes(samples.docx_bytes("质量" * 2000))
    with pytest.raises(UnsafeArchive, match="超过上限"):
        check_archive(str(path), max_total=1024)


def test_not_a_zip(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(UnsafeArchive, match="已损坏"):
        check_archive(str(path))


def test_docx_text_keeps_paragraphs(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(samples.docx_bytes("一、行动目标准确\n说明 <服务> & 承诺"))
    summary = check_archive(str(path))
    assert summary.entries == 3
    assert docx_text(str(path)) == "一、行动目标准确\n说明 <服务> & 承诺"
