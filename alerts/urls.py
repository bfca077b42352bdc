from django.conf import settings
from django.urls import include, path

from .views import dev, public, staff

urlpatterns = [
    # Links in messages (no sign-in).
    path("messages/stop/<str:token>/", public.unsubscribe, name="alerts_unsubscribe"),
    path("messages/reply/<str:token>/", public.reply, name="alerts_reply"),
    path("messages/preferences/<str:token>/", public.preferences, name="alerts_preferences"),
    path(
        "messages/preferences/confirm/<str:token>/",
        public.preferences_confirm,
        name="alerts_preferences_confirm",
    ),
    # Senders' pages.
    path("staff/messages/", staff.message_list, name="alerts_messages"),
    path("staff/messages/new/", staff.message_new, name="alerts_message_new"),
    path("staff/messages/settings/", staff.messaging_settings, name="alerts_settings"),
    path(
        "staff/messages/engagement/<str:code>/",
        staff.area_engagement,
        name="alerts_engagement",
    ),
    path("staff/messages/<int:pk>/", staff.message_preview, name="alerts_message_preview"),
    path("staff/messages/<int:pk>/edit/", staff.message_edit, name="alerts_message_edit"),
    path("staff/messages/<int:pk>/send/", staff.message_send, name="alerts_message_send"),
    path(
        "staff/messages/<int:pk>/recipients/",
        staff.message_recipients,
        name="alerts_message_recipients",
    ),
    # Development: what the local SMTP server received (404 unless DEBUG).
    path("dev/mail/", dev.mailbox, name="alerts_dev_mail"),
    path("dev/mail/<str:name>/", dev.mail_detail, name="alerts_dev_mail_detail"),
]

# Production: the mail provider's tracking webhook (django-anymail; basic auth with the
# secret), whose bounce and open events alerts.tracking records.
if getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
    urlpatterns.append(path("anymail/", include("anymail.urls")))
