"""Engagement models. Events and street contacts live in ``engagement.events.models``."""

from .events.models import CommunityContact, EngagementEvent, EventOutcome

__all__ = ["CommunityContact", "EngagementEvent", "EventOutcome"]
