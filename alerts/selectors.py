"""Reads for the outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Member
from areas.models import Area


def members_receiving(qs: QuerySet[Member] | None = None) -> QuerySet[Member]:
    """Members who may be sent anything: confirmed, not stopped, account active (erased
    ones are gone)."""
    qs = Member.objects.all() if qs is None else qs
    return qs.confirmed().filter(messages_stopped_at__isnull=True, user__is_active=True)


def audience_for_area(*, area: Area) -> QuerySet[Member]:
    """Members living in an area (a ward, or every ward under a district or the force)."""
    return members_receiving(Member.objects.filter(ward__in=Area.objects.wards_under(area)))
