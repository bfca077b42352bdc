from django import forms
from django.core.exceptions import ValidationError

from areas.models import Area

from .models import StaffProfile, User

Role = StaffProfile.Role

# Which levels of area each role may be given as its scope.
ROLE_AREA_LEVELS = {
    Role.OFFICER: {Area.Level.WARD},
    Role.SUPERVISOR: {Area.Level.WARD, Area.Level.DISTRICT},
    Role.ANALYST: {Area.Level.DISTRICT, Area.Level.FORCE},
    Role.ADMIN: {Area.Level.DISTRICT, Area.Level.FORCE},
}


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        parent = f" ({obj.parent.name})" if obj.parent_id and obj.level == Area.Level.WARD else ""
        return f"{obj.name}{parent} · {obj.get_level_display()}"


class StaffForm(forms.Form):
    email = forms.EmailField(label="Email address")
    name = forms.CharField(label="Full name", max_length=150)
    role = forms.ChoiceField(choices=Role.choices)
    collar_number = forms.CharField(label="Collar number", max_length=20, required=False)
    areas = AreaChoiceField(
        queryset=Area.objects.select_related("parent").order_by("level", "parent__name", "name"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="Officers work in wards; supervisors in wards or districts; "
        "analysts and admins in districts or the whole force.",
    )

    def __init__(self, *args, instance: StaffProfile | None = None, allowed_areas=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "email": instance.user.email,
                    "name": instance.user.name,
                    "role": instance.role,
                    "collar_number": instance.collar_number,
                    "areas": list(instance.areas.all()),
                },
            )
        super().__init__(*args, **kwargs)
        if allowed_areas is not None:
            self.fields["areas"].queryset = self.fields["areas"].queryset.filter(
                pk__in=allowed_areas.values("pk")
            )
        if instance is not None:
            self.fields["email"].disabled = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.instance is None and User.objects.filter(email__iexact=email).exists():
            existing = User.objects.filter(email__iexact=email).first()
            if hasattr(existing, "staff"):
                raise ValidationError("A member of staff with this email address already exists.")
        return email

    def clean(self) -> dict:
        data = super().clean()
        role, areas = data.get("role"), data.get("areas")
        if role and areas:
            allowed = ROLE_AREA_LEVELS[Role(role)]
            wrong = [a.name for a in areas if a.level not in allowed]
            if wrong:
                levels = " or ".join(sorted(Area.Level(level).label.lower() for level in allowed))
                self.add_error(
                    "areas",
                    f"A {Role(role).label.lower()} works in a {levels}: remove {', '.join(wrong)}.",
                )
        return data
