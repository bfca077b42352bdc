"""Small charts drawn on the server as SVG: no chart library, nothing from a CDN.

Every chart comes with a data table on the page; the SVG has a title and description
for screen readers. No ``style`` attributes (the CSP forbids inline styles): colours
are presentation attributes and classes from targeting.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 10, 26


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None


def bar_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str,
    maximum: float | None = None,
    colours: Sequence[str] | None = None,
) -> SafeString:
    """Vertical bars, one per point, with the value above and the label below."""
    top = maximum or max([p.value or 0 for p in points] + [1])
    n = max(1, len(points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / n
    bar_w = min(40.0, slot * 0.6)
    bars = []
    for i, point in enumerate(points):
        x = LEFT + slot * i + (slot - bar_w) / 2
        value = point.value or 0
        h = plot_h * value / top if top else 0
        y = TOP + plot_h - h
        middle = f"{x + bar_w / 2:.1f}"
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#333" '
                'stroke-width="0.5"/>'
                '<text x="{}" y="{}" text-anchor="middle" class="chart-value">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
                f"{x:.1f}",
                f"{y:.1f}",
                f"{bar_w:.1f}",
                f"{h:.1f}",
                colours[i] if colours else "#1d4f91",
                middle,
                f"{max(TOP + 8, y - 3):.1f}",
                "–" if point.value is None else f"{value:.0f}",
                middle,
                f"{HEIGHT - 8:.1f}",
                point.label,
            )
        )
    body = mark_safe("".join(bars))
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4b5259"/>'
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">0</text>',
        LEFT,
        TOP + plot_h,
        WIDTH - RIGHT,
        TOP + plot_h,
        LEFT - 4,
        TOP + 8,
        f"{top:.0f}",
        LEFT - 4,
        TOP + plot_h,
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title>'
        '<desc id="{}-d">{}</desc>{}{}</svg>',
        WIDTH,
        HEIGHT,
        _slug(title),
        _slug(title),
        _slug(title),
        title,
        _slug(title),
        description,
        axis,
        body,
    )


def _slug(text: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in text.lower())[:40]
