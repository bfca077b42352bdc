"""English Indices of Deprivation 2019 (File 2: ranks and deciles by 2011 LSOA).

Scores need deprivation per 2021 LSOA (the LSOAs of ``areas``). The ONS best-fit
lookup (``LSOA11CD, LSOA21CD``) maps each 2011 LSOA to one 2021 LSOA:

- one 2011 LSOA to a 2021 LSOA: its values (``same`` code, or ``best_fit``);
- several 2011 LSOAs merged into one: the mean of their ranks, decile from that rank;
- a 2021 LSOA split off without a best-fit row of its own: the values of the nearest
  LSOA (by boundary) in the same MSOA (the name without its last letter), flagged
  ``neighbour``; with no such LSOA it has no deprivation (and vulnerability for its
  output areas stays unknown rather than guessed).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path

from django.db import connection, transaction

from areas.importers.base import Errors, ImportSummary, Progress, no_progress, parse_int, read_csv
from areas.models import Lsoa

from ..models import LsoaDeprivation

# Ranks are out of England's 32,844 LSOAs (IoD2019).
LSOAS_IN_ENGLAND = 32_844
GSS_LSOA = re.compile(r"^E01\d{6}$")
CODE = "LSOA code (2011)"
IMD_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
DOMAINS = {
    "income_rank": "Income Rank (where 1 is most deprived)",
    "employment_rank": "Employment Rank (where 1 is most deprived)",
    "education_rank": "Education, Skills and Training Rank (where 1 is most deprived)",
    "health_rank": "Health Deprivation and Disability Rank (where 1 is most deprived)",
    "crime_rank": "Crime Rank (where 1 is most deprived)",
    "housing_rank": "Barriers to Housing and Services Rank (where 1 is most deprived)",
    "environment_rank": "Living Environment Rank (where 1 is most deprived)",
}
LOOKUP_11, LOOKUP_21 = "LSOA11CD", "LSOA21CD"
FIELDS = ("imd_rank", "imd_decile", *DOMAINS, "lsoa11_codes", "method")


def decile_of(rank: float) -> int:
    """The national decile of a rank (1 = the most deprived 10%)."""
    return min(10, max(1, math.ceil(rank * 10 / LSOAS_IN_ENGLAND)))


def read_iod(path: Path, errors: Errors) -> dict[str, dict[str, float | int | None]]:
    rows: dict[str, dict] = {}
    lines: dict[str, int] = {}
    for line, row in read_csv(path, errors, required=(CODE, IMD_RANK, IMD_DECILE)):
        code = row[CODE].strip()
        if not GSS_LSOA.match(code):
            errors.add(path, line, CODE, f"{row[CODE]!r} is not an English LSOA code")
            continue
        if code in lines:
            errors.add(path, line, CODE, f"{code} appears more than once (also line {lines[code]})")
            continue
        lines[code] = line
        rank = parse_int(row[IMD_RANK], errors, path, line, IMD_RANK, minimum=1)
        decile = parse_int(row[IMD_DECILE], errors, path, line, IMD_DECILE, minimum=1)
        if decile is not None and decile > 10:
            errors.add(path, line, IMD_DECILE, f"{decile} is not a decile (1 to 10)")
            continue
        if rank is not None and rank > LSOAS_IN_ENGLAND:
            errors.add(path, line, IMD_RANK, f"{rank} is more than {LSOAS_IN_ENGLAND} LSOAs")
            continue
        values: dict[str, float | int | None] = {"imd_rank": rank, "imd_decile": decile}
        for field, column in DOMAINS.items():
            text = row.get(column, "").strip()
            values[field] = parse_int(text, errors, path, line, column, minimum=1) if text else None
        if rank is not None and decile is not None:
            rows[code] = values
    return rows


def read_lookup(path: Path, errors: Errors) -> dict[str, str]:
    """2011 LSOA -> 2021 LSOA (best fit: one row per 2011 LSOA)."""
    lookup: dict[str, str] = {}
    for line, row in read_csv(path, errors, required=(LOOKUP_11, LOOKUP_21)):
        old, new = row[LOOKUP_11].strip(), row[LOOKUP_21].strip()
        for column, code in ((LOOKUP_11, old), (LOOKUP_21, new)):
            if not GSS_LSOA.match(code):
                errors.add(path, line, column, f"{code!r} is not an English LSOA code")
        if old in lookup:
            errors.add(path, line, LOOKUP_11, f"{old} appears more than once")
        elif GSS_LSOA.match(old) and GSS_LSOA.match(new):
            lookup[old] = new
    return lookup


def _combine(codes: list[str], iod: dict[str, dict]) -> dict:
    if len(codes) == 1:
        return dict(iod[codes[0]])
    values: dict = {}
    for field in ("imd_rank", *DOMAINS):
        known = [iod[c][field] for c in codes if iod[c][field] is not None]
        values[field] = sum(known) / len(known) if known else None
    values["imd_decile"] = decile_of(values["imd_rank"])
    return values


def _fill_from_neighbours(cursor) -> int:
    """2021 LSOAs still without values take their nearest same-MSOA neighbour's."""
    domain_columns = ", ".join(DOMAINS)
    cursor.execute(
        f"""
        INSERT INTO targeting_lsoadeprivation
               (lsoa_id, imd_rank, imd_decile, {domain_columns}, lsoa11_codes, method, edition)
        SELECT l.id, n.imd_rank, n.imd_decile, {", ".join("n." + c for c in DOMAINS)},
               n.lsoa11_codes, %s, n.edition
          FROM areas_lsoa l
          CROSS JOIN LATERAL (
                SELECT d.* FROM targeting_lsoadeprivation d
                  JOIN areas_lsoa near ON near.id = d.lsoa_id
                 WHERE d.method <> %s AND length(l.name) > 1
                   AND left(near.name, -1) = left(l.name, -1)
                 ORDER BY near.boundary <-> l.boundary, near.code
                 LIMIT 1) n
         WHERE NOT EXISTS (SELECT 1 FROM targeting_lsoadeprivation x WHERE x.lsoa_id = l.id)
        """,  # noqa: S608 - column names are ours
        [LsoaDeprivation.Method.NEIGHBOUR, LsoaDeprivation.Method.NEIGHBOUR],
    )
    return cursor.rowcount


