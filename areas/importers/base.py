"""The shared machinery of every importer: errors, summaries, progress, file readers."""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon

from areas.models import BNG, WGS84

from .text import first_line, format_problem, identify, separator_problem, text_problem

# (done, total, stage) -> None. ``total`` may be None when unknown.
Progress = Callable[[int, int | None, str], None]


def no_progress(done: int, total: int | None, stage: str) -> None:
    return None


@dataclass(frozen=True, order=True)
class RowError:
    """One problem in an input file. ``line`` is the 1-based line in the file."""

    source: str
    line: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        column = f", column {self.column}" if self.column else ""
        return f"{self.source}: {where}{column}: {self.reason}"

    def as_dict(self) -> dict:
        return {
            "file": self.source,
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
        }


class ImportRejected(Exception):
    """The input had problems; nothing was imported."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = sorted(errors, key=lambda e: (e.source, e.line or 0, e.column))
        super().__init__(f"{len(self.errors)} problem(s); nothing was imported")

    @property
    def rejected_rows(self) -> int:
        return len({(e.source, e.line) for e in self.errors})


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    def __iadd__(self, other: ImportSummary) -> ImportSummary:
        self.imported += other.imported
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected
        self.warnings += other.warnings
        return self


def skipped(what: str, codes: Sequence[str]) -> str:
    """A warning about rows left out: "3 rows of x.csv are ...; skipped (E00..., ...)"."""
    example = ", ".join(sorted(codes)[:5]) + (", ..." if len(codes) > 5 else "")
    return f"{len(codes)} {what}; skipped ({example})"


class Errors:
    """Collects problems while a file is validated, then raises them all at once."""

    def __init__(self) -> None:
        self.items: list[RowError] = []

    def add(self, source: str | Path, line: int | None, column: str, reason: str) -> None:
        self.items.append(RowError(Path(source).name, line, column, reason))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRejected(self.items)


# --- CSV ------------------------------------------------------------------------------------


def open_text(path: Path) -> io.TextIOBase:
    """UTF-8 with or without a byte-order mark; CRLF or LF (csv handles newlines)."""
    return open(path, encoding="utf-8-sig", newline="")


def read_csv(
    path: Path,
    errors: Errors,
    *,
    required: Sequence[str] = (),
    fieldnames: Sequence[str] | None = None,
    expected: str = "",
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row.

    With ``fieldnames`` the file has no header row. A missing required column is
    reported once against line 1 and nothing is yielded. A row with the wrong number
    of fields is reported and skipped. A file that is not UTF-8 text, uses another
    separator, or is another known format (``text``) gets one message saying so, and
    nothing is yielded; ``expected`` names the format when ``required`` does not.
    """
    for line, names, row in read_csv_rows(
        path, errors, required=required, fieldnames=fieldnames, expected=expected
    ):
        yield line, dict(zip(names, row, strict=True))


def read_csv_rows(
    path: Path,
    errors: Errors,
    *,
    required: Sequence[str] = (),
    fieldnames: Sequence[str] | None = None,
    expected: str = "",
) -> Iterator[tuple[int, list[str], list[str]]]:
    """:func:`read_csv` without a dict per row: (line number, column names, values).

    For the importers that read a million rows: the names are the same list for every
    row of the file, the values are in its order; the checks are the same.
    """
    try:
        problem = text_problem(path)
        handle = open_text(path)
    except OSError as exc:
        errors.add(path, None, "", f"cannot read the file: {exc.strerror}")
        return
    if problem:
        handle.close()
        errors.add(path, None, "", problem)
        return
    with handle:
        try:
            reader = csv.reader(handle)
            if fieldnames is None:
                header = next(reader, None)
                if header is None:
                    errors.add(path, None, "", "the file is empty")
                    return
                names = [h.strip() for h in header]
                missing = [c for c in required if c not in names]
                if missing:
                    message = _header_problem(path, names, required, expected)
                    if message:
                        errors.add(path, 1, "", message)
                        return
                    for column in missing:
                        errors.add(path, 1, column, "required column is missing from the header")
                    return
            else:
                names = list(fieldnames)
            width = len(names)
            seen_any = False
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                first_row, seen_any = not seen_any, True
                if len(row) != width:
                    if fieldnames is not None and first_row:
                        # No header row: the first row tells a wrong file or separator.
                        message = separator_problem(first_line(path)) or _format_of(path)
                        if message:
                            errors.add(path, line, "", message)
                            return
                    errors.add(path, line, "", f"expected {width} fields, found {len(row)}")
                    continue
                if "\x00" in "".join(row):
                    # The database cannot store NUL: reject the row, as for any bad value.
                    for name, value in zip(names, row, strict=True):
                        if "\x00" in value:
                            errors.add(path, line, name, "contains a NUL character")
                    continue
                yield line, names, row
            if not seen_any:
                errors.add(path, None, "", "the file has no data rows")
        except (csv.Error, UnicodeDecodeError) as exc:
            errors.add(path, None, "", f"not a readable UTF-8 CSV file: {exc}")


