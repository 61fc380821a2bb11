"""The report's charts: matplotlib figures drawn to SVG text for inline embedding.

Figures are built with the object API (no pyplot state shared between threads). Text
stays text in the SVG (`svg.fonttype: none`): it renders in the report's own font, can be
searched and is read by screen readers. Labels are never parsed as mathtext, so a `$`
in a department name prints as `$`. Colours come from the report's accent colour (see
`colours`); they differ in lightness and series also differ in marker or hatch, so the
charts read in greyscale and for colour-blind readers.

WeasyPrint draws an inline SVG element by element and its text letter by letter, which
makes the charts most of a report's rendering time. So each series is one path however
many bars it has, nothing is clipped (every chart draws within its axes' limits; see
`svg.Chart` for the rest) and legends of many entries are left to the HTML beside the
chart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.patches import PathPatch
from matplotlib.path import Path

from assess.domain.certainty import readable
from assess.domain.questionnaire import DK_VALUE, NA_VALUE
from assess.reporting.colours import (
    CANT_JUDGE,
    EARLIER,
    HATCH_INK,
    INK,
    NOT_APPLICABLE,
    palette,
)
from assess.reporting.divergence_chart import divergence
from assess.reporting.radar import radar
from assess.reporting.svg import Chart, styled

SHARES = (0, 25, 50, 75, 100)  # the ticks of a distribution chart, in percent

__all__ = [
    "SHARES",
    "Band",
    "Swatch",
    "answer_swatches",
    "distribution",
    "divergence",
    "level_bars",
]
__all__ += ["progress", "radar"]


@dataclass(frozen=True)
class Band:
    """A stage drawn behind bars: its name and where it starts."""

    name: str
    start: float


@dataclass(frozen=True)
class Swatch:
    """How one answer shows in a distribution chart, for the legend beside it."""

    colour: str
    hatched: bool
    backward: bool = False  # hatched from top left to bottom right: "can't judge"


def _wrap(labels: Sequence[str], width: int = 26) -> list[str]:
    """Long level names over several lines, so the plot keeps its width."""
    return [textwrap.fill(label, width) for label in labels]


def _boxes(spans: Sequence[tuple[float, float, float, float]], **style: Any) -> PathPatch:
    """Rectangles (x, y, width, height) as one patch: one SVG element for a whole series."""
    vertices = [
        corner
        for x, y, width, height in spans
        for corner in ((x, y), (x + width, y), (x + width, y + height), (x, y + height), (x, y))
    ]
    codes = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY] * len(spans)
    return PathPatch(Path(vertices, codes), clip_on=False, **style)


def _whiskers(rows: Sequence[tuple[float, float, float]], **style: Any) -> PathPatch:
    """Error bars (y, low, high) as one patch: a line from low to high with a cap at each
    end, every interval in one SVG element."""
    cap = 0.14
    vertices = []
    for y, low, high in rows:
        vertices += [(low, y), (high, y), (low, y - cap), (low, y + cap)]
        vertices += [(high, y - cap), (high, y + cap)]
    codes = [Path.MOVETO, Path.LINETO] * 3 * len(rows)
    return PathPatch(Path(vertices, codes), clip_on=False, zorder=4, **style)


@styled
def level_bars(
    labels: Sequence[str],
    scores: Sequence[float | None],
    bands: Sequence[Band],
    title: str,
    accent: str | None = None,
    formatted: Sequence[str] | None = None,
    intervals: Sequence[tuple[float, float] | None] | None = None,
) -> str:
    """One horizontal bar per level, with the stage bands behind the bars and, where
    `intervals` give one, the 95 % interval of its score as an error bar (clipped to 0 to
    100; the caption beside the chart says what it means)."""
    chart = Chart(6.2, 0.5 * len(labels) + 0.7, "level_bars", *labels, *bands)
    axes = chart.axes
    top = len(labels) + 0.2
    ends = [b.start for b in bands[1:]] + [100.0]
    for shade, parity in (("#F2F2F2", 0), ("#E2E2E2", 1)):
        spans = [
            (band.start, -0.6, end - band.start, top + 0.6)
            for index, (band, end) in enumerate(zip(bands, ends, strict=True))
            if index % 2 == parity
        ]
        if spans:
            axes.add_patch(_boxes(spans, facecolor=shade, linewidth=0, zorder=0))
    for index, (band, end) in enumerate(zip(bands, ends, strict=True)):
        axes.text(
            (band.start + end) / 2,
            len(labels) - 0.45 + 0.32 * (index % 2),  # staggered: long names may overlap
            band.name,
            ha="center",
            va="bottom",
            fontsize=7,
            color="#555555",
        )
    positions = list(range(len(labels)))[::-1]
    values = [s if s is not None else 0.0 for s in scores]
    spans = [(0.0, y - 0.275, v, 0.55) for y, v in zip(positions, values, strict=True) if v > 0]
    if spans:
        axes.add_patch(_boxes(spans, facecolor=palette(accent).accent, edgecolor=INK, zorder=2))
    spans_of = [readable(i) for i in intervals or [None] * len(labels)]
    whiskers = [(y, *span) for y, span in zip(positions, spans_of, strict=True) if span]
    if whiskers:
        axes.add_patch(_whiskers(whiskers, edgecolor=INK, facecolor="none", linewidth=1.1))
    texts = formatted or ["" if s is None else f"{s:.1f}" for s in scores]
    for y, value, text, span in zip(positions, values, texts, spans_of, strict=True):
        # Kept out of the layout: the axes run on past 100 to leave them room, so the
        # layout depends on the labels alone and is the same in every report. Right of
        # the interval's end, so the line never runs through the figure.
        x = max(value, span[1] if span else 0.0) + 2.5  # clear of the cap
        axes.text(x, y, text, va="center", fontsize=8, color=INK, zorder=3).set_in_layout(False)
    axes.tick_params(axis="y", left=False)  # the labels sit beside their rows
    axes.set_yticks(positions, _wrap(labels, 34))
    axes.set_xlim(0, 112)
    axes.set_xticks([0, 20, 40, 60, 80, 100])
    axes.set_ylim(-0.6, top)
    axes.spines["bottom"].set_bounds(0, 100)
    axes.spines[["top", "right"]].set_visible(False)
    return chart.svg(title)


def answer_swatches(answers: Sequence[str], accent: str | None = None) -> list[Swatch]:
    """The colour of each answer: light to dark in the accent's hue in the order given,
    not applicable and can't judge apart."""
    apart = {NA_VALUE: Swatch(NOT_APPLICABLE, True), DK_VALUE: Swatch(CANT_JUDGE, True, True)}
    ramp = iter(palette(accent).ramp(sum(answer not in apart for answer in answers)))
    return [apart.get(answer) or Swatch(next(ramp), False) for answer in answers]


