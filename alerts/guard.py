"""The frequency guard: one cap across all senders, and each member's own frequency.

Checked when an alert's audience is resolved (``alerts.services.message_send``), the
one place deliveries of officers' messages are made:

- the cap: at most ``MessagingSettings.weekly_cap`` (default 2, admins change it on a
  page) non-urgent messages per member in any 7 days, from every sender together;
- on top of it, a member who chose "at most once a week" and had one in the last seven
  days is left out of the next one (thirty days for "once a month").

Urgent messages (a missing person; only supervisors may mark one) go regardless and
do not count. Survey invitations and reminders are not news: members agreed to the
quarterly survey by registering, so they neither count nor are held back; nor are
answers to a member's own reply. Failed and skipped deliveries never reached anyone
and do not count. A message sent by email and text counts once.

Two senders at the same moment could each see a member under the cap; sending holds
a transaction-level advisory lock (:func:`cap_lock`) while it checks and queues, so
they take turns.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Member

from .models import Delivery, Message, MessagingSettings

GUARDED_KINDS = (Message.Kind.ALERT,)
CAP_WINDOW = timedelta(days=7)
WINDOWS = {
    Member.Frequency.WEEKLY: timedelta(days=7),
    Member.Frequency.MONTHLY: timedelta(days=30),
}
# Any fixed number: the advisory lock sending takes while it applies the cap.
CAP_LOCK_KEY = 7_240_001


def counted_deliveries(*, since: datetime) -> QuerySet[Delivery]:
    """Deliveries that count against the cap and members' frequencies since ``since``."""
    return Delivery.objects.filter(
        message__kind__in=GUARDED_KINDS, message__urgent=False, created_at__gt=since
    ).exclude(status__in=[Delivery.Status.FAILED, Delivery.Status.SKIPPED])


def _recent(*, since: datetime) -> Subquery:
    """Per member (OuterRef pk): how many counted messages since ``since``."""
    return Subquery(
        counted_deliveries(since=since)
        .filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(n=Count("message", distinct=True))
        .values("n")
    )


def within_frequency(
    members: QuerySet[Member], *, now: datetime, urgent: bool = False
) -> QuerySet[Member]:
    """``members`` without those a message now would put over the cap or their frequency."""
    if urgent:
        return members
    cap = MessagingSettings.load().weekly_cap
    members = members.alias(_in_cap_window=Coalesce(_recent(since=now - CAP_WINDOW), 0)).filter(
        _in_cap_window__lt=cap
    )
    for frequency, window in WINDOWS.items():
        name = f"_in_{frequency}_window"
        members = members.alias(**{name: Coalesce(_recent(since=now - window), 0)}).exclude(
            Q(max_frequency=frequency) & Q(**{f"{name}__gt": 0})
        )
    return members


def cap_lock() -> None:
    """Hold the cap's advisory lock until the current transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CAP_LOCK_KEY])
