from django.urls import path

from . import views

urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("manage/", views.staff_list, name="staff_list"),
    path("manage/new/", views.staff_create, name="staff_create"),
    path("manage/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("manage/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
]
