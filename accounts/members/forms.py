"""Forms for members: sign-up, registration at the door, My account.

Everything works without JavaScript: the street list depends on the postcode, so the
postcode comes first (a GET form), then the full form lists the streets near it. If
the postcode is changed on the full form, the street list follows it and the person is
asked to choose again; everything else they typed is kept.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.models import CommunityGroup, ConsentRecord, Member, User
from areas.models import Area, Postcode, Street
from areas.selectors import postcode_lookup

from . import consent as consent_wording
from . import services
from .botcheck import BotCheckMixin
from .demographics import (
    ITEMS,
    PREFER_NOT_TO_SAY,
    PREFER_NOT_TO_SAY_LABEL,
    SPECIAL_ITEMS,
    ethnic_group_choices,
    needs_explicit_consent,
)
from .phone import display_mobile, normalise_mobile
from .selectors import community_groups, streets_near

# Names of the community groups (data in fixtures/), listed here to be translated.
COMMUNITY_GROUP_NAMES = (
    gettext_noop("Neighbourhood Watch"),
    gettext_noop("Independent advisory group"),
    gettext_noop("Faith group"),
    gettext_noop("Business"),
    gettext_noop("School / youth"),
    gettext_noop("Disability"),
    gettext_noop("LGBT+"),
    gettext_noop("Farming / rural"),
    gettext_noop("Other"),
)

ITEM_LABELS = {
    "age_band": _("Age"),
    "sex": _("Sex"),
    "ethnic_group": _("Ethnic group"),
    "religion": _("Religion"),
    "disability": _(
        "Are your day-to-day activities limited by a health problem or disability "
        "lasting, or expected to last, 12 months or more?"
    ),
    "main_language": _("Main language"),
}


# --- Postcode and street ----------------------------------------------------------------------


class PostcodeField(forms.CharField):
    """Cleans what was typed to a Postcode in the force area, with a friendly message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Postcode"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "postal-code",
                    "autocapitalize": "characters",
                    "spellcheck": "false",
                    "class": "input-postcode",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value) -> Postcode | None:
        text = super().clean(value)
        if not text:
            return None
        result = postcode_lookup(text)
        if not result.ok:
            raise forms.ValidationError(result.message, code=str(result.status))
        return result.postcode


class StreetField(forms.ChoiceField):
    """A street id from the list shown; checked against that list in ``clean_street``."""

    def valid_value(self, value) -> bool:
        return True


class PostcodeStepForm(forms.Form):
    """Step one: where do you live? (A GET form: it changes nothing.)"""

    postcode = PostcodeField(
        help_text=_("We use it to put you in touch with the officers for your area."),
    )

    def __init__(self, *args, allowed_wards: QuerySet[Area] | None = None, **kwargs):
        self.allowed_wards = allowed_wards
        super().__init__(*args, **kwargs)

    def clean_postcode(self) -> Postcode:
        return _check_in_wards(self.cleaned_data["postcode"], self.allowed_wards)


def _check_in_wards(postcode: Postcode, allowed_wards: QuerySet[Area] | None) -> Postcode:
    if allowed_wards is not None and not allowed_wards.filter(pk=postcode.ward_id).exists():
        raise forms.ValidationError(
            gettext("%(postcode)s is in %(ward)s ward, which is not one of your wards.")
            % {"postcode": postcode.code, "ward": postcode.ward.name},
            code="out_of_scope",
        )
    return postcode


class PlaceMixin(forms.Form):
    """Postcode plus an optional street chosen from the streets nearest to it."""

    postcode = PostcodeField()
    street = StreetField(
        label=_("Street"),
        required=False,
        help_text=_("Optional: it helps officers know which street you mean when you reply."),
    )

    allowed_wards: QuerySet[Area] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.place_postcode = self._postcode_shown()
        self.streets = streets_near(self.place_postcode) if self.place_postcode else []
        self.fields["street"].choices = [("", _("Choose your street (optional)"))] + [
            (str(s.pk), s.label) for s in self.streets
        ]

    def _postcode_shown(self) -> Postcode | None:
        if self.is_bound:
            text = self.data.get(self.add_prefix("postcode"), "")
        else:
            text = self.initial.get("postcode") or ""
            if isinstance(text, Postcode):
                return text
        result = postcode_lookup(text) if text else None
        return result.postcode if result and result.ok else None

    def clean_postcode(self) -> Postcode:
        return _check_in_wards(self.cleaned_data["postcode"], self.allowed_wards)

    def clean_street(self) -> Street | None:
        value = self.cleaned_data.get("street")
        if not value or self.place_postcode is None:
            return None
        by_id = {str(s.pk): s for s in self.streets}
        if value not in by_id:
            raise forms.ValidationError(
                _(
                    "The list of streets now shows streets near %(postcode)s: choose your "
                    "street again, or leave it blank."
                )
                % {"postcode": self.place_postcode.code},
                code="street_moved",
            )
        return by_id[value]


