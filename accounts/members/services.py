"""Writes about members: register, change details, move, demographics and consent.

Erasure is in ``erasure.py``; the data export in ``export.py``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import CommunityGroup, ConsentRecord, Demographics, Member, User
from areas.models import Postcode, Street

from . import consent as consent_wording
from .demographics import ITEMS, PREFER_NOT_TO_SAY, needs_explicit_consent

How = ConsentRecord.How


class ConsentMissing(ValueError):
    """A special-category answer without explicit consent: never stored."""


class StreetNotInWard(ValueError):
    """The chosen street is not in the postcode's ward."""


def _check_place(postcode: Postcode, street: Street | None) -> None:
    if postcode.ward_id is None:
        raise ValueError(f"{postcode} is outside the force area")
    if street is not None and street.ward_id != postcode.ward_id:
        raise StreetNotInWard(f"{street} is not in the ward of {postcode}")


@transaction.atomic
def member_register(
    *,
    user: User,
    postcode: Postcode,
    street: Street | None = None,
    phone: str = "",
    by_email: bool = True,
    by_sms: bool = False,
    max_frequency: str = Member.Frequency.ANY,
    groups: Iterable[CommunityGroup] = (),
    key_contact: bool = False,
    demographics: Mapping[str, str] | None = None,
    explicit_consent: Collection[str] = (),
    how: str = How.ONLINE,
    registered_by: User | None = None,
    language: str = settings.LANGUAGE_CODE,
    registered_at=None,
) -> Member:
    """Make ``user`` a member, recording their consent to registration (and answers)."""
    _check_place(postcode, street)
    member = Member.objects.create(
        user=user,
        postcode=postcode,
        ward_id=postcode.ward_id,
        street=street,
        phone=phone,
        by_email=by_email,
        by_sms=by_sms and bool(phone),
        max_frequency=max_frequency,
        key_contact=key_contact,
        source=Member.Source.DOORSTEP if how == How.DOORSTEP else Member.Source.SELF,
        registered_by=registered_by,
        language=language,
        registered_at=registered_at or timezone.now(),
    )
    member.groups.set(groups)
    _consent_give(
        member=member,
        item=ConsentRecord.Item.REGISTRATION,
        how=how,
        recorded_by=registered_by,
        at=member.registered_at,
    )
    if demographics:
        member_demographics_save(
            member=member,
            answers=demographics,
            explicit_consent=explicit_consent,
            how=how,
            recorded_by=registered_by,
            at=member.registered_at,
        )
    return member


@transaction.atomic
def member_details_update(
    *,
    member: Member,
    name: str,
    phone: str,
    street: Street | None,
    by_email: bool,
    by_sms: bool,
    max_frequency: str,
    groups: Iterable[CommunityGroup],
    key_contact: bool,
    language: str | None = None,
) -> Member:
    _check_place(member.postcode, street)
    member.user.name = name
    member.user.save(update_fields=["name"])
    member.phone = phone
    member.street = street
    member.by_email = by_email
    member.by_sms = by_sms and bool(phone)
    member.max_frequency = max_frequency
    member.key_contact = key_contact
    fields = ["phone", "street", "by_email", "by_sms", "max_frequency", "key_contact"]
    if language:
        member.language = language
        fields.append("language")
    member.save(update_fields=fields)
    member.groups.set(groups)
    return member


@transaction.atomic
def member_move(*, member: Member, postcode: Postcode, street: Street | None = None) -> Member:
    """A new postcode (and so perhaps a new ward); the street is chosen again."""
    _check_place(postcode, street)
    member.postcode = postcode
    member.ward_id = postcode.ward_id
    member.street = street
    member.save(update_fields=["postcode", "ward", "street"])
    return member


# --- Demographics and consent ---------------------------------------------------------------


def _consent_give(
    *, member: Member, item: str, how: str, recorded_by: User | None, at=None
) -> ConsentRecord:
    active = ConsentRecord.objects.filter(member=member, item=item, withdrawn_at__isnull=True)
    existing = active.first()
    if existing is not None:
        return existing
    return ConsentRecord.objects.create(
        member=member,
        item=item,
        how=how,
        recorded_by=recorded_by,
        wording_version=consent_wording.CURRENT_VERSION,
        given_at=at or timezone.now(),
    )


