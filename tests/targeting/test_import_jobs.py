"""The upload page: the same import run by a worker, its progress and its error report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.lifecycle import InvalidTransition, transition
from demo.geography import police_street_files
from targeting import services
from targeting.models import Crime, ImportJob
from tests.areas.conftest import first_lines

pytestmark = pytest.mark.django_db
APRIL = police_street_files()[3]


def upload(path, name=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/csv")


def test_uploading_files_creates_a_waiting_job_and_queues_it(
    client, admin_user, tmp_path, django_capture_on_commit_callbacks
):
    small = first_lines(APRIL, tmp_path / "2024-04-humberside-street.csv", 30)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/staff/priorities/imports/crimes/", {"files": [upload(small)]})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/priorities/imports/{job.pk}/"
    assert job.status == ImportJob.Status.DRAFT
    assert job.files.get().name == "2024-04-humberside-street.csv"
    assert len(callbacks) == 1


def test_a_waiting_job_page_polls_its_progress_without_a_meta_refresh(client, admin_user):
    job = ImportJob.objects.create(created_by=admin_user)
    client.force_login(admin_user)

    page = client.get(f"/staff/priorities/imports/{job.pk}/").content.decode()

    assert "http-equiv" not in page
    assert f'data-progress-url="/staff/priorities/imports/{job.pk}/progress.json"' in page
    assert '<progress id="job-progress"' in page
    assert 'aria-live="polite"' in page
    assert "Waiting for a worker" in page
    # Without JavaScript: a link that loads the page again.
    assert "Refresh to see how far it has got" in page


def test_running_a_job_imports_the_rows_and_reports_each_month(admin_user, tmp_path):
    small = first_lines(APRIL, tmp_path / "2024-04-humberside-street.csv", 30)
    job = services.import_job_create(user=admin_user, files=[upload(small)])

    services.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.summary["imported"] == 29
    assert job.summary["months"][0]["month"] == "2024-04"
    assert job.crime_imports.get().rows == 29
    assert Crime.objects.filter(month__month=4).count() == 29
    assert bytes(job.files.get().content) == b""  # the upload is not kept once imported


def test_a_bad_file_fails_the_job_with_the_same_error_report(client, admin_user, tmp_path):
    lines = APRIL.read_bytes().split(b"\r\n")[:12]
    fields = lines[6].split(b",")
    fields[1] = b"April"
    lines[6] = b",".join(fields)  # line 7
    bad = tmp_path / "april.csv"
    bad.write_bytes(b"\r\n".join(lines))
    job = services.import_job_create(user=admin_user, files=[upload(bad)])

    services.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        {
            "file": "april.csv",
            "line": 7,
            "column": "Month",
            "reason": "'April' is not a month like 2024-01",
        }
    ]
    assert not Crime.objects.filter(month__month=4).exists()
    client.force_login(admin_user)
    page = client.get(f"/staff/priorities/imports/{job.pk}/").content.decode()
    assert "april.csv" in page and "&#x27;April&#x27; is not a month like 2024-01" in page
    assert "job-progress" not in page  # finished: no bar, no "Progress 0%"
    assert "0%" not in page


def test_a_job_runs_once_however_often_it_is_asked(admin_user, tmp_path):
    small = first_lines(APRIL, tmp_path / "april.csv", 5)
    job = services.import_job_create(user=admin_user, files=[upload(small)])

    assert services.import_job_run(job_id=job.pk) is not None
    assert services.import_job_run(job_id=job.pk) is None
    assert Crime.objects.filter(month__month=4).count() == 4


def test_the_lifecycle_refuses_going_back():
    job = ImportJob(status=ImportJob.Status.SUCCEEDED)

    with pytest.raises(InvalidTransition):
        transition(job, ImportJob.Status.RUNNING)


def test_a_finished_job_cannot_be_started_again():
    assert not ImportJob(status=ImportJob.Status.FAILED).can_become(ImportJob.Status.RUNNING)
    assert ImportJob(status=ImportJob.Status.DRAFT).can_become(ImportJob.Status.RUNNING)


def test_only_csv_files_are_accepted(client, admin_user):
    client.force_login(admin_user)
    bad = SimpleUploadedFile("crimes.xlsx", b"not a csv")

    response = client.post("/staff/priorities/imports/crimes/", {"files": [bad]})

    assert response.status_code == 200
    assert "crimes.xlsx is not a CSV file." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_sweep_fails_a_job_its_worker_left_running_and_leaves_a_live_one(admin_user):
    now = timezone.now()
    lost = ImportJob.objects.create(created_by=admin_user)
    live = ImportJob.objects.create(created_by=admin_user)
    ImportJob.objects.filter(pk=lost.pk).update(
        status=ImportJob.Status.RUNNING, started_at=now - timedelta(hours=2)
    )
    ImportJob.objects.filter(pk=live.pk).update(
        status=ImportJob.Status.RUNNING, started_at=now - timedelta(minutes=5)
    )

    failed, requeued = services.import_jobs_sweep(now=now)

    lost.refresh_from_db()
    live.refresh_from_db()
    assert (failed, requeued) == (1, 0)
    assert lost.status == ImportJob.Status.FAILED and "nothing was imported" in lost.message
    assert live.status == ImportJob.Status.RUNNING


def test_the_sweep_runs_again_a_job_that_was_never_picked_up(admin_user, tmp_path):
    small = first_lines(APRIL, tmp_path / "2024-04-humberside-street.csv", 30)
    job = services.import_job_create(user=admin_user, files=[upload(small)])  # never queued
    fresh = ImportJob.objects.create(created_by=admin_user)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))

    failed, requeued = services.import_jobs_sweep()

    job.refresh_from_db()
    fresh.refresh_from_db()
    assert (failed, requeued) == (0, 1)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert Crime.objects.filter(month="2024-04-01").count() == 29
    assert fresh.status == ImportJob.Status.DRAFT


def test_import_jobs_are_seen_only_by_admins_whose_areas_cover_their_maker(client, tiny_force):
    from tests.factories import make_staff

    north = make_staff("admin.north@example.test", "admin", [tiny_force["north"]])
    south = make_staff("admin.south@example.test", "admin", [tiny_force["south"]])
    force = make_staff("admin.force@example.test", "admin", [tiny_force["force"]])
    norths_job = ImportJob.objects.create(created_by=north)

    def sees(user) -> tuple[bool, int]:
        client.force_login(user)
        listed = (
            f"/staff/priorities/imports/{norths_job.pk}/"
            in client.get("/staff/priorities/imports/").content.decode()
        )
        return listed, client.get(f"/staff/priorities/imports/{norths_job.pk}/").status_code

    assert sees(north) == (True, 200)
    assert sees(force) == (True, 200)
    assert sees(south) == (False, 404)
