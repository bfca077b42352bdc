"""police.uk street-level files in: every row kept, months replaced, nothing half-written.

The three real Humberside months are imported once for the module (committed, then
removed at the end); each test runs in a transaction on top of them.
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from django.db.models import Count, F

from areas.importers import ImportRejected
from demo.geography import police_street_files
from targeting.importers.crimes import import_crimes
from targeting.models import Crime, CrimeImport, MapPoint
from targeting.services import crimes_import
from tests.areas.conftest import first_lines, problems, run_import, run_rejected
from tests.factories.targeting import FEB, JAN, MAR

pytestmark = pytest.mark.django_db
JANUARY, FEBRUARY, MARCH, APRIL = police_street_files()


@pytest.fixture(scope="module", autouse=True)
def three_months(humberside_crimes):
    return humberside_crimes


def test_the_three_months_give_exactly_the_rows_of_the_files():
    counts = dict(Crime.objects.values_list("month").annotate(n=Count("id")).order_by())

    assert counts == {JAN: 7718, FEB: 7729, MAR: 8413}


def test_anti_social_behaviour_rows_are_all_kept():
    asb = Counter(
        Crime.objects.filter(category__slug="anti-social-behaviour").values_list("month", flat=True)
    )

    assert asb == {JAN: 514, FEB: 584, MAR: 666}


def test_the_summary_reports_each_month(three_months):
    january = three_months[0].as_dict()

    assert january["imported"] == 7718
    assert january["months"][0] | {"file": None} == {
        "reported_by": "Humberside Police",
        "month": "2024-01",
        "file": None,
        "rows": 7718,
        "anti_social_behaviour": 514,
        "outside_force": 30,
        "without_location": 0,
        "replaced": 0,
    }


def test_importing_january_again_replaces_it_and_leaves_7718():
    before = set(Crime.objects.filter(month=JAN).values_list("pk", flat=True)[:10])

    summary = run_import("import_crimes", JANUARY, "--no-score")

    assert Crime.objects.filter(month=JAN).count() == 7718
    assert summary["imported"] == 7718 and summary["updated"] == 7718
    assert not before & set(Crime.objects.filter(month=JAN).values_list("pk", flat=True))
    assert Crime.objects.filter(month=FEB).count() == 7729
    # The import history keeps both loads of January.
    assert CrimeImport.objects.filter(month=JAN).count() == 2


def test_crime_ids_are_neither_required_nor_unique_and_no_row_is_merged():
    january = Crime.objects.filter(month=JAN)

    assert january.filter(crime_id="").count() == 514
    repeated = Counter(january.exclude(crime_id="").values_list("crime_id", flat=True))
    assert sum(1 for n in repeated.values() if n > 1) == 300


def test_fully_identical_rows_are_each_kept():
    with JANUARY.open(encoding="utf-8", newline="") as handle:
        rows = Counter(tuple(r) for r in csv.reader(handle))
    identical_copies = sum(n - 1 for n in rows.values() if n > 1)

    january = Crime.objects.filter(month=JAN)
    stored = Counter(
        january.values_list("crime_id", "location_id", "category_id", "outcome", "lsoa_code")
    )
    assert identical_copies > 100
    assert sum(n - 1 for n in stored.values() if n > 1) >= identical_copies


def test_each_map_point_is_kept_once_and_shared_by_its_crimes():
    points = set()
    for path in (JANUARY, FEBRUARY, MARCH):
        with path.open(encoding="utf-8", newline="") as handle:
            points |= {
                (r["Longitude"], r["Latitude"], r["Location"]) for r in csv.DictReader(handle)
            }

    assert MapPoint.objects.count() == len(points)
    assert not Crime.objects.filter(location__isnull=True).exists()


def test_rows_outside_the_force_are_kept_and_flagged():
    outside = Crime.objects.filter(month=JAN, location__ward__isnull=True)

    assert outside.count() == 30
    assert outside.filter(lsoa_name="Birmingham 134A").exists()
    assert CrimeImport.objects.get(month=JAN).outside_rows == 30


def test_map_points_get_their_ward_and_their_own_street():
    in_force = MapPoint.objects.filter(ward__isnull=False)
    on_street = in_force.filter(street__isnull=False)

    assert on_street.count() == in_force.count()
    # police.uk streets are made of these points: the nearest street is the point's own.
    assert on_street.exclude(street__name=F("name")).count() == 0
    point = MapPoint.objects.filter(location="On or near Hutt Street").first()
    assert point.ward.name == "Central"
    assert point.street.name == "Hutt Street" and point.street_distance_m == 0


def test_a_copy_with_one_bad_row_imports_nothing_and_names_the_line(tmp_path):
    lines = APRIL.read_bytes().split(b"\r\n")
    fields = lines[99].split(b",")
    fields[5] = b"not-a-latitude"  # line 100 of the file
    lines[99] = b",".join(fields)
    broken = tmp_path / "2024-04-humberside-street.csv"
    broken.write_bytes(b"\r\n".join(lines))

    summary, error = run_rejected("import_crimes", broken, "--no-score")

    assert problems(summary) == [("2024-04-humberside-street.csv", 100, "Latitude")]
    assert "nothing was imported" in str(error).lower()
    assert not Crime.objects.filter(month__year=2024, month__month=4).exists()
    assert Crime.objects.count() == 7718 + 7729 + 8413


def test_an_unknown_crime_type_is_rejected_with_its_line(tmp_path):
    with APRIL.open(encoding="utf-8", newline="") as handle:
        rows = [row for _, row in zip(range(6), csv.reader(handle), strict=False)]
    rows[3][9] = "Littering"  # line 4
    copy = tmp_path / "april.csv"
    with copy.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)

    with pytest.raises(ImportRejected) as rejected:
        import_crimes([copy])

    assert [(e.line, e.column) for e in rejected.value.errors] == [(4, "Crime type")]
    assert "'Littering' is not a known police.uk crime type" in rejected.value.errors[0].reason


@pytest.mark.parametrize(
    ("newline", "bom"), [(b"\n", b""), (b"\n", b"\xef\xbb\xbf"), (b"\r\n", b"\xef\xbb\xbf")]
)
def test_lf_or_crlf_with_or_without_a_byte_order_mark_read_the_same(tmp_path, newline, bom):
    lines = APRIL.read_bytes().split(b"\r\n")[:51]
    variant = tmp_path / "april.csv"
    variant.write_bytes(bom + newline.join(lines) + newline)

    summary = import_crimes([variant])

    assert summary.imported == 50
    assert Crime.objects.filter(month__month=4).count() == 50


def test_two_files_of_the_same_force_and_month_are_rejected(tmp_path):
    first = first_lines(APRIL, tmp_path / "a.csv", 4)
    second = tmp_path / "b.csv"
    second.write_bytes(first_lines(APRIL, tmp_path / "c.csv", 8).read_bytes())

    summary, _ = run_rejected("import_crimes", first, second, "--no-score")

    assert problems(summary) == [("b.csv", 2, "Month")]


def test_an_import_asks_for_the_scores_once_it_commits(
    tmp_path, django_capture_on_commit_callbacks
):
    small = first_lines(APRIL, tmp_path / "april.csv", 20)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        crimes_import(paths=[small])

    assert len(callbacks) == 1


def test_relocating_places_every_map_point_again():
    MapPoint.objects.update(street=None, ward=None)

    summary = run_import("import_crimes", "--relocate", "--no-score")

    assert summary["updated"] == MapPoint.objects.count()
    assert MapPoint.objects.filter(ward__isnull=False).count() > 6000
