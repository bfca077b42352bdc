"""My account shows the member's messages and surveys (providers from alerts and surveys)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Delivery
from tests.factories.alerts import make_delivery, make_message
from tests.factories.members import PASSWORD, make_member
from tests.factories.surveys import make_invitation, make_response

pytestmark = pytest.mark.django_db


def account_page(client, email: str) -> str:
    client.login(email=email, password=PASSWORD)
    response = client.get(reverse("member_account"))
    assert response.status_code == 200
    return response.content.decode()


def test_my_account_lists_the_messages_sent_to_me_and_not_the_unsent(client):
    member = make_member(email="history.messages@example.test")
    now = timezone.now()
    make_delivery(
        member=member,
        message=make_message(subject="Bogus callers on Hessle Road"),
        status=Delivery.Status.SENT,
        sent_at=now,
    )
    make_delivery(
        member=member,
        message=make_message(subject="Waiting in the outbox"),
        status=Delivery.Status.PENDING,
    )
    other = make_member(email="someone.else@example.test")
    make_delivery(
        member=other,
        message=make_message(subject="Not for this member"),
        status=Delivery.Status.SENT,
        sent_at=now,
    )

    page = account_page(client, "history.messages@example.test")

    assert "Bogus callers on Hessle Road" in page
    assert "Waiting in the outbox" not in page
    assert "Not for this member" not in page


def test_my_account_lists_my_surveys_answered_open_and_missed(client):
    member = make_member(email="history.surveys@example.test")
    now = timezone.now()
    answered = make_invitation(member, cycle=1, now=now - timedelta(days=200))
    make_response(answered, submitted_at=now - timedelta(days=199))
    make_invitation(member, cycle=2, now=now - timedelta(days=100))  # closed unanswered
    make_invitation(member, cycle=3, now=now)  # open now

    page = account_page(client, "history.surveys@example.test")

    assert "Your surveys" in page
    assert page.count("Answered on") == 1
    assert page.count("Not answered") == 1
    assert page.count("Open until") == 1
    # The open one links to the survey from My account.
    assert f'href="{reverse("surveys_account")}"' in page


def test_a_new_member_has_no_empty_history_sections(client):
    make_member(email="history.none@example.test")

    page = account_page(client, "history.none@example.test")

    assert "Your surveys" not in page
    assert 'id="history-messages"' not in page
