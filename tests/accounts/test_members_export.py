"""Download my data: complete (every model that refers to a person) and only theirs."""

import csv
import io
import json

import pytest
from django.apps import apps
from django.db.models import ForeignObjectRel

from accounts import personal_data
from accounts.members import export
from accounts.models import Member, User
from tests.factories.members import make_member, make_member_with_everything

pytestmark = pytest.mark.django_db

# Models that refer to a user or member but are not exported, and why.
NOT_EXPORTED = {
    # Django admin's record of changes made in the admin site by staff. Members never use
    # it; erasure removes the person's name from entries about them.
    "admin.logentry",
    # Who looked at whose data: the relation is to the member of staff who looked; the
    # person looked at is held as a bare id, with no personal data.
    "accounts.accesslog",
}


def models_referring_to_a_person() -> set[str]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, ForeignObjectRel) or not field.is_relation:
                continue
            if field.related_model in (Member, User):
                found.add(model._meta.label_lower)
    return found


def test_every_model_that_refers_to_a_member_or_user_is_in_the_export():
    registered = {model._meta.label_lower for model in personal_data.registered()}

    missing = models_referring_to_a_person() - registered - NOT_EXPORTED

    assert missing == set(), f"register these in accounts.personal_data: {sorted(missing)}"


def test_the_list_of_models_left_out_is_not_stale():
    assert models_referring_to_a_person() >= NOT_EXPORTED


def test_the_introspection_finds_the_models_it_should():
    found = models_referring_to_a_person()

    assert {"accounts.member", "accounts.consentrecord", "accounts.staffprofile"} <= found
    assert {"account.emailaddress", "mfa.authenticator"} <= found


@pytest.fixture
def member():
    return make_member_with_everything(
        email="export.me@example.test", name="Export Person", phone="+447700900555"
    )


def test_the_export_contains_every_registered_row_about_the_member(member):
    data = export.member_export(member=member)

    sections = {s["model"]: s for s in data["sections"]}
    for model, entry in personal_data.registered().items():
        expected = sorted(personal_data.rows_for(entry, member).values_list("pk", flat=True))
        section = sections[model._meta.label_lower]
        assert sorted(row["id"] for row in section["rows"]) == expected, model
        for row in section["rows"]:
            assert set(entry.fields) <= set(row), model
    assert len(sections["accounts.consentrecord"]["rows"]) == 7  # registration + 6 answers
    assert sections["accounts.member"]["rows"][0]["phone"] == "+447700900555"
    assert sorted(sections["accounts.member"]["rows"][0]["groups"]) == [
        "Faith group",
        "Neighbourhood Watch",
    ]
    assert sections["accounts.demographics"]["rows"][0]["ethnic_group"] == (
        "Any other White background"
    )


def test_consents_in_the_export_carry_the_wording_agreed_to(member):
    data = export.member_export(member=member)

    consents = next(s for s in data["sections"] if s["model"] == "accounts.consentrecord")
    ethnic = next(r for r in consents["rows"] if r["item"] == "Ethnic group")
    assert "explicit consent" in ethnic["wording"]
    assert ethnic["wording_version"] == "2026-01"


def test_the_export_holds_nothing_about_anyone_else(member):
    other = make_member(email="someone.else@example.test", name="Other Person")

    text = export.as_json(export.member_export(member=member))

    assert "someone.else@example.test" not in text
    assert "Other Person" not in text
    assert str(other.user_id) not in [str(r) for r in json.loads(text)["sections"][0]["rows"]]


def test_a_member_downloads_json_and_csv_with_the_same_values(client, member):
    client.force_login(member.user)

    as_json = client.get("/my-account/download/json/")
    as_csv = client.get("/my-account/download/csv/")

    assert as_json["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert as_csv["Content-Type"].startswith("text/csv")
    data = json.loads(as_json.content)
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    json_values = {
        (s["model"], str(r["id"]), field)
        for s in data["sections"]
        for r in s["rows"]
        for field in r
        if field != "id"
    }
    assert {(r["model"], r["row"], r["field"]) for r in rows} == json_values
    phone = next(r["value"] for r in rows if r["field"] == "phone")
    assert phone == "'+447700900555"  # quoted so a spreadsheet does not run it as a formula


def test_another_format_is_not_found(client, member):
    client.force_login(member.user)

    assert client.get("/my-account/download/xml/").status_code == 404
