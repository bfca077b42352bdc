"""The database connection lost in the middle of an import leaves nothing half-written.

A month imported before is uploaded again, bigger. The worker starts replacing it: it
has staged the rows, placed new map points and deleted the month's old crimes when it
meets a lock this test holds on the import records; then its database backend is ended
(``pg_terminate_backend``, what a database restart does to every connection). The old
month must be whole, nothing new kept, the job failed with a message saying what
happened, and the same upload again must succeed.
"""

from __future__ import annotations

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from demo.geography import police_street_files
from targeting import services
from targeting.models import Crime, CrimeImport, ImportJob, MapPoint
from tests.areas.conftest import first_lines
from tests.celery_worker import running_worker, wait_for
from tests.factories.targeting import load_reference_data

pytestmark = [pytest.mark.worker, pytest.mark.faults, pytest.mark.django_db(transaction=True)]

WAITING_ON_IMPORT_RECORDS = """
SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
 WHERE c.relname = 'targeting_crimeimport' AND NOT l.granted
"""


def second_connection() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    )  # fmt: skip


def blocked_backend(holder: psycopg.Connection) -> int | None:
    row = holder.execute(WAITING_ON_IMPORT_RECORDS).fetchone()
    return row[0] if row else None


def upload(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")


def test_a_lost_connection_mid_import_keeps_the_old_month_and_fails_the_job(admin_user, tmp_path):
    load_reference_data()
    april = police_street_files()[3]
    (tmp_path / "before").mkdir()
    before = first_lines(april, tmp_path / "before" / april.name, 41)
    services.crimes_import(paths=[before], schedule_scoring=False)
    points_before = MapPoint.objects.count()
    bigger = first_lines(april, tmp_path / april.name, 301)

    with running_worker(concurrency=1, queues=["imports"]), second_connection() as holder:
        holder.execute("LOCK TABLE targeting_crimeimport IN SHARE MODE")
        job = services.import_job_create(user=admin_user, files=[upload(bigger)])
        wait_for(lambda: blocked_backend(holder) is not None, timeout=60)
        with second_connection() as killer:
            killer.execute("SELECT pg_terminate_backend(%s)", [blocked_backend(holder)])
        holder.rollback()  # the lock goes; the worker's transaction is gone already
        wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=60)

        job.refresh_from_db()
        assert job.status == ImportJob.Status.FAILED
        assert "connection to the database was lost" in job.message
        assert "Nothing was imported; upload the files again to retry." in job.message
        # The month as it was: its 40 crimes, one import record, no new map points.
        assert Crime.objects.count() == 40
        assert CrimeImport.objects.count() == 1
        assert MapPoint.objects.count() == points_before

        again = services.import_job_create(user=admin_user, files=[upload(bigger)])
        wait_for(lambda: ImportJob.objects.get(pk=again.pk).is_finished, timeout=60)

    again.refresh_from_db()
    assert again.status == ImportJob.Status.SUCCEEDED, again.message
    assert Crime.objects.count() == 300
    assert CrimeImport.objects.get(job=again).replaced_rows == 40  # the old month, replaced
