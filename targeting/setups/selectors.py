"""Reads for set-ups: who may see which, work lists, doors, progress. Always scoped.

Who sees a set-up: the officers assigned to it, and supervisors, analysts and admins
whose scope holds its area. Anyone else gets a 404, as for a set-up that does not exist.
Only supervisors plan, review and change a set-up's status (``setup_managed_by``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.gis.geos import MultiPolygon
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import CommunityGroup, Member, StaffProfile, User
from accounts.permissions import MANAGEMENT_ROLES, Role, areas_for, staff_profile, wards_for
from areas.models import Area, GeodemographicClass, OutputArea, Street
from areas.selectors import force_of, output_areas_of_class, output_areas_where_group_lives
from core import disclosure

from ..models import ScoringSettings, StreetScore
from .models import SetUp, SetUpStreet, Visit

Status = SetUp.Status


# --- Which set-ups --------------------------------------------------------------------


def setups_for(user: User) -> QuerySet[SetUp]:
    """Every set-up ``user`` may see (archived ones too: their reports stay open)."""
    profile = staff_profile(user)
    if profile is None:
        return SetUp.objects.none()
    mine = Q(officers=user)
    if profile.role in MANAGEMENT_ROLES:
        mine |= Q(area__in=areas_for(user))
    return SetUp.objects.filter(pk__in=SetUp.objects.filter(mine).values("pk"))


def active_setups_for(user: User) -> QuerySet[SetUp]:
    return setups_for(user).filter(status__in=SetUp.ACTIVE)


def my_open_setups(user: User) -> QuerySet[SetUp]:
    """The open set-ups ``user`` is assigned to: what the doorstep page lists."""
    return SetUp.objects.filter(officers=user, status=Status.OPEN).order_by("ends_on", "name")


def setup_for_user(user: User, pk: int) -> SetUp:
    try:
        return setups_for(user).select_related("area", "created_by", "signed_off_by").get(pk=pk)
    except SetUp.DoesNotExist:
        raise Http404 from None


def setup_managed_by(user: User, pk: int) -> SetUp:
    """A set-up a supervisor may change (plan, review, close): 404 for anyone else."""
    profile = staff_profile(user)
    if profile is None or profile.role != Role.SUPERVISOR:
        raise Http404
    setup = setup_for_user(user, pk)
    if not areas_for(user).filter(pk=setup.area_id).exists():
        raise Http404
    return setup


def setup_worked_by(user: User, pk: int) -> SetUp:
    """An open set-up ``user`` is assigned to (the doorstep pages): 404 otherwise."""
    try:
        return my_open_setups(user).select_related("area").get(pk=pk)
    except SetUp.DoesNotExist:
        raise Http404 from None


def setup_street_for(setup: SetUp, street_pk: int) -> SetUpStreet:
    try:
        return setup.setup_streets.select_related("street__ward").get(street_id=street_pk)
    except SetUpStreet.DoesNotExist:
        raise Http404 from None


def survey_visit_for(setup: SetUp, key, *, officer: User) -> Visit:
    """The officer's own "survey taken" visit of this set-up, by its key: 404 otherwise."""
    try:
        return Visit.objects.select_related("street__ward").get(
            setup=setup, key=key, officer=officer, outcome=Visit.Outcome.SURVEY
        )
    except Visit.DoesNotExist:
        raise Http404 from None


# --- Planning -------------------------------------------------------------------------


def assignable_officers(user: User) -> QuerySet[User]:
    """Officers and supervisors who work somewhere in ``user``'s scope."""
    profiles = StaffProfile.objects.filter(
        is_active=True,
        role__in=(Role.OFFICER, Role.SUPERVISOR),
        areas__in=areas_for(user),
    )
    return User.objects.filter(staff__in=profiles, is_active=True).distinct().order_by("name")


def candidate_streets(
    *,
    user: User,
    area_kind: str,
    wards: list[Area],
    streets: list[Street],
    shape: MultiPolygon | None,
) -> QuerySet[Street]:
    """The streets (never places) of the area chosen, within ``user``'s wards."""
    qs = Street.objects.streets().filter(ward__in=wards_for(user))
    if area_kind == SetUp.AreaKind.WARDS:
        return qs.filter(ward__in=[w.pk for w in wards])
    if area_kind == SetUp.AreaKind.STREETS:
        return qs.filter(pk__in=[s.pk for s in streets])
    if area_kind == SetUp.AreaKind.SHAPE and shape is not None:
        return qs.filter(geometry__intersects=shape)
    return qs.none()


