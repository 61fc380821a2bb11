"""Synthetic answers to what version 2 of the questionnaire asks: facts of one lead,
"can't judge", importance, the organisation's profile and departments that differ."""

from __future__ import annotations

import json

import numpy as np
from scipy.stats import spearmanr

from assess.domain.answer_files import read_answers
from assess.domain.answers import DK, NA, Response, to_stored
from assess.domain.questionnaire import Questionnaire
from assess.domain.synthetic import SyntheticOrganisation, latent_model, organisations
from tests.factories import (
    boolean_item,
    choice_item,
    choice_question,
    dimension,
    importance_scale,
    make_questionnaire,
    scale_item,
)

DEPARTMENTS = ("marketing", "sales", "service", "management", "it", "other")


def facts_and_views() -> Questionnaire:
    """Two levels with statements (one reversed, some with "can't judge"), facts of the
    lead (choice and yes/no), importance, a business model and departments."""
    return make_questionnaire(
        dimension(
            "d1",
            scale_item("a", allow_dont_know=True),
            scale_item("b", reverse=True, allow_na=False),
            scale_item("c", allow_dont_know=True, allow_na=False),
            choice_item(
                "fact",
                {"never": 0, "rarely": 35, "often": 70, "always": 100},
                informant="lead",
                allow_dont_know=True,
            ),
        ),
        dimension(
            "d2",
            scale_item("e", allow_dont_know=True, allow_na=False),
            scale_item("f", allow_dont_know=True, allow_na=False),
            boolean_item("yes-no", informant="lead", allow_na=False),
        ),
        importance=importance_scale(),
        profile=[
            choice_question("size", "small", "medium", "large"),
            choice_question("business-model", "b2b", "b2c", "both"),
            choice_question("department", *DEPARTMENTS, scope="respondent"),
        ],
    )


def generate(
    questionnaire: Questionnaire, count: int, respondents: int, seed: int
) -> list[SyntheticOrganisation]:
    model = latent_model(questionnaire, seed)
    batches = organisations(questionnaire, model, count=count, respondents=respondents, seed=seed)
    return [o for batch in batches for o in batch]


def as_answers_file(responses: list[Response]) -> bytes:
    """A JSON answers file of the responses, as a user would write it."""
    rows = []
    for response in responses:
        answers, profile = to_stored(response)
        lead = {"lead": True} if response.lead else {}
        rows.append({"respondent": response.respondent, **lead, **profile, **answers})
    return json.dumps(rows).encode()


def test_each_organisation_reads_back_from_an_answers_file_as_it_was_made() -> None:
    questionnaire = facts_and_views()
    for organisation in generate(questionnaire, 30, 5, seed=3):
        raw = as_answers_file(organisation.responses)
        # The file's checks: one lead, only the lead answers facts, dk and na where offered.
        assert read_answers(raw, questionnaire, kind="json") == organisation.responses


def test_the_first_respondent_is_the_lead_and_alone_answers_the_facts() -> None:
    found = generate(facts_and_views(), 40, 4, seed=5)
    for organisation in found:
        lead, *others = organisation.responses
        assert lead.lead
        assert not any(r.lead for r in others)
        assert not any({"fact", "yes-no"} & set(r.answers) for r in others)
    facts = [o.responses[0].answers.get("fact") for o in found]
    assert sum(f is not None for f in facts) > 30


def test_a_questionnaire_without_facts_has_no_lead_and_no_organisation_answers() -> None:
    questionnaire = make_questionnaire(
        dimension("d1", scale_item("a"), scale_item("b")),
        profile=[choice_question("business-model", "b2b", "b2c")],
    )
    found = generate(questionnaire, 10, 3, seed=2)
    assert not any(r.lead or r.profile for o in found for r in o.responses)
    assert all(o.profile["business-model"] in {"b2b", "b2c"} for o in found)


def test_the_lead_gives_the_organisations_profile() -> None:
    found = generate(facts_and_views(), 300, 2, seed=6)
    for organisation in found:
        lead = organisation.responses[0]
        assert set(organisation.profile) == {"size", "business-model"}
        assert {k: lead.profile[k] for k in organisation.profile} == organisation.profile
        assert organisation.profile["size"] == organisation.attributes["size"]
    models = [o.profile["business-model"] for o in found]
    assert set(models) == {"b2b", "b2c", "both"}


