from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from areas.selectors import area_outline_features, areas_bounds
from core.maps import Layer, map_html

from . import services
from .forms import StaffForm
from .models import StaffProfile
from .notices import staff_notices
from .permissions import (
    areas_for,
    public,
    staff_for,
    staff_profile,
    staff_required,
    wards_for,
)

Role = StaffProfile.Role


@public
def home(request: HttpRequest) -> HttpResponse:
    if staff_profile(request.user) is not None:
        return redirect("staff_home")
    return render(request, "home.html")


@staff_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    """The user's areas on a map, and the list of them."""
    scope = list(request.staff.areas.select_related("parent").order_by("level", "name"))
    wards = list(wards_for(request.user).select_related("parent").order_by("parent__name", "name"))
    shown = wards if len(wards) <= 40 else list(areas_for(request.user, level="district"))
    outlines = Layer(name="Areas", features=area_outline_features(shown))
    return render(
        request,
        "accounts/staff_home.html",
        {
            "scope": scope,
            "wards": wards,
            "notices": staff_notices(request),
            "map_html": map_html(
                layers=[outlines],
                label="Map of your areas" if shown else "Empty map",
                nonce=request.csp_nonce,
                fallback=lambda: areas_bounds(scope),
            ),
        },
    )


# --- Staff management (admins) --------------------------------------------------------------


@staff_required(Role.ADMIN)
def staff_list(request: HttpRequest) -> HttpResponse:
    qs = (
        staff_for(request.user)
        .select_related("user")
        .prefetch_related("areas")
        .order_by("-is_active", "user__name", "user__email")
    )
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(user__email__icontains=query) | qs.filter(user__name__icontains=query)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_list.html", {"page": page, "query": query})


@staff_required(Role.ADMIN)
def staff_create(request: HttpRequest) -> HttpResponse:
    form = StaffForm(request.POST or None, allowed_areas=areas_for(request.user))
    if request.method == "POST" and form.is_valid():
        profile, _ = services.staff_save(**form.cleaned_data)
        messages.success(
            request,
            f"{profile.user.email} can now sign in: we emailed them a link to choose a password.",
        )
        return redirect("staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "profile": None})


@staff_required(Role.ADMIN)
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_staff_for_admin(request, pk)
    form = StaffForm(request.POST or None, instance=profile, allowed_areas=areas_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"email": profile.user.email}
        services.staff_save(profile=profile, **data)
        messages.success(request, f"Saved the changes to {profile.user.email}.")
        return redirect("staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "profile": profile})


@staff_required(Role.ADMIN)
@require_POST
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_staff_for_admin(request, pk)
    if profile.user_id == request.user.pk:
        messages.error(request, "You cannot deactivate your own account.")
    else:
        services.staff_deactivate(profile=profile)
        messages.success(request, f"{profile.user.email} can no longer see staff pages.")
    return redirect("staff_list")


def _get_staff_for_admin(request: HttpRequest, pk: int) -> StaffProfile:
    return get_object_or_404(staff_for(request.user).select_related("user"), pk=pk)
