"""Where a member's personal data lives, for export and erasure.

Every model holding data about a member registers here, so that "download my data"
is complete and "erase my account" leaves nothing personal behind. Apps above
accounts (alerts, surveys...) register their models in their ``AppConfig.ready()``:
the higher app calls the lower one, never the reverse. A test finds every model with
a relation to Member or User and checks it is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.db.models import Model, QuerySet

Erase = Literal["delete", "anonymise", "keep"]


@dataclass(frozen=True)
class PersonalData:
    model: type[Model]
    # Path from the model to the Member, e.g. "member" or "invitation__member".
    member_path: str
    # Section name in the export ("Survey answers").
    label: str
    # Fields written to the export (a JSON value each; related objects as their str()).
    fields: tuple[str, ...]
    # What erasure does with the member's rows: delete them, or anonymise them with
    # ``anonymise(queryset)`` (for rows statistics keep, e.g. survey answers without the
    # link to the person), or keep them (rows with no personal data, e.g. counts).
    erase: Erase = "delete"
    anonymise: Callable[[QuerySet], None] | None = None


_REGISTRY: dict[type[Model], PersonalData] = {}


def register(
    model: type[Model],
    *,
    member_path: str,
    label: str,
    fields: tuple[str, ...],
    erase: Erase = "delete",
    anonymise: Callable[[QuerySet], None] | None = None,
) -> None:
    if erase == "anonymise" and anonymise is None:
        raise ValueError(f"{model.__name__}: erase='anonymise' needs an anonymise function")
    _REGISTRY[model] = PersonalData(model, member_path, label, fields, erase, anonymise)


def registered() -> dict[type[Model], PersonalData]:
    return dict(_REGISTRY)


def rows_for(entry: PersonalData, member: Model) -> QuerySet:
    return entry.model._default_manager.filter(**{entry.member_path: member})
