"""The optional "about you" questions, with Census 2021 categories.

Every question can be answered "prefer not to say". Ethnic group, religion and
disability are special-category data: they are stored only with explicit consent
(a ConsentRecord), and deleted, not hidden, when consent is withdrawn.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PREFER_NOT_TO_SAY = "prefer_not_to_say"
PREFER_NOT_TO_SAY_LABEL = _("Prefer not to say")


class AgeBand(models.TextChoices):
    A16_24 = "16-24", _("16 to 24")
    A25_34 = "25-34", _("25 to 34")
    A35_44 = "35-44", _("35 to 44")
    A45_54 = "45-54", _("45 to 54")
    A55_64 = "55-64", _("55 to 64")
    A65_74 = "65-74", _("65 to 74")
    A75 = "75+", _("75 or over")
    PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class EthnicGroup(models.TextChoices):
    """The 19 Census 2021 ethnic groups (England and Wales)."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", _("Bangladeshi")
    ASIAN_CHINESE = "asian_chinese", _("Chinese")
    ASIAN_INDIAN = "asian_indian", _("Indian")
    ASIAN_PAKISTANI = "asian_pakistani", _("Pakistani")
    ASIAN_OTHER = "asian_other", _("Any other Asian background")
    BLACK_AFRICAN = "black_african", _("African")
    BLACK_CARIBBEAN = "black_caribbean", _("Caribbean")
    BLACK_OTHER = "black_other", _("Any other Black, Black British or Caribbean background")
    MIXED_WHITE_ASIAN = "mixed_white_asian", _("White and Asian")
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", _("White and Black African")
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", _("White and Black Caribbean")
    MIXED_OTHER = "mixed_other", _("Any other Mixed or Multiple ethnic background")
    WHITE_BRITISH = "white_british", _("English, Welsh, Scottish, Northern Irish or British")
    WHITE_IRISH = "white_irish", _("Irish")
    WHITE_GYPSY = "white_gypsy_traveller", _("Gypsy or Irish Traveller")
    WHITE_ROMA = "white_roma", _("Roma")
    WHITE_OTHER = "white_other", _("Any other White background")
    OTHER_ARAB = "other_arab", _("Arab")
    OTHER_ANY = "other_any", _("Any other ethnic group")
    PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class EthnicHighLevel(models.TextChoices):
    """The five high-level Census 2021 groups, as in table TS021."""

    ASIAN = "asian", _("Asian, Asian British or Asian Welsh")
    BLACK = "black", _("Black, Black British, Black Welsh, Caribbean or African")
    MIXED = "mixed", _("Mixed or Multiple ethnic groups")
    WHITE = "white", _("White")
    OTHER = "other", _("Other ethnic group")


def ethnic_high_level(value: str) -> str | None:
    """``"asian_indian"`` -> ``"asian"``; None for no answer or "prefer not to say"."""
    if not value or value == PREFER_NOT_TO_SAY:
        return None
    return value.split("_", 1)[0]


def ethnic_group_choices() -> list:
    """Grouped choices for a select (an <optgroup> per high-level group)."""
    grouped = []
    for high in EthnicHighLevel:
        options = [(c.value, c.label) for c in EthnicGroup if ethnic_high_level(c.value) == high]
        grouped.append((high.label, options))
    return grouped


class Religion(models.TextChoices):
    NONE = "none", _("No religion")
    CHRISTIAN = "christian", _("Christian")
    BUDDHIST = "buddhist", _("Buddhist")
    HINDU = "hindu", _("Hindu")
    JEWISH = "jewish", _("Jewish")
    MUSLIM = "muslim", _("Muslim")
    SIKH = "sikh", _("Sikh")
    OTHER = "other", _("Any other religion")
    PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class Disability(models.TextChoices):
    """Census 2021: day-to-day activities limited by a long-term condition."""

    LIMITED_A_LOT = "limited_a_lot", _("Yes, limited a lot")
    LIMITED_A_LITTLE = "limited_a_little", _("Yes, limited a little")
    NOT_LIMITED = "no", _("No")
    PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class MainLanguage(models.TextChoices):
    """The main languages of Humberside residents (Census 2021), and "another"."""

    ENGLISH = "en", pgettext_lazy("language", "English")
    POLISH = "pl", pgettext_lazy("language", "Polish")
    ROMANIAN = "ro", pgettext_lazy("language", "Romanian")
    KURDISH = "ku", pgettext_lazy("language", "Kurdish")
    ARABIC = "ar", pgettext_lazy("language", "Arabic")
    LITHUANIAN = "lt", pgettext_lazy("language", "Lithuanian")
    LATVIAN = "lv", pgettext_lazy("language", "Latvian")
    RUSSIAN = "ru", pgettext_lazy("language", "Russian")
    PORTUGUESE = "pt", pgettext_lazy("language", "Portuguese")
    BULGARIAN = "bg", pgettext_lazy("language", "Bulgarian")
    PERSIAN = "fa", pgettext_lazy("language", "Persian or Farsi")
    URDU = "ur", pgettext_lazy("language", "Urdu")
    PANJABI = "pa", pgettext_lazy("language", "Panjabi")
    BENGALI = "bn", pgettext_lazy("language", "Bengali")
    CHINESE = "zh", pgettext_lazy("language", "Chinese")
    TIGRINYA = "ti", pgettext_lazy("language", "Tigrinya")
    BSL = "bfi", pgettext_lazy("language", "British Sign Language")
    OTHER = "other", pgettext_lazy("language", "Another language")
    PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


# item -> (choices, special category?) in the order the questions are asked.
ITEMS: dict[str, tuple[type[models.TextChoices], bool]] = {
    "age_band": (AgeBand, False),
    "sex": (Sex, False),
    "ethnic_group": (EthnicGroup, True),
    "religion": (Religion, True),
    "disability": (Disability, True),
    "main_language": (MainLanguage, False),
}
SPECIAL_ITEMS = tuple(item for item, (_c, special) in ITEMS.items() if special)


def needs_explicit_consent(item: str, value: str) -> bool:
    """A real answer to a special-category question; "prefer not to say" needs none."""
    return item in SPECIAL_ITEMS and bool(value) and value != PREFER_NOT_TO_SAY
