"""Survey history for the benchmark members, in set-based SQL.

Every cycle that fell due for a bench member (every three months from registration,
by the rules of ``surveys.schedule``) up to ``SURVEYS_CATCH_UP_DAYS`` ago gets an
invitation; a share of them an answered response, so that there are about ``answers``
answers in all. Cycles due since are left for the dispatch benchmark to invite.
Scale answers and priorities vary by ward (a seeded draw per ward), so concern and
confidence differ across the force. Random numbers come from PostgreSQL after
``setseed``, so a run with the same seed makes the same rows.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection

from demo.surveys import COMMENTS, PRIORITY_WEIGHTS
from surveys import schedule
from surveys.selectors import current_version
from surveys.services import round_for

from .people import EMAIL_DOMAIN

# Answers per response: four required scales, usually a ranking, often concerns,
# sometimes a comment (the shares below).
RANKING_SHARE, CONCERNS_SHARE, COMMENT_SHARE = 0.85, 0.6, 0.1
ANSWERS_PER_RESPONSE = 4 + RANKING_SHARE + CONCERNS_SHARE + COMMENT_SHARE
SCALE_MEANS = {"trust": 3.5, "confidence": 3.2, "safe_day": 4.1, "safe_dark": 3.3}

INVITATIONS = """
CREATE TEMP TABLE bench_due ON COMMIT DROP AS
WITH m AS (
    SELECT m.id, m.ward_id, m.street_id,
           m.registered_at + make_interval(hours => ((m.id * %(prime)s) %% %(spread_hours)s)::int)
               AS anchor
      FROM accounts_member m JOIN accounts_user u ON u.id = m.user_id
     WHERE u.email LIKE %(emails)s
)
SELECT m.id AS member_id, m.ward_id, m.street_id, c AS cycle,
       m.anchor + make_interval(months => %(step)s * c) AS due_at
  FROM m CROSS JOIN LATERAL generate_series(1, 40) c
 WHERE m.anchor + make_interval(months => %(step)s * c) <= %(horizon)s;
"""

# Whether each due cycle was answered is drawn once, before anything is written.
INSERT_INVITATIONS = """
ALTER TABLE bench_due ADD COLUMN answered boolean;
UPDATE bench_due SET answered = random() < %(rate)s;
CREATE INDEX ON bench_due (member_id, cycle);
ANALYZE bench_due;
INSERT INTO surveys_invitation (member_id, cycle, round_id, version_id, ward_id, street_id,
                                due_at, created_at, closes_at, reminder_at)
SELECT d.member_id, d.cycle, r.id, %(version)s, d.ward_id, d.street_id, d.due_at, d.due_at,
       d.due_at + make_interval(days => %(open_days)s),
       -- Those not answered were reminded after a week.
       CASE WHEN NOT d.answered THEN d.due_at + make_interval(days => %(remind)s) END
  FROM bench_due d
  JOIN surveys_round r ON r.starts_on = date_trunc('quarter', d.due_at AT TIME ZONE %(tz)s)::date
 ORDER BY d.member_id, d.cycle;
"""

RESPONSES = """
INSERT INTO surveys_response (invitation_id, member_id, version_id, round_id, ward_id,
                              street_id, via, started_at, updated_at, submitted_at)
SELECT i.id, i.member_id, i.version_id, i.round_id, i.ward_id, i.street_id, 'link', t.at, t.at,
       t.at
  FROM surveys_invitation i
  JOIN bench_due d ON d.member_id = i.member_id AND d.cycle = i.cycle AND d.answered
 CROSS JOIN LATERAL (SELECT i.created_at + random() * interval '10 days' AS at) t
 ORDER BY i.id
RETURNING id, ward_id;
"""

RESPONSE_LEANS = """
CREATE TEMP TABLE bench_responses (id bigint, ward_id bigint, lean double precision)
    ON COMMIT DROP;
"""

ANSWERS = """
INSERT INTO surveys_answer (response_id, question_id, scale_value, choice, text)
SELECT r.id, q.id,
       greatest(1, least(5, round(q.mean + r.lean
                                  + 0.9 * (random() + random() + random() - 1.5) * 2)))::int,
       '', ''
  FROM bench_responses r
 CROSS JOIN unnest(%(scale_ids)s::bigint[], %(scale_means)s::float[]) q(id, mean)
 ORDER BY r.id, q.id;
INSERT INTO surveys_answer (response_id, question_id, scale_value, choice, text)
SELECT r.id, %(ranking)s, NULL, '', '' FROM bench_responses r WHERE random() < %(ranking_share)s;
INSERT INTO surveys_answer (response_id, question_id, scale_value, choice, text)
SELECT r.id, %(concerns)s, NULL, '', '' FROM bench_responses r WHERE random() < %(concerns_share)s;
INSERT INTO surveys_answer (response_id, question_id, scale_value, choice, text)
SELECT r.id, %(comments)s, NULL, '',
       (%(comment_texts)s::text[])[1 + floor(random() * %(n_comments)s)::int]
  FROM bench_responses r WHERE random() < %(comment_share)s;
-- Priorities by a weighted race (-ln(u) / weight): the top three of a ranking, and
-- each concern ticked with a chance that grows with its weight. Wards lean their own way.
CREATE TEMP TABLE bench_priority_weight ON COMMIT DROP AS
SELECT w.ward_id, p.id AS priority_id,
       pw.weight * (0.4 + (abs(hashtext(w.ward_id::text || p.slug || %(seed)s)) %% 1000) / 800.0)
           AS weight
  FROM (SELECT DISTINCT ward_id FROM bench_responses) w
  JOIN unnest(%(slugs)s::text[], %(weights)s::float[]) pw(slug, weight) ON true
  JOIN surveys_priority p ON p.slug = pw.slug;
