from django.urls import path

from . import views

urlpatterns = [
    path("staff/events/", views.event_list, name="engagement_events"),
    path("staff/events/new/", views.event_new, name="engagement_event_new"),
    path("staff/events/<int:pk>/", views.event_detail, name="engagement_event"),
    path("staff/events/<int:pk>/outcome/", views.event_outcome, name="engagement_event_outcome"),
    path("staff/contacts/new/", views.contact_new, name="engagement_contact_new"),
]
