from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "You said, we did"

    def ready(self) -> None:
        from alerts.replies import register_reply_handler

        from .replies import reply_received

        # Each member's reply goes to the inbox of their ward's team (or the team its
        # trigger words name).
        register_reply_handler(reply_received)
        register_staff_records()


def register_staff_records() -> None:
    """Work records of staff, not data about members: kept on erasure (the link to the
    person is set to null, or the row goes, when their account is deleted)."""
    from django.utils.translation import gettext_lazy as _

    from accounts import personal_data

    from .events.models import CommunityContact, EngagementEvent, EventOutcome
    from .models import InboxReply, LocalPriority, OfficerProfile, TeamMembership, YouSaidWeDid

    for model, path, label, fields in (
        (YouSaidWeDid, "created_by__member", _("'You said, we did' items you recorded as staff"),
         ("title", "status", "created_at")),
        (OfficerProfile, "user__member", _("Your officer profile"),
         ("public_name", "about", "updated_at")),
        (TeamMembership, "user__member", _("Neighbourhood teams you are in"), ("team", "role")),
        (LocalPriority, "chosen_by__member", _("Local priorities you chose as staff"),
         ("team", "priority", "chosen_at")),
        (InboxReply, "assigned_to__member", _("Replies assigned to you as staff"),
         ("status", "created_at", "handled_at")),
        (EngagementEvent, "created_by__member", _("Engagement events you booked"),
         ("kind", "title", "starts_at")),
        (EventOutcome, "recorded_by__member", _("Event outcomes you recorded"),
         ("event", "attendance", "recorded_at")),
        (CommunityContact, "officer__member", _("Street contacts you recorded"),
         ("ward", "met_at")),
    ):  # fmt: skip
        personal_data.register(model, member_path=path, label=label, fields=fields, erase="keep")
