"""Streets: named road lines and, for wards without line data, police.uk map points.

Road lines (GeoJSON: OpenStreetMap highway lines with ``name``, OS Open Roads with
``name1``) are each assigned to the ward holding most of their length; the lines of
one name in one ward become one Street (a MultiLineString with its length).

police.uk street-level crime files give, for each crime, an anonymised map point and
its name ("On or near Chanterlands Avenue", or a place such as "Supermarket"). Each
distinct (name, point) is kept once; the points sharing a name in a ward become one
Street (a MultiPoint), in the wards that have no line-based streets. Points accumulate
across imports, so importing one month adds its points and keeps the earlier ones.
Names that are places (``areas.location_names``) are imported with ``kind`` place.

The spatial work is done set-based in PostGIS: the validated input goes into a
temporary table, wards are assigned in one statement, and the result is compared with
``areas_street`` in SQL, so importing the same files again changes nothing.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.db import connection, transaction

from areas.location_names import is_place
from areas.models import BNG, WGS84, Area, Street

from .base import (
    Errors,
    ImportSummary,
    Progress,
    check_geometry_coordinates,
    check_lon_lat,
    find_property,
    no_progress,
    parse_float,
    read_csv,
    read_geojson,
)

# OpenStreetMap ``name``; OS Open Roads ``name1`` (``name2`` is the Welsh/Gaelic name).
NAME_PROPERTIES = (r"name", r"name1", r"road_?name")
LINE_TYPES = ("LineString", "MultiLineString")
POLICE_COLUMNS = ("Longitude", "Latitude", "Location")
ON_OR_NEAR = re.compile(r"^\s*on or near\b\s*", re.I)
MAX_NAME = Street._meta.get_field("name").max_length
BATCH = 5000


@dataclass(frozen=True)
class RoadLine:
    name: str
    ewkb: bytes  # in the file's coordinate system


@dataclass(frozen=True)
class MapPoint:
    name: str
    lon: float
    lat: float


def _clean_name(text: str) -> str:
    return " ".join(text.split())


def _kind(name: str) -> str:
    return Street.Kind.PLACE if is_place(name) else Street.Kind.STREET


def _line_name(properties: dict) -> str:
    for pattern in NAME_PROPERTIES:
        found = find_property(properties, pattern)
        if found:
            return _clean_name(found[1])
    return ""


def read_road_lines(
    paths: Sequence[Path], errors: Errors, progress: Progress
) -> tuple[list[RoadLine], int]:
    """Named lines of GeoJSON files, and how many lines had no name."""
    lines: list[RoadLine] = []
    unnamed = 0
    for path in paths:
        features, srid = read_geojson(path, errors)
        if isinstance(srid, str):
            errors.add(path, None, "crs", f"unsupported coordinate system {srid!r}")
            continue
        for index, (line, feature) in enumerate(features, start=1):
            label = "" if line is not None else f"feature {index}: "
            geometry = feature.get("geometry")
            if not isinstance(geometry, dict) or geometry.get("type") not in LINE_TYPES:
                kind = geometry.get("type") if isinstance(geometry, dict) else "no geometry"
                errors.add(path, line, "geometry", f"{label}{kind} is not a LineString")
                continue
            reason = check_geometry_coordinates(geometry, srid)
            if reason:
                errors.add(path, line, "geometry", f"{label}{reason}")
                continue
            name = _line_name(feature.get("properties") or {})
            if not name:
                unnamed += 1
                continue
            if len(name) > MAX_NAME:
                errors.add(path, line, "name", f"{label}the name is longer than {MAX_NAME}")
                continue
            try:
                geom = GEOSGeometry(json.dumps(geometry))
            except (GEOSException, GDALException, ValueError, TypeError) as exc:
                errors.add(path, line, "geometry", f"{label}not a valid GeoJSON geometry ({exc})")
                continue
            geom.srid = srid
            lines.append(RoadLine(name, bytes(geom.ewkb)))
            if index % 500 == 0:
                progress(index, len(features), f"reading {path.name}")
    return lines, unnamed


def read_police_points(
    paths: Sequence[Path], errors: Errors, progress: Progress
) -> tuple[Counter[MapPoint], list[str]]:
    """Each distinct (name, map point) of police.uk street-level CSVs, with its row count."""
    points: Counter[MapPoint] = Counter()
    without_point = without_name = 0
    for path in paths:
        for line, row in read_csv(path, errors, required=POLICE_COLUMNS):
            lon_text, lat_text = row["Longitude"].strip(), row["Latitude"].strip()
            if not lon_text and not lat_text:
                without_point += 1  # "No location": police.uk publishes these
                continue
            lon = parse_float(lon_text, errors, path, line, "Longitude")
            lat = parse_float(lat_text, errors, path, line, "Latitude")
            if lon is None or lat is None:
                continue
            reason = check_lon_lat(lon, lat)
            if reason:
                errors.add(path, line, "Longitude/Latitude", reason)
                continue
            name = _clean_name(ON_OR_NEAR.sub("", row["Location"]))
            if not name:
                without_name += 1
                continue
            if len(name) > MAX_NAME:
                errors.add(path, line, "Location", f"the name is longer than {MAX_NAME}")
                continue
            points[MapPoint(name, lon, lat)] += 1
            if line % 2000 == 0:
                progress(line, None, f"reading {path.name}")
    warnings = []
    if without_point:
        warnings.append(f"{without_point} police.uk rows have no map point; skipped")
    if without_name:
        warnings.append(f"{without_name} police.uk rows have no street name; skipped")
    return points, warnings


# --- PostGIS ----------------------------------------------------------------------------


def _temp_table(cursor, name: str, columns: str) -> None:
    # ON COMMIT DROP, and dropped first: a test may import twice in one transaction.
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
    cursor.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")


def _candidates_from_lines(cursor, lines: list[RoadLine]) -> list[str]:
    """Stage named lines, give each the ward holding most of its length, merge by name."""
    _temp_table(cursor, "import_road_lines", "id integer PRIMARY KEY, name text, geom geometry")
    for start in range(0, len(lines), BATCH):
        chunk = lines[start : start + BATCH]
        cursor.execute(
            """
            INSERT INTO import_road_lines (id, name, geom)
            SELECT u.id, u.name, ST_Force2D(ST_Transform(ST_GeomFromEWKB(u.g), %s))
              FROM unnest(%s::integer[], %s::text[], %s::bytea[]) AS u(id, name, g)
            """,
            [
                BNG,
                list(range(start, start + len(chunk))),
                [x.name for x in chunk],
                [x.ewkb for x in chunk],
            ],
        )
    _temp_table(cursor, "import_road_line_wards", "id integer PRIMARY KEY, ward_id bigint")
    cursor.execute(
        """
        INSERT INTO import_road_line_wards (id, ward_id)
        SELECT DISTINCT ON (s.id) s.id, s.ward_id
          FROM (SELECT l.id, a.id AS ward_id,
                       CASE WHEN ST_CoveredBy(l.geom, a.boundary) THEN ST_Length(l.geom)
                            ELSE ST_Length(ST_Intersection(l.geom, a.boundary)) END AS share
                  FROM import_road_lines l
                  JOIN areas_area a ON a.level = %s AND ST_Intersects(a.boundary, l.geom)) s
         WHERE s.share > 0
         ORDER BY s.id, s.share DESC, s.ward_id
        """,
        [Area.Level.WARD],
    )
    cursor.execute(
        """
        INSERT INTO import_street_candidates (ward_id, name, geometry, source)
        SELECT w.ward_id, l.name,
               ST_Multi(ST_LineMerge(ST_Collect(d.geom ORDER BY l.id, d.path))), %s
          FROM import_road_lines l
          JOIN import_road_line_wards w USING (id)
          CROSS JOIN LATERAL ST_Dump(l.geom) d
         GROUP BY w.ward_id, l.name
        """,
        [Street.Source.LINES],
    )
    cursor.execute(
        "UPDATE import_street_candidates SET length_m = ST_Length(geometry) WHERE source = %s",
        [Street.Source.LINES],
    )
    cursor.execute(
        """
        SELECT count(*) FROM import_road_lines l
         WHERE NOT EXISTS (SELECT 1 FROM import_road_line_wards w WHERE w.id = l.id)
        """
    )
    (outside,) = cursor.fetchone()
    return [f"{outside} named lines lie outside every ward; skipped"] if outside else []


def _candidates_from_points(cursor, points: Counter[MapPoint]) -> list[str]:
    """Stage distinct map points, place each in a ward, collect them by name and ward."""
    _temp_table(
        cursor,
        "import_map_points",
        "name text, kind varchar(6), point geometry, crimes integer, ward_id bigint",
    )
    items = sorted(points.items(), key=lambda item: (item[0].name, item[0].lon, item[0].lat))
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        cursor.execute(
            """
            INSERT INTO import_map_points (name, kind, point, crimes, ward_id)
            SELECT u.name, u.kind, p.point, u.crimes,
                   (SELECT a.id FROM areas_area a
                     WHERE a.level = %s AND ST_Covers(a.boundary, p.point)
                     ORDER BY a.id LIMIT 1)
              FROM unnest(%s::text[], %s::text[], %s::float8[], %s::float8[], %s::integer[])
                   AS u(name, kind, lon, lat, crimes)
             CROSS JOIN LATERAL (
                   SELECT ST_Transform(ST_SetSRID(ST_MakePoint(u.lon, u.lat), %s), %s) AS point
             ) p
            """,
            [
                Area.Level.WARD,
                [p.name for p, _ in chunk],
                [_kind(p.name) for p, _ in chunk],
                [p.lon for p, _ in chunk],
                [p.lat for p, _ in chunk],
                [n for _, n in chunk],
                WGS84,
                BNG,
            ],
        )
    cursor.execute(
        """
        INSERT INTO import_street_candidates (ward_id, name, geometry, source, kind)
        SELECT p.ward_id, p.name,
               ST_Multi(ST_Collect(p.point ORDER BY ST_X(p.point), ST_Y(p.point))), %s, p.kind
          FROM import_map_points p
         WHERE p.ward_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM areas_street s
                            WHERE s.ward_id = p.ward_id AND s.source = %s)
         GROUP BY p.ward_id, p.name, p.kind
        """,
        [Street.Source.POLICE_UK, Street.Source.LINES],
    )
    # Points accumulate: a month's file adds its points to a street, never drops others.
    cursor.execute(
        """
        UPDATE import_street_candidates c
           SET geometry = (SELECT ST_Multi(ST_Collect(d.geom ORDER BY ST_X(d.geom), ST_Y(d.geom)))
                             FROM ST_Dump(ST_Union(c.geometry, s.geometry)) d)
          FROM areas_street s
         WHERE s.ward_id = c.ward_id AND s.name = c.name AND s.source = %s
           AND NOT ST_Covers(c.geometry, s.geometry)
        """,
        [Street.Source.POLICE_UK],
    )
    cursor.execute(
        """
        SELECT count(*) FILTER (WHERE p.ward_id IS NULL),
               coalesce(sum(p.crimes) FILTER (WHERE p.ward_id IS NULL), 0),
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM areas_street s
                                               WHERE s.ward_id = p.ward_id AND s.source = %s))
          FROM import_map_points p
        """,
        [Street.Source.LINES],
    )
    outside, outside_rows, in_line_wards = cursor.fetchone()
    warnings = []
    if outside:
        warnings.append(
            f"{outside} map points ({outside_rows} police.uk rows) lie outside every ward; skipped"
        )
    if in_line_wards:
        warnings.append(
            f"{in_line_wards} map points are in wards that have road lines; not used as streets"
        )
    return warnings


_SAME = """
    s.source = c.source
    AND s.kind = c.kind
    AND s.length_m IS NOT DISTINCT FROM c.length_m
    AND ST_OrderingEquals(s.geometry, c.geometry)
