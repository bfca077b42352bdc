from django.urls import path

from . import views

urlpatterns = [
    path("<str:code>/", views.area_detail, name="area_detail"),
]
