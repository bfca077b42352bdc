"""Priority pages: ranked wards, ward/district/force pages, street pages, key contacts,
and the admin pages (crime upload with progress, weights). HTTP only.

Every page goes through ``accounts.permissions``: an area or street outside the
viewer's scope is a 404. A shared link is the page's URL plus an optional signed
``state`` (period and list length), so whoever opens it sees it within their own scope.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import AccessLog
from accounts.permissions import (
    CONTACT_ROLES,
    MANAGEMENT_ROLES,
    Role,
    areas_for,
    get_area_for_user,
    staff_required,
)
from accounts.services import access_log_for_request
from areas.models import Area, Street
from areas.selectors import (
    area_outline_features,
    areas_bounds,
    output_area_features,
    streets_near_features,
)
from core import charts
from core.maps import OUTLINE, STREET_ZOOM, Layer, map_html, tiles_configured
from engagement.selectors import ward_page

from . import page_cache, selectors, services
from .actions import actions_of, month_name
from .bands import (
    band,
    legend,
    nearby_streets_layer,
    output_area_layer,
    street_layers,
    ward_layer,
)
from .explain import components_of, top_reasons
from .forms import HarmWeightFormSet, ImportUploadForm, ScoringSettingsForm
from .importers.kinds import KINDS, ImportKind, kind_of
from .models import CrimeCategory, ScoringSettings, StreetScore, WardScore
from .survey_results import survey_summary

SHARE_SALT = "targeting.share"
TOP_CHOICES = (10, 25, 50)


# --- Shared view state ----------------------------------------------------------------------


def view_state(request: HttpRequest) -> dict:
    """Period and list length, from a signed ``state`` or from plain parameters."""
    state: dict = {}
    signed = request.GET.get("state")
    if signed:
        try:
            state = signing.loads(signed, salt=SHARE_SALT)
        except signing.BadSignature:
            messages.warning(request, _("That shared link was damaged; showing the latest month."))
            state = {}
    if not isinstance(state, dict):
        state = {}
    if request.GET.get("period"):
        state["period"] = request.GET["period"]
    if request.GET.get("top"):
        state["top"] = request.GET["top"]
    if request.GET.get("period") or request.GET.get("top"):
        # The picker was submitted: an unticked box sends nothing.
        state["streets_only"] = request.GET.get("streets_only") == "1"
    elif request.GET.get("streets_only"):
        state["streets_only"] = request.GET["streets_only"] == "1"
    try:
        top = int(state.get("top", TOP_CHOICES[0]))
    except (TypeError, ValueError):
        top = TOP_CHOICES[0]
    return {
        "period": str(state.get("period", ""))[:7],
        "top": top if top in TOP_CHOICES else 10,
        "streets_only": state.get("streets_only") is True,
    }


def share_url(request: HttpRequest, *, period, top: int, streets_only: bool = False) -> str:
    state = {"period": f"{period:%Y-%m}", "top": top}
    if streets_only:
        state["streets_only"] = True
    state = signing.dumps(state, salt=SHARE_SALT)
    return request.build_absolute_uri(f"{request.path}?{urlencode({'state': state})}")


def _period_context(request: HttpRequest):
    periods = selectors.scored_periods()
    state = view_state(request)
    period = selectors.resolve_period(state["period"], periods)
    return periods, period, state["top"]


def _streets_only(request: HttpRequest) -> bool:
    return view_state(request)["streets_only"]


def _street_rows(scores, *, level: str) -> list[dict]:
    return [
        {
            "score": s,
            "band": band(s.score),
            "reasons": top_reasons(s, level=level),
            "actions": actions_of(s, level=level),
        }
        for s in scores
    ]


# --- Officer and management pages -----------------------------------------------------------


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    """My wards ranked: each with its score, top street and first action."""
    periods, period, _top = _period_context(request)
    rows = []
    if period is not None:
        wards = selectors.wards_ranked(request.user, period=period)
        tops = selectors.top_streets_by_ward([w.ward for w in wards], period=period)
        for ward in wards:
            top = tops.get(ward.ward_id)
            rows.append(
                {
                    "score": ward,
                    "band": band(ward.score),
                    "top": top,
                    "top_actions": actions_of(top, level="street")[:1] if top else [],
                }
            )
    management = request.staff.role in MANAGEMENT_ROLES
    scope = list(request.staff.areas.exclude(level=Area.Level.WARD).order_by("level", "name"))
    return render(
        request,
        "targeting/home.html",
        {
            "rows": rows,
            "period": period,
            "periods": periods,
            "management_areas": scope if management else [],
            "stale_crimes": selectors.crime_data_stale(),
        },
    )


@staff_required()
def area_page(request: HttpRequest, code: str) -> HttpResponse:
    """A ward (officers and up), or a district or the force (supervisors, analysts, admins).

    The page's main part is cached per scoring run and scope (``page_cache``).
    """
    area = get_area_for_user(request.user, code)
    if not area.is_ward and request.staff.role not in MANAGEMENT_ROLES:
        raise Http404
    periods, period, top = _period_context(request)
    streets_only = _streets_only(request)
    key = page_cache.page_key(request, period, top, streets_only)
    body = page_cache.cached_part(
        request,
        key,
        lambda nonce: render_to_string(
            "targeting/_area_body.html",
            _area_context(
                request, area, periods, period, top, streets_only=streets_only, nonce=nonce
            ),
            request=request,
        ),
    )
    return render(request, "targeting/area.html", {"area": area, "body": body})


def _area_context(
    request: HttpRequest, area: Area, periods, period, top: int, *, streets_only: bool, nonce: str
):
    wards = selectors.wards_in(request.user, area)
    context = {
        "area": area,
        "period": period,
        "periods": periods,
        "top": top,
        "top_choices": TOP_CHOICES,
        "streets_only": streets_only,
        "legend": legend(),
        "coverage": selectors.coverage(wards),
        "sees_contacts": request.staff.role in CONTACT_ROLES,
        "surveys": survey_summary(area=area),
    }
    if period is None:
        return context
    level = "ward" if area.is_ward else "district"
    streets = selectors.streets_ranked(
        request.user, area=area, period=period, limit=top, streets_only=streets_only
    )
    context |= {
        "streets": _street_rows(streets, level="street"),
        "crimes": selectors.crime_table(period=period, wards=wards),
        "share_url": share_url(request, period=period, top=top, streets_only=streets_only),
        "level": level,
    }
    if area.is_ward:
        score = selectors.ward_score(area, period)
        return context | {
            "area_score": score,
            "area_band": band(score.score) if score else "",
            "components": components_of(score, level="ward") if score else [],
            "area_actions": actions_of(score, level="ward") if score else [],
            "map_html": _ward_map(request, area, period, nonce=nonce),
        }
    ward_scores = selectors.wards_ranked(request.user, area=area, period=period)
    return context | {
        "ward_rows": [
            {"score": w, "band": band(w.score), "actions": actions_of(w, level="ward")}
            for w in ward_scores
        ],
        "map_html": _wards_map(request, area, ward_scores, nonce=nonce),
    }


@staff_required()
def street_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A street: each component in plain words, its crimes by month and type, its history."""
    street = selectors.street_for_user(request.user, pk)
    periods, period, _top = _period_context(request)
    score = selectors.street_score(street, period)
    history = selectors.street_history(street)
    context = {
        "street": street,
        "ward": street.ward,
        "score": score,
        "periods": periods,
        "period": score.period if score else period,
        "history": history,
        "map_html": _street_map(request, street, score),
    }
    if score is not None:
        context |= {
            "band": band(score.score),
            "components": components_of(score, level="street"),
            "actions": actions_of(score, level="street"),
            "crimes": selectors.crime_table(period=score.period, street=street),
            "share_url": share_url(request, period=score.period, top=10),
            "chart": _history_chart(street, history, current=score.period),
        }
    return render(request, "targeting/street.html", context)


