"""Email through Django's configured email backend (SMTP here, django-anymail in production)."""

from __future__ import annotations

from smtplib import SMTPDataError, SMTPException, SMTPRecipientsRefused

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.core.mail import EmailMultiAlternatives

from accounts.models import Member

from . import ChannelError, PermanentRefusal, Rendered


def _permanent(exc: SMTPException) -> bool:
    """An SMTP 5xx about the recipient: the address will never take mail.

    A refusal of the sender (our configuration) is not the member's address's fault and is
    retried like any other failure.
    """
    if isinstance(exc, SMTPRecipientsRefused):
        return bool(exc.recipients) and all(
            code >= 500 for code, _message in exc.recipients.values()
        )
    if isinstance(exc, SMTPDataError):
        return exc.smtp_code >= 500
    return False


class EmailChannel:
    name = "email"

    def address_for(self, member: Member) -> str:
        return member.user.email

    def send(self, *, to: str, rendered: Rendered) -> str | None:
        email = EmailMultiAlternatives(
            subject=rendered.subject, body=rendered.text, to=[to], headers=rendered.headers
        )
        if rendered.html:
            email.attach_alternative(rendered.html, "text/html")
        try:
            email.send(fail_silently=False)
        except SMTPException as exc:
            if _permanent(exc):
                raise PermanentRefusal(f"address refused: {exc.__class__.__name__}") from exc
            raise ChannelError(f"email not sent: {exc.__class__.__name__}") from exc
        except AnymailRecipientsRefused as exc:
            raise PermanentRefusal("address refused by the provider") from exc
        except (AnymailError, OSError) as exc:
            raise ChannelError(f"email not sent: {exc.__class__.__name__}") from exc
        # django-anymail's backends record the provider's id, which its tracking events name.
        message_id = getattr(getattr(email, "anymail_status", None), "message_id", None)
        return str(message_id) if message_id is not None else None
