from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Messages"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from accounts import personal_data
        from accounts.members import history

        from .history import message_items
        from .models import (
            Delivery,
            DeliveryEvent,
            MemberPreferences,
            Message,
            Reply,
            SavedAudience,
        )

        history.register("messages", title=_("Messages"), items=message_items, order=10)

        # A mail provider's events (bounces, opens) through django-anymail's webhook.
        from anymail.signals import tracking

        from .tracking import tracking_received

        tracking.connect(tracking_received, dispatch_uid="alerts.tracking")

        # Messages sent to the member: deleted on erasure (they are about no one else).
        personal_data.register(
            Delivery,
            member_path="member",
            label=_("Messages sent to you"),
            fields=("message", "channel", "status", "to", "created_at", "sent_at"),
        )
        # Messages written by a member of staff who is also a member: kept (they are the
        # force's record of what was sent), without the author once the person is erased.
        personal_data.register(
            Message,
            member_path="created_by__member",
            label=_("Messages you wrote as staff"),
            fields=("subject", "area", "created_at", "sent_at"),
            erase="anonymise",
            anonymise=lambda qs: qs.update(created_by=None),
        )
        # The member's replies: their own words, deleted with them.
        personal_data.register(
            Reply,
            member_path="member",
            label=_("Your replies to messages"),
            fields=("message", "body", "received_at"),
        )
        personal_data.register(
            MemberPreferences,
            member_path="member",
            label=_("Your message preferences"),
            fields=("types", "quiet_start", "quiet_end", "email_suspended_at"),
        )
        personal_data.register(
            DeliveryEvent,
            member_path="delivery__member",
            label=_("What your mail provider reported about messages to you"),
            fields=("delivery", "kind", "at"),
        )
        personal_data.register(
            SavedAudience,
            member_path="created_by__member",
            label=_("Audiences you saved as staff"),
            fields=("name", "created_at"),
            erase="anonymise",
            anonymise=lambda qs: qs.update(created_by=None),
        )
