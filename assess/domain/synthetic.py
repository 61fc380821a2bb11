"""Synthetic organisations and answers for demos, benchmarks and load tests.

A latent model, drawn once per seed from the questionnaire:
- each organisation has a maturity: an industry effect, a size effect (larger
  organisations a little more mature, in the order of the size options), a small
  country effect and its own deviation;
- each dimension has an effect, and each organisation its own deviation per dimension;
- each department a bias (how rosy it sees things), each respondent a leniency;
- each item a difficulty, a discrimination and, where "not applicable" is offered, a
  rate of respondents who choose it; a few answers are skipped.
An item's latent value z = discrimination * (organisation + dimension + deviation +
department + respondent) - difficulty + noise. Its share p = 1 / (1 + e^-z) picks the
answer: scale points and choice options (by score) split [0, 1] into equal bins; yes
when p > 1/2. Reverse items are answered the other way round, so high maturity still
scores high. Industries, sizes, countries and departments come from the questionnaire's
profile questions (`industry`, `size`, `country`; respondent-scope `department`).

The same seed gives the same organisations and answers, batch by batch: batch b draws
from its own stream (seed, b), so a larger run begins with the organisations of a
smaller one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assess.domain.answers import NA, AnswerValue, ProfileValue, Response
from assess.domain.questionnaire import (
    BooleanItem,
    ChoiceItem,
    ProfileBoolean,
    ProfileChoice,
    ProfileScale,
    Questionnaire,
    ScaleItem,
)

BATCH = 250  # organisations per batch (and per random stream)
ATTRIBUTES = ("industry", "size", "country")
SD_ORGANISATION = 0.45
SD_DEVIATION = 0.4  # an organisation's own deviation per dimension
SD_RESPONDENT = 0.4
SD_NOISE = 0.7  # per answer
SKIP_RATE = 0.02
MAX_NA_RATE = 0.12
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
    """The effects behind the answers (see the module's text)."""

    attributes: dict[str, Attribute]  # by question id: industry, size, country
    departments: Attribute | None
    dimension_effects: Floats
    difficulty: Floats  # per item, in questionnaire order
    discrimination: Floats
    na_rate: Floats


@dataclass(frozen=True)
class SyntheticOrganisation:
    """One organisation: its attributes, whether it takes part in benchmarks, its latent
    maturity and its respondents' submitted answers."""

    number: int
    attributes: dict[str, str]
    opt_in: bool
    maturity: float
    responses: list[Response]


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
    return LatentModel(
        attributes=attributes,
        departments=departments,
        dimension_effects=dimension_effects - dimension_effects.mean(),
        difficulty=difficulty - difficulty.mean(),
        discrimination=rng.uniform(0.8, 1.4, len(items)),
        na_rate=np.array([rng.uniform(0, MAX_NA_RATE) if i.allow_na else 0.0 for i in items]),
    )


def _options(questionnaire: Questionnaire, question_id: str, scope: str) -> list[str]:
    question = questionnaire.profile_question(question_id)
    if isinstance(question, ProfileChoice) and question.scope == scope:
        return [o.value for o in question.options]
    return []


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
    answerer = _Answerer(questionnaire, model)
    for batch, start in enumerate(range(0, count, BATCH)):
        rng = np.random.default_rng([seed, batch])
        size = min(BATCH, count - start)
        yield _batch(questionnaire, model, answerer, rng, start, size, respondents, opt_in_share)


def _batch(
    questionnaire: Questionnaire,
    model: LatentModel,
    answerer: _Answerer,
    rng: np.random.Generator,
    start: int,
    size: int,
    respondents: int,
    opt_in_share: float,
) -> list[SyntheticOrganisation]:
    # A whole batch is drawn even when fewer are kept, so the first organisations of
    # a larger run are those of a smaller one.
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
    # Latent level per organisation, respondent and dimension.
    level = (
        maturity[:, None, None]
        + model.dimension_effects[None, None, :]
        + deviation[:, None, :]
        + person[:, :, None]
    )
    codes = answerer.codes(rng, level)
    width = len(str(respondents))
    result = []
    for o in range(size):
        responses = []
        for r in range(respondents):
            profile = answerer.profile(rng)
            if departments:
                profile["department"] = departments.options[int(department[o, r])]
            responses.append(
                Response(f"r{r + 1:0{width}d}", answerer.answers(codes[o, r]), profile)
            )
        attributes = {q: model.attributes[q].options[int(picks[o])] for q, picks in chosen.items()}
        result.append(
            SyntheticOrganisation(
                start + o + 1, attributes, bool(opt_in[o]), float(maturity[o]), responses
            )
        )
    return result


class _Answerer:
    """Turns latent levels into answers: per item a table of its possible answers, and
    per answer an index into it (-1 skipped, -2 not applicable)."""

    def __init__(self, questionnaire: Questionnaire, model: LatentModel) -> None:
        self.model = model
        positions = {d.id: k for k, d in enumerate(questionnaire.dimensions)}
        self.ids: list[str] = []
        self.dimension = np.array([positions[d.id] for d, _ in questionnaire.items()])
        self.choices: list[list[AnswerValue]] = []
        for _, item in questionnaire.items():
            self.ids.append(item.id)
            if isinstance(item, ScaleItem):
                low, high = questionnaire.scale_of(item)
                points: list[AnswerValue] = [float(v) for v in range(low, high + 1)]
                self.choices.append(points[::-1] if item.reverse else points)
            elif isinstance(item, ChoiceItem):
                ranked = sorted(item.options, key=lambda o: o.score)
                self.choices.append([o.value for o in ranked])
            else:
                assert isinstance(item, BooleanItem)
                self.choices.append([False, True])
        self.bins = np.array([len(c) for c in self.choices], dtype=np.float64)
        self.extra = [
            q
            for q in questionnaire.profile
            if q.scope == "respondent"
            and q.id != "department"
            and isinstance(q, ProfileChoice | ProfileScale | ProfileBoolean)
        ]
        self.questionnaire = questionnaire

    def codes(self, rng: np.random.Generator, level: Floats) -> npt.NDArray[np.int64]:
        """Per organisation, respondent and item: the index of the answer chosen."""
        model = self.model
        z = model.discrimination * level[:, :, self.dimension] - model.difficulty
        z = z + rng.normal(0.0, SD_NOISE, z.shape)
        share = 1.0 / (1.0 + np.exp(-z))
        codes = np.minimum(np.floor(share * self.bins), self.bins - 1).astype(np.int64)
        draw = rng.random(z.shape)
        codes[draw < SKIP_RATE + model.na_rate] = -2
        codes[draw < SKIP_RATE] = -1
        return codes

    def answers(self, codes: npt.NDArray[np.int64]) -> dict[str, AnswerValue]:
        """One respondent's answers from their codes; skipped items left out."""
        answers: dict[str, AnswerValue] = {}
        for item_id, choices, code in zip(self.ids, self.choices, codes.tolist(), strict=True):
            if code >= 0:
                answers[item_id] = choices[code]
            elif code == -2:
                answers[item_id] = NA
        return answers

    def profile(self, rng: np.random.Generator) -> dict[str, ProfileValue]:
        """Answers to respondent-scope profile questions other than the department."""
        profile: dict[str, ProfileValue] = {}
        for question in self.extra:
            if isinstance(question, ProfileChoice):
                profile[question.id] = question.options[
                    int(rng.integers(len(question.options)))
                ].value
            elif isinstance(question, ProfileScale):
                low, high = self.questionnaire.scale_of(question)
                profile[question.id] = float(rng.integers(low, high + 1))
            else:
                profile[question.id] = bool(rng.random() < 0.5)
        return profile
