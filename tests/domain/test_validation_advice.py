"""The validator reports each misuse of the advice additions at the offending value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.domain.validation import load_questionnaire, parse_questionnaire
from assess.domain.yamlfile import FileProblems, Problem
from tests.factories import (
    boolean_item,
    choice_item,
    dimension,
    questionnaire_data,
    scale_item,
    text,
)

ROOT = Path(__file__).parent.parent.parent
BUNDLED = sorted(
    [*(ROOT / "questionnaires").glob("*.yaml"), *(ROOT / "tests" / "questionnaires").glob("*.yaml")]
)


def recommendation(rec_id: str, **extra: Any) -> dict[str, Any]:
    """A recommendation with an id that applies below 60 unless told otherwise."""
    return {"id": rec_id, "when": {"below": 60}, "text": text(rec_id), **extra}


def advice_data(**extra: Any) -> dict[str, Any]:
    """A valid questionnaire using the additions: two levels, organisation profile questions."""
    data = questionnaire_data(
        dimension(
            "strategy",
            scale_item("strategy-kpis", allow_dont_know=True),
            boolean_item("strategy-lead", informant="lead"),
            recommendations=[recommendation("strategy-a"), recommendation("strategy-b")],
        ),
        dimension(
            "culture",
            choice_item("culture-owner", {"nobody": 0, "board": 100}),
            recommendations=[recommendation("culture-a")],
        ),
        importance={"min": 1, "max": 5, "text": text("How important?")},
        **extra,
    )
    data["profile"] += [
        {
            "id": "size",
            "type": "choice",
            "text": text("Size"),
            "options": [{"value": v, "label": text(v)} for v in ("small", "large")],
        },
        {"id": "listed", "type": "boolean", "text": text("Listed")},
        {"id": "notes", "type": "text", "text": text("Notes")},
    ]
    return data


def strategy(data: dict[str, Any]) -> dict[str, Any]:
    return data["dimensions"][0]


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def problems_of(text_: str) -> list[Problem]:
    with pytest.raises(FileProblems) as caught:
        parse_questionnaire(text_, "q.yaml")
    return caught.value.problems


def spot(text_: str, needle: str, after: str = "") -> tuple[int, int]:
    """Line and column (1-based) of the first `needle` on a line after the one with `after`."""
    lines = text_.splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in the file")


def the_problem(data: dict[str, Any]) -> tuple[str, Problem]:
    """The file's text and its one problem."""
    text_ = dump(data)
    problems = problems_of(text_)
    assert len(problems) == 1, problems
    return text_, problems[0]


def at(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.column


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_questionnaire_stays_valid(path: Path) -> None:
    assert load_questionnaire(path).dimensions


def test_advice_check_questionnaire_uses_every_addition_and_is_valid() -> None:
    questionnaire = load_questionnaire(ROOT / "tests" / "questionnaires" / "advice-check.yaml")
    assert questionnaire.importance is not None
    assert any(r.depends_on for _, r in questionnaire.recommendations())


def test_questionnaire_with_every_addition_written_well_is_valid() -> None:
    data = advice_data()
    strategy(data)["recommendations"][1]["depends_on"] = ["strategy-a"]
    strategy(data)["recommendations"][1]["when"] = {
        "items": {"strategy-kpis": {"below": 50}, "culture-owner": {"at_least": 50}},
        "profile": {"size": ["large"], "listed": ["yes", True, "false"]},
        "divergence": {"at_least": 20},
        "dont_know": {"at_least": 0.3},
    }
    strategy(data)["stages"] = {"three": {"description": text("Own words")}}
    assert parse_questionnaire(dump(data)).recommendations()


def test_unknown_item_in_a_rule_is_named_with_the_closest_item() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"items": {"strategy-kpi": {"below": 50}}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "strategy-kpi:")
    assert problem.message == "unknown item 'strategy-kpi' (did you mean 'strategy-kpis'?)"


