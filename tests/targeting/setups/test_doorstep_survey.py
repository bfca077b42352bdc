"""The survey taken on the doorstep: the officer records the resident's answers."""

from __future__ import annotations

import pytest

from surveys.models import Response
from targeting.setups.models import Visit
from tests.factories.setups import knock, make_setup

pytestmark = pytest.mark.django_db
ANSWERS = {"q_trust": "4", "q_confidence": "2", "q_safe_day": "5", "q_safe_dark": "3"}


@pytest.fixture
def visit(people, area):
    setup = make_setup(
        supervisor=people.district_supervisor,
        wards=[area["riverside"]],
        officers=[people.ward_officer, people.district_supervisor],
    )
    return knock(setup, area["streets"]["high"], people.ward_officer, "21", Visit.Outcome.SURVEY)


def _url(visit: Visit) -> str:
    return f"/staff/doorstep/{visit.setup_id}/visits/{visit.key}/survey/"


def test_a_survey_visit_leads_to_the_survey(people, area):
    setup = make_setup(
        supervisor=people.district_supervisor, wards=[area["riverside"]],
        officers=[people.ward_officer],
    )  # fmt: skip
    street = area["streets"]["high"]

    response = people.client("ward_officer").post(
        f"/staff/doorstep/{setup.pk}/street/{street.pk}/",
        {"house": "2", "outcome": "survey", "key": "5d7c6f0e-8f8c-4bb8-a6a0-1f1c3c0d2b11"},
    )

    assert response["Location"] == (
        f"/staff/doorstep/{setup.pk}/visits/5d7c6f0e-8f8c-4bb8-a6a0-1f1c3c0d2b11/survey/"
    )


def test_the_answers_are_kept_as_taken_by_staff_for_the_street_and_nobody(people, visit):
    before = Response.objects.count()

    people.client("ward_officer").post(_url(visit), ANSWERS)

    visit.refresh_from_db()
    response = visit.survey_response
    assert Response.objects.count() == before + 1
    assert (response.via, response.member, response.street) == ("staff", None, visit.street)
    assert response.submitted_at is not None
    assert response.answers.get(question__key="trust").scale_value == 4


def test_a_survey_missing_a_required_answer_is_refused_and_nothing_is_kept(people, visit):
    before = Response.objects.count()

    page = people.client("ward_officer").post(_url(visit), {"q_trust": "4"})

    visit.refresh_from_db()
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    assert visit.survey_response is None and Response.objects.count() == before


def test_a_visit_takes_one_survey_only(people, visit):
    client = people.client("ward_officer")
    client.post(_url(visit), ANSWERS)
    before = Response.objects.count()

    again = client.post(_url(visit), ANSWERS)

    assert again.status_code == 302 and Response.objects.count() == before


def test_a_colleagues_survey_visit_is_not_found(people, visit):
    assert people.client("district_supervisor").get(_url(visit)).status_code == 404
