"""Builders for set-up tests: set-ups made as a supervisor would make them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from areas.models import Area, Street
from targeting.setups import services
from targeting.setups.models import SetUp, Visit


def make_setup(
    *,
    supervisor: User,
    wards: Iterable[Area],
    officers: Iterable[User] = (),
    target: str = SetUp.Target.ALL,
    revisit_members: bool = False,
    opened: bool = True,
    name: str = "Riverside under-registered streets",
) -> SetUp:
    today = timezone.localdate()
    setup = services.setup_create(
        user=supervisor,
        name=name,
        purpose="Invite residents to register.",
        area_kind=SetUp.AreaKind.WARDS,
        wards=list(wards),
        target=target,
        revisit_members=revisit_members,
        starts_on=today,
        ends_on=today + timedelta(days=28),
        officers=list(officers),
    )
    if opened:
        services.setup_open(setup=setup)
    return setup


def open_setup(people, ward: Area) -> SetUp:
    """The set-up the access matrix uses: in ``ward``, worked by the ward's officer."""
    return make_setup(
        supervisor=people.district_supervisor, wards=[ward], officers=[people.ward_officer]
    )


def knock(
    setup: SetUp,
    street: Street,
    officer: User,
    house: str,
    outcome: str = Visit.Outcome.NOT_IN,
    *,
    at: datetime | None = None,
    key: uuid.UUID | None = None,
) -> Visit:
    visit, _created = services.visit_record(
        setup=setup,
        street=street,
        officer=officer,
        house=house,
        outcome=outcome,
        key=key or uuid.uuid4(),
        visited_at=at,
    )
    return visit


def days_ago(n: int) -> datetime:
    return timezone.now() - timedelta(days=n)
