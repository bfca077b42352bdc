"""Writes that matter for targeting: imports, import jobs, scores and their settings."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from areas.importers.base import ImportRejected, ImportSummary, Progress, no_progress
from core.lifecycle import InvalidTransition, transition, transition_pk

from .importers.crimes import CrimeImportSummary, import_crimes
from .importers.kinds import kind_of
from .models import CrimeCategory, ImportJob, ImportJobFile, ScoringRun, ScoringSettings
from .scoring import PeriodResult, compute_scores, data_months

logger = logging.getLogger(__name__)

PROGRESS_KEY = "targeting:import-job:{}:progress"
PROGRESS_SECONDS = 6 * 3600


# --- Crimes and scores ----------------------------------------------------------------------


def _enqueue_scoring_from(first: date) -> None:
    from . import tasks

    transaction.on_commit(
        lambda: tasks.scores_compute_from.apply_async(
            args=[first.isoformat()], queue=tasks.SCORES_QUEUE
        )
    )


@transaction.atomic
def crimes_import(
    *,
    paths: Sequence[Path | str],
    user: User | None = None,
    job: ImportJob | None = None,
    progress: Progress = no_progress,
    schedule_scoring: bool = True,
) -> CrimeImportSummary:
    """Import police.uk files (all or nothing), then score the months they touch.

    Scores are recomputed for the earliest imported month and every later month with
    data (their baselines include it), by a task enqueued once the import commits.
    """
    summary = import_crimes(
        paths,
        user_id=user.pk if user else None,
        job_id=job.pk if job else None,
        progress=progress,
    )
    if schedule_scoring and summary.months:
        first = min(date.fromisoformat(m["month"] + "-01") for m in summary.months)
        _enqueue_scoring_from(first)
    return summary


def scores_compute(*, periods: Iterable[date] | None = None) -> list[PeriodResult]:
    """Score the given periods (default: every month with crime data)."""
    return _scoring_run(
        key=None, periods=None if periods is None else list(periods), trigger="on request"
    )


def scores_compute_from(*, first: date) -> list[PeriodResult]:
    return _scoring_run(
        key=None,
        periods=[m for m in data_months() if m >= first],
        trigger="after new data or weights",
    )


def scores_compute_latest(*, day: date | None = None) -> list[PeriodResult]:
    """The nightly run: the latest period again, with today's members and survey answers.

    Once a day however often it is asked for: two beat processes (or the beat and
    someone sending the task by hand) send it twice, and only the first call that
    claims the day's slot runs; the others return no results.
    """
    months = data_months()
    if not months:
        return []
    day = day or timezone.localdate()
    return _scoring_run(key=f"latest:{day.isoformat()}", periods=months[-1:], trigger="nightly")


def _scoring_run_claim(
    *, key: str | None, periods: list[date] | None, trigger: str
) -> ScoringRun | None:
    """A new run, or the failed run of the same slot taken again; None if the slot is taken."""
    fields = {
        "periods": [p.isoformat() for p in periods] if periods is not None else [],
        "started_at": timezone.now(),
        "trigger": trigger,
    }
    try:
        with transaction.atomic():
            return ScoringRun.objects.create(key=key, **fields)
    except IntegrityError:
        pass  # the slot exists: only a failed run may be taken again
    try:
        return transition(
            ScoringRun.objects.get(key=key),
            ScoringRun.Status.RUNNING,
            finished_at=None,
            message="",
            attempts=F("attempts") + 1,
            **fields,
        )
    except InvalidTransition:
        return None


def _scoring_run(
    *, key: str | None, periods: list[date] | None, trigger: str
) -> list[PeriodResult]:
    """Score ``periods`` (None: every month with crime data) as one recorded run: the data
    status page shows when, what asked for it, which periods and how long it took."""
    run = _scoring_run_claim(key=key, periods=periods, trigger=trigger)
    if run is None:
        logger.info("scoring run %s is running or done already; not started again", key)
        return []
    try:
        results = compute_scores(periods)
    except BaseException as exc:
        transition(
            run,
            ScoringRun.Status.FAILED,
            finished_at=timezone.now(),
            message=f"{type(exc).__name__}: {exc}"[:500],
        )
        raise
    transition(
        run,
        ScoringRun.Status.SUCCEEDED,
        finished_at=timezone.now(),
        periods=[r.period.isoformat() for r in results],
    )
    return results


@transaction.atomic
def scoring_settings_save(
    *, settings: ScoringSettings, categories: Sequence[CrimeCategory]
) -> None:
    """Save new weights; the latest period is scored again with them once saved.

    Earlier periods keep the scores they had: history shows what was advised then.
    """
    settings.save()
    for category in categories:
        category.save(update_fields=["harm_weight"])
    months = data_months()
    if months:
        _enqueue_scoring_from(months[-1])


# --- Import jobs (the upload page) ----------------------------------------------------------


@transaction.atomic
def import_job_create(
    *,
    user: User,
    files: Sequence[UploadedFile] | Mapping[str, Sequence[UploadedFile]],
    kind: str = "crimes",
    check_only: bool = False,
) -> ImportJob:
    """Keep the uploaded files with a new job; a worker on the imports queue runs it.

    ``files`` maps each of the kind's file slots to its uploads (a plain list is the
    kind's ``files`` slot). With ``check_only`` the worker runs the import and rolls it
    back, to report what it would change.
    """
    kind_of(kind)  # KeyError for a kind that does not exist
    by_slot = {"files": list(files)} if not isinstance(files, Mapping) else files
    job = ImportJob.objects.create(created_by=user, kind=kind, check_only=check_only)
    for slot, uploads in by_slot.items():
        for upload in uploads:
            content = upload.read()
            ImportJobFile.objects.create(
                job=job,
                slot=slot,
                name=Path(upload.name).name[:255],
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
            )
    transaction.on_commit(lambda: _queue_job_run(job.pk))
    return job


def _queue_job_run(job_id: int) -> None:
    from . import tasks

    tasks.import_job_run.apply_async(args=[job_id], queue=tasks.IMPORTS_QUEUE)


def import_job_progress(job_id: int, done: int, total: int | None, stage: str) -> None:
    # The import writes in one transaction, invisible to the page until it commits:
    # progress goes through the cache instead.
    cache.set(PROGRESS_KEY.format(job_id), (done, total, stage), PROGRESS_SECONDS)


def _claim(job_id: int) -> bool:
    """Draft -> running with a conditional update: a second worker claims nothing."""
    try:
        transition_pk(
            ImportJob, job_id, ImportJob.Status.RUNNING, started_at=timezone.now(), stage="starting"
        )
    except InvalidTransition:
        return False
    return True


def _finish(job: ImportJob, status: str, **fields) -> None:
    # Raises if the sweeper failed the job meanwhile, which it does only past the task's
    # hard time limit: a job still finishing then means that limit is not being applied.
    transition(job, status, finished_at=timezone.now(), **fields)
    cache.delete(PROGRESS_KEY.format(job.pk))


class _CheckedOnly(Exception):
    """Raised inside the import's transaction to roll a check back, with its summary."""

    def __init__(self, summary: ImportSummary):
        self.summary = summary


