"""An exact one-sided binomial test in SQL, so trends are tested set-based.

``targeting_binomial_upper(x, n, p)`` is P(X >= x) for X ~ Binomial(n, p), summed in
log space (no overflow for large n). With a street's count this month ``x`` and the
``y`` crimes of its ``k`` baseline months, the conditional test of "this month's rate
is no higher than usual" is ``targeting_binomial_upper(x, x + y, 1 / (1 + k))``.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION targeting_binomial_upper(x integer, n integer, p double precision)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    log_pmf double precision;
    total double precision;
    step double precision;
BEGIN
    IF x <= 0 THEN RETURN 1; END IF;
    IF x > n OR p <= 0 THEN RETURN 0; END IF;
    IF p >= 1 THEN RETURN 1; END IF;
    -- log P(X = x) = log C(n, x) + x log p + (n - x) log (1 - p)
    log_pmf := x * ln(p) + (n - x) * ln(1 - p);
    FOR i IN 1..x LOOP
        log_pmf := log_pmf + ln((n - x + i)::double precision / i);
    END LOOP;
    -- exp() raises on underflow in PostgreSQL: terms below e^-700 count as zero.
    total := CASE WHEN log_pmf > -700 THEN exp(log_pmf) ELSE 0 END;
    step := ln(p / (1 - p));
    FOR k IN x..n - 1 LOOP
        log_pmf := log_pmf + ln((n - k)::double precision / (k + 1)) + step;
        IF log_pmf > -700 THEN
            total := total + exp(log_pmf);
        END IF;
    END LOOP;
    RETURN least(total, 1.0);
END
$$;
"""

DROP = "DROP FUNCTION IF EXISTS targeting_binomial_upper(integer, integer, double precision);"


class Migration(migrations.Migration):
    dependencies = [("targeting", "0002_reference_data")]

    operations = [migrations.RunSQL(CREATE, DROP)]
