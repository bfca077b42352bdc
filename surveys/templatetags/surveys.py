"""Small filters for the results pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping is not None else None


@register.filter
def percent(value) -> str:
    return "" if value is None else f"{round(value * 100)}%"


@register.filter
def percent_points(value) -> str:
    if value is None:
        return ""
    points = round(value * 100)
    return f"{points:+d} pts" if points else "0 pts"


@register.filter
def signed(value) -> str:
    return "" if value is None else f"{value:+.2f}"


@register.filter
def hidden_count(shares) -> int:
    return sum(1 for s in shares if not s.shown)
