"""OS Code-Point Open: one CSV per postcode area, no header row, EPSG:27700 metres."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import Point
from django.db import connection, transaction

from areas.models import BNG, Area, Postcode
from areas.selectors import normalise_postcode

from .base import (
    Errors,
    ImportSummary,
    Progress,
    check_easting_northing,
    no_progress,
    parse_int,
    read_csv,
)

# Doc/Code-Point_Open_Column_Headers.csv
COLUMNS = ("PC", "PQ", "EA", "NO", "CY", "RH", "LH", "CC", "DC", "WC")
GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
NO_GRID_REFERENCE = 90  # positional quality 90: no coordinates
BATCH = 2000


@dataclass
class Row:
    source: str
    line: int
    code: str
    quality: int
    x: int
    y: int
    district_code: str
    ward_code: str


def read_postcodes(
    paths: Sequence[Path], errors: Errors, progress: Progress
) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    warnings: list[str] = []
    seen: dict[str, tuple[str, int]] = {}
    for path in paths:
        for line, raw in read_csv(path, errors, fieldnames=COLUMNS):
            code = normalise_postcode(raw["PC"])
            if code is None:
                errors.add(path, line, "PC", f"{raw['PC']!r} is not a UK postcode")
                continue
            quality = parse_int(raw["PQ"], errors, path, line, "PQ", minimum=0)
            x = parse_int(raw["EA"], errors, path, line, "EA", minimum=0)
            y = parse_int(raw["NO"], errors, path, line, "NO", minimum=0)
            if quality is None or x is None or y is None:
                continue
            if quality == NO_GRID_REFERENCE and x == 0 and y == 0:
                warnings.append(f"{path.name} line {line}: {code} has no grid reference; skipped")
                continue
            reason = check_easting_northing(x, y) if (x or y) else "the grid reference is 0, 0"
            if reason:
                errors.add(path, line, "EA", reason)
                continue
            district, ward = raw["DC"].strip(), raw["WC"].strip()
            if district and not GSS_CODE.match(district):
                errors.add(path, line, "DC", f"{district!r} is not an ONS (GSS) code")
                continue
            if ward and not GSS_CODE.match(ward):
                errors.add(path, line, "WC", f"{ward!r} is not an ONS (GSS) code")
                continue
            if code in seen:
                first = seen[code]
                errors.add(
                    path, line, "PC", f"{code} already appears in {first[0]} line {first[1]}"
                )
                continue
            seen[code] = (path.name, line)
            rows.append(Row(path.name, line, code, quality, x, y, district, ward))
            if line % 1000 == 0:
                progress(len(rows), None, f"reading {path.name}")
    return rows, warnings


@transaction.atomic
def import_postcodes(paths: Sequence[Path], *, progress: Progress = no_progress) -> ImportSummary:
    """Import Code-Point Open postcodes.

    Postcodes in a district of the force get the ward their ``WC`` column names (which
    must be a ward we have); others are kept without a ward, so the lookup can say
    "outside the force area". Each point is then checked against its ward's polygon and
    every mismatch is reported as a warning.
    """
    errors = Errors()
    paths = [Path(p) for p in paths]
    rows, warnings = read_postcodes(paths, errors, progress)
    wards = {a.code: a for a in Area.objects.filter(level=Area.Level.WARD).select_related("parent")}
    districts = set(Area.objects.filter(level=Area.Level.DISTRICT).values_list("code", flat=True))
    if not districts:
        errors.add(paths[0], None, "", "no districts yet: import the boundaries first")
    ward_of: dict[str, int | None] = {}
    for row in rows:
        if row.district_code not in districts:
            ward_of[row.code] = None
            continue
        ward = wards.get(row.ward_code)
        if ward is None:
            errors.add(
                row.source,
                row.line,
                "WC",
                f"{row.ward_code!r} is not a ward of the force: "
                "import the current ward boundaries first",
            )
            continue
        if ward.parent.code != row.district_code:
            warnings.append(
                f"{row.source} line {row.line}: {row.code} ward {ward.code} is in "
                f"{ward.parent.code}, not {row.district_code}"
            )
        ward_of[row.code] = ward.pk
    errors.raise_if_any()

    summary = ImportSummary(warnings=warnings)
    existing = {
        p.code: p
        for p in Postcode.objects.only(
            "code", "point", "positional_quality", "district_code", "ward_code", "ward_id"
        ).iterator(chunk_size=5000)
    }
    to_create: list[Postcode] = []
    to_update: list[Postcode] = []
    for number, row in enumerate(rows, start=1):
        point = Point(row.x, row.y, srid=BNG)
        values = {
            "outward": row.code.split(" ")[0],
            "point": point,
            "positional_quality": row.quality,
            "district_code": row.district_code,
            "ward_code": row.ward_code,
            "ward_id": ward_of[row.code],
        }
        current = existing.get(row.code)
        if current is None:
            to_create.append(Postcode(code=row.code, **values))
        elif (
            current.point.x != row.x
            or current.point.y != row.y
            or current.positional_quality != row.quality
            or current.district_code != row.district_code
            or current.ward_code != row.ward_code
            or current.ward_id != values["ward_id"]
        ):
            for key, value in values.items():
                setattr(current, key, value)
            to_update.append(current)
        else:
            summary.unchanged += 1
        if number % 2000 == 0:
            progress(number, len(rows), "comparing")
    _copy_new(to_create, progress)
    fields = ["outward", "point", "positional_quality", "district_code", "ward_code", "ward"]
    for start in range(0, len(to_update), BATCH):
        Postcode.objects.bulk_update(to_update[start : start + BATCH], fields)
    summary.imported, summary.updated = len(to_create), len(to_update)
    summary.warnings += _polygon_mismatches({r.code: r for r in rows})
    return summary


def _copy_new(postcodes: list[Postcode], progress: Progress) -> None:
    """Insert new postcodes with COPY: a national file is 1.7 million rows."""
    columns = (
        "code",
        "outward",
        "point",
        "positional_quality",
        "district_code",
        "ward_code",
        "ward_id",
    )
    with connection.cursor() as cursor:
        sql = f"COPY areas_postcode ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for number, p in enumerate(postcodes, start=1):
                copy.write_row(
                    (
                        p.code,
                        p.outward,
                        f"SRID={BNG};POINT({p.point.x} {p.point.y})",
                        p.positional_quality,
                        p.district_code,
                        p.ward_code,
                        p.ward_id,
                    )
                )
                if number % 5000 == 0:
                    progress(number, len(postcodes), "saving new postcodes")


def _polygon_mismatches(rows: dict[str, Row]) -> list[str]:
    """Postcodes whose point lies outside the polygon of the ward their file names."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.code, stated.code,
                   (SELECT w.code FROM areas_area w
                     WHERE w.level = 'ward' AND ST_Covers(w.boundary, p.point) LIMIT 1)
              FROM areas_postcode p
              JOIN areas_area stated ON stated.id = p.ward_id
             WHERE p.code = ANY(%s) AND NOT ST_Covers(stated.boundary, p.point)
             ORDER BY p.code
            """,
            [list(rows)],
        )
        found = cursor.fetchall()
    return [
        f"{rows[code].source} line {rows[code].line}: {code} is in ward {stated} by its WC column "
        f"but lies {'in ' + inside if inside else 'outside every ward polygon'}"
        for code, stated, inside in found
    ]
