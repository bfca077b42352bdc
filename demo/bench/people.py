"""Members for the benchmark: a force's worth, on the real Humberside postcodes.

Drawn with numpy, loaded with one ``COPY`` into a temporary table and spread into the
real tables (users, members, demographics, consent records, community groups) by
set-based SQL, so 250,000 members take seconds. The same shares as the demo members
(``demo.members``): registration dates over three years, some at the door,
some key contacts, some with consented answers about themselves; how many members a
ward has varies (some wards were door-knocked, others barely reached).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from django.db import connection

from accounts.members import consent
from accounts.members.demographics import PREFER_NOT_TO_SAY
from areas.models import Area
from demo.members import (
    AGE_WEIGHTS,
    DISABILITY_WEIGHTS,
    ETHNIC_WEIGHTS,
    LANGUAGE_WEIGHTS,
    RELIGION_WEIGHTS,
)

EMAIL_DOMAIN = "bench.example"
REGISTERED_OVER_DAYS = 3 * 365
SPECIAL = ("ethnic_group", "religion", "disability")
PEOPLE_COLUMNS = (
    "i", "postcode_id", "ward_id", "registered_at", "phone", "by_email", "by_sms",
    "max_frequency", "key_contact", "source", "stopped_at", "language", "answered",
    "age_band", "sex", "ethnic_group", "religion", "disability", "main_language", "groups",
)  # fmt: skip


def _choice(rng: np.random.Generator, weights: dict, n: int) -> np.ndarray:
    values = np.array([str(k) for k in weights])
    p = np.array(list(weights.values()), dtype=float)
    return values[rng.choice(len(values), size=n, p=p / p.sum())]


def _postcodes_by_ward(cursor) -> tuple[np.ndarray, np.ndarray, dict[int, float]]:
    cursor.execute(
        """
        SELECT pc.id, pc.ward_id FROM areas_postcode pc
          JOIN areas_area w ON w.id = pc.ward_id AND w.level = %s
         ORDER BY pc.id
        """,
        [Area.Level.WARD],
    )
    rows = np.array(cursor.fetchall(), dtype=np.int64)
    cursor.execute(
        "SELECT ward_id, sum(households) FROM areas_outputarea "
        "WHERE ward_id IS NOT NULL GROUP BY ward_id"
    )
    households = {w: float(h or 0) for w, h in cursor.fetchall()}
    return rows[:, 0], rows[:, 1], households


def _places(rng: np.random.Generator, cursor, n: int) -> tuple[np.ndarray, np.ndarray]:
    """A postcode for each member: wards by households times their own reach."""
    postcode_ids, postcode_wards, households = _postcodes_by_ward(cursor)
    wards = np.unique(postcode_wards)
    reach = np.array([households.get(int(w), 0.0) or 1.0 for w in wards])
    reach *= rng.lognormal(0, 0.6, len(wards))
    ward_of = wards[rng.choice(len(wards), size=n, p=reach / reach.sum())]
    order = np.argsort(postcode_wards, kind="stable")
    sorted_wards = postcode_wards[order]
    start = np.searchsorted(sorted_wards, ward_of, side="left")
    end = np.searchsorted(sorted_wards, ward_of, side="right")
    picked = order[start + (rng.random(n) * (end - start)).astype(np.int64)]
    return postcode_ids[picked], postcode_wards[picked]


def _demographics(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    answered = rng.random(n) < 0.6
    blank = np.full(n, "", dtype=object)
    out = {
        "answered": answered,
        "age_band": np.where(answered, _choice(rng, AGE_WEIGHTS, n), blank),
        "sex": np.where(answered, rng.choice(["female", "male", PREFER_NOT_TO_SAY], n,
                                             p=[0.48, 0.46, 0.06]), blank),
        "main_language": np.where(answered, _choice(rng, LANGUAGE_WEIGHTS, n), blank),
    }  # fmt: skip
    # Fewer people answer the sensitive questions, and some only some of them.
    for item, weights, share in (
        ("ethnic_group", ETHNIC_WEIGHTS, 0.8),
        ("religion", RELIGION_WEIGHTS, 0.65),
        ("disability", DISABILITY_WEIGHTS, 0.6),
    ):
        out[item] = np.where(answered & (rng.random(n) < share), _choice(rng, weights, n), blank)
    return out


def _groups(rng: np.random.Generator, cursor, n: int) -> tuple[list[str], np.ndarray]:
    cursor.execute('SELECT id, is_advisory FROM accounts_communitygroup ORDER BY "order", id')
    groups = cursor.fetchall()
    ids = np.array([g[0] for g in groups])
    advisory = {g[0] for g in groups if g[1]}
    # Neighbourhood Watch and faith groups are common, advisory groups rare.
    p = np.array([0.5 if g[1] else 3.0 for g in groups]) * rng.uniform(0.5, 1.5, len(groups))
    first = ids[rng.choice(len(ids), n, p=p / p.sum())]
    second = ids[rng.choice(len(ids), n, p=p / p.sum())]
    has = rng.random(n) < 0.35
    two = has & (rng.random(n) < 0.15) & (second != first)
    text = np.where(has, np.where(two, [f"{{{a},{b}}}" for a, b in zip(first, second,
                                                                      strict=True)],
                                  [f"{{{a}}}" for a in first]), "{}")  # fmt: skip
    in_advisory = has & (np.isin(first, list(advisory)) | (two & np.isin(second, list(advisory))))
    return text.tolist(), in_advisory


def _rows(rng: np.random.Generator, cursor, n: int, now: datetime):
    postcodes, wards = _places(rng, cursor, n)
    days = REGISTERED_OVER_DAYS * rng.random(n) ** 1.3  # more of them recently
    registered = [now - timedelta(days=float(d)) for d in days]
    has_phone = rng.random(n) < 0.3
    phones = [f"+4477009{x:05d}" if p else "" for x, p in zip(rng.integers(0, 99999, n),
                                                               has_phone, strict=True)]  # fmt: skip
    by_email = ~has_phone | (rng.random(n) < 0.8)
    frequency = rng.choice(["any", "any", "weekly", "monthly"], n)
    doorstep = rng.random(n) < 0.15
    stopped = rng.random(n) < 0.03
    demo = _demographics(rng, n)
    groups, advisory = _groups(rng, cursor, n)
    key_contact = (rng.random(n) < 0.07) | advisory
    language = np.where((demo["main_language"] == "pl") & (rng.random(n) < 0.6), "pl", "en-gb")
    for i in range(n):
        yield (
            i + 1, int(postcodes[i]), int(wards[i]), registered[i], phones[i], bool(by_email[i]),
            bool(has_phone[i]), frequency[i], bool(key_contact[i]),
            "doorstep" if doorstep[i] else "self",
            registered[i] + (now - registered[i]) / 2 if stopped[i] else None, language[i],
            bool(demo["answered"][i]), demo["age_band"][i], demo["sex"][i],
            demo["ethnic_group"][i], demo["religion"][i], demo["disability"][i],
            demo["main_language"][i], groups[i],
        )  # fmt: skip


SPREAD = """
INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined, email, name)
SELECT '!', false, false, true, b.registered_at, 'bench' || b.i || '@' || %(domain)s,
       'Bench member ' || b.i
  FROM bench_people b ORDER BY b.i;
