"""Django's admin, for superusers only: to anyone else signed in it does not exist."""

from __future__ import annotations

from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import Http404, HttpRequest


class SuperuserAdminSite(admin.AdminSite):
    """Like staff pages, the admin answers 404 rather than 403 to people who may not use
    it (Django's own ``is_staff`` flag is not enough). Anonymous visitors are sent to
    allauth's sign-in, with two-factor authentication."""

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def _refuse_signed_in(self, view):
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded

    def admin_view(self, view, cacheable: bool = False):
        return self._refuse_signed_in(super().admin_view(view, cacheable))

    def login(self, request: HttpRequest, extra_context=None):
        view = secure_admin_login(super().login)
        return self._refuse_signed_in(view)(request, extra_context)
