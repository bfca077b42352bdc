"""CSV cells that a spreadsheet would run as a formula are written as text."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.spreadsheet import cell, writer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"]
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(text):
    assert cell(text) == "'" + text


def test_a_phone_number_stays_text():
    assert cell("+447700900555") == "'+447700900555"


@pytest.mark.parametrize("value", ["-0.25", "12", "-7", "0.5", "[c]", "Riverside", ""])
def test_numbers_and_plain_text_are_left_alone(value):
    assert cell(value) == value


def test_python_numbers_and_none_are_left_alone():
    assert (cell(-3), cell(1.5), cell(None)) == (-3, 1.5, "")


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_no_cell_written_starts_like_a_formula_unless_it_is_a_number(row):
    out = io.StringIO()
    writer(out).writerow(row)

    (read,) = csv.reader(io.StringIO(out.getvalue()))
    for original, written in zip(row, read, strict=True):
        if written.startswith(FORMULA_STARTS):
            assert written.startswith("-")  # only a negative number may
            float(written)
        assert written in (original, "'" + original)
