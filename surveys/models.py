"""The quarterly public survey: templates with versions, rounds, invitations, answers.

A survey template (``Survey``) is edited by admins as a draft ``SurveyVersion``; once
published, a version and its questions never change, and every invitation, response
and answer points at the version it was made with. Editing a template therefore never
changes an answer already given: the next edit starts a new draft version.

Questions keep a stable ``key`` across versions ("trust", "confidence", "safe_day",
"safe_dark", "priorities", "concerns", "comments") so results and the targeting app
can compare quarters answered on different versions.

Each member is invited once per three-month cycle counted from their registration
(``Invitation`` is unique per member and cycle); the calendar quarter the invitation
went out in is its ``Round``, the unit results are reported by.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Member
from areas.models import Area, Street


class Priority(models.Model):
    """One local policing priority (taxonomy loaded from fixtures/priorities.json)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.name


class Survey(models.Model):
    """A survey template admins edit in the app. One is active: the quarterly survey."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    is_active = models.BooleanField(
        default=False, help_text="The survey members are invited to every three months."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="survey_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SurveyVersion(models.Model):
    """One version of a template. Drafts are edited; published versions are frozen."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    thanks = models.TextField(blank=True, help_text="Shown after the survey is sent.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="surveyversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    def pages(self) -> list[int]:
        return sorted({q.page for q in self.questions.all()})


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("5-point scale")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice from the priorities")
        RANKING = "ranking", _("Top three of the priorities")
        TEXT = "text", _("Free text")

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        max_length=40, help_text="Stays the same across versions so quarters compare."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    page = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=0)
    required = models.BooleanField(default=False)
    # SCALE: five labels, 1 (lowest) to 5 (highest). SINGLE: the options, as
    # [{"value": "...", "label": "..."}].
    options = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["version", "page", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_unique_key"),
        ]
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return f"{self.key}: {self.text}"


class Round(models.Model):
    """A calendar quarter: invitations are reported by the quarter they went out in."""

    starts_on = models.DateField(unique=True)
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return quarter_label(self.starts_on)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(start: date) -> str:
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


class Invitation(models.Model):
    """One member invited for one cycle (every three months from their registration).

    Unique per (member, cycle): two beat processes, a retried task or two workers can
    only ever create one. On erasure ``member`` is set to null; the row stays so
    response rates stay right.
    """

    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_invitations"
    )
    cycle = models.PositiveIntegerField(help_text="1 for the first three months, and so on.")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="invitations")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="invitations")
    # Where the member lived when invited.
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="survey_invitations")
    street = models.ForeignKey(
        Street, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_invitations"
    )
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    closes_at = models.DateTimeField(help_text="Answers are accepted until then.")
    reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "cycle"], name="invitation_one_per_cycle")
        ]
        indexes = [models.Index(fields=["round", "ward"])]

    def __str__(self) -> str:
        return f"Invitation {self.pk} (cycle {self.cycle})"

    def is_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.closes_at


class Response(models.Model):
    """A member's answers to one invitation, saved as they go; one per invitation.

    ``submitted_at`` is null while the response is a draft. ``ward`` and ``street`` are
    where the respondent lived when they answered. On erasure ``member`` is set to null
    and free text is emptied; the other answers stay as anonymous statistics.
    """

    class Via(models.TextChoices):
        LINK = "link", _("Invitation link")
        ACCOUNT = "account", _("Signed in")
        # Taken on the doorstep by an officer with the resident (targeting's set-ups).
        STAFF = "staff", _("Taken by staff")

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="survey_responses")
    street = models.ForeignKey(
        Street, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.LINK)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["round", "ward"]),
            models.Index(fields=["ward", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk}"


class Answer(models.Model):
    """The answer to one question. Which field holds it depends on the question's kind."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    scale_value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    choice = models.CharField(max_length=60, blank=True)
    text = models.TextField(blank=True)
    priorities = models.ManyToManyField(
        Priority, through="AnswerPriority", blank=True, related_name="answers"
    )

    class Meta:
        ordering = ["response", "question__page", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_one_per_question"
            ),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | Q(scale_value__gte=1, scale_value__lte=5),
                name="answer_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class AnswerPriority(models.Model):
    """A priority named in an answer: ranked 1..3 (top three), or ticked (rank null)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="priority_rows")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="answer_rows")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["answer", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "priority"], name="answerpriority_once"),
            models.UniqueConstraint(
                fields=["answer", "rank"],
                condition=Q(rank__isnull=False),
                name="answerpriority_rank_once",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1, rank__lte=3),
                name="answerpriority_rank_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority} ({self.rank or '-'})"
