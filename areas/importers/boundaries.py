"""ONS boundaries (GeoJSON or GeoJSON sequence, WGS84 or EPSG:27700): districts,
wards and LSOAs. The kind of each file is read from its property names
(``LAD24CD``, ``WD24CD``/``ward_code``, ``LSOA21CD``...)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.gis.db.models import Union
from django.contrib.gis.geos import MultiPolygon
from django.db import transaction

from areas.models import Area, Lsoa

from .base import (
    Errors,
    ImportSummary,
    Progress,
    area_geometry,
    as_multipolygon,
    find_property,
    no_progress,
    read_geojson,
    same_geometry,
    simplified_wgs84,
)

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
# The shortest name column the boundaries go into (Lsoa.name).
NAME_MAX = 100
KIND_ORDER = {"district": 0, "ward": 1, "lsoa": 2}


@dataclass
class Boundary:
    kind: str
    code: str
    name: str
    parent_code: str | None
    geometry: MultiPolygon
    source: str
    line: int | None


def _latest(properties: dict, stem: str) -> tuple[str, str] | None:
    """The newest-vintage (code, name), e.g. from LSOA21CD/NM rather than LSOA11CD/NM."""
    by_year: dict[str, dict[str, str]] = {}
    for key, value in properties.items():
        match = re.fullmatch(rf"{stem}(\d\d)(CD|NM)", key, re.I)
        if match and value not in (None, ""):
            by_year.setdefault(match.group(1), {})[match.group(2).upper()] = str(value).strip()
    with_code = [year for year, found in by_year.items() if "CD" in found]
    if not with_code:
        return None
    newest = by_year[max(with_code)]
    return newest["CD"], newest.get("NM", "")


def _classify(properties: dict) -> tuple[str, str, str, str | None] | None:
    """(kind, code, name, parent district code) from a feature's properties."""
    lad = find_property(properties, r"lad\d\dcd|lad_code")
    lad_code = lad[1] if lad else None
    ward = find_property(properties, r"ward_code") or find_property(properties, r"wd\d\dcd")
    if ward:
        name = find_property(properties, r"ward_name") or find_property(properties, r"wd\d\dnm")
        return "ward", ward[1], name[1] if name else "", lad_code
    lsoa = _latest(properties, "LSOA")
    if lsoa:
        return "lsoa", lsoa[0], lsoa[1], lad_code
    if find_property(properties, r"oa\d\dcd"):
        return "oa", "", "", None
    if lad:
        name = find_property(properties, r"lad\d\dnm")
        return "district", lad[1], name[1] if name else "", None
    return None


def read_boundaries(paths: Sequence[Path], errors: Errors, progress: Progress) -> list[Boundary]:
    records: list[Boundary] = []
    for path in paths:
        features, srid = read_geojson(path, errors)
        if isinstance(srid, str):
            errors.add(path, None, "crs", f"unsupported coordinate system {srid!r}")
            continue
        kinds: set[str] = set()
        for index, (line, feature) in enumerate(features, start=1):
            where = line if line is not None else None
            label = "" if line is not None else f"feature {index}: "
            props = feature.get("properties") if isinstance(feature, dict) else None
            if not isinstance(props, dict):
                errors.add(path, where, "properties", f"{label}not a feature with properties")
                continue
            found = _classify(props)
            if found is None:
                errors.add(path, where, "properties", f"{label}no LAD, ward or LSOA code property")
                continue
            kind, code, name, parent = found
            if kind == "oa":
                errors.add(
                    path,
                    where,
                    "properties",
                    f"{label}output-area boundaries are imported with import_output_areas",
                )
                continue
            kinds.add(kind)
            if not GSS_CODE.match(code):
                errors.add(path, where, "code", f"{label}{code!r} is not an ONS (GSS) code")
                continue
            if not name and kind != "lsoa":
                errors.add(path, where, "name", f"{label}{code} has no name")
                continue
            if len(name) > NAME_MAX:
                errors.add(
                    path, where, "name", f"{label}{code}: the name is over {NAME_MAX} characters"
                )
                continue
            try:
                geom, repaired = area_geometry(feature.get("geometry"), srid)
            except ValueError as exc:
                errors.add(path, where, "geometry", f"{label}{code}: {exc}")
                continue
            records.append(Boundary(kind, code, name, parent, geom, path.name, line))
            if repaired:
                records[-1].source += " (repaired)"
            progress(index, len(features), path.name)
        if len(kinds) > 1:
            errors.add(path, None, "", f"mixes kinds of area ({', '.join(sorted(kinds))})")
    seen: dict[tuple[str, str], Boundary] = {}
    for record in records:
        key = (record.kind, record.code)
        if key in seen:
            errors.add(
                record.source.split(" ")[0],
                record.line,
                "code",
                f"{record.code} appears more than once (also line {seen[key].line})",
            )
        seen[key] = record
    return sorted(records, key=lambda r: KIND_ORDER[r.kind])