def test_dimension_named_where_an_item_is_expected_says_to_name_its_items() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"items": {"culture": {"below": 50}}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "culture:", after="when:")
    assert problem.message == (
        "'culture' is a dimension, not an item: name one of its items, such as "
        "'culture-owner'; for the dimension's own score use 'below' or 'at_least' beside 'items'"
    )


def test_band_with_neither_bound_is_an_error() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"items": {"strategy-kpis": {}}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "{}", after="when:")
    assert problem.message == (
        "the band of 'strategy-kpis' needs 'below', 'at_least' or both, like {below: 50}"
    )


def test_band_bound_must_be_a_number() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"items": {"strategy-kpis": {"below": "lots"}}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "lots")
    assert problem.message == "'below' should be a number, got 'lots'"


def test_band_written_as_a_number_says_how_to_write_it() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"items": {"strategy-kpis": 50}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "50", after="when:")
    assert problem.message == (
        "'strategy-kpis' should be a mapping such as {below: 50} or {at_least: 25, below: 75}, "
        "got 50"
    )


def test_unknown_stage_in_a_rule_lists_the_stages() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"stages": ["two", "nirvana"]}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "nirvana")
    assert problem.message == "unknown stage 'nirvana'; stages are: one, two, three, four, five"


def test_unknown_stage_in_a_levels_stage_wording_is_named_at_its_key() -> None:
    data = advice_data()
    strategy(data)["stages"] = {"thre": {"description": text("Own words")}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "thre:")
    assert problem.message == (
        "unknown stage 'thre' in this level's stage wording; stages are: "
        "one, two, three, four, five"
    )


def test_unknown_profile_question_in_a_rule() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"profile": {"sise": ["large"]}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "sise:")
    assert problem.message == (
        "unknown profile question 'sise' (did you mean 'size'?); "
        "profile questions are: department, size, listed, notes"
    )


def test_respondent_scope_question_in_a_rule_is_refused() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"profile": {"department": ["sales"]}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "department:", after="when:")
    assert problem.message == (
        "'department' is asked of each respondent, but a rule's conditions are about the "
        "organisation: name an organisation-scope question"
    )


def test_free_text_question_in_a_rule_is_refused() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"profile": {"notes": ["x"]}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "notes:", after="when:")
    assert problem.message == (
        "'notes' is a free-text question; a rule can name only choice, scale and yes/no questions"
    )


def test_option_the_question_does_not_have_is_named_with_the_options() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"profile": {"size": ["large", "huge"]}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "huge")
    assert problem.message == "'huge' is not an option of 'size'; options are: small, large"


def test_yes_no_question_takes_only_yes_no_true_false() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {"profile": {"listed": ["maybe"]}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "maybe")
    assert (
        problem.message == "'listed' is a yes/no question: use yes, no, true or false, not 'maybe'"
    )


def test_depends_on_an_unknown_id_suggests_the_closest() -> None:
    data = advice_data()
    strategy(data)["recommendations"][1]["depends_on"] = ["strategy-c"]
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "strategy-c")
    assert problem.message == (
        "depends_on names an unknown recommendation 'strategy-c' (did you mean 'strategy-a'?)"
    )


def test_depends_on_an_unknown_id_without_a_close_one_lists_the_ids() -> None:
    data = advice_data()
    strategy(data)["recommendations"][1]["depends_on"] = ["zzz"]
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "zzz")
    assert problem.message == (
        "depends_on names an unknown recommendation 'zzz'; "
        "recommendation ids are: strategy-a, culture-a"
    )


def test_recommendation_depending_on_itself() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["depends_on"] = ["strategy-a"]
    text_, problem = the_problem(data)
    line, column = spot(text_, "- strategy-a", after="depends_on")
    assert at(problem) == (line, column + 2)
    assert problem.message == "'strategy-a' depends on itself; remove it from its depends_on"


