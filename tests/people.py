"""The one set of people every staff view test uses (as hc/test.py has alice, bob, charlie).

In the tiny test force (tests/conftest.py): Testshire, with North Town (Riverside and
Hillside wards) and South Town (Docks ward). The objects under test live in Riverside.

| who                        | role       | scope       |
|----------------------------|------------|-------------|
| anonymous                  | nobody signed in            |
| member                     | a member of the public in Riverside  |
| ward_officer               | officer    | Riverside   |
| other_ward_officer         | officer    | Hillside    |
| district_supervisor        | supervisor | North Town  |
| other_district_supervisor  | supervisor | South Town  |
| analyst                    | analyst    | the force   |
| other_district_admin       | admin      | South Town  |
| admin                      | admin      | the force   |
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from allauth.account.models import EmailAddress
from django.test import Client

from accounts.models import Member, User
from tests.factories import make_staff
from tests.factories.members import fresh_ip
from tests.factories.targeting import make_members, make_postcode

# Everyone, in the order the access matrix lists them.
EVERYONE = (
    "anonymous",
    "member",
    "ward_officer",
    "other_ward_officer",
    "district_supervisor",
    "other_district_supervisor",
    "analyst",
    "other_district_admin",
    "admin",
)


@dataclass
class People:
    anonymous: None
    member: User
    ward_officer: User
    other_ward_officer: User
    district_supervisor: User
    other_district_supervisor: User
    analyst: User
    other_district_admin: User
    admin: User

    def client(self, who: str) -> Client:
        """A client signed in as ``who`` (from an address of its own)."""
        client = Client(REMOTE_ADDR=fresh_ip(), raise_request_exception=False)
        user = getattr(self, who)
        if user is not None:
            client.force_login(user)
        return client

    def names(self) -> list[str]:
        return [f.name for f in fields(self)]


def make_people(force: dict) -> People:
    def staff(email: str, role: str, area: str) -> User:
        user = make_staff(email, role, [force[area]])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    home = make_postcode("ZZ9 1AA", force["riverside"], 100_400, 101_400)
    member: Member = make_members(home, 1)[0]
    return People(
        anonymous=None,
        member=member.user,
        ward_officer=staff("alice.officer@example.test", "officer", "riverside"),
        other_ward_officer=staff("bob.officer@example.test", "officer", "hillside"),
        district_supervisor=staff("dana.supervisor@example.test", "supervisor", "north"),
        other_district_supervisor=staff("carol.supervisor@example.test", "supervisor", "south"),
        analyst=staff("erin.analyst@example.test", "analyst", "force"),
        other_district_admin=staff("frank.admin@example.test", "admin", "south"),
        admin=staff("grace.admin@example.test", "admin", "force"),
    )
