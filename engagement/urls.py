from django.urls import include, path

urlpatterns: list = [
    # Engagement events and street contacts.
    path("", include("engagement.events.urls")),
]
