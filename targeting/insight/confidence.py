"""Confidence, feeling safe and recorded crime per ward, for one survey quarter.

- Confidence: the mean answer (1..5) to "confidence they deal with local issues".
- Feeling safe: each respondent's mean of "safe in the day" and "safe after dark" (those
  they answered), then the mean over respondents.
- Crime: crimes recorded (police.uk) in the ward over three months per 1,000 usual
  residents (Census 2021): the quarter's months where they are loaded, else the latest
  three months loaded before the quarter ends, else the latest three loaded.

A ward's means are shown only with at least the disclosure threshold of respondents
(``core.disclosure.mean``); only shown means enter the models. Two straight lines are
fitted by ordinary least squares (:mod:`.stats`): feeling safe on crime, and confidence
on feeling safe. A ward more than 1.5 residual standard errors below (or above) a line
is called out in words.

Change on the previous quarter is given overall (this quarter's mean minus the last's)
and among the same people: members who answered in both quarters, the mean of their own
changes, shown with at least the threshold of such people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum

from areas.models import Area, OutputArea
from core import disclosure

from . import stats

SAFE_KEYS = ("safe_day", "safe_dark")
CONFIDENCE_KEY = "confidence"

WORDS = {
    ("safety", "low"): "People here feel less safe than the recorded crime would suggest.",
    ("safety", "high"): "People here feel safer than the recorded crime would suggest.",
    ("confidence", "low"): "People here are less confident than how safe they feel would suggest.",
    ("confidence", "high"): "People here are more confident than how safe they feel would suggest.",
}


@dataclass
class _People:
    """Per response: its member, confidence and feeling-safe values."""

    member: dict[int, int | None] = field(default_factory=dict)
    confidence: dict[int, float] = field(default_factory=dict)
    safe: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))

    def safety(self, response: int) -> float | None:
        values = self.safe.get(response)
        return sum(values) / len(values) if values else None


def _answers(ward_ids: list[int], round_id: int) -> dict[int, _People]:
    """Per ward, the quarter's submitted confidence and safety answers."""
    from surveys.models import Answer

    rows = (
        Answer.objects.filter(
            response__round_id=round_id,
            response__ward_id__in=ward_ids,
            response__submitted_at__isnull=False,
            question__key__in=(CONFIDENCE_KEY, *SAFE_KEYS),
            scale_value__isnull=False,
        )
        .values_list(
            "response__ward_id",
            "response_id",
            "response__member_id",
            "question__key",
            "scale_value",
        )
        .order_by()
    )
    out: dict[int, _People] = defaultdict(_People)
    for ward, response, member, key, value in rows:
        people = out[ward]
        people.member[response] = member
        if key == CONFIDENCE_KEY:
            people.confidence[response] = value
        else:
            people.safe[response].append(value)
    return out


@dataclass(frozen=True)
class Measure:
    total: float
    n: int

    @property
    def mean(self) -> float | None:
        return disclosure.mean(self.total, self.n)


def _confidence(p: _People) -> Measure:
    return Measure(sum(p.confidence.values()), len(p.confidence))


def _safety(p: _People) -> Measure:
    values = [p.safety(r) for r in p.safe]
    return Measure(sum(values), len(values))


def _by_member(p: _People, value) -> dict[int, float]:
    out = {}
    for response, member in p.member.items():
        v = value(p, response)
        if member is not None and v is not None:
            out[member] = v
    return out


def _conf_of(p: _People, r: int) -> float | None:
    return p.confidence.get(r)


def _safe_of(p: _People, r: int) -> float | None:
    return p.safety(r)


def same_people_change(now: _People, before: _People, value) -> float | None:
    """Mean change among members who answered in both quarters (shown with enough)."""
    a, b = _by_member(now, value), _by_member(before, value)
    both = a.keys() & b.keys()
    return disclosure.mean(sum(a[m] - b[m] for m in both), len(both))


def _merge(parts) -> _People:
    merged = _People()
    for p in parts:
        merged.member.update(p.member)
        merged.confidence.update(p.confidence)
        for r, values in p.safe.items():
            merged.safe[r].extend(values)
    return merged


# --- Crime ------------------------------------------------------------------------------------


def crime_months(ends_on: date) -> list[date]:
    from targeting.models import Crime

    months = sorted(set(Crime.objects.values_list("month", flat=True).distinct()), reverse=True)
    before = [m for m in months if m <= ends_on]
    return sorted((before or months)[:3])


