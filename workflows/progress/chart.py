"""Burn-up chart geometry for inline SVG, pure: numbers in, polyline points and labels out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .metrics import Burnup


@dataclass(frozen=True)
class ChartGeometry:
    """Everything the template needs to draw the chart (coordinates in SVG user units)."""

    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    actual: str  # "x,y x,y …" completed weight up to today
    planned: str  # planned line (empty without Start and Due)
    scope_y: float
    today_x: float | None
    x_labels: tuple[tuple[float, str], ...]
    y_labels: tuple[tuple[float, str], ...]


def _points(pairs: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pairs)


def burnup_geometry(
    chart: Burnup, today: date, width: int = 640, height: int = 260
) -> ChartGeometry:
    """Scale a burn-up series into a `width` × `height` box with room for axis labels."""
    left, top, right, bottom = 48, 16, width - 16, height - 32
    first, last = chart.days[0], chart.days[-1]
    span = max(1, (last - first).days)
    top_value = max([chart.scope, 1.0] + [c for c in chart.completed if c is not None])

    def x(d: date) -> float:
        return left + (right - left) * (d - first).days / span

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / top_value

    actual = [(x(d), y(c)) for d, c in zip(chart.days, chart.completed, strict=True)
              if c is not None]
    planned = [(x(d), y(p)) for d, p in zip(chart.days, chart.planned, strict=True)
               if p is not None]
    ticks = chart.days[:: max(1, len(chart.days) // 4)]
    x_labels = tuple((x(d), d.strftime("%d/%m/%y")) for d in ticks)
    y_labels = tuple((y(v), f"{v:g}") for v in (0, round(top_value / 2, 1), round(top_value, 1)))
    today_x = x(today) if first <= today <= last else None
    return ChartGeometry(width, height, left, top, right, bottom, _points(actual),
                         _points(planned), y(chart.scope), today_x, x_labels, y_labels)
