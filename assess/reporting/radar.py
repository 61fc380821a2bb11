"""The radar chart: level scores on spokes from 0 to 100, with the level names around it.

Level names are long ("Orchestrierung – ganzheitliches Kundenerlebnis als operatives
Ziel"), so the chart lays them out itself rather than as tick labels: each name is
anchored just outside the outer ring by the corner that faces the centre, which keeps
every point of it outside the circle; then the names are wrapped, and if need be set
smaller, until they fit the figure without touching each other, with the circle as
large as that leaves room for.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text

from assess.reporting.colours import GRID, palette
from assess.reporting.svg import Chart, styled

WIDTH, HEIGHT = 3.4, 2.9  # inches
GAP = 0.05  # between the outer ring and a name
MARGIN = 0.03
PAD = 0.02  # kept free between two names
MIN_RADIUS = 0.55  # a circle smaller than this is set with smaller names first
FONT_SIZES = (7.0, 6.5, 6.0)
WRAP_WIDTHS = (24, 20, 17, 14, 11)  # characters per line of a name beside the circle
MARKERS = ["o", "s", "D", "^", "v", "P", "X"]
LINES = ["-", "--", "-.", ":"]


@dataclass(frozen=True)
class Layout:
    """Where the circle and the names go, in inches from the figure's lower left."""

    centre: tuple[float, float]
    radius: float
    font_size: float
    names: tuple[tuple[str, float, float, str, str], ...]  # text, x, y, ha, va
    legend_height: float


@styled
def radar(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    title: str,
    accent: str | None = None,
) -> str:
    """Scores of the levels on axes from 0 to 100, one closed line per series (the
    organisation first, in the accent colour; peers when known)."""
    return figure(labels, series, accent).svg(title)


@styled
def figure(
    labels: Sequence[str], series: Mapping[str, Sequence[float | None]], accent: str | None = None
) -> Chart:
    """The radar as a chart not yet drawn (to measure it)."""
    legend = tuple(series) if len(series) > 1 else ()
    layout = _layout(tuple(labels), legend)
    (x, y), radius = layout.centre, layout.radius
    box = ((x - radius) / WIDTH, (y - radius) / HEIGHT, 2 * radius / WIDTH, 2 * radius / HEIGHT)
    chart = Chart(WIDTH, HEIGHT, projection="polar", box=box)
    axes = chart.axes
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    colours = palette(accent).series(len(series))
    drawn: list[Artist] = []
    for index, (name, values) in enumerate(series.items()):
        points = [(a, v) for a, v in zip(angles, values, strict=True) if v is not None]
        if not points:
            continue
        xs = [a for a, _ in points] + [points[0][0]]
        ys = [v for _, v in points] + [points[0][1]]
        (line,) = axes.plot(
            xs,
            ys,
            color=colours[index],
            marker=MARKERS[index % len(MARKERS)],
            markersize=4,
            linestyle=LINES[index % len(LINES)],
            label=name,
            clip_on=False,
        )
        drawn.append(line)
        if index == 0:
            axes.fill(xs, ys, color=colours[index], alpha=0.18, linewidth=0)
    axes.set_xticks(angles, [""] * len(angles))  # the spokes; the names are placed below
    axes.set_ylim(0, 100)
    axes.set_yticks([20, 40, 60, 80, 100], ["20", "40", "60", "80", "100"], fontsize=5.5)
    axes.tick_params(axis="y", colors="#666666", pad=0)
    axes.set_rlabel_position(180 / len(labels))  # between the first two spokes
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    axes.grid(color=GRID, linewidth=0.5)
    axes.spines["polar"].set_color(GRID)
    for text, x_at, y_at, ha, va in layout.names:
        chart.figure.text(
            x_at / WIDTH, y_at / HEIGHT, text, ha=ha, va=va, fontsize=layout.font_size
        )
    if legend:
        _legend(chart.figure, drawn, [str(line.get_label()) for line in drawn])
    return chart


def _legend(figure: Figure, handles: Sequence[Artist], names: Sequence[str]) -> Legend:
    """The series' names below the names around the circle."""
    return figure.legend(
        handles,
        names,
        loc="lower center",
        bbox_to_anchor=(0.5, MARGIN / HEIGHT),
        frameon=False,
        ncols=1,
    )


def _directions(count: int) -> list[tuple[float, float]]:
    """Each spoke's direction on paper: the first points up, the next clockwise."""
    return [
        (math.sin(2 * math.pi * i / count), math.cos(2 * math.pi * i / count)) for i in range(count)
    ]


def _side(value: float) -> int:
    return 0 if abs(value) < 1e-9 else (1 if value > 0 else -1)


# Which fraction of a name's width (height) lies left of (below) its anchor, by side.
_BEFORE = {1: 0.0, 0: 0.5, -1: 1.0}
_HA = {1: "left", 0: "center", -1: "right"}
_VA = {1: "bottom", 0: "center", -1: "top"}


