"""A member uses My account on a phone: stop messages, delete an answer, download, erase."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Member
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.factories.members import (
    PASSWORD,
    ensure_community_groups,
    ensure_hull_geography,
    make_member,
    use_language,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member():
    ensure_community_groups()
    ensure_hull_geography()
    return make_member(
        email="robin.member@example.test",
        name="Robin Member",
        demographics={"religion": "buddhist", "age_band": "45-54"},
        consent={"religion"},
    )


def check(page):
    assert axe_violations(page) == [], page.url
    assert no_horizontal_scroll(page), page.url
    assert page.errors == [], page.url


@pytest.mark.parametrize("language", ["en-gb", "pl"])
def test_my_account_pages_pass_axe_on_a_phone(phone_page, live_server, member, language):
    page = phone_page
    use_language(page, live_server, language)
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(member.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/my-account/")

    for path in (
        "/my-account/",
        "/my-account/details/",
        "/my-account/move/",
        "/my-account/move/?postcode=HU1+1AA",
        "/my-account/about-you/",
        "/my-account/erase/",
        "/accounts/email/",
        "/accounts/password/change/",
    ):
        page.goto(path)
        check(page)


def test_a_member_stops_messages_deletes_an_answer_downloads_and_erases(phone_page, member):
    page = phone_page
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/my-account/")

    page.get_by_role("button", name="Stop all messages").click()
    expect(page.get_by_role("button", name="Start messages again")).to_be_visible()
    member.refresh_from_db()
    assert member.messages_stopped_at is not None

    page.get_by_role("link", name="See, change or delete your answers").click()
    page.get_by_role("button", name="Delete my answer: Religion").click()
    expect(page.get_by_text("that answer is deleted")).to_be_visible()
    assert member.demographics.__class__.objects.get(member=member).religion == ""
    check(page)

    page.get_by_role("link", name="My account").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["email"] == "robin.member@example.test"

    page.get_by_role("link", name="Erase my account").click()
    expect(page.get_by_role("heading", name="What remains")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Erase my account").click()

    page.wait_for_url("**/account-erased/")
    check(page)
    assert not Member.objects.filter(pk=member.pk).exists()
