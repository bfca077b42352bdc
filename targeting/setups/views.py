"""Set-up pages: plan, review and report (supervisors), and the doorstep (officers).

HTTP only. Every set-up is loaded through ``selectors``: a set-up the user may not see
is a 404, exactly as one that does not exist. The doorstep pages work without
JavaScript (plain forms); static/js/doorstep.js adds the offline queue on top.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.gis.db.models.functions import Distance
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.models import AccessLog
from accounts.permissions import (
    CONTACT_ROLES,
    MANAGEMENT_ROLES,
    Role,
    areas_for,
    public,
    staff_required,
    wards_for,
)
from accounts.services import access_log_for_request
from areas.census import ETHNIC
from areas.models import Postcode
from core import spreadsheet
from core.lifecycle import InvalidTransition
from surveys.forms import PageForm
from surveys.selectors import current_version
from surveys.services import ResponseIncomplete

from . import reports, selectors, services
from .forms import CommentForm, OfficersForm, SetUpForm, VisitForm
from .models import SetUp, Visit

WORK_PAGE = 20  # streets a page of the work list
VIEW_ROLES = (*CONTACT_ROLES, Role.ANALYST, Role.ADMIN)
# Who plans a set-up: supervisors, and analysts (from what the insight pages show them).
# An analyst's plan stays a draft until a supervisor of the area opens it: every step
# after planning is the supervisors'.
PLANNERS = (Role.SUPERVISOR, Role.ANALYST)
SW_FILE = Path(settings.BASE_DIR) / "static" / "js" / "doorstep-sw.js"


# --- Lists and planning -------------------------------------------------------------------


@staff_required()
def setup_list(request: HttpRequest) -> HttpResponse:
    """Active set-ups in scope (or, with ?archived=1, the archived ones and their reports)."""
    archived = request.GET.get("archived") == "1"
    qs = selectors.setups_for(request.user).select_related("area")
    qs = (
        qs.filter(status=SetUp.Status.ARCHIVED)
        if archived
        else qs.exclude(status=SetUp.Status.ARCHIVED)
    )
    page = Paginator(qs.order_by("-starts_on", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "targeting/setups/list.html",
        {"page": page, "archived": archived, "plans": request.staff.role in PLANNERS},
    )


@staff_required(*PLANNERS)
def setup_create(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {"starts_on": today, "ends_on": today + timedelta(days=28)}
    initial |= _from_insight(request)
    form = SetUpForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            setup = services.setup_create(
                user=request.user,
                name=data["name"],
                purpose=data["purpose"],
                area_kind=data["area_kind"],
                wards=data["wards"],
                streets=data["streets"],
                shape=data["shape"],
                target=data["target"],
                group=data["group"],
                community=data["community"],
                revisit_members=data["revisit_members"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                officers=data["officers"],
            )
        except services.SetUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            then = (
                "Open it when the officers may start."
                if request.staff.role == Role.SUPERVISOR
                else "A supervisor of the area opens it when the officers may start."
            )
            messages.success(
                request,
                f"Set-up “{setup.name}” is saved as a draft with "
                f"{setup.setup_streets.count()} streets. {then}",
            )
            return redirect("setup_detail", pk=setup.pk)
    return render(
        request,
        "targeting/setups/create.html",
        {"form": form, "map_html": reports.planning_map(request)},
    )


def _from_insight(request: HttpRequest) -> dict:
    """The insight pages link here with ?group=<OAC code, or acorn:<Acorn code>> (or
    ?community=<Census ethnic group>) and &area=<ONS code>: a plan for the output areas of
    that group in the area's wards (those in scope)."""
    initial: dict = {}
    if request.GET.get("group"):
        initial |= {"target": SetUp.Target.GROUP_AREAS, "group": request.GET["group"][:20]}
    if request.GET.get("community", "") in ETHNIC:
        initial |= {"target": SetUp.Target.COMMUNITY, "community": request.GET["community"]}
    code = request.GET.get("area", "")
    if code:
        area = areas_for(request.user).filter(code=code[:12]).first()
        if area is not None:
            initial |= {
                "area_kind": SetUp.AreaKind.WARDS,
                "wards": list(wards_for(request.user).wards_under(area)),
            }
    return initial


