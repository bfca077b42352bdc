"""What the names police.uk gives its map points are: streets or places, and their case.

police.uk moves every crime to an anonymous map point "over the centre point of a
street, above a public place such as a Park or Airport, or above a commercial premise
like a Shopping Centre or Nightclub". The point's name is then a street's ("On or near
Hutt Street") or the kind of place it is ("On or near Parking Area"). A place has no
households to knock on and no residents to register: it is kept, with its crimes and
its score, as a place (``Street.Kind.PLACE``) and shown beside its nearest street.

This module is the reference data: the names police.uk gives its points of interest,
and the endings of the named places (stations, shopping centres) it also uses. A test
classifies every location name of the four Humberside months in ``data/``.
"""

from __future__ import annotations

import re

# police.uk's names for the kinds of place its points of interest are, as it spells
# them (each is the whole name, without "On or near"). All of these occur in the four
# Humberside months.
PLACE_NAMES = frozenset(
    {
        "Airport/Airfield",
        "Bus/Coach Station",
        "Conference/Exhibition Centre",
        "Further/Higher Educational Building",
        "Hospital",
        "Nightclub",
        "Park/Open Space",
        "Parking Area",
        "Petrol Station",
        "Police Station",
        "Shopping Area",
        "Sports/Recreation Area",
        "Supermarket",
        "Theatre/Concert Hall",
        "Theme/Adventure Park",
    }
)

# Named places: how their names end ("The Promenades Shopping Centre", "Beverley Bus
# Station", "Hull Paragon Interchange"). No street name ends so: streets are "Station
# Road" or "Racecourse Avenue".
PLACE_ENDINGS = re.compile(
    r"\b(?:shopping centre|(?:bus|coach|railway|train) station|interchange|ferry terminal"
    r"|race ?course|retail park|airport|car park)$",
    re.IGNORECASE,
)

# police.uk's kinds of place are written "Kind/Kind"; no street name has a slash.
_SLASH = re.compile(r"\w/\w")


def is_place(name: str) -> bool:
    """Whether a police.uk location name (without "On or near") is a place, not a street."""
    name = " ".join(name.split())
    return name in PLACE_NAMES or bool(_SLASH.search(name) or PLACE_ENDINGS.search(name))


# police.uk title-cases names letter after apostrophe too: "Prince'S Road".
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])'S\b")


def proper_case(name: str) -> str:
    """A police.uk name with its possessives mended: "Prince'S Road" -> "Prince's Road".

    Only a capital S standing alone after an apostrophe is lowered: "O'Sullivan Way"
    and "D'Arcy Road" keep theirs.
    """
    return _POSSESSIVE.sub("'s", name)
