"""Recommended actions and plain-words explanations of a score.

The rules that pick actions run in SQL (``scoring.py``, ``_ACTIONS``) and store each
action as ``{"rule": ..., "params": {...}}``; the words are here, so they can be
translated. The rules, strongest first, at most three per street:

==================== ==========================================================
rule                 when
==================== ==========================================================
asb_patrols          ASB this month significantly above its usual level (exact
                     test, p below the setting), at least 3 reports, 1.5 times
asb_concern          ASB is residents' top priority here and there were at least
                     2 reports this month (and it is not rising)
rising_crime         all crime significantly above the usual level (the trend
                     component is above 0), not already explained by ASB
hotspot              harm in the top 5% of the force's streets, 3+ crimes
prevent_<category>   enough burglaries (2), vehicle crimes (3), bicycle thefts (3),
                     shoplifting (5) or drug offences (2) in the harm window
door_knock           members per 100 households below the target and below the
                     ward's rate (the force's for a ward), 20+ households
confidence_meeting   confidence gap of 0.25 or more (half a point below the force)
partnership          (wards) IMD decile 2 or lower and harm in the top quarter
unmet_concern        residents' top priority has no police.uk category (speeding,
                     hate crime, fraud) and 25%+ name it
visible_presence     3+ crimes and no other crime action (the fallback)
==================== ==========================================================

Hot spots, prevention visits and patrols are street work, so they are proposed for
streets only; partnership problem solving is neighbourhood work, for wards only.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def _respondents_where(level: str) -> str:
    return _("respondents here") if level == "street" else _("respondents in this ward")


def action_title(action: dict) -> str:
    rule = action.get("rule", "")
    titles = {
        "asb_patrols": _("Anti-social behaviour patrols and problem solving"),
        "asb_concern": _("Anti-social behaviour patrols"),
        "rising_crime": _("Find out what changed and respond"),
        "hotspot": _("Hot-spot patrols"),
        "prevent_burglary": _("Burglary prevention visits (security advice, property marking)"),
        "prevent_vehicle_crime": _("Vehicle crime prevention (advice on cars, lock-it checks)"),
        "prevent_bicycle_theft": _("Bike marking and secure-parking advice"),
        "prevent_shoplifting": _("Work with the shops (shop-watch, radio link)"),
        "prevent_drugs": _("Drugs intelligence gathering and disruption"),
        "door_knock": _("Door-knock to register"),
        "confidence_meeting": _('Hold a meeting and report back ("You said, we did")'),
        "partnership": _("Partnership problem solving with the council and housing"),
        "unmet_concern": _("Respond to residents' top concern"),
        "visible_presence": _("Visible patrols and conversations with residents"),
    }
    return titles.get(rule, rule.replace("_", " ").capitalize())


def action_reason(action: dict, *, level: str, period: date) -> str:
    """Why, with the numbers: the part after the colon."""
    rule, p = action.get("rule", ""), action.get("params", {})
    month = month_name(period)
    if rule == "asb_patrols":
        if p.get("ratio") is None:
            text = _("%(count)s ASB reports in %(month)s against none before") % {
                "count": p["count"],
                "month": month,
            }
        else:
            text = _("ASB %(ratio)s times its usual level") % {"ratio": ratio(p["ratio"])}
        if p.get("top_concern"):
            text += " " + _("and the top concern of %(who)s") % {
                "who": _respondents_where(p.get("survey_level", "ward"))
            }
        return text
    if rule == "asb_concern":
        return _(
            "the top concern of %(who)s (%(share)s%%), with %(count)s ASB reports in %(month)s"
        ) % {
            "who": _respondents_where(p.get("survey_level", "ward")),
            "share": percent(p.get("share")),
            "count": p["count"],
            "month": month,
        }
    if rule == "rising_crime":
        values = {
            "count": p["count"],
            "month": month,
            "usual": number(p.get("usual")),
            "ratio": ratio(p.get("ratio")),
            "category": category_name(p.get("category")),
        }
        if p.get("ratio") is None:
            return (
                _("%(count)s crimes in %(month)s against none before, mostly %(category)s") % values
            )
        return (
            _(
                "%(count)s crimes in %(month)s against %(usual)s a month before "
                "(%(ratio)s times the usual level), mostly %(category)s"
            )
            % values
        )
    if rule == "hotspot":
        return _(
            "%(harm)s harm-weighted crimes a month %(window)s, in the top %(top)s%% of "
            "streets in the force; mostly %(category)s"
        ) % {
            "harm": number(p["harm"]),
            "window": in_last_months(p["months"]),
            "top": int(p["top_percent"]),
            "category": category_name(p.get("category")),
        }
    if rule.startswith("prevent_"):
        count, window = p["count"], in_last_months(p["months"])
        texts = {
            "prevent_burglary": ngettext(
                "%(count)s burglary %(window)s", "%(count)s burglaries %(window)s", count
            ),
            "prevent_vehicle_crime": ngettext(
                "%(count)s vehicle crime %(window)s", "%(count)s vehicle crimes %(window)s", count
            ),
            "prevent_bicycle_theft": ngettext(
                "%(count)s bicycle theft %(window)s", "%(count)s bicycle thefts %(window)s", count
            ),
            "prevent_shoplifting": ngettext(
                "%(count)s shoplifting offence %(window)s",
                "%(count)s shoplifting offences %(window)s",
                count,
            ),
            "prevent_drugs": ngettext(
                "%(count)s drug offence %(window)s", "%(count)s drug offences %(window)s", count
            ),
        }
        return texts.get(rule, "%(count)s crimes %(window)s") % {"count": count, "window": window}
    if rule == "door_knock":
        where = _("across the ward") if level == "street" else _("across the force")
        rate = number(p.get("rate"))
        return ngettext(
            "%(rate)s member per 100 households against %(reference)s %(where)s",
            "%(rate)s members per 100 households against %(reference)s %(where)s",
            1 if rate == "1" else 2,
        ) % {
            "rate": rate,
            "reference": number(
                p.get("reference") if p.get("reference") is not None else p.get("target")
            ),
            "where": where,
        }
    if rule == "confidence_meeting":
        return _("confidence %(mean)s out of 5 from %(who)s against %(force)s across the force") % {
            "mean": f"{p['mean']:.1f}",
            "who": _respondents_where(p.get("survey_level", "ward")),
            "force": f"{p['force_mean']:.1f}",
        }
    if rule == "partnership":
        decile = p["decile"]
        return _(
            "among England's %(percent)s%% most deprived neighbourhoods (deprivation decile "
            "%(decile)s) with crime in the top quarter of the force's wards"
        ) % {"percent": 10 * max(1, round(decile)), "decile": number(decile)}
    if rule == "unmet_concern":
        return _(
            "%(priority)s, named by %(share)s%% of %(who)s, with no police.uk category to show it"
        ) % {
            "priority": priority_name(p["priority"]),
            "share": percent(p.get("share")),
            "who": _respondents_where(p.get("survey_level", "ward")),
        }
    if rule == "visible_presence":
        return _("%(crimes)s crimes %(window)s, mostly %(category)s") % {
            "crimes": p["crimes"],
            "window": in_last_months(p["months"]),
            "category": category_name(p.get("category")),
        }
    return ""


def action_text(action: dict, *, level: str, period: date) -> str:
    """The whole recommendation: "Title: reason"."""
    reason = action_reason(action, level=level, period=period)
    return f"{action_title(action)}: {reason}" if reason else action_title(action)


@dataclass(frozen=True)
class Action:
    rule: str
    title: str
    reason: str

    @property
    def text(self) -> str:
        return f"{self.title}: {self.reason}" if self.reason else self.title


def actions_of(score, *, level: str) -> list[Action]:
    return [
        Action(
            a.get("rule", ""),
            action_title(a),
            action_reason(a, level=level, period=score.period),
        )
        for a in score.actions or []
    ]
