"""Household coverage month by month: members as a share of households.

Members are the confirmed members of active accounts who have not stopped messages,
counted at the end of each month by when they registered (members who left are not in
any month: erased accounts leave nothing behind). Households are the Census 2021
households (TS041) of the output areas of each area. A share is shown only where both
counts may be (``core.disclosure.share``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Member
from areas.models import Area, OutputArea
from core import disclosure

MONTHS = 12


def month_starts(end: date, n: int = MONTHS) -> list[date]:
    """The first days of the ``n`` months ending with ``end``'s month, oldest first."""
    y, m = end.year, end.month
    out = []
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _members_by_ward_month(ward_ids: list[int], first: date) -> tuple[dict, dict]:
    """(members registered before ``first`` per ward, per (ward, month) registrations)."""
    qs = Member.objects.confirmed().filter(
        ward_id__in=ward_ids, user__is_active=True, messages_stopped_at__isnull=True
    )
    before = dict(
        qs.filter(registered_at__date__lt=first)
        .values("ward_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("ward_id", "n")
    )
    during = defaultdict(int)
    rows = (
        qs.filter(registered_at__date__gte=first)
        .annotate(month=TruncMonth("registered_at"))
        .values("ward_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        month = r["month"].date() if isinstance(r["month"], datetime) else r["month"]
        during[(r["ward_id"], month)] += r["n"]
    return before, during


@dataclass(frozen=True)
class Series:
    area: Area
    households: int | None
    members: list[int | None]  # per month, None: hidden
    shares: list[float | None]


@dataclass(frozen=True)
class Coverage:
    months: list[date]
    series: list[Series]  # the area first, then its parts in scope


def coverage_over_time(*, areas: list[tuple[Area, list[int]]], today: date | None = None):
    """Per (area, its ward ids in scope), members and the share of households per month."""
    months = month_starts(today or timezone.localdate())
    all_wards = sorted({w for _a, wards in areas for w in wards})
    before, during = _members_by_ward_month(all_wards, months[0])
    households = dict(
        OutputArea.objects.filter(ward_id__in=all_wards)
        .values("ward_id")
        .annotate(n=Sum("households"))
        .order_by()
        .values_list("ward_id", "n")
    )
    series = []
    for area, wards in areas:
        running = sum(before.get(w, 0) for w in wards)
        members, shares = [], []
        homes = sum(households.get(w) or 0 for w in wards)
        for month in months:
            running += sum(during.get((w, month), 0) for w in wards)
            members.append(disclosure.count(running))
            shares.append(disclosure.share(running, homes) if homes else None)
        series.append(Series(area, homes or None, members, shares))
    return Coverage(months, series)