"""


def _save_candidates(cursor) -> ImportSummary:
    """Insert new streets, update changed ones, count the rest; all in SQL."""
    summary = ImportSummary()
    cursor.execute(
        f"""
        SELECT count(*) FROM import_street_candidates c
          JOIN areas_street s ON s.ward_id = c.ward_id AND s.name = c.name
         WHERE {_SAME}
        """  # noqa: S608 - a constant fragment, no input
    )
    (summary.unchanged,) = cursor.fetchone()
    cursor.execute(
        f"""
        UPDATE areas_street s
           SET geometry = c.geometry, source = c.source, kind = c.kind, length_m = c.length_m
          FROM import_street_candidates c
         WHERE s.ward_id = c.ward_id AND s.name = c.name AND NOT ({_SAME})
        """  # noqa: S608 - a constant fragment, no input
    )
    summary.updated = cursor.rowcount
    cursor.execute(
        """
        INSERT INTO areas_street (name, ward_id, geometry, source, kind, length_m)
        SELECT c.name, c.ward_id, c.geometry, c.source, c.kind, c.length_m
          FROM import_street_candidates c
         WHERE NOT EXISTS (SELECT 1 FROM areas_street s
                            WHERE s.ward_id = c.ward_id AND s.name = c.name)
         ORDER BY c.ward_id, c.name
        """
    )
    summary.imported = cursor.rowcount
    cursor.execute("TRUNCATE import_street_candidates")
    return summary


# Each place's nearest real street: in its own ward, else anywhere (KNN on the GiST index).
NEAREST_STREET_SQL = """
UPDATE areas_street p
   SET near_id = coalesce(
       (SELECT s.id FROM areas_street s
         WHERE s.kind = 'street' AND s.ward_id = p.ward_id
         ORDER BY s.geometry <-> p.geometry, s.id LIMIT 1),
       (SELECT s.id FROM areas_street s
         WHERE s.kind = 'street'
         ORDER BY s.geometry <-> p.geometry, s.id LIMIT 1))
 WHERE p.kind = 'place'
