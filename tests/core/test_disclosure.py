"""Disclosure control: the one small-number rule, and complementary suppression of any
table of counts with its total."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from core import disclosure

# Members in each community group, per ward of a district.
WARDS = {
    "riverside": {"faith": 23, "youth": 4},
    "hillside": {"faith": 31, "youth": 15},
    "docks": {"faith": 2, "youth": 30},
}


def test_a_count_is_shown_from_ten_up_and_zero_is_hidden():
    assert [disclosure.count(n) for n in (0, 1, 9, 10, 57)] == [None, None, None, 10, 57]


def test_a_share_is_shown_only_when_its_numerator_and_denominator_are():
    assert disclosure.share(10, 40) == pytest.approx(0.25)
    assert disclosure.share(9, 40) is None
    assert disclosure.share(12, 9) is None


def test_a_mean_is_shown_only_when_ten_values_went_into_it():
    assert disclosure.mean(35, 10) == pytest.approx(3.5)
    assert disclosure.mean(27, 9) is None


def test_the_threshold_is_read_from_the_setting_at_each_call(settings):
    assert disclosure.count(5) is None
    settings.DISCLOSURE_THRESHOLD = 5

    assert disclosure.threshold() == 5
    assert disclosure.count(5) == 5
    assert disclosure.share(5, 8) == pytest.approx(5 / 8)
    assert disclosure.mean(20, 5) == pytest.approx(4)


@pytest.mark.parametrize("value", [0, -3, "10"])
def test_a_threshold_that_would_show_zeros_or_is_not_a_number_is_refused(settings, value):
    settings.DISCLOSURE_THRESHOLD = value

    with pytest.raises(ImproperlyConfigured):
        disclosure.count(12)


def test_the_second_smallest_part_is_hidden_when_one_part_is_small():
    parts = [{"n": 20}, {"n": 4}, {"n": 12}]

    assert disclosure.complementary(parts, total_shown=["n"]) == [set(), set(), {"n"}]


def test_two_small_parts_adding_up_to_ten_hide_nothing_more():
    parts = [{"n": 20}, {"n": 4}, {"n": 6}]

    assert disclosure.complementary(parts, total_shown=["n"]) == [set(), set(), set()]


def test_a_small_part_hidden_with_zeros_only_still_needs_a_second_part_hidden():
    parts = [{"n": 0}, {"n": 0}, {"n": 3}, {"n": 15}, {"n": 11}]

    assert disclosure.complementary(parts, total_shown=["n"]) == [set(), set(), set(), set(), {"n"}]


def test_hidden_zeros_alone_give_nobody_away():
    parts = [{"n": 0}, {"n": 20}, {"n": 15}]

    assert disclosure.complementary(parts, total_shown=["n"]) == [set(), set(), set()]


def test_a_tie_is_broken_by_the_order_the_parts_are_given_in():
    parts = [{"n": 4}, {"n": 12}, {"n": 12}]

    assert disclosure.complementary(parts, total_shown=["n"]) == [set(), {"n"}, set()]


def test_a_hidden_total_needs_no_more_of_its_parts_hidden():
    parts = [{"n": 20}, {"n": 4}, {"n": 12}]

    assert disclosure.complementary(parts, total_shown=[]) == [set(), set(), set()]


def test_parts_hidden_by_the_caller_count_as_hidden():
    # The second part is hidden on the page for its own reasons (a street not listed).
    parts = [{"n": 20}, {"n": 14}, {"n": 4}]

    extra = disclosure.complementary(parts, total_shown=["n"], hidden=[set(), {"n"}, {"n"}])

    assert extra == [set(), set(), set()]


def test_one_part_the_caller_hides_is_never_left_hidden_alone_even_when_large():
    parts = [{"n": 20}, {"n": 14}, {"n": 15}]

    extra = disclosure.complementary(parts, total_shown=["n"], hidden=[set(), {"n"}, set()])

    assert extra == [set(), set(), {"n"}]


def test_a_table_hides_small_cells_and_the_cells_that_would_give_them_away():
    table = disclosure.suppress_table(WARDS)

    assert table.total == {"faith": 56, "youth": 49}
    assert table.parts == {
        # Faith: docks' 2 would be 56 - 31 - 23 away: the smaller shown one goes too.
        "riverside": {"faith": None, "youth": None},
        # Youth: riverside's 4 would be 49 - 30 - 15 away.
        "hillside": {"faith": 31, "youth": None},
        "docks": {"faith": None, "youth": 30},
    }


def test_a_table_whose_total_is_hidden_hides_only_its_small_cells():
    table = disclosure.suppress_table(WARDS, total_hidden={"youth"})

    assert table.total == {"faith": 56, "youth": None}
    assert [row["youth"] for row in table.parts.values()] == [None, 15, 30]


def test_a_column_a_part_lacks_counts_as_zero_and_columns_keep_their_first_order():
    table = disclosure.suppress_table({1: {"b": 12}, 2: {"a": 30, "b": 20}})

    assert list(table.total) == ["b", "a"]
    assert table.parts == {1: {"b": 12, "a": None}, 2: {"a": 30, "b": 20}}


def test_a_lower_threshold_in_the_settings_shows_more_of_the_same_table(settings):
    settings.DISCLOSURE_THRESHOLD = 3

    table = disclosure.suppress_table(WARDS)

    assert table.parts == {
        # Docks' 2 is still under the threshold, and still protected by riverside's 23.
        "riverside": {"faith": None, "youth": 4},
        "hillside": {"faith": 31, "youth": 15},
        "docks": {"faith": None, "youth": 30},
    }


COLUMNS = ["faith", "youth", "older"]
tables = st.lists(
    st.dictionaries(st.sampled_from(COLUMNS), st.integers(min_value=0, max_value=30)),
    min_size=1,
    max_size=7,
)


@given(
    parts=tables,
    limit=st.integers(min_value=1, max_value=15),
    total_hidden=st.sets(st.sampled_from(COLUMNS)),
)
def test_no_hidden_cell_of_any_table_can_be_worked_out_from_what_is_shown(
    parts, limit, total_hidden
):
    with override_settings(DISCLOSURE_THRESHOLD=limit):
        table = disclosure.suppress_table(dict(enumerate(parts)), columns=COLUMNS,
                                          total_hidden=total_hidden)  # fmt: skip

    for column in COLUMNS:
        truth = [part.get(column, 0) for part in parts]
        shown = [table.parts[i][column] for i in range(len(parts))]
        total = sum(truth)
        expected_total = total if total >= limit and column not in total_hidden else None
        assert table.total[column] == expected_total
        for value, cell in zip(truth, shown, strict=True):
            # Every shown count is true and at least the threshold; every small one hidden.
            assert cell is None or cell == value >= limit
            assert value >= limit or cell is None
        if table.total[column] is None:
            continue
        # What subtraction gives: the hidden cells' sum. It must give away no one cell,
        # so it is 0 (only zeros hidden) or spread over two or more cells with something
        # in them, and at least the threshold.
        hidden = [value for value, cell in zip(truth, shown, strict=True) if cell is None]
        assert total - sum(c for c in shown if c is not None) == sum(hidden)
        something = [value for value in hidden if value]
        assert not something or (len(something) >= 2 and sum(something) >= limit), hidden


@given(
    parts=tables,
    limit=st.integers(min_value=1, max_value=15),
    chosen=st.lists(st.sets(st.sampled_from(COLUMNS)), min_size=7, max_size=7),
)
def test_cells_hidden_by_the_caller_are_protected_like_small_ones(parts, limit, chosen):
    with override_settings(DISCLOSURE_THRESHOLD=limit):
        hidden = [
            {c for c in COLUMNS if part.get(c, 0) < limit} | chosen[i]
            for i, part in enumerate(parts)
        ]
        totals = {c: sum(part.get(c, 0) for part in parts) for c in COLUMNS}
        total_shown = [c for c in COLUMNS if totals[c] >= limit]
        extra = disclosure.complementary(parts, total_shown=total_shown, hidden=hidden)

    for column in total_shown:
        out = [p.get(column, 0) for i, p in enumerate(parts) if column in hidden[i] | extra[i]]
        # A single part is its total: nothing can protect it but hiding the total.
        assert sum(out) == 0 or (len(out) >= 2 and sum(out) >= limit) or len(parts) == 1, out
