"""Replies in the team inbox: routing by ward and by trigger words, notification,
assigning, handling, answering back through the outbox."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import AccessLog
from alerts.models import Delivery, Message
from core.lifecycle import InvalidTransition
from engagement import services
from engagement.models import InboxReply
from tests.factories.engagement import make_reply, make_team
from tests.factories.targeting import make_members, make_postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(tiny_force):
    home = make_postcode("ZZ9 3AA", tiny_force["riverside"], 100_400, 101_400)
    return make_members(home, 1)[0]


def test_a_reply_lands_in_the_inbox_of_the_members_ward_team(
    tiny_force, officer, resident, django_capture_on_commit_callbacks
):
    team = make_team(tiny_force["riverside"], members=[officer])
    make_team(tiny_force["hillside"])

    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(resident, "The speed checks helped.")

    assert InboxReply.objects.get(reply=reply).team == team


def test_every_member_of_the_team_is_told_a_reply_arrived(
    tiny_force, officer, supervisor, resident, django_capture_on_commit_callbacks
):
    make_team(tiny_force["riverside"], members=[officer, supervisor])

    with django_capture_on_commit_callbacks(execute=True):
        make_reply(resident, "Thanks for the patrols.")

    assert sorted(to for m in mail.outbox for to in m.to) == [
        "north.supervisor@example.test",
        "officer@example.test",
    ]
    # The reply's words stay behind sign-in.
    assert all("Thanks for the patrols" not in m.body for m in mail.outbox)
    # Told through the outbox, once each, as members of staff.
    notices = Delivery.objects.filter(message__kind=Message.Kind.STAFF_NOTICE)
    assert sorted(d.user.email for d in notices) == sorted(to for m in mail.outbox for to in m.to)
    assert {d.status for d in notices} == {Delivery.Status.SENT}


def test_a_ward_without_a_team_sends_replies_to_the_districts_team(tiny_force, resident):
    district = make_team(tiny_force["north"], name="North Town team")

    entry = services.inbox_reply_route(reply_id=make_reply(resident).pk)

    assert entry.team == district


def test_trigger_words_route_a_reply_to_the_named_team_with_the_words(tiny_force, resident):
    make_team(tiny_force["riverside"])
    hate = make_team(tiny_force["force"], name="Hate crime unit", neighbourhood=False)
    hate.trigger_words.create(word="racist")
    hate.trigger_words.create(word="graffiti")
    hate.trigger_words.create(word="slur")

    reply = make_reply(resident, "Racist graffiti on the bus shelter again.")
    entry = services.inbox_reply_route(reply_id=reply.pk)

    assert entry.team == hate
    assert entry.matched_words == ["graffiti", "racist"]


def test_trigger_words_match_whole_words_only(tiny_force, resident):
    ward_team = make_team(tiny_force["riverside"])
    make_team(tiny_force["force"], name="Drugs team", neighbourhood=False).trigger_words.create(
        word="dealer"
    )

    entry = services.inbox_reply_route(reply_id=make_reply(resident, "The car dealership.").pk)

    assert entry.team == ward_team and entry.matched_words == []


def test_the_inbox_highlights_the_trigger_words(client, tiny_force, officer, resident):
    team = make_team(tiny_force["riverside"], members=[officer])
    team.trigger_words.create(word="knife")
    entry = services.inbox_reply_route(reply_id=make_reply(resident, "A knife <b>was</b> seen.").pk)
    client.force_login(officer)

    html = client.get(f"/staff/inbox/reply/{entry.pk}/").content.decode()

    assert "A <mark>knife</mark> &lt;b&gt;was&lt;/b&gt; seen." in html


def test_routing_a_reply_twice_puts_it_in_the_inbox_once(tiny_force, resident):
    make_team(tiny_force["riverside"])
    reply = make_reply(resident)

    services.inbox_reply_route(reply_id=reply.pk)
    services.inbox_reply_route(reply_id=reply.pk)

    assert InboxReply.objects.filter(reply=reply).count() == 1


def test_opening_a_reply_is_recorded_in_the_access_log(client, tiny_force, officer, resident):
    make_team(tiny_force["riverside"], members=[officer])
    entry = services.inbox_reply_route(reply_id=make_reply(resident).pk)
    client.force_login(officer)

    client.get(f"/staff/inbox/reply/{entry.pk}/")

    log = AccessLog.objects.get(subject_user_id=resident.user_id)
    assert log.actor == officer


def test_an_officer_of_another_ward_and_a_supervisor_of_another_district_get_404(
    client, tiny_force, officer, other_officer, other_supervisor, resident
):
    team = make_team(tiny_force["riverside"], members=[officer])
    entry = services.inbox_reply_route(reply_id=make_reply(resident).pk)
    got = {}
    for user in (officer, other_officer, other_supervisor):
        client.force_login(user)
        got[user.email] = (
            client.get(f"/staff/inbox/team/{team.pk}/").status_code,
            client.get(f"/staff/inbox/reply/{entry.pk}/").status_code,
            client.post(f"/staff/inbox/reply/{entry.pk}/handled/").status_code,
        )

    assert got == {
        "officer@example.test": (200, 200, 302),
        "other.officer@example.test": (404, 404, 404),
        "south.supervisor@example.test": (404, 404, 404),
    }


def test_a_reply_is_assigned_to_a_member_of_the_team_only(
    tiny_force, officer, other_officer, resident
):
    make_team(tiny_force["riverside"], members=[officer])
    entry = services.inbox_reply_route(reply_id=make_reply(resident).pk)

    services.inbox_assign(entry=entry, user=officer, to=officer)
    with pytest.raises(services.NotAllowed):
        services.inbox_assign(entry=entry, user=officer, to=other_officer)

    entry.refresh_from_db()
    assert entry.assigned_to == officer


def test_a_handled_reply_leaves_the_open_inbox_and_is_handled_once(
    client, tiny_force, officer, resident
):
    team = make_team(tiny_force["riverside"], members=[officer])
    entry = services.inbox_reply_route(
        reply_id=make_reply(resident, "Fly-tipping by the canal.").pk
    )
    client.force_login(officer)

    response = client.post(f"/staff/inbox/reply/{entry.pk}/handled/", follow=True)

    assert "Marked as handled." in response.content.decode()
    assert "Fly-tipping" not in client.get(f"/staff/inbox/team/{team.pk}/").content.decode()
    assert (
        "Fly-tipping" in client.get(f"/staff/inbox/team/{team.pk}/?show=handled").content.decode()
    )
    with pytest.raises(InvalidTransition):
        services.inbox_handle(entry=entry, user=officer)


def test_an_answer_goes_back_to_the_member_through_the_outbox(
    client, tiny_force, officer, resident
):
    make_team(tiny_force["riverside"], members=[officer])
    reply = make_reply(resident, "Is the lane being watched?", subject="Speed checks")
    entry = services.inbox_reply_route(reply_id=reply.pk)
    client.force_login(officer)

    client.post(f"/staff/inbox/reply/{entry.pk}/answer/", {"body": "Yes, every Tuesday."})

    answer = Message.objects.get(in_reply_to=reply)
    assert answer.kind == Message.Kind.DIRECT and answer.subject == "Re: Speed checks"
    assert list(answer.deliveries.values_list("member_id", "channel")) == [
        (resident.pk, Delivery.Channel.EMAIL)
    ]
    entry.refresh_from_db()
    assert entry.answered_at is not None


def test_an_empty_answer_is_refused_and_nothing_is_sent(client, tiny_force, officer, resident):
    make_team(tiny_force["riverside"], members=[officer])
    entry = services.inbox_reply_route(reply_id=make_reply(resident).pk)
    client.force_login(officer)

    response = client.post(f"/staff/inbox/reply/{entry.pk}/answer/", {"body": "  "})

    assert response.status_code == 400
    assert not Message.objects.filter(kind=Message.Kind.DIRECT).exists()


def test_the_inbox_page_lists_a_team_without_members_too(client, tiny_force, officer):
    make_team(tiny_force["riverside"], name="Riverside team")
    client.force_login(officer)

    html = client.get("/staff/inbox/").content.decode()

    assert "Riverside team" in html


def test_listing_replies_in_a_team_inbox_is_recorded_in_the_access_log(
    client, tiny_force, officer, resident
):
    team = make_team(tiny_force["riverside"], members=[officer])
    services.inbox_reply_route(reply_id=make_reply(resident).pk)
    client.force_login(officer)

    client.get(f"/staff/inbox/team/{team.pk}/")

    log = AccessLog.objects.get(actor=officer)
    assert log.subject_count == 1


def test_an_admin_sets_a_trigger_word_for_a_team_in_their_areas_only(
    client, tiny_force, admin_user
):
    from accounts.models import StaffProfile
    from tests.factories import make_staff

    team = make_team(tiny_force["riverside"])
    south_admin = make_staff(
        "south.admin@example.test", StaffProfile.Role.ADMIN, [tiny_force["south"]]
    )
    client.force_login(admin_user)

    client.post("/staff/inbox/trigger-words/", {"word": " knife ", "team": team.pk})
    word = team.trigger_words.get()
    client.force_login(south_admin)
    refused = client.post("/staff/inbox/trigger-words/", {"word": "gun", "team": team.pk})
    client.post(f"/staff/inbox/trigger-words/{word.pk}/delete/")

    assert word.word == "knife"
    assert refused.status_code == 200 and "gun" not in team.trigger_words.values_list(
        "word", flat=True
    )
    assert team.trigger_words.filter(pk=word.pk).exists()