-- Every bench member confirmed their address (only confirmed members are invited, scored).
INSERT INTO account_emailaddress (user_id, email, verified, "primary")
SELECT u.id, u.email, true, true FROM accounts_user u WHERE u.email LIKE %(emails)s ORDER BY u.id;
INSERT INTO accounts_member (phone, by_email, by_sms, max_frequency, key_contact, registered_at,
                             source, messages_stopped_at, postcode_id, street_id, user_id,
                             ward_id, language)
SELECT b.phone, b.by_email, b.by_sms, b.max_frequency, b.key_contact, b.registered_at,
       b.source, b.stopped_at, b.postcode_id, ns.street_id, u.id, b.ward_id, b.language
  FROM bench_people b
  JOIN accounts_user u ON u.email = 'bench' || b.i || '@' || %(domain)s
  -- Seven in ten name their street: the one nearest their postcode, in their ward.
  LEFT JOIN bench_nearest_street ns ON ns.postcode_id = b.postcode_id AND b.i %% 10 < 7
 ORDER BY b.i;
CREATE TEMP TABLE bench_member_ids ON COMMIT DROP AS
SELECT b.i, m.id AS member_id FROM bench_people b
  JOIN accounts_user u ON u.email = 'bench' || b.i || '@' || %(domain)s
  JOIN accounts_member m ON m.user_id = u.id;
