"""Admins edit survey templates in the app; answers keep the version they were given to."""

import pytest
from django.urls import reverse

from surveys import editing
from surveys.models import Question, SurveyVersion
from surveys.selectors import current_version
from tests.factories.members import make_member
from tests.factories.surveys import make_invitation, make_response, version

pytestmark = pytest.mark.django_db


def test_editing_a_published_template_starts_a_draft_copy(client, admin_user):
    v1 = version()
    client.force_login(admin_user)

    response = client.post(reverse("surveys_draft", args=[v1.survey_id]))

    draft = SurveyVersion.objects.get(survey=v1.survey, published_at__isnull=True)
    assert response["Location"] == reverse("surveys_version", args=[draft.pk])
    assert draft.number == v1.number + 1
    assert list(draft.questions.values_list("key", flat=True)) == list(
        v1.questions.values_list("key", flat=True)
    )


def test_a_changed_and_published_template_leaves_answers_already_given_alone(client, admin_user):
    v1 = version()
    member = make_member(email="answered.v1@example.test")
    given = make_response(make_invitation(member), scales={"trust": 2})
    client.force_login(admin_user)
    client.post(reverse("surveys_draft", args=[v1.survey_id]))
    draft = SurveyVersion.objects.get(survey=v1.survey, published_at__isnull=True)
    trust = draft.questions.get(key="trust")

    client.post(
        reverse("surveys_question", args=[trust.pk]),
        {"key": "trust", "kind": "scale", "text": "Do you trust the police here?",
         "help_text": "", "page": 1, "order": 1, "required": "on",
         "options_text": "No\nHardly\nSomewhat\nMostly\nFully"},
    )  # fmt: skip
    client.post(reverse("surveys_publish", args=[draft.pk]))

    assert current_version() == draft
    old = given.answers.get().question
    assert old.version == v1 and old.text == "How much do you trust the police in your local area?"
    assert draft.questions.get(key="trust").text == "Do you trust the police here?"
    later = make_invitation(make_member(email="answers.v2@example.test"))
    assert later.version == draft


def test_a_published_version_cannot_be_edited(client, admin_user):
    trust = version().questions.get(key="trust")
    client.force_login(admin_user)

    response = client.post(
        reverse("surveys_question", args=[trust.pk]),
        {"key": "trust", "kind": "scale", "text": "Changed", "page": 1, "order": 1},
    )

    assert response.status_code == 404
    assert Question.objects.get(pk=trust.pk).text != "Changed"
    with pytest.raises(editing.VersionFrozen):
        editing.question_save(version=trust.version, question=trust, text="Changed")


def test_a_scale_needs_five_labels(client, admin_user):
    draft = editing.version_draft(survey=version().survey, user=admin_user)
    client.force_login(admin_user)

    response = client.post(
        reverse("surveys_question_new", args=[draft.pk]),
        {"key": "patrols", "kind": "scale", "text": "Do you see patrols?", "page": 5,
         "order": 1, "options_text": "Never\nOften"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "exactly five labels" in response.content.decode()
    assert not draft.questions.filter(key="patrols").exists()


def test_officers_cannot_open_the_template_editor(client, officer):
    client.force_login(officer)

    assert client.get(reverse("surveys_templates")).status_code == 404
    assert client.get(reverse("surveys_version", args=[version().pk])).status_code == 404


def test_the_editor_lists_the_surveys_and_their_versions(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("surveys_templates"))

    assert response.status_code == 200
    assert "Public confidence survey" in response.content.decode()
