"""Demo messages: the demo officer's "You said, we did" to Central ward, sent through the
outbox (the worker of ``make run`` delivers it to the local SMTP server: see /dev/mail/),
a draft to St Andrew's & Docklands the officer can open, check and send, and the demo
officer's weekly briefing (to the officer, through the same outbox).

Found again by key, so a second run creates nothing (the briefing: nothing in the same
week).
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from alerts import services
from alerts.audiences import Audience
from alerts.models import Message
from areas.models import Area
from targeting.insight.briefing_mail import briefing_send

OFFICER = "officer@demo.example"
CENTRAL = "E05011529"
ST_ANDREWS = "E05011541"
SENT_KEY = "demo:messages:central-asb"
DRAFT_KEY = "demo:messages:st-andrews-draft"


def _draft(*, key: str, officer: User, ward: Area, subject: str, body: str,
           priorities: list[str]) -> Message | None:  # fmt: skip
    if Message.objects.filter(key=key).exists():
        return None
    message = services.message_draft_create(
        sender=officer, subject=subject, bodies={"general": body}, priorities=priorities,
        audience=Audience.for_area(ward), source="demo",
    )  # fmt: skip
    message.key = key
    message.save(update_fields=["key"])
    return message


@transaction.atomic
def load_message_demo() -> int:
    """Create what is missing; return how many deliveries were queued."""
    officer = User.objects.filter(email=OFFICER).first()
    wards = {a.code: a for a in Area.objects.filter(code__in=[CENTRAL, ST_ANDREWS])}
    if officer is None or len(wards) < 2:
        return 0
    _draft(
        key=DRAFT_KEY, officer=officer, ward=wards[ST_ANDREWS],
        subject="Speed checks on Hessle Road",
        body="After you told us about speeding, we ran speed checks on Hessle Road on four "
        "mornings and stopped 23 drivers.",
        priorities=["speeding-road-safety"],
    )  # fmt: skip
    sent = _draft(
        key=SENT_KEY, officer=officer, ward=wards[CENTRAL],
        subject="What we did about anti-social behaviour in the city centre",
        body="We patrolled Whitefriargate and Silver Street every evening for four weeks, "
        "closed two problem premises with the council and set up a dispersal order for the "
        "weekends.",
        priorities=["anti-social-behaviour"],
    )  # fmt: skip
    return services.message_send(message=sent) if sent else 0


def send_briefing_demo() -> int:
    """This week's briefing for the demo officer (after the events it lists are loaded);
    returns how many deliveries were queued."""
    officer = User.objects.filter(email=OFFICER).first()
    if officer is None:
        return 0
    with transaction.atomic():
        message = briefing_send(user=officer)
        return message.deliveries.count() if message else 0
