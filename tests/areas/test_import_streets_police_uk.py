"""import_streets --police-uk: streets from police.uk map points, for wards without lines."""

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, Point

from areas.importers.streets import import_streets
from areas.models import BNG, WGS84, Area, Street
from demo.geography import police_street_files

from .conftest import first_lines, problems, run_import, run_rejected

pytestmark = pytest.mark.django_db

STREETS, MAP_POINTS = 6882, 7238
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def crime(lon, lat, location: str, crime_id: str = "c0ffee") -> str:
    crime_type = "Burglary" if crime_id else "Anti-social behaviour"
    return (
        f"{crime_id},2024-01,Humberside Police,Humberside Police,{lon},{lat},{location},"
        f"E01012756,Kingston upon Hull 025A,{crime_type},,"
    )


def lon_lat(x: float, y: float) -> tuple[float, float]:
    """police.uk's WGS84, 6 decimal places, of a British National Grid point."""
    point = Point(x, y, srid=BNG).transform(WGS84, clone=True)
    return round(point.x, 6), round(point.y, 6)


def police_file(tmp_path, rows: list[str], name: str = "2024-01-test-street.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n")
    return path


def streets_of(tiny_force):
    return Street.objects.filter(ward__parent__parent=tiny_force["force"])


# --- the real Humberside files (loaded once for the session) ---------------------------


def test_every_one_of_the_81_wards_has_streets():
    wards = Area.objects.filter(level=Area.Level.WARD)
    assert wards.count() == 81
    assert not wards.filter(streets__isnull=True).exists()


def test_the_four_months_give_6882_streets_from_7238_distinct_map_points():
    streets = Street.objects.filter(source=Street.Source.POLICE_UK)
    assert streets.count() == STREETS
    assert sum(s.geometry.num_geom for s in streets.only("geometry")) == MAP_POINTS


def test_places_such_as_supermarket_are_kept_as_places():
    supermarkets = Street.objects.filter(name="Supermarket")
    assert supermarkets.count() == 49
    assert {s.geometry.geom_type for s in supermarkets} == {"MultiPoint"}
    assert {s.kind for s in supermarkets} == {Street.Kind.PLACE}


def test_importing_the_same_files_again_changes_nothing_and_counts_the_points_outside():
    summary = import_streets(police_uk=police_street_files())
    assert summary.as_dict() == {"imported": 0, "updated": 0, "unchanged": STREETS, "rejected": 0}
    assert "78 map points (97 police.uk rows) lie outside every ward; skipped" in summary.warnings
    assert "2 police.uk rows have no street name; skipped" in summary.warnings


def test_importing_into_an_empty_table_imports_every_street():
    Street.objects.all().delete()
    summary = run_import("import_streets", "--police-uk", *police_street_files())
    assert summary == {
        "imported": STREETS,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "warnings": 2,
    }


# --- hand-made files over the test force ------------------------------------------------


def test_map_points_sharing_a_name_in_a_ward_become_one_street_keeping_each_point_once(
    tmp_path, tiny_force
):
    a, b = lon_lat(100_200, 101_200), lon_lat(100_800, 101_700)
    path = police_file(
        tmp_path,
        [
            crime(*a, "On or near Mill Lane"),
            crime(*a, "On or near Mill Lane"),
            crime(*a, "On or near Mill Lane", crime_id=""),  # anti-social behaviour
            crime(*b, "On or near Mill Lane"),
        ],
    )

    summary = import_streets(police_uk=[path])

    street = Street.objects.get(ward=tiny_force["riverside"], name="Mill Lane")
    assert summary.imported == 1
    assert (street.source, street.geometry.geom_type, street.geometry.num_geom) == (
        "police_uk",
        "MultiPoint",
        2,
    )


