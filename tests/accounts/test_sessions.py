"""Staff sessions end after 12 hours, or 30 minutes idle, and when the person is deactivated.

The clock is controlled: ``accounts.sessions.clock`` is moved on by hand.
"""

import pytest
from django.test import Client

from accounts import sessions
from accounts.models import SecurityEvent
from accounts.services import staff_deactivate
from tests.factories.members import fresh_ip, make_member

pytestmark = pytest.mark.django_db

START = 1_800_000_000.0
MINUTE = 60


@pytest.fixture
def clock(monkeypatch):
    now = {"t": START}
    monkeypatch.setattr(sessions, "clock", lambda: now["t"])

    def move_on(seconds: float) -> None:
        now["t"] += seconds

    return move_on


def signed_in(user) -> Client:
    client = Client(REMOTE_ADDR=fresh_ip())
    client.force_login(user)
    return client


def sees_staff_home(client) -> bool:
    return client.get("/staff/").status_code == 200


def test_a_staff_session_ends_after_30_minutes_idle(officer, clock):
    client = signed_in(officer)
    assert sees_staff_home(client)

    clock(31 * MINUTE)
    response = client.get("/staff/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert SecurityEvent.objects.get(kind="session_ended").action == "idle"


def test_a_staff_session_in_use_lasts_but_ends_after_12_hours(officer, clock):
    client = signed_in(officer)
    for _ in range(12 * 60 // 25):  # a request every 25 minutes for 12 hours
        assert sees_staff_home(client)
        clock(25 * MINUTE)

    clock(25 * MINUTE)
    assert not sees_staff_home(client)
    assert SecurityEvent.objects.get(kind="session_ended").action == "12 hours"


def test_deactivating_a_staff_member_ends_their_sessions(officer, admin_user, clock):
    phone, desk = signed_in(officer), signed_in(officer)
    assert sees_staff_home(phone) and sees_staff_home(desk)

    staff_deactivate(profile=officer.staff)

    assert "_auth_user_id" not in phone.session and "_auth_user_id" not in desk.session
    assert phone.get("/my-account/").status_code == 302  # signed out, not just refused


def test_a_members_session_has_no_staff_limits(clock):
    client = signed_in(make_member().user)

    clock(3 * 3600)

    assert client.get("/my-account/").status_code == 200
