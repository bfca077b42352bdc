"""Thin tasks: take ids or ISO dates, call a service, safe to run twice."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from . import services
from .insight.briefing_mail import briefings_send

# Queues are chosen when a task is sent (the beat entry names its own).
IMPORTS_QUEUE = "imports"
SCORES_QUEUE = "default"


@shared_task(ignore_result=True)
def import_job_run(job_id: int) -> None:
    """Run an uploaded crime import (only once: the job is claimed first)."""
    services.import_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def scores_compute_from(first: str) -> None:
    """Score the month ``first`` (YYYY-MM-DD) and every later month with data."""
    services.scores_compute_from(first=date.fromisoformat(first))


@shared_task(ignore_result=True)
def scores_compute_latest() -> None:
    """Nightly (beat): the latest period again, with today's members and survey answers."""
    services.scores_compute_latest()


@shared_task(ignore_result=True)
def import_jobs_sweep() -> None:
    """Every few minutes (beat): fail jobs a lost worker left running; requeue lost ones."""
    services.import_jobs_sweep()


@shared_task(ignore_result=True)
def briefings_weekly() -> int:
    """Monday mornings (beat): each officer's weekly briefing, queued in the outbox (once
    per officer and week, however often it runs)."""
    return briefings_send()
