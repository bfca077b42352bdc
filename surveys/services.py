"""Writes for the quarterly survey: invitations, reminders and answers.

Invitations and reminders are made by the dispatch task (Celery beat) and go out
through the outbox (``alerts``). Each service takes ``now`` so tests control the clock.
Template editing lives in :mod:`surveys.editing`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Member
from alerts.models import Message
from alerts.services import deliveries_create_select
from areas.models import Area, Street

from . import schedule
from .models import (
    Answer,
    AnswerPriority,
    Invitation,
    Priority,
    Question,
    Response,
    Round,
    SurveyVersion,
    quarter_label,
)
from .selectors import current_version

logger = logging.getLogger(__name__)


# --- Rounds ----------------------------------------------------------------------------------


def round_for(moment: datetime) -> Round:
    """The round (calendar quarter) ``moment`` falls in, created the first time."""
    start = schedule.round_start_for(moment)
    end_month = start.month + 2
    ends = start.replace(month=end_month, day=1)
    ends = (ends.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    round_, _created = Round.objects.get_or_create(starts_on=start, defaults={"ends_on": ends})
    return round_


def round_message(*, round_: Round, kind: str) -> Message:
    """The outbox message for a round's invitations or reminders (one each per round)."""
    part = "invitation" if kind == Message.Kind.SURVEY_INVITATION else "reminder"
    subject = (
        _("Your quarterly survey: how is policing where you live?")
        if part == "invitation"
        else _("Reminder: your quarterly survey")
    )
    message, _created = Message.objects.get_or_create(
        key=f"survey:{round_.starts_on.isoformat()}:{part}",
        defaults={
            "kind": kind,
            "subject": str(subject),
            "body": f"{quarter_label(round_.starts_on)}",
            "status": Message.Status.SENT,
            "sent_at": timezone.now(),
        },
    )
    return message


# One channel per invitation: email unless the member only takes text messages (the
# columns of accounts_member ``m``).
SURVEY_CHANNEL_SQL = (
    "CASE WHEN NOT m.by_email AND m.by_sms AND m.phone <> '' THEN 'sms' ELSE 'email' END"
)
# The outbox recipients for invitations just made or claimed (``%(invitations)s``), each
# to its round's message (``%(rounds)s`` and ``%(messages)s``, paired).
INVITED_RECIPIENTS_SQL = f"""
SELECT msg.message_id, i.member_id, {SURVEY_CHANNEL_SQL} AS channel,
       jsonb_build_object('invitation', i.id) AS context, '' AS version
FROM surveys_invitation i
JOIN accounts_member m ON m.id = i.member_id
JOIN unnest(%(rounds)s::bigint[], %(messages)s::bigint[]) AS msg(round_id, message_id)
  ON msg.round_id = i.round_id
WHERE i.id = ANY(%(invitations)s::bigint[])
"""  # noqa: S608 - constants


def _queue(invitations: list[int], *, kind: str, now: datetime) -> int:
    """Outbox deliveries for the invitations (ids) just made or claimed, in one statement."""
    if not invitations:
        return 0
    of_invitations = RawSQL(
        "SELECT round_id FROM surveys_invitation WHERE id = ANY(%s::bigint[])", [invitations]
    )
    rounds = list(Round.objects.filter(pk__in=of_invitations).order_by("pk"))
    messages = [round_message(round_=round_, kind=kind).pk for round_ in rounds]
    params = {"invitations": invitations, "rounds": [r.pk for r in rounds], "messages": messages}
    made = deliveries_create_select(recipients=INVITED_RECIPIENTS_SQL, params=params, now=now)
    return len(made)


# --- Dispatch --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchSummary:
    invited: int
    reminded: int


# The members due among ids first..last (``schedule.DUE_SQL``) invited in one statement;
# every value is a query parameter.
INVITE_SQL = f"""
WITH due AS ({schedule.DUE_SQL})
INSERT INTO surveys_invitation
    (member_id, cycle, round_id, version_id, ward_id, street_id, due_at, created_at, closes_at)
SELECT d.member_id, d.cycle, r.id, %(version)s, d.ward_id, d.street_id, d.due_at,
       %(now)s, %(closes)s
FROM due d
JOIN surveys_round r
  ON r.starts_on = date_trunc('quarter', d.due_at AT TIME ZONE %(tz)s)::date
ORDER BY d.member_id
ON CONFLICT (member_id, cycle) DO NOTHING
RETURNING id
"""  # noqa: S608 - constants


