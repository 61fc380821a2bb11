"""The questionnaire as typed, immutable models: the format of QUESTIONNAIRE_FORMAT.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

NA_VALUE = "na"  # what "not applicable" looks like in answers files; no option may use it
DK_VALUE = "dk"  # what "can't judge" looks like in answers files; no option may use it
LEAD_COLUMN = "lead"  # the reserved answers column that marks the one lead respondent
IMPORTANCE_PREFIX = "importance:"  # reserved answers columns `importance:<dimension id>`
HORIZONS = ("now", "next", "later")
# Versions are stored as a 32-bit integer column, the smallest both databases share.
MAX_VERSION = 2**31 - 1


def _one_language_shorthand(value: Any, info: ValidationInfo) -> Any:
    """A plain string is the text of a questionnaire written in a single language."""
    languages = (info.context or {}).get("languages")
    if isinstance(value, str) and isinstance(languages, list) and len(languages) == 1:
        return {languages[0]: value}
    return value


def _complete_translation(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    languages = (info.context or {}).get("languages")
    if not isinstance(languages, list):
        return value
    missing = [lang for lang in languages if not str(value.get(lang, "")).strip()]
    extra = [lang for lang in value if lang not in languages]
    problems = []
    if missing:
        problems.append("missing translation for " + ", ".join(f"'{m}'" for m in missing))
    if extra:
        problems.append(
            "language " + ", ".join(f"'{e}'" for e in extra) + " is not listed in `languages`"
        )
    if problems:
        raise ValueError("; ".join(problems))
    return value


Text = Annotated[
    dict[str, str],
    BeforeValidator(_one_language_shorthand),
    AfterValidator(_complete_translation),
]
"""A text in every language of the questionnaire: {de: "…", en: "…"}."""

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")]


class Model(BaseModel):
    """Strict base: unknown keys are errors, models never change once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(Model):
    """The answer range of scale items, with optional labels for its points."""

    min: int
    max: int
    labels: dict[int, Text] = Field(default_factory=dict)


class Quote(Model):
    """Where a text comes from: the article's number and its own words, verbatim."""

    model_config = ConfigDict(coerce_numbers_to_str=True)
    article: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    quote: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


Source = Annotated[str | Quote, Field(union_mode="left_to_right")]
"""An article number ("004"), or the article and a verbatim quote from it."""


def source_article(source: str | Quote | None) -> str | None:
    """The article a source names, whichever way it is written."""
    return source.article if isinstance(source, Quote) else source


class Importance(Model):
    """The scale on which each respondent rates each dimension's importance."""

    min: int
    max: int
    labels: dict[int, Text] = Field(default_factory=dict)
    text: Text


class Option(Model):
    """One answer of a choice item and the score it gives."""

    model_config = ConfigDict(coerce_numbers_to_str=True)
    value: Id
    label: Text
    score: Percent


class ProfileOption(Model):
    """One answer of a profile choice question; profile answers are never scored."""

    model_config = ConfigDict(coerce_numbers_to_str=True)
    value: Id
    label: Text


class ItemBase(Model):
    """What every kind of item has: its text, weight, help, whether 'na' is allowed."""

    id: Id
    text: Text
    label: Text | None = None  # a few words that name it where a report states its answers
    weight: Weight = 1.0
    allow_na: bool = True
    allow_dont_know: bool = False
    informant: Literal["all", "lead"] = "all"
    help: Text | None = None
    source: Source | None = None


class ScaleItem(ItemBase):
    """A statement rated on a numeric scale; `reverse` for statements of low maturity."""

    type: Literal["scale"]
    reverse: bool = False
    min: int | None = None
    max: int | None = None
    labels: dict[int, Text] | None = None


class ChoiceItem(ItemBase):
    """A question answered with one of several options, each with its own score."""

    type: Literal["choice"]
    options: Annotated[list[Option], Field(min_length=2)]


class BooleanItem(ItemBase):
    """A yes/no question: yes scores 100, no scores 0."""

    type: Literal["boolean"]


Item = Annotated[ScaleItem | ChoiceItem | BooleanItem, Field(discriminator="type")]


class Band(Model):
    """A bound on a figure: strictly `below` it, `at_least` it, or both."""

    below: float | None = Field(default=None, allow_inf_nan=False)
    at_least: float | None = Field(default=None, allow_inf_nan=False)


class AtLeast(Model):
    """A lower bound on a figure."""

    at_least: float = Field(allow_inf_nan=False)


class DivergenceBound(Model):
    """A condition on a dimension's divergence: its spread `at_least` a bound, and/or
    whether the difference is `significant` (rule 14) or not."""

    at_least: float | None = Field(default=None, allow_inf_nan=False)
    significant: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> DivergenceBound:
        if self.at_least is None and self.significant is None:
            raise ValueError("give at_least (a spread), significant (true or false), or both")
        return self


class Rule(Model):
    """When a recommendation applies: every condition given holds for the organisation."""

    stages: list[Slug] | None = None
    below: Percent | None = None
    at_least: Percent | None = None
    items: dict[str, Band] | None = None
    divergence: DivergenceBound | None = None
    dont_know: AtLeast | None = None
    profile: dict[str, list[str | int | float | bool]] | None = None


class Recommendation(Model):
    """Advice: chosen when its rule holds, placed on the roadmap by horizon and rank."""

    id: Id | None = None
    when: Rule
    priority: Annotated[int, Field(ge=1)] = 1
    title: Text | None = None
    text: Text
    horizon: Literal["now", "next", "later"] = "next"
    owner: Text | None = None
    first_step: Text | None = None  # what someone can start on this week
    measure: Text | None = None
    depends_on: list[Id] = Field(default_factory=list)
    source: Source | None = None


