"""With a real Celery worker, Redis and the SMTP server on loopback: a message to 5,000
members is received 5,000 times, once each, even when the worker is stopped part-way; the
officer's weekly briefing, queued beside it, reaches the officer once through the same
outbox (a delivery to a member of staff)."""

import pytest

from alerts import services
from alerts.audiences import Audience
from alerts.models import Delivery
from targeting.insight.briefing_mail import briefing_send
from tests.celery_worker import running_worker, wait_for
from tests.factories.members import CENTRAL, ensure_hull_geography, make_officer
from tests.factories.surveys import bulk_members
from tests.smtp import running_smtp_server

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MEMBERS = 5000


@pytest.fixture
def draft_to_5000():
    from django.utils import timezone

    wards = ensure_hull_geography()
    bulk_members(MEMBERS, registered_at=timezone.now(), postcodes=["HU1 2PD", "HU1 3QX"])
    officer = make_officer("officer.bulk@example.test", wards[CENTRAL])
    return services.message_draft_create(
        sender=officer,
        subject="Road closed on Whitefriargate",
        bodies={"general": "Whitefriargate is closed for repairs until Friday."},
        priorities=[],
        audience=Audience.for_area(wards[CENTRAL]),
    )


def sent() -> int:
    return Delivery.objects.filter(status=Delivery.Status.SENT).count()


def test_a_message_to_5000_members_is_received_once_each_after_the_worker_is_stopped_part_way(
    draft_to_5000, tmp_path, settings
):
    officer = draft_to_5000.created_by
    everyone = MEMBERS + 1  # and the officer's briefing
    with running_smtp_server(tmp_path / "mail") as smtp:
        with running_worker(concurrency=2, env=smtp.worker_env()):
            queued = services.message_send(message=draft_to_5000)
            briefing = briefing_send(user=officer)
            wait_for(lambda: len(smtp.files()) >= 500, timeout=120)
        # The worker finished what it had started and stopped; the rest waits in Redis.
        part_way = sent()
        pending = Delivery.objects.filter(status=Delivery.Status.PENDING).count()

        with running_worker(concurrency=2, env=smtp.worker_env(), flush=False):
            wait_for(lambda: sent() == everyone and len(smtp.files()) >= everyone, timeout=300)

        received = smtp.messages()

    assert queued == MEMBERS
    assert Delivery.objects.count() == everyone
    assert 0 < part_way < everyone and pending > 0
    assert len(received) == everyone
    addresses = [message["To"] for message in received]
    assert len(set(addresses)) == everyone
    (to_officer,) = [m for m in received if m["To"] == officer.email]
    assert to_officer["Subject"] == briefing.subject
    assert to_officer.get_body(preferencelist=("html",)) is not None
    assert to_officer["List-Unsubscribe"] is None  # members' links are not for staff
    assert all(
        message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        for message in received
        if message is not to_officer
    )
