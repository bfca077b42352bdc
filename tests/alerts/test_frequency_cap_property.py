"""A property test of the one frequency cap, over random sequences of messages from several
senders, urgent and not, with survey invitations and answers to replies in between.

The model: a non-urgent alert reaches a member only if fewer than ``cap`` non-urgent
alerts reached them in the 7 days before, and (for "at most once a week / month")
none in the last 7 / 30 days; urgent alerts reach everyone and count for nothing; survey
invitations and answers to a member's reply count for nothing. Only a supervisor may
mark an alert urgent.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Member
from alerts import services
from alerts.audiences import Audience, AudienceNotAllowed
from alerts.models import Delivery, Message, MessagingSettings
from tests.factories import make_staff
from tests.factories.members import CENTRAL, ensure_hull_geography
from tests.factories.surveys import bulk_members

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Europe/London"))
FREQUENCIES = ["any", "any", "weekly", "monthly"]
WINDOWS = {"weekly": timedelta(days=7), "monthly": timedelta(days=30)}

step = st.fixed_dictionaries(
    {
        "gap_hours": st.integers(min_value=0, max_value=24 * 5),
        "sender": st.sampled_from(["officer_a", "officer_b", "supervisor"]),
        "kind": st.sampled_from(["alert", "alert", "alert", "survey", "direct"]),
        "urgent": st.booleans(),
    }
)


def expected_to_receive(history: list[datetime], frequency: str, *, at: datetime, cap: int):
    in_week = [t for t in history if t > at - timedelta(days=7)]
    if len(in_week) >= cap:
        return False
    window = WINDOWS.get(frequency)
    return window is None or not [t for t in history if t > at - window]


def test_the_cap_holds_across_senders_urgent_goes_regardless_and_surveys_do_not_count():
    wards = ensure_hull_geography()
    central = wards[CENTRAL]
    senders = {
        "officer_a": make_staff("cap.a@example.test", "officer", [central], with_totp=False),
        "officer_b": make_staff("cap.b@example.test", "officer", [central], with_totp=False),
        "supervisor": make_staff(
            "cap.s@example.test", "supervisor", [central.parent], with_totp=False
        ),
    }

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(steps=st.lists(step, min_size=1, max_size=10), cap=st.integers(1, 3))
    def run(steps, cap):
        with transaction.atomic():
            MessagingSettings.objects.update_or_create(pk=1, defaults={"weekly_cap": cap})
            members = bulk_members(len(FREQUENCIES), registered_at=START - timedelta(days=90),
                                   postcodes=["HU1 2PD"])  # fmt: skip
            for member, frequency in zip(members, FREQUENCIES, strict=True):
                Member.objects.filter(pk=member.pk).update(max_frequency=frequency)
            history: dict[int, list[datetime]] = {m.pk: [] for m in members}
            frequency_of = {m.pk: f for m, f in zip(members, FREQUENCIES, strict=True)}
            at = START
            for s in steps:
                at += timedelta(hours=s["gap_hours"])
                sender = senders[s["sender"]]
                if s["kind"] == "survey":
                    invitation = Message.objects.create(
                        kind=Message.Kind.SURVEY_INVITATION, subject="Survey", created_at=at
                    )
                    services.deliveries_create(
                        message=invitation,
                        recipients=[(m.pk, "email", {}) for m in members],
                        now=at,
                    )
                    continue
                if s["kind"] == "direct":
                    services.message_to_member_send(
                        sender=senders["officer_a"], member=members[0], subject="Re: your reply",
                        body="Thank you, we are on it.", now=at,
                    )  # fmt: skip
                    continue
                audience = Audience.for_area(central)
                fields = {
                    "sender": sender, "subject": "News", "bodies": {"general": "Text"},
                    "priorities": [], "audience": audience, "urgent": s["urgent"],
                }  # fmt: skip
                if s["urgent"] and s["sender"] != "supervisor":
                    with pytest.raises(AudienceNotAllowed):
                        services.message_draft_create(**fields)
                    continue
                message = services.message_draft_create(**fields)
                services.message_send(message=message, now=at)
                received = set(
                    Delivery.objects.filter(message=message).values_list("member_id", flat=True)
                )
                expected = {
                    pk
                    for pk in history
                    if s["urgent"]
                    or expected_to_receive(history[pk], frequency_of[pk], at=at, cap=cap)
                }
                assert received == expected, (s, at, cap)
                if not s["urgent"]:
                    for pk in received:
                        history[pk].append(at)
            transaction.set_rollback(True)

    run()
