"""An officer writes a "You said, we did" message to their ward on a phone, linked to a survey
priority, sees the three versions and how many members get each, sends it, and the
members' emails arrive at the real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from surveys.reference import ensure_reference_data
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.celery_worker import wait_for
from tests.factories.members import CENTRAL, ensure_hull_geography, make_member, make_officer
from tests.factories.surveys import bulk_members, make_invitation, make_response
from tests.smtp import SMTP_BACKEND, running_smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASB = "anti-social-behaviour"
EACH = 11  # above the small-number threshold, so every count is shown


def signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.fixture
def smtp(tmp_path, settings):
    with running_smtp_server(tmp_path / "mail") as server:
        settings.EMAIL_BACKEND = SMTP_BACKEND
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.SITE_URL = "http://testserver"
        yield server


@pytest.fixture
def ward_with_respondents():
    """Central ward: EACH members who raised anti-social behaviour, EACH who raised something
    else, EACH who never answered (one of them the member whose inbox we look at)."""
    ensure_reference_data()
    ward = ensure_hull_geography()[CENTRAL]
    answered_at = timezone.now() - timedelta(days=20)
    for priorities in ([ASB, "drugs"], ["speeding-road-safety"]):
        for member in bulk_members(EACH, registered_at=answered_at - timedelta(days=100),
                                   postcodes=["HU1 2PD"]):  # fmt: skip
            make_response(make_invitation(member), submitted_at=answered_at, priorities=priorities)
    bulk_members(EACH - 1, registered_at=answered_at, postcodes=["HU1 2PD"])
    make_member(email="pat.resident@example.test")
    return ward


def test_an_officer_sends_a_you_said_we_did_and_the_members_email_arrives(
    phone_page, live_server, smtp, ward_with_respondents
):
    page = phone_page
    officer = make_officer("officer.send@example.test", ward_with_respondents)
    signed_in(page, live_server, officer)

    page.goto("/staff/messages/new/")
    page.get_by_label("Subject").fill("What we did about anti-social behaviour")
    page.get_by_label("What happened (the message)").fill(
        "We patrolled Whitefriargate every evening and closed two problem premises."
    )
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_label("Area", exact=True).select_option(label="Central")
    page.get_by_role("button", name="Preview").click()

    expect(
        page.get_by_role("heading", name="What we did about anti-social behaviour")
    ).to_be_visible()
    for name in ("You said, we did", "General", "Invitation to answer"):
        card = page.locator(".version").filter(has=page.get_by_role("heading", name=name))
        expect(card.locator(".count")).to_have_text(f"{EACH} members")
    expect(page.locator(".reached")).to_have_text(str(3 * EACH))
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Send now").click()

    expect(page.get_by_text(f"Sent: {3 * EACH} messages are on their way.")).to_be_visible()
    wait_for(lambda: len(smtp.files()) >= 3 * EACH, timeout=60)
    [mail] = [m for m in smtp.messages() if m["To"] == "pat.resident@example.test"]
    assert mail["Subject"] == "What we did about anti-social behaviour"
    body = mail.get_body().get_content()
    assert "closed two problem premises" in body
    assert "answer our quarterly survey" in body
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert page.errors == []
