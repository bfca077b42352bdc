"""What residents said, as temporary tables the scoring SQL joins.

Tables (all ``ON COMMIT DROP``):

- ``score_respondents(level, unit_id, respondents)``: respondents per street and ward;
- ``score_priority(level, unit_id, slug, share)``: share of respondents naming each
  priority (ranked in their top three, or ticked as a concern);
- ``score_confidence(level, unit_id, mean)``: mean of their trust and confidence
  answers (1..5);
- ``score_confidence_force(force_id, mean)``: the same across each force.

The counts come from ``surveys.selectors.priority_shares`` and ``confidence_means``
(the contract between the two apps).

``level`` is ``street`` or ``ward``. Without the surveys app, or without responses in
the window, the tables are empty and concern and confidence stay null: they leave the
score, and the pages say why.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from django.apps import apps

TABLES = """
DROP TABLE IF EXISTS pg_temp.score_respondents, pg_temp.score_priority,
                     pg_temp.score_confidence, pg_temp.score_confidence_force;
CREATE TEMP TABLE score_respondents (level text, unit_id bigint, respondents integer)
    ON COMMIT DROP;
CREATE TEMP TABLE score_priority (level text, unit_id bigint, slug text, share double precision)
    ON COMMIT DROP;
CREATE TEMP TABLE score_confidence (level text, unit_id bigint, mean double precision)
    ON COMMIT DROP;
CREATE TEMP TABLE score_confidence_force (force_id bigint, mean double precision)
    ON COMMIT DROP;
CREATE INDEX ON score_respondents (level, unit_id);
CREATE INDEX ON score_priority (level, unit_id);
CREATE INDEX ON score_confidence (level, unit_id);
"""


def surveys_ready() -> bool:
    """Whether the surveys app has the models this contract reads."""
    if not apps.is_installed("surveys"):
        return False
    try:
        apps.get_model("surveys", "Response")
        apps.get_model("surveys", "Priority")
    except LookupError:
        return False
    return True


# Question keys (stable across survey versions).
CONFIDENCE_KEYS = ("trust", "confidence")
PRIORITY_KEYS = ("priorities", "concerns")

RAW = """
DROP TABLE IF EXISTS pg_temp.score_survey_priority_raw, pg_temp.score_survey_confidence_raw;
CREATE TEMP TABLE score_survey_priority_raw
    (ward_id bigint, street_id bigint, slug text, respondents integer, mentions integer)
    ON COMMIT DROP;
CREATE TEMP TABLE score_survey_confidence_raw
    (ward_id bigint, street_id bigint, respondents integer, answers integer,
     mean double precision)
    ON COMMIT DROP;
"""

# From the raw rows (one per ward, street and priority) to street and ward figures.
AGGREGATE = """
INSERT INTO score_respondents (level, unit_id, respondents)
SELECT 'street', street_id, max(respondents) FROM score_survey_priority_raw
 WHERE street_id IS NOT NULL GROUP BY street_id;
INSERT INTO score_respondents (level, unit_id, respondents)
SELECT 'ward', ward_id, sum(respondents)
  FROM (SELECT DISTINCT ward_id, street_id, respondents FROM score_survey_priority_raw) u
 GROUP BY ward_id;
INSERT INTO score_priority (level, unit_id, slug, share)
SELECT 'street', street_id, slug, sum(mentions)::double precision / sum(respondents)
  FROM score_survey_priority_raw WHERE street_id IS NOT NULL AND mentions > 0
 GROUP BY street_id, slug;
INSERT INTO score_priority (level, unit_id, slug, share)
SELECT 'ward', p.ward_id, p.slug, sum(p.mentions)::double precision / r.respondents
  FROM score_survey_priority_raw p
  JOIN score_respondents r ON r.level = 'ward' AND r.unit_id = p.ward_id
 WHERE p.mentions > 0
 GROUP BY p.ward_id, p.slug, r.respondents;
INSERT INTO score_confidence (level, unit_id, mean)
SELECT 'street', street_id, sum(mean * answers) / sum(answers)
  FROM score_survey_confidence_raw WHERE street_id IS NOT NULL AND answers > 0
 GROUP BY street_id;
INSERT INTO score_confidence (level, unit_id, mean)
SELECT 'ward', ward_id, sum(mean * answers) / sum(answers)
  FROM score_survey_confidence_raw WHERE answers > 0
 GROUP BY ward_id;
-- The force's mean: every answer in its wards, not a mean of ward means.
INSERT INTO score_confidence_force (force_id, mean)
SELECT u.force_id, sum(c.mean * c.answers) / sum(c.answers)
  FROM score_survey_confidence_raw c JOIN score_units u ON u.ward_id = c.ward_id
 WHERE c.answers > 0
 GROUP BY u.force_id;
