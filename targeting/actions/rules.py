"""The action rules: each rule's key, thresholds, title, reason and when it fires.

Adding a rule is one ``register(ActionRule(...))`` here: scoring proposes it from the
next run, and pages show its title and reason. The SQL reads ``s``, the unit's score
row (see registry.ActionRule). Among the rules that fire for a street or ward, the
strongest three are kept, and the fallback (visible presence) only where no crime
action fired. A place (a car park, a hospital: ``areas.Street.Kind.PLACE``) gets only
the rules whose ``kinds`` include places: hot-spot patrols and problem solving with the
site's owner, never door-knocking or conversations with residents. Hot spots,
prevention visits and patrols are street work, so they are proposed for streets only;
partnership problem solving is neighbourhood work, for wards only.
"""

from __future__ import annotations

from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from ..models import ASB_SLUG
from .registry import AT_PLACES, KINDS, STREET, WARD, ActionRule, register
from .words import (
    category_name,
    in_last_months,
    month_name,
    number,
    percent,
    priority_name,
    ratio,
    respondents_where,
)

TOP_CATEGORY = "LEFT JOIN targeting_crimecategory cat ON cat.id = s.top_category_id"


def _who(p: dict) -> str:
    return respondents_where(p.get("survey_level", "ward"))


# ASB this month significantly above its usual level (the exact test of the trend, p
# below the setting), with a least count and ratio.
def _asb_patrols(p: dict, *, level: str, period: date) -> str:
    if p.get("ratio") is None:
        text = _("%(count)s ASB reports in %(month)s against none before") % {
            "count": p["count"],
            "month": month_name(period),
        }
    else:
        text = _("ASB %(ratio)s times its usual level") % {"ratio": ratio(p["ratio"])}
    if p.get("top_concern"):
        text += " " + _("and the top concern of %(who)s") % {"who": _who(p)}
    return text


register(
    ActionRule(
        key="asb_patrols",
        title=gettext_lazy("Anti-social behaviour patrols and problem solving"),
        reason=_asb_patrols,
        thresholds={"count": 3, "ratio": 1.5},
        values={"asb": ASB_SLUG},
        when="s.asb_p < %(alpha)s AND s.asb_month >= {count} "
        "AND coalesce(s.asb_ratio, 99) >= {ratio}",
        strength="5 + least(coalesce(s.asb_ratio, 5), 5)",
        shows="'ratio', s.asb_ratio, 'count', s.asb_month, "
        "'usual', s.asb_baseline::double precision / s.baseline_months, "
        "'top_concern', s.top_priority = {asb}, 'survey_level', s.survey_level",
        crime=True,
    )
)


# ASB is residents' top priority here, with a few reports this month (and not rising).
def _asb_concern(p: dict, *, level: str, period: date) -> str:
    return _(
        "the top concern of %(who)s (%(share)s%%), with %(count)s ASB reports in %(month)s"
    ) % {
        "who": _who(p),
        "share": percent(p.get("share")),
        "count": p["count"],
        "month": month_name(period),
    }


register(
    ActionRule(
        key="asb_concern",
        title=gettext_lazy("Anti-social behaviour patrols"),
        reason=_asb_concern,
        thresholds={"count": 2},
        values={"asb": ASB_SLUG},
        when="s.top_priority = {asb} AND s.asb_month >= {count} "
        "AND s.id NOT IN {fired_asb_patrols}",
        strength="4",
        shows="'count', s.asb_month, 'share', s.top_priority_share, 'survey_level', s.survey_level",
        crime=True,
    )
)


# All crime significantly above its usual level (the trend component is above 0), unless
# rising ASB is at least this share of it and has its patrols already.
def _rising_crime(p: dict, *, level: str, period: date) -> str:
    values = {
        "count": p["count"],
        "month": month_name(period),
        "usual": number(p.get("usual")),
        "ratio": ratio(p.get("ratio")),
        "category": category_name(p.get("category")),
    }
    if p.get("ratio") is None:
        return _("%(count)s crimes in %(month)s against none before, mostly %(category)s") % values
    return (
        _(
            "%(count)s crimes in %(month)s against %(usual)s a month before "
            "(%(ratio)s times the usual level), mostly %(category)s"
        )
        % values
    )


