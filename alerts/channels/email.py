"""Email through Django's configured email backend."""

from __future__ import annotations

from smtplib import SMTPException

from django.core.mail import EmailMessage

from accounts.models import Member

from . import ChannelError, Rendered


class EmailChannel:
    name = "email"

    def address_for(self, member: Member) -> str:
        return member.user.email

    def send(self, *, to: str, rendered: Rendered) -> None:
        email = EmailMessage(
            subject=rendered.subject, body=rendered.text, to=[to], headers=rendered.headers
        )
        try:
            email.send(fail_silently=False)
        except (SMTPException, OSError) as exc:
            raise ChannelError(f"email not sent: {exc.__class__.__name__}") from exc