@transaction.atomic
def import_deprivation(
    path: Path, *, lookup: Path, progress: Progress = no_progress
) -> ImportSummary:
    """Import IoD2019 File 2 for the 2021 LSOAs we have; all or nothing."""
    errors = Errors()
    path, lookup = Path(path), Path(lookup)
    iod = read_iod(path, errors)
    old_to_new = read_lookup(lookup, errors)
    lsoas = dict(Lsoa.objects.values_list("code", "id"))
    if not lsoas:
        errors.add(path, None, "", "no LSOAs yet: import the LSOA boundaries first")
    errors.raise_if_any()

    summary = ImportSummary()
    sources: dict[str, list[str]] = defaultdict(list)
    not_in_lookup = []
    for old in sorted(iod):
        new = old_to_new.get(old)
        if new is None:
            not_in_lookup.append(old)
        elif new in lsoas:
            sources[new].append(old)
    if not_in_lookup:
        summary.warnings.append(
            f"{len(not_in_lookup)} 2011 LSOAs are not in the lookup; skipped "
            f"({', '.join(not_in_lookup[:5])}{', ...' if len(not_in_lookup) > 5 else ''})"
        )
    wanted: dict[int, dict] = {}
    for new, olds in sources.items():
        values = _combine(olds, iod)
        if len(olds) > 1:
            method = LsoaDeprivation.Method.MERGED
        elif olds[0] == new:
            method = LsoaDeprivation.Method.SAME
        else:
            method = LsoaDeprivation.Method.BEST_FIT
        wanted[lsoas[new]] = values | {"lsoa11_codes": ",".join(olds), "method": method}

    progress(0, None, "saving deprivation")
    existing = {d.lsoa_id: d for d in LsoaDeprivation.objects.all()}
    to_create, to_update = [], []
    for lsoa_id, values in wanted.items():
        current = existing.pop(lsoa_id, None)
        if current is None:
            to_create.append(LsoaDeprivation(lsoa_id=lsoa_id, **values))
        elif any(getattr(current, f) != values[f] for f in FIELDS):
            for field, value in values.items():
                setattr(current, field, value)
            to_update.append(current)
        else:
            summary.unchanged += 1
    # Neighbour values are derived: recomputed on every import, compared with before.
    before = {
        d.lsoa_id: tuple(getattr(d, f) for f in FIELDS)
        for d in existing.values()
        if d.method == LsoaDeprivation.Method.NEIGHBOUR
    }
    LsoaDeprivation.objects.filter(pk__in=[d.pk for d in existing.values()]).delete()
    LsoaDeprivation.objects.bulk_create(to_create)
    LsoaDeprivation.objects.bulk_update(to_update, list(FIELDS))
    summary.imported += len(to_create)
    summary.updated += len(to_update)
    with connection.cursor() as cursor:
        filled = _fill_from_neighbours(cursor)
    for d in LsoaDeprivation.objects.filter(method=LsoaDeprivation.Method.NEIGHBOUR):
        previous = before.get(d.lsoa_id)
        if previous is None:
            summary.imported += 1
        elif previous != tuple(getattr(d, f) for f in FIELDS):
            summary.updated += 1
        else:
            summary.unchanged += 1
    if filled:
        summary.warnings.append(
            f"{filled} LSOAs (2021) have no 2011 best-fit row: given the values of their "
            "nearest LSOA in the same MSOA"
        )
    missing = len(lsoas) - len(wanted) - filled
    if missing:
        summary.warnings.append(f"{missing} LSOAs have no deprivation data")
    return summary
