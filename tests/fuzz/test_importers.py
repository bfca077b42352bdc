"""Every importer, fed hypothesis-generated broken files: never an unhandled exception,
never a partial import.

Each file is a real sample damaged by ``tests/fuzz/mutations.py``. The importer either
imports it or raises ``ImportRejected`` (the admin's list of problems); after a
rejection the database holds exactly what it held before. ``make test`` runs
FUZZ_EXAMPLES (default 250) files per importer; ``make fuzz`` runs 2,000.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areas.importers.base import ImportRejected
from areas.importers.boundaries import import_boundaries
from areas.importers.output_areas import import_output_areas
from areas.importers.postcodes import import_postcodes
from areas.importers.streets import import_streets
from areas.models import Area
from demo.geography import boundary_files, data_dir, output_area_files, police_street_files
from demo.geography import postcode_files as codepoint_files
from demo.targeting import deprivation_files
from targeting.importers.crimes import import_crimes
from targeting.importers.deprivation import import_deprivation
from targeting.importers.geodemographics import import_oac
from tests.conftest import square

from .mutations import broken_csv, broken_geojson

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "250"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES < 1000,  # the same files on every `make test`; `make fuzz` explores
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
TABLES_OF = ("areas", "targeting")


def head(path: Path, lines: int) -> bytes:
    with path.open("rb") as handle:
        return b"".join(line for _, line in zip(range(lines), handle, strict=False))


@functools.cache
def features(path: Path, count: int) -> tuple:
    doc = json.loads(path.read_text(encoding="utf-8-sig"))
    return tuple(doc["features"][:count])


def row_counts() -> dict[str, int]:
    """Rows in every table the importers write, in one query."""
    tables = [m._meta.db_table for app in TABLES_OF for m in apps.get_app_config(app).get_models()]
    counts = ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)  # noqa: S608 - model tables
    sql = "SELECT " + counts
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def all_or_nothing(run, files: dict[str, bytes], folder: Path) -> None:
    """Write the files, run the import, and check a rejection left nothing behind.

    Everything is undone afterwards (a savepoint), so examples do not see each other.
    """
    paths = {}
    for name, content in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(content)
    with transaction.atomic():
        before = row_counts()
        try:
            run(paths)
        except ImportRejected as rejected:
            assert rejected.errors, "a rejection names its problems"
            assert row_counts() == before, "a rejected import wrote something"
        transaction.set_rollback(True)


@pytest.fixture
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


POSTCODES = head(codepoint_files()[0], 20)
CRIMES = head(police_street_files()[3], 20)
IOD = head(deprivation_files()["path"], 15)
IOD_LOOKUP = deprivation_files()["lookup"].read_bytes()
OA = output_area_files()
OA_LOOKUP = head(OA["lookup"], 15)
OA_POPULATION = head(OA["population"], 15)
OAC = head(OA["classification"], 15)
LSOAS = features(boundary_files()[-1], 2)
RUTLAND = data_dir() / "osm_rutland_2018/rutland_highway_lines__DERIVED_from_pbf.geojson"


@FUZZ
@given(content=broken_csv(POSTCODES))
def test_the_postcode_importer(folder, content):
    all_or_nothing(lambda p: import_postcodes([p["hu.csv"]]), {"hu.csv": content}, folder)


@FUZZ
@given(content=broken_csv(CRIMES))
def test_the_crime_importer(folder, content):
    all_or_nothing(
        lambda p: import_crimes([p["2024-04-humberside-street.csv"]]),
        {"2024-04-humberside-street.csv": content},
        folder,
    )


@FUZZ
@given(content=broken_csv(CRIMES))
def test_the_police_uk_street_importer(folder, content):
    all_or_nothing(
        lambda p: import_streets(police_uk=[p["points.csv"]]), {"points.csv": content}, folder
    )


@FUZZ
@given(
    content=broken_csv(IOD), lookup=st.sampled_from([IOD_LOOKUP]) | broken_csv(IOD_LOOKUP[:4000])
)
def test_the_deprivation_importer(folder, content, lookup):
    all_or_nothing(
        lambda p: import_deprivation(p["iod.csv"], lookup=p["lookup.csv"]),
        {"iod.csv": content, "lookup.csv": lookup},
        folder,
    )


@FUZZ
@given(content=broken_csv(OAC))
def test_the_output_area_classification_importer(folder, content):
    all_or_nothing(lambda p: import_oac(p["oac.csv"]), {"oac.csv": content}, folder)


@FUZZ
@given(lookup=broken_csv(OA_LOOKUP), population=broken_csv(OA_POPULATION))
def test_the_output_area_importer(folder, lookup, population):
    all_or_nothing(
        lambda p: import_output_areas(lookup=p["lookup.csv"], population=p["ts001.csv"]),
        {"lookup.csv": lookup, "ts001.csv": population},
        folder,
    )


@FUZZ
@given(content=broken_geojson(list(LSOAS)))
def test_the_boundary_importer(folder, content):
    all_or_nothing(
        lambda p: import_boundaries([p["lsoa.geojson"]]), {"lsoa.geojson": content}, folder
    )


@pytest.fixture
def oakham(db):
    return Area.objects.create(
        code="E05999990", name="Oakham (fuzz)", level=Area.Level.WARD,
        boundary=square(484_000, 307_000, 4000),
    )  # fmt: skip


@FUZZ
@given(content=broken_geojson(list(features(RUTLAND, 6))))
def test_the_street_line_importer(folder, oakham, content):
    all_or_nothing(
        lambda p: import_streets(lines=[p["lines.geojson"]]), {"lines.geojson": content}, folder
    )
