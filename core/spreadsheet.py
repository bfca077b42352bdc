"""CSV for spreadsheets: a cell a spreadsheet would run as a formula is written as text.

Excel, LibreOffice and Google Sheets run a cell starting with ``=``, ``+``, ``-`` or
``@`` (and some a tab or carriage return, or the full-width forms) as a formula, which
can fetch URLs or run commands when the file is opened. Such a cell gets a leading
apostrophe, as OWASP advises. Negative numbers ("-0.25") are left alone: they are not
formulas, and quoting them would turn a column of changes into text. (A leading ``+``
is always quoted: it is how phone numbers start, and they should stay text.)
"""

from __future__ import annotations

import csv
import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NEGATIVE_NUMBER = re.compile(r"-[0-9]+(\.[0-9]+)?")


def cell(value: Any) -> Any:
    """The value as a safe cell: numbers as they are, None as empty, risky text quoted."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not NEGATIVE_NUMBER.fullmatch(text):
        return "'" + text
    return text


class _SafeWriter:
    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row) -> Any:
        return self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **kwargs) -> _SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`cell`: use it for every export."""
    return _SafeWriter(out, **kwargs)
