from django.urls import path

from . import views

urlpatterns = [
    path("messages/stop/<str:token>/", views.unsubscribe, name="alerts_unsubscribe"),
]
