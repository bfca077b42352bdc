"""The outbox: deliveries are made once, claimed once, sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Member
from alerts import services
from alerts.channels import ChannelError
from alerts.channels.sms import LocmemBackend
from alerts.models import Delivery, Message
from tests.factories.alerts import make_delivery, make_message
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return make_member(email="outbox@example.test")


def test_a_delivery_is_sent_once_by_email(member):
    delivery = make_delivery(member=member)

    outcome = services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert outcome == services.Outcome.SENT
    assert delivery.status == Delivery.Status.SENT and delivery.to == "outbox@example.test"
    assert len(mail.outbox) == 1
    assert "Bogus callers" in mail.outbox[0].subject
    assert "/messages/stop/" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].startswith("<http")


def test_a_second_attempt_at_a_claimed_delivery_sends_nothing(member):
    delivery = make_delivery(member=member)
    services.delivery_send(delivery_id=delivery.pk)

    again = services.delivery_send(delivery_id=delivery.pk)

    assert again == services.Outcome.NOT_CLAIMED
    assert len(mail.outbox) == 1


def test_a_delivery_being_sent_by_another_worker_is_not_sent_again(member):
    delivery = make_delivery(member=member)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENDING)

    assert services.delivery_send(delivery_id=delivery.pk) == services.Outcome.NOT_CLAIMED
    assert mail.outbox == []


def test_queuing_the_same_message_twice_makes_one_delivery_per_member_and_channel(member):
    message = make_message()

    services.deliveries_create(message=message, recipients=[(member.pk, "email", {})])
    services.deliveries_create(message=message, recipients=[(member.pk, "email", {})])

    assert Delivery.objects.filter(message=message).count() == 1


def test_a_member_who_stopped_messages_is_skipped_at_send_time(member):
    delivery = make_delivery(member=member)
    Member.objects.filter(pk=member.pk).update(messages_stopped_at=timezone.now())

    outcome = services.delivery_send(delivery_id=delivery.pk)

    assert outcome == services.Outcome.SKIPPED
    assert mail.outbox == []


def test_text_messages_go_through_the_backend_chosen_in_settings(settings):
    settings.ALERTS_SMS_BACKEND = "alerts.channels.sms.LocmemBackend"
    LocmemBackend.outbox.clear()
    member = make_member(email="texts@example.test", phone="+447700900321")
    delivery = make_delivery(member=member, channel="sms")

    services.delivery_send(delivery_id=delivery.pk)

    assert [to for to, _body in LocmemBackend.outbox] == ["+447700900321"]
    assert "/messages/stop/" in LocmemBackend.outbox[0][1]


class FailingBackend:
    def send(self, *, to, body):
        raise ChannelError("provider down")


def test_a_failed_send_goes_back_to_pending_then_fails_after_five_attempts(settings):
    settings.ALERTS_SMS_BACKEND = "tests.alerts.test_outbox.FailingBackend"
    member = make_member(email="fails@example.test", phone="+447700900322")
    delivery = make_delivery(member=member, channel="sms")

    outcomes = [services.delivery_send(delivery_id=delivery.pk) for _ in range(5)]

    assert outcomes == [services.Outcome.RETRY] * 4 + [services.Outcome.FAILED]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 5


def test_the_sweeper_fails_half_sent_rows_rather_than_sending_twice(member):
    now = timezone.now()
    stuck = make_delivery(member=member)
    Delivery.objects.filter(pk=stuck.pk).update(
        status=Delivery.Status.SENDING, claimed_at=now - timedelta(hours=1)
    )

    requeued, failed = services.outbox_sweep(now=now)

    stuck.refresh_from_db()
    assert (requeued, failed) == (0, 1)
    assert stuck.status == Delivery.Status.FAILED


def test_the_sweeper_queues_again_what_was_never_picked_up(
    member, django_capture_on_commit_callbacks
):
    old = make_delivery(member=member, created_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        requeued, _failed = services.outbox_sweep()

    old.refresh_from_db()
    assert requeued == 1 and old.status == Delivery.Status.SENT


def test_sending_a_message_to_an_area_respects_each_members_channels(
    member, django_capture_on_commit_callbacks, settings
):
    settings.ALERTS_SMS_BACKEND = "alerts.channels.sms.LocmemBackend"
    LocmemBackend.outbox.clear()
    both = make_member(email="both@example.test", phone="+447700900323")
    message = make_message(area=member.ward)

    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(message=message, members=Member.objects.filter(ward=member.ward))

    channels = set(Delivery.objects.filter(message=message).values_list("member_id", "channel"))
    assert channels == {(member.pk, "email"), (both.pk, "email"), (both.pk, "sms")}
    assert len(mail.outbox) == 2 and len(LocmemBackend.outbox) == 1


def test_a_message_cannot_be_sent_twice(member):
    message = make_message()
    services.message_send(message=message, members=Member.objects.all())

    with pytest.raises(services.MessageAlreadySent):
        services.message_send(message=message, members=Member.objects.all())


def test_the_frequency_guard_holds_back_a_weekly_member_alerted_this_week(member):
    Member.objects.filter(pk=member.pk).update(max_frequency=Member.Frequency.WEEKLY)
    make_delivery(member=member, created_at=timezone.now() - timedelta(days=3))
    anytime = make_member(email="anytime@example.test")
    make_delivery(member=anytime, created_at=timezone.now() - timedelta(days=3))
    message = make_message()

    services.message_send(message=message, members=Member.objects.all())

    assert list(Delivery.objects.filter(message=message).values_list("member_id", flat=True)) == [
        anytime.pk
    ]


def test_survey_messages_do_not_count_against_the_frequency_limit(member):
    Member.objects.filter(pk=member.pk).update(max_frequency=Member.Frequency.MONTHLY)
    survey = make_message(kind=Message.Kind.SURVEY_INVITATION)
    make_delivery(member=member, message=survey, created_at=timezone.now() - timedelta(days=2))
    message = make_message()

    services.message_send(message=message, members=Member.objects.all())

    assert Delivery.objects.filter(message=message, member=member).exists()


def test_a_batch_is_sent_through_one_mail_connection(monkeypatch):
    opened = []
    real = services.get_channel

    def counting(name):
        channel = real(name)
        batch = channel.batch

        def counted():
            opened.append(name)
            return batch()

        channel.batch = counted
        return channel

    monkeypatch.setattr(services, "get_channel", counting)
    message = make_message()
    ids = [
        make_delivery(member=make_member(email=f"batch{i}@example.test"), message=message).pk
        for i in range(3)
    ]

    outcomes = services.deliveries_send(delivery_ids=ids)

    assert set(outcomes.values()) == {services.Outcome.SENT} and opened == ["email"]
    assert sorted(m.to[0] for m in mail.outbox) == [f"batch{i}@example.test" for i in range(3)]
    rows = set(Delivery.objects.filter(pk__in=ids).values_list("status", "to"))
    assert rows == {("sent", f"batch{i}@example.test") for i in range(3)}


def test_a_batch_that_stops_half_way_still_records_what_went_out(monkeypatch):
    message = make_message()
    first, second = (
        make_delivery(member=make_member(email=f"half{i}@example.test"), message=message)
        for i in range(2)
    )
    render = services.rendering.render

    def failing(delivery, *, now):
        if delivery.pk == second.pk:
            raise RuntimeError("a bug")
        return render(delivery, now=now)

    monkeypatch.setattr(services.rendering, "render", failing)

    with pytest.raises(RuntimeError):
        services.deliveries_send(delivery_ids=[first.pk, second.pk])

    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "sent", second.pk: "sending"}  # the sweeper fails the second
    assert [m.to for m in mail.outbox] == [["half0@example.test"]]


def test_each_delivery_is_marked_sent_before_the_next_is_sent(monkeypatch):
    """A worker killed mid-batch (no finally runs) leaves only the row it was sending in
    doubt: the ones before it are already recorded as sent."""
    message = make_message()
    ids = [
        make_delivery(member=make_member(email=f"each{i}@example.test"), message=message).pk
        for i in range(3)
    ]
    seen = []
    render = services.rendering.render

    def watching(delivery, *, now):
        seen.append(dict(Delivery.objects.filter(pk__in=ids).values_list("pk", "status")))
        return render(delivery, now=now)

    monkeypatch.setattr(services.rendering, "render", watching)

    services.deliveries_send(delivery_ids=ids)

    assert [sorted(s.values()) for s in seen] == [
        ["sending", "sending", "sending"],
        ["sending", "sending", "sent"],
        ["sending", "sent", "sent"],
    ]
