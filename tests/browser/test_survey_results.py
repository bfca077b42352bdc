"""The demo officer sees their wards' survey results and trends, with charts and tables."""

import pytest
from playwright.sync_api import expect

from areas.models import Area
from demo.staff import create_demo_staff
from surveys.reference import ensure_reference_data
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.browser.test_staff_sign_in import sign_in
from tests.factories.members import CENTRAL, ensure_hull_geography
from tests.factories.surveys import bulk_responses, round_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer_with_results():
    wards = ensure_hull_geography()
    ensure_reference_data()
    staff = {u.email: u for u in create_demo_staff()}
    central = wards[CENTRAL]
    for quarter, trust in ((1, 2), (2, 3), (3, 4)):
        bulk_responses(
            ward=central,
            round_=round_at(2026, quarter),
            count=12,
            scales={"trust": trust, "confidence": 3, "safe_day": 4, "safe_dark": 2},
            priorities=["drugs", "anti-social-behaviour"],
            concerns=["drugs"],
            comment="Cars speed past the school.",
        )
    return staff["officer@demo.example"]


def test_the_officer_sees_trends_for_their_ward_as_a_chart_and_a_table(page, officer_with_results):
    sign_in(page, officer_with_results)
    page.wait_for_url("**/staff/")

    page.get_by_role("link", name="Survey results").click()
    page.get_by_label("Area", exact=True).select_option(label="Central (Ward)")
    page.get_by_label("Quarter", exact=True).select_option(label="2026 Q3")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_role("heading", name="Survey results: Central · 2026 Q3")).to_be_visible()
    assert page.locator("svg.chart polyline").count() >= 1
    trend = page.get_by_role("table", name="Trend data: mean (people answering)")
    assert "4.00 (12)" in trend.inner_text()
    expect(page.get_by_role("img", name="Mean answers by quarter")).to_be_visible()
    assert page.errors == []
    assert axe_violations(page) == []

    page.get_by_role("link", name="Read what people wrote").click()
    expect(page.get_by_text("Cars speed past the school.").first).to_be_visible()


def test_the_results_fit_a_phone_even_with_suppressed_cells(phone_page, officer_with_results):
    # A quarter with too few answers: its cells say "fewer than 10" to screen readers.
    bulk_responses(
        ward=Area.objects.get(code=CENTRAL),
        round_=round_at(2025, 4),
        count=5,
        scales={"trust": 3, "confidence": 3, "safe_day": 4, "safe_dark": 2},
    )
    sign_in(phone_page, officer_with_results)
    phone_page.wait_for_url("**/staff/")

    phone_page.goto(f"/staff/surveys/?area={CENTRAL}&quarter=2026-Q3")

    trend = phone_page.get_by_role("table", name="Trend data: mean (people answering)")
    assert "2025 Q4" in trend.inner_text()
    assert no_horizontal_scroll(phone_page)
    assert phone_page.errors == []
