"""UK mobile numbers, stored in one form (+447...)."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^(?:\+?44|0)(7\d{9})$")


def normalise_mobile(text: str) -> str | None:
    """``'07700 900123'`` / ``'+44 7700-900123'`` -> ``'+447700900123'``; None if not one."""
    compact = re.sub(r"[\s().-]", "", text or "")
    if compact.startswith("0044"):
        compact = "+" + compact[2:]
    match = _MOBILE.match(compact)
    return f"+44{match.group(1)}" if match else None


def display_mobile(stored: str) -> str:
    """``'+447700900123'`` -> ``'07700 900123'``."""
    if stored.startswith("+44") and len(stored) == 13:
        national = "0" + stored[3:]
        return f"{national[:5]} {national[5:]}"
    return stored
