"""Demo engagement events and street contacts in the demo officer's two Hull wards.

Six events held in the last three months with their outcomes, two booked for the
coming fortnight, and about fifty street contacts whose issues fill the dashboards' top
five and word cloud (each above the disclosure threshold). Idempotent: an event is made
only if none of its title exists in its ward, and contacts only if the demo officer has
recorded none yet.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import CommunityGroup, User
from areas.models import Area, Postcode
from engagement.models import CommunityContact, EngagementEvent, EventOutcome
from surveys.models import Priority

OFFICER = "officer@demo.example"
CENTRAL, ST_ANDREWS = "E05011529", "E05011541"
Kind = EngagementEvent.Kind
# (ward, days from now, kind, title, place, attendance, issues, what was said)
EVENTS = (
    (CENTRAL, -80, Kind.STREET_SURGERY, "Beat surgery, Princes Quay", "Princes Quay", 14,
     ["anti-social-behaviour", "drugs"], "Groups gathering by the shops at night; drug dealing"),
    (CENTRAL, -52, Kind.COMMUNITY_MEETING, "Residents' meeting, city centre flats",
     "Community room", 31, ["drugs", "shoplifting"], "Drug dealing near the flats; shoplifting"),
    (CENTRAL, -25, Kind.CRIME_PREVENTION, "Bike marking stall", "Queen Victoria Square", 42,
     ["vehicle-crime", "anti-social-behaviour"], "Bike theft at the station; e-scooters"),
    (ST_ANDREWS, -70, Kind.SCHOOL, "Road safety talk, primary school", "School hall", 60,
     ["speeding-road-safety"], "Speeding outside the school at home time"),
    (ST_ANDREWS, -40, Kind.WALKABOUT, "Docklands walkabout", "Marina", 9,
     ["burglary", "speeding-road-safety"], "Sheds broken into; cars racing on the main road"),
    (ST_ANDREWS, -12, Kind.FAITH, "Coffee morning, community church", "Church hall", 23,
     ["fraud-scams", "burglary"], "Doorstep scams aimed at older residents"),
    (CENTRAL, 5, Kind.STREET_SURGERY, "Beat surgery, Old Town", "Trinity Market", 0, [], ""),
    (ST_ANDREWS, 11, Kind.COMMUNITY_MEETING, "Hessle Road residents' meeting", "Library",
     0, [], ""),
)  # fmt: skip
CONTACT_ISSUES = {
    CENTRAL: (["anti-social-behaviour"], ["drugs"], ["shoplifting"], ["anti-social-behaviour"]),
    ST_ANDREWS: (["speeding-road-safety"], ["burglary"], ["speeding-road-safety"]),
}
CONTACT_WORDS = (
    "speeding cars on the main road",
    "drug dealing near the flats",
    "groups gathering by the shops at night",
    "bike theft and speeding e-scooters",
    "litter and noise at night",
    "speeding outside the school",
)


def _place(ward: Area, r: random.Random):
    pcs = list(
        Postcode.objects.filter(ward=ward).order_by("code").values_list("point", flat=True)[:40]
    )
    return r.choice(pcs) if pcs else ward.boundary.point_on_surface


@transaction.atomic
def load_insight_demo(*, seed: int = 1129) -> tuple[int, int]:
    """Create the demo events and contacts that are missing. Returns (events, contacts)."""
    officer = User.objects.filter(email=OFFICER).first()
    wards = {a.code: a for a in Area.objects.filter(code__in=(CENTRAL, ST_ANDREWS))}
    if officer is None or len(wards) < 2:
        return 0, 0
    r = random.Random(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    slugs = set(Priority.objects.values_list("slug", flat=True))
    groups = list(CommunityGroup.objects.all()[:3])
    made = 0
    for code, days, kind, title, place, attendance, issues, said in EVENTS:
        ward = wards[code]
        if EngagementEvent.objects.filter(ward=ward, title=title).exists():
            continue
        event = EngagementEvent.objects.create(
            kind=kind, title=title, place_name=place, point=_place(ward, r), ward=ward,
            starts_at=now.replace(hour=18) + timedelta(days=days), created_by=officer,
        )  # fmt: skip
        event.officers.set([officer])
        event.communities.set(groups[: 1 + made % 3])
        made += 1
        if days < 0:
            outcome = EventOutcome.objects.create(
                event=event, attendance=attendance, issues=[s for s in issues if s in slugs],
                issues_text=said, quality=3 + made % 3,
                intelligence_submissions=made % 3, suitable_for_publishing=made % 2 == 0,
                recorded_by=officer,
            )  # fmt: skip
            outcome.officers_present.set([officer])
    contacts = 0
    if not CommunityContact.objects.filter(officer=officer).exists():
        for code, n in ((CENTRAL, 30), (ST_ANDREWS, 22)):
            ward = wards[code]
            for i in range(n):
                offered = r.random() < 0.7
                raised = CONTACT_ISSUES[code][i % len(CONTACT_ISSUES[code])]
                CommunityContact.objects.create(
                    ward=ward, point=_place(ward, r), officer=officer,
                    met_at=now - timedelta(days=r.randint(1, 85), hours=r.randint(0, 8)),
                    issues=[s for s in raised if s in slugs], issues_text=r.choice(CONTACT_WORDS),
                    signup_offered=offered, signup_taken=offered and r.random() < 0.4,
                )  # fmt: skip
                contacts += 1
    return made, contacts
