from django.urls import path

from . import views

urlpatterns = [
    # Replaces allauth's sign-up page (same URL and name) with the two-step version.
    path("accounts/signup/", views.signup, name="account_signup"),
    path("privacy/", views.privacy, name="member_privacy"),
    path("registered/confirmed/", views.email_confirmed, name="member_email_confirmed"),
    path("account-erased/", views.erased, name="member_erased"),
    path("my-account/", views.account, name="member_account"),
    path("my-account/details/", views.details, name="member_details"),
    path("my-account/move/", views.move, name="member_move"),
    path("my-account/about-you/", views.about_you, name="member_about_you"),
    path(
        "my-account/about-you/<str:item>/withdraw/",
        views.consent_withdraw,
        name="member_consent_withdraw",
    ),
    path("my-account/messages/stop/", views.stop_messages, name="member_stop_messages"),
    path("my-account/messages/resume/", views.resume_messages, name="member_resume_messages"),
    path("my-account/download/<str:fmt>/", views.download, name="member_download"),
    path("my-account/erase/", views.erase, name="member_erase"),
    path("staff/members/register/", views.doorstep, name="doorstep_register"),
]
