"""How survey invitations and reminders read (outbox renderers, see alerts.rendering)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from alerts.channels import Rendered
from alerts.models import Delivery
from alerts.rendering import bodies, footer_headers, unsubscribe_url

from .links import invitation_url
from .models import Invitation, Response


def _invitations():
    answered = Response.objects.filter(invitation=OuterRef("pk"), submitted_at__isnull=False)
    return Invitation.objects.select_related("version", "round").annotate(answered=Exists(answered))


def prefetch_invitations(deliveries: Sequence[Delivery]) -> None:
    """The invitation of each delivery of a batch, in one query (``survey_invitation``)."""
    ids = {d.context.get("invitation") for d in deliveries}
    found = {i.pk: i for i in _invitations().filter(pk__in=[i for i in ids if i is not None])}
    for delivery in deliveries:
        delivery.survey_invitation = found.get(delivery.context.get("invitation"))


def _invitation_of(delivery: Delivery) -> Invitation | None:
    if not hasattr(delivery, "survey_invitation"):
        prefetch_invitations([delivery])
    invitation = delivery.survey_invitation
    if invitation is None or invitation.member_id != delivery.member_id:
        return None
    return invitation


def _render(delivery: Delivery, now: datetime, *, reminder: bool) -> Rendered | None:
    invitation = _invitation_of(delivery)
    # Nothing to send for a closed invitation, or a reminder once it is answered.
    if invitation is None or not invitation.is_open(now):
        return None
    if reminder and invitation.answered:
        return None
    stop = unsubscribe_url(member_id=delivery.member_id, now=now)
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation),
        "closes_at": invitation.closes_at,
        "unsubscribe_url": stop,
        "reminder": reminder,
        "SITE_NAME": settings.SITE_NAME,
        "FORCE_NAME": settings.FORCE_NAME,
    }
    # Written here rather than taken from the round's message, so each member gets
    # the subject in their own language (the renderer runs in it).
    subject = (
        _("Reminder: your quarterly survey")
        if reminder
        else _("Your quarterly survey: how is policing where you live?")
    )
    return Rendered(
        subject=subject,
        **bodies(
            delivery,
            email="surveys/email/invitation.txt",
            sms="surveys/email/invitation_sms.txt",
            context=context,
        ),
        headers=footer_headers(stop),
    )


def render_invitation(delivery: Delivery, now: datetime) -> Rendered | None:
    return _render(delivery, now, reminder=False)


def render_reminder(delivery: Delivery, now: datetime) -> Rendered | None:
    return _render(delivery, now, reminder=True)
