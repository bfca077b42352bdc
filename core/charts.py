"""Charts drawn on the server as SVG, each with its data table: no JavaScript, no CDN.

A ``Chart`` holds the numbers once; ``templates/_partials/chart.html`` draws the figure
(``Chart.svg``) and the table (``Chart.table``) from them, so a page cannot show one
without the other and the two cannot disagree. The SVG is ``role="img"`` with a title
and a description. Every text goes through ``format_html``; colours and line styles are
classes from static/css/charts.css (the CSP allows no inline styles), and series differ
in dash pattern and marker as well as colour. A hidden (suppressed) value is a gap in
the figure and a "not shown" cell in the table, never a zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.template.defaultfilters import floatformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 36, 14, 40
SERIES_CLASSES = 6  # s0..s5 in charts.css


class Kind(StrEnum):
    LINE = "line"
    BARS = "bars"  # vertical, one group of bars per row
    ROWS = "rows"  # horizontal, one row of bars per row
    SCATTER = "scatter"  # one point per row: the first series across, the second up


@dataclass(frozen=True)
class Value:
    """One number of a series; ``value`` None means hidden."""

    value: float | None
    low: float | None = None  # interval, drawn as a whisker on line charts
    high: float | None = None
    note: str = ""  # said after the number in the table only, e.g. "(12)" answering
    css: str = ""  # an extra class for this bar, e.g. its score band


@dataclass(frozen=True)
class Series:
    """A plotted column of the table."""

    name: str
    values: Sequence[Value]


@dataclass(frozen=True)
class Column:
    """A column of the table that is not plotted; a cell of None is hidden."""

    name: str
    cells: Sequence[str | None]


@dataclass(frozen=True)
class Row:
    """A quarter, month or category: a row of the table, a place on the axis."""

    label: str
    axis: str = ""  # a shorter label under the axis
    href: str = ""
    current: bool = False

    @property
    def axis_label(self) -> str:
        return self.axis or self.label


@dataclass(frozen=True)
class TableRow:
    row: Row
    cells: list[str | None]  # None: hidden


@dataclass(frozen=True)
class Chart:
    kind: Kind
    id: str  # unique on the page: the SVG's title and description ids derive from it
    title: str
    description: str
    caption: str  # the table's caption
    heading: str  # the heading of the rows' column ("Quarter")
    rows: Sequence[Row]
    columns: Sequence[Series | Column]
    scale: tuple[float, float] | None = None  # value axis; bars start at 0 by default
    decimals: int = 0
    percent: bool = False  # values are shares 0..1
    hidden_mark: str = "–"  # what a hidden cell shows...
    hidden_reason: str = _("not shown")  # ...and says to screen readers
    caption_hidden: bool = False
    # SCATTER only: a fitted straight line (intercept, slope) drawn across the points.
    fit: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        for column in self.columns:
            cells = column.values if isinstance(column, Series) else column.cells
            if len(cells) != len(self.rows):
                raise ValueError(f"{column.name}: {len(cells)} values for {len(self.rows)} rows")

    @property
    def series(self) -> list[Series]:
        return [c for c in self.columns if isinstance(c, Series)]

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(class, name) of each series, when there is more than one to tell apart."""
        series = self.series
        if len(series) < 2 or self.kind == Kind.SCATTER:  # a scatter's axes name its series
            return []
        return [(_series_class(i), s.name) for i, s in enumerate(series)]

    def text(self, value: float) -> str:
        if self.percent:
            return f"{round(value * 100)}%"
        # As the templates' floatformat: rounded (not cut) and in the reader's locale.
        return floatformat(value, self.decimals)

    def table(self) -> list[TableRow]:
        rows = []
        for i, row in enumerate(self.rows):
            cells: list[str | None] = []
            for column in self.columns:
                if isinstance(column, Column):
                    cells.append(column.cells[i])
                    continue
                value = column.values[i]
                if value.value is None:
                    cells.append(None)
                else:
                    cells.append(" ".join(filter(None, [self.text(value.value), value.note])))
            rows.append(TableRow(row, cells))
        return rows

    def svg(self) -> SafeString:
        draw = {Kind.LINE: _line, Kind.BARS: _bars, Kind.ROWS: _rows, Kind.SCATTER: _scatter}[
            self.kind
        ]
        height, body = draw(self)
        return format_html(
            '<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            'aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg" focusable="false">'
            '<title id="{id}-t">{title}</title><desc id="{id}-d">{description}</desc>{body}</svg>',
            width=WIDTH,
            height=height,
            id=self.id,
            title=self.title,
            description=self.description,
            body=body,
        )

    def _values(self) -> list[float]:
        return [v.value for s in self.series for v in s.values if v.value is not None]

    def _tip(self, row: Row, series: Series, value: float) -> str:
        """The tooltip of a mark: the same words as its table cell."""
        return f"{row.label}, {series.name}: {self.text(value)}"


def _series_class(n: int) -> str:
    return f"s{n % SERIES_CLASSES}"