def _member_ids() -> tuple[int, int]:
    bounds = Member.objects.aggregate(first=Min("pk"), last=Max("pk"))
    return bounds["first"] or 0, bounds["last"] or 0


def invitations_dispatch(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Invite every member who is due; return how many were invited by this call.

    Members are taken in ranges of ``SURVEYS_DISPATCH_MEMBERS`` ids, each range in its own
    transaction and in two statements: those due are found and inserted as invitations
    with ON CONFLICT DO NOTHING on (member, cycle), and only the rows this call inserted
    get a delivery, in the same transaction. A second dispatcher running at the same
    time waits on the same rows and then skips them, so each member gets one invitation
    per cycle and one delivery for it. With ``limit``, only that many of those due are
    invited.
    """
    now = now or timezone.now()
    version = current_version()
    if version is None:
        logger.warning("no published version of an active survey: nobody invited")
        return 0
    catch_up = timedelta(days=settings.SURVEYS_CATCH_UP_DAYS)
    for moment in (now - catch_up, now):
        round_for(moment)
    params = {
        "prime": schedule.SPREAD_PRIME,
        "spread_hours": schedule.spread_hours(),
        "step": settings.SURVEYS_CYCLE_MONTHS,
        "now": now,
        "catch_up": catch_up,
        "version": version.pk,
        "closes": now + timedelta(days=settings.SURVEYS_OPEN_DAYS),
        "tz": settings.TIME_ZONE,
    }
    first, last = _member_ids()
    span = settings.SURVEYS_DISPATCH_MEMBERS
    invited = 0
    for start in range(first, last + 1, span):
        if limit is not None and invited >= limit:
            break
        range_params = params | {
            "first": start,
            "last": start + span - 1,
            "limit": None if limit is None else limit - invited,
        }
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(INVITE_SQL, range_params)
            made = [row[0] for row in cursor.fetchall()]
            _queue(made, kind=Message.Kind.SURVEY_INVITATION, now=now)
        invited += len(made)
    return invited


def reminders_dispatch(*, now: datetime | None = None) -> int:
    """One reminder for invitations still unanswered after ``SURVEYS_REMINDER_DAYS``.

    ``reminder_at`` is set with a conditional UPDATE on rows locked for this call, and
    only rows this call updated get a delivery: never two reminders.
    """
    now = now or timezone.now()
    reminded = 0
    while True:
        with transaction.atomic():
            candidates = list(
                Invitation.objects.filter(
                    reminder_at__isnull=True,
                    member__isnull=False,
                    member__messages_stopped_at__isnull=True,
                    member__user__is_active=True,
                    created_at__lte=now - timedelta(days=settings.SURVEYS_REMINDER_DAYS),
                    closes_at__gt=now,
                )
                .exclude(response__submitted_at__isnull=False)
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)[: settings.SURVEYS_DISPATCH_BATCH]
            )
            if not candidates:
                return reminded
            # The rows are locked by this call, so the conditional update takes them all.
            Invitation.objects.filter(pk__in=candidates, reminder_at__isnull=True).update(
                reminder_at=now
            )
            _queue(candidates, kind=Message.Kind.SURVEY_REMINDER, now=now)
        reminded += len(candidates)


def dispatch(*, now: datetime | None = None) -> DispatchSummary:
    now = now or timezone.now()
    return DispatchSummary(
        invited=invitations_dispatch(now=now), reminded=reminders_dispatch(now=now)
    )


# --- Answers ---------------------------------------------------------------------------------


class SurveyClosed(Exception):
    """The invitation no longer takes answers (closed, or the member has gone)."""


class ResponseIncomplete(Exception):
    def __init__(self, missing: list[Question]):
        super().__init__(", ".join(q.key for q in missing))
        self.missing = missing


def response_start(*, invitation: Invitation, via: str, now: datetime | None = None) -> Response:
    """The invitation's response, created empty the first time (one per invitation)."""
    now = now or timezone.now()
    if invitation.member_id is None or not invitation.is_open(now):
        raise SurveyClosed
    existing = Response.objects.filter(invitation=invitation).first()
    if existing is not None:
        return existing
    member = invitation.member
    try:
        with transaction.atomic():
            return Response.objects.create(
                invitation=invitation,
                member=member,
                version_id=invitation.version_id,
                round_id=invitation.round_id,
                ward_id=member.ward_id,
                street_id=member.street_id,
                via=via,
                started_at=now,
                updated_at=now,
            )
    except IntegrityError:  # the same person in two tabs at once
        return Response.objects.get(invitation=invitation)


AnswerValue = int | str | list[Priority] | None


@transaction.atomic
def response_save_page(
    *,
    response: Response,
    answers: dict[Question, AnswerValue],
    now: datetime | None = None,
) -> None:
    """Save the answers to one page (saved as the person goes). Empty answers are removed.

    Scale answers are 1..5; single choice a value; free text a string; multiple choice
    a list of priorities; a ranking a list of up to three priorities, most important first.
    """
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=response.invitation_id)
    if invitation.member_id is None or not invitation.is_open(now):
        raise SurveyClosed
    for question, value in answers.items():
        if question.version_id != response.version_id:
            raise ValueError("question from another version")
        _save_answer(response, question, value)
    member = invitation.member
    # Where the respondent lives when they answer.
    Response.objects.filter(pk=response.pk).update(
        updated_at=now, ward_id=member.ward_id, street_id=member.street_id
    )