def _consent_withdraw(*, member: Member, item: str) -> int:
    return ConsentRecord.objects.filter(member=member, item=item, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


@transaction.atomic
def member_demographics_save(
    *,
    member: Member,
    answers: Mapping[str, str],
    explicit_consent: Collection[str] = (),
    how: str = How.ONLINE,
    recorded_by: User | None = None,
    at=None,
) -> Demographics:
    """Store the answers given (items not in ``answers`` are left as they are).

    A real answer records consent to hold it; a special-category answer needs the item
    in ``explicit_consent`` or nothing is stored (ConsentMissing). An empty answer
    deletes the value and withdraws the consent; so does "prefer not to say", which
    holds no information and needs no consent.
    """
    for item, value in answers.items():
        if item not in ITEMS:
            raise ValueError(f"Unknown item {item!r}")
        if needs_explicit_consent(item, value) and item not in explicit_consent:
            raise ConsentMissing(item)
    demographics, _ = Demographics.objects.select_for_update().get_or_create(member=member)
    changed = []
    for item, value in answers.items():
        value = value or ""
        if getattr(demographics, item) != value:
            setattr(demographics, item, value)
            changed.append(item)
        if value and value != PREFER_NOT_TO_SAY:
            _consent_give(member=member, item=item, how=how, recorded_by=recorded_by, at=at)
        else:
            _consent_withdraw(member=member, item=item)
    if changed:
        demographics.save(update_fields=[*changed, "updated_at"])
    return demographics


@transaction.atomic
def member_consent_withdraw(*, member: Member, item: str) -> None:
    """Withdraw consent to one "about you" item: its value is deleted, not hidden."""
    if item not in ITEMS:
        raise ValueError(f"Consent to {item!r} is withdrawn by erasing the account")
    Demographics.objects.filter(member=member).update(**{item: "", "updated_at": timezone.now()})
    _consent_withdraw(member=member, item=item)


# --- Registration by an officer at the door ------------------------------------------------


@transaction.atomic
def member_register_at_door(
    *,
    officer: User,
    email: str,
    name: str,
    postcode: Postcode,
    language: str = settings.LANGUAGE_CODE,
    **details,
) -> tuple[Member | None, bool]:
    """Register a resident an officer is with. Returns (member, created).

    An email address that already has an account is never duplicated or changed:
    nothing is written, ``(existing member or None, False)`` comes back, and the
    address's owner is told that someone tried (sent on commit). A new resident gets
    an email asking them to confirm their address (sent on commit). The officer is
    told the same in both cases, so the form reveals nobody's membership.
    """
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        existing_address = EmailAddress.objects.filter(email__iexact=email).first()
        existing = existing_address.user if existing_address else None
    if existing is not None:
        member = Member.objects.filter(user=existing).first()
        owner_language = member.language if member else language
        transaction.on_commit(
            lambda: send_doorstep_already_registered(email=email, language=owner_language)
        )
        return member, False
    user = User.objects.create_user(email=email, password=None, name=name)
    address = EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    member = member_register(
        user=user,
        postcode=postcode,
        how=How.DOORSTEP,
        registered_by=officer,
        language=language,
        **details,
    )
    transaction.on_commit(lambda: send_doorstep_welcome(member_id=member.pk, address=address))
    return member, True


def send_doorstep_welcome(*, member_id: int, address: EmailAddress) -> None:
    """The email asking a resident registered at the door to confirm their address."""
    member = Member.objects.select_related("user", "registered_by", "ward").get(pk=member_id)
    key = EmailConfirmationHMAC(address).key
    context = {
        "member": member,
        "officer_name": member.registered_by.name if member.registered_by else "",
        "confirm_url": settings.SITE_URL.rstrip("/") + reverse("account_confirm_email", args=[key]),
        "privacy_url": settings.SITE_URL.rstrip("/") + reverse("member_privacy"),
        "SITE_NAME": settings.SITE_NAME,
        "FORCE_NAME": settings.FORCE_NAME,
    }
    with translation.override(member.language):
        subject = render_to_string("accounts/members/email/doorstep_subject.txt", context)
        body = render_to_string("accounts/members/email/doorstep_message.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=None,
        recipient_list=[address.email],
    )


def send_doorstep_already_registered(*, email: str, language: str) -> None:
    """Tell the owner of an address that an officer tried to register it again."""
    context = {
        "login_url": settings.SITE_URL.rstrip("/") + reverse("account_login"),
        "reset_url": settings.SITE_URL.rstrip("/") + reverse("account_reset_password"),
        "SITE_NAME": settings.SITE_NAME,
        "FORCE_NAME": settings.FORCE_NAME,
    }
    with translation.override(language):
        subject = render_to_string("accounts/members/email/doorstep_exists_subject.txt", context)
        body = render_to_string("accounts/members/email/doorstep_exists_message.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=None,
        recipient_list=[email],
    )
