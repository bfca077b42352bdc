"""The officer's weekly briefing through the outbox: what it says, for whom, once a week.

A constructed week in Riverside (tests/conftest.py's tiny force): two scored months, an
open and a done "You said, we did" item, a reply this week still open and an older one
handled, an event in the coming week and one later. Hillside, the other officer's ward,
has its own item, reply and event, none of which may reach the Riverside officer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.members import erasure, export
from accounts.models import Member
from alerts import services
from alerts.models import Delivery, Message
from engagement.models import InboxReply
from targeting.insight.briefing import StreetLine, briefing_for
from targeting.insight.briefing_mail import briefing_send, briefings_send
from targeting.models import StreetScore
from tests.factories.alerts import make_delivery
from tests.factories.engagement import make_inbox_reply, make_item, make_team
from tests.factories.engagement_events import make_event
from tests.factories.targeting import make_members, make_postcode, make_street

pytestmark = pytest.mark.django_db

# A Wednesday: the week of Monday 2 March 2026.
NOW = timezone.make_aware(datetime(2026, 3, 4, 9, 0))


def score(street, period: date, value: float, rank: int) -> None:
    StreetScore.objects.create(
        street=street, ward=street.ward, period=period, score=value, rank_in_ward=rank
    )


def reply_at(member: Member, when: datetime, body: str) -> InboxReply:
    entry = make_inbox_reply(member, body)
    entry.reply.__class__.objects.filter(pk=entry.reply_id).update(received_at=when)
    return entry


@pytest.fixture
def week(people, tiny_force):
    riverside, hillside = tiny_force["riverside"], tiny_force["hillside"]
    make_team(riverside, members=[people.ward_officer])
    make_team(hillside, members=[people.other_ward_officer])
    high = make_street(riverside, "High Street", (100_200, 101_500))
    mill = make_street(riverside, "Mill Lane", (100_700, 101_500))
    score(high, date(2026, 1, 1), 50, 1)
    score(high, date(2026, 2, 1), 62, 1)
    score(mill, date(2026, 2, 1), 40, 2)
    make_item(riverside, title="Parking on the school run", status="in_progress")
    make_item(riverside, title="Graffiti under the bridge", status="done")
    member = Member.objects.get(user=people.member)
    reply_at(member, NOW - timedelta(days=2), "Thanks for the patrols.")
    old = reply_at(member, NOW - timedelta(days=10), "The lights are still out.")
    old.status = InboxReply.Status.HANDLED
    old.save(update_fields=["status"])
    make_event(people.ward_officer, riverside, title="Surgery at the library",
               starts_at=NOW + timedelta(days=2))  # fmt: skip
    make_event(people.ward_officer, riverside, title="Summer fete",
               starts_at=NOW + timedelta(days=30))  # fmt: skip
    # Hillside, the other officer's ward.
    uphill = make_members(make_postcode("ZZ9 2BB", hillside, 101_400, 101_400), 1)[0]
    make_item(hillside, title="Hillside bins")
    reply_at(uphill, NOW - timedelta(days=1), "Hillside reply.")
    make_event(people.other_ward_officer, hillside, title="Hillside walkabout",
               starts_at=NOW + timedelta(days=1))  # fmt: skip
    return people


def sent_briefing(user) -> mail.EmailMultiAlternatives:
    message = briefing_send(user=user, now=NOW)
    (delivery,) = message.deliveries.all()
    mail.outbox.clear()
    assert services.delivery_send(delivery_id=delivery.pk, now=NOW) == services.Outcome.SENT
    (email,) = mail.outbox
    return email


def html_of(email) -> str:
    ((html, kind),) = email.alternatives
    assert kind == "text/html"
    return html


def test_the_briefing_says_the_top_streets_open_items_replies_and_events_of_the_week(week):
    email = sent_briefing(week.ward_officer)

    text = email.body
    assert email.to == [week.ward_officer.email]
    assert email.subject == "Your weekly briefing, week of 2 March 2026"
    assert "High Street: score 62 (up 12 on the month before)" in text
    assert "Mill Lane: score 40 (new)" in text
    assert "Parking on the school run (in progress)" in text
    assert "Graffiti under the bridge" not in text  # done
    assert "Replies: 1 received in the last week; 1 not handled yet." in text
    assert "Surgery at the library" in text and "Summer fete" not in text
    assert settings.SITE_URL + "/staff/insight/briefing/" in text
    html = html_of(email)
    assert "Parking on the school run" in html and "Surgery at the library" in html
    assert 'href="' + settings.SITE_URL + '/staff/teams/profile/#briefing"' in html


def test_the_briefing_says_what_the_page_says(week, client):
    """One read for both: the page's figures are the email's."""
    (ward,) = briefing_for(week.ward_officer, now=NOW)

    assert [i.title for i in ward.items] == ["Parking on the school run"]
    assert (ward.replies, ward.unhandled) == (1, 1)
    client.force_login(week.ward_officer)
    page = client.get("/staff/insight/briefing/").content.decode()
    assert "Parking on the school run" in page and "not handled yet" in page


@pytest.mark.parametrize(
    ("change", "words"),
    [(12.4, "up 12 on the month before"), (-7.6, "down 8 on the month before"),
     (0.2, "no change on the month before"), (None, "new")],
)  # fmt: skip
def test_a_streets_change_is_said_in_words(change, words):
    assert StreetLine("High Street", 50, change).change_words == words


def test_the_briefing_holds_nothing_of_another_officers_ward(week):
    email = sent_briefing(week.ward_officer)

    everything = email.body + html_of(email)
    for other in ("Hillside", "Hillside bins", "Hillside walkabout", "Hillside reply"):
        assert other not in everything
    assert "Thanks for the patrols" not in everything  # replies are counted, never quoted


def test_the_weekly_run_makes_one_briefing_per_officer_and_a_second_run_nothing(week):
    assert briefings_send(now=NOW) == 2  # the Riverside and Hillside officers

    assert briefings_send(now=NOW + timedelta(days=2)) == 0  # later the same week
    briefings = Message.objects.filter(kind=Message.Kind.BRIEFING)
    assert briefings.count() == 2
    assert sorted(
        Delivery.objects.filter(message__in=briefings).values_list("user", flat=True)
    ) == (sorted([week.ward_officer.pk, week.other_ward_officer.pk]))
    assert briefings_send(now=NOW + timedelta(days=7)) == 2  # the next week's


def test_the_beat_runs_the_briefing_task_on_monday_mornings():
    from targeting.tasks import briefings_weekly

    entry = settings.CELERY_BEAT_SCHEDULE["targeting-weekly-briefings"]

    assert entry["task"] == briefings_weekly.name
    assert entry["schedule"].day_of_week == {1}


def test_an_officer_who_turns_the_briefing_off_gets_none_until_they_turn_it_on(week, client):
    client.force_login(week.ward_officer)

    client.post("/staff/teams/profile/", {"form": "briefing"})  # the box left unticked

    assert briefings_send(now=NOW) == 1
    assert not Message.objects.filter(deliveries__user=week.ward_officer).exists()
    page = client.get("/staff/teams/profile/").content.decode()
    assert 'name="weekly_briefing"' in page and "checked" not in page.split('id="briefing"')[1]

    client.post("/staff/teams/profile/", {"form": "briefing", "weekly_briefing": "on"})

    assert briefings_send(now=NOW) == 1
    assert Message.objects.filter(deliveries__user=week.ward_officer).exists()


def test_a_briefing_queued_before_the_officer_turned_it_off_is_not_sent(week):
    message = briefing_send(user=week.ward_officer, now=NOW)
    week.ward_officer.staff.weekly_briefing = False
    week.ward_officer.staff.save(update_fields=["weekly_briefing"])

    outcome = services.delivery_send(delivery_id=message.deliveries.get().pk, now=NOW)

    assert outcome == services.Outcome.SKIPPED
    assert mail.outbox == []


def test_a_staff_delivery_is_sent_once_without_a_members_unsubscribe_link(week):
    message = briefing_send(user=week.ward_officer, now=NOW)
    delivery = message.deliveries.get()

    first = services.delivery_send(delivery_id=delivery.pk, now=NOW)
    again = services.delivery_send(delivery_id=delivery.pk, now=NOW)

    assert (first, again) == (services.Outcome.SENT, services.Outcome.NOT_CLAIMED)
    (email,) = mail.outbox
    assert "List-Unsubscribe" not in email.extra_headers
    delivery.refresh_from_db()
    assert delivery.to == week.ward_officer.email and delivery.member is None


def test_an_alert_is_never_rendered_for_staff(week):
    """An alert's reply and unsubscribe links are a member's: a staff delivery of one is
    skipped, not sent with links that name no member."""
    delivery = Delivery.objects.create(
        message=Message.objects.create(subject="Alert", body="Text"),
        user=week.ward_officer,
        channel=Delivery.Channel.EMAIL,
    )

    assert services.delivery_send(delivery_id=delivery.pk) == services.Outcome.SKIPPED
    assert mail.outbox == []


def test_a_delivery_goes_to_a_member_or_a_user_never_both_nor_neither(week):
    member = Member.objects.get(user=week.member)
    message = Message.objects.create(subject="S", body="B")
    for recipient in ({"member": member, "user": week.ward_officer}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Delivery.objects.create(message=message, channel="email", **recipient)


def test_a_members_export_and_erasure_leave_staff_deliveries_alone(week):
    member = Member.objects.get(user=week.member)
    theirs = make_delivery(member=member)
    staff = briefing_send(user=week.ward_officer, now=NOW).deliveries.get()

    sections = {s["model"]: s for s in export.member_export(member=member)["sections"]}
    exported = {row["id"] for row in sections["alerts.delivery"]["rows"]}
    assert exported == set(Delivery.objects.filter(member=member).values_list("pk", flat=True))
    assert theirs.pk in exported and staff.pk not in exported

    erasure.member_erase(member=member)

    assert not Delivery.objects.filter(pk=theirs.pk).exists()
    assert Delivery.objects.filter(pk=staff.pk, user=week.ward_officer).exists()
