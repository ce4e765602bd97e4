"""The one helper every export saves through: text stays text, whatever it starts with."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from qualityfund.core.common.exports import xlsx_bytes
from tests.spreadsheets import HOSTILE, assert_inert, formulas, texts

LEGAL = st.text(min_size=1).filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t))


def _book(values) -> Workbook:
    book = Workbook()
    book.active.append(list(values))
    book.create_sheet("第二页")["B2"] = values[0]
    return book


def test_without_the_helper_the_attack_is_a_formula():
    """The attack as it was: openpyxl writes text starting with = as a live formula."""
    book, buffer = _book(HOSTILE), io.BytesIO()
    book.save(buffer)
    assert formulas(buffer.getvalue())


def test_every_attack_is_written_as_text_intact():
    content = xlsx_bytes(_book(HOSTILE))
    assert_inert(content, HOSTILE)
    assert texts(content) == set(HOSTILE)


@settings(max_examples=60, deadline=None)
@given(st.lists(LEGAL, min_size=1, max_size=5), st.sampled_from("=+-@\t\r"))
def test_any_text_reads_back_as_written_and_never_as_a_formula(values, start):
    values = [start + values[0], *values[1:]]
    content = xlsx_bytes(_book(values))
    assert formulas(content) == []
    assert texts(content) == set(values)


def test_numbers_stay_numbers():
    content = xlsx_bytes(_book(["=1", -5, 3.5]))
    row = [c.value for c in load_workbook(io.BytesIO(content)).active[1]]
    assert row == ["=1", -5, 3.5]