def _history_chart(street: Street, history: list[StreetScore], *, current: date) -> charts.Chart:
    return charts.Chart(
        kind=charts.Kind.BARS,
        id="history",
        title=_("Score of %(street)s by month") % {"street": street.label},
        description=", ".join(f"{month_name(h.period)}: {h.score:.0f}" for h in history),
        caption=_("Score by month"),
        caption_hidden=True,
        heading=_("Month"),
        rows=[
            charts.Row(
                month_name(h.period),
                axis=date_format(h.period, "M y"),
                href=f"?period={h.period:%Y-%m}",
                current=h.period == current,
            )
            for h in history
        ],
        columns=[
            charts.Series(_("Score"), [charts.Value(h.score, css=band(h.score)) for h in history]),
            charts.Column(
                _("Rank in ward"), [f"{h.rank_in_ward} / {h.count_in_ward}" for h in history]
            ),
            charts.Column(_("Crimes that month"), [str(h.crimes_month) for h in history]),
        ],
        scale=(0, 100),
    )


# --- Maps -----------------------------------------------------------------------------------


def _ward_map(request: HttpRequest, ward: Area, period: date, *, nonce: str) -> SafeString:
    """The ward's outline and its streets coloured by score (points as circles)."""
    outline = Layer(
        name=ward.name,
        features=area_outline_features([ward]),
        style=OUTLINE | {"fillOpacity": 0.04},
    )
    streets = selectors.street_features(request.user, ward=ward, period=period)
    underlay = []
    labels_from_zoom = 0
    if not tiles_configured():
        # No background map: the blocks' outlines, and street names at street zoom.
        underlay = [output_area_layer(output_area_features([ward]))]
        labels_from_zoom = STREET_ZOOM
    return map_html(
        layers=[*underlay, outline, *street_layers(streets, labels_from_zoom=labels_from_zoom)],
        label=_("Map of the streets of %(ward)s by score") % {"ward": ward.name},
        nonce=nonce,
        fallback=lambda: areas_bounds([ward]),
    )


