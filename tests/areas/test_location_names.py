"""Which police.uk location names are places: every name of the four Humberside months."""

import csv
from collections import Counter
from functools import cache

import pytest

from areas.location_names import PLACE_NAMES, is_place
from areas.models import Street
from demo.geography import police_street_files

# Worked out by reading all 5,822 names of the four months (data/police_uk/street): the
# names that are not streets. Everything else is a street, road number or estate.
PLACES_IN_THE_FOUR_MONTHS = {
    "Airport/Airfield",
    "Beverley Bus Station",
    "Bus/Coach Station",
    "Conference/Exhibition Centre",
    "Ferry Terminal",
    "Further/Higher Educational Building",
    "Hospital",
    "Hull Paragon Interchange",
    "Kipling Cotes Race Course",
    "Nightclub",
    "Park/Open Space",
    "Parking Area",
    "Petrol Station",
    "Police Station",
    "Shopping Area",
    "Shopping Centre",
    "Sports/Recreation Area",
    "Supermarket",
    "The Promenades Shopping Centre",
    "Theatre/Concert Hall",
    "Theme/Adventure Park",
}
# The issue's list of places officers were wrongly sent to.
KNOWN_PLACES = (
    "Parking Area",
    "Supermarket",
    "Petrol Station",
    "Shopping Area",
    "Nightclub",
    "Hospital",
    "Police Station",
    "Sports/Recreation Area",
    "Further/Higher Educational Building",
    "Bus/Coach Station",
    "Theatre/Concert Hall",
)
STREET_ENDINGS = (
    "Road", "Street", "Avenue", "Lane", "Close", "Way", "Drive", "Grove", "Court",
    "Gardens", "Place", "Crescent", "Terrace", "Walk", "View", "Square", "Mews",
)  # fmt: skip


@cache
def location_names() -> Counter[str]:
    """Every location name (without "On or near") of the four months, with its rows."""
    names: Counter[str] = Counter()
    for path in police_street_files():
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                name = row["Location"].removeprefix("On or near").strip()
                if name:
                    names[name] += 1
    return names


def test_the_four_months_hold_5822_location_names():
    assert len(location_names()) == 5822


def test_the_places_among_every_name_of_the_four_months_are_exactly_the_known_ones():
    places = {name for name in location_names() if is_place(name)}

    assert places == PLACES_IN_THE_FOUR_MONTHS


@pytest.mark.parametrize("name", KNOWN_PLACES)
def test_each_place_the_issue_names_is_a_place(name):
    assert is_place(name)
    assert name in location_names()


def test_every_police_uk_kind_of_place_occurs_in_the_four_months():
    assert set(location_names()) >= PLACE_NAMES


def test_no_name_ending_like_a_street_is_a_place():
    streets = [n for n in location_names() if n.rsplit(" ", 1)[-1] in STREET_ENDINGS]

    assert len(streets) > 4000
    assert not [n for n in streets if is_place(n)]


@pytest.mark.parametrize(
    "name",
    ["Station Road", "Hospital Hill", "Racecourse Avenue", "Shopping Centre Lane", "A1079"],
)
def test_names_that_only_mention_a_place_are_streets(name):
    assert not is_place(name)


def test_a_kind_of_place_police_uk_writes_with_a_slash_is_a_place_even_if_new():
    assert is_place("Zoo/Wildlife Park")


@pytest.mark.django_db
def test_the_imported_streets_carry_their_kind_and_split_by_the_queryset():
    places = Street.objects.places()
    streets = Street.objects.streets()

    assert set(places.values_list("name", flat=True)) <= PLACES_IN_THE_FOUR_MONTHS
    assert places.filter(name="Parking Area").exists()
    assert not streets.filter(name__in=PLACES_IN_THE_FOUR_MONTHS).exists()
    assert places.count() + streets.count() == Street.objects.count()


@pytest.mark.parametrize(
    ("name", "shown"),
    [("Prince'S Road", "Prince's Road"), ("St Mary'S Court", "St Mary's Court"),
     ("O'Sullivan Way", "O'Sullivan Way"), ("D'Arcy Road", "D'Arcy Road")],
)  # fmt: skip
def test_a_street_is_shown_with_its_possessives_mended_and_other_capitals_kept(name, shown):
    assert Street(name=name, kind=Street.Kind.STREET).label == shown


def test_a_place_is_shown_with_its_nearest_street():
    near = Street(pk=1, name="Prince'S Road", kind=Street.Kind.STREET)
    place = Street(name="Parking Area", kind=Street.Kind.PLACE, near=near)

    assert place.label == "Parking Area near Prince's Road"


def test_a_place_without_a_nearest_street_is_shown_by_its_name():
    assert Street(name="Supermarket", kind=Street.Kind.PLACE).label == "Supermarket"
