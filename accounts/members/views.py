"""Pages for members of the public, and registration at the door for officers."""

from __future__ import annotations

from allauth.account.views import SignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import ratelimits
from accounts.models import AccessLog, ConsentRecord, StaffProfile
from accounts.permissions import member_required, public, staff_required, wards_for
from accounts.services import access_log_for_request, member_resume_messages, member_stop_messages

from . import erasure, export, history, selectors, services
from .demographics import ITEMS
from .forms import (
    DemographicsForm,
    DetailsForm,
    DoorstepForm,
    EraseForm,
    MoveForm,
    PostcodeStepForm,
)
from .phone import display_mobile

Role = StaffProfile.Role


# --- Registration ------------------------------------------------------------------------------


class MemberSignupView(SignupView):
    """allauth's sign-up in two steps: the postcode first, then the form.

    Step one is a GET form, so the street list for step two needs no JavaScript.
    """

    template_name = "account/signup.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "postcode" not in request.GET:
            return self._step_one(PostcodeStepForm())
        step = PostcodeStepForm(request.GET)
        if not step.is_valid():
            return self._step_one(step)
        self.step_postcode = step.cleaned_data["postcode"]
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict:
        initial = super().get_initial()
        if getattr(self, "step_postcode", None) is not None:
            initial["postcode"] = self.step_postcode.code
        return initial

    def form_valid(self, form) -> HttpResponse:
        # Past the address's hourly number of sign-ups (a community event's Wi-Fi, or a
        # script), nobody is blocked: the bot check just asks for more patience.
        if (
            not form.is_bot
            and not ratelimits.allow(self.request, action="member_signup")
            and not form.patient_enough(settings.MEMBERS_BOT_SLOW_SECONDS)
        ):
            return self.form_invalid(form)
        return super().form_valid(form)

    def _step_one(self, form: PostcodeStepForm) -> HttpResponse:
        return render(self.request, "accounts/members/signup_postcode.html", {"form": form})


signup = public(MemberSignupView.as_view())


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/members/privacy.html", {"remains": erasure.what_remains()})


@public
def email_confirmed(request: HttpRequest) -> HttpResponse:
    """Where a resident registered at the door lands after confirming their email."""
    return render(request, "accounts/members/email_confirmed.html")


@public
def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/members/erased.html")


# --- My account --------------------------------------------------------------------------------


@member_required
def account(request: HttpRequest) -> HttpResponse:
    member = request.member
    demographics = selectors.demographics_for(member)
    return render(
        request,
        "accounts/members/account.html",
        {
            "member": member,
            "phone": display_mobile(member.phone),
            "groups": list(member.groups.all()),
            "answered": demographics.answered() if demographics else {},
            "history": history.sections_for(member),
        },
    )


@member_required
def details(request: HttpRequest) -> HttpResponse:
    member = request.member
    form = DetailsForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        services.member_details_update(
            member=member,
            name=form.cleaned_data["name"],
            street=form.cleaned_data["street"],
            language=form.cleaned_data["language"],
            **form.preferences(),
        )
        messages.success(request, _("Your details are saved."))
        return redirect("member_account")
    return render(request, "accounts/members/details.html", {"form": form, "member": member})


@member_required
def move(request: HttpRequest) -> HttpResponse:
    """A new postcode: step one (GET) finds it, step two chooses a street and saves."""
    member = request.member
    if request.method == "POST":
        form = MoveForm(request.POST)
        if form.is_valid():
            services.member_move(
                member=member,
                postcode=form.cleaned_data["postcode"],
                street=form.cleaned_data["street"],
            )
            messages.success(
                request,
                _("Your postcode is now %(postcode)s.") % {"postcode": member.postcode.code},
            )
            return redirect("member_account")
        return render(request, "accounts/members/move.html", {"form": form, "step": 2})
    if "postcode" not in request.GET:
        return render(
            request, "accounts/members/move.html", {"form": PostcodeStepForm(), "step": 1}
        )
    step = PostcodeStepForm(request.GET)
    if not step.is_valid():
        return render(request, "accounts/members/move.html", {"form": step, "step": 1})
    form = MoveForm(initial={"postcode": step.cleaned_data["postcode"].code})
    return render(request, "accounts/members/move.html", {"form": form, "step": 2})


