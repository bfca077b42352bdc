"""make bench's verdicts: a budget missed, or a result that disagrees, fails the run."""

from benchmarks.run import BUDGETS, derive, verdicts


def result(**values):
    return {"size": 1, "unit": "rows", "peak_mb": 1} | values


def by_step(rows):
    return {r["step"]: r for r in rows}


def test_a_step_within_its_budget_is_met_and_one_past_it_is_missed():
    rows = by_step(
        verdicts(
            {
                "import_all": result(seconds=14.9),
                "score_latest": result(seconds=2.1),
                "invitations": result(seconds=1, rate=12_000),
            }
        )
    )

    assert rows["import_all"]["met"]
    assert not rows["score_latest"]["met"]
    assert rows["invitations"]["met"]


def test_the_pipeline_is_missed_when_a_street_disagrees_with_geopandas_however_fast():
    results = {
        "import_all": result(size=100, seconds=1),
        "score_latest": result(seconds=1),
        "geopandas": result(
            seconds=10, agreement={"differ": 1, "equal": 9, "streets": 10, "examples": []}
        ),
    }
    derive(results)

    pipeline = by_step(verdicts(results))["pipeline"]

    assert results["pipeline"]["speedup"] == 5
    assert not pipeline["met"]
    assert "1 streets' harm differs" in pipeline["notes"][0]


def test_an_uncompressed_page_misses_its_weight_budget_even_when_light():
    page = result(
        seconds=20,
        loaded={"p95_ms": 100, "errors": 0},
        weight={"assets": {}, "total_bytes": 10_000, "html_encoding": ""},
    )
    results = {"officer_page": page}
    derive(results)

    rows = by_step(verdicts(results))

    assert rows["officer_page"]["met"]
    assert not rows["page_weight"]["met"]


def test_every_step_of_the_issue_has_a_budget():
    assert {b.step for b in BUDGETS} >= {
        "import_all", "reimport_month", "score_latest", "score_all", "pipeline", "invitations",
        "deliveries", "officer_page", "page_weight",
    }  # fmt: skip


def test_the_delivery_step_is_missed_below_two_thousand_emails_a_second():
    rows = by_step(
        verdicts({"deliveries": result(size=1_000, seconds=1, rate=1_999, unit="emails")})
    )

    assert not rows["deliveries"]["met"]
