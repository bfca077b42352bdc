"""Reference data from fixtures/: the priority taxonomy and the default survey.

Used by the data migrations (with historical models) and by the demo and tests (with
the real ones), so the fixtures are read in one place.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def load_priorities(Priority) -> None:
    rows = json.loads((FIXTURES / "priorities.json").read_text())
    for row in rows:
        fields = dict(row["fields"])
        Priority.objects.update_or_create(slug=fields.pop("slug"), defaults=fields)


def load_default_survey(Survey, SurveyVersion, Question) -> None:
    """Published version 1 of the default survey, once; admins change it in the app."""
    data = json.loads((FIXTURES / "default_survey.json").read_text())
    if Survey.objects.filter(slug=data["slug"]).exists():
        return
    survey = Survey.objects.create(
        slug=data["slug"],
        name=data["name"],
        is_active=not Survey.objects.filter(is_active=True).exists(),
    )
    version = SurveyVersion.objects.create(
        survey=survey,
        number=1,
        title=data["title"],
        introduction=data["introduction"],
        thanks=data["thanks"],
        published_at=timezone.now(),
    )
    for question in data["questions"]:
        Question.objects.create(version=version, **question)


def ensure_reference_data() -> None:
    """Both, with the current models (after a test flushed the database, or for the demo)."""
    from .models import Priority, Question, Survey, SurveyVersion

    load_priorities(Priority)
    load_default_survey(Survey, SurveyVersion, Question)