def _street_map(request: HttpRequest, street: Street, score: StreetScore | None) -> SafeString:
    """The street's (or place's) own map points, with the streets around it named."""
    features = selectors.street_map_features(street, score=score)
    around = [nearby_streets_layer(streets_near_features(street))]
    if not tiles_configured():
        around.insert(0, output_area_layer(output_area_features([street.ward])))
    return map_html(
        layers=[*around, *street_layers(features, labels_from_zoom=1)],
        label=_("Map of %(street)s and the streets around it") % {"street": street.label},
        nonce=request.csp_nonce,
        fallback=lambda: areas_bounds([street.ward]),
    )


def _wards_map(
    request: HttpRequest, area: Area, scores: list[WardScore], *, nonce: str
) -> SafeString:
    """A district's or force's wards coloured by their score."""
    tolerance = 50 if area.level == Area.Level.FORCE else 20
    return map_html(
        layers=[ward_layer(selectors.ward_features(scores, tolerance_m=tolerance))],
        label=_("Map of the wards of %(area)s by score") % {"area": area.name},
        nonce=nonce,
        fallback=lambda: areas_bounds([area]),
    )


@staff_required()
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An area the user may see: its sub-areas or streets, on a map."""
    area = get_area_for_user(request.user, code)
    children = list(
        areas_for(request.user)
        .filter(parent=area)
        .annotate(n_postcodes=Count("postcodes"))
        .order_by("name")
    )
    streets = None
    if area.level == Area.Level.WARD:
        streets = Paginator(area.streets.order_by("name").select_related("near"), 50).get_page(
            request.GET.get("page")
        )
    outlines = Layer(name="Areas", features=area_outline_features(children or [area]))
    return render(
        request,
        "targeting/area_detail.html",
        {
            "area": area,
            "children": children,
            "page": streets,
            "postcode_count": area.postcodes.count() if area.is_ward else None,
            # The ward's public page as the public sees it (engagement).
            "ward_page": ward_page(area) if area.is_ward else None,
            "map_html": map_html(
                layers=[outlines],
                label=f"Map of {area.name}",
                nonce=request.csp_nonce,
                fallback=lambda: areas_bounds([area]),
            ),
        },
    )


@staff_required(*CONTACT_ROLES)
def key_contacts(request: HttpRequest, code: str) -> HttpResponse:
    """The ward's key contacts with their details: every showing is in the access log."""
    area = get_area_for_user(request.user, code)
    if not area.is_ward:
        raise Http404
    contacts = selectors.key_contacts_for(request.user, area)
    for member in contacts:
        access_log_for_request(
            request,
            subject_kind="member",
            action=AccessLog.Action.VIEW,
            subject_user_id=member.user_id,
            reason=_("key contacts of %(ward)s") % {"ward": area.name},
        )
    return render(request, "targeting/contacts.html", {"area": area, "contacts": contacts})


