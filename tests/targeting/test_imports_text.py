"""The files people really upload get a message saying what the file is and what was
expected (areas/importers/text.py, used by every importer through read_csv/read_geojson).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from areas.importers.base import Errors, read_csv, read_geojson
from demo.acorn import acorn_file
from demo.geography import police_street_files
from tests.areas.conftest import first_lines

CRIME_COLUMNS = (
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
)


@pytest.fixture
def crimes(tmp_path) -> Path:
    """The first five lines of a real police.uk file (UTF-8, CRLF)."""
    return first_lines(police_street_files()[0], tmp_path / "2024-01-humberside-street.csv", 5)


def problems(path: Path, **options) -> tuple[list, list[str]]:
    errors = Errors()
    rows = list(read_csv(path, errors, **options))
    return rows, [e.reason for e in errors.items]


def resaved(source: Path, target: Path, encoding: str) -> Path:
    target.write_bytes(source.read_text(encoding="utf-8").encode(encoding))
    return target


def test_a_utf8_file_with_a_byte_order_mark_is_read_like_any_other_file(crimes, tmp_path):
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + crimes.read_bytes())

    rows, reasons = problems(bom, required=CRIME_COLUMNS)

    assert reasons == []
    assert len(rows) == 4 and rows[0][1]["Crime ID"] == problems(crimes)[0][0][1]["Crime ID"]


def test_a_utf16_file_with_a_byte_order_mark_is_named_as_utf16(crimes, tmp_path):
    rows, reasons = problems(resaved(crimes, tmp_path / "u.csv", "utf-16"), required=CRIME_COLUMNS)

    assert rows == []
    assert reasons == [
        "This file is saved as UTF-16 (\u201cUnicode text\u201d), not UTF-8: save it again "
        "as \u201cCSV UTF-8 (comma delimited)\u201d and upload that."
    ]


def test_a_utf16_file_without_a_byte_order_mark_is_named_as_utf16(crimes, tmp_path):
    rows, reasons = problems(
        resaved(crimes, tmp_path / "u.csv", "utf-16-le"), required=CRIME_COLUMNS
    )

    assert rows == []
    assert len(reasons) == 1 and reasons[0].startswith(
        "This file is saved as UTF-16 without a byte-order mark"
    )


def test_a_windows_1252_file_is_named_with_the_line_and_character_that_give_it_away(tmp_path):
    path = tmp_path / "acorn.csv"
    path.write_bytes(
        "Postcode,Acorn Category,Acorn Group,Acorn Type\r\n"
        "HU1 1AA,1,A,1\r\n"
        "HU1 1AB,2 Rising Prosperity \u2013 caf\u00e9 owners,D,4\r\n".encode("cp1252")
    )

    rows, reasons = problems(path, required=("Postcode",))

    assert rows == []
    assert reasons == [
        "This file is not UTF-8: it looks like Windows-1252 (what Excel saves as plain "
        "\u201cCSV\u201d); line 3 has \u201c\u2013\u201d in that encoding. Save it again as "
        "\u201cCSV UTF-8 (comma delimited)\u201d and upload that."
    ]


def test_a_file_with_semicolons_between_values_is_told_so(crimes, tmp_path):
    path = tmp_path / "semicolons.csv"
    path.write_text(crimes.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")

    rows, reasons = problems(path, required=CRIME_COLUMNS)

    assert rows == []
    assert reasons == [
        "The values in this file are separated by semicolons (;), not commas: save it again "
        "as \u201cCSV (comma delimited)\u201d and upload that."
    ]


def test_an_acorn_file_given_as_crime_names_both_formats(tmp_path):
    acorn = first_lines(acorn_file(), tmp_path / "acorn.csv", 4)

    rows, reasons = problems(acorn, required=CRIME_COLUMNS)

    assert rows == []
    assert reasons == [
        "This looks like an Acorn by postcode file, not police.uk street-level crime: expected "
        "the columns Crime ID, Month, Reported by, Falls within, Longitude, Latitude, "
        "Location, LSOA code, LSOA name, Crime type, Last outcome category."
    ]


def test_a_crime_file_given_as_deprivation_names_both_formats(crimes):
    required = (
        "LSOA code (2011)",
        "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
    )

    _rows, reasons = problems(crimes, required=required)

    assert len(reasons) == 1
    assert reasons[0].startswith(
        "This looks like a police.uk street-level crime file, not English Indices of "
        "Deprivation (IoD2019 File 2): expected the columns LSOA code (2011), "
    )


def test_a_geojson_file_given_as_a_csv_is_named_as_geojson(tmp_path):
    path = tmp_path / "wards.csv"
    path.write_text('{"type": "FeatureCollection", "features": []}\n', encoding="utf-8")

    _rows, reasons = problems(path, required=CRIME_COLUMNS)

    assert len(reasons) == 1
    assert reasons[0].startswith("This looks like a GeoJSON (boundaries or lines) file, not police")


def test_a_csv_file_given_as_boundaries_is_named_as_not_geojson(crimes):
    errors = Errors()

    features, _srid = read_geojson(crimes, errors)

    assert features == []
    assert [e.reason for e in errors.items] == [
        "This is not GeoJSON: it looks like a police.uk street-level crime file. "
        "Expected a GeoJSON file."
    ]


def test_a_utf16_geojson_file_is_named_as_utf16(tmp_path):
    path = tmp_path / "wards.geojson"
    path.write_bytes('{"type": "FeatureCollection", "features": []}'.encode("utf-16"))
    errors = Errors()

    read_geojson(path, errors)

    assert len(errors.items) == 1
    assert errors.items[0].reason.startswith("This file is saved as UTF-16 (")


def test_a_code_point_file_with_semicolons_is_told_so_without_a_header_row(tmp_path):
    path = tmp_path / "hu.csv"
    path.write_text('"HU1 1AA";10;510050;428808;"E92000001";"";"";"";"E06000010";"E05011541"\n')

    rows, reasons = problems(path, fieldnames=[f"c{i}" for i in range(10)])

    assert rows == []
    assert reasons[0].startswith("The values in this file are separated by semicolons")


def test_a_file_that_is_not_text_at_all_is_named_so(tmp_path):
    path = tmp_path / "crimes.csv"
    path.write_bytes(b"PK\x03\x04\x81\x8d binary")

    _rows, reasons = problems(path, required=CRIME_COLUMNS)

    assert reasons == ["This is not a text file (line 1 has the byte 0x81)."]
