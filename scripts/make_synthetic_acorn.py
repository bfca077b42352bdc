"""Write data/acorn/acorn_synthetic_hu.csv: a SYNTHETIC Acorn file for the demo.

A force's real Acorn file (CACI) is licensed and cannot be published, so the demo has
this one, in CACI's usual layout: one row per postcode with its Acorn category, group
and type, each a code followed by its description column. The postcodes are the
Code-Point Open postcodes of hu.csv (real); the classes are made up: each postcode gets
a type picked from the SHA-256 of the postcode, so the file is the same on every run.
The categories and groups are the 6 categories and 18 groups of Acorn; the types are
numbered 1 to 54 here, three per group, which is not CACI's numbering.

    python scripts/make_synthetic_acorn.py
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data/postcodes/codepoint_open_2025_10/Data/CSV/hu.csv"
TARGET = ROOT / "data/acorn/acorn_synthetic_hu.csv"

CATEGORIES = {
    "1": (
        "Affluent Achievers",
        {"A": "Lavish Lifestyles", "B": "Executive Wealth", "C": "Mature Money"},
    ),
    "2": ("Rising Prosperity", {"D": "City Sophisticates", "E": "Career Climbers"}),
    "3": (
        "Comfortable Communities",
        {
            "F": "Countryside Communities",
            "G": "Successful Suburbs",
            "H": "Steady Neighbourhoods",
            "I": "Comfortable Seniors",
            "J": "Starting Out",
        },
    ),
    "4": (
        "Financially Stretched",
        {
            "K": "Student Life",
            "L": "Modest Means",
            "M": "Striving Families",
            "N": "Poorer Pensioners",
        },
    ),
    "5": (
        "Urban Adversity",
        {"O": "Young Hardship", "P": "Struggling Estates", "Q": "Difficult Circumstances"},
    ),
    "6": ("Not Private Households", {"R": "Not Private Households"}),
}


def classes() -> list[tuple[str, str, str, str, str]]:
    """(category, category name, group, group name, type), three types per group."""
    rows, number = [], 0
    for category, (category_name, groups) in CATEGORIES.items():
        for group, group_name in groups.items():
            for _ in range(3):
                number += 1
                rows.append((category, category_name, group, group_name, str(number)))
    return rows


def main() -> None:
    table = classes()
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        postcodes = [row[0] for row in csv.reader(handle)]
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [
                "Postcode",
                "Acorn Category",
                "Acorn Category Name",
                "Acorn Group",
                "Acorn Group Name",
                "Acorn Type",
                "Acorn Type Name",
            ]
        )
        for postcode in postcodes:
            pick = int(hashlib.sha256(postcode.encode()).hexdigest()[:8], 16) % len(table)
            category, category_name, group, group_name, kind = table[pick]
            writer.writerow(
                [postcode, category, category_name, group, group_name, kind, f"Demo type {kind}"]
            )


if __name__ == "__main__":
    main()
