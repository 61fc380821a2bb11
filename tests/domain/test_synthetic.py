"""Synthetic organisations: reproducible, valid answers, and the correlations modelled."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from assess.domain.answers import NA, chunks_of, to_stored
from assess.domain.catalogue import Catalogue
from assess.domain.columns import columns_of, read_entry
from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import score_assessment, table_from_chunks
from assess.domain.synthetic import SyntheticOrganisation, latent_model, organisations
from tests.factories import (
    boolean_item,
    choice_item,
    dimension,
    make_questionnaire,
    scale_item,
)

QUESTIONNAIRES = Path(__file__).parent.parent.parent / "questionnaires"


def cx_maturity() -> Questionnaire:
    entry = Catalogue(QUESTIONNAIRES).get("cx-maturity")
    assert entry is not None
    return entry.questionnaire


def mixed() -> Questionnaire:
    """Every kind of item: reverse, an own scale, choice, yes/no, one without n/a."""
    return make_questionnaire(
        dimension(
            "d1",
            scale_item("a"),
            scale_item("b", reverse=True),
            scale_item("c", min=0, max=10, allow_na=False),
        ),
        dimension(
            "d2",
            choice_item("e", {"none": 0, "some": 40, "all": 100}),
            boolean_item("f"),
            scale_item("g"),
        ),
    )


def generate(
    questionnaire: Questionnaire, count: int, respondents: int, seed: int, **extra: float
) -> list[SyntheticOrganisation]:
    model = latent_model(questionnaire, seed)
    batches = organisations(
        questionnaire, model, count=count, respondents=respondents, seed=seed, **extra
    )
    return [o for batch in batches for o in batch]


def test_the_same_seed_gives_the_same_organisations_and_answers() -> None:
    first = generate(cx_maturity(), 300, 4, seed=11)
    again = generate(cx_maturity(), 300, 4, seed=11)
    other = generate(cx_maturity(), 300, 4, seed=12)
    assert first == again
    assert [o.responses for o in first] != [o.responses for o in other]


def test_a_larger_run_begins_with_the_organisations_of_a_smaller_one() -> None:
    small = generate(cx_maturity(), 260, 3, seed=5)
    large = generate(cx_maturity(), 600, 3, seed=5)
    assert large[:260] == small


def test_answers_pass_the_questionnaires_own_checks() -> None:
    for questionnaire in (cx_maturity(), mixed()):
        columns = columns_of(questionnaire)
        for organisation in generate(questionnaire, 40, 5, seed=3):
            for response in organisation.responses:
                answers, profile = to_stored(response)
                # What the API would store for these answers is exactly what we store.
                assert read_entry({**answers, **profile}, columns) == (answers, profile)


def test_some_answers_are_skipped_or_not_applicable_but_only_where_allowed() -> None:
    questionnaire = mixed()
    responses = [r for o in generate(questionnaire, 100, 5, seed=4) for r in o.responses]
    na = {item for r in responses for item, v in r.answers.items() if v is NA}
    skipped = sum(len(questionnaire.item_ids()) - len(r.answers) for r in responses)
    assert "c" not in na
    assert na
    assert 0 < skipped < 0.1 * len(responses) * len(questionnaire.item_ids())


def test_items_of_a_dimension_correlate_positively_reverse_ones_too() -> None:
    questionnaire = mixed()
    responses = [r for o in generate(questionnaire, 200, 5, seed=8) for r in o.responses]
    table = table_from_chunks(questionnaire, chunks_of(responses, questionnaire), keep_items=True)
    assert table.items is not None
    ids = questionnaire.item_ids()
    for dim in questionnaire.dimensions:
        columns = [ids.index(item.id) for item in dim.items]
        for i in columns:
            for j in columns:
                if i < j:
                    x, y = table.items[:, i], table.items[:, j]
                    both = ~np.isnan(x) & ~np.isnan(y)
                    assert np.corrcoef(x[both], y[both])[0, 1] > 0.2, (ids[i], ids[j])


def test_organisation_scores_differ_by_industry_and_size_as_modelled() -> None:
    questionnaire = cx_maturity()
    model = latent_model(questionnaire, 21)
    found = generate(questionnaire, 1500, 3, seed=21)
    overall = np.array(
        [score_assessment(questionnaire, o.responses).total.overall.score or np.nan for o in found]
    )
    for question in ("industry", "size"):
        attribute = model.attributes[question]
        means = [
            np.nanmean(
                [s for s, o in zip(overall, found, strict=True) if o.attributes[question] == option]
            )
            for option in attribute.options
        ]
        assert spearmanr(means, attribute.effects).statistic > 0.7, question


def test_attributes_and_departments_come_from_the_profile_questions() -> None:
    questionnaire = cx_maturity()
    found = generate(questionnaire, 500, 4, seed=2, opt_in_share=0.5)
    options = {q.id: {o.value for o in getattr(q, "options", [])} for q in questionnaire.profile}
    for question in ("industry", "size", "country"):
        seen = {o.attributes[question] for o in found}
        assert seen <= options[question]
        assert len(seen) > 1
    departments = {r.profile["department"] for o in found for r in o.responses}
    assert departments == options["department"]
    assert 0.4 < sum(o.opt_in for o in found) / len(found) < 0.6


def test_a_questionnaire_without_profile_questions_still_gets_organisations() -> None:
    questionnaire = make_questionnaire(profile=[])
    found = generate(questionnaire, 3, 2, seed=1)
    assert [o.attributes for o in found] == [{}, {}, {}]
    assert all(r.profile == {} for o in found for r in o.responses)
