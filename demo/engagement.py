"""Demo data of the engagement side: the demo wards' neighbourhood teams, the demo
officer's profile, local priorities, a few "You said, we did" items (one done), and a
named team that trigger words send hate-crime replies to.

Idempotent: a second run changes nothing and duplicates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from areas.models import Area
from engagement.models import (
    LocalPriority,
    OfficerProfile,
    Team,
    TeamMembership,
    TriggerWord,
    YouSaidWeDid,
)

WARDS = ("E05011529", "E05011541")  # the demo officer's wards (Central; St Andrew's)
DISTRICT = "E06000010"  # Hull
OFFICER, SUPERVISOR = "officer@demo.example", "supervisor@demo.example"
PROFILES = {
    OFFICER: (
        "PC Sam Carter",
        "I have policed Hull city centre for six years. Find me on foot around Whitefriargate "
        "and at the monthly ward meeting in the Central Library.",
    ),
    SUPERVISOR: (
        "Sgt Priya Shah",
        "I lead the neighbourhood teams in Hull and chair the hate crime panel.",
    ),
}
ITEMS = (
    # (ward, title, source, status, said, planned, outcome, priorities, days ago made)
    (
        WARDS[0],
        "Anti-social behaviour on Whitefriargate",
        YouSaidWeDid.Source.SURVEY,
        YouSaidWeDid.Status.DONE,
        "In the survey you told us groups gathering on Whitefriargate in the evening made "
        "you feel unsafe.",
        "Evening foot patrols three nights a week, with the council's CCTV team.",
        "Since September we patrolled 36 evenings, issued 9 dispersal notices and worked "
        "with the youth service on a Friday drop-in. Reports of anti-social behaviour on "
        "the street fell by a third.",
        ["anti-social-behaviour"],
        150,
    ),
    (
        WARDS[0],
        "Drug dealing near Queens Gardens",
        YouSaidWeDid.Source.MEETING,
        YouSaidWeDid.Status.IN_PROGRESS,
        "At the October ward meeting residents described dealing by the gardens' east gate.",
        "Plain-clothes patrols and a closure order application for one address.",
        "",
        ["drugs"],
        40,
    ),
    (
        WARDS[1],
        "Speeding on Hessle Road",
        YouSaidWeDid.Source.REPLY,
        YouSaidWeDid.Status.RAISED,
        "Several replies to our last message asked for speed checks on Hessle Road.",
        "",
        "",
        ["speeding-road-safety"],
        10,
    ),
)
LOCAL_PRIORITIES = {
    WARDS[0]: ["anti-social-behaviour", "drugs"],
    WARDS[1]: ["speeding-road-safety", "burglary"],
}
TRIGGER_WORDS = ("racist", "hate crime", "homophobic")


def _team(area: Area, name: str, *, neighbourhood: bool = True) -> Team:
    team, _ = Team.objects.get_or_create(
        area=area, name=name, defaults={"is_neighbourhood": neighbourhood}
    )
    return team


@transaction.atomic
def load_engagement_demo() -> int:
    """Returns how many items the demo has."""
    users = {u.email: u for u in User.objects.filter(email__in=[OFFICER, SUPERVISOR])}
    for email, (public_name, about) in PROFILES.items():
        if email in users:
            OfficerProfile.objects.update_or_create(
                user=users[email], defaults={"public_name": public_name, "about": about}
            )
    wards = {a.code: a for a in Area.objects.filter(code__in=WARDS)}
    for code, ward in wards.items():
        team = _team(ward, f"{ward.name} neighbourhood team")
        for order, (email, role) in enumerate(
            [(OFFICER, "Neighbourhood officer"), (SUPERVISOR, "Neighbourhood sergeant")]
        ):
            if email in users:
                TeamMembership.objects.get_or_create(
                    team=team, user=users[email], defaults={"role": role, "order": order}
                )
        for slug in LOCAL_PRIORITIES[code]:
            LocalPriority.objects.get_or_create(
                team=team, priority=slug, defaults={"chosen_by": users.get(OFFICER)}
            )
    district = Area.objects.filter(code=DISTRICT).first()
    if district is not None:
        hate = _team(district, "Hull hate crime team", neighbourhood=False)
        if SUPERVISOR in users:
            TeamMembership.objects.get_or_create(
                team=hate, user=users[SUPERVISOR], defaults={"role": "Hate crime lead"}
            )
        for word in TRIGGER_WORDS:
            TriggerWord.objects.get_or_create(word=word, team=hate)
    now = timezone.now()
    for code, title, source, status, said, planned, outcome, priorities, days in ITEMS:
        if code not in wards:
            continue
        made = now - timedelta(days=days)
        YouSaidWeDid.objects.get_or_create(
            area=wards[code],
            title=title,
            defaults={
                "source": source,
                "status": status,
                "said": said,
                "planned": planned,
                "outcome": outcome,
                "priorities": priorities,
                "created_by": users.get(OFFICER),
                "created_at": made,
                "started_at": made + timedelta(days=7) if status != "raised" else None,
                "done_at": now - timedelta(days=5) if status == "done" else None,
            },
        )
    return YouSaidWeDid.objects.filter(area__code__in=WARDS).count()
