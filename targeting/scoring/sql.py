"""The SQL of the scores, statement by statement (run by ``targeting.scoring``).

Placeholders: ``%(name)s`` are query parameters; ``{name}`` are our own table and
column names filled in with ``str.format`` (never input).
"""

from accounts.models import CONFIRMED_MEMBER_SQL

PREPARE = """
DROP TABLE IF EXISTS pg_temp.score_units, pg_temp.score_street_oa, pg_temp.score_oa,
                     pg_temp.score_postcode_oa, pg_temp.score_crime_counts,
                     pg_temp.score_member_dates;
-- Kept for the whole run (each period commits on its own); dropped when it ends.
CREATE TEMP TABLE score_units AS
SELECT w.id AS ward_id, w.parent_id AS district_id,
       COALESCE(d.parent_id, d.id, w.id) AS force_id
  FROM areas_area w LEFT JOIN areas_area d ON d.id = w.parent_id
 WHERE w.level = %(ward)s;
-- Only the forces asked for (all by default).
DELETE FROM score_units WHERE %(forces)s::bigint[] IS NOT NULL AND force_id <> ALL(%(forces)s);
CREATE INDEX ON score_units (ward_id);
ANALYZE score_units;
CREATE TEMP TABLE score_street_oa AS
SELECT DISTINCT s.id AS street_id, oa.id AS oa_id
  FROM areas_street s
  JOIN score_units u ON u.ward_id = s.ward_id
  JOIN areas_outputarea oa ON ST_Intersects(oa.boundary, s.geometry);
CREATE INDEX ON score_street_oa (street_id);
ANALYZE score_street_oa;
CREATE TEMP TABLE score_oa AS
SELECT oa.id AS oa_id, oa.ward_id, oa.households, oa.usual_residents, oa.boundary,
       d.imd_decile
  FROM areas_outputarea oa
  LEFT JOIN targeting_lsoadeprivation d ON d.lsoa_id = oa.lsoa_id;
CREATE INDEX ON score_oa (oa_id);
CREATE INDEX ON score_oa USING gist (boundary);
ANALYZE score_oa;
-- The output area holding each postcode, found once rather than for each member in
-- each period.
CREATE TEMP TABLE score_postcode_oa AS
SELECT pc.id AS postcode_id, oa.oa_id
  FROM areas_postcode pc JOIN score_oa oa ON ST_Covers(oa.boundary, pc.point);
CREATE INDEX ON score_postcode_oa (postcode_id);
ANALYZE score_postcode_oa;
-- Crimes by street, ward, month and category for every month the run reads, counted
-- once: each period then takes its months from here.
CREATE TEMP TABLE score_crime_counts AS
SELECT p.street_id, p.ward_id, c.month, c.category_id, count(*)::integer AS n
  FROM targeting_crime c
  JOIN targeting_mappoint p ON p.id = c.location_id
 WHERE c.month = ANY(%(months)s)
   AND p.ward_id IN (SELECT ward_id FROM score_units)
 GROUP BY p.street_id, p.ward_id, c.month, c.category_id;
CREATE INDEX ON score_crime_counts (month);
ANALYZE score_crime_counts;
-- Members who can be counted at all (active accounts of confirmed members: see
-- accounts.models.MemberQuerySet.confirmed), each period filtering by date.
CREATE TEMP TABLE score_member_dates AS
SELECT m.postcode_id, m.ward_id, m.registered_at, m.messages_stopped_at
  FROM accounts_member m
  JOIN accounts_user u ON u.id = m.user_id AND u.is_active AND {confirmed};
ANALYZE score_member_dates;
""".format(confirmed=CONFIRMED_MEMBER_SQL.format(user_id="u.id"))

FINISH = """
DROP TABLE IF EXISTS pg_temp.score_units, pg_temp.score_street_oa, pg_temp.score_oa,
                     pg_temp.score_postcode_oa, pg_temp.score_crime_counts,
                     pg_temp.score_member_dates;
"""


