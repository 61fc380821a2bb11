"""How the latent model (`synthetic_model`) turns levels into answers: per item a table of its
possible answers and per answer an index into it, or a code for an answer without a score
(left empty, not applicable, can't judge); importance ratings and profile answers."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from assess.domain.answers import DK, NA, AnswerValue, ProfileValue
from assess.domain.questionnaire import (
    BooleanItem,
    ChoiceItem,
    ProfileBoolean,
    ProfileChoice,
    ProfileScale,
    Questionnaire,
    ScaleItem,
)
from assess.domain.synthetic_model import LatentModel

Floats = npt.NDArray[np.float64]
Codes = npt.NDArray[np.int64]

LEFT_EMPTY = -1
NOT_APPLICABLE = -2
CANT_JUDGE = -3

SD_NOISE = 0.7  # per answer
SKIP_RATE = 0.02
# "Can't judge" on the logit: per respondent how readily they say it, and how much less
# visible a level's subject is where the organisation is less mature in it.
SD_DONT_KNOW_PERSON = 0.5
DONT_KNOW_LEVEL = 0.8
LEAD_DONT_KNOW = 0.5  # the lead knows the facts better: half an item's base rate
# Importance on the logit: how much the organisation's level in a dimension lifts it, and
# how far organisations and respondents spread around the dimension's base.
IMPORTANCE_LEVEL = 0.3
SD_IMPORTANCE_ORGANISATION = 0.5
SD_IMPORTANCE_RESPONDENT = 0.6


def _logistic(z: Floats) -> Floats:
    share: Floats = 1.0 / (1.0 + np.exp(-z))
    return share


def _bins(share: Floats, bins: Floats) -> Codes:
    """Equal bins of [0, 1]: the index of the bin each share falls into."""
    return np.minimum(np.floor(share * bins), bins - 1).astype(np.int64)


class Answerer:
    """Answers to one questionnaire's items from latent levels (see `synthetic`)."""

    def __init__(self, questionnaire: Questionnaire, model: LatentModel) -> None:
        self.model = model
        self.questionnaire = questionnaire
        positions = {d.id: k for k, d in enumerate(questionnaire.dimensions)}
        items = [item for _, item in questionnaire.items()]
        self.ids = [item.id for item in items]
        self.dimension = np.array([positions[d.id] for d, _ in questionnaire.items()])
        self.choices: list[list[AnswerValue]] = []
        for item in items:
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
        self.lead = np.array([item.informant == "lead" for item in items], dtype=bool)
        self.has_lead = bool(self.lead.any())
        self.dont_know = np.array([item.allow_dont_know for item in items], dtype=bool)
        self.extra = [
            q
            for q in questionnaire.profile
            if q.scope == "respondent"
            and q.id != "department"
            and isinstance(q, ProfileChoice | ProfileScale | ProfileBoolean)
        ]

    def codes(self, rng: np.random.Generator, level: Floats, practice: Floats) -> Codes:
        """Per organisation, respondent and item: the index of the answer chosen, from
        each respondent's level per dimension and the organisation's own practice per
        item; some left empty or not applicable."""
        model = self.model
        z = model.discrimination * level[:, :, self.dimension] - model.difficulty
        z = z + practice[:, None, :] + rng.normal(0.0, SD_NOISE, z.shape)
        codes = _bins(_logistic(z), self.bins)
        draw = rng.random(z.shape)
        codes[draw < SKIP_RATE + model.na_rate] = NOT_APPLICABLE
        codes[draw < SKIP_RATE] = LEFT_EMPTY
        return codes

    def lead_codes(self, rng: np.random.Generator, level: Floats, practice: Floats) -> Codes:
        """Per organisation and item: the lead's answer, from the organisation's own level
        per dimension (a fact, free of the lead's leniency); some without a score."""
        model = self.model
        z = model.discrimination * level[:, self.dimension] - model.difficulty + practice
        z = z + rng.normal(0.0, SD_NOISE, z.shape)
        codes = _bins(_logistic(z), self.bins)
        draw = rng.random(z.shape)
        dont_know = np.where(self.dont_know, model.dont_know_rate * LEAD_DONT_KNOW, 0.0)
        codes[draw < SKIP_RATE + model.na_rate + dont_know] = CANT_JUDGE
        codes[draw < SKIP_RATE + model.na_rate] = NOT_APPLICABLE
        codes[draw < SKIP_RATE] = LEFT_EMPTY
        return codes

    def with_lead(self, codes: Codes, lead_codes: Codes) -> None:
        """The first respondent of each organisation is its lead and alone answers the
        lead items; everyone else leaves them empty (they are never asked)."""
        if not self.has_lead:
            return
        codes[:, 0, self.lead] = lead_codes[:, self.lead]
        codes[:, 1:, self.lead] = LEFT_EMPTY

    def with_dont_know(
        self, rng: np.random.Generator, codes: Codes, level: Floats, department: Codes
    ) -> None:
        """Turn answers into "can't judge" where it is offered: likelier for items whose
        subject is hidden, in departments far from the item's level, for respondents who
        say it readily and where the organisation is less mature in the level."""
        model = self.model
        rate = np.clip(model.dont_know_rate, 1e-9, None)  # 0 where not offered: masked below
        base = np.log(rate / (1 - rate))
        distance = model.distance[department][:, :, self.dimension]
        person = rng.normal(0.0, SD_DONT_KNOW_PERSON, codes.shape[:2])
        logit = (
            base + distance + person[:, :, None] - DONT_KNOW_LEVEL * level[:, None, self.dimension]
        )
        draw = rng.random(codes.shape)
        chosen = (draw < _logistic(logit)) & self.dont_know & ~self.lead & (codes >= 0)
        codes[chosen] = CANT_JUDGE

    def importance(self, rng: np.random.Generator, level: Floats, respondents: int) -> Floats:
        """Per organisation, respondent and dimension: the importance rating, NaN where
        left empty (none without an importance scale)."""
        scale = self.questionnaire.importance
        shape = (level.shape[0], respondents, level.shape[1])
        organisation = rng.normal(0.0, SD_IMPORTANCE_ORGANISATION, level.shape)
        person = rng.normal(0.0, SD_IMPORTANCE_RESPONDENT, shape)
        empty = rng.random(shape) < SKIP_RATE
        if scale is None:
            return np.full(shape, np.nan)
        z = self.model.importance_base + IMPORTANCE_LEVEL * level + organisation
        points = scale.max - scale.min + 1
        rating = scale.min + _bins(_logistic(z[:, None, :] + person), np.full(1, float(points)))
        return np.where(empty, np.nan, rating.astype(np.float64))

    def answers(self, codes: Codes) -> dict[str, AnswerValue]:
        """One respondent's answers from their codes; those left empty left out."""
        answers: dict[str, AnswerValue] = {}
        for item_id, choices, code in zip(self.ids, self.choices, codes.tolist(), strict=True):
            if code >= 0:
                answers[item_id] = choices[code]
            elif code == NOT_APPLICABLE:
                answers[item_id] = NA
            elif code == CANT_JUDGE:
                answers[item_id] = DK
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
