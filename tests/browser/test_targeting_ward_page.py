"""The officer's ward page on a 360 px phone: the map draws, nothing scrolls sideways,
axe finds nothing serious, and the strict CSP blocks nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from targeting.scoring import compute_scores
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.factories.targeting import hand_built_area, load_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scored_area(tiny_force, reference_data):
    area = hand_built_area(tiny_force)
    compute_scores(forces=[area["force"]])
    return area


def signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.fixture
def reference_data(db):
    # Transactional tests start from an emptied database.
    load_reference_data()


def test_the_ward_page_works_on_a_phone_with_its_map(phone_page, live_server, officer, scored_area):
    signed_in(phone_page, live_server, officer)

    phone_page.goto(f"/staff/priorities/area/{scored_area['riverside'].code}/")

    expect(phone_page.get_by_role("heading", name="Riverside")).to_be_visible()
    # Leaflet draws the ward outline and each street's circle as SVG paths.
    phone_page.wait_for_selector(".map path.leaflet-interactive")
    assert phone_page.locator(".map path.leaflet-interactive").count() == 4
    ranked = phone_page.locator("#streets-h + .ranked .ranked-name")
    assert ranked.all_inner_texts() == ["High Street", "Mill Lane", "Quiet Close"]
    assert no_horizontal_scroll(phone_page)
    assert phone_page.errors == []
    assert axe_violations(phone_page) == []


def test_the_street_page_works_on_a_phone(phone_page, live_server, officer, scored_area):
    signed_in(phone_page, live_server, officer)

    phone_page.goto(f"/staff/priorities/street/{scored_area['streets']['high'].pk}/")

    expect(phone_page.get_by_role("heading", name="High Street")).to_be_visible()
    assert phone_page.locator("svg.chart rect").count() == 3
    assert no_horizontal_scroll(phone_page)
    assert phone_page.errors == []
    assert axe_violations(phone_page) == []


def test_the_share_link_opens_the_same_month_for_a_colleague(
    phone_page, live_server, officer, scored_area
):
    signed_in(phone_page, live_server, officer)
    phone_page.goto(f"/staff/priorities/area/{scored_area['riverside'].code}/?period=2024-02")
    phone_page.get_by_text("Share this view").click()
    link = phone_page.get_by_label("Link").input_value()

    phone_page.goto(link)

    assert phone_page.locator("#period").input_value() == "2024-02"


def test_the_admin_pages_pass_axe_on_a_phone(phone_page, live_server, admin_user, reference_data):
    signed_in(phone_page, live_server, admin_user)

    for path, heading in (
        ("/staff/priorities/imports/crimes/", "Import crime data"),
        ("/staff/priorities/imports/", "Import data"),
        ("/staff/priorities/data/", "Data status"),
        ("/staff/priorities/weights/", "Scoring weights"),
    ):
        phone_page.goto(path)
        expect(phone_page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert no_horizontal_scroll(phone_page), path
        assert axe_violations(phone_page) == [], path
    assert phone_page.errors == []
