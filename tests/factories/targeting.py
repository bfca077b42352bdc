"""Builders for targeting tests: streets, map points, crimes, output areas, members and
survey answers in a hand-built area (British National Grid points only)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime

from allauth.account.models import EmailAddress
from django.contrib.gis.geos import MultiPoint, MultiPolygon, Point, Polygon
from django.utils import timezone

from accounts.models import Member, User
from areas.importers.base import simplified_wgs84
from areas.location_names import is_place
from areas.models import BNG, WGS84, Area, Lsoa, OutputArea, Postcode, Street
from targeting.models import Crime, CrimeCategory, CrimeImport, LsoaDeprivation, MapPoint

_numbers = itertools.count(1)
JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def rectangle(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    return MultiPolygon(Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))), srid=BNG)


def make_street(
    ward: Area, name: str, *points: tuple[float, float], near: Street | None = None
) -> Street:
    """A police.uk-style street: the map points sharing a name in a ward. A name police.uk
    gives places ("Parking Area") makes a place, shown near ``near``."""
    return Street.objects.create(
        ward=ward,
        name=name,
        geometry=MultiPoint(*[Point(x, y, srid=BNG) for x, y in points], srid=BNG),
        source=Street.Source.POLICE_UK,
        kind=Street.Kind.PLACE if is_place(name) else Street.Kind.STREET,
        near=near,
    )


def make_map_point(street: Street, *, ward: Area | None = None) -> MapPoint:
    """A map point on the street's first point, placed as the importer would place it."""
    point = street.geometry[0].clone()
    point.srid = BNG
    lonlat = point.transform(WGS84, clone=True)
    return MapPoint.objects.create(
        longitude=round(lonlat.x, 6),
        latitude=round(lonlat.y, 6),
        location=f"On or near {street.name}",
        name=street.name,
        point=point,
        ward=ward or street.ward,
        street=street,
        street_distance_m=0,
        placed_at=timezone.now(),
    )


def category(slug: str) -> CrimeCategory:
    return CrimeCategory.objects.get(slug=slug)


def add_crimes(point: MapPoint, month: date, counts: dict[str, int]) -> list[Crime]:
    """``counts`` crimes of each category at a map point in a month."""
    batch = CrimeImport.objects.create(
        reported_by="Testshire Police", month=month, file_name="test.csv", rows=0
    )
    crimes = []
    for slug, n in counts.items():
        cat = category(slug)
        for _ in range(n):
            crimes.append(
                Crime(
                    month=month,
                    reported_by="Testshire Police",
                    falls_within="Testshire Police",
                    crime_id="" if cat.is_asb else f"{next(_numbers):064x}",
                    category=cat,
                    location=point,
                    batch=batch,
                    source_line=next(_numbers),
                )
            )
    Crime.objects.bulk_create(crimes)
    return crimes


def make_output_area(
    code: str,
    ward: Area,
    boundary: MultiPolygon,
    *,
    households: int,
    residents: int | None = None,
    imd_decile: int | None = None,
) -> OutputArea:
    lsoa = Lsoa.objects.create(code=f"E01{code[-6:]}", name=f"Testshire {code[-3:]}A")
    lsoa.boundary = boundary
    lsoa.save()
    if imd_decile is not None:
        rank = (imd_decile - 0.5) * 3284.4
        LsoaDeprivation.objects.create(
            lsoa=lsoa,
            imd_rank=rank,
            imd_decile=imd_decile,
            lsoa11_codes=lsoa.code,
            method=LsoaDeprivation.Method.SAME,
        )
    return OutputArea.objects.create(
        code=code,
        lsoa=lsoa,
        ward=ward,
        boundary=boundary,
        households=households,
        usual_residents=residents if residents is not None else households * 2,
    )


def make_postcode(code: str, ward: Area, x: float, y: float) -> Postcode:
    return Postcode.objects.create(
        code=code,
        outward=code.split(" ")[0],
        point=Point(x, y, srid=BNG),
        ward=ward,
        ward_code=ward.code,
    )


def make_members(
    postcode: Postcode,
    count: int,
    *,
    registered_at: datetime | None = None,
    key_contact: bool = False,
    groups: Iterable = (),
    confirmed: bool = True,
) -> list[Member]:
    """``count`` members at ``postcode``; ``confirmed=False`` for sign-ups whose email
    address was never confirmed (not members anywhere staff look)."""
    members = []
    for _ in range(count):
        n = next(_numbers)
        user = User.objects.create_user(
            email=f"resident{n}@example.test", password=None, name=f"Resident {n}"
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=confirmed, primary=True)
        member = Member.objects.create(
            user=user,
            postcode=postcode,
            ward=postcode.ward,
            key_contact=key_contact,
            registered_at=registered_at or timezone.now(),
            phone=f"0770090{n:04d}",
        )
        member.groups.set(list(groups))
        members.append(member)
    return members


