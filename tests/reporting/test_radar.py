"""The radar's level names: outside the rings, apart from each other and from the ring
numbers, inside the figure, however long the names and however many levels."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox

from assess.reporting import charts, radar

GERMAN = [
    "Strategie – CX als strategische Maxime",
    "Orchestrierung – ganzheitliches Kundenerlebnis als operatives Ziel",
    "Taktische Hebel und Kundenkontaktpunkte",
    "Unternehmenskultur und Führung",
    "Taktische Hebel – Begeisterung, Zufriedenheit, Loyalität",
    "Kultur – Leidenschaft im kundenorientierten Handeln",
    "Messung, Steuerung und kontinuierliche Verbesserung der Kundenerfahrung",
    "Technologie, Daten und Kundenwissen",
]


def boxes_of(levels: list[str], series: dict[str, list[float | None]]) -> tuple:
    """The drawn radar's outer circle (centre, radius) and the boxes of its level names,
    ring numbers and legend, in pixels."""
    chart = radar.figure(levels, series, "#C2185B")
    figure = chart.figure
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    circle = chart.axes.get_window_extent(renderer)
    centre = ((circle.x0 + circle.x1) / 2, (circle.y0 + circle.y1) / 2)
    names = [t.get_window_extent(renderer) for t in figure.texts]
    rings = [t.get_window_extent(renderer) for t in chart.axes.get_yticklabels() if t.get_text()]
    legends = [legend.get_window_extent(renderer) for legend in figure.legends]
    return figure, centre, circle.width / 2, names, rings, legends


def outside(box: Bbox, centre: tuple[float, float], radius: float) -> bool:
    """Whether no point of the box is within the circle."""
    nearest_x = min(max(centre[0], box.x0), box.x1)
    nearest_y = min(max(centre[1], box.y0), box.y1)
    return math.hypot(nearest_x - centre[0], nearest_y - centre[1]) > radius


@pytest.mark.parametrize("count", [3, 4, 5, 6, 8])
@pytest.mark.parametrize("peers", [False, True])
def test_long_german_level_names_touch_neither_the_rings_nor_each_other(
    count: int, peers: bool
) -> None:
    levels = GERMAN[:count]
    series: dict[str, list[float | None]] = {"Muster GmbH": [70.0] * count}
    if peers:
        series["Median der Vergleichsgruppe"] = [45.0] * count
    figure, centre, radius, names, rings, legends = boxes_of(levels, series)
    assert len(names) == count
    whole = Bbox.from_bounds(0, 0, figure.bbox.width, figure.bbox.height)
    for name in names:
        assert outside(name, centre, radius)
        for x in (name.x0, name.x1):
            assert whole.containsx(x)
        for y in (name.y0, name.y1):
            assert whole.containsy(y)
    others = names + rings + legends
    for index, first in enumerate(others):
        for second in others[index + 1 :]:
            assert not first.overlaps(second), (first, second)
    assert len(legends) == (1 if peers else 0)


def test_the_names_are_the_levels_as_written_and_wrapped_only_between_words() -> None:
    drawing = charts.radar(GERMAN[:4], {"Muster GmbH": [60.0, 50.0, None, 40.0]}, "Radar")
    lines = [t.text or "" for t in ET.fromstring(drawing).iter() if t.tag.endswith("text")]
    words = " ".join(lines).split()
    for level in GERMAN[:4]:
        assert " ".join(level.split()) in " ".join(words)
    for word in ("Maxime", "Kundenerlebnis"):
        assert word in words  # whole words, never split


def test_a_radar_is_as_large_as_its_names_leave_room_for() -> None:
    short = radar.figure(["A", "B", "C", "D"], {"x": [1.0, 2.0, 3.0, 4.0]})
    long = radar.figure(GERMAN[:4], {"x": [1.0, 2.0, 3.0, 4.0]})
    width = [chart.axes.get_position().width for chart in (short, long)]
    assert width[0] > width[1] > 0.25  # long names take room, but leave a readable circle


def test_a_radar_of_more_levels_than_its_names_have_room_for_is_still_drawn() -> None:
    levels = [f"{name} ({n})" for n in range(3) for name in GERMAN][:20]
    drawing = charts.radar(levels, {"Muster GmbH": [50.0] * 20}, "Radar")
    texts = [t.text for t in ET.fromstring(drawing).iter() if t.tag.endswith("text")]
    assert "(2)" in " ".join(t or "" for t in texts)