def _bar_class(n: int, value: Value) -> str:
    return " ".join(filter(None, ["bar", _series_class(n), value.css]))


def _el(tag: str, content: str | None = None, **attrs: object) -> SafeString:
    """An SVG element, its attributes and content escaped; ``class_`` is ``class`` and
    ``text_anchor`` is ``text-anchor``. Coordinates are rounded to a tenth."""
    attributes = format_html_join(
        "",
        ' {}="{}"',
        (
            (name.rstrip("_").replace("_", "-"), f"{v:.1f}" if isinstance(v, float) else v)
            for name, v in attrs.items()
        ),
    )
    if content is None:
        return format_html("<{}{}/>", tag, attributes)
    return format_html("<{}{}>{}</{}>", tag, attributes, content, tag)


def _join(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((p,) for p in parts))


# --- Line chart -------------------------------------------------------------------------


def _line(chart: Chart) -> tuple[int, SafeString]:
    """Lines over the rows, a gap where a value is hidden, whiskers for the interval."""
    values = chart._values()
    low, high = chart.scale or (min(values, default=0), max(values, default=1))
    high = high if high > low else low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(chart.rows) - 1, 1)

    def x(i: int) -> float:
        return float(LEFT + (i * step if len(chart.rows) > 1 else plot_w / 2))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    parts = []
    for tick in range(int(low), int(high) + 1):
        parts.append(_el("line", class_="grid", x1=LEFT, x2=WIDTH - RIGHT, y1=y(tick), y2=y(tick)))
        parts.append(
            _el("text", str(tick), class_="tick", x=LEFT - 8, y=y(tick) + 4, text_anchor="end")
        )
    for i, row in enumerate(chart.rows):
        parts.append(
            _el("text", row.axis_label, class_="tick", x=x(i), y=HEIGHT - BOTTOM + 18,
                text_anchor="middle")
        )  # fmt: skip
    for n, series in enumerate(chart.series):
        parts += _line_series(chart, series, _series_class(n), x, y)
    return HEIGHT, _join(parts)


def _line_series(chart: Chart, series: Series, cls: str, x, y) -> list[SafeString]:
    marks: list[SafeString] = []
    segments: list[list[str]] = [[]]
    for i, (row, value) in enumerate(zip(chart.rows, series.values, strict=True)):
        if value.value is None:
            segments.append([])  # a gap: the line stops and starts again
            continue
        segments[-1].append(f"{x(i):.1f},{y(value.value):.1f}")
        if value.low is not None and value.high is not None:
            marks.append(
                _el("line", class_=f"{cls} whisker", x1=x(i), x2=x(i), y1=y(value.low),
                    y2=y(value.high))
            )  # fmt: skip
        tip = _el("title", chart._tip(row, series, value.value))
        marks.append(_el("circle", tip, class_=f"{cls} marker", cx=x(i), cy=y(value.value), r=4))
    lines = [
        _el("polyline", class_=f"{cls} line", points=" ".join(points))
        for points in segments
        if len(points) > 1
    ]
    return lines + marks


# --- Vertical bars ----------------------------------------------------------------------


