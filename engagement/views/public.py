"""The public page of a ward (no sign-in): done "You said, we did" items with the
survey before and after, the neighbourhood team, and its local priorities."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import public

from .. import selectors


@public
def ward_public(request: HttpRequest, code: str) -> HttpResponse:
    ward = selectors.public_ward(code)
    return render(
        request, "engagement/ward_public.html", {"page": selectors.ward_page(ward), "ward": ward}
    )
