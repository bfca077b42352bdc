"""import_postcodes on OS Code-Point Open, and on broken copies of it."""

import pytest

from areas.importers.postcodes import import_postcodes
from areas.models import Postcode
from demo.geography import postcode_files

from .conftest import first_lines, problems, run_rejected

pytestmark = pytest.mark.django_db


def row(postcode: str, easting, northing, ward: str = "E05011541") -> str:
    """A Code-Point Open line of Kingston upon Hull (E06000010)."""
    return (
        f'"{postcode}",10,{easting},{northing},"E92000001","E19000001","E18000003",""'
        f',"E06000010","{ward}"\n'
    )


# A made-up postcode of a real ward: valid, so it would be imported if the file were.
NEW_ROW = row("HU1 9ZZ", 510050, 428808)


def test_every_postcode_of_the_four_districts_is_imported():
    assert Postcode.objects.count() == 26_103


def test_every_postcode_is_in_a_ward_of_the_force():
    assert not Postcode.objects.filter(ward__isnull=True).exists()


def test_importing_the_same_files_again_changes_nothing():
    summary = import_postcodes(postcode_files())
    assert summary.as_dict() == {"imported": 0, "updated": 0, "unchanged": 26_103, "rejected": 0}


def test_importing_into_an_empty_table_imports_every_postcode():
    Postcode.objects.all().delete()
    summary = import_postcodes(postcode_files())
    assert summary.as_dict() == {"imported": 26_103, "updated": 0, "unchanged": 0, "rejected": 0}


# --- broken copies ------------------------------------------------------------------


@pytest.fixture
def hu_copy(data, tmp_path):
    """The first five lines of hu.csv plus one new, valid postcode (line 6)."""
    path = first_lines(
        data / "postcodes/codepoint_open_2025_10/Data/CSV/hu.csv", tmp_path / "hu.csv", 5
    )
    with path.open("a") as handle:
        handle.write(NEW_ROW)
    return path


def replace_line(path, number: int, text: str):
    lines = path.read_text().splitlines(keepends=True)
    lines[number - 1] = text
    path.write_text("".join(lines))


def assert_nothing_imported():
    assert Postcode.objects.count() == 26_103
    assert not Postcode.objects.filter(code="HU1 9ZZ").exists()


def test_a_row_missing_a_column_rejects_the_file(hu_copy):
    replace_line(hu_copy, 3, row("HU1 1AN", 509896, 428380).replace(',"E05011541"', ""))

    summary, error = run_rejected("import_postcodes", hu_copy)

    assert problems(summary) == [("hu.csv", 3, "")]
    assert summary["errors"][0]["reason"] == "expected 10 fields, found 9"
    assert "1 problem(s) in 1 row(s)" in str(error)
    assert_nothing_imported()


def test_a_bad_easting_on_one_row_rejects_the_file(hu_copy):
    replace_line(hu_copy, 4, row("HU1 1AN", 5098960, 428380))

    summary, _ = run_rejected("import_postcodes", hu_copy)

    assert problems(summary) == [("hu.csv", 4, "EA")]
    assert_nothing_imported()


def test_longitude_and_latitude_instead_of_grid_metres_are_reported_per_row(hu_copy):
    replace_line(hu_copy, 2, row("HU1 1AL", -0.3361, 53.7415))

    summary, _ = run_rejected("import_postcodes", hu_copy)

    assert problems(summary) == [("hu.csv", 2, "EA"), ("hu.csv", 2, "NO")]
    assert_nothing_imported()


def test_an_empty_file_is_rejected(tmp_path):
    path = tmp_path / "hu.csv"
    path.write_text("")

    summary, _ = run_rejected("import_postcodes", path)

    assert summary["errors"] == [
        {"file": "hu.csv", "line": None, "column": "", "reason": "the file has no data rows"}
    ]
