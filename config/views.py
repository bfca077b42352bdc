"""Error pages that look like the rest of the site."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic.edit import FormMixin

from accounts import ratelimits


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request refused by a rate limit (allauth's ``handler429``): recorded, and a form
    sent again with what was typed, so nobody has to type it all once more."""
    match = request.resolver_match
    ratelimits.refusal_record(request, action=match.url_name if match else "")
    form = None
    view_class = getattr(match.func, "view_class", None) if match else None
    if request.method == "POST" and view_class is not None and issubclass(view_class, FormMixin):
        view = view_class(**getattr(match.func, "view_initkwargs", {}))
        view.setup(request, *match.args, **match.kwargs)
        form = view.get_form()
        ratelimits.refuse_form(form)
    actions = ratelimits.PAGE_ACTIONS.get(match.url_name if match else "", ())
    wait = ratelimits.wait_seconds(request, actions=actions)
    context = {
        "form": form,
        "action": request.get_full_path(),
        "wait": ratelimits.wait_words(wait) if wait else "",
    }
    response = render(request, "429.html", context, status=429)
    if wait:
        response["Retry-After"] = str(max(1, round(wait)))
    return response
