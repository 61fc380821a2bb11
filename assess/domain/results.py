"""What scoring produces, and its JSON shape (the score output of the format document)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assess.domain.statistics import Summary


@dataclass(frozen=True)
class Overall:
    """An overall score and its stage id (both None when a dimension has no score)."""

    score: float | None
    stage: str | None


@dataclass(frozen=True)
class DimensionFigures:
    """Rule 5: the mean of respondents' dimension scores, its stage, n, sd, min, max."""

    score: float | None
    stage: str | None
    summary: Summary


@dataclass(frozen=True)
class GroupResult:
    """The figures of a set of respondents: the whole organisation or one group."""

    respondents: int
    overall: Overall
    dimensions: dict[str, DimensionFigures]
    first: int = 0  # the row of its first respondent in the answers (rule 14's ties)

    def to_dict(self) -> dict[str, Any]:
        """Overall and per-dimension figures as plain data."""
        return {
            "respondents": self.respondents,
            "overall": {"score": self.overall.score, "stage": self.overall.stage},
            "dimensions": {
                dim: {
                    "score": f.score,
                    "stage": f.stage,
                    "n": f.summary.n,
                    "sd": f.summary.sd,
                    "min": f.summary.min,
                    "max": f.summary.max,
                }
                for dim, f in self.dimensions.items()
            },
        }


@dataclass(frozen=True)
class Divergence:
    """Highest minus lowest group mean of one dimension, flagged from the threshold up
    (rule 5), and `significant` where the Welch 95 % interval of that difference
    excludes 0 (rule 14)."""

    spread: float | None
    flagged: bool
    significant: bool = False


@dataclass(frozen=True)
class Certainty:
    """Rules 13 and 14 for one dimension of the organisation: the agreement of its
    respondents (rwg, over the scale items J answered by two or more) and the 95 %
    confidence interval of its score."""

    rwg: float | None = None
    ci95: tuple[float, float] | None = None
    # item -> (s²ᵢ / σ²ᵢ, respondents): what rwg is made of, so that a viewer who may not
    # see a thinly answered item gets an rwg without it
    ratios: dict[str, tuple[float, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class RespondentScore:
    """Rules 1-3 for one respondent: item scores, dimension scores, coverage, overall."""

    respondent: str
    items: dict[str, float | None]
    dimensions: dict[str, float | None]
    coverage: dict[str, float]
    overall: float | None


@dataclass(frozen=True)
class ItemFigures:
    """Rule 7: the organisation's mean item score (a lead item: the lead's), the number
    of scores behind it, and how many said they cannot judge the item."""

    score: float | None
    n: int
    dont_know: int


@dataclass(frozen=True)
class Answered:
    """Rules 8 and 9 for one dimension: the share of "can't judge" among the answers
    given to its items, and the mean importance and its weight in [0, 1]."""

    dont_know_share: float | None = None
    importance_mean: float | None = None
    importance_weight: float | None = None


@dataclass(frozen=True)
class Standing:
    """Rules 10 and 11 for one dimension: target stage, gap to it, priority, rank, and
    the quadrant of the importance-performance analysis."""

    target: str | None = None
    gap: float | None = None
    priority: float | None = None
    rank: int | None = None
    quadrant: str | None = None


@dataclass(frozen=True)
class Reason:
    """One condition that chose a recommendation, its bound and the figure that met it."""

    condition: str
    bound: Any
    value: Any


@dataclass(frozen=True)
class Advice:
    """Rule 12: a chosen recommendation, where it stands in the file, and why."""

    id: str | None
    dimension: str
    horizon: str
    because: tuple[Reason, ...]
    position: int  # its place among all recommendations of the file, from 0

    def to_dict(self) -> dict[str, Any]:
        """The shape of the format document."""
        return {
            "id": self.id,
            "dimension": self.dimension,
            "horizon": self.horizon,
            "because": [
                {"condition": r.condition, "bound": r.bound, "value": r.value} for r in self.because
            ],
        }


@dataclass(frozen=True)
class AssessmentResult:
    """Everything the score output of the format document holds."""

    questionnaire_id: str
    questionnaire_version: int
    total: GroupResult
    groups: dict[str, dict[str, GroupResult]] = field(default_factory=dict)
    divergence: dict[str, dict[str, Divergence]] = field(default_factory=dict)
    hidden: dict[str, list[str]] = field(default_factory=dict)  # groups withheld, by question
    items: dict[str, ItemFigures] = field(default_factory=dict)
    answered: dict[str, Answered] = field(default_factory=dict)
    certainty: dict[str, Certainty] = field(default_factory=dict)
    standing: dict[str, Standing] = field(default_factory=dict)
    recommendations: list[Advice] = field(default_factory=list)  # in roadmap order
    # What advice was given for: targets set per dimension, the organisation's profile.
    targets: dict[str, str] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the format document, plus `hidden_groups` where groups were
        withheld; no figure is rounded."""
        total = self.total.to_dict()
        extra = {"hidden_groups": self.hidden} if self.hidden else {}
        for dim, figures in total["dimensions"].items():
            answered = self.answered.get(dim, Answered())
            standing = self.standing.get(dim, Standing())
            certainty = self.certainty.get(dim, Certainty())
            figures.update(
                ci95=list(certainty.ci95) if certainty.ci95 is not None else None,
                rwg=certainty.rwg,
                dont_know_share=answered.dont_know_share,
                importance_mean=answered.importance_mean,
                importance_weight=answered.importance_weight,
                target=standing.target,
                gap=standing.gap,
                priority=standing.priority,
                rank=standing.rank,
                quadrant=standing.quadrant,
            )
        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
            "respondents": total["respondents"],
            "overall": total["overall"],
            "dimensions": total["dimensions"],
            "items": {
                item: {"score": f.score, "n": f.n, "dont_know": f.dont_know}
                for item, f in self.items.items()
            },
            "groups": {
                question: {value: group.to_dict() for value, group in groups.items()}
                for question, groups in self.groups.items()
            },
            "divergence": {
                question: {
                    dim: {"spread": d.spread, "flagged": d.flagged, "significant": d.significant}
                    for dim, d in dims.items()
                }
                for question, dims in self.divergence.items()
            },
            "recommendations": [advice.to_dict() for advice in self.recommendations],
            **extra,
        }
