"""An officer's weekly briefing: for each of their wards, the top streets and how their
scores moved since the previous scoring period, the open "You said, we did" items, the
replies received in the last week and those not yet handled, and the events booked for
the coming week.

:func:`briefing_for` is the one read: the page (``insight_briefing``) shows it, and the
weekly email (``targeting.insight.briefing_mail``, through the outbox) says the same.
No member of the public is named and no special-category data appears: replies are
counts, streets are scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.permissions import wards_for
from areas.models import Area
from engagement.models import EngagementEvent, YouSaidWeDid
from engagement.selectors import open_items_for, unhandled_replies_count

from ..models import StreetScore

TOP_STREETS = 3
OPEN_ITEMS = 10


@dataclass(frozen=True)
class StreetLine:
    name: str
    score: float
    change: float | None  # on the previous period; None when the street was not scored

    @property
    def change_words(self) -> str:
        """The change as the page and the email say it: "up 12 on the month before"."""
        if self.change is None:
            return "new"
        moved = round(self.change)
        if moved == 0:
            return "no change on the month before"
        return f"{'up' if moved > 0 else 'down'} {abs(moved)} on the month before"


@dataclass(frozen=True)
class WardBriefing:
    ward: Area
    period: object | None
    streets: list[StreetLine]
    replies: int  # received in the last week
    unhandled: int  # still open in the inboxes of the officer's teams
    items: list[YouSaidWeDid]  # "You said, we did" items not yet done
    events: list[EngagementEvent]


def briefing_for(user: User, *, now: datetime | None = None) -> list[WardBriefing]:
    """The briefing of ``user`` for each of their wards (scope: ``wards_for``) at ``now``."""
    from alerts.models import Reply

    now = now or timezone.now()
    out = []
    for ward in wards_for(user).order_by("name"):
        period, streets = _top_streets(ward)
        out.append(
            WardBriefing(
                ward=ward,
                period=period,
                streets=streets,
                replies=Reply.objects.filter(
                    ward=ward, received_at__gte=now - timedelta(days=7), received_at__lt=now
                ).count(),
                unhandled=unhandled_replies_count(user, ward=ward),
                items=list(open_items_for(user, area=ward)[:OPEN_ITEMS]),
                events=list(
                    EngagementEvent.objects.filter(
                        ward=ward, starts_at__gte=now, starts_at__lt=now + timedelta(days=7)
                    ).order_by("starts_at")
                ),
            )
        )
    return out


def _top_streets(ward: Area) -> tuple[object | None, list[StreetLine]]:
    """The latest scoring period of ``ward`` and its top streets, each with the change of
    its score on the period before (None: not scored then)."""
    periods = list(
        StreetScore.objects.filter(ward=ward)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()[:2]
    )
    if not periods:
        return None, []
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
    return periods[0], [
        StreetLine(
            s.street.name,
            s.score,
            s.score - before[s.street_id] if s.street_id in before else None,
        )
        for s in top
    ]
