"""Status lifecycles as data, applied by conditional UPDATE.

A model declares which status may follow which, and which statuses are final::

    class SetUp(Lifecycle, models.Model):
        TRANSITIONS = {
            Status.DRAFT: {Status.OPEN},
            Status.OPEN: {Status.CLOSED},
            Status.CLOSED: {Status.ARCHIVED, Status.OPEN},
            Status.ARCHIVED: set(),
        }
        FINAL = {Status.ARCHIVED}

and every status change goes through :func:`transition` (one row, by instance or by
primary key) or :func:`transition_where` (a sweep over many rows). Both write
``UPDATE ... SET status = target WHERE pk = ... AND status IN (<statuses that may go
to target>)``, so of two callers racing for the same row only one changes it (the
outbox claim and the import job claim rely on that), and any other fields given are
written in the same statement. A refused change raises :class:`InvalidTransition`:
the lifecycle does not allow it, or the row had already moved on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, TypeVar

from django.db.models import Model, QuerySet
from django.db.models.expressions import Combinable

M = TypeVar("M", bound=Model)


class InvalidTransition(Exception):
    """A status change the lifecycle does not allow, or one another caller made first."""

    def __init__(self, message: str, *, source: str | None, target: str) -> None:
        super().__init__(message)
        # None when the row was no longer in a state that may go to ``target``.
        self.source = source
        self.target = target


class Lifecycle:
    """Mixin for a model whose status follows declared transitions.

    ``TRANSITIONS`` maps every status to the statuses that may follow it; ``FINAL``
    names the statuses nothing follows. Both are checked when the class is made, so a
    lifecycle with a dead end nobody meant, or an arrow to an undeclared status, fails
    at import rather than in production.
    """

    TRANSITIONS: ClassVar[Mapping[str, Iterable[str]]]
    FINAL: ClassVar[Iterable[str]]
    STATUS_FIELD: ClassVar[str] = "status"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "TRANSITIONS" in cls.__dict__ or "FINAL" in cls.__dict__:
            cls.TRANSITIONS = _checked(cls.__name__, cls.TRANSITIONS, cls.FINAL)
            cls.FINAL = frozenset(cls.FINAL)

    @classmethod
    def sources_of(cls, target: str) -> frozenset[str]:
        """The statuses that may become ``target``."""
        return frozenset(s for s, following in cls.TRANSITIONS.items() if target in following)

    @classmethod
    def allows(cls, source: str, target: str) -> bool:
        return target in cls.TRANSITIONS.get(source, ())

    def can_become(self, status: str) -> bool:
        """May this object's current status be followed by ``status``? (for forms)"""
        return self.allows(self.current_status, status)

    @property
    def next_statuses(self) -> frozenset[str]:
        """What may follow now (for templates: ``{% if "open" in setup.next_statuses %}``)."""
        return self.TRANSITIONS.get(self.current_status, frozenset())

    @property
    def is_final(self) -> bool:
        return self.current_status in self.FINAL

    @property
    def current_status(self) -> str:
        return getattr(self, self.STATUS_FIELD)


def _checked(
    name: str, transitions: Mapping[str, Iterable[str]], final: Iterable[str]
) -> dict[str, frozenset[str]]:
    table = {str(s): frozenset(str(t) for t in following) for s, following in transitions.items()}
    final = {str(s) for s in final}
    unknown = {t for following in table.values() for t in following} - table.keys()
    if unknown:
        raise TypeError(f"{name}.TRANSITIONS leads to undeclared statuses {sorted(unknown)}")
    if final - table.keys():
        raise TypeError(f"{name}.FINAL names undeclared statuses {sorted(final - table.keys())}")
    for status, following in table.items():
        if (status in final) == bool(following):
            problem = "is final but has statuses after it" if following else "is a dead end"
            raise TypeError(f"{name}: status {status!r} {problem}; check TRANSITIONS and FINAL")
    return table


def _label(model: type[Model]) -> str:
    return str(model._meta.verbose_name)


def _update(queryset: QuerySet, model: type[Lifecycle], target: str, fields: dict) -> int:
    sources = model.sources_of(target)
    if not sources:
        raise InvalidTransition(
            f"nothing may become {target} in the lifecycle of {_label(model)}",
            source=None,
            target=target,
        )
    field = model.STATUS_FIELD
    return queryset.filter(**{f"{field}__in": sources}).update(**{field: target}, **fields)


def transition_pk(model: type[M], pk: Any, target: str, **fields: Any) -> None:
    """Move row ``pk`` of ``model`` to ``target``, writing ``fields`` with it.

    Raises InvalidTransition if the row is not (or no longer) in a status that may
    become ``target``: whoever changed it first won.
    """
    if not _update(model._default_manager.filter(pk=pk), model, target, fields):
        raise InvalidTransition(
            f"{_label(model)} {pk} was not in a status that may become {target}",
            source=None,
            target=target,
        )


def transition(obj: M, target: str, **fields: Any) -> M:
    """Move ``obj`` to ``target`` in the database, then in memory.

    Refused without a query when the lifecycle does not allow it from the status ``obj``
    has in memory; refused after the UPDATE when the row had moved on meanwhile.
    """
    model = type(obj)
    source = obj.current_status
    if not model.allows(source, target):
        raise InvalidTransition(
            f"{_label(model)} {obj.pk} cannot go from {source} to {target}",
            source=source,
            target=target,
        )
    transition_pk(model, obj.pk, target, **fields)
    setattr(obj, model.STATUS_FIELD, target)
    computed = []
    for name, value in fields.items():
        if isinstance(value, Combinable):
            computed.append(name)  # e.g. F("attempts") + 1: read back what the database made
        else:
            setattr(obj, name, value)
    if computed:
        obj.refresh_from_db(fields=computed)
    return obj


def transition_where(queryset: QuerySet[M], target: str, **fields: Any) -> int:
    """Move every row of ``queryset`` that may become ``target``; return how many moved.

    For sweeps: rows that moved on meanwhile are left alone, and none moving is no error.
    """
    return _update(queryset, queryset.model, target, fields)
