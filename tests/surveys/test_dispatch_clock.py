"""Dispatch with a controlled clock: spread over days, every three months, one reminder."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from alerts.models import Delivery, Message
from surveys import schedule, services
from surveys.models import Invitation
from tests.factories.surveys import bulk_members

pytestmark = pytest.mark.django_db

REGISTERED = datetime(2025, 1, 10, 9, 30, tzinfo=UTC)


def run_hourly(start: datetime, end: datetime) -> None:
    """What beat does: a dispatch every hour from ``start`` to ``end``."""
    now = start
    while now <= end:
        services.dispatch(now=now)
        now += timedelta(hours=1)


def test_nobody_is_invited_before_three_months_from_registration():
    bulk_members(20, registered_at=REGISTERED)

    services.dispatch(now=REGISTERED + timedelta(days=80))

    assert Invitation.objects.count() == 0


def test_members_registered_together_are_invited_over_several_days():
    members = bulk_members(60, registered_at=REGISTERED)
    first_due = schedule.add_months(REGISTERED, 3)

    run_hourly(first_due, first_due + timedelta(days=8))

    days = set(Invitation.objects.values_list("created_at__date", flat=True))
    assert Invitation.objects.count() == len(members)
    assert len(days) >= 5
    per_day = [Invitation.objects.filter(created_at__date=d).count() for d in days]
    assert max(per_day) < len(members) / 2


def test_a_member_is_invited_again_every_three_months():
    (member,) = bulk_members(1, registered_at=REGISTERED)

    for cycle in (1, 2, 3, 4):
        due = schedule.due_at(member_id=member.pk, registered_at=REGISTERED, cycle=cycle)
        services.dispatch(now=due - timedelta(hours=1))
        assert Invitation.objects.filter(member=member).count() == cycle - 1
        services.dispatch(now=due)
        assert Invitation.objects.filter(member=member).count() == cycle

    due_dates = list(
        Invitation.objects.filter(member=member).order_by("cycle").values_list("due_at", flat=True)
    )
    months = [(b.year - a.year) * 12 + b.month - a.month for a, b in pairwise(due_dates)]
    assert months == [3, 3, 3]


def test_each_invitation_of_a_member_falls_in_a_different_quarter():
    (member,) = bulk_members(1, registered_at=datetime(2025, 1, 31, 23, 0, tzinfo=UTC))
    for cycle in range(1, 9):
        services.dispatch(
            now=schedule.due_at(
                member_id=member.pk, registered_at=member.registered_at, cycle=cycle
            )
        )

    rounds = list(Invitation.objects.filter(member=member).values_list("round_id", flat=True))
    assert len(rounds) == 8 and len(set(rounds)) == 8


def test_running_the_dispatch_again_invites_nobody_twice():
    members = bulk_members(30, registered_at=REGISTERED)
    now = schedule.add_months(REGISTERED, 3) + timedelta(days=8)

    first = services.invitations_dispatch(now=now)
    second = services.invitations_dispatch(now=now)

    assert (first, second) == (len(members), 0)
    assert Delivery.objects.filter(message__kind=Message.Kind.SURVEY_INVITATION).count() == 30


def test_an_unanswered_invitation_gets_one_reminder():
    (member,) = bulk_members(1, registered_at=REGISTERED)
    due = schedule.due_at(member_id=member.pk, registered_at=REGISTERED, cycle=1)

    run_hourly(due, due + timedelta(days=20))

    reminders = Delivery.objects.filter(member=member, message__kind=Message.Kind.SURVEY_REMINDER)
    assert reminders.count() == 1
    invitation = Invitation.objects.get(member=member)
    assert invitation.reminder_at - invitation.created_at >= timedelta(days=7)


def test_an_answered_invitation_gets_no_reminder():
    from tests.factories.surveys import make_response

    (member,) = bulk_members(1, registered_at=REGISTERED)
    due = schedule.due_at(member_id=member.pk, registered_at=REGISTERED, cycle=1)
    services.dispatch(now=due)
    make_response(Invitation.objects.get(member=member), submitted_at=due + timedelta(days=1))

    run_hourly(due + timedelta(days=6), due + timedelta(days=10))

    assert not Delivery.objects.filter(message__kind=Message.Kind.SURVEY_REMINDER).exists()


def test_a_member_who_stopped_messages_gets_nothing_more():
    from accounts.services import member_stop_messages

    (member,) = bulk_members(1, registered_at=REGISTERED)
    due = schedule.due_at(member_id=member.pk, registered_at=REGISTERED, cycle=1)
    services.dispatch(now=due)
    sent_before = Delivery.objects.filter(member=member).count()

    member_stop_messages(member=member)
    run_hourly(due + timedelta(days=1), due + timedelta(days=12))
    services.dispatch(now=schedule.due_at(member_id=member.pk, registered_at=REGISTERED, cycle=2))

    assert sent_before == 1
    assert Delivery.objects.filter(member=member).count() == 1
    assert Invitation.objects.filter(member=member).count() == 1


def test_a_member_who_stopped_before_being_due_is_never_invited():
    (member,) = bulk_members(1, registered_at=REGISTERED, messages_stopped_at=REGISTERED)

    services.dispatch(now=schedule.due_at(member_id=member.pk, registered_at=REGISTERED, cycle=1))

    assert not Invitation.objects.exists()


def test_an_erased_member_gets_nothing():
    from accounts.members.erasure import member_erase

    (member,) = bulk_members(1, registered_at=REGISTERED)
    due = schedule.due_at(member_id=member.pk, registered_at=REGISTERED, cycle=1)
    services.dispatch(now=due)
    invitation = Invitation.objects.get(member=member)

    member_erase(member=member)
    run_hourly(due + timedelta(days=7), due + timedelta(days=9))

    invitation.refresh_from_db()
    assert invitation.member_id is None and invitation.reminder_at is None
    assert not Delivery.objects.exists()


def test_an_invitation_missed_for_longer_than_the_catch_up_waits_for_the_next_cycle():
    (member,) = bulk_members(1, registered_at=REGISTERED)
    due = schedule.due_at(member_id=member.pk, registered_at=REGISTERED, cycle=1)

    services.dispatch(now=due + timedelta(days=30))

    assert not Invitation.objects.exists()


def test_the_sql_and_the_python_schedule_agree_at_month_ends():
    registered = [
        datetime(2025, 1, 31, 23, 59, tzinfo=UTC),
        datetime(2025, 2, 28, 0, 0, tzinfo=UTC),
        datetime(2024, 11, 30, 12, 0, tzinfo=UTC),
    ]
    members = [bulk_members(1, registered_at=r)[0] for r in registered]
    for member in members:
        for cycle in (1, 2, 3):
            due = schedule.due_at(member_id=member.pk, registered_at=member.registered_at,
                                  cycle=cycle)  # fmt: skip
            services.invitations_dispatch(now=due - timedelta(seconds=1))
            assert not Invitation.objects.filter(member=member, cycle=cycle).exists()
            services.invitations_dispatch(now=due)
            assert Invitation.objects.get(member=member, cycle=cycle).due_at == due
