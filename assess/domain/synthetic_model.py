"""The latent model behind synthetic answers: the effects a seed draws, once, for a
questionnaire (`synthetic` says how they combine)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assess.domain.questionnaire import ProfileChoice, Questionnaire, ScaleItem

ATTRIBUTES = ("industry", "size", "country")
MAX_NA_RATE = 0.12
DONT_KNOW_RATES = (0.03, 0.12)  # the range of an item's base rate of "can't judge"
SD_DISTANCE = 0.8  # a department's distance from a level, on the logit of "can't judge"
SD_DEPARTMENT_LEVEL = 0.15  # how much rosier one department sees one level than another
# Reverse-keyed statements measure the same thing less sharply (respondents misread a
# negation, or agree out of habit): their discrimination is this share of a plain one's.
REVERSE_DISCRIMINATION = 0.75
IMPORTANCE_BASE = (0.9, 0.4)  # mean and sd of a level's importance, on the logit
_MODEL_STREAM = 2**32  # keeps the model's stream apart from the batches' (seed, b)

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Attribute:
    """A profile question organisations are described by: its options, how common each
    is, and each one's effect on maturity."""

    question: str
    options: list[str]
    shares: Floats
    effects: Floats

    def effect_of(self, option: str) -> float:
        """The effect of one option on maturity."""
        return float(self.effects[self.options.index(option)])


@dataclass(frozen=True)
class LatentModel:
    """The effects behind the answers (see `synthetic`)."""

    attributes: dict[str, Attribute]  # by question id: industry, size, country
    departments: Attribute | None
    dimension_effects: Floats
    difficulty: Floats  # per item, in questionnaire order
    discrimination: Floats
    na_rate: Floats
    dont_know_rate: Floats  # per item; 0 where "can't judge" is not offered
    distance: Floats  # departments x dimensions (one row without departments)
    department_levels: Floats  # departments x dimensions, added to respondents' levels
    importance_base: Floats  # per dimension, on the logit
    profile: dict[str, Attribute]  # the organisation's other choice questions (no effect)


def latent_model(questionnaire: Questionnaire, seed: int) -> LatentModel:
    """The effects a seed draws for a questionnaire."""
    rng = np.random.default_rng([seed, _MODEL_STREAM])
    attributes = {}
    for question_id, spread in zip(ATTRIBUTES, (0.3, 0.0, 0.1), strict=True):
        options = _options(questionnaire, question_id, "organisation")
        if not options:
            continue
        effects = rng.normal(0.0, spread, len(options))
        if question_id == "size":  # larger organisations are a little more mature
            effects = np.linspace(-0.25, 0.25, len(options))
        shares = rng.dirichlet(np.full(len(options), 3.0))
        attributes[question_id] = Attribute(question_id, options, shares, effects)
    department_options = _options(questionnaire, "department", "respondent")
    departments = None
    if department_options:
        departments = Attribute(
            "department",
            department_options,
            rng.dirichlet(np.full(len(department_options), 4.0)),
            rng.normal(0.0, 0.2, len(department_options)),
        )
    items = [item for _, item in questionnaire.items()]
    # Centred, so that a typical organisation lands mid-scale.
    dimension_effects = rng.normal(0.0, 0.3, len(questionnaire.dimensions))
    difficulty = rng.normal(0.0, 0.4, len(items))
    discrimination = rng.uniform(0.8, 1.4, len(items))
    na_rate = np.array([rng.uniform(0, MAX_NA_RATE) if i.allow_na else 0.0 for i in items])
    # What came later draws from a stream of its own: the effects above stay as they were.
    more = np.random.default_rng([seed, _MODEL_STREAM, 1])
    rows, dimensions = max(len(department_options), 1), len(questionnaire.dimensions)
    reverse = np.array([isinstance(i, ScaleItem) and i.reverse for i in items], dtype=bool)
    return LatentModel(
        attributes=attributes,
        departments=departments,
        dimension_effects=dimension_effects - dimension_effects.mean(),
        difficulty=difficulty - difficulty.mean(),
        discrimination=np.where(reverse, REVERSE_DISCRIMINATION, 1.0) * discrimination,
        na_rate=na_rate,
        dont_know_rate=np.array(
            [more.uniform(*DONT_KNOW_RATES) if i.allow_dont_know else 0.0 for i in items]
        ),
        distance=more.normal(0.0, SD_DISTANCE, (rows, dimensions)),
        department_levels=more.normal(0.0, SD_DEPARTMENT_LEVEL, (rows, dimensions)),
        importance_base=more.normal(*IMPORTANCE_BASE, dimensions),
        profile={
            q.id: Attribute(
                q.id,
                [o.value for o in q.options],
                more.dirichlet(np.full(len(q.options), 3.0)),
                np.zeros(len(q.options)),
            )
            for q in questionnaire.profile
            if isinstance(q, ProfileChoice) and q.scope == "organisation" and q.id not in ATTRIBUTES
        },
    )


def _options(questionnaire: Questionnaire, question_id: str, scope: str) -> list[str]:
    question = questionnaire.profile_question(question_id)
    if isinstance(question, ProfileChoice) and question.scope == scope:
        return [o.value for o in question.options]
    return []
