"""Engagement per message and per ward (delivered, failed, opened, replied, unsubscribed),
shown to the sender and supervisors, with small counts hidden."""

import pytest
from django.test import Client
from django.utils import timezone

from alerts import selectors, services
from alerts.audiences import Audience
from alerts.models import Delivery, DeliveryEvent
from tests.factories import make_staff
from tests.factories.members import CENTRAL, ensure_hull_geography, make_officer
from tests.factories.surveys import bulk_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    return ensure_hull_geography()[CENTRAL]


@pytest.fixture
def officer(ward):
    return make_officer("eng.officer@example.test", ward)


def sent_message(officer, ward, *, members: int, failed: int = 0, replied: int = 0,
                 unsubscribed: int = 0):  # fmt: skip
    bulk_members(members, registered_at=timezone.now(), postcodes=["HU1 2PD"])
    message = services.message_draft_create(
        sender=officer, subject="News", bodies={"general": "Text"}, priorities=[],
        audience=Audience.for_area(ward),
    )  # fmt: skip
    services.message_send(message=message)
    deliveries = list(message.deliveries.order_by("pk"))
    for i, d in enumerate(deliveries):
        status = Delivery.Status.FAILED if i < failed else Delivery.Status.SENT
        Delivery.objects.filter(pk=d.pk).update(status=status)
    for d in deliveries[failed : failed + replied]:
        services.reply_create(delivery=d, body="Thank you")
    for d in deliveries[failed : failed + unsubscribed]:
        DeliveryEvent.objects.create(delivery=d, kind="unsubscribed")
    return message


def test_a_messages_engagement_counts_what_happened(officer, ward):
    message = sent_message(officer, ward, members=40, failed=12, replied=10, unsubscribed=11)

    assert selectors.message_engagement(message) == {
        "delivered": 28, "failed": 12, "opened": None, "replied": 10, "unsubscribed": 11,
    }  # fmt: skip


def test_small_counts_of_a_message_are_hidden(officer, ward):
    message = sent_message(officer, ward, members=15, failed=3, replied=2)

    shown = selectors.message_engagement(message)

    assert shown["delivered"] == 12
    assert shown["failed"] is None and shown["replied"] is None


def test_the_sender_and_their_supervisor_see_the_engagement_and_another_officer_does_not(
    officer, ward
):
    message = sent_message(officer, ward, members=20, replied=10)
    supervisor = make_staff("eng.sup@example.test", "supervisor", [ward.parent])
    stranger = make_officer("eng.other@example.test", ensure_hull_geography()["E05011541"])

    pages = {}
    for who, user in (("sender", officer), ("supervisor", supervisor), ("other", stranger)):
        client = Client()
        client.force_login(user)
        pages[who] = client.get(f"/staff/messages/{message.pk}/")

    assert pages["sender"].status_code == pages["supervisor"].status_code == 200
    assert "How it was received" in pages["supervisor"].content.decode()
    assert pages["other"].status_code == 404


def test_area_engagement_hides_small_counts_per_ward(officer, ward):
    sent_message(officer, ward, members=12, failed=2)

    wards, table = selectors.area_engagement(user=officer, area=ward, now=timezone.now())

    assert wards == [ward]
    assert table.parts[ward.pk]["delivered"] == 10
    assert table.parts[ward.pk]["failed"] is None


def test_the_record_of_what_went_to_whom_is_shown_to_the_sender_and_audited(officer, ward):
    from accounts.models import AccessLog

    message = sent_message(officer, ward, members=3)
    client = Client()
    client.force_login(officer)

    page = client.get(f"/staff/messages/{message.pk}/recipients/")

    assert page.status_code == 200
    assert message.deliveries.first().member.user.name in page.content.decode()
    log = AccessLog.objects.get(actor=officer, subject_kind="message recipients")
    assert log.subject_count == 3