def _job_progress(job: ImportJob, files: list[ImportJobFile]) -> Progress:
    """A callback turning an importer's (done, total, stage) into the job's percent.

    Crime imports report lines: checking the rows is the first 45%, loading them the
    next 45%. Other importers report each stage's own count; the bar then never goes
    back, and shows the stage it is in.
    """
    lines = {f.name: max(1, bytes(f.content).count(b"\n")) for f in files}
    total_lines = sum(lines.values()) or 1
    offsets, seen = {}, 0
    for name, count in lines.items():
        offsets[name] = seen
        seen += count
    state = {"percent": 0}

    def progress(done: int, total: int | None, stage: str) -> None:
        if job.kind == "crimes":
            if stage.startswith("checking "):
                offset = offsets.get(stage.removeprefix("checking "), 0)
                percent = 45 * (offset + done) / total_lines
            elif stage == "loading rows":
                percent = 45 + 45 * done / total_lines
            else:
                percent = 95
        elif total:
            percent = 95 * done / total
        else:
            percent = state["percent"]
        state["percent"] = max(state["percent"], min(99, round(percent)))
        import_job_progress(job.pk, state["percent"], 100, stage)

    return progress


def _write_files(folder: Path, files: list[ImportJobFile]) -> dict[str, list[Path]]:
    """Each file in its own folder under the name it was uploaded with, so the error
    report names the file the admin knows."""
    by_slot: dict[str, list[Path]] = {}
    for index, upload in enumerate(files):
        path = folder / str(index) / upload.name
        path.parent.mkdir()
        path.write_bytes(bytes(upload.content))
        by_slot.setdefault(upload.slot, []).append(path)
    return by_slot


