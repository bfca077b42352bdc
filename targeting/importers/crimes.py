"""police.uk street-level crime files in, every row kept.

The real files have traps this importer is built around:

- ``Crime ID`` is empty on anti-social behaviour rows and is not unique (the same ID on
  several rows, and some rows fully identical): every row is a record, none is dropped
  or merged, so rows are identified by file and line, never by ``Crime ID``;
- police.uk republishes months with updated outcomes: importing a month again for a
  force replaces that force's month as a whole, in one transaction;
- some rows lie far outside the force: they are kept, their map point has no ward;
- CRLF or LF, with or without a byte-order mark.

Every file is read and checked before anything is written (pass 1); then the rows are
streamed with PostgreSQL ``COPY`` into a staging table (pass 2) and everything else is
set-based SQL: new map points are inserted once, placed in a ward (point in polygon)
and on a street (nearest within ``STREET_DISTANCE_M``, a KNN ``<->`` query on the
street GiST index), the months are replaced and the crimes inserted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import connection, transaction

from areas.importers.base import (
    Errors,
    ImportSummary,
    Progress,
    check_lon_lat,
    no_progress,
    parse_float,
    read_csv,
)
from areas.models import BNG, WGS84, Area

from ..models import Crime, CrimeCategory, CrimeImport, MapPoint

COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
# police.uk's own files always have all twelve; "Context" is empty in practice.
REQUIRED = COLUMNS[:-1]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
ON_OR_NEAR = re.compile(r"^\s*on or near\b\s*", re.I)
# A crime's map point is put on the nearest street no further than this.
STREET_DISTANCE_M = 100.0


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


LIMITS = {
    "Crime ID": _limit(Crime, "crime_id"),
    "Reported by": _limit(Crime, "reported_by"),
    "Falls within": _limit(Crime, "falls_within"),
    "Location": _limit(MapPoint, "location"),
    "LSOA name": _limit(Crime, "lsoa_name"),
    "Last outcome category": _limit(Crime, "outcome"),
}


@dataclass
class MonthCount:
    """One force's month in one file: the unit that is replaced as a whole."""

    reported_by: str
    month: date
    file_name: str
    sha256: str
    first_line: int
    rows: int = 0
    asb_rows: int = 0
    without_location: int = 0

    @property
    def key(self) -> tuple[str, date]:
        return (self.reported_by, self.month)


@dataclass
class CrimeImportSummary(ImportSummary):
    """The shared summary, plus what was loaded per force and month."""

    months: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return super().as_dict() | {"months": self.months}


@dataclass(frozen=True)
class Row:
    line: int
    crime_id: str
    month: date
    reported_by: str
    falls_within: str
    lon: float | None
    lat: float | None
    location: str
    name: str
    lsoa_code: str
    lsoa_name: str
    category_id: int
    outcome: str
    context: str


def normalise_location(text: str) -> str:
    return " ".join(text.split())


def street_name(location: str) -> str:
    return " ".join(ON_OR_NEAR.sub("", location).split())


def _categories() -> dict[str, tuple[int, bool]]:
    """Crime type (lower case) -> (category id, is anti-social behaviour)."""
    return {
        c.name.lower(): (c.pk, c.is_asb) for c in CrimeCategory.objects.only("pk", "name", "slug")
    }


