"""The machinery of the action rules: what a rule declares, the SQL made from them, the words.

Scoring runs the rules in SQL over each period's score rows (one query per level, built
here from the registered rules) and stores each unit's strongest ``MAX_ACTIONS`` as
``[{"rule": key, "params": {...}}]``. Pages read the title and reason of a stored
action from its rule here, so the words can change (or be translated) without scoring
again. The rules themselves are declared in ``rules.py``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.functional import Promise

STREET, WARD = "street", "ward"
LEVELS = frozenset({STREET, WARD})
# What a street-level unit is (areas.Street.Kind): a street people live on, or a place
# police.uk names like one (a car park, a hospital), which has no doors to knock on.
ON_STREETS, AT_PLACES = "street", "place"
KINDS = frozenset({ON_STREETS, AT_PLACES})
# At most this many actions per street or ward, strongest first.
MAX_ACTIONS = 3

Reason = Callable[..., str]  # reason(params, *, level, period) -> the words after the colon


@dataclass(frozen=True)
class ActionRule:
    """One recommended action.

    The SQL parts read ``s``, the unit's score row for the period (shaped as a row of
    targeting_streetscore or targeting_wardscore, before it is written: ``s.id`` tells
    units apart), and anything ``joins`` adds; they may
    use ``{kind}`` and ``{unit}`` (street/street_id or ward/ward_id), each threshold and
    value as ``{name}`` (bound as a query parameter, never pasted in), ``{fired_<key>}``
    for the units an earlier rule fired for, and the scoring run's own parameters such
    as ``%(alpha)s`` (the trend significance setting).
    """

    key: str
    title: str | Promise
    reason: Reason
    # The numbers the rule compares with, by name (e.g. {"count": 3}).
    thresholds: Mapping[str, float]
    # SQL: when the rule fires for a unit.
    when: str
    # SQL: how strongly; a unit's candidates are ranked by it, then by key.
    strength: str
    # SQL: the arguments of jsonb_build_object() for the stored params the reason reads.
    shows: str
    joins: str = ""
    # Other parameters the SQL reads (a category slug, a list of priorities).
    values: Mapping[str, Any] = field(default_factory=dict)
    levels: frozenset[str] = LEVELS
    # At street level, the kinds of unit it fits: a place (a car park, a supermarket) gets
    # only what fits a place (hot-spot patrols, problem solving with the site's owner).
    kinds: frozenset[str] = frozenset({ON_STREETS})
    # Crime actions: where one fires, a fallback rule gives way.
    crime: bool = False
    fallback: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.key):
            raise ValueError(f"action rule key {self.key!r}: lower case letters, digits, _")
        if not self.levels or self.levels - LEVELS:
            raise ValueError(f"action rule {self.key}: levels must be among {sorted(LEVELS)}")
        if not self.kinds or self.kinds - KINDS:
            raise ValueError(f"action rule {self.key}: kinds must be among {sorted(KINDS)}")
        unused = set(self.thresholds) - self.placeholders()
        if unused:
            raise ValueError(f"action rule {self.key}: thresholds {sorted(unused)} unused")

    def placeholders(self) -> set[str]:
        return {
            name
            for part in (self.joins, self.when, self.strength, self.shows)
            for _text, name, _spec, _conversion in string.Formatter().parse(part)
            if name
        }

    def fired_rules(self) -> set[str]:
        return {n.removeprefix("fired_") for n in self.placeholders() if n.startswith("fired_")}

    def parameter(self, name: str) -> str:
        return f"rule__{self.key}__{name}"


_RULES: dict[str, ActionRule] = {}


def register(rule: ActionRule) -> ActionRule:
    """Add a rule; the next scoring run proposes it."""
    if rule.key in _RULES:
        raise ValueError(f"action rule {rule.key} is registered already")
    for earlier in rule.fired_rules():
        if earlier not in _RULES or not rule.levels <= _RULES[earlier].levels:
            raise ValueError(
                f"action rule {rule.key} reads {earlier}, which must be registered before it "
                "at every level it runs at"
            )
    _RULES[rule.key] = rule
    return rule


def unregister(key: str) -> None:
    _RULES.pop(key, None)


def registered(*, level: str | None = None) -> list[ActionRule]:
    return [r for r in _RULES.values() if level is None or level in r.levels]


def rule_for(key: str) -> ActionRule | None:
    return _RULES.get(key)


# --- SQL ----------------------------------------------------------------------------------


def _candidates(rule: ActionRule, *, kind: str, unit: str) -> str:
    names = {name: f"%({rule.parameter(name)})s" for name in (*rule.thresholds, *rule.values)} | {
        f"fired_{key}": f"(SELECT id FROM rule_{key})" for key in rule.fired_rules()
    }

    def fill(part: str) -> str:
        return part.format(kind=kind, unit=unit, **names)

    where = fill(rule.when)
    if kind == STREET and rule.kinds != KINDS:
        # s.street_kind: see actions_sql. Only the kinds of unit the rule fits.
        fits = ", ".join(f"'{k}'" for k in sorted(rule.kinds))
        where = f"({where}) AND s.street_kind IN ({fits})"

    # Each rule is a CTE of its own so that later rules can read which units it fired for.
    return f"""rule_{rule.key} AS (
    SELECT s.id, '{rule.key}'::text AS rule, ({fill(rule.strength)})::double precision AS strength,
           jsonb_build_object({fill(rule.shows)}) AS params
      FROM s {fill(rule.joins)}
     WHERE {where}
)"""


def actions_sql(*, level: str, table: str, unit: str) -> str:
    """The UPDATE that sets the actions of every unit of ``table`` for %(period)s.

    Scoring runs it on the period's rows in a temporary table of the score table's shape,
    before they are written: each score row is written once, with its actions.
    """
    chosen = registered(level=level)
    ctes = ",\n".join(_candidates(r, kind=level, unit=unit) for r in chosen)
    union = "\n    UNION ALL\n    ".join(f"SELECT * FROM rule_{r.key}" for r in chosen)
    units = f"SELECT * FROM {table} WHERE period = %(period)s"
    if level == STREET:
        # Each street's kind (a street or a place) for the rules' ``kinds``.
        units = (
            f"SELECT t.*, st.kind AS street_kind FROM {table} t "
            f"JOIN areas_street st ON st.id = t.{unit} WHERE t.period = %(period)s"
        )
    return f"""
