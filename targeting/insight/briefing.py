"""An officer's weekly briefing, as a page: for each of their wards, the top streets
and how their scores moved since the previous scoring period, the replies received in
the last week, and the events booked for the coming week.

Sending it weekly through the outbox is not built: ``alerts.Delivery`` is addressed to a
``Member`` only, so the outbox cannot address staff (and "You said, we did" items are
not in this branch). The page is what such a message would say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.permissions import wards_for
from areas.models import Area
from engagement.models import EngagementEvent

from ..models import StreetScore

TOP_STREETS = 3


@dataclass(frozen=True)
class StreetLine:
    name: str
    score: float
    change: float | None  # on the previous period; None when the street was not scored


@dataclass(frozen=True)
class WardBriefing:
    ward: Area
    period: object | None
    streets: list[StreetLine]
    replies: int
    events: list[EngagementEvent]


def briefing_for(user: User, *, now: datetime | None = None) -> list[WardBriefing]:
    from alerts.models import Reply

    now = now or timezone.now()
    out = []
    for ward in wards_for(user).order_by("name"):
        periods = list(
            StreetScore.objects.filter(ward=ward)
            .order_by("-period")
            .values_list("period", flat=True)
            .distinct()[:2]
        )
        streets = []
        if periods:
            top = (
                StreetScore.objects.filter(ward=ward, period=periods[0])
                .select_related("street")
                .order_by("rank_in_ward")[:TOP_STREETS]
            )
            before = {}
            if len(periods) > 1:
                before = dict(
                    StreetScore.objects.filter(
                        ward=ward, period=periods[1], street__in=[s.street_id for s in top]
                    ).values_list("street_id", "score")
                )
            streets = [
                StreetLine(
                    s.street.name,
                    s.score,
                    s.score - before[s.street_id] if s.street_id in before else None,
                )
                for s in top
            ]
        out.append(
            WardBriefing(
                ward=ward,
                period=periods[0] if periods else None,
                streets=streets,
                replies=Reply.objects.filter(
                    ward=ward, received_at__gte=now - timedelta(days=7)
                ).count(),
                events=list(
                    EngagementEvent.objects.filter(
                        ward=ward, starts_at__gte=now, starts_at__lt=now + timedelta(days=7)
                    ).order_by("starts_at")
                ),
            )
        )
    return out
