"""The reply handler engagement registers with alerts (``alerts.replies``)."""

from __future__ import annotations

from . import services


def reply_received(reply_id: int) -> None:
    """Route the reply to a team's inbox now (one small insert), notify on commit."""
    services.inbox_reply_route(reply_id=reply_id)
