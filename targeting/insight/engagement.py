"""Dashboards of engagement events and street contacts for an area.

Events are staff activity, counted as they are. What people said (the issues raised at
events and in street contacts) and counts of contacts are about people: they go through
``core.disclosure`` (an issue, a word or a count is shown only when at least the
threshold). The word cloud counts the words of the free text and the names of the
issues ticked, leaving out common words; each word's size is its band of the largest
count, and the same words and counts are in a table beside it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from areas.selectors import feature, geojson_wgs84
from core import disclosure
from engagement.models import CommunityContact, EngagementEvent, EventOutcome
from surveys.models import Priority

WINDOW_DAYS = 365
TOP_ISSUES = 5
CLOUD_WORDS = 30
_STOP = """a about after again all also am an and any are as at be been before being but by can
    could did do does doing down for from get got had has have having he her here him his how
    i if in into is it its just like me more most my near no not now of off on once only or
    other our out over own people said same she should so some such than that the their them
    then there these they this those through to too under up very was we were what when where
    which while who why will with would you your lot lots really still been being get getting
    """
STOPWORDS = frozenset(_STOP.split())
WORD = re.compile(r"[a-zA-Z\u00C0-\u017F'-]{3,}")


def words_of(text: str) -> list[str]:
    return [w for w in (m.lower().strip("'-") for m in WORD.findall(text)) if w not in STOPWORDS]


@dataclass(frozen=True)
class Count_:
    label: str
    n: int | None  # None: hidden


@dataclass(frozen=True)
class CloudWord:
    word: str
    n: int
    size: int  # 1..5


@dataclass(frozen=True)
class Dashboard:
    start: datetime
    events: int
    by_kind: list[Count_]
    by_month: list[Count_]
    by_officer: list[Count_]
    distinct_officers: int
    attendance: int | None
    contacts: int | None
    signup_offered: int | None
    signup_taken: int | None
    top_issues: list[Count_]
    cloud: list[CloudWord]
    upcoming: list[EngagementEvent]


def _events(wards, start):
    return EngagementEvent.objects.filter(ward__in=wards, starts_at__gte=start)


def dashboard(*, wards, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    start = now - timedelta(days=WINDOW_DAYS)
    events = _events(wards, start).filter(starts_at__lte=now)
    kinds = dict(EngagementEvent.Kind.choices)
    by_kind = [
        Count_(str(kinds.get(r["kind"], r["kind"])), r["n"])
        for r in events.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    months = Counter(e.strftime("%Y-%m") for e in events.values_list("starts_at", flat=True))
    by_month = [Count_(m, n) for m, n in sorted(months.items())]
    officers = (
        events.values("officers__name", "officers__email", "officers")
        .exclude(officers=None)
        .annotate(n=Count("id"))
        .order_by("-n", "officers__name")
    )
    by_officer = [Count_(r["officers__name"] or r["officers__email"], r["n"]) for r in officers]
    outcomes = EventOutcome.objects.filter(event__in=events)
    contacts = CommunityContact.objects.filter(ward__in=wards, met_at__gte=start, met_at__lte=now)
    attendance = sum(outcomes.values_list("attendance", flat=True))
    issue_counts: Counter[str] = Counter()
    texts: list[str] = []
    names = dict(Priority.objects.values_list("slug", "name"))
    for model_qs in (outcomes, contacts):
        for slugs, text in model_qs.values_list("issues", "issues_text"):
            for slug in slugs:
                issue_counts[names.get(slug, slug)] += 1
            if text:
                texts.append(text)
    top = [Count_(name, n) for name, n in issue_counts.most_common() if disclosure.allows(n)][
        :TOP_ISSUES
    ]
    return Dashboard(
        start=start,
        events=events.count(),
        by_kind=by_kind,
        by_month=by_month,
        by_officer=by_officer,
        distinct_officers=len(by_officer),
        attendance=disclosure.count(attendance),
        contacts=disclosure.count(contacts.count()),
        signup_offered=disclosure.count(contacts.filter(signup_offered=True).count()),
        signup_taken=disclosure.count(contacts.filter(signup_taken=True).count()),
        top_issues=top,
        cloud=word_cloud(texts, issue_counts),
        upcoming=list(
            EngagementEvent.objects.filter(ward__in=wards, starts_at__gt=now)
            .select_related("ward")
            .order_by("starts_at")[:10]
        ),
    )


def word_cloud(texts: list[str], issues: Counter[str] | None = None) -> list[CloudWord]:
    """The most used words (each shown only with at least the threshold of uses)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words_of(text))
    for name, n in (issues or {}).items():
        for word in words_of(name):
            counts[word] += n
    shown = [(w, n) for w, n in counts.most_common() if disclosure.allows(n)][:CLOUD_WORDS]
    if not shown:
        return []
    top = shown[0][1]
    return sorted(
        (CloudWord(w, n, 1 + round(4 * (n - 1) / max(top - 1, 1))) for w, n in shown),
        key=lambda c: c.word,
    )


def event_features(wards, *, now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    rows = (
        _events(wards, now - timedelta(days=WINDOW_DAYS))
        .annotate(shape=geojson_wgs84("point", tolerance_m=1))
        .values_list("title", "starts_at", "kind", "shape")
        .order_by("starts_at")
    )
    kinds = dict(EngagementEvent.Kind.choices)
    return [
        feature(shape, name=f"{title} ({starts:%d %b %Y})", kind=str(kinds.get(kind, kind)))
        for title, starts, kind, shape in rows
    ]
