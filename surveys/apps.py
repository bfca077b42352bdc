from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Quarterly survey"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from accounts.members import history
        from accounts.retention import register_activity
        from alerts.models import Message
        from alerts.rendering import register_renderer
        from alerts.versions import register_version_chooser

        from .history import survey_items
        from .messages import prefetch_invitations, render_invitation, render_reminder
        from .personal_data import register_survey_models, survey_activity
        from .versions import SurveyVersionChooser

        for kind, renderer in (
            (Message.Kind.SURVEY_INVITATION, render_invitation),
            (Message.Kind.SURVEY_REMINDER, render_reminder),
        ):
            register_renderer(kind, renderer, prefetch=prefetch_invitations)
        # Officers' messages: the "You said, we did" version by what each member answered.
        register_version_chooser(SurveyVersionChooser())
        register_survey_models()
        register_activity("surveys", survey_activity)
        history.register("surveys", title=_("Your surveys"), items=survey_items, order=20)
