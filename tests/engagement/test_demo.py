"""The engagement demo: teams for the demo wards, the officer's profile, items (one done)."""

from __future__ import annotations

import pytest

from demo.engagement import load_engagement_demo
from demo.staff import create_demo_staff
from engagement.models import LocalPriority, Team, TeamMembership, TriggerWord, YouSaidWeDid
from tests.factories.members import ensure_hull_geography

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_areas(db):
    ensure_hull_geography()
    create_demo_staff()


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Team, TeamMembership, LocalPriority, TriggerWord, YouSaidWeDid)
    )


def test_a_second_run_duplicates_nothing(demo_areas):
    load_engagement_demo()
    first = _counts()

    load_engagement_demo()

    assert _counts() == first
    assert first[0] == 3 and first[4] == 3


def test_the_demo_wards_public_page_shows_the_done_item_and_the_team(client, demo_areas):
    load_engagement_demo()

    html = client.get("/wards/E05011529/").content.decode()

    assert "Anti-social behaviour on Whitefriargate" in html
    assert "PC Sam Carter" in html and "Neighbourhood sergeant" in html
    assert YouSaidWeDid.objects.filter(status="done").count() == 1
