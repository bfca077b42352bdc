"""What residents said, for the ward, district and force pages.

Taken from ``surveys.results`` so the pages follow the one small-number rule
(``core.disclosure``, applied by ``surveys.published.publish``): counts, shares and
means of fewer than 10 respondents are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core import charts

from .survey_inputs import surveys_ready


@dataclass
class SurveySummary:
    quarter: str = ""
    respondents: int | None = None  # None: fewer than 10, not shown
    answered: bool = False  # anyone at all answered in the quarter
    # (priority name, share of respondents 0..1), most named first; shown ones only.
    priorities: list[tuple[str, float]] = field(default_factory=list)
    # (quarter, trust mean or None, confidence mean or None), oldest first.
    confidence: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    chart: charts.Chart | None = None  # the trend, with its table; None when none shown

    @property
    def suppressed(self) -> bool:
        return self.answered and self.respondents is None


def survey_summary(*, area: Area) -> SurveySummary | None:
    """The latest quarter's priorities and the trust and confidence trend of an area."""
    if not surveys_ready():
        return None
    from surveys.models import Round
    from surveys.results import results_for

    latest = (
        Round.objects.filter(starts_on__lte=timezone.localdate(), responses__ward__isnull=False)
        .order_by("-starts_on")
        .first()
    )
    if latest is None:
        return SurveySummary()
    result = results_for(area=area, round_=latest, children=False)
    current = result.current
    summary = SurveySummary(
        quarter=latest.label,
        respondents=current.respondents,
        answered=any(q.published.invitations or q.published.respondents for q in result.trend)
        or latest.responses.filter(
            ward__in=Area.objects.wards_under(area), submitted_at__isnull=False
        ).exists(),
    )
    summary.priorities = [
        (result.priority_names.get(s.slug, s.slug), s.share) for s in current.priorities if s.shown
    ][:5]
    for quarter in result.trend:
        means = quarter.published.means
        summary.confidence.append(
            (
                quarter.label,
                means["trust"].mean if "trust" in means else None,
                means["confidence"].mean if "confidence" in means else None,
            )
        )
    if not any(t is not None or c is not None for _label, t, c in summary.confidence):
        summary.confidence = []
    else:
        summary.chart = _confidence_chart(area, summary.confidence)
    return summary


def _confidence_chart(area: Area, confidence: list[tuple[str, float | None, float | None]]):
    shown = [(label, c) for label, _t, c in confidence if c is not None]
    return charts.Chart(
        kind=charts.Kind.BARS,
        id="confidence",
        title=_("Confidence in %(area)s by quarter") % {"area": area.name},
        description=", ".join(f"{label}: {c:.1f}" for label, c in shown),
        caption=_("Mean trust and confidence by quarter (1 to 5)"),
        caption_hidden=True,
        heading=_("Quarter"),
        rows=[charts.Row(label) for label, _t, _c in confidence],
        columns=[
            charts.Series(_("Trust (1 to 5)"), [charts.Value(t) for _label, t, _c in confidence]),
            charts.Series(
                _("Confidence (1 to 5)"), [charts.Value(c) for _label, _t, c in confidence]
            ),
        ],
        scale=(0, 5),
        decimals=1,
        hidden_reason=_("Fewer than 10: not shown"),
    )
