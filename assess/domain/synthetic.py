"""Synthetic organisations and answers for demos, benchmarks and load tests.

A latent model (`synthetic_model`), drawn once per seed from the questionnaire:
- each organisation has a maturity: an industry effect, a size effect (larger
  organisations a little more mature, in the order of the size options), a small
  country effect and its own deviation;
- each dimension has an effect, and each organisation its own deviation per dimension;
  together they are the organisation's level in the dimension;
- each organisation has its own practice per item: what it does a little better or worse
  than its level, which is why the items of one dimension agree only in part;
- each department a bias (how rosy it sees things), a smaller one per dimension, and a
  distance from each dimension (how far its work is from the subject); each respondent a
  leniency;
- each item a difficulty, a discrimination (weaker for reverse-keyed statements) and,
  where "not applicable" or "can't judge" is offered, a base rate of respondents who
  choose it; a few answers are left empty.
An item's latent value z = discrimination * (organisation + dimension + deviation +
department + respondent) - difficulty + practice + noise. Its share p = 1 / (1 + e^-z)
picks the answer: scale points and choice options (by score) split [0, 1] into equal bins;
yes when p > 1/2. Reverse items are answered the other way round, so high maturity still
scores high.

"Can't judge" replaces an answer with a probability whose logit is the item's base rate
plus the department's distance from the dimension plus the respondent's readiness to say
it, minus a share of the organisation's level: a subject is less visible where it is less
developed, and to departments far from it.

Facts (`informant: lead`) are answered by the first respondent of each organisation, its
lead, from the organisation's level alone (no department or respondent effect): options
ordered by score follow it. Nobody else answers them. The lead also gives the
organisation's profile answers (organisation-scope questions beyond industry, size and
country, e.g. the business model, drawn by how common each option is). A questionnaire
without lead items has no lead, and no respondent gives organisation profile answers.

Importance, where the questionnaire asks it, is rated by every respondent for every
dimension: the dimension's base plus a share of the organisation's level there, an
organisation's and a respondent's own deviation, binned like a scale answer.

Industries, sizes, countries and departments come from the questionnaire's profile
questions (`industry`, `size`, `country`; respondent-scope `department`).

The same seed gives the same organisations and answers, batch by batch: batch b draws
from its own streams (seed, b) and (seed, b, 1), so a larger run begins with the
organisations of a smaller one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from assess.domain.answers import ProfileValue, Response
from assess.domain.questionnaire import ProfileBoolean, ProfileScale, Questionnaire
from assess.domain.synthetic_answers import Answerer
from assess.domain.synthetic_model import ATTRIBUTES, Attribute, LatentModel, latent_model

__all__ = ["Attribute", "LatentModel", "SyntheticOrganisation", "latent_model", "organisations"]

BATCH = 250  # organisations per batch (and per random stream)
SD_ORGANISATION = 0.45
SD_DEVIATION = 0.4  # an organisation's own deviation per dimension
SD_PRACTICE = 0.35  # an organisation's own practice per item
SD_RESPONDENT = 0.4


@dataclass(frozen=True)
class SyntheticOrganisation:
    """One organisation: its attributes, whether it takes part in benchmarks, its latent
    maturity, its respondents' submitted answers and its profile answers (those its lead
    gave, industry, size and country included)."""

    number: int
    attributes: dict[str, str]
    opt_in: bool
    maturity: float
    responses: list[Response]
    profile: dict[str, ProfileValue] = field(default_factory=dict)


def organisations(
    questionnaire: Questionnaire,
    model: LatentModel,
    *,
    count: int,
    respondents: int,
    seed: int,
    opt_in_share: float = 0.9,
) -> Iterator[list[SyntheticOrganisation]]:
    """`count` organisations with `respondents` submitted responses each, in batches."""
    answerer = Answerer(questionnaire, model)
    for batch, start in enumerate(range(0, count, BATCH)):
        streams = (np.random.default_rng([seed, batch]), np.random.default_rng([seed, batch, 1]))
        size = min(BATCH, count - start)
        yield _batch(questionnaire, answerer, streams, start, size, respondents, opt_in_share)


def _batch(
    questionnaire: Questionnaire,
    answerer: Answerer,
    streams: tuple[np.random.Generator, np.random.Generator],
    start: int,
    size: int,
    respondents: int,
    opt_in_share: float,
) -> list[SyntheticOrganisation]:
    # A whole batch is drawn even when fewer are kept, so the first organisations of
    # a larger run are those of a smaller one.
    rng, more = streams
    model = answerer.model
    chosen = {
        a.question: rng.choice(len(a.options), BATCH, p=a.shares) for a in model.attributes.values()
    }
    maturity = rng.normal(0.0, SD_ORGANISATION, BATCH)
    for question, picks in chosen.items():
        maturity += model.attributes[question].effects[picks]
    opt_in = rng.random(BATCH) < opt_in_share
    deviation = rng.normal(0.0, SD_DEVIATION, (BATCH, len(questionnaire.dimensions)))
    shape = (BATCH, respondents)
    departments = model.departments
    department = (
        rng.choice(len(departments.options), shape, p=departments.shares)
        if departments
        else np.zeros(shape, dtype=np.int64)
    )
    bias = departments.effects[department] if departments else np.zeros(shape)
    person = bias + rng.normal(0.0, SD_RESPONDENT, shape)
    # Latent level per organisation and dimension, and per respondent too.
    organisation = maturity[:, None] + model.dimension_effects[None, :] + deviation
    level = organisation[:, None, :] + person[:, :, None] + model.department_levels[department]
    practice = more.normal(0.0, SD_PRACTICE, (BATCH, len(answerer.ids)))
    codes = answerer.codes(rng, level, practice)
    answerer.with_lead(codes, answerer.lead_codes(more, organisation, practice))
    answerer.with_dont_know(more, codes, organisation, department)
    importance = answerer.importance(more, organisation, respondents)
    profiles = _organisation_profiles(questionnaire, model, more, chosen)
    dimension_ids = [d.id for d in questionnaire.dimensions]
    width = len(str(respondents))
    result = []
    for o in range(size):
        responses = []
        for r in range(respondents):
            profile = answerer.profile(rng)
            if departments:
                profile["department"] = departments.options[int(department[o, r])]
            lead = answerer.has_lead and r == 0
            if lead:
                profile.update(profiles[o])
            rated = {
                d: float(v)
                for d, v in zip(dimension_ids, importance[o, r].tolist(), strict=True)
                if not np.isnan(v)
            }
            answers = answerer.answers(codes[o, r])
            responses.append(Response(f"r{r + 1:0{width}d}", answers, profile, rated, lead))
        attributes = {q: model.attributes[q].options[int(picks[o])] for q, picks in chosen.items()}
        result.append(
            SyntheticOrganisation(
                start + o + 1,
                attributes,
                bool(opt_in[o]),
                float(maturity[o]),
                responses,
                profiles[o],
            )
        )
    return result


def _organisation_profiles(
    questionnaire: Questionnaire,
    model: LatentModel,
    rng: np.random.Generator,
    chosen: dict[str, npt.NDArray[np.int64]],
) -> list[dict[str, ProfileValue]]:
    """Per organisation of the batch, its answers to the organisation-scope profile
    questions: industry, size and country as chosen, the others drawn."""
    columns: dict[str, list[ProfileValue]] = {
        q: [model.attributes[q].options[int(p)] for p in picks] for q, picks in chosen.items()
    }
    for question in questionnaire.profile:
        if question.scope != "organisation" or question.id in ATTRIBUTES:
            continue
        attribute = model.profile.get(question.id)
        if attribute is not None:
            picks = rng.choice(len(attribute.options), BATCH, p=attribute.shares)
            columns[question.id] = [attribute.options[int(p)] for p in picks]
        elif isinstance(question, ProfileScale):
            low, high = questionnaire.scale_of(question)
            columns[question.id] = [float(v) for v in rng.integers(low, high + 1, BATCH)]
        elif isinstance(question, ProfileBoolean):
            columns[question.id] = [bool(v) for v in rng.random(BATCH) < 0.5]
    return [{q: values[o] for q, values in columns.items()} for o in range(BATCH)]
