"""The small HTML checker the every-page check uses: it catches what it claims to."""

import pytest

from tests.browser.html_check import html_problems


@pytest.mark.parametrize(
    "value",
    ["2026-12-01", "2026-12", "13:45", "13:45:07.123", "2026-12-01T13:45:07.5+00:00",
     "2026-12-01T13:45:07Z", "2026-12-01T13:45:07+0100", "2026"],
)  # fmt: skip
def test_valid_dates_and_times_pass(value):
    assert html_problems(f'<p><time datetime="{value}">then</time></p>') == []


@pytest.mark.parametrize(
    "value", ["2026-12-01T13:45:07.123456+00:00", "1 December 2026", "2026-12-01T25", ""]
)
def test_a_time_with_six_digit_fractions_or_words_is_refused(value):
    assert html_problems(f'<time datetime="{value}">then</time>') == [
        f'line 1: <time datetime="{value}"> is not a valid date/time'
    ]


def test_an_id_used_twice_is_found():
    assert html_problems('<p id="a"></p>\n<p id="a"></p>') == ['line 2: id "a" is used twice']


def test_a_form_in_a_form_and_a_link_in_a_button_are_found():
    html = '<form><form></form></form><button><a href="/">x</a></button>'

    assert html_problems(html) == [
        "line 1: a <form> inside a <form>",
        "line 1: <a> inside <button>",
    ]


def test_svg_elements_closed_by_a_slash_leave_nothing_open():
    html = '<a href="/"><svg><path d="M0 0"/></svg></a><a href="/b">b</a>'

    assert html_problems(html) == []
