"""The survey's personal data, registered with ``accounts.personal_data``.

On erasure, survey answers stay as anonymous statistics: invitations and responses
lose the link to the member (``member`` set to null) and keep only where the person
lived (ward and street) and the quarter. Free-text answers are emptied: a comment
can name or describe its writer in ways no filter reliably finds, so none is kept.
Scale, choice and priority answers hold nothing that identifies anyone and are kept.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts import personal_data

from .models import Answer, Invitation, Response, SurveyVersion


def anonymise_answers(answers: QuerySet) -> None:
    answers.exclude(text="").update(text="")


def anonymise_responses(responses: QuerySet) -> None:
    anonymise_answers(Answer.objects.filter(response__in=responses))
    responses.update(member=None)


def anonymise_invitations(invitations: QuerySet) -> None:
    invitations.update(member=None)


def register_survey_models() -> None:
    personal_data.register(
        Invitation,
        member_path="member",
        label=_("Survey invitations"),
        fields=("round", "cycle", "ward", "street", "created_at", "closes_at", "reminder_at"),
        erase="anonymise",
        anonymise=anonymise_invitations,
    )
    # Registered before responses: erasure anonymises in this order, and responses
    # lose the member link (which finds these answers) last.
    personal_data.register(
        Answer,
        member_path="response__member",
        label=_("Survey answers"),
        fields=("response", "question__text", "scale_value", "choice", "priorities", "text"),
        erase="anonymise",
        anonymise=anonymise_answers,
    )
    personal_data.register(
        Response,
        member_path="member",
        label=_("Survey responses"),
        fields=("round", "ward", "street", "via", "started_at", "updated_at", "submitted_at"),
        erase="anonymise",
        anonymise=anonymise_responses,
    )
    # Versions edited by staff who are also members: kept, without the editor.
    personal_data.register(
        SurveyVersion,
        member_path="created_by__member",
        label=_("Survey versions you edited as staff"),
        fields=("survey", "number", "created_at", "published_at"),
        erase="anonymise",
        anonymise=lambda qs: qs.update(created_by=None),
    )


def survey_activity(since):
    """Members who answered a survey since ``since``: active, for retention."""
    from .models import Response

    return Response.objects.filter(submitted_at__gte=since, member__isnull=False).values(
        "member_id"
    )
