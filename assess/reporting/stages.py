"""A stage as one level words it: the level's own name and description of the stage
where its questionnaire gives them (`Dimension.stages`), else the stage's own."""

from __future__ import annotations

from assess.domain.questionnaire import Dimension, Stage, localized


def stage_name(dimension: Dimension, stage: Stage, language: str) -> str:
    """The stage's name on this level."""
    wording = dimension.stages.get(stage.id)
    return localized(wording.name if wording and wording.name else stage.name, language)


def stage_description(dimension: Dimension, stage: Stage, language: str) -> str:
    """The stage's description on this level ("" where neither gives one)."""
    wording = dimension.stages.get(stage.id)
    if wording is not None:
        return localized(wording.description, language)
    return localized(stage.description, language)
