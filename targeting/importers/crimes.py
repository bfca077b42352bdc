"""police.uk street-level crime files in, every row kept.

The real files have traps this importer is built around:

- ``Crime ID`` is empty on anti-social behaviour rows and is not unique (the same ID on
  several rows, and some rows fully identical): every row is a record, none is dropped
  or merged, so rows are identified by file and line, never by ``Crime ID``;
- police.uk republishes months with updated outcomes: importing a month again for a
  force replaces that force's month as a whole, in one transaction;
- some rows lie far outside the force: they are kept, their map point has no ward;
- CRLF or LF, with or without a byte-order mark.

Every file is parsed once: each row is checked and streamed with PostgreSQL ``COPY``
into temporary staging tables in the same pass (each distinct map point and month
once). If any row has a problem, every problem is collected and the transaction is
rolled back before anything else is written, so nothing is imported. Then everything
is set-based SQL: new map points are inserted once, placed in a ward (point in polygon)
and on a street (nearest within ``STREET_DISTANCE_M``, a KNN ``<->`` query on the
street GiST index), the months are replaced and all the crimes inserted in one
statement, and the tables analysed for the scoring that follows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import connection, transaction

from areas.importers.base import Errors, ImportSummary, Progress, no_progress, read_csv_rows
from areas.models import BNG, WGS84, Area

from ..models import CrimeCategory, CrimeImport
from .crime_rows import REQUIRED, Columns, RowChecker, What

# A crime's map point is put on the nearest street no further than this.
STREET_DISTANCE_M = 100.0


@dataclass
class MonthCount:
    """One force's month in one file: the unit that is replaced as a whole."""

    reported_by: str
    month: date
    file_name: str
    sha256: str
    first_line: int
    number: int  # its key in the staging tables
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


def _categories() -> dict[str, tuple[int, bool]]:
    """Crime type (lower case) -> (category id, is anti-social behaviour)."""
    return {
        c.name.lower(): (c.pk, c.is_asb) for c in CrimeCategory.objects.only("pk", "name", "slug")
    }


# --- Staging: every file parsed once, checked and copied in the same pass -----------------

STAGING = """
DROP TABLE IF EXISTS pg_temp.import_crimes, pg_temp.import_points, pg_temp.import_months;
CREATE TEMP TABLE import_crimes (
    file_index integer, line integer, month_key integer, crime_id text, point_key integer,
    lsoa_code text, lsoa_name text, falls_within text, category_id bigint, outcome text,
    context text
) ON COMMIT DROP;
CREATE TEMP TABLE import_points (
    point_key integer PRIMARY KEY, lon double precision, lat double precision, location text,
    name text, point_id bigint
) ON COMMIT DROP;
CREATE TEMP TABLE import_months (
    month_key integer PRIMARY KEY, reported_by text, month date, batch_id bigint
) ON COMMIT DROP;
"""
# In the order of the values crime_rows.RowChecker formats (What.copy, Where.copy).
STAGING_COLUMNS = (
    "file_index", "line", "month_key", "crime_id", "point_key", "lsoa_code", "lsoa_name",
    "falls_within", "category_id", "outcome", "context",
)  # fmt: skip


@dataclass
class Staged:
    """What the pass over the files found: months, map points, the files' digests."""

    months: dict[tuple[str, date], MonthCount] = field(default_factory=dict)
    points: dict[tuple, int] = field(default_factory=dict)
    digests: dict[str, Path] = field(default_factory=dict)


def _digest(path: Path, errors: Errors, staged: Staged) -> str | None:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        errors.add(path, None, "", f"cannot read the file: {exc.strerror}")
        return None
    if digest in staged.digests:
        errors.add(path, None, "", f"the same file as {staged.digests[digest].name}")
        return None
    staged.digests[digest] = path
    return digest


def _month_count(path, line, what: What, digest, staged, in_file, clashes, errors):
    """The file's new count for (force, month), or None when another file has that month."""
    key = what.month_key
    if key in clashes:
        return None
    other = staged.months.get(key)
    if other is not None:
        clashes.add(key)  # reported once, at the first row
        errors.add(
            path,
            line,
            "Month",
            f"{what.month:%Y-%m} of {what.reported_by} is also in {other.file_name}: "
            "import one file per force and month",
        )
        return None
    number = len(staged.months) + len(in_file)
    count = in_file[key] = MonthCount(what.reported_by, what.month, path.name, digest, line, number)
    return count


