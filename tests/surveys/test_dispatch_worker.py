"""With a real Celery worker and Redis: one invitation and one delivery per due member."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Delivery
from config.celery import app
from surveys import schedule
from surveys.models import Invitation
from surveys.reference import ensure_reference_data
from surveys.tasks import dispatch
from tests.celery_worker import running_worker, wait_for
from tests.factories.members import ensure_hull_geography
from tests.factories.surveys import bulk_members

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MEMBERS = 1000


@pytest.fixture
def due_members():
    """1,000 members whose first survey fell due in the last week (at Hull postcodes)."""
    ensure_hull_geography()
    ensure_reference_data()
    registered = schedule.add_months(timezone.now(), -3) - timedelta(days=8)
    return bulk_members(MEMBERS, registered_at=registered)


def idle() -> bool:
    inspect = app.control.inspect(timeout=0.5)
    busy = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
    return not any(busy)


def everything_sent() -> bool:
    return Delivery.objects.filter(status=Delivery.Status.SENT).count() >= MEMBERS and idle()


def test_a_round_for_1000_due_members_makes_1000_invitations_and_1000_deliveries(due_members):
    with running_worker(concurrency=2):
        dispatch.delay()
        wait_for(everything_sent, timeout=120)

    assert Invitation.objects.count() == MEMBERS
    assert Invitation.objects.values("member").distinct().count() == MEMBERS
    assert Delivery.objects.count() == MEMBERS
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == MEMBERS


def test_two_dispatches_at_the_same_time_still_make_1000(due_members):
    # This worker takes only the dispatch tasks ("default"); sending ("alerts") waits.
    with running_worker(concurrency=2, queues=["default"]):
        dispatch.delay()
        dispatch.delay()
        wait_for(lambda: Delivery.objects.count() >= MEMBERS and idle(), timeout=120)
        # A retried task, after the others: still nothing new.
        dispatch.delay()
        wait_for(idle, timeout=60)

    assert Invitation.objects.count() == MEMBERS
    assert Delivery.objects.count() == MEMBERS
    assert Delivery.objects.values("member").distinct().count() == MEMBERS