@staff_required(*VIEW_ROLES)
def setup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The set-up and its report: progress, coverage before and now, by officer, by day."""
    setup = selectors.setup_for_user(request.user, pk)
    manages = _manages(request, setup)
    return render(
        request,
        "targeting/setups/detail.html",
        {
            "setup": setup,
            "progress": selectors.progress(setup),
            "chart": reports.progress_chart(setup),
            "map_html": reports.setup_map(setup, nonce=request.csp_nonce),
            "manages": manages,
            "officers": setup.officers.order_by("name"),
            "officers_form": OfficersForm(
                user=request.user, initial={"officers": list(setup.officers.all())}
            )
            if manages and not setup.is_final
            else None,
            "has_visits": setup.visits.exists(),
            "works": setup.is_open and setup.officers.filter(pk=request.user.pk).exists(),
        },
    )


def _manages(request: HttpRequest, setup: SetUp) -> bool:
    try:
        selectors.setup_managed_by(request.user, setup.pk)
    except Exception:  # Http404: not theirs to change
        return False
    return True


@staff_required(Role.SUPERVISOR)
@require_POST
def setup_officers(request: HttpRequest, pk: int) -> HttpResponse:
    setup = selectors.setup_managed_by(request.user, pk)
    form = OfficersForm(request.POST, user=request.user)
    if form.is_valid() and not setup.is_final:
        services.setup_officers_set(
            setup=setup, user=request.user, officers=form.cleaned_data["officers"]
        )
        messages.success(request, "The officers assigned are saved.")
    return redirect("setup_detail", pk=setup.pk)


TRANSITIONS = {
    "open": (services.setup_open, "The set-up is open: its officers see it on their phones."),
    "close": (services.setup_close, "The set-up is closed."),
    "archive": (
        services.setup_archive,
        "The set-up is archived. Its report stays open from the archived set-ups.",
    ),
}


@staff_required(Role.SUPERVISOR)
@require_POST
def setup_status(request: HttpRequest, pk: int) -> HttpResponse:
    setup = selectors.setup_managed_by(request.user, pk)
    step = TRANSITIONS.get(request.POST.get("to", ""))
    if step is None:
        messages.error(request, "That change of status is unknown.")
        return redirect("setup_detail", pk=setup.pk)
    action, done = step
    try:
        action(setup=setup)
    except services.SetUpRefused as refused:
        messages.error(request, str(refused))
    except InvalidTransition:
        messages.error(
            request,
            f"A {setup.get_status_display().lower()} set-up cannot do that. "
            "Reload the page: someone may have changed it meanwhile.",
        )
    else:
        messages.success(request, done)
    return redirect("setup_detail", pk=setup.pk)


@staff_required(Role.SUPERVISOR)
@require_POST
def setup_delete(request: HttpRequest, pk: int) -> HttpResponse:
    setup = selectors.setup_managed_by(request.user, pk)
    name = setup.name
    try:
        services.setup_delete(setup=setup)
    except services.SetUpRefused as refused:
        messages.error(request, str(refused))
        return redirect("setup_detail", pk=setup.pk)
    messages.success(request, f"Set-up “{name}” is deleted.")
    return redirect("setup_list")


@staff_required(Role.SUPERVISOR)
def setup_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Comments, and the sign-off that lets the set-up close."""
    setup = selectors.setup_managed_by(request.user, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("sign_off"):
            try:
                services.setup_sign_off(setup=setup, user=request.user)
            except services.SetUpRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, "The review is signed off: the set-up may be closed.")
            return redirect("setup_review", pk=setup.pk)
        if form.is_valid():
            services.setup_comment_add(
                setup=setup, user=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, "Your comment is saved.")
            return redirect("setup_review", pk=setup.pk)
    return render(
        request,
        "targeting/setups/review.html",
        {
            "setup": setup,
            "form": form,
            "comments": setup.comments.select_related("author"),
            "progress": selectors.progress(setup),
        },
    )


