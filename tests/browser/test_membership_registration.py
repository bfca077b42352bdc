"""A person registers on a phone; an officer registers a resident at the door.

Both end with the verification link read from the outbox (the live server runs in
this process) being followed in the browser.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import ConsentRecord, Member
from areas.models import Area
from demo.staff import current_totp_code
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.factories.members import (
    CENTRAL,
    PASSWORD,
    ensure_community_groups,
    ensure_hull_geography,
    make_officer,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hull(settings):
    # Playwright fills a form faster than any person: the minimum fill time is tested
    # on its own (tests/accounts/test_members_botcheck.py).
    settings.MEMBERS_BOT_MIN_SECONDS = 0
    ensure_community_groups()
    return ensure_hull_geography()


@pytest.fixture
def phone_page(phone_page):
    phone_page.set_default_timeout(10_000)
    return phone_page


def check_page(page):
    assert axe_violations(page) == [], page.url
    assert no_horizontal_scroll(page), page.url
    assert page.errors == [], page.url


def link_in_last_email(to: str) -> str:
    """The confirmation link in the last email to ``to`` that has one."""
    link = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[\w:-]+/)")
    message = next(m for m in reversed(mail.outbox) if m.to == [to] and link.search(m.body))
    return link.search(message.body).group(1)


def test_a_person_registers_on_a_phone_and_confirms_their_email(phone_page, hull):
    page = phone_page
    page.goto("/")
    page.get_by_role("link", name="Register").first.click()

    # Step 1: the postcode.
    page.get_by_label("Postcode").fill("hu1 2pd")
    check_page(page)
    page.get_by_role("button", name="Continue").click()

    # Step 2: the full form, with the streets near the postcode.
    page.wait_for_url("**/accounts/signup/?postcode=*")
    page.get_by_label("Your name").fill("Ada Newcomer")
    page.get_by_label("Email address", exact=True).fill("ada.newcomer@example.test")
    page.get_by_label("Password", exact=True).fill("a long pass phrase")
    page.get_by_label("Password (again)").fill("a long pass phrase")
    streets = page.locator("#id_street option")
    assert streets.count() > 1
    page.select_option("#id_street", index=1)
    page.get_by_label("At most once a week").check()
    page.get_by_label("Neighbourhood Watch").check()
    page.get_by_text("About you (optional)").click()
    page.get_by_label(re.compile(r"^Age\b")).select_option("35-44")
    page.get_by_label(re.compile(r"^Ethnic group")).select_option("white_other")
    check_page(page)
    # Forgetting the explicit consent and the registration consent: errors, nothing lost.
    page.get_by_role("button", name="Register").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert "Tick the box to give your consent" in summary.inner_text()
    assert page.get_by_label("Your name").input_value() == "Ada Newcomer"
    assert page.get_by_label(re.compile(r"^Ethnic group")).input_value() == "white_other"
    check_page(page)
    page.get_by_label("I give my explicit consent for Humberside Police to hold my ethnic").check()
    page.get_by_label("Password", exact=True).fill("a long pass phrase")
    page.get_by_label("Password (again)").fill("a long pass phrase")
    page.get_by_label("I agree that").check()
    page.get_by_role("button", name="Register").click()

    page.wait_for_url("**/accounts/confirm-email/")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check_page(page)

    # The link from the email, followed in the same browser.
    page.goto(link_in_last_email("ada.newcomer@example.test"))
    check_page(page)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/my-account/")
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    check_page(page)
    member = Member.objects.get(user__email="ada.newcomer@example.test")
    assert (member.ward.code, member.max_frequency, member.source) == (CENTRAL, "weekly", "self")
    assert member.street is not None
    assert member.user.emailaddress_set.get().verified
    assert set(ConsentRecord.objects.filter(member=member).values_list("item", flat=True)) == {
        "registration",
        "age_band",
        "ethnic_group",
    }


def sign_in_with_code(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(current_totp_code(user, margin=5))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")


def test_an_officer_registers_a_resident_at_the_door(phone_page, browser, live_server, hull):
    officer = make_officer("pc.doorstep@example.test", Area.objects.get(code=CENTRAL))
    page = phone_page
    sign_in_with_code(page, officer)

    page.get_by_role("link", name="Register a resident").click()
    page.get_by_label("Postcode").fill("HU1 2PD")
    check_page(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Resident's name").fill("Grace Doorstep")
    page.get_by_label("Resident's email address").fill("grace.doorstep@example.test")
    page.select_option("#id_street", index=1)
    page.get_by_label("Text message (SMS)").check()
    page.get_by_label("Mobile number").fill("07700 900222")
    check_page(page)
    page.get_by_label("The resident agrees: I agree").check()
    page.get_by_role("button", name="Register the resident").click()

    expect(page.get_by_text("Grace Doorstep is registered")).to_be_visible()
    check_page(page)
    member = Member.objects.get(user__email="grace.doorstep@example.test")
    assert (member.source, member.registered_by, member.phone) == (
        "doorstep",
        officer,
        "+447700900222",
    )
    assert ConsentRecord.objects.get(member=member, item="registration").how == "doorstep"

    # Someone already registered is not registered twice, and the officer is told the
    # same as for anyone else (the form reveals nobody's membership).
    page.get_by_label("Postcode").fill("HU1 2PD")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Resident's name").fill("Grace Again")
    page.get_by_label("Resident's email address").fill("Grace.Doorstep@example.test")
    page.get_by_label("The resident agrees: I agree").check()
    page.get_by_role("button", name="Register the resident").click()
    expect(page.get_by_text("Grace Again is registered")).to_be_visible()
    assert Member.objects.filter(user__email="grace.doorstep@example.test").count() == 1
    assert Member.objects.get(user__email="grace.doorstep@example.test").user.name == (
        "Grace Doorstep"
    )

    # The resident follows the link in their email, on their own phone.
    resident = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    try:
        their_page = resident.new_page()
        their_page.goto(link_in_last_email("grace.doorstep@example.test"))
        their_page.get_by_role("button", name="Confirm").click()
        their_page.wait_for_url("**/registered/confirmed/")
        heading = their_page.get_by_role("heading", name="your email address is confirmed")
        expect(heading).to_be_visible()
        assert axe_violations(their_page) == []
    finally:
        resident.close()
    assert member.user.emailaddress_set.get().verified
