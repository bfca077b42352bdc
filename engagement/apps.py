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