def survey_answers(
    ward: Area,
    *,
    count: int,
    trust: int,
    confidence: int,
    priorities: Iterable[str] = (),
    street: Street | None = None,
    submitted_at: datetime | None = None,
) -> None:
    """``count`` submitted responses in a ward with the same answers."""
    from surveys.models import (
        Answer,
        AnswerPriority,
        Invitation,
        Priority,
        Question,
        Response,
        Round,
        Survey,
    )

    submitted_at = submitted_at or timezone.now()
    version = Survey.objects.get(is_active=True).versions.order_by("-number").first()
    start = date(submitted_at.year, 3 * ((submitted_at.month - 1) // 3) + 1, 1)
    end_month = start.month + 2
    round_, _ = Round.objects.get_or_create(
        starts_on=start, defaults={"ends_on": date(start.year, end_month, 28)}
    )
    questions = {q.key: q for q in Question.objects.filter(version=version)}
    ranked = [Priority.objects.get(slug=s) for s in priorities]
    for _ in range(count):
        invitation = Invitation.objects.create(
            member=None,
            cycle=next(_numbers),
            round=round_,
            version=version,
            ward=ward,
            street=street,
            due_at=submitted_at,
            closes_at=submitted_at + timezone.timedelta(days=30),
        )
        response = Response.objects.create(
            invitation=invitation,
            version=version,
            round=round_,
            ward=ward,
            street=street,
            submitted_at=submitted_at,
        )
        Answer.objects.create(response=response, question=questions["trust"], scale_value=trust)
        Answer.objects.create(
            response=response, question=questions["confidence"], scale_value=confidence
        )
        if ranked:
            answer = Answer.objects.create(response=response, question=questions["priorities"])
            for rank, priority in enumerate(ranked, start=1):
                AnswerPriority.objects.create(answer=answer, priority=priority, rank=rank)


def load_reference_data() -> None:
    """The harm weights and scoring settings the migration loads (for tests that run after
    a transactional test emptied the database)."""
    import json

    from django.conf import settings as django_settings

    from targeting.models import ScoringSettings

    path = django_settings.BASE_DIR / "fixtures" / "harm_weights.json"
    for row in json.loads(path.read_text()):
        fields = dict(row["fields"])
        CrimeCategory.objects.update_or_create(slug=fields.pop("slug"), defaults=fields)
    ScoringSettings.load()


def hand_built_area(tiny_force: dict) -> dict:
    """The area described in tests/targeting/conftest.py, in the tiny test force."""
    riverside, hillside = tiny_force["riverside"], tiny_force["hillside"]
    for ward in (riverside, hillside):
        ward.boundary_simple = simplified_wgs84(ward.boundary)  # what the maps draw
        ward.save(update_fields=["boundary_simple"])
    make_output_area(
        "E00999001",
        riverside,
        rectangle(100_000, 101_000, 100_500, 102_000),
        households=200,
        imd_decile=1,
    )
    make_output_area(
        "E00999002",
        riverside,
        rectangle(100_500, 101_000, 101_000, 102_000),
        households=100,
        imd_decile=8,
    )
    make_output_area(
        "E00999003",
        hillside,
        rectangle(101_000, 101_000, 102_000, 102_000),
        households=100,
        imd_decile=5,
    )
    make_members(make_postcode("ZZ1 1AA", riverside, 100_100, 101_100), 4)
    make_members(make_postcode("ZZ1 1AB", riverside, 100_900, 101_100), 8)
    make_members(make_postcode("ZZ2 1AA", hillside, 101_900, 101_100), 10)

    streets = {
        "high": make_street(riverside, "High Street", (100_200, 101_500)),
        "mill": make_street(riverside, "Mill Lane", (100_700, 101_500)),
        "quiet": make_street(riverside, "Quiet Close", (100_800, 101_800)),
        "hill": make_street(hillside, "Hill Road", (101_500, 101_500)),
    }
    points = {key: make_map_point(street) for key, street in streets.items()}
    add_crimes(points["high"], JAN, {"anti-social-behaviour": 2})
    add_crimes(points["high"], FEB, {"anti-social-behaviour": 2})
    add_crimes(
        points["high"], MAR, {"anti-social-behaviour": 10, "violence-and-sexual-offences": 2}
    )
    for month in (JAN, FEB, MAR):
        add_crimes(points["mill"], month, {"violence-and-sexual-offences": 4})
        add_crimes(points["hill"], month, {"anti-social-behaviour": 1})
    add_crimes(points["quiet"], JAN, {"burglary": 1})
    return {**tiny_force, "streets": streets, "points": points}


def make_msoa(code: str, name: str, output_areas: Iterable[OutputArea], **residents: int):
    """An MSOA with TS021 residents by detailed ethnic group (``white_british=900``), its
    high-level groups the sums, linked to the LSOAs of ``output_areas``."""
    from areas.census import ETHNIC
    from areas.models import Msoa

    groups = dict(residents)
    for key, n in residents.items():
        parent = ETHNIC[key].parent
        groups[parent] = groups.get(parent, 0) + n
    msoa = Msoa.objects.create(
        code=code, name=name, usual_residents=sum(residents.values()), ethnic_groups=groups
    )
    Lsoa.objects.filter(output_areas__in=list(output_areas)).update(msoa=msoa)
    return msoa


def give_ethnic_group(members: Iterable[Member], value: str) -> None:
    """Each member's answer to the ethnic group question, with consent where it needs it."""
    from accounts.members.services import member_demographics_save

    for member in members:
        member_demographics_save(
            member=member, answers={"ethnic_group": value}, explicit_consent=("ethnic_group",)
        )
