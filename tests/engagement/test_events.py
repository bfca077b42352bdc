"""Booking events, recording outcomes and street contacts, as officers do it (no JavaScript).

People from tests/people.py: Alice is Riverside's officer, Bob Hillside's; Carol
supervises South Town. The postcode ZZ9 1AA is in Riverside.
"""

from __future__ import annotations

import pytest

from engagement.models import CommunityContact, EngagementEvent
from tests.factories.engagement_events import make_event
from tests.factories.targeting import make_postcode

pytestmark = pytest.mark.django_db


def book(client, **overrides):
    data = {
        "kind": "street_surgery",
        "title": "Surgery at the library",
        "starts_at": "2026-12-10T18:30",
        "postcode": "ZZ9 1AA",
        "place_name": "Riverside library",
    }
    return client.post("/staff/events/new/", data | overrides, follow=True)


def test_an_officer_books_an_event_at_a_postcode_in_their_ward(people, tiny_force):
    response = book(people.client("ward_officer"))

    event = EngagementEvent.objects.get()
    assert event.ward == tiny_force["riverside"]
    assert list(event.officers.all()) == [people.ward_officer]
    assert "Event booked: Surgery at the library." in response.content.decode()


def test_a_place_tapped_on_the_map_wins_over_the_postcode(people, tiny_force):
    from areas.models import BNG

    point = tiny_force["riverside"].boundary.point_on_surface
    point.srid = BNG
    lonlat = point.transform(4326, clone=True)

    book(people.client("ward_officer"), postcode="", latitude=lonlat.y, longitude=lonlat.x)

    assert EngagementEvent.objects.get().point.distance(point) < 1


def test_booking_outside_the_officers_wards_is_refused_and_keeps_what_was_typed(people, tiny_force):
    make_postcode("ZZ9 3DD", tiny_force["docks"], 100_500, 99_500)

    response = book(people.client("ward_officer"), postcode="ZZ9 3DD")

    html = response.content.decode()
    assert not EngagementEvent.objects.exists()
    assert "outside the wards you work in" in html
    assert 'value="Surgery at the library"' in html


def test_a_postcode_that_does_not_exist_is_a_clear_error(people):
    response = book(people.client("ward_officer"), postcode="not a postcode")

    assert response.status_code == 200
    assert not EngagementEvent.objects.exists()
    assert 'class="error-summary"' in response.content.decode()


def test_an_officer_records_the_outcome_of_their_event(people, tiny_force):
    event = make_event(people.ward_officer, tiny_force["riverside"])
    asb = "anti-social-behaviour"

    response = people.client("ward_officer").post(
        f"/staff/events/{event.pk}/outcome/",
        {
            "attendance": "23",
            "officers_present": [people.ward_officer.pk],
            "issues": [asb],
            "issues_text": "Bikes on the footpath",
            "quality": "4",
            "intelligence_submissions": "2",
            "suitable_for_publishing": "on",
            "you_said_we_did": "https://example.test/ysww/1",
        },
        follow=True,
    )

    outcome = EngagementEvent.objects.get().outcome
    assert (outcome.attendance, outcome.quality, outcome.intelligence_submissions) == (23, 4, 2)
    assert outcome.issues == [asb] and outcome.suitable_for_publishing
    assert "Outcome recorded" in response.content.decode()


def test_an_officer_of_another_ward_cannot_record_an_outcome(people, tiny_force):
    event = make_event(people.ward_officer, tiny_force["riverside"])

    response = people.client("other_ward_officer").post(
        f"/staff/events/{event.pk}/outcome/", {"attendance": "5", "quality": "3"}
    )

    assert response.status_code == 404
    assert not hasattr(EngagementEvent.objects.get(), "outcome")


def contact(client, **overrides):
    data = {
        "met_at": "2026-11-30T14:00",
        "postcode": "ZZ9 1AA",
        "issues_text": "Speeding on Mill Lane",
        "signup_offered": "on",
    }
    return client.post("/staff/contacts/new/", data | overrides, follow=True)


def test_an_officer_records_a_street_contact(people, tiny_force):
    response = contact(people.client("ward_officer"), signup_taken="on")

    saved = CommunityContact.objects.get()
    assert (saved.ward, saved.officer) == (tiny_force["riverside"], people.ward_officer)
    assert saved.signup_offered and saved.signup_taken
    assert "Street contact recorded" in response.content.decode()


def test_diversity_answers_without_the_persons_consent_are_refused(people):
    response = contact(people.client("ward_officer"), ethnic_group="white_roma")

    assert not CommunityContact.objects.exists()
    assert "Only with the person&#x27;s agreement" in response.content.decode()


def test_diversity_answers_are_kept_with_consent(people):
    contact(people.client("ward_officer"), diversity_consent="on", ethnic_group="white_roma")

    assert CommunityContact.objects.get().ethnic_group == "white_roma"


def test_the_events_list_holds_only_events_in_the_officers_wards(people, tiny_force):
    make_event(people.ward_officer, tiny_force["riverside"], title="Riverside surgery")
    make_event(people.other_ward_officer, tiny_force["hillside"], title="Hillside surgery")

    html = people.client("ward_officer").get("/staff/events/").content.decode()

    assert "Riverside surgery" in html and "Hillside surgery" not in html
