"""Officers' "You said, we did" items and ward teams. HTTP only.

Officers and supervisors (``SENDER_ROLES``) within their scope; outside it a 404.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import StaffProfile
from accounts.permissions import areas_for, get_area_for_user, staff_required
from accounts.services import staff_briefing_choose
from alerts.audiences import SENDER_ROLES, AudienceNotAllowed
from areas.models import Area
from core.lifecycle import InvalidTransition

from .. import selectors, services
from ..forms import BriefingForm, ItemForm, LocalPrioritiesForm, MemberAddForm, ProfileForm
from ..models import OfficerProfile, TeamMembership, YouSaidWeDid
from ..survey_facts import priority_names


@staff_required(*SENDER_ROLES)
def item_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in YouSaidWeDid.Status.values:
        status = ""
    items = selectors.items_for(request.user, status=status).order_by("-created_at")
    return render(
        request,
        "engagement/item_list.html",
        {
            "page": Paginator(items, 25).get_page(request.GET.get("page")),
            "status": status,
            "statuses": YouSaidWeDid.Status.choices,
        },
    )


def _item_form(request: HttpRequest, item: YouSaidWeDid | None) -> HttpResponse:
    initial = {}
    if item is None and request.GET.get("area"):
        initial["area"] = areas_for(request.user).filter(code=request.GET["area"]).first()
    form = ItemForm(
        request.POST or None, instance=item, areas=areas_for(request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ItemForm.Meta.fields}
        if item is None:
            item = services.item_create(user=request.user, **data)
            flash.success(request, "Item recorded.")
        else:
            services.item_update(item=item, user=request.user, **data)
            flash.success(request, "Item saved.")
        return redirect("engagement_item", pk=item.pk)
    return render(request, "engagement/item_form.html", {"form": form, "item": item})


@staff_required(*SENDER_ROLES)
def item_new(request: HttpRequest) -> HttpResponse:
    return _item_form(request, None)


@staff_required(*SENDER_ROLES)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_form(request, selectors.get_item_for_user(request.user, pk))


@staff_required(*SENDER_ROLES)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, pk)
    return render(
        request,
        "engagement/item_detail.html",
        {
            "item": item,
            "priority_names": priority_names(item.priorities),
            "next": [(s, YouSaidWeDid.Status(s).label) for s in sorted(item.next_statuses)],
        },
    )


@staff_required(*SENDER_ROLES)
@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, pk)
    status = request.POST.get("status", "")
    try:
        services.item_move(item=item, user=request.user, status=status)
    except services.OutcomeMissing as missing:
        flash.error(request, str(missing))
    except InvalidTransition:
        flash.error(request, "The item cannot move to that status now.")
    else:
        flash.success(request, f"The item is now {item.get_status_display().lower()}.")
    return redirect("engagement_item", pk=item.pk)


@staff_required(*SENDER_ROLES)
@require_POST
def item_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a done item as a message: a draft, opened on the message preview."""
    item = selectors.get_item_for_user(request.user, pk)
    try:
        message = services.item_message_draft(item=item, user=request.user)
    except InvalidTransition:
        flash.error(request, "Only done items can be sent as a message.")
    except AudienceNotAllowed as refused:
        flash.error(request, str(refused))
    else:
        flash.success(request, "A draft message was made from the item: check it and send it.")
        return redirect("alerts_message_preview", pk=message.pk)
    return redirect("engagement_item", pk=item.pk)


# --- Teams ----------------------------------------------------------------------------------


@staff_required(*SENDER_ROLES)
def ward_team(request: HttpRequest, code: str) -> HttpResponse:
    """The ward's neighbourhood team: members, local priorities chosen from the votes."""
    ward = get_area_for_user(request.user, code)
    if ward.level != Area.Level.WARD:
        return redirect("area_detail", code=code)
    team = services.team_for_ward_get_or_create(ward=ward)
    votes = selectors.team_votes(team)
    current = list(team.local_priorities.values_list("priority", flat=True))
    form = LocalPrioritiesForm(request.POST or None, initial={"priorities": current})
    if request.method == "POST" and form.is_valid():
        services.local_priorities_choose(
            user=request.user, team=team, priorities=form.cleaned_data["priorities"]
        )
        flash.success(request, "The ward's local priorities were saved.")
        return redirect("engagement_ward_team", code=code)
    return render(
        request,
        "engagement/ward_team.html",
        {
            "ward": ward,
            "team": team,
            "members": team.memberships.select_related("user__officer_profile"),
            "votes": votes,
            "current": priority_names(current),
            "form": form,
            "add_form": MemberAddForm(),
            "can_manage": request.staff.role == "supervisor",
        },
    )


@staff_required(*SENDER_ROLES)
@require_POST
def team_member_add(request: HttpRequest, code: str) -> HttpResponse:
    ward = get_area_for_user(request.user, code)
    team = services.team_for_ward_get_or_create(ward=ward)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            services.team_member_add(
                user=request.user,
                team=team,
                member=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except services.NotAllowed as refused:
            flash.error(request, str(refused))
        else:
            flash.success(request, "Added to the team.")
    else:
        flash.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("engagement_ward_team", code=code)


@staff_required(*SENDER_ROLES)
@require_POST
def team_member_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    ward = get_area_for_user(request.user, code)
    membership = TeamMembership.objects.filter(
        pk=pk, team__area=ward, team__is_neighbourhood=True
    ).first()
    if membership is None:
        flash.error(request, "That person is no longer in the team.")
    else:
        try:
            services.team_member_remove(user=request.user, membership=membership)
        except services.NotAllowed as refused:
            flash.error(request, str(refused))
        else:
            flash.success(request, "Removed from the team.")
    return redirect("engagement_ward_team", code=code)


@staff_required(*SENDER_ROLES)
def profile_edit(request: HttpRequest) -> HttpResponse:
    """The short profile an officer writes for their wards' public pages, and (officers)
    whether they get the weekly briefing by email: two forms, told apart by ``form``."""
    if request.method == "POST" and request.POST.get("form") == "briefing":
        return _briefing_choose(request)
    profile = OfficerProfile.objects.filter(user=request.user).first()
    initial = {} if profile else {"public_name": request.user.name}
    form = ProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.officer_profile_save(
            user=request.user,
            public_name=form.cleaned_data["public_name"],
            about=form.cleaned_data["about"],
        )
        flash.success(request, "Your profile was saved.")
        return redirect("engagement_profile")
    teams = selectors.my_teams(request.user)
    briefing = None
    if request.staff.role == StaffProfile.Role.OFFICER:
        briefing = BriefingForm(initial={"weekly_briefing": request.staff.weekly_briefing})
    return render(
        request, "engagement/profile.html", {"form": form, "teams": teams, "briefing": briefing}
    )


def _briefing_choose(request: HttpRequest) -> HttpResponse:
    form = BriefingForm(request.POST)
    if request.staff.role != StaffProfile.Role.OFFICER or not form.is_valid():
        return redirect("engagement_profile")
    on = staff_briefing_choose(
        user=request.user, weekly_briefing=form.cleaned_data["weekly_briefing"]
    )
    flash.success(
        request,
        "You will get your weekly briefing by email."
        if on
        else "Your weekly briefing will no longer be emailed to you.",
    )
    return redirect("engagement_profile")