def _bars(chart: Chart) -> tuple[int, SafeString]:
    """A group of vertical bars per row, the value above each and the label below."""
    low, top = chart.scale or (0, max(chart._values(), default=1) or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = float(TOP + plot_h)
    series = chart.series
    slot = plot_w / max(len(chart.rows), 1)
    bar_w = min(40.0, slot * 0.7 / max(len(series), 1))
    parts = [
        _el("line", class_="axis", x1=LEFT, y1=baseline, x2=WIDTH - RIGHT, y2=baseline),
        _el("text", chart.text(top), class_="tick", x=LEFT - 6, y=TOP + 8, text_anchor="end"),
        _el("text", chart.text(low), class_="tick", x=LEFT - 6, y=baseline, text_anchor="end"),
    ]
    for i, row in enumerate(chart.rows):
        parts.append(
            _el("text", row.axis_label, class_="tick", x=LEFT + slot * (i + 0.5),
                y=HEIGHT - BOTTOM + 18, text_anchor="middle")
        )  # fmt: skip
        first = LEFT + slot * i + (slot - bar_w * len(series)) / 2
        for n, s in enumerate(series):
            value, x = s.values[i], first + bar_w * n
            if value.value is None:
                parts.append(_gap(chart, x=x + bar_w / 2, y=baseline - 4, text_anchor="middle"))
                continue
            h = plot_h * (value.value - low) / (top - low) if top > low else 0.0
            tip = _el("title", chart._tip(row, s, value.value))
            parts.append(
                _el("rect", tip, class_=_bar_class(n, value), x=x, y=baseline - h, width=bar_w,
                    height=h)
            )  # fmt: skip
            parts.append(
                _el("text", chart.text(value.value), class_="value", x=x + bar_w / 2,
                    y=max(TOP + 8.0, baseline - h - 4), text_anchor="middle")
            )  # fmt: skip
    return HEIGHT, _join(parts)


def _gap(chart: Chart, **attrs: object) -> SafeString:
    """Where a hidden value would be: a mark that says so, not a bar of zero."""
    content = format_html("{}{}", chart.hidden_mark, _el("title", chart.hidden_reason))
    return _el("text", content, class_="value gap", **attrs)


# --- Horizontal bars --------------------------------------------------------------------


def _rows(chart: Chart) -> tuple[int, SafeString]:
    """A row of horizontal bars per row (shares, largest first), the value after each."""
    label_w, bar_h = 190, 20
    series = chart.series
    row_h = 8 + bar_h * max(len(series), 1)
    height = TOP + BOTTOM // 2 + row_h * max(len(chart.rows), 1)
    low, top = chart.scale or (0, max(chart._values(), default=1) or 1)
    plot_w = WIDTH - label_w - RIGHT - 48
    parts = []
    for i, row in enumerate(chart.rows):
        row_top = TOP + i * row_h
        parts.append(
            _el("text", row.axis_label, class_="tick", x=label_w - 8, y=row_top + 18,
                text_anchor="end")
        )  # fmt: skip
        for n, s in enumerate(series):
            value, y = s.values[i], row_top + 4 + bar_h * n
            if value.value is None:
                parts.append(_gap(chart, x=label_w + 6, y=y + 14, text_anchor="start"))
                continue
            width = max(plot_w * (value.value - low) / (top - low), 1.0) if top > low else 1.0
            tip = _el("title", chart._tip(row, s, value.value))
            parts.append(
                _el("rect", tip, class_=_bar_class(n, value), x=label_w, y=y, width=width,
                    height=bar_h - 4)
            )  # fmt: skip
            parts.append(
                _el("text", chart.text(value.value), class_="value", x=label_w + width + 6,
                    y=y + 14)
            )  # fmt: skip
    return height, _join(parts)


# --- Scatter ------------------------------------------------------------------------------


def _ticks(low: float, high: float) -> list[float]:
    step = (high - low) / 4
    return [low + step * i for i in range(5)]


def _scatter(chart: Chart) -> tuple[int, SafeString]:
    """A point per row where both values are shown: the first series across, the second
    up; a point whose second value has a ``css`` class is labelled with its row. A row
    with a hidden value is left out of the figure (the table still lists it)."""
    if len(chart.series) < 2:  # nothing to plot against: the table says it all
        return HEIGHT, _join([])
    xs_series, ys_series = chart.series[0], chart.series[1]
    pairs = [
        (row, x.value, y)
        for row, x, y in zip(chart.rows, xs_series.values, ys_series.values, strict=True)
        if x.value is not None and y.value is not None
    ]
    (x_lo, x_hi), (y_lo, y_hi) = (
        _extent([p[1] for p in pairs]),
        _extent([p[2].value for p in pairs]),
    )
    if chart.scale:
        y_lo, y_hi = chart.scale
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(v: float) -> float:
        return LEFT + plot_w * (v - x_lo) / (x_hi - x_lo)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - y_lo) / (y_hi - y_lo))

    parts = []
    for tick in _ticks(y_lo, y_hi):
        parts.append(_el("line", class_="grid", x1=LEFT, x2=WIDTH - RIGHT, y1=y(tick), y2=y(tick)))
        parts.append(
            _el("text", floatformat(tick, 1), class_="tick", x=LEFT - 6, y=y(tick) + 4,
                text_anchor="end")
        )  # fmt: skip
    for tick in _ticks(x_lo, x_hi):
        parts.append(
            _el("text", floatformat(tick, 1), class_="tick", x=x(tick), y=HEIGHT - BOTTOM + 16,
                text_anchor="middle")
        )  # fmt: skip
    parts.append(
        _el("text", xs_series.name, class_="tick", x=LEFT + plot_w / 2, y=HEIGHT - 6,
            text_anchor="middle")
    )  # fmt: skip
    parts.append(_el("text", ys_series.name, class_="tick", x=LEFT, y=TOP - 2))
    if chart.fit is not None:
        a, b = chart.fit
        parts.append(
            _el("line", class_="fit", x1=x(x_lo), x2=x(x_hi), y1=y(_clip(a + b * x_lo, y_lo, y_hi)),
                y2=y(_clip(a + b * x_hi, y_lo, y_hi)))
        )  # fmt: skip
    for row, xv, yv in pairs:
        tip = _el(
            "title", f"{row.label}: {xs_series.name} {chart.text(xv)}, "
            f"{ys_series.name} {chart.text(yv.value)}"
        )  # fmt: skip
        cls = " ".join(filter(None, ["s0 marker", yv.css]))
        parts.append(_el("circle", tip, class_=cls, cx=x(xv), cy=y(yv.value), r=5))
        if yv.css:
            parts.append(
                _el("text", row.axis_label, class_="value", x=x(xv) + 7, y=y(yv.value) - 6)
            )
    return HEIGHT, _join(parts)


def _extent(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or 0.5
    return low - pad, high + pad


def _clip(v: float, low: float, high: float) -> float:
    return max(low, min(high, v))
