"""Which version of an officer's message each member gets, by what they said.

alerts cannot read survey answers (surveys sits above it): surveys registers a
:class:`VersionChooser` from its ``AppConfig.ready()``, as it registers its renderers.
The chooser says, in SQL, which of an audience raised one of the message's priorities
in their latest answers, and which answered at all. Members who raised one get the
"You said, we did" version, others who answered the general one, and those who never
answered the version that invites them to. Without a chooser everyone gets the general
version.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from django.db.models import Case, CharField, Count, QuerySet, Value, When

from accounts.models import Member

from .models import Version


class VersionChooser(Protocol):
    def priority_choices(self) -> list[tuple[str, str]]:
        """(slug, name) of every survey priority, for the compose form."""

    def raised(
        self, members: QuerySet[Member], *, priorities: Sequence[str], now: datetime
    ) -> QuerySet[Member]:
        """Those of ``members`` who raised one of ``priorities`` in their latest answers."""

    def answered(self, members: QuerySet[Member], *, now: datetime) -> QuerySet[Member]:
        """Those of ``members`` who have answered the survey."""


_CHOOSER: list[VersionChooser] = []


def register_version_chooser(chooser: VersionChooser) -> None:
    _CHOOSER[:] = [chooser]


def chooser() -> VersionChooser | None:
    return _CHOOSER[0] if _CHOOSER else None


def priority_choices() -> list[tuple[str, str]]:
    found = chooser()
    return found.priority_choices() if found else []


def priority_names(slugs: Sequence[str]) -> list[str]:
    names = dict(priority_choices())
    return [str(names.get(slug, slug)) for slug in slugs]


def with_versions(
    members: QuerySet[Member], *, priorities: Sequence[str], now: datetime
) -> QuerySet[Member]:
    """``members`` annotated with ``version``: the Version value each one gets."""
    found = chooser()
    if found is None:
        return members.annotate(version=Value(Version.GENERAL, output_field=CharField()))
    said = (
        found.raised(members, priorities=priorities, now=now).values("pk")
        if priorities
        else Member.objects.none().values("pk")
    )
    answered = found.answered(members, now=now).values("pk")
    return members.annotate(
        version=Case(
            When(pk__in=said, then=Value(Version.SAID)),
            When(pk__in=answered, then=Value(Version.GENERAL)),
            default=Value(Version.INVITE),
            output_field=CharField(),
        )
    )


def version_counts(
    members: QuerySet[Member], *, priorities: Sequence[str], now: datetime
) -> dict[str, int]:
    """How many of ``members`` get each version (every version, zero included)."""
    counts = dict.fromkeys(Version.values, 0)
    rows = (
        with_versions(members, priorities=priorities, now=now)
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values_list("version", "n")
    )
    for version, n in rows:
        counts[version] = n
    return counts
