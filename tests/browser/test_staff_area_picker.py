"""The staff form's areas picker in a browser: filter by typing, tick without Ctrl-click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import StaffProfile
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.browser.test_targeting_ward_page import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_finds_a_ward_by_typing_and_ticks_it_on_a_phone(
    phone_page, live_server, admin_user, tiny_force
):
    signed_in(phone_page, live_server, admin_user)
    phone_page.goto("/staff/manage/new/")

    phone_page.get_by_label("Find an area by name").fill("river")

    expect(phone_page.get_by_label("Riverside")).to_be_visible()
    expect(phone_page.get_by_label("North Town")).to_be_visible()  # Riverside's district
    expect(phone_page.get_by_label("Docks")).to_be_hidden()
    expect(phone_page.get_by_text("1 area matches")).to_be_visible()
    assert no_horizontal_scroll(phone_page)
    assert axe_violations(phone_page) == []
    assert phone_page.errors == []

    phone_page.get_by_label("Riverside").check()
    phone_page.get_by_label("Full name").fill("PC Picker")
    phone_page.get_by_label("Email address").fill("picker@example.test")
    phone_page.get_by_role("button", name="Save").click()

    expect(phone_page.get_by_role("heading", name="Staff")).to_be_visible()
    profile = StaffProfile.objects.get(user__email="picker@example.test")
    assert list(profile.areas.values_list("name", flat=True)) == ["Riverside"]