def _stage_file(copy, index, path, checker, staged, progress) -> None:
    errors = checker.errors
    digest = _digest(path, errors, staged)
    if digest is None:
        return
    in_file: dict[tuple[str, date], MonthCount] = {}
    clashes: set[tuple[str, date]] = set()
    names = at = None
    lines: list[str] = []
    for line, header, row in read_csv_rows(path, errors, required=REQUIRED):
        if header is not names:
            names, at = header, Columns(header)
        checked = checker.check(path, line, row, at)
        if line % 5000 == 0:
            progress(line, None, f"checking {path.name}")
        if checked is None:
            continue
        what, where, crime_id, context = checked
        count = in_file.get(what.month_key) or _month_count(
            path, line, what, digest, staged, in_file, clashes, errors
        )
        if count is None:
            continue
        count.rows += 1
        count.asb_rows += what.is_asb
        count.without_location += where.point_key is None
        if not errors.items:  # once a problem is found nothing will be loaded: only check
            # STAGING_COLUMNS in COPY text format.
            lines.append(
                f"{index}\t{line}\t{count.number}\t{crime_id}\t{where.copy}\t{what.copy}\t"
                f"{context}\n"
            )
            if len(lines) == COPY_LINES:
                copy.write("".join(lines))
                lines.clear()
    if lines and not errors:
        copy.write("".join(lines))
    staged.months.update(in_file)


# Rows sent to COPY at a time.
COPY_LINES = 5000


def _stage(cursor, paths: Sequence[Path], errors: Errors, progress: Progress) -> Staged:
    """Read, check and copy every file once; the staging tables hold the result."""
    cursor.execute(STAGING)
    checker = RowChecker(errors, _categories())
    staged = Staged(points=checker.points)
    with cursor.copy(f"COPY import_crimes ({', '.join(STAGING_COLUMNS)}) FROM STDIN") as copy:
        for index, path in enumerate(paths):
            _stage_file(copy, index, path, checker, staged, progress)
    if errors:
        return staged
    with cursor.copy("COPY import_points (point_key, lon, lat, location, name) FROM STDIN") as copy:
        for (lon, lat, location, name), key in staged.points.items():
            copy.write_row((key, lon, lat, location, name))
    with cursor.copy("COPY import_months (month_key, reported_by, month) FROM STDIN") as copy:
        for count in staged.months.values():
            copy.write_row((count.number, count.reported_by, count.month))
    cursor.execute("ANALYZE import_crimes, import_points, import_months")
    return staged


# --- Writing ------------------------------------------------------------------------------


def _insert_map_points(cursor) -> int:
    """Each new (longitude, latitude, location) once, in British National Grid."""
    cursor.execute(
        """
        INSERT INTO targeting_mappoint (longitude, latitude, location, name, point)
        SELECT s.lon, s.lat, s.location, s.name,
               ST_Transform(ST_SetSRID(ST_MakePoint(s.lon, s.lat), %s), %s)
          FROM import_points s
        ON CONFLICT (longitude, latitude, location) DO NOTHING
        """,
        [WGS84, BNG],
    )
    inserted = cursor.rowcount
    cursor.execute(
        """
        UPDATE import_points s SET point_id = p.id
          FROM targeting_mappoint p
         WHERE p.longitude = s.lon AND p.latitude = s.lat AND p.location = s.location
        """
    )
    return inserted


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


def _outside_rows(cursor) -> dict[int, int]:
    """Rows per staged month whose map point lies outside every ward."""
    cursor.execute(
        """
        SELECT s.month_key, count(*) FROM import_crimes s
          JOIN import_points ip ON ip.point_key = s.point_key
          JOIN targeting_mappoint p ON p.id = ip.point_id
         WHERE p.ward_id IS NULL
         GROUP BY s.month_key
        """
    )
    return dict(cursor.fetchall())


