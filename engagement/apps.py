from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "You said, we did"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from accounts import personal_data
        from alerts.replies import register_reply_handler

        from .models import InboxReply, LocalPriority, OfficerProfile, TeamMembership, YouSaidWeDid
        from .replies import reply_received

        # Each member's reply goes to the inbox of their ward's team (or the team its
        # trigger words name).
        register_reply_handler(reply_received)

        # Staff who are also members: their public profile and team places are about
        # them (deleted on erasure); their work records are kept without their name.
        personal_data.register(
            OfficerProfile,
            member_path="user__member",
            label=_("Your public profile as an officer"),
            fields=("public_name", "about", "updated_at"),
        )
        personal_data.register(
            TeamMembership,
            member_path="user__member",
            label=_("Neighbourhood teams you are in"),
            fields=("team", "role"),
        )
        personal_data.register(
            YouSaidWeDid,
            member_path="created_by__member",
            label=_('"You said, we did" items you recorded as staff'),
            fields=("title", "area", "created_at"),
            erase="anonymise",
            anonymise=lambda qs: qs.update(created_by=None),
        )
        personal_data.register(
            LocalPriority,
            member_path="chosen_by__member",
            label=_("Local priorities you chose as staff"),
            fields=("team", "priority", "chosen_at"),
            erase="anonymise",
            anonymise=lambda qs: qs.update(chosen_by=None),
        )
        personal_data.register(
            InboxReply,
            member_path="assigned_to__member",
            label=_("Replies assigned to you as staff"),
            fields=("team", "status", "created_at"),
            erase="anonymise",
            anonymise=lambda qs: qs.update(assigned_to=None),
        )
