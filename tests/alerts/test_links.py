"""The links in every message work without signing in, and every unusable one is refused
the same way: tampered, expired, foreign (made for another purpose) or spent. One-click
unsubscribe (RFC 8058) works without a CSRF token, twice, with the same result."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts import rendering, services
from alerts.links import make_token
from alerts.models import DeliveryEvent, MemberPreferences, Message, Reply
from alerts.preferences import CONFIRM_PURPOSE, preferences_for
from tests.factories.alerts import make_delivery
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=400)


@pytest.fixture
def delivery():
    return make_delivery(member=make_member(email="links@example.test"), status="sent")


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def confirm_url(member, *, now, stamp=None) -> str:
    stamp = preferences_for(member).changes if stamp is None else stamp
    data = {"m": member.pk, "s": stamp, "t": ["news"], "e": True, "x": False, "f": "weekly",
            "qs": "", "qe": "", "ne": ""}  # fmt: skip
    token = make_token(purpose=CONFIRM_PURPOSE, data=data, expires_at=now + timedelta(hours=48))
    return reverse("alerts_preferences_confirm", args=[token])


def links(delivery, *, now) -> dict[str, str]:
    """The four kinds of link, made at ``now``."""
    member = delivery.member
    return {
        "reply": path_of(rendering.reply_url(delivery=delivery, now=now)),
        "preferences": path_of(rendering.preferences_url(member_id=member.pk, now=now)),
        "unsubscribe": path_of(
            rendering.unsubscribe_url(member_id=member.pk, now=now, delivery_id=delivery.pk)
        ),
        "confirm": confirm_url(member, now=now),
    }


def page_text(response) -> str:
    """The page's main content, without what differs on every request (the CSP nonce, the
    CSRF token; the header's language switch names the page's own address)."""
    text = response.content.decode()
    text = text[text.index("<main") : text.index("</main>")]
    text = re.sub(r'nonce="[^"]*"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def refused_page() -> str:
    return page_text(Client().get("/messages/reply/not-a-token/"))


def assert_refused(response) -> None:
    assert response.status_code == 404
    assert page_text(response) == refused_page()


def assert_untouched(delivery) -> None:
    member = delivery.member
    member.refresh_from_db()
    assert member.messages_stopped_at is None
    assert not Reply.objects.exists()
    assert preferences_for(member).changes == 0


def tampered(path: str) -> str:
    # Change one character of the signature (the end of the token).
    head, token, _ = path.rsplit("/", 2)
    last = "A" if token[-1] != "A" else "B"
    return f"{head}/{token[:-1]}{last}/"


KINDS = ["reply", "preferences", "unsubscribe", "confirm"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_refused_like_any_other(delivery, kind, method):
    path = tampered(links(delivery, now=timezone.now())[kind])

    response = getattr(Client(), method)(path, {"body": "Hello", "types": ["news"]})

    assert_refused(response)
    assert_untouched(delivery)


@pytest.mark.parametrize("kind", ["reply", "preferences", "unsubscribe"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_refused_like_any_other(delivery, kind, method):
    path = links(delivery, now=timezone.now() - LONG_AGO)[kind]

    response = getattr(Client(), method)(path, {"body": "Hello"})

    assert_refused(response)
    assert_untouched(delivery)


def test_an_expired_confirmation_link_is_refused_like_any_other(delivery):
    path = confirm_url(delivery.member, now=timezone.now() - timedelta(days=3))

    assert_refused(Client().post(path))
    assert_untouched(delivery)


@pytest.mark.parametrize(
    ("used_as", "made_for"),
    [("reply", "unsubscribe"), ("unsubscribe", "reply"), ("preferences", "reply"),
     ("confirm", "preferences"), ("reply", "preferences")],
)  # fmt: skip
def test_a_link_made_for_another_purpose_is_refused(delivery, used_as, made_for):
    now = timezone.now()
    token = links(delivery, now=now)[made_for].rstrip("/").rsplit("/", 1)[1]
    base = links(delivery, now=now)[used_as].rstrip("/").rsplit("/", 1)[0]

    response = Client().post(f"{base}/{token}/", {"body": "Hello"})

    assert_refused(response)
    assert_untouched(delivery)


def test_a_reply_link_for_someone_elses_delivery_is_refused(delivery):
    other = make_delivery(member=make_member(email="other@example.test"), status="sent")
    token = make_token(
        purpose=rendering.REPLY_PURPOSE,
        data={"d": other.pk, "m": delivery.member_id},
        expires_at=timezone.now() + timedelta(days=1),
    )

    assert_refused(Client().post(reverse("alerts_reply", args=[token]), {"body": "Hello"}))


def test_a_reply_link_is_spent_once_used(delivery):
    path = links(delivery, now=timezone.now())["reply"]

    first = Client().post(path, {"body": "Thanks for the update."})
    again = Client().post(path, {"body": "And again."})
    opened = Client().get(path)

    assert first.status_code == 200 and Reply.objects.count() == 1
    assert_refused(again)
    assert_refused(opened)


def test_a_reply_link_only_shows_the_form_until_it_is_submitted(delivery):
    response = Client().get(links(delivery, now=timezone.now())["reply"])

    assert response.status_code == 200
    assert "999" in response.content.decode()
    assert not Reply.objects.exists()


def test_a_confirmation_link_is_spent_once_used(delivery):
    path = links(delivery, now=timezone.now())["confirm"]

    first = Client().post(path)
    again = Client().post(path)

    assert first.status_code == 200
    assert MemberPreferences.objects.get(member=delivery.member).changes == 1
    assert_refused(again)


def test_a_confirmation_link_made_before_a_later_change_is_stale(delivery):
    now = timezone.now()
    older = confirm_url(delivery.member, now=now)
    Client().post(confirm_url(delivery.member, now=now))

    assert_refused(Client().post(older))


def test_one_click_unsubscribe_works_without_a_csrf_token_twice_with_the_same_result(delivery):
    path = links(delivery, now=timezone.now())["unsubscribe"]
    provider = Client(enforce_csrf_checks=True)

    first = provider.post(path, {"List-Unsubscribe": "One-Click"})
    delivery.member.refresh_from_db()
    stopped_at = delivery.member.messages_stopped_at
    second = provider.post(path, {"List-Unsubscribe": "One-Click"})
    delivery.member.refresh_from_db()

    assert first.status_code == second.status_code == 200
    assert page_text(first) == page_text(second)
    assert stopped_at is not None and delivery.member.messages_stopped_at == stopped_at
    assert DeliveryEvent.objects.filter(delivery=delivery, kind="unsubscribed").count() == 1


def test_other_forms_from_links_still_need_their_csrf_token(delivery):
    path = links(delivery, now=timezone.now())["reply"]

    response = Client(enforce_csrf_checks=True).post(path, {"body": "Hello"})

    assert response.status_code == 403 and not Reply.objects.exists()


@pytest.mark.parametrize("kind", [Message.Kind.ALERT, Message.Kind.DIRECT, Message.Kind.ACCOUNT])
def test_every_kind_of_message_carries_the_one_click_unsubscribe_headers(delivery, kind):
    Message.objects.filter(pk=delivery.message_id).update(kind=kind)
    delivery.refresh_from_db()

    rendered = rendering.render(delivery, now=timezone.now())

    assert rendered.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = rendered.headers["List-Unsubscribe"].strip("<>")
    assert path_of(url).startswith("/messages/stop/")


def test_the_unsubscribe_header_of_a_sent_message_is_the_working_one_click_link(delivery):
    fresh = make_delivery(member=make_member(email="header@example.test"))
    services.delivery_send(delivery_id=fresh.pk)
    from django.core import mail

    url = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(path_of(url))

    fresh.member.refresh_from_db()
    assert response.status_code == 200 and fresh.member.messages_stopped_at is not None
