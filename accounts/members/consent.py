"""The consent wording shown to members, by version.

A ConsentRecord stores the version of the wording the person saw. When the wording
changes, add a new version here and set CURRENT_VERSION: old records keep pointing
at the words they agreed to.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

CURRENT_VERSION = "2026-01"

_SPECIAL_USE = _(
    "It is used only counted together with other people's answers, to check that every "
    "community is heard, and never to decide who is policed. I can withdraw my consent at "
    "any time and my answer will then be deleted."
)

WORDING: dict[str, dict[str, object]] = {
    "2026-01": {
        "registration": _(
            "I agree that %(force)s may hold my name, email address, postcode and the other "
            "details I give here, to send me local news and a short survey every three "
            "months. I can change my details, stop all messages or erase my account at any "
            "time."
        ),
        "about_you": _(
            "You may hold my answers about my age, sex and language to check that you hear "
            "from everyone. I can delete any answer at any time."
        ),
        "ethnic_group": _("I give my explicit consent for %(force)s to hold my ethnic group."),
        "religion": _("I give my explicit consent for %(force)s to hold my religion."),
        "disability": _(
            "I give my explicit consent for %(force)s to hold my answer about disability."
        ),
        "special_use": _SPECIAL_USE,
    }
}


def wording(item: str, *, version: str = CURRENT_VERSION) -> str:
    """The words shown for consent to ``item`` in ``version``, in the active language."""
    from .demographics import SPECIAL_ITEMS

    texts = WORDING[version]
    if item in SPECIAL_ITEMS:
        text = f"{texts[item]} {texts['special_use']}"
    elif item == "registration":
        text = str(texts["registration"])
    else:
        text = str(texts["about_you"])
    return text % {"force": settings.FORCE_NAME}
