"""import_boundaries on the real Humberside files, and on broken copies of them."""

import pytest
from django.contrib.gis.geos import Point

from areas.importers.boundaries import import_boundaries
from areas.models import WGS84, Area, Lsoa
from areas.selectors import ward_for_point
from demo.geography import boundary_files

from .conftest import (
    as_bng_geojson,
    problems,
    read_features,
    run_import,
    run_rejected,
    write_features,
)

pytestmark = pytest.mark.django_db

DRYPOOL = "E05011531"
LSOA_FILE = "humberside_lsoa2021_ASSEMBLED.geojson"


def test_the_force_area_is_one_force_of_four_districts_and_81_wards():
    counts = {level: Area.objects.filter(level=level).count() for level in Area.Level}
    assert counts == {"force": 1, "district": 4, "ward": 81}


def test_each_district_has_the_wards_of_its_current_pattern():
    wards = {
        d.code: d.children.filter(level=Area.Level.WARD).count()
        for d in Area.objects.filter(level=Area.Level.DISTRICT)
    }
    assert wards == {"E06000010": 21, "E06000011": 26, "E06000012": 15, "E06000013": 19}


def test_all_591_lsoas_of_2021_are_imported_each_in_its_district():
    assert Lsoa.objects.count() == 591
    assert not Lsoa.objects.filter(district__isnull=True).exists()


def test_drypool_an_invalid_polygon_in_the_source_is_stored_repaired():
    drypool = Area.objects.get(code=DRYPOOL)
    assert drypool.name == "Drypool"
    assert drypool.boundary.valid


def test_a_point_inside_drypool_next_to_the_repaired_crossing_resolves_to_drypool():
    # 50 m south of the source's self-intersection at (-0.32780, 53.76499).
    ward = ward_for_point(Point(-0.32781, 53.76449, srid=WGS84))
    assert ward is not None
    assert ward.code == DRYPOOL


def test_a_point_outside_the_force_resolves_to_no_ward():
    assert ward_for_point(Point(-0.1276, 51.5072, srid=WGS84)) is None  # London


def test_importing_the_same_files_again_changes_nothing():
    summary = import_boundaries(boundary_files())
    assert summary.as_dict() == {"imported": 0, "updated": 0, "unchanged": 676, "rejected": 0}


def test_importing_into_empty_tables_imports_every_district_ward_and_lsoa():
    Lsoa.objects.all().delete()
    for level in (Area.Level.WARD, Area.Level.DISTRICT, Area.Level.FORCE):
        Area.objects.filter(level=level).delete()

    summary = import_boundaries(boundary_files())

    assert summary.as_dict() == {
        "imported": 4 + 81 + 591,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert f"{DRYPOOL} Drypool: invalid polygon repaired" in summary.warnings


# --- broken copies ------------------------------------------------------------------


@pytest.fixture
def lsoa_features(data):
    """The first three LSOA features; the second renamed to a code we do not have."""
    features = read_features(data / "boundaries" / LSOA_FILE)[:3]
    features[1]["properties"]["LSOA21CD"] = "E01999999"
    return features


def assert_nothing_imported(lsoas_before: int):
    assert Lsoa.objects.count() == lsoas_before
    assert not Lsoa.objects.filter(code="E01999999").exists()


def test_a_feature_without_a_code_property_rejects_the_file(tmp_path, lsoa_features):
    before = Lsoa.objects.count()
    for key in ("LSOA11CD", "LSOA21CD", "LAD23CD"):
        del lsoa_features[2]["properties"][key]
    path = write_features(tmp_path / "lsoa.geojson", lsoa_features)

    summary, error = run_rejected("import_boundaries", path)

    assert problems(summary) == [("lsoa.geojson", 4, "properties")]
    assert summary["rejected"] == 1
    assert "Nothing was imported" in str(error)
    assert_nothing_imported(before)


def test_a_bad_coordinate_on_one_feature_rejects_the_file(tmp_path, lsoa_features):
    before = Lsoa.objects.count()
    lsoa_features[2]["geometry"]["coordinates"][0][3] = [-0.3, 95.0]
    path = write_features(tmp_path / "lsoa.geojson", lsoa_features)

    summary, _ = run_rejected("import_boundaries", path)

    assert problems(summary) == [("lsoa.geojson", 4, "geometry")]
    assert "not a longitude/latitude pair" in summary["errors"][0]["reason"]
    assert_nothing_imported(before)


def test_an_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_text("")

    summary, _ = run_rejected("import_boundaries", path)

    assert summary["errors"] == [
        {"file": "empty.geojson", "line": None, "column": "", "reason": "the file is empty"}
    ]


def test_british_grid_metres_in_a_file_without_a_crs_member_are_reported_on_every_line(
    tmp_path, lsoa_features
):
    before = Lsoa.objects.count()
    for feature in lsoa_features:
        feature["geometry"] = as_bng_geojson(feature["geometry"])
    path = write_features(tmp_path / "lsoa_bng.geojson", lsoa_features)

    summary, _ = run_rejected("import_boundaries", path)

    assert problems(summary) == [("lsoa_bng.geojson", line, "geometry") for line in (2, 3, 4)]
    assert "looks like British National Grid metres" in summary["errors"][0]["reason"]
    assert_nothing_imported(before)


def test_the_same_features_with_a_british_grid_crs_member_import(tmp_path, lsoa_features):
    for feature in lsoa_features:
        feature["geometry"] = as_bng_geojson(feature["geometry"])
    path = write_features(tmp_path / "lsoa_bng.geojson", lsoa_features, "EPSG:27700")

    summary = run_import("import_boundaries", path)

    assert summary == {"imported": 1, "updated": 0, "unchanged": 2, "rejected": 0, "warnings": 0}
    assert Lsoa.objects.filter(code="E01999999").exists()
