"""Members for tests, made through the same services the app uses."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from accounts.members import services
from accounts.members.demographics import EthnicGroup, Religion
from accounts.models import CommunityGroup, ConsentRecord, Member, User
from areas.models import BNG, Area, Postcode, Street

PASSWORD = "correct horse battery"
CENTRAL = "E05011529"  # Central ward, Hull (the demo officer's)
ST_ANDREWS = "E05011541"  # St Andrew's & Docklands, Hull
_numbers = itertools.count(1)


def postcode(code: str = "HU1 2PD") -> Postcode:
    return Postcode.objects.select_related("ward").get(code=code)


def make_member(
    *,
    email: str | None = None,
    name: str = "Pat Example",
    postcode_code: str = "HU1 2PD",
    street: Street | None = None,
    phone: str = "",
    password: str | None = PASSWORD,
    verified: bool = True,
    demographics: dict[str, str] | None = None,
    consent: Iterable[str] = (),
    groups: Iterable[str] = (),
    key_contact: bool = False,
    registered_by: User | None = None,
) -> Member:
    email = email or f"member{next(_numbers)}@example.test"
    user = User.objects.create_user(email=email, password=password, name=name)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return services.member_register(
        user=user,
        postcode=postcode(postcode_code),
        street=street,
        phone=phone,
        by_sms=bool(phone),
        groups=CommunityGroup.objects.filter(slug__in=list(groups)),
        key_contact=key_contact,
        demographics=demographics or {},
        explicit_consent=set(consent),
        how=ConsentRecord.How.DOORSTEP if registered_by else ConsentRecord.How.ONLINE,
        registered_by=registered_by,
    )


def make_member_with_everything(*, email: str, name: str, phone: str) -> Member:
    """A member with a street, groups, every "about you" answer and every consent."""
    pc = postcode("HU1 2PD")
    street = Street.objects.streets().filter(ward=pc.ward).first()
    return make_member(
        email=email,
        name=name,
        phone=phone,
        street=street,
        demographics={
            "age_band": "35-44",
            "sex": "female",
            "ethnic_group": EthnicGroup.WHITE_OTHER,
            "religion": Religion.CHRISTIAN,
            "disability": "limited_a_little",
            "main_language": "pl",
        },
        consent={"ethnic_group", "religion", "disability"},
        groups=["neighbourhood-watch", "faith-group"],
        key_contact=True,
    )


# --- Geography for browser tests (the database is emptied after each of them) ------------------

# Real points of real postcodes; wards drawn as squares around them when the real
# boundaries are not loaded.
HULL_POSTCODES = {
    "HU1 2PD": (CENTRAL, 509183.0, 428704.0),
    "HU1 3QX": (CENTRAL, 509173.0, 428805.0),
    "HU1 1AA": (ST_ANDREWS, 510050.0, 428808.0),
}
HULL_STREETS = {
    CENTRAL: [
        ("Whitefriargate", 40, 30),
        ("Silver Street", 120, 90),
        ("Land of Green Ginger", -300, 200),
    ],
    ST_ANDREWS: [("Humber Dock Street", 30, -20), ("Castle Street", 200, 100)],
}


def _square(x: float, y: float, half: float = 3000) -> MultiPolygon:
    return MultiPolygon(
        Polygon(
            ((x - half, y - half), (x + half, y - half), (x + half, y + half), (x - half, y + half),
             (x - half, y - half))
        ),
        srid=BNG,
    )  # fmt: skip


def ensure_hull_geography() -> dict[str, Area]:
    """Hull's Central and St Andrew's wards, three postcodes and a few streets.

    Uses the real rows when the real geography is loaded, creates small ones when not.
    """
    force, _ = Area.objects.get_or_create(
        code="E23000012", defaults={"name": "Humberside", "level": Area.Level.FORCE}
    )
    hull, _ = Area.objects.get_or_create(
        code="E06000010",
        defaults={
            "name": "Kingston upon Hull, City of",
            "level": Area.Level.DISTRICT,
            "parent": force,
            "boundary": _square(509500, 428800, 6000),
        },
    )
    wards = {}
    for code, name, (x, y) in (
        (CENTRAL, "Central", (508000, 430500)),
        (ST_ANDREWS, "St Andrew's & Docklands", (512000, 426500)),
    ):
        wards[code], _ = Area.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": Area.Level.WARD,
                "parent": hull,
                "boundary": _square(x, y),
            },
        )
    for code, (ward_code, x, y) in HULL_POSTCODES.items():
        Postcode.objects.get_or_create(
            code=code,
            defaults={
                "outward": code.split()[0],
                "point": Point(x, y, srid=BNG),
                "ward": wards[ward_code],
                "ward_code": ward_code,
            },
        )
    for ward_code, streets in HULL_STREETS.items():
        ward = wards[ward_code]
        pc = Postcode.objects.filter(ward=ward).order_by("code").first()
        for name, dx, dy in streets:
            Street.objects.get_or_create(
                ward=ward,
                name=name,
                defaults={
                    "geometry": Point(pc.point.x + dx, pc.point.y + dy, srid=BNG),
                    "source": Street.Source.POLICE_UK,
                },
            )
    return wards


# --- Sign-up form data ----------------------------------------------------------------------

_ips = itertools.count(1)


def fresh_ip() -> str:
    """A client address of its own, so rate limits from other tests never apply."""
    n = next(_ips)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def signup_data(**overrides) -> dict:
    """A complete, valid sign-up (the form was shown a minute ago)."""
    import time

    from accounts.members import botcheck
    from accounts.members.selectors import streets_near

    pc = postcode("HU1 2PD")
    streets = streets_near(pc)
    data = {
        "name": "Jan Kowalski",
        "email": "jan.kowalski@example.test",
        "password1": "a long pass phrase",
        "password2": "a long pass phrase",
        "postcode": "hu1 2pd",
        "street": str(streets[0].pk) if streets else "",
        "phone": "07700 900123",
        "by_email": "on",
        "by_sms": "on",
        "max_frequency": "weekly",
        "groups": [str(CommunityGroup.objects.get(slug="neighbourhood-watch").pk)],
        "key_contact": "on",
        "age_band": "35-44",
        "sex": "",
        "ethnic_group": "white_other",
        "consent_ethnic_group": "on",
        "religion": "prefer_not_to_say",
        "disability": "",
        "main_language": "pl",
        "agree": "on",
        "homepage": "",
        "form_token": botcheck.issue(at=time.time() - 60),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def ensure_community_groups() -> None:
    """The taxonomy from fixtures/ (a data migration loads it; a flushed database loses it)."""
    import json
    from pathlib import Path

    from django.conf import settings

    rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / "community_groups.json").read_text())
    for row in rows:
        fields = dict(row["fields"])
        CommunityGroup.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)


def make_officer(email: str, ward: Area) -> User:
    """An officer for ``ward`` who can sign in (verified email, two-factor set up)."""
    from tests.factories import make_staff

    officer = make_staff(email, "officer", [ward])
    EmailAddress.objects.create(user=officer, email=email, verified=True, primary=True)
    return officer


def use_language(page, live_server, language: str) -> None:
    """Browser tests: show the site in ``language`` (the cookie the switcher sets)."""
    cookie = {"name": "django_language", "value": language, "url": live_server.url}
    page.context.add_cookies([cookie])
