from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Quarterly survey"

    def ready(self) -> None:
        from alerts.models import Message
        from alerts.rendering import register_renderer

        from .messages import render_invitation, render_reminder
        from .personal_data import register_survey_models

        register_renderer(Message.Kind.SURVEY_INVITATION, render_invitation)
        register_renderer(Message.Kind.SURVEY_REMINDER, render_reminder)
        register_survey_models()
