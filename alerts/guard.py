"""The frequency guard: members who asked for fewer messages get fewer.

Checked when an alert's audience is resolved (``alerts.services.message_send``): a
member who chose "at most once a week" and had an alert in the last seven days is
left out of the next one (and thirty days for "once a month"). Survey invitations
and reminders are not news: members agreed to the quarterly survey by registering,
so they neither count against the limit nor are held back by it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Member

from .models import Delivery, Message

GUARDED_KINDS = (Message.Kind.ALERT,)
WINDOWS = {
    Member.Frequency.WEEKLY: timedelta(days=7),
    Member.Frequency.MONTHLY: timedelta(days=30),
}


def within_frequency(members: QuerySet[Member], *, now: datetime) -> QuerySet[Member]:
    """``members`` without those an alert now would exceed their chosen frequency."""
    for frequency, window in WINDOWS.items():
        recent = Delivery.objects.filter(
            member=OuterRef("pk"),
            message__kind__in=GUARDED_KINDS,
            created_at__gt=now - window,
        ).exclude(status__in=[Delivery.Status.FAILED, Delivery.Status.SKIPPED])
        members = members.exclude(Q(max_frequency=frequency) & Q(Exists(recent)))
    return members
