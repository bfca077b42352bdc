"""An officer on a 360 px phone records visits, loses signal (the page reloads from the
service worker), records two more, gets signal back: every visit reaches the server
exactly once, a resend included."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from targeting.setups.models import Visit
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.factories import make_staff
from tests.factories.setups import make_setup
from tests.factories.targeting import hand_built_area, load_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.fixture
def setup(tiny_force, officer):
    load_reference_data()  # transactional tests start from an emptied database
    area = hand_built_area(tiny_force)
    supervisor = make_staff("sergeant@example.test", "supervisor", [tiny_force["north"]])
    setup = make_setup(supervisor=supervisor, wards=[area["riverside"]], officers=[officer])
    return setup, area["streets"]["high"]


def record(page, house: str, outcome: str) -> None:
    page.get_by_label("House number or name").fill(house)
    page.get_by_label(outcome, exact=True).check()
    page.get_by_role("button", name="Record the visit").click()
    expect(page.get_by_label("House number or name")).to_have_value("")


def test_visits_recorded_offline_are_sent_once_when_the_signal_returns(
    phone_page, live_server, officer, setup
):
    setup, street = setup
    signed_in(phone_page, live_server, officer)
    phone_page.goto(f"/staff/doorstep/{setup.pk}/street/{street.pk}/")
    waiting = phone_page.locator("[data-queue-count]")
    expect(phone_page.get_by_role("heading", name="High Street")).to_be_visible()
    expect(waiting).to_have_text("0")
    assert no_horizontal_scroll(phone_page)
    assert axe_violations(phone_page) == []

    record(phone_page, "1", "Not in")
    record(phone_page, "2", "Declined")
    expect(waiting).to_have_text("0")
    assert phone_page.errors == []

    # The service worker, scoped to the doorstep pages, keeps the page for no signal.
    scope = phone_page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/staff/doorstep/"
    phone_page.reload()  # now under the worker, which keeps a copy
    expect(waiting).to_have_text("0")
    phone_page.context.set_offline(True)
    phone_page.reload()
    expect(phone_page.get_by_role("heading", name="High Street")).to_be_visible()
    record(phone_page, "3", "Already a member")
    record(phone_page, "4 Rose Cottage", "Not in")
    expect(waiting).to_have_text("2")
    expect(phone_page.locator("#doorstep-queue")).to_contain_text("No signal")
    queued = phone_page.evaluate("localStorage.getItem('doorstep-visits-queue')")

    phone_page.context.set_offline(False)
    expect(waiting).to_have_text("0", timeout=15_000)
    # The phone sends the same two again (as after a lost answer): nothing is counted twice.
    phone_page.evaluate(
        "q => { localStorage.setItem('doorstep-visits-queue', q);"
        " window.dispatchEvent(new Event('online')); }",
        queued,
    )
    expect(waiting).to_have_text("0", timeout=15_000)

    assert len(json.loads(queued)) == 2
    houses = sorted(Visit.objects.values_list("house", flat=True))
    assert houses == ["1", "2", "3", "4 Rose Cottage"]
    assert sorted(Visit.objects.filter(sent_later=True).values_list("house", flat=True)) == [
        "3",
        "4 Rose Cottage",
    ]


def test_every_set_up_page_passes_the_page_checks_at_both_widths(browser, live_server, setup):
    """Each set-up and doorstep page, as the supervisor or the officer, at 360 and 1280 px:
    no sideways scroll, no serious axe violation, valid HTML, no console error (the
    checks of tests/browser/test_every_page.py, run here on these pages' own data)."""
    from tests.browser.test_every_page import WIDTHS, check_page, signed_in_context

    setup, street = setup
    officer = setup.officers.get()
    survey = Visit.objects.create(
        setup=setup, street=street, officer=officer, house="2", door="2",
        outcome=Visit.Outcome.SURVEY, visited_at=setup.opened_at,
    )  # fmt: skip
    pages = {
        setup.created_by: [
            "/staff/setups/", "/staff/setups/?archived=1", "/staff/setups/new/",
            f"/staff/setups/{setup.pk}/", f"/staff/setups/{setup.pk}/review/",
        ],
        officer: [
            "/staff/doorstep/", f"/staff/doorstep/{setup.pk}/",
            f"/staff/doorstep/{setup.pk}/street/{street.pk}/",
            f"/staff/doorstep/{setup.pk}/street/{street.pk}/?hidden=1",
            f"/staff/doorstep/{setup.pk}/visits/{survey.key}/survey/",
        ],
    }  # fmt: skip
    problems = []
    for user, urls in pages.items():
        client = Client()
        client.force_login(user)
        for width in WIDTHS:
            context = signed_in_context(browser, live_server, client, width)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
            for url in urls:
                problems += check_page(page, url, width, errors, client)
            context.close()

    assert problems == []
