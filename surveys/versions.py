"""Which version of an officer's message each member gets (alerts.versions asks surveys).

alerts sits below surveys and cannot read answers: this chooser, registered from
``SurveysConfig.ready()``, says in SQL who of an audience raised one of a message's
priorities in their latest submitted survey (as a top priority or a concern), and who
has answered at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from accounts.models import Member

from .models import AnswerPriority, Priority, Response
from .selectors import CONCERNS_KEY, PRIORITIES_KEY


def _submitted(*, now: datetime) -> QuerySet[Response]:
    return Response.objects.filter(
        member=OuterRef("pk"), submitted_at__isnull=False, submitted_at__lte=now
    )


class SurveyVersionChooser:
    def priority_choices(self) -> list[tuple[str, str]]:
        return list(Priority.objects.order_by("order", "name").values_list("slug", "name"))

    def raised(
        self, members: QuerySet[Member], *, priorities: Sequence[str], now: datetime
    ) -> QuerySet[Member]:
        latest = _submitted(now=now).order_by("-submitted_at", "-pk").values("pk")[:1]
        named = AnswerPriority.objects.filter(
            answer__response_id=OuterRef("_latest_response"),
            answer__question__key__in=(PRIORITIES_KEY, CONCERNS_KEY),
            priority__slug__in=list(priorities),
        )
        return members.alias(_latest_response=Subquery(latest)).filter(Exists(named))

    def answered(self, members: QuerySet[Member], *, now: datetime) -> QuerySet[Member]:
        return members.filter(Exists(_submitted(now=now)))
