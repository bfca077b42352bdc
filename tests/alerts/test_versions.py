"""Versions by what each member said: "You said, we did" for those whose latest survey raised
one of the message's priorities, the general one for those who answered otherwise, and the
invitation to answer for those who never have. The sender sees each count first."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alerts import selectors, services
from alerts.audiences import Audience
from alerts.models import Delivery, Version
from surveys.reference import ensure_reference_data
from tests.factories.members import CENTRAL, ensure_hull_geography, make_member, make_officer
from tests.factories.surveys import make_invitation, make_response

pytestmark = pytest.mark.django_db

ASB = "anti-social-behaviour"


@pytest.fixture
def ward():
    ensure_reference_data()
    return ensure_hull_geography()[CENTRAL]


def answered(member, *, priorities=(), concerns=(), days_ago=10, cycle=1):
    at = timezone.now() - timedelta(days=days_ago)
    make_response(make_invitation(member, cycle=cycle), submitted_at=at, priorities=priorities,
                  concerns=concerns)  # fmt: skip


@pytest.fixture
def said(ward):
    raised = make_member(email="said@example.test")
    answered(raised, priorities=["drugs", ASB])
    concerned = make_member(email="concern@example.test")
    answered(concerned, priorities=["burglary"], concerns=[ASB])
    other = make_member(email="general@example.test")
    answered(other, priorities=["speeding-road-safety"])
    # Raised it once, but not in their latest answers.
    changed = make_member(email="changed@example.test")
    answered(changed, priorities=[ASB], days_ago=120)
    answered(changed, priorities=["fraud-scams"], days_ago=5, cycle=2)
    make_member(email="invite@example.test")
    # A draft never submitted is not an answer.
    drafted = make_member(email="draft@example.test")
    make_response(make_invitation(drafted), submitted_at=None, priorities=[ASB])


@pytest.fixture
def draft(ward, said):
    officer = make_officer("versions.officer@example.test", ward)
    return services.message_draft_create(
        sender=officer,
        subject="Dispersal order on Whitefriargate",
        bodies={"general": "We put a dispersal order in place and patrolled every evening."},
        priorities=[ASB],
        audience=Audience.for_area(ward),
    )


def versions_sent(message) -> dict[str, str]:
    return dict(
        Delivery.objects.filter(message=message).values_list("member__user__email", "version")
    )


def test_each_member_gets_the_version_that_fits_what_they_said(draft):
    services.message_send(message=draft)

    assert versions_sent(draft) == {
        "said@example.test": Version.SAID,
        "concern@example.test": Version.SAID,
        "general@example.test": Version.GENERAL,
        "changed@example.test": Version.GENERAL,
        "invite@example.test": Version.INVITE,
        "draft@example.test": Version.INVITE,
    }


def test_the_preview_counts_each_version_as_sending_will(draft):
    preview = selectors.message_preview(draft, now=timezone.now())

    assert preview.versions == {Version.SAID: 2, Version.GENERAL: 2, Version.INVITE: 2}
    assert preview.reached == 6 and preview.held_back == 0


def test_the_said_version_names_the_priorities_and_says_what_was_done(draft):
    said = draft.body_for(Version.SAID)

    assert "Anti-social behaviour" in said or "anti-social" in said.lower()
    assert "dispersal order" in said
    assert "survey" in draft.body_for(Version.INVITE)


def test_each_member_is_emailed_their_own_version(draft):
    services.message_send(message=draft)
    for pk in Delivery.objects.filter(message=draft).values_list("pk", flat=True):
        services.delivery_send(delivery_id=pk)

    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert draft.body_for(Version.SAID).splitlines()[0] in bodies["said@example.test"]
    assert draft.body_for(Version.SAID).splitlines()[0] not in bodies["general@example.test"]
    assert "answer our quarterly survey" in bodies["invite@example.test"]


def test_a_message_without_priorities_sends_no_said_version(ward, said):
    officer = make_officer("versions.two@example.test", ward)
    message = services.message_draft_create(
        sender=officer, subject="Road closed", bodies={"general": "Closed until Friday."},
        priorities=[], audience=Audience.for_area(ward),
    )  # fmt: skip

    services.message_send(message=message)

    assert Version.SAID not in set(versions_sent(message).values())
