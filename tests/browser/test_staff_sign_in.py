"""A member of staff signs in with two-factor authentication and sees their wards."""

import pytest
from playwright.sync_api import expect

from areas.importers.boundaries import import_boundaries
from areas.models import Area
from demo.geography import boundary_files
from demo.staff import DEMO_PASSWORD, create_demo_staff, current_totp_code
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_staff():
    if not Area.objects.filter(level=Area.Level.WARD).exists():
        import_boundaries(boundary_files()[:2])  # districts and wards
    return {u.email: u for u in create_demo_staff()}


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(current_totp_code(user, margin=5))
    page.get_by_role("button", name="Sign In").click()


def test_the_demo_officer_signs_in_with_two_factor_and_sees_their_two_wards(page, demo_staff):
    officer = demo_staff["officer@demo.example"]

    sign_in(page, officer)

    page.wait_for_url("**/staff/")
    expect(page.get_by_role("heading", name="My areas")).to_be_visible()
    wards = page.locator(".cards .card a")
    assert sorted(wards.all_inner_texts()) == ["Central", "St Andrew's & Docklands"]
    # Leaflet draws each ward outline as an SVG path.
    page.wait_for_selector(".map path.leaflet-interactive")
    assert page.locator(".map path.leaflet-interactive").count() == 2
    assert page.errors == []
    assert axe_violations(page) == []


def test_a_password_alone_does_not_reach_staff_pages(page, demo_staff):
    officer = demo_staff["officer@demo.example"]
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.goto("/staff/")

    # Still asked for the code: the sign-in is not complete without it.
    assert page.url.endswith("/accounts/2fa/authenticate/")
    expect(page.get_by_label("Code")).to_be_visible()
    assert page.get_by_role("heading", name="My areas").count() == 0