@dataclass(frozen=True)
class Ranked:
    street: Street
    score: float | None
    households: int | None


def _latest_scores(street_ids: list[int]) -> dict[int, StreetScore]:
    period = StreetScore.objects.filter(street_id__in=street_ids).aggregate(p=Max("period"))["p"]
    if period is None:
        return {}
    return {s.street_id: s for s in StreetScore.objects.filter(street_id__in=street_ids,
                                                               period=period)}  # fmt: skip


def _reaches(score: StreetScore | None, target: str, goal: float) -> bool:
    if target == SetUp.Target.ALL:
        return True
    if score is None:
        return False
    if target == SetUp.Target.LOW_MEMBERSHIP:
        # Below the target rate, and below the ward's own rate where it is known.
        if score.members_per_100 is None:
            return False
        bar = goal
        if score.reference_members_per_100 is not None:
            bar = min(bar, score.reference_members_per_100)
        return score.members_per_100 < bar
    if target == SetUp.Target.LOW_CONFIDENCE:
        mean, force = score.confidence_mean, score.confidence_force_mean
        return mean is not None and force is not None and mean < force
    return False


def crossing(streets: QuerySet[Street], output_areas: QuerySet[OutputArea]) -> QuerySet[Street]:
    """The streets crossing one of ``output_areas`` (those with a boundary)."""
    return streets.filter(
        Exists(
            output_areas.filter(boundary__isnull=False, boundary__intersects=OuterRef("geometry"))
        )
    )


def in_group_areas(streets: QuerySet[Street], group: GeodemographicClass) -> QuerySet[Street]:
    """The streets crossing an output area where ``group`` lives (one rule with the
    insight maps: ``areas.selectors.output_areas_of_class``)."""
    wards = Area.objects.filter(pk__in=streets.values("ward_id"))
    return crossing(streets, output_areas_of_class(wards, group))


def in_community_areas(streets: QuerySet[Street], community: str) -> QuerySet[Street]:
    """The streets crossing an output area where the Census ethnic group ``community``
    lives: of the MSOAs where its share is highest, until they hold half of its residents
    in the wards."""
    wards = Area.objects.filter(pk__in=streets.values("ward_id"))
    first = wards.select_related("parent__parent").first()
    if first is None:
        return streets.none()
    areas = output_areas_where_group_lives(wards=wards, key=community, force=force_of(first))
    return crossing(streets, areas)


def streets_in_priority(
    streets: QuerySet[Street],
    *,
    target: str,
    group: GeodemographicClass | None = None,
    community: str = "",
) -> list[Ranked]:
    """The streets whom ``target`` reaches, highest latest score first (unscored last)."""
    if target == SetUp.Target.GROUP_AREAS:
        streets = in_group_areas(streets, group) if group else streets.none()
        target = SetUp.Target.ALL
    if target == SetUp.Target.COMMUNITY:
        streets = in_community_areas(streets, community) if community else streets.none()
        target = SetUp.Target.ALL
    streets = list(streets.select_related("ward"))
    scores = _latest_scores([s.pk for s in streets])
    goal = ScoringSettings.load().engagement_target
    rows = [
        Ranked(s, scores[s.pk].score if s.pk in scores else None,
               scores[s.pk].households if s.pk in scores else None)
        for s in streets
        if _reaches(scores.get(s.pk), target, goal)
    ]  # fmt: skip
    return sorted(
        rows, key=lambda r: (r.score is None, -(r.score or 0), r.street.name, r.street.pk)
    )


def area_holding(*, user: User, ward_ids: list[int]) -> Area:
    """The smallest area in ``user``'s scope holding every ward: a ward, district or force."""
    wards = list(Area.objects.filter(pk__in=ward_ids).select_related("parent__parent"))
    if len(wards) == 1:
        return wards[0]
    districts = {w.parent_id for w in wards}
    if len(districts) == 1:
        district = wards[0].parent
        if areas_for(user).filter(pk=district.pk).exists():
            return district
    return wards[0].parent.parent if wards[0].parent else wards[0]


