"""Thin tasks for accounts; safe to run twice (see the services)."""

from __future__ import annotations

from celery import shared_task

from . import retention


@shared_task(name="accounts.retention")
def members_retention() -> dict[str, int]:
    """Run daily by Celery beat: warn long-inactive members, erase those warned long ago."""
    summary = retention.members_retention_run()
    return {"warned": summary.warned, "erased": summary.erased, "kept": summary.kept}
