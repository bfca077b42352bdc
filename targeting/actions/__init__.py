"""Recommended actions for streets and wards: a registry of rules, and their words.

Each rule is declared once, in ``rules.py``: its key, thresholds, title, reason and the
SQL that decides when it fires. Scoring runs them (``actions_sql``) and stores each
action as ``{"rule": key, "params": {...}}``; pages read its words back with
``actions_of``. ``registry.py`` holds the machinery, ``words.py`` the shared phrasing.
"""

from . import rules as _rules  # noqa: F401 - registers the rules
from .registry import (
    MAX_ACTIONS,
    Action,
    ActionRule,
    action_of,
    actions_of,
    actions_params,
    actions_sql,
    register,
    registered,
    rule_for,
    unregister,
)
from .words import category_name, in_last_months, month_name, number, percent, priority_name

__all__ = [
    "MAX_ACTIONS",
    "Action",
    "ActionRule",
    "action_of",
    "actions_of",
    "actions_params",
    "actions_sql",
    "category_name",
    "in_last_months",
    "month_name",
    "number",
    "percent",
    "priority_name",
    "register",
    "registered",
    "rule_for",
    "unregister",
]
