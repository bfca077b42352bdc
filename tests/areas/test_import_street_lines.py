"""import_streets with road lines: OpenStreetMap (Rutland) and OS Open Roads layouts."""

import pytest
from django.core.management import CommandError, call_command

from areas.importers.streets import import_streets
from areas.models import Street

from .conftest import problems, read_features, run_import, run_rejected, write_features

pytestmark = pytest.mark.django_db

BNG_CRS = "urn:ogc:def:crs:EPSG::27700"
RUTLAND = "osm_rutland_2018/rutland_highway_lines__DERIVED_from_pbf.geojson"


@pytest.fixture
def rutland(data):
    return data / RUTLAND


def line(name, *points, key: str = "name") -> dict:
    return {
        "type": "Feature",
        "properties": {key: name},
        "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]},
    }


# --- OpenStreetMap highway lines over a hand-made ward covering Oakham ----------------


def test_named_lines_over_oakham_become_streets_of_the_ward(rutland, oakham):
    summary = run_import("import_streets", rutland)

    assert summary == {"imported": 249, "updated": 0, "unchanged": 0, "rejected": 0, "warnings": 2}
    assert oakham.streets.count() == 249
    assert set(oakham.streets.values_list("source", flat=True)) == {"lines"}


def test_the_lines_of_one_name_become_one_multilinestring_with_its_length(rutland, oakham):
    import_streets(lines=[rutland])

    street = oakham.streets.get(name="Burley Road")
    assert street.geometry.geom_type == "MultiLineString"
    assert street.geometry.num_geom == 5
    assert street.length_m == pytest.approx(street.geometry.length)
    assert round(street.length_m) == 2030


def test_unnamed_lines_and_lines_outside_every_ward_are_skipped_and_counted(rutland, oakham):
    summary = import_streets(lines=[rutland])

    assert summary.warnings == [
        "2709 lines have no name; skipped",
        "1315 named lines lie outside every ward; skipped",
    ]


def test_importing_the_same_lines_again_changes_nothing(rutland, oakham):
    import_streets(lines=[rutland])

    summary = import_streets(lines=[rutland])

    assert summary.as_dict() == {"imported": 0, "updated": 0, "unchanged": 249, "rejected": 0}


# --- hand-made lines over the test force (British National Grid) ----------------------


def test_a_line_is_assigned_to_the_ward_holding_most_of_its_length(tmp_path, tiny_force):
    # 700 m in Riverside (x < 101,000), 200 m in Hillside.
    path = write_features(
        tmp_path / "roads.geojson",
        [line("Cross Street", (100_300, 101_500), (101_200, 101_500))],
        BNG_CRS,
    )

    import_streets(lines=[path])

    street = Street.objects.get(name="Cross Street", ward__in=tiny_force.values())
    assert street.ward == tiny_force["riverside"]
    assert street.length_m == pytest.approx(900)


def test_touching_lines_of_one_name_are_merged_into_one_line(tmp_path, tiny_force):
    path = write_features(
        tmp_path / "roads.geojson",
        [
            line("Mill Lane", (100_100, 101_100), (100_200, 101_100)),
            line("Mill Lane", (100_200, 101_100), (100_300, 101_100)),
            line("Mill Lane", (100_500, 101_100), (100_550, 101_100)),
        ],
        BNG_CRS,
    )

    summary = import_streets(lines=[path])

    street = tiny_force["riverside"].streets.get(name="Mill Lane")
    assert summary.imported == 1
    assert street.geometry.num_geom == 2  # the touching pair is one line
    assert street.length_m == pytest.approx(250)


def test_os_open_roads_names_in_name1_are_read(tmp_path, tiny_force):
    path = write_features(
        tmp_path / "open_roads.geojson",
        [line("Dock Road", (100_100, 99_500), (100_900, 99_500), key="name1")],
        BNG_CRS,
    )

    import_streets(lines=[path])

    assert tiny_force["docks"].streets.get().name == "Dock Road"


def test_the_command_needs_lines_or_police_uk_files():
    with pytest.raises(CommandError, match="Give GeoJSON road-line files"):
        call_command("import_streets")


# --- broken copies ------------------------------------------------------------------------


@pytest.fixture
def oakham_lines(rutland):
    """Five named Oakham lines from the Rutland file."""
    named = [f for f in read_features(rutland) if f["properties"]["name"]]
    return [f for f in named if f["properties"]["name"] == "Burley Road"][:5]


def assert_nothing_imported(oakham):
    assert not oakham.streets.exists()


def test_a_feature_without_a_geometry_rejects_the_file(tmp_path, oakham, oakham_lines):
    oakham_lines[3]["geometry"] = None
    path = write_features(tmp_path / "roads.geojson", oakham_lines)

    summary, error = run_rejected("import_streets", path)

    assert problems(summary) == [("roads.geojson", 5, "geometry")]
    assert "Nothing was imported" in str(error)
    assert_nothing_imported(oakham)


def test_a_bad_coordinate_on_one_line_rejects_the_file(tmp_path, oakham, oakham_lines):
    oakham_lines[1]["geometry"]["coordinates"][0] = [-0.72, 152.67]
    path = write_features(tmp_path / "roads.geojson", oakham_lines)

    summary, _ = run_rejected("import_streets", path)

    assert problems(summary) == [("roads.geojson", 3, "geometry")]
    assert_nothing_imported(oakham)


def test_grid_metres_in_a_file_without_a_crs_member_are_reported_on_every_line(
    tmp_path, oakham, oakham_lines
):
    features = [line("Burley Road", (485_500, 309_000), (485_600, 309_100)) for _ in range(2)]
    path = write_features(tmp_path / "roads.geojson", oakham_lines[:2] + features)

    summary, _ = run_rejected("import_streets", path)

    assert problems(summary) == [("roads.geojson", 4, "geometry"), ("roads.geojson", 5, "geometry")]
    assert "looks like British National Grid metres" in summary["errors"][0]["reason"]
    assert_nothing_imported(oakham)


def test_an_empty_file_is_rejected(tmp_path, oakham):
    path = tmp_path / "roads.geojson"
    path.write_text("")

    summary, _ = run_rejected("import_streets", path)

    assert problems(summary) == [("roads.geojson", None, "")]
    assert_nothing_imported(oakham)
