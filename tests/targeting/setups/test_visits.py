"""Recording visits: once per key, as a plain form and as the script sends them."""

from __future__ import annotations

import uuid

import pytest

from accounts.models import AccessLog
from targeting.setups import services
from targeting.setups.models import Visit
from tests.factories.setups import knock, make_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(people, area):
    return make_setup(
        supervisor=people.district_supervisor,
        wards=[area["riverside"]],
        officers=[people.ward_officer],
    )


def test_a_visit_sent_twice_with_its_key_is_kept_once(setup, people, area):
    key = uuid.uuid4()
    first = knock(setup, area["streets"]["high"], people.ward_officer, "1", key=key)
    again, created = services.visit_record(
        setup=setup, street=area["streets"]["high"], officer=people.ward_officer,
        house="1", outcome=Visit.Outcome.DECLINED, key=key, sent_later=True,
    )  # fmt: skip

    assert (again.pk, created) == (first.pk, False)
    assert Visit.objects.get().outcome == Visit.Outcome.NOT_IN


def test_the_plain_form_records_a_visit_and_says_so(setup, people, area):
    street = area["streets"]["high"]
    url = f"/staff/doorstep/{setup.pk}/street/{street.pk}/"
    client = people.client("ward_officer")
    key = str(uuid.uuid4())

    response = client.post(url, {"house": " 14A ", "outcome": "not_in", "key": key}, follow=True)
    client.post(url, {"house": "14A", "outcome": "not_in", "key": key})

    visit = Visit.objects.get()
    assert (visit.house, visit.door, visit.officer) == ("14A", "14a", people.ward_officer)
    assert "Visit to 14A recorded: Not in." in response.content.decode()


def test_the_script_gets_json_and_a_resend_is_not_counted_again(setup, people, area):
    street = area["streets"]["high"]
    url = f"/staff/doorstep/{setup.pk}/street/{street.pk}/"
    client = people.client("ward_officer")
    data = {"house": "3", "outcome": "declined", "key": str(uuid.uuid4()), "sent_later": "on"}

    first = client.post(url, data, HTTP_ACCEPT="application/json").json()
    second = client.post(url, data, HTTP_ACCEPT="application/json").json()

    assert (first["created"], second["created"]) == (True, False)
    assert Visit.objects.filter(sent_later=True).count() == 1


def test_a_form_without_the_house_keeps_what_was_typed_and_says_what_is_missing(
    setup, people, area
):
    street = area["streets"]["high"]
    url = f"/staff/doorstep/{setup.pk}/street/{street.pk}/"

    response = people.client("ward_officer").post(
        url, {"house": "", "outcome": "declined", "key": str(uuid.uuid4())}
    )

    html = response.content.decode()
    assert response.status_code == 200 and "This field is required" in html
    assert 'value="declined" required id="id_outcome_3" checked' in html
    assert not Visit.objects.exists()


def test_registered_now_opens_the_doorstep_registration_with_the_street(setup, people, area):
    street = area["streets"]["high"]
    url = f"/staff/doorstep/{setup.pk}/street/{street.pk}/"

    response = people.client("ward_officer").post(
        url, {"house": "8", "outcome": "registered", "key": str(uuid.uuid4())}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/members/register/?")
    assert f"street={street.pk}" in response["Location"]
    assert "postcode=ZZ" in response["Location"]


def test_a_street_outside_the_set_up_is_not_found(setup, people, area):
    url = f"/staff/doorstep/{setup.pk}/street/{area['streets']['hill'].pk}/"

    response = people.client("ward_officer").get(url)

    assert response.status_code == 404


def test_the_export_escapes_formulas_and_is_in_the_access_log(setup, people, area):
    knock(setup, area["streets"]["high"], people.ward_officer, "=HYPERLINK(1)")

    response = people.client("district_supervisor").get(f"/staff/setups/{setup.pk}/visits.csv")

    assert "'=HYPERLINK(1)" in response.content.decode()
    log = AccessLog.objects.get(subject_kind="setup_visits")
    assert (log.actor, log.action, log.subject_count) == (people.district_supervisor, "export", 1)


def test_the_registration_opened_from_a_visit_has_the_street_chosen(setup, people, area):
    street = area["streets"]["high"]
    client = people.client("ward_officer")
    response = client.post(
        f"/staff/doorstep/{setup.pk}/street/{street.pk}/",
        {"house": "8", "outcome": "registered", "key": str(uuid.uuid4())},
    )

    page = client.get(response["Location"]).content.decode()

    assert f'<option value="{street.pk}" selected>High Street</option>' in page
