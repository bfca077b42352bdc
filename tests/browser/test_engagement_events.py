"""An officer on a 360 px phone records an event's outcome and a street contact."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engagement.models import CommunityContact
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.browser.test_targeting_ward_page import signed_in
from tests.factories.engagement_events import make_event
from tests.factories.targeting import make_postcode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(db):
    # Transactional tests start from an emptied database: the priority list again.
    from surveys.reference import ensure_reference_data

    ensure_reference_data()


def test_an_officer_records_an_event_outcome_on_a_phone(
    phone_page, live_server, officer, tiny_force, reference_data
):
    event = make_event(officer, tiny_force["riverside"], title="Library surgery")
    signed_in(phone_page, live_server, officer)

    phone_page.goto(f"/staff/events/{event.pk}/outcome/")
    expect(
        phone_page.get_by_role("heading", name="What happened at Library surgery")
    ).to_be_visible()
    assert no_horizontal_scroll(phone_page)
    assert axe_violations(phone_page) == []
    phone_page.get_by_label("How many people came").fill("17")
    phone_page.get_by_label("Drugs").check()
    phone_page.get_by_label("Other issues raised, in a few words").fill("Bikes on the path")
    phone_page.get_by_label("4", exact=True).check()
    phone_page.get_by_label("Suitable for publishing to members").check()
    phone_page.get_by_role("button", name="Save the outcome").click()

    expect(phone_page.get_by_text("Outcome recorded for Library surgery.")).to_be_visible()
    expect(phone_page.get_by_text("4 out of 5")).to_be_visible()
    assert phone_page.errors == []


def test_an_officer_records_a_street_contact_on_a_phone(
    phone_page, live_server, officer, tiny_force, reference_data
):
    make_postcode("ZZ9 1AA", tiny_force["riverside"], 100_400, 101_400)
    signed_in(phone_page, live_server, officer)

    phone_page.goto("/staff/contacts/new/")
    expect(phone_page.get_by_role("heading", name="Record a street contact")).to_be_visible()
    assert no_horizontal_scroll(phone_page)
    assert axe_violations(phone_page) == []
    phone_page.get_by_label("Postcode").fill("zz9 1aa")
    phone_page.get_by_label("Speeding and road safety").check()
    phone_page.get_by_label("Alert sign-up offered").check()
    phone_page.get_by_role("button", name="Record the contact").click()

    expect(phone_page.get_by_text("Street contact recorded. Thank you.")).to_be_visible()
    saved = CommunityContact.objects.get()
    assert saved.ward == tiny_force["riverside"] and saved.signup_offered
    assert phone_page.errors == []
