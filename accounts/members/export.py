"""Download my data: every registered row about a member, as JSON or CSV.

Built only from ``accounts.personal_data``: a model that registers there is in the
export, with the fields it lists. Values are written as a person would read them
(choices by their label, related rows by their name, dates in ISO 8601).
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from accounts import personal_data
from accounts.models import ConsentRecord, Member
from core import spreadsheet

from . import consent as consent_wording


def _value(obj: models.Model, path: str) -> Any:
    """The value of ``path`` (``"a"`` or ``"a__b"``) on ``obj``, ready for JSON."""
    head, _, rest = path.partition("__")
    try:
        field = obj._meta.get_field(head)
    except FieldDoesNotExist:  # a property or method rather than a field
        field = None
    if field is not None and field.many_to_many:
        values = [str(o) for o in getattr(obj, head).all()]
        return values
    if field is not None and getattr(field, "choices", None) and not rest:
        value = getattr(obj, head)
        return str(dict(field.flatchoices).get(value, value)) if value != "" else ""
    value = getattr(obj, head)
    if callable(value) and not isinstance(value, models.Model):
        value = value()
    if rest:
        return _value(value, rest) if value is not None else None
    return _plain(value)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return value
    return str(value)


def member_export(*, member: Member) -> dict:
    """Every registered section with the member's rows in it."""
    sections = []
    for entry in personal_data.registered().values():
        rows = []
        for obj in personal_data.rows_for(entry, member).order_by("pk"):
            row = {"id": obj.pk}
            row.update({field: _value(obj, field) for field in entry.fields})
            if isinstance(obj, ConsentRecord):
                row["wording"] = consent_wording.wording(obj.item, version=obj.wording_version)
            rows.append(row)
        sections.append(
            {
                "section": str(entry.label),
                "model": entry.model._meta.label_lower,
                "rows": rows,
            }
        )
    return {
        "exported_at": timezone.localtime().isoformat(),
        "email": member.user.email,
        "sections": sections,
    }


def as_json(export: dict) -> str:
    return json.dumps(export, indent=2, ensure_ascii=False)


def as_csv(export: dict) -> str:
    """One line per value: section, model, row id, field, value."""
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    writer.writerow(["section", "model", "row", "field", "value"])
    for section in export["sections"]:
        for row in section["rows"]:
            for field, value in row.items():
                if field == "id":
                    continue
                if isinstance(value, list | dict):
                    value = json.dumps(value, ensure_ascii=False)
                writer.writerow(
                    [section["section"], section["model"], row["id"], field, _csv(value)]
                )
    return out.getvalue()


def _csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