def _header_problem(path: Path, names: list[str], required: Sequence[str], expected: str) -> str:
    return separator_problem(first_line(path)) or format_problem(
        names, required=required, expected=expected
    )


def _format_of(path: Path) -> str:
    found = identify(next(csv.reader(io.StringIO(first_line(path))), []))
    if not found:
        return ""
    return f"This looks like a {found} file, not the file this import expects."


def parse_int(
    value: str, errors: Errors, path: Path, line: int, column: str, *, minimum: int | None = None
) -> int | None:
    text = value.strip().replace(",", "")
    try:
        number = int(text)
    except ValueError:
        errors.add(path, line, column, f"{value!r} is not a whole number")
        return None
    if minimum is not None and number < minimum:
        errors.add(path, line, column, f"{number} is less than {minimum}")
        return None
    return number


def parse_float(value: str, errors: Errors, path: Path, line: int, column: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        errors.add(path, line, column, f"{value!r} is not a number")
        return None
    if not math.isfinite(number):
        errors.add(path, line, column, f"{value!r} is not a finite number")
        return None
    return number


# --- Coordinates and geometry -------------------------------------------------------------

# Generous boxes around Great Britain and Northern Ireland.
LON_RANGE, LAT_RANGE = (-9.0, 3.0), (49.0, 61.5)
EASTING_RANGE, NORTHING_RANGE = (0.0, 700_000.0), (0.0, 1_300_000.0)


def check_lon_lat(lon: float, lat: float) -> str | None:
    """None when (lon, lat) is a WGS84 point in the UK; otherwise the reason it is not."""
    if EASTING_RANGE[0] <= lon <= EASTING_RANGE[1] and abs(lon) > 180:
        return (
            f"({lon}, {lat}) looks like British National Grid metres, not WGS84 "
            "longitude/latitude: the file is in another coordinate system"
        )
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"({lon}, {lat}) is not a longitude/latitude pair"
    if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        return f"({lon}, {lat}) is outside the United Kingdom"
    return None


def check_easting_northing(x: float, y: float) -> str | None:
    if not (
        EASTING_RANGE[0] <= x <= EASTING_RANGE[1] and NORTHING_RANGE[0] <= y <= NORTHING_RANGE[1]
    ):
        return f"({x}, {y}) is not a British National Grid easting/northing in metres"
    return None


def _positions(coords) -> Iterator[Sequence[float]]:
    """Every position of a GeoJSON coordinates array; TypeError when it is not one."""
    if coords is None:
        return
    if not isinstance(coords, list | tuple):
        raise TypeError("coordinates are not an array")
    if coords and isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


_CRS_WGS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"}
_CRS_BNG = {"urn:ogc:def:crs:EPSG::27700", "EPSG:27700"}


def declared_srid(doc: dict) -> int | str:
    """The SRID a GeoJSON document declares (WGS84 when it declares none)."""
    name = ((doc.get("crs") or {}).get("properties") or {}).get("name")
    if not name or name in _CRS_WGS84:
        return WGS84
    if name in _CRS_BNG:
        return BNG
    return name


def check_geometry_coordinates(geometry: dict, srid: int) -> str | None:
    """Checks the raw coordinates fit the coordinate system before GEOS sees them."""
    try:
        positions = list(_positions(geometry.get("coordinates")))
    except TypeError:
        return "coordinates are malformed"
    if not positions:
        return "the geometry has no coordinates"
    for pos in positions:
        if len(pos) < 2 or not all(
            isinstance(v, (int, float)) and math.isfinite(v) for v in pos[:2]
        ):
            return f"{pos!r} is not a coordinate pair"
        x, y = pos[0], pos[1]
        reason = check_lon_lat(x, y) if srid == WGS84 else check_easting_northing(x, y)
        if reason:
            return reason
    return None


def geometry_to_bng(geometry: dict, srid: int) -> GEOSGeometry:
    """GeoJSON geometry -> GEOS geometry in EPSG:27700. Raises ValueError with a reason."""
    try:
        geom = GEOSGeometry(json.dumps(geometry))
    except (GEOSException, GDALException, ValueError, TypeError) as exc:
        raise ValueError(f"not a valid GeoJSON geometry ({exc})") from exc
    geom.srid = srid
    if srid != BNG:
        geom.transform(_to_bng(srid))
    return geom


@functools.cache
def _to_bng(srid: int) -> CoordTransform:
    # Building a transformation costs PROJ milliseconds: build each one once.
    return CoordTransform(SpatialReference(srid), SpatialReference(BNG))


def as_multipolygon(geom: GEOSGeometry) -> tuple[MultiPolygon, bool]:
    """Valid MultiPolygon from a (Multi)Polygon; returns (geometry, was_repaired)."""
    repaired = False
    if not geom.valid:
        geom = geom.make_valid()
        repaired = True
    if isinstance(geom, Polygon):
        return MultiPolygon(geom, srid=geom.srid), repaired
    if isinstance(geom, MultiPolygon):
        return geom, repaired
    # make_valid can return a collection: keep its polygonal parts.
    polygons = []
    for part in geom:
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part)
    if not polygons:
        raise ValueError(f"a {geom.geom_type} is not an area")
    return MultiPolygon(*polygons, srid=geom.srid), repaired