def test_the_leads_facts_follow_the_organisations_maturity_in_the_order_of_the_scores() -> None:
    found = generate(facts_and_views(), 500, 1, seed=8)
    score = {"never": 0, "rarely": 35, "often": 70, "always": 100}
    pairs = [
        (o.maturity, score[fact])
        for o in found
        if isinstance(fact := o.responses[0].answers.get("fact"), str)
    ]
    maturity, scores = zip(*pairs, strict=True)
    assert spearmanr(maturity, scores).statistic > 0.3
    yes = [o.maturity for o in found if o.responses[0].answers.get("yes-no") is True]
    no = [o.maturity for o in found if o.responses[0].answers.get("yes-no") is False]
    assert np.mean(yes) > np.mean(no)


def test_a_reverse_statement_is_answered_against_the_level() -> None:
    found = generate(facts_and_views(), 400, 3, seed=9)
    pairs = [
        (o.maturity, r.answers["a"], r.answers["b"])
        for o in found
        for r in o.responses
        if isinstance(r.answers.get("a"), float) and isinstance(r.answers.get("b"), float)
    ]
    maturity, plain, reverse = (np.array(column) for column in zip(*pairs, strict=True))
    assert spearmanr(maturity, plain).statistic > 0.2
    assert spearmanr(maturity, reverse).statistic < -0.2


def test_cant_judge_comes_only_where_offered_at_a_plausible_rate() -> None:
    questionnaire = facts_and_views()
    responses = [r for o in generate(questionnaire, 300, 5, seed=4) for r in o.responses]
    said = {item for r in responses for item, value in r.answers.items() if value is DK}
    assert said == {"a", "c", "e", "f", "fact"}
    statements = [v for r in responses for k, v in r.answers.items() if k in {"a", "c", "e", "f"}]
    share = sum(v is DK for v in statements) / len(statements)
    assert 0.03 < share < 0.25
    assert not any(r.answers.get(i) is NA for r in responses for i in ("b", "c", "e", "f"))


def test_departments_far_from_a_level_cannot_judge_it_more_often() -> None:
    questionnaire = facts_and_views()
    model = latent_model(questionnaire, 12)
    responses = [r for o in generate(questionnaire, 2000, 3, seed=12) for r in o.responses]
    for d, items in enumerate((("a", "c"), ("e", "f"))):
        shares = []
        for department in DEPARTMENTS:
            given = [
                r.answers[i]
                for r in responses
                if r.profile["department"] == department
                for i in items
                if i in r.answers
            ]
            shares.append(sum(v is DK for v in given) / len(given))
        distance = model.distance[:, d]
        assert spearmanr(shares, distance).statistic > 0.8, (shares, distance)


def test_less_mature_organisations_cannot_judge_more_often() -> None:
    found = generate(facts_and_views(), 600, 5, seed=13)
    share = np.array(
        [np.mean([r.answers.get(i) is DK for r in o.responses for i in ("e", "f")]) for o in found]
    )
    maturity = np.array([o.maturity for o in found])
    assert (
        share[maturity < np.median(maturity)].mean() > share[maturity >= np.median(maturity)].mean()
    )


def test_everyone_rates_the_importance_of_every_level_on_its_scale() -> None:
    found = generate(facts_and_views(), 200, 4, seed=7)
    ratings = [r.importance for o in found for r in o.responses]
    given = [v for rating in ratings for v in rating.values()]
    assert {k for rating in ratings for k in rating} == {"d1", "d2"}
    assert set(given) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert len(set(given)) >= 4
    assert 0.9 < len(given) / (2 * len(ratings)) < 1.0  # a few leave it empty


def test_no_importance_where_the_questionnaire_does_not_ask_it() -> None:
    questionnaire = make_questionnaire(dimension("d1", scale_item("a"), scale_item("b")))
    assert all(not r.importance for o in generate(questionnaire, 5, 3, 1) for r in o.responses)


def test_departments_see_each_level_somewhat_differently_as_modelled() -> None:
    questionnaire = facts_and_views()
    model = latent_model(questionnaire, 14)
    assert model.departments is not None
    responses = [r for o in generate(questionnaire, 2000, 3, seed=14) for r in o.responses]
    for d, item in enumerate(("c", "e")):
        means = [
            np.mean(
                [
                    r.answers[item]
                    for r in responses
                    if r.profile["department"] == department
                    and isinstance(r.answers.get(item), float)
                ]
            )
            for department in DEPARTMENTS
        ]
        modelled = model.departments.effects + model.department_levels[:, d]
        # Pearson: the modelled biases of some departments lie too close for their order.
        assert np.corrcoef(means, modelled)[0, 1] > 0.8, (means, modelled)
