"""'You said, we did' items: the lifecycle, scope, and sending a done item as a message."""

from __future__ import annotations

import pytest

from alerts.models import Message
from core.lifecycle import InvalidTransition
from engagement import services
from engagement.models import YouSaidWeDid
from tests.factories.engagement import make_item

pytestmark = pytest.mark.django_db

Status = YouSaidWeDid.Status


def test_an_item_moves_raised_then_in_progress_then_done(tiny_force, officer):
    item = services.item_create(
        user=officer, area=tiny_force["riverside"], source="meeting", title="Parking",
        said="Vans park on the pavement.", priorities=["speeding-road-safety"],
    )  # fmt: skip
    services.item_move(item=item, user=officer, status=Status.IN_PROGRESS)
    item.outcome = "Tickets issued to 12 vans."
    item.save()
    services.item_move(item=item, user=officer, status=Status.DONE)

    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.started_at is not None and item.done_at >= item.started_at


def test_an_item_cannot_skip_from_raised_to_done(tiny_force, officer):
    item = make_item(tiny_force["riverside"], user=officer, outcome="Done already.")

    with pytest.raises(InvalidTransition):
        services.item_move(item=item, user=officer, status=Status.DONE)
    item.refresh_from_db()
    assert item.status == Status.RAISED


def test_a_done_item_cannot_go_back(tiny_force, officer):
    item = make_item(tiny_force["riverside"], user=officer, status=Status.DONE)

    with pytest.raises(InvalidTransition):
        services.item_move(item=item, user=officer, status=Status.IN_PROGRESS)


def test_an_item_is_done_only_once_its_outcome_is_written(tiny_force, officer):
    item = make_item(tiny_force["riverside"], user=officer, status=Status.IN_PROGRESS)

    with pytest.raises(services.OutcomeMissing):
        services.item_move(item=item, user=officer, status=Status.DONE)


def test_an_officer_cannot_record_an_item_for_another_ward(tiny_force, officer):
    with pytest.raises(services.NotAllowed):
        services.item_create(
            user=officer, area=tiny_force["hillside"], source="survey", title="X", said="Y"
        )


def test_the_wards_officer_sees_the_item_and_others_get_404(
    client, tiny_force, officer, other_officer, other_supervisor, supervisor
):
    item = make_item(tiny_force["riverside"], user=officer)
    answers = {}
    for who, user in [
        ("ward officer", officer),
        ("district supervisor", supervisor),
        ("other ward's officer", other_officer),
        ("other district's supervisor", other_supervisor),
    ]:
        client.force_login(user)
        answers[who] = client.get(f"/staff/said-did/{item.pk}/").status_code

    assert answers == {
        "ward officer": 200,
        "district supervisor": 200,
        "other ward's officer": 404,
        "other district's supervisor": 404,
    }


def test_an_officer_of_another_ward_cannot_move_the_item(
    client, tiny_force, officer, other_officer
):
    item = make_item(tiny_force["riverside"], user=officer)
    client.force_login(other_officer)

    response = client.post(f"/staff/said-did/{item.pk}/status/", {"status": "in_progress"})

    item.refresh_from_db()
    assert response.status_code == 404 and item.status == Status.RAISED


def test_recording_an_item_through_the_page_keeps_what_was_typed_when_it_is_wrong(
    client, tiny_force, officer
):
    client.force_login(officer)

    response = client.post(
        "/staff/said-did/new/", {"area": tiny_force["riverside"].pk, "title": "Dog fouling"}
    )

    assert response.status_code == 200
    assert 'value="Dog fouling"' in response.content.decode()
    assert not YouSaidWeDid.objects.exists()


def test_a_done_item_is_sent_as_a_draft_message_that_opens_on_its_preview(
    client, tiny_force, officer
):
    item = make_item(
        tiny_force["riverside"], user=officer, status=Status.DONE, priorities=["drugs"]
    )
    client.force_login(officer)

    response = client.post(f"/staff/said-did/{item.pk}/send/")

    message = Message.objects.get(source=f"engagement.item:{item.pk}")
    assert response["Location"] == f"/staff/messages/{message.pk}/"
    assert message.status == Message.Status.DRAFT
    assert message.priorities == ["drugs"] and message.area == tiny_force["riverside"]
    assert item.outcome in message.body


def test_an_item_not_done_is_not_sent(tiny_force, officer):
    item = make_item(tiny_force["riverside"], user=officer, status=Status.IN_PROGRESS)

    with pytest.raises(InvalidTransition):
        services.item_message_draft(item=item, user=officer)
    assert not Message.objects.exists()
