"""Spreadsheets that carry text, never formulas.

Excel reads a cell whose text starts with ``=`` as a formula, and one that starts with ``+``,
``-``, ``@``, a tab or a carriage return as one too once somebody edits it or saves it as
CSV (CSV/formula injection, OWASP): an organisation named ``=HYPERLINK("http://x","y")``
became a live link in the bureau's exports. Every export is saved through
:func:`xlsx_bytes`, which types every text cell as a string and gives those that start with
such a character Excel's quote prefix, so they stay text even when edited; the text itself
is kept as it was.
"""

import io

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(book: Workbook) -> Workbook:
    """Every text cell of ``book`` typed as text, never as a formula."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True
    return book


def xlsx_bytes(book: Workbook) -> bytes:
    """The workbook as an .xlsx file, its text as text."""
    buffer = io.BytesIO()
    as_text(book).save(buffer)
    return buffer.getvalue()
