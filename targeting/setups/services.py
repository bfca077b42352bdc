"""Writes for set-ups and visits: every status change, every visit, every review step."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.gis.geos import MultiPolygon
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from areas.census import ETHNIC
from areas.models import Area, GeodemographicClass, Street
from core.lifecycle import transition
from surveys.services import response_taken_by_staff

from . import selectors
from .models import SetUp, SetUpComment, SetUpStreet, Visit

Status = SetUp.Status


class SetUpRefused(Exception):
    """A change the set-up does not allow now; the message says why, in plain words."""


# --- Planning ---------------------------------------------------------------------------


@transaction.atomic
def setup_create(
    *,
    user: User,
    name: str,
    purpose: str = "",
    area_kind: str,
    wards: Iterable[Area] = (),
    streets: Iterable[Street] = (),
    shape: MultiPolygon | None = None,
    target: str = SetUp.Target.ALL,
    group: GeodemographicClass | None = None,
    community: str = "",
    revisit_members: bool = False,
    starts_on: date,
    ends_on: date,
    officers: Iterable[User] = (),
) -> SetUp:
    """A draft set-up with its streets fixed in priority order (the street scores).

    Everything must lie in ``user``'s scope (the form offers nothing else; this checks
    again). Raises SetUpRefused when no street is left to knock.
    """
    wards, streets = list(wards), list(streets)
    chosen = selectors.candidate_streets(
        user=user, area_kind=area_kind, wards=wards, streets=streets, shape=shape
    )
    if target == SetUp.Target.GROUP_AREAS and group is None:
        raise SetUpRefused("Choose the group whose output areas are to be knocked.")
    if target == SetUp.Target.COMMUNITY and community not in ETHNIC:
        raise SetUpRefused("Choose the Census ethnic group whose output areas are to be knocked.")
    ranked = selectors.streets_in_priority(chosen, target=target, group=group, community=community)
    if not ranked:
        raise SetUpRefused("No street of that area matches whom you chose to reach.")
    ward_ids = sorted({row.street.ward_id for row in ranked})
    setup = SetUp.objects.create(
        name=name,
        purpose=purpose,
        area=selectors.area_holding(user=user, ward_ids=ward_ids),
        area_kind=area_kind,
        shape=shape if area_kind == SetUp.AreaKind.SHAPE else None,
        target=target,
        group=group if target == SetUp.Target.GROUP_AREAS else None,
        community=community if target == SetUp.Target.COMMUNITY else "",
        revisit_members=revisit_members,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
    )
    setup.wards.set(ward_ids)
    setup.officers.set(selectors.assignable_officers(user).filter(pk__in=[o.pk for o in officers]))
    members = selectors.members_by_street([row.street.pk for row in ranked])
    SetUpStreet.objects.bulk_create(
        SetUpStreet(
            setup=setup,
            street=row.street,
            priority=i,
            score=row.score,
            households=row.households,
            members_before=members.get(row.street.pk, 0),
        )
        for i, row in enumerate(ranked, start=1)
    )
    setup.baseline = {"groups": selectors.members_by_group(setup)}
    setup.save(update_fields=["baseline"])
    return setup


@transaction.atomic
def setup_officers_set(*, setup: SetUp, user: User, officers: Iterable[User]) -> None:
    ids = [o.pk for o in officers]
    setup.officers.set(selectors.assignable_officers(user).filter(pk__in=ids))


# --- Lifecycle --------------------------------------------------------------------------


@transaction.atomic
def setup_open(*, setup: SetUp) -> SetUp:
    """Draft to open (or closed to open again: the sign-off then has to be given anew)."""
    fields = {"opened_at": setup.opened_at or timezone.now()}
    if setup.status == Status.CLOSED:
        fields |= {"closed_at": None, "signed_off_by": None, "signed_off_at": None}
    return transition(setup, Status.OPEN, **fields)


@transaction.atomic
def setup_close(*, setup: SetUp) -> SetUp:
    """Open to closed, once a supervisor has signed the review off."""
    if setup.status == Status.OPEN and setup.signed_off_at is None:
        raise SetUpRefused("Sign the review off before closing the set-up.")
    return transition(setup, Status.CLOSED, closed_at=timezone.now())


@transaction.atomic
def setup_archive(*, setup: SetUp) -> SetUp:
    """Closed to archived: off the active lists, its reports kept and still open."""
    return transition(setup, Status.ARCHIVED, archived_at=timezone.now())


@transaction.atomic
def setup_delete(*, setup: SetUp) -> None:
    """Delete a set-up nobody has knocked a door for; one with visits is kept for ever."""
    if Visit.objects.filter(setup=setup).exists():
        raise SetUpRefused("A set-up with visits is never deleted: close and archive it instead.")
    if setup.status != Status.DRAFT:
        raise SetUpRefused("Only a draft set-up can be deleted.")
    setup.delete()


# --- Review -----------------------------------------------------------------------------


@transaction.atomic
def setup_comment_add(*, setup: SetUp, user: User, text: str) -> SetUpComment:
    return SetUpComment.objects.create(setup=setup, author=user, text=text.strip())


@transaction.atomic
def setup_sign_off(*, setup: SetUp, user: User) -> SetUp:
    """The supervisor's sign-off of the review: what lets an open set-up close."""
    if setup.status != Status.OPEN:
        raise SetUpRefused("Only an open set-up is signed off.")
    now = timezone.now()
    SetUp.objects.filter(pk=setup.pk).update(signed_off_by=user, signed_off_at=now)
    setup.signed_off_by, setup.signed_off_at = user, now
    return setup


# --- Visits -----------------------------------------------------------------------------


def door_of(house: str) -> str:
    """The house as doors are compared: "12A " and "12a" are the same door."""
    return " ".join(house.split()).lower()


@transaction.atomic
def visit_record(
    *,
    setup: SetUp,
    street: Street,
    officer: User,
    house: str,
    outcome: str,
    key: uuid.UUID,
    visited_at: datetime | None = None,
    sent_later: bool = False,
) -> tuple[Visit, bool]:
    """Record a knock, once per idempotency key: (visit, created).

    A key already received gives back the visit it made, whatever else is sent with
    it, so a phone resending its queue never counts a door twice.
    """
    existing = Visit.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    if setup.status != Status.OPEN:
        raise SetUpRefused("Visits are recorded only while the set-up is open.")
    if not setup.setup_streets.filter(street=street).exists():
        raise SetUpRefused("That street is not in this set-up.")
    now = timezone.now()
    # A phone's clock may be off: a visit is never in the future.
    visited_at = min(visited_at or now, now)
    return Visit.objects.get_or_create(
        key=key,
        defaults={
            "setup": setup,
            "street": street,
            "officer": officer,
            "house": " ".join(house.split()),
            "door": door_of(house),
            "outcome": outcome,
            "visited_at": visited_at,
            "sent_later": sent_later,
        },
    )


@transaction.atomic
def visit_survey_record(*, visit: Visit, version, answers: dict) -> Visit:
    """The survey answers the officer took at ``visit``, kept as a response taken by staff
    (on the street, never linked to a person) and linked to the visit. Raises
    surveys.services.ResponseIncomplete when a required question has no answer."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.survey_response_id:
        return locked
    response = response_taken_by_staff(
        version=version, ward=visit.street.ward, street=visit.street, answers=answers
    )
    Visit.objects.filter(pk=visit.pk).update(survey_response=response)
    visit.survey_response = response
    return visit