INSERT INTO accounts_demographics (age_band, sex, ethnic_group, religion, disability,
                                   main_language, updated_at, member_id)
SELECT b.age_band, b.sex, b.ethnic_group, b.religion, b.disability, b.main_language,
       b.registered_at, ids.member_id
  FROM bench_people b JOIN bench_member_ids ids ON ids.i = b.i WHERE b.answered;
INSERT INTO accounts_consentrecord (item, given_at, how, wording_version, member_id)
SELECT item, b.registered_at, CASE WHEN b.source = 'doorstep' THEN 'doorstep' ELSE 'online' END,
       %(wording)s, ids.member_id
  FROM bench_people b JOIN bench_member_ids ids ON ids.i = b.i
 CROSS JOIN LATERAL (VALUES ('registration', true),
                            ('ethnic_group', b.ethnic_group NOT IN ('', %(pnts)s)),
                            ('religion', b.religion NOT IN ('', %(pnts)s)),
                            ('disability', b.disability NOT IN ('', %(pnts)s))) c(item, given)
 WHERE c.given;
INSERT INTO accounts_member_groups (member_id, communitygroup_id)
SELECT ids.member_id, g FROM bench_people b JOIN bench_member_ids ids ON ids.i = b.i
 CROSS JOIN LATERAL unnest(b.groups) g;
"""


NEAREST_STREET = """
CREATE TEMP TABLE bench_nearest_street ON COMMIT DROP AS
SELECT pc.id AS postcode_id, st.id AS street_id
  FROM areas_postcode pc
  CROSS JOIN LATERAL (SELECT s.id FROM areas_street s WHERE s.ward_id = pc.ward_id
                       ORDER BY s.geometry <-> pc.point LIMIT 1) st
 WHERE pc.ward_id IS NOT NULL;
CREATE INDEX ON bench_nearest_street (postcode_id);
"""


def bench_member_count() -> int:
    """Bench members with a confirmed address (data made before addresses were is remade)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM accounts_user u WHERE u.email LIKE %s AND EXISTS "
            "(SELECT 1 FROM account_emailaddress a WHERE a.user_id = u.id AND a.verified)",
            [f"%@{EMAIL_DOMAIN}"],
        )
        return cursor.fetchone()[0]


def delete_bench_members() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_gone ON COMMIT DROP AS SELECT m.id FROM accounts_member m "
            "JOIN accounts_user u ON u.id = m.user_id WHERE u.email LIKE %s",
            [f"%@{EMAIL_DOMAIN}"],
        )
        for table, column in (
            ("accounts_member_groups", "member_id"),
            ("accounts_consentrecord", "member_id"),
            ("accounts_demographics", "member_id"),
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM bench_gone)")  # noqa: S608 - our table names
        cursor.execute("DELETE FROM accounts_member WHERE id IN (SELECT id FROM bench_gone)")
        cursor.execute(
            "DELETE FROM account_emailaddress WHERE user_id IN "
            "(SELECT id FROM accounts_user WHERE email LIKE %s)",
            [f"%@{EMAIL_DOMAIN}"],
        )
        cursor.execute("DELETE FROM accounts_user WHERE email LIKE %s", [f"%@{EMAIL_DOMAIN}"])


def create_bench_members(*, count: int, seed: int, now: datetime) -> int:
    """Insert ``count`` members (in the caller's transaction). Returns how many."""
    rng = np.random.default_rng(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE bench_people (
                i integer, postcode_id bigint, ward_id bigint, registered_at timestamptz,
                phone text, by_email boolean, by_sms boolean, max_frequency text,
                key_contact boolean, source text, stopped_at timestamptz, language text,
                answered boolean, age_band text, sex text, ethnic_group text, religion text,
                disability text, main_language text, groups bigint[]
            ) ON COMMIT DROP
            """
        )
        rows = list(_rows(rng, cursor, count, now))
        with cursor.copy(f"COPY bench_people ({', '.join(PEOPLE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("ANALYZE bench_people")
        cursor.execute(NEAREST_STREET)
        cursor.execute(
            SPREAD,
            {
                "domain": EMAIL_DOMAIN,
                "emails": f"%@{EMAIL_DOMAIN}",
                "wording": consent.CURRENT_VERSION,
                "pnts": PREFER_NOT_TO_SAY,
            },
        )
        cursor.execute("ANALYZE accounts_user, accounts_member")
    return count
