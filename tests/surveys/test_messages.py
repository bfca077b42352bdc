"""Invitations and reminders as sent through the outbox, and the beat schedule."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from alerts.models import Delivery, Message
from alerts.services import Outcome, delivery_send
from config.celery import app
from surveys import schedule, services
from surveys.models import Invitation
from tests.factories.members import make_member
from tests.factories.surveys import make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited():
    member = make_member(email="invited@example.test")
    due = schedule.due_at(member_id=member.pk, registered_at=member.registered_at, cycle=1)
    services.invitations_dispatch(now=due)
    return member, due


def link_in(body: str) -> str:
    line = next(line for line in body.splitlines() if "/survey/" in line)
    return "/" + line.strip().split("://", 1)[1].split("/", 1)[1]


def test_the_invitation_email_carries_a_link_that_opens_the_members_survey(invited):
    member, due = invited
    delivery = Delivery.objects.get(member=member)

    assert delivery_send(delivery_id=delivery.pk, now=due) == Outcome.SENT

    email = mail.outbox[-1]
    assert email.to == ["invited@example.test"]
    assert "quarterly survey" in email.subject
    assert Client().get(link_in(email.body)).status_code == 200


def test_a_reminder_for_a_survey_answered_meanwhile_is_not_sent(invited):
    member, due = invited
    services.reminders_dispatch(now=due + timedelta(days=settings.SURVEYS_REMINDER_DAYS))
    reminder = Delivery.objects.get(member=member, message__kind=Message.Kind.SURVEY_REMINDER)
    make_response(Invitation.objects.get(member=member), submitted_at=timezone.now())

    outcome = delivery_send(delivery_id=reminder.pk)

    assert outcome == Outcome.SKIPPED
    assert mail.outbox == []


def test_members_who_only_take_text_messages_are_invited_by_text():
    member = make_member(email="texts.only@example.test", phone="+447700900444")
    member.by_email = False
    member.save(update_fields=["by_email"])
    due = schedule.due_at(member_id=member.pk, registered_at=member.registered_at, cycle=1)

    services.invitations_dispatch(now=due)

    assert Delivery.objects.get(member=member).channel == Delivery.Channel.SMS


def test_beat_runs_the_dispatch_at_least_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["surveys-dispatch"]
    app.loader.import_default_modules()  # what a worker does at start-up

    assert entry["task"] in app.tasks
    assert entry["schedule"].remaining_estimate(timezone.now()) <= timedelta(hours=1)
