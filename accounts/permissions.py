"""The one place that decides what a member of staff may see.

Every staff view is wrapped in :func:`staff_required` and loads scoped objects through
the helpers here. An object outside the user's scope is a 404, exactly as if it did not
exist (the same answer for "not found" and "not yours").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from areas.models import Area

from .models import Member, StaffProfile, User

Role = StaffProfile.Role
ALL_ROLES = tuple(Role)
# Roles that see aggregates across their scope beyond wards (districts, the force).
MANAGEMENT_ROLES = (Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)
# Roles that see people's contact details (key contacts): the officers and supervisors
# who work the area. Analysts and admins see aggregates only.
CONTACT_ROLES = (Role.OFFICER, Role.SUPERVISOR)

# Marks views so the URL audit test can tell a checked view from a forgotten one.
ACCESS_ATTR = "access_rule"


def mark_access(rule: str) -> Callable:
    """Label a view with its access rule (``public``, ``member``, ``staff``...)."""

    def decorate(view: Callable) -> Callable:
        setattr(view, ACCESS_ATTR, rule)
        return view

    return decorate


public = mark_access("public")


def member_required(view: Callable) -> Callable:
    """Members of the public signed in to their own account (My account pages).

    Anonymous visitors go to the sign-in page; someone signed in without a member
    profile (staff who never registered) gets a 404. The view gets ``request.member``.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = (
            Member.objects.select_related("user", "postcode", "ward", "street")
            .filter(user=request.user)
            .first()
        )
        if member is None:
            raise Http404
        request.member = member
        return view(request, *args, **kwargs)

    setattr(wrapper, ACCESS_ATTR, "member")
    return wrapper


def staff_profile(user: User) -> StaffProfile | None:
    if not user.is_authenticated:
        return None
    try:
        profile = user.staff
    except StaffProfile.DoesNotExist:
        return None
    return profile if profile.is_active and user.is_active else None


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_required(*roles: str, force_wide: bool = False) -> Callable:
    """Staff of the given roles (all staff if none), signed in with two-factor set up.

    Anonymous users go to the sign-in page. Someone signed in who is not staff, or not
    of the role, gets a 404: staff pages do not admit that they exist. Staff without an
    authenticator are sent to set one up before any staff page. ``force_wide`` pages
    change what holds for the whole force (the quarterly survey, scoring weights): they
    are for staff whose scope is a whole force, and a 404 for a district's admin.
    """
    allowed = tuple(roles) or ALL_ROLES

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            profile = staff_profile(request.user)
            if profile is None or profile.role not in allowed:
                raise Http404
            if force_wide and not is_force_wide(request.user):
                raise Http404
            if not has_totp(request.user):
                return redirect("mfa_activate_totp")
            request.staff = profile
            return view(request, *args, **kwargs)

        rule = "staff:" + ",".join(allowed) + (":force-wide" if force_wide else "")
        setattr(wrapper, ACCESS_ATTR, rule)
        return wrapper

    return decorate


def is_force_wide(user: User) -> bool:
    """Does the user's scope hold a whole force (not only districts or wards of one)?"""
    profile = staff_profile(user)
    return profile is not None and profile.is_force_wide


# --- Scope --------------------------------------------------------------------------------


def scope_ids(user: User) -> list[int]:
    """The ids of the user's own scope areas (read once per request)."""
    return list(_scope_ids(user))


def _scope_ids(user: User) -> list[int]:
    profile = staff_profile(user)
    if profile is None:
        return []
    cached = getattr(profile, "_scope_ids", None)
    if cached is None:
        cached = list(profile.areas.values_list("pk", flat=True))
        profile._scope_ids = cached
    return cached


def areas_for(user: User, *, level: str | None = None) -> QuerySet[Area]:
    """The areas a user may see: their scope areas and everything below them."""
    ids = _scope_ids(user)
    qs = Area.objects.at_or_below(ids)
    if level:
        qs = qs.filter(level=level)
    return qs


def wards_for(user: User) -> QuerySet[Area]:
    return areas_for(user, level=Area.Level.WARD)


def get_area_for_user(user: User, code: str) -> Area:
    """The area with this ONS code if the user may see it; otherwise 404."""
    try:
        return areas_for(user).select_related("parent").get(code=code)
    except Area.DoesNotExist:
        raise Http404 from None


def scope_queryset(qs: QuerySet, user: User, *, ward_field: str = "ward") -> QuerySet:
    """Restrict any queryset with a ward relation to the user's wards."""
    return qs.filter(**{f"{ward_field}__in": wards_for(user)})


def get_scoped_object_or_404(
    qs: QuerySet, user: User, *, ward_field: str = "ward", **lookup
) -> Model:
    try:
        return scope_queryset(qs, user, ward_field=ward_field).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None


def user_has_role(user: User, roles: Iterable[str]) -> bool:
    profile = staff_profile(user)
    return profile is not None and profile.role in tuple(roles)


def staff_for(user: User) -> QuerySet[StaffProfile]:
    """Staff an admin may manage: those working in at least one of the admin's areas."""
    visible = areas_for(user)
    return StaffProfile.objects.filter(Q(areas__in=visible) | Q(areas__isnull=True)).distinct()