register(
    ActionRule(
        key="rising_crime",
        title=gettext_lazy("Find out what changed and respond"),
        reason=_rising_crime,
        thresholds={"asb_share": 0.5},
        joins=TOP_CATEGORY,
        when="s.trend > 0 AND NOT (s.id IN {fired_asb_patrols} "
        "AND s.asb_month >= {asb_share} * s.crimes_month)",
        strength="4 + least(coalesce(s.trend_ratio, 5), 5)",
        shows="'count', s.crimes_month, 'ratio', s.trend_ratio, "
        "'usual', s.baseline_crimes::double precision / s.baseline_months, "
        "'category', cat.slug",
        crime=True,
    )
)


# Harm in the top few per cent of the force's streets, with a least number of crimes.
def _hotspot(p: dict, *, level: str, period: date) -> str:
    return _(
        "%(harm)s harm-weighted crimes a month %(window)s, in the top %(top)s%% of "
        "streets in the force; mostly %(category)s"
    ) % {
        "harm": number(p["harm"]),
        "window": in_last_months(p["months"]),
        "top": int(p["top_percent"]),
        "category": category_name(p.get("category")),
    }


register(
    ActionRule(
        key="hotspot",
        title=gettext_lazy("Hot-spot patrols"),
        reason=_hotspot,
        thresholds={"harm": 0.95, "crimes": 3},
        joins=TOP_CATEGORY,
        when="s.harm >= {harm} AND s.crimes >= {crimes}",
        strength="3 + s.harm",
        shows="'harm', s.harm_weighted, 'crimes', s.crimes, 'months', s.window_months, "
        "'category', cat.slug, "
        "'top_percent', greatest(1, ceil(100 * (1 - s.harm) + 0.0001))",
        levels=frozenset({STREET}),
        kinds=KINDS,
        crime=True,
    )
)


# A place (a car park, a supermarket, a hospital) with a few crimes: no doors to knock
# on, so the response is with whoever runs the site.
def _place_owner(p: dict, *, level: str, period: date) -> str:
    return _("%(crimes)s crimes %(window)s at this place, mostly %(category)s") % {
        "crimes": p["crimes"],
        "window": in_last_months(p["months"]),
        "category": category_name(p.get("category")),
    }


register(
    ActionRule(
        key="place_owner",
        title=gettext_lazy("Problem solving with the site's owner or manager"),
        reason=_place_owner,
        thresholds={"crimes": 3},
        joins=TOP_CATEGORY,
        when="s.crimes >= {crimes}",
        strength="2.8 + least(s.crimes, 20) / 20.0",
        shows="'crimes', s.crimes, 'months', s.window_months, 'category', cat.slug",
        levels=frozenset({STREET}),
        kinds=frozenset({AT_PLACES}),
        crime=True,
    )
)


# Enough crimes of one kind with a prevention response of its own, in the harm window.
def prevention(category: str, *, count: int, title: Promise, words: Promise) -> None:
    def reason(p: dict, *, level: str, period: date) -> str:
        return str(words % {"count": p["count"], "window": in_last_months(p["months"])})

    register(
        ActionRule(
            key="prevent_" + category.replace("-", "_"),
            title=title,
            reason=reason,
            thresholds={"count": count},
            values={"category": category},
            joins="JOIN score_{kind}_categories c ON c.unit_id = s.{unit} AND c.slug = {category}",
            when="c.crimes >= {count}",
            strength="2.5 + least(c.crimes, 20) / 20.0",
            shows="'count', c.crimes, 'months', s.window_months",
            levels=frozenset({STREET}),
            crime=True,
        )
    )


# (crime category, least count in the harm window, title, reason)
PREVENTION = (
    (
        "burglary",
        2,
        gettext_lazy("Burglary prevention visits (security advice, property marking)"),
        ngettext_lazy("%(count)s burglary %(window)s", "%(count)s burglaries %(window)s", "count"),
    ),
    (
        "vehicle-crime",
        3,
        gettext_lazy("Vehicle crime prevention (advice on cars, lock-it checks)"),
        ngettext_lazy(
            "%(count)s vehicle crime %(window)s", "%(count)s vehicle crimes %(window)s", "count"
        ),
    ),
    (
        "bicycle-theft",
        3,
        gettext_lazy("Bike marking and secure-parking advice"),
        ngettext_lazy(
            "%(count)s bicycle theft %(window)s", "%(count)s bicycle thefts %(window)s", "count"
        ),
    ),
    (
        "shoplifting",
        5,
        gettext_lazy("Work with the shops (shop-watch, radio link)"),
        ngettext_lazy(
            "%(count)s shoplifting offence %(window)s",
            "%(count)s shoplifting offences %(window)s",
            "count",
        ),
    ),
    (
        "drugs",
        2,
        gettext_lazy("Drugs intelligence gathering and disruption"),
        ngettext_lazy(
            "%(count)s drug offence %(window)s", "%(count)s drug offences %(window)s", "count"
        ),
    ),
)
for _category, _count, _title, _words in PREVENTION:
    prevention(_category, count=_count, title=_title, words=_words)


