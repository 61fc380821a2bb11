"""The API's shape of an assessment's results: the format document's score output, with
each level's advice figures, the organisation's item figures and the roadmap."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assess.web.schemas.consensus import ConsensusUsed


class Figures(BaseModel):
    """Overall figures: a score and its stage (both null without a score)."""

    score: float | None
    stage: str | None


class LevelFigures(BaseModel):
    """One level (dimension) of a set of respondents (rule 5)."""

    model_config = ConfigDict(extra="allow")
    score: float | None
    stage: str | None
    n: int
    sd: float | None
    min: float | None = Field(description="Null where it could single anyone out.")
    max: float | None = Field(description="Null where it could single anyone out.")


class OrganisationLevel(LevelFigures):
    """One level of the whole organisation, with its advice figures (rules 8-11)."""

    ci95: list[float] | None = Field(
        min_length=2,
        max_length=2,
        description="The score's 95 % confidence interval [low, high] (Student's t); null "
        "below 2 respondents.",
    )
    rwg: float | None = Field(
        ge=0,
        le=1,
        description="How far the respondents agree on the level's statements (rwg, 0..1; "
        "from 0.70 one figure fairly stands for the organisation); null without a "
        "statement answered by two or more.",
    )
    dont_know_share: float | None = Field(
        description="Can't-judge answers among all answers given to the level's items."
    )
    importance_mean: float | None
    importance_weight: float | None = Field(description="0..1 on the importance scale.")
    target: str | None = Field(description="The stage aimed at: the one set, else the next.")
    gap: float | None
    priority: float | None = Field(description="gap × importance_weight, else gap.")
    rank: int | None = Field(description="1 for the level to work on first.")
    quadrant: Literal["concentrate", "keep-up", "low-priority", "possible-overkill"] | None


class ItemFigures(BaseModel):
    """The organisation's score of one item (a lead item: the lead's answer)."""

    score: float | None
    n: int
    dont_know: int


class Reason(BaseModel):
    """A condition that chose a recommendation, its bound and the figure that met it."""

    condition: str = Field(examples=["items.strategy-board-kpis.below"])
    bound: Any
    value: Any


class Step(BaseModel):
    """A recommendation chosen, in roadmap order."""

    id: str | None
    dimension: str
    horizon: Literal["now", "next", "later"]
    because: list[Reason]


class Spread(BaseModel):
    """Highest minus lowest group mean of one level over the groups shown."""

    model_config = ConfigDict(extra="allow")
    spread: float | None
    flagged: bool = Field(description="The spread reaches the questionnaire's threshold.")
    significant: bool = Field(
        description="The Welch 95 % interval of highest minus lowest group mean excludes 0 "
        "(both groups of 2 or more)."
    )


class QuestionnaireRef(BaseModel):
    """The questionnaire version scored."""

    id: str
    version: int


class ScoreOutput(BaseModel):
    """An assessment's results: the organisation's figures (its advice figures among
    them), groups with rule 5's figures only, and the roadmap. With `explain`, the
    arithmetic; for a viewer of releases, `release`; in a study, `k` and the groups not
    shown with their reason."""

    model_config = ConfigDict(extra="allow")
    questionnaire: QuestionnaireRef
    respondents: int
    overall: Figures
    dimensions: dict[str, OrganisationLevel]
    items: dict[str, ItemFigures]
    groups: dict[str, dict[str, dict[str, Any]]] = Field(
        description="Per profile question, per answer: respondents, overall and dimensions "
        "(rule 5's figures only); in a study, groups not shown as {suppressed, reason}."
    )
    divergence: dict[str, dict[str, Spread]]
    recommendations: list[Step] = Field(description="The roadmap: chosen ones in order.")
    hidden_groups: dict[str, list[str]] = Field(
        default_factory=dict, description="Groups left out so that none describes too few."
    )
    view: Literal["answered", "workshop"] = Field(
        default="answered",
        description="As answered, or after the workshop: each consensus answer counted as "
        "every respondent's answer to its item.",
    )
    consensus: list[ConsensusUsed] = Field(
        default_factory=list, description="After the workshop: the consensus answers counted."
    )
