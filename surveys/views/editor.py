"""The survey template editor, for admins. Edits go to a draft; publishing freezes it.

The quarterly survey is the same for the whole force: only admins of the force edit it
(a district's admin gets a 404, as for any page outside their scope).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import StaffProfile
from accounts.permissions import staff_required

from .. import editing
from ..forms import QuestionForm, VersionForm
from ..models import Question, Survey, SurveyVersion

ADMIN = StaffProfile.Role.ADMIN


@staff_required(ADMIN, force_wide=True)
def templates(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.prefetch_related("versions").order_by("-is_active", "name")
    counts = dict(SurveyVersion.objects.annotate(n=Count("invitations")).values_list("pk", "n"))
    return render(request, "surveys/editor/list.html", {"surveys": surveys, "counts": counts})


@staff_required(ADMIN, force_wide=True)
def version(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(SurveyVersion.objects.select_related("survey"), pk=pk)
    form = None
    if version.is_draft:
        form = VersionForm(request.POST or None, instance=version)
        if request.method == "POST" and form.is_valid():
            editing.version_update(version=version, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("surveys_version", pk=version.pk)
    return render(
        request,
        "surveys/editor/version.html",
        {
            "version": version,
            "form": form,
            "questions": version.questions.all(),
            "invitations": version.invitations.count(),
        },
    )


@staff_required(ADMIN, force_wide=True)
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(SurveyVersion, pk=pk, published_at__isnull=True)
    return _question_form(request, version, None)


@staff_required(ADMIN, force_wide=True)
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.select_related("version"), pk=pk, version__published_at__isnull=True
    )
    return _question_form(request, question.version, question)


def _question_form(
    request: HttpRequest, version: SurveyVersion, question: Question | None
) -> HttpResponse:
    form = QuestionForm(request.POST or None, instance=question, version=version)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in QuestionForm.Meta.fields}
        editing.question_save(
            version=version, question=question, options=form.cleaned_data["options"], **fields
        )
        messages.success(request, _("Question saved."))
        return redirect("surveys_version", pk=version.pk)
    return render(
        request,
        "surveys/editor/question.html",
        {"version": version, "question": question, "form": form},
    )


@staff_required(ADMIN, force_wide=True)
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk, version__published_at__isnull=True)
    version_pk = question.version_id
    editing.question_delete(question=question)
    messages.success(request, _("Question removed."))
    return redirect("surveys_version", pk=version_pk)


@staff_required(ADMIN, force_wide=True)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(SurveyVersion, pk=pk, published_at__isnull=True)
    try:
        editing.version_publish(version=version)
    except editing.VersionEmpty:
        messages.error(request, _("Add at least one question before publishing."))
    else:
        messages.success(request, _("Published. New invitations use this version from now on."))
    return redirect("surveys_version", pk=version.pk)


@staff_required(ADMIN, force_wide=True)
@require_POST
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    version = editing.version_draft(survey=survey, user=request.user)
    return redirect("surveys_version", pk=version.pk)


@staff_required(ADMIN, force_wide=True)
@require_POST
def activate(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    editing.survey_activate(survey=survey)
    messages.success(request, _("Members will be invited to this survey from now on."))
    return redirect("surveys_templates")
