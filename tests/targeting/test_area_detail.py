"""The area page (/staff/areas/<code>/): an area's sub-areas or streets on a map, in scope.

Moved from ``areas`` (which imports nothing from ``accounts``) to the staff pages here;
who may open it is in tests/accounts/test_scope.py.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import resolve, reverse

from core.maps import NOWHERE
from targeting import views
from tests.factories.targeting import hand_built_area

pytestmark = pytest.mark.django_db


def get(client, user, area):
    client.force_login(user)
    return client.get(reverse("area_detail", args=[area.code]))


def centre(page: str) -> tuple[float, float]:
    lat, lon = re.search(r"center: \[([-\d.]+), ([-\d.]+)\]", page).groups()
    return float(lat), float(lon)


def test_the_area_page_keeps_its_address_and_name():
    assert reverse("area_detail", args=["E05999901"]) == "/staff/areas/E05999901/"
    assert resolve("/staff/areas/E05999901/").func is views.area_detail


def test_a_district_page_maps_and_lists_its_wards_centred_on_them(client, supervisor, tiny_force):
    area = hand_built_area(tiny_force)

    page = get(client, supervisor, area["north"]).content.decode()

    assert '"name": "Riverside"' in page and '"name": "Hillside"' in page
    assert page.count('class="card"') == 2
    lat, lon = centre(page)
    west, south, _e, _n = area["riverside"].boundary_simple.extent
    _w, _s, east, north = area["hillside"].boundary_simple.extent
    assert south <= lat <= north and west <= lon <= east
    assert "53.74" not in page


def test_a_ward_page_maps_its_outline_and_lists_its_streets(client, officer, tiny_force):
    area = hand_built_area(tiny_force)

    page = get(client, officer, area["riverside"]).content.decode()

    assert '"name": "Riverside"' in page
    assert "Streets (3)" in page
    assert "High Street" in page and "Hill Road" not in page


def test_a_ward_with_no_outline_anywhere_shows_great_britain_not_humberside(
    client, other_supervisor, tiny_force
):
    page = get(client, other_supervisor, tiny_force["docks"]).content.decode()

    assert '"type": "Feature"' not in page
    fitted = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", page, re.S).group(1)
    assert json.loads(fitted) == [list(NOWHERE[0]), list(NOWHERE[1])]
    assert "53.74" not in page
