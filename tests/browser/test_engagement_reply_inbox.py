"""Done when, in a browser: a member replies from the link in a real delivery without
signing in; the reply is in the ward team's inbox and the officer handles it; the public
ward page shows the done item and the team on a 360 px phone (axe clean)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from alerts.services import message_send
from engagement import services
from engagement.models import OfficerProfile
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.factories.engagement import make_item, make_team
from tests.factories.targeting import make_members, make_postcode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.fixture
def ward(tiny_force, officer):
    riverside = tiny_force["riverside"]
    team = make_team(riverside, members=[officer], name="Riverside neighbourhood team")
    team.memberships.update(role="Neighbourhood officer")
    OfficerProfile.objects.filter(user=officer).update(
        public_name="PC Jo Bloggs", about="I walk the riverside beat every weekday."
    )
    return {"ward": riverside, "team": team}


def _reply_path_of_a_real_delivery(ward, officer) -> str:
    """Send the done item as a message; the reply link from the email it became."""
    item = make_item(ward["ward"], user=officer, status="done", title="Speed checks on Mill Lane")
    message = services.item_message_draft(item=item, user=officer)
    mail.outbox.clear()
    message_send(message=message)  # the eager worker sends it on commit
    (email,) = [m for m in mail.outbox if m.subject == "Speed checks on Mill Lane"]
    url = re.search(r"https?://\S+/messages/reply/\S+/", email.body).group(0)
    return urlparse(url).path


def test_a_member_replies_from_the_email_link_and_the_officer_handles_it_in_the_inbox(
    browser, phone_page, live_server, officer, ward
):
    home = make_postcode("ZZ9 5AA", ward["ward"], 100_400, 101_400)
    make_members(home, 1)
    reply_path = _reply_path_of_a_real_delivery(ward, officer)

    # The member, not signed in, on their phone.
    phone_page.goto(reply_path)
    expect(phone_page.get_by_text("In an emergency always call 999.")).to_be_visible()
    phone_page.get_by_role("textbox").fill("Thank you, the lane is much calmer now.")
    phone_page.get_by_role("button", name="Send reply").click()
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    assert "/accounts/login/" not in phone_page.url

    # The officer, in the team inbox.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    signed_in(page, live_server, officer)
    page.goto(f"/staff/inbox/team/{ward['team'].pk}/")
    page.get_by_role("link", name="Reply to “Speed checks on Mill Lane”").click()
    expect(page.get_by_text("Thank you, the lane is much calmer now.")).to_be_visible()
    page.get_by_role("button", name="Mark as handled").click()
    expect(page.get_by_text("Marked as handled.")).to_be_visible()
    expect(page.get_by_text("Nothing waiting: every reply has been handled.")).to_be_visible()
    context.close()


def test_the_public_ward_page_shows_the_done_item_and_the_team_on_a_phone(
    phone_page, officer, ward
):
    make_item(ward["ward"], user=officer, status="done", title="Speed checks on Mill Lane")

    phone_page.goto(f"/wards/{ward['ward'].code}/")

    expect(phone_page.get_by_role("heading", name="Speed checks on Mill Lane")).to_be_visible()
    expect(phone_page.get_by_role("heading", name="PC Jo Bloggs")).to_be_visible()
    expect(phone_page.get_by_text("I walk the riverside beat every weekday.")).to_be_visible()
    assert no_horizontal_scroll(phone_page)
    assert phone_page.errors == []
    assert axe_violations(phone_page) == []
