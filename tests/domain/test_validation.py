"""The validator reports every problem of a file as file:line:column: message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from assess.domain.validation import load_questionnaire, parse_questionnaire
from assess.domain.yamlfile import FileProblems
from tests.factories import questionnaire_data

ROOT = Path(__file__).parent.parent.parent


def valid_yaml() -> str:
    return yaml.safe_dump(questionnaire_data(), sort_keys=False, allow_unicode=True)


def problems_of(text: str) -> list:
    with pytest.raises(FileProblems) as caught:
        parse_questionnaire(text, "q.yaml")
    return caught.value.problems


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def only(text: str, phrase: str) -> object:
    found = [p for p in problems_of(text) if phrase in p.message]
    assert found, problems_of(text)
    return found[0]


def test_valid_file_loads() -> None:
    assert parse_questionnaire(valid_yaml()).id == "test"


def test_syntax_error_names_its_line() -> None:
    text = valid_yaml().replace("version: 1", "version: [1", 1)
    problem = only(text, "YAML syntax error")
    assert problem.line >= line_of(text, "version: [1")


def test_unknown_key_is_reported_with_a_suggestion_at_its_line() -> None:
    text = valid_yaml().replace("  - id: i1\n", "  - id: i1\n    wieght: 2\n", 1)
    problem = only(text, "unknown key 'wieght'")
    assert "did you mean 'weight'" in problem.message
    assert problem.line == line_of(text, "wieght")
    assert str(problem) == f"q.yaml:{problem.line}:{problem.column}: {problem.message}"


def test_missing_translation_names_the_language() -> None:
    text = valid_yaml().replace("    en: d1\n", "", 1)
    problem = only(text, "missing translation for 'en'")
    assert problem.line == line_of(text, "de: d1")


def test_an_items_label_needs_every_language_and_is_named_at_its_line() -> None:
    text = valid_yaml().replace("  - id: i1\n", "  - id: i1\n    label:\n      de: Kurz\n", 1)
    problem = only(text, "missing translation for 'en'")
    assert problem.line == line_of(text, "de: Kurz")
    labelled = text.replace("      de: Kurz\n", "      de: Kurz\n      en: Short\n", 1)
    item = parse_questionnaire(labelled).dimensions[0].items[0]
    assert item.label == {"de": "Kurz", "en": "Short"}


def test_duplicate_ids_across_dimensions_and_items() -> None:
    text = valid_yaml().replace("  - id: i1\n", "  - id: d1\n", 1)
    problem = only(text, "duplicate id 'd1'")
    assert problem.line == line_of(text, "  - id: d1")
    assert "already used at line" in problem.message


def test_item_id_equal_to_a_profile_question_is_a_duplicate() -> None:
    text = valid_yaml().replace("  - id: i1\n", "  - id: department\n", 1)
    assert only(text, "duplicate id 'department'")


def test_stages_must_ascend_and_start_at_zero() -> None:
    text = valid_yaml().replace("min_score: 40", "min_score: 10", 1)
    assert only(text, "stages must ascend").line == line_of(text, "min_score: 10")
    text = valid_yaml().replace("min_score: 0", "min_score: 5", 1)
    assert only(text, "first stage must start at 0").line == line_of(text, "min_score: 5")


@pytest.mark.parametrize("where", ["item", "dimension"])
def test_weights_must_be_positive(where: str) -> None:
    data = questionnaire_data()
    target = data["dimensions"][0] if where == "dimension" else data["dimensions"][0]["items"][0]
    target["weight"] = 0
    text = yaml.safe_dump(data, sort_keys=False)
    problem = only(text, "'weight' should be greater than 0")
    assert problem.line == line_of(text, "weight: 0")


def test_option_scores_stay_within_0_and_100() -> None:
    data = questionnaire_data()
    data["dimensions"][0]["items"].append(
        {
            "id": "c",
            "type": "choice",
            "text": {"de": "c", "en": "c"},
            "options": [
                {"value": "a", "label": {"de": "a", "en": "a"}, "score": 120},
                {"value": "b", "label": {"de": "b", "en": "b"}, "score": 0},
            ],
        }
    )
    text = yaml.safe_dump(data, sort_keys=False)
    assert only(text, "less than or equal to 100").line == line_of(text, "score: 120")


def test_reverse_only_on_scale_items() -> None:
    data = questionnaire_data()
    data["dimensions"][0]["items"].append(
        {"id": "b", "type": "boolean", "reverse": True, "text": {"de": "b", "en": "b"}}
    )
    text = yaml.safe_dump(data, sort_keys=False)
    problem = only(text, "'reverse' applies only to scale items")
    assert problem.line == line_of(text, "reverse: true")


def test_scale_min_must_be_below_max() -> None:
    text = valid_yaml().replace("max: 5", "max: 1", 1)
    assert only(text, "scale min (1) must be below max (1)").line == line_of(text, "min: 1")
    data = questionnaire_data()
    data["dimensions"][0]["items"][0].update({"min": 7, "max": 3})
    text = yaml.safe_dump(data, sort_keys=False)
    assert only(text, "scale min (7) must be below max (3)").line == line_of(text, "min: 7")


def test_unknown_item_type() -> None:
    text = valid_yaml().replace("type: scale", "type: slider", 1)
    problem = only(text, "unknown type 'slider'")
    assert "scale, choice, boolean" in problem.message
    assert problem.line == line_of(text, "type: slider")


def test_recommendation_naming_an_unknown_stage() -> None:
    data = questionnaire_data()
    data["dimensions"][0]["recommendations"] = [
        {"when": {"stages": ["nirvana"]}, "text": {"de": "t", "en": "t"}}
    ]
    text = yaml.safe_dump(data, sort_keys=False)
    assert only(text, "unknown stage 'nirvana'").line == line_of(text, "- nirvana")


def test_missing_required_key() -> None:
    data = questionnaire_data()
    del data["dimensions"][0]["items"][0]["text"]
    text = yaml.safe_dump(data, sort_keys=False)
    assert only(text, "missing required key 'text'").line == line_of(text, "- id: i1")


def test_every_problem_of_a_file_at_once_sorted_by_line() -> None:
    text = (
        valid_yaml()
        .replace("version: 1", "version: 0", 1)
        .replace("min_score: 40", "min_score: 10", 1)
        .replace("type: scale", "type: slider", 1)
    ) + "min_coverag: 0.5\n"
    problems = problems_of(text)
    assert len(problems) >= 4
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_file_over_one_megabyte_is_refused() -> None:
    text = valid_yaml() + "# " + "x" * 1_100_000 + "\n"
    with pytest.raises(FileProblems, match="1,000,000 bytes"):
        parse_questionnaire(text.encode(), "big.yaml")


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    start = time.perf_counter()
    problem = only("\n".join(lines) + "\n", "aliases")
    assert time.perf_counter() - start < 2
    assert "expand beyond" in problem.message


def test_non_utf8_file_says_to_save_as_utf8() -> None:
    with pytest.raises(FileProblems, match="UTF-8"):
        parse_questionnaire("title: Grüße\n".encode("latin-1"), "latin.yaml")


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    assert only("x: " + "[" * 10_000 + "]" * 10_000 + "\n", "nesting")


def test_duplicate_keys_are_reported() -> None:
    text = valid_yaml().replace("version: 1\n", "version: 1\nversion: 2\n", 1)
    problem = only(text, "duplicate key 'version'")
    assert problem.line == line_of(text, "version: 2")


def test_norway_stays_a_country_code() -> None:
    questionnaire = load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")
    country = questionnaire.profile_question("country")
    assert "no" in [o.value for o in country.options]


def test_default_questionnaire_is_complete() -> None:
    questionnaire = load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")
    assert [d.id for d in questionnaire.dimensions] == [
        "strategy",
        "orchestration",
        "tactics",
        "culture",
    ]
    assert len(questionnaire.stages) == 5
    for dimension in questionnaire.dimensions:
        assert len(dimension.items) >= 6
        assert all(item.source for item in dimension.items)
        assert len(dimension.recommendations) >= 5
        for stage, following in zip(
            questionnaire.stages, [*questionnaire.stages[1:], None], strict=True
        ):
            upper = following.min_score if following else 100.0
            assert any(
                (rule.when.stages and stage.id in rule.when.stages)
                or (rule.when.below is not None and stage.min_score < rule.when.below)
                or (rule.when.at_least is not None and upper > rule.when.at_least)
                for rule in dimension.recommendations
            ), (dimension.id, stage.id)
    for question in (
        "industry",
        "size",
        "country",
        "department",
        "cx_anchoring",
        "cx_role",
        "cx_importance",
    ):
        assert questionnaire.profile_question(question) is not None
    assert questionnaire.profile_question("department").scope == "respondent"
