"""import_output_areas on the real Census 2021 and OAC files, and on broken copies."""

import pytest
from django.db.models import Sum

from areas.importers.output_areas import import_output_areas
from areas.models import GeodemographicClass, Lsoa, OutputArea
from demo.geography import output_area_files
from tests.conftest import square

from .conftest import (
    as_bng_geojson,
    first_lines,
    problems,
    read_features,
    run_rejected,
    write_features,
)

pytestmark = pytest.mark.django_db

OA_COUNT, CLASS_COUNT = 3117, 8 + 21 + 52
NO_BOUNDARY = "E00185465"  # a 2021 output area that has no 2011 boundary


@pytest.fixture
def lookup(tmp_path):
    """The first 10 output areas of the lookup, E00064333 first."""
    return first_lines(output_area_files()["lookup"], tmp_path / "lookup.csv", 11)


def test_every_2021_output_area_of_the_force_is_imported():
    assert OutputArea.objects.count() == OA_COUNT


def test_the_2952_output_areas_whose_code_existed_in_2011_have_a_boundary():
    assert OutputArea.objects.filter(boundary__isnull=False).count() == 2952


def test_a_2011_output_area_that_is_not_a_2021_one_is_skipped():
    assert not OutputArea.objects.filter(code="E00064692").exists()


def test_every_output_area_is_in_its_lsoa_and_a_ward_of_the_same_district():
    areas = OutputArea.objects.select_related("lsoa", "ward")
    assert all(oa.lsoa and oa.ward and oa.ward.parent_id == oa.lsoa.district_id for oa in areas)


def test_an_output_area_without_a_boundary_takes_the_ward_of_its_lsoa():
    oa = OutputArea.objects.select_related("lsoa", "ward").get(code=NO_BOUNDARY)
    assert oa.boundary is None
    assert oa.ward.boundary.covers(oa.lsoa.boundary.point_on_surface)


def test_an_output_area_with_a_boundary_is_in_the_ward_holding_a_point_of_it():
    oa = OutputArea.objects.select_related("ward").get(code="E00064333")
    assert oa.ward.boundary.covers(oa.boundary.point_on_surface)


def test_usual_residents_and_households_add_up_to_the_census_totals():
    totals = OutputArea.objects.aggregate(Sum("usual_residents"), Sum("households"))
    assert totals == {"usual_residents__sum": 935_889, "households__sum": 410_523}


def test_the_area_classification_has_8_supergroups_21_groups_and_52_subgroups():
    classes = GeodemographicClass.objects.filter(scheme="oac")
    assert {
        lvl: classes.filter(level=lvl).count() for lvl in ("supergroup", "group", "subgroup")
    } == {
        "supergroup": 8,
        "group": 21,
        "subgroup": 52,
    }


def test_class_codes_and_names_lose_their_trailing_spaces_and_link_to_their_parent():
    group = GeodemographicClass.objects.select_related("parent").get(scheme="oac", code="1a")
    assert group.name == "Spacious Rural Living"
    assert group.parent.code == "1"
    assert group.children.get(code="1a1").name == "Pre-Retirement Spacious Living"


def test_each_output_area_points_at_its_subgroup():
    oa = OutputArea.objects.select_related("classification__parent__parent").get(code="E00064333")
    subgroup = oa.classification
    assert (subgroup.code, subgroup.parent.code, subgroup.parent.parent.code) == ("6b3", "6b", "6")
    assert not OutputArea.objects.exclude(classification__level="subgroup").exists()


def test_importing_the_same_files_again_changes_nothing():
    summary = import_output_areas(**output_area_files())
    assert summary.as_dict() == {
        "imported": 0,
        "updated": 0,
        "unchanged": OA_COUNT + CLASS_COUNT,
        "rejected": 0,
    }


