"""The insight pages and their CSV exports. HTTP only: figures come from the selectors.

Every page takes ``?area=CODE`` (default: the viewer's widest scope area), resolved
through ``accounts.permissions`` (outside scope: 404). Exports write an audit row.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.text import slugify

from accounts.models import AccessLog
from accounts.permissions import areas_for, get_area_for_user, staff_required, wards_for
from accounts.services import access_log_for_request
from areas.models import Area
from areas.selectors import area_outline_features, areas_bounds
from core import charts, spreadsheet
from core.maps import OUTLINE, Layer, map_html

from . import briefing, confidence, engagement, households, representativeness
from .forms import InsightSettingsForm
from .models import InsightSettings

LEVEL_ORDER = Case(
    When(level=Area.Level.FORCE, then=Value(0)),
    When(level=Area.Level.DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
HIDDEN = {"hidden_mark": "<10", "hidden_reason": "Fewer than 10, or hidden to protect others"}
GROUP_COLOURS = ("#d4351c", "#1d4f91", "#00703c", "#6f2c91", "#b35900", "#0b0c0c")


def _area(request: HttpRequest) -> Area:
    code = request.GET.get("area", "").strip()
    if code:
        return get_area_for_user(request.user, code)
    top = request.staff.areas.annotate(rank=LEVEL_ORDER).order_by("rank", "name").first()
    if top is None:
        raise Http404
    return top


def _wards(request: HttpRequest, area: Area):
    return wards_for(request.user).wards_under(area)


def _picker(request: HttpRequest) -> list[Area]:
    return list(areas_for(request.user).annotate(rank=LEVEL_ORDER).order_by("rank", "name"))


def _context(request: HttpRequest, area: Area, **extra) -> dict:
    return {"area": area, "areas": _picker(request), **extra}


def _csv(request: HttpRequest, *, name: str, header: list, rows: Iterable, kind: str):
    out = io.StringIO()
    w = spreadsheet.writer(out)
    w.writerow(header)
    w.writerows(rows)
    access_log_for_request(
        request, subject_kind=kind, action=AccessLog.Action.EXPORT, subject_count=0
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _pct(v: float | None) -> str | None:
    return None if v is None else f"{round(100 * v)}%"


def _share(v: float | None) -> str | None:
    """A share to one decimal place: "0.4%" (ethnic groups are often small)."""
    return None if v is None else f"{100 * v:.1f}%"


# --- Representativeness ---------------------------------------------------------------------


def _level(request: HttpRequest) -> str:
    level = request.GET.get("level", "supergroup")
    return level if level in representativeness.levels() else "supergroup"


def _representation(request: HttpRequest):
    area = _area(request)
    return area, representativeness.representation(
        area=area,
        wards=_wards(request, area),
        level=_level(request),
        target=InsightSettings.load().representation_target,
    )


SETUP_ROUTES = ("setups_create", "setup_create")  # the name asked for, the name it got


def setup_link(*, area: str, group: str = "", community: str = "") -> str:
    """A link to start a targeted set-up for an area classification ``group`` or a Census
    ethnic group (``community``), once set-ups exist."""
    wanted = {"community": community} if community else {"group": group}
    for name in SETUP_ROUTES:
        try:
            base = reverse(name)
        except NoReverseMatch:
            continue
        return f"{base}?{urlencode(wanted | {'area': area})}"
    return ""


def _representation_chart(rep) -> charts.Chart:
    return charts.Chart(
        kind=charts.Kind.ROWS,
        id="representation",
        title="Coverage ratio by group (members' share / population share)",
        description=(
            "One row per group, two bars: members and survey respondents. 1 means a group's "
            f"share matches its share of the population; the target is {rep.target:.2f}. "
            "The table after the chart has the same numbers."
        ),
        caption="Coverage ratio by group",
        heading="Group",
        rows=[charts.Row(r.group.label, axis=r.group.name[:28]) for r in rep.rows],
        columns=[
            charts.Column("Population share", [_pct(r.population_share) for r in rep.rows]),
            charts.Series(
                "Members",
                [
                    charts.Value(r.members_ratio, css="below" if r.members_below else "")
                    for r in rep.rows
                ],
            ),
            charts.Series(
                "Respondents",
                [
                    charts.Value(r.respondents_ratio, css="below" if r.respondents_below else "")
                    for r in rep.rows
                ],
            ),
        ],
        decimals=2,
        **HIDDEN,
    )


@staff_required()
def representation(request: HttpRequest) -> HttpResponse:
    area, rep = _representation(request)
    below = rep.below_target
    # Supervisors and analysts plan set-ups (targeting/setups); others see the groups only.
    starts = request.staff.role in ("supervisor", "analyst")
    key = "community" if rep.is_ethnic else "group"
    shares = representativeness.force_shares(area) if rep.is_ethnic and below else {}
    links = {
        r.group.code: setup_link(area=area.code, **{key: r.group.code}) if starts else ""
        for r in below
    }
    features = representativeness.group_output_area_features(
        _wards(request, area), [r.group for r in below], rep.level, area=area
    )
    colour = {r.group.code: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, r in enumerate(below)}
    layer = Layer(
        name="Output areas of groups below target",
        features=features,
        style=lambda f: {
            "color": colour.get(f["properties"]["group"], "#d4351c"),
            "weight": 1,
            "fillOpacity": 0.35,
        },
    )
    outline = Layer(name=area.name, features=area_outline_features([area]), style=dict(OUTLINE))
    return render(
        request,
        "targeting/insight/representation.html",
        _context(
            request,
            area,
            rep=rep,
            level=rep.level,
            levels=representativeness.levels(),
            below=[
                (r, links[r.group.code], colour[r.group.code], _share(shares.get(r.group.code)))
                for r in below
            ],
            chart=_representation_chart(rep),
            map_html=map_html(
                layers=[outline, layer],
                label=f"Output areas of the groups below target in {area.name}",
                nonce=request.csp_nonce,
                fallback=lambda: areas_bounds([area]),
            ),
        ),
    )


@staff_required()
def representation_export(request: HttpRequest) -> HttpResponse:
    area, rep = _representation(request)
    rows = [
        [
            area.code,
            rep.level,
            r.group.code,
            r.group.name,
            r.population,
            round(r.population_share, 4),
            r.members,
            None if r.members_ratio is None else round(r.members_ratio, 3),
            "yes" if r.members_below else "no",
            r.respondents,
            None if r.respondents_ratio is None else round(r.respondents_ratio, 3),
            "yes" if r.respondents_below else "no",
        ]
        for r in rep.rows
    ]
    rows += [
        [area.code, "weighted", w.key, w.label, None, None, w.n, w.unweighted, None, None,
         w.weighted, None]
        for w in rep.weighted
    ]  # fmt: skip
    return _csv(
        request,
        name=f"representation-{area.code}",
        header=[
            "area",
            "level",
            "group",
            "name",
            "population",
            "population_share",
            "members",
            "members_ratio",
            "members_below_target",
            "respondents",
            "respondents_ratio",
            "respondents_below_target",
        ],
        rows=rows,
        kind="representation",
    )


# --- Confidence, safety and crime -----------------------------------------------------------


def _comparison(request: HttpRequest):
    area = _area(request)
    wards = _wards(request, area)
    rounds = confidence.rounds_with_answers(list(wards.values_list("pk", flat=True)))
    wanted = request.GET.get("quarter", "")
    chosen = next((r for r in rounds if slugify(r.label) == wanted), None)
    if wanted and chosen is None:
        raise Http404
    chosen = chosen or (rounds[0] if rounds else None)
    if chosen is None:
        return area, rounds, None
    i = rounds.index(chosen)
    previous = rounds[i + 1] if i + 1 < len(rounds) else None
    return area, rounds, confidence.comparison(wards=wards, round_=chosen, previous=previous)


def _scatter(chart_id, title, x_name, y_name, rows, x, y, flagged, fit) -> charts.Chart:
    return charts.Chart(
        kind=charts.Kind.SCATTER,
        id=chart_id,
        title=title,
        description=(
            f"One point per ward: {x_name} across, {y_name} up; the dashed line is the "
            "least-squares fit; wards far from it are labelled. The table has the numbers."
        ),
        caption=title,
        heading="Ward",
        rows=[charts.Row(r.ward.name) for r in rows],
        columns=[
            charts.Series(x_name, [charts.Value(x(r)) for r in rows]),
            charts.Series(
                y_name, [charts.Value(y(r), css="outlier" if flagged(r) else "") for r in rows]
            ),
        ],
        decimals=2,
        fit=(fit.intercept, fit.slope) if fit else None,
        **HIDDEN,
    )


@staff_required()
def confidence_page(request: HttpRequest) -> HttpResponse:
    area, rounds, comp = _comparison(request)
    chart_safety = chart_confidence = None
    if comp is not None:
        chart_safety = _scatter(
            "safety-crime", "Feeling safe against recorded crime",
            "Crimes per 1,000 residents", "Feel safe (1-5)", comp.rows,
            lambda r: r.crime_rate, lambda r: r.safety,
            lambda r: any("recorded crime" in f for f in r.flags), comp.safety_fit,
        )  # fmt: skip
        chart_confidence = _scatter(
            "confidence-safety", "Confidence against feeling safe",
            "Feel safe (1-5)", "Confidence (1-5)", comp.rows,
            lambda r: r.safety, lambda r: r.confidence,
            lambda r: any("how safe they feel" in f for f in r.flags), comp.confidence_fit,
        )  # fmt: skip
    return render(
        request,
        "targeting/insight/confidence.html",
        _context(
            request,
            area,
            rounds=rounds,
            comp=comp,
            chart_safety=chart_safety,
            chart_confidence=chart_confidence,
            outliers=[r for r in comp.rows if r.flags] if comp else [],
        ),
    )


def _num(v: float | None, places: int = 2) -> float | None:
    return None if v is None else round(v, places)


@staff_required()
def confidence_export(request: HttpRequest) -> HttpResponse:
    area, _rounds, comp = _comparison(request)
    rows = []
    if comp is not None:
        rows = [
            [
                comp.round.label, r.ward.code, r.ward.name, r.respondents, _num(r.confidence),
                _num(r.safety), _num(r.crime_rate), _num(r.confidence_change),
                _num(r.confidence_change_same), _num(r.safety_change),
                _num(r.safety_change_same), " ".join(r.flags),
            ]
            for r in comp.rows
        ]  # fmt: skip
    return _csv(
        request,
        name=f"confidence-{area.code}",
        header=[
            "quarter",
            "ward",
            "name",
            "respondents",
            "confidence",
            "feel_safe",
            "crimes_per_1000",
            "confidence_change",
            "confidence_change_same_people",
            "safety_change",
            "safety_change_same_people",
            "flags",
        ],
        rows=rows,
        kind="confidence",
    )


# --- Household coverage ---------------------------------------------------------------------


def _coverage(request: HttpRequest):
    area = _area(request)
    visible = wards_for(request.user)
    parts = [area]
    if not area.is_ward:
        parts += list(areas_for(request.user).filter(parent=area).order_by("name"))
    areas = [(a, list(visible.wards_under(a).values_list("pk", flat=True))) for a in parts]
    return area, households.coverage_over_time(areas=areas)


def _coverage_chart(cov) -> charts.Chart:
    plotted = cov.series[:6]

    def pct(v: float | None) -> charts.Value:
        return charts.Value(None if v is None else 100 * v)

    return charts.Chart(
        kind=charts.Kind.LINE,
        id="coverage",
        title="Members per 100 households, month by month",
        description=(
            "One line per area over the last twelve months; a gap is a month with fewer "
            "than 10 members. The table has the same numbers."
        ),
        caption="Household coverage by month (members per 100 households)",
        heading="Month",
        rows=[charts.Row(f"{m:%B %Y}", axis=f"{m:%b}") for m in cov.months],
        columns=[
            *(charts.Series(s.area.name, [pct(v) for v in s.shares]) for s in plotted),
            *(charts.Column(s.area.name, [_pct1(v) for v in s.shares]) for s in cov.series[6:]),
        ],
        decimals=2,
        **HIDDEN,
    )


def _pct1(v: float | None) -> str | None:
    return None if v is None else f"{100 * v:.2f}"


@staff_required()
def households_page(request: HttpRequest) -> HttpResponse:
    area, cov = _coverage(request)
    return render(
        request,
        "targeting/insight/households.html",
        _context(request, area, cov=cov, chart=_coverage_chart(cov)),
    )


@staff_required()
def households_export(request: HttpRequest) -> HttpResponse:
    area, cov = _coverage(request)
    rows = [
        [f"{m:%Y-%m}", s.area.code, s.area.name, s.households, s.members[i], _num(s.shares[i], 4)]
        for s in cov.series
        for i, m in enumerate(cov.months)
    ]
    return _csv(
        request,
        name=f"households-{area.code}",
        header=["month", "area", "name", "households", "members", "share"],
        rows=rows,
        kind="household_coverage",
    )


# --- Engagement dashboards ------------------------------------------------------------------


def _counts_chart(chart_id: str, title: str, heading: str, counts) -> charts.Chart:
    return charts.Chart(
        kind=charts.Kind.ROWS,
        id=chart_id,
        title=title,
        description=f"{title}: one bar per row; the table has the same numbers.",
        caption=title,
        heading=heading,
        rows=[charts.Row(c.label, axis=c.label[:28]) for c in counts],
        columns=[charts.Series("Events" if chart_id != "issues" else "Times raised",
                               [charts.Value(c.n) for c in counts])],
        **HIDDEN,
    )  # fmt: skip


@staff_required()
def engagement_page(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    wards = _wards(request, area)
    board = engagement.dashboard(wards=wards)
    layer = Layer(
        name="Events",
        features=engagement.event_features(wards),
        style={"color": "#1d4f91", "fillColor": "#1d4f91", "fillOpacity": 0.8, "weight": 1},
        tooltip=(("name", ""), ("kind", "")),
        circle_radius=7,
    )
    outline = Layer(name=area.name, features=area_outline_features([area]), style=dict(OUTLINE))
    return render(
        request,
        "targeting/insight/engagement.html",
        _context(
            request,
            area,
            board=board,
            by_kind=_counts_chart("kinds", "Events by type", "Type", board.by_kind),
            by_month=_counts_chart("months", "Events by month", "Month", board.by_month),
            by_officer=_counts_chart("officers", "Events by officer", "Officer", board.by_officer),
            issues=_counts_chart("issues", "Top five issues raised", "Issue", board.top_issues),
            map_html=map_html(
                layers=[outline, layer],
                label=f"Engagement events in {area.name}",
                nonce=request.csp_nonce,
                fallback=lambda: areas_bounds([area]),
            ),
        ),
    )


@staff_required()
def engagement_export(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    board = engagement.dashboard(wards=_wards(request, area))
    sections: list[tuple[str, list]] = [
        ("type", board.by_kind),
        ("month", board.by_month),
        ("officer", board.by_officer),
        ("issue", board.top_issues),
    ]
    rows = [[area.code, what, c.label, c.n] for what, counts in sections for c in counts]
    rows += [[area.code, "word", w.word, w.n] for w in board.cloud]
    rows += [
        [area.code, "contacts", "street contacts", board.contacts],
        [area.code, "contacts", "alert sign-up offered", board.signup_offered],
        [area.code, "contacts", "alert sign-up taken", board.signup_taken],
        [area.code, "events", "distinct officers", board.distinct_officers],
    ]
    return _csv(
        request,
        name=f"engagement-{area.code}",
        header=["area", "by", "label", "count"],
        rows=rows,
        kind="engagement",
    )


# --- Settings -------------------------------------------------------------------------------


@staff_required("admin", force_wide=True)  # one representation target for the force
def settings_page(request: HttpRequest) -> HttpResponse:
    obj = InsightSettings.load()
    form = InsightSettingsForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Representation target saved.")
        return redirect("insight_settings")
    return render(request, "targeting/insight/settings.html", {"form": form})


@staff_required("officer")
def briefing_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "targeting/insight/briefing.html",
        {"wards": briefing.briefing_for(request.user)},
    )


PAGES: list[tuple[str, str, Callable]] = [
    ("insight_representation", "Who is heard", representation),
    ("insight_confidence", "Confidence and safety", confidence_page),
    ("insight_households", "Household coverage", households_page),
    ("insight_engagement", "Engagement", engagement_page),
]
