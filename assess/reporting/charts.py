"""The report's charts: matplotlib figures drawn to SVG text for inline embedding.

Figures are built with the object API (no pyplot state shared between threads). Text
stays text in the SVG (`svg.fonttype: none`): it renders in the report's own font, can be
searched and is read by screen readers. Labels are never parsed as mathtext, so a `$`
in a department name prints as `$`. Colours differ in lightness as well as hue and
series also differ in marker or hatch, so the charts read in greyscale and for
colour-blind readers (Okabe-Ito palette).
"""

from __future__ import annotations

import io
import math
import re
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
MARKERS = ["o", "s", "D", "^", "v", "P", "X"]
HATCHES = ["", "///", "...", "xx", "\\\\", "++", "oo"]
INK = "#222222"
GRID = "#BBBBBB"
STYLE: Any = {  # rcParams (typed loosely: matplotlib types its keys as literals)
    "svg.fonttype": "none",
    "svg.hashsalt": "assess",  # the same input gives the same SVG
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "text.parse_math": False,
    "text.usetex": False,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


@dataclass(frozen=True)
class Band:
    """A stage drawn behind bars: its name and where it starts."""

    name: str
    start: float


def to_svg(figure: Figure, title: str) -> str:
    """The figure as an inline <svg> element with a title for assistive technology."""
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE), warnings.catch_warnings():
        # A legend below the plot can leave constrained layout nothing to shrink on the
        # first pass; the figure is still laid out, so the warning says nothing to readers.
        warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<svg ", '<svg role="img" ', svg, count=1)
    head_end = svg.index(">") + 1
    return f"{svg[:head_end]}<title>{_escape(title)}</title>{svg[head_end:]}"


def _wrap(labels: Sequence[str], width: int = 26) -> list[str]:
    """Long level names over several lines, so the plot keeps its width."""
    return [textwrap.fill(label, width) for label in labels]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height), layout="constrained")


def radar(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    title: str,
) -> str:
    """Scores of the levels on axes from 0 to 100, one closed line per series."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(6.0, 4.6)
        axes: Any = figure.add_subplot(projection="polar")  # a PolarAxes
        angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
        for index, (name, values) in enumerate(series.items()):
            points = [(a, v) for a, v in zip(angles, values, strict=True) if v is not None]
            if not points:
                continue
            xs = [a for a, _ in points] + [points[0][0]]
            ys = [v for _, v in points] + [points[0][1]]
            colour = PALETTE[index % len(PALETTE)]
            axes.plot(xs, ys, color=colour, marker=MARKERS[index % len(MARKERS)], label=name)
            axes.fill(xs, ys, color=colour, alpha=0.12 if index == 0 else 0.0)
        axes.set_xticks(angles, _wrap(labels, 22))
        axes.set_ylim(0, 100)
        axes.set_yticks([20, 40, 60, 80, 100], ["20", "40", "60", "80", "100"], color="#666666")
        axes.set_theta_offset(math.pi / 2)
        axes.set_theta_direction(-1)
        axes.grid(color=GRID, linewidth=0.6)
        if len(series) > 1:
            axes.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), frameon=False)
        return to_svg(figure, title)


def level_bars(
    labels: Sequence[str],
    scores: Sequence[float | None],
    bands: Sequence[Band],
    title: str,
    accent: str = PALETTE[0],
    formatted: Sequence[str] | None = None,
) -> str:
    """One horizontal bar per level, with the stage bands behind the bars."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(6.2, 0.55 * len(labels) + 1.0)
        axes = figure.add_subplot()
        ends = [b.start for b in bands[1:]] + [100.0]
        for index, (band, end) in enumerate(zip(bands, ends, strict=True)):
            shade = "#F2F2F2" if index % 2 == 0 else "#E2E2E2"
            axes.axvspan(band.start, end, color=shade, zorder=0)
            axes.text(
                (band.start + end) / 2,
                len(labels) - 0.35,
                band.name,
                ha="center",
                va="bottom",
                fontsize=7,
                color="#555555",
            )
        positions = list(range(len(labels)))[::-1]
        values = [s if s is not None else 0.0 for s in scores]
        axes.barh(positions, values, height=0.55, color=accent, edgecolor=INK, zorder=2)
        texts = formatted or ["" if s is None else f"{s:.1f}" for s in scores]
        for y, value, text in zip(positions, values, texts, strict=True):
            axes.text(value + 1, y, text, va="center", fontsize=8, color=INK, zorder=3)
        axes.set_yticks(positions, _wrap(labels))
        axes.set_xlim(0, 100)
        axes.set_ylim(-0.6, len(labels) - 0.1)
        axes.spines[["top", "right"]].set_visible(False)
        return to_svg(figure, title)