def test_importing_into_empty_tables_imports_every_output_area_and_class():
    OutputArea.objects.all().delete()
    GeodemographicClass.objects.filter(scheme="oac").delete()

    summary = import_output_areas(**output_area_files())

    assert summary.as_dict() == {
        "imported": OA_COUNT + CLASS_COUNT,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert "165 output areas have no boundary" in summary.warnings
    assert "165 output areas were placed in a ward by their LSOA" in summary.warnings
    assert not any("in no ward" in w for w in summary.warnings)
    assert any(w.startswith("89 boundaries are not 2021 output areas") for w in summary.warnings)


def test_a_changed_figure_updates_only_that_output_area(tmp_path):
    files = output_area_files()
    source = files["population"].read_text().replace("\nE00064454,370,", "\nE00064454,371,")
    (tmp_path / "ts001.csv").write_text(source)

    summary = import_output_areas(lookup=files["lookup"], population=tmp_path / "ts001.csv")

    assert (summary.updated, summary.unchanged) == (1, OA_COUNT - 1)
    assert OutputArea.objects.get(code="E00064454").usual_residents == 371


def test_census_files_in_the_nomis_layout_are_read(lookup, tmp_path):
    path = tmp_path / "census2021-ts001-oa.csv"
    path.write_text(
        "date,geography,geography code,Residence type: Total; measures: Value\n"
        "2021,E00064333,E00064333,281\n"
    )

    import_output_areas(lookup=lookup, population=path)

    assert OutputArea.objects.get(code="E00064333").usual_residents == 281


def test_an_output_area_whose_lsoa_lies_in_no_ward_is_kept_without_a_ward_and_counted(tmp_path):
    Lsoa.objects.create(code="E01999998", boundary=square(300_000, 300_000, 500))
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("OA,geography_code\nE00999999,E01999998\n")

    summary = import_output_areas(lookup=lookup)

    oa = OutputArea.objects.get(code="E00999999")
    assert (oa.lsoa.code, oa.ward) == ("E01999998", None)
    assert "1 output areas are in no ward" in summary.warnings


# --- broken copies ------------------------------------------------------------------


def census_copy(tmp_path, name: str, lines: list[str]):
    """A census file (CRLF) whose line 2 changes E00064333, a change that must not be kept."""
    path = tmp_path / name
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def assert_nothing_imported():
    assert OutputArea.objects.count() == OA_COUNT
    oa = OutputArea.objects.get(code="E00064333")
    assert (oa.usual_residents, oa.households) == (280, 149)


def test_a_missing_column_rejects_the_file(lookup, tmp_path):
    path = census_copy(tmp_path, "ts001.csv", ["OA,ts0010002,ts0010003", "E00064333,1,0"])

    summary, error = run_rejected("import_output_areas", "--lookup", lookup, "--population", path)

    assert problems(summary) == [("ts001.csv", 1, "ts0010001")]
    assert "Nothing was imported" in str(error)
    assert_nothing_imported()


def test_a_bad_figure_on_one_row_rejects_the_file(lookup, tmp_path):
    path = census_copy(
        tmp_path,
        "ts001.csv",
        ["OA,ts0010001,ts0010002,ts0010003", "E00064333,1,1,0", "E00064334,-3,290,0"],
    )

    summary, _ = run_rejected("import_output_areas", "--lookup", lookup, "--population", path)

    assert problems(summary) == [("ts001.csv", 3, "ts0010001")]
    assert summary["errors"][0]["reason"] == "-3 is less than 0"
    assert_nothing_imported()


def test_every_bad_row_of_every_file_is_reported(lookup, tmp_path):
    population = census_copy(
        tmp_path,
        "ts001.csv",
        ["OA,ts0010001", "E00064333,1", "E0006433,290", "E00064335,many"],
    )
    households = census_copy(
        tmp_path, "ts041.csv", ["OA,ts0410001", "E00064333,2", "E00064333,149"]
    )

    summary, _ = run_rejected(
        "import_output_areas",
        "--lookup",
        lookup,
        "--population",
        population,
        "--households",
        households,
    )

    assert problems(summary) == [
        ("ts001.csv", 3, "OA"),
        ("ts001.csv", 4, "ts0010001"),
        ("ts041.csv", 3, "OA"),
    ]
    assert summary["rejected"] == 3
    assert_nothing_imported()


def test_an_empty_file_is_rejected(lookup, tmp_path):
    path = tmp_path / "ts041.csv"
    path.write_text("")

    summary, _ = run_rejected("import_output_areas", "--lookup", lookup, "--households", path)

    assert summary["errors"] == [
        {"file": "ts041.csv", "line": None, "column": "", "reason": "the file is empty"}
    ]
    assert_nothing_imported()


def test_boundaries_in_british_grid_metres_without_a_crs_member_are_rejected(lookup, tmp_path):
    features = read_features(output_area_files()["boundaries"][0])[:3]
    for feature in features:
        feature["geometry"] = as_bng_geojson(feature["geometry"])
    path = write_features(tmp_path / "oa.json", features)

    summary, _ = run_rejected("import_output_areas", "--lookup", lookup, "--boundaries", path)

    assert problems(summary) == [("oa.json", line, "geometry") for line in (2, 3, 4)]
    assert "looks like British National Grid metres" in summary["errors"][0]["reason"]
    assert OutputArea.objects.filter(boundary__isnull=False).count() == 2952


def test_a_classification_that_disagrees_with_its_subgroup_is_rejected(lookup, tmp_path):
    path = tmp_path / "oac.csv"
    path.write_text(
        "Geography_Code,Supergroup,Group,Subgroup\n"
        "E00064333,6,6b,6b3\n"
        "E00064334,4,4b,4c2\n"
        "E00064335,6,6b,9z9\n"
    )
    names = output_area_files()["names"]

    summary, _ = run_rejected(
        "import_output_areas", "--lookup", lookup, "--classification", path, "--names", names
    )

    assert problems(summary) == [("oac.csv", 3, "Group"), ("oac.csv", 4, "Subgroup")]
