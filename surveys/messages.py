"""How survey invitations and reminders read (outbox renderers, see alerts.rendering)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from alerts.channels import Rendered
from alerts.models import Delivery
from alerts.rendering import footer_headers, unsubscribe_url

from .links import invitation_url
from .models import Invitation


def _render(delivery: Delivery, now: datetime, *, reminder: bool) -> Rendered | None:
    invitation = (
        Invitation.objects.select_related("version", "round")
        .filter(pk=delivery.context.get("invitation"), member_id=delivery.member_id)
        .first()
    )
    # Nothing to send for a closed invitation, or a reminder once it is answered.
    if invitation is None or not invitation.is_open(now):
        return None
    if (
        reminder
        and invitation.__class__.objects.filter(
            pk=invitation.pk, response__submitted_at__isnull=False
        ).exists()
    ):
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
        text=render_to_string("surveys/email/invitation.txt", context),
        sms=render_to_string("surveys/email/invitation_sms.txt", context).strip(),
        headers=footer_headers(stop),
    )


def render_invitation(delivery: Delivery, now: datetime) -> Rendered | None:
    return _render(delivery, now, reminder=False)


def render_reminder(delivery: Delivery, now: datetime) -> Rendered | None:
    return _render(delivery, now, reminder=True)
