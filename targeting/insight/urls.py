from django.urls import path

from . import views

urlpatterns = [
    path("staff/insight/representation/", views.representation, name="insight_representation"),
    path(
        "staff/insight/representation/export.csv",
        views.representation_export,
        name="insight_representation_export",
    ),
    path("staff/insight/confidence/", views.confidence_page, name="insight_confidence"),
    path(
        "staff/insight/confidence/export.csv",
        views.confidence_export,
        name="insight_confidence_export",
    ),
    path("staff/insight/households/", views.households_page, name="insight_households"),
    path(
        "staff/insight/households/export.csv",
        views.households_export,
        name="insight_households_export",
    ),
    path("staff/insight/engagement/", views.engagement_page, name="insight_engagement"),
    path(
        "staff/insight/engagement/export.csv",
        views.engagement_export,
        name="insight_engagement_export",
    ),
    path("staff/insight/settings/", views.settings_page, name="insight_settings"),
    path("staff/insight/briefing/", views.briefing_page, name="insight_briefing"),
]
