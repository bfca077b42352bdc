"""The team inbox of members' replies: assign, answer back, mark handled. HTTP only.

A reply is a member's own words: opening one writes an access-log row.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import AccessLog
from accounts.permissions import Role, staff_required
from accounts.services import access_log_for_request
from alerts.audiences import SENDER_ROLES, AudienceNotAllowed
from core.lifecycle import InvalidTransition

from .. import selectors, services
from ..forms import AnswerForm, AssignForm, TriggerWordForm
from ..models import InboxReply, Team, TriggerWord


@staff_required(*SENDER_ROLES)
def inbox_home(request: HttpRequest) -> HttpResponse:
    """The teams whose inbox the user may open, theirs first, with what waits in each."""
    mine = set(selectors.my_teams(request.user).values_list("pk", flat=True))
    teams = sorted(
        selectors.teams_for(request.user),
        key=lambda t: (t.pk not in mine, t.name),
    )
    waiting = {
        t.pk: t.inbox.filter(status=InboxReply.Status.OPEN).count() for t in teams
    }  # a handful of teams per person
    rows = [(t, waiting[t.pk], t.pk in mine) for t in teams]
    return render(request, "engagement/inbox_home.html", {"rows": rows})


@staff_required(*SENDER_ROLES)
def team_inbox(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.get_team_for_user(request.user, pk)
    handled = request.GET.get("show") == "handled"
    status = InboxReply.Status.HANDLED if handled else InboxReply.Status.OPEN
    page = Paginator(selectors.inbox_for(request.user, team, status=status), 25).get_page(
        request.GET.get("page")
    )
    if page.object_list:
        # Members' own words (not their names): recorded as one showing of many.
        access_log_for_request(
            request,
            subject_kind="member",
            action=AccessLog.Action.VIEW,
            subject_count=len(page.object_list),
            reason=f"replies in the inbox of {team.name}",
        )
    return render(
        request,
        "engagement/team_inbox.html",
        {
            "team": team,
            "handled": handled,
            "page": page,
        },
    )


@staff_required(*SENDER_ROLES)
def inbox_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_inbox_entry_for_user(request.user, pk)
    access_log_for_request(
        request,
        subject_kind="member",
        action=AccessLog.Action.VIEW,
        subject_user_id=entry.reply.member.user_id,
        reason=f"reply in the inbox of {entry.team.name}",
    )
    return render(
        request,
        "engagement/inbox_entry.html",
        {
            "entry": entry,
            "reply": entry.reply,
            "assign_form": AssignForm(team=entry.team, initial={"assigned_to": entry.assigned_to}),
            "answer_form": AnswerForm(),
            "answers": entry.reply.answers.order_by("created_at"),
        },
    )


@staff_required(*SENDER_ROLES)
@require_POST
def inbox_assign(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_inbox_entry_for_user(request.user, pk)
    form = AssignForm(request.POST, team=entry.team)
    if form.is_valid():
        services.inbox_assign(entry=entry, user=request.user, to=form.cleaned_data["assigned_to"])
        who = form.cleaned_data["assigned_to"]
        flash.success(request, f"Assigned to {who}." if who else "No longer assigned.")
    else:
        flash.error(request, "Choose a member of the team.")
    return redirect("engagement_inbox_entry", pk=entry.pk)


@staff_required(*SENDER_ROLES)
@require_POST
def inbox_handle(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_inbox_entry_for_user(request.user, pk)
    try:
        services.inbox_handle(entry=entry, user=request.user)
    except InvalidTransition:
        flash.info(request, "This reply was already handled.")
    else:
        flash.success(request, "Marked as handled.")
    return redirect("engagement_team_inbox", pk=entry.team_id)


@staff_required(*SENDER_ROLES)
@require_POST
def inbox_answer(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_inbox_entry_for_user(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "engagement/inbox_entry.html",
            {
                "entry": entry,
                "reply": entry.reply,
                "assign_form": AssignForm(team=entry.team),
                "answer_form": form,
                "answers": entry.reply.answers.order_by("created_at"),
            },
            status=400,
        )
    try:
        services.inbox_answer(entry=entry, user=request.user, body=form.cleaned_data["body"])
    except AudienceNotAllowed as refused:
        flash.error(request, str(refused))
    else:
        flash.success(request, "Your answer is on its way to the member.")
    return redirect("engagement_inbox_entry", pk=entry.pk)


# --- Trigger words (admins) -------------------------------------------------------------------


@staff_required(Role.ADMIN)
def trigger_words(request: HttpRequest) -> HttpResponse:
    teams = selectors.teams_for(request.user)
    words = TriggerWord.objects.filter(team__in=teams).select_related("team")
    form = TriggerWordForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        word = form.cleaned_data["word"]
        team: Team = form.cleaned_data["team"]
        TriggerWord.objects.get_or_create(word=word, team=team)
        flash.success(request, f"Replies saying “{word}” now go to {team.name}.")
        return redirect("engagement_trigger_words")
    return render(
        request,
        "engagement/trigger_words.html",
        {"form": form, "page": Paginator(words, 50).get_page(request.GET.get("page"))},
    )


@staff_required(Role.ADMIN)
@require_POST
def trigger_word_delete(request: HttpRequest, pk: int) -> HttpResponse:
    deleted, _ = TriggerWord.objects.filter(
        pk=pk, team__in=selectors.teams_for(request.user)
    ).delete()
    if deleted:
        flash.success(request, "Trigger word removed.")
    return redirect("engagement_trigger_words")
