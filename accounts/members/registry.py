"""Registers the member data accounts holds with ``accounts.personal_data``.

Called from ``AccountsConfig.ready()``. Higher apps register their own models the
same way from their own ``ready()``.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _

from accounts import personal_data
from accounts.models import ConsentRecord, Demographics, Member, StaffProfile, User


def register_accounts_models() -> None:
    personal_data.register(
        User,
        member_path="member",
        label=_("Account"),
        fields=("email", "name", "date_joined", "last_login", "is_active"),
    )
    personal_data.register(
        EmailAddress,
        member_path="user__member",
        label=_("Email addresses"),
        fields=("email", "verified", "primary"),
    )
    personal_data.register(
        Member,
        member_path="user__member",  # the member itself (a path the registry can filter on)
        label=_("Membership"),
        fields=(
            "postcode",
            "ward",
            "street",
            "phone",
            "by_email",
            "by_sms",
            "max_frequency",
            "groups",
            "key_contact",
            "registered_at",
            "source",
            "registered_by",
            "messages_stopped_at",
            "language",
        ),
    )
    personal_data.register(
        Demographics,
        member_path="member",
        label=_("About you"),
        fields=(*Demographics.ITEMS, "updated_at"),
    )
    personal_data.register(
        ConsentRecord,
        member_path="member",
        label=_("Consents"),
        fields=("item", "given_at", "how", "wording_version", "recorded_by", "withdrawn_at"),
    )
    # A member who is also police staff: their role and areas.
    personal_data.register(
        StaffProfile,
        member_path="user__member",
        label=_("Staff role"),
        fields=("role", "collar_number", "areas", "is_active", "created_at"),
    )
    # Two-factor devices: which kind and when used; never the secret itself.
    personal_data.register(
        Authenticator,
        member_path="user__member",
        label=_("Two-factor authentication"),
        fields=("type", "created_at", "last_used_at"),
    )
