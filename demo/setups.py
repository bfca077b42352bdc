"""Demo set-up: the under-registered streets of the demo officer's ward (Hull Central),
planned by the demo supervisor, open, assigned to the demo officer, with yesterday's
first knocks. Run by ``load_demo`` after the scores; a second run duplicates nothing
(the set-up is found by name, visits by their fixed keys)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from areas.models import Area
from targeting.setups import services
from targeting.setups.models import SetUp, Visit

NAME = "Central: under-registered streets"
WARD = "E05011529"  # Central, Hull: the demo officer's first ward
KEYS = uuid.UUID("6f1c1a52-3b0e-4a53-9d62-2f3d0c1e5a00")
# Yesterday's knocks on the first two streets: (street index, house, outcome).
KNOCKS = (
    (0, "1", Visit.Outcome.NOT_IN),
    (0, "3", Visit.Outcome.DECLINED),
    (0, "5", Visit.Outcome.REGISTERED),
    (0, "7", Visit.Outcome.SURVEY),
    (0, "9", Visit.Outcome.MEMBER),
    (0, "11", Visit.Outcome.DO_NOT_KNOCK),
    (1, "2", Visit.Outcome.NOT_IN),
    (1, "4", Visit.Outcome.REGISTERED),
    (1, "6", Visit.Outcome.NOT_IN),
)


@transaction.atomic
def load_setups_demo() -> int:
    """The demo set-up (made once) and its visits; returns how many visits were added."""
    supervisor = User.objects.filter(email="supervisor@demo.example").first()
    officer = User.objects.filter(email="officer@demo.example").first()
    ward = Area.objects.filter(code=WARD).first()
    if supervisor is None or officer is None or ward is None:
        return 0
    setup = SetUp.objects.filter(name=NAME, created_by=supervisor).first()
    if setup is None:
        setup = _create(supervisor, officer, ward)
        services.setup_open(setup=setup)
    if setup.status != SetUp.Status.OPEN:
        return 0
    streets = [s.street for s in setup.setup_streets.select_related("street")[:2]]
    yesterday = timezone.now() - timedelta(days=1)
    added = 0
    for i, (street_index, house, outcome) in enumerate(KNOCKS):
        if street_index >= len(streets):
            continue
        _visit, created = services.visit_record(
            setup=setup,
            street=streets[street_index],
            officer=officer,
            house=house,
            outcome=outcome,
            key=uuid.UUID(int=KEYS.int + i),
            visited_at=yesterday + timedelta(minutes=4 * i),
        )
        added += created
    return added


def _create(supervisor: User, officer: User, ward: Area) -> SetUp:
    today = timezone.localdate()
    plan = {
        "user": supervisor,
        "name": NAME,
        "purpose": "Invite residents of Central's least registered streets to join, and "
        "hear their views on the doorstep.",
        "area_kind": SetUp.AreaKind.WARDS,
        "wards": [ward],
        "revisit_members": False,
        "starts_on": today - timedelta(days=1),
        "ends_on": today + timedelta(days=27),
        "officers": [officer],
    }
    try:
        return services.setup_create(target=SetUp.Target.LOW_MEMBERSHIP, **plan)
    except services.SetUpRefused:  # no scores (or none low): every household then
        return services.setup_create(target=SetUp.Target.ALL, **plan)