def _run_kind(job: ImportJob, files: list[ImportJobFile]) -> ImportSummary:
    kind = kind_of(job.kind)
    progress = _job_progress(job, files)
    user_id = job.created_by_id
    with tempfile.TemporaryDirectory(prefix=f"import-{job.kind}-") as folder:
        paths = _write_files(Path(folder), files)
        if not job.check_only:
            with transaction.atomic():
                return kind.run(paths, user_id, job.pk, progress)
        try:
            with transaction.atomic():
                raise _CheckedOnly(kind.run(paths, user_id, None, progress))
        except _CheckedOnly as checked:
            return checked.summary


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a waiting job: its kind's import (or check), reported on the job.

    Safe to call twice: only the call that claims the job runs it. The uploaded files
    are emptied once the job ends; their names, sizes and checksums stay. A successful
    import that changed what scores read enqueues the scoring of the affected periods.
    """
    if not _claim(job_id):
        return None
    job = ImportJob.objects.get(pk=job_id)
    files = list(job.files.all())
    nothing = "nothing was changed" if job.check_only else "nothing was imported"
    try:
        summary = _run_kind(job, files)
    except ImportRejected as rejected:
        _finish(
            job,
            ImportJob.Status.FAILED,
            errors=[e.as_dict() for e in rejected.errors],
            message=f"{nothing.capitalize()}: {len(rejected.errors)} problem(s) in "
            f"{rejected.rejected_rows} row(s).",
            stage="",
        )
    except DatabaseError as exc:
        # The connection was lost (the database restarted, or the backend was ended):
        # the import's one transaction died with it, so nothing was written. Say so on
        # the job over a new connection; if the database is still away, the sweep will.
        if not connection.is_usable():
            connection.close()
        _finish(
            job,
            ImportJob.Status.FAILED,
            message="The import stopped: the connection to the database was lost "
            f"({type(exc).__name__}). Nothing was imported; upload the files again to retry.",
            stage="",
        )
        raise
    except Exception as exc:
        _finish(
            job,
            ImportJob.Status.FAILED,
            message=f"The import stopped with an unexpected error ({type(exc).__name__}); "
            f"{nothing}.",
            stage="",
        )
        raise
    else:
        _finish(
            job,
            ImportJob.Status.SUCCEEDED,
            summary=summary.as_dict() | {"warnings": summary.warnings},
            progress_done=100,
            progress_total=100,
            stage="",
        )
        first = None if job.check_only else kind_of(job.kind).rescore_from(summary)
        if first is not None:
            _enqueue_scoring_from(first)
    ImportJobFile.objects.filter(job=job).update(content=b"")
    return job


# A job still waiting after this was never picked up (the broker lost the message).
JOB_REQUEUE_AFTER = timedelta(minutes=10)


def import_jobs_sweep(*, now: datetime | None = None) -> tuple[int, int]:
    """Tidy up after lost workers and messages. Returns (failed, requeued).

    A job running for longer than the task's hard time limit cannot still be running:
    its worker died, and as the import writes in one transaction nothing was written,
    so it is marked failed with a message saying so. A job still waiting well after it
    was created is queued again (only one worker can claim it).
    """
    now = now or timezone.now()
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + timedelta(minutes=5)
    failed = 0
    for job in ImportJob.objects.filter(
        status=ImportJob.Status.RUNNING, started_at__lt=now - limit
    ):
        try:
            transition(
                job,
                ImportJob.Status.FAILED,
                finished_at=now,
                stage="",
                message="The import stopped before it finished (its worker stopped); "
                "nothing was imported. Upload the files again to retry.",
            )
        except InvalidTransition:
            continue  # it finished meanwhile: left alone
        failed += 1
        cache.delete(PROGRESS_KEY.format(job.pk))
    waiting = list(
        ImportJob.objects.filter(
            status=ImportJob.Status.DRAFT, created_at__lt=now - JOB_REQUEUE_AFTER
        ).values_list("pk", flat=True)
    )
    for job_id in waiting:
        _queue_job_run(job_id)
    return failed, len(waiting)