WITH s AS ({units}),
{ctes},
candidates AS (
    {union}
),
kept AS (
    SELECT c.*, bool_or(c.rule = ANY(%(crime_rules)s)) OVER (PARTITION BY c.id) AS has_crime_action
      FROM candidates c
),
ranked AS (
    SELECT k.*, row_number() OVER (PARTITION BY k.id ORDER BY k.strength DESC, k.rule) AS n
      FROM kept k
     WHERE NOT (k.rule = ANY(%(fallback_rules)s) AND k.has_crime_action)
)
UPDATE {table} t
   SET actions = a.actions
  FROM (SELECT id, jsonb_agg(jsonb_build_object('rule', rule, 'params', params)
                             ORDER BY n) AS actions
          FROM ranked WHERE n <= %(max_actions)s GROUP BY id) a
 WHERE t.id = a.id
"""


def actions_params() -> dict[str, Any]:
    """The query parameters of :func:`actions_sql`: every rule's thresholds and values."""
    params: dict[str, Any] = {
        "crime_rules": [r.key for r in _RULES.values() if r.crime],
        "fallback_rules": [r.key for r in _RULES.values() if r.fallback],
        "max_actions": MAX_ACTIONS,
    }
    for rule in _RULES.values():
        for name, value in (*rule.thresholds.items(), *rule.values.items()):
            params[rule.parameter(name)] = value
    return params


# --- Words --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    rule: str
    title: str
    reason: str

    @property
    def text(self) -> str:
        return f"{self.title}: {self.reason}" if self.reason else self.title


def action_of(stored: dict, *, level: str, period: date) -> Action:
    """A stored action in words; one whose rule is gone keeps a title made from its key."""
    key = stored.get("rule", "")
    rule = rule_for(key)
    if rule is None:
        return Action(key, key.replace("_", " ").capitalize(), "")
    reason = rule.reason(stored.get("params", {}), level=level, period=period)
    return Action(key, str(rule.title), reason)


def actions_of(score, *, level: str) -> list[Action]:
    return [action_of(a, level=level, period=score.period) for a in score.actions or []]
