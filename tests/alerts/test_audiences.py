"""Audiences: every kind reaches the confirmed members in it, and only them; senders are held
to their scope; a saved audience stays current; the preview counts what sending does."""

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from accounts.models import Member
from alerts import selectors, services
from alerts.audiences import Audience, AudienceNotAllowed, audience_check, audience_members
from alerts.models import Delivery, Version
from areas.models import BNG, WGS84, Street
from tests.factories import make_staff
from tests.factories.members import (
    CENTRAL,
    ST_ANDREWS,
    ensure_community_groups,
    ensure_hull_geography,
    make_member,
    postcode,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards():
    ensure_community_groups()
    return ensure_hull_geography()


@pytest.fixture
def officer(wards):
    return make_staff("aud.officer@example.test", "officer", [wards[CENTRAL]], with_totp=False)


@pytest.fixture
def supervisor(wards):
    district = wards[CENTRAL].parent
    return make_staff("aud.super@example.test", "supervisor", [district], with_totp=False)


@pytest.fixture
def street(wards):
    return Street.objects.filter(ward=wards[CENTRAL]).order_by("name").first()


@pytest.fixture
def people(street):
    """Confirmed and unconfirmed members side by side in Central, on the same street and
    in the same group; one confirmed member in St Andrew's."""
    kw = {"street": street, "groups": ["neighbourhood-watch"]}
    return {
        "confirmed": make_member(email="yes@example.test", **kw),
        "unconfirmed": make_member(email="no@example.test", verified=False, **kw),
        "other_group": make_member(email="biz@example.test", street=street, groups=["business"]),
        "elsewhere": make_member(email="far@example.test", postcode_code="HU1 1AA"),
    }


def reached(audience, user=None) -> set[str]:
    return set(audience_members(audience, user=user).values_list("user__email", flat=True))


def circle_around_hu1_2pd(radius_m: int = 400) -> Audience:
    return Audience.circle(postcode("HU1 2PD").point, radius_m)


def square_around_hu1_2pd(half: float = 300) -> Audience:
    p = postcode("HU1 2PD").point
    corners = [(p.x - half, p.y - half), (p.x + half, p.y - half), (p.x + half, p.y + half),
               (p.x - half, p.y + half), (p.x - half, p.y - half)]  # fmt: skip
    ring = [list(Point(x, y, srid=BNG).transform(WGS84, clone=True).coords) for x, y in corners]
    return Audience(kind="shape", shape={"type": "Polygon", "coordinates": [ring]})


@pytest.mark.parametrize("kind", ["ward", "district", "street", "circle", "shape", "group"])
def test_unconfirmed_members_are_in_no_audience_of_any_kind(wards, people, street, kind):
    audience = {
        "ward": lambda: Audience.for_area(wards[CENTRAL]),
        "district": lambda: Audience.for_area(wards[CENTRAL].parent),
        "street": lambda: Audience.for_street(street),
        "circle": circle_around_hu1_2pd,
        "shape": square_around_hu1_2pd,
        "group": lambda: Audience.for_area(wards[CENTRAL], include=("neighbourhood-watch",)),
    }[kind]()

    emails = reached(audience)

    assert "yes@example.test" in emails
    assert "no@example.test" not in emails


def test_unconfirmed_members_are_not_counted_in_the_preview_nor_sent_to(officer, wards, people):
    draft = services.message_draft_create(
        sender=officer, subject="S", bodies={"general": "G"}, priorities=[],
        audience=Audience.for_area(wards[CENTRAL]),
    )  # fmt: skip

    preview = selectors.message_preview(draft, now=timezone.now())
    services.message_send(message=draft)

    sent_to = set(
        Delivery.objects.filter(message=draft).values_list("member__user__email", flat=True)
    )
    assert preview.reached == 2 == len(sent_to)
    assert "no@example.test" not in sent_to


def test_a_ward_reaches_its_members_and_a_district_every_ward_under_it(wards, people):
    assert reached(Audience.for_area(wards[CENTRAL])) == {"yes@example.test", "biz@example.test"}
    assert reached(Audience.for_area(wards[CENTRAL].parent)) == {
        "yes@example.test", "biz@example.test", "far@example.test",
    }  # fmt: skip


def test_community_groups_can_be_included_or_excluded(wards, people):
    central = wards[CENTRAL]

    included = reached(Audience.for_area(central, include=("neighbourhood-watch",)))
    excluded = reached(Audience.for_area(central, exclude=("neighbourhood-watch",)))

    assert included == {"yes@example.test"}
    assert excluded == {"biz@example.test"}


def test_a_circle_reaches_only_members_in_the_senders_wards(officer, people):
    wide = circle_around_hu1_2pd(radius_m=5000)

    assert "far@example.test" in reached(wide)
    assert "far@example.test" not in reached(wide, user=officer)


def test_a_saved_audience_stays_current_as_members_join(officer, wards, people):
    saved = services.saved_audience_create(
        user=officer, name="Central watch",
        audience=Audience.for_area(wards[CENTRAL], include=("neighbourhood-watch",)),
    )  # fmt: skip
    make_member(email="newcomer@example.test", groups=["neighbourhood-watch"])

    assert reached(Audience.from_json(saved.audience)) == {
        "yes@example.test", "newcomer@example.test",
    }  # fmt: skip


def test_an_officer_cannot_send_outside_their_wards_or_to_a_whole_district(officer, wards):
    with pytest.raises(AudienceNotAllowed):
        audience_check(Audience.for_area(wards[ST_ANDREWS]), user=officer)
    with pytest.raises(AudienceNotAllowed):
        audience_check(Audience.for_area(wards[CENTRAL].parent), user=officer)
    assert audience_check(Audience.for_area(wards[CENTRAL]), user=officer) == wards[CENTRAL]


def test_a_supervisor_can_send_to_their_district_and_mark_a_message_urgent(supervisor, wards):
    draft = services.message_draft_create(
        sender=supervisor, subject="Missing person", bodies={"general": "Have you seen..."},
        priorities=[], audience=Audience.for_area(wards[CENTRAL].parent), urgent=True,
    )  # fmt: skip

    assert draft.urgent and draft.area == wards[CENTRAL].parent


def test_an_officer_cannot_mark_a_message_urgent(officer, wards):
    with pytest.raises(AudienceNotAllowed):
        services.message_draft_create(
            sender=officer, subject="S", bodies={"general": "G"}, priorities=[],
            audience=Audience.for_area(wards[CENTRAL]), urgent=True,
        )  # fmt: skip


def test_the_preview_counts_those_the_cap_holds_back(officer, wards, people):
    def send(subject):
        draft = services.message_draft_create(
            sender=officer, subject=subject, bodies={"general": "G"}, priorities=[],
            audience=Audience.for_area(wards[CENTRAL]),
        )  # fmt: skip
        return draft

    Member.objects.filter(user__email="yes@example.test").update(max_frequency="weekly")
    services.message_send(message=send("First"))
    preview = selectors.message_preview(send("Second"), now=timezone.now())

    assert preview.reached == 2 and preview.held_back == 1
    assert sum(preview.versions.values()) == 1
    assert set(preview.versions) == set(Version.values)