def area_geometry(geometry: object, srid: int) -> tuple[MultiPolygon, bool]:
    """A GeoJSON (Multi)Polygon -> (valid MultiPolygon in EPSG:27700, was_repaired).

    Raises ValueError with the reason when it is not an area or its coordinates do not
    fit the coordinate system.
    """
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValueError("is not a Polygon or MultiPolygon")
    reason = check_geometry_coordinates(geometry, srid)
    if reason:
        raise ValueError(reason)
    return as_multipolygon(geometry_to_bng(geometry, srid))


def simplified_wgs84(geom: MultiPolygon, tolerance_m: float = 10.0) -> MultiPolygon:
    """The light copy the maps draw: simplified in metres, then in WGS84."""
    simple = geom.simplify(tolerance_m, preserve_topology=True)
    simple = simple.transform(WGS84, clone=True)
    if isinstance(simple, Polygon):
        simple = MultiPolygon(simple, srid=WGS84)
    return simple


def same_geometry(a: GEOSGeometry | None, b: GEOSGeometry | None, tolerance: float = 0.01) -> bool:
    if a is None or b is None:
        return a is b
    return a.geom_type == b.geom_type and a.equals_exact(b, tolerance)


# --- GeoJSON --------------------------------------------------------------------------------

_FEATURE_LINE = re.compile(r'^\s*\{\s*"type"\s*:\s*"Feature"')


def read_geojson(path: Path, errors: Errors) -> tuple[list[tuple[int | None, dict]], int | str]:
    """Features of a GeoJSON FeatureCollection or GeoJSON sequence, with line numbers.

    Returns ([(line, feature)], srid). Line numbers are exact for sequences and for
    collections written one feature per line (as ONS and most tools write them);
    otherwise they are None and the feature's position is given in the reason.
    """
    try:
        problem = text_problem(path)
        text = "" if problem else path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        errors.add(path, None, "", f"cannot read the file: {exc.strerror}")
        return [], WGS84
    if problem:
        errors.add(path, None, "", problem)
        return [], WGS84
    if not text.strip():
        errors.add(path, None, "", "the file is empty")
        return [], WGS84
    if not text.lstrip("\ufeff\x1e \t\r\n").startswith(("{", "[")):
        found = identify(next(csv.reader(io.StringIO(text.split("\n", 1)[0])), []))
        what = f"{'an' if found[0] in 'aeiouAEIOU' else 'a'} {found} file" if found else "text"
        errors.add(
            path, 1, "", f"This is not GeoJSON: it looks like {what}. Expected a GeoJSON file."
        )
        return [], WGS84
    lines = text.splitlines()
    stripped = text.lstrip("\ufeff\x1e \t\r\n")
    try:
        doc = json.loads(stripped)
    except json.JSONDecodeError as whole_error:
        # Not one document: a GeoJSON sequence, one feature per line.
        features: list[tuple[int | None, dict]] = []
        for number, line in enumerate(lines, start=1):
            line = line.strip().lstrip("\x1e")
            if not line:
                continue
            try:
                features.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                if number == 1 and len(lines) == 1:
                    errors.add(path, whole_error.lineno, "", f"not valid JSON: {whole_error.msg}")
                else:
                    errors.add(path, number, "", f"not valid JSON: {exc.msg}")
        srid = declared_srid(features[0][1]) if features else WGS84
        return features, srid
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        return [(1, doc)], declared_srid(doc)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        errors.add(path, 1, "type", "not a GeoJSON FeatureCollection or Feature")
        return [], WGS84
    raw = doc.get("features")
    if not isinstance(raw, list) or not raw:
        errors.add(path, None, "features", "the collection has no features")
        return [], declared_srid(doc)
    feature_lines = [n for n, line in enumerate(lines, start=1) if _FEATURE_LINE.match(line)]
    if len(feature_lines) != len(raw):
        feature_lines = [None] * len(raw)
    return list(zip(feature_lines, raw, strict=True)), declared_srid(doc)


def find_property(properties: dict, pattern: str) -> tuple[str, str] | None:
    """The first (key, value) whose key matches ``pattern`` (case-insensitive, full match)."""
    regex = re.compile(pattern, re.I)
    for key, value in properties.items():
        if regex.fullmatch(key) and value not in (None, ""):
            return key, str(value).strip()
    return None
