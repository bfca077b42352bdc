"""The words actions and score explanations share: names of crimes and priorities, numbers."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# The survey priority taxonomy (surveys.Priority slugs), for the words only.
PRIORITY_NAMES = {
    "anti-social-behaviour": gettext_lazy("anti-social behaviour"),
    "drugs": gettext_lazy("drugs"),
    "speeding-road-safety": gettext_lazy("speeding and road safety"),
    "burglary": gettext_lazy("burglary"),
    "vehicle-crime": gettext_lazy("vehicle crime"),
    "violence": gettext_lazy("violence"),
    "shoplifting": gettext_lazy("shoplifting"),
    "criminal-damage": gettext_lazy("criminal damage"),
    "hate-crime": gettext_lazy("hate crime"),
    "fraud-scams": gettext_lazy("fraud and scams"),
    "other": gettext_lazy("other crime"),
}

CATEGORY_NAMES = {
    "anti-social-behaviour": gettext_lazy("anti-social behaviour"),
    "violence-and-sexual-offences": gettext_lazy("violence and sexual offences"),
    "robbery": gettext_lazy("robbery"),
    "possession-of-weapons": gettext_lazy("possession of weapons"),
    "burglary": gettext_lazy("burglary"),
    "drugs": gettext_lazy("drugs"),
    "theft-from-the-person": gettext_lazy("theft from the person"),
    "vehicle-crime": gettext_lazy("vehicle crime"),
    "criminal-damage-arson": gettext_lazy("criminal damage and arson"),
    "other-crime": gettext_lazy("other crime"),
    "public-order": gettext_lazy("public order"),
    "bicycle-theft": gettext_lazy("bicycle theft"),
    "other-theft": gettext_lazy("other theft"),
    "shoplifting": gettext_lazy("shoplifting"),
}


def priority_name(slug: str) -> str:
    return str(PRIORITY_NAMES.get(slug, slug.replace("-", " ")))


def category_name(slug: str | None) -> str:
    if not slug:
        return _("no single kind")
    return str(CATEGORY_NAMES.get(slug, slug.replace("-", " ")))


def number(value: float | None) -> str:
    """2 -> "2", 2.04 -> "2", 2.46 -> "2.5", 0.44 -> "0.4", 12.6 -> "13"."""
    if value is None:
        return "-"
    if abs(value) >= 10:
        return f"{value:,.0f}"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}"


def month_name(day: date) -> str:
    return date_format(day, "F Y")


def in_last_months(months: int) -> str:
    return ngettext("in the last month", "in the last %(months)d months", months) % {
        "months": months
    }


def respondents_where(level: str) -> str:
    return _("respondents here") if level == "street" else _("respondents in this ward")
