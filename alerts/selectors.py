"""Reads for the outbox and the senders' pages: audiences, previews, engagement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.models import Member, User
from accounts.permissions import areas_for
from areas.models import Area
from core import disclosure


def members_receiving(qs: QuerySet[Member] | None = None) -> QuerySet[Member]:
    """Members who may be sent anything: confirmed, not stopped, account active (erased
    ones are gone)."""
    qs = Member.objects.all() if qs is None else qs
    return qs.confirmed().filter(messages_stopped_at__isnull=True, user__is_active=True)


def audience_for_area(*, area: Area) -> QuerySet[Member]:
    """Members living in an area (a ward, or every ward under a district or the force)."""
    return members_receiving(Member.objects.filter(ward__in=Area.objects.wards_under(area)))


def messages_for(user: User):
    """Officers' messages a member of staff may see: their own, and those to areas in
    their scope (supervisors see their district's)."""
    from .models import Message

    return (
        Message.objects.filter(kind=Message.Kind.ALERT)
        .filter(Q(created_by=user) | Q(area__in=areas_for(user)))
        .select_related("area", "created_by")
        .distinct()
    )


@dataclass(frozen=True)
class Preview:
    """What sending a draft now would do."""

    reached: int  # confirmed members in the audience who take messages
    held_back: int  # of those, how many the cap, their frequency or their choices hold back
    versions: dict[str, int]  # of those sent to, how many get each version


def message_preview(message, *, now: datetime) -> Preview:
    """The counts the preview page shows, worked out as sending would (alerts.services)."""
    from .audiences import Audience, audience_members
    from .services import message_recipients
    from .versions import version_counts

    everyone = members_receiving(
        audience_members(Audience.from_json(message.audience), user=message.created_by)
    )
    reached = everyone.count()
    sent_to = message_recipients(message, members=everyone, now=now)
    versions = version_counts(sent_to, priorities=message.priorities, now=now)
    return Preview(reached=reached, held_back=reached - sum(versions.values()), versions=versions)


def preview_shown(preview: Preview) -> disclosure.Table:
    """The preview's counts as they may be shown: the versions and those held back are
    the parts of the number reached, so a hidden one cannot be worked out from the rest
    (the "said" count is a count of survey answers)."""
    parts = {v: {"members": n} for v, n in preview.versions.items()}
    parts["held_back"] = {"members": preview.held_back}
    return disclosure.suppress_table(parts, columns=["members"])


def sent_shown(message) -> disclosure.Table:
    """The same for a sent message: members sent each version (none held back now)."""
    from .models import Version

    rows = dict(
        message.deliveries.order_by()
        .values("version")
        .annotate(n=Count("member", distinct=True))
        .values_list("version", "n")
    )
    parts = {v: {"members": rows.get(v, 0)} for v in Version.values}
    parts["held_back"] = {"members": 0}
    return disclosure.suppress_table(parts, columns=["members"])


# --- Engagement -----------------------------------------------------------------------------

ENGAGEMENT_COLUMNS = ("delivered", "failed", "opened", "replied", "unsubscribed")
# Provider events (alerts.tracking) after which a sent message counts as failed.
REFUSED = ("bounced", "rejected")


def _engagement_counts(deliveries) -> dict[str, int]:
    from .models import DeliveryEvent, Reply

    # A message the provider later reported bounced was sent but never delivered.
    bounced = Q(Exists(DeliveryEvent.objects.filter(delivery=OuterRef("pk"), kind__in=REFUSED)))
    return deliveries.aggregate(
        delivered=Count("pk", filter=Q(status="sent") & ~bounced),
        failed=Count("pk", filter=Q(status="failed") | (Q(status="sent") & bounced)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        replied=Count("pk", filter=Q(Exists(Reply.objects.filter(delivery=OuterRef("pk"))))),
        unsubscribed=Count(
            "pk",
            filter=Q(
                Exists(DeliveryEvent.objects.filter(delivery=OuterRef("pk"), kind="unsubscribed"))
            ),
        ),
    )


def message_engagement(message) -> dict[str, int | None]:
    """Delivered, failed, opened, replied, unsubscribed for one message, small counts
    hidden (core.disclosure)."""
    counts = _engagement_counts(message.deliveries.all())
    return {k: disclosure.count(counts[k]) for k in ENGAGEMENT_COLUMNS}


def area_engagement(*, user: User, area: Area, days: int = 90, now: datetime):
    """Per ward of ``area`` (within the user's scope), the engagement of officers'
    messages over the last ``days``: a ``core.disclosure.Table`` keyed by ward."""
    from .models import Delivery, Message

    wards = list(Area.objects.wards_under(area).filter(pk__in=areas_for(user)).order_by("pk"))
    since = now - timedelta(days=days)
    parts = {}
    for ward in wards:
        deliveries = Delivery.objects.filter(
            message__kind=Message.Kind.ALERT, created_at__gte=since, member__ward=ward
        )
        parts[ward.pk] = _engagement_counts(deliveries)
    table = disclosure.suppress_table(parts, columns=list(ENGAGEMENT_COLUMNS))
    return wards, table


def recipients_of(message) -> QuerySet:
    """What went to whom (personal data: the page that shows it is audited)."""
    return message.deliveries.select_related("member__user", "member__ward").order_by(
        "member__ward__name", "member_id", "channel"
    )
