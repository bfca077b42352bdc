"""The access log can be written, never changed or deleted."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import AccessLog
from accounts.services import access_log_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(officer):
    return access_log_record(
        actor=officer, subject_kind="member", subject_user_id=42, view="test", reason="checking"
    )


def test_an_entry_records_who_whose_data_and_why(entry, officer):
    stored = AccessLog.objects.get(pk=entry.pk)
    assert (stored.actor, stored.subject_user_id, stored.view, stored.reason) == (
        officer,
        42,
        "test",
        "checking",
    )


def test_an_entry_cannot_be_edited_through_the_model(entry):
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()


def test_entries_cannot_be_deleted_through_the_model(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()


def test_entries_cannot_be_bulk_updated(entry):
    with pytest.raises(PermissionError):
        AccessLog.objects.update(reason="x")


def test_the_database_refuses_an_update_made_behind_the_apps_back(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE accounts_accesslog SET reason = 'x' WHERE id = %s", [entry.pk])


def test_the_database_refuses_a_delete_made_behind_the_apps_back(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM accounts_accesslog WHERE id = %s", [entry.pk])


def test_the_admin_offers_no_change_or_delete(entry, rf, admin_user):
    from django.contrib import admin

    model_admin = admin.site._registry[AccessLog]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert not model_admin.has_add_permission(request)
