"""Notices on the staff home page that come from apps above accounts.

accounts cannot import the apps above it, so an app with something every member of
staff should see on their home page (for example "the crime data is out of date",
from targeting) registers a function here in its ``AppConfig.ready()``. Each function
takes the request and returns a message, or None when there is nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

Notice = Callable[[HttpRequest], str | None]

_NOTICES: list[Notice] = []


def register_staff_notice(notice: Notice) -> None:
    if notice not in _NOTICES:
        _NOTICES.append(notice)


def staff_notices(request: HttpRequest) -> list[str]:
    return [message for notice in _NOTICES if (message := notice(request))]
