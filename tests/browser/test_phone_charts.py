"""Charts (core/charts.py) read on a 360 px phone: their words are at least 10 px high."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from targeting.scoring import compute_scores
from tests.browser.test_targeting_ward_page import signed_in
from tests.factories.targeting import hand_built_area, load_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_charts_axis_labels_are_readable_on_a_phone(phone_page, live_server, officer, tiny_force):
    load_reference_data()
    area = hand_built_area(tiny_force)
    compute_scores(forces=[area["force"]])
    signed_in(phone_page, live_server, officer)

    phone_page.goto(f"/staff/priorities/street/{area['streets']['high'].pk}/")

    ticks = phone_page.locator("svg.chart text.tick")
    expect(ticks.first).to_be_visible()
    heights = [box["height"] for box in (t.bounding_box() for t in ticks.all()) if box]
    assert heights and min(heights) >= 10
