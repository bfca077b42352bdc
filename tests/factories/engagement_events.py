"""Builders for engagement events, outcomes and street contacts (BNG points only)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.utils import timezone

from accounts.models import User
from areas.models import BNG, Area
from engagement.models import CommunityContact, EngagementEvent, EventOutcome


def centre_of(ward: Area) -> Point:
    point = ward.boundary.point_on_surface
    point.srid = BNG
    return point


def make_event(
    officer: User,
    ward: Area,
    *,
    title: str = "Street surgery",
    kind: str = EngagementEvent.Kind.STREET_SURGERY,
    starts_at: datetime | None = None,
) -> EngagementEvent:
    event = EngagementEvent.objects.create(
        kind=kind,
        title=title,
        point=centre_of(ward),
        ward=ward,
        starts_at=starts_at or timezone.now() - timedelta(days=2),
        created_by=officer,
    )
    event.officers.set([officer])
    return event


def make_outcome(
    event: EngagementEvent, *, issues=(), text: str = "", attendance: int = 12
) -> EventOutcome:
    return EventOutcome.objects.create(
        event=event,
        attendance=attendance,
        issues=list(issues),
        issues_text=text,
        quality=4,
        recorded_by=event.created_by,
    )


def make_contacts(officer: User, ward: Area, n: int, *, issues=(), text: str = "", **fields):
    contacts = []
    for _ in range(n):
        contacts.append(
            CommunityContact.objects.create(
                ward=ward,
                point=centre_of(ward),
                officer=officer,
                issues=list(issues),
                issues_text=text,
                **fields,
            )
        )
    return contacts
