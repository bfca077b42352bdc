"""Django admin: the priority taxonomy and rounds. Templates are edited in the app's own
editor (staff/surveys/templates/), which keeps published versions frozen."""

from django.contrib import admin

from .models import Priority, Round


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    ordering = ("order",)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("starts_on", "ends_on")