def read_rows(
    path: Path, errors: Errors, categories: dict[str, tuple[int, bool]]
) -> Iterator[tuple[Row, bool]]:
    """Validated rows of one file with whether each is anti-social behaviour.

    Problems are added to ``errors`` (with line and column) and the row is skipped.
    """
    for line, raw in read_csv(path, errors, required=REQUIRED):
        before = len(errors.items)
        row = {k: (v or "").strip() for k, v in raw.items()}
        match = MONTH.match(row["Month"])
        month = None
        if not match or not 1 <= int(match.group(2)) <= 12:
            errors.add(path, line, "Month", f"{row['Month']!r} is not a month like 2024-01")
        else:
            month = date(int(match.group(1)), int(match.group(2)), 1)
        for column in ("Reported by", "Falls within"):
            if not row[column]:
                errors.add(path, line, column, "is empty")
        for column, limit in LIMITS.items():
            if len(row[column]) > limit:
                errors.add(path, line, column, f"is longer than {limit} characters")
        if any(c.isspace() for c in row["Crime ID"]):
            errors.add(path, line, "Crime ID", f"{row['Crime ID']!r} contains spaces")
        lon = lat = None
        lon_text, lat_text = row["Longitude"], row["Latitude"]
        if lon_text or lat_text:
            if not (lon_text and lat_text):
                column = "Latitude" if lon_text else "Longitude"
                errors.add(path, line, column, "is empty while the other coordinate is given")
            else:
                lon = parse_float(lon_text, errors, path, line, "Longitude")
                lat = parse_float(lat_text, errors, path, line, "Latitude")
                if lon is not None and lat is not None:
                    reason = check_lon_lat(lon, lat)
                    if reason:
                        errors.add(path, line, "Longitude/Latitude", reason)
        location = normalise_location(row["Location"])
        if (lon_text or lat_text) and not location:
            errors.add(path, line, "Location", "is empty for a row with a map point")
        if row["LSOA code"] and not GSS_CODE.match(row["LSOA code"]):
            errors.add(path, line, "LSOA code", f"{row['LSOA code']!r} is not an ONS (GSS) code")
        category = categories.get(row["Crime type"].lower())
        if category is None:
            what = repr(row["Crime type"]) if row["Crime type"] else "an empty crime type"
            errors.add(
                path,
                line,
                "Crime type",
                f"{what} is not a known police.uk crime type (an admin can add it to the "
                "harm weights)",
            )
        if len(errors.items) > before or month is None or category is None:
            continue
        yield (
            Row(
                line=line,
                crime_id=row["Crime ID"],
                month=month,
                reported_by=row["Reported by"],
                falls_within=row["Falls within"],
                lon=lon,
                lat=lat,
                location=location if lon is not None else "",
                name=street_name(location) if lon is not None else "",
                lsoa_code=row["LSOA code"],
                lsoa_name=row["LSOA name"],
                category_id=category[0],
                outcome=row["Last outcome category"],
                context=row.get("Context", ""),
            ),
            category[1],
        )


def validate(
    paths: Sequence[Path], errors: Errors, progress: Progress
) -> tuple[list[MonthCount], list[str]]:
    """Pass 1: check every row of every file; count rows per force and month."""
    categories = _categories()
    months: dict[tuple[str, date], MonthCount] = {}
    digests: dict[str, Path] = {}
    for path in paths:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            errors.add(path, None, "", f"cannot read the file: {exc.strerror}")
            continue
        if digest in digests:
            errors.add(path, None, "", f"the same file as {digests[digest].name}")
            continue
        digests[digest] = path
        in_file: dict[tuple[str, date], MonthCount] = {}
        clashes: set[tuple[str, date]] = set()
        for row, is_asb in read_rows(path, errors, categories):
            key = (row.reported_by, row.month)
            count = in_file.get(key)
            if count is None:
                if key in clashes:
                    continue
                other = months.get(key)
                if other is not None:
                    clashes.add(key)  # reported once, at the first row
                    errors.add(
                        path,
                        row.line,
                        "Month",
                        f"{row.month:%Y-%m} of {row.reported_by} is also in {other.file_name}: "
                        "import one file per force and month",
                    )
                    continue
                count = in_file[key] = MonthCount(
                    row.reported_by, row.month, path.name, digest, row.line
                )
            count.rows += 1
            count.asb_rows += is_asb
            count.without_location += row.lon is None
            if row.line % 2000 == 0:
                progress(row.line, None, f"checking {path.name}")
        months.update(in_file)
    return list(months.values()), list(digests)


# --- Writing ------------------------------------------------------------------------------