def test_a_later_month_adds_its_points_and_keeps_the_earlier_ones(tmp_path, tiny_force):
    january = police_file(tmp_path, [crime(*lon_lat(100_200, 101_200), "On or near Mill Lane")])
    february = police_file(
        tmp_path,
        [crime(*lon_lat(100_800, 101_700), "On or near Mill Lane")],
        name="2024-02-test-street.csv",
    )
    import_streets(police_uk=[january])

    summary = import_streets(police_uk=[february])

    street = Street.objects.get(ward=tiny_force["riverside"], name="Mill Lane")
    assert (summary.updated, street.geometry.num_geom) == (1, 2)
    assert import_streets(police_uk=[january]).as_dict()["unchanged"] == 1


def test_a_place_is_imported_as_a_place_and_a_street_as_a_street(tmp_path, tiny_force):
    path = police_file(
        tmp_path,
        [
            crime(*lon_lat(100_200, 101_200), "On or near Parking Area"),
            crime(*lon_lat(100_500, 101_500), "On or near Mill Lane"),
        ],
    )

    import_streets(police_uk=[path])

    kinds = dict(streets_of(tiny_force).values_list("name", "kind"))
    assert kinds == {"Parking Area": "place", "Mill Lane": "street"}


def test_a_place_is_shown_near_the_real_street_nearest_to_it_in_its_ward(tmp_path, tiny_force):
    path = police_file(
        tmp_path,
        [
            crime(*lon_lat(100_200, 101_200), "On or near Parking Area"),
            crime(*lon_lat(100_250, 101_250), "On or near Hutt Street"),
            crime(*lon_lat(100_800, 101_800), "On or near Mill Lane"),
            crime(*lon_lat(100_210, 101_210), "On or near Supermarket"),
        ],
    )

    import_streets(police_uk=[path])

    streets = streets_of(tiny_force).select_related("near")
    near = {s.name: s.near.name if s.near else None for s in streets}
    assert near == {
        "Parking Area": "Hutt Street",
        "Supermarket": "Hutt Street",
        "Hutt Street": None,
        "Mill Lane": None,
    }
    assert streets.get(name="Parking Area").label == "Parking Area near Hutt Street"


def test_every_humberside_place_has_a_nearest_real_street_and_no_street_has_one():
    assert not Street.objects.places().filter(near__isnull=True).exists()
    assert not Street.objects.streets().filter(near__isnull=False).exists()
    assert not Street.objects.places().filter(near__kind=Street.Kind.PLACE).exists()


def test_a_street_classified_wrongly_before_is_mended_by_the_next_import(tmp_path, tiny_force):
    path = police_file(tmp_path, [crime(*lon_lat(100_200, 101_200), "On or near Supermarket")])
    import_streets(police_uk=[path])
    streets_of(tiny_force).update(kind=Street.Kind.STREET)

    summary = import_streets(police_uk=[path])

    assert summary.updated == 1
    assert streets_of(tiny_force).get(name="Supermarket").kind == Street.Kind.PLACE


def test_one_name_in_two_wards_makes_a_street_in_each(tmp_path, tiny_force):
    path = police_file(
        tmp_path,
        [
            crime(*lon_lat(100_500, 101_500), "On or near Long Road"),
            crime(*lon_lat(101_500, 101_500), "On or near Long Road"),
        ],
    )

    import_streets(police_uk=[path])

    wards = streets_of(tiny_force).filter(name="Long Road").values_list("ward__name")
    assert set(wards) == {("Riverside",), ("Hillside",)}


def test_a_ward_with_road_line_streets_gets_none_from_map_points(tmp_path, tiny_force):
    Street.objects.create(
        ward=tiny_force["riverside"],
        name="River Road",
        source=Street.Source.LINES,
        geometry=MultiLineString(LineString((100_100, 101_100), (100_900, 101_100)), srid=BNG),
        length_m=800,
    )
    path = police_file(
        tmp_path,
        [
            crime(*lon_lat(100_500, 101_500), "On or near Shop Street"),
            crime(*lon_lat(101_500, 101_500), "On or near Shop Street"),
        ],
    )

    summary = import_streets(police_uk=[path])

    wards = streets_of(tiny_force).filter(name="Shop Street").values_list("ward__name")
    assert list(wards) == [("Hillside",)]
    assert "1 map points are in wards that have road lines; not used as streets" in summary.warnings


