"""Survey data in "download my data" and "erase my account"."""

import pytest

from accounts.members import export
from accounts.members.erasure import member_erase
from surveys.models import Answer, Invitation, Response
from tests.factories.members import make_member
from tests.factories.surveys import make_invitation, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    member = make_member(email="survey.data@example.test")
    response = make_response(
        make_invitation(member),
        scales={"trust": 4},
        priorities=["drugs"],
        comment="I am Pat at 12 Acacia Avenue",
        submitted_at=None,
    )
    return member, response


def test_the_export_holds_the_members_invitations_responses_and_answers(answered):
    member, _response = answered

    data = export.member_export(member=member)

    sections = {s["model"]: s for s in data["sections"]}
    assert len(sections["surveys.invitation"]["rows"]) == 1
    assert len(sections["surveys.response"]["rows"]) == 1
    texts = [row["text"] for row in sections["surveys.answer"]["rows"]]
    assert "I am Pat at 12 Acacia Avenue" in texts


def test_erasure_keeps_the_answers_without_the_person_or_their_words(answered):
    member, response = answered

    member_erase(member=member)

    response.refresh_from_db()
    assert response.member_id is None
    assert Invitation.objects.get(pk=response.invitation_id).member_id is None
    assert Answer.objects.get(response=response, question__key="trust").scale_value == 4
    assert not Answer.objects.filter(response=response).exclude(text="").exists()
    assert Response.objects.count() == 1
