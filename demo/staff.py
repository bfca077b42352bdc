"""Demo staff: one per role, with a fixed password and two-factor secret.

Only ever created by ``manage.py load_demo`` (which refuses to run in production).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.db import transaction

from accounts.models import StaffProfile, User
from areas.models import Area

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credentials
# Base32 secret for an authenticator app; the same for every demo account.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


@dataclass(frozen=True)
class DemoStaff:
    email: str
    name: str
    role: str
    area_codes: tuple[str, ...]
    description: str


DEMO_STAFF = (
    DemoStaff(
        "officer@demo.example",
        "PC Sam Carter",
        StaffProfile.Role.OFFICER,
        ("E05011529", "E05011541"),
        "officer for two Hull wards (Central; St Andrew's & Docklands)",
    ),
    DemoStaff(
        "supervisor@demo.example",
        "Sgt Priya Shah",
        StaffProfile.Role.SUPERVISOR,
        ("E06000010",),
        "supervisor for Hull",
    ),
    DemoStaff(
        "analyst@demo.example",
        "Alex Morgan",
        StaffProfile.Role.ANALYST,
        ("E23000012",),
        "analyst for the whole force",
    ),
    DemoStaff(
        "admin@demo.example",
        "Jo Admin",
        StaffProfile.Role.ADMIN,
        ("E23000012",),
        "administrator for the whole force",
    ),
)


@transaction.atomic
def create_demo_staff() -> list[User]:
    """Create (or reset) the demo staff. Safe to run again: nothing is duplicated."""
    users = []
    for spec in DEMO_STAFF:
        user, _ = User.objects.get_or_create(email=spec.email, defaults={"name": spec.name})
        user.name = spec.name
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=spec.email, defaults={"verified": True, "primary": True}
        )
        profile, _ = StaffProfile.objects.update_or_create(
            user=user, defaults={"role": spec.role, "is_active": True}
        )
        profile.areas.set(Area.objects.filter(code__in=spec.area_codes))
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        users.append(user)
    return users


TOTP_PERIOD = 30


def current_totp_code(user: User, *, at: float | None = None, margin: float = 0) -> str:
    """The code an authenticator app would show now for this user's TOTP secret.

    With ``margin``, a code about to expire is not given: when fewer than ``margin``
    seconds of its 30 are left, this waits for the next one (a person would too). The
    server accepts the current code only, so one typed at 29.9 s and checked at 30.1 s
    is refused.
    """
    if at is None and margin:
        left = TOTP_PERIOD - time.time() % TOTP_PERIOD
        if left < margin:
            time.sleep(left + 0.05)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int((at or time.time()) // TOTP_PERIOD)))
