"""Charts drawn on the server as SVG: no JavaScript, no chart library, no CDN.

Each chart is an ``<svg role="img">`` with a title and a description naming the table
beside it, which holds the same numbers for screen readers and for copying. Colours
and line styles come from classes in static/css/surveys.css (the CSP allows no inline
styles); series differ in dash pattern and marker as well as colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 36, 14, 40


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Series:
    name: str
    points: list[Point]


def _svg_open(chart_id: str, title: str, description: str, height: int = HEIGHT) -> str:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: list[Series],
    y_min: float = 1,
    y_max: float = 5,
) -> SafeString:
    """Lines over quarters, a gap where a value is hidden, whiskers for the 95% interval."""
    labels = [p.label for p in series[0].points] if series else []
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - y_min) / (y_max - y_min))

    parts = [_svg_open(chart_id, title, description)]
    for tick in range(int(y_min), int(y_max) + 1):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text class="tick" x="{LEFT - 8}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text class="tick" x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for n, s in enumerate(series):
        cls = f"series s{n % 6}"
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, p in enumerate(s.points):
            if p.value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(p.value):.1f}")
            if p.low is not None and p.high is not None:
                parts.append(
                    f'<line class="{cls} whisker" x1="{x(i):.1f}" x2="{x(i):.1f}" '
                    f'y1="{y(p.low):.1f}" y2="{y(p.high):.1f}"/>'
                )
            parts.append(
                f'<circle class="{cls} marker" cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="4"/>'
            )
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                parts.append(f'<polyline class="{cls} line" points="{" ".join(seg)}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text part is escaped above


def bar_chart(
    *, chart_id: str, title: str, description: str, bars: list[tuple[str, float]]
) -> SafeString:
    """Horizontal bars of shares (0..1), largest first; hidden values are not drawn."""
    row_h, label_w = 28, 190
    height = TOP + BOTTOM // 2 + row_h * max(len(bars), 1)
    plot_w = WIDTH - label_w - RIGHT - 48
    parts = [_svg_open(chart_id, title, description, height)]
    for i, (label, share) in enumerate(bars):
        top = TOP + i * row_h
        width = max(plot_w * share, 1)
        parts.append(
            f'<text class="tick" x="{label_w - 8}" y="{top + 18}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="bar" x="{label_w}" y="{top + 4}" width="{width:.1f}" '
            f'height="{row_h - 8}"/>'
            f'<text class="tick" x="{label_w + width + 6:.1f}" y="{top + 18}">'
            f"{round(share * 100)}%</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text part is escaped above
