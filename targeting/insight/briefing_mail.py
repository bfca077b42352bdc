"""The officer's weekly briefing, sent through the outbox (``alerts``).

Every Monday (the ``targeting-weekly-briefings`` beat) each active officer who has wards
and has not turned the briefing off gets one ``Message`` of kind BRIEFING, keyed by
officer and ISO week (``briefing:<user id>:<year>-W<week>``): a second run in the same
week, or two beat processes at once, find the key taken and make nothing. The message
has one email ``Delivery`` to the officer (``alerts.services.staff_message_send``),
sent by the outbox worker like any other, exactly once.

What it says is rendered when it is sent, by :func:`render_briefing` (registered with
``alerts.rendering`` in ``targeting.apps``), from the page's own read
(``briefing.briefing_for``) as of the moment the message was made, as text and HTML. An
officer who turned the briefing off before it went is skipped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffProfile, User
from accounts.permissions import staff_profile, wards_for
from alerts.channels import Rendered
from alerts.models import Delivery, Message
from alerts.rendering import absolute
from alerts.services import staff_message_send

from .briefing import briefing_for

logger = logging.getLogger(__name__)


def week_of(now: datetime) -> str:
    year, week, _day = timezone.localdate(now).isocalendar()
    return f"{year}-W{week:02d}"


def briefing_key(user: User, now: datetime) -> str:
    return f"briefing:{user.pk}:{week_of(now)}"


def _subject(now: datetime) -> str:
    monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    return f"Your weekly briefing, week of {monday.day} {monday:%B %Y}"


def briefing_recipients() -> list[User]:
    """Officers who get the briefing: active, with an email address, not turned off."""
    return list(
        User.objects.filter(
            is_active=True,
            staff__is_active=True,
            staff__role=StaffProfile.Role.OFFICER,
            staff__weekly_briefing=True,
        )
        .exclude(email="")
        .order_by("pk")
    )


def _takes_briefing(user: User) -> bool:
    profile = staff_profile(user)
    return (
        profile is not None
        and profile.role == StaffProfile.Role.OFFICER
        and profile.weekly_briefing
        and bool(user.email)
    )


def briefing_send(*, user: User, now: datetime | None = None) -> Message | None:
    """This week's briefing for ``user``, queued in the outbox; None when they do not
    take it (not an active officer, turned off, no wards) or it was already made."""
    now = now or timezone.now()
    if not _takes_briefing(user) or not wards_for(user).exists():
        return None
    # None when the week's key is taken: this officer's briefing was made already.
    return staff_message_send(
        kind=Message.Kind.BRIEFING,
        key=briefing_key(user, now),
        subject=_subject(now),
        users=[user],
        source="targeting.briefing",
        now=now,
    )


def briefings_send(*, now: datetime | None = None) -> int:
    """The beat's weekly run: each officer's briefing for this week. Returns how many
    were made (none on a second run in the same week)."""
    now = now or timezone.now()
    taken = set(
        Message.objects.filter(
            kind=Message.Kind.BRIEFING, key__endswith=f":{week_of(now)}"
        ).values_list("key", flat=True)
    )
    made = 0
    for user in briefing_recipients():
        if briefing_key(user, now) not in taken and briefing_send(user=user, now=now):
            made += 1
    logger.info("weekly briefings: %s made for %s", made, week_of(now))
    return made


def render_briefing(delivery: Delivery, now: datetime) -> Rendered | None:
    """The briefing as of when it was made, for the officer it is addressed to (the
    outbox's renderer for BRIEFING); None (skipped) if they have turned it off since."""
    user = delivery.user
    if user is None or not _takes_briefing(user):
        return None
    message = delivery.message
    context = {
        "subject": message.subject,
        "user": user,
        "wards": briefing_for(user, now=message.created_at),
        "site": settings.SITE_URL.rstrip("/"),
        "page_url": absolute(reverse("insight_briefing")),
        "settings_url": absolute(reverse("engagement_profile")) + "#briefing",
        "FORCE_NAME": settings.FORCE_NAME,
    }
    return Rendered(
        subject=message.subject,
        text=render_to_string("targeting/email/briefing.txt", context),
        html=render_to_string("targeting/email/briefing.html", context),
    )
