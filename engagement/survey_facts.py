"""What engagement shows of the survey: priority names, votes and results by quarter.

engagement and surveys sit side by side (neither imports the other), so an app above
both (targeting) registers a :class:`SurveyFacts` from its ``AppConfig.ready()``, as
surveys registers its version chooser with alerts. Everything it returns has been through
the surveys results pipeline (``surveys.published.publish``), so counts and shares of
fewer than 10 respondents are None. Without a registration, engagement shows slugs and
no votes or results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from areas.models import Area


@dataclass(frozen=True)
class Vote:
    slug: str
    name: str
    count: int | None  # None: fewer than 10, not shown
    share: float | None


@dataclass(frozen=True)
class Snapshot:
    """The published results of one ward and quarter."""

    quarter: str
    starts_on: date
    respondents: int | None  # None: fewer than 10 answered
    trust: float | None
    confidence: float | None
    votes: list[Vote] = field(default_factory=list)

    def votes_for(self, slugs: Sequence[str]) -> list[Vote]:
        return [v for v in self.votes if v.slug in slugs]


class SurveyFacts(Protocol):
    def priority_choices(self) -> list[tuple[str, str]]:
        """(slug, name) of every survey priority, in the taxonomy's order."""

    def snapshot(self, *, area: Area, on: date) -> Snapshot | None:
        """The published results of the latest quarter starting on or before ``on``."""

    def snapshot_after(self, *, area: Area, on: date) -> Snapshot | None:
        """The published results of the latest quarter starting after ``on``."""


_FACTS: list[SurveyFacts] = []


def register_survey_facts(facts: SurveyFacts) -> None:
    _FACTS[:] = [facts]


def _facts() -> SurveyFacts | None:
    return _FACTS[0] if _FACTS else None


def priority_choices() -> list[tuple[str, str]]:
    found = _facts()
    return found.priority_choices() if found else []


def priority_names(slugs: Sequence[str]) -> list[str]:
    names = dict(priority_choices())
    return [str(names.get(slug, slug)) for slug in slugs]


def snapshot(*, area: Area, on: date) -> Snapshot | None:
    found = _facts()
    return found.snapshot(area=area, on=on) if found else None


def snapshot_after(*, area: Area, on: date) -> Snapshot | None:
    found = _facts()
    return found.snapshot_after(area=area, on=on) if found else None
