"""Reading an export back as the bureau's Excel would: which cells are formulas, and all text."""

import io
import re
import zipfile

from openpyxl import load_workbook

# What an attacker types into a name, a project or a reason (OWASP's CSV-injection payloads):
# each starts with one of = + - @ tab CR.
HOSTILE = ('=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1")


def formulas(content: bytes) -> list[str]:
    """Every formula element in the workbook's sheets, as Excel would see them."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return [match for name in book.namelist() if name.startswith("xl/worksheets/")
                for match in re.findall(r"<f[ >].*?</f>|<f/>", book.read(name).decode())]


def texts(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {cell.value for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if isinstance(cell.value, str)}


def assert_inert(content: bytes, expected) -> None:
    """No cell is a formula; each expected text is there as it was written."""
    book = load_workbook(io.BytesIO(content))
    assert formulas(content) == []
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows()
               for cell in row)
    found = texts(content)
    missing = [text for text in expected if not any(text in value for value in found)]
    assert missing == [], f"not in the export as written: {missing}"