def _save_answer(response: Response, question: Question, value: AnswerValue) -> None:
    kind = Question.Kind
    if value in (None, "", []):
        Answer.objects.filter(response=response, question=question).delete()
        return
    answer, _created = Answer.objects.get_or_create(response=response, question=question)
    answer.scale_value = int(value) if question.kind == kind.SCALE else None
    answer.choice = str(value) if question.kind == kind.SINGLE else ""
    answer.text = str(value).strip() if question.kind == kind.TEXT else ""
    answer.save(update_fields=["scale_value", "choice", "text"])
    if question.kind in (kind.MULTIPLE, kind.RANKING):
        answer.priority_rows.all().delete()
        ranked = question.kind == kind.RANKING
        AnswerPriority.objects.bulk_create(
            AnswerPriority(answer=answer, priority=p, rank=(i + 1) if ranked else None)
            for i, p in enumerate(value[:3] if ranked else value)
        )


def missing_answers(response: Response) -> list[Question]:
    answered = set(response.answers.values_list("question_id", flat=True))
    return [q for q in response.version.questions.filter(required=True) if q.pk not in answered]


@transaction.atomic
def response_submit(*, response: Response, now: datetime | None = None) -> Response:
    """Send the response. Sending again later keeps it one response, with the new answers."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=response.invitation_id)
    if invitation.member_id is None or not invitation.is_open(now):
        raise SurveyClosed
    missing = missing_answers(response)
    if missing:
        raise ResponseIncomplete(missing)
    response.submitted_at = response.submitted_at or now
    response.updated_at = now
    response.save(update_fields=["submitted_at", "updated_at"])
    return response


@transaction.atomic
def response_taken_by_staff(
    *,
    version: SurveyVersion,
    ward: Area,
    street: Street | None,
    answers: dict[Question, AnswerValue],
    now: datetime | None = None,
) -> Response:
    """The survey an officer took with a resident on the doorstep, marked as taken by staff.

    The resident need not be a member, and the response is nobody's: an invitation of
    nobody (cycle 0) holds it, and it is submitted at once. Raises ResponseIncomplete
    (and writes nothing) when a required question has no answer.
    """
    now = now or timezone.now()
    round_ = round_for(now)
    invitation = Invitation.objects.create(
        member=None, cycle=0, round=round_, version=version, ward=ward, street=street,
        due_at=now, created_at=now, closes_at=now,
    )  # fmt: skip
    response = Response.objects.create(
        invitation=invitation, member=None, version=version, round=round_, ward=ward,
        street=street, via=Response.Via.STAFF, started_at=now, updated_at=now, submitted_at=now,
    )  # fmt: skip
    for question, value in answers.items():
        if question.version_id != version.pk:
            raise ValueError("question from another version")
        _save_answer(response, question, value)
    missing = missing_answers(response)
    if missing:
        raise ResponseIncomplete(missing)  # leaving the atomic block undoes it all
    return response
