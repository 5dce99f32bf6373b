"""Small SVG charts drawn on the server: no JavaScript, no CDN, readable on a projector."""

from collections.abc import Sequence
from html import escape

BAR = "#1f4e79"


def bar_chart(
    rows: Sequence[tuple[object, int]], *, title: str, width: int = 640, height: int = 240
) -> str:
    """Vertical bars with their values and labels; an empty chart says so."""
    if not rows:
        return f'<p class="muted">{escape(title)}: —</p>'
    top = max(value for _label, value in rows) or 1
    plot_height = height - 50
    step = width / len(rows)
    bar = step * 0.7
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" class="chart" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(rows):
        x = index * step + (step - bar) / 2
        bar_height = plot_height * value / top
        y = 20 + plot_height - bar_height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
            f'height="{bar_height:.1f}" fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="13">{value}</text>'
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - 12}" text-anchor="middle" '
            f'font-size="13">{escape(str(label))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(rows: Sequence[tuple[object, int]], *, title: str, width: int = 640) -> str:
    """Horizontal bars, one labelled row each, for categories with long names; `title` names
    the chart for screen readers."""
    if not rows:
        return '<p class="muted">—</p>'
    top = max(value for _label, value in rows) or 1
    row_height, label_width = 26, 220
    height = row_height * len(rows) + 10
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" class="chart" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(rows):
        y = index * row_height + 5
        length = (width - label_width - 50) * value / top
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" '
            f'font-size="13">{escape(str(label))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" '
            f'height="{row_height - 8}" fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" font-size="13">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
