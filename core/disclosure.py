"""Disclosure control: which counts, shares and means may be shown. The one copy of the rule.

Every page, export, chart and score input that shows figures about people goes through
here (surveys builds its published results on it, accounts its membership counts,
targeting its survey inputs):

- a count is shown only when it is at least :func:`threshold` (the setting
  ``DISCLOSURE_THRESHOLD``, 10); smaller counts, zero included, are hidden;
- a share or rate only when its numerator and its denominator could both be shown (a
  share of a small count would give the count away);
- a mean only when at least :func:`threshold` values went into it;
- where a total is shown with its parts (a district and its wards, a ward and its
  streets), hiding the small parts is not enough: the total minus the parts shown would
  give a hidden part away. :func:`complementary` hides more parts, column by column;
  :func:`suppress_table` does all of it for a plain table of counts.

The threshold is read from the settings on every call, never kept in a constant, so a
deployment (or a test) that changes it changes every page at once.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

K = TypeVar("K", bound=Hashable)


def threshold() -> int:
    """The smallest count that may be shown."""
    value = settings.DISCLOSURE_THRESHOLD
    # Below 1 a zero would be shown, and shares of nobody divided by nobody.
    if not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured("DISCLOSURE_THRESHOLD must be a whole number of 1 or more.")
    return value


def allows(n: int) -> bool:
    """Whether a count of ``n`` (people, answers, members) may be shown."""
    return n >= threshold()


def count(n: int) -> int | None:
    """``n`` when it may be shown, else None."""
    return n if allows(n) else None


def share(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` when both counts may be shown, else None."""
    if not (allows(numerator) and allows(denominator)):
        return None
    return numerator / denominator


def mean(total: float, n: int) -> float | None:
    """The mean of ``n`` values adding up to ``total``, when ``n`` may be shown."""
    return total / n if allows(n) else None


# --- Complementary (secondary) suppression -------------------------------------------------


def complementary(
    parts: Sequence[Mapping[str, int]],
    *,
    total_shown: Iterable[str],
    hidden: Sequence[Collection[str]] | None = None,
) -> list[set[str]]:
    """For each of ``parts``, the columns to hide on top of those already ``hidden``, so
    that no hidden part can be worked out from a shown total and the parts shown.

    ``parts`` are the true counts of every part of a total, column by column (a column a
    part lacks counts 0), and the total of a column is their sum: a part not listed on
    the page is still a part here, with its columns hidden. ``total_shown`` names the
    columns whose total is shown (a total that is itself hidden protects its parts).
    ``hidden`` gives, per part, the columns hidden already; by default those below the
    threshold.

    Column by column, wherever some parts are hidden, the shown part with the smallest
    count is hidden too, again and again, until the hidden parts' true total is 0 (a
    zero gives nobody away), or at least two parts are hidden and their true total is
    at least the threshold. Ties go to the part given first, so every caller must give
    the parts of a total in the same order (by id, say) for pages and exports to agree.
    A part hidden this way may hold the threshold or more: never label it "fewer than".
    """
    limit = threshold()
    if hidden is None:
        hidden = [{c for c, n in part.items() if n < limit} for part in parts]
    assert len(hidden) == len(parts)
    extra: list[set[str]] = [set() for _ in parts]
    for column in total_shown:

        def value(i: int, column: str = column) -> int:
            return parts[i].get(column, 0)

        while True:
            out = [i for i in range(len(parts)) if column in hidden[i] or column in extra[i]]
            remainder = sum(value(i) for i in out)
            if remainder == 0 or (len(out) >= 2 and remainder >= limit):
                break
            candidates = [i for i in range(len(parts)) if i not in out]
            if not candidates:
                break
            extra[min(candidates, key=lambda i: (value(i), i))].add(column)
    return extra


@dataclass(frozen=True)
class Table(Generic[K]):
    """A table of counts as it may be shown: None where a cell is hidden."""

    total: dict[str, int | None]
    parts: dict[K, dict[str, int | None]]


def suppress_table(
    parts: Mapping[K, Mapping[str, int]],
    *,
    columns: Sequence[str] | None = None,
    total_hidden: Collection[str] = (),
) -> Table[K]:
    """What may be shown of a table of counts with its total row.

    ``parts`` maps each part (a ward id, a street id...) to its counts by column (a
    community group, a kind of contact...); give every part of the total, in a stable
    order, which breaks ties. The total of each column is the sum of the parts. A cell
    is shown when it is at least the threshold and complementary suppression leaves it;
    the total when it is at least the threshold and not in ``total_hidden`` (columns the
    page hides anyway, such as those the table above this one had to hide).

    ``columns`` defaults to every column any part has, in the order first seen.

    For example, members in each community group per ward of a district::

        suppress_table({ward.pk: {"faith": 23, "youth": 4}, other.pk: {"faith": 31}})
    """
    keys = list(parts)
    if columns is None:
        columns = list(dict.fromkeys(c for key in keys for c in parts[key]))
    rows = [{c: parts[key].get(c, 0) for c in columns} for key in keys]
    totals = {c: sum(row[c] for row in rows) for c in columns}
    shown_total = {c: count(n) if c not in total_hidden else None for c, n in totals.items()}
    extra = complementary(rows, total_shown=[c for c in columns if shown_total[c] is not None])
    return Table(
        total=shown_total,
        parts={
            key: {c: None if c in extra[i] else count(n) for c, n in row.items()}
            for i, (key, row) in enumerate(zip(keys, rows, strict=True))
        },
    )
