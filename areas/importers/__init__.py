"""File formats in: validated, all-or-nothing, safe to repeat.

Every importer validates every row and raises :class:`ImportRejected` listing every
problem (line, column, reason) before anything is kept; it writes inside one
transaction, so a rejected file leaves the database as it was; and it compares with
what is stored, so importing the same file again changes nothing.
"""

from .base import ImportRejected, ImportSummary, RowError

__all__ = ["ImportRejected", "ImportSummary", "RowError"]
