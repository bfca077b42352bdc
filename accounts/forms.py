from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

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


class AreaTreeWidget(forms.CheckboxSelectMultiple):
    """The areas as a tree of checkboxes (force > district > ward) folded in a <details>,
    with a filter box that ``static/js/area_picker.js`` shows and runs: choosing needs
    neither Ctrl-click nor JavaScript."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        chosen = {str(v) for v in (value or [])}
        areas = list(self.choices.queryset)
        ids = {a.pk for a in areas}
        children: dict[int | None, list[Area]] = {}
        for area in areas:
            parent = area.parent_id if area.parent_id in ids else None
            children.setdefault(parent, []).append(area)

        def branch(parent: int | None) -> list[dict]:
            return [
                {
                    "area": a,
                    "checked": str(a.pk) in chosen,
                    "children": branch(a.pk),
                }
                for a in sorted(children.get(parent, []), key=lambda a: a.name)
            ]

        base_id = (attrs or {}).get("id") or f"id_{name}"
        return render_to_string(
            "accounts/area_picker.html",
            {
                "name": name,
                "id": base_id,
                "tree": branch(None),
                "chosen": [a for a in areas if str(a.pk) in chosen],
                # Open when nothing is chosen yet, or the choice has an error to mend.
                "open": not chosen or bool(self.attrs.get("open")),
            },
        )

    def id_for_label(self, id_: str) -> str:
        # The error summary points at the tree itself (the filter box needs JavaScript).
        return f"{id_}_tree" if id_ else id_


class AreaChoiceField(forms.ModelMultipleChoiceField):
    widget = AreaTreeWidget

    def label_from_instance(self, obj: Area) -> str:
        parent = f" ({obj.parent.name})" if obj.parent_id and obj.level == Area.Level.WARD else ""
        return f"{obj.name}{parent} · {obj.get_level_display()}"


class StaffForm(forms.Form):
    email = forms.EmailField(label="Email address")
    name = forms.CharField(label="Full name", max_length=150)
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    collar_number = forms.CharField(
        label="Collar number", max_length=20, required=False, help_text="Optional."
    )
    areas = AreaChoiceField(
        label="Areas they work in",
        queryset=Area.objects.select_related("parent").order_by("level", "parent__name", "name"),
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

    def _post_clean(self) -> None:
        super()._post_clean()
        if "areas" in self._errors:
            self.fields["areas"].widget.attrs["open"] = True

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
                who = Role(role).label.lower()
                article = "An" if who[0] in "aeiou" else "A"
                self.add_error(
                    "areas", f"{article} {who} works in a {levels}: remove {', '.join(wrong)}."
                )
        return data
