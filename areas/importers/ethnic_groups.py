"""Census 2021 ethnic group (TS021) per MSOA, in the Nomis bulk layout, and the link of
each LSOA to its MSOA.

The file has ``geography`` (the MSOA name), ``geography code`` (E02...), the total of
usual residents and the 24 categories of ``areas.census`` under their Nomis labels
("Ethnic group: White: Irish"). Within a row the five high-level groups add up to the
total and each one's detailed groups to it, as ONS publishes them; a row that does not
is reported. MSOAs of no LSOA of ours (another force's) are skipped with a warning.

There is no OA-level TS021: an LSOA belongs to the MSOA whose name is its own less the
final letter ("Kingston upon Hull 025A" is in "Kingston upon Hull 025"), and an output
area to its LSOA's MSOA. All-or-nothing; the same file again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from areas.census import ETHNIC_CATEGORIES, HIGH_LEVEL, TOTAL_COLUMN, details_of
from areas.models import Lsoa, Msoa

from .base import Errors, ImportSummary, Progress, no_progress, parse_int, read_csv, skipped

NAME_COLUMN = "geography"
CODE_COLUMN = "geography code"
REQUIRED = (NAME_COLUMN, CODE_COLUMN, TOTAL_COLUMN, *(c.column for c in ETHNIC_CATEGORIES))
MSOA_CODE = re.compile(r"^[EW]02\d{6}$")
# An LSOA 2021 name: its MSOA's name and one capital letter.
LSOA_NAME = re.compile(r"^(?P<msoa>.+\d{3})[A-Z]$")


@dataclass(frozen=True)
class MsoaRow:
    code: str
    name: str
    total: int
    groups: dict[str, int]
    line: int


def _counts(path: Path, errors: Errors, line: int, row: dict[str, str]) -> dict[str, int] | None:
    """The total (key "") and every category's count; None when one is not a count."""
    values = {"": parse_int(row[TOTAL_COLUMN], errors, path, line, TOTAL_COLUMN, minimum=0)}
    for category in ETHNIC_CATEGORIES:
        values[category.key] = parse_int(
            row[category.column], errors, path, line, category.column, minimum=0
        )
    if any(v is None for v in values.values()):
        return None
    return values


def _sums_agree(path: Path, errors: Errors, line: int, counts: dict[str, int]) -> bool:
    """The high-level groups add up to the total, and each one's detailed groups to it."""
    agree = True
    high = sum(counts[c.key] for c in HIGH_LEVEL)
    if high != counts[""]:
        errors.add(
            path, line, TOTAL_COLUMN,
            f"{counts['']} is not the sum of the five high-level groups ({high})",
        )  # fmt: skip
        agree = False
    for group in HIGH_LEVEL:
        detail = sum(counts[c.key] for c in details_of(group.key))
        if detail != counts[group.key]:
            errors.add(
                path, line, group.column,
                f"{counts[group.key]} is not the sum of its detailed groups ({detail})",
            )  # fmt: skip
            agree = False
    return agree


def read_ts021(path: Path, errors: Errors) -> dict[str, MsoaRow]:
    """MSOA code -> its row, every bad row reported with its line, column and reason."""
    rows: dict[str, MsoaRow] = {}
    for line, row in read_csv(path, errors, required=REQUIRED):
        code, name = row[CODE_COLUMN].strip(), " ".join(row[NAME_COLUMN].split())
        counts = _counts(path, errors, line, row)
        if not MSOA_CODE.match(code):
            errors.add(
                path, line, CODE_COLUMN, f"{row[CODE_COLUMN]!r} is not an MSOA code (E02...)"
            )
        elif code in rows:
            errors.add(
                path,
                line,
                CODE_COLUMN,
                f"{code} appears more than once (also line {rows[code].line})",
            )
        elif not name:
            errors.add(path, line, NAME_COLUMN, f"{code} has no name")
        elif counts is not None and _sums_agree(path, errors, line, counts):
            total = counts.pop("")
            rows[code] = MsoaRow(code, name, total, counts, line)
    return rows


def _lsoas_by_msoa_name() -> dict[str, list[Lsoa]]:
    found: dict[str, list[Lsoa]] = {}
    for lsoa in Lsoa.objects.only("pk", "name", "msoa_id"):
        match = LSOA_NAME.match(lsoa.name.strip())
        if match:
            found.setdefault(match["msoa"], []).append(lsoa)
    return found


@transaction.atomic
def import_ethnic_groups(path: Path, *, progress: Progress = no_progress) -> ImportSummary:
    """Import TS021 for the MSOAs of our LSOAs, and link each LSOA to its MSOA.

    The summary counts MSOAs; its warnings name the rows skipped and LSOAs left
    without an MSOA.
    """
    path = Path(path)
    errors = Errors()
    rows = read_ts021(path, errors)
    lsoas = _lsoas_by_msoa_name()
    if not lsoas:
        errors.add(path, None, "", "no LSOAs with names yet: import the LSOA boundaries first")
    errors.raise_if_any()

    summary = ImportSummary()
    ours = {code: row for code, row in rows.items() if row.name in lsoas}
    if len(ours) < len(rows):
        others = [code for code in rows if code not in ours]
        summary.warnings.append(
            skipped(f"rows of {path.name} are MSOAs with no LSOA of the force", others)
        )
    existing = {m.code: m for m in Msoa.objects.filter(code__in=list(ours))}
    progress(0, len(ours), "saving MSOAs")
    msoa_ids: dict[str, int] = {}
    for row in ours.values():
        values = {"name": row.name, "usual_residents": row.total, "ethnic_groups": row.groups}
        current = existing.get(row.code)
        if current is None:
            current = Msoa.objects.create(code=row.code, source=path.name, **values)
            summary.imported += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            current.source = path.name
            current.save(update_fields=[*values, "source"])
            summary.updated += 1
        else:
            summary.unchanged += 1
        msoa_ids[row.name] = current.pk
    _link(lsoas, msoa_ids, summary)
    progress(len(ours), len(ours), "saving MSOAs")
    return summary


def _link(lsoas: dict[str, list[Lsoa]], msoa_ids: dict[str, int], summary: ImportSummary) -> None:
    """Each LSOA to the MSOA its name belongs to (only LSOAs whose MSOA is in the file)."""
    changed = []
    for name, members in lsoas.items():
        msoa_id = msoa_ids.get(name)
        for lsoa in members:
            if msoa_id is not None and lsoa.msoa_id != msoa_id:
                lsoa.msoa_id = msoa_id
                changed.append(lsoa)
    Lsoa.objects.bulk_update(changed, ["msoa"], batch_size=1000)
    unlinked = Lsoa.objects.filter(msoa__isnull=True).count()
    if unlinked:
        summary.warnings.append(f"{unlinked} LSOAs have no MSOA with ethnic group data")