def test_cycle_is_named_once_where_it_closes() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["depends_on"] = ["strategy-b"]
    strategy(data)["recommendations"][1]["depends_on"] = ["strategy-a"]
    text_, problem = the_problem(data)
    line, column = spot(text_, "- strategy-a", after="id: strategy-b")
    assert at(problem) == (line, column + 2)
    assert problem.message == (
        "depends_on closes a cycle: strategy-b -> strategy-a -> strategy-b; "
        "remove one of these dependencies"
    )


def test_cycle_across_dimensions_names_every_step() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["depends_on"] = ["culture-a"]
    strategy(data)["recommendations"][1]["depends_on"] = ["strategy-a"]
    data["dimensions"][1]["recommendations"][0]["depends_on"] = ["strategy-b"]
    text_, problem = the_problem(data)
    line, column = spot(text_, "- strategy-a", after="id: strategy-b")
    assert at(problem) == (line, column + 2)
    assert problem.message == (
        "depends_on closes a cycle: strategy-b -> strategy-a -> culture-a -> strategy-b; "
        "remove one of these dependencies"
    )


def test_long_chain_of_dependencies_is_checked_without_a_crash() -> None:
    data = advice_data()
    chain = [recommendation(f"step-{n}", depends_on=[f"step-{n + 1}"]) for n in range(3000)]
    chain.append(recommendation("step-3000", depends_on=["step-0"]))
    strategy(data)["recommendations"] = chain
    _, problem = the_problem(data)
    assert problem.message.startswith("depends_on closes a cycle: step-3000 -> step-0 -> step-1")


def test_duplicate_recommendation_id_names_the_first() -> None:
    data = advice_data()
    data["dimensions"][1]["recommendations"][0]["id"] = "strategy-a"
    text_, problem = the_problem(data)
    first, _ = spot(text_, "id: strategy-a")
    assert at(problem) == spot(text_, "strategy-a", after="id: culture-owner")
    assert problem.message == f"duplicate recommendation id 'strategy-a' (first at line {first})"


def test_importance_scale_min_must_be_below_max() -> None:
    data = advice_data()
    data["importance"].update({"min": 5, "max": 5})
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "5", after="importance:")
    assert problem.message == "importance scale min (5) must be below max (5)"


def test_importance_label_outside_its_scale() -> None:
    data = advice_data()
    data["importance"]["labels"] = {1: text("low"), 7: text("beyond")}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "7:", after="importance:")
    assert problem.message == "label for 7 is outside the importance scale 1..5"


@pytest.mark.parametrize("quote", ["", "   "])
def test_empty_quote_says_what_to_write(quote: str) -> None:
    data = advice_data()
    strategy(data)["items"][0]["source"] = {"article": "004", "quote": quote}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "'", after="quote:")
    assert problem.message == (
        "'quote' is empty: give the article's own words, verbatim, "
        'or name only the article (source: "004")'
    )


def test_empty_article_says_what_to_write() -> None:
    data = advice_data()
    strategy(data)["items"][0]["source"] = {"article": "", "quote": "words"}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "''", after="source:")
    assert problem.message == "'article' is empty: give the article's number, like \"004\""


def test_source_neither_article_nor_quote_names_both_forms() -> None:
    data = advice_data()
    strategy(data)["items"][0]["source"] = ["004"]
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "- '004'")
    assert problem.message == (
        "'source' should be an article number like \"004\" or "
        '{article: "004", quote: "…"}, got [\'004\']'
    )


def test_dk_option_is_reserved_where_cant_judge_is_offered() -> None:
    data = advice_data()
    data["dimensions"][1]["items"][0] = choice_item(
        "culture-owner", {"nobody": 0, "dk": 100}, allow_dont_know=True
    )
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "dk", after="value: nobody")
    assert problem.message == (
        "'dk' is reserved for \"can't judge\" on an item with allow_dont_know: true; "
        "give this option another value"
    )


