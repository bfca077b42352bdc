"""Reads about members: streets near a postcode, a user's membership, counts."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.gis.db.models.functions import GeometryDistance
from django.db.models import Count, QuerySet

from accounts.models import CommunityGroup, ConsentRecord, Demographics, Member, User
from areas.models import Area, Postcode, Street
from core import disclosure

from .demographics import ITEMS, PREFER_NOT_TO_SAY

STREETS_SHOWN = 40


def streets_near(postcode: Postcode, *, limit: int = STREETS_SHOWN) -> list[Street]:
    """Real streets in the postcode's ward, nearest first (KNN ``<->`` on the GiST index);
    places police.uk names ("Nightclub", "Police Station") are nobody's street."""
    if postcode.ward_id is None:
        return []
    return list(
        Street.objects.streets()
        .filter(ward_id=postcode.ward_id)
        .order_by(GeometryDistance("geometry", postcode.point), "name")
        .only("id", "name", "kind", "ward_id")[:limit]
    )


def member_for_user(user: User) -> Member | None:
    if not user.is_authenticated:
        return None
    return (
        Member.objects.select_related("postcode", "ward", "ward__parent", "street", "user")
        .filter(user=user)
        .first()
    )


def community_groups() -> QuerySet[CommunityGroup]:
    return CommunityGroup.objects.order_by("order", "name")


def active_consents(member: Member) -> dict[str, ConsentRecord]:
    return {
        c.item: c for c in ConsentRecord.objects.filter(member=member, withdrawn_at__isnull=True)
    }


def demographics_for(member: Member) -> Demographics | None:
    return Demographics.objects.filter(member=member).first()


def demographic_counts(
    *, wards: Iterable[Area] | QuerySet[Area], item: str
) -> dict[str, int | None]:
    """How many members in the wards gave each answer to ``item``.

    For aggregates only (officers never see one person's answer). A count under the
    disclosure threshold (``core.disclosure``) comes back as None, to be shown as "fewer
    than 10"; "prefer not to say" and no answer are not counted.
    """
    if item not in ITEMS:
        raise ValueError(item)
    rows = (
        Demographics.objects.filter(member__in=Member.objects.confirmed(), member__ward__in=wards)
        .exclude(**{item: ""})
        .exclude(**{item: PREFER_NOT_TO_SAY})
        .values(item)
        .annotate(n=Count("pk"))
    )
    return {r[item]: disclosure.count(r["n"]) for r in rows}
