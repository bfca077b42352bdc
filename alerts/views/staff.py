"""The senders' pages: write a message, preview its versions and counts, send it, see
what went to whom and how it was received. HTTP only.

Officers and supervisors send (``audiences.SENDER_ROLES``), within their scope; a
message is seen by its sender and by staff whose scope holds its area (a supervisor
sees their district's). Anything else is a 404, as for a message that does not exist.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AccessLog, User
from accounts.permissions import Role, areas_for, get_area_for_user, staff_required
from accounts.services import access_log_for_request
from areas.selectors import area_outline_features, areas_bounds
from core.maps import Layer, map_html

from .. import selectors, services
from ..audiences import SENDER_ROLES, Audience, AudienceNotAllowed, describe
from ..forms import MessageForm, MessagingSettingsForm
from ..models import Message, MessagingSettings, Version

DRAW_EVENT = "audience:drawn"


def _message_for(user: User, pk: int) -> Message:
    message = selectors.messages_for(user).filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


@staff_required(*SENDER_ROLES)
def message_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.messages_for(request.user).order_by("-created_at"), 25).get_page(
        request.GET.get("page")
    )
    scope = areas_for(request.user).filter(level__in=["district", "force"])
    wards = list(request.staff.areas.order_by("level", "name"))
    return render(
        request,
        "alerts/staff/list.html",
        {"page": page, "areas": wards, "wide_areas": scope},
    )


def _audience_map(request: HttpRequest) -> str:
    wards = list(areas_for(request.user).filter(level="ward"))
    return map_html(
        layers=[Layer("wards", area_outline_features(wards))],
        label=_("Map of your wards: draw the audience's shape"),
        nonce=request.csp_nonce,
        fallback=lambda: areas_bounds(wards),
        draw_event=DRAW_EVENT,
    )


def _initial_of(message: Message) -> dict:
    audience = Audience.from_json(message.audience)
    initial = {
        "subject": message.subject,
        "body": message.body,
        "body_said": message.bodies.get(Version.SAID, ""),
        "body_invite": message.bodies.get(Version.INVITE, ""),
        "priorities": message.priorities,
        "urgent": message.urgent,
        "kind": audience.kind,
        "include": list(audience.include),
        "exclude": list(audience.exclude),
    }
    if message.saved_audience_id:
        initial |= {"kind": "saved", "saved": message.saved_audience_id}
    return initial


def _compose(request: HttpRequest, message: Message | None) -> HttpResponse:
    initial = _initial_of(message) if message else {}
    form = MessageForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = data.get("saved") if data["kind"] == "saved" else None
            if data.get("save_as"):
                saved = services.saved_audience_create(
                    user=request.user, name=data["save_as"], audience=data["audience"]
                )
            fields = {
                "sender": request.user,
                "subject": data["subject"],
                "bodies": form.bodies(),
                "priorities": data["priorities"],
                "audience": data["audience"],
                "urgent": bool(data.get("urgent")),
                "saved_audience": saved,
            }
            if message is None:
                message = services.message_draft_create(**fields)
            else:
                message = services.message_draft_update(message=message, **fields)
        except AudienceNotAllowed as refused:
            form.add_error(None, str(refused))
        else:
            return redirect(reverse("alerts_message_preview", args=[message.pk]))
    return render(
        request,
        "alerts/staff/compose.html",
        {"form": form, "message": message, "map_html": _audience_map(request)},
    )


@staff_required(*SENDER_ROLES)
def message_new(request: HttpRequest) -> HttpResponse:
    return _compose(request, None)


@staff_required(*SENDER_ROLES)
def message_edit(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message_for(request.user, pk)
    if message.status != Message.Status.DRAFT or message.created_by_id != request.user.pk:
        raise Http404
    return _compose(request, message)


@staff_required(*SENDER_ROLES)
def message_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft: the three versions and how many get each, then Send. Once sent: what
    happened (engagement, small counts hidden)."""
    message = _message_for(request.user, pk)
    audience = Audience.from_json(message.audience)
    context = {
        "message": message,
        "audience": describe(audience),
        "versions": [(v, message.body_for(v)) for v in Version],
        "can_send": message.status == Message.Status.DRAFT
        and message.created_by_id == request.user.pk,
    }
    if message.status == Message.Status.DRAFT:
        shown = selectors.preview_shown(selectors.message_preview(message, now=timezone.now()))
    else:
        shown = selectors.sent_shown(message)
        context["engagement"] = selectors.message_engagement(message)
    context |= {
        "reached": shown.total["members"],
        "held_back": shown.parts["held_back"]["members"],
        "rows": [(v, message.body_for(v), shown.parts[v]["members"]) for v in Version],
    }
    return render(request, "alerts/staff/preview.html", context)


@staff_required(*SENDER_ROLES)
@require_POST
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message_for(request.user, pk)
    if message.created_by_id != request.user.pk:
        raise Http404
    try:
        # The audience is checked again: the sender's scope may have changed since.
        services.audience_check(Audience.from_json(message.audience), user=request.user)
        queued = services.message_send(message=message)
    except services.MessageAlreadySent:
        flash.info(request, _("This message was already sent."))
    except AudienceNotAllowed as refused:
        flash.error(request, str(refused))
    else:
        flash.success(request, _("Sent: %(n)s messages are on their way.") % {"n": queued})
    return redirect(reverse("alerts_message_preview", args=[message.pk]))


@staff_required(*SENDER_ROLES)
def message_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    """The record of what went to whom: personal data, so the showing is audited."""
    message = _message_for(request.user, pk)
    page = Paginator(selectors.recipients_of(message), 100).get_page(request.GET.get("page"))
    access_log_for_request(
        request,
        subject_kind="message recipients",
        action=AccessLog.Action.VIEW,
        subject_count=len(page.object_list),
        reason=_("recipients of message %(pk)s") % {"pk": message.pk},
    )
    return render(request, "alerts/staff/recipients.html", {"message": message, "page": page})


@staff_required(*SENDER_ROLES)
def area_engagement(request: HttpRequest, code: str) -> HttpResponse:
    """Per ward of an area: how officers' messages of the last 90 days were received."""
    area = get_area_for_user(request.user, code)
    if not area.is_ward and request.staff.role != Role.SUPERVISOR:
        raise Http404
    wards, table = selectors.area_engagement(user=request.user, area=area, now=timezone.now())
    rows = [(ward, table.parts[ward.pk]) for ward in wards]
    return render(
        request,
        "alerts/staff/engagement.html",
        {"area": area, "rows": rows, "total": table.total,
         "columns": selectors.ENGAGEMENT_COLUMNS},
    )  # fmt: skip


@staff_required(Role.ADMIN, force_wide=True)  # the limit holds for every member of the force
def messaging_settings(request: HttpRequest) -> HttpResponse:
    form = MessagingSettingsForm(request.POST or None, instance=MessagingSettings.load())
    if request.method == "POST" and form.is_valid():
        services.messaging_settings_save(settings=form.save(commit=False))
        flash.success(request, _("Saved. The new limit applies to the next message sent."))
        return redirect(reverse("alerts_settings"))
    return render(request, "alerts/staff/settings.html", {"form": form})
