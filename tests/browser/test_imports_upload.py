"""An admin uploads files in the browser; a real worker imports them while the job page
shows progress without reloading itself (our script polls JSON), then the outcome."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from demo.acorn import acorn_file
from demo.geography import police_street_files
from targeting.models import Crime, ImportJob
from tests.areas.conftest import first_lines
from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.browser.test_targeting_ward_page import signed_in
from tests.celery_worker import running_worker
from tests.factories.targeting import load_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_upload_in_the_browser_shows_progress_then_the_outcome_on_a_phone(
    phone_page, live_server, admin_user, tmp_path
):
    load_reference_data()
    small = first_lines(police_street_files()[3], tmp_path / "2024-04-humberside-street.csv", 41)
    signed_in(phone_page, live_server, admin_user)

    with running_worker(concurrency=1, queues=["imports", "default"]):
        phone_page.goto("/staff/priorities/imports/crimes/")
        assert no_horizontal_scroll(phone_page)
        assert axe_violations(phone_page) == []
        phone_page.set_input_files("#id_files", str(small))
        phone_page.get_by_role("button", name="Upload and import").click()

        expect(phone_page.get_by_role("heading", name="What changed")).to_be_visible(timeout=60_000)

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert Crime.objects.count() == 40
    expect(phone_page.locator("meta[http-equiv='refresh']")).to_have_count(0)
    expect(phone_page.locator("#job-progress")).to_have_count(0)  # finished: no bar
    assert no_horizontal_scroll(phone_page)
    assert axe_violations(phone_page) == []
    assert phone_page.errors == []


def test_a_wrong_file_uploaded_in_the_browser_lists_the_problem(
    page, live_server, admin_user, tmp_path
):
    load_reference_data()
    acorn = first_lines(acorn_file(), tmp_path / "acorn.csv", 10)
    signed_in(page, live_server, admin_user)

    with running_worker(concurrency=1, queues=["imports"]):
        page.goto("/staff/priorities/imports/crimes/")
        page.set_input_files("#id_files", str(acorn))
        page.get_by_role("button", name="Check only (changes nothing)").click()

        expect(page.get_by_role("heading", name="Problems found")).to_be_visible(timeout=60_000)

    expect(page.get_by_text("This looks like an Acorn by postcode file")).to_be_visible()
    expect(page.get_by_text("Nothing was changed: 1 problem(s) in 1 row(s).")).to_be_visible()
    assert axe_violations(page) == []
    assert page.errors == []
