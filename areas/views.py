from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import areas_for, get_area_for_user, staff_required
from core.maps import Layer, map_html

from .models import Area
from .selectors import area_outline_features, areas_bounds


@staff_required()
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An area the user may see: its sub-areas or streets, on a map."""
    area = get_area_for_user(request.user, code)
    children = list(
        areas_for(request.user)
        .filter(parent=area)
        .annotate(n_postcodes=Count("postcodes"))
        .order_by("name")
    )
    streets = None
    if area.level == Area.Level.WARD:
        streets = Paginator(area.streets.order_by("name").only("name", "source"), 50).get_page(
            request.GET.get("page")
        )
    outlines = Layer(name="Areas", features=area_outline_features(children or [area]))
    return render(
        request,
        "areas/area_detail.html",
        {
            "area": area,
            "children": children,
            "page": streets,
            "postcode_count": area.postcodes.count() if area.is_ward else None,
            "map_html": map_html(
                layers=[outlines],
                label=f"Map of {area.name}",
                nonce=request.csp_nonce,
                fallback=lambda: areas_bounds([area]),
            ),
        },
    )
