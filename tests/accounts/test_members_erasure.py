"""Erase my account: nothing personal remains anywhere in the database."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from psycopg import sql

from accounts import personal_data
from accounts.members import erasure
from accounts.models import ConsentRecord, Demographics, Member, User
from accounts.services import access_log_record
from tests.factories import make_staff
from tests.factories.members import PASSWORD, make_member, make_member_with_everything

pytestmark = pytest.mark.django_db

MARKER_NAME = "Quillon Zebrowski-Marker"
MARKER_EMAIL = "quillon.marker@example.test"
MARKER_PHONE = "+447700900987"


def text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema()
              AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
            """
        )
        return cursor.fetchall()


def places_holding(*values: str) -> list[str]:
    """Every table.column with a value containing any of ``values`` (case-insensitive)."""
    patterns = [f"%{v}%" for v in values]
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE {}::text ILIKE ANY(%s)").format(
                    sql.Identifier(table), sql.Identifier(column)
                ),
                [patterns],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


@pytest.fixture
def member():
    return make_member_with_everything(email=MARKER_EMAIL, name=MARKER_NAME, phone=MARKER_PHONE)


def test_the_search_finds_the_members_data_before_erasure(member):
    places = places_holding(MARKER_NAME, MARKER_EMAIL, MARKER_PHONE[3:])

    assert {"accounts_user.name", "accounts_user.email", "account_emailaddress.email"} <= set(
        places
    )
    assert "accounts_member.phone" in places


def test_after_erasure_no_personal_value_remains_in_any_table(client, member, tiny_force):
    officer = make_staff("looker@example.test", "officer", [tiny_force["riverside"]])
    access_log_record(
        actor=officer, subject_kind="member", subject_user_id=member.user_id, view="test"
    )
    LogEntry.objects.log_actions(
        user_id=officer.pk,
        queryset=User.objects.filter(pk=member.user_id),
        action_flag=CHANGE,
        change_message=f"Changed name to {MARKER_NAME}",
    )
    client.force_login(member.user)

    response = client.post("/my-account/erase/", {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/account-erased/"
    assert places_holding(MARKER_NAME, MARKER_EMAIL, MARKER_PHONE[3:]) == []
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not ConsentRecord.objects.filter(member_id=member.pk).exists()
    # The session is over, and the page that follows is public.
    assert client.get("/my-account/").status_code == 302


def test_erasure_hands_rows_to_be_kept_anonymised_to_their_app_first(member):
    seen = []
    original = personal_data.registered()[ConsentRecord]
    personal_data.register(
        ConsentRecord,
        member_path="member",
        label="Test statistics",
        fields=("item",),
        erase="anonymise",
        anonymise=lambda qs: seen.extend(qs.values_list("item", flat=True)),
    )
    try:
        erasure.member_erase(member=member)
    finally:
        personal_data._REGISTRY[ConsentRecord] = original

    assert sorted(seen) == sorted(["registration", *Demographics.ITEMS])


def test_the_erase_page_says_what_remains(client, member):
    original = personal_data.registered()[ConsentRecord]
    personal_data.register(
        ConsentRecord,
        member_path="member",
        label="Survey answers (test)",
        fields=("item",),
        erase="anonymise",
        anonymise=lambda qs: None,
    )
    client.force_login(member.user)
    try:
        html = client.get("/my-account/erase/").content.decode()
    finally:
        personal_data._REGISTRY[ConsentRecord] = original

    remains = html.split("What remains")[1]
    assert "Survey answers (test): kept for statistics without your name" in remains
    assert "keeps only a number" in remains


def test_erasure_needs_the_password_and_a_tick(client, member):
    client.force_login(member.user)

    response = client.post("/my-account/erase/", {"password": "wrong"})

    html = response.content.decode()
    assert "That is not your password." in html
    assert "Tick the box to confirm." in html
    assert Member.objects.filter(pk=member.pk).exists()


def test_staff_accounts_are_not_erased_here(client, tiny_force):
    staff = make_staff("staff.member@example.test", "officer", [tiny_force["riverside"]])
    make_member(email="other@example.test")
    member = Member.objects.get(user__email="other@example.test")
    member.user = staff
    Member.objects.filter(pk=member.pk).update(user=staff)
    client.force_login(staff)

    response = client.post("/my-account/erase/", {"password": PASSWORD, "confirm": "on"})

    assert "closed by an administrator" in response.content.decode()
    assert User.objects.filter(pk=staff.pk).exists()
    assert ContentType.objects.exists()


def test_erasure_signs_the_person_out_on_every_device(client, member):
    from django.contrib.sessions.models import Session
    from django.test import Client

    phone = Client()
    phone.force_login(member.user)
    client.force_login(member.user)
    other_session = phone.session.session_key

    erasure.member_erase(member=member)

    assert not Session.objects.filter(session_key=other_session).exists()