def members_by_street(street_ids: list[int]) -> dict[int, int]:
    rows = (
        Member.objects.confirmed()
        .filter(street_id__in=street_ids, user__is_active=True)
        .values("street_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["street_id"]: r["n"] for r in rows}


def members_by_group(setup: SetUp) -> dict[str, int]:
    """Confirmed members on the set-up's streets per community group (true counts)."""
    street_ids = setup.setup_streets.values("street_id")
    rows = (
        CommunityGroup.objects.filter(
            members__in=Member.objects.confirmed().filter(street_id__in=street_ids)
        )
        .values("slug")
        .annotate(n=Count("members", distinct=True))
        .order_by()
    )
    return {r["slug"]: r["n"] for r in rows}


# --- Doors ------------------------------------------------------------------------------


def start_of_day(moment: datetime | None = None) -> datetime:
    day = timezone.localdate(moment or timezone.now())
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Door:
    house: str
    door: str
    outcome: str
    label: str
    visited_at: datetime
    hidden: bool
    why_hidden: str = ""


def _hidden(setup: SetUp, visit: Visit, today: datetime) -> str:
    if visit.outcome in Visit.HIDE_ALWAYS:
        return "declined or asked not to be knocked again"
    if visit.outcome in Visit.HIDE_TODAY and visit.visited_at >= today:
        return "not in earlier today"
    if visit.outcome in Visit.REGISTERED_HOMES and not setup.revisit_members:
        return "already registered"
    return ""


def doors(setup: SetUp, street: Street, *, now: datetime | None = None) -> list[Door]:
    """Each door knocked on the street in this set-up, by its latest visit.

    Doors asked not to be knocked again in any set-up stay so here.
    """
    return doors_by_street(setup, [street.pk], now=now).get(street.pk, [])


def doors_by_street(
    setup: SetUp, street_ids: list[int], *, now: datetime | None = None
) -> dict[int, list[Door]]:
    """:func:`doors` for many streets at once (two queries, whatever their number)."""
    today = start_of_day(now)
    latest: dict[int, dict[str, Visit]] = defaultdict(dict)
    mine = Visit.objects.filter(setup=setup, street_id__in=street_ids).order_by("visited_at", "pk")
    for visit in mine:
        latest[visit.street_id][visit.door] = visit
    never = Visit.objects.filter(
        street_id__in=street_ids, outcome=Visit.Outcome.DO_NOT_KNOCK
    ).exclude(setup=setup)
    for visit in never:
        latest[visit.street_id].setdefault(visit.door, visit)
    result: dict[int, list[Door]] = {}
    for street_id, by_door in latest.items():
        result[street_id] = []
        for _door, visit in sorted(by_door.items(), key=lambda kv: _house_order(kv[0])):
            why = _hidden(setup, visit, today)
            result[street_id].append(
                Door(visit.house, visit.door, visit.outcome, visit.get_outcome_display(),
                     visit.visited_at, hidden=bool(why), why_hidden=why)
            )  # fmt: skip
    return result


def _house_order(door: str) -> tuple:
    digits = "".join(c for c in door.split(" ")[0] if c.isdigit())
    return (0, int(digits), door) if digits else (1, 0, door)


# --- Work list --------------------------------------------------------------------------


@dataclass
class WorkRow:
    setup_street: SetUpStreet
    members: int
    to_knock: int | None
    knocked: int
    hidden: int
    taken_by: str = ""

    @property
    def street(self) -> Street:
        return self.setup_street.street


def work_list(setup: SetUp, *, user: User, now: datetime | None = None) -> list[WorkRow]:
    """The set-up's streets in priority order, as an officer works them today.

    Honours the revisit choice: without it, the homes already registered are taken off
    each street's households, and a street with none left leaves the list. A street on
    which a colleague has knocked today is shown as taken by them.
    """
    rows = list(setup.setup_streets.select_related("street__ward").order_by("priority"))
    ids = [r.street_id for r in rows]
    members = members_by_street(ids)
    today = start_of_day(now)
    knocked = Counter()
    hidden = Counter()
    for street_id, street_doors in doors_by_street(setup, ids, now=now).items():
        knocked[street_id] = len(street_doors)
        hidden[street_id] = sum(d.hidden for d in street_doors)
    taken = _taken_today(setup, ids, today=today, user=user)
    result = []
    for r in rows:
        n = members.get(r.street_id, 0)
        to_knock = r.households
        if to_knock is not None and not setup.revisit_members:
            to_knock = max(to_knock - n, 0)
            if to_knock == 0:
                continue
        result.append(WorkRow(r, n, to_knock, knocked[r.street_id], hidden[r.street_id],
                              taken.get(r.street_id, "")))  # fmt: skip
    return result


def _taken_today(setup: SetUp, street_ids: list[int], *, today: datetime, user: User) -> dict:
    """Streets a colleague has knocked on today (in any set-up): street id -> their name."""
    rows = (
        Visit.objects.filter(street_id__in=street_ids, visited_at__gte=today)
        .exclude(officer=user)
        .exclude(officer__isnull=True)
        .values_list("street_id", "officer__name", "officer__email")
        .order_by("visited_at")
    )
    taken: dict[int, str] = {}
    for street_id, name, email in rows:
        taken.setdefault(street_id, name or email)
    return taken


# --- Progress ---------------------------------------------------------------------------


@dataclass
class Progress:
    knocked: int
    doors: int
    outcomes: dict[str, int]
    registrations: int
    surveys: int
    by_officer: list[tuple[str, int, int, int]]
    by_day: list[tuple[date, int, int, int]]
    streets: list[dict] = field(default_factory=list)
    total_before: int | None = None
    total_now: int | None = None
    groups: list[dict] = field(default_factory=list)


def progress(setup: SetUp) -> Progress:
    """What the set-up achieved: knocks and outcomes (work counts, shown whole) and
    membership before and now (counts of people, through core.disclosure)."""
    visits = Visit.objects.filter(setup=setup)
    outcomes = dict(visits.values_list("outcome").annotate(n=Count("pk")).order_by())
    officers = (
        visits.values("officer__name", "officer__email")
        .annotate(
            n=Count("pk"),
            reg=Count("pk", filter=Q(outcome=Visit.Outcome.REGISTERED)),
            sur=Count("pk", filter=Q(outcome=Visit.Outcome.SURVEY)),
        )
        .order_by("-n", "officer__name")
    )
    days: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for visited_at, outcome in visits.values_list("visited_at", "outcome"):
        day = days[timezone.localdate(visited_at)]
        day[0] += 1
        day[1] += outcome == Visit.Outcome.REGISTERED
        day[2] += outcome == Visit.Outcome.SURVEY
    result = Progress(
        knocked=visits.count(),
        doors=visits.values("street_id", "door").distinct().count(),
        outcomes={o: outcomes.get(o, 0) for o in Visit.Outcome.values},
        registrations=outcomes.get(Visit.Outcome.REGISTERED, 0),
        surveys=outcomes.get(Visit.Outcome.SURVEY, 0),
        by_officer=[
            (o["officer__name"] or o["officer__email"] or "—", o["n"], o["reg"], o["sur"])
            for o in officers
        ],
        by_day=[(d, *v) for d, v in sorted(days.items())],
    )
    _coverage(setup, result)
    return result


def _coverage(setup: SetUp, result: Progress) -> None:
    rows = list(setup.setup_streets.select_related("street").order_by("priority"))
    now = members_by_street([r.street_id for r in rows])
    knocks = dict(visits_by_street(setup))
    table = disclosure.suppress_table(
        {r.street_id: {"before": r.members_before, "now": now.get(r.street_id, 0)} for r in rows},
        columns=["before", "now"],
    )
    result.total_before, result.total_now = table.total["before"], table.total["now"]
    result.streets = [
        {
            "street": r.street,
            "households": r.households,
            "knocked": knocks.get(r.street_id, 0),
            "before": table.parts[r.street_id]["before"],
            "now": table.parts[r.street_id]["now"],
        }
        for r in rows
    ]
    before = setup.baseline.get("groups", {})
    current = members_by_group(setup)
    for group in CommunityGroup.objects.filter(slug__in=set(before) | set(current)):
        result.groups.append(
            {
                "group": group,
                "before": disclosure.count(before.get(group.slug, 0)),
                "now": disclosure.count(current.get(group.slug, 0)),
            }
        )


def visits_by_street(setup: SetUp) -> list[tuple[int, int]]:
    return list(
        Visit.objects.filter(setup=setup)
        .values_list("street_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def visits_for_export(setup: SetUp) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(setup=setup)
        .select_related("street", "officer")
        .order_by("visited_at", "pk")
    )