PERIOD_INPUTS = """
DROP TABLE IF EXISTS pg_temp.score_crime, pg_temp.score_oa_members, pg_temp.score_ward_members;
CREATE TEMP TABLE score_crime ON COMMIT DROP AS
SELECT c.street_id, c.ward_id, c.month, c.category_id, cat.slug, cat.priority,
       cat.harm_weight, c.n
  FROM score_crime_counts c
  JOIN targeting_crimecategory cat ON cat.id = c.category_id
 WHERE c.month = ANY(%(months)s);
-- Members as of the period, by the output area holding their postcode, and by ward.
CREATE TEMP TABLE score_oa_members ON COMMIT DROP AS
SELECT po.oa_id, count(*)::integer AS members
  FROM score_member_dates m
  JOIN score_postcode_oa po ON po.postcode_id = m.postcode_id
 WHERE m.registered_at <= %(as_of)s
   AND (m.messages_stopped_at IS NULL OR m.messages_stopped_at > %(as_of)s)
 GROUP BY po.oa_id;
CREATE TEMP TABLE score_ward_members ON COMMIT DROP AS
SELECT m.ward_id, count(*)::integer AS members
  FROM score_member_dates m
 WHERE m.registered_at <= %(as_of)s
   AND (m.messages_stopped_at IS NULL OR m.messages_stopped_at > %(as_of)s)
 GROUP BY m.ward_id;
"""

# Crime statistics of a unit ({unit} = street_id or ward_id), from score_crime.


STATS = """
DROP TABLE IF EXISTS pg_temp.score_{kind}_stats, pg_temp.score_{kind}_categories;
CREATE TEMP TABLE score_{kind}_categories ON COMMIT DROP AS
SELECT {unit} AS unit_id, slug, priority, category_id,
       coalesce(sum(n) FILTER (WHERE month = ANY(%(window)s)), 0)::integer AS crimes,
       coalesce(sum(n * harm_weight) FILTER (WHERE month = ANY(%(window)s)), 0) AS harm
  FROM score_crime WHERE {unit} IS NOT NULL
 GROUP BY {unit}, slug, priority, category_id;
CREATE INDEX ON score_{kind}_categories (unit_id);
ANALYZE score_{kind}_categories;
CREATE TEMP TABLE score_{kind}_stats ON COMMIT DROP AS
WITH top AS (
    SELECT DISTINCT ON (unit_id) unit_id, category_id
      FROM score_{kind}_categories WHERE harm > 0
     ORDER BY unit_id, harm DESC, crimes DESC, category_id
)
SELECT c.{unit} AS unit_id,
       coalesce(sum(c.n) FILTER (WHERE c.month = ANY(%(window)s)), 0)::integer AS crimes,
       coalesce(sum(c.n * c.harm_weight) FILTER (WHERE c.month = ANY(%(window)s)), 0)
           / %(window_months)s AS harm_weighted,
       coalesce(sum(c.n) FILTER (WHERE c.month = %(period)s), 0)::integer AS x,
       coalesce(sum(c.n) FILTER (WHERE c.month = ANY(%(baseline)s)), 0)::integer AS y,
       coalesce(sum(c.n) FILTER (WHERE c.month = %(period)s AND c.slug = %(asb)s), 0)::integer
           AS asb_x,
       coalesce(sum(c.n) FILTER (WHERE c.month = ANY(%(baseline)s) AND c.slug = %(asb)s),
                0)::integer AS asb_y,
       min(top.category_id) AS top_category_id
  FROM score_crime c LEFT JOIN top ON top.unit_id = c.{unit}
 WHERE c.{unit} IS NOT NULL
 GROUP BY c.{unit};
CREATE INDEX ON score_{kind}_stats (unit_id);
ANALYZE score_{kind}_stats;
"""

# What residents say, per unit: concern against the unit's harm mix, and confidence.