STAGING_COLUMNS = (
    "file_index",
    "line",
    "crime_id",
    "month",
    "reported_by",
    "falls_within",
    "lon",
    "lat",
    "location",
    "name",
    "lsoa_code",
    "lsoa_name",
    "category_id",
    "outcome",
    "context",
)


def _create_staging(cursor) -> None:
    cursor.execute("DROP TABLE IF EXISTS pg_temp.import_crimes")
    cursor.execute(
        """
        CREATE TEMP TABLE import_crimes (
            file_index integer, line integer, crime_id text, month date,
            reported_by text, falls_within text, lon double precision,
            lat double precision, location text, name text, lsoa_code text,
            lsoa_name text, category_id bigint, outcome text, context text
        ) ON COMMIT DROP
        """
    )


def _copy_rows(cursor, paths: Sequence[Path], progress: Progress) -> int:
    """Pass 2: stream the (already validated) rows into the staging table with COPY."""
    categories = _categories()
    copied = 0
    columns = ", ".join(STAGING_COLUMNS)
    with cursor.copy(f"COPY import_crimes ({columns}) FROM STDIN") as copy:
        for index, path in enumerate(paths):
            errors = Errors()
            for row, _ in read_rows(path, errors, categories):
                copy.write_row(
                    (
                        index,
                        row.line,
                        row.crime_id,
                        row.month,
                        row.reported_by,
                        row.falls_within,
                        row.lon,
                        row.lat,
                        row.location,
                        row.name,
                        row.lsoa_code,
                        row.lsoa_name,
                        row.category_id,
                        row.outcome,
                        row.context,
                    )
                )
                copied += 1
                if copied % 5000 == 0:
                    progress(copied, None, "loading rows")
            # Validated in pass 1; a file changed in between must not half-load.
            errors.raise_if_any()
    return copied


def _insert_map_points(cursor) -> int:
    """Each new (longitude, latitude, location) once, in British National Grid."""
    cursor.execute(
        """
        INSERT INTO targeting_mappoint (longitude, latitude, location, name, point)
        SELECT DISTINCT s.lon, s.lat, s.location, s.name,
               ST_Transform(ST_SetSRID(ST_MakePoint(s.lon, s.lat), %s), %s)
          FROM import_crimes s
         WHERE s.lon IS NOT NULL
        ON CONFLICT (longitude, latitude, location) DO NOTHING
        """,
        [WGS84, BNG],
    )
    return cursor.rowcount


def place_map_points(cursor, *, everything: bool = False) -> int:
    """Give map points their ward (point in polygon) and street (KNN within a distance).

    The nearest street comes from a KNN ``<->`` ordering on the street GiST index;
    among streets at the same distance (a police.uk street is made of these very
    points) the one with the point's own name in its ward wins.
    """
    cursor.execute(
        f"""
        UPDATE targeting_mappoint p
           SET ward_id = placed.ward_id,
               street_id = placed.street_id,
               street_distance_m = placed.distance,
               placed_at = now()
          FROM (SELECT q.id, w.id AS ward_id, st.id AS street_id, st.distance
                  FROM targeting_mappoint q
                  LEFT JOIN LATERAL (
                        SELECT a.id FROM areas_area a
                         WHERE a.level = %s AND ST_Covers(a.boundary, q.point)
                         ORDER BY a.id LIMIT 1) w ON true
                  LEFT JOIN LATERAL (
                        SELECT s.id, ST_Distance(s.geometry, q.point) AS distance
                          FROM areas_street s
                         WHERE ST_DWithin(s.geometry, q.point, %s)
                         ORDER BY s.geometry <-> q.point,
                                  (s.name = q.name AND s.ward_id IS NOT DISTINCT FROM w.id) DESC,
                                  s.id
                         LIMIT 1) st ON true
                 {"" if everything else "WHERE q.placed_at IS NULL"}
               ) placed
         WHERE p.id = placed.id
        """,  # noqa: S608 - a constant fragment, no input
        [Area.Level.WARD, STREET_DISTANCE_M],
    )
    return cursor.rowcount


