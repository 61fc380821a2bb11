"""An assessment's target stage per dimension, set from the API or the console: checked
against the questionnaire's dimensions and stages, kept, and noted in the audit log."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session

from assess.domain.advice import ALL_DIMENSIONS, TargetError, resolve_targets
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.assessments import Assessment
from assess.persistence.repository.assessments import set_targets
from assess.persistence.repository.audit import Actor, audit


def change_targets(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    given: Mapping[str, str | None],
    actor: Actor,
    *,
    via: str,
) -> dict[str, str]:
    """Set the targets given (a dimension's own wins over `all`; null: no target, the
    stage after the current one); TargetError naming each unknown dimension or stage."""
    chosen = resolve_targets(questionnaire, {d: s for d, s in given.items() if s is not None})
    dimensions = [d.id for d in questionnaire.dimensions]
    cleared = {d for d, s in given.items() if s is None}
    unknown = sorted(cleared - {*dimensions, ALL_DIMENSIONS})
    if unknown:
        raise TargetError(
            [
                f"unknown dimension '{d}' in a target; dimensions are: "
                + ", ".join([*dimensions, ALL_DIMENSIONS])
                for d in unknown
            ]
        )
    if ALL_DIMENSIONS in cleared:
        cleared |= {d for d in dimensions if given.get(d) is None}
    targets = {d: s for d, s in chosen.items() if d not in cleared}
    before = assessment.targets or {}
    if targets != before:
        detail = {"before": before, "after": targets, "via": via}
        audit(session, actor, "assessment.targets_set", ("assessment", assessment.id), detail)
    set_targets(session, assessment=assessment, targets=targets)
    return targets
