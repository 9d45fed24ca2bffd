"""A small inline SVG line chart, drawn in Python so the page needs no script library or network."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 360, 170
_LEFT, _RIGHT, _TOP, _BOTTOM = 16, 16, 26, 28


def line_chart(points: list[tuple[str, float]], title: str) -> str:
    """An SVG of `points` (period label, value), periods evenly spaced, the y axis from zero."""
    values = [v for _, v in points]
    low, high = min(0.0, min(values)), max(0.0, max(values))
    span = (high - low) or 1.0
    inner_w, inner_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    step = inner_w / (len(points) - 1) if len(points) > 1 else 0

    def x(i: int) -> float:
        return _LEFT + i * step if len(points) > 1 else WIDTH / 2

    def y(v: float) -> float:
        return _TOP + inner_h * (high - v) / span

    path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points))
    parts = [
        (f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"'
         f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'),
        f'<line class="axis" x1="{_LEFT}" y1="{y(0):.1f}" x2="{WIDTH - _RIGHT}" y2="{y(0):.1f}"/>',
        f'<path class="line" d="{path}"/>',
    ]
    for i, (label, v) in enumerate(points):
        anchor = "start" if i == 0 and len(points) > 1 else "end" if i == len(points) - 1 and len(points) > 1 else "middle"
        parts += [
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5"><title>{escape(label)}: {escape(short(v))}</title></circle>',
            f'<text class="value" x="{x(i):.1f}" y="{y(v) - 8:.1f}" text-anchor="{anchor}">{escape(short(v))}</text>',
            f'<text class="period" x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}">{escape(label)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def short(v: float) -> str:
    """1260000 → '1.26M': a label that fits above a point."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= size:
            return f"{v / size:.3g}{suffix}"
    return f"{v:.3g}"
