"""Dispatch with a controlled clock: spread over days, every three months, one reminder."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from django.conf import settings

from alerts.models import Delivery, Message
from surveys import schedule, services
from surveys.models import Invitation
from tests.factories.surveys import bulk_members, skip_member_ids

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


def test_members_in_many_ranges_of_ids_are_each_invited_once(settings):
    settings.SURVEYS_DISPATCH_MEMBERS = 7  # 30 members: five ranges, the last one short
    members = bulk_members(30, registered_at=REGISTERED)
    now = schedule.add_months(REGISTERED, 3) + timedelta(days=8)

    invited = services.invitations_dispatch(now=now)

    assert invited == len(members)
    invitations = Delivery.objects.filter(message__kind=Message.Kind.SURVEY_INVITATION)
    assert sorted(invitations.values_list("member_id", flat=True)) == sorted(m.pk for m in members)


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


MONTH_ENDS = {
    "31-january-23h59": datetime(2025, 1, 31, 23, 59, tzinfo=UTC),
    "28-february-midnight": datetime(2025, 2, 28, 0, 0, tzinfo=UTC),
    "30-november-noon": datetime(2024, 11, 30, 12, 0, tzinfo=UTC),
}


@pytest.mark.parametrize("offset_hours", [0, 1, 15, 131, 167])
@pytest.mark.parametrize("registered", MONTH_ENDS)
def test_the_sql_and_the_python_schedule_agree_at_month_ends(registered, offset_hours):
    """One member alone in the database, its id 1,000 past the sequence and chosen for
    its spread offset: not invited a second before the moment the Python schedule gives,
    and invited at that moment, whatever the offset does to the month end."""
    first_id = skip_member_ids(offset=timedelta(hours=offset_hours))
    (member,) = bulk_members(1, registered_at=MONTH_ENDS[registered])
    assert member.pk == first_id
    assert schedule.offset_for(member.pk) == timedelta(hours=offset_hours)

    for cycle in (1, 2, 3):
        due = schedule.due_at(member_id=member.pk, registered_at=member.registered_at,
                              cycle=cycle)  # fmt: skip
        services.invitations_dispatch(now=due - timedelta(seconds=1))
        assert not Invitation.objects.filter(member=member, cycle=cycle).exists()
        services.invitations_dispatch(now=due)
        assert Invitation.objects.get(member=member, cycle=cycle).due_at == due


def test_other_members_dispatches_invite_late_within_the_catch_up_never_early():
    """The checkout where the month-end test once failed, replayed: three members with
    the spread offsets of ids 583 to 585, each dispatched a second before and at its own
    due times. The third one's second cycle fell due on 1 June at 03:00; the second one's
    dispatch on 6 June at 15:59:59 invited it then, late but within the catch-up. The
    schedule was right: the old test wrongly expected a member to be invited only by its
    own dispatches."""
    skip_member_ids(offset=schedule.offset_for(583))
    members = [bulk_members(1, registered_at=r)[0] for r in MONTH_ENDS.values()]
    due = {
        (m.pk, cycle): schedule.due_at(member_id=m.pk, registered_at=m.registered_at, cycle=cycle)
        for m in members
        for cycle in (1, 2, 3)
    }

    for moment in due.values():
        services.invitations_dispatch(now=moment - timedelta(seconds=1))
        services.invitations_dispatch(now=moment)

    registered = {m.pk: m.registered_at for m in members}
    invitations = {(i.member_id, i.cycle): i for i in Invitation.objects.all()}
    assert set(due) <= set(invitations)  # and some later cycles, dispatched by others
    catch_up = timedelta(days=settings.SURVEYS_CATCH_UP_DAYS)
    for (member_id, cycle), invitation in invitations.items():
        expected = schedule.due_at(
            member_id=member_id, registered_at=registered[member_id], cycle=cycle
        )
        assert invitation.due_at == expected
        assert expected <= invitation.created_at < expected + catch_up
    late = invitations[(members[2].pk, 2)]
    assert late.created_at == due[(members[1].pk, 1)] - timedelta(seconds=1)
