"""About you: optional answers, explicit consent for special categories, withdrawal."""

import pytest
from django.db import connection

from accounts.members import services
from accounts.members.selectors import demographic_counts
from accounts.models import ConsentRecord, Demographics
from tests.factories.members import make_member, postcode

pytestmark = pytest.mark.django_db


def stored(member, item: str) -> str:
    """The value as the database holds it (not what the model would show)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {item} FROM accounts_demographics WHERE member_id = %s",  # noqa: S608
            [member.pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def member():
    return make_member(
        demographics={"ethnic_group": "asian_indian", "religion": "hindu", "age_band": "25-34"},
        consent={"ethnic_group", "religion"},
    )


def test_withdrawing_consent_deletes_the_value(member):
    services.member_consent_withdraw(member=member, item="religion")

    assert stored(member, "religion") == ""
    consent = ConsentRecord.objects.get(member=member, item="religion")
    assert consent.withdrawn_at is not None
    # The other answers are untouched.
    assert stored(member, "ethnic_group") == "asian_indian"
    assert ConsentRecord.objects.get(member=member, item="ethnic_group").withdrawn_at is None


def test_a_member_withdraws_consent_from_their_about_you_page(client, member):
    client.force_login(member.user)

    response = client.post("/my-account/about-you/ethnic_group/withdraw/")

    assert response.status_code == 302
    assert stored(member, "ethnic_group") == ""
    page = client.get("/my-account/about-you/").content.decode()
    assert "Indian" not in page.split("What we hold")[1].split("Change your answers")[0]


def test_a_consent_record_says_who_what_when_how_and_which_wording(member):
    record = ConsentRecord.objects.get(member=member, item="ethnic_group")

    assert record.member == member
    assert record.how == "online"
    assert record.wording_version == "2026-01"
    assert record.given_at is not None
    assert record.recorded_by is None


def test_a_special_category_answer_is_never_stored_without_consent(member):
    with pytest.raises(services.ConsentMissing):
        services.member_demographics_save(member=member, answers={"disability": "limited_a_lot"})

    assert stored(member, "disability") == ""


def test_prefer_not_to_say_needs_no_consent_and_withdraws_an_earlier_one(member):
    services.member_demographics_save(member=member, answers={"religion": "prefer_not_to_say"})

    assert stored(member, "religion") == "prefer_not_to_say"
    assert not ConsentRecord.objects.filter(
        member=member, item="religion", withdrawn_at__isnull=True
    ).exists()


def test_giving_consent_again_after_withdrawing_makes_a_new_record(member):
    services.member_consent_withdraw(member=member, item="religion")
    services.member_demographics_save(
        member=member, answers={"religion": "buddhist"}, explicit_consent={"religion"}
    )

    records = ConsentRecord.objects.filter(member=member, item="religion")
    assert records.count() == 2
    assert records.filter(withdrawn_at__isnull=True).count() == 1


def test_saving_the_about_you_form_with_a_blank_answer_deletes_it(client, member):
    client.force_login(member.user)

    client.post(
        "/my-account/about-you/",
        {"ethnic_group": "asian_indian", "consent_ethnic_group": "on", "religion": ""},
    )

    assert stored(member, "religion") == ""
    assert stored(member, "age_band") == ""
    assert stored(member, "ethnic_group") == "asian_indian"


def test_registration_consent_is_not_withdrawn_item_by_item(client, member):
    client.force_login(member.user)

    response = client.post("/my-account/about-you/registration/withdraw/")

    assert response.status_code == 404
    assert ConsentRecord.objects.get(member=member, item="registration").withdrawn_at is None


def test_counts_for_officers_hide_numbers_under_ten():
    ward = postcode("HU1 2PD").ward
    for _ in range(10):
        make_member(demographics={"religion": "christian"}, consent={"religion"})
    for _ in range(3):
        make_member(demographics={"religion": "muslim"}, consent={"religion"})
    make_member(demographics={"religion": "prefer_not_to_say"})

    counts = demographic_counts(wards=[ward], item="religion")

    assert counts == {"christian": 10, "muslim": None}
    assert Demographics.objects.filter(member__ward=ward).count() == 14


def test_counts_for_officers_follow_the_disclosure_threshold_setting(settings):
    ward = postcode("HU1 2PD").ward
    for religion, n in (("christian", 4), ("muslim", 2)):
        for _ in range(n):
            make_member(demographics={"religion": religion}, consent={"religion"})
    settings.DISCLOSURE_THRESHOLD = 3

    assert demographic_counts(wards=[ward], item="religion") == {"christian": 4, "muslim": None}