CREATE INDEX ON bench_priority_weight (ward_id);
INSERT INTO surveys_answerpriority (answer_id, priority_id, rank)
SELECT id, priority_id, rank FROM (
    SELECT a.id, pw.priority_id,
           row_number() OVER (PARTITION BY a.id ORDER BY -ln(1 - random()) / pw.weight) AS rank
      FROM surveys_answer a
      JOIN bench_responses r ON r.id = a.response_id
      JOIN bench_priority_weight pw ON pw.ward_id = r.ward_id
     WHERE a.question_id = %(ranking)s
) ranked WHERE rank <= 3;
INSERT INTO surveys_answerpriority (answer_id, priority_id, rank)
SELECT a.id, pw.priority_id, NULL
  FROM surveys_answer a
  JOIN bench_responses r ON r.id = a.response_id
  JOIN bench_priority_weight pw ON pw.ward_id = r.ward_id
 WHERE a.question_id = %(concerns)s
   AND random() < least(0.9, pw.weight / 12.0);
"""


def _lean(ward_id: int, seed: int) -> float:
    return random.Random(f"{seed}-{ward_id}").random() - 0.5


def _rounds(since: datetime, until: datetime) -> None:
    moment = since
    while moment <= until + timedelta(days=92):
        round_for(moment)
        moment += timedelta(days=30)


def delete_bench_surveys() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE bench_gone_invitations ON COMMIT DROP AS
            SELECT i.id FROM surveys_invitation i
              JOIN accounts_member m ON m.id = i.member_id
              JOIN accounts_user u ON u.id = m.user_id WHERE u.email LIKE %s;
            DELETE FROM surveys_answerpriority WHERE answer_id IN (
                SELECT a.id FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
                 WHERE r.invitation_id IN (SELECT id FROM bench_gone_invitations));
            DELETE FROM surveys_answer WHERE response_id IN (
                SELECT id FROM surveys_response
                 WHERE invitation_id IN (SELECT id FROM bench_gone_invitations));
            DELETE FROM surveys_response
             WHERE invitation_id IN (SELECT id FROM bench_gone_invitations);
            DELETE FROM alerts_delivery WHERE member_id IN (
                SELECT m.id FROM accounts_member m JOIN accounts_user u ON u.id = m.user_id
                 WHERE u.email LIKE %s);
            DELETE FROM surveys_invitation WHERE id IN (SELECT id FROM bench_gone_invitations);
            """,
            [f"%@{EMAIL_DOMAIN}"] * 2,
        )


def create_bench_surveys(*, answers: int, seed: int, now: datetime) -> int:
    """Invitations, responses and about ``answers`` answers. Returns the answers made."""
    version = current_version()
    if version is None:
        return 0
    questions = {q.key: q.pk for q in version.questions.all()}
    horizon = now - timedelta(days=settings.SURVEYS_CATCH_UP_DAYS)
    _rounds(now - timedelta(days=4 * 365), now)
    params = {
        "prime": schedule.SPREAD_PRIME,
        "spread_hours": schedule.spread_hours(),
        "step": settings.SURVEYS_CYCLE_MONTHS,
        "emails": f"%@{EMAIL_DOMAIN}",
        "horizon": horizon,
        "version": version.pk,
        "open_days": settings.SURVEYS_OPEN_DAYS,
        "remind": settings.SURVEYS_REMINDER_DAYS,
        "tz": settings.TIME_ZONE,
        "seed": str(seed),
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        cursor.execute(INVITATIONS, params)
        cursor.execute("SELECT count(*) FROM bench_due")
        (invitations,) = cursor.fetchone()
        rate = min(1.0, answers / ANSWERS_PER_RESPONSE / max(invitations, 1))
        cursor.execute(INSERT_INVITATIONS, params | {"rate": rate})
        cursor.execute(RESPONSES, params)
        responses = cursor.fetchall()
        cursor.execute(RESPONSE_LEANS)
        with cursor.copy("COPY bench_responses (id, ward_id, lean) FROM STDIN") as copy:
            for response_id, ward_id in responses:
                # A lean per ward, the same for every question of the ward (-0.5 .. 0.5).
                copy.write_row((response_id, ward_id, _lean(ward_id, seed)))
        cursor.execute("CREATE INDEX ON bench_responses (id); ANALYZE bench_responses")
        weights = PRIORITY_WEIGHTS[None]
        cursor.execute(
            ANSWERS,
            params
            | {
                "scale_ids": [questions[k] for k in SCALE_MEANS],
                "scale_means": list(SCALE_MEANS.values()),
                "ranking": questions["priorities"],
                "concerns": questions["concerns"],
                "comments": questions["comments"],
                "ranking_share": RANKING_SHARE,
                "concerns_share": CONCERNS_SHARE,
                "comment_share": COMMENT_SHARE,
                "comment_texts": list(COMMENTS),
                "n_comments": len(COMMENTS),
                "slugs": list(weights),
                "weights": [float(w) for w in weights.values()],
            },
        )
        cursor.execute(
            "SELECT count(*) FROM surveys_answer "
            "WHERE response_id IN (SELECT id FROM bench_responses)"
        )
        (made,) = cursor.fetchone()
        cursor.execute(
            "ANALYZE surveys_invitation, surveys_response, surveys_answer, surveys_answerpriority"
        )
    return made


def bench_answer_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM surveys_answer a
              JOIN surveys_response r ON r.id = a.response_id
              JOIN accounts_member m ON m.id = r.member_id
              JOIN accounts_user u ON u.id = m.user_id
             WHERE u.email LIKE %s
            """,
            [f"%@{EMAIL_DOMAIN}"],
        )
        return cursor.fetchone()[0]