def test_map_points_outside_every_ward_are_skipped_and_counted(tmp_path, tiny_force):
    path = police_file(
        tmp_path,
        [
            crime(*lon_lat(100_500, 101_500), "On or near Mill Lane"),
            crime(-1.903314, 52.463247, "On or near Columbia Close"),  # Birmingham
            crime(-1.903314, 52.463247, "On or near Columbia Close"),
        ],
    )

    summary = import_streets(police_uk=[path])

    assert summary.imported == 1
    assert list(streets_of(tiny_force).values_list("name")) == [("Mill Lane",)]
    assert "1 map points (2 police.uk rows) lie outside every ward; skipped" in summary.warnings


# --- broken copies ------------------------------------------------------------------------

# A new street in Kingston upon Hull: it would be imported if the file were.
NEW_ROW = crime(-0.3361, 53.7415, "On or near Nowhere Lane")


@pytest.fixture
def january(tmp_path):
    """The first nine rows of January (lines 2-10) and a new street (line 11)."""
    path = first_lines(police_street_files()[0], tmp_path / "2024-01-humberside-street.csv", 10)
    with path.open("a", newline="") as handle:
        handle.write(NEW_ROW + "\r\n")
    return path


def crlf_lines(path) -> list[str]:
    return path.read_bytes().decode().split("\r\n")


def replace_line(path, number: int, text: str):
    lines = crlf_lines(path)
    lines[number - 1] = text
    path.write_bytes("\r\n".join(lines).encode())


def assert_nothing_imported():
    assert Street.objects.count() == STREETS
    assert not Street.objects.filter(name="Nowhere Lane").exists()


def test_a_missing_location_column_rejects_the_file(january):
    without = [line.rsplit(",", 6)[0] for line in crlf_lines(january)]
    january.write_bytes("\r\n".join(without).encode())

    summary, error = run_rejected("import_streets", "--police-uk", january)

    assert problems(summary) == [("2024-01-humberside-street.csv", 1, "Location")]
    assert "Nothing was imported" in str(error)
    assert_nothing_imported()


def test_a_bad_coordinate_on_one_row_rejects_the_file(january):
    replace_line(january, 6, crime("-0.33x", 53.7415, "On or near High Street"))

    summary, _ = run_rejected("import_streets", "--police-uk", january)

    assert problems(summary) == [("2024-01-humberside-street.csv", 6, "Longitude")]
    assert_nothing_imported()


def test_latitude_and_longitude_swapped_on_one_row_is_reported(january):
    replace_line(january, 7, crime(53.7415, -0.3361, "On or near High Street"))

    summary, _ = run_rejected("import_streets", "--police-uk", january)

    assert problems(summary) == [("2024-01-humberside-street.csv", 7, "Longitude/Latitude")]
    assert "outside the United Kingdom" in summary["errors"][0]["reason"]
    assert_nothing_imported()


def test_grid_metres_instead_of_longitude_and_latitude_are_reported(january):
    replace_line(january, 8, crime(509896, 428380, "On or near High Street"))

    summary, _ = run_rejected("import_streets", "--police-uk", january)

    assert problems(summary) == [("2024-01-humberside-street.csv", 8, "Longitude/Latitude")]
    assert "looks like British National Grid metres" in summary["errors"][0]["reason"]
    assert_nothing_imported()


def test_an_empty_file_is_rejected_with_the_good_ones(january, tmp_path):
    empty = tmp_path / "2024-02-humberside-street.csv"
    empty.write_text("")

    summary, _ = run_rejected("import_streets", "--police-uk", january, empty)

    assert summary["errors"] == [
        {
            "file": "2024-02-humberside-street.csv",
            "line": None,
            "column": "",
            "reason": "the file is empty",
        }
    ]
    assert_nothing_imported()
