"""Demo data of version 2 of the bundled questionnaire measure each level consistently:
Cronbach's alpha at least 0.7 per level, every item's corrected item-total r positive."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assess.domain.itemstats import DimensionReliability, item_statistics_by_organisation
from assess.domain.questionnaire import Questionnaire
from assess.domain.synthetic import latent_model, organisations
from assess.domain.validation import load_questionnaire

VERSION_2 = Path(__file__).parent.parent.parent / "questionnaires" / "cx-maturity-v2.yaml"
MIN_ALPHA = 0.7
# Leaving an item out may raise alpha by noise; by more than this, the item measures
# something else than its level (or is scored the wrong way round).
LOWERS_ALPHA = 0.01


def version_2() -> Questionnaire:
    return load_questionnaire(VERSION_2)


@lru_cache(maxsize=2)
def demo_statistics(seed: int) -> tuple[DimensionReliability, ...]:
    """Item statistics of 60 demo organisations of 6 respondents each."""
    questionnaire = version_2()
    batches = organisations(
        questionnaire, latent_model(questionnaire, seed), count=60, respondents=6, seed=seed
    )
    responses = (o.responses for batch in batches for o in batch)
    return item_statistics_by_organisation(questionnaire, responses).dimensions


def lowering(dimension: DimensionReliability, margin: float = 0.0) -> list[str]:
    """The items of a level without which its alpha would be higher, with that alpha."""
    alpha = dimension.alpha if dimension.alpha is not None else float("-inf")
    return [
        f"{item.id} (alpha if deleted {item.alpha_if_deleted:.3f})"
        for item in dimension.items
        if item.alpha_if_deleted is not None and item.alpha_if_deleted > alpha + margin
    ]


def test_version_2_demo_data_give_each_level_an_alpha_of_at_least_0_7() -> None:
    for seed in (1, 2):
        for dimension in demo_statistics(seed):
            assert dimension.alpha is not None, dimension.id
            assert dimension.alpha >= MIN_ALPHA, (
                f"seed {seed}, {dimension.id}: alpha {dimension.alpha:.3f} over "
                f"{dimension.n} complete respondents; higher without: {lowering(dimension)}"
            )


def test_every_statement_of_version_2_correlates_positively_with_the_rest_of_its_level() -> None:
    for seed in (1, 2):
        negative = [
            f"seed {seed}: {item.id} (r {item.item_total_r})"
            for dimension in demo_statistics(seed)
            for item in dimension.items
            if item.in_alpha and not (item.item_total_r is not None and item.item_total_r > 0)
        ]
        assert not negative


def test_no_item_of_version_2_lowers_its_levels_alpha_by_more_than_noise() -> None:
    for seed in (1, 2):
        found = [
            f"seed {seed}, {dimension.id} (alpha {dimension.alpha:.3f}): {item}"
            for dimension in demo_statistics(seed)
            for item in lowering(dimension, LOWERS_ALPHA)
        ]
        assert not found


def test_version_2s_alpha_counts_the_statements_and_leaves_the_leads_facts_out() -> None:
    questionnaire = version_2()
    facts = {item.id for _, item in questionnaire.items() if item.informant == "lead"}
    for dimension in demo_statistics(1):
        assert not dimension.standardised  # every item in alpha is a statement
        assert {item.id for item in dimension.items if not item.in_alpha} <= facts
        for item in dimension.items:
            assert item.in_alpha == (item.id not in facts), item.id
            if not item.in_alpha:
                assert 0 < item.n <= 60  # once per organisation, on its lead's row
