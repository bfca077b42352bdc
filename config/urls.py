from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

admin.site.site_header = f"{settings.SITE_NAME} administration"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Member pages; their sign-up replaces allauth's, so they come before allauth's URLs.
    path("", include("accounts.members.urls")),
    path("accounts/", include("allauth.urls")),
    path("staff/", include("accounts.urls")),
    path("", include("alerts.urls")),
    path("", include("surveys.urls")),
    path("", include("engagement.urls")),
    path("", include("targeting.urls")),
    path("django-admin/", admin.site.urls),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
handler403 = "config.views.forbidden"
handler429 = "config.views.rate_limited"