# Members per 100 households below the target and below the ward's rate (the force's, for
# a ward), where there are enough households to knock on.
def _door_knock(p: dict, *, level: str, period: date) -> str:
    where = _("across the ward") if level == STREET else _("across the force")
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


register(
    ActionRule(
        key="door_knock",
        title=gettext_lazy("Door-knock to register"),
        reason=_door_knock,
        thresholds={"households": 20},
        when="s.households >= {households} AND s.members_per_100 < s.engagement_target "
        "AND s.members_per_100 < coalesce(s.reference_members_per_100, s.engagement_target)",
        strength="2 + s.engagement",
        shows="'rate', s.members_per_100, 'reference', s.reference_members_per_100, "
        "'target', s.engagement_target, 'households', s.households",
    )
)


# A confidence gap of at least this (0.25 is half a point below the force, out of 5).
def _confidence_meeting(p: dict, *, level: str, period: date) -> str:
    return _("confidence %(mean)s out of 5 from %(who)s against %(force)s across the force") % {
        "mean": f"{p['mean']:.1f}",
        "who": _who(p),
        "force": f"{p['force_mean']:.1f}",
    }


register(
    ActionRule(
        key="confidence_meeting",
        title=gettext_lazy('Hold a meeting and report back ("You said, we did")'),
        reason=_confidence_meeting,
        thresholds={"gap": 0.25},
        when="s.confidence >= {gap}",
        strength="2 + s.confidence",
        shows="'mean', s.confidence_mean, 'force_mean', s.confidence_force_mean, "
        "'survey_level', s.survey_level",
    )
)


# Wards among England's most deprived (IMD decile) with harm in the force's top quarter.
def _partnership(p: dict, *, level: str, period: date) -> str:
    decile = p["decile"]
    return _(
        "among England's %(percent)s%% most deprived neighbourhoods (deprivation decile "
        "%(decile)s) with crime in the top quarter of the force's wards"
    ) % {"percent": 10 * max(1, round(decile)), "decile": number(decile)}


register(
    ActionRule(
        key="partnership",
        title=gettext_lazy("Partnership problem solving with the council and housing"),
        reason=_partnership,
        thresholds={"decile": 2, "harm": 0.75},
        when="s.imd_decile <= {decile} AND s.harm >= {harm}",
        strength="1.5 + s.vulnerability",
        shows="'decile', s.imd_decile",
        levels=frozenset({WARD}),
    )
)


# Residents' top priority has no police.uk category (speeding, hate crime, fraud), and
# enough of them name it.
def _unmet_concern(p: dict, *, level: str, period: date) -> str:
    return _(
        "%(priority)s, named by %(share)s%% of %(who)s, with no police.uk category to show it"
    ) % {
        "priority": priority_name(p["priority"]),
        "share": percent(p.get("share")),
        "who": _who(p),
    }


register(
    ActionRule(
        key="unmet_concern",
        title=gettext_lazy("Respond to residents' top concern"),
        reason=_unmet_concern,
        thresholds={"share": 0.25},
        values={"priorities": ["speeding-road-safety", "hate-crime", "fraud-scams"]},
        when="s.top_priority = ANY({priorities}) AND s.top_priority_share >= {share}",
        strength="1.8",
        shows="'priority', s.top_priority, 'share', s.top_priority_share, "
        "'survey_level', s.survey_level",
    )
)


# The fallback: a few crimes and no crime action.
def _visible_presence(p: dict, *, level: str, period: date) -> str:
    return _("%(crimes)s crimes %(window)s, mostly %(category)s") % {
        "crimes": p["crimes"],
        "window": in_last_months(p["months"]),
        "category": category_name(p.get("category")),
    }


register(
    ActionRule(
        key="visible_presence",
        title=gettext_lazy("Visible patrols and conversations with residents"),
        reason=_visible_presence,
        thresholds={"crimes": 3},
        joins=TOP_CATEGORY,
        when="s.crimes >= {crimes}",
        strength="1",
        shows="'crimes', s.crimes, 'months', s.window_months, 'category', cat.slug",
        levels=frozenset({STREET}),
        fallback=True,
    )
)