class StageWording(Model):
    """A dimension's own wording of one global stage."""

    name: Text | None = None
    description: Text


class Dimension(Model):
    """One level of maturity, scored from its items."""

    id: Id
    weight: Weight = 1.0
    name: Text
    description: Text | None = None
    items: Annotated[list[Item], Field(min_length=1)]
    stages: dict[str, StageWording] = Field(default_factory=dict)
    recommendations: list[Recommendation] = Field(default_factory=list)
    source: Source | None = None


class Stage(Model):
    """A maturity stage, reached from `min_score` upwards."""

    id: Slug
    min_score: Percent
    name: Text
    description: Text | None = None
    source: Source | None = None


class ProfileBase(Model):
    """What every kind of profile question has: its text, who it asks about, help."""

    id: Id
    text: Text
    scope: Literal["organisation", "respondent"] = "organisation"
    help: Text | None = None
    source: Source | None = None


class ProfileChoice(ProfileBase):
    """A profile question with fixed options (industry, size, department, …)."""

    type: Literal["choice"]
    options: Annotated[list[ProfileOption], Field(min_length=1)]


class ProfileScale(ProfileBase):
    """A profile question rated on a numeric scale."""

    type: Literal["scale"]
    min: int | None = None
    max: int | None = None
    labels: dict[int, Text] | None = None


class ProfileBoolean(ProfileBase):
    """A yes/no profile question."""

    type: Literal["boolean"]


class ProfileText(ProfileBase):
    """A free-text profile question; never shown to researchers."""

    type: Literal["text"]
    max_length: Annotated[int, Field(ge=1, le=10_000)] = 500


ProfileQuestion = Annotated[
    ProfileChoice | ProfileScale | ProfileBoolean | ProfileText, Field(discriminator="type")
]


class Questionnaire(Model):
    """A whole questionnaire: dimensions of items, stages, and profile questions."""

    id: Slug
    version: Annotated[int, Field(ge=1, le=MAX_VERSION)]
    languages: Annotated[list[Language], Field(min_length=1)]
    title: Text
    description: Text | None = None
    scale: Scale | None = None
    importance: Importance | None = None
    min_coverage: Annotated[float, Field(ge=0, le=1)] = 0.5
    divergence_threshold: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 20.0
    stages: Annotated[list[Stage], Field(min_length=1)]
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    profile: list[ProfileQuestion] = Field(default_factory=list)

    def items(self) -> Iterator[tuple[Dimension, ScaleItem | ChoiceItem | BooleanItem]]:
        """Every item with the dimension it belongs to, in questionnaire order."""
        for dimension in self.dimensions:
            for item in dimension.items:
                yield dimension, item

    def recommendations(self) -> Iterator[tuple[Dimension, Recommendation]]:
        """Every recommendation with its dimension, in file order (rule 12's order)."""
        for dimension in self.dimensions:
            for recommendation in dimension.recommendations:
                yield dimension, recommendation

    def item_ids(self) -> list[str]:
        """Item ids in questionnaire order."""
        return [item.id for _, item in self.items()]

    def item(self, item_id: str) -> ScaleItem | ChoiceItem | BooleanItem | None:
        """The item with this id, if there is one."""
        return next((item for _, item in self.items() if item.id == item_id), None)

    def answers_of(self, item: ScaleItem | ChoiceItem | BooleanItem) -> list[str]:
        """The answers an item offers, as an answers file writes them, in the order a
        reader expects: its scale points, its options' values, or yes and no."""
        if isinstance(item, ChoiceItem):
            return [o.value for o in item.options]
        if isinstance(item, BooleanItem):
            return ["yes", "no"]
        low, high = self.scale_of(item)
        return [str(v) for v in range(low, high + 1)]

    def lead_item_ids(self) -> frozenset[str]:
        """Ids of the items asked of the lead only (`informant: lead`)."""
        return frozenset(item.id for _, item in self.items() if item.informant == "lead")

    def profile_question(self, question_id: str) -> ProfileQuestion | None:
        """The profile question with this id, if there is one."""
        return next((q for q in self.profile if q.id == question_id), None)

    def scale_of(self, item: ScaleItem | ProfileScale) -> tuple[int, int]:
        """The effective (min, max) of a scale item: its own, else the questionnaire's."""
        low = item.min if item.min is not None else (self.scale.min if self.scale else None)
        high = item.max if item.max is not None else (self.scale.max if self.scale else None)
        if low is None or high is None:
            raise ValueError(f"item '{item.id}' has no scale")
        return low, high

    def stage_for_id(self, stage_id: str | None) -> Stage | None:
        """The stage with this id (None for None)."""
        return next((s for s in self.stages if s.id == stage_id), None)

    def stage_for(self, score: float | None) -> Stage | None:
        """The last stage whose `min_score` is at most `score` (rule 4)."""
        if score is None:
            return None
        reached = None
        for stage in self.stages:
            if stage.min_score <= score:
                reached = stage
        return reached

    def default_group_by(self) -> list[str]:
        """Respondent-scope question `department`, when the questionnaire has one."""
        question = self.profile_question("department")
        return ["department"] if question and question.scope == "respondent" else []


def localized(text: dict[str, str] | None, language: str) -> str:
    """The text in `language`, falling back to any language it has."""
    if not text:
        return ""
    return text.get(language) or next(iter(text.values()))
