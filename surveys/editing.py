"""Editing survey templates. Published versions never change: edits go to a draft.

An admin edits a draft version; publishing it makes it the version new invitations
use. Invitations, responses and answers keep pointing at the version (and questions)
they were made with, so a change never alters an answer already given.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User

from .models import Question, Survey, SurveyVersion


class VersionFrozen(Exception):
    """Published versions cannot be edited; make a new draft."""


class VersionEmpty(Exception):
    pass


def _check_draft(version: SurveyVersion) -> None:
    if not version.is_draft:
        raise VersionFrozen(f"{version} is published")


@transaction.atomic
def version_draft(*, survey: Survey, user: User | None) -> SurveyVersion:
    """The survey's draft: the existing one, or a copy of the latest version to edit."""
    Survey.objects.select_for_update().get(pk=survey.pk)
    draft = survey.versions.filter(published_at__isnull=True).order_by("-number").first()
    if draft is not None:
        return draft
    latest = survey.versions.order_by("-number").first()
    number = (survey.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = SurveyVersion.objects.create(
        survey=survey,
        number=number,
        title=latest.title if latest else survey.name,
        introduction=latest.introduction if latest else "",
        thanks=latest.thanks if latest else "",
        created_by=user,
    )
    if latest is not None:
        Question.objects.bulk_create(
            Question(
                version=draft,
                key=q.key,
                kind=q.kind,
                text=q.text,
                help_text=q.help_text,
                page=q.page,
                order=q.order,
                required=q.required,
                options=q.options,
            )
            for q in latest.questions.all()
        )
    return draft


def version_update(*, version: SurveyVersion, title: str, introduction: str, thanks: str) -> None:
    _check_draft(version)
    version.title, version.introduction, version.thanks = title, introduction, thanks
    version.save(update_fields=["title", "introduction", "thanks"])


@transaction.atomic
def question_save(*, version: SurveyVersion, question: Question | None, **fields) -> Question:
    _check_draft(version)
    if question is None:
        return Question.objects.create(version=version, **fields)
    if question.version_id != version.pk:
        raise ValueError("question from another version")
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    return question


def question_delete(*, question: Question) -> None:
    _check_draft(question.version)
    question.delete()


@transaction.atomic
def version_publish(*, version: SurveyVersion, now: datetime | None = None) -> SurveyVersion:
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    _check_draft(version)
    if not version.questions.exists():
        raise VersionEmpty("a version needs at least one question")
    version.published_at = now or timezone.now()
    version.save(update_fields=["published_at"])
    return version


@transaction.atomic
def survey_activate(*, survey: Survey) -> None:
    """Make this the survey members are invited to (one at a time)."""
    Survey.objects.exclude(pk=survey.pk).filter(is_active=True).update(is_active=False)
    Survey.objects.filter(pk=survey.pk).update(is_active=True)