def _replace_months(cursor, months: list[MonthCount], user_id: int | None, job_id: int | None):
    """Delete each force's months, record the imports, insert every staged row."""
    summary = CrimeImportSummary()
    for count in months:
        cursor.execute(
            "DELETE FROM targeting_crime WHERE reported_by = %s AND month = %s",
            [count.reported_by, count.month],
        )
        replaced = cursor.rowcount
        batch = CrimeImport.objects.create(
            reported_by=count.reported_by,
            month=count.month,
            file_name=count.file_name,
            sha256=count.sha256,
            rows=count.rows,
            asb_rows=count.asb_rows,
            without_location=count.without_location,
            replaced_rows=replaced,
            imported_by_id=user_id,
            job_id=job_id,
        )
        cursor.execute(
            """
            INSERT INTO targeting_crime
                   (month, reported_by, falls_within, crime_id, category_id, location_id,
                    lsoa_code, lsoa_name, outcome, context, batch_id, source_line)
            SELECT s.month, s.reported_by, s.falls_within, s.crime_id, s.category_id, p.id,
                   s.lsoa_code, s.lsoa_name, s.outcome, s.context, %s, s.line
              FROM import_crimes s
              LEFT JOIN targeting_mappoint p
                ON s.lon IS NOT NULL
               AND p.longitude = s.lon AND p.latitude = s.lat AND p.location = s.location
             WHERE s.reported_by = %s AND s.month = %s
             ORDER BY s.file_index, s.line
            """,
            [batch.pk, count.reported_by, count.month],
        )
        inserted = cursor.rowcount
        cursor.execute(
            """
            SELECT count(*) FROM targeting_crime c
              JOIN targeting_mappoint p ON p.id = c.location_id
             WHERE c.batch_id = %s AND p.ward_id IS NULL
            """,
            [batch.pk],
        )
        (outside,) = cursor.fetchone()
        batch.outside_rows = outside
        batch.save(update_fields=["outside_rows"])
        summary.imported += inserted
        summary.updated += replaced
        summary.months.append(
            {
                "reported_by": count.reported_by,
                "month": f"{count.month:%Y-%m}",
                "file": count.file_name,
                "rows": inserted,
                "anti_social_behaviour": count.asb_rows,
                "outside_force": outside,
                "without_location": count.without_location,
                "replaced": replaced,
            }
        )
        label = f"{count.month:%Y-%m} {count.reported_by}"
        if replaced:
            summary.warnings.append(f"{label}: replaced the {replaced} rows imported before")
        if outside:
            summary.warnings.append(
                f"{label}: {outside} rows lie outside every ward (kept, flagged)"
            )
        if count.without_location:
            summary.warnings.append(f"{label}: {count.without_location} rows have no location")
    return summary


def import_crimes(
    paths: Sequence[Path | str],
    *,
    user_id: int | None = None,
    job_id: int | None = None,
    progress: Progress = no_progress,
) -> CrimeImportSummary:
    """Import police.uk street-level files; all of them or, on any problem, none.

    Raises ``ImportRejected`` listing every problem (file, line, column, reason).
    """
    paths = [Path(p) for p in paths]
    errors = Errors()
    if not paths:
        errors.add("crimes", None, "", "no files given")
    months, _ = validate(paths, errors, progress)
    if not errors and not months:
        errors.add(paths[0], None, "", "the files have no rows")
    errors.raise_if_any()
    with transaction.atomic(), connection.cursor() as cursor:
        # One import at a time: two imports of the same month must not interleave.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('targeting.import_crimes'))")
        _create_staging(cursor)
        _copy_rows(cursor, paths, progress)
        progress(0, None, "placing map points")
        new_points = _insert_map_points(cursor)
        place_map_points(cursor)
        progress(0, None, "replacing months")
        summary = _replace_months(cursor, months, user_id, job_id)
        cursor.execute("DROP TABLE IF EXISTS pg_temp.import_crimes")
    if new_points:
        summary.warnings.append(f"{new_points} new map points")
    return summary
