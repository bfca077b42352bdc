"""core.charts: one chart module, each chart drawn with its data table from one value."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.template.loader import render_to_string

from core import charts

HOSTILE = '<script>alert("x")</script> & "quotes"'


def trend(values: list[float | None], **kwargs) -> charts.Chart:
    return charts.Chart(
        kind=charts.Kind.LINE,
        id="trend",
        title="Trust by quarter",
        description="One line over the quarters.",
        caption="Trend data",
        heading="Quarter",
        rows=[charts.Row(f"2025 Q{i + 1}") for i in range(len(values))],
        columns=[charts.Series("Trust", [charts.Value(v) for v in values])],
        scale=(1, 5),
        decimals=2,
        **kwargs,
    )


def bars(values: list[float | None], kind=charts.Kind.BARS, **kwargs) -> charts.Chart:
    return charts.Chart(
        kind=kind,
        id="bars",
        title="Score by month",
        description="One bar a month.",
        caption="Score by month",
        heading="Month",
        rows=[charts.Row(f"Month {i + 1}") for i in range(len(values))],
        columns=[charts.Series("Score", [charts.Value(v) for v in values])],
        **kwargs,
    )


def page(chart: charts.Chart) -> str:
    return render_to_string("_partials/chart.html", {"chart": chart})


def figure(html: str) -> str:
    return html[html.index("<svg") : html.index("</svg>")]


def table_cells(html: str, column: int = 0) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [re.findall(r'<td class="num">(.*?)</td>', row, re.S)[column] for row in rows]


# --- Escaping -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(charts.Kind))
def test_a_hostile_label_is_escaped_in_the_figure_and_the_table(kind):
    chart = charts.Chart(
        kind=kind,
        id="hostile",
        title=HOSTILE,
        description=HOSTILE,
        caption=HOSTILE,
        heading=HOSTILE,
        rows=[charts.Row(HOSTILE, href='?x="><script>'), charts.Row("Two")],
        columns=[
            charts.Series(HOSTILE, [charts.Value(2, note=HOSTILE), charts.Value(3)]),
            charts.Series("Other", [charts.Value(1), charts.Value(2)]),
            charts.Column(HOSTILE, [HOSTILE, None]),
        ],
    )

    html = page(chart)

    assert "<script>" not in html
    assert 'alert("x")' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in html
    assert html.count("&lt;script&gt;") >= 8  # title, desc, axis, tip, legend, table...


# --- Hidden values --------------------------------------------------------------------------


def test_a_hidden_value_on_a_line_is_a_gap_between_two_lines():
    html = page(trend([3.0, 3.5, None, 4.0, 4.25]))
    svg = figure(html)

    assert svg.count("<polyline") == 2  # the line stops at the hidden quarter
    assert svg.count("<circle") == 4
    assert "2025 Q3, Trust" not in svg  # no mark for it, at zero or anywhere
    assert table_cells(html)[2].startswith('<span class="hidden-value"')


@pytest.mark.parametrize("kind", [charts.Kind.BARS, charts.Kind.ROWS])
def test_a_hidden_bar_is_a_gap_not_a_bar_of_zero(kind):
    html = page(bars([12, None, 7], kind=kind, hidden_mark="<10", hidden_reason="too few"))
    svg = figure(html)

    assert svg.count("<rect") == 2
    assert "Month 2, Score" not in svg
    assert re.findall(r'<text class="value"[^>]*>([^<]*)</text>', svg) == ["12", "7"]
    assert '<text class="value gap"' in svg and "&lt;10<title>too few</title>" in svg
    assert ">0<" not in table_cells(html)[1]
    assert "too few" in table_cells(html)[1]


def test_a_chart_with_every_value_hidden_draws_no_bar_and_no_line():
    assert "<rect" not in figure(page(bars([None, None])))
    assert "<polyline" not in figure(page(trend([None, None, None])))


# --- The same numbers -----------------------------------------------------------------------


def test_the_table_and_the_bars_hold_the_same_numbers():
    html = page(bars([62.4, 80, 15.6]))

    drawn = re.findall(r'<text class="value"[^>]*>([^<]*)</text>', figure(html))
    assert drawn == table_cells(html) == ["62", "80", "16"]


def test_the_table_and_the_line_hold_the_same_numbers():
    html = page(trend([3.14159, 4.0, 2.5]))

    tips = re.findall(r"<circle [^>]*><title>[^:]+: ([^<]*)</title>", figure(html))
    assert tips == table_cells(html) == ["3.14", "4.00", "2.50"]


def test_shares_are_drawn_and_tabled_as_the_same_percentages():
    html = page(bars([0.456, 0.2], kind=charts.Kind.ROWS, scale=(0, 1), percent=True))

    drawn = re.findall(r'<text class="value"[^>]*>([^<]*)</text>', figure(html))
    assert drawn == table_cells(html) == ["46%", "20%"]


def test_a_bar_is_as_tall_as_its_share_of_the_scale():
    svg = figure(page(bars([25, 100], scale=(0, 100))))

    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights[1] == pytest.approx(4 * heights[0])


def test_a_note_follows_the_number_in_the_table_only():
    chart = trend([4.0])
    chart = replace(chart, columns=[charts.Series("Trust", [charts.Value(4.0, note="(12)")])])
    html = page(chart)

    assert table_cells(html) == ["4.00 (12)"]
    assert "(12)" not in figure(html)


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="2 values for 3 rows"):
        charts.Chart(
            kind=charts.Kind.BARS,
            id="x",
            title="t",
            description="d",
            caption="c",
            heading="h",
            rows=[charts.Row("a"), charts.Row("b"), charts.Row("c")],
            columns=[charts.Series("s", [charts.Value(1), charts.Value(2)])],
        )


# --- Accessible and CSP-safe ----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(charts.Kind))
def test_the_figure_is_an_image_named_by_its_title_and_description(kind):
    svg = figure(page(bars([1, 2], kind=kind)))

    assert svg.startswith('<svg class="chart"')
    assert 'role="img"' in svg and 'aria-labelledby="bars-t bars-d"' in svg
    assert '<title id="bars-t">Score by month</title>' in svg
    assert '<desc id="bars-d">One bar a month.</desc>' in svg


@pytest.mark.parametrize("kind", list(charts.Kind))
def test_no_chart_has_a_style_attribute_or_a_colour_of_its_own(kind):
    chart = charts.Chart(
        kind=kind,
        id="two",
        title="t",
        description="d",
        caption="c",
        heading="h",
        rows=[charts.Row("a"), charts.Row("b")],
        columns=[
            charts.Series("one", [charts.Value(1, 0.5, 1.5), charts.Value(None)]),
            charts.Series("two", [charts.Value(2, css="band-60"), charts.Value(3)]),
        ],
    )
    html = page(chart)

    assert "style=" not in html
    assert not re.search(r"(fill|stroke)=", html)
    assert "#" not in figure(html)
    assert 'class="bar s1 band-60"' in html or kind in (charts.Kind.LINE, charts.Kind.SCATTER)


def test_several_series_get_a_legend_and_one_does_not():
    two = trend([1, 2])
    two = replace(two, columns=[*two.columns, charts.Series("Safe", two.columns[0].values)])

    assert '<ul class="chart-legend">' in page(two)
    assert "Safe</li>" in page(two)
    assert "chart-legend" not in page(trend([1, 2]))


def test_the_current_row_is_marked_and_a_row_can_link():
    chart = bars([1, 2])
    rows = [charts.Row("a", href="?period=2024-01"), charts.Row("b", current=True)]
    html = page(replace(chart, rows=rows))

    assert '<th scope="row"><a href="?period=2024-01">a</a></th>' in html
    assert '<tr aria-current="true"><th scope="row">b</th>' in html