def divergence(
    labels: Sequence[str],
    groups: Mapping[str, Sequence[float | None]],
    flagged: Sequence[bool],
    title: str,
) -> str:
    """One row per level; a marker per group at its mean, flagged levels in bold."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(7.0, 0.5 * len(labels) + 1.2)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        for index, (name, values) in enumerate(groups.items()):
            points = [(v, y) for v, y in zip(values, positions, strict=True) if v is not None]
            axes.scatter(
                [v for v, _ in points],
                [y for _, y in points],
                s=36,
                marker=MARKERS[index % len(MARKERS)],
                color=PALETTE[index % len(PALETTE)],
                edgecolors=INK,
                linewidths=0.5,
                label=name,
                zorder=3,
            )
        for y in positions:
            axes.axhline(y, color=GRID, linewidth=0.5, zorder=1)
        axes.set_yticks(positions, _wrap(labels))
        for tick, bold in zip(axes.get_yticklabels(), flagged, strict=True):
            tick.set_fontweight("bold" if bold else "normal")
        axes.set_xlim(0, 100)
        axes.spines[["top", "right", "left"]].set_visible(False)
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=min(len(groups), 4),
            frameon=False,
        )
        return to_svg(figure, title)


def distribution(
    labels: Sequence[str],
    counts: Sequence[Mapping[str, int]],
    answers: Sequence[str],
    answer_labels: Sequence[str],
    title: str,
) -> str:
    """One stacked bar per item: the share of respondents giving each answer."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(7.0, 0.3 * len(labels) + 1.0)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        left = [0.0] * len(labels)
        totals = [sum(c.values()) or 1 for c in counts]
        for index, (answer, label) in enumerate(zip(answers, answer_labels, strict=True)):
            shares = [100 * c.get(answer, 0) / t for c, t in zip(counts, totals, strict=True)]
            axes.barh(
                positions,
                shares,
                left=left,
                height=0.6,
                color=_sequential(index, len(answers)),
                hatch=HATCHES[index % len(HATCHES)] if answer == "na" else "",
                edgecolor="white",
                linewidth=0.5,
                label=textwrap.shorten(label, 28, placeholder="…"),
            )
            left = [a + b for a, b in zip(left, shares, strict=True)]
        axes.set_yticks(positions, labels)
        axes.set_xlim(0, 100)
        axes.set_xticks([0, 25, 50, 75, 100], ["0 %", "25 %", "50 %", "75 %", "100 %"])
        axes.spines[["top", "right", "left"]].set_visible(False)
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=min(len(answers), 4),
            frameon=False,
            fontsize=7,
        )
        return to_svg(figure, title)


def _sequential(index: int, count: int) -> str:
    """A blue ramp from light to dark (reads in greyscale by lightness alone)."""
    light, dark = (0xDE, 0xEB, 0xF7), (0x08, 0x30, 0x6B)
    t = index / max(count - 1, 1)
    channels = (round(a + (b - a) * t) for a, b in zip(light, dark, strict=True))
    return "#" + "".join(f"{c:02x}" for c in channels)


def progress(
    labels: Sequence[str],
    before: Sequence[float | None],
    now: Sequence[float | None],
    names: tuple[str, str],
    title: str,
) -> str:
    """Two bars per level: the earlier wave (hatched) and this one."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(6.2, 0.6 * len(labels) + 1.2)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        for offset, values, name, colour, hatch in (
            (0.18, before, names[0], "#BBBBBB", "///"),
            (-0.18, now, names[1], PALETTE[0], ""),
        ):
            axes.barh(
                [p + offset for p in positions],
                [v or 0.0 for v in values],
                height=0.34,
                color=colour,
                hatch=hatch,
                edgecolor=INK,
                linewidth=0.5,
                label=name,
            )
        axes.set_yticks(positions, _wrap(labels))
        axes.set_xlim(0, 100)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False)
        return to_svg(figure, title)
