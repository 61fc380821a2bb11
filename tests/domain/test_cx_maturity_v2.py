"""The bundled cx-maturity questionnaire: version 2 holds what recommendations, demo data
and benchmarks are built on, and version 1, which has answers, stays as it is."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from assess.domain.attributes import attribute_choices
from assess.domain.questionnaire import ChoiceItem, ProfileChoice, Questionnaire
from assess.domain.validation import load_questionnaire

FOLDER = Path(__file__).parent.parent.parent / "questionnaires"
VERSION_1 = FOLDER / "cx-maturity.yaml"
VERSION_2 = FOLDER / "cx-maturity-v2.yaml"

# Version 1 has answers: its bytes, and so everything it scores, never change.
VERSION_1_SHA256 = "0f22b40024b1821815ff7ce24dc8fddd4df821ea944222f0d570ece3168cdc60"

STAGES = {
    "lip-service": 0,
    "evangelists": 20,
    "departments": 40,
    "orchestrated": 60,
    "customer-passion": 80,
}

# The facts asked once, of the lead respondent: option values and their scores.
LEAD_FACTS: dict[str, dict[str, float] | None] = {
    "strategy-board-kpis": {"never": 0, "less-than-quarterly": 35, "quarterly": 70, "monthly": 100},
    "strategy-anchoring": {
        "nowhere": 0,
        "spread": 20,
        "one-department": 40,
        "cx-unit": 70,
        "top-management": 100,
    },
    "orchestration-inventory": {"none": 0, "older": 30, "two-years": 65, "this-year": 100},
    "orchestration-cx-role": {
        "none": 0,
        "part-of-other-job": 35,
        "cx-manager": 70,
        "c-level": 100,
    },
    "tactics-nps": {"never": 0, "irregular": 25, "yearly": 50, "quarterly": 75, "continuous": 100},
    "culture-employee-goals": None,  # yes/no
    "culture-customer-ideas": None,
}

# Only these may not apply to a respondent or an organisation (the file says why for each).
NOT_APPLICABLE = {
    "orchestration-customer-history",
    "orchestration-partners",
    "tactics-needs-personas",
    "tactics-personalisation",
}

# What a respondent can judge from their own work, so "can't judge" is not offered.
ALWAYS_JUDGED = {
    "strategy-software-myth",
    "strategy-cuddle-myth",
    "strategy-anchoring",
    "orchestration-spread-thin",
    "orchestration-service-topic",
    "orchestration-cx-role",
    "tactics-own-kpis",
    "culture-own-share",
    "culture-talk-with",
}

REVERSED = {
    "strategy-quarter-wins",
    "strategy-software-myth",
    "strategy-cuddle-myth",
    "orchestration-spread-thin",
    "orchestration-ownership-defence",
    "orchestration-service-topic",
    "tactics-own-kpis",
    "tactics-dashboard-only",
    "tactics-data-for-pressure",
    "tactics-service-blamed",
    "culture-lone-fighters",
}

# German words the glossary replaces (Bereich → Abteilung, Teilnehmende → Befragte, …);
# "trifft … zu" was the old agreement scale, which clashed with "Nicht anwendbar".
BANNED_GERMAN = re.compile(r"bereich|teilnehm|touchpoint|befragung|\btrifft\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def version_2() -> Questionnaire:
    return load_questionnaire(VERSION_2)


def test_version_1_keeps_the_bytes_it_was_answered_with() -> None:
    assert hashlib.sha256(VERSION_1.read_bytes()).hexdigest() == VERSION_1_SHA256


def test_version_2_is_a_valid_version_of_the_same_questionnaire(version_2: Questionnaire) -> None:
    version_1 = load_questionnaire(VERSION_1)
    assert (version_2.id, version_2.version) == (version_1.id, 2)
    assert version_2.languages == ["de", "en"]
    assert [(d.id, d.weight) for d in version_2.dimensions] == [
        (d.id, d.weight) for d in version_1.dimensions
    ]


def test_version_2_climbs_the_stages_of_the_articles(version_2: Questionnaire) -> None:
    assert {s.id: s.min_score for s in version_2.stages} == STAGES


def test_every_level_words_every_stage_its_own_way(version_2: Questionnaire) -> None:
    for dimension in version_2.dimensions:
        assert list(dimension.stages) == list(STAGES), dimension.id
        for stage in version_2.stages:
            own = dimension.stages[stage.id].description
            assert stage.description is not None
            for language in ("de", "en"):
                assert own[language].strip(), (dimension.id, stage.id, language)
                assert own[language] != stage.description[language], (dimension.id, stage.id)


def test_the_wording_of_a_stage_differs_between_levels(version_2: Questionnaire) -> None:
    for stage in STAGES:
        wordings = {d.stages[stage].description["de"] for d in version_2.dimensions}
        assert len(wordings) == len(version_2.dimensions), stage


def test_importance_is_asked_per_level_on_five_labelled_points(version_2: Questionnaire) -> None:
    importance = version_2.importance
    assert importance is not None
    assert (importance.min, importance.max) == (1, 5)
    assert sorted(importance.labels) == [1, 2, 3, 4, 5]
    assert importance.labels[5]["de"] == "entscheidend"


def test_the_lead_answers_the_facts_with_the_options_and_scores_of_the_skeleton(
    version_2: Questionnaire,
) -> None:
    leads = {item.id: item for _, item in version_2.items() if item.informant == "lead"}
    assert set(leads) == set(LEAD_FACTS)
    for item_id, scores in LEAD_FACTS.items():
        item = leads[item_id]
        if scores is None:
            assert item.type == "boolean", item_id
        else:
            assert isinstance(item, ChoiceItem), item_id
            assert {o.value: o.score for o in item.options} == scores, item_id


def test_not_applicable_is_offered_only_where_an_item_may_not_apply(
    version_2: Questionnaire,
) -> None:
    assert {item.id for _, item in version_2.items() if item.allow_na} == NOT_APPLICABLE


def test_cant_judge_is_offered_wherever_a_respondent_may_not_know(
    version_2: Questionnaire,
) -> None:
    items = {item.id for _, item in version_2.items()}
    offered = {item.id for _, item in version_2.items() if item.allow_dont_know}
    assert offered == items - ALWAYS_JUDGED


def test_the_statements_that_describe_low_maturity_are_reversed(
    version_2: Questionnaire,
) -> None:
    reversed_ = {item.id for _, item in version_2.items() if getattr(item, "reverse", False)}
    assert reversed_ == REVERSED


def test_peer_groups_find_the_same_attributes_in_both_versions(version_2: Questionnaire) -> None:
    assert attribute_choices(version_2) == attribute_choices(load_questionnaire(VERSION_1))


def test_version_2_asks_for_the_business_model_of_the_organisation(
    version_2: Questionnaire,
) -> None:
    question = next(q for q in version_2.profile if q.id == "business-model")
    assert isinstance(question, ProfileChoice)
    assert question.scope == "organisation"
    assert [o.value for o in question.options] == ["b2b", "b2c", "both"]


def german_texts(data: object) -> list[str]:
    """Every German text in a questionnaire's data, quotes of the articles aside."""
    if isinstance(data, dict):
        own = [data["de"]] if isinstance(data.get("de"), str) else []
        return own + [text for value in data.values() for text in german_texts(value)]
    if isinstance(data, list):
        return [text for value in data for text in german_texts(value)]
    return []


def test_german_texts_use_the_terms_of_the_glossary(version_2: Questionnaire) -> None:
    texts = german_texts(version_2.model_dump())
    assert len(texts) > 100
    assert [text for text in texts if BANNED_GERMAN.search(text)] == []
