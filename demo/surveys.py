"""Synthetic survey history for the demo members: every past cycle of every member.

Only ever run by ``manage.py load_demo``, after the demo members exist. For each
member, each cycle that fell due (three months apart from their registration) up to
``SURVEYS_CATCH_UP_DAYS`` ago gets an invitation, and most get an answered response
- the months since the demo members registered give about three quarters of answers.
Cycles due more recently are left for Celery beat to dispatch by itself after
``make run``, through the outbox, as it would in real life.

Answers are drawn per ward so the demo officer's two wards differ: Central worries
about anti-social behaviour, drugs and shoplifting and grows more confident quarter by
quarter; St Andrew's & Docklands names speeding, burglary and vehicle crime and feels
less safe after dark. Deterministic (seeded per member and cycle) and idempotent.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Member
from surveys import schedule
from surveys.models import Answer, AnswerPriority, Invitation, Priority, Response
from surveys.reference import ensure_reference_data
from surveys.selectors import current_version
from surveys.services import round_for

SEED = 4242
CENTRAL, ST_ANDREWS = "E05011529", "E05011541"

# Mean answer (1..5) per question, and its drift per cycle, by ward.
SCALES = {
    CENTRAL: {"trust": (3.0, 0.25), "confidence": (2.7, 0.3), "safe_day": (3.8, 0.1),
              "safe_dark": (2.6, 0.2)},
    ST_ANDREWS: {"trust": (3.4, 0.0), "confidence": (3.1, -0.1), "safe_day": (4.0, 0.0),
                 "safe_dark": (3.2, -0.35)},
    None: {"trust": (3.5, 0.05), "confidence": (3.2, 0.05), "safe_day": (4.1, 0.0),
           "safe_dark": (3.3, 0.0)},
}  # fmt: skip
PRIORITY_WEIGHTS = {
    CENTRAL: {"anti-social-behaviour": 9, "drugs": 8, "shoplifting": 6, "violence": 4,
              "criminal-damage": 3, "other": 1},
    ST_ANDREWS: {"speeding-road-safety": 9, "burglary": 7, "vehicle-crime": 6,
                 "anti-social-behaviour": 3, "fraud-scams": 2, "other": 1},
    None: {"anti-social-behaviour": 6, "speeding-road-safety": 6, "burglary": 4, "drugs": 4,
           "vehicle-crime": 3, "fraud-scams": 3, "criminal-damage": 2, "violence": 2,
           "shoplifting": 2, "hate-crime": 1, "other": 1},
}  # fmt: skip
COMMENTS = (
    "Cars race along the main road most evenings.",
    "It would help to see officers on foot more often.",
    "Groups gather outside the shops late at night and it feels intimidating.",
    "Thank you for the quick response when we reported the break-in.",
    "Street lighting near the park is poor, it feels unsafe after dark.",
    "Drug dealing seems to happen openly near the flats.",
    "Please let us know what happens after we report things.",
    "Parking on the pavement makes it hard with a pushchair.",
    "Things have improved since the community meeting.",
    "More patrols around the school at home time would be good.",
)


def _scale(r: random.Random, mean: float) -> int:
    return max(1, min(5, round(r.gauss(mean, 0.9))))


def _weighted(r: random.Random, weights: dict[str, int], k: int) -> list[str]:
    pool = dict(weights)
    picked = []
    while pool and len(picked) < k:
        slug = r.choices(list(pool), weights=list(pool.values()))[0]
        picked.append(slug)
        del pool[slug]
    return picked


def load_survey_demo(*, now: datetime | None = None, seed: int = SEED) -> int:
    """Create the missing past invitations and answers. Returns how many invitations."""
    now = now or timezone.now()
    ensure_reference_data()
    version = current_version()
    if version is None:
        return 0
    questions = {q.key: q for q in version.questions.all()}
    priorities = {p.slug: p for p in Priority.objects.all()}
    horizon = now - timedelta(days=settings.SURVEYS_CATCH_UP_DAYS)
    existing = set(Invitation.objects.values_list("member_id", "cycle"))
    created = 0
    members = Member.objects.select_related("ward").order_by("pk")
    for member in members:
        last = schedule.cycle_at(
            member_id=member.pk, registered_at=member.registered_at, now=horizon
        )
        for cycle in range(1, last + 1):
            if (member.pk, cycle) in existing:
                continue
            r = random.Random(f"{seed}-{member.pk}-{cycle}")
            _create(member, cycle, r, version, questions, priorities, now)
            created += 1
    if created:
        _analyze(Member, Invitation, Response, Answer, AnswerPriority)
    return created


def _analyze(*models) -> None:
    """Fresh planner statistics for the tables just filled.

    Statistics taken while a table was empty (after a flush, or a vacuum of rolled-back
    test rows) make PostgreSQL plan the results pages' joins for one row: nested loops
    that take minutes over the demo's thousands of answers. Autovacuum would catch up
    only later, and never on rows not yet committed (a test's).
    """
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def _create(member, cycle, r, version, questions, priorities, now) -> None:
    due = schedule.due_at(member_id=member.pk, registered_at=member.registered_at, cycle=cycle)
    answered = r.random() < (0.85 if member.ward.code in (CENTRAL, ST_ANDREWS) else 0.65)
    reminded = not answered or r.random() < 0.3
    invitation = Invitation.objects.create(
        member=member,
        cycle=cycle,
        round=round_for(due),
        version=version,
        ward=member.ward,
        street=member.street,
        due_at=due,
        created_at=due,
        closes_at=due + timedelta(days=settings.SURVEYS_OPEN_DAYS),
        reminder_at=due + timedelta(days=settings.SURVEYS_REMINDER_DAYS) if reminded else None,
    )
    if not answered:
        return
    submitted = min(due + timedelta(days=r.uniform(0.1, 12 if reminded else 6)), now)
    response = Response.objects.create(
        invitation=invitation,
        member=member,
        version=version,
        round=invitation.round,
        ward=member.ward,
        street=member.street,
        via=Response.Via.LINK if r.random() < 0.85 else Response.Via.ACCOUNT,
        started_at=submitted - timedelta(minutes=4),
        updated_at=submitted,
        submitted_at=submitted,
    )
    code = member.ward.code if member.ward.code in SCALES else None
    for key, (mean, drift) in SCALES[code].items():
        Answer.objects.create(
            response=response, question=questions[key], scale_value=_scale(r, mean + drift * cycle)
        )
    weights = PRIORITY_WEIGHTS[code]
    ranked = _weighted(r, weights, r.choice((1, 2, 3, 3, 3)))
    answer = Answer.objects.create(response=response, question=questions["priorities"])
    AnswerPriority.objects.bulk_create(
        AnswerPriority(answer=answer, priority=priorities[slug], rank=i + 1)
        for i, slug in enumerate(ranked)
    )
    concerns = _weighted(r, weights, r.choice((0, 1, 1, 2, 3)))
    if concerns:
        answer = Answer.objects.create(response=response, question=questions["concerns"])
        AnswerPriority.objects.bulk_create(
            AnswerPriority(answer=answer, priority=priorities[slug]) for slug in concerns
        )
    if r.random() < 0.25:
        Answer.objects.create(
            response=response, question=questions["comments"], text=r.choice(COMMENTS)
        )