"""


# Survey answers read once per scoring run, in time buckets: the windows of the periods
# (each a year ending with the period) overlap, and every count here adds up over
# disjoint buckets (each response falls in exactly one), so a period's window is the sum
# of its buckets rather than a fresh read of a year of answers.
BUCKETS = """
DROP TABLE IF EXISTS pg_temp.score_survey_priority_bucket,
                     pg_temp.score_survey_confidence_bucket;
CREATE TEMP TABLE score_survey_priority_bucket
    (bucket integer, ward_id bigint, street_id bigint, slug text, respondents integer,
     mentions integer);
CREATE TEMP TABLE score_survey_confidence_bucket
    (bucket integer, ward_id bigint, street_id bigint, respondents integer, answers integer,
     mean double precision);
"""
DROP_BUCKETS = """
DROP TABLE IF EXISTS pg_temp.score_survey_priority_bucket,
                     pg_temp.score_survey_confidence_bucket;
"""

FROM_BUCKETS = """
INSERT INTO score_survey_priority_raw
SELECT ward_id, street_id, slug, sum(respondents), sum(mentions)
  FROM score_survey_priority_bucket
 WHERE bucket >= %(first)s AND bucket < %(last)s
 GROUP BY ward_id, street_id, slug;
INSERT INTO score_survey_confidence_raw
SELECT ward_id, street_id, sum(respondents), sum(answers),
       sum(mean * answers) FILTER (WHERE answers > 0) / nullif(sum(answers), 0)
  FROM score_survey_confidence_bucket
 WHERE bucket >= %(first)s AND bucket < %(last)s
 GROUP BY ward_id, street_id;
"""


class SurveyBuckets:
    """The answers of every window asked for, read once, bucket by bucket."""

    def __init__(self, windows: list[tuple[datetime, datetime]]):
        self.bounds = sorted({moment for window in windows for moment in window})

    def shares(self) -> list[tuple[int, dict]]:
        """(bucket, priority_shares row) for every bucket."""
        from surveys.selectors import priority_shares

        return [
            (bucket, r)
            for bucket, (start, end) in enumerate(itertools.pairwise(self.bounds))
            for r in priority_shares(start=start, end=end)
        ]

    def means(self) -> list[tuple[int, dict]]:
        """(bucket, confidence_means row) for every bucket."""
        from surveys.selectors import confidence_means

        return [
            (bucket, r)
            for bucket, (start, end) in enumerate(itertools.pairwise(self.bounds))
            for r in confidence_means(start=start, end=end)
        ]

    def read(self, cursor, *, fetched: tuple[list, list] | None = None) -> None:
        """Fill the bucket tables; ``fetched`` is (shares(), means()) read already."""
        cursor.execute(BUCKETS)
        if not surveys_ready():
            return
        shares, means = fetched or (self.shares(), self.means())
        with cursor.copy(
            "COPY score_survey_priority_bucket (bucket, ward_id, street_id, slug, respondents, "
            "mentions) FROM STDIN"
        ) as copy:
            for bucket, r in shares:
                copy.write_row(
                    (bucket, r["ward_id"], r["street_id"], r["slug"], r["respondents"],
                     r["mentions"])
                )  # fmt: skip
        with cursor.copy(
            "COPY score_survey_confidence_bucket (bucket, ward_id, street_id, respondents, "
            "answers, mean) FROM STDIN"
        ) as copy:
            for bucket, r in means:
                copy.write_row(
                    (bucket, r["ward_id"], r["street_id"], r["respondents"], r["answers"],
                     r["mean"])
                )  # fmt: skip
        cursor.execute("ANALYZE score_survey_priority_bucket, score_survey_confidence_bucket")

    def span(self, since: datetime, as_of: datetime) -> dict[str, int]:
        return {"first": self.bounds.index(since), "last": self.bounds.index(as_of)}


def load(cursor, *, since: datetime, as_of: datetime, buckets: SurveyBuckets | None = None) -> bool:
    """Create and fill the tables for responses submitted in [since, as_of).

    The counts come from the surveys app's contract, ``surveys.selectors``
    (``priority_shares`` and ``confidence_means``), read for this window or, with
    ``buckets`` (read for the whole scoring run), summed from its buckets; they are
    combined into street and ward figures in SQL.
    """
    cursor.execute(TABLES)
    if not surveys_ready():
        return False
    cursor.execute(RAW)
    if buckets is None:
        buckets = SurveyBuckets([(since, as_of)])
        buckets.read(cursor)
    cursor.execute(FROM_BUCKETS, buckets.span(since, as_of))
    cursor.execute("SELECT EXISTS (SELECT 1 FROM score_survey_priority_raw)")
    if not cursor.fetchone()[0]:
        return False
    cursor.execute(AGGREGATE)
    cursor.execute("ANALYZE score_respondents, score_priority, score_confidence")
    return True
