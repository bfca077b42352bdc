"""Stopping messages from the link in a message, without signing in."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from alerts.links import make_token, read_token
from alerts.rendering import UNSUBSCRIBE_PURPOSE, unsubscribe_url
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return make_member(email="stop.me@example.test")


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_opening_the_link_only_asks_for_confirmation(member):
    url = path_of(unsubscribe_url(member_id=member.pk, now=timezone.now()))

    response = Client().get(url)

    member.refresh_from_db()
    assert response.status_code == 200
    assert "Stop all messages" in response.content.decode()
    assert member.messages_stopped_at is None


def test_confirming_stops_every_message(member):
    url = path_of(unsubscribe_url(member_id=member.pk, now=timezone.now()))

    response = Client().post(url)

    member.refresh_from_db()
    assert response.status_code == 200
    assert member.messages_stopped_at is not None


def test_an_expired_unsubscribe_link_is_refused(member):
    url = path_of(unsubscribe_url(member_id=member.pk, now=timezone.now() - timedelta(days=400)))

    response = Client().post(url)

    member.refresh_from_db()
    assert response.status_code == 404 and member.messages_stopped_at is None


def test_a_tampered_unsubscribe_link_is_refused(member):
    url = path_of(unsubscribe_url(member_id=member.pk, now=timezone.now()))

    response = Client().post(url[:-3] + "AA/")

    assert response.status_code == 404


def test_a_token_for_another_purpose_is_refused():
    now = timezone.now()
    token = make_token(purpose="survey", data={"m": 1}, expires_at=now + timedelta(days=1))

    assert read_token(token, purpose=UNSUBSCRIBE_PURPOSE, now=now) is None
    assert read_token(token, purpose="survey", now=now) == {"m": 1}
