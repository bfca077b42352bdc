"""Reads for the quarterly survey.

The two aggregate functions at the top are a contract with the targeting app, which
builds street and ward scores from them:

- :func:`priority_shares` - what respondents want the police to focus on;
- :func:`confidence_means` - how much they trust the police and how confident they are.

Both count *submitted* responses only (drafts never count), by where the respondent
lived when they answered (``Response.ward`` / ``Response.street``), in a time window on
``submitted_at``. They return raw counts for calculations: anything shown to people
must go through :func:`surveys.published.publish` first (counts under 10 hidden, by
``core.disclosure``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TypedDict

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Member
from areas.models import Area

from .models import AnswerPriority, Invitation, Priority, Response, SurveyVersion

SCALE_KEYS = ("trust", "confidence", "safe_day", "safe_dark")
CONFIDENCE_KEYS = ("trust", "confidence")
PRIORITIES_KEY = "priorities"
CONCERNS_KEY = "concerns"
COMMENTS_KEY = "comments"

WardsArg = Iterable[Area] | Iterable[int] | QuerySet | None


def _submitted(qs: QuerySet, *, prefix: str, wards: WardsArg, start: datetime, end: datetime):
    """Submitted responses in [start, end), in ``wards`` (Areas, ids or a queryset)."""
    qs = qs.filter(
        **{
            f"{prefix}submitted_at__isnull": False,
            f"{prefix}submitted_at__gte": start,
            f"{prefix}submitted_at__lt": end,
        }
    )
    if wards is not None:
        qs = qs.filter(**{f"{prefix}ward__in": wards})
    return qs


class PriorityShareRow(TypedDict):
    ward_id: int
    street_id: int | None
    slug: str
    respondents: int
    mentions: int
    ranked: int
    first: int
    concerned: int


def priority_shares(
    *, wards: WardsArg = None, start: datetime, end: datetime
) -> list[PriorityShareRow]:
    """What respondents want the police to focus on, per (ward, street, priority).

    One row for every priority slug and every (ward_id, street_id) that had at least
    one submitted response in ``[start, end)`` (``street_id`` is None for respondents
    with no street). ``wards`` limits the wards (Areas, ids or a queryset); None = all.

    - ``respondents``: submitted responses in that ward and street;
    - ``mentions``: how many of them named the priority at all: ranked it in their top
      three ("priorities") or ticked it as a concern ("concerns"), counted once each;
    - ``ranked`` / ``first`` / ``concerned``: the parts (top three, first choice,
      ticked as a concern).

    The share is ``mentions / respondents``. Sum respondents and mentions over streets
    for a ward: every respondent is in exactly one (ward, street).
    """
    units = (
        _submitted(Response.objects.all(), prefix="", wards=wards, start=start, end=end)
        .values("ward_id", "street_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    response = "answer__response"
    key = "answer__question__key"
    counts = (
        _submitted(
            AnswerPriority.objects.filter(**{f"{key}__in": (PRIORITIES_KEY, CONCERNS_KEY)}),
            prefix=f"{response}__",
            wards=wards,
            start=start,
            end=end,
        )
        .values(f"{response}__ward_id", f"{response}__street_id", "priority__slug")
        .annotate(
            mentions=Count(f"{response}_id", distinct=True),
            ranked=Count(f"{response}_id", distinct=True, filter=Q(**{key: PRIORITIES_KEY})),
            first=Count(f"{response}_id", distinct=True, filter=Q(rank=1)),
            concerned=Count(f"{response}_id", distinct=True, filter=Q(**{key: CONCERNS_KEY})),
        )
        .order_by()
    )
    found = {
        (c[f"{response}__ward_id"], c[f"{response}__street_id"], c["priority__slug"]): c
        for c in counts
    }
    slugs = list(Priority.objects.values_list("slug", flat=True))
    rows: list[PriorityShareRow] = []
    for unit in units:
        for slug in slugs:
            c = found.get((unit["ward_id"], unit["street_id"], slug), {})
            rows.append(
                PriorityShareRow(
                    ward_id=unit["ward_id"],
                    street_id=unit["street_id"],
                    slug=slug,
                    respondents=unit["n"],
                    mentions=c.get("mentions", 0),
                    ranked=c.get("ranked", 0),
                    first=c.get("first", 0),
                    concerned=c.get("concerned", 0),
                )
            )
    return rows


class ConfidenceRow(TypedDict):
    ward_id: int
    street_id: int | None
    respondents: int
    trust_n: int
    trust_mean: float | None
    confidence_n: int
    confidence_mean: float | None
    # All trust and confidence answers together (each respondent up to twice).
    answers: int
    mean: float | None


def confidence_means(
    *, wards: WardsArg = None, start: datetime, end: datetime
) -> list[ConfidenceRow]:
    """Trust and confidence per (ward, street), on the 1..5 scale (5 = most).

    One row per (ward_id, street_id) with at least one submitted response in
    ``[start, end)``. ``respondents`` counts the responses; ``trust_n`` and
    ``confidence_n`` count those that answered each question and ``trust_mean`` /
    ``confidence_mean`` are their means (None when nobody answered). ``answers`` and
    ``mean`` pool both questions. To combine streets into a ward, weight each mean by
    its ``_n`` (or use ``answers`` for ``mean``).
    """
    base = _submitted(Response.objects.all(), prefix="", wards=wards, start=start, end=end)
    value = "answers__scale_value"
    key = "answers__question__key"
    trust, confidence = Q(**{key: "trust"}), Q(**{key: "confidence"})
    answered = Q(**{f"{key}__in": CONFIDENCE_KEYS, f"{value}__isnull": False})
    rows = (
        base.values("ward_id", "street_id")
        .annotate(
            respondents=Count("id", distinct=True),
            trust_n=Count("answers", filter=trust & answered),
            trust_mean=Avg(value, filter=trust & answered),
            confidence_n=Count("answers", filter=confidence & answered),
            confidence_mean=Avg(value, filter=confidence & answered),
            pooled_n=Count("answers", filter=answered),
            pooled_mean=Avg(value, filter=answered),
        )
        .order_by("ward_id", "street_id")
    )
    return [
        ConfidenceRow(
            ward_id=r["ward_id"],
            street_id=r["street_id"],
            respondents=r["respondents"],
            trust_n=r["trust_n"],
            trust_mean=_float(r["trust_mean"]),
            confidence_n=r["confidence_n"],
            confidence_mean=_float(r["confidence_mean"]),
            answers=r["pooled_n"],
            mean=_float(r["pooled_mean"]),
        )
        for r in rows
    ]


def _float(value) -> float | None:
    return None if value is None else float(value)


# --- Templates and invitations -------------------------------------------------------------


def current_version() -> SurveyVersion | None:
    """The latest published version of the active survey: what new invitations use."""
    return (
        SurveyVersion.objects.filter(survey__is_active=True, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


def open_invitation_for(member: Member, *, now: datetime | None = None) -> Invitation | None:
    """The member's invitation still taking answers (the newest), if any."""
    now = now or timezone.now()
    return (
        Invitation.objects.filter(member=member, closes_at__gt=now)
        .select_related("version", "round")
        .order_by("-created_at")
        .first()
    )
