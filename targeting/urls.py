from django.urls import include, path

from . import views

urlpatterns = [
    # An area and its sub-areas or streets on a map.
    path("staff/areas/<str:code>/", views.area_detail, name="area_detail"),
    path("staff/priorities/", views.home, name="targeting_home"),
    path("staff/priorities/area/<str:code>/", views.area_page, name="targeting_area"),
    path(
        "staff/priorities/area/<str:code>/contacts/",
        views.key_contacts,
        name="targeting_contacts",
    ),
    path("staff/priorities/street/<int:pk>/", views.street_page, name="targeting_street"),
    path("staff/priorities/imports/", views.imports, name="targeting_imports"),
    path("staff/priorities/imports/<int:pk>/", views.import_job, name="targeting_import_job"),
    path(
        "staff/priorities/imports/<int:pk>/progress.json",
        views.import_job_progress,
        name="targeting_import_job_progress",
    ),
    path("staff/priorities/imports/<slug:kind>/", views.import_kind, name="targeting_import_kind"),
    path("staff/priorities/data/", views.data_status, name="targeting_data_status"),
    path("staff/priorities/weights/", views.weights, name="targeting_weights"),
    # Targeted set-ups and the doorstep (targeting/setups/).
    path("", include("targeting.setups.urls")),
    # Insight: representativeness, confidence and safety, coverage, engagement.
    path("", include("targeting.insight.urls")),
]