# --- Admin pages ----------------------------------------------------------------------------


@staff_required(Role.ADMIN)
def imports(request: HttpRequest) -> HttpResponse:
    """Every kind of data an admin can import, with the recent jobs of all kinds."""
    jobs = selectors.import_jobs(request.user)[:20]
    return render(
        request,
        "targeting/imports_index.html",
        {"kinds": list(KINDS.values()), "jobs": _with_kind(jobs)},
    )


def _kind_or_404(name: str) -> ImportKind:
    try:
        return kind_of(name)
    except KeyError:
        raise Http404 from None


def _with_kind(jobs) -> list:
    jobs = list(jobs)
    for job in jobs:
        job.kind_label = KINDS[job.kind].label if job.kind in KINDS else job.kind
    return jobs


@staff_required(Role.ADMIN)
def import_kind(request: HttpRequest, kind: str) -> HttpResponse:
    """One kind's upload page (import, or check only) and its job history."""
    found = _kind_or_404(kind)
    posted = request.method == "POST"
    form = ImportUploadForm(
        request.POST if posted else None, request.FILES if posted else None, kind=found
    )
    if posted and form.is_valid():
        check_only = request.POST.get("action") == "check"
        job = services.import_job_create(
            user=request.user, kind=found.name, files=form.uploads(), check_only=check_only
        )
        messages.success(
            request,
            _("Uploaded. The files are being checked; nothing will change.")
            if check_only
            else _("Uploaded. The files are being imported."),
        )
        return redirect("targeting_import_job", pk=job.pk)
    history = Paginator(selectors.import_jobs(request.user).filter(kind=found.name), 20)
    return render(
        request,
        "targeting/imports.html",
        {
            "kind": found,
            "form": form,
            "page": history.get_page(request.GET.get("page")),
            "max_files": settings.IMPORT_MAX_FILES,
            "max_bytes": settings.IMPORT_MAX_BYTES,
        },
    )


@staff_required(Role.ADMIN)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.import_jobs(request.user), pk=pk)
    return render(
        request,
        "targeting/import_job.html",
        {
            "job": job,
            "kind": KINDS.get(job.kind),
            "progress": selectors.import_job_progress(job),
            "crime_imports": job.crime_imports.order_by("month", "reported_by"),
        },
    )


@staff_required(Role.ADMIN)
def import_job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The job page's progress as JSON, polled by static/js/import_job.js."""
    job = get_object_or_404(selectors.import_jobs(request.user), pk=pk)
    progress = selectors.import_job_progress(job)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "finished": job.is_finished,
            "percent": progress.percent,
            "stage": progress.stage,
        }
    )


@staff_required(Role.ADMIN, Role.ANALYST)
def data_status(request: HttpRequest) -> HttpResponse:
    """What data is loaded, when and from which file; the crime months; the last scoring."""
    return render(request, "targeting/imports_status.html", selectors.data_status(request.user))


@staff_required(Role.ADMIN, force_wide=True)
def weights(request: HttpRequest) -> HttpResponse:
    """Harm weights per crime category and the weights of the score's components.

    They score every street of the force: for the force's admins only.
    """
    settings = ScoringSettings.load()
    form = ScoringSettingsForm(request.POST or None, instance=settings, prefix="score")
    formset = HarmWeightFormSet(
        request.POST or None, queryset=CrimeCategory.objects.all(), prefix="harm"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        services.scoring_settings_save(
            settings=form.save(commit=False), categories=formset.save(commit=False)
        )
        messages.success(
            request,
            _("Saved. The latest month is being scored again; earlier months keep their scores."),
        )
        return redirect(reverse("targeting_weights"))
    return render(request, "targeting/weights.html", {"form": form, "formset": formset})
