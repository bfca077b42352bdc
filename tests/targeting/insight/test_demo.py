"""The insight demo: events and contacts in the demo officer's wards, made once."""

from __future__ import annotations

import pytest

from demo.insight import load_insight_demo
from demo.staff import create_demo_staff
from engagement.models import CommunityContact, EngagementEvent

pytestmark = pytest.mark.django_db


def test_the_demo_makes_events_and_contacts_once():
    create_demo_staff()

    first = load_insight_demo()
    second = load_insight_demo()

    assert first == (8, 52) and second == (0, 0)
    assert EngagementEvent.objects.filter(outcome__isnull=False).count() == 6
    assert set(CommunityContact.objects.values_list("ward__code", flat=True)) == {
        "E05011529",
        "E05011541",
    }
