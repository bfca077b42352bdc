from django.contrib import admin

from .models import Delivery, Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "kind", "status", "area", "created_at", "sent_at")
    list_filter = ("kind", "status")
    search_fields = ("subject", "key")
    raw_id_fields = ("area", "created_by")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "message",
        "member",
        "user",
        "channel",
        "status",
        "attempts",
        "created_at",
    )
    list_filter = ("status", "channel")
    raw_id_fields = ("message", "member", "user")
