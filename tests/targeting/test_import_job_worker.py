"""An upload is imported by a real Celery worker on the imports queue, then scored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.geography import police_street_files
from targeting import services
from targeting.models import Crime, ImportJob
from tests.areas.conftest import first_lines
from tests.celery_worker import running_worker, wait_for
from tests.factories.targeting import load_reference_data

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_imports_an_upload_and_the_job_ends_succeeded(admin_user, tmp_path):
    load_reference_data()
    small = first_lines(police_street_files()[3], tmp_path / "2024-04-humberside-street.csv", 41)
    upload = SimpleUploadedFile(small.name, small.read_bytes(), content_type="text/csv")

    with running_worker(concurrency=1, queues=["imports", "default"]):
        job = services.import_job_create(user=admin_user, files=[upload])
        wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=60)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert job.started_at is not None and job.finished_at is not None
    assert Crime.objects.count() == 40
    assert job.progress_done == job.progress_total == 100
