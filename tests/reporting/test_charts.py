"""The charts: light SVG (one path per series, nothing clipped, no metadata), user labels
printed as written, and the same drawing whether the layout is new or remembered."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from assess.reporting import charts, svg

ANSWERS = ["1", "2", "3", "na"]
COUNTS = [{"1": 2, "3": 1}, {"2": 1, "na": 2}, {"3": 4}]


def distribution(labels: list[str] | None = None) -> str:
    return charts.distribution(labels or ["i1", "i2", "i3"], COUNTS, ANSWERS, "How they answered")


def test_a_remembered_layout_draws_the_same_svg_as_a_new_one() -> None:
    svg._LAYOUTS.clear()
    laid_out = distribution()
    assert svg._LAYOUTS
    assert distribution() == laid_out


def test_each_answer_is_one_path_and_nothing_is_clipped() -> None:
    drawing = distribution()
    root = ET.fromstring(drawing)
    assert root.get("role") == "img"
    assert root[0].tag.endswith("title")
    assert root[0].text == "How they answered"
    for swatch in charts.answer_swatches(ANSWERS)[:3]:
        assert len(re.findall(f"fill: {swatch.colour}", drawing)) == 1, swatch
    assert "clip-path" not in drawing
    assert "<metadata" not in drawing
    assert "xlink" not in drawing


def test_labels_are_printed_as_written() -> None:
    label = "<b>$\\alpha$ & co</b>"
    drawing = distribution([label, "i2", "i3"])
    texts = [t.text for t in ET.fromstring(drawing).iter() if t.tag.endswith("text")]
    assert label in texts
    assert "<b>" not in drawing


def test_not_applicable_is_hatched_grey_and_answers_darken_in_order() -> None:
    swatches = charts.answer_swatches(ANSWERS)
    assert swatches[-1] == charts.Swatch(charts.NOT_APPLICABLE, hatched=True)
    lightness = [sum(int(s.colour[i : i + 2], 16) for i in (1, 3, 5)) for s in swatches[:3]]
    assert lightness == sorted(lightness, reverse=True)
    assert not any(s.hatched for s in swatches[:3])


def test_cant_judge_is_hatched_the_other_way_apart_from_not_applicable() -> None:
    swatches = charts.answer_swatches(["1", "2", "dk", "na"])
    assert swatches[2] == charts.Swatch(charts.CANT_JUDGE, hatched=True, backward=True)
    assert swatches[3] == charts.Swatch(charts.NOT_APPLICABLE, hatched=True)
    assert charts.CANT_JUDGE != charts.NOT_APPLICABLE
    drawing = charts.distribution(
        ["i1"], [{"1": 1, "dk": 1, "na": 1}], ["1", "2", "dk", "na"], "With can't judge"
    )
    patterns = [p for p in ET.fromstring(drawing).iter() if p.tag.endswith("pattern")]
    assert len(patterns) == 2  # one hatch per direction


def test_radar_shows_each_level_and_each_series_as_written() -> None:
    levels = ["Strategy", "Orchestration", "Tactics", "$culture$"]
    drawing = charts.radar(
        levels, {"Muster & Co": [62.9, 46.2, None, 53.7], "Peers": [50, 50, 50, 50]}, "Radar"
    )
    texts = [t.text for t in ET.fromstring(drawing).iter() if t.tag.endswith("text")]
    assert set(levels) <= set(texts)
    assert {"Muster & Co", "Peers"} <= set(texts)  # a legend once there is more than one
    assert "clip-path" not in drawing
