"""With a real Celery worker, Redis and the SMTP server on loopback: a message to 5,000
members is received 5,000 times, once each, even when the worker is stopped part-way."""

import pytest

from alerts import services
from alerts.audiences import Audience
from alerts.models import Delivery
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
    with running_smtp_server(tmp_path / "mail") as smtp:
        with running_worker(concurrency=2, env=smtp.worker_env()):
            queued = services.message_send(message=draft_to_5000)
            wait_for(lambda: len(smtp.files()) >= 500, timeout=120)
        # The worker finished what it had started and stopped; the rest waits in Redis.
        part_way = sent()
        pending = Delivery.objects.filter(status=Delivery.Status.PENDING).count()

        with running_worker(concurrency=2, env=smtp.worker_env(), flush=False):
            wait_for(lambda: sent() == MEMBERS and len(smtp.files()) >= MEMBERS, timeout=300)

        received = smtp.messages()

    assert queued == MEMBERS
    assert Delivery.objects.count() == MEMBERS
    assert 0 < part_way < MEMBERS and pending > 0
    assert len(received) == MEMBERS
    addresses = [message["To"] for message in received]
    assert len(set(addresses)) == MEMBERS
    assert all(
        message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for message in received
    )