@styled
def distribution(
    labels: Sequence[str],
    counts: Sequence[Mapping[str, int]],
    answers: Sequence[str],
    title: str,
    accent: str | None = None,
    ticks: Sequence[str] = ("0%", "25%", "50%", "75%", "100%"),
) -> str:
    """One stacked bar per item (labelled with its text): the share of respondents giving
    each answer, in the colours of `answer_swatches` (the legend is the report's); the
    shares' axis labelled with `ticks` (SHARES as the reader writes percentages)."""
    wrapped = _wrap(labels, 66)
    # Each row as high as its label (in inches: the y axis measures the figure's height).
    rows = [max(0.24, 0.112 * (label.count("\n") + 1) + 0.045) for label in wrapped]
    height = sum(rows)
    chart = Chart(7.0, height + 0.4, "distribution", *wrapped)
    axes = chart.axes
    positions = [height - sum(rows[:i]) - row / 2 for i, row in enumerate(rows)]
    left = [0.0] * len(labels)
    totals = [sum(c.values()) or 1 for c in counts]
    for answer, swatch in zip(answers, answer_swatches(answers, accent), strict=True):
        shares = [100 * c.get(answer, 0) / t for c, t in zip(counts, totals, strict=True)]
        spans = [
            (x, y - 0.09, share, 0.18)
            for x, y, share in zip(left, positions, shares, strict=True)
            if share > 0
        ]
        if spans:
            axes.add_patch(
                _boxes(
                    spans,
                    facecolor=swatch.colour,
                    hatch=("\\\\\\\\" if swatch.backward else "////") if swatch.hatched else None,
                    hatchcolor=HATCH_INK,
                    edgecolor="white",
                    linewidth=0.5,
                )
            )
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.tick_params(axis="y", left=False)  # the labels sit beside their rows
    axes.set_yticks(positions, wrapped, fontsize=7)
    axes.set_xlim(0, 100)
    axes.set_ylim(0, height)
    axes.set_xticks(SHARES, list(ticks))
    axes.spines[["top", "right", "left"]].set_visible(False)
    return chart.svg(title)


@styled
def progress(
    labels: Sequence[str],
    before: Sequence[float | None],
    now: Sequence[float | None],
    names: tuple[str, str],
    title: str,
    accent: str | None = None,
) -> str:
    """Two bars per level: the earlier wave (grey, hatched) and this one (the accent)."""
    chart = Chart(6.2, 0.6 * len(labels) + 1.2, "progress", *labels, *names)
    axes = chart.axes
    positions = list(range(len(labels)))[::-1]
    for offset, values, name, colour, hatch in (
        (0.18, before, names[0], EARLIER, "///"),
        (-0.18, now, names[1], palette(accent).accent, None),
    ):
        spans = [
            (0.0, p + offset - 0.17, v or 0.0, 0.34) for p, v in zip(positions, values, strict=True)
        ]
        axes.add_patch(
            _boxes(
                spans,
                facecolor=colour,
                hatch=hatch,
                hatchcolor=INK,
                edgecolor=INK,
                linewidth=0.5,
                label=name,
            )
        )
    axes.tick_params(axis="y", left=False)  # the labels sit beside their rows
    axes.set_yticks(positions, _wrap(labels))
    axes.set_xlim(0, 100)
    axes.set_ylim(-0.6, len(labels) - 0.4)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False)
    return chart.svg(title)