SURVEY = """
DROP TABLE IF EXISTS pg_temp.score_{kind}_survey;
CREATE TEMP TABLE score_{kind}_survey ON COMMIT DROP AS
WITH level AS (
    -- The street's own respondents when there are enough of them, else its ward's.
    SELECT u.unit_id, u.ward_id,
           CASE WHEN coalesce(own.respondents, 0) >= %(min_respondents)s
                THEN %(kind)s ELSE 'ward' END AS level,
           CASE WHEN coalesce(own.respondents, 0) >= %(min_respondents)s
                THEN u.unit_id ELSE u.ward_id END AS survey_unit
      FROM ({units}) u
      LEFT JOIN score_respondents own ON own.level = %(kind)s AND own.unit_id = u.unit_id
),
harm AS (
    SELECT unit_id, priority, sum(harm) AS harm,
           sum(sum(harm)) OVER (PARTITION BY unit_id) AS total
      FROM score_{kind}_categories GROUP BY unit_id, priority
),
concern AS (
    SELECT l.unit_id, sum(sp.share * h.harm / h.total) AS concern
      FROM level l
      JOIN score_priority sp ON sp.level = l.level AND sp.unit_id = l.survey_unit
      JOIN harm h ON h.unit_id = l.unit_id AND h.priority = sp.slug
     WHERE h.total > 0
     GROUP BY l.unit_id
),
top AS (
    SELECT DISTINCT ON (level, unit_id) level, unit_id, slug, share
      FROM score_priority ORDER BY level, unit_id, share DESC, slug
)
SELECT l.unit_id, l.level, r.respondents,
       CASE WHEN r.respondents IS NULL THEN NULL ELSE coalesce(c.concern, 0) END AS concern,
       CASE WHEN r.respondents IS NULL THEN NULL ELSE t.slug END AS top_priority,
       CASE WHEN r.respondents IS NULL THEN NULL ELSE t.share END AS top_priority_share,
       CASE WHEN r.respondents IS NULL THEN NULL ELSE cf.mean END AS confidence_mean
  FROM level l
  -- Fewer respondents than the small-number threshold: their answers do not count.
  LEFT JOIN score_respondents r
         ON r.level = l.level AND r.unit_id = l.survey_unit
        AND r.respondents >= %(min_respondents)s
  LEFT JOIN concern c ON c.unit_id = l.unit_id
  LEFT JOIN top t ON t.level = l.level AND t.unit_id = l.survey_unit
  LEFT JOIN score_confidence cf ON cf.level = l.level AND cf.unit_id = l.survey_unit;
CREATE INDEX ON score_{kind}_survey (unit_id);
ANALYZE score_{kind}_survey;
"""


STREET_UNITS = (
    "SELECT s.id AS unit_id, s.ward_id FROM areas_street s "
    "JOIN score_units u ON u.ward_id = s.ward_id"
)


WARD_UNITS = "SELECT ward_id AS unit_id, ward_id FROM score_units"


COMPONENTS = """
    CASE WHEN b.baseline_months = 0 THEN NULL
         WHEN b.trend_p < %(alpha)s AND b.crimes_month >= 3
         THEN least(1, greatest(0, ln(((b.crimes_month + 0.5) * b.baseline_months)
                                      / (b.baseline_crimes + 0.5)) / ln(2) / 2))
         ELSE 0 END AS trend,
    CASE WHEN b.confidence_mean IS NULL OR b.confidence_force_mean IS NULL THEN NULL
         ELSE least(1, greatest(0, (b.confidence_force_mean - b.confidence_mean) / 2)) END
        AS confidence,
    CASE WHEN b.imd_decile IS NULL THEN NULL ELSE (10 - b.imd_decile) / 9 END AS vulnerability,
    CASE WHEN coalesce(b.households, 0) = 0 THEN NULL
         ELSE least(1, greatest(0, 1 - b.members_per_100 / %(target)s)) END AS engagement
"""


