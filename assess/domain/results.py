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
    """Highest minus lowest group mean of one dimension, flagged from the threshold up."""

    spread: float | None
    flagged: bool


@dataclass(frozen=True)
class RespondentScore:
    """Rules 1-3 for one respondent: item scores, dimension scores, coverage, overall."""

    respondent: str
    items: dict[str, float | None]
    dimensions: dict[str, float | None]
    coverage: dict[str, float]
    overall: float | None


@dataclass(frozen=True)
class AssessmentResult:
    """Everything the score output of the format document holds."""

    questionnaire_id: str
    questionnaire_version: int
    total: GroupResult
    groups: dict[str, dict[str, GroupResult]] = field(default_factory=dict)
    divergence: dict[str, dict[str, Divergence]] = field(default_factory=dict)
    hidden: dict[str, list[str]] = field(default_factory=dict)  # groups withheld, by question

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the format document, plus `hidden_groups` where groups were
        withheld; no figure is rounded."""
        total = self.total.to_dict()
        extra = {"hidden_groups": self.hidden} if self.hidden else {}
        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
            "respondents": total["respondents"],
            "overall": total["overall"],
            "dimensions": total["dimensions"],
            "groups": {
                question: {value: group.to_dict() for value, group in groups.items()}
                for question, groups in self.groups.items()
            },
            "divergence": {
                question: {
                    dim: {"spread": d.spread, "flagged": d.flagged} for dim, d in dims.items()
                }
                for question, dims in self.divergence.items()
            },
            **extra,
        }
