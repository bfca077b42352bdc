"""A permanent refusal suspends the address (SMTP 5xx from the real server on loopback, or a
provider's bounce through django-anymail's tracking signal); one text message asks for a
new address. Text messages wait out the member's quiet hours."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail

from alerts import selectors, services
from alerts.channels.sms import LocmemBackend
from alerts.models import Delivery, DeliveryEvent, MemberPreferences, Message
from tests.factories.alerts import make_delivery, make_message
from tests.factories.members import make_member
from tests.smtp import SMTP_BACKEND, running_smtp_server

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def smtp(tmp_path, settings):
    with running_smtp_server(tmp_path / "mail") as server:
        settings.EMAIL_BACKEND = SMTP_BACKEND
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        yield server


@pytest.fixture
def sms(settings):
    settings.ALERTS_SMS_BACKEND = "alerts.channels.sms.LocmemBackend"
    LocmemBackend.outbox.clear()
    return LocmemBackend.outbox


def account_texts(member) -> int:
    return Delivery.objects.filter(
        member=member, channel="sms", message__kind=Message.Kind.ACCOUNT
    ).count()


def test_an_smtp_550_fails_the_delivery_and_suspends_the_address(smtp, sms):
    member = make_member(email="refused.pat@example.test", phone="07700900123")

    outcome = services.delivery_send(delivery_id=make_delivery(member=member).pk)

    assert outcome == services.Outcome.FAILED
    prefs = MemberPreferences.objects.get(member=member)
    assert prefs.email_suspended_at is not None
    assert smtp.files() == []
    assert services.channels_for(member) == [Delivery.Channel.SMS]


def test_a_refused_address_with_a_mobile_number_gets_one_text_asking_for_a_new_one(smtp, sms):
    member = make_member(email="refused.sam@example.test", phone="07700900124")

    services.delivery_send(delivery_id=make_delivery(member=member).pk)
    services.delivery_send(delivery_id=make_delivery(member=member).pk)

    assert account_texts(member) == 1


def test_a_refused_address_without_a_mobile_number_gets_no_text(smtp, sms):
    member = make_member(email="refused.lee@example.test")

    services.delivery_send(delivery_id=make_delivery(member=member).pk)

    assert account_texts(member) == 0
    assert MemberPreferences.objects.get(member=member).email_suspended_at is not None


def test_an_accepted_address_is_received_by_the_smtp_server_with_one_click_headers(smtp):
    member = make_member(email="kept@example.test")

    services.delivery_send(delivery_id=make_delivery(member=member).pk)

    [received] = smtp.messages()
    assert received["To"] == "kept@example.test"
    # (A long header is folded onto a second line: the value starts after the fold.)
    assert received["List-Unsubscribe"].strip().startswith("<http")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_server_that_cannot_be_reached_is_retried_and_suspends_nothing(settings, sms):
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens there
    member = make_member(email="later@example.test", phone="07700900125")
    delivery = make_delivery(member=member)

    outcome = services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert outcome == services.Outcome.RETRY and delivery.status == Delivery.Status.PENDING
    assert not MemberPreferences.objects.filter(
        member=member, email_suspended_at__isnull=False
    ).exists()


def provider_event(kind: str, message_id: str) -> None:
    event = AnymailTrackingEvent(
        event_type=kind, message_id=message_id, timestamp=None, description="mailbox full"
    )
    tracking.send(sender=object, event=event, esp_name="Test")


def test_the_provider_id_of_an_anymail_backend_is_kept_on_the_delivery(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    delivery = make_delivery(member=make_member(email="tracked@example.test"))

    services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.provider_id


def test_a_providers_bounce_suspends_the_address_and_counts_as_failed(sms):
    member = make_member(email="bounced@example.test", phone="07700900126")
    message = make_message()
    make_delivery(member=member, message=message, status="sent", provider_id="prov-1")

    provider_event("bounced", "prov-1")
    provider_event("bounced", "prov-1")

    assert MemberPreferences.objects.get(member=member).email_suspended_at is not None
    assert account_texts(member) == 1
    assert DeliveryEvent.objects.filter(kind="bounced").count() == 1
    counts = selectors._engagement_counts(message.deliveries.all())
    assert counts["failed"] == 1 and counts["delivered"] == 0


def test_a_providers_open_event_marks_the_delivery_opened():
    delivery = make_delivery(
        member=make_member(email="opens@example.test"), status="sent", provider_id="prov-2"
    )

    provider_event("opened", "prov-2")

    delivery.refresh_from_db()
    assert delivery.opened_at is not None


def test_an_event_for_a_message_that_is_not_ours_changes_nothing():
    provider_event("bounced", "someone-elses")

    assert DeliveryEvent.objects.count() == 0
    assert not MemberPreferences.objects.filter(email_suspended_at__isnull=False).exists()


def quiet_member():
    member = make_member(email="quiet@example.test", phone="07700900127")
    MemberPreferences.objects.create(member=member, quiet_start=time(21, 0), quiet_end=time(8, 0))
    return member


def test_a_text_message_in_quiet_hours_waits_until_they_end(sms):
    member = quiet_member()
    delivery = make_delivery(member=member, channel="sms")
    late = datetime(2026, 3, 10, 23, 30, tzinfo=LONDON)

    outcome = services.delivery_send(delivery_id=delivery.pk, now=late)

    delivery.refresh_from_db()
    assert outcome == services.Outcome.DEFERRED and sms == []
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.not_before == datetime(2026, 3, 11, 8, 0, tzinfo=LONDON)
    assert delivery.attempts == 0


def test_a_text_message_waiting_out_quiet_hours_is_not_sent_early_and_is_sent_after(sms):
    member = quiet_member()
    delivery = make_delivery(member=member, channel="sms")
    late = datetime(2026, 3, 10, 23, 30, tzinfo=LONDON)
    services.delivery_send(delivery_id=delivery.pk, now=late)

    early = services.delivery_send(delivery_id=delivery.pk, now=late + timedelta(hours=1))
    morning = services.delivery_send(
        delivery_id=delivery.pk, now=datetime(2026, 3, 11, 8, 5, tzinfo=LONDON)
    )

    assert early == services.Outcome.NOT_DUE
    assert morning == services.Outcome.SENT and len(sms) == 1


def test_quiet_hours_do_not_hold_back_email():
    member = quiet_member()
    delivery = make_delivery(member=member, channel="email")

    outcome = services.delivery_send(
        delivery_id=delivery.pk, now=datetime(2026, 3, 10, 23, 30, tzinfo=LONDON)
    )

    assert outcome == services.Outcome.SENT and len(mail.outbox) == 1


def test_the_sweeper_leaves_a_text_message_waiting_out_quiet_hours(sms):
    member = quiet_member()
    created = datetime(2026, 3, 10, 23, 0, tzinfo=LONDON)
    delivery = make_delivery(member=member, channel="sms", created_at=created)
    services.delivery_send(delivery_id=delivery.pk, now=created + timedelta(minutes=30))

    queued_at_night, _ = services.outbox_sweep(now=created + timedelta(hours=2))

    assert queued_at_night == 0