# The trend test (crimes and ASB this month against the baseline months, binomial) and
# the survey columns: the same for streets and wards, from the unit's stats (st),
# survey (sv) and the force's confidence mean (cf).
TREND_AND_SURVEY_COLUMNS = """
       coalesce(st.x, 0) AS crimes_month, coalesce(st.y, 0) AS baseline_crimes,
       %(baseline_months)s AS baseline_months,
       CASE WHEN %(baseline_months)s > 0 AND coalesce(st.y, 0) > 0
            THEN coalesce(st.x, 0)::double precision * %(baseline_months)s / st.y END
           AS trend_ratio,
       CASE WHEN %(baseline_months)s > 0
            THEN targeting_binomial_upper(coalesce(st.x, 0), coalesce(st.x, 0) + coalesce(st.y, 0),
                                          1.0 / (1 + %(baseline_months)s)) END AS trend_p,
       coalesce(st.asb_x, 0) AS asb_month, coalesce(st.asb_y, 0) AS asb_baseline,
       CASE WHEN %(baseline_months)s > 0 AND coalesce(st.asb_y, 0) > 0
            THEN coalesce(st.asb_x, 0)::double precision * %(baseline_months)s / st.asb_y END
           AS asb_ratio,
       CASE WHEN %(baseline_months)s > 0
            THEN targeting_binomial_upper(coalesce(st.asb_x, 0),
                                          coalesce(st.asb_x, 0) + coalesce(st.asb_y, 0),
                                          1.0 / (1 + %(baseline_months)s)) END AS asb_p,
       coalesce(sv.respondents, 0) AS respondents,
       CASE WHEN sv.respondents IS NULL THEN '' ELSE sv.level END AS survey_level,
       sv.concern, coalesce(sv.top_priority, '') AS top_priority, sv.top_priority_share,
       sv.confidence_mean, cf.mean AS confidence_force_mean,
"""


STREET_BASE = (
    """
DROP TABLE IF EXISTS pg_temp.score_street_base;
CREATE TEMP TABLE score_street_base ON COMMIT DROP AS
WITH people AS (
    SELECT so.street_id, sum(oa.households)::integer AS households,
           sum(coalesce(om.members, 0))::integer AS members,
           sum(oa.households * oa.imd_decile)::double precision
               / nullif(sum(oa.households) FILTER (WHERE oa.imd_decile IS NOT NULL), 0)
               AS imd_decile
      FROM score_street_oa so
      JOIN score_oa oa ON oa.oa_id = so.oa_id
      LEFT JOIN score_oa_members om ON om.oa_id = so.oa_id
     GROUP BY so.street_id
),
ward_people AS (
    SELECT oa.ward_id, sum(oa.households)::integer AS households
      FROM score_oa oa WHERE oa.ward_id IS NOT NULL GROUP BY oa.ward_id
)
SELECT s.id AS street_id, s.ward_id, u.force_id,
       coalesce(st.crimes, 0) AS crimes, coalesce(st.harm_weighted, 0) AS harm_weighted,
       st.top_category_id,
"""
    + TREND_AND_SURVEY_COLUMNS
    # Households, members and the engagement gap are for streets only: a place (a car
    # park, a hospital) keeps its crimes, score and deprivation but has no homes.
    + """       p.imd_decile,
       CASE WHEN s.kind = 'street' THEN coalesce(p.members, 0) ELSE 0 END AS members,
       CASE WHEN s.kind = 'street' THEN p.households END AS households,
       CASE WHEN s.kind = 'street' AND p.households > 0
            THEN 100.0 * p.members / p.households END AS members_per_100,
       CASE WHEN wp.households > 0
            THEN 100.0 * coalesce(wm.members, 0) / wp.households END AS reference_members_per_100
  FROM areas_street s
  JOIN score_units u ON u.ward_id = s.ward_id
  LEFT JOIN score_street_stats st ON st.unit_id = s.id
  LEFT JOIN score_street_survey sv ON sv.unit_id = s.id
  LEFT JOIN score_confidence_force cf ON cf.force_id = u.force_id
  LEFT JOIN people p ON p.street_id = s.id
  LEFT JOIN ward_people wp ON wp.ward_id = s.ward_id
  LEFT JOIN score_ward_members wm ON wm.ward_id = s.ward_id;
"""
)


