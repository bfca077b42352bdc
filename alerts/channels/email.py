"""Email through Django's configured email backend (SMTP here, django-anymail in production)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from smtplib import SMTPDataError, SMTPException, SMTPRecipientsRefused

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.core.mail import EmailMultiAlternatives, get_connection

from accounts.models import Member

from . import ChannelError, PermanentRefusal, Rendered

logger = logging.getLogger(__name__)


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
    """Outside :meth:`batch`, each email is a connection of its own; inside, the batch's
    emails share one (opened at the first, opened again after a failure)."""

    name = "email"

    def __init__(self) -> None:
        self._batch = False
        self._connection = None

    def address_for(self, member: Member) -> str:
        return member.user.email

    @contextmanager
    def batch(self) -> Iterator[EmailChannel]:
        self._batch = True
        try:
            yield self
        finally:
            self._batch = False
            self._close()

    def _open(self):
        if not self._batch:
            return None
        if self._connection is None:
            connection = get_connection(fail_silently=False)
            connection.open()
            self._connection = connection
        return self._connection

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            # A connection the server already dropped cannot say goodbye: nothing to keep.
            with suppress(SMTPException, OSError):
                connection.close()

    def send(self, *, to: str, rendered: Rendered) -> str | None:
        try:
            email = EmailMultiAlternatives(
                subject=rendered.subject,
                body=rendered.text,
                to=[to],
                headers=rendered.headers,
                connection=self._open(),
            )
            if rendered.html:
                email.attach_alternative(rendered.html, "text/html")
            email.send(fail_silently=False)
        except SMTPException as exc:
            self._after_failure(exc)
            if _permanent(exc):
                raise PermanentRefusal(f"address refused: {exc.__class__.__name__}") from exc
            raise ChannelError(f"email not sent: {exc.__class__.__name__}") from exc
        except AnymailRecipientsRefused as exc:
            raise PermanentRefusal("address refused by the provider") from exc
        except (AnymailError, OSError) as exc:
            self._after_failure(exc)
            raise ChannelError(f"email not sent: {exc.__class__.__name__}") from exc
        # django-anymail's backends record the provider's id, which its tracking events name.
        message_id = getattr(getattr(email, "anymail_status", None), "message_id", None)
        return str(message_id) if message_id is not None else None

    def _after_failure(self, exc: Exception) -> None:
        """A refused recipient leaves the connection usable; anything else may not have."""
        if not (isinstance(exc, SMTPRecipientsRefused) and _permanent(exc)):
            self._close()
