"""The quarterly dispatch: invitations and their deliveries for many members due at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerts.models import Delivery
from surveys import services
from surveys.models import Invitation
from surveys.reference import ensure_reference_data
from tests.factories.members import ensure_hull_geography
from tests.factories.surveys import bulk_members

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
MEMBERS = 10_000


@pytest.fixture
def due_members():
    ensure_hull_geography()
    ensure_reference_data()
    # Three months and a week and a half ago: every one is due for cycle 1 by NOW.
    return bulk_members(MEMBERS, registered_at=NOW - timedelta(days=92 + 10))


def test_dispatch_invites_ten_thousand_due_members(benchmark, due_members):
    def clear():
        Delivery.objects.all().delete()
        Invitation.objects.all().delete()

    invited = benchmark.pedantic(
        services.invitations_dispatch, kwargs={"now": NOW}, setup=clear, rounds=3
    )

    assert invited == MEMBERS
    assert Delivery.objects.count() == MEMBERS