@lru_cache(maxsize=256)
def _layout(labels: tuple[str, ...], legend: tuple[str, ...]) -> Layout:
    """The largest circle whose names fit without touching, names as large and as
    little wrapped as that allows."""
    measure = Figure(figsize=(WIDTH, HEIGHT))
    renderer = FigureCanvasAgg(measure).get_renderer()  # type: ignore[no-untyped-call]
    dpi = measure.dpi
    legend_height = 0.0
    if legend:
        handles = [Line2D([], [], marker=MARKERS[i % len(MARKERS)]) for i in range(len(legend))]
        legend_height = _legend(measure, handles, legend).get_window_extent(renderer).y1 / dpi
    directions = _directions(len(labels))
    fallback: tuple[float, Layout] | None = None
    for font_size in FONT_SIZES:
        candidates: list[tuple[float, Layout]] = []
        for width in WRAP_WIDTHS:
            texts = [
                _wrap(label, width if _side(x) else round(width * 1.5))
                for label, (x, _) in zip(labels, directions, strict=True)
            ]
            sizes = []
            for text in texts:
                extent = Text(0, 0, text, fontsize=font_size, figure=measure).get_window_extent(
                    renderer
                )
                sizes.append((extent.width / dpi, extent.height / dpi))
            placed = _fit(texts, sizes, directions, legend_height, font_size)
            if placed is not None:
                candidates.append((placed.radius, placed))
        if candidates:
            largest = max(radius for radius, _ in candidates)
            # The widest lines that give nearly the largest circle.
            chosen = next(c for c in candidates if c[0] >= 0.92 * largest)
            if largest >= MIN_RADIUS:
                return chosen[1]
            if fallback is None or chosen[0] > fallback[0]:
                fallback = chosen
    if fallback is None:  # so many levels that some names must touch: still a chart
        crowded = _fit(texts, sizes, directions, legend_height, font_size, crowded=True)
        assert crowded is not None
        return crowded
    return fallback[1]


def _fit(
    texts: list[str],
    sizes: list[tuple[float, float]],
    directions: list[tuple[float, float]],
    legend_height: float,
    font_size: float,
    *,
    crowded: bool = False,
) -> Layout | None:
    """The names around the largest circle that fits, or None if they would touch (if
    `crowded`: even so, around a circle of at least MIN_RADIUS / 2)."""
    room = (WIDTH - 2 * MARGIN, HEIGHT - legend_height - 2 * MARGIN)

    def fits(radius: float) -> bool:
        left, bottom, right, top = _extent(_boxes(sizes, directions, radius), radius)
        return right - left <= room[0] and top - bottom <= room[1]

    low, high = 0.0, min(room) / 2
    if not fits(low) and not crowded:
        return None
    for _ in range(30):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    radius = max(low, MIN_RADIUS / 2) if crowded else low
    placed = _boxes(sizes, directions, radius)
    for index, first in enumerate(placed):
        for second in placed[index + 1 :]:
            if _overlap(first, second) and not crowded:
                return None
    left, bottom, right, top = _extent(placed, radius)
    centre = (
        MARGIN + (room[0] - (right - left)) / 2 - left,
        legend_height + MARGIN + (room[1] - (top - bottom)) / 2 - bottom,
    )
    names = tuple(
        (
            text,
            centre[0] + (radius + GAP) * x,
            centre[1] + (radius + GAP) * y,
            _HA[_side(x)],
            _VA[_side(y)],
        )
        for text, (x, y) in zip(texts, directions, strict=True)
    )
    return Layout(centre, radius, font_size, names, legend_height)


def _boxes(
    sizes: list[tuple[float, float]], directions: list[tuple[float, float]], radius: float
) -> list[tuple[float, float, float, float]]:
    """Each name's box (left, bottom, right, top), relative to the centre."""
    found = []
    for (w, h), (x, y) in zip(sizes, directions, strict=True):
        left = (radius + GAP) * x - w * _BEFORE[_side(x)]
        bottom = (radius + GAP) * y - h * _BEFORE[_side(y)]
        found.append((left, bottom, left + w, bottom + h))
    return found


def _extent(
    boxes: list[tuple[float, float, float, float]], radius: float
) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top) around the names and the circle."""
    every = [*boxes, (-radius, -radius, radius, radius)]
    return (
        min(b[0] for b in every),
        min(b[1] for b in every),
        max(b[2] for b in every),
        max(b[3] for b in every),
    )


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return not (
        a[2] + PAD <= b[0] or b[2] + PAD <= a[0] or a[3] + PAD <= b[1] or b[3] + PAD <= a[1]
    )


def _wrap(label: str, width: int) -> str:
    return textwrap.fill(label, width, break_long_words=False, break_on_hyphens=False)
