"""The API's shape of researchers' peer figures: every peer group that may be shown with
its distribution of scores, and per level how far the pool's organisations differ."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assess.domain.benchmarking import GroupKind

Interval = list[float]


class QuestionnaireVersionRef(BaseModel):
    """A questionnaire version by id and number."""

    id: str
    version: int


class PeerScore(BaseModel):
    """One score's distribution over a peer group's organisations."""

    n: int
    median: float
    q1: float
    q3: float
    median_interval: Interval = Field(
        min_length=2, max_length=2, description="The median's 95 % interval."
    )
    score: float | None = Field(description="Always null here: no organisation is compared.")
    percentile: float | None = Field(description="Always null here.")


class PeerGroup(BaseModel):
    """A peer group that may be shown."""

    kind: GroupKind
    values: list[str]
    label: str
    n: int = Field(description="Organisations in the group.")
    scores: dict[str, PeerScore] = Field(description="By score id: `overall` or a level's id.")


class LevelAgreement(BaseModel):
    """How far the organisations of the whole pool differ on one level (one-way analysis of
    variance of respondents nested in organisations), and how consistently its items
    measure it. Every figure is null where the pool has fewer than k organisations, and
    where it is undefined (see the README's research section)."""

    organisations: int | None = Field(description="k: organisations behind ICC.")
    respondents: int | None = Field(description="N: respondents with a score on the level.")
    icc1: float | None = Field(
        description="ICC(1): the share of a respondent's score's variance that lies "
        "between organisations."
    )
    icc1_ci95: Interval | None = Field(min_length=2, max_length=2, description="95 % interval.")
    icc2: float | None = Field(
        description="ICC(2): the reliability of an organisation's mean; 0.70 and above "
        "usually justifies using the mean as the organisation's score."
    )
    icc2_ci95: Interval | None = Field(min_length=2, max_length=2, description="95 % interval.")
    alpha: float | None = Field(
        description="Cronbach's alpha over the pool's respondents who gave every item of "
        "the level in alpha a score."
    )
    alpha_standardised: bool = Field(description="Alpha of z-scores: the level mixes formats.")
    alpha_n: int | None = Field(description="The respondents behind alpha (listwise).")


class ResearchBenchmarks(BaseModel):
    """Peer figures of a questionnaire version's pool."""

    questionnaire: QuestionnaireVersionRef
    k: int = Field(description="The fewest organisations a figure describes.")
    withheld_groups: int | None = Field(description="Groups not shown; null for one value.")
    groups: list[PeerGroup]
    levels: dict[str, LevelAgreement] = Field(description="By level id.")
