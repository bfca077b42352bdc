"""Writes for engagement events and street contacts: keyword-only, typed, transactional."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import CommunityGroup, User
from accounts.permissions import wards_for
from areas.models import BNG, Area
from areas.selectors import ward_for_point

from .models import CommunityContact, EngagementEvent, EventOutcome


def _ward_in_scope(*, user: User, point: Point) -> Area:
    """The ward holding the point, if the user works there; else a ValidationError."""
    ward = ward_for_point(point)
    if ward is None:
        raise ValidationError("That place is outside the force area.")
    if not wards_for(user).filter(pk=ward.pk).exists():
        raise ValidationError("That place is outside the wards you work in.")
    return ward


def _bng(point: Point) -> Point:
    return point if point.srid == BNG else point.transform(BNG, clone=True)


@transaction.atomic
def event_book(
    *,
    user: User,
    kind: str,
    title: str,
    point: Point,
    place_name: str = "",
    starts_at: datetime,
    officers: Iterable[User] = (),
    communities: Iterable[CommunityGroup] = (),
) -> EngagementEvent:
    point = _bng(point)
    event = EngagementEvent.objects.create(
        kind=kind,
        title=title,
        place_name=place_name,
        point=point,
        ward=_ward_in_scope(user=user, point=point),
        starts_at=starts_at,
        created_by=user,
    )
    event.officers.set(list(officers) or [user])
    event.communities.set(list(communities))
    return event


@transaction.atomic
def event_outcome_record(
    *,
    user: User,
    event: EngagementEvent,
    attendance: int,
    officers_present: Iterable[User] = (),
    issues: Iterable[str] = (),
    issues_text: str = "",
    quality: int,
    intelligence_submissions: int = 0,
    suitable_for_publishing: bool = False,
    you_said_we_did: str = "",
) -> EventOutcome:
    """Record (or correct) what happened at an event: one outcome per event."""
    outcome, _created = EventOutcome.objects.update_or_create(
        event=event,
        defaults={
            "attendance": attendance,
            "issues": list(issues),
            "issues_text": issues_text,
            "quality": quality,
            "intelligence_submissions": intelligence_submissions,
            "suitable_for_publishing": suitable_for_publishing,
            "you_said_we_did": you_said_we_did,
            "recorded_by": user,
        },
    )
    outcome.officers_present.set(list(officers_present))
    return outcome


@transaction.atomic
def community_contact_record(
    *,
    user: User,
    point: Point,
    place_name: str = "",
    met_at: datetime,
    issues: Iterable[str] = (),
    issues_text: str = "",
    diversity_consent: bool = False,
    age_band: str = "",
    sex: str = "",
    ethnic_group: str = "",
    signup_offered: bool = False,
    signup_taken: bool = False,
) -> CommunityContact:
    """Record a contact in the street. Diversity answers are dropped without consent."""
    point = _bng(point)
    if not diversity_consent:
        age_band = sex = ethnic_group = ""
    contact = CommunityContact.objects.create(
        ward=_ward_in_scope(user=user, point=point),
        point=point,
        place_name=place_name,
        met_at=met_at,
        officer=user,
        issues=list(issues),
        issues_text=issues_text,
        diversity_consent=diversity_consent,
        age_band=age_band,
        sex=sex,
        ethnic_group=ethnic_group,
        signup_offered=signup_offered or signup_taken,
        signup_taken=signup_taken,
    )
    return contact
