"""Answering the survey: from the invitation link without signing in, or from My account.

The link's GET shows the survey's first screen; its POST starts answering, which ties
this browser session to the invitation. The pages after that take the invitation from
the session, never from the URL, and every refusal is the same "link cannot be used"
page (404), whatever the reason.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.permissions import member_required, public
from alerts.views import link_refused

from .. import links, schedule, services
from ..forms import PageForm
from ..models import Invitation, Question, Response
from ..selectors import open_invitation_for


def _answering(request: HttpRequest) -> tuple[Invitation, Response] | None:
    """The invitation this browser is answering, and its response; None if none may be."""
    invitation_id = links.session_invitation_id(request)
    if invitation_id is None:
        return None
    invitation = (
        Invitation.objects.select_related("member", "version", "round")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.member_id is None or not invitation.is_open(timezone.now()):
        return None
    # Someone else signed in on this browser: not theirs to see.
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    if member is not None and member.pk != invitation.member_id:
        return None
    response = Response.objects.filter(invitation=invitation).first()
    if response is None:
        return None
    return invitation, response


def _pages(invitation: Invitation) -> list[int]:
    return invitation.version.pages()


def _first_unanswered_page(invitation: Invitation, response: Response) -> int | None:
    answered = set(response.answers.values_list("question_id", flat=True))
    for q in invitation.version.questions.all():
        if q.pk not in answered:
            return q.page
    return None


def _continue(invitation: Invitation, response: Response) -> HttpResponse:
    if response.submitted_at is not None:
        return redirect("surveys_check")
    page = _first_unanswered_page(invitation, response)
    return redirect("surveys_page", page=page) if page else redirect("surveys_check")


@public
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    invitation = links.invitation_from_token(token, now=now)
    if invitation is None:
        return link_refused(request)
    if links.is_spent(invitation):
        # Used: only the browser that sent the answers may go back to change them.
        if links.session_invitation_id(request) == invitation.pk:
            return redirect("surveys_check")
        return link_refused(request)
    if request.method == "POST":
        try:
            response = services.response_start(
                invitation=invitation, via=Response.Via.LINK, now=now
            )
        except services.SurveyClosed:
            return link_refused(request)
        links.session_allow(request, invitation)
        return _continue(invitation, response)
    return render(
        request, "surveys/start.html", {"invitation": invitation, "version": invitation.version}
    )


@member_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The survey from My account, for a member signed in."""
    member = request.member
    now = timezone.now()
    invitation = open_invitation_for(member, now=now)
    if invitation is None:
        due = schedule.next_due(member_id=member.pk, registered_at=member.registered_at, now=now)
        return render(request, "surveys/none_open.html", {"next_due": due, "member": member})
    if request.method == "POST":
        response = services.response_start(invitation=invitation, via=Response.Via.ACCOUNT, now=now)
        links.session_allow(request, invitation)
        return _continue(invitation, response)
    submitted = Response.objects.filter(invitation=invitation, submitted_at__isnull=False).exists()
    return render(
        request,
        "surveys/start.html",
        {"invitation": invitation, "version": invitation.version, "submitted": submitted,
         "from_account": True},
    )  # fmt: skip


ACTIONS = ("next", "back", "later")


@public
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, page: int) -> HttpResponse:
    current = _answering(request)
    if current is None:
        return link_refused(request)
    invitation, response = current
    pages = _pages(invitation)
    if page not in pages:
        raise Http404
    questions = list(invitation.version.questions.filter(page=page))
    action = request.POST.get("action", "next")
    if action not in ACTIONS:
        action = "next"
    if request.method == "POST":
        form = PageForm(
            request.POST, questions=questions, response=response, relaxed=action != "next"
        )
        if form.is_valid():
            try:
                services.response_save_page(response=response, answers=form.answers())
            except services.SurveyClosed:
                return link_refused(request)
            index = pages.index(page)
            if action == "later":
                return render(request, "surveys/saved.html", {"invitation": invitation})
            if action == "back":
                return redirect("surveys_page", page=pages[max(index - 1, 0)])
            if index + 1 < len(pages):
                return redirect("surveys_page", page=pages[index + 1])
            return redirect("surveys_check")
    else:
        form = PageForm(questions=questions, response=response)
    return render(
        request,
        "surveys/page.html",
        {
            "invitation": invitation,
            "version": invitation.version,
            "form": form,
            "page": page,
            "page_number": pages.index(page) + 1,
            "page_count": len(pages),
            "is_first": pages.index(page) == 0,
        },
    )


def _summary(response: Response) -> list[dict]:
    answers = {
        a.question_id: a for a in response.answers.prefetch_related("priority_rows__priority")
    }
    rows = []
    for q in response.version.questions.all():
        answer = answers.get(q.pk)
        shown = ""
        if answer is not None:
            if q.kind == Question.Kind.SCALE and answer.scale_value:
                labels = list(q.options) or [str(i) for i in range(1, 6)]
                shown = labels[answer.scale_value - 1]
            elif q.kind == Question.Kind.SINGLE:
                shown = next((o["label"] for o in q.options if o["value"] == answer.choice), "")
            elif q.kind in (Question.Kind.MULTIPLE, Question.Kind.RANKING):
                shown = ", ".join(r.priority.name for r in answer.priority_rows.all())
            else:
                shown = answer.text
        rows.append({"question": q, "answer": shown})
    return rows


@public
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    current = _answering(request)
    if current is None:
        return link_refused(request)
    invitation, response = current
    missing: list[Question] = []
    if request.method == "POST":
        try:
            services.response_submit(response=response)
        except services.SurveyClosed:
            return link_refused(request)
        except services.ResponseIncomplete as incomplete:
            missing = incomplete.missing
        else:
            return redirect("surveys_thanks")
    return render(
        request,
        "surveys/check.html",
        {
            "invitation": invitation,
            "version": invitation.version,
            "response": response,
            "rows": _summary(response),
            "missing": missing,
        },
        status=400 if missing else 200,
    )


@public
def thanks(request: HttpRequest) -> HttpResponse:
    current = _answering(request)
    if current is None or current[1].submitted_at is None:
        return link_refused(request)
    invitation = current[0]
    return render(
        request, "surveys/thanks.html", {"invitation": invitation, "version": invitation.version}
    )
