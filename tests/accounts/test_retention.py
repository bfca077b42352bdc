"""Members inactive for years are warned, then erased (through the erasure service).

The clock is controlled: every step is given ``now``.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from accounts.models import Member, User
from accounts.retention import members_retention_run
from tests.factories.members import make_member
from tests.factories.surveys import make_invitation, make_response

pytestmark = pytest.mark.django_db

JOINED = datetime(2020, 3, 1, 10, 0, tzinfo=UTC)
INACTIVE = timedelta(days=settings.MEMBERS_RETENTION_INACTIVE_DAYS)
GRACE = timedelta(days=settings.MEMBERS_RETENTION_GRACE_DAYS)
DAY = timedelta(days=1)


def member_joined(when=JOINED, **kwargs) -> Member:
    member = make_member(**kwargs)
    Member.objects.filter(pk=member.pk).update(registered_at=when)
    member.refresh_from_db()
    return member


def test_a_member_inactive_for_the_period_is_warned_once(mailoutbox):
    member = member_joined(email="quiet@example.test")

    before = members_retention_run(now=JOINED + INACTIVE - DAY)
    first = members_retention_run(now=JOINED + INACTIVE + DAY)
    again = members_retention_run(now=JOINED + INACTIVE + 2 * DAY)

    assert (before.warned, first.warned, again.warned) == (0, 1, 0)
    assert [m.to for m in mailoutbox] == [["quiet@example.test"]]
    assert "we will erase your" in mailoutbox[0].body
    member.refresh_from_db()
    assert member.retention_warned_at == JOINED + INACTIVE + DAY


def test_a_warned_member_still_inactive_after_the_notice_is_erased(mailoutbox):
    member = member_joined(email="gone@example.test")
    warned_at = JOINED + INACTIVE + DAY
    members_retention_run(now=warned_at)

    early = members_retention_run(now=warned_at + GRACE - DAY)
    due = members_retention_run(now=warned_at + GRACE)

    assert (early.erased, due.erased) == (0, 1)
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not User.objects.filter(email="gone@example.test").exists()


def test_signing_in_after_the_warning_keeps_the_account():
    member = member_joined()
    warned_at = JOINED + INACTIVE + DAY
    members_retention_run(now=warned_at)
    User.objects.filter(pk=member.user_id).update(last_login=warned_at + DAY)

    summary = members_retention_run(now=warned_at + GRACE + DAY)

    assert (summary.kept, summary.erased) == (1, 0)
    member.refresh_from_db()
    assert member.retention_warned_at is None


def test_answering_surveys_counts_as_activity():
    member = member_joined()
    answered = make_response(invitation=make_invitation(member=member))
    type(answered).objects.filter(pk=answered.pk).update(submitted_at=JOINED + INACTIVE - 10 * DAY)

    summary = members_retention_run(now=JOINED + INACTIVE + DAY)

    assert summary.warned == 0


def test_a_recent_member_is_left_alone(mailoutbox):
    member_joined(when=JOINED + INACTIVE)

    assert members_retention_run(now=JOINED + INACTIVE + DAY).warned == 0
    assert mailoutbox == []


def test_client_addresses_of_security_events_are_forgotten_after_90_days():
    from accounts.models import SecurityEvent

    now = datetime(2026, 6, 1, tzinfo=UTC)
    old = SecurityEvent.objects.create(kind="rate_limited", action="login", ip="10.0.0.1")
    recent = SecurityEvent.objects.create(kind="rate_limited", action="login", ip="10.0.0.2")
    SecurityEvent.objects.filter(pk=old.pk).update(at=now - timedelta(days=91))
    SecurityEvent.objects.filter(pk=recent.pk).update(at=now - timedelta(days=89))

    members_retention_run(now=now)

    assert list(SecurityEvent.objects.order_by("pk").values_list("ip", flat=True)) == [
        None,
        "10.0.0.2",
    ]
