"""Only members who confirmed their email address are contacted, listed or counted.

Anyone can type someone else's address into the sign-up form (or an officer can mistype
one at the door): until its owner follows the link sent to it, the registration is not
a member anywhere staff look, and nothing but the confirmation is sent to it.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from accounts.members.selectors import demographic_counts
from accounts.models import AccessLog, Member
from alerts.models import Delivery
from alerts.selectors import audience_for_area
from alerts.services import message_send
from areas.models import Area
from surveys import schedule
from surveys import services as survey_services
from surveys.models import Invitation
from targeting.models import StreetScore, WardScore
from targeting.scoring import compute_scores
from targeting.selectors import coverage, key_contacts_in
from tests.factories import make_staff
from tests.factories.alerts import make_message
from tests.factories.members import CENTRAL, fresh_ip, make_member
from tests.factories.surveys import bulk_members
from tests.factories.targeting import MAR, hand_built_area, make_members, make_postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(tiny_force):
    return hand_built_area(tiny_force)


@pytest.fixture
def riverside_postcode(area):
    return make_postcode("ZZ1 9ZZ", area["riverside"], 100_300, 101_300)


def test_an_unconfirmed_key_contact_is_not_on_the_wards_contacts_page(
    client, officer, area, riverside_postcode
):
    (confirmed,) = make_members(riverside_postcode, 1, key_contact=True)
    (pending,) = make_members(riverside_postcode, 1, key_contact=True, confirmed=False)
    client.force_login(officer)

    page = client.get(f"/staff/priorities/area/{area['riverside'].code}/contacts/")

    html = page.content.decode()
    assert confirmed.user.email in html
    assert pending.user.email not in html and pending.user.name not in html
    assert not AccessLog.objects.filter(subject_user_id=pending.user_id).exists()


def test_unconfirmed_members_are_not_counted_in_a_wards_coverage(area, riverside_postcode):
    make_members(riverside_postcode, 5, key_contact=True, confirmed=False)

    shown = coverage([area["riverside"]])

    assert (shown.members, shown.key_contacts) == (12, 0)  # the 4 + 8 confirmed ones


def test_unconfirmed_members_do_not_count_in_the_engagement_score(area):
    west = Member.objects.filter(postcode__code="ZZ1 1AA").first().postcode
    make_members(west, 30, confirmed=False)

    compute_scores(forces=[area["force"]])

    assert WardScore.objects.get(ward=area["riverside"], period=MAR).members == 12
    high = StreetScore.objects.get(street=area["streets"]["high"], period=MAR)
    assert high.members == 4  # the west output area's confirmed members only


def test_an_unconfirmed_member_is_not_in_a_message_audience():
    confirmed = make_member(email="confirmed@example.test")
    pending = make_member(email="pending@example.test", verified=False)
    central = Area.objects.get(code=CENTRAL)

    audience = set(audience_for_area(area=central))
    sent = message_send(message=make_message(), members=Member.objects.all())

    assert confirmed in audience and pending not in audience
    assert sent == 1
    assert not Delivery.objects.filter(member=pending).exists()


def test_an_unconfirmed_member_is_not_invited_to_the_survey():
    registered = datetime(2025, 1, 10, 9, 30, tzinfo=UTC)
    (confirmed,) = bulk_members(1, registered_at=registered)
    (pending,) = bulk_members(1, registered_at=registered, confirmed=False)
    latest_due = max(
        schedule.due_at(member_id=m.pk, registered_at=registered, cycle=1)
        for m in (confirmed, pending)
    )

    survey_services.dispatch(now=latest_due + timedelta(hours=1))

    assert set(Invitation.objects.values_list("member_id", flat=True)) == {confirmed.pk}


def test_demographic_counts_leave_out_unconfirmed_members():
    central = Area.objects.get(code=CENTRAL)
    for n in range(12):
        make_member(verified=n < 10, demographics={"religion": "christian"}, consent={"religion"})

    assert demographic_counts(wards=[central], item="religion") == {"christian": 10}


def test_a_resident_registered_at_the_door_becomes_a_member_when_they_confirm(
    django_capture_on_commit_callbacks, mailoutbox
):
    central = Area.objects.get(code=CENTRAL)
    officer = make_staff("pc.central@example.test", "officer", [central])
    staff = Client(REMOTE_ADDR=fresh_ip())
    staff.force_login(officer)
    form = {
        "name": "Maria Resident",
        "email": "maria.resident@example.test",
        "postcode": "HU1 2PD",
        "by_email": "on",
        "max_frequency": "any",
        "language": "en-gb",
        "key_contact": "on",
        "agree": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        staff.post("/staff/members/register/", form)
    member = Member.objects.get(user__email="maria.resident@example.test")

    before = (member in audience_for_area(area=central), member in key_contacts_in([central]))
    link = re.search(r"/accounts/confirm-email/[\w:-]+/", mailoutbox[0].body).group(0)
    Client(REMOTE_ADDR=fresh_ip()).post(link)
    after = (member in audience_for_area(area=central), member in key_contacts_in([central]))

    assert before == (False, False)
    assert after == (True, True)
