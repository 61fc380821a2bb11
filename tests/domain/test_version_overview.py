"""A comparison summed up as a consultant asks about it: stages renamed (by threshold or
name), advice that only follows renamed stages told apart from advice that changed,
items moved between levels, levels added or removed, and the questionnaire's settings
in words, German and English."""

from __future__ import annotations

from typing import Any

import yaml

from assess.domain.validation import parse_questionnaire
from assess.domain.version_overview import overview
from assess.domain.versions import compare
from assess.domain.versions_text import level_details, summary_lines
from tests.factories import dimension, questionnaire_data, recommendation, scale_item, text


def build(data: dict[str, Any]) -> Any:
    return parse_questionnaire(yaml.safe_dump(data, allow_unicode=True))


def base() -> dict[str, Any]:
    return questionnaire_data(
        dimension(
            "d1",
            scale_item("a", text={"de": "Wir hören zu.", "en": "We listen."}),
            scale_item("b"),
            name={"de": "Strategie – CX als Maxime", "en": "Strategy – CX as a maxim"},
            recommendations=[
                recommendation("follows", {"stages": ["two", "three"]}),
                recommendation("changes", {"stages": ["two"]}),
            ],
        ),
        dimension("d2", scale_item("c")),
    )


def renamed() -> dict[str, Any]:
    """Stage "two" becomes "second" at the same threshold, "three" keeps its id but is
    named anew; one recommendation only follows, the other changes its rule too."""
    data = base()
    data["version"] = 2
    data["stages"][1].update(id="second", name=text("Second"))
    data["stages"][2]["name"] = text("Third")
    advice = data["dimensions"][0]["recommendations"]
    advice[0]["when"]["stages"] = ["second", "three"]
    advice[1]["when"] = {"stages": ["second"], "below": 50}
    return data


def test_stages_renamed_at_their_threshold_and_by_name_are_one_rename_each() -> None:
    old, new = build(base()), build(renamed())
    found = overview(compare(old, new), old, new)
    assert [(r.old.id, r.new.id) for r in found.stages_renamed] == [
        ("two", "second"),
        ("three", "three"),
    ]
    assert found.stages_added == found.stages_removed == ()
    assert summary_lines(compare(old, new), old, new, "en")[2] == (
        "Stages: 2 renamed (from 20: two → Second; from 40: three → Third); thresholds unchanged."
    )


def test_advice_that_only_follows_renamed_stages_is_told_apart() -> None:
    old, new = build(base()), build(renamed())
    advice = overview(compare(old, new), old, new).levels[0].advice
    assert advice.following_stages == ("follows",)
    assert advice.changed == ("changes",)
    assert summary_lines(compare(old, new), old, new, "de")[-1] == (
        "Empfehlungen: 1 geändert; 1 folgen nur den umbenannten Stufen."
    )


def test_a_moved_item_is_moved_in_one_level_and_out_of_the_other_not_rescored() -> None:
    data = base()
    data["dimensions"][1]["items"].append(data["dimensions"][0]["items"].pop(0))
    old, new = build(base()), build({**data, "version": 2})
    levels = overview(compare(old, new), old, new).levels
    assert [(m.item, m.level) for m in levels[1].moved_in] == [("a", "d1")]
    assert [(m.item, m.level) for m in levels[0].moved_out] == [("a", "d2")]
    assert levels[0].rescored == levels[1].rescored == ()
    details = dict(level_details(overview(compare(old, new), old, new), old, new, "de"))
    assert details["d2"] == ["→ a: hierher verschoben aus Strategie"]
    assert details["Strategie"] == ["← a: verschoben nach d2"]


def test_items_added_and_removed_are_quoted_with_how_they_are_asked() -> None:
    data = base()
    data["dimensions"][0]["items"].pop(0)
    data["dimensions"][0]["items"].append(
        scale_item("new", weight=2, reverse=True, informant="lead", allow_dont_know=True)
    )
    old, new = build(base()), build({**data, "version": 2})
    details = dict(level_details(overview(compare(old, new), old, new), old, new, "de"))
    assert details["Strategie"] == [
        "+ new – „new“ (Aussage, Gewicht 2, umgekehrt gewertet, an die Hauptansprechperson, "
        "mit „Kann ich nicht beurteilen“)",
        "− a – „Wir hören zu.“ (Aussage)",
    ]
    english = dict(level_details(overview(compare(old, new), old, new), old, new, "en"))
    assert english["Strategy"][1] == "− a – “We listen.” (statement)"


def test_levels_added_and_removed_are_named() -> None:
    data = base()
    data["dimensions"][1] = dimension("d3", scale_item("f"), name=text("Kultur"))
    old, new = build(base()), build({**data, "version": 2})
    lines = summary_lines(compare(old, new), old, new, "de")
    assert lines[0] == "Ebenen: 1 beibehalten; hinzugefügt: Kultur; entfernt: d2."
    assert [level.kind for level in overview(compare(old, new), old, new).levels][1:] == [
        "added",
        "removed",
    ]


def test_the_questionnaires_settings_read_as_words() -> None:
    data = base()
    data.update(
        version=2,
        min_coverage=0.6,
        title={"de": "Neu", "en": "New"},
        importance={"min": 1, "max": 5, "text": text("How important?")},
        scale={"min": 1, "max": 5, "labels": {1: text("strongly disagree")}},
    )
    old, new = build(base()), build(data)
    lines = summary_lines(compare(old, new), old, new, "de")
    assert "Fragebogen: Titel umformuliert; Mindestabdeckung: 50 % → 60 %; " in lines[2]
    assert "Beschriftung der Antwortskala umformuliert" in lines[2]
    assert "Wichtigkeit wird je Ebene einmal abgefragt (1–5)" in lines[2]
    english = summary_lines(compare(old, new), old, new, "en")[2]
    assert "minimum coverage: 50% → 60%" in english
