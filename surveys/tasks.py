"""Thin tasks for the survey; safe to run twice or at the same time (see services)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="surveys.dispatch")
def dispatch() -> dict[str, int]:
    """Run by Celery beat: invite members who are due, remind those who have not answered."""
    summary = services.dispatch()
    return {"invited": summary.invited, "reminded": summary.reminded}


@shared_task(name="surveys.invitations_dispatch")
def invitations_dispatch() -> int:
    return services.invitations_dispatch()