WARD_BASE = (
    """
DROP TABLE IF EXISTS pg_temp.score_ward_base;
CREATE TEMP TABLE score_ward_base ON COMMIT DROP AS
WITH people AS (
    SELECT oa.ward_id, sum(oa.households)::integer AS households,
           sum(oa.usual_residents)::integer AS residents,
           sum(oa.households * oa.imd_decile)::double precision
               / nullif(sum(oa.households) FILTER (WHERE oa.imd_decile IS NOT NULL), 0)
               AS imd_decile
      FROM score_oa oa WHERE oa.ward_id IS NOT NULL GROUP BY oa.ward_id
),
force_people AS (
    SELECT u.force_id, sum(p.households) AS households, sum(coalesce(wm.members, 0)) AS members
      FROM score_units u
      LEFT JOIN people p ON p.ward_id = u.ward_id
      LEFT JOIN score_ward_members wm ON wm.ward_id = u.ward_id
     GROUP BY u.force_id
)
SELECT u.ward_id, u.district_id, u.force_id,
       coalesce(st.crimes, 0) AS crimes,
       -- Per 1,000 residents where the census count is known.
       CASE WHEN p.residents > 0 THEN coalesce(st.harm_weighted, 0) * 1000.0 / p.residents
            ELSE coalesce(st.harm_weighted, 0) END AS harm_weighted,
       st.top_category_id, p.residents,
"""
    + TREND_AND_SURVEY_COLUMNS
    + """       p.imd_decile, coalesce(wm.members, 0) AS members, p.households,
       CASE WHEN p.households > 0 THEN 100.0 * coalesce(wm.members, 0) / p.households END
           AS members_per_100,
       CASE WHEN fp.households > 0 THEN 100.0 * fp.members / fp.households END
           AS reference_members_per_100
  FROM score_units u
  LEFT JOIN score_ward_stats st ON st.unit_id = u.ward_id
  LEFT JOIN score_ward_survey sv ON sv.unit_id = u.ward_id
  LEFT JOIN score_confidence_force cf ON cf.force_id = u.force_id
  LEFT JOIN people p ON p.ward_id = u.ward_id
  LEFT JOIN force_people fp ON fp.force_id = u.force_id
  LEFT JOIN score_ward_members wm ON wm.ward_id = u.ward_id;
"""
)


SHARED_COLUMNS = """
    period, crimes, window_months, harm_weighted, harm, top_category_id, crimes_month,
    baseline_crimes, baseline_months, trend_ratio, trend_p, trend, asb_month, asb_baseline,
    asb_ratio, asb_p, respondents, survey_level, concern, top_priority, top_priority_share,
    confidence_mean, confidence_force_mean, confidence, imd_decile, vulnerability, members,
    households, members_per_100, reference_members_per_100, engagement_target, engagement,
    score, weights, rank_in_force, count_in_force, actions, computed_at
"""


SHARED_VALUES = """
    %(period)s, c.crimes, %(window_months)s, c.harm_weighted, c.harm, c.top_category_id,
    c.crimes_month, c.baseline_crimes, c.baseline_months, c.trend_ratio, c.trend_p, c.trend,
    c.asb_month, c.asb_baseline, c.asb_ratio, c.asb_p, c.respondents, c.survey_level, c.concern,
    c.top_priority, c.top_priority_share, c.confidence_mean, c.confidence_force_mean,
    c.confidence, c.imd_decile, c.vulnerability, c.members, c.households, c.members_per_100,
    c.reference_members_per_100, %(target)s, c.engagement,
    c.score, %(weights)s::jsonb, row_number() OVER (PARTITION BY c.force_id ORDER BY c.score DESC,
                                c.harm_weighted DESC, {unit}),
    count(*) OVER (PARTITION BY c.force_id), '[]'::jsonb, now()
"""
