from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.stages import AuthenticateStage
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from . import ratelimits
from .models import Member
from .permissions import staff_profile


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        # Failed sign-ins count per account *and* address: someone who knows an
        # officer's email address slows only themselves down, never the officer.
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}|{ratelimits.client_ip(request)}"

    def validation_error(self, code: str, *args):
        # Both failed-password and failed-code limits end here: record each refusal.
        request = allauth_context.request
        if code == "too_many_login_attempts" and request is not None:
            # At the two-factor step the account is known (the password was right):
            # the event names it, so an attack on one officer's codes can be seen.
            stage = getattr(request, "_login_stage", None)
            if stage is not None and stage.key == AuthenticateStage.key:
                ratelimits.refusal_record(request, action="mfa_code", user_id=stage.login.user.pk)
            else:
                ratelimits.refusal_record(request, action="login_failed")
        return super().validation_error(code, *args)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if staff_profile(request.user) is not None:
            return reverse("staff_home")
        if Member.objects.filter(user=request.user).exists():
            return reverse("member_account")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        # Where a new member lands once their email is confirmed (signed in on the spot).
        return reverse("member_account")

    def save_user(self, request, user, form, commit=True):
        """Members give their full name on the sign-up form (our User has ``name``)."""
        name = form.cleaned_data.get("name")
        if name:
            user.name = name
        return super().save_user(request, user, form, commit=commit)

    def get_email_verification_redirect_url(self, email_address) -> str:
        # A resident registered at the door has no password yet: tell them what now.
        if not self.request.user.is_authenticated and not email_address.user.has_usable_password():
            return reverse("member_email_confirmed")
        return super().get_email_verification_redirect_url(email_address)

    def format_email_subject(self, subject: str) -> str:
        return f"{settings.SITE_NAME}: {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails are ours (templates/account/email/): from the service's name,
        not the host name, and in the member's own language where they have one (else
        the language of the page that sent it)."""
        request = allauth_context.request
        domain = request.get_host() if request else urlsplit(settings.SITE_URL).netloc
        site = SimpleNamespace(name=settings.SITE_NAME, domain=domain)
        context = {"current_site": site, "FORCE_NAME": settings.FORCE_NAME, **context}
        language = (
            Member.objects.filter(user__email__iexact=email)
            .values_list("language", flat=True)
            .first()
        )
        with translation.override(language or translation.get_language()):
            super().send_mail(template_prefix, email, context)
