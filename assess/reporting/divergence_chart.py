"""The chart of where groups disagree: one row per level, a marker per group at its mean,
and where the groups diverge a line from the lowest mean to the highest: solid where the
divergence is clear, dashed where it is only possible (see domain/certainty.py), so the
two never look alike, in colour or in greyscale."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from assess.reporting.colours import GRID, INK, palette
from assess.reporting.radar import MARKERS
from assess.reporting.svg import Chart, styled

# How each strength of divergence draws its line, and whether its level's name is bold.
LINES = {"clear": ("solid", True), "possible": ((0, (3, 2)), False)}


@styled
def divergence(
    labels: Sequence[str],
    groups: Mapping[str, Sequence[float | None]],
    strengths: Sequence[str | None],
    title: str,
    accent: str | None = None,
    words: Mapping[str, str] | None = None,
) -> str:
    """One row per level; a marker per group at its mean (the first group in the accent,
    the others in its shades); a clear divergence (`strengths`) a solid line between the
    groups' lowest and highest means and its level in bold, a possible one a dashed line;
    the legend names the groups and, in `words`, the lines drawn."""
    words = words or {}
    shown = [kind for kind in LINES if kind in strengths]
    chart = Chart(
        7.0,
        0.5 * len(labels) + 1.2,
        "divergence",
        *zip(labels, strengths, strict=True),
        *groups,
        *(words.get(kind, kind) for kind in shown),
    )
    axes = chart.axes
    positions = list(range(len(labels)))[::-1]
    axes.hlines(positions, 0, 100, color=GRID, linewidth=0.5, zorder=1)
    colours = palette(accent).series(len(groups))
    for index, (name, values) in enumerate(groups.items()):
        points = [(v, y) for v, y in zip(values, positions, strict=True) if v is not None]
        axes.scatter(
            [v for v, _ in points],
            [y for _, y in points],
            s=36,
            marker=MARKERS[index % len(MARKERS)],
            color=colours[index],
            edgecolors=INK,
            linewidths=0.5,
            label=name,
            zorder=3,
            clip_on=False,
        )
    # Drawn after the groups, so the legend names the groups first; below them all the same.
    for kind in shown:
        rows: list[tuple[float, list[float]]] = []
        for row, (y, strength) in enumerate(zip(positions, strengths, strict=True)):
            means = [mean for values in groups.values() if (mean := values[row]) is not None]
            if strength == kind and len(means) >= 2:
                rows.append((y, means))
        axes.hlines(
            [y for y, _ in rows],
            [min(means) for _, means in rows],
            [max(means) for _, means in rows],
            color=INK,
            linewidth=1.5,
            linestyles=LINES[kind][0],
            label=words.get(kind, kind),
            zorder=2,
        )
    axes.tick_params(axis="y", left=False)  # the labels sit beside their rows
    axes.set_yticks(positions, [textwrap.fill(label, 34) for label in labels])
    for tick, strength in zip(axes.get_yticklabels(), strengths, strict=True):
        tick.set_fontweight("bold" if strength and LINES[strength][1] else "normal")
    axes.set_xlim(0, 100)
    axes.set_ylim(-0.5, len(labels) - 0.5)
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=min(len(groups) + len(shown), 4),
        frameon=False,
    )
    return chart.svg(title)