@staff_required(*MANAGEMENT_ROLES)
def setup_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every visit of the set-up as CSV (formulas escaped); the export is in the access log."""
    setup = selectors.setup_for_user(request.user, pk)
    visits = selectors.visits_for_export(setup)
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    writer.writerow(["visited_at", "street", "ward", "house", "outcome", "officer", "sent_later"])
    n = 0
    for v in visits:
        n += 1
        officer = (v.officer.name or v.officer.email) if v.officer else ""
        writer.writerow([
            timezone.localtime(v.visited_at).isoformat(timespec="minutes"), v.street.name,
            v.street.ward.name, v.house, v.get_outcome_display(), officer,
            "yes" if v.sent_later else "no",
        ])  # fmt: skip
    access_log_for_request(
        request,
        subject_kind="setup_visits",
        action=AccessLog.Action.EXPORT,
        subject_count=n,
        reason=f"Visits of set-up {setup.pk} ({setup.name})"[:200],
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="setup-{setup.pk}-visits.csv"'
    return response


# --- The doorstep -------------------------------------------------------------------------


@staff_required(*CONTACT_ROLES)
def doorstep_home(request: HttpRequest) -> HttpResponse:
    """My open set-ups: the officer switches between them here."""
    return render(
        request,
        "targeting/setups/doorstep_home.html",
        {"setups": selectors.my_open_setups(request.user).select_related("area")},
    )


@staff_required(*CONTACT_ROLES)
def doorstep_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """The work list: streets in priority order, households, members, who has them today."""
    setup = selectors.setup_worked_by(request.user, pk)
    rows = selectors.work_list(setup, user=request.user)
    page = Paginator(rows, WORK_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "targeting/setups/doorstep_setup.html",
        {
            "setup": setup,
            "page": page,
            "first": page.start_index() if rows else 0,
            "map_html": reports.work_map(setup, list(page.object_list), nonce=request.csp_nonce),
        },
    )


@staff_required(*CONTACT_ROLES)
def doorstep_street(request: HttpRequest, pk: int, street: int) -> HttpResponse:
    """One street: its doors so far (hidden ones behind a switch) and the visit form.

    The form posts here as a plain form; the page's script posts the same fields with
    ``Accept: application/json`` and gets JSON back, queuing them while offline.
    """
    setup = selectors.setup_worked_by(request.user, pk)
    setup_street = selectors.setup_street_for(setup, street)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = VisitForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            return _visit_save(request, setup, setup_street.street, form, wants_json)
        if wants_json:
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    show_hidden = request.GET.get("hidden") == "1"
    doors = selectors.doors(setup, setup_street.street)
    return render(
        request,
        "targeting/setups/doorstep_street.html",
        {
            "setup": setup,
            "setup_street": setup_street,
            "street": setup_street.street,
            "form": form,
            "doors": doors if show_hidden else [d for d in doors if not d.hidden],
            "hidden_count": sum(d.hidden for d in doors),
            "show_hidden": show_hidden,
            "outcomes": Visit.Outcome,
        },
    )


def _visit_save(request, setup, street, form, wants_json: bool) -> HttpResponse:
    data = form.cleaned_data
    try:
        visit, created = services.visit_record(
            setup=setup,
            street=street,
            officer=request.user,
            house=data["house"],
            outcome=data["outcome"],
            key=data["key"],
            visited_at=data["visited_at"],
            sent_later=data["sent_later"],
        )
    except services.SetUpRefused as refused:
        if wants_json:
            return JsonResponse({"ok": False, "errors": {"__all__": [str(refused)]}}, status=409)
        messages.error(request, str(refused))
        return redirect("doorstep_street", pk=setup.pk, street=street.pk)
    follow = _after_visit(setup, street, visit)
    if wants_json:
        return JsonResponse(
            {"ok": True, "created": created, "key": str(visit.key), "next": follow or ""}
        )
    messages.success(request, f"Visit to {visit.house} recorded: {visit.get_outcome_display()}.")
    return redirect(follow or reverse("doorstep_street", args=[setup.pk, street.pk]))


def _after_visit(setup: SetUp, street, visit: Visit) -> str:
    """Where a visit leads: registration opens the doorstep registration, pre-filled."""
    if visit.outcome == Visit.Outcome.REGISTERED:
        point = street.geometry.centroid
        postcode = (
            Postcode.objects.filter(ward=street.ward)
            .annotate(d=Distance("point", point))
            .order_by("d")
            .first()
        )
        query = {"street": street.pk}
        if postcode is not None:
            query["postcode"] = postcode.code
        return reverse("doorstep_register") + "?" + urlencode(query)
    if visit.outcome == Visit.Outcome.SURVEY:
        return reverse("doorstep_survey", args=[setup.pk, visit.key])
    return ""


@staff_required(*CONTACT_ROLES)
def doorstep_survey(request: HttpRequest, pk: int, key) -> HttpResponse:
    """The current survey, taken by the officer with the resident: marked as taken by staff.

    Opened from a visit recorded as "survey taken on the doorstep" (the officer's own).
    """
    setup = selectors.setup_worked_by(request.user, pk)
    visit = selectors.survey_visit_for(setup, key, officer=request.user)
    version = current_version()
    if visit.survey_response_id or version is None:
        messages.info(
            request,
            "The survey of this visit is already recorded."
            if visit.survey_response_id
            else "There is no survey to take at the moment.",
        )
        return redirect("doorstep_street", pk=setup.pk, street=visit.street_id)
    questions = list(version.questions.order_by("page", "order", "pk"))
    form = PageForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_survey_record(visit=visit, version=version, answers=form.answers())
        except ResponseIncomplete:
            form.add_error(None, "Some required questions have no answer.")
        else:
            messages.success(
                request, f"The survey taken at {visit.house} is recorded, as taken by staff."
            )
            return redirect("doorstep_street", pk=setup.pk, street=visit.street_id)
    return render(
        request,
        "targeting/setups/doorstep_survey.html",
        {"setup": setup, "visit": visit, "version": version, "form": form},
    )


@public
def doorstep_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from our static files, served at the doorstep pages' root so
    its scope is theirs (a worker's scope can be no wider than the path it comes from)."""
    response = HttpResponse(SW_FILE.read_bytes(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = reverse("doorstep_home")
    response["Cache-Control"] = "no-cache"
    return response
