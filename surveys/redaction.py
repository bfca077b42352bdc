"""Free text shown to officers: identifiers a pattern can find are removed.

Comments are shown only for areas where at least 10 people answered, without who
wrote them or when, and with email addresses, phone numbers and postcodes replaced.
This cannot catch everything (a name, a description), which is why the survey asks
people not to include them and why erasure deletes a member's comments outright.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)(\+?\d[\d\s().-]{7,}\d)(?!\w)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)


def redact(text: str) -> str:
    removed = f"[{_('removed')}]"
    for pattern in (EMAIL, PHONE, POSTCODE):
        text = pattern.sub(removed, text)
    return text
