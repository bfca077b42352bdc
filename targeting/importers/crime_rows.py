"""The rows of a police.uk street-level file, checked at a million rows a go.

Every value of a row is checked, and every problem reported with its file, line and
column. A million rows carry only a few thousand distinct months, map points, LSOAs,
outcomes and crime types, so the values are checked in groups, (Month, Reported by,
Falls within), (Longitude, Latitude, Location), (LSOA code, LSOA name), the outcome and
the crime type, and each distinct group's verdict is remembered: the rest of the file
costs a lookup per group. Only the Crime ID is checked on every row. The problems of a
row are reported in the order of ``CHECKS``, whatever group found them.

A row that passes comes back with its values ready for PostgreSQL's ``COPY`` text
format (``copy_text``), each group's formatted once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from areas.importers.base import Errors, check_lon_lat, parse_float
from areas.importers.text import POLICE_UK_STREET_COLUMNS

from ..models import Crime, MapPoint

COLUMNS = POLICE_UK_STREET_COLUMNS
# police.uk's own files always have all twelve; "Context" is empty in practice.
REQUIRED = COLUMNS[:-1]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
ON_OR_NEAR = re.compile(r"^\s*on or near\b\s*", re.I)
HAS_SPACE = re.compile(r"\s")


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
# Every check of a row, in the order its problems are reported.
CHECKS = (
    "Month",
    "Reported by",
    "Falls within",
    *(f"{column} length" for column in LIMITS),
    "Crime ID spaces",
    "Longitude/Latitude",
    "Location",
    "LSOA code",
    "Crime type",
)
ORDER = {name: index for index, name in enumerate(CHECKS)}
CRIME_ID_LIMIT = LIMITS["Crime ID"]

# (order, column, reason)
Problem = tuple[int, str, str]

COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str) -> str:
    """``value`` as a field of PostgreSQL's ``COPY`` text format."""
    return value.translate(COPY_ESCAPES) if COPY_SPECIAL.search(value) else value


def normalise_location(text: str) -> str:
    return " ".join(text.split())


def street_name(location: str) -> str:
    return " ".join(ON_OR_NEAR.sub("", location).split())


def _too_long(column: str, value: str) -> list[Problem]:
    limit = LIMITS[column]
    if len(value) > limit:
        return [(ORDER[f"{column} length"], column, f"is longer than {limit} characters")]
    return []


class Columns:
    """Where each group's values are in one file's rows (files may order columns apart)."""

    def __init__(self, names: Sequence[str]):
        at = {name: index for index, name in enumerate(names)}  # the last of a name, as a dict
        self.what = itemgetter(*(at[c] for c in WHAT))
        self.where = itemgetter(*(at[c] for c in WHERE))
        self.crime_id = at["Crime ID"]
        self.context = at.get("Context")


# The two groups of a row whose verdicts are remembered.
WHAT = ("Month", "Reported by", "Falls within", "Crime type", "Last outcome category")
WHERE = ("Longitude", "Latitude", "Location", "LSOA code", "LSOA name")


class What(NamedTuple):
    """A row's month, force and crime, from the columns of ``WHAT``."""

    month: date | None
    reported_by: str
    # (force, month): the unit a month imported again replaces.
    month_key: tuple[str, date | None]
    is_asb: bool
    copy: str  # falls within, category id, outcome: in COPY text format


class Where(NamedTuple):
    """A row's map point and LSOA, from the columns of ``WHERE``."""

    point_key: int | None
    copy: str  # map point key (or null), LSOA code, LSOA name: in COPY text format


NULL = "\\N"  # a null in COPY text format


