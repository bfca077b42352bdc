"""Places are not streets: a car park keeps its crimes and score, is shown beside its
nearest street, and gets only the actions that fit a place."""

from __future__ import annotations

import pytest

from areas.models import Street
from targeting import actions
from targeting.models import StreetScore
from targeting.scoring import compute_scores
from tests.factories.targeting import FEB, JAN, MAR, add_crimes, make_map_point, make_street

pytestmark = pytest.mark.django_db

PLACE_RULES = {"hotspot", "place_owner"}


@pytest.fixture
def with_car_park(surveyed_area) -> dict:
    """A busy car park in Riverside's west half (200 households around it), by High Street;
    it has what would send an officer door-knocking on a street (few members, a
    confidence gap, rising ASB)."""
    area = surveyed_area
    park = make_street(
        area["riverside"], "Parking Area", (100_250, 101_450), near=area["streets"]["high"]
    )
    point = make_map_point(park)
    for month in (JAN, FEB):
        add_crimes(point, month, {"vehicle-crime": 4, "anti-social-behaviour": 1})
    add_crimes(point, MAR, {"vehicle-crime": 6, "anti-social-behaviour": 8})
    compute_scores(forces=[area["force"]])
    return area | {"park": park}


def score_of(street: Street) -> StreetScore:
    return StreetScore.objects.get(period=MAR, street=street)


def test_a_place_keeps_its_crimes_and_a_score(with_car_park):
    score = score_of(with_car_park["park"])

    assert score.crimes == 24
    assert score.score > 0


def test_a_place_gets_only_place_actions_never_door_knocking(with_car_park):
    rules = [a["rule"] for a in score_of(with_car_park["park"]).actions]

    assert rules
    assert set(rules) <= PLACE_RULES
    assert "place_owner" in rules


def test_the_street_beside_the_place_still_gets_door_knocking(with_car_park):
    rules = [a["rule"] for a in score_of(with_car_park["streets"]["high"]).actions]

    assert "door_knock" in rules


def test_a_place_counts_no_households_members_or_engagement_gap(with_car_park):
    score = score_of(with_car_park["park"])

    assert (score.households, score.members, score.members_per_100) == (None, 0, None)
    assert score.engagement is None


def test_only_hot_spot_patrols_and_problem_solving_with_the_owner_fit_a_place():
    fits = {r.key for r in actions.registered(level="street") if "place" in r.kinds}

    assert fits == PLACE_RULES


def test_a_rule_fitting_no_kind_of_unit_is_refused():
    with pytest.raises(ValueError, match="kinds"):
        actions.ActionRule(
            key="leaflet_drop",
            title="Leaflet drop",
            reason=lambda p, *, level, period: "",
            thresholds={"crimes": 1},
            when="s.crimes >= {crimes}",
            strength="1",
            shows="'crimes', s.crimes",
            kinds=frozenset({"car park"}),
        )


def test_the_ward_page_labels_the_place_with_its_nearest_street(client, officer, with_car_park):
    client.force_login(officer)

    html = client.get(f"/staff/priorities/area/{with_car_park['riverside'].code}/").content.decode()

    assert "Parking Area near High Street</a>" in html
    assert '<span class="badge badge-place">Place</span>' in html


def test_the_ward_page_can_list_streets_only(client, officer, with_car_park):
    client.force_login(officer)
    url = f"/staff/priorities/area/{with_car_park['riverside'].code}/"

    everything = client.get(url, {"period": "2024-03", "top": 10}).content.decode()
    streets_only = client.get(
        url, {"period": "2024-03", "top": 10, "streets_only": "1"}
    ).content.decode()

    assert "Parking Area near High Street" in everything
    assert "Parking Area near High Street</a>" not in streets_only
    assert "High Street</a>" in streets_only
    assert 'name="streets_only" value="1" checked' in streets_only


def test_the_place_page_says_it_is_a_place_and_offers_no_door_knocking(
    client, officer, with_car_park
):
    client.force_login(officer)

    html = client.get(f"/staff/priorities/street/{with_car_park['park'].pk}/").content.decode()

    assert "<h1>Parking Area near High Street" in html
    assert "A place, not a street" in html
    assert "Problem solving with the site" in html
    assert "Door-knock" not in html


# --- Maps that help find the place ----------------------------------------------------------


def test_the_place_page_has_a_map_of_its_points_with_the_streets_around_named(
    client, officer, with_car_park
):
    client.force_login(officer)

    html = client.get(f"/staff/priorities/street/{with_car_park['park'].pk}/").content.decode()

    assert 'aria-label="Map of Parking Area near High Street and the streets around it"' in html
    assert '"name": "Parking Area near High Street"' in html  # its own points
    assert '"High Street"' in html  # 70 m away: named
    assert '"Hill Road"' not in html  # 1.25 km away


def test_without_tiles_the_ward_map_draws_output_areas_and_street_names_at_street_zoom(
    client, officer, with_car_park, settings
):
    settings.MAP_TILE_URL = ""
    client.force_login(officer)

    html = client.get(f"/staff/priorities/area/{with_car_park['riverside'].code}/").content.decode()

    assert '"code": "E00999001"' in html
    assert 'className: "map-label"' in html and ", 16);" in html


def test_with_tiles_the_ward_map_leaves_outlines_and_names_to_the_tiles(
    client, officer, with_car_park, settings
):
    settings.MAP_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"
    client.force_login(officer)

    html = client.get(f"/staff/priorities/area/{with_car_park['riverside'].code}/").content.decode()

    assert "https://tiles.example.test/{z}/{x}/{y}.png" in html
    assert '"code": "E00999001"' not in html
    assert "map-label" not in html


def test_an_output_area_without_a_boundary_is_left_off_the_ward_map(
    client, officer, with_car_park, settings
):
    from areas.models import OutputArea

    settings.MAP_TILE_URL = ""
    OutputArea.objects.filter(code="E00999002").update(boundary=None)
    client.force_login(officer)

    response = client.get(f"/staff/priorities/area/{with_car_park['riverside'].code}/")

    assert response.status_code == 200
    assert '"code": "E00999001"' in response.content.decode()
