"""Census 2021 output areas: boundaries, LSOA, ward, usual residents, households and
the ONS area classification (OAC).

The output areas are the codes of the OA21 -> LSOA21 lookup whose LSOA we have. Open
OA boundaries exist only for 2011 (``OA11CD``): a 2021 code with no 2011 boundary gets
none (its ward then comes from its LSOA), and a 2011 code that is not a 2021 output
area of the force is skipped with a warning.

Census and lookup files come in two layouts, the renamed columns of the
alexsingleton/Census_2021_Output_Areas repository (``OA``, ``ts0010001``) and the
ONS/Nomis originals (``OA21CD``, ``Residence type: Total; measures: Value``); either is
read. A file that is not given leaves its fields as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import MultiPolygon
from django.db import connection, transaction

from areas.models import Area, GeodemographicClass, Lsoa, OutputArea

from .base import (
    Errors,
    ImportSummary,
    Progress,
    area_geometry,
    find_property,
    no_progress,
    open_text,
    parse_int,
    read_csv,
    read_geojson,
    same_geometry,
    skipped,
)

OAC = GeodemographicClass.Scheme.OAC
GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
# OAC codes: supergroup 7, group 7a, subgroup 7a1.
CLASS_CODE = {
    "supergroup": re.compile(r"^[1-9]$"),
    "group": re.compile(r"^[1-9][a-z]$"),
    "subgroup": re.compile(r"^[1-9][a-z][1-9]$"),
}
BATCH = 1000

# Each column by its renamed name first, then its ONS/Nomis name.
LOOKUP_OA = ("OA", "OA21CD")
LOOKUP_LSOA = ("geography_code", "LSOA21CD")
CENSUS_OA = ("OA", "geography code", "OA21CD")
USUAL_RESIDENTS = ("ts0010001", "Residence type: Total; measures: Value")
HOUSEHOLDS = ("ts0410001", "Number of households: Number of households; measures: Value")
OAC_COLUMNS = ("Geography_Code", "Supergroup", "Group", "Subgroup")
NAME_COLUMNS = ("Level", "Classification Code", "Classification Name")


@dataclass(frozen=True)
class ClassRow:
    level: str
    code: str
    name: str
    line: int

    @property
    def parent_code(self) -> str | None:
        return self.code[:-1] if self.level != "supergroup" else None


@dataclass(frozen=True)
class Shape:
    geometry: MultiPolygon
    source: str
    line: int | None
    repaired: bool


def _column(path: Path, alternatives: Sequence[str]) -> str:
    """The first of ``alternatives`` in the header; else the first (reported missing later)."""
    try:
        with open_text(path) as handle:
            header = {h.strip() for h in next(csv.reader(handle), [])}
    except (OSError, csv.Error, UnicodeDecodeError):
        header = set()
    return next((name for name in alternatives if name in header), alternatives[0])


def _oa_code(
    path: Path, errors: Errors, code_column: str, line: int, value: str, seen: dict[str, int]
) -> str | None:
    """A checked, first-seen ONS code from ``value``; None (and reported) otherwise."""
    code = value.strip()
    if not GSS_CODE.match(code):
        errors.add(path, line, code_column, f"{value!r} is not an ONS (GSS) code")
        return None
    if code in seen:
        errors.add(
            path, line, code_column, f"{code} appears more than once (also line {seen[code]})"
        )
        return None
    seen[code] = line
    return code


def read_lookup(path: Path, errors: Errors) -> dict[str, str]:
    """OA21 code -> LSOA21 code."""
    oa_column, lsoa_column = _column(path, LOOKUP_OA), _column(path, LOOKUP_LSOA)
    lookup: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line, row in read_csv(path, errors, required=(oa_column, lsoa_column)):
        code = _oa_code(path, errors, oa_column, line, row[oa_column], seen)
        lsoa = row[lsoa_column].strip()
        if not GSS_CODE.match(lsoa):
            errors.add(path, line, lsoa_column, f"{row[lsoa_column]!r} is not an ONS (GSS) code")
            continue
        if code:
            lookup[code] = lsoa
    return lookup


def read_counts(path: Path, errors: Errors, value_columns: Sequence[str]) -> dict[str, int]:
    """OA code -> a whole-number census count (usual residents, households)."""
    oa_column, value_column = _column(path, CENSUS_OA), _column(path, value_columns)
    counts: dict[str, int] = {}
    seen: dict[str, int] = {}
    for line, row in read_csv(path, errors, required=(oa_column, value_column)):
        code = _oa_code(path, errors, oa_column, line, row[oa_column], seen)
        value = parse_int(row[value_column], errors, path, line, value_column, minimum=0)
        if code and value is not None:
            counts[code] = value
    return counts


def read_class_names(path: Path, errors: Errors) -> dict[str, ClassRow]:
    """The OAC supergroups, groups and subgroups with their names (CDRC file layout)."""
    classes: dict[str, ClassRow] = {}
    for line, row in read_csv(path, errors, required=NAME_COLUMNS):
        level = row["Level"].strip().lower()
        code = row["Classification Code"].strip()
        name = " ".join(row["Classification Name"].split())
        if level not in CLASS_CODE:
            errors.add(
                path, line, "Level", f"{row['Level']!r} is not Supergroup, Group or Subgroup"
            )
        elif not CLASS_CODE[level].match(code):
            errors.add(path, line, "Classification Code", f"{code!r} is not an OAC {level} code")
        elif not name:
            errors.add(path, line, "Classification Name", f"{code} has no name")
        elif code in classes:
            errors.add(
                path,
                line,
                "Classification Code",
                f"{code} appears more than once (also line {classes[code].line})",
            )
        else:
            classes[code] = ClassRow(level, code, name, line)
    for row in classes.values():
        if row.parent_code and row.parent_code not in classes:
            errors.add(
                path,
                row.line,
                "Classification Code",
                f"{row.code}: its parent {row.parent_code} is not in the file",
            )
    return classes


def read_classification(path: Path, errors: Errors, subgroups: set[str]) -> dict[str, str]:
    """OA code -> OAC subgroup code; the group and supergroup columns must agree."""
    assigned: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line, row in read_csv(path, errors, required=OAC_COLUMNS):
        code = _oa_code(path, errors, "Geography_Code", line, row["Geography_Code"], seen)
        subgroup, group, supergroup = (row[c].strip() for c in ("Subgroup", "Group", "Supergroup"))
        if subgroup not in subgroups:
            errors.add(path, line, "Subgroup", f"{subgroup!r} is not an OAC subgroup")
        elif group != subgroup[:2]:
            errors.add(path, line, "Group", f"{group!r} is not the group of subgroup {subgroup}")
        elif supergroup != subgroup[:1]:
            errors.add(
                path, line, "Supergroup", f"{supergroup!r} is not the supergroup of {subgroup}"
            )
        elif code:
            assigned[code] = subgroup
    return assigned


def read_oa_boundaries(
    paths: Sequence[Path], errors: Errors, progress: Progress
) -> dict[str, Shape]:
    """OA code -> boundary in EPSG:27700, from GeoJSON with an ``OA11CD``/``OA21CD`` property."""
    shapes: dict[str, Shape] = {}
    for path in paths:
        features, srid = read_geojson(path, errors)
        if isinstance(srid, str):
            errors.add(path, None, "crs", f"unsupported coordinate system {srid!r}")
            continue
        for index, (line, feature) in enumerate(features, start=1):
            label = "" if line is not None else f"feature {index}: "
            found = find_property(feature.get("properties") or {}, r"oa\d\dcd")
            if found is None:
                errors.add(path, line, "properties", f"{label}no output-area code (OA11CD, OA21CD)")
                continue
            column, code = found
            if not GSS_CODE.match(code):
                errors.add(path, line, column, f"{label}{code!r} is not an ONS (GSS) code")
                continue
            try:
                geom, repaired = area_geometry(feature.get("geometry"), srid)
            except ValueError as exc:
                errors.add(path, line, "geometry", f"{label}{code}: {exc}")
                continue
            if code in shapes:
                first = shapes[code]
                errors.add(
                    path,
                    line,
                    column,
                    f"{label}{code} appears more than once (also {first.source} line {first.line})",
                )
                continue
            shapes[code] = Shape(geom, path.name, line, repaired)
            if index % 250 == 0:
                progress(index, len(features), f"reading {path.name}")
    return shapes


def _save_classes(rows: dict[str, ClassRow], summary: ImportSummary) -> dict[str, int]:
    """Upsert the OAC classes, parents first; returns code -> id."""
    existing = {c.code: c for c in GeodemographicClass.objects.filter(scheme=OAC)}
    ids: dict[str, int] = {}
    for row in sorted(rows.values(), key=lambda r: (len(r.code), r.code)):
        parent_id = ids[row.parent_code] if row.parent_code else None
        current = existing.get(row.code)
        if current is None:
            current = GeodemographicClass.objects.create(
                scheme=OAC, level=row.level, code=row.code, name=row.name, parent_id=parent_id
            )
            summary.imported += 1
        elif (current.level, current.name, current.parent_id) != (row.level, row.name, parent_id):
            current.level, current.name, current.parent_id = row.level, row.name, parent_id
            current.save(update_fields=["level", "name", "parent"])
            summary.updated += 1
        else:
            summary.unchanged += 1
        ids[row.code] = current.pk
    return ids


def _wards(
    codes: list[str], points: list[bytes | None], lsoa_ids: list[int]
) -> dict[str, tuple[int | None, int | None]]:
    """OA code -> (ward by its own point, ward by its LSOA's point), in one query.

    ``points`` are EWKB points on the surface of each OA's boundary (None without one).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.code,
                   (SELECT a.id FROM areas_area a
                     WHERE a.level = %s AND ST_Covers(a.boundary, t.point)
                     ORDER BY a.id LIMIT 1),
                   (SELECT a.id FROM areas_lsoa l
                      JOIN areas_area a
                        ON a.level = %s AND ST_Covers(a.boundary, ST_PointOnSurface(l.boundary))
                     WHERE l.id = t.lsoa_id
                     ORDER BY a.id LIMIT 1)
              FROM (SELECT u.code, u.lsoa_id, ST_GeomFromEWKB(u.point) AS point
                      FROM unnest(%s::text[], %s::bigint[], %s::bytea[]) AS u(code, lsoa_id, point)
                   ) t
            """,
            [Area.Level.WARD, Area.Level.WARD, codes, lsoa_ids, points],
        )
        return {code: (by_point, by_lsoa) for code, by_point, by_lsoa in cursor.fetchall()}


@transaction.atomic
def import_output_areas(
    *,
    lookup: Path,
    boundaries: Sequence[Path] = (),
    population: Path | None = None,
    households: Path | None = None,
    classification: Path | None = None,
    names: Path | None = None,
    progress: Progress = no_progress,
) -> ImportSummary:
    """Import output areas of the force (those of the lookup whose LSOA we have).

    Each output area gets its ward: the ward polygon holding a point on the surface of
    its boundary, else the one holding a point on its LSOA's boundary. The summary
    counts output areas and OAC classes together.
    """
    errors = Errors()
    lookup = Path(lookup)
    oa_lsoa = read_lookup(lookup, errors)
    shapes = read_oa_boundaries([Path(p) for p in boundaries], errors, progress)
    residents = read_counts(Path(population), errors, USUAL_RESIDENTS) if population else None
    homes = read_counts(Path(households), errors, HOUSEHOLDS) if households else None
    class_rows = read_class_names(Path(names), errors) if names else None
    subgroups: dict[str, str] | None = None
    if classification:
        known = (
            {c for c, row in class_rows.items() if row.level == "subgroup"}
            if class_rows is not None
            else set(
                GeodemographicClass.objects.filter(scheme=OAC, level="subgroup").values_list(
                    "code", flat=True
                )
            )
        )
        if known:
            subgroups = read_classification(Path(classification), errors, known)
        else:
            errors.add(classification, None, "", "no OAC classes yet: give the names file too")
    lsoas = dict(Lsoa.objects.values_list("code", "id"))
    if not lsoas:
        errors.add(lookup, None, "", "no LSOAs yet: import the LSOA boundaries first")
    errors.raise_if_any()

    summary = ImportSummary()
    codes = sorted(code for code, lsoa in oa_lsoa.items() if lsoa in lsoas)
    in_force = set(codes)
    if len(codes) < len(oa_lsoa):
        outside = [c for c in oa_lsoa if c not in in_force]
        summary.warnings.append(
            skipped(f"output areas of {lookup.name} are in LSOAs outside the force", outside)
        )
    for path, found in ((population, residents), (households, homes), (classification, subgroups)):
        if found is None:
            continue
        extra = [c for c in found if c not in in_force]
        if extra:
            summary.warnings.append(
                skipped(f"rows of {Path(path).name} are for output areas not in the force", extra)
            )
        missing = len(in_force) - (len(found) - len(extra))
        if missing:
            summary.warnings.append(f"{missing} output areas have no row in {Path(path).name}")
    if boundaries:
        not_2021 = [c for c in shapes if c not in in_force]
        if not_2021:
            summary.warnings.append(
                skipped(
                    "boundaries are not 2021 output areas of the force (2011-only codes)", not_2021
                )
            )
        summary.warnings += [
            f"{code}: invalid polygon repaired"
            for code, shape in shapes.items()
            if shape.repaired and code in in_force
        ]

    class_ids = _save_classes(class_rows, summary) if class_rows is not None else None
    if subgroups is not None and class_ids is None:
        class_ids = dict(GeodemographicClass.objects.filter(scheme=OAC).values_list("code", "id"))
    existing = {o.code: o for o in OutputArea.objects.filter(code__in=codes)}

    # The ward of each output area, from the boundary it will have.
    points: list[bytes | None] = []
    for code in codes:
        if boundaries:
            shape = shapes.get(code)
            boundary = shape.geometry if shape else None
        else:
            boundary = existing[code].boundary if code in existing else None
        points.append(bytes(boundary.point_on_surface.ewkb) if boundary else None)
    progress(0, None, "placing output areas in wards")
    placed = _wards(codes, points, [lsoas[oa_lsoa[c]] for c in codes])
    no_boundary = sum(1 for p in points if p is None)
    by_lsoa = sum(1 for by_point, by_area in placed.values() if by_point is None and by_area)
    in_no_ward = sum(1 for by_point, by_area in placed.values() if not (by_point or by_area))
    if no_boundary:
        summary.warnings.append(f"{no_boundary} output areas have no boundary")
    if by_lsoa:
        summary.warnings.append(f"{by_lsoa} output areas were placed in a ward by their LSOA")
    if in_no_ward:
        summary.warnings.append(f"{in_no_ward} output areas are in no ward")

    fields = ["lsoa", "ward"]
    fields += ["boundary"] if boundaries else []
    fields += ["usual_residents"] if residents is not None else []
    fields += ["households"] if homes is not None else []
    fields += ["classification"] if subgroups is not None else []
    to_create: list[OutputArea] = []
    to_update: list[OutputArea] = []
    for number, code in enumerate(codes, start=1):
        by_point, by_area = placed[code]
        values = {"lsoa_id": lsoas[oa_lsoa[code]], "ward_id": by_point or by_area}
        if boundaries:
            values["boundary"] = shapes[code].geometry if code in shapes else None
        if residents is not None:
            values["usual_residents"] = residents.get(code)
        if homes is not None:
            values["households"] = homes.get(code)
        if subgroups is not None:
            values["classification_id"] = class_ids[subgroups[code]] if code in subgroups else None
        current = existing.get(code)
        if current is None:
            to_create.append(OutputArea(code=code, **values))
        elif _differs(current, values):
            for key, value in values.items():
                setattr(current, key, value)
            to_update.append(current)
        else:
            summary.unchanged += 1
        if number % 500 == 0:
            progress(number, len(codes), "comparing")
    for start in range(0, len(to_create), BATCH):
        OutputArea.objects.bulk_create(to_create[start : start + BATCH])
        progress(min(start + BATCH, len(to_create)), len(to_create), "saving new output areas")
    for start in range(0, len(to_update), BATCH):
        OutputArea.objects.bulk_update(to_update[start : start + BATCH], fields)
    summary.imported += len(to_create)
    summary.updated += len(to_update)
    return summary


def _differs(current: OutputArea, values: dict) -> bool:
    for key, value in values.items():
        if key == "boundary":
            if not same_geometry(current.boundary, value):
                return True
        elif getattr(current, key) != value:
            return True
    return False
