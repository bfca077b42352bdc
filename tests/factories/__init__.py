"""Test data builders. Factories make only UK points (British National Grid)."""

from __future__ import annotations

from collections.abc import Iterable

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import StaffProfile, User
from areas.models import Area

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password("correct horse battery")


def give_totp(user: User, secret: str = DEMO_TOTP_SECRET) -> Authenticator:
    return TOTP.activate(user, secret).instance


def make_staff(email: str, role: str, areas: Iterable[Area], *, with_totp: bool = True) -> User:
    user = UserFactory(email=email)
    profile = StaffProfile.objects.create(user=user, role=role)
    profile.areas.set(areas)
    if with_totp:
        give_totp(user)
    return user
