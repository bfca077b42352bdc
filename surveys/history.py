"""The member's surveys on My account (a provider for ``accounts.members.history``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.members.history import HistoryItem

from .models import Invitation

LIMIT = 20


def survey_items(member) -> list[HistoryItem]:
    now = timezone.now()
    invitations = (
        Invitation.objects.filter(member=member)
        .select_related("round", "response")
        .order_by("-created_at", "-pk")[:LIMIT]
    )
    items = []
    for invitation in invitations:
        response = getattr(invitation, "response", None)
        submitted = response is not None and response.submitted_at is not None
        url = ""
        if submitted:
            detail = _("Answered on %(date)s") % {
                "date": date_format(timezone.localtime(response.submitted_at), "j E Y")
            }
        elif invitation.is_open(now):
            detail = _("Open until %(date)s") % {
                "date": date_format(timezone.localtime(invitation.closes_at), "j E Y")
            }
            url = reverse("surveys_account")
        else:
            detail = _("Not answered")
        items.append(
            HistoryItem(
                at=invitation.created_at,
                title=_("Survey %(quarter)s") % {"quarter": invitation.round.label},
                detail=detail,
                url=url,
            )
        )
    return items