def _force(code: str, name: str) -> Area:
    force, _ = Area.objects.get_or_create(
        code=code, defaults={"name": name, "level": Area.Level.FORCE}
    )
    if force.name != name or force.level != Area.Level.FORCE:
        force.name, force.level = name, Area.Level.FORCE
        force.save(update_fields=["name", "level"])
    return force


def _upsert_area(
    record: Boundary, level: str, parent: Area | None, existing: Area | None, summary: ImportSummary
) -> Area:
    simple = simplified_wgs84(record.geometry)
    if existing is None:
        summary.imported += 1
        return Area.objects.create(
            code=record.code,
            name=record.name,
            level=level,
            parent=parent,
            boundary=record.geometry,
            boundary_simple=simple,
            source=record.source,
        )
    changed = (
        existing.name != record.name
        or existing.level != level
        or existing.parent_id != (parent.pk if parent else None)
        or not same_geometry(existing.boundary, record.geometry)
    )
    if changed:
        existing.name, existing.level, existing.parent = record.name, level, parent
        existing.boundary, existing.boundary_simple = record.geometry, simple
        existing.source = record.source
        existing.save()
        summary.updated += 1
    else:
        summary.unchanged += 1
    return existing


def _containing_district(geometry: MultiPolygon) -> Area | None:
    point = geometry.point_on_surface
    return Area.objects.filter(level=Area.Level.DISTRICT, boundary__covers=point).first()


@transaction.atomic
def import_boundaries(
    paths: Sequence[Path],
    *,
    force_code: str | None = None,
    force_name: str | None = None,
    progress: Progress = no_progress,
) -> ImportSummary:
    """Import district, ward and LSOA boundaries from ONS GeoJSON files.

    Districts hang from the force; wards from the district named in their properties
    or, failing that, the district holding them. Invalid source polygons (Drypool,
    E05011531, self-intersects after rounding) are repaired, not rejected.
    """
    errors = Errors()
    paths = [Path(p) for p in paths]
    records = read_boundaries(paths, errors, progress)
    errors.raise_if_any()

    summary = ImportSummary()
    force = _force(force_code or settings.FORCE_CODE, force_name or settings.FORCE_AREA_NAME)
    codes = [r.code for r in records]
    existing_areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
    existing_lsoas = {x.code: x for x in Lsoa.objects.filter(code__in=codes)}
    for number, record in enumerate(records, start=1):
        progress(number, len(records), "saving")
        if record.source.endswith("(repaired)"):
            summary.warnings.append(f"{record.code} {record.name}: invalid polygon repaired")
        if record.kind == "district":
            _upsert_area(
                record, Area.Level.DISTRICT, force, existing_areas.get(record.code), summary
            )
            continue
        parent = None
        if record.parent_code:
            parent = Area.objects.filter(code=record.parent_code, level=Area.Level.DISTRICT).first()
        if parent is None:
            parent = _containing_district(record.geometry)
        if record.kind == "ward":
            if parent is None:
                errors.add(
                    record.source.split(" ")[0],
                    record.line,
                    "geometry",
                    f"{record.code} {record.name} lies in no district of the force: "
                    "import the district boundaries first",
                )
                continue
            _upsert_area(record, Area.Level.WARD, parent, existing_areas.get(record.code), summary)
        else:
            _upsert_lsoa(record, parent, existing_lsoas.get(record.code), summary)
    if any(r.kind == "district" for r in records):
        _update_force_boundary(force)
    errors.raise_if_any()
    return summary


def _upsert_lsoa(
    record: Boundary, district: Area | None, existing: Lsoa | None, summary: ImportSummary
) -> None:
    if existing is None:
        Lsoa.objects.create(
            code=record.code,
            name=record.name,
            district=district,
            boundary=record.geometry,
            source=record.source,
        )
        summary.imported += 1
        return
    if (
        existing.name == record.name
        and existing.district_id == (district.pk if district else None)
        and same_geometry(existing.boundary, record.geometry)
    ):
        summary.unchanged += 1
        return
    existing.name, existing.district, existing.boundary = record.name, district, record.geometry
    existing.source = record.source
    existing.save()
    summary.updated += 1


def _update_force_boundary(force: Area) -> None:
    union = Area.objects.filter(parent=force, level=Area.Level.DISTRICT).aggregate(
        u=Union("boundary")
    )["u"]
    if union is None:
        return
    geom, _ = as_multipolygon(union)
    force.boundary = geom
    force.boundary_simple = simplified_wgs84(geom, tolerance_m=50)
    force.save(update_fields=["boundary", "boundary_simple"])
