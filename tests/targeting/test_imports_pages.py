"""The import pages: check before import, limits, history per kind and its scope, the
data status page and the stale-data warning, the messages for files of the wrong shape."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from areas.models import Area, GeodemographicClass, Postcode
from demo.acorn import acorn_file
from demo.geography import boundary_files, police_street_files
from targeting import selectors, services
from targeting.models import Crime, CrimeImport, ImportJob, ScoringRun
from tests.areas.conftest import first_lines, read_features, write_features
from tests.factories import make_staff
from tests.factories.targeting import add_crimes, make_map_point, make_street

pytestmark = pytest.mark.django_db
APRIL = police_street_files()[3]


def upload(path, name=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/csv")


def run(job: ImportJob) -> ImportJob:
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


# --- Check before import --------------------------------------------------------------------


def test_checking_crime_files_reports_what_would_change_and_changes_nothing(admin_user, tmp_path):
    small = first_lines(APRIL, tmp_path / "2024-04-humberside-street.csv", 30)
    crimes, imports = Crime.objects.count(), CrimeImport.objects.count()

    job = run(services.import_job_create(user=admin_user, files=[upload(small)], check_only=True))

    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.summary["imported"] == 29
    assert job.summary["months"][0]["month"] == "2024-04"
    assert (Crime.objects.count(), CrimeImport.objects.count()) == (crimes, imports)
    assert bytes(job.files.get().content) == b""


def test_checking_a_changed_boundary_file_counts_it_as_updated_and_keeps_the_old_name(
    admin_user, tmp_path
):
    wards = read_features(boundary_files()[1])
    first = wards[0]["properties"]
    first["ward_name"] = "Renamed in the check"
    changed = write_features(tmp_path / "wards.geojson", wards)
    name_before = Area.objects.get(code=first["ward_code"]).name

    job = run(
        services.import_job_create(
            user=admin_user,
            kind="boundaries",
            files={"files": [upload(changed)]},
            check_only=True,
        )
    )

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert (job.summary["updated"], job.summary["unchanged"]) == (1, len(wards) - 1)
    assert Area.objects.get(code=first["ward_code"]).name == name_before


def test_checking_an_acorn_file_classifies_nothing(admin_user, tmp_path):
    small = first_lines(acorn_file(), tmp_path / "acorn.csv", 101)

    job = run(
        services.import_job_create(
            user=admin_user, kind="acorn", files={"file": [upload(small)]}, check_only=True
        )
    )

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.summary["updated"] == 100
    assert (
        not Postcode.objects.exclude(classification=None)
        .filter(classification__scheme="acorn")
        .exists()
    )
    assert not GeodemographicClass.objects.filter(scheme="acorn").exists()


def test_the_check_button_makes_a_check_job_and_its_page_says_nothing_changed(
    client, admin_user, tmp_path, django_capture_on_commit_callbacks
):
    small = first_lines(APRIL, tmp_path / "2024-04-humberside-street.csv", 10)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/staff/priorities/imports/crimes/", {"files": [upload(small)], "action": "check"}
        )
    job = ImportJob.objects.get()
    assert job.check_only and job.kind == "crimes"
    run(job)
    page = client.get(response["Location"]).content.decode()

    assert "What an import would change" in page
    assert "Nothing was changed" in page
    assert not Crime.objects.filter(month="2024-04-01").exists()


# --- Wrong files, through the page -----------------------------------------------------------


def test_an_acorn_file_uploaded_as_crime_fails_with_a_message_naming_both(
    client, admin_user, tmp_path
):
    small = first_lines(acorn_file(), tmp_path / "acorn.csv", 20)
    job = run(services.import_job_create(user=admin_user, files=[upload(small)]))
    client.force_login(admin_user)

    page = client.get(f"/staff/priorities/imports/{job.pk}/").content.decode()

    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["reason"].startswith(
        "This looks like an Acorn by postcode file, not police.uk street-level crime"
    )
    assert "This looks like an Acorn by postcode file" in page


def test_a_utf16_crime_file_fails_with_a_message_saying_how_to_save_it(admin_user, tmp_path):
    small = first_lines(APRIL, tmp_path / "a.csv", 10)
    utf16 = tmp_path / "2024-04-humberside-street.csv"
    utf16.write_bytes(small.read_text(encoding="utf-8").encode("utf-16"))

    job = run(services.import_job_create(user=admin_user, files=[upload(utf16)]))

    assert job.status == ImportJob.Status.FAILED
    assert "UTF-16" in job.errors[0]["reason"] and "CSV UTF-8" in job.errors[0]["reason"]
    assert "codec" not in job.errors[0]["reason"]


# --- Limits ---------------------------------------------------------------------------------


def test_an_upload_of_more_files_than_the_limit_is_refused(client, admin_user, settings):
    settings.IMPORT_MAX_FILES = 2
    client.force_login(admin_user)
    files = [SimpleUploadedFile(f"2024-0{i}-x-street.csv", b"a,b\n") for i in range(1, 4)]

    response = client.post("/staff/priorities/imports/crimes/", {"files": files})

    assert response.status_code == 200
    assert "At most 2 files can be uploaded at once; these are 3." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_upload_larger_than_the_limit_is_refused(client, admin_user, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(admin_user)
    big = SimpleUploadedFile("acorn.csv", b"x" * 1500)

    response = client.post("/staff/priorities/imports/acorn/", {"file": big})

    assert response.status_code == 200
    assert "one upload can hold at most 1000" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_required_file_of_a_kind_is_asked_for_and_the_page_keeps_its_fields(client, admin_user):
    client.force_login(admin_user)

    response = client.post("/staff/priorities/imports/deprivation/", {})

    page = response.content.decode()
    assert response.status_code == 200
    assert "IoD2019 File 2 (CSV): This field is required." in page
    assert "LSOA 2011 to 2021 lookup (CSV): This field is required." in page


def test_a_kind_that_does_not_exist_is_not_found(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/staff/priorities/imports/spreadsheets/").status_code == 404


def test_a_failed_job_empties_its_files_too(admin_user, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Crime ID,Month\r\n,2024-13\r\n")

    job = run(services.import_job_create(user=admin_user, files=[upload(bad)]))

    assert job.status == ImportJob.Status.FAILED
    assert bytes(job.files.get().content) == b""
    assert job.files.get().size == len(bad.read_bytes())


# --- History per kind, scoped -----------------------------------------------------------------


def test_a_kinds_history_shows_only_the_jobs_of_admins_in_the_same_district(client, tiny_force):
    north = make_staff("admin.north@example.test", "admin", [tiny_force["north"]])
    north_too = make_staff("admin2.north@example.test", "admin", [tiny_force["riverside"]])
    south = make_staff("admin.south@example.test", "admin", [tiny_force["south"]])
    norths = ImportJob.objects.create(created_by=north_too, kind="acorn")
    souths = ImportJob.objects.create(created_by=south, kind="acorn")
    crime = ImportJob.objects.create(created_by=north_too, kind="crimes")
    client.force_login(north)

    page = client.get("/staff/priorities/imports/acorn/").content.decode()

    assert f"/staff/priorities/imports/{norths.pk}/" in page
    assert f"/staff/priorities/imports/{souths.pk}/" not in page
    assert f"/staff/priorities/imports/{crime.pk}/" not in page  # another kind's history
    assert client.get(f"/staff/priorities/imports/{souths.pk}/").status_code == 404
    assert client.get(f"/staff/priorities/imports/{souths.pk}/progress.json").status_code == 404


def test_the_progress_json_of_a_running_job_gives_its_percent_and_stage(client, admin_user):
    job = ImportJob.objects.create(created_by=admin_user, status="running")
    services.import_job_progress(job.pk, 40, 100, "checking april.csv")
    client.force_login(admin_user)

    data = client.get(f"/staff/priorities/imports/{job.pk}/progress.json").json()

    assert data == {
        "status": "running",
        "status_label": "Running",
        "finished": False,
        "percent": 40,
        "stage": "checking april.csv",
    }


# --- Data status ----------------------------------------------------------------------------


def _month(month: date, name: str) -> CrimeImport:
    return CrimeImport.objects.create(
        reported_by="Humberside Police", month=month, file_name=name, rows=10
    )


def test_the_data_status_page_lists_the_months_and_names_the_missing_ones(client, tiny_force):
    analyst = make_staff("analyst@example.test", "analyst", [tiny_force["force"]])
    for month in (date(2024, 1, 1), date(2024, 2, 1), date(2024, 5, 1)):
        _month(month, f"{month:%Y-%m}-humberside-street.csv")
    ScoringRun.objects.create(
        started_at=timezone.now() - timezone.timedelta(seconds=75),
        finished_at=timezone.now(),
        periods=["2024-05-01"],
        trigger="nightly",
    )
    client.force_login(analyst)

    page = client.get("/staff/priorities/data/").content.decode()

    assert "2024-05-humberside-street.csv" in page
    assert "Missing months" in page and "March 2024, April 2024" in page
    assert "took 75 seconds" in page
    assert "Acorn by postcode" in page  # every kind, with what is loaded


def test_missing_months_are_those_between_the_first_and_the_last():
    months = [date(2023, 11, 1), date(2024, 2, 1), date(2023, 12, 1)]

    assert selectors.missing_months(months) == [date(2024, 1, 1)]
    assert selectors.missing_months([]) == []


def test_staff_home_warns_when_the_latest_crime_month_is_more_than_two_months_old(
    client, officer, tiny_force
):
    street = make_street(tiny_force["riverside"], "High Street", (100_100, 101_100))
    add_crimes(make_map_point(street), date(2024, 3, 1), {"anti-social-behaviour": 1})
    client.force_login(officer)

    page = client.get("/staff/priorities/").content.decode()

    assert "The latest crime data is for March 2024" in page
    home = client.get("/staff/").content.decode()  # My areas: told too
    assert "The latest crime data is for March 2024" in home
    assert selectors.crime_data_stale(today=date(2024, 5, 31)) is None
    assert selectors.crime_data_stale(today=date(2024, 6, 1))["months"] == 3
