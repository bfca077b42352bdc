"""Booking events, recording their outcome and recording street contacts. HTTP only.

Officers and supervisors book and record within their scope; an event outside it is a
404 (``accounts.permissions``). Every form works without JavaScript (the place is a
postcode); with it, a tap on the map places the point.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.permissions import CONTACT_ROLES, get_scoped_object_or_404, staff_required, wards_for
from areas.selectors import area_outline_features, areas_bounds
from core.maps import OUTLINE, Layer, map_html

from . import services
from .forms import ContactForm, EventForm, OutcomeForm
from .models import EngagementEvent


def _picker_map(request: HttpRequest) -> str:
    """A map of the user's wards for placing a point (the page's script listens)."""
    wards = list(wards_for(request.user))
    return map_html(
        layers=[
            Layer(name="Your wards", features=area_outline_features(wards), style=dict(OUTLINE))
        ],
        label="Tap the map to place it",
        nonce=request.csp_nonce,
        fallback=lambda: areas_bounds(wards),
    )


def _event(request: HttpRequest, pk: int) -> EngagementEvent:
    return get_scoped_object_or_404(
        EngagementEvent.objects.select_related("ward", "created_by"), request.user, pk=pk
    )


def _save(request: HttpRequest, form, write) -> bool:
    """Call ``write`` with the valid form; a scope or place error goes back on the form."""
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form.add_error("postcode", error.messages[0])
        return False
    return True


@staff_required(*CONTACT_ROLES)
def event_list(request: HttpRequest) -> HttpResponse:
    events = (
        EngagementEvent.objects.filter(ward__in=wards_for(request.user))
        .select_related("ward", "outcome")
        .order_by("-starts_at", "pk")
    )
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    return render(request, "engagement/events_list.html", {"page": page, "now": timezone.now()})


@staff_required(*CONTACT_ROLES)
def event_new(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = []

        def write(d):
            created.append(
                services.event_book(
                    user=request.user, kind=d["kind"], title=d["title"], point=d["point"],
                    place_name=d["place_name"], starts_at=d["starts_at"],
                    officers=d["officers"], communities=d["communities"],
                )
            )  # fmt: skip

        if _save(request, form, write):
            messages.success(request, f"Event booked: {created[0].title}.")
            return redirect("engagement_event", created[0].pk)
    return render(
        request,
        "engagement/events_form.html",
        {"form": form, "title": "Book an event", "map_html": _picker_map(request)},
    )


@staff_required()
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return render(
        request,
        "engagement/events_detail.html",
        {
            "event": event,
            "outcome": getattr(event, "outcome", None),
            "can_record": request.staff.role in CONTACT_ROLES,
        },
    )


@staff_required(*CONTACT_ROLES)
def event_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    existing = getattr(event, "outcome", None)
    initial = {"officers_present": list(event.officers.all())}
    if existing is not None:
        initial = {
            "attendance": existing.attendance,
            "officers_present": list(existing.officers_present.all()),
            "issues": list(existing.issues),
            "issues_text": existing.issues_text,
            "quality": existing.quality,
            "intelligence_submissions": existing.intelligence_submissions,
            "suitable_for_publishing": existing.suitable_for_publishing,
            "you_said_we_did": existing.you_said_we_did,
        }
    form = OutcomeForm(request.POST or None, initial=initial, event=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.event_outcome_record(user=request.user, event=event, **form.cleaned_data)
        messages.success(request, f"Outcome recorded for {event.title}.")
        return redirect("engagement_event", event.pk)
    return render(request, "engagement/events_outcome.html", {"form": form, "event": event})


@staff_required(*CONTACT_ROLES)
def contact_new(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = (
            "place_name", "met_at", "issues", "issues_text", "diversity_consent", "age_band",
            "sex", "ethnic_group", "signup_offered", "signup_taken",
        )  # fmt: skip

        def write(d):
            services.community_contact_record(
                user=request.user, point=d["point"], **{f: d[f] for f in fields}
            )

        if _save(request, form, write):
            messages.success(request, "Street contact recorded. Thank you.")
            return redirect("engagement_contact_new")
    return render(
        request,
        "engagement/events_contact.html",
        {"form": form, "title": "Record a street contact", "map_html": _picker_map(request)},
    )
