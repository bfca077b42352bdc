"""Survey data for tests: members in bulk, invitations and answered responses.

Members in bulk are inserted with ``bulk_create`` (thousands in well under a second)
at real Hull postcodes, so their wards are real wards of the loaded geography.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Member, User
from areas.models import Area, Postcode, Street
from surveys import schedule
from surveys.models import (
    Answer,
    AnswerPriority,
    Invitation,
    Priority,
    Question,
    Response,
    SurveyVersion,
)
from surveys.selectors import current_version
from surveys.services import round_for

_batch = itertools.count(1)
HULL_POSTCODES = ("HU1 2PD", "HU1 3QX", "HU1 1AA")


def bulk_members(
    count: int,
    *,
    registered_at: datetime,
    postcodes: Sequence[str] = HULL_POSTCODES,
    street: Street | None = None,
    confirmed: bool = True,
    **member_fields,
) -> list[Member]:
    """``count`` members registered at the same moment, spread over ``postcodes``.

    Their email addresses are confirmed unless ``confirmed=False``.
    """
    batch = next(_batch)
    users = User.objects.bulk_create(
        User(email=f"bulk{batch}-{i}@example.test", name=f"Bulk {i}", password="!")
        for i in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=confirmed, primary=True)
        for user in users
    )
    places = list(Postcode.objects.filter(code__in=postcodes, ward__isnull=False))
    assert places, "the postcodes are not loaded"
    members = Member.objects.bulk_create(
        Member(
            user=user,
            postcode=places[i % len(places)],
            ward_id=places[i % len(places)].ward_id,
            street=street,
            registered_at=registered_at,
            **member_fields,
        )
        for i, user in enumerate(users)
    )
    return members


def skip_member_ids(*, at_least: int = 1000, offset: timedelta | None = None) -> int:
    """Advance the member id sequence by ``at_least`` and return the next id.

    With ``offset``, the next id is also one whose spread offset is ``offset`` (whole
    hours under ``SURVEYS_SPREAD_DAYS``), so a test can choose where a member's anchor
    falls without depending on which ids other tests used.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('accounts_member', 'id'))")
        (next_id,) = cursor.fetchone()
        next_id += at_least
        while offset is not None and schedule.offset_for(next_id) != offset:
            next_id += 1
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('accounts_member', 'id'), %s, false)",
            [next_id],
        )
    return next_id


def version() -> SurveyVersion:
    found = current_version()
    assert found is not None, "the default survey is loaded by a migration"
    return found


def make_invitation(
    member: Member,
    *,
    cycle: int = 1,
    now: datetime | None = None,
    version_: SurveyVersion | None = None,
    ward: Area | None = None,
) -> Invitation:
    now = now or timezone.now()
    due = schedule.due_at(member_id=member.pk, registered_at=member.registered_at, cycle=cycle)
    return Invitation.objects.create(
        member=member,
        cycle=cycle,
        round=round_for(due),
        version=version_ or version(),
        ward=ward or member.ward,
        street=member.street,
        due_at=due,
        created_at=now,
        closes_at=now + timedelta(days=settings.SURVEYS_OPEN_DAYS),
    )


def make_response(
    invitation: Invitation,
    *,
    submitted_at: datetime | None = None,
    scales: dict[str, int] | None = None,
    priorities: Sequence[str] = (),
    concerns: Sequence[str] = (),
    comment: str = "",
    ward: Area | None = None,
    street: Street | None = None,
) -> Response:
    """A response with answers, written directly (the services are tested on their own)."""
    response = Response.objects.create(
        invitation=invitation,
        member=invitation.member,
        version=invitation.version,
        round=invitation.round,
        ward=ward or invitation.ward,
        street=street if street is not None else invitation.street,
        submitted_at=submitted_at,
    )
    questions = {q.key: q for q in invitation.version.questions.all()}
    for key, value in (scales or {}).items():
        Answer.objects.create(response=response, question=questions[key], scale_value=value)
    for key, slugs, ranked in (("priorities", priorities, True), ("concerns", concerns, False)):
        if slugs:
            answer = Answer.objects.create(response=response, question=questions[key])
            for i, slug in enumerate(slugs):
                AnswerPriority.objects.create(
                    answer=answer,
                    priority=Priority.objects.get(slug=slug),
                    rank=i + 1 if ranked else None,
                )
    if comment:
        Answer.objects.create(response=response, question=questions["comments"], text=comment)
    return response


def question(key: str, version_: SurveyVersion | None = None) -> Question:
    return (version_ or version()).questions.get(key=key)


def bulk_responses(
    *,
    ward: Area,
    round_,
    count: int,
    street: Street | None = None,
    scales: dict[str, int] | None = None,
    priorities: Sequence[str] = (),
    concerns: Sequence[str] = (),
    comment: str = "",
    submitted: bool = True,
    invitations_only: bool = False,
) -> list[Response]:
    """``count`` anonymous invitations in a ward (and street), answered alike unless
    ``invitations_only``. Fast: bulk inserts, no members (as after erasure)."""
    v = version()
    moment = datetime.combine(round_.starts_on, datetime.min.time(), tzinfo=UTC) + (
        timedelta(days=5)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(
            member=None,
            cycle=1,
            round=round_,
            version=v,
            ward=ward,
            street=street,
            due_at=moment,
            created_at=moment,
            closes_at=moment + timedelta(days=28),
        )
        for _ in range(count)
    )
    if invitations_only:
        return []
    responses = Response.objects.bulk_create(
        Response(
            invitation=inv,
            member=None,
            version=v,
            round=round_,
            ward=ward,
            street=street,
            started_at=moment,
            updated_at=moment,
            submitted_at=moment + timedelta(days=1) if submitted else None,
        )
        for inv in invitations
    )
    questions = {q.key: q for q in v.questions.all()}
    answers = []
    for r in responses:
        for key, value in (scales or {}).items():
            answers.append(Answer(response=r, question=questions[key], scale_value=value))
        if comment:
            answers.append(Answer(response=r, question=questions["comments"], text=comment))
        for key in ("priorities", "concerns"):
            if priorities if key == "priorities" else concerns:
                answers.append(Answer(response=r, question=questions[key]))
    answers = Answer.objects.bulk_create(answers)
    by_slug = {p.slug: p for p in Priority.objects.all()}
    rows = []
    for a in answers:
        if a.question.key == "priorities":
            rows += [AnswerPriority(answer=a, priority=by_slug[s], rank=i + 1)
                     for i, s in enumerate(priorities)]  # fmt: skip
        elif a.question.key == "concerns":
            rows += [AnswerPriority(answer=a, priority=by_slug[s]) for s in concerns]
    AnswerPriority.objects.bulk_create(rows)
    return responses


def round_at(year: int, quarter: int):
    from datetime import date

    from surveys.models import Round

    start = date(year, 3 * (quarter - 1) + 1, 1)
    end_month_first = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    r, _ = Round.objects.get_or_create(
        starts_on=start, defaults={"ends_on": end_month_first - timedelta(days=1)}
    )
    return r
