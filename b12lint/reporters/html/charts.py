"""Inline SVG bar charts: no script, no network, readable when printed."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_COLOR = "#3f6fb5"
SEVERITY_COLORS = {"error": "#c62828", "warning": "#d98200", "info": "#1e78c8"}
Bar = tuple[str, int]


def _label(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hbar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    field: str,
    colors: dict[str, str] | None = None,
    width: int = 440,
) -> str:
    """A horizontal bar chart; each bar carries ``data-field``/``data-value`` for filtering."""
    row, label_w, count_w = 22, 150, 56
    plot_w = width - label_w - count_w
    height = max(1, len(bars)) * row + 8
    top = max((v for _, v in bars), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if not bars:
        parts.append('<text x="4" y="18" class="empty">no findings</text>')
    for i, (label, value) in enumerate(bars):
        y = 4 + i * row
        length = max(2.0, plot_w * value / top)
        color = (colors or {}).get(label, BAR_COLOR)
        parts.append(
            f'<g class="bar" data-field="{escape(field)}" data-value="{escape(label)}">'
            f"<title>{escape(label)}: {value:,}</title>"
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(_label(label))}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" '
            f'fill="{color}" rx="2"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 15}" class="count">{value:,}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(title: str, bars: Sequence[Bar], *, field: str, height: int = 180) -> str:
    """A vertical bar chart for time series (months), in the order given."""
    col, left, bottom, top_pad = 58, 12, 30, 18
    width = left + max(1, len(bars)) * col + 8
    plot_h = height - bottom - top_pad
    top = max((v for _, v in bars), default=0) or 1
    base = height - bottom
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{base}" x2="{width - 4}" y2="{base}" class="axis"/>',
    ]
    if not bars:
        parts.append(f'<text x="{left}" y="{base - 8}" class="empty">no dated findings</text>')
    for i, (label, value) in enumerate(bars):
        x = left + i * col + 6
        h = max(2.0, plot_h * value / top)
        parts.append(
            f'<g class="bar" data-field="{escape(field)}" data-value="{escape(label)}">'
            f"<title>{escape(label)}: {value:,}</title>"
            f'<rect x="{x}" y="{base - h:.1f}" width="{col - 12}" height="{h:.1f}" '
            f'fill="{BAR_COLOR}" rx="2"/>'
            f'<text x="{x + (col - 12) / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
            f'class="count">{value:,}</text>'
            f'<text x="{x + (col - 12) / 2:.1f}" y="{base + 14}" text-anchor="middle">'
            f"{escape(label)}</text>"
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)
