"""Census 2021 ethnic group (table TS021): its categories, the one list of them.

TS021 gives 5 high-level groups and 19 detailed ones. The keys are the values members
answer with (``accounts.members.demographics.EthnicGroup`` and ``EthnicHighLevel``:
"asian_indian" is in "asian"), so a member's answer is a TS021 category as it stands.
Ethnic group is published per MSOA (about 7,800 residents), not per output area.
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMN_PREFIX = "Ethnic group: "
TOTAL_COLUMN = "Ethnic group: Total: All usual residents"


@dataclass(frozen=True)
class EthnicCategory:
    key: str  # "asian_indian"
    label: str  # the Nomis label without its prefix: "Asian, ...: Indian"
    parent: str | None = None  # the high-level key of a detailed group

    @property
    def column(self) -> str:
        return COLUMN_PREFIX + self.label

    @property
    def is_high_level(self) -> bool:
        return self.parent is None

    @property
    def name(self) -> str:
        """The short name: the detailed part of the label ("Indian"), or the whole."""
        return self.label.split(": ", 1)[1] if self.parent else self.label

    def __str__(self) -> str:
        return self.label


def _high(key: str, label: str, *details: tuple[str, str]) -> list[EthnicCategory]:
    return [EthnicCategory(key, label)] + [
        EthnicCategory(k, f"{label}: {name}", key) for k, name in details
    ]


# In the order of the TS021 columns.
ETHNIC_CATEGORIES: tuple[EthnicCategory, ...] = (
    *_high(
        "asian",
        "Asian, Asian British or Asian Welsh",
        ("asian_bangladeshi", "Bangladeshi"),
        ("asian_chinese", "Chinese"),
        ("asian_indian", "Indian"),
        ("asian_pakistani", "Pakistani"),
        ("asian_other", "Other Asian"),
    ),
    *_high(
        "black",
        "Black, Black British, Black Welsh, Caribbean or African",
        ("black_african", "African"),
        ("black_caribbean", "Caribbean"),
        ("black_other", "Other Black"),
    ),
    *_high(
        "mixed",
        "Mixed or Multiple ethnic groups",
        ("mixed_white_asian", "White and Asian"),
        ("mixed_white_black_african", "White and Black African"),
        ("mixed_white_black_caribbean", "White and Black Caribbean"),
        ("mixed_other", "Other Mixed or Multiple ethnic groups"),
    ),
    *_high(
        "white",
        "White",
        ("white_british", "English, Welsh, Scottish, Northern Irish or British"),
        ("white_irish", "Irish"),
        ("white_gypsy_traveller", "Gypsy or Irish Traveller"),
        ("white_roma", "Roma"),
        ("white_other", "Other White"),
    ),
    *_high(
        "other",
        "Other ethnic group",
        ("other_arab", "Arab"),
        ("other_any", "Any other ethnic group"),
    ),
)
ETHNIC = {c.key: c for c in ETHNIC_CATEGORIES}
HIGH_LEVEL = tuple(c for c in ETHNIC_CATEGORIES if c.is_high_level)
DETAILED = tuple(c for c in ETHNIC_CATEGORIES if not c.is_high_level)


def ethnic_category(key: str) -> EthnicCategory | None:
    return ETHNIC.get(key)


def details_of(key: str) -> tuple[EthnicCategory, ...]:
    return tuple(c for c in DETAILED if c.parent == key)
