"""Each component of a score in plain words, with its weight and share of the score."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .actions import category_name, in_last_months, month_name, number, percent, priority_name
from .models import ScoreBase, ScoringSettings

LABELS = {
    "harm": gettext_lazy("Harm"),
    "trend": gettext_lazy("Trend"),
    "concern": gettext_lazy("Public concern"),
    "confidence": gettext_lazy("Confidence gap"),
    "vulnerability": gettext_lazy("Vulnerability"),
    "engagement": gettext_lazy("Engagement gap"),
}


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    value: float | None  # 0..1, None when left out of the score
    weight: float
    points: float  # what it adds to the 0..100 score
    text: str

    @property
    def percent(self) -> int | None:
        return None if self.value is None else round(100 * self.value)

    @property
    def left_out(self) -> bool:
        return self.value is None


def _chance(p: float) -> str:
    """A p-value in words: "less than 1 in 1,000"."""
    for limit, words in (
        (0.0001, _("less than 1 in 10,000")),
        (0.001, _("less than 1 in 1,000")),
        (0.01, _("less than 1 in 100")),
        (0.05, _("less than 1 in 20")),
    ):
        if p < limit:
            return words
    return _("about 1 in %(n)s") % {"n": max(1, round(1 / p)) if p > 0 else "many"}


def _harm(s: ScoreBase, level: str) -> str:
    if s.crimes == 0:
        return _("No crimes recorded %(window)s.") % {"window": in_last_months(s.window_months)}
    if level == "ward" and getattr(s, "residents", None):
        amount = _("%(harm)s harm-weighted crimes a month per 1,000 residents") % {
            "harm": number(s.harm_weighted)
        }
        peers = _("wards")
    else:
        amount = _("%(harm)s harm-weighted crimes a month") % {"harm": number(s.harm_weighted)}
        peers = _("streets")
    share = percent(s.harm)
    if share == "100":
        # Not "as much as or more than 100% of the streets": none has more.
        text = _(
            "%(crimes)s crimes %(window)s, %(amount)s, mostly %(category)s: among the "
            "highest of the %(peers)s in the force."
        )
    else:
        text = _(
            "%(crimes)s crimes %(window)s, %(amount)s, mostly %(category)s: as much as or "
            "more than %(share)s%% of the %(peers)s in the force."
        )
    return text % {
        "crimes": s.crimes,
        "window": in_last_months(s.window_months),
        "amount": amount,
        "category": category_name(s.top_category.slug if s.top_category_id else None),
        "share": share,
        "peers": peers,
    }


def _trend(s: ScoreBase) -> str:
    if s.baseline_months == 0:
        return _("No earlier months to compare with yet: left out of the score.")
    before = ngettext("in the month before", "in the %(k)d months before", s.baseline_months) % {
        "k": s.baseline_months
    }
    text = _("%(x)s crimes in %(month)s against %(usual)s a month %(before)s.") % {
        "x": s.crimes_month,
        "month": month_name(s.period),
        "usual": number(s.baseline_crimes / s.baseline_months),
        "before": before,
    }
    if s.trend:
        return (
            text
            + " "
            + _(
                "%(ratio)s times the usual level: a rise this large would happen by chance "
                "%(chance)s."
            )
            % {
                "ratio": number(s.trend_ratio) if s.trend_ratio is not None else "∞",
                "chance": _chance(s.trend_p or 0),
            }
        )
    return text + " " + _("Within the usual ups and downs: not a significant rise.")


def _where(s: ScoreBase) -> str:
    return _("on this street") if s.survey_level == "street" else _("in this ward")


def _concern(s: ScoreBase, months: int) -> str:
    if s.concern is None:
        return _(
            "Not enough survey responses from here in the last %(months)s months: left out of "
            "the score."
        ) % {"months": months}
    text = ngettext(
        "%(n)s respondent %(where)s.", "%(n)s respondents %(where)s.", s.respondents
    ) % {"n": s.respondents, "where": _where(s)}
    if s.top_priority:
        text += " " + _("Their top priority is %(priority)s (%(share)s%% name it).") % {
            "priority": priority_name(s.top_priority),
            "share": percent(s.top_priority_share),
        }
    return (
        text
        + " "
        + _("%(share)s%% of the harm here is of the kinds they name.")
        % {"share": percent(s.concern)}
    )


def _confidence(s: ScoreBase, months: int) -> str:
    if s.confidence is None:
        return _(
            "Not enough survey answers on trust and confidence from here in the last "
            "%(months)s months: left out of the score."
        ) % {"months": months}
    return _(
        "Respondents %(where)s rate trust and confidence %(mean)s out of 5, against %(force)s "
        "across the force."
    ) % {
        "where": _where(s),
        "mean": f"{s.confidence_mean:.1f}",
        "force": f"{s.confidence_force_mean:.1f}",
    }


def _vulnerability(s: ScoreBase) -> str:
    if s.vulnerability is None:
        return _("No deprivation data for the output areas here: left out of the score.")
    return _(
        "The output areas here are on average in decile %(decile)s of the English Indices of "
        "Deprivation 2019 (1 is England's most deprived 10%%)."
    ) % {"decile": number(s.imd_decile)}


def _engagement(s: ScoreBase, level: str) -> str:
    if s.engagement is None:
        return _("The number of households here is not known: left out of the score.")
    where = _("across the ward") if level == "street" else _("across the force")
    return ngettext(
        "%(members)s member for %(households)s households: %(rate)s per 100, against "
        "%(reference)s %(where)s and a target of %(target)s.",
        "%(members)s members for %(households)s households: %(rate)s per 100, against "
        "%(reference)s %(where)s and a target of %(target)s.",
        s.members,
    ) % {
        "members": s.members,
        "households": f"{s.households:,}",
        "rate": number(s.members_per_100),
        "reference": number(s.reference_members_per_100),
        "where": where,
        "target": number(s.engagement_target),
    }


def components_of(
    score: ScoreBase, *, level: str, settings: ScoringSettings | None = None
) -> list[Component]:
    """The six components with their words, largest contribution first."""
    settings = settings or ScoringSettings.load()
    # The weights the score was computed with (they may have changed since).
    weights = score.weights or settings.component_weights()
    used = sum(w for key, w in weights.items() if getattr(score, key) is not None)
    texts = {
        "harm": _harm(score, level),
        "trend": _trend(score),
        "concern": _concern(score, settings.survey_months),
        "confidence": _confidence(score, settings.survey_months),
        "vulnerability": _vulnerability(score),
        "engagement": _engagement(score, level),
    }
    items = []
    for key, weight in weights.items():
        value = getattr(score, key)
        points = 100 * weight * value / used if value is not None and used else 0.0
        items.append(Component(key, str(LABELS[key]), value, weight, points, texts[key]))
    return sorted(items, key=lambda c: (c.value is None, -c.points))


def top_reasons(score: ScoreBase, *, level: str, count: int = 2) -> list[Component]:
    """The components adding most to the score (for lists of streets)."""
    return [c for c in components_of(score, level=level) if c.points > 0][:count]
