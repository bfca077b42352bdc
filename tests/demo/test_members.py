"""The synthetic demo members."""

import pytest

from accounts.models import ConsentRecord, Demographics, Member, User
from demo.members import DEMO_RESIDENT_EMAIL, FOCUS_WARDS, create_demo_members
from demo.staff import DEMO_PASSWORD, create_demo_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Made once for the module (inside a transaction that is rolled back after it)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        create_demo_staff()
        created = create_demo_members(count=60)
        yield created
        transaction.set_rollback(True)


def test_demo_members_are_made_once(demo):
    assert demo == 61  # and the demo resident
    assert create_demo_members(count=60) == 0
    assert Member.objects.filter(user__email__endswith="@demo.example").count() == 61


def test_more_demo_members_live_in_the_demo_officers_wards(demo):
    in_focus = Member.objects.filter(ward__code__in=FOCUS_WARDS).count()

    assert in_focus >= 18
    assert Member.objects.values("ward").distinct().count() >= 15


def test_some_were_registered_at_the_door_by_an_officer(demo):
    doorstep = Member.objects.filter(source=Member.Source.DOORSTEP)

    assert doorstep.exists()
    assert not doorstep.filter(registered_by__isnull=True).exists()
    assert ConsentRecord.objects.filter(member__in=doorstep, how="doorstep").exists()


def test_special_category_answers_always_come_with_consent(demo):
    for demographics in Demographics.objects.exclude(ethnic_group__in=["", "prefer_not_to_say"]):
        assert ConsentRecord.objects.filter(
            member=demographics.member_id, item="ethnic_group", withdrawn_at__isnull=True
        ).exists()


def test_the_demo_resident_can_sign_in(demo):
    resident = User.objects.get(email=DEMO_RESIDENT_EMAIL)

    assert resident.check_password(DEMO_PASSWORD)
    assert resident.member.ward.code == FOCUS_WARDS[0]
