"""Erase a member: personal data removed for good, statistics kept anonymised.

Every model holding member data is registered in ``accounts.personal_data`` (accounts
registers its own; higher apps register theirs). Erasure, in one transaction:

1. rows registered with ``erase="anonymise"`` are handed to their app's
   ``anonymise(queryset)``, which removes the link to the person (and anything that
   identifies them) but keeps what statistics need;
2. rows registered with ``erase="delete"`` are deleted;
3. the member and the user go, Django admin history about them loses the name, and
   their sessions on every device end.

The access log keeps its rows: they name the person only by a number, which after
erasure points to no one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import personal_data
from accounts.models import Member, User
from accounts.permissions import staff_profile
from accounts.sessions import sessions_end_for


class ErasureRefused(Exception):
    pass


@dataclass(frozen=True)
class Remains:
    label: str
    how: str


def what_remains(member: Member | None = None) -> list[Remains]:
    """What stays after erasure: for ``member``, only what they have rows in."""
    remains = []
    for entry in personal_data.registered().values():
        if member is not None and not personal_data.rows_for(entry, member).exists():
            continue
        if entry.erase == "anonymise":
            remains.append(
                Remains(
                    str(entry.label),
                    str(
                        _(
                            "kept for statistics without your name, contact details or any "
                            "link to you"
                        )
                    ),
                )
            )
        elif entry.erase == "keep":
            remains.append(Remains(str(entry.label), str(_("kept: it holds nothing about you"))))
    return sorted(remains, key=lambda r: r.label)


@transaction.atomic
def member_erase(*, member: Member) -> None:
    user = member.user
    if staff_profile(user) is not None or user.is_superuser:
        raise ErasureRefused("Staff accounts are closed by an administrator.")
    entries = list(personal_data.registered().values())
    for entry in entries:
        if entry.erase == "anonymise":
            entry.anonymise(personal_data.rows_for(entry, member))
    for entry in entries:
        if entry.erase == "delete" and entry.model not in (Member, User):
            personal_data.rows_for(entry, member).delete()
    user_pk, member_pk = user.pk, member.pk
    member.delete()
    user.delete()
    _forget_admin_history(user_pk=user_pk, member_pk=member_pk)
    sessions_end_for(user_pk)


def _forget_admin_history(*, user_pk: int, member_pk: int) -> None:
    """Django admin's log shows a changed object by name; keep the action, drop the name."""
    for model, pk in ((User, user_pk), (Member, member_pk)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        ).update(object_repr="(erased)", change_message="")