# --- Contact preferences ------------------------------------------------------------------


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CommunityGroup) -> str:
        return gettext(obj.name)


class PreferencesMixin(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        help_text=_("Optional. Only for text messages, if you choose them."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    by_email = forms.BooleanField(label=_("Email"), required=False, initial=True)
    by_sms = forms.BooleanField(label=_("Text message (SMS)"), required=False)
    max_frequency = forms.ChoiceField(
        label=_("How often, at most?"),
        choices=Member.Frequency.choices,
        initial=Member.Frequency.ANY,
        widget=forms.RadioSelect,
    )
    groups = GroupChoiceField(
        label=_("Are you part of any of these groups?"),
        queryset=CommunityGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional. Officers use this to reach the right people."),
    )
    key_contact = forms.BooleanField(
        label=_("I am happy to be a key contact for my local officers"),
        required=False,
        help_text=_("Now and then they may ask your view on something happening locally."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = community_groups()

    def clean_phone(self) -> str:
        text = self.cleaned_data.get("phone", "").strip()
        if not text:
            return ""
        phone = normalise_mobile(text)
        if phone is None:
            raise forms.ValidationError(
                _("Enter a UK mobile number, like 07700 900123."), code="phone"
            )
        return phone

    def clean(self):
        data = super().clean()
        if data.get("by_sms") and "phone" in data and not data.get("phone"):
            self.add_error("phone", _("Enter a mobile number to get text messages."))
        if not data.get("by_email") and not data.get("by_sms"):
            self.add_error("by_email", _("Choose at least one way to hear from us."))
        return data

    def preferences(self) -> dict:
        d = self.cleaned_data
        return {
            "phone": d["phone"],
            "by_email": d["by_email"],
            "by_sms": d["by_sms"],
            "max_frequency": d["max_frequency"],
            "groups": list(d["groups"]),
            "key_contact": d["key_contact"],
        }


# --- About you -------------------------------------------------------------------------------


class DemographicsMixin(forms.Form):
    """The six optional questions; special categories need their consent box ticked."""

    doorstep = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, (choices, special) in ITEMS.items():
            if item == "ethnic_group":  # grouped as on the census form
                options = [*ethnic_group_choices(), (PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL)]
            else:
                options = choices.choices
            self.fields[item] = forms.ChoiceField(
                label=ITEM_LABELS[item],
                required=False,
                choices=[("", _("Not answered")), *options],
            )
            if special:
                wording = consent_wording.wording(item)
                if self.doorstep:
                    wording = gettext("The resident agrees: %(wording)s") % {"wording": wording}
                self.fields[f"consent_{item}"] = forms.BooleanField(label=wording, required=False)
                # The error summary names the box in a few words, not the whole paragraph.
                self.fields[f"consent_{item}"].short_label = gettext(
                    "Consent for “%(question)s”"
                ) % {"question": ITEM_LABELS[item]}

    def clean(self):
        data = super().clean()
        for item in SPECIAL_ITEMS:
            if needs_explicit_consent(item, data.get(item, "")) and not data.get(f"consent_{item}"):
                self.add_error(
                    f"consent_{item}",
                    _("Tick the box to give your consent, or choose “Prefer not to say”."),
                )
        return data

    def about_you_wording(self) -> str:
        """The consent a person gives by answering the age, sex or language question."""
        return consent_wording.wording("age_band")

    def about_you_open(self) -> bool:
        """Show the (folded) questions open when they hold answers or errors."""
        names = [*ITEMS, *(f"consent_{item}" for item in SPECIAL_ITEMS)]
        if any(self[name].errors for name in names if self.is_bound):
            return True
        source = self.data if self.is_bound else self.initial
        return any(source.get(self.add_prefix(item)) for item in ITEMS)

    def demographics_answers(self, *, include_empty: bool = False) -> dict[str, str]:
        answers = {item: self.cleaned_data.get(item, "") for item in ITEMS}
        return answers if include_empty else {k: v for k, v in answers.items() if v}

    def explicit_consent(self) -> set[str]:
        return {item for item in SPECIAL_ITEMS if self.cleaned_data.get(f"consent_{item}")}

    def demographic_fields(self) -> list:
        """(answer, consent or None) bound-field pairs in question order, for templates."""
        pairs = []
        for item in ITEMS:
            consent = self[f"consent_{item}"] if f"consent_{item}" in self.fields else None
            pairs.append((self[item], consent))
        return pairs


# --- Sign-up (django-allauth) ------------------------------------------------------------------


class MemberSignupForm(BotCheckMixin, PlaceMixin, PreferencesMixin, DemographicsMixin, SignupForm):
    """allauth's sign-up with everything a member needs; ``ACCOUNT_FORMS["signup"]``."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    agree = forms.BooleanField(
        label="",
        error_messages={"required": _("You need to agree to this to register.")},
    )

    field_order = [
        "name", "email", "password1", "password2", "postcode", "street", "phone", "by_email",
        "by_sms", "max_frequency", "groups", "key_contact", *ITEMS, "agree",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agree"].label = consent_wording.wording("registration")
        self.fields["agree"].short_label = gettext("Agreement to register")
        self.fields["email"].label = _("Email address")
        self.fields["email"].help_text = _("We will send you a link to check it is yours.")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        for name in ("password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.attrs.pop("placeholder", None)
        if "password1" in self.fields:
            self.fields["password1"].help_text = _(
                "At least 8 characters; not only numbers, and not a common password."
            )

    def try_save(self, request):
        if self.is_bot:
            # Tell a bot nothing: the same page as a real sign-up, and nothing stored.
            return None, get_adapter().respond_email_verification_sent(request, None)
        return super().try_save(request)

    def save(self, request) -> User:
        with transaction.atomic():
            user = super().save(request)
            services.member_register(
                user=user,
                postcode=self.cleaned_data["postcode"],
                street=self.cleaned_data["street"],
                **self.preferences(),
                demographics=self.demographics_answers(),
                explicit_consent=self.explicit_consent(),
                how=ConsentRecord.How.ONLINE,
                language=get_language() or settings.LANGUAGE_CODE,
            )
        return user


# --- Registration at the door ------------------------------------------------------------------


class DoorstepForm(PlaceMixin, PreferencesMixin, DemographicsMixin, forms.Form):
    """An officer registers the resident they are with."""

    doorstep = True

    name = forms.CharField(label=_("Resident's name"), max_length=150)
    email = forms.EmailField(
        label=_("Resident's email address"),
        help_text=_("They will get an email asking them to confirm it."),
    )
    language = forms.ChoiceField(label=_("Language for their messages"), choices=settings.LANGUAGES)
    agree = forms.BooleanField(
        label="",
        error_messages={"required": _("The resident needs to agree to be registered.")},
    )

    def __init__(self, *args, allowed_wards: QuerySet[Area], **kwargs):
        self.allowed_wards = allowed_wards
        super().__init__(*args, **kwargs)
        self.fields["agree"].label = gettext("The resident agrees: %(wording)s") % {
            "wording": consent_wording.wording("registration")
        }
        self.fields["agree"].short_label = gettext("Agreement to register")
        self.fields["language"].initial = get_language()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


# --- My account --------------------------------------------------------------------------------


class DetailsForm(PreferencesMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    street = StreetField(label=_("Street"), required=False)
    language = forms.ChoiceField(
        label=_("Language for messages"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, member: Member, **kwargs):
        self.member = member
        kwargs.setdefault(
            "initial",
            {
                "name": member.user.name,
                "phone": display_mobile(member.phone),
                "street": str(member.street_id or ""),
                "by_email": member.by_email,
                "by_sms": member.by_sms,
                "max_frequency": member.max_frequency,
                "groups": list(member.groups.all()),
                "key_contact": member.key_contact,
                "language": member.language,
            },
        )
        super().__init__(*args, **kwargs)
        self.streets = streets_near(member.postcode)
        self.fields["street"].choices = [("", _("No street chosen"))] + [
            (str(s.pk), s.label) for s in self.streets
        ]

    def clean_street(self) -> Street | None:
        value = self.cleaned_data.get("street")
        if not value:
            return None
        by_id = {str(s.pk): s for s in self.streets}
        if value not in by_id:
            raise forms.ValidationError(_("Choose a street from the list."), code="street")
        return by_id[value]


class MoveForm(PlaceMixin, forms.Form):
    """A new postcode, and a street near it."""

    postcode = PostcodeField(label=_("Your new postcode"))


class DemographicsForm(DemographicsMixin, forms.Form):
    pass


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be deleted for good."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="password")
        return password
