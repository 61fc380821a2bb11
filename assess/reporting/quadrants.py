"""The importance–performance chart (Martilla & James 1977): each level placed by its
score (across) and the importance its respondents gave it (up), the overall score and the
mean importance as dividing lines, and the four quadrants named in their corners.

Levels are numbered markers of different shapes rather than names beside them: names are
long and levels with like figures would overlap; the report lists the numbers beside the
chart. The quadrant to concentrate on is shaded, so the chart reads in greyscale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass

from assess.reporting.colours import GRID, INK, palette
from assess.reporting.radar import MARKERS
from assess.reporting.svg import Chart, styled

SHADE = "#EDEDED"  # the quadrant to concentrate on


@dataclass(frozen=True)
class Quadrants:
    """The chart's words: the four quadrant names and the two axis titles."""

    concentrate: str
    keep_up: str
    low_priority: str
    possible_overkill: str
    score_axis: str
    importance_axis: str


@styled
def importance_performance(
    scores: Sequence[float],
    importance: Sequence[float],
    overall: float,
    mean_importance: float,
    scale: tuple[int, int],
    words: Quadrants,
    title: str,
    accent: str | None = None,
) -> str:
    """Level i as marker i + 1 at (score, mean importance on `scale`), with the dividing
    lines at the overall score and the mean importance."""
    low, high = scale
    chart = Chart(6.2, 4.2, "importance_performance", scale, *astuple(words))
    axes = chart.axes
    axes.set_xlim(0, 100)
    axes.set_ylim(low, high)
    axes.fill_between([0, overall], mean_importance, high, color=SHADE, linewidth=0, zorder=0)
    axes.axvline(overall, color=INK, linestyle="--", linewidth=0.8, zorder=1)
    axes.axhline(mean_importance, color=INK, linestyle="--", linewidth=0.8, zorder=1)
    corners = (
        (1.5, high, "left", "top", words.concentrate),
        (98.5, high, "right", "top", words.keep_up),
        (1.5, low, "left", "bottom", words.low_priority),
        (98.5, low, "right", "bottom", words.possible_overkill),
    )
    margin = (high - low) * 0.025
    for x, y, ha, va, name in corners:
        axes.text(
            x,
            y - margin if va == "top" else y + margin,
            name,
            ha=ha,
            va=va,
            fontsize=8,
            fontstyle="italic",
            color="#444444",
            zorder=2,
        )
    fill = palette(accent).accent
    for index, (score, value) in enumerate(zip(scores, importance, strict=True)):
        axes.scatter(
            [score],
            [value],
            s=70,
            marker=MARKERS[index % len(MARKERS)],
            color=fill,
            edgecolors=INK,
            linewidths=0.7,
            zorder=3,
            clip_on=False,
        )
        axes.annotate(
            str(index + 1),
            (score, value),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=8,
            fontweight="bold",
            color=INK,
            zorder=4,
        )
    axes.set_xticks([0, 20, 40, 60, 80, 100])
    axes.set_yticks(list(range(low, high + 1)))
    axes.set_xlabel(words.score_axis, fontsize=8)
    axes.set_ylabel(words.importance_axis, fontsize=8)
    axes.grid(color=GRID, linewidth=0.3, zorder=0)
    axes.spines[["top", "right"]].set_visible(False)
    return chart.svg(title)
