from django.urls import path

from . import views

urlpatterns = [
    path("staff/setups/", views.setup_list, name="setup_list"),
    path("staff/setups/new/", views.setup_create, name="setup_create"),
    path("staff/setups/<int:pk>/", views.setup_detail, name="setup_detail"),
    path("staff/setups/<int:pk>/officers/", views.setup_officers, name="setup_officers"),
    path("staff/setups/<int:pk>/status/", views.setup_status, name="setup_status"),
    path("staff/setups/<int:pk>/delete/", views.setup_delete, name="setup_delete"),
    path("staff/setups/<int:pk>/review/", views.setup_review, name="setup_review"),
    path("staff/setups/<int:pk>/visits.csv", views.setup_export, name="setup_export"),
    # The doorstep (officers' phones); the service worker's scope is this path.
    path("staff/doorstep/", views.doorstep_home, name="doorstep_home"),
    path("staff/doorstep/sw.js", views.doorstep_service_worker, name="doorstep_sw"),
    path("staff/doorstep/<int:pk>/", views.doorstep_setup, name="doorstep_setup"),
    path(
        "staff/doorstep/<int:pk>/street/<int:street>/",
        views.doorstep_street,
        name="doorstep_street",
    ),
    path(
        "staff/doorstep/<int:pk>/visits/<uuid:key>/survey/",
        views.doorstep_survey,
        name="doorstep_survey",
    ),
]
