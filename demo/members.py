"""Synthetic demo members spread over the Humberside wards.

Only ever created by ``manage.py load_demo``. Deterministic (a fixed seed) and
idempotent: members are keyed by email (``member0001@demo.example``...), and a second
run creates only the ones missing. More members live in the demo officer's two Hull
wards; registration dates spread over the past sixteen months; some were registered at
the door, some are key contacts, some answered the "about you" questions with consent.
The survey demo (``demo.surveys``) builds on these members.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.gis.db.models.functions import GeometryDistance
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.members import services
from accounts.members.demographics import (
    PREFER_NOT_TO_SAY,
    AgeBand,
    Disability,
    EthnicGroup,
    MainLanguage,
    Religion,
    Sex,
)
from accounts.models import CommunityGroup, ConsentRecord, Member, User
from areas.models import Area, Postcode, Street

from .staff import DEMO_PASSWORD

DEMO_DOMAIN = "demo.example"
DEMO_RESIDENT_EMAIL = f"resident@{DEMO_DOMAIN}"
FOCUS_WARDS = ("E05011529", "E05011541")  # the demo officer's wards: Central; St Andrew's
FOCUS_SHARE = 0.3
DEFAULT_COUNT = 400
# Registrations spread over the last 16 months, so the demo wards have at least three
# full quarters of survey answers above the suppression threshold.
REGISTERED_OVER_DAYS = 480
SEED = 20260

_FIRST_NAMES = """
Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Evie Poppy Ella Oliver George
Noah Arthur Harry Leo Muhammad Jack Charlie Oscar Jacob Henry Thomas Margaret Susan Linda Carol
Janet Brian Keith Graham Trevor Derek Pauline Sandra Agnieszka Katarzyna Piotr Tomasz Krzysztof
Marta Andrei Ioana Aylin Darius Amira Priya Aisha Kwame Chidi Mei Wei Ahmed Fatima Rashid Declan
"""
_SURNAMES = """
Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker
White Roberts Green Hall Wood Jackson Clarke Harrison Cooper Ward Hughes Turner Hill Moore
Kowalski Nowak Wiśniewski Wójcik Popescu Ionescu Khan Ahmed Hussain Begum Patel Okafor Mensah
Chen Li Murphy O'Brien Rahman Ali Pearson Dixon Foster
"""
FIRST_NAMES = tuple(_FIRST_NAMES.split())
SURNAMES = tuple(_SURNAMES.split())

# Rough shares for Hull and the East Riding (Census 2021), for believable demo counts.
ETHNIC_WEIGHTS = {
    EthnicGroup.WHITE_BRITISH: 82,
    EthnicGroup.WHITE_OTHER: 7,
    EthnicGroup.WHITE_ROMA: 1,
    EthnicGroup.WHITE_IRISH: 0.5,
    EthnicGroup.ASIAN_INDIAN: 0.7,
    EthnicGroup.ASIAN_PAKISTANI: 0.5,
    EthnicGroup.ASIAN_BANGLADESHI: 0.3,
    EthnicGroup.ASIAN_CHINESE: 0.8,
    EthnicGroup.ASIAN_OTHER: 0.8,
    EthnicGroup.BLACK_AFRICAN: 1.5,
    EthnicGroup.BLACK_CARIBBEAN: 0.2,
    EthnicGroup.MIXED_WHITE_ASIAN: 0.5,
    EthnicGroup.MIXED_WHITE_BLACK_AFRICAN: 0.5,
    EthnicGroup.MIXED_OTHER: 0.5,
    EthnicGroup.OTHER_ARAB: 0.6,
    EthnicGroup.OTHER_ANY: 0.6,
    EthnicGroup.PREFER_NOT: 3,
}
RELIGION_WEIGHTS = {
    Religion.NONE: 48,
    Religion.CHRISTIAN: 38,
    Religion.MUSLIM: 2.5,
    Religion.HINDU: 0.4,
    Religion.BUDDHIST: 0.4,
    Religion.SIKH: 0.1,
    Religion.JEWISH: 0.1,
    Religion.OTHER: 0.6,
    Religion.PREFER_NOT: 6,
}
AGE_WEIGHTS = {
    AgeBand.A16_24: 8,
    AgeBand.A25_34: 14,
    AgeBand.A35_44: 16,
    AgeBand.A45_54: 18,
    AgeBand.A55_64: 19,
    AgeBand.A65_74: 15,
    AgeBand.A75: 8,
    AgeBand.PREFER_NOT: 2,
}
DISABILITY_WEIGHTS = {
    Disability.NOT_LIMITED: 78,
    Disability.LIMITED_A_LITTLE: 11,
    Disability.LIMITED_A_LOT: 8,
    Disability.PREFER_NOT: 3,
}
LANGUAGE_WEIGHTS = {
    MainLanguage.ENGLISH: 91,
    MainLanguage.POLISH: 3.5,
    MainLanguage.ROMANIAN: 1,
    MainLanguage.KURDISH: 0.8,
    MainLanguage.ARABIC: 0.7,
    MainLanguage.LITHUANIAN: 0.6,
    MainLanguage.LATVIAN: 0.5,
    MainLanguage.OTHER: 1.4,
    MainLanguage.PREFER_NOT: 0.5,
}


def _pick(rng: random.Random, weights: dict) -> str:
    choices, w = zip(*weights.items(), strict=True)
    return str(rng.choices(choices, weights=w, k=1)[0])


def _ward_plan(count: int, rng: random.Random) -> list[int]:
    """A ward id for each member: a share in the focus wards, the rest by postcode count."""
    wards = dict(
        Area.objects.filter(level=Area.Level.WARD, postcodes__isnull=False)
        .annotate(n=Count("postcodes"))
        .values_list("pk", "n")
    )
    if not wards:
        return []
    focus = list(
        Area.objects.filter(code__in=FOCUS_WARDS, pk__in=wards).values_list("pk", flat=True)
    )
    n_focus = round(count * FOCUS_SHARE) if focus else 0
    plan = [focus[i % len(focus)] for i in range(n_focus)]
    others = [pk for pk in wards if pk not in focus]
    plan += rng.choices(others, weights=[wards[pk] for pk in others], k=count - n_focus)
    return plan


def _demographics(rng: random.Random) -> tuple[dict[str, str], set[str]]:
    answers = {
        "age_band": _pick(rng, AGE_WEIGHTS),
        "sex": rng.choice([Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.PREFER_NOT]),
        "main_language": _pick(rng, LANGUAGE_WEIGHTS),
    }
    # Fewer people answer the sensitive questions, and some only some of them.
    if rng.random() < 0.8:
        answers["ethnic_group"] = _pick(rng, ETHNIC_WEIGHTS)
    if rng.random() < 0.65:
        answers["religion"] = _pick(rng, RELIGION_WEIGHTS)
    if rng.random() < 0.6:
        answers["disability"] = _pick(rng, DISABILITY_WEIGHTS)
    consented = {
        item
        for item in ("ethnic_group", "religion", "disability")
        if answers.get(item) not in (None, PREFER_NOT_TO_SAY)
    }
    return {k: str(v) for k, v in answers.items()}, consented


def create_demo_members(*, count: int = DEFAULT_COUNT, seed: int = SEED) -> int:
    """Create the synthetic members that are missing. Returns how many were created."""
    rng = random.Random(seed)
    plan = _ward_plan(count, rng)
    if not plan:
        return 0
    postcodes = defaultdict(list)
    for pc in Postcode.objects.filter(ward_id__in=set(plan)).only("id", "code", "ward_id", "point"):
        postcodes[pc.ward_id].append(pc)
    groups = list(CommunityGroup.objects.order_by("order"))
    officers = {
        code: User.objects.filter(email=email).first()
        for code, email in (("focus", "officer@demo.example"), ("hull", "supervisor@demo.example"))
    }
    focus_ids = set(Area.objects.filter(code__in=FOCUS_WARDS).values_list("pk", flat=True))
    hull_ids = set(Area.objects.filter(parent__code="E06000010").values_list("pk", flat=True))
    existing = set(
        User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").values_list("email", flat=True)
    )
    now = timezone.now()
    created = 0
    for index, ward_id in enumerate(plan):
        # Every member's choices come from their own generator: a re-run makes the same.
        r = random.Random(f"{seed}-{index}")
        email = f"member{index + 1:04d}@{DEMO_DOMAIN}"
        if email in existing:
            continue
        postcode = r.choice(postcodes[ward_id])
        doorstep = r.random() < (0.3 if ward_id in focus_ids else 0.12)
        officer = officers["focus"] if ward_id in focus_ids else officers["hull"]
        if ward_id not in focus_ids and ward_id not in hull_ids:
            officer = None
        _create_one(
            r,
            email=email,
            postcode=postcode,
            groups=groups,
            registered_at=now
            - timedelta(days=r.uniform(0, REGISTERED_OVER_DAYS), minutes=r.randint(0, 1440)),
            registered_by=officer if doorstep and officer else None,
        )
        created += 1
    created += _create_demo_resident()
    return created


@transaction.atomic
def _create_one(
    r: random.Random,
    *,
    email: str,
    postcode: Postcode,
    groups: list[CommunityGroup],
    registered_at,
    registered_by: User | None,
    password: str | None = None,
    name: str | None = None,
) -> Member:
    name = name or f"{r.choice(FIRST_NAMES)} {r.choice(SURNAMES)}"
    user = User.objects.create_user(email=email, password=password, name=name)
    user.date_joined = registered_at
    user.save(update_fields=["date_joined"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    street = None
    if r.random() < 0.7:
        street = (
            Street.objects.streets()
            .filter(ward_id=postcode.ward_id)
            .order_by(GeometryDistance("geometry", postcode.point))
            .first()
        )
    phone = f"+4477009{r.randint(0, 99999):05d}" if r.random() < 0.3 else ""
    chosen_groups = []
    if groups and r.random() < 0.35:
        chosen_groups = r.sample(groups, k=min(len(groups), 1 if r.random() < 0.85 else 2))
    key_contact = r.random() < 0.07 or any(g.is_advisory for g in chosen_groups)
    answers, consented = _demographics(r) if r.random() < 0.6 else ({}, set())
    language = "pl" if answers.get("main_language") == "pl" and r.random() < 0.6 else "en-gb"
    return services.member_register(
        user=user,
        postcode=postcode,
        street=street,
        phone=phone,
        by_email=True if not phone else r.random() < 0.8,
        by_sms=bool(phone),
        max_frequency=r.choice(["any", "any", "weekly", "monthly"]),
        groups=chosen_groups,
        key_contact=key_contact,
        demographics=answers,
        explicit_consent=consented,
        how=ConsentRecord.How.DOORSTEP if registered_by else ConsentRecord.How.ONLINE,
        registered_by=registered_by,
        language=language,
        registered_at=registered_at,
    )


def _create_demo_resident() -> int:
    """One member anyone can sign in as: resident@demo.example, the demo password."""
    if User.objects.filter(email=DEMO_RESIDENT_EMAIL).exists():
        return 0
    postcode = Postcode.objects.filter(ward__code=FOCUS_WARDS[0]).order_by("code").first()
    if postcode is None:
        return 0
    r = random.Random(SEED)
    _create_one(
        r,
        email=DEMO_RESIDENT_EMAIL,
        postcode=postcode,
        groups=list(CommunityGroup.objects.filter(slug="neighbourhood-watch")),
        registered_at=timezone.now() - timedelta(days=120),
        registered_by=None,
        password=DEMO_PASSWORD,
        name="Robin Demo",
    )
    return 1