INSERT_CRIMES = """
INSERT INTO targeting_crime
       (month, reported_by, falls_within, crime_id, category_id, location_id,
        lsoa_code, lsoa_name, outcome, context, batch_id, source_line)
SELECT m.month, m.reported_by, s.falls_within, s.crime_id, s.category_id, p.point_id,
       s.lsoa_code, s.lsoa_name, s.outcome, s.context, m.batch_id, s.line
  -- A temporary table is read in the order it was written: the files' own order.
  FROM import_crimes s
  JOIN import_months m ON m.month_key = s.month_key
  LEFT JOIN import_points p ON p.point_key = s.point_key
"""


def _replace_months(
    cursor, months: list[MonthCount], user_id: int | None, job_id: int | None
) -> CrimeImportSummary:
    """Delete each force's months, record the imports, insert every staged row at once."""
    summary = CrimeImportSummary()
    outside_by_key = _outside_rows(cursor)
    batches = []
    for key, count in enumerate(months):
        cursor.execute(
            "DELETE FROM targeting_crime WHERE month = %s AND reported_by = %s",
            [count.month, count.reported_by],
        )
        replaced = cursor.rowcount
        outside = outside_by_key.get(key, 0)
        batch = CrimeImport.objects.create(
            reported_by=count.reported_by,
            month=count.month,
            file_name=count.file_name,
            sha256=count.sha256,
            rows=count.rows,
            asb_rows=count.asb_rows,
            outside_rows=outside,
            without_location=count.without_location,
            replaced_rows=replaced,
            imported_by_id=user_id,
            job_id=job_id,
        )
        batches.append((key, batch.pk))
        summary.updated += replaced
        summary.months.append(
            {
                "reported_by": count.reported_by,
                "month": f"{count.month:%Y-%m}",
                "file": count.file_name,
                "rows": count.rows,
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
    cursor.execute(
        "UPDATE import_months m SET batch_id = b.batch_id "
        "FROM unnest(%s::integer[], %s::bigint[]) b(month_key, batch_id) "
        "WHERE m.month_key = b.month_key",
        [[k for k, _ in batches], [b for _, b in batches]],
    )
    summary.imported = _insert_crimes(cursor, sum(c.rows for c in months))
    return summary


# A load of at least this share of the rows the table will hold builds its indexes anew.
REBUILD_INDEXES_SHARE = 0.5


def _insert_crimes(cursor, rows: int) -> int:
    """Insert every staged row; the number inserted.

    Keeping an index up to date row by row costs several times what building it does
    once (at a million rows, seconds for each index), so a load that makes up most of
    the table (a force's history imported at once) drops the table's plain indexes,
    inserts, and builds them again, in this same transaction: a problem rolls the
    indexes back with the rows. While it runs, pages reading crimes wait for it to
    commit. A month imported into a table of years keeps the indexes.
    """
    cursor.execute(
        "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'targeting_crime'::regclass"
    )
    (held,) = cursor.fetchone()
    if rows < REBUILD_INDEXES_SHARE * (held + rows):
        cursor.execute(INSERT_CRIMES)
        return cursor.rowcount
    cursor.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = 'targeting_crime'::regclass
           AND NOT i.indisprimary AND NOT i.indisunique
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
         ORDER BY c.relname
        """
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')  # our own indexes' names, from the catalogue
    cursor.execute(INSERT_CRIMES)
    inserted = cursor.rowcount
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _name, definition in indexes:
        cursor.execute(definition)
    return inserted


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
        errors.raise_if_any()
    # Everything happens in one transaction: a problem found in any row raises before
    # the end, and the rollback leaves nothing written.
    with transaction.atomic(), connection.cursor() as cursor:
        # One import at a time: two imports of the same month must not interleave.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('targeting.import_crimes'))")
        staged = _stage(cursor, paths, errors, progress)
        if not errors and not staged.months:
            errors.add(paths[0], None, "", "the files have no rows")
        errors.raise_if_any()
        progress(0, None, "placing map points")
        new_points = _insert_map_points(cursor)
        place_map_points(cursor)
        progress(0, None, "replacing months")
        summary = _replace_months(cursor, list(staged.months.values()), user_id, job_id)
        # The scores read these tables next: give the planner today's numbers.
        cursor.execute("ANALYZE targeting_crime, targeting_mappoint")
        cursor.execute(
            "DROP TABLE IF EXISTS pg_temp.import_crimes, pg_temp.import_points, "
            "pg_temp.import_months"
        )
    if new_points:
        summary.warnings.append(f"{new_points} new map points")
    return summary
