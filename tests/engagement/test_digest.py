"""Every 3 days each team gets a digest of its unhandled replies with their age."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from alerts.models import Delivery, Message
from engagement import services
from engagement.models import InboxReply
from tests.factories.engagement import make_reply, make_team
from tests.factories.targeting import make_members, make_postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def residents(tiny_force):
    home = make_postcode("ZZ9 4AA", tiny_force["riverside"], 100_400, 101_400)
    return make_members(home, 3)


@pytest.fixture
def team(tiny_force, officer):
    return make_team(tiny_force["riverside"], members=[officer])


def _entry(member, body: str, age_days: int, now) -> InboxReply:
    entry = services.inbox_reply_route(reply_id=make_reply(member, body).pk)
    entry.created_at = now - timedelta(days=age_days, hours=2)
    entry.save(update_fields=["created_at"])
    return entry


def test_the_digest_lists_each_unhandled_reply_with_its_age_oldest_first(
    team, officer, residents, django_capture_on_commit_callbacks
):
    now = timezone.now()
    _entry(residents[0], "one", 1, now)
    _entry(residents[1], "two", 5, now)
    handled = _entry(residents[2], "three", 2, now)
    services.inbox_handle(entry=handled, user=officer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send(now=now) == 1

    # Through the outbox, to the officer as a member of staff, sent once.
    (delivery,) = Delivery.objects.filter(message__kind=Message.Kind.STAFF_NOTICE)
    assert (delivery.user, delivery.member, delivery.status) == (officer, None, "sent")
    (digest,) = mail.outbox
    assert digest.to == ["officer@example.test"]
    assert digest.subject == f"2 replies waiting in the inbox of {team.name}"
    lines = [line for line in digest.body.splitlines() if line.startswith("- ")]
    assert [line.split(":")[0] for line in lines] == ["- 5 days old", "- 1 day old"]
    assert f"/staff/inbox/reply/{handled.pk}/" not in digest.body


def test_the_digest_goes_every_3_days_and_not_in_between(
    team, residents, django_capture_on_commit_callbacks
):
    now = timezone.now()
    _entry(residents[0], "one", 0, now)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = [
            services.digests_send(now=now + timedelta(days=day)) for day in (0, 1, 2, 3, 4, 5, 6)
        ]

    assert sent == [1, 0, 0, 1, 0, 0, 1]
    assert len(mail.outbox) == 3


def test_a_team_with_nothing_unhandled_gets_no_digest(team, officer, residents):
    entry = _entry(residents[0], "one", 4, timezone.now())
    services.inbox_handle(entry=entry, user=officer)
    mail.outbox.clear()

    assert services.digests_send() == 0
    assert mail.outbox == []


def test_celery_beat_runs_the_digest_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["engagement-digests"]

    assert entry["task"] == "engagement.digests"
    assert entry["schedule"].hour == {7}
    from engagement.tasks import send_digests

    assert send_digests.name == "engagement.digests"
