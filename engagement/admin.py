from django.contrib import admin

from .models import Team, TeamMembership, TriggerWord, YouSaidWeDid


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    raw_id_fields = ("user",)
    extra = 0


class TriggerWordInline(admin.TabularInline):
    model = TriggerWord
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "is_neighbourhood", "digest_sent_at")
    list_filter = ("is_neighbourhood",)
    search_fields = ("name", "area__name", "area__code")
    raw_id_fields = ("area",)
    inlines = [MembershipInline, TriggerWordInline]


@admin.register(YouSaidWeDid)
class YouSaidWeDidAdmin(admin.ModelAdmin):
    list_display = ("title", "area", "status", "source", "created_at", "done_at")
    list_filter = ("status", "source")
    search_fields = ("title",)
    raw_id_fields = ("area", "created_by", "message")
