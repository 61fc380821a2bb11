"""What a closed assessment keeps for research: respondents' level scores (rule 2, lead
items lent) and item moments whose pooled alpha equals the item statistics of all."""

from __future__ import annotations

import numpy as np
import pytest

from assess.domain.answers import Response
from assess.domain.itemstats import item_statistics_by_organisation
from assess.domain.respondent_levels import pooled_alpha, respondent_levels
from assess.domain.scoring import score_assessment
from tests.factories import boolean_item, choice_item, dimension, make_questionnaire, scale_item


def mixed_questionnaire() -> object:
    return make_questionnaire(
        dimension("d", scale_item("a"), scale_item("b"), boolean_item("c")),
        dimension(
            "e",
            scale_item("f"),
            scale_item("g"),
            choice_item("fact", {"no": 0, "yes": 100}, informant="lead"),
        ),
    )


def organisations(seed: int, count: int) -> list[list[Response]]:
    rng = np.random.default_rng(seed)
    result = []
    for o in range(count):
        level = rng.normal(3, 0.8)
        responses = []
        for r in range(int(rng.integers(1, 9))):
            answers: dict[str, object] = {}
            for item in ("a", "b", "f", "g"):
                if rng.random() > 0.1:
                    answers[item] = float(np.clip(round(level + rng.normal(0, 1)), 1, 5))
            if rng.random() > 0.1:
                answers["c"] = "yes" if level + rng.normal(0, 1) > 3 else "no"
            if r == 0:
                answers["fact"] = "yes" if level > 3 else "no"
            responses.append(Response(f"o{o}r{r}", answers, lead=r == 0))  # type: ignore[arg-type]
        result.append(responses)
    return result


def test_level_scores_are_the_respondents_whose_mean_is_the_organisations_score() -> None:
    questionnaire = mixed_questionnaire()
    (responses,) = organisations(3, 1)
    kept = respondent_levels(questionnaire, responses)  # type: ignore[arg-type]
    result = score_assessment(questionnaire, responses).to_dict()  # type: ignore[arg-type]
    for level in ("d", "e"):
        assert np.mean(kept.scores[level]) == pytest.approx(
            result["dimensions"][level]["score"], abs=1e-9
        )


def test_a_respondent_without_a_level_score_is_left_out_of_that_level() -> None:
    questionnaire = make_questionnaire(
        dimension("d", scale_item("a")), dimension("e", scale_item("b"))
    )
    responses = [Response("r1", {"a": 5.0, "b": 1.0}), Response("r2", {"b": 3.0})]
    kept = respondent_levels(questionnaire, responses)  # type: ignore[arg-type]
    assert kept.scores == {"d": [100.0], "e": [0.0, 50.0]}
    assert kept.moments["d"].n == 1
    assert kept.moments["e"].n == 2


def test_pooled_alpha_equals_the_item_statistics_of_every_respondent() -> None:
    questionnaire = mixed_questionnaire()
    pool = organisations(9, 40)
    whole = item_statistics_by_organisation(questionnaire, pool)  # type: ignore[arg-type]
    parts = [respondent_levels(questionnaire, responses) for responses in pool]  # type: ignore[arg-type]
    for dimension_, figures in zip(questionnaire.dimensions, whole.dimensions, strict=True):  # type: ignore[attr-defined]
        found = pooled_alpha(dimension_, [p.moments[dimension_.id] for p in parts])
        assert found.n == figures.n
        assert found.standardised == figures.standardised
        assert found.alpha == pytest.approx(figures.alpha, rel=1e-9)
    assert whole.dimensions[0].standardised  # scale with yes/no: on z-scores
    assert not whole.dimensions[1].standardised  # the lead's fact stays out


def test_pooled_alpha_of_fewer_than_two_complete_respondents_is_none() -> None:
    questionnaire = mixed_questionnaire()
    kept = respondent_levels(questionnaire, [Response("r", {"a": 1.0, "b": 2.0, "c": "no"})])  # type: ignore[arg-type]
    found = pooled_alpha(questionnaire.dimensions[0], [kept.moments["d"]])  # type: ignore[attr-defined]
    assert (found.alpha, found.n) == (None, 1)