def test_dk_option_is_an_ordinary_value_where_cant_judge_is_not_offered() -> None:
    data = advice_data()
    data["dimensions"][1]["items"][0] = choice_item("culture-owner", {"nobody": 0, "dk": 100})
    assert parse_questionnaire(dump(data)).dimensions


def test_informant_lead_is_fine_on_every_kind_of_item() -> None:
    data = advice_data()
    strategy(data)["items"][0]["informant"] = "lead"
    data["dimensions"][1]["items"][0]["informant"] = "lead"
    assert all(item.informant == "lead" for _, item in parse_questionnaire(dump(data)).items())


def test_informant_other_than_all_or_lead() -> None:
    data = advice_data()
    strategy(data)["items"][1]["informant"] = "boss"
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "boss")
    assert problem.message == "'informant' should be one of all, lead, got 'boss'"


def test_allow_dont_know_must_be_true_or_false() -> None:
    data = advice_data()
    strategy(data)["items"][0]["allow_dont_know"] = "maybe"
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "maybe")
    assert problem.message == "'allow_dont_know' should be true or false, got 'maybe'"


def test_horizon_other_than_now_next_later() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["horizon"] = "soon"
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "soon")
    assert problem.message == "'horizon' should be one of now, next, later, got 'soon'"


def test_depends_on_written_as_one_id_says_to_make_it_a_list() -> None:
    data = advice_data()
    strategy(data)["recommendations"][1]["depends_on"] = "strategy-a"
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "strategy-a", after="depends_on")
    assert problem.message == "'depends_on' should be a list, like [strategy-a], got 'strategy-a'"


def test_rule_without_a_condition_lists_the_kinds() -> None:
    data = advice_data()
    strategy(data)["recommendations"][0]["when"] = {}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "{}", after="id: strategy-a")
    assert problem.message == (
        "a rule needs a condition: stages, below, at_least, items, divergence, dont_know, profile"
    )


def test_scale_question_in_a_rule_takes_numbers() -> None:
    data = advice_data()
    data["profile"].append({"id": "maturity", "type": "scale", "text": text("Maturity")})
    strategy(data)["recommendations"][0]["when"] = {"profile": {"maturity": [4, "5", "high"]}}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "high")
    assert problem.message == "'maturity' is a scale question: give numbers, not 'high'"


def test_dimension_named_in_depends_on_says_recommendations_are_meant() -> None:
    data = advice_data()
    strategy(data)["recommendations"][1]["depends_on"] = ["culture"]
    text_, problem = the_problem(data)
    line, column = spot(text_, "- culture", after="depends_on")
    assert at(problem) == (line, column + 2)
    assert problem.message == (
        "'culture' is a dimension; depends_on names recommendations (did you mean 'culture-a'?)"
    )


@pytest.mark.parametrize(("kind", "what"), [("items", "item"), ("stages", "stage")])
def test_condition_that_names_nothing_is_an_error(kind: str, what: str) -> None:
    data = advice_data()
    empty: dict[str, Any] | list[str] = {} if kind == "items" else []
    strategy(data)["recommendations"][0]["when"] = {"below": 60, kind: empty}
    text_, problem = the_problem(data)
    assert at(problem) == spot(text_, "{}" if kind == "items" else "[]", after="id: strategy-a")
    assert problem.message == f"'{kind}' is empty: name at least one {what}, or leave it out"


def test_a_known_key_in_the_wrong_place_is_not_suggested_as_itself() -> None:
    data = questionnaire_data(
        dimension(
            "d1",
            scale_item("i1"),
            recommendations=[
                {"when": {"below": 50}, "informant": "lead", "text": {"de": "T", "en": "T"}}
            ],
        )
    )
    with pytest.raises(FileProblems) as caught:
        parse_questionnaire(yaml.safe_dump(data))
    [problem] = caught.value.problems
    assert "'informant' does not belong here" in problem.message
