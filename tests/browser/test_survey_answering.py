"""A member answers the quarterly survey from the link in their invitation, on a phone."""

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alerts.models import Delivery
from alerts.services import delivery_send
from surveys import schedule, services
from surveys.models import Answer, Invitation, Response
from surveys.reference import ensure_reference_data
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.factories.members import ensure_hull_geography, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invitation_link(live_server):
    """A real invitation sent through the outbox; the link as the email carries it."""
    ensure_hull_geography()
    ensure_reference_data()
    member = make_member(email="phone.answer@example.test")
    due = schedule.due_at(member_id=member.pk, registered_at=member.registered_at, cycle=1)
    services.invitations_dispatch(now=due)
    invitation = Invitation.objects.get(member=member)
    delivery = Delivery.objects.get(member=member)
    delivery_send(delivery_id=delivery.pk, now=timezone.now())
    body = mail.outbox[-1].body
    url = next(line for line in body.splitlines() if "/survey/" in line).strip()
    return invitation, url.split("://", 1)[1].split("/", 1)[1]


def group(page, text):
    return page.get_by_role("group", name=text)


def test_a_member_answers_the_survey_from_the_invitation_link_on_a_phone(
    phone_page, invitation_link
):
    invitation, path = invitation_link
    page = phone_page

    page.goto("/" + path)
    expect(
        page.get_by_role("heading", name="Your views on policing where you live")
    ).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start the survey").click()

    page.wait_for_url("**/survey/answer/1/")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    group(page, "How much do you trust the police in your local area?").get_by_label(
        "A fair amount"
    ).check()
    group(page, "How much do you agree that the police").get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/survey/answer/2/")
    group(page, "during the day").get_by_label("Very safe").check()
    group(page, "after dark").get_by_label("Fairly unsafe").check()
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/survey/answer/3/")
    assert axe_violations(page) == []
    page.get_by_label("Most important").select_option(label="Drugs")
    page.get_by_label("Second").select_option(label="Speeding and road safety")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/survey/answer/4/")
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_label("Is there anything else").fill("More patrols by the park, please.")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/survey/answer/check/")
    expect(page.get_by_text("More patrols by the park, please.")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send my answers").click()

    page.wait_for_url("**/survey/answer/thanks/")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert page.errors == []
    response = Response.objects.get(invitation=invitation)
    assert response.submitted_at is not None
    assert Answer.objects.get(response=response, question__key="trust").scale_value == 4
    assert Answer.objects.get(response=response, question__key="safe_dark").scale_value == 2


def test_the_link_cannot_be_used_again_from_another_browser_once_sent(
    page, phone_page, invitation_link
):
    _invitation, path = invitation_link
    phone_page.goto("/" + path)
    phone_page.get_by_role("button", name="Start the survey").click()
    for n in (1, 2):
        phone_page.wait_for_url(f"**/survey/answer/{n}/")
        for fieldset in phone_page.get_by_role("group").all():
            fieldset.get_by_role("radio").nth(2).check()
        phone_page.get_by_role("button", name="Save and continue").click()
    phone_page.goto("/survey/answer/check/")
    phone_page.get_by_role("button", name="Send my answers").click()
    phone_page.wait_for_url("**/survey/answer/thanks/")

    page.goto("/" + path)

    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    assert page.get_by_text("Your views on policing").count() == 0
