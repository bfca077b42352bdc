from django.apps import AppConfig


class TargetingConfig(AppConfig):
    name = "targeting"
    verbose_name = "Street priority targeting"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from accounts import personal_data
        from accounts.notices import register_staff_notice
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
        for model, path, label, fields in (
            (SetUp, "officers__member", _("Targeted set-ups you were assigned to"),
             ("name", "status", "starts_on", "ends_on")),
            (SetUpComment, "author__member", _("Comments on set-ups"),
             ("setup", "text", "created_at")),
            (Visit, "officer__member", _("Door-knock visits you recorded"),
             ("setup", "street", "outcome", "visited_at")),
        ):  # fmt: skip
            personal_data.register(
                model, member_path=path, label=label, fields=fields, erase="keep"
            )
        # Every member of staff is told on their home page when the crime data is old.
        register_staff_notice(stale_crime_notice)

        # The officer's weekly briefing goes through the outbox, rendered here.
        from alerts.models import Message
        from alerts.rendering import register_renderer

        from .insight.briefing_mail import render_briefing

        register_renderer(Message.Kind.BRIEFING, render_briefing)


def stale_crime_notice(request) -> str | None:
    from django.utils.formats import date_format
    from django.utils.translation import ngettext

    from .selectors import crime_data_stale

    stale = crime_data_stale()
    if stale is None:
        return None
    return ngettext(
        "The latest crime data is for %(month)s, %(months)s month ago: the scores do not "
        "show what happened since.",
        "The latest crime data is for %(month)s, %(months)s months ago: the scores do not "
        "show what happened since.",
        stale["months"],
    ) % {"month": date_format(stale["latest"], "F Y"), "months": stale["months"]}
