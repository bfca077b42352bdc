"""Writes that matter for accounts: the access log."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from areas.models import Area

from .models import AccessLog, Member, StaffProfile, User
from .sessions import sessions_end_for


def access_log_record(
    *,
    actor: User,
    subject_kind: str,
    action: str = AccessLog.Action.VIEW,
    view: str,
    subject_user_id: int | None = None,
    subject_count: int = 1,
    reason: str = "",
    path: str = "",
) -> AccessLog:
    """Record that ``actor`` saw or exported a person's data (or ``subject_count`` people's)."""
    return AccessLog.objects.create(
        actor=actor,
        subject_user_id=subject_user_id,
        subject_kind=subject_kind,
        subject_count=subject_count,
        action=action,
        view=view,
        reason=reason[:200],
        path=path[:300],
    )


def access_log_for_request(
    request: HttpRequest,
    *,
    subject_kind: str,
    action: str = AccessLog.Action.VIEW,
    subject_user_id: int | None = None,
    subject_count: int = 1,
    reason: str = "",
) -> AccessLog:
    """The same, taking who, where and which view from the request."""
    match = request.resolver_match
    return access_log_record(
        actor=request.user,
        subject_kind=subject_kind,
        action=action,
        view=match.view_name if match else "",
        subject_user_id=subject_user_id,
        subject_count=subject_count,
        reason=reason,
        path=request.get_full_path(),
    )


# --- Staff ----------------------------------------------------------------------------------


@transaction.atomic
def staff_save(
    *,
    email: str,
    name: str,
    role: str,
    areas: Iterable[Area],
    collar_number: str = "",
    profile: StaffProfile | None = None,
) -> tuple[StaffProfile, bool]:
    """Create a member of staff (or change an existing one). Returns (profile, created).

    A person already registered as a member keeps their account and gains a staff
    profile. New staff choose their own password from an emailed link (sent on commit).
    """
    created = profile is None
    if created:
        user = User.objects.filter(email__iexact=email).first()
        new_user = user is None
        if new_user:
            user = User.objects.create_user(email=email, password=None, name=name)
        else:
            user.name = name or user.name
            user.save(update_fields=["name"])
        profile = StaffProfile.objects.create(user=user, role=role, collar_number=collar_number)
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if new_user:
            transaction.on_commit(lambda: _send_set_password_email(user))
    else:
        profile.role = role
        profile.collar_number = collar_number
        profile.is_active = True
        profile.save(update_fields=["role", "collar_number", "is_active"])
        profile.user.name = name
        profile.user.save(update_fields=["name"])
    profile.areas.set(areas)
    return profile, created


def staff_briefing_choose(*, user: User, weekly_briefing: bool) -> bool:
    """A member of staff turns their weekly briefing email on or off (their own choice:
    only for themselves). Returns whether it is now on; False for a user not on staff."""
    changed = StaffProfile.objects.filter(user=user).update(weekly_briefing=weekly_briefing)
    return bool(changed) and weekly_briefing


def staff_deactivate(*, profile: StaffProfile) -> None:
    """Staff are deactivated, never deleted: the access log keeps referring to them.

    Their sessions end at once, wherever they are signed in.
    """
    profile.is_active = False
    profile.save(update_fields=["is_active"])
    sessions_end_for(profile.user)


def _send_set_password_email(user: User) -> None:
    """Invite new staff to choose a password, with allauth's password-reset link."""
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    context = {
        "user": user,
        "url": settings.SITE_URL.rstrip("/") + path,
        "SITE_NAME": settings.SITE_NAME,
    }
    send_mail(
        subject=f"{settings.SITE_NAME}: your staff account",
        message=render_to_string("accounts/email/staff_invite.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


# --- Members --------------------------------------------------------------------------------


def member_stop_messages(*, member: Member) -> None:
    """Stop every message to this member (one click, from a signed link or My account)."""
    if member.messages_stopped_at is None:
        member.messages_stopped_at = timezone.now()
        member.save(update_fields=["messages_stopped_at"])


def member_resume_messages(*, member: Member) -> None:
    if member.messages_stopped_at is not None:
        member.messages_stopped_at = None
        member.save(update_fields=["messages_stopped_at"])