class RowChecker:
    """Checks rows one by one, each group of values' verdict remembered.

    ``points`` numbers each distinct map point (longitude, latitude, location, street
    name) in the order first seen, across every file the checker reads.
    """

    def __init__(self, errors: Errors, categories: dict[str, tuple[int, bool]]):
        self.errors = errors
        self.categories = categories
        self.points: dict[tuple, int] = {}
        self._what: dict[tuple[str, ...], tuple] = {}
        self._where: dict[tuple[str, ...], tuple] = {}
        self._coordinates: dict[tuple[str, str], tuple] = {}

    # --- The groups: (value, problems), each distinct group checked once --------------

    def what(self, month_text, reported_by, falls_within, crime_type, outcome) -> tuple:
        (month, reported_by, month_key, falls_within), problems = self.when(
            month_text, reported_by, falls_within
        )
        category, found = self.crime_type(crime_type)
        problems += found
        outcome, found = self.outcome(outcome)
        problems += found
        category_id, is_asb = category or (None, False)
        copy = f"{falls_within}\t{category_id}\t{outcome}"
        return What(month, reported_by, month_key, is_asb, copy), problems

    def where(self, lon_text, lat_text, location_text, lsoa_code, lsoa_name) -> tuple:
        point_key, problems = self.place(lon_text, lat_text, location_text)
        lsoa, found = self.lsoa(lsoa_code, lsoa_name)
        problems += found
        return Where(point_key, f"{NULL if point_key is None else point_key}\t{lsoa}"), problems

    def when(self, month_text: str, reported_by: str, falls_within: str) -> tuple:
        """((month, force, (force, month), falls within), problems); month None if bad."""
        month_text, reported_by = month_text.strip(), reported_by.strip()
        falls_within = falls_within.strip()
        problems: list[Problem] = []
        match = MONTH.match(month_text)
        month = None
        if match and 1 <= int(match.group(2)) <= 12:
            month = date(int(match.group(1)), int(match.group(2)), 1)
        else:
            reason = f"{month_text!r} is not a month like 2024-01"
            problems.append((ORDER["Month"], "Month", reason))
        for column, value in (("Reported by", reported_by), ("Falls within", falls_within)):
            if not value:
                problems.append((ORDER[column], column, "is empty"))
            problems += _too_long(column, value)
        return (month, reported_by, (reported_by, month), copy_text(falls_within)), problems

    def coordinates(self, lon_text: str, lat_text: str) -> tuple:
        """(lon, lat, [(column, reason)...]) for the pair of (stripped) coordinates."""
        key = (lon_text, lat_text)
        found = self._coordinates.get(key)
        if found is None:
            scratch = Errors()
            lon = lat = None
            if not (lon_text and lat_text):
                column = "Latitude" if lon_text else "Longitude"
                scratch.add("", 0, column, "is empty while the other coordinate is given")
            else:
                lon = parse_float(lon_text, scratch, Path(""), 0, "Longitude")
                lat = parse_float(lat_text, scratch, Path(""), 0, "Latitude")
                if lon is not None and lat is not None:
                    reason = check_lon_lat(lon, lat)
                    if reason:
                        scratch.add("", 0, "Longitude/Latitude", reason)
            found = (lon, lat, [(e.column, e.reason) for e in scratch.items])
            self._coordinates[key] = found
        return found

    def place(self, lon_text: str, lat_text: str, location_text: str) -> tuple:
        """(map point key or None, problems) of the row's coordinates and location."""
        lon_text, lat_text = lon_text.strip(), lat_text.strip()
        location_text = location_text.strip()
        problems = _too_long("Location", location_text)
        location = normalise_location(location_text)
        key = None
        if lon_text or lat_text:
            lon, lat, found = self.coordinates(lon_text, lat_text)
            problems += [(ORDER["Longitude/Latitude"], c, reason) for c, reason in found]
            if not location:
                reason = "is empty for a row with a map point"
                problems.append((ORDER["Location"], "Location", reason))
            if lon is not None and not problems:
                point = (lon, lat, location, street_name(location))
                key = self.points.setdefault(point, len(self.points))
        return key, problems

    def lsoa(self, code: str, name: str) -> tuple:
        code, name = code.strip(), name.strip()
        problems = _too_long("LSOA name", name)
        if code and not GSS_CODE.match(code):
            problems.append((ORDER["LSOA code"], "LSOA code", f"{code!r} is not an ONS (GSS) code"))
        return f"{copy_text(code)}\t{copy_text(name)}", problems

    def outcome(self, text: str) -> tuple:
        text = text.strip()
        return copy_text(text), _too_long("Last outcome category", text)

    def crime_type(self, text: str) -> tuple:
        text = text.strip()
        category = self.categories.get(text.lower())
        if category is None:
            what = repr(text) if text else "an empty crime type"
            reason = (
                f"{what} is not a known police.uk crime type (an admin can add it to the "
                "harm weights)"
            )
            return None, [(ORDER["Crime type"], "Crime type", reason)]
        return category, []

    # --- A row --------------------------------------------------------------------------

    def check(self, path: Path, line: int, row: list[str], at: Columns) -> tuple | None:
        """(What, Where, Crime ID, Context) of the row, the text in COPY text format; or None
        (its problems added to ``errors``)."""
        key = at.what(row)
        what = self._what.get(key) or self._what.setdefault(key, self.what(*key))
        key = at.where(row)
        where = self._where.get(key) or self._where.setdefault(key, self.where(*key))
        crime_id = row[at.crime_id].strip()
        if what[1] or where[1] or len(crime_id) > CRIME_ID_LIMIT or HAS_SPACE.search(crime_id):
            self._report(path, line, crime_id, (what, where))
            return None
        if "\\" in crime_id:  # no whitespace: a backslash is all COPY needs escaped
            crime_id = copy_text(crime_id)
        context = "" if at.context is None else row[at.context].strip()
        if context:  # empty in practice
            context = copy_text(context)
        return what[0], where[0], crime_id, context

    def _report(self, path: Path, line: int, crime_id: str, groups) -> None:
        problems = [p for _value, found in groups for p in found]
        problems += _too_long("Crime ID", crime_id)
        if HAS_SPACE.search(crime_id):
            problems.append((ORDER["Crime ID spaces"], "Crime ID", f"{crime_id!r} contains spaces"))
        # Stable: problems of the same check keep the order they were found in.
        for _order, column, reason in sorted(problems, key=lambda p: p[0]):
            self.errors.add(path, line, column, reason)
