from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def highlight(text: str, words: list[str]) -> SafeString:
    """``text`` escaped, with each of ``words`` (whole words, any case) in <mark>."""
    escaped = escape(text)
    if not words:
        return mark_safe(escaped)  # escaped above
    pattern = "|".join(re.escape(escape(w)) for w in sorted(words, key=len, reverse=True))
    marked = re.sub(rf"(?<!\w)({pattern})(?!\w)", r"<mark>\1</mark>", escaped, flags=re.IGNORECASE)
    return mark_safe(marked)  # only <mark> added to escaped text


@register.filter
def percent(share: float | None) -> str:
    return "" if share is None else f"{round(share * 100)}%"