"""


def set_nearest_streets(cursor) -> None:
    """Give every place its nearest real street (``Street.near``), once per import."""
    cursor.execute(NEAREST_STREET_SQL)


@transaction.atomic
def import_streets(
    *,
    lines: Sequence[Path] = (),
    police_uk: Sequence[Path] = (),
    progress: Progress = no_progress,
) -> ImportSummary:
    """Import road-line streets, then police.uk-derived streets for wards without lines.

    Every file is validated first; any problem rejects them all. Lines outside every
    ward and map points outside every ward are skipped and counted in the warnings.
    """
    errors = Errors()
    line_paths, police_paths = [Path(p) for p in lines], [Path(p) for p in police_uk]
    road_lines, unnamed = read_road_lines(line_paths, errors, progress)
    points, warnings = read_police_points(police_paths, errors, progress)
    if not Area.objects.filter(level=Area.Level.WARD).exists():
        first = (line_paths or police_paths or [Path("streets")])[0]
        errors.add(first, None, "", "no wards yet: import the ward boundaries first")
    errors.raise_if_any()

    summary = ImportSummary()
    if unnamed:
        summary.warnings.append(f"{unnamed} lines have no name; skipped")
    with connection.cursor() as cursor:
        _temp_table(
            cursor,
            "import_street_candidates",
            "ward_id bigint, name text, geometry geometry, source varchar(12), "
            f"kind varchar(6) DEFAULT '{Street.Kind.STREET}', length_m double precision, "
            "PRIMARY KEY (ward_id, name)",
        )
        if line_paths:
            progress(0, None, "placing road lines in wards")
            summary.warnings += _candidates_from_lines(cursor, road_lines)
            summary += _save_candidates(cursor)
        if police_paths:
            progress(0, None, "placing map points in wards")
            summary.warnings += warnings + _candidates_from_points(cursor, points)
            summary += _save_candidates(cursor)
        set_nearest_streets(cursor)
    return summary
