"""The demo's messages: a sent "You said, we did" to Central and a draft, made once."""

import pytest

from alerts.models import Delivery, Message
from demo.messages import DRAFT_KEY, SENT_KEY, load_message_demo
from demo.staff import create_demo_staff
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db


def test_the_demo_officer_has_a_sent_message_to_central_and_a_draft_made_once():
    create_demo_staff()
    make_member(email="demo.resident@example.test")

    first = load_message_demo()
    second = load_message_demo()

    sent = Message.objects.get(key=SENT_KEY)
    assert sent.status == Message.Status.SENT and sent.created_by.email == "officer@demo.example"
    assert Message.objects.get(key=DRAFT_KEY).status == Message.Status.DRAFT
    assert first == 1 and second == 0
    assert Delivery.objects.filter(message=sent).count() == 1


def test_the_demo_officer_is_sent_this_weeks_briefing_once():
    from demo.messages import send_briefing_demo

    create_demo_staff()

    first, second = send_briefing_demo(), send_briefing_demo()

    (briefing,) = Message.objects.filter(kind=Message.Kind.BRIEFING)
    assert (first, second) == (1, 0)
    assert briefing.deliveries.get().user.email == "officer@demo.example"