def crimes_by_ward(ward_ids: list[int], months: list[date]) -> dict[int, int]:
    from targeting.models import Crime

    rows = (
        Crime.objects.filter(month__in=months, location__ward_id__in=ward_ids)
        .values("location__ward_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["location__ward_id"]: r["n"] for r in rows}


def residents_by_ward(ward_ids: list[int]) -> dict[int, int]:
    rows = (
        OutputArea.objects.filter(ward_id__in=ward_ids)
        .values("ward_id")
        .annotate(n=Sum("usual_residents"))
        .order_by()
    )
    return {r["ward_id"]: r["n"] or 0 for r in rows}


# --- The page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WardRow:
    ward: Area
    respondents: int | None
    confidence: float | None
    safety: float | None
    crime_rate: float | None  # per 1,000 residents over three months
    confidence_change: float | None
    confidence_change_same: float | None
    safety_change: float | None
    safety_change_same: float | None
    flags: list[str]


@dataclass(frozen=True)
class Summary:
    confidence: float | None
    safety: float | None
    confidence_change: float | None
    confidence_change_same: float | None
    safety_change: float | None
    safety_change_same: float | None


@dataclass(frozen=True)
class Comparison:
    round: object
    previous: object | None
    months: list[date]
    rows: list[WardRow]
    summary: Summary
    safety_fit: stats.Fit | None
    confidence_fit: stats.Fit | None


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def comparison(*, wards, round_, previous=None) -> Comparison:
    """The figures for the wards in ``wards`` (already scoped), in ``round_``."""
    wards = list(wards.order_by("name"))
    ids = [w.pk for w in wards]
    now = _answers(ids, round_.pk)
    before = _answers(ids, previous.pk) if previous else {}
    months = crime_months(round_.ends_on)
    crimes, residents = crimes_by_ward(ids, months), residents_by_ward(ids)
    base = {}
    for w in wards:
        p, q = now.get(w.pk, _People()), before.get(w.pk, _People())
        conf, safe = _confidence(p).mean, _safety(p).mean
        respondents = len(p.member)
        rate = 1000 * crimes.get(w.pk, 0) / residents[w.pk] if residents.get(w.pk) else None
        base[w.pk] = {
            "ward": w,
            "respondents": disclosure.count(respondents),
            "confidence": conf,
            "safety": safe,
            "crime_rate": rate if months else None,
            "confidence_change": _diff(conf, _confidence(q).mean),
            "confidence_change_same": same_people_change(p, q, _conf_of),
            "safety_change": _diff(safe, _safety(q).mean),
            "safety_change_same": same_people_change(p, q, _safe_of),
        }
    safety_points = {
        k: (r["crime_rate"], r["safety"])
        for k, r in base.items()
        if r["crime_rate"] is not None and r["safety"] is not None
    }
    confidence_points = {
        k: (r["safety"], r["confidence"])
        for k, r in base.items()
        if r["safety"] is not None and r["confidence"] is not None
    }
    flagged: dict[int, list[str]] = defaultdict(list)
    for name, points in (("safety", safety_points), ("confidence", confidence_points)):
        for k, z in stats.outliers(points).items():
            flagged[k].append(WORDS[(name, "low" if z < 0 else "high")])
    rows = [WardRow(**base[w.pk], flags=flagged.get(w.pk, [])) for w in wards]
    all_now = _merge(now.values())
    all_before = _merge(before.values())
    conf_all, safe_all = _confidence(all_now).mean, _safety(all_now).mean
    summary = Summary(
        confidence=conf_all,
        safety=safe_all,
        confidence_change=_diff(conf_all, _confidence(all_before).mean),
        confidence_change_same=same_people_change(all_now, all_before, _conf_of),
        safety_change=_diff(safe_all, _safety(all_before).mean),
        safety_change_same=same_people_change(all_now, all_before, _safe_of),
    )
    return Comparison(
        round=round_,
        previous=previous,
        months=months,
        rows=rows,
        summary=summary,
        safety_fit=stats.fit_line(list(safety_points.values())),
        confidence_fit=stats.fit_line(list(confidence_points.values())),
    )


def rounds_with_answers(ward_ids: list[int]):
    """Survey quarters with a submitted response in the wards, newest first."""
    from surveys.models import Round

    return list(
        Round.objects.filter(responses__ward_id__in=ward_ids, responses__submitted_at__isnull=False)
        .distinct()
        .order_by("-starts_on")
    )