@member_required
def about_you(request: HttpRequest) -> HttpResponse:
    member = request.member
    demographics = selectors.demographics_for(member)
    initial = {item: getattr(demographics, item) for item in ITEMS} if demographics else {}
    consents = selectors.active_consents(member)
    initial.update({f"consent_{item}": True for item in consents})
    form = DemographicsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.member_demographics_save(
            member=member,
            answers=form.demographics_answers(include_empty=True),
            explicit_consent=form.explicit_consent(),
            how=ConsentRecord.How.ONLINE,
        )
        messages.success(request, _("Your answers are saved."))
        return redirect("member_about_you")
    held = []
    for item in ITEMS:
        value = getattr(demographics, item) if demographics else ""
        if value:
            field = form.fields[item]
            label = dict(field.choices).get(value) or _flat(field.choices).get(value, value)
            held.append(
                {
                    "item": item,
                    "question": field.label,
                    "answer": label,
                    "consent": consents.get(item),
                }
            )
    return render(
        request,
        "accounts/members/about_you.html",
        {"form": form, "held": held, "registration": consents.get("registration")},
    )


def _flat(choices) -> dict:
    flat = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat.update(dict(label))
        else:
            flat[value] = label
    return flat


@member_required
@require_POST
def consent_withdraw(request: HttpRequest, item: str) -> HttpResponse:
    if item not in ITEMS:
        raise Http404
    services.member_consent_withdraw(member=request.member, item=item)
    messages.success(request, _("Done: that answer is deleted and your consent withdrawn."))
    return redirect("member_about_you")


@member_required
@require_POST
def stop_messages(request: HttpRequest) -> HttpResponse:
    member_stop_messages(member=request.member)
    messages.success(request, _("All messages are stopped. You can start them again here."))
    return redirect("member_account")


@member_required
@require_POST
def resume_messages(request: HttpRequest) -> HttpResponse:
    member_resume_messages(member=request.member)
    messages.success(request, _("Messages will reach you again."))
    return redirect("member_account")


@member_required
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("json", "csv"):
        raise Http404
    data = export.member_export(member=request.member)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(export.as_json(data), content_type="application/json")
    else:
        response = HttpResponse(export.as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@member_required
def erase(request: HttpRequest) -> HttpResponse:
    member = request.member
    form = EraseForm(request.POST or None, user=request.user)
    refused = ""
    if request.method == "POST" and form.is_valid():
        try:
            erasure.member_erase(member=member)
        except erasure.ErasureRefused:
            refused = _("Staff accounts are closed by an administrator, not here.")
        else:
            logout(request)
            return redirect("member_erased")
    return render(
        request,
        "accounts/members/erase.html",
        {"form": form, "remains": erasure.what_remains(member), "refused": refused},
    )


# --- Registration at the door (officers) -------------------------------------------------------


@staff_required(Role.OFFICER, Role.SUPERVISOR)
def doorstep(request: HttpRequest) -> HttpResponse:
    wards = wards_for(request.user)
    if request.method == "POST":
        form = DoorstepForm(request.POST, allowed_wards=wards)
        if form.is_valid():
            if ratelimits.allow(request, action="doorstep"):
                return _doorstep_save(request, form)
            ratelimits.refuse_form(form)
            return render(
                request, "accounts/members/doorstep.html", {"form": form, "step": 2}, status=429
            )
        return render(request, "accounts/members/doorstep.html", {"form": form, "step": 2})
    if "postcode" not in request.GET:
        step = PostcodeStepForm(allowed_wards=wards)
        return render(request, "accounts/members/doorstep.html", {"form": step, "step": 1})
    step = PostcodeStepForm(request.GET, allowed_wards=wards)
    if not step.is_valid():
        return render(request, "accounts/members/doorstep.html", {"form": step, "step": 1})
    # A visit of a set-up opens this pre-filled with the street being knocked (?street=).
    form = DoorstepForm(
        initial={
            "postcode": step.cleaned_data["postcode"].code,
            "street": request.GET.get("street", ""),
        },
        allowed_wards=wards,
    )
    return render(request, "accounts/members/doorstep.html", {"form": form, "step": 2})


def _doorstep_save(request: HttpRequest, form: DoorstepForm) -> HttpResponse:
    data = form.cleaned_data
    member, created = services.member_register_at_door(
        officer=request.user,
        email=data["email"],
        name=data["name"],
        postcode=data["postcode"],
        street=data["street"],
        language=data["language"],
        demographics=form.demographics_answers(),
        explicit_consent=form.explicit_consent(),
        **form.preferences(),
    )
    if created:
        access_log_for_request(
            request,
            subject_kind="member",
            action=AccessLog.Action.CREATE,
            subject_user_id=member.user_id,
            reason="Registered at the door",
        )
    # The same answer whether or not the address already had an account: the officer
    # learns nothing about anyone's membership (its owner is told by email instead).
    messages.success(
        request,
        _(
            "%(name)s is registered. We have emailed %(email)s a link to confirm the "
            "address; messages start once they do."
        )
        % {"name": data["name"], "email": data["email"]},
    )
    return redirect("doorstep_register")
