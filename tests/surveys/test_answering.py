"""Answering from the invitation link (no sign-in) and from My account."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.members.erasure import member_erase
from alerts.links import make_token
from alerts.rendering import unsubscribe_url
from surveys import links
from surveys.models import Answer, Priority, Response
from tests.factories.members import PASSWORD, make_member
from tests.factories.surveys import make_invitation, question

pytestmark = pytest.mark.django_db

PAGE_1 = {"action": "next", "q_trust": "4", "q_confidence": "3"}
PAGE_2 = {"action": "next", "q_safe_day": "5", "q_safe_dark": "2"}


@pytest.fixture
def invitation():
    return make_invitation(make_member(email="answering@example.test"))


def link_of(invitation) -> str:
    return reverse("surveys_link", args=[links.invitation_token(invitation)])


def start(client: Client, invitation) -> None:
    response = client.post(link_of(invitation))
    assert response.status_code == 302


def answer_everything(client: Client) -> None:
    client.post(reverse("surveys_page", args=[1]), PAGE_1)
    client.post(reverse("surveys_page", args=[2]), PAGE_2)
    burglary, drugs = Priority.objects.get(slug="burglary"), Priority.objects.get(slug="drugs")
    client.post(
        reverse("surveys_page", args=[3]),
        {"action": "next", "q_priorities_1": burglary.pk, "q_priorities_2": drugs.pk},
    )
    client.post(
        reverse("surveys_page", args=[4]),
        {"action": "next", "q_concerns": [drugs.pk], "q_comments": "More patrols please."},
    )


def refusal_text(response) -> str:
    """The page without what differs by request (its own address, the CSRF token)."""
    body = response.content.decode().replace(response.request["PATH_INFO"], "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_the_link_opens_the_survey_without_signing_in_and_changes_nothing_on_get(invitation):
    response = Client().get(link_of(invitation))

    assert response.status_code == 200
    assert "Start the survey" in response.content.decode()
    assert not Response.objects.exists()


def test_answers_are_saved_page_by_page_before_the_survey_is_sent(invitation, client):
    start(client, invitation)

    response = client.post(reverse("surveys_page", args=[1]), PAGE_1)

    assert response.status_code == 302 and response["Location"].endswith("/survey/answer/2/")
    saved = Response.objects.get(invitation=invitation)
    assert saved.submitted_at is None
    assert Answer.objects.get(response=saved, question=question("trust")).scale_value == 4


def test_a_page_shows_the_answers_already_saved(invitation, client):
    start(client, invitation)
    client.post(reverse("surveys_page", args=[1]), PAGE_1)

    page = client.get(reverse("surveys_page", args=[1])).content.decode()

    assert re.search(r'value="4"[^>]*checked|checked[^>]*value="4"', page)


def test_sending_the_survey_records_one_submitted_response(invitation, client):
    start(client, invitation)
    answer_everything(client)

    response = client.post(reverse("surveys_check"))

    assert response.status_code == 302 and response["Location"] == reverse("surveys_thanks")
    saved = Response.objects.get(invitation=invitation)
    assert saved.submitted_at is not None
    ranking = Answer.objects.get(response=saved, question=question("priorities"))
    assert [(r.rank, r.priority.slug) for r in ranking.priority_rows.order_by("rank")] == [
        (1, "burglary"),
        (2, "drugs"),
    ]
    assert saved.ward == invitation.member.ward


def test_sending_again_updates_the_same_response(invitation, client):
    start(client, invitation)
    answer_everything(client)
    client.post(reverse("surveys_check"))
    first = Response.objects.get(invitation=invitation).submitted_at

    client.post(reverse("surveys_page", args=[1]), {**PAGE_1, "q_trust": "1"})
    client.post(reverse("surveys_check"))

    assert Response.objects.filter(invitation=invitation).count() == 1
    saved = Response.objects.get(invitation=invitation)
    assert saved.submitted_at == first
    assert Answer.objects.get(response=saved, question=question("trust")).scale_value == 1


def test_required_questions_left_empty_stop_the_page_and_keep_what_was_typed(invitation, client):
    start(client, invitation)

    response = client.post(reverse("surveys_page", args=[1]), {"action": "next", "q_trust": "2"})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Answer.objects.exists()


def test_save_and_finish_later_keeps_a_partly_answered_page(invitation, client):
    start(client, invitation)

    response = client.post(reverse("surveys_page", args=[1]), {"action": "later", "q_trust": "2"})

    assert response.status_code == 200
    assert Answer.objects.get(question=question("trust")).scale_value == 2


def test_the_same_priority_twice_in_the_top_three_is_refused(invitation, client):
    start(client, invitation)
    drugs = Priority.objects.get(slug="drugs")

    response = client.post(
        reverse("surveys_page", args=[3]),
        {"action": "next", "q_priorities_1": drugs.pk, "q_priorities_2": drugs.pk},
    )

    assert response.status_code == 200
    assert "only once" in response.content.decode()
    assert not Answer.objects.exists()


def test_sending_with_required_answers_missing_lists_them(invitation, client):
    start(client, invitation)
    client.post(reverse("surveys_page", args=[1]), PAGE_1)

    response = client.post(reverse("surveys_check"))

    assert response.status_code == 400
    assert "How safe do you feel walking alone in your area after dark?" in (
        response.content.decode()
    )
    assert Response.objects.get(invitation=invitation).submitted_at is None


def test_a_tampered_an_expired_and_a_reused_link_get_the_same_refusal(invitation):
    token = links.invitation_token(invitation)
    tampered = Client().get(reverse("surveys_link", args=[token[:-2] + "xx"]))

    expired_invitation = make_invitation(
        make_member(email="expired@example.test"), now=timezone.now() - timedelta(days=60)
    )
    expired = Client().get(link_of(expired_invitation))

    answering = Client()
    start(answering, invitation)
    answer_everything(answering)
    answering.post(reverse("surveys_check"))
    reused = Client().get(link_of(invitation))

    for response in (tampered, expired, reused):
        assert response.status_code == 404
        assert "This link cannot be used" in response.content.decode()
        assert invitation.version.title not in response.content.decode()
    assert refusal_text(tampered) == refusal_text(expired) == refusal_text(reused)


def test_a_reused_link_cannot_start_answering_by_post_either(invitation, client):
    start(client, invitation)
    answer_everything(client)
    client.post(reverse("surveys_check"))

    response = Client().post(link_of(invitation))

    assert response.status_code == 404


def test_the_browser_that_sent_the_answers_can_still_change_them(invitation, client):
    start(client, invitation)
    answer_everything(client)
    client.post(reverse("surveys_check"))

    response = client.get(link_of(invitation))

    assert response.status_code == 302 and response["Location"] == reverse("surveys_check")


def test_a_link_made_for_unsubscribing_does_not_open_a_survey(invitation):
    stop = unsubscribe_url(member_id=invitation.member_id, now=timezone.now())
    token = stop.rstrip("/").rsplit("/", 1)[-1]

    response = Client().get(reverse("surveys_link", args=[token]))

    assert response.status_code == 404


def test_a_link_naming_another_members_invitation_is_refused(invitation):
    other = make_member(email="other.person@example.test")
    token = make_token(
        purpose=links.PURPOSE,
        data={"i": invitation.pk, "m": other.pk},
        expires_at=invitation.closes_at,
    )

    response = Client().get(reverse("surveys_link", args=[token]))

    assert response.status_code == 404


def test_the_link_of_an_erased_member_is_refused(invitation):
    url = link_of(invitation)
    member_erase(member=invitation.member)

    assert Client().get(url).status_code == 404


def test_survey_pages_without_a_started_survey_are_refused(client):
    for url in (reverse("surveys_page", args=[1]), reverse("surveys_check")):
        assert client.get(url).status_code == 404
        assert client.post(url, PAGE_1).status_code == 404


def test_someone_else_signed_in_on_the_browser_cannot_see_the_answers(invitation, client):
    start(client, invitation)
    client.post(reverse("surveys_page", args=[1]), PAGE_1)
    make_member(email="intruder@example.test")
    client.login(email="intruder@example.test", password=PASSWORD)

    response = client.get(reverse("surveys_page", args=[1]))

    assert response.status_code == 404


def test_a_signed_in_member_answers_from_their_account(client):
    member = make_member(email="signed.in@example.test")
    invitation = make_invitation(member)
    client.login(email="signed.in@example.test", password=PASSWORD)

    assert "Start the survey" in client.get(reverse("surveys_account")).content.decode()
    client.post(reverse("surveys_account"))
    answer_everything(client)
    client.post(reverse("surveys_check"))

    saved = Response.objects.get(invitation=invitation)
    assert saved.submitted_at is not None and saved.via == Response.Via.ACCOUNT


def test_a_member_with_no_open_survey_is_told_when_the_next_is_due(client):
    make_member(email="nothing.open@example.test")
    client.login(email="nothing.open@example.test", password=PASSWORD)

    response = client.get(reverse("surveys_account"))

    assert response.status_code == 200
    assert "no survey open for you" in response.content.decode()
