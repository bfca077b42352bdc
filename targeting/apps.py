from django.apps import AppConfig


class TargetingConfig(AppConfig):
    name = "targeting"
    verbose_name = "Street priority targeting"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from accounts import personal_data
        from engagement.survey_facts import register_survey_facts

        from .engagement_facts import SurveysFacts
        from .models import CrimeImport, ImportJob, SetUp, SetUpComment, Visit

        # engagement shows survey priorities and results through targeting (it sits
        # beside surveys and may not import it).
        register_survey_facts(SurveysFacts())

        # Work records of staff, not data about members: kept on erasure (the link to
        # the person is set to null when their account is deleted).
        personal_data.register(
            ImportJob,
            member_path="created_by__member",
            label=_("Crime imports started"),
            fields=("created_at", "status"),
            erase="keep",
        )
        personal_data.register(
            CrimeImport,
            member_path="imported_by__member",
            label=_("Crime months imported"),
            fields=("imported_at", "month", "reported_by", "rows"),
            erase="keep",
        )
        # Set-ups planned, doors knocked and review comments: staff work records too.
        personal_data.register(
            SetUp,
            member_path="created_by__member",
            label=_("Targeted set-ups planned"),
            fields=("created_at", "name", "status"),
            erase="keep",
        )
        personal_data.register(
            Visit,
            member_path="officer__member",
            label=_("Doors knocked in set-ups"),
            fields=("visited_at", "outcome"),
            erase="keep",
        )
        personal_data.register(
            SetUpComment,
            member_path="author__member",
            label=_("Review comments on set-ups"),
            fields=("created_at", "text"),
            erase="keep",
        )
